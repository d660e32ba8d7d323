/* Datasets: reading, validating, selecting vintages, appending. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/dataset.h>
#include <almanac/store.h>

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

static const struct {
    const char *const *cols;
    size_t ncols, required;
} schema[ALM_T_COUNT] = {
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

static enum alm_status parse_qualifier(const char *text,
                                       enum alm_qualifier *out,
                                       struct alm_error *err)
{
    char q[80];
    for (size_t i = 0; i < sizeof qual_texts / sizeof qual_texts[0]; i++) {
        if (strcmp(text, qual_texts[i]) == 0) {
            *out = (enum alm_qualifier)i;
            return ALM_OK;
        }
    }
    return alm_fail(err, ALM_EINPUT,
                    "unknown qualifier '%s': expected empty, ~, >, >=, < or <=",
                    alm_error_quote(text, q, sizeof q));
}

/* ---- validation context ------------------------------------------------ */

struct vctx {
    struct alm_dataset *ds;
    const struct alm_problem_sink *report;
    struct alm_error *err; /* the first error */
    size_t nerrors;
};

/* Records a problem at (name, line, field). Returns true when validation
 * must stop (no report callback and the problem is an error). */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static bool
problem(struct vctx *v, const char *name, long line, const char *field,
        bool warning, const char *fmt, ...)
{
    struct alm_error e;
    va_list ap;
    alm_error_clear(&e);
    e.status = ALM_EINPUT;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    alm_error_locate(&e, name, line, field);
    if (warning) {
        if (v->report)
            v->report->fn(v->report->ctx, &e, true);
        return false;
    }
    if (v->nerrors++ == 0 && v->err && v->err->status == ALM_OK)
        *v->err = e;
    if (v->report) {
        v->report->fn(v->report->ctx, &e, false);
        return false;
    }
    return true;
}

/* Records the error a parser left in e, located at (name, line, field). */
static bool problem_from(struct vctx *v, const char *name, long line,
                         const char *field, const struct alm_error *e)
{
    return problem(v, name, line, field, false, "%s", e->msg);
}

/* The name and line that messages about row i of table t use. */
static void row_origin(const struct alm_dataset *ds, enum alm_table_id id,
                       size_t i, const char **name, long *line)
{
    const struct alm_table *t = ds->tables[id];
    *name = t->name;
    *line = t->lines[i];
    if (id == ALM_T_OBSERVATIONS && i >= ds->origin_from) {
        *name = ds->origin_name;
        if (!*name)
            *line = 0;
    }
}

/* ---- lookups ----------------------------------------------------------- */

static const struct alm_dataset *sort_ds;

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

static const char *ind_key(const struct alm_dataset *ds, size_t i)
{
    return ds->ind[i].id;
}

static const char *src_key(const struct alm_dataset *ds, size_t i)
{
    return ds->src[i].id;
}

