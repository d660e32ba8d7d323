/* Datasets: reading and freeing, lookups, selecting vintages. Validation
 * is in dataset_load.c, appending (add, import) in dataset_write.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/dataset.h>
#include <almanac/store.h>

#include "dataset_internal.h"
#include "derive_internal.h"
#include "internal.h"

const char *const alm_table_files[ALM_T_COUNT] = {
    "indicators.csv", "observations.csv", "sources.csv", "targets.csv"};

/* The columns init writes, and how many of them (from the left) a file
 * must have. */
static const char *const ind_cols[] = {"id",        "title", "unit", "kind",
                                       "frequency", "scope", "notes"};
static const char *const obs_cols[] = {"indicator", "period", "value",
                                       "qualifier", "status", "source",
                                       "vintage",   "quote"};
static const char *const src_cols[] = {"id", "title", "publisher", "date",
                                       "location"};
static const char *const tgt_cols[] = {"indicator",  "period",    "value",
                                       "comparator", "qualifier", "baseline",
                                       "announced",  "source",    "quote"};

const struct alm__schema alm__schema[ALM_T_COUNT] = {
    {ind_cols, 7, 5},
    {obs_cols, 8, 3},
    {src_cols, 5, 4},
    {tgt_cols, 9, 4},
};

static const char *const kind_names[] = {"level",  "count", "share",
                                         "growth", "index", "value"};
static const char *const qual_texts[] = {"", "~", ">", ">=", "<", "<="};

const char *alm_kind_name(enum alm_kind kind)
{
    return kind_names[kind];
}

const char *alm_qualifier_text(enum alm_qualifier q)
{
    return qual_texts[q];
}

enum alm_status alm_kind_parse(const char *text, enum alm_kind *out,
                               struct alm_error *err)
{
    char q[80];
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(text, kind_names[i]) == 0) {
            *out = (enum alm_kind)i;
            return ALM_OK;
        }
    }
    return alm_fail(err, ALM_EINPUT,
                    "unknown kind '%s': expected level, count, share, growth, "
                    "index or value",
                    alm_error_quote(text, q, sizeof q));
}

/* ---- lookups ----------------------------------------------------------- */

static _Thread_local const struct alm_dataset *sort_ds;

static long find_sorted(const size_t *idx, size_t n, const char *id,
                        const char *(*key)(const struct alm_dataset *, size_t),
                        const struct alm_dataset *ds)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key(ds, idx[mid]), id);
        if (c == 0)
            return (long)idx[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

long alm_dataset_find_indicator(const struct alm_dataset *ds, const char *id)
{
    if (ds->ix->ind_map)
        return alm__idmap_find(ds->ix->ind_map, id);
    return find_sorted(ds->ix->ind_by_id, ds->nind, id, alm__ind_key, ds);
}

enum alm_status alm_dataset_pick(const struct alm_dataset *ds, char *const *ids,
                                 size_t n, size_t **out, size_t *nout,
                                 struct alm_error *err)
{
    size_t m = n ? n : ds->nind;
    size_t *idx = malloc((m ? m : 1) * sizeof *idx);
    if (!idx)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t i = 0; i < m; i++) {
        long k = n ? alm_dataset_find_indicator(ds, ids[i]) : (long)i;
        if (k < 0) {
            char q[200];
            free(idx);
            return alm_fail(err, ALM_EINPUT, "no indicator '%s' in the dataset",
                            alm_error_quote(ids[i], q, sizeof q));
        }
        idx[i] = (size_t)k;
    }
    *out = idx;
    *nout = m;
    return ALM_OK;
}

long alm_dataset_find_source(const struct alm_dataset *ds, const char *id)
{
    if (ds->ix->src_map)
        return alm__idmap_find(ds->ix->src_map, id);
    return find_sorted(ds->ix->src_by_id, ds->nsrc, id, alm__src_key, ds);
}

void alm_dataset_obs_of(const struct alm_dataset *ds, size_t ind,
                        const size_t **idx, size_t *n)
{
    if (!ds->ix->obs_start || ind >= ds->nind) {
        *idx = ds->ix->obs_by_ind;
        *n = 0;
        return;
    }
    *idx = ds->ix->obs_by_ind + ds->ix->obs_start[ind];
    *n = ds->ix->obs_start[ind + 1] - ds->ix->obs_start[ind];
    /* A derived indicator has no rows in the file: those recorded in
     * memory (alm_derive_record) are its group. */
    if (*n == 0)
        alm__derive_recorded_obs(ds, ind, idx, n);
}

