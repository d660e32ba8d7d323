/* Exports: the long and wide layouts, with or without projections. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/export.h>

#include "csvio_internal.h"
#include "internal.h"
#include "scan.h"

bool alm_export_is_formula(const char *text)
{
    return alm_csv_is_formula(text);
}

static enum alm_status put(struct alm_table *t, size_t col, const char *text,
                           bool raw);

/* Where the long layout's rows go: a table (t), or CSV text (out) as
 * alm_table_format would write that table, one record at a time. */
struct sink {
    struct alm_table *t;
    struct alm_buf *out;
    size_t ncols;
    const char **row; /* text: the current record's fields */
    bool *guard;      /* text: which of them get a formula guard */
    struct alm__csv_line line;
};

/* Starts a row. */
static enum alm_status sink_row(struct sink *k)
{
    if (k->t)
        return alm_table_add_row(k->t, 0);
    for (size_t j = 0; j < k->ncols; j++) {
        k->row[j] = "";
        k->guard[j] = false;
    }
    return ALM_OK;
}

/* Ends a row (text: writes it). */
static enum alm_status sink_end(struct sink *k)
{
    if (k->t)
        return ALM_OK;
    return alm__csv_put_record(k->out, &k->line, k->row, k->guard, k->ncols);
}

/* Sets a cell of the current row, neutralising a formula unless raw;
 * text stays the caller's until the row ends. */
static enum alm_status sink_put(struct sink *k, size_t col, const char *text,
                                bool raw)
{
    if (!text[0])
        return ALM_OK;
    if (!k->t) {
        k->row[col] = text;
        k->guard[col] = !raw && alm_csv_needs_guard(text);
        return ALM_OK;
    }
    return put(k->t, col, text, raw);
}

/* Sets a cell of the last row, neutralising a formula unless raw. */
static enum alm_status put(struct alm_table *t, size_t col, const char *text,
                           bool raw)
{
    if (!text[0])
        return ALM_OK;
    if (raw || !alm_csv_needs_guard(text))
        return alm_table_set(t, t->nrows - 1, col, text);
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_buf_putc(&b, '\'');
    if (st == ALM_OK)
        st = alm_buf_puts(&b, text);
    if (st == ALM_OK)
        st = alm_table_set(t, t->nrows - 1, col, b.s);
    alm_buf_release(&b);
    return st;
}

static void num(double x, char *out, size_t size)
{
    if (isfinite(x))
        alm_format_double(x, out, size);
    else
        out[0] = '\0';
}

/* The projection of each indicator of ds (the first with rows), or NULL,
 * in one pass over the projections; NULL when out of memory. */
static const struct alm_projection **proj_index(const struct alm_dataset *ds,
                                                const struct alm_export_opts *o)
{
    const struct alm_projection **by =
        calloc(ds->nind ? ds->nind : 1, sizeof *by);
    for (size_t i = o->nproj; by && i > 0; i--) {
        const struct alm_projection *p = &o->proj[i - 1];
        if (p->ind < ds->nind && p->nrows > 0)
            by[p->ind] = p;
    }
    return by;
}

/* The projection p's rows for indicator id, in the long layout: the
 * projection columns start at cproj. */
static enum alm_status long_projection(struct sink *k, const char *id,
                                       const struct alm_projection *p,
                                       size_t cproj)
{
    enum alm_status st = ALM_OK;
    char model[32];
    alm_model_format(&p->fit.model, model, sizeof model);
    for (size_t i = 0; i < p->nrows && st == ALM_OK; i++) {
        const struct alm_projection_row *r = &p->rows[i];
        char per[ALM_PERIOD_TEXT_MAX], v[40], lo[40], hi[40];
        alm_period_format(&r->period, per, sizeof per);
        num(r->f.value, v, sizeof v);
        num(r->f.lower, lo, sizeof lo);
        num(r->f.upper, hi, sizeof hi);
        const char *cells[7] = {id, per, v, "projection", model, lo, hi};
        const size_t at[7] = {0, 1, 2, cproj, cproj + 1, cproj + 2, cproj + 3};
        st = sink_row(k);
        for (size_t j = 0; j < 7 && st == ALM_OK; j++)
            st = sink_put(k, at[j], cells[j], true);
        if (st == ALM_OK)
            st = sink_end(k);
    }
    return st;
}

