/* Datasets, private to dataset.c, dataset_load.c and dataset_write.c: the
 * indices a dataset keeps beside its public arrays, the tables' schema, and
 * validation. */
#ifndef ALMANAC_DATASET_INTERNAL_H
#define ALMANAC_DATASET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>

/* What struct alm_dataset's ix points to. */
struct alm__dataset_index {
    /* Indices sorted by id, and where rows appended by an import come from
     * (for messages: rows from origin_from on are origin_name's). */
    size_t *ind_by_id, *src_by_id;
    size_t origin_from;
    const char *origin_name;
    /* Hash tables of the ids, and per indicator its observations and
     * targets (obs_by_ind[obs_start[k] .. obs_start[k + 1]) in file
     * order, likewise tgt_*), built once when the dataset is read. */
    struct alm__idmap *ind_map, *src_map;
    size_t *obs_start, *obs_by_ind, *tgt_start, *tgt_by_ind;
    size_t longest;               /* the most observations of any indicator */
    struct alm__derived *derived; /* formulas and same_as (derive.c) */
    /* Corrections and retractions (correct.c): the columns correction,
     * recorded and note of observations.csv (-1 where missing; amend_on
     * when the first two are not both missing), and the day each amending
     * row was recorded, by row, in file order. */
    long amend_col[3];
    bool amend_on;
    struct alm__amend *amends;
    size_t namends, amends_cap;
    /* The dataset this one was built from by the series pipeline, where
     * derived indicators are computed (derive.h), or NULL. */
    const struct alm_dataset *origin;
};

/* One correction or retraction: where it is and the day it was
 * recorded. */
struct alm__amend {
    size_t row, obs; /* its row, and its index in ds->obs */
    long recorded;
};

/* The columns a new table gets (ncols of them), and how many of them
 * (from the left) a file must have. */
struct alm__schema {
    const char *const *cols;
    size_t ncols, required;
};
extern const struct alm__schema alm__schema[ALM_T_COUNT];

/* Validates every table of ds (already read into ds->tables) and builds its
 * arrays and indices; problems go to report as alm_dataset_read() says.
 * Returns ALM_OK or ALM_EINPUT (ALM_ENOMEM is reported as a problem). */
enum alm_status alm__dataset_load(struct alm_dataset *ds,
                                  const struct alm_problem_sink *report,
                                  struct alm_error *err);

/* Reading observations.csv a stretch at a time (dataset_stream.c), with
 * the checks of alm__dataset_load and no report: the first problem fails
 * the call (ALM_EINPUT), and the caller then reads the whole dataset for
 * the message.
 *
 * alm__dataset_load_head validates ds's tables but the observations (ds
 * has observations.csv's header only); alm__dataset_load_rows validates
 * the rows of ds->tables[ALM_T_OBSERVATIONS] into ds->obs (*cap rows
 * allocated, grown as needed), raising ds->latest; alm__dataset_check_run
 * looks for duplicates among the n observations idx[0..n) (one
 * indicator's, sorted in place by period, vintage and row). */
enum alm_status alm__dataset_load_head(struct alm_dataset *ds,
                                       struct alm_error *err);
enum alm_status alm__dataset_load_rows(struct alm_dataset *ds, size_t *cap,
                                       struct alm_error *err);
enum alm_status alm__dataset_check_run(struct alm_dataset *ds, size_t *idx,
                                       size_t n, struct alm_error *err);

/* A dataset and its index in one block, nothing read; NULL when out of
 * memory. */
struct alm_dataset *alm__dataset_new(const char *dir);

/* Builds the sorted index and the hash table of the indicators' ids (of
 * the sources' with sources). */
enum alm_status alm__index_ids(struct alm_dataset *ds, bool sources);

/* Groups the observations (the targets with targets) by indicator, in file
 * order within each (a counting sort); for observations also finds the
 * longest group. */
enum alm_status alm__group_by_ind(struct alm_dataset *ds, bool targets);

/* Parses and validates the formula and same_as columns of indicators.csv
 * into ds->ix->derived (derive.c), once indicators and observations are
 * loaded; problems go to report as alm__dataset_load() says, the first
 * into err. Returns the number of errors. */
size_t alm__derive_load(struct alm_dataset *ds,
                        const struct alm_problem_sink *report,
                        struct alm_error *err);

/* Frees what alm__derive_load() kept; NULL is a no-op. */
void alm__derive_free(struct alm__derived *d);

struct alm_lock;
struct alm_store_file;
struct alm_buf;