void alm_dataset_targets_of(const struct alm_dataset *ds, size_t ind,
                            const size_t **idx, size_t *n)
{
    if (!ds->ix->tgt_start || ind >= ds->nind) {
        *idx = ds->ix->tgt_by_ind;
        *n = 0;
        return;
    }
    *idx = ds->ix->tgt_by_ind + ds->ix->tgt_start[ind];
    *n = ds->ix->tgt_start[ind + 1] - ds->ix->tgt_start[ind];
}

size_t alm_dataset_longest(const struct alm_dataset *ds)
{
    return ds->ix->longest;
}

/* ---- indices ----------------------------------------------------------- */

static int cmp_ind_id(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    alm__ops++;
    return strcmp(sort_ds->ind[*x].id, sort_ds->ind[*y].id);
}

static int cmp_src_id(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    alm__ops++;
    return strcmp(sort_ds->src[*x].id, sort_ds->src[*y].id);
}

/* Sorts an index by id with qsort; the comparison reads the dataset through
 * a file-level pointer because qsort passes no context. Not thread-safe,
 * like the rest of a dataset. */
static enum alm_status build_index(struct alm_dataset *ds, size_t **idx,
                                   size_t n,
                                   int (*cmp)(const void *, const void *))
{
    free(*idx);
    *idx = malloc((n ? n : 1) * sizeof **idx);
    if (!*idx)
        return ALM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        (*idx)[i] = i;
    sort_ds = ds;
    qsort(*idx, n, sizeof **idx, cmp);
    sort_ds = NULL;
    return ALM_OK;
}

/* Builds a hash table of n ids (key(ds, i) for i < n); the first of
 * duplicated ids wins, as check_unique reports the later ones. */
static enum alm_status
build_map(struct alm_dataset *ds, struct alm__idmap **map, size_t n,
          const char *(*key)(const struct alm_dataset *, size_t))
{
    alm__idmap_free(*map);
    *map = alm__idmap_new(n);
    if (!*map)
        return ALM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        long have;
        if (alm__idmap_put(*map, key(ds, i), i, &have) != ALM_OK) {
            alm__idmap_free(*map);
            *map = NULL;
            return ALM_ENOMEM;
        }
    }
    return ALM_OK;
}

/* Groups the n items whose indicator ind_of(ds, i) gives by indicator, in
 * file order within each (a counting sort): items of indicator k are
 * (*by)[(*start)[k] .. (*start)[k + 1]). Returns the largest group's size
 * in *longest (may be NULL). */
