/* Projections of dataset indicators, and the fit command's output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/project.h>

#include "dataset_stream.h"
#include "internal.h"
#include "scan.h"

/* The most projected periods one indicator may get (a daily series
 * projected decades ahead is a mistake, not a request). */
#define ROWS_MAX 10000

void alm_projection_release(struct alm_projection *p)
{
    free(p->rows);
    p->rows = NULL;
    p->nrows = 0;
}

/* Appends text to the note, separated by "; ". */
static void note_add(struct alm_projection *p, const char *text)
{
    size_t len = strlen(p->note);
    snprintf(p->note + len, sizeof p->note - len, "%s%s", len ? "; " : "",
             text);
}

/* The period after p in the indicator's own frequency: irregular stocks
 * step a year at a time. */
static struct alm_period step(const struct alm_period *p, char freq)
{
    struct alm_period n = *p;
    if (freq == 'I') {
        n.m0 += 12;
        n.m1 += 12;
        return n;
    }
    return alm_period_next(p);
}

/* The last day projections run to: --to (a bare year is that year's last
 * period), else the indicator's latest target, else five years past the
 * last observation. */
static enum alm_status horizon(const struct alm_dataset *ds, size_t ind,
                               const struct alm_projection_opts *o,
                               const struct alm_period *last, long *end,
                               struct alm_error *err)
{
    if (o->to) {
        struct alm_period to;
        if (alm_period_parse(o->to, &to, err) != ALM_OK) {
            alm_error_locate(err, NULL, 0, "--to");
            return ALM_EINPUT;
        }
        *end = alm_period_last_day(&to);
        return ALM_OK;
    }
    bool have = false;
    const size_t *tgts;
    size_t ntgts;
    alm_dataset_targets_of(ds, ind, &tgts, &ntgts);
    for (size_t k = 0; k < ntgts; k++) {
        const struct alm_target *g = &ds->tgt[tgts[k]];
        if (g->ind != ind ||
            (o->as_of != ALM_DATE_NONE && g->announced != ALM_DATE_NONE &&
             g->announced > o->as_of))
            continue;
        long d = alm_period_last_day(&g->period);
        if (!have || d > *end)
            *end = d;
        have = true;
    }
    if (!have) {
        struct alm_period p = *last;
        p.m0 += 60;
        p.m1 += 60;
        *end = alm_period_last_day(&p);
    }
    return ALM_OK;
}

/* The periods to project: every period after the last one fitted through
 * the horizon, with their times (the forecasts come later). */
static enum alm_status plan_rows(const struct alm_dataset *ds, size_t ind,
                                 const struct alm_projection_opts *o,
                                 struct alm_projection *p,
                                 struct alm_error *err)
{
    const struct alm_indicator *in = &ds->ind[ind];
    long end = 0;
    enum alm_status st = horizon(ds, ind, o, &p->last, &end, err);
    if (st != ALM_OK)
        return st;
    struct alm_period per = step(&p->last, in->freq);
    while (alm_period_last_day(&per) <= end) {
        if (p->nrows == ROWS_MAX)
            return alm_fail(err, ALM_EINPUT,
                            "more than %d periods to project for '%s': "
                            "choose an earlier --to",
                            ROWS_MAX, in->id);
        /* Room for twice as many rows each time nrows reaches a power of
         * two (0 included): the capacity needs no field of its own. */
        if ((p->nrows & (p->nrows - 1)) == 0) {
            size_t cap = p->nrows ? 2 * p->nrows : 1;
            struct alm_projection_row *rows =
                realloc(p->rows, cap * sizeof *rows);
            if (!rows)
                return alm_fail(err, ALM_ENOMEM, "out of memory");
            p->rows = rows;
        }
        struct alm_projection_row *r = &p->rows[p->nrows++];
        memset(r, 0, sizeof *r);
        r->period = per;
        r->t = alm_period_time(&per);
        per = step(&per, in->freq);
    }
    return ALM_OK;
}

void alm_projection_row_flag(const struct alm_projection_row *r, char *out,
                             size_t size)
{
    if (size)
        out[0] = '\0';
    if (r->value_out)
        snprintf(out, size, "projection %s", r->value_out);
    else if (r->lower_out && r->upper_out)
        snprintf(out, size, "lower bound %s; upper bound %s", r->lower_out,
                 r->upper_out);
    else if (r->lower_out || r->upper_out)
        snprintf(out, size, "%s bound %s", r->lower_out ? "lower" : "upper",
                 r->lower_out ? r->lower_out : r->upper_out);
}

/* The first row of p whose value leaves the domain, else the first whose
 * bound does; NULL when none does. */