/* One projected period r of p in the wide layout: value, lower, upper and
 * model in columns c .. c + 3 of t's last row. */
static enum alm_status wide_projection(struct alm_table *t, size_t c,
                                       const struct alm_projection_row *r,
                                       const struct alm_projection *p)
{
    char v[40], lo[40], hi[40], model[32];
    num(r->f.value, v, sizeof v);
    num(r->f.lower, lo, sizeof lo);
    num(r->f.upper, hi, sizeof hi);
    alm_model_format(&p->fit.model, model, sizeof model);
    const char *cells[4] = {v, lo, hi, model};
    enum alm_status st = ALM_OK;
    for (size_t j = 0; j < 4 && st == ALM_OK; j++)
        st = put(t, c + j, cells[j], true);
    return st;
}

/* The long layout being written: its columns (h the names, src the
 * column of observations.csv each comes from, -1 for a projection's),
 * and where its rows go. */
struct long_writer {
    const struct alm_export_opts *o;
    bool proj; /* with the columns of projections */
    size_t ncols, cproj;
    const char **h;
    long *src;
    struct sink k;
};

static void long_free(struct long_writer *w)
{
    free(w->h);
    free(w->src);
    free(w->k.row);
    free(w->k.guard);
    free(w->k.line.s);
    alm_table_free(w->k.t);
    w->h = NULL;
    w->src = NULL;
    w->k = (struct sink){0};
}

/* Sets up the columns of the long layout of observations.csv's header ot
 * (those of projections with proj), and starts the table (*t) or, with
 * text, writes the header to text. */
static enum alm_status long_begin(struct long_writer *w,
                                  const struct alm_table *ot,
                                  const struct alm_export_opts *o, bool proj,
                                  struct alm_buf *text)
{
    static const char *const std_cols[] = {"indicator", "period", "value",
                                           "qualifier", "status", "source",
                                           "vintage",   "quote"};
    static const char *const proj_cols[] = {"type", "model", "lower", "upper"};
    size_t nstd = 8, ncols = 0;
    *w = (struct long_writer){.o = o, .proj = proj, .k = {.out = text}};
    w->h = malloc((ot->ncols + nstd + 4) * sizeof *w->h);
    w->src = malloc((ot->ncols + nstd + 4) * sizeof *w->src);
    if (!w->h || !w->src)
        return ALM_ENOMEM;
    for (size_t c = 0; c < nstd; c++) {
        w->h[ncols] = std_cols[c];
        w->src[ncols++] = alm_table_col(ot, std_cols[c]);
    }
    for (size_t j = 0; j < ot->ncols; j++) {
        bool known = false;
        for (size_t m = 0; m < nstd && !known; m++)
            known = strcmp(ot->header[j], std_cols[m]) == 0;
        if (!known) {
            w->h[ncols] = ot->header[j];
            w->src[ncols++] = (long)j;
        }
    }
    w->cproj = ncols;
    if (proj)
        for (size_t c = 0; c < 4; c++) {
            w->h[ncols] = proj_cols[c];
            w->src[ncols++] = -1;
        }
    w->ncols = w->k.ncols = ncols;
    if (text) {
        w->k.row = calloc(ncols, sizeof *w->k.row);
        w->k.guard = calloc(ncols, sizeof *w->k.guard);
        if (!w->k.row || !w->k.guard)
            return ALM_ENOMEM;
        return alm__csv_put_record(text, &w->k.line, w->h, NULL, ncols);
    }
    w->k.t = alm_table_new("export", ncols, w->h);
    /* value, lower, upper are numbers; vintage a date (or a month). */
    char *types = w->k.t ? malloc(ncols + 1) : NULL;
    if (!types)
        return ALM_ENOMEM;
    for (size_t j = 0; j < ncols; j++)
        types[j] = j == 2 || (proj && j >= w->cproj + 2) ? ALM_COL_NUMBER
                   : j == 6                              ? ALM_COL_DATE
                                                         : ALM_COL_TEXT;
    types[ncols] = '\0';
    enum alm_status st = alm_table_set_types(w->k.t, types);
    free(types);
    return st;
}

