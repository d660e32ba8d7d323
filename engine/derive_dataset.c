/* The dataset commands read when derived indicators are declared
 * (derive.h, alm_derive_dataset): the tables as they are, with each
 * derived indicator's figures recorded, per vintage, by the series
 * pipeline (series.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/derive.h>
#include <almanac/series.h>

#include "dataset_internal.h"
#include "derive_internal.h"
#include "internal.h"

/* A copy of table t (through its text, so that every cell is its own). */
static enum alm_status copy_table(const struct alm_table *t,
                                  struct alm_table **out, struct alm_error *err)
{
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_table_format(t, &b);
    if (st == ALM_OK)
        st = alm_table_parse(b.s ? b.s : "", b.len, t->name, out, err);
    alm_buf_release(&b);
    return st;
}

/* Whether value x is one a kind admits (dataset_load.c checks the
 * same): a derived figure outside it is said, not recorded. */
static bool admits(enum alm_kind k, double x)
{
    if (!(x >= -ALM_VALUE_MAX && x <= ALM_VALUE_MAX))
        return false;
    if (k == ALM_KIND_LEVEL || k == ALM_KIND_COUNT)
        return x >= 0;
    if (k == ALM_KIND_SHARE)
        return x >= 0 && x <= 100;
    return true;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* Checks every figure of derived indicator k, as of each vintage of its
 * inputs, against its kind: the pipeline's dataset would refuse one it
 * cannot hold, in words about a file that is not on disk. */
static enum alm_status check_kind(const struct alm_dataset *ds, size_t k,
                                  struct alm_error *err)
{
    size_t *obs = NULL, n = 0, nv = 0;
    if (alm_derive_input_obs(ds, k, &obs, &n) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    long *v = malloc((n + 1) * sizeof *v);
    if (!v) {
        free(obs);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    /* The inputs' distinct known vintages, then no limit. */
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *o = &ds->obs[obs[i]];
        long day = o->amend ? alm_obs_recorded(ds, o) : o->vintage;
        if (day != ALM_DATE_NONE)
            v[nv++] = day;
    }
    free(obs);
    qsort(v, nv, sizeof *v, cmp_long);
    size_t m = 0;
    for (size_t i = 0; i < nv; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    v[m++] = ALM_DATE_NONE;
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < m && st == ALM_OK; i++) {
        long at = v[i];
        struct alm_dseries s = {0};
        st = alm_derive_series(ds, k, at, &s, err);
        for (size_t j = 0; st == ALM_OK && j < s.n; j++) {
            if (admits(ds->ind[k].kind, s.pt[j].value))
                continue;
            char per[ALM_PERIOD_TEXT_MAX], val[40];
            alm_period_format(&s.pt[j].period, per, sizeof per);
            alm_format_double(s.pt[j].value, val, sizeof val);
            const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
            st = alm_fail(err, ALM_EINPUT,
                          "derived indicator '%s': %s gives %s for %s, "
                          "which a %s cannot be: declare it of kind value",
                          ds->ind[k].id, alm_derive_formula(ds, k), val, per,
                          alm_kind_name(ds->ind[k].kind));
            alm_error_locate(err, t->name, t->lines[ds->ind[k].row], "formula");
        }
        alm_dseries_release(&s);
    }
    free(v);
    return st;
}

/* Marks the derived indicators of ind (a copy of ds's indicators.csv):
 * their formula emptied (their figures are recorded now) and their title
 * "TITLE (derived: FORMULA)". */
static enum alm_status mark_indicators(const struct alm_dataset *ds,
                                       struct alm_table *ind)
{
    long cf = alm_table_col(ind, "formula"), ct = alm_table_col(ind, "title");
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < ds->nind && st == ALM_OK; k++) {
        const char *f = alm_derive_formula(ds, k);
        if (!f)
            continue;
        char *title = alm__strdup(ds->ind[k].title);
        if (title)
            title = alm_derive_mark_title(title, f);
        if (!title)
            return ALM_ENOMEM;
        st = alm_table_set(ind, ds->ind[k].row, (size_t)ct, title);
        free(title);
        if (st == ALM_OK)
            st = alm_table_set(ind, ds->ind[k].row, (size_t)cf, "");
    }
    return st;
}

/* Appends the observations of built (the pipeline's dataset of the
 * derived indicators) to obs, column by column name, each quoted as
 * derived by its formula. ALM_ENOMEM only. */
static enum alm_status add_rows(const struct alm_dataset *ds,
                                const struct alm_dataset *built,
                                struct alm_table *obs)
{
    const struct alm_table *t = built->tables[ALM_T_OBSERVATIONS];
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < built->nobs && st == ALM_OK; i++) {
        const struct alm_obs *o = &built->obs[i];
        long k = alm_dataset_find_indicator(ds, built->ind[o->ind].id);
        if (k < 0)
            continue;
        st = alm_table_add_row(obs, 0);
        /* Only the cells the row has: a column the dataset lacks (how a
         * figure was computed, a retraction's) is added only when a row
         * needs it. */
        for (size_t c = 0; c < t->ncols && st == ALM_OK; c++) {
            const char *cell = alm_table_cell(t, o->row, (long)c);
            long to = alm_table_col(obs, t->header[c]);
            if (!cell[0])
                continue;
            if (to < 0 &&
                alm_table_add_column(obs, t->header[c], &to) != ALM_OK)
                return ALM_ENOMEM;
            st = alm_table_set(obs, obs->nrows - 1, (size_t)to, cell);
        }
        if (st == ALM_OK) {
            struct alm_buf q = ALM_BUF_INIT;
            long cq = -1;
            alm_buf_printf(&q, "derived: %s",
                           alm_derive_formula(ds, (size_t)k));
            st = alm_buf_status(&q);
            if (st == ALM_OK)
                st = alm_table_add_column(obs, "quote", &cq);
            if (st == ALM_OK)
                st = alm_table_set(obs, obs->nrows - 1, (size_t)cq, q.s);
            alm_buf_release(&q);
        }
    }
    return st;
}