static const struct alm_projection_row *
first_out(const struct alm_projection *p)
{
    const struct alm_projection_row *bound = NULL;
    for (size_t i = 0; i < p->nrows; i++) {
        const struct alm_projection_row *r = &p->rows[i];
        if (r->value_out)
            return r;
        if (!bound && (r->lower_out || r->upper_out))
            bound = r;
    }
    return bound;
}

void alm_projection_flag_summary(const struct alm_projection *p, char *out,
                                 size_t size, bool caption)
{
    const struct alm_projection_row *r = first_out(p);
    if (size)
        out[0] = '\0';
    if (!r)
        return;
    char per[ALM_PERIOD_TEXT_MAX];
    alm_period_format(&r->period, per, sizeof per);
    const char *what = r->value_out ? "projection" : "interval";
    const char *words = r->value_out   ? r->value_out
                        : r->lower_out ? r->lower_out
                                       : r->upper_out;
    /* words is "THRESHOLD: impossible for A KIND" (alm_domain_words). */
    const char *colon = strstr(words, ": ");
    if (caption && colon)
        snprintf(out, size, "Impossible for %s from %s (%s %.*s)",
                 colon + 2 + strlen("impossible for "), per, what,
                 (int)(colon - words), words);
    else
        snprintf(out, size, "from %s the %s is %s", per, what, words);
}

/* The forecasts of the planned rows, each checked against the domain of
 * the kind, and a note from the first period that leaves it. */
static enum alm_status predict_rows(struct alm_projection *p,
                                    enum alm_kind kind, double level,
                                    struct alm_error *err)
{
    for (size_t i = 0; i < p->nrows; i++) {
        struct alm_projection_row *r = &p->rows[i];
        enum alm_status st = alm_fit_predict(&p->fit, r->t, level, &r->f, err);
        if (st != ALM_OK)
            return st;
        r->value_out = alm_domain_words(kind, r->f.value);
        r->lower_out = alm_domain_words(kind, r->f.lower);
        r->upper_out = alm_domain_words(kind, r->f.upper);
        r->crosses = r->value_out || r->lower_out || r->upper_out;
    }
    char s[240];
    alm_projection_flag_summary(p, s, sizeof s, false);
    if (s[0]) {
        size_t len = strlen(s);
        snprintf(s + len, sizeof s - len, " (kept as computed)");
        note_add(p, s);
    }
    return ALM_OK;
}

/* The points to fit from the observations idx[0..m) into t and y, with
 * the notes on what was left out or used with care. */
static void gather(const struct alm_dataset *ds, const size_t *idx, size_t m,
                   struct alm_projection *p, double *t, double *y)
{
    for (size_t i = 0; i < m; i++) {
        const struct alm_obs *ob = &ds->obs[idx[i]];
        if (ob->status == 'F') {
            p->forecasts++;
            continue;
        }
        if (ob->qual != ALM_QUAL_NONE)
            p->qualified++;
        if (ob->status == 'B') {
            char per[ALM_PERIOD_TEXT_MAX];
            size_t len = strlen(p->breaks);
            alm_period_format(&ob->period, per, sizeof per);
            snprintf(p->breaks + len, sizeof p->breaks - len, "%s%s",
                     len ? " " : "", per);
        }
        if (p->n == 0)
            p->first = ob->period;
        p->last = ob->period;
        p->last_value = ob->value;
        t[p->n] = alm_period_time(&ob->period);
        y[p->n] = ob->value;
        p->n++;
    }
    if (p->forecasts) {
        char s[80];
        snprintf(s, sizeof s, "%zu forecast%s (status F) left out",
                 p->forecasts, p->forecasts > 1 ? "s" : "");
        note_add(p, s);
    }
    if (p->qualified) {
        char s[80];
        snprintf(s, sizeof s, "%zu qualified figure%s used at the stated value",
                 p->qualified, p->qualified > 1 ? "s" : "");
        note_add(p, s);
    }
    if (p->breaks[0]) {
        char s[120];
        snprintf(s, sizeof s, "break in series at %s (status B)", p->breaks);
        note_add(p, s);
    }
}

