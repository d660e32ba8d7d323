/* What the two CSV import files share (import_csv.c: records, detection,
 * long and wide files, dispatch; import_csv_pub.c: the publishers'
 * formats): the reader's state and the helpers both use. Private to
 * them. */
#ifndef ALMANAC_IMPORT_CSV_H
#define ALMANAC_IMPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/csvio.h>

#include "import_internal.h"

#define MAXC ALM_CSV_COLS_MAX

/* A CSV reader's state: the header, and per format its columns. */
struct csvr {
    struct imp *im;
    enum alm_import_format f;
    bool header_done;
    bool in_rows; /* the header was read: errors are about rows */
    size_t ncols;
    char **head; /* trimmed header, ncols */
    /* long */
    long ci, cp, cv, skipcol;
    long *map;         /* column of b->obs for each input column, -1 to drop */
    long cquote, csrc; /* the input's "quote" (kept verbatim), obs' source */
    /* wide */
    bool by_period;
    long idcol, titlecol, unitcol;
    char **hperiod; /* per column: its period text, or NULL */
    long *colser;   /* per column: its series, or -1 */
    /* wdi */
    long cname, ccode, iname, icode;
    /* sdmx */
    long ctime, cval, cstat, cmult, cunit, cfreq, cflow, cname2, clast;
    long *dims, *dimlab;
    size_t ndims;
    /* companion metadata (World Bank) */
    struct alm_table *mind, *mcountry;
};

/* Fails with ALM_ENOMEM. */
enum alm_status alm__csv_nomem(struct csvr *c);

/* Fails with ALM_EINPUT and msg at line (and field, if not NULL). A bad
 * row after the header is reported and reading goes on (ALM_OK) while the
 * caller takes every problem; otherwise returns ALM_EINPUT. */
enum alm_status alm__csv_bad(struct csvr *c, long line, const char *field,
                             const char *msg);

/* True when a data record is to be read: false with *st ALM_OK for a
 * blank record (skipped), false with *st from alm__csv_bad() for one
 * whose field count is not the header's. */
bool alm__csv_row_ready(struct csvr *c, char **f, size_t n, long line,
                        enum alm_status *st);

/* True when every field of a record is blank. */
bool alm__csv_blank(char **f, size_t n);

/* Case-insensitive comparison of a header (spaces around it ignored). */
bool alm__csv_head_is(const char *h, const char *name);

/* True when the header h (trimmed, R's "X2014" accepted) is a period; the
 * period's text goes to out (ALM_PERIOD_TEXT_MAX bytes). */
bool alm__csv_head_period(const char *h, char *out);

/* The readers of the publishers' formats (import_csv_pub.c): each
 * _header takes the header c->head, each _row one record. */
enum alm_status alm__csv_wdi_header(struct csvr *c, long line);
enum alm_status alm__csv_wdi_row(struct csvr *c, char **f, size_t n, long line);
enum alm_status alm__csv_fred_header(struct csvr *c, long line);
enum alm_status alm__csv_ecb_header(struct csvr *c, long line);
/* A row of FRED or ECB: one observation per series column, the period in
 * column pcol. */
enum alm_status alm__csv_series_row(struct csvr *c, char **f, size_t n,
                                    long line, long pcol);
enum alm_status alm__csv_sdmx_header(struct csvr *c, long line);
enum alm_status alm__csv_sdmx_row(struct csvr *c, char **f, size_t n,
                                  long line);

#endif
