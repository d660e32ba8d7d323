/* What the import modules (import.c, import_cell.c, import_finish.c,
 * import_csv.c, import_csv_pub.c, import_jsonstat.c, import_nbs.c) share: the
 * batch builder every format feeds, and the cell-level readers (values,
 * periods, statuses, ids). Never installed. */
#ifndef ALMANAC_IMPORT_INTERNAL_H
#define ALMANAC_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <almanac/import.h>

/* One series being built: its id, the publisher's key it was built from
 * (to detect two keys mapping onto one id), its description. */
struct imp_series {
    char *id, *key, *title, *unit;
    char freq; /* from the format's metadata, or 0 */
    size_t nobs;
};

/* The builder: a batch being filled from one file. */
struct imp {
    const struct alm_import_spec *spec;
    enum alm_import_format format;
    const char *name; /* the file, for messages */
    const char *dir;  /* where companion files are, or NULL */
    struct alm_error *err;
    struct alm_import_batch *b;
    struct imp_series *ser;
    size_t nser, capser;
    size_t *slots; /* open addressing over ids: series index + 1, 0 empty */
    size_t nslots;
    size_t last_ser;         /* the series last looked up, or (size_t)-1 */
    uint32_t *row_ser;       /* series of each row of b->obs */
    unsigned char *row_date; /* 1 when the row's period is still a date */
    size_t ndated;           /* rows whose row_date is 1 */
    size_t caprows;
    char decimal;     /* the decimal mark in use, 0 while unknown */
    bool uses_source; /* some row names the file's source */
    char *title, *publisher, *date; /* the file's source, as found */
    size_t nproblems;               /* bad cells and rows seen */
    struct alm_error first;         /* the first, reported with the second */
};

/* Hands the error about a cell or row now in im->err to spec->report, if
 * there is one, and clears it: returns true when reading may go on (a
 * report, fewer than 100 problems so far). */
bool alm__imp_problem(struct imp *im);

/* Hashes len bytes (64-bit FNV-1a), continuing from h (start with
 * ALM_IMP_HASH0). Used for source ids and for ids of unnamed series, not
 * for security. */
#define ALM_IMP_HASH0 UINT64_C(14695981039346656037)
uint64_t alm__imp_hash(uint64_t h, const void *data, size_t len);

/* Registers the series whose publisher's key has the n parts given (codes
 * such as "NY.GDP.MKTP.CD", "CHN"): its id is the parts lower-cased, other
 * characters turned to '-', joined with '.' (SPEC.md); an id too long or
 * invalid keeps its first part and replaces the rest by a hash. With
 * verbatim, parts[0] is the id as the user wrote it (the long format).
 * title and unit may be NULL; freq is the format's frequency letter or 0.
 * Returns the series index, or -1 with the error filled (a collision:
 * two keys, one id). */
long alm__imp_series(struct imp *im, const char *const *parts, size_t n,
                     bool verbatim, const char *title, const char *unit,
                     char freq, long line);

/* Sets cell (r, col) of t to value as alm_table_set() does, sharing the
 * text of the row above when it is the same: a file repeats its ids,
 * sources and vintages row after row, and a cell's text is never changed
 * in place (only replaced by another), so one copy serves them all. */
enum alm_status alm__imp_set_repeat(struct alm_table *t, size_t r, size_t col,
                                    const char *value);

/* Adds an observation of series s: period and value as written in the file
 * (trimmed here), status an SDMX or Eurostat code or NULL, unit_mult the
 * power of ten to apply. Errors name line and the fields pfield/vfield.
 * Returns 1 when added (as row b->obs->nrows - 1), 0 when the value is
 * missing (counted in b->skipped), -1 on error. */
int alm__imp_obs(struct imp *im, long s, const char *period, const char *value,
                 const char *status, int unit_mult, long line,
                 const char *pfield, const char *vfield);

/* Normalises a period as publishers write it ("2024Q1", "2024-M03",
 * "2024-W05", "2024-S1", "2024年3月", " 2014 ") to SPEC's grammar in out
 * (ALM_PERIOD_TEXT_MAX bytes); *is_date is set for a YYYY-MM-DD date, which
 * the frequency pass may still map onto a month, quarter or year. */
