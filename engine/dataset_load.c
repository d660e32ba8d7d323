/* Datasets: validating the four tables and building the parsed arrays,
 * indices and per-indicator groups that analysis reads. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/dataset.h>

#include "csvio_internal.h"
#include "dataset_internal.h"
#include "internal.h"
#include "scan.h"

static enum alm_status parse_qualifier(const char *text,
                                       enum alm_qualifier *out,
                                       struct alm_error *err)
{
    char q[80];
    if (!text[0]) { /* most figures: the text of ALM_QUAL_NONE */
        *out = ALM_QUAL_NONE;
        return ALM_OK;
    }
    for (size_t i = 0; i <= ALM_QUAL_LE; i++) {
        if (strcmp(text, alm_qualifier_text((enum alm_qualifier)i)) == 0) {
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
    if (id == ALM_T_OBSERVATIONS && i >= ds->ix->origin_from) {
        *name = ds->ix->origin_name;
        if (!*name)
            *line = 0;
    }
}

static _Thread_local const struct alm_dataset *sort_ds;

/* ---- the tables -------------------------------------------------------- */

static bool check_columns(struct vctx *v, enum alm_table_id id)
{
    const struct alm_table *t = v->ds->tables[id];
    bool ok = true;
    for (size_t j = 0; j < alm__schema[id].required; j++) {
        if (alm_table_col(t, alm__schema[id].cols[j]) < 0) {
            ok = false;
            if (problem(v, t->name, 1, NULL, false,
                        "missing column '%s': the header must name %s",
                        alm__schema[id].cols[j],
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
    if (alm__index_ids(ds, false) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return check_unique(v, t, ds->ix->ind_by_id, ds->nind, alm__ind_key,
                        ind_row);
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
    if (alm__index_ids(ds, true) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return check_unique(v, t, ds->ix->src_by_id, ds->nsrc, alm__src_key,
                        src_row);
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
                     "unknown source '%s': create it with 'almanac source "
                     "add'",
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
static const char *check_figure_of(const struct alm_dataset *ds, long k,
                                   const char *id, const char *period_text,
                                   const char *value_text, size_t *ind,
                                   struct alm_period *period, double *value,
                                   struct alm_error *e)
{
    char q[300];
    if (k < 0) {
        alm_fail(e, ALM_EINPUT,
                 "unknown indicator '%s': create it with 'almanac "
                 "indicator add'",
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

/* check_figure_of for the indicator id names (k is its index, or -1). */
static const char *check_figure(const struct alm_dataset *ds, const char *id,
                                const char *period_text, const char *value_text,
                                size_t *ind, struct alm_period *period,
                                double *value, struct alm_error *e)
{
    return check_figure_of(ds, alm_dataset_find_indicator(ds, id), id,
                           period_text, value_text, ind, period, value, e);
}

static int cmp_obs_key(const void *a, const void *b)
{
    const struct alm_obs *x = &sort_ds->obs[*(const size_t *)a];
    const struct alm_obs *y = &sort_ds->obs[*(const size_t *)b];
    alm__ops++;
    int c = alm__cmp_long((long)x->ind, (long)y->ind);
    if (!c)
        c = alm__period_cmp(&x->period, &y->period);
    if (!c)
        c = alm__cmp_long(x->vintage, y->vintage);
    if (!c)
        c = alm__cmp_long((long)x->row, (long)y->row);
    return c;
}

/* Sorts idx[0..n) (rows of ds->obs) by indicator, period, vintage and row,
 * unless already in that order: files usually list a series in order,
 * and then one pass says so. Not reentrant (cmp_obs_key reads sort_ds). */
static void sort_obs_keys(struct alm_dataset *ds, size_t *idx, size_t n)
{
    sort_ds = ds;
    size_t in = 1;
    while (in < n && cmp_obs_key(&idx[in - 1], &idx[in]) < 0)
        in++;
    if (in < n)
        qsort(idx, n, sizeof *idx, cmp_obs_key);
    sort_ds = NULL;
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

/* The columns of observations.csv (-1 where a column is missing), and the
 * last valid source list and vintage with what they gave: most rows repeat
 * the row before. */
struct obs_cols {
    long ind, per, val, qual, stat, src, vin, quote;
    const char *last_src, *last_vin;
    long last_src_date, last_vin_day;
    const char *last_id; /* the last row's known indicator, at index */
    size_t last_ind;
};

/* The columns of observations.csv t, with nothing remembered yet. */
static struct obs_cols obs_cols_of(const struct alm_table *t)
{
    return (struct obs_cols){alm_table_col(t, "indicator"),
                             alm_table_col(t, "period"),
                             alm_table_col(t, "value"),
                             alm_table_col(t, "qualifier"),
                             alm_table_col(t, "status"),
                             alm_table_col(t, "source"),
                             alm_table_col(t, "vintage"),
                             alm_table_col(t, "quote"),
                             NULL,
                             NULL,
                             ALM_DATE_NONE,
                             ALM_DATE_NONE,
                             NULL,
                             0};
}

/* True when a (NULL: none) is the text b. The table gives a cell equal
 * to the one above the same text (csvio_internal.h), so a run of equal
 * cells compares pointers. */
static bool same_text(const char *a, const char *b)
{
    return a == b || (a && strcmp(a, b) == 0);
}

/* The text of cell col (-1: none, "") of a row of t, cells its
 * references: alm_table_cell without its checks, once per row. */
static const char *row_cell(const struct alm_table *t, const uint32_t *cells,
                            long col)
{
    return col < 0 ? "" : alm__pool_str(t->pool, cells[col]);
}

/* Validates row i of observations.csv and appends it to ds->obs; counts a
 * row without a date in undated. Returns true when validation must stop. */
static bool load_obs_row(struct vctx *v, struct obs_cols *c, size_t i,
                         struct tally *undated)
{
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct alm_obs o = {0};
    struct alm_error e;
    const char *name;
    long line;
    char q[300];
    row_origin(ds, ALM_T_OBSERVATIONS, i, &name, &line);
    error_reset(&e);
    const uint32_t *cells = t->cells + i * t->ncols;
    alm__ops++; /* the row's cells, read once */
    const char *id = row_cell(t, cells, c->ind);
    const char *period = row_cell(t, cells, c->per);
    const char *status = row_cell(t, cells, c->stat);
    const char *vintage = row_cell(t, cells, c->vin);
    o.row = (uint32_t)i;
    o.value_text = row_cell(t, cells, c->val);
    o.source = row_cell(t, cells, c->src);
    o.quote = row_cell(t, cells, c->quote);
    size_t ind = 0;
    enum alm_qualifier qual = ALM_QUAL_NONE;
    /* Rows come in runs of one indicator: the last row's, if this is. */
    long k = same_text(c->last_id, id) ? (long)c->last_ind
                                       : alm_dataset_find_indicator(ds, id);
    const char *field = check_figure_of(ds, k, id, period, o.value_text, &ind,
                                        &o.period, &o.value, &e);
    o.ind = (uint32_t)ind; /* fewer than 2^32 indicators: see below */
    if (k >= 0) {
        c->last_id = id;
        c->last_ind = (size_t)k;
    }
    if (field) {
        /* reported below */
    } else if (parse_qualifier(row_cell(t, cells, c->qual), &qual, &e) !=
               ALM_OK) {
        field = "qualifier";
    } else if (status[0] && (status[1] || !strchr("APEFB", status[0]))) {
        field = "status";
        alm_fail(&e, ALM_EINPUT,
                 "unknown status '%s': expected empty, A, P, E, F or B",
                 alm_error_quote(status, q, sizeof q));
    } else if (!same_text(c->last_src, o.source) &&
               !check_sources(ds, o.source, &c->last_src_date, &e)) {
        field = "source";
    } else if (vintage[0] && !same_text(c->last_vin, vintage) &&
               alm_date_parse(vintage, &c->last_vin_day, &e) != ALM_OK) {
        field = "vintage";
    }
    if (field) {
        c->last_src = c->last_vin = NULL; /* the cache holds valid texts */
        return problem_from(v, name, line, field, &e);
    }
    c->last_src = o.source;
    o.vintage = c->last_src_date;
    if (vintage[0]) {
        c->last_vin = vintage;
        o.vintage = c->last_vin_day;
    }
    o.status = status[0];
    o.qual = qual;
    if (ds->ix->amend_on) {
        field = alm__amend_row(ds, i, vintage, &o, &e);
        if (field)
            return problem_from(v, name, line, field, &e);
    }
    if (o.vintage == ALM_DATE_NONE) {
        tally_add(undated, name, line);
    } else if (ds->latest == ALM_DATE_NONE || o.vintage > ds->latest) {
        ds->latest = o.vintage;
    }
    ds->obs[ds->nobs++] = o;
    return false;
}

/* Rows without a publication date: one warning per file, with a count,
 * rather than one per row (count of them in file name, the first on
 * line). */
static bool undated_warning(struct vctx *v, const char *name, long line,
                            size_t count)
{
    if (count == 1)
        return problem(v, name, line, "vintage", true,
                       "publication date unknown: the vintage is empty "
                       "and so is the source's date");
    return problem(v, name, line, "vintage", true,
                   "publication date unknown for %zu rows, the first on "
                   "this line: their vintage is empty and so is their "
                   "source's date; give them a vintage, or their source a "
                   "date in sources.csv",
                   count);
}

static bool warn_undated(struct vctx *v, const struct tally *undated)
{
    for (size_t k = 0; k < TALLY_FILES && undated[k].count; k++)
        if (undated_warning(v, undated[k].name, undated[k].line,
                            undated[k].count))
            return true;
    return false;
}

/* The periods with figures of one vintage from different sources past
 * the first SAME_VINTAGE_SHOWN: count of them, the first on line. */
static bool more_warning(struct vctx *v, const char *name, long line,
                         size_t count)
{
    return problem(v, name, line, NULL, true,
                   "%zu more periods have figures of the same vintage "
                   "from different sources, the first on this line "
                   "(the first %d are shown above)",
                   count, SAME_VINTAGE_SHOWN);
}

/* Rows idx[a..b) share indicator, period and vintage: a second row from
 * the same source is a duplicate; rows from other sources are reported
 * (up to SAME_VINTAGE_SHOWN periods, then counted in *same and *more). */
static bool check_same_vintage(struct vctx *v, const size_t *idx, size_t a,
                               size_t b, long cper, size_t *same,
                               struct tally *more)
{
    const struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    bool stop = false;
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
        if (!dup && j == a + 1 && ++*same > SAME_VINTAGE_SHOWN) {
            if (!more->count)
                *more = (struct tally){name, line, 0};
            more->count++;
        } else if (!dup && j == a + 1)
            stop = problem(v, name, line, NULL, true,
                           "%s %s has %zu figures of the same vintage from "
                           "different sources: analysis uses the "
                           "unqualified one, else the first",
                           ds->ind[oj->ind].id,
                           alm_table_cell(t, oj->row, cper), b - a);
    }
    return stop;
}

/* Duplicates and figures of one vintage from different sources: sorts by
 * (indicator, period, vintage, row), that is each indicator's rows on
 * their own, and looks at each run of equal keys. */
static bool check_duplicates(struct vctx *v)
{
    struct alm_dataset *ds = v->ds;
    long cper = alm_table_col(ds->tables[ALM_T_OBSERVATIONS], "period");
    size_t nidx = ds->nobs ? ds->nobs : 1;
    size_t *idx =
        alm__huge_pages(malloc(nidx * sizeof *idx), nidx * sizeof *idx);
    if (!idx)
        return problem(v, ds->tables[ALM_T_OBSERVATIONS]->name, 0, NULL, false,
                       "out of memory");
    memcpy(idx, ds->ix->obs_by_ind, ds->nobs * sizeof *idx);
    for (size_t k = 0; k < ds->nind; k++)
        sort_obs_keys(ds, idx + ds->ix->obs_start[k],
                      ds->ix->obs_start[k + 1] - ds->ix->obs_start[k]);
    bool stop = false;
    size_t same = 0; /* periods with figures from different sources */
    struct tally more = {NULL, 0, 0};
    /* Corrections and retractions share their figure's key on purpose:
     * alm__amend_check() checks them. */
    size_t nfig = ds->nobs;
    if (ds->ix->namends) {
        nfig = 0;
        for (size_t i = 0; i < ds->nobs; i++)
            if (!ds->obs[idx[i]].amend)
                idx[nfig++] = idx[i];
    }
    for (size_t a = 0; a < nfig && !stop;) {
        size_t b = a + 1;
        const struct alm_obs *oa = &ds->obs[idx[a]];
        while (b < nfig && ds->obs[idx[b]].ind == oa->ind &&
               alm__period_cmp(&ds->obs[idx[b]].period, &oa->period) == 0 &&
               ds->obs[idx[b]].vintage == oa->vintage)
            b++;
        if (b > a + 1)
            stop = check_same_vintage(v, idx, a, b, cper, &same, &more);
        a = b;
    }
    if (!stop && more.count)
        stop = more_warning(v, more.name, more.line, more.count);
    free(idx);
    return stop;
}

static bool load_observations(struct vctx *v)
{
    struct tally undated[TALLY_FILES] = {{NULL, 0, 0}, {NULL, 0, 0}};
    struct alm_dataset *ds = v->ds;
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct obs_cols c = obs_cols_of(t);
    free(ds->obs);
    ds->nobs = 0;
    ds->latest = ALM_DATE_NONE;
    if (t->nrows > UINT32_MAX || ds->nind > UINT32_MAX)
        return problem(v, t->name, 0, NULL, false,
                       "%zu rows: a dataset holds fewer than 2^32 "
                       "observations and indicators",
                       t->nrows);
    ds->obs = alm__huge_pages(calloc(t->nrows ? t->nrows : 1, sizeof *ds->obs),
                              (t->nrows ? t->nrows : 1) * sizeof *ds->obs);
    if (!ds->obs)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    alm__amend_begin(ds);
    bool show = t->nrows >= ALM__PROGRESS_MIN / 8;
    for (size_t i = 0; i < t->nrows; i++) {
        if (show && i % (ALM__PROGRESS_MIN / 8) == 0)
            alm__progress("checking observations", i, t->nrows);
        if (load_obs_row(v, &c, i, undated))
            return true;
    }
    if (show)
        alm__progress("checking observations", t->nrows, t->nrows);
    if (warn_undated(v, undated))
        return true;
    /* The rows of each indicator, once. */
    if (alm__group_by_ind(ds, false) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    if (check_duplicates(v))
        return true;
    size_t bad = ds->ix->namends ? alm__amend_check(ds, v->report, v->err) : 0;
    v->nerrors += bad;
    return bad && !v->report;
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
    if (alm__group_by_ind(ds, true) != ALM_OK)
        return problem(v, t->name, 0, NULL, false, "out of memory");
    return false;
}

enum alm_status alm__dataset_load(struct alm_dataset *ds,
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
    if (!v.nerrors || report)
        v.nerrors += alm__derive_load(ds, report, err);
    return v.nerrors ? ALM_EINPUT : ALM_OK;
}

/* ---- reading observations.csv a stretch at a time (dataset_stream.c) ---- */

enum alm_status alm__dataset_load_head(struct alm_dataset *ds,
                                       struct alm_error *err)
{
    struct vctx v = {ds, NULL, err, 0};
    for (int id = 0; id < ALM_T_COUNT; id++)
        if (!check_columns(&v, (enum alm_table_id)id))
            return ALM_EINPUT;
    ds->latest = ALM_DATE_NONE;
    if (load_indicators(&v) || load_sources(&v) || load_targets(&v))
        return ALM_EINPUT;
    if (ds->nind > UINT32_MAX)
        return alm_fail(err, ALM_EINPUT, "too many indicators");
    return v.nerrors ? ALM_EINPUT : ALM_OK;
}

enum alm_status alm__dataset_load_rows(struct alm_dataset *ds, size_t *cap,
                                       struct alm_error *err)
{
    struct vctx v = {ds, NULL, err, 0};
    struct tally undated[TALLY_FILES] = {{NULL, 0, 0}, {NULL, 0, 0}};
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct obs_cols c = obs_cols_of(t);
    ds->nobs = 0;
    if (t->nrows > *cap) {
        struct alm_obs *o = alm__huge_pages(
            realloc(ds->obs, t->nrows * sizeof *o), t->nrows * sizeof *o);
        if (!o)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        ds->obs = o;
        *cap = t->nrows;
    }
    for (size_t i = 0; i < t->nrows; i++)
        if (load_obs_row(&v, &c, i, undated))
            return ALM_EINPUT;
    return ALM_OK;
}

enum alm_status alm__dataset_check_run(struct alm_dataset *ds, size_t *idx,
                                       size_t n, struct alm_error *err)
{
    struct vctx v = {ds, NULL, err, 0};
    long cper = alm_table_col(ds->tables[ALM_T_OBSERVATIONS], "period");
    sort_obs_keys(ds, idx, n);
    size_t same = 0;
    struct tally more = {NULL, 0, 0};
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        const struct alm_obs *oa = &ds->obs[idx[a]];
        while (b < n &&
               alm__period_cmp(&ds->obs[idx[b]].period, &oa->period) == 0 &&
               ds->obs[idx[b]].vintage == oa->vintage)
            b++;
        if (b > a + 1 && check_same_vintage(&v, idx, a, b, cper, &same, &more))
            return ALM_EINPUT;
        a = b;
    }
    return ALM_OK;
}

/* ---- check on the stream (scan.h) ------------------------------------- */

enum alm_status alm__obs_warn_indicator(struct alm_dataset *ds, size_t k,
                                        struct alm__obs_warnings *w,
                                        const struct alm_problem_sink *report)
{
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    const size_t *rows;
    size_t n;
    alm_dataset_obs_of(ds, k, &rows, &n);
    if (n == 0)
        return ALM_OK;
    for (size_t i = 0; i < n; i++)
        if (ds->obs[rows[i]].vintage == ALM_DATE_NONE && !w->undated++) {
            const char *name;
            row_origin(ds, ALM_T_OBSERVATIONS, ds->obs[rows[i]].row, &name,
                       &w->undated_line);
            alm__copy(w->undated_file, sizeof w->undated_file, name);
        }
    size_t *idx = alm__huge_pages(malloc(n * sizeof *idx), n * sizeof *idx);
    if (!idx)
        return ALM_ENOMEM;
    memcpy(idx, rows, n * sizeof *idx);
    /* As check_duplicates does, for this indicator's rows. */
    sort_obs_keys(ds, idx, n);
    struct vctx v = {ds, report, NULL, 0};
    long cper = alm_table_col(t, "period");
    struct tally more = {w->more_file, w->more_line, w->more};
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        const struct alm_obs *oa = &ds->obs[idx[a]];
        while (b < n &&
               alm__period_cmp(&ds->obs[idx[b]].period, &oa->period) == 0 &&
               ds->obs[idx[b]].vintage == oa->vintage)
            b++;
        if (b > a + 1)
            (void)check_same_vintage(&v, idx, a, b, cper, &w->same, &more);
        a = b;
    }
    if (more.count && !w->more) {
        alm__copy(w->more_file, sizeof w->more_file, more.name);
        w->more_line = more.line;
    }
    w->more = more.count;
    free(idx);
    return ALM_OK;
}

void alm__obs_warn_undated(const struct alm__obs_warnings *w,
                           const struct alm_problem_sink *report)
{
    struct vctx v = {NULL, report, NULL, 0};
    if (w->undated)
        (void)undated_warning(&v, w->undated_file, w->undated_line, w->undated);
}

void alm__obs_warn_more(const struct alm__obs_warnings *w,
                        const struct alm_problem_sink *report)
{
    struct vctx v = {NULL, report, NULL, 0};
    if (w->more)
        (void)more_warning(&v, w->more_file, w->more_line, w->more);
}