enum alm_status alm_project(struct alm_fit_ws *w, const struct alm_dataset *ds,
                            size_t ind, const struct alm_projection_opts *o,
                            struct alm_projection *out, struct alm_error *err)
{
    struct alm_projection p;
    size_t *idx = NULL, m = 0;
    double *t = NULL, *y = NULL;
    const struct alm_indicator *in = &ds->ind[ind];
    memset(&p, 0, sizeof p);
    p.ind = ind;
    enum alm_status st =
        alm_dataset_series(ds, ind, o->as_of, false, &idx, &m, err);
    if (st != ALM_OK)
        return st;
    t = malloc((m ? m : 1) * sizeof *t);
    y = malloc((m ? m : 1) * sizeof *y);
    if (!t || !y) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    gather(ds, idx, m, &p, t, y);
    if (p.n == 0) {
        note_add(&p, "no observations to fit");
        goto keep;
    }
    st = plan_rows(ds, ind, o, &p, err);
    if (st != ALM_OK)
        goto done;
    struct alm_error ferr;
    alm_error_clear(&ferr);
    if (alm_fit_series_to(w, t, y, p.n, in->kind, &o->model,
                          p.nrows ? p.rows[p.nrows - 1].t : NAN, &p.fit,
                          &ferr) != ALM_OK) {
        alm_projection_release(&p);
        if (ferr.status != ALM_EINPUT) {
            st = alm_fail(err, ferr.status, "%s", ferr.msg);
            goto done;
        }
        note_add(&p, ferr.msg);
        goto keep;
    }
    p.fitted = true;
    if (p.fit.note[0])
        note_add(&p, p.fit.note);
    st = predict_rows(&p, in->kind, o->level, err);
    if (st != ALM_OK)
        goto done;
keep:
    *out = p;
    p.rows = NULL;
    st = ALM_OK;
done:
    alm_projection_release(&p);
    free(idx);
    free(t);
    free(y);
    return st;
}

enum alm_status alm_project_all(const struct alm_dataset *ds, const size_t *ids,
                                size_t n, const struct alm_projection_opts *o,
                                struct alm_projection **out, size_t *nout,
                                struct alm_error *err)
{
    size_t m = ids ? n : ds->nind, done = 0;
    /* One workspace for the longest series (it grows if need be). */
    struct alm_fit_ws *w = alm_fit_ws_new(alm_dataset_longest(ds), err);
    struct alm_projection *p = calloc(m ? m : 1, sizeof *p);
    enum alm_status st = ALM_OK;
    if (!w || !p)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    bool show = m >= 1000;
    for (; done < m && st == ALM_OK; done++) {
        if (show && done % 1000 == 0)
            alm__progress("fitting series", done, m);
        st = alm_project(w, ds, ids ? ids[done] : done, o, &p[done], err);
    }
    if (show)
        alm__progress("fitting series", m, m);
    alm_fit_ws_free(w);
    if (st != ALM_OK) {
        alm_projections_free(p, done); /* calloc: unused ones are empty */
        return st;
    }
    *out = p;
    *nout = m;
    return ALM_OK;
}

void alm_projections_free(struct alm_projection *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++)
        alm_projection_release(&p[i]);
    free(p);
}

/* ---- projecting a dataset read one indicator at a time ------------------ */

#define NO_POS ((size_t)-1)

struct streamed {
    struct alm_fit_ws *w;
    struct alm_projection_opts o;
    bool as_of_given;
    const struct alm_projection_sink *sink;
    /* With ids: the first place of each indicator in ids and the next
     * place of the same id, and the projections held by place. */
    size_t *first, *next;
    struct alm_projection *held;
    size_t done, total;
};

/* Without --as-of the date is the latest vintage, known once the whole
 * file is read; the selection of a series is the same for any date not
 * before its own vintages, but the horizon counts the targets announced
 * by that date. A target announced after the latest vintage read so far
 * might count or not: true then (the stream gives up). */
static bool horizon_unsure(const struct streamed *c,
                           const struct alm_dataset *ds, size_t k)
{
    if (c->as_of_given || c->o.to)
        return false;
    const size_t *tgts;
    size_t n;
    alm_dataset_targets_of(ds, k, &tgts, &n);
    for (size_t i = 0; i < n; i++) {
        long a = ds->tgt[tgts[i]].announced;
        if (a != ALM_DATE_NONE &&
            (ds->latest == ALM_DATE_NONE || a > ds->latest))
            return true;
    }
    return false;
}

/* Projects indicator k with workspace w: into held when it is named,
 * else through the sink, to out when the sink makes text. */
static enum alm_status project_one(struct streamed *c, struct alm_fit_ws *w,
                                   struct alm_dataset *ds, size_t k,
                                   struct alm_buf *out)
{
    struct alm_error err;
    alm_error_clear(&err);
    if (c->first && c->first[k] == NO_POS)
        return ALM_OK;
    if (horizon_unsure(c, ds, k))
        return ALM_EINPUT;
    if (c->first) {
        for (size_t i = c->first[k]; i != NO_POS; i = c->next[i])
            if (alm_project(w, ds, k, &c->o, &c->held[i], &err) != ALM_OK)
                return ALM_EINPUT;
        return ALM_OK;
    }
    struct alm_projection p;
    if (alm_project(w, ds, k, &c->o, &p, &err) != ALM_OK)
        return ALM_EINPUT;
    const long *as_of = c->as_of_given ? &c->o.as_of : NULL;
    enum alm_status st = out ? c->sink->rows(c->sink->ctx, ds, as_of, &p, out)
                             : c->sink->fn(c->sink->ctx, ds, as_of, &p);
    alm_projection_release(&p);
    return st;
}