enum alm_status alm__imp_period(const char *raw, char *out, bool *is_date,
                                struct alm_error *err);

/* Reads a value cell: 1 with the number's text in out (trimmed, a decimal
 * comma turned into a point, unit_mult applied), 0 for a missing value, -1
 * with e filled. im gives the decimal mark (decided by the first number
 * when it is 0). */
int alm__imp_value(struct imp *im, const char *raw, int unit_mult, char *out,
                   size_t size, struct alm_error *e);

/* Maps an SDMX OBS_STATUS or Eurostat flag onto SPEC's statuses ('A', 'P',
 * 'E', 'F', 'B'), or 0 when none fits. */
char alm__imp_status(const char *code);

/* Returns a copy of s without leading and trailing spaces, tabs and
 * no-break spaces (caller frees), or NULL when out of memory. */
char *alm__imp_trim(const char *s);

/* Room for a trimmed cell on the stack (alm__imp_trim_in). */
#define ALM__IMP_SMALL 256

/* Trims s as alm__imp_trim does, into buf (size bytes) when it fits, else
 * into a heap copy; NULL when out of memory. Freed by alm__imp_trim_free. */
char *alm__imp_trim_in(const char *s, char *buf, size_t size);

/* Frees t unless it is buf (alm__imp_trim_in). */
static inline void alm__imp_trim_free(char *t, const char *buf)
{
    if (t != buf)
        free(t);
}

/* Sets the file's source description (any may be NULL to keep it). */
enum alm_status alm__imp_source(struct imp *im, const char *title,
                                const char *publisher, const char *date);

/* A CSV record: n fields, NUL-terminated, and the line it starts on. */
/* Texts at least this long are read on two threads (a test sets it). */
void alm__imp_pipe_min(size_t bytes);

typedef enum alm_status (*imp_record_fn)(void *ctx, char **f, size_t n,
                                         long line);

/* Parses len bytes of CSV with the given delimiter through libcsv, calling
 * fn for every record (blank lines skipped) until it fails or max records
 * have been seen (0: no limit). Errors name the file and line. */
enum alm_status alm__imp_csv_each(const char *data, size_t len, char delim,
                                  const char *name, size_t max,
                                  imp_record_fn fn, void *ctx,
                                  struct alm_error *err);

/* As alm__imp_csv_each(), naming in messages about a field the column of
 * the header that *head (with *nhead names) holds once the reader of ctx
 * has seen it. */
enum alm_status alm__imp_csv_each_named(const char *data, size_t len,
                                        char delim, const char *name,
                                        char **const *head, const size_t *nhead,
                                        imp_record_fn fn, void *ctx,
                                        struct alm_error *err);

/* The readers of each family: they fill im from data (UTF-8, no BOM). */
enum alm_status alm__imp_read_csv(struct imp *im, const char *data, size_t len,
                                  char delim, enum alm_import_format f);
enum alm_status alm__imp_read_jsonstat(struct imp *im, const char *data,
                                       size_t len);
enum alm_status alm__imp_read_nbs(struct imp *im, const char *data, size_t len,
                                  char delim);

/* Detects the format of CSV text from its first records (a wide table
 * when nothing else fits). */
enum alm_import_format alm__imp_detect_csv(const char *data, size_t len,
                                           char delim, const char *name);

/* Converts GB18030 (a superset of GBK) text to UTF-8 with iconv into out.
 * ALM_EINPUT when the text is not GB18030 either. */
enum alm_status alm__imp_gbk_to_utf8(const char *data, size_t len,
                                     struct alm_buf *out,
                                     struct alm_error *err);

/* Once the reader is done (import_finish.c): decides each series'
 * frequency, maps dates onto periods, checks that every period fits
 * --frequency. */
enum alm_status alm__imp_settle_periods(struct imp *im);

/* Then builds b->ind, b->series and the source from the series; data is
 * the file's text, hashed into the source's id. */
enum alm_status alm__imp_finish(struct imp *im, const char *data, size_t len);

#endif
