/* Projections of dataset indicators, and the fit command's output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/project.h>

#include "internal.h"

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
    for (size_t i = 0; i < m; i++) {
        const struct alm_obs *ob = &ds->obs[idx[i]];
        if (ob->status == 'F') {
            p.forecasts++;
            continue;
        }
        if (ob->qual != ALM_QUAL_NONE)
            p.qualified++;
        if (ob->status == 'B') {
            char per[ALM_PERIOD_TEXT_MAX];
            size_t len = strlen(p.breaks);
            alm_period_format(&ob->period, per, sizeof per);
            snprintf(p.breaks + len, sizeof p.breaks - len, "%s%s",
                     len ? " " : "", per);
        }
        if (p.n == 0)
            p.first = ob->period;
        p.last = ob->period;
        p.last_value = ob->value;
        t[p.n] = alm_period_time(&ob->period);
        y[p.n] = ob->value;
        p.n++;
    }
    if (p.forecasts) {
        char s[80];
        snprintf(s, sizeof s, "%zu forecast%s (status F) left out", p.forecasts,
                 p.forecasts > 1 ? "s" : "");
        note_add(&p, s);
    }
    if (p.qualified) {
        char s[80];
        snprintf(s, sizeof s, "%zu qualified figure%s used at the stated value",
                 p.qualified, p.qualified > 1 ? "s" : "");
        note_add(&p, s);
    }
    if (p.breaks[0]) {
        char s[120];
        snprintf(s, sizeof s, "break in series at %s (status B)", p.breaks);
        note_add(&p, s);
    }
    if (p.n == 0) {
        note_add(&p, "no observations to fit");
        goto keep;
    }
    struct alm_error ferr;
    alm_error_clear(&ferr);
    if (alm_fit_series(w, t, y, p.n, in->kind, &o->model, &p.fit, &ferr) !=
        ALM_OK) {
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

    long end = 0;
    st = horizon(ds, ind, o, &p.last, &end, err);
    if (st != ALM_OK)
        goto done;
    struct alm_period per = step(&p.last, in->freq);
    while (alm_period_last_day(&per) <= end) {
        if (p.nrows == ROWS_MAX) {
            st = alm_fail(err, ALM_EINPUT,
                          "more than %d periods to project for '%s': choose "
                          "an earlier --to",
                          ROWS_MAX, in->id);
            goto done;
        }
        struct alm_projection_row *rows =
            realloc(p.rows, (p.nrows + 1) * sizeof *rows);
        if (!rows) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            goto done;
        }
        p.rows = rows;
        struct alm_projection_row *r = &p.rows[p.nrows++];
        r->period = per;
        r->t = alm_period_time(&per);
        st = alm_fit_predict(&p.fit, r->t, o->level, &r->f, err);
        if (st != ALM_OK)
            goto done;
        double lo = isnan(r->f.lower) ? r->f.value : r->f.lower;
        double hi = isnan(r->f.upper) ? r->f.value : r->f.upper;
        r->crosses =
            ((in->kind == ALM_KIND_SHARE || in->kind == ALM_KIND_LEVEL ||
              in->kind == ALM_KIND_COUNT) &&
             lo < 0) ||
            (in->kind == ALM_KIND_SHARE && hi > 100);
        per = step(&per, in->freq);
    }
    for (size_t i = 0; i < p.nrows; i++) {
        if (p.rows[i].crosses) {
            note_add(&p, in->kind == ALM_KIND_SHARE
                             ? "the interval leaves 0..100 (kept as computed)"
                             : "the interval goes below 0 (kept as computed)");
            break;
        }
    }
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