static void progress(struct streamed *c, size_t n)
{
    size_t was = c->done;
    c->done += n;
    if (c->total >= 1000 && (was == 0 || was / 1000 != c->done / 1000))
        alm__progress("fitting series", c->done, c->total);
}

static enum alm_status on_series(void *ctx, struct alm_dataset *ds, size_t k)
{
    struct streamed *c = ctx;
    progress(c, 1);
    return project_one(c, c->w, ds, k, NULL);
}

/* A worker of the parallel stream: its own workspace. */
struct worker {
    struct streamed *c;
    struct alm_fit_ws *w;
};

static enum alm_status on_series_par(void *ctx, struct alm_dataset *ds,
                                     size_t k, struct alm_buf *out)
{
    struct worker *wk = ctx;
    return project_one(wk->c, wk->w, ds, k, out);
}

static enum alm_status on_text(void *ctx, struct alm_buf *out, size_t n)
{
    struct streamed *c = ctx;
    progress(c, n);
    return c->first ? ALM_OK : c->sink->emit(c->sink->ctx, out);
}

/* Runs the stream: on two threads when the sink makes text. */
static enum alm_status run(struct alm__stream *s, struct streamed *c)
{
    if (!c->sink->rows)
        return alm__stream_run(s, on_series, c);
    struct worker wk[2] = {{c, NULL}, {c, NULL}};
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < 2 && st == ALM_OK; i++)
        if (!(wk[i].w = alm_fit_ws_new(64, &err)))
            st = ALM_ENOMEM;
    void *const ctxs[2] = {&wk[0], &wk[1]};
    if (st == ALM_OK)
        st = alm__stream_run_parallel(s, on_series_par, ctxs, on_text, c);
    alm_fit_ws_free(wk[0].w);
    alm_fit_ws_free(wk[1].w);
    return st;
}

bool alm_project_dataset(const char *dir, char *const *ids, size_t nids,
                         const struct alm_projection_opts *o,
                         const char *as_of_text,
                         const struct alm_projection_sink *sink,
                         struct alm_dataset **ds_out, long *as_of)
{
    struct alm__stream *s = NULL;
    struct alm_error err;
    struct streamed c = {.o = *o, .sink = sink};
    size_t *picked = NULL, npicked = 0;
    alm_error_clear(&err);
    if (alm__stream_open(dir, &s) != ALM_OK)
        return false;
    struct alm_dataset *ds = alm__stream_dataset(s);
    /* A derived indicator needs its inputs' figures, which the stream has
     * let go by the time it comes: the whole read computes it. */
    if (!alm__scan_plain(ds)) {
        alm__stream_close(s, NULL);
        return false;
    }
    c.total = ds->nind;
    c.as_of_given = as_of_text && as_of_text[0];
    c.o.as_of = ALM_DATE_NONE;
    enum alm_status st = ALM_OK;
    if (c.as_of_given)
        st = alm_dataset_as_of(ds, as_of_text, &c.o.as_of, &err);
    if (st == ALM_OK && nids) {
        st = alm_dataset_pick(ds, ids, nids, &picked, &npicked, &err);
        c.first = malloc((ds->nind + 1) * sizeof *c.first);
        c.next = malloc((npicked + 1) * sizeof *c.next);
        c.held = calloc(npicked + 1, sizeof *c.held);
        if (st == ALM_OK && (!c.first || !c.next || !c.held))
            st = ALM_ENOMEM;
        for (size_t k = 0; st == ALM_OK && k < ds->nind; k++)
            c.first[k] = NO_POS;
        /* Places chained in reverse, so that each id's come in order. */
        for (size_t i = npicked; st == ALM_OK && i-- > 0;) {
            c.next[i] = c.first[picked[i]];
            c.first[picked[i]] = i;
        }
    }
    if (st == ALM_OK && !(c.w = alm_fit_ws_new(64, &err)))
        st = ALM_ENOMEM;
    if (st == ALM_OK)
        st = run(s, &c);
    if (c.total >= 1000)
        alm__progress("fitting series", c.total, c.total);
    long date = c.as_of_given ? c.o.as_of : ds->latest;
    for (size_t i = 0; st == ALM_OK && i < npicked; i++)
        st = sink->fn(sink->ctx, ds, &date, &c.held[i]);
    for (size_t i = 0; c.held && i < npicked; i++)
        alm_projection_release(&c.held[i]);
    free(c.held);
    free(c.first);
    free(c.next);
    free(picked);
    alm_fit_ws_free(c.w);
    alm__stream_close(s, st == ALM_OK ? ds_out : NULL);
    if (st == ALM_OK)
        *as_of = date;
    return st == ALM_OK;
}
