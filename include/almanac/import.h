/* Import: the files statistics come in, turned into rows of the long format
 * and appended through the all-or-nothing path of alm_dataset_import().
 *
 * alm_import_load() reads one file, recognises its format from its content
 * (never from its name), and builds a struct alm_import_batch: the rows
 * (indicator, period, value, status, source and, for the long format, the
 * file's other columns), the indicators they need (id, title, unit, kind,
 * frequency) and one source for the file, keyed by a hash of its content
 * and dated by the file's own date (or --vintage), so that importing the
 * same file twice adds nothing the second time. Missing values (empty, NA,
 * ".", "..", ":") are skipped and counted, never invented; any cell that
 * cannot be read fails the whole load with the file, line and field.
 *
 * Formats: long (the columns of observations.csv, with R's and
 * spreadsheets' habits), wide (a column per period or a column per
 * indicator), wdi (World Bank bulk CSV), fred (legacy and current), sdmx
 * (SDMX-CSV 1.0 and 2.0), jsonstat (1.x bundles and 2.0 datasets), ecb (the
 * ECB data portal's CSV) and nbs (National Bureau of Statistics of China
 * exports, GBK or UTF-8). README.md documents how each maps onto ids and
 * periods.
 *
 * Ownership: a batch owns everything it points to; free it with
 * alm_import_batch_free(). */
#ifndef ALMANAC_IMPORT_H
#define ALMANAC_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/error.h>

enum alm_import_format {
    ALM_IMPORT_AUTO,
    ALM_IMPORT_LONG,
    ALM_IMPORT_WIDE,
    ALM_IMPORT_WDI,
    ALM_IMPORT_FRED,
    ALM_IMPORT_SDMX,
    ALM_IMPORT_JSONSTAT,
    ALM_IMPORT_ECB,
    ALM_IMPORT_NBS
};

/* What the user said about the file; zero fields mean "find out". */
struct alm_import_spec {
    enum alm_import_format format;
    char frequency;      /* 'A', 'Q', 'M', 'D', or 0 to infer */
    char delimiter;      /* ',', ';', '\t', ... or 0 to detect */
    char decimal;        /* '.' or ',', or 0 to detect */
    const char *kind;    /* kind of indicators created, NULL: the format's */
    const char *vintage; /* the file's date, overriding its own, or NULL */
    bool dry_run;        /* validate and summarise only */
    /* With a report, every cell or row that cannot be read (up to 100) is
     * passed to it and reading goes on; the load then fails with a summary
     * in err. Without one, the first fails the load. */
    const struct alm_problem_sink *report;
};

/* One series of a batch, for summaries (--dry-run). */
struct alm_import_series {
    char *id, *title, *unit;
    char freq;          /* as it will be created, 0 when left to the dataset */
    size_t nobs;        /* observations */
    char *first, *last; /* earliest and latest period (canonical text) */
};

struct alm_import_batch {
    enum alm_import_format format; /* the format read */
    struct alm_table *obs;         /* rows to append (long format) */
    struct alm_table *ind;         /* id,title,unit,kind,frequency */
    char *source[4]; /* id,title,publisher,date; id NULL if none */
    struct alm_import_series *series;
    size_t nseries;
    size_t skipped; /* missing values skipped */
};

/* The result of alm_import_file(). */
struct alm_import_summary {
    enum alm_import_format format;
    size_t series, observations, skipped;          /* in the file */
    size_t appended, present, indicators, sources; /* in the dataset */
};

/* Parses a --format name ("auto", "fred", ...) into *out; ALM_EINPUT
 * naming the known ones otherwise. */
enum alm_status alm_import_format_parse(const char *text,
                                        enum alm_import_format *out,
                                        struct alm_error *err);

/* The name of a format ("fred"). */
const char *alm_import_format_name(enum alm_import_format f);

/* Reads the file at path ("-" is standard input) as spec says and builds
 * *out (caller frees with alm_import_batch_free). Errors name the file,
 * line and field; a file that looks like another format than the one
 * asked for says which --format to use. */
enum alm_status alm_import_load(const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_batch **out,
                                struct alm_error *err);

/* As alm_import_load(), from len bytes of data; name is used in messages,
 * and dir, when not NULL, is where companion files (World Bank metadata)
 * are looked for. */
enum alm_status alm_import_parse(const char *data, size_t len, const char *name,
                                 const char *dir,
                                 const struct alm_import_spec *spec,
                                 struct alm_import_batch **out,
                                 struct alm_error *err);

/* Frees b; NULL is a no-op. */
void alm_import_batch_free(struct alm_import_batch *b);

/* Loads path and appends its rows to the dataset in dir (all or nothing;
 * with spec->dry_run nothing is written). Rows already in the dataset from
 * the same file (same source, indicator and period) are skipped, so a
 * second import of a file writes nothing at all. Fills *sum; *batch, when
 * not NULL, receives the batch (caller frees): its series and source; its
 * observations went into the dataset (b->obs keeps the header, no rows). */
enum alm_status alm_import_file(const char *dir, const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_summary *sum,
                                struct alm_import_batch **batch,
                                struct alm_error *err);

#endif
