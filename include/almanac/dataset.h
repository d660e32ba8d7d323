/* Datasets: a folder of four CSV tables (indicators, observations, sources,
 * targets; SPEC.md gives their columns), read, validated and written back.
 *
 * A struct alm_dataset keeps each file as a struct alm_table, the source of
 * truth for rewriting (so values keep their text and unknown columns
 * survive), plus parsed arrays that analysis reads: indicators, sources,
 * observations and targets. Strings in the parsed arrays are borrowed from
 * the tables and live as long as the dataset.
 *
 * Validation reports every problem through a callback (for `check`) or
 * stops at the first (for every other command). Nothing is ever
 * overwritten: writing means appending rows and committing the changed
 * files through the store (store.h), all or nothing. */
#ifndef ALMANAC_DATASET_H
#define ALMANAC_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <almanac/csvio.h>
#include <almanac/error.h>
#include <almanac/kind.h>
#include <almanac/period.h>

/* The largest magnitude of a value or a target (check refuses more):
 * squares and sums of squares of such values, and projections from them,
 * stay far from overflow. */
#define ALM_VALUE_MAX 1e100

enum alm_qualifier {
    ALM_QUAL_NONE,  /* as stated */
    ALM_QUAL_ABOUT, /* ~ */
    ALM_QUAL_GT,    /* > */
    ALM_QUAL_GE,    /* >= */
    ALM_QUAL_LT,    /* < */
    ALM_QUAL_LE     /* <= */
};

/* The four tables, in the order of struct alm_dataset's tables[]. */
enum alm_table_id {
    ALM_T_INDICATORS,
    ALM_T_OBSERVATIONS,
    ALM_T_SOURCES,
    ALM_T_TARGETS,
    ALM_T_COUNT
};

struct alm__dataset_index;

struct alm_indicator {
    const char *id, *title, *unit;
    enum alm_kind kind;
    char freq; /* 'A', 'Q', 'M', 'D', 'P' or 'I' */
    size_t row;
};

struct alm_source {
    const char *id, *title, *publisher;
    long date; /* day number, or ALM_DATE_NONE */
    size_t row;
};

/* One row of observations.csv, 88 bytes (3M rows: 264 MB): the index and
 * the row fit 32 bits, as a dataset holds fewer than 2^32 rows. */
struct alm_obs {
    struct alm_period period;
    double value;
    long vintage; /* the vintage, else the first source's date, else NONE */
    const char *value_text; /* the value as written */
    const char *source;     /* as written: "id" or "id1;id2" */
    const char *quote;
    uint32_t ind; /* index into indicators */
    uint32_t row; /* row in the observations table */
    enum alm_qualifier qual;
    char status; /* 0, or 'A', 'P', 'E', 'F', 'B' */
    /* 0 for a figure; ALM_AMEND_CORRECT or ALM_AMEND_RETRACT for a row
     * that corrects or withdraws the figure of the same indicator, period
     * and vintage (the column correction; alm_obs_recorded() its date). */
    char amend;
};

#define ALM_AMEND_CORRECT 'C'
#define ALM_AMEND_RETRACT 'R'

struct alm_target {
    size_t ind;
    struct alm_period period;
    double value;
    const char *value_text;
    int direction; /* +1 for ">=", -1 for "<=" */
    enum alm_qualifier qual;
    bool has_baseline;
    struct alm_period baseline;
    long announced; /* day number, or ALM_DATE_NONE */
    size_t row;
};

struct alm_dataset {
    char *dir;
    struct alm_table *tables[ALM_T_COUNT];
    struct alm_indicator *ind;
    size_t nind;
    struct alm_source *src;
    size_t nsrc;
    struct alm_obs *obs;
    size_t nobs;
    struct alm_target *tgt;
    size_t ntgt;
    long latest; /* the latest vintage of any observation, or NONE */
    /* The title and description of about.csv (owned), NULL without it. */
    char *title, *description;
    struct alm__dataset_index *ix; /* private (engine/dataset_internal.h) */
};

/* Receives one problem found by validation; warning is true for problems
 * that do not make the dataset invalid (an unknown vintage, two sources
 * that disagree). */
struct alm_problem_sink {
    void (*fn)(void *ctx, const struct alm_error *problem, bool warning);
    void *ctx;
};

/* The file names of the tables, "indicators.csv" etc. */
extern const char *const alm_table_files[ALM_T_COUNT];