/* The four texts of the dataset: ds's tables, ind and obs for theirs. */
static enum alm_status parse_built(const struct alm_dataset *ds,
                                   const struct alm_table *ind,
                                   const struct alm_table *obs,
                                   struct alm_dataset **out,
                                   struct alm_error *err)
{
    struct alm_buf text[ALM_T_COUNT];
    const char *data[ALM_T_COUNT];
    size_t len[ALM_T_COUNT];
    enum alm_status st = ALM_OK;
    for (int t = 0; t < ALM_T_COUNT; t++) {
        text[t] = (struct alm_buf)ALM_BUF_INIT;
        const struct alm_table *from = t == ALM_T_INDICATORS ? ind
                                       : t == ALM_T_OBSERVATIONS
                                           ? obs
                                           : ds->tables[t];
        if (st == ALM_OK)
            st = alm_table_format(from, &text[t]);
        data[t] = text[t].s ? text[t].s : "";
        len[t] = text[t].len;
    }
    if (st == ALM_OK)
        st = alm_dataset_parse(ds->dir, data, len, NULL, out, err);
    else
        alm_fail(err, st, "out of memory");
    for (int t = 0; t < ALM_T_COUNT; t++)
        alm_buf_release(&text[t]);
    return st;
}

enum alm_status alm_derive_dataset(const struct alm_dataset *ds,
                                   struct alm_dataset **out,
                                   struct alm_error *err)
{
    *out = NULL;
    size_t *ids = malloc((ds->nind ? ds->nind : 1) * sizeof *ids), n = 0;
    if (!ids)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < ds->nind && st == ALM_OK; k++)
        if (alm_derive_is(ds, k)) {
            ids[n++] = k;
            st = check_kind(ds, k, err);
        }
    if (st != ALM_OK) {
        free(ids);
        return st;
    }
    if (n == 0) {
        free(ids);
        return ALM_OK;
    }
    static const struct alm_series_opts none = {0};
    struct alm_dataset *built = NULL, *d = NULL;
    struct alm_table *ind = NULL, *obs = NULL;
    st =
        alm_series_dataset(ds, ids, n, &none, ALM_DATE_NONE, &built, NULL, err);
    free(ids);
    if (st == ALM_OK)
        st = copy_table(ds->tables[ALM_T_INDICATORS], &ind, err);
    if (st == ALM_OK)
        st = copy_table(ds->tables[ALM_T_OBSERVATIONS], &obs, err);
    if (st == ALM_OK && mark_indicators(ds, ind) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = add_rows(ds, built, obs);
    if (st == ALM_ENOMEM)
        alm_fail(err, st, "out of memory");
    if (st == ALM_OK)
        st = parse_built(ds, ind, obs, &d, err);
    if (st == ALM_OK) {
        d->latest = ds->latest;
        alm_derive_link(d, ds);
        if ((ds->title && !(d->title = alm__strdup(ds->title))) ||
            (ds->description &&
             !(d->description = alm__strdup(ds->description))))
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    alm_dataset_free(built);
    alm_table_free(ind);
    alm_table_free(obs);
    if (st != ALM_OK) {
        alm_dataset_free(d);
        return st;
    }
    *out = d;
    return ALM_OK;
}

/* ---- recorded in place (alm_derive_record) ---------------------------- */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The derived indicators of ids[0..n) (ids NULL: every one) not recorded
 * yet, each once, in indicator order, into *out (*m of them). */
static enum alm_status to_record(const struct alm_dataset *ds,
                                 const size_t *ids, size_t n, size_t **out,
                                 size_t *m)
{
    size_t cap = ids ? n : ds->nind;
    size_t *k = malloc((cap ? cap : 1) * sizeof *k);
    if (!k)
        return ALM_ENOMEM;
    *m = 0;
    for (size_t i = 0; i < cap; i++) {
        size_t j = ids ? ids[i] : i;
        if (j < ds->nind && alm_derive_is(ds, j) && !alm_derive_recorded(ds, j))
            k[(*m)++] = j;
    }
    qsort(k, *m, sizeof *k, cmp_size);
    size_t u = 0;
    for (size_t i = 0; i < *m; i++)
        if (u == 0 || k[u - 1] != k[i])
            k[u++] = k[i];
    *m = u;
    *out = k;
    return ALM_OK;
}

/* Appends built's row i to observations.csv of ds (t): its cells under
 * the columns of their names (a column ds lacks added only when a row
 * has the cell), quoted as derived by formula f; *row gets its index. */
static enum alm_status append_row(const struct alm_dataset *built, size_t i,
                                  const char *f, struct alm_table *t,
                                  size_t *row)
{
    const struct alm_table *bt = built->tables[ALM_T_OBSERVATIONS];
    const struct alm_obs *o = &built->obs[i];
    enum alm_status st = alm_table_add_row(t, 0);
    *row = t->nrows - 1;
    for (size_t c = 0; c < bt->ncols && st == ALM_OK; c++) {
        const char *cell = alm_table_cell(bt, o->row, (long)c);
        long to = alm_table_col(t, bt->header[c]);
        if (!cell[0])
            continue;
        if (to < 0 && alm_table_add_column(t, bt->header[c], &to) != ALM_OK)
            return ALM_ENOMEM;
        st = alm_table_set(t, *row, (size_t)to, cell);
    }
    struct alm_buf q = ALM_BUF_INIT;
    long cq = -1;
    alm_buf_printf(&q, "derived: %s", f);
    if (st == ALM_OK)
        st = alm_buf_status(&q);
    if (st == ALM_OK)
        st = alm_table_add_column(t, "quote", &cq);
    if (st == ALM_OK)
        st = alm_table_set(t, *row, (size_t)cq, q.s);
    alm_buf_release(&q);
    return st;
}

/* Grows an array of *cap elements of size sz to hold need; false when
 * out of memory. */
static bool reserve(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Records in ds the observations of built (the pipeline's dataset of the
 * derived indicators k[0..m), in that order): rows of observations.csv,
 * struct alm_obs, amendments and each indicator's group. ALM_ENOMEM only;
 * on failure ds may hold rows its arrays do not (the caller gives up). */
static enum alm_status record_rows(struct alm_dataset *ds,
                                   const struct alm_dataset *built,
                                   const size_t *k, size_t m)
{
    struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct alm__dataset_index *x = ds->ix;
    struct alm__derived *d = x->derived;
    size_t *rec = realloc(d->rec, (d->nrec + built->nobs + 1) * sizeof *rec);
    struct alm_obs *obs =
        realloc(ds->obs, (ds->nobs + built->nobs + 1) * sizeof *obs);
    if (rec)
        d->rec = rec;
    if (obs)
        ds->obs = obs;
    if (!rec || !obs)
        return ALM_ENOMEM;
    size_t amends_cap = x->amends_cap;
    enum alm_status st = ALM_OK;
    /* built holds the indicators k[] in this order, each one's rows
     * together (series.c writes them indicator by indicator). */
    size_t j = 0;
    for (size_t i = 0; i < built->nobs && st == ALM_OK; i++) {
        const struct alm_obs *b = &built->obs[i];
        while (j < m && strcmp(ds->ind[k[j]].id, built->ind[b->ind].id) != 0)
            j++;
        if (j == m)
            return ALM_ENOMEM; /* not reached: built holds k[] only */
        struct dform *f = &d->form[k[j]];
        size_t row;
        st = append_row(built, i, f->text, t, &row);
        if (st != ALM_OK)
            break;
        struct alm_obs o = *b;
        o.ind = (uint32_t)k[j];
        o.row = (uint32_t)row;
        o.value_text = alm_table_cell(t, row, alm_table_col(t, "value"));
        o.source = alm_table_cell(t, row, alm_table_col(t, "source"));
        o.quote = alm_table_cell(t, row, alm_table_col(t, "quote"));
        if (b->amend) {
            if (!reserve((void **)&x->amends, &amends_cap, x->namends + 1,
                         sizeof *x->amends))
                return ALM_ENOMEM;
            x->amends_cap = amends_cap;
            x->amends[x->namends++] =
                (struct alm__amend){row, ds->nobs, alm_obs_recorded(built, b)};
        }
        if (!f->recorded) {
            f->recorded = true;
            f->rec_off = d->nrec;
        }
        f->rec_n++;
        d->rec[d->nrec++] = ds->nobs;
        ds->obs[ds->nobs++] = o;
        if (f->rec_n > x->longest)
            x->longest = f->rec_n;
    }
    for (size_t i = 0; i < m; i++)
        d->form[k[i]].recorded = true;
    /* The columns of corrections, if a retraction added them. */
    x->amend_col[0] = alm_table_col(t, "correction");
    x->amend_col[1] = alm_table_col(t, "recorded");
    x->amend_col[2] = alm_table_col(t, "note");
    x->amend_on = x->amend_col[0] >= 0 || x->amend_col[1] >= 0;
    return st;
}

/* Marks derived indicators k[0..m) in indicators.csv of ds as
 * mark_indicators does in a copy: title "TITLE (derived: FORMULA)",
 * formula emptied (the text alm_derive_formula gives stays in the
 * table's pool). ALM_ENOMEM only. */
static enum alm_status mark_recorded(struct alm_dataset *ds, const size_t *k,
                                     size_t m)
{
    struct alm_table *t = ds->tables[ALM_T_INDICATORS];
    long cf = alm_table_col(t, "formula"), ct = alm_table_col(t, "title");
    for (size_t i = 0; i < m; i++) {
        struct alm_indicator *in = &ds->ind[k[i]];
        char *title = alm__strdup(in->title);
        if (title)
            title = alm_derive_mark_title(title, alm_derive_formula(ds, k[i]));
        enum alm_status st =
            title ? alm_table_set(t, in->row, (size_t)ct, title) : ALM_ENOMEM;
        free(title);
        if (st == ALM_OK)
            st = alm_table_set(t, in->row, (size_t)cf, "");
        if (st != ALM_OK)
            return st;
        ds->ix->derived->form[k[i]].title = in->title;
        in->title = alm_table_cell(t, in->row, ct);
    }
    return ALM_OK;
}

enum alm_status alm_derive_record(struct alm_dataset *ds, const size_t *ids,
                                  size_t n, struct alm_error *err)
{
    size_t *k = NULL, m = 0;
    if (!ds->ix->derived || ds->ix->derived->nderived == 0)
        return ALM_OK;
    if (to_record(ds, ids, n, &k, &m) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < m && st == ALM_OK; i++)
        st = check_kind(ds, k[i], err);
    static const struct alm_series_opts none = {0};
    struct alm_dataset *built = NULL;
    if (st == ALM_OK && m)
        st = alm_series_dataset(ds, k, m, &none, ALM_DATE_NONE, &built, NULL,
                                err);
    /* From here on ds changes: a failure (out of memory) leaves it
     * unusable, which the caller's exit makes harmless. */
    if (st == ALM_OK && m && mark_recorded(ds, k, m) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK && m && record_rows(ds, built, k, m) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    alm_dataset_free(built);
    free(k);
    return st;
}

bool alm_derive_exported(const struct alm_dataset *ds,
                         const struct alm_table *t, size_t i)
{
    /* Import asks for every row: a dataset without formulas answers at
     * once. */
    if (!ds->ix->derived || ds->ix->derived->nderived == 0)
        return false;
    long k = alm_dataset_find_indicator(
        ds, alm_table_cell(t, i, alm_table_col(t, "indicator")));
    const char *f = k < 0 ? NULL : alm_derive_formula(ds, (size_t)k);
    const char *q = alm_table_cell(t, i, alm_table_col(t, "quote"));
    return f && strncmp(q, "derived: ", 9) == 0 && strcmp(q + 9, f) == 0;
}