/* The rows of indicator ki of ds, then those of its projection p (NULL
 * for none). */
static enum alm_status long_indicator(struct long_writer *w,
                                      const struct alm_dataset *ds, size_t ki,
                                      const struct alm_projection *p)
{
    const struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    size_t *idx = NULL, n = 0;
    /* Every row, corrections and retractions too, so that the export
     * imports back to the same dataset. */
    enum alm_status st =
        alm_dataset_history(ds, ki, w->o->as_of, &idx, &n, NULL);
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        size_t row = ds->obs[idx[i]].row;
        st = sink_row(&w->k);
        for (size_t j = 0; j < w->cproj && st == ALM_OK; j++)
            st = sink_put(&w->k, j, alm_table_cell(ot, row, w->src[j]),
                          w->o->raw);
        if (st == ALM_OK && w->proj)
            st = sink_put(&w->k, w->cproj, "observation", true);
        if (st == ALM_OK)
            st = sink_end(&w->k);
    }
    free(idx);
    if (p && st == ALM_OK)
        st = long_projection(&w->k, ds->ind[ki].id, p, w->cproj);
    return st;
}

/* The long layout into *out, or, with text, as CSV text to text. */
static enum alm_status export_long(const struct alm_dataset *ds,
                                   const struct alm_export_opts *o,
                                   struct alm_table **out, struct alm_buf *text)
{
    struct long_writer w;
    const struct alm_projection **by = proj_index(ds, o);
    enum alm_status st =
        by ? long_begin(&w, ds->tables[ALM_T_OBSERVATIONS], o, o->proj, text)
           : ALM_ENOMEM;
    for (size_t ki = 0; ki < ds->nind && st == ALM_OK; ki++)
        st = long_indicator(&w, ds, ki, by[ki]);
    free(by);
    if (st == ALM_OK && out) {
        *out = w.k.t;
        w.k.t = NULL;
    }
    if (by)
        long_free(&w);
    return st == ALM_OK ? ALM_OK : ALM_ENOMEM;
}

/* One cell of the wide layout before it is placed. */
struct entry {
    struct alm_period period;
    size_t ind;
    const char *value; /* observed text, or NULL for a projection */
    const struct alm_projection_row *row;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = alm_period_compare(&x->period, &y->period);
    if (!c)
        c = (x->ind > y->ind) - (x->ind < y->ind);
    return c;
}

/* The names of the three projection columns of indicator id in the wide
 * layout ("id:lower", "id:upper", "id:model"), heap strings, to names[0..3)
 * (those made before a failure too, so the caller frees them). */
static enum alm_status proj_names(const char *id, char **names)
{
    static const char *const suffix[] = {":lower", ":upper", ":model"};
    for (size_t s = 0; s < 3; s++) {
        struct alm_buf b = ALM_BUF_INIT;
        if (alm_buf_puts(&b, id) != ALM_OK ||
            alm_buf_puts(&b, suffix[s]) != ALM_OK) {
            alm_buf_release(&b);
            return ALM_ENOMEM;
        }
        names[s] = alm_buf_detach(&b);
    }
    return ALM_OK;
}