/* Creates the dataset folder dir (which must not exist, or be empty) with
 * the four files holding only their headers. */
enum alm_status alm_dataset_create(const char *dir, struct alm_error *err);

/* The file of a dataset's title and description, "about.csv": a header
 * "title,description" and one row. It is not one of the four tables. */
extern const char *const alm_about_file;

/* alm_dataset_create(), then, when title or description is given and not
 * empty, about.csv with them. A title is one line; both are checked as
 * option texts (the message names --title or --description). */
enum alm_status alm_dataset_create_about(const char *dir, const char *title,
                                         const char *description,
                                         struct alm_error *err);

/* Gives the dataset in dir a new title and description (NULL keeps the
 * one it has, "" empties it) in about.csv, creating the file if needed and
 * keeping its other columns: one write under the folder's lock, with a
 * line "about" in the change log. Checked as alm_dataset_create_about()
 * checks them; the dataset must be valid. */
enum alm_status alm_dataset_set_about(const char *dir, const char *title,
                                      const char *description,
                                      struct alm_error *err);

/* Reads and validates the dataset in dir. With report NULL the first
 * problem fails the call; with a report every problem and warning is passed
 * to it, and the call fails (with the first problem in err) if any was not
 * a warning. The caller holds the folder's lock (alm_store_lock). On
 * success *out holds the dataset; free it with alm_dataset_free(). */
enum alm_status alm_dataset_read(const char *dir,
                                 const struct alm_problem_sink *report,
                                 struct alm_dataset **out,
                                 struct alm_error *err);

/* Builds a dataset from the texts of its four files held in memory:
 * data[i] (len[i] bytes) is the file alm_table_files[i]; dir is used in
 * messages only and nothing is read from or written to disk (tests and
 * fuzzers use it). The first problem of a file that does not parse fails
 * the call; otherwise as alm_dataset_read(). */
enum alm_status alm_dataset_parse(const char *dir,
                                  const char *const data[ALM_T_COUNT],
                                  const size_t len[ALM_T_COUNT],
                                  const struct alm_problem_sink *report,
                                  struct alm_dataset **out,
                                  struct alm_error *err);

/* Reads the dataset in dir as a reader: takes the folder's lock shared
 * (completing any commit a killed writer left), reads, releases the lock.
 * As alm_dataset_read() otherwise. */
enum alm_status alm_dataset_open(const char *dir,
                                 const struct alm_problem_sink *report,
                                 struct alm_dataset **out,
                                 struct alm_error *err);

/* Frees ds; NULL is a no-op. */
void alm_dataset_free(struct alm_dataset *ds);

/* Returns the index of the indicator id, or -1. */
long alm_dataset_find_indicator(const struct alm_dataset *ds, const char *id);

/* Turns the n indicator ids of a command line into indices (*out, caller
 * frees; *nout of them); no ids means every indicator, in file order. An
 * unknown id is ALM_EINPUT. */
enum alm_status alm_dataset_pick(const struct alm_dataset *ds, char *const *ids,
                                 size_t n, size_t **out, size_t *nout,
                                 struct alm_error *err);

/* The observations of indicator ind (indices into ds->obs, in file order,
 * every vintage): *idx points into the dataset (valid while it lives) and
 * *n gets their number. */
void alm_dataset_obs_of(const struct alm_dataset *ds, size_t ind,
                        const size_t **idx, size_t *n);

/* The targets of indicator ind (indices into ds->tgt, in file order), as
 * alm_dataset_obs_of(). */
void alm_dataset_targets_of(const struct alm_dataset *ds, size_t ind,
                            const size_t **idx, size_t *n);

/* The most observations any one indicator has (every vintage): no series
 * of the dataset is longer, so workspaces sized by it fit every series. */
size_t alm_dataset_longest(const struct alm_dataset *ds);

/* Returns the index of the source id, or -1. */
long alm_dataset_find_source(const struct alm_dataset *ds, const char *id);

/* Returns the text of column col of an observation's row ("" if the
 * dataset has no such column). */
const char *alm_obs_cell(const struct alm_dataset *ds, const struct alm_obs *o,
                         const char *col);