long alm_dataset_find_indicator(const struct alm_dataset *ds, const char *id)
{
    if (ds->ind_map)
        return alm__idmap_find(ds->ind_map, id);
    return find_sorted(ds->ind_by_id, ds->nind, id, ind_key, ds);
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
    if (ds->src_map)
        return alm__idmap_find(ds->src_map, id);
    return find_sorted(ds->src_by_id, ds->nsrc, id, src_key, ds);
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

void alm_dataset_obs_of(const struct alm_dataset *ds, size_t ind,
                        const size_t **idx, size_t *n)
{
    if (!ds->obs_start || ind >= ds->nind) {
        *idx = ds->obs_by_ind;
        *n = 0;
        return;
    }
    *idx = ds->obs_by_ind + ds->obs_start[ind];
    *n = ds->obs_start[ind + 1] - ds->obs_start[ind];
}

void alm_dataset_targets_of(const struct alm_dataset *ds, size_t ind,
                            const size_t **idx, size_t *n)
{
    if (!ds->tgt_start || ind >= ds->nind) {
        *idx = ds->tgt_by_ind;
        *n = 0;
        return;
    }
    *idx = ds->tgt_by_ind + ds->tgt_start[ind];
    *n = ds->tgt_start[ind + 1] - ds->tgt_start[ind];
}

size_t alm_dataset_longest(const struct alm_dataset *ds)
{
    return ds->longest;
}

/* ---- the tables -------------------------------------------------------- */

static bool check_columns(struct vctx *v, enum alm_table_id id)
{
    const struct alm_table *t = v->ds->tables[id];
    bool ok = true;
    for (size_t j = 0; j < schema[id].required; j++) {
        if (alm_table_col(t, schema[id].cols[j]) < 0) {
            ok = false;
            if (problem(v, t->name, 1, NULL, false,
                        "missing column '%s': the header must name %s",
                        schema[id].cols[j],
                        id == ALM_T_INDICATORS ? "id,title,unit,kind,frequency"
                        : id == ALM_T_OBSERVATIONS ? "indicator,period,value"
                        : id == ALM_T_SOURCES      ? "id,title,publisher,date"
                                                   : "indicator,period,value,"
                                                     "comparator"))
                return false;
        }
    }
    return ok;
}

/* Reports an id that breaks the grammar of SPEC.md. */
static bool bad_id(struct vctx *v, const char *name, long line, const char *id)
{
    char q[300];
    return problem(v, name, line, "id", false,
                   "bad id '%s': expected lower-case letters, digits, '.', "
                   "'_' or '-', starting with a letter or digit, at most 128 "
                   "bytes",
                   alm_error_quote(id, q, sizeof q));
}

static size_t ind_row(const struct alm_dataset *ds, size_t i)
{
    return ds->ind[i].row;
}

static size_t src_row(const struct alm_dataset *ds, size_t i)
{
    return ds->src[i].row;
}

/* Reports every id that appears twice in table t, whose n entries idx
 * holds sorted by id (key and row read an entry), at its later line. */
static bool check_unique(struct vctx *v, const struct alm_table *t,
                         const size_t *idx, size_t n,
                         const char *(*key)(const struct alm_dataset *, size_t),
                         size_t (*row)(const struct alm_dataset *, size_t))
{
    for (size_t k = 1; k < n; k++) {
        const char *id = key(v->ds, idx[k]);
        if (strcmp(key(v->ds, idx[k - 1]), id) != 0)
            continue;
        size_t ra = row(v->ds, idx[k - 1]), rb = row(v->ds, idx[k]);
        size_t later = ra > rb ? ra : rb, first = ra > rb ? rb : ra;
        if (problem(v, t->name, t->lines[later], "id", false,
                    "duplicate id '%s' (first on line %ld)", id,
                    t->lines[first]))
            return true;
    }
    return false;
}

static bool load_indicators(struct vctx *v)
{
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
    long cid = alm_table_col(t, "id"), ctitle = alm_table_col(t, "title"),
         cunit = alm_table_col(t, "unit"), ckind = alm_table_col(t, "kind"),
         cfreq = alm_table_col(t, "frequency");
    free(ds->ind);
    ds->nind = 0;
    ds->ind = calloc(t->nrows ? t->nrows : 1, sizeof *ds->ind);
    if (!ds->ind)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    for (size_t i = 0; i < t->nrows; i++) {
        struct alm_indicator in = {0};
        struct alm_error e;
        char q[300];
        long line = t->lines[i];
        alm_error_clear(&e);
        in.id = alm_table_cell(t, i, cid);
        in.title = alm_table_cell(t, i, ctitle);
        in.unit = alm_table_cell(t, i, cunit);
        in.row = i;
        const char *freq = alm_table_cell(t, i, cfreq);
        if (!alm__id_valid(in.id)) {
            if (bad_id(v, t->name, line, in.id))
                return true;
            continue;
        }
        if (!in.title[0]) {
            if (problem(v, t->name, line, "title", false, "empty title"))
                return true;
            continue;
        }
        if (alm_kind_parse(alm_table_cell(t, i, ckind), &in.kind, &e) !=
            ALM_OK) {
            if (problem_from(v, t->name, line, "kind", &e))
                return true;
            continue;
        }
        if (strlen(freq) != 1 || !strchr("AQMDPI", freq[0])) {
            if (problem(v, t->name, line, "frequency", false,
                        "unknown frequency '%s': expected A, Q, M, D, P or I",
                        alm_error_quote(freq, q, sizeof q)))
                return true;
            continue;
        }
        in.freq = freq[0];
        ds->ind[ds->nind++] = in;
    }
    if (build_index(ds, &ds->ind_by_id, ds->nind, cmp_ind_id) != ALM_OK ||
        build_map(ds, &ds->ind_map, ds->nind, ind_key) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return check_unique(v, t, ds->ind_by_id, ds->nind, ind_key, ind_row);
}

static bool load_sources(struct vctx *v)
{
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_SOURCES];
    long cid = alm_table_col(t, "id"), ctitle = alm_table_col(t, "title"),
         cpub = alm_table_col(t, "publisher"), cdate = alm_table_col(t, "date");
    free(ds->src);
    ds->nsrc = 0;
    ds->src = calloc(t->nrows ? t->nrows : 1, sizeof *ds->src);
    if (!ds->src)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    for (size_t i = 0; i < t->nrows; i++) {
        struct alm_source s = {0};
        struct alm_error e;
        long line = t->lines[i];
        alm_error_clear(&e);
        s.id = alm_table_cell(t, i, cid);
        s.title = alm_table_cell(t, i, ctitle);
        s.publisher = alm_table_cell(t, i, cpub);
        s.row = i;
        const char *date = alm_table_cell(t, i, cdate);
        if (!alm__id_valid(s.id)) {
            if (bad_id(v, t->name, line, s.id))
                return true;
            continue;
        }
        s.date = ALM_DATE_NONE;
        if (date[0] && alm_date_parse(date, &s.date, &e) != ALM_OK) {
            if (problem_from(v, t->name, line, "date", &e))
                return true;
            continue;
        }
        ds->src[ds->nsrc++] = s;
    }
    if (build_index(ds, &ds->src_by_id, ds->nsrc, cmp_src_id) != ALM_OK ||
        build_map(ds, &ds->src_map, ds->nsrc, src_key) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return check_unique(v, t, ds->src_by_id, ds->nsrc, src_key, src_row);
}

/* Checks a list of source ids "a;b"; sets *first_date to the first
 * source's date. Returns false (with e filled) on an unknown or bad id. */
static bool check_sources(const struct alm_dataset *ds, const char *list,
                          long *first_date, struct alm_error *e)
{
    char id[160], q[200];
    const char *p = list;
    bool first = true;
    *first_date = ALM_DATE_NONE;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        if (n == 0 || n >= sizeof id) {
            alm_fail(e, ALM_EINPUT,
                     "bad source list '%s': expected ids "
                     "separated by ';'",
                     alm_error_quote(list, q, sizeof q));
            return false;
        }
        memcpy(id, p, n);
        id[n] = '\0';
        long k = alm_dataset_find_source(ds, id);
        if (k < 0) {
            alm_fail(e, ALM_EINPUT,
                     "unknown source '%s': add it to sources.csv first",
                     alm_error_quote(id, q, sizeof q));
            return false;
        }
        if (first)
            *first_date = ds->src[k].date;
        first = false;
        p += n;
        if (*p == ';') {
            p++;
            if (!*p) {
                alm_fail(e, ALM_EINPUT,
                         "bad source list '%s': it ends "
                         "with ';'",
                         alm_error_quote(list, q, sizeof q));
                return false;
            }
        }
    }
    return true;
}

/* Checks that value v is possible for an indicator of kind k. */
static bool check_kind(enum alm_kind k, double x, struct alm_error *e)
{
    /* Beyond it, fits and projections overflow (squares, growth). */
    if (fabs(x) > ALM_VALUE_MAX) {
        alm_fail(e, ALM_EINPUT,
                 "%g is beyond the limit of a value, %g either way: give it "
                 "in a larger unit",
                 x, ALM_VALUE_MAX);
        return false;
    }
    if ((k == ALM_KIND_LEVEL || k == ALM_KIND_COUNT) && x < 0) {
        alm_fail(e, ALM_EINPUT, "a %s cannot be negative, got %g",
                 alm_kind_name(k), x);
        return false;
    }
    if (k == ALM_KIND_SHARE && (x < 0 || x > 100)) {
        alm_fail(e, ALM_EINPUT, "a share is a percent from 0 to 100, got %g",
                 x);
        return false;
    }
    return true;
}

/* Checks that period p fits the frequency of indicator in. */
static bool check_freq(const struct alm_indicator *in,
                       const struct alm_period *p, const char *text,
                       struct alm_error *e)
{
    char q[80];
    char f = alm_period_freq(p);
    if (in->freq == 'I' ? f == 'P' : f != in->freq) {
        alm_fail(e, ALM_EINPUT,
                 "period '%s' does not fit indicator '%s' of frequency %c",
                 alm_error_quote(text, q, sizeof q), in->id, in->freq);
        return false;
    }
    return true;
}

/* Checks the part observations and targets share: the indicator exists,
 * the period parses and fits its frequency, the value is a finite number
 * its kind allows. Returns the column at fault (e filled), or NULL with
 * *ind, *period and *value written. */
static const char *check_figure(const struct alm_dataset *ds, const char *id,
                                const char *period_text, const char *value_text,
                                size_t *ind, struct alm_period *period,
                                double *value, struct alm_error *e)
{
    char q[300];
    long k = alm_dataset_find_indicator(ds, id);
    if (k < 0) {
        alm_fail(e, ALM_EINPUT,
                 "unknown indicator '%s': add it to indicators.csv first",
                 alm_error_quote(id, q, sizeof q));
        return "indicator";
    }
    *ind = (size_t)k;
    if (alm_period_parse(period_text, period, e) != ALM_OK ||
        !check_freq(&ds->ind[k], period, period_text, e))
        return "period";
    if (alm__parse_number(value_text, value, e) != ALM_OK ||
        !check_kind(ds->ind[k].kind, *value, e))
        return "value";
    return NULL;
}

static int cmp_long(long a, long b)
{
    return a < b ? -1 : a > b;
}

static int cmp_obs_key(const void *a, const void *b)
{
    const struct alm_obs *x = &sort_ds->obs[*(const size_t *)a];
    const struct alm_obs *y = &sort_ds->obs[*(const size_t *)b];
    alm__ops++;
    int c = cmp_long((long)x->ind, (long)y->ind);
    if (!c)
        c = alm_period_compare(&x->period, &y->period);
    if (!c)
        c = cmp_long(x->vintage, y->vintage);
    if (!c)
        c = cmp_long((long)x->row, (long)y->row);
    return c;
}

/* Empties e as alm_error_clear() does, without writing all its bytes
 * (done once per observation row). */
static void error_reset(struct alm_error *e)
{
    e->status = ALM_OK;
    e->file[0] = e->field[0] = e->msg[0] = '\0';
    e->line = 0;
    e->origin = NULL;
}

/* A warning that would repeat for every row, counted per file: the file
 * (as row_origin names it), the first line and how many rows. An import
 * involves two files at most (the dataset's and the imported one). */
#define TALLY_FILES 2

struct tally {
    const char *name;
    long line;
    size_t count;
};

static void tally_add(struct tally *t, const char *name, long line)
{
    for (size_t k = 0; k < TALLY_FILES; k++) {
        if (t[k].count && t[k].name == name) {
            t[k].count++;
            return;
        }
        if (!t[k].count) {
            t[k] = (struct tally){name, line, 1};
            return;
        }
    }
}

/* Figures of one period and vintage from different sources are each
 * reported up to this many times; the rest are counted in one warning. */
#define SAME_VINTAGE_SHOWN 10

static bool load_observations(struct vctx *v)
{
    struct tally undated[TALLY_FILES] = {{NULL, 0, 0}, {NULL, 0, 0}};
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    long cind = alm_table_col(t, "indicator"),
         cper = alm_table_col(t, "period"), cval = alm_table_col(t, "value"),
         cqual = alm_table_col(t, "qualifier"),
         cstat = alm_table_col(t, "status"), csrc = alm_table_col(t, "source"),
         cvin = alm_table_col(t, "vintage"), cquote = alm_table_col(t, "quote");
    free(ds->obs);
    ds->nobs = 0;
    ds->latest = ALM_DATE_NONE;
    ds->obs = calloc(t->nrows ? t->nrows : 1, sizeof *ds->obs);
    if (!ds->obs)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    bool show = t->nrows >= ALM__PROGRESS_MIN / 8;
    for (size_t i = 0; i < t->nrows; i++) {
        if (show && i % (ALM__PROGRESS_MIN / 8) == 0)
            alm__progress("checking observations", i, t->nrows);
        struct alm_obs o = {0};
        struct alm_error e;
        const char *name;
        long line;
        char q[300];
        row_origin(ds, ALM_T_OBSERVATIONS, i, &name, &line);
        error_reset(&e);
        const char *id = alm_table_cell(t, i, cind);
        const char *period = alm_table_cell(t, i, cper);
        const char *status = alm_table_cell(t, i, cstat);
        const char *vintage = alm_table_cell(t, i, cvin);
        o.row = i;
        o.value_text = alm_table_cell(t, i, cval);
        o.source = alm_table_cell(t, i, csrc);
        o.quote = alm_table_cell(t, i, cquote);
        const char *field = check_figure(ds, id, period, o.value_text, &o.ind,
                                         &o.period, &o.value, &e);
        if (field) {
            /* reported below */
        } else if (parse_qualifier(alm_table_cell(t, i, cqual), &o.qual, &e) !=
                   ALM_OK) {
            field = "qualifier";
        } else if (status[0] && (status[1] || !strchr("APEFB", status[0]))) {
            field = "status";
            alm_fail(&e, ALM_EINPUT,
                     "unknown status '%s': expected empty, A, P, E, F or B",
                     alm_error_quote(status, q, sizeof q));
        } else if (!check_sources(ds, o.source, &o.vintage, &e)) {
            field = "source";
        } else if (vintage[0] &&
                   alm_date_parse(vintage, &o.vintage, &e) != ALM_OK) {
            field = "vintage";
        }
        if (field) {
            if (problem_from(v, name, line, field, &e))
                return true;
            continue;
        }
        o.status = status[0];
        if (o.vintage == ALM_DATE_NONE) {
            tally_add(undated, name, line);
        } else if (ds->latest == ALM_DATE_NONE || o.vintage > ds->latest) {
            ds->latest = o.vintage;
        }
        ds->obs[ds->nobs++] = o;
    }
    if (show)
        alm__progress("checking observations", t->nrows, t->nrows);

    /* Rows without a publication date: one warning per file, with a
     * count, rather than one per row. */
    for (size_t k = 0; k < TALLY_FILES && undated[k].count; k++) {
        bool one = undated[k].count == 1;
        if (one && problem(v, undated[k].name, undated[k].line, "vintage", true,
                           "publication date unknown: the vintage is empty "
                           "and so is the source's date"))
            return true;
        if (!one &&
            problem(v, undated[k].name, undated[k].line, "vintage", true,
                    "publication date unknown for %zu rows, the first on "
                    "this line: their vintage is empty and so is their "
                    "source's date; give them a vintage, or their source a "
                    "date in sources.csv",
                    undated[k].count))
            return true;
    }

    /* The rows of each indicator, once; then duplicates: sort by
     * (indicator, period, vintage, row), that is each indicator's rows on
     * their own. */
    if (group_by_ind(ds, ds->nobs, obs_ind, &ds->obs_start, &ds->obs_by_ind,
                     &ds->longest) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    size_t *idx = malloc((ds->nobs ? ds->nobs : 1) * sizeof *idx);
    if (!idx)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    memcpy(idx, ds->obs_by_ind, ds->nobs * sizeof *idx);
    sort_ds = ds;
    for (size_t k = 0; k < ds->nind; k++)
        qsort(idx + ds->obs_start[k], ds->obs_start[k + 1] - ds->obs_start[k],
              sizeof *idx, cmp_obs_key);
    sort_ds = NULL;
    bool stop = false;
    size_t same = 0; /* periods with figures from different sources */
    struct tally more = {NULL, 0, 0};
    for (size_t a = 0; a < ds->nobs && !stop;) {
        size_t b = a + 1;
        const struct alm_obs *oa = &ds->obs[idx[a]];
        while (b < ds->nobs && ds->obs[idx[b]].ind == oa->ind &&
               alm_period_compare(&ds->obs[idx[b]].period, &oa->period) == 0 &&
               ds->obs[idx[b]].vintage == oa->vintage)
            b++;
        /* Rows a..b-1 share indicator, period and vintage. */
        for (size_t j = a + 1; j < b && !stop; j++) {
            const struct alm_obs *oj = &ds->obs[idx[j]];
            const char *name, *fname;
            long line, fline;
            row_origin(ds, ALM_T_OBSERVATIONS, oj->row, &name, &line);
            bool dup = false;
            for (size_t i = a; i < j && !dup; i++) {
                const struct alm_obs *oi = &ds->obs[idx[i]];
                if (strcmp(oi->source, oj->source) == 0) {
                    dup = true;
                    row_origin(ds, ALM_T_OBSERVATIONS, oi->row, &fname, &fline);
                    stop = problem(v, name, line, NULL, false,
                                   "duplicate observation: %s %s from '%s' "
                                   "with this vintage is already on line %ld "
                                   "of %s",
                                   ds->ind[oj->ind].id,
                                   alm_table_cell(t, oj->row, cper), oj->source,
                                   fline, fname ? fname : "the dataset");
                }
            }
            if (!dup && j == a + 1 && ++same > SAME_VINTAGE_SHOWN) {
                if (!more.count)
                    more = (struct tally){name, line, 0};
                more.count++;
            } else if (!dup && j == a + 1)
                stop = problem(v, name, line, NULL, true,
                               "%s %s has %zu figures of the same vintage from "
                               "different sources: analysis uses the "
                               "unqualified one, else the first",
                               ds->ind[oj->ind].id,
                               alm_table_cell(t, oj->row, cper), b - a);
        }
        a = b;
    }
    if (!stop && more.count)
        stop = problem(v, more.name, more.line, NULL, true,
                       "%zu more periods have figures of the same vintage "
                       "from different sources, the first on this line "
                       "(the first %d are shown above)",
                       more.count, SAME_VINTAGE_SHOWN);
    free(idx);
    return stop;
}

static bool load_targets(struct vctx *v)
{
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_TARGETS];
    long cind = alm_table_col(t, "indicator"),
         cper = alm_table_col(t, "period"), cval = alm_table_col(t, "value"),
         ccmp = alm_table_col(t, "comparator"),
         cqual = alm_table_col(t, "qualifier"),
         cbase = alm_table_col(t, "baseline"),
         cann = alm_table_col(t, "announced"),
         csrc = alm_table_col(t, "source");
    free(ds->tgt);
    ds->ntgt = 0;
    ds->tgt = calloc(t->nrows ? t->nrows : 1, sizeof *ds->tgt);
    if (!ds->tgt)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    for (size_t i = 0; i < t->nrows; i++) {
        struct alm_target g = {0};
        struct alm_error e;
        char q[300];
        long line = t->lines[i];
        long srcdate;
        alm_error_clear(&e);
        const char *id = alm_table_cell(t, i, cind);
        const char *period = alm_table_cell(t, i, cper);
        const char *cmp = alm_table_cell(t, i, ccmp);
        const char *base = alm_table_cell(t, i, cbase);
        const char *ann = alm_table_cell(t, i, cann);
        const char *src = alm_table_cell(t, i, csrc);
        const char *field = NULL;
        g.row = i;
        g.value_text = alm_table_cell(t, i, cval);
        g.announced = ALM_DATE_NONE;
        field = check_figure(ds, id, period, g.value_text, &g.ind, &g.period,
                             &g.value, &e);
        if (field) {
            /* reported below */
        } else if (strcmp(cmp, ">=") != 0 && strcmp(cmp, "<=") != 0) {
            field = "comparator";
            alm_fail(&e, ALM_EINPUT,
                     cmp[0] ? "unknown comparator '%s': expected >= or <="
                            : "missing comparator%s: expected >= or <=",
                     alm_error_quote(cmp, q, sizeof q));
        } else if (parse_qualifier(alm_table_cell(t, i, cqual), &g.qual, &e) !=
                   ALM_OK) {
            field = "qualifier";
        } else if (base[0] &&
                   alm_period_parse(base, &g.baseline, &e) != ALM_OK) {
            field = "baseline";
        } else if (ann[0] && alm_date_parse(ann, &g.announced, &e) != ALM_OK) {
            field = "announced";
        } else if (src[0] && !check_sources(ds, src, &srcdate, &e)) {
            field = "source";
        }
        if (field) {
            if (problem_from(v, t->name, line, field, &e))
                return true;
            continue;
        }
        g.direction = cmp[0] == '>' ? 1 : -1;
        g.has_baseline = base[0] != '\0';
        ds->tgt[ds->ntgt++] = g;
    }
    if (group_by_ind(ds, ds->ntgt, tgt_ind, &ds->tgt_start, &ds->tgt_by_ind,
                     NULL) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return false;
}

/* Validates every table of ds; returns ALM_OK or ALM_EINPUT. */
static enum alm_status load_all(struct alm_dataset *ds,
                                const struct alm_problem_sink *report,
                                struct alm_error *err)
{
    struct vctx v = {ds, report, err, 0};
    bool cols_ok = true;
    for (int id = 0; id < ALM_T_COUNT; id++)
        if (!check_columns(&v, (enum alm_table_id)id)) {
            cols_ok = false;
            if (!report)
                return ALM_EINPUT;
        }
    if (!cols_ok)
        return ALM_EINPUT;
    if (load_indicators(&v) || load_sources(&v) || load_observations(&v) ||
        load_targets(&v))
        return ALM_EINPUT;
    return v.nerrors ? ALM_EINPUT : ALM_OK;
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
    free(ds->ind_by_id);
    free(ds->src_by_id);
    alm__idmap_free(ds->ind_map);
    alm__idmap_free(ds->src_map);
    free(ds->obs_start);
    free(ds->obs_by_ind);
    free(ds->tgt_start);
    free(ds->tgt_by_ind);
    free(ds->dir);
    free(ds);
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
    struct alm_dataset *ds = calloc(1, sizeof *ds);
    if (!ds || !(ds->dir = alm__strdup(dir))) {
        free(ds);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    ds->origin_from = (size_t)-1;
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
        st = load_all(ds, report, err);
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
    struct alm_dataset *ds = calloc(1, sizeof *ds);
    if (!ds || !(ds->dir = alm__strdup(dir))) {
        free(ds);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    ds->origin_from = (size_t)-1;
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        st = path_of(&path, dir, alm_table_files[i], err);
        if (st == ALM_OK && len[i] > (size_t)ALM_CSV_FILE_MAX)
            st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %ld bytes",
                          path.s, ALM_CSV_FILE_MAX);
        if (st == ALM_OK)
            st = alm_table_parse(data[i], len[i], path.s, &ds->tables[i], err);
    }
    if (st == ALM_OK)
        st = load_all(ds, report, err);
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
        struct alm_table *t =
            alm_table_new(alm_table_files[i], schema[i].ncols, schema[i].cols);
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

/* Orders a series: period, then latest vintage first, then unqualified
 * first, then file order. */
static int cmp_pick(const void *a, const void *b)
{
    const struct alm_obs *x = &sort_ds->obs[*(const size_t *)a];
    const struct alm_obs *y = &sort_ds->obs[*(const size_t *)b];
    alm__ops++;
    int c = alm_period_compare(&x->period, &y->period);
    if (!c)
        c = -cmp_long(x->vintage, y->vintage);
    if (!c)
        c = cmp_long(x->qual != ALM_QUAL_NONE, y->qual != ALM_QUAL_NONE);
    if (!c)
        c = cmp_long((long)x->row, (long)y->row);
    return c;
}

/* Orders all vintages: period, then vintage, then file order. */
static int cmp_all(const void *a, const void *b)
{
    const struct alm_obs *x = &sort_ds->obs[*(const size_t *)a];
    const struct alm_obs *y = &sort_ds->obs[*(const size_t *)b];
    alm__ops++;
    int c = alm_period_compare(&x->period, &y->period);
    if (!c)
        c = cmp_long(x->vintage, y->vintage);
    if (!c)
        c = cmp_long((long)x->row, (long)y->row);
    return c;
}

enum alm_status alm_dataset_series(const struct alm_dataset *ds, size_t ind,
                                   long as_of, bool all_vintages, size_t **out,
                                   size_t *n, struct alm_error *err)
{
    size_t m = 0, nrows;
    const size_t *rows;
    alm_dataset_obs_of(ds, ind, &rows, &nrows);
    size_t *idx = malloc((nrows ? nrows : 1) * sizeof *idx);
    if (!idx)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    alm__ops += nrows;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = rows[r];
        const struct alm_obs *o = &ds->obs[i];
        if (as_of != ALM_DATE_NONE && o->vintage != ALM_DATE_NONE &&
            o->vintage > as_of)
            continue;
        idx[m++] = i;
    }
    sort_ds = ds;
    qsort(idx, m, sizeof *idx, all_vintages ? cmp_all : cmp_pick);
    sort_ds = NULL;
    if (!all_vintages) {
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (k == 0 || alm_period_compare(&ds->obs[idx[k - 1]].period,
                                             &ds->obs[idx[i]].period) != 0)
                idx[k++] = idx[i];
        m = k;
    }
    *out = idx;
    *n = m;
    return ALM_OK;
}

/* ---- appending ----------------------------------------------------------- */

/* Sets column col of the last row of t, adding the column if needed. */
static enum alm_status set_last(struct alm_table *t, const char *col,
                                const char *value)
{
    long j;
    if (!value || !*value) /* a new row's cells are empty already */
        return ALM_OK;
    if (alm_table_add_column(t, col, &j) != ALM_OK)
        return ALM_ENOMEM;
    return alm_table_set(t, t->nrows - 1, (size_t)j, value);
}

/* Checks that the new text of a dataset file is one that reading accepts
 * (csvio.h): no more columns and bytes than the limits allow, and, as a
 * last guard, that it parses back. A write must never leave a dataset that
 * no command can open. */
static enum alm_status check_writable(const struct alm_table *t,
                                      const struct alm_buf *text,
                                      const char *name, struct alm_error *err)
{
    struct alm_error e;
    if (t->ncols > ALM_CSV_COLS_MAX)
        return alm_fail(err, ALM_EINPUT,
                        "the new %s would have %zu columns; the limit is %d",
                        name, t->ncols, ALM_CSV_COLS_MAX);
    if (text->len > (size_t)ALM_CSV_FILE_MAX)
        return alm_fail(err, ALM_EINPUT,
                        "the new %s would be %zu bytes long; the limit is %ld "
                        "bytes",
                        name, text->len, ALM_CSV_FILE_MAX);
    alm_error_clear(&e);
    enum alm_status st = alm__table_check(text->s, text->len, name, &e);
    if (st == ALM_ENOMEM)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st != ALM_OK) {
        char msg[700];
        alm_error_format(&e, msg, sizeof msg);
        return alm_fail(err, ALM_EBUG,
                        "refusing to write a file that cannot be read back: "
                        "%s",
                        msg);
    }
    return ALM_OK;
}

/* Commits the tables listed in which[] (n of them). */
static enum alm_status commit_tables(struct alm_dataset *ds,
                                     const struct alm_lock *lock,
                                     const enum alm_table_id *which, size_t n,
                                     struct alm_error *err)
{
    struct alm_buf text[ALM_T_COUNT] = {ALM_BUF_INIT, ALM_BUF_INIT,
                                        ALM_BUF_INIT, ALM_BUF_INIT};
    struct alm_store_file files[ALM_T_COUNT];
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        if (alm_table_format(ds->tables[which[i]], &text[i]) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        if (st == ALM_OK)
            st = check_writable(ds->tables[which[i]], &text[i],
                                alm_table_files[which[i]], err);
        files[i].name = alm_table_files[which[i]];
        files[i].data = text[i].s;
        files[i].len = text[i].len;
    }
    if (st == ALM_OK)
        st = alm_store_commit(lock, files, n, err);
    for (size_t i = 0; i < n; i++)
        alm_buf_release(&text[i]);
    return st;
}

/* Checks a text given as an option for what a dataset file cannot hold:
 * more than ALM_CSV_FIELD_MAX bytes, invalid UTF-8 (argv cannot hold a
 * NUL), or a control character but tab and LF. The message names the
 * option. */
/* The code of the control character at s (one byte, or C1 in UTF-8). */
static unsigned control_code(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return u[0] == 0xC2 ? u[1] : u[0];
}

/* The offset of the first control character of the valid UTF-8 text s
 * other than tab and LF (C0, DEL, C1 U+0080-U+009F), or -1. */
static long control_at(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F ||
            (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return (long)(p - (const unsigned char *)s);
    return -1;
}

static enum alm_status check_option_text(const char *text, const char *option,
                                         struct alm_error *err)
{
    enum alm_status st;
    long bad;
    size_t n = text ? strlen(text) : 0;
    if (n > ALM_CSV_FIELD_MAX)
        st = alm_fail(err, ALM_EINPUT, "%zu bytes long; the limit is %d bytes",
                      n, ALM_CSV_FIELD_MAX);
    else if (!alm__utf8_valid(text ? text : "", n))
        st = alm_fail(err, ALM_EINPUT, "invalid UTF-8");
    else if ((bad = control_at(text ? text : "")) >= 0)
        st = alm_fail(err, ALM_EINPUT,
                      "holds the control character U+%04X at byte %ld: a text "
                      "may hold tabs and line breaks (LF), no other control "
                      "character (a terminal would run an ESC sequence)",
                      control_code(text + bad), bad + 1);
    else
        return ALM_OK;
    alm_error_locate(err, NULL, 0, option);
    return st;
}

enum alm_status alm_dataset_add(const char *dir, const struct alm_obs_input *in,
                                struct alm_error *err)
{
    struct alm_lock *lock = NULL;
    struct alm_dataset *ds = NULL;
    struct alm_error e;
    const char *const texts[] = {in->indicator, in->period, in->value,
                                 in->qualifier, in->status, in->source,
                                 in->vintage,   in->quote};
    const char *const options[] = {"--indicator", "--period", "--value",
                                   "--qualifier", "--status", "--source",
                                   "--vintage",   "--quote"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (check_option_text(texts[i], options[i], err) != ALM_OK)
            return ALM_EINPUT;
    enum alm_status st = alm_store_lock(dir, true, &lock, err);
    if (st != ALM_OK)
        return st;
    st = alm_dataset_read(dir, NULL, &ds, err);
    if (st != ALM_OK)
        goto done;
    struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    ds->origin_from = t->nrows;
    ds->origin_name = NULL;
    if (alm_table_add_row(t, 0) != ALM_OK ||
        set_last(t, "indicator", in->indicator) != ALM_OK ||
        set_last(t, "period", in->period) != ALM_OK ||
        set_last(t, "value", in->value) != ALM_OK ||
        set_last(t, "qualifier", in->qualifier) != ALM_OK ||
        set_last(t, "status", in->status) != ALM_OK ||
        set_last(t, "source", in->source) != ALM_OK ||
        set_last(t, "vintage", in->vintage) != ALM_OK ||
        set_last(t, "quote", in->quote) != ALM_OK) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    alm_error_clear(&e);
    st = load_all(ds, NULL, &e);
    if (st != ALM_OK) {
        /* The row came from options: name the option, not a file. */
        if (err && err->status == ALM_OK) {
            *err = e;
            if (e.field[0]) {
                size_t n = strlen(e.field);
                if (n > sizeof err->field - 3)
                    n = sizeof err->field - 3;
                memcpy(err->field, "--", 2);
                memcpy(err->field + 2, e.field, n);
                err->field[n + 2] = '\0';
            }
            err->file[0] = '\0';
            err->line = 0;
        }
        goto done;
    }
    enum alm_table_id which[] = {ALM_T_OBSERVATIONS};
    st = commit_tables(ds, lock, which, 1, err);
done:
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    return st;
}

/* Folds the frequency of one more period p into f, the frequency a new
 * indicator's rows gave so far (0 before the first): one kind of period
 * gives its letter, a mix gives 'I', and spans mixed with anything else
 * give 'X' (no frequency fits them all; it stays). */
static char fold_freq(char f, const struct alm_period *p)
{
    char g = alm_period_freq(p);
    if (f == 'X')
        return f;
    if (!f || f == g)
        return g;
    return g == 'P' || f == 'P' ? 'X' : 'I';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Builds the sorted keys "indicator\037period" of the rows of ot whose
 * source is src (*keys, *n; caller frees each key and the array). */
static enum alm_status present_keys(const struct alm_table *ot, const char *src,
                                    char ***keys, size_t *n,
                                    struct alm_error *err)
{
    long ci = alm_table_col(ot, "indicator"), cp = alm_table_col(ot, "period"),
         cs = alm_table_col(ot, "source");
    *keys = NULL;
    *n = 0;
    if (cs < 0)
        return ALM_OK;
    char **k = malloc((ot->nrows ? ot->nrows : 1) * sizeof *k);
    if (!k)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t r = 0; r < ot->nrows; r++) {
        if (strcmp(alm_table_cell(ot, r, cs), src) != 0)
            continue;
        struct alm_buf b = ALM_BUF_INIT;
        if (alm_buf_printf(&b, "%s\037%s", alm_table_cell(ot, r, ci),
                           alm_table_cell(ot, r, cp)) != ALM_OK) {
            for (size_t i = 0; i < *n; i++)
                free(k[i]);
            free(k);
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        }
        k[(*n)++] = alm_buf_detach(&b);
    }
    qsort(k, *n, sizeof *k, cmp_str);
    *keys = k;
    return ALM_OK;
}

/* Adds to ds an indicator for every id of t that it lacks, in the order
 * of their first rows, described by opts->indicators where it has them;
 * their frequencies come from one pass over t. */
static enum alm_status create_indicators(struct alm_dataset *ds,
                                         const struct alm_table *t,
                                         enum alm_kind kind,
                                         const struct alm_import_opts *opts,
                                         size_t *created, struct alm_error *err)
{
    struct alm_table *it = ds->tables[ALM_T_INDICATORS];
    long cind = alm_table_col(t, "indicator"),
         cper = alm_table_col(t, "period");
    char q[300];
    enum alm_status st = ALM_OK;
    *created = 0;
    /* The new ids (borrowed from t), the row each first appears on, and
     * the frequency their periods give. */
    struct alm__idmap *seen = alm__idmap_new(64);
    size_t nnew = 0, cap = 0, *first = NULL;
    char *freq = NULL;
    /* The rows of the descriptions table by id (the first of an id wins,
     * as a search from the top would find). */
    const struct alm_table *dt = opts->indicators;
    struct alm__idmap *described = dt ? alm__idmap_new(dt->nrows) : NULL;
    long cdid = dt ? alm_table_col(dt, "id") : -1;
    for (size_t r = 0; described && cdid >= 0 && r < dt->nrows; r++) {
        long have;
        if (alm__idmap_put(described, alm_table_cell(dt, r, cdid), r, &have) !=
            ALM_OK) {
            alm__idmap_free(described);
            described = NULL;
            break;
        }
    }
    if (!seen || (dt && !described)) {
        alm__idmap_free(seen);
        alm__idmap_free(described);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        const char *id = alm_table_cell(t, i, cind);
        long have;
        alm__ops++;
        if (alm_dataset_find_indicator(ds, id) >= 0)
            continue;
        if (alm__idmap_put(seen, id, nnew, &have) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        if (have < 0) {
            if (nnew == cap) {
                size_t nc = cap ? 2 * cap : 64;
                size_t *f2 = realloc(first, nc * sizeof *f2);
                if (f2)
                    first = f2;
                char *q2 = f2 ? realloc(freq, nc) : NULL;
                if (!q2) {
                    st = alm_fail(err, ALM_ENOMEM, "out of memory");
                    break;
                }
                freq = q2;
                cap = nc;
            }
            first[nnew] = i;
            freq[nnew] = 0;
            have = (long)nnew++;
        }
        struct alm_period p;
        if (alm_period_parse(alm_table_cell(t, i, cper), &p, NULL) == ALM_OK)
            freq[have] = fold_freq(freq[have], &p);
    }
    for (size_t k = 0; k < nnew && st == ALM_OK; k++) {
        size_t i = first[k];
        const char *id = alm_table_cell(t, i, cind);
        if (!alm__id_valid(id)) {
            st = alm_fail(err, ALM_EINPUT,
                          "bad indicator id '%s': expected lower-case letters, "
                          "digits, '.', '_' or '-', starting with a letter or "
                          "digit, at most 128 bytes",
                          alm_error_quote(id, q, sizeof q));
            alm_error_locate(err, t->name, t->lines[i], "indicator");
            break;
        }
        long drow = described ? alm__idmap_find(described, id) : -1;
        const char *dfreq = drow >= 0
                                ? alm_table_cell(dt, (size_t)drow,
                                                 alm_table_col(dt, "frequency"))
                                : "";
        char f[2] = {dfreq[0] ? dfreq[0] : freq[k] ? freq[k] : 'A', '\0'};
        if (f[0] == 'X') {
            st = alm_fail(err, ALM_EINPUT,
                          "indicator '%s' mixes month spans with other "
                          "periods: no frequency fits; add it to "
                          "indicators.csv first",
                          alm_error_quote(id, q, sizeof q));
            alm_error_locate(err, t->name, t->lines[i], "period");
            break;
        }
        const char *title = id, *unit = "", *kname = alm_kind_name(kind);
        if (drow >= 0) {
            const char *dtitle =
                alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "title"));
            const char *dkind =
                alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "kind"));
            title = dtitle[0] ? dtitle : id;
            unit = alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "unit"));
            if (!opts->kind && dkind[0])
                kname = dkind;
        }
        if (alm_table_add_row(it, 0) != ALM_OK ||
            set_last(it, "id", id) != ALM_OK ||
            set_last(it, "title", title) != ALM_OK ||
            set_last(it, "unit", unit) != ALM_OK ||
            set_last(it, "kind", kname) != ALM_OK ||
            set_last(it, "frequency", f) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        (*created)++;
    }
    alm__idmap_free(seen);
    alm__idmap_free(described);
    free(first);
    free(freq);
    return st;
}