static enum alm_status
group_by_ind(const struct alm_dataset *ds, size_t n,
             size_t (*ind_of)(const struct alm_dataset *, size_t),
             size_t **start, size_t **by, size_t *longest)
{
    free(*start);
    free(*by);
    *start = calloc(ds->nind + 1, sizeof **start);
    *by = malloc((n ? n : 1) * sizeof **by);
    if (!*start || !*by) {
        free(*start);
        free(*by);
        *start = *by = NULL;
        return ALM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        (*start)[ind_of(ds, i) + 1]++;
    size_t most = 0;
    for (size_t k = 0; k < ds->nind; k++) {
        if ((*start)[k + 1] > most)
            most = (*start)[k + 1];
        (*start)[k + 1] += (*start)[k];
    }
    /* Fill with a moving cursor per indicator, then shift the cursors
     * back into starts. */
    for (size_t i = 0; i < n; i++)
        (*by)[(*start)[ind_of(ds, i)]++] = i;
    for (size_t k = ds->nind; k > 0; k--)
        (*start)[k] = (*start)[k - 1];
    (*start)[0] = 0;
    alm__ops += n + ds->nind;
    if (longest)
        *longest = most;
    return ALM_OK;
}

static size_t obs_ind(const struct alm_dataset *ds, size_t i)
{
    return ds->obs[i].ind;
}

static size_t tgt_ind(const struct alm_dataset *ds, size_t i)
{
    return ds->tgt[i].ind;
}

enum alm_status alm__index_ids(struct alm_dataset *ds, bool sources)
{
    struct alm__dataset_index *x = ds->ix;
    if (sources)
        return build_index(ds, &x->src_by_id, ds->nsrc, cmp_src_id) != ALM_OK
                   ? ALM_ENOMEM
                   : build_map(ds, &x->src_map, ds->nsrc, alm__src_key);
    return build_index(ds, &x->ind_by_id, ds->nind, cmp_ind_id) != ALM_OK
               ? ALM_ENOMEM
               : build_map(ds, &x->ind_map, ds->nind, alm__ind_key);
}

enum alm_status alm__group_by_ind(struct alm_dataset *ds, bool targets)
{
    struct alm__dataset_index *x = ds->ix;
    if (targets)
        return group_by_ind(ds, ds->ntgt, tgt_ind, &x->tgt_start,
                            &x->tgt_by_ind, NULL);
    return group_by_ind(ds, ds->nobs, obs_ind, &x->obs_start, &x->obs_by_ind,
                        &x->longest);
}

/* ---- reading and freeing ----------------------------------------------- */

void alm_dataset_free(struct alm_dataset *ds)
{
    if (!ds)
        return;
    for (int i = 0; i < ALM_T_COUNT; i++)
        alm_table_free(ds->tables[i]);
    free(ds->ind);
    free(ds->src);
    free(ds->obs);
    free(ds->tgt);
    free(ds->ix->ind_by_id);
    free(ds->ix->src_by_id);
    alm__idmap_free(ds->ix->ind_map);
    alm__idmap_free(ds->ix->src_map);
    free(ds->ix->obs_start);
    free(ds->ix->obs_by_ind);
    free(ds->ix->tgt_start);
    free(ds->ix->tgt_by_ind);
    free(ds->ix->amends);
    alm__derive_free(ds->ix->derived);
    free(ds->dir);
    free(ds->title);
    free(ds->description);
    free(ds); /* and ds->ix, in the same block */
}

struct alm_dataset *alm__dataset_new(const char *dir)
{
    struct block {
        struct alm_dataset ds;
        struct alm__dataset_index ix;
    } *b = calloc(1, sizeof *b);
    if (!b || !(b->ds.dir = alm__strdup(dir))) {
        free(b);
        return NULL;
    }
    b->ds.ix = &b->ix;
    b->ix.origin_from = (size_t)-1;
    return &b->ds;
}

static enum alm_status path_of(struct alm_buf *b, const char *dir,
                               const char *name, struct alm_error *err)
{
    alm_buf_reset(b);
    if (alm_buf_printf(b, "%s/%s", dir, name) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

enum alm_status alm_dataset_read(const char *dir,
                                 const struct alm_problem_sink *report,
                                 struct alm_dataset **out,
                                 struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    struct alm_dataset *ds = alm__dataset_new(dir);
    if (!ds)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    /* With a report, a file that cannot be read is one problem among
     * others: the other files are still read and their problems shown. */
    for (int i = 0; i < ALM_T_COUNT && (st == ALM_OK || report); i++) {
        struct alm_error e;
        enum alm_status r;
        alm_error_clear(&e);
        r = path_of(&path, dir, alm_table_files[i], &e);
        if (r == ALM_OK)
            r = alm_table_read_regular(path.s, &ds->tables[i], &e);
        if (r == ALM_OK)
            continue;
        if (st == ALM_OK && err && err->status == ALM_OK)
            *err = e;
        if (st == ALM_OK)
            st = r;
        if (report)
            report->fn(report->ctx, &e, false);
        if (r == ALM_ENOMEM)
            break;
    }
    if (st == ALM_OK)
        st = alm__dataset_load(ds, report, err);
    if (st == ALM_OK || report) {
        struct alm_error e;
        alm_error_clear(&e);
        enum alm_status r = alm__read_about(ds, &e);
        if (r != ALM_OK && report)
            report->fn(report->ctx, &e, false);
        if (r != ALM_OK && st == ALM_OK && err && err->status == ALM_OK)
            *err = e;
        if (st == ALM_OK)
            st = r;
    }
    if (st == ALM_OK && report)
        alm__log_verify(ds, report);
    alm_buf_release(&path);
    if (st != ALM_OK) {
        alm_dataset_free(ds);
        return st;
    }
    *out = ds;
    return ALM_OK;
}

enum alm_status alm_dataset_parse(const char *dir,
                                  const char *const data[ALM_T_COUNT],
                                  const size_t len[ALM_T_COUNT],
                                  const struct alm_problem_sink *report,
                                  struct alm_dataset **out,
                                  struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    struct alm_dataset *ds = alm__dataset_new(dir);
    if (!ds)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        st = path_of(&path, dir, alm_table_files[i], err);
        if (st == ALM_OK && len[i] > (size_t)ALM_CSV_FILE_MAX)
            st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %ld bytes",
                          path.s, ALM_CSV_FILE_MAX);
        if (st == ALM_OK)
            st = alm_table_parse(data[i], len[i], path.s, &ds->tables[i], err);
    }
    if (st == ALM_OK)
        st = alm__dataset_load(ds, report, err);
    alm_buf_release(&path);
    if (st != ALM_OK) {
        alm_dataset_free(ds);
        return st;
    }
    *out = ds;
    return ALM_OK;
}

enum alm_status alm_dataset_open(const char *dir,
                                 const struct alm_problem_sink *report,
                                 struct alm_dataset **out,
                                 struct alm_error *err)
{
    struct alm_lock *lock = NULL;
    enum alm_status st = alm_store_lock(dir, false, &lock, err);
    if (st == ALM_OK)
        st = alm_dataset_read(dir, report, out, err);
    alm_store_unlock(lock);
    return st;
}

enum alm_status alm_dataset_create(const char *dir, struct alm_error *err)
{
    char q[300];
    struct alm_buf path = ALM_BUF_INIT, text = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return alm_fail(err, ALM_EIO, "cannot create '%s': %s",
                        alm_error_quote(dir, q, sizeof q), strerror(errno));
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        st = path_of(&path, dir, alm_table_files[i], err);
        if (st == ALM_OK && access(path.s, F_OK) == 0)
            st = alm_fail(err, ALM_EINPUT,
                          "'%s' exists already: a dataset is there",
                          alm_error_quote(path.s, q, sizeof q));
    }
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        struct alm_table *t = alm_table_new(
            alm_table_files[i], alm__schema[i].ncols, alm__schema[i].cols);
        alm_buf_reset(&text);
        if (!t || alm_table_format(t, &text) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        alm_table_free(t);
        if (st == ALM_OK)
            st = path_of(&path, dir, alm_table_files[i], err);
        if (st == ALM_OK)
            st = alm_fs_write_atomic(path.s, text.s, text.len, err);
    }
    alm_buf_release(&path);
    alm_buf_release(&text);
    return st;
}