/* Selects the observations of indicator ind that analysis uses as of the
 * date as_of (a day number; ALM_DATE_NONE means no limit): per period, the
 * latest vintage not after as_of; among rows of one period and vintage, the
 * unqualified one, else the first in the file. A correction recorded not
 * after as_of replaces the figure of its period and vintage (the latest
 * correction wins), a retraction withdraws it (the period then falls back
 * to its latest earlier vintage); recorded after as_of, neither counts.
 * With all_vintages, every figure of every vintage not after as_of is
 * kept instead, each as corrected (a retracted one left out). Writes indices
 * into ds->obs, sorted by period then vintage, to *out (caller frees) and their
 * number to *n. */
enum alm_status alm_dataset_series(const struct alm_dataset *ds, size_t ind,
                                   long as_of, bool all_vintages, size_t **out,
                                   size_t *n, struct alm_error *err);

/* Every row of indicator ind not after as_of, for show --vintages: each
 * figure of every vintage, then the corrections and retractions of that
 * figure in the order they were recorded (rows recorded after as_of are
 * left out). Sorted by period, vintage, then figures before amendments,
 * as alm_dataset_series() otherwise. */
enum alm_status alm_dataset_history(const struct alm_dataset *ds, size_t ind,
                                    long as_of, size_t **out, size_t *n,
                                    struct alm_error *err);

/* The day a correction or a retraction was recorded (its column
 * recorded), or ALM_DATE_NONE for a figure. */
long alm_obs_recorded(const struct alm_dataset *ds, const struct alm_obs *o);

/* Parses an --as-of option: NULL or "" gives ds->latest (the default of
 * SPEC.md); else a date. */
enum alm_status alm_dataset_as_of(const struct alm_dataset *ds,
                                  const char *text, long *as_of,
                                  struct alm_error *err);

/* The name of a kind ("share") and of a qualifier (">="). */
const char *alm_kind_name(enum alm_kind kind);
const char *alm_qualifier_text(enum alm_qualifier q);

/* Parses a kind name; ALM_EINPUT for an unknown one. */
enum alm_status alm_kind_parse(const char *text, enum alm_kind *out,
                               struct alm_error *err);

/* One observation to append, as text, as a user gives it to `add`. NULL
 * fields are empty. */
struct alm_obs_input {
    const char *indicator, *period, *value, *qualifier, *status, *source,
        *vintage, *quote;
    const char *note; /* the column note, beside SPEC.md's (add --note) */
};

/* Appends one observation to the dataset in dir: takes the write lock,
 * validates the row against the dataset (the indicator and sources must
 * exist), and commits observations.csv atomically. A bad field fails with
 * err->field naming the option ("--period"). */
enum alm_status alm_dataset_add(const char *dir, const struct alm_obs_input *in,
                                struct alm_error *err);

/* The indicator and the source `add` creates with its observation when
 * their fields are given (NULL fields are not given; the ids are the
 * observation's indicator and source). */
struct alm_add_create {
    const char *title, *unit, *kind, *frequency, *scope, *notes;
    const char *source_title, *source_publisher, *source_date, *source_location;
};

/* alm_dataset_add(), also creating in the same write the indicator when
 * any of c's indicator fields is given, and the source when any of its
 * source_ fields is (c may be NULL). An indicator or a source that exists
 * already is left as it is when the fields given are its own, and is
 * ALM_EINPUT naming the first that differs (and 'almanac indicator set' or
 * 'almanac source set') otherwise. Messages name the options of add. */
enum alm_status alm_dataset_add_with(const char *dir,
                                     const struct alm_obs_input *in,
                                     const struct alm_add_create *c,
                                     struct alm_error *err);

struct alm_import_opts {
    const char *kind;    /* kind of indicators created, NULL for "value" */
    const char *vintage; /* vintage for rows that have none, or NULL */
    bool dry_run;        /* validate only */
    /* Descriptions of indicators the rows may need (columns id, title,
     * unit, kind, frequency; empty cells as for a plain import), or NULL:
     * an indicator created for an id listed here takes its title, unit,
     * kind (unless kind is set) and frequency (unless empty). */
    const struct alm_table *indicators;
    /* A source to add when the dataset lacks it ({id, title, publisher,
     * date}), or NULL. */
    const char *const *source;
    /* Skip rows whose (indicator, period) the dataset already holds from
     * the same source: importing a file twice then adds nothing, and
     * writes nothing when nothing is new. */
    bool skip_present;
    /* Take off the formula guard of Almanac's own CSV exports (csvio.h,
     * alm_csv_unguard) from every cell: set for the long CSV format. */
    bool unguard;
};

struct alm_import_result {
    size_t observations; /* rows appended */
    size_t indicators;   /* indicators created */
    size_t present;      /* rows skipped as already present */
    size_t sources;      /* sources created */
};