/* Appends the rows of src to ds's table id, columns matched by name
 * (columns ds lacks are added); rows keep src's line numbers. */
static enum alm_status append_rows(struct alm_dataset *ds, enum alm_table_id id,
                                   const struct alm_table *src,
                                   struct alm_error *err)
{
    struct alm_table *dt = ds->tables[id];
    for (size_t i = 0; i < src->nrows; i++) {
        if (alm_table_add_row(dt, src->lines[i]) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        for (size_t j = 0; j < src->ncols; j++) {
            long c;
            if (alm_table_add_column(dt, src->header[j], &c) != ALM_OK ||
                alm_table_set(dt, dt->nrows - 1, (size_t)c,
                              alm_table_cell(src, i, (long)j)) != ALM_OK)
                return alm_fail(err, ALM_ENOMEM, "out of memory");
        }
    }
    return ALM_OK;
}

enum alm_status alm_dataset_import(const char *dir, const struct alm_table *t,
                                   const struct alm_import_opts *opts,
                                   struct alm_import_result *res,
                                   struct alm_error *err)
{
    const struct alm_table *const none[ALM_T_COUNT] = {NULL, NULL, NULL, NULL};
    return alm_dataset_import_with(dir, t, opts, none, res, err);
}

enum alm_status
alm_dataset_import_with(const char *dir, const struct alm_table *t,
                        const struct alm_import_opts *opts,
                        const struct alm_table *const extra[ALM_T_COUNT],
                        struct alm_import_result *res, struct alm_error *err)
{
    static const char *const required[] = {"indicator", "period", "value"};
    struct alm_lock *lock = NULL;
    struct alm_dataset *ds = NULL;
    enum alm_kind kind = ALM_KIND_VALUE;
    long vintage_day;
    size_t created = 0;
    enum alm_status st;