/* Formats the tables which[0..n) of ds, checks that each reads back, and
 * commits them atomically under lock with the change log's new line
 * (what the write was, rows written) (dataset_write.c). */
enum alm_status alm__commit_tables(struct alm_dataset *ds,
                                   const struct alm_lock *lock,
                                   const enum alm_table_id *which, size_t n,
                                   const char *what, size_t rows,
                                   struct alm_error *err);

/* Validates ds after rows were appended to its tables, observations.csv's
 * from row from on, as alm__dataset_load(ds, NULL, err) would (the same
 * first problem), when ds->obs holds the rows before from as reading
 * validated them and no edit changed a row that was there
 * (dataset_write.c): the small tables whole, the new rows only. */
enum alm_status alm__dataset_validate_appended(struct alm_dataset *ds,
                                               size_t from,
                                               struct alm_error *err);

/* The change log (dataset_log.c): *log gets the log of ds's folder with
 * one more line for a write of files[0..n) (the tables it does not write
 * are digested from the folder); hex_of[k], when not NULL, is the digest
 * of files[k], whose data then goes unread. */
enum alm_status alm__log_append(const struct alm_dataset *ds, const char *what,
                                size_t rows, const struct alm_store_file *files,
                                const char (*hex_of)[65], size_t n,
                                struct alm_buf *log, struct alm_error *err);

/* Warns through report for every table whose digest is not the one of the
 * log's last line (edited by hand since); nothing without a log. */
void alm__log_verify(const struct alm_dataset *ds,
                     const struct alm_problem_sink *report);

/* Checks a text given as the option named option (NULL is empty): at most
 * ALM_CSV_FIELD_MAX bytes, valid UTF-8, no control character but tab and
 * LF; the message names the option (dataset_write.c). */
enum alm_status alm__check_option_text(const char *text, const char *option,
                                       struct alm_error *err);

/* Reads the dataset's about.csv (dataset_about.c) into ds->title and
 * ds->description; without the file both stay NULL. */
enum alm_status alm__read_about(struct alm_dataset *ds, struct alm_error *err);

/* Corrections and retractions (correct.c), as dataset_load.c reads
 * observations.csv: alm__amend_begin() finds the columns and forgets
 * earlier rows; alm__amend_row() reads row i's columns correction and
 * recorded into o (o->amend; an amending row's vintage is its own column
 * only, never its source's date) and returns the column at fault (e
 * filled), or NULL; alm__amend_check(), once every row is read and
 * grouped, reports through report (or into err, stopping at the first
 * without one) every amendment of a figure that does not exist, or that
 * follows its retraction. It returns how many errors it found. */
void alm__amend_begin(struct alm_dataset *ds);
const char *alm__amend_row(struct alm_dataset *ds, size_t i,
                           const char *vintage, struct alm_obs *o,
                           struct alm_error *e);
size_t alm__amend_check(const struct alm_dataset *ds,
                        const struct alm_problem_sink *report,
                        struct alm_error *err);

/* alm_dataset_import() that frees t's rows once they are appended (t
 * keeps its header; dataset_write.c), for a caller done with them: a
 * batch's rows are not held twice. */
enum alm_status alm__dataset_import_rows(const char *dir, struct alm_table *t,
                                         const struct alm_import_opts *opts,
                                         struct alm_import_result *res,
                                         struct alm_error *err);

/* alm_dataset_edit() with the change log's WHAT given (NULL: the command
 * of the last edit) (dataset_curate.c). */
enum alm_status alm__dataset_edit(const char *dir, const struct alm_edit *edits,
                                  size_t n, const char *what,
                                  struct alm_error *err);

static inline const char *alm__ind_key(const struct alm_dataset *ds, size_t i)
{
    return ds->ind[i].id;
}

static inline const char *alm__src_key(const struct alm_dataset *ds, size_t i)
{
    return ds->src[i].id;
}

static inline int alm__cmp_long(long a, long b)
{
    return a < b ? -1 : a > b;
}

/* alm_period_compare(a, b) without its calendar arithmetic where it is
 * not needed: periods of months compare by first month, then last (their
 * first and last days follow the months); two days by month, then day. */
static inline int alm__period_cmp(const struct alm_period *a,
                                  const struct alm_period *b)
{
    bool da = a->kind == ALM_PERIOD_DAY, db = b->kind == ALM_PERIOD_DAY;
    if (da != db)
        return alm_period_compare(a, b);
    int c = alm__cmp_long(a->m0, b->m0);
    if (c)
        return c;
    return da ? alm__cmp_long(a->day, b->day) : alm__cmp_long(a->m1, b->m1);
}

#endif