/* Appends the observations of the long-format CSV table t (the columns of
 * observations.csv; indicator, period and value required; other columns
 * kept) to the dataset in dir, creating missing indicators. All rows valid
 * or nothing written: errors name t's file, line and field. */
enum alm_status alm_dataset_import(const char *dir, const struct alm_table *t,
                                   const struct alm_import_opts *opts,
                                   struct alm_import_result *res,
                                   struct alm_error *err);

/* As alm_dataset_import(), also appending, in the same atomic commit, the
 * rows of extra[ALM_T_INDICATORS], extra[ALM_T_SOURCES] and
 * extra[ALM_T_TARGETS] (each NULL or a table whose columns are matched by
 * header name; extra[ALM_T_OBSERVATIONS] is ignored) to those tables, all
 * validated together. Indicators given there are not created again from
 * the observations; res->indicators counts them too. */
enum alm_status
alm_dataset_import_with(const char *dir, const struct alm_table *t,
                        const struct alm_import_opts *opts,
                        const struct alm_table *const extra[ALM_T_COUNT],
                        struct alm_import_result *res, struct alm_error *err);

/* ---- curation: changes to the tables by command ------------------------ */

/* One field of an edit: the column, its new text (NULL or "" is empty) and
 * the option it came from, which messages name ("--title"). */
struct alm_field {
    const char *col, *value, *option;
};

/* One change to one table: a new row (key NULL), or new values for the
 * fields of the row whose id is key (indicators and sources only; the id
 * itself never changes). Columns the table lacks are added. */
struct alm_edit {
    enum alm_table_id table;
    const char *key;
    const struct alm_field *fields;
    size_t nfields;
    /* With key (indicators and sources): create the row key names if the
     * table lacks it; if it has it, the fields given must be its own (then
     * nothing changes), else the edit fails naming the first that differs. */
    bool ensure;
};

/* Applies the n edits to the dataset in dir, in order, as one write: takes
 * the write lock, validates the whole dataset after the edits exactly as
 * check does, and commits the changed files atomically through the store;
 * nothing is written on any error. A problem with a field given by an edit
 * names its option in err->field (no file); a row that key names but the
 * table lacks is ALM_EINPUT naming the command that creates it. */
enum alm_status alm_dataset_edit(const char *dir, const struct alm_edit *edits,
                                 size_t n, struct alm_error *err);

/* ---- corrections and retractions ---------------------------------------- */

/* A correction or a retraction of one figure, as a user gives it to
 * `correct` or `retract` (NULL fields are empty). The figure is the one of
 * indicator, period and vintage (vintage NULL: the period's only vintage).
 * A correction gives the corrected value (and optionally qualifier,
 * status, quote) with the source that corrects it or a note why (without
 * source, the figure's own source is kept); a retraction needs a note,
 * its reason. recorded is the day it is recorded (NULL: today, UTC). */
struct alm_amendment {
    bool retract;
    const char *indicator, *period, *vintage;
    const char *value, *qualifier, *status, *source, *quote, *note;
    const char *recorded;
};

/* What alm_dataset_amend() wrote: the vintage of the figure amended as
 * written in the new row, and the value of that row (the corrected value,
 * or the value withdrawn). */
struct alm_amend_result {
    char vintage[32];
    char value[64];
};

/* Appends the correction or retraction a to observations.csv of the
 * dataset in dir as a new row (columns correction, recorded and note;
 * README, "Corrections and retractions"), never rewriting a row:
 * validated as check validates the dataset, committed atomically with a
 * line in the change log ("correct" or "retract"). A figure that does not
 * exist is ALM_EINPUT naming indicator, period and vintage and the command
 * that lists them; a problem with a field names its option. res may be
 * NULL. */
enum alm_status alm_dataset_amend(const char *dir,
                                  const struct alm_amendment *a,
                                  struct alm_amend_result *res,
                                  struct alm_error *err);

/* The change log, "changes.log": one line per write (dataset_log.c has
 * its format). */
extern const char *const alm_log_file;

/* Appends the change log of the dataset in dir to out (nothing when it has
 * none), under the folder's shared lock. */
enum alm_status alm_dataset_log(const char *dir, struct alm_buf *out,
                                struct alm_error *err);

/* The command that creates a row of table id ("almanac indicator add"). */
const char *alm_table_creator(enum alm_table_id id);
#endif