/* ---- selection ----------------------------------------------------------- */

const char *alm_obs_cell(const struct alm_dataset *ds, const struct alm_obs *o,
                         const char *col)
{
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    return alm_table_cell(t, o->row, alm_table_col(t, col));
}

enum alm_status alm_dataset_as_of(const struct alm_dataset *ds,
                                  const char *text, long *as_of,
                                  struct alm_error *err)
{
    if (!text || !*text) {
        *as_of = ds->latest;
        return ALM_OK;
    }
    if (alm_date_parse(text, as_of, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--as-of");
        return ALM_EINPUT;
    }
    return ALM_OK;
}

/* What a selection keeps (alm_dataset_series, alm_dataset_history). */
enum pick { PICK_LATEST, PICK_VINTAGES, PICK_HISTORY };

static _Thread_local enum pick sort_pick;

/* Orders the rows of one period and vintage. For PICK_LATEST and
 * PICK_VINTAGES, amendments first, the latest recorded (then the last in
 * the file) first, so that the first row of a group says what the group
 * is; then figures, unqualified first (PICK_LATEST), then file order. For
 * PICK_HISTORY, figures in file order, then amendments as recorded. */
static int cmp_group(const struct alm_obs *x, const struct alm_obs *y)
{
    int c = alm__cmp_long(x->amend != 0, y->amend != 0);
    if (sort_pick != PICK_HISTORY)
        c = -c;
    if (c)
        return c;
    if (x->amend) {
        c = alm__cmp_long(alm_obs_recorded(sort_ds, x),
                          alm_obs_recorded(sort_ds, y));
        if (!c)
            c = alm__cmp_long((long)x->row, (long)y->row);
        return sort_pick == PICK_HISTORY ? c : -c;
    }
    if (sort_pick == PICK_LATEST)
        c = alm__cmp_long(x->qual != ALM_QUAL_NONE, y->qual != ALM_QUAL_NONE);
    if (!c)
        c = alm__cmp_long((long)x->row, (long)y->row);
    return c;
}

/* Orders a series: period, then vintage (the latest first for
 * PICK_LATEST), then as cmp_group(). */
static int cmp_pick(const void *a, const void *b)
{
    const struct alm_obs *x = &sort_ds->obs[*(const size_t *)a];
    const struct alm_obs *y = &sort_ds->obs[*(const size_t *)b];
    alm__ops++;
    int c = alm__period_cmp(&x->period, &y->period);
    if (!c) {
        c = alm__cmp_long(x->vintage, y->vintage);
        if (sort_pick == PICK_LATEST)
            c = -c;
    }
    if (!c)
        c = cmp_group(x, y);
    return c;
}

static bool same_figure(const struct alm_obs *x, const struct alm_obs *y)
{
    return x->vintage == y->vintage &&
           alm__period_cmp(&x->period, &y->period) == 0;
}

/* Keeps, of idx[0..m) sorted by cmp_pick, what pick says: per period and
 * vintage, the latest correction alone, nothing after a retraction, else
 * the figures; for PICK_LATEST only the first period and vintage left of
 * each period. Returns how many are kept. */
static size_t keep(const struct alm_dataset *ds, size_t *idx, size_t m,
                   enum pick pick)
{
    size_t k = 0;
    for (size_t i = 0; i < m;) {
        const struct alm_obs *head = &ds->obs[idx[i]];
        size_t j = i + 1;
        while (j < m && same_figure(head, &ds->obs[idx[j]]))
            j++;
        bool taken =
            pick == PICK_LATEST && k > 0 &&
            alm__period_cmp(&ds->obs[idx[k - 1]].period, &head->period) == 0;
        if (!taken && head->amend == ALM_AMEND_CORRECT)
            idx[k++] = idx[i];
        else if (!taken && !head->amend)
            for (size_t r = i; r < (pick == PICK_LATEST ? i + 1 : j); r++)
                idx[k++] = idx[r];
        i = j;
    }
    return k;
}

static enum alm_status select_rows(const struct alm_dataset *ds, size_t ind,
                                   long as_of, enum pick pick, size_t **out,
                                   size_t *n, struct alm_error *err)
{
    size_t m = 0, nrows;
    const size_t *rows;
    alm_dataset_obs_of(ds, ind, &rows, &nrows);
    size_t *idx = malloc((nrows ? nrows : 1) * sizeof *idx);
    if (!idx)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    alm__ops += nrows;
    bool amended = false;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = rows[r];
        const struct alm_obs *o = &ds->obs[i];
        if (as_of != ALM_DATE_NONE && o->vintage != ALM_DATE_NONE &&
            o->vintage > as_of)
            continue;
        if (o->amend && as_of != ALM_DATE_NONE &&
            alm_obs_recorded(ds, o) > as_of)
            continue;
        amended = amended || o->amend;
        idx[m++] = i;
    }
    sort_ds = ds;
    sort_pick = pick;
    /* Files usually list a series in order: then one pass says so. */
    size_t sorted = 1;
    while (sorted < m && cmp_pick(&idx[sorted - 1], &idx[sorted]) < 0)
        sorted++;
    if (sorted < m)
        qsort(idx, m, sizeof *idx, cmp_pick);
    sort_ds = NULL;
    if (pick == PICK_LATEST || (pick == PICK_VINTAGES && amended))
        m = keep(ds, idx, m, pick);
    *out = idx;
    *n = m;
    return ALM_OK;
}

enum alm_status alm_dataset_series(const struct alm_dataset *ds, size_t ind,
                                   long as_of, bool all_vintages, size_t **out,
                                   size_t *n, struct alm_error *err)
{
    return select_rows(ds, ind, as_of,
                       all_vintages ? PICK_VINTAGES : PICK_LATEST, out, n, err);
}

enum alm_status alm_dataset_history(const struct alm_dataset *ds, size_t ind,
                                    long as_of, size_t **out, size_t *n,
                                    struct alm_error *err)
{
    return select_rows(ds, ind, as_of, PICK_HISTORY, out, n, err);
}