    for (size_t j = 0; j < 3; j++) {
        if (alm_table_col(t, required[j]) < 0) {
            alm_fail(err, ALM_EINPUT,
                     "missing column '%s': the long format has the columns "
                     "of observations.csv (indicator,period,value,...)",
                     required[j]);
            alm_error_locate(err, t->name, 1, NULL);
            return ALM_EINPUT;
        }
    }
    if (opts->kind && alm_kind_parse(opts->kind, &kind, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--kind");
        return ALM_EINPUT;
    }
    if (opts->vintage &&
        alm_date_parse(opts->vintage, &vintage_day, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--vintage");
        return ALM_EINPUT;
    }
    st = alm_store_lock(dir, !opts->dry_run, &lock, err);
    if (st != ALM_OK)
        return st;
    st = alm_dataset_read(dir, NULL, &ds, err);
    if (st != ALM_OK)
        goto done;
    size_t extra_ind = 0;
    for (int x = 0; x < ALM_T_COUNT && st == ALM_OK; x++)
        if (x != ALM_T_OBSERVATIONS && extra[x]) {
            st = append_rows(ds, (enum alm_table_id)x, extra[x], err);
            if (x == ALM_T_INDICATORS)
                extra_ind = extra[x]->nrows;
        }
    if (st == ALM_OK && extra_ind) {
        /* The index by id must see the indicators just appended. */
        st = load_all(ds, NULL, err);
    }
    if (st != ALM_OK)
        goto done;
    st = create_indicators(ds, t, kind, opts, &created, err);
    if (st != ALM_OK)
        goto done;
    size_t src_created = 0;
    const char *src_id = opts->source ? opts->source[0] : NULL;
    if (src_id && alm_dataset_find_source(ds, src_id) < 0) {
        struct alm_table *stab = ds->tables[ALM_T_SOURCES];
        if (alm_table_add_row(stab, 0) != ALM_OK ||
            set_last(stab, "id", src_id) != ALM_OK ||
            set_last(stab, "title", opts->source[1]) != ALM_OK ||
            set_last(stab, "publisher", opts->source[2]) != ALM_OK ||
            set_last(stab, "date", opts->source[3]) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            goto done;
        }
        src_created = 1;
    }
    char **keys = NULL;
    size_t nkeys = 0, present = 0, appended = 0;
    if (opts->skip_present && src_id && !src_created)
        st = present_keys(ds->tables[ALM_T_OBSERVATIONS], src_id, &keys, &nkeys,
                          err);
    if (st != ALM_OK)
        goto done;
    long tind = alm_table_col(t, "indicator"),
         tper = alm_table_col(t, "period"), tsrc = alm_table_col(t, "source");

    struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    long *map = malloc((t->ncols ? t->ncols : 1) * sizeof *map);
    if (!map) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < t->ncols && st == ALM_OK; j++)
        if (alm_table_add_column(ot, t->header[j], &map[j]) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    long cvin = -1;
    if (st == ALM_OK && opts->vintage &&
        alm_table_add_column(ot, "vintage", &cvin) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    ds->origin_from = ot->nrows;
    ds->origin_name = t->name;
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        if (nkeys && strcmp(alm_table_cell(t, i, tsrc), src_id) == 0) {
            struct alm_buf kb = ALM_BUF_INIT;
            if (alm_buf_printf(&kb, "%s\037%s", alm_table_cell(t, i, tind),
                               alm_table_cell(t, i, tper)) != ALM_OK) {
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
                break;
            }
            bool have = bsearch(&kb.s, keys, nkeys, sizeof *keys, cmp_str);
            alm_buf_release(&kb);
            if (have) {
                present++;
                continue;
            }
        }
        appended++;
        if (alm_table_add_row(ot, t->lines[i]) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        size_t r = ot->nrows - 1;
        for (size_t j = 0; j < t->ncols && st == ALM_OK; j++)
            /* An export's formula guard is taken off (csvio.h). */
            if (alm_table_set(
                    ot, r, (size_t)map[j],
                    opts->unguard
                        ? alm_csv_unguard(alm_table_cell(t, i, (long)j))
                        : alm_table_cell(t, i, (long)j)) != ALM_OK)
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
        if (st == ALM_OK && cvin >= 0 && !alm_table_cell(ot, r, cvin)[0] &&
            alm_table_set(ot, r, (size_t)cvin, opts->vintage) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    free(map);
    for (size_t i = 0; i < nkeys; i++)
        free(keys[i]);
    free(keys);
    if (st == ALM_OK)
        st = load_all(ds, NULL, err);
    if (st == ALM_OK && !opts->dry_run &&
        (appended || created || src_created || extra_ind ||
         extra[ALM_T_SOURCES] || extra[ALM_T_TARGETS])) {
        enum alm_table_id which[ALM_T_COUNT] = {ALM_T_OBSERVATIONS};
        size_t nw = 1;
        if (created || extra_ind)
            which[nw++] = ALM_T_INDICATORS;
        if (src_created || extra[ALM_T_SOURCES])
            which[nw++] = ALM_T_SOURCES;
        if (extra[ALM_T_TARGETS])
            which[nw++] = ALM_T_TARGETS;
        st = commit_tables(ds, lock, which, nw, err);
    }
    if (st == ALM_OK && res) {
        res->observations = appended;
        res->indicators = created + extra_ind;
        res->present = present;
        res->sources = src_created;
    }
done:
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    return st;
}