static enum alm_status export_wide(const struct alm_dataset *ds,
                                   const struct alm_export_opts *o,
                                   struct alm_table **out)
{
    size_t cap = ds->nobs, ne = 0, ncols = 1;
    for (size_t i = 0; i < o->nproj; i++)
        cap += o->proj[i].nrows;
    struct entry *e = malloc((cap ? cap : 1) * sizeof *e);
    size_t *col = malloc((ds->nind ? ds->nind : 1) * sizeof *col);
    char **names = calloc(ds->nind * 4 + 1, sizeof *names);
    const struct alm_projection **by = proj_index(ds, o);
    struct alm_table *t = NULL;
    enum alm_status st = ALM_OK;
    if (!e || !col || !names || !by)
        goto nomem;
    names[0] = alm__strdup("period");
    if (!names[0])
        goto nomem;
    for (size_t k = 0; k < ds->nind; k++) {
        size_t *idx = NULL, n = 0;
        if (alm_dataset_series(ds, k, o->as_of, false, &idx, &n, NULL) !=
            ALM_OK)
            goto nomem;
        for (size_t i = 0; i < n; i++) {
            const struct alm_obs *ob = &ds->obs[idx[i]];
            e[ne++] = (struct entry){ob->period, k, ob->value_text, NULL};
        }
        free(idx);
        col[k] = ncols;
        if (!(names[ncols++] = alm__strdup(ds->ind[k].id)))
            goto nomem;
        const struct alm_projection *p = by[k];
        if (!p)
            continue;
        bool named = proj_names(ds->ind[k].id, names + ncols) == ALM_OK;
        ncols += 3; /* names is calloc'd: what was not made is NULL */
        if (!named)
            goto nomem;
        for (size_t i = 0; i < p->nrows; i++)
            e[ne++] = (struct entry){p->rows[i].period, k, NULL, &p->rows[i]};
    }
    qsort(e, ne, sizeof *e, cmp_entry);
    t = alm_table_new("export", ncols, (const char *const *)names);
    if (!t)
        goto nomem;
    /* Figures, lower and upper bounds are numbers; the period and the
     * ID:model columns text. */
    char *types = malloc(ncols + 1);
    if (!types)
        goto nomem;
    memset(types, ALM_COL_NUMBER, ncols);
    types[0] = ALM_COL_TEXT;
    for (size_t k = 0; k < ds->nind; k++)
        if (by[k])
            types[col[k] + 3] = ALM_COL_TEXT;
    types[ncols] = '\0';
    st = alm_table_set_types(t, types);
    free(types);
    for (size_t i = 0; i < ne && st == ALM_OK; i++) {
        if (i == 0 || alm_period_compare(&e[i - 1].period, &e[i].period)) {
            char per[ALM_PERIOD_TEXT_MAX];
            alm_period_format(&e[i].period, per, sizeof per);
            st = alm_table_add_row(t, 0);
            if (st == ALM_OK)
                st = put(t, 0, per, true);
        }
        size_t c = col[e[i].ind];
        if (st == ALM_OK && e[i].value) {
            st = put(t, c, e[i].value, true);
        } else if (st == ALM_OK) {
            st = wide_projection(t, c, e[i].row, by[e[i].ind]);
        }
    }
    if (st != ALM_OK)
        goto nomem;
    for (size_t j = 0; j < ncols; j++)
        free(names[j]);
    free(names);
    free(col);
    free(e);
    free(by);
    *out = t;
    return ALM_OK;
nomem:
    for (size_t j = 0; names && j < ncols; j++)
        free(names[j]);
    free(names);
    free(col);
    free(e);
    free(by);
    alm_table_free(t);
    return ALM_ENOMEM;
}

enum alm_status alm_export(const struct alm_dataset *ds,
                           const struct alm_export_opts *o,
                           struct alm_table **out, struct alm_error *err)
{
    enum alm_status st =
        o->wide ? export_wide(ds, o, out) : export_long(ds, o, out, NULL);
    if (st != ALM_OK)
        return alm_fail(err, st, "out of memory");
    return ALM_OK;
}

enum alm_status alm_export_csv(const struct alm_dataset *ds,
                               const struct alm_export_opts *o,
                               struct alm_buf *out, struct alm_error *err)
{
    enum alm_status st;
    if (o->wide) {
        struct alm_table *t = NULL;
        st = export_wide(ds, o, &t);
        if (st == ALM_OK)
            st = alm_table_format(t, out);
        alm_table_free(t);
    } else {
        st = export_long(ds, o, NULL, out);
    }
    if (st != ALM_OK)
        return alm_fail(err, st, "out of memory");
    return ALM_OK;
}

/* ---- the long layout as the dataset is read (alm_export_dataset) ---- */

struct streamed {
    struct long_writer w;
    struct alm_buf *out;
    alm_export_flush_fn flush;
    void *ctx;
};

/* Indicator k's rows on a worker of the stream, with its writer, into
 * the stretch's text. */
static enum alm_status on_stretch(void *ctx, struct alm_dataset *ds, size_t k,
                                  struct alm_buf *out)
{
    struct long_writer *w = ctx;
    w->k.out = out;
    return long_indicator(w, ds, k, NULL);
}

/* The stretches' texts, in order. */
static enum alm_status on_text(void *ctx, struct alm_buf *text, size_t n)
{
    struct streamed *c = ctx;
    (void)n;
    enum alm_status st = alm_buf_add(c->out, text->s, text->len);
    if (st == ALM_OK && c->flush)
        st = c->flush(c->ctx, c->out);
    return st;
}

/* The sink of alm_project_dataset: indicator p->ind's rows, then its
 * projection's. */
static enum alm_status on_projected(void *ctx, const struct alm_dataset *ds,
                                    const long *as_of, struct alm_projection *p)
{
    struct streamed *c = ctx;
    (void)as_of; /* the rows of the long layout do not name it */
    enum alm_status st =
        long_indicator(&c->w, ds, p->ind, p->nrows > 0 ? p : NULL);
    if (st == ALM_OK && c->flush)
        st = c->flush(c->ctx, c->out);
    return st;
}

/* With projections: through alm_project_dataset, which fits each
 * indicator as the stream serves it (and gives up, for a whole read, on
 * a dataset declaring derived indicators). */
static bool export_projected(const char *dir, struct streamed *c,
                             const struct alm_export_opts *o,
                             const struct alm_projection_opts *po,
                             const char *as_of_text)
{
    struct alm_error e;
    alm_error_clear(&e);
    struct alm__stream *s = NULL;
    /* The header of observations.csv, from a stream opened for it. */
    if (alm__stream_open(dir, &s) != ALM_OK)
        return false;
    enum alm_status st =
        long_begin(&c->w, alm__stream_header(s), o, true, c->out);
    alm__stream_close(s, NULL);
    const struct alm_projection_sink sink = {.fn = on_projected, .ctx = c};
    struct alm_dataset *ds = NULL;
    long as_of;
    bool ok = st == ALM_OK && alm_project_dataset(dir, NULL, 0, po, as_of_text,
                                                  &sink, &ds, &as_of);
    alm_dataset_free(ds);
    return ok;
}

bool alm_export_dataset(const char *dir, const struct alm_export_opts *o,
                        const struct alm_projection_opts *po,
                        const char *as_of_text, struct alm_buf *out,
                        alm_export_flush_fn flush, void *ctx)
{
    struct alm__stream *s = NULL;
    struct alm_export_opts so = *o;
    struct streamed c = {.out = out, .flush = flush, .ctx = ctx};
    so.proj = NULL;
    so.nproj = 0;
    if (o->wide)
        return false;
    if (po) {
        so.as_of = ALM_DATE_NONE;
        struct alm_error e;
        alm_error_clear(&e);
        bool ok = !(as_of_text && as_of_text[0]) ||
                  alm_date_parse(as_of_text, &so.as_of, &e) == ALM_OK;
        ok = ok && export_projected(dir, &c, &so, po, as_of_text);
        long_free(&c.w);
        return ok;
    }
    if (!alm__scan_open(dir, as_of_text, &s, &so.as_of))
        return false;
    /* The header of observations.csv is the stream's until rows come.
     * The stream's two workers write a stretch's rows each with a writer
     * of its own (the header they write at their start goes nowhere). */
    struct long_writer wk[2];
    struct alm_buf nowhere = ALM_BUF_INIT;
    enum alm_status st =
        long_begin(&c.w, alm__stream_header(s), &so, false, out);
    for (size_t i = 0; i < 2; i++) {
        enum alm_status w =
            long_begin(&wk[i], alm__stream_header(s), &so, false, &nowhere);
        st = st == ALM_OK ? w : st;
    }
    void *const ctxs[2] = {&wk[0], &wk[1]};
    if (st == ALM_OK)
        st = alm__stream_run_parallel(s, on_stretch, ctxs, on_text, &c);
    long_free(&c.w);
    long_free(&wk[0]);
    long_free(&wk[1]);
    alm_buf_release(&nowhere);
    alm__stream_close(s, NULL);
    return st == ALM_OK;
}
