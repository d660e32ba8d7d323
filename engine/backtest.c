/* Backtests: hold out the last periods, project them, score (backtest.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/backtest.h>

#include "internal.h"

/* The in-sample one-step naive error: mean |y[i] - y[i-1]|, i = 1..n-1. */
static double naive_scale(const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 1; i < n; i++)
        s += fabs(y[i] - y[i - 1]);
    return s / (double)(n - 1);
}

enum alm_status alm_backtest_series(struct alm_fit_ws *w, const double *t,
                                    const double *y, size_t n,
                                    enum alm_kind kind,
                                    const struct alm_model_spec *m, size_t hold,
                                    double level, struct alm_backtest_row *out,
                                    struct alm_error *err)
{
    struct alm_backtest_row r;
    memset(&r, 0, sizeof r);
    r.model = *m;
    r.chosen = *m;
    r.hold = hold;
    r.mae = r.mase = r.coverage = NAN;
    if (hold == 0)
        return alm_fail(err, ALM_EINPUT,
                        "the periods to hold out are a whole number above 0");
    if (n < hold + 2) {
        snprintf(r.note, sizeof r.note,
                 "%zu point%s: holding out %zu leaves fewer than 2 to fit", n,
                 n == 1 ? "" : "s", hold);
        *out = r;
        return ALM_OK;
    }
    r.n = n - hold;
    struct alm_fit f;
    struct alm_error ferr;
    alm_error_clear(&ferr);
    if (alm_fit_series_to(w, t, y, r.n, kind, m, t[n - 1], &f, &ferr) !=
        ALM_OK) {
        if (ferr.status != ALM_EINPUT)
            return alm_fail(err, ferr.status, "%s", ferr.msg);
        snprintf(r.note, sizeof r.note, "%s", ferr.msg);
        *out = r;
        return ALM_OK;
    }
    r.chosen = f.model;
    double sum = 0;
    for (size_t i = r.n; i < n; i++) {
        struct alm_forecast fc;
        enum alm_status st = alm_fit_predict(&f, t[i], level, &fc, err);
        if (st != ALM_OK)
            return st;
        sum += fabs(fc.value - y[i]);
        if (!isnan(fc.lower) && !isnan(fc.upper)) {
            r.intervals++;
            if (y[i] >= fc.lower && y[i] <= fc.upper)
                r.covered++;
        }
    }
    r.scored = true;
    r.mae = sum / (double)hold;
    double scale = naive_scale(y, r.n);
    if (scale > 0)
        r.mase = r.mae / scale;
    else
        snprintf(r.note, sizeof r.note,
                 "the fitted points are constant: no MASE");
    if (r.intervals)
        r.coverage = (double)r.covered / (double)r.intervals;
    *out = r;
    return ALM_OK;
}

enum alm_status alm_backtest_hold_parse(const char *text, size_t *out,
                                        struct alm_error *err)
{
    int k = 0;
    if (alm__parse_int(text, &k, NULL) != ALM_OK || k < 1 || k > 1000) {
        char q[80];
        alm_fail(err, ALM_EINPUT,
                 "expected a whole number of periods from 1 to 1000 (5), got "
                 "'%s'",
                 alm_error_quote(text, q, sizeof q));
        alm_error_locate(err, NULL, 0, "--hold");
        return ALM_EINPUT;
    }
    *out = (size_t)k;
    return ALM_OK;
}

/* The points of indicator ind that fit fits: every period as of the date,
 * forecasts (status F) left out. *t and *y are malloc'd. */
static enum alm_status series_of(const struct alm_dataset *ds, size_t ind,
                                 long as_of, double **t, double **y, size_t *n,
                                 struct alm_error *err)
{
    size_t *idx = NULL, m = 0;
    enum alm_status st =
        alm_dataset_series(ds, ind, as_of, false, &idx, &m, err);
    if (st != ALM_OK)
        return st;
    *t = calloc(m ? m : 1, sizeof **t);
    *y = calloc(m ? m : 1, sizeof **y);
    *n = 0;
    if (!*t || !*y) {
        free(idx);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m; i++) {
        const struct alm_obs *ob = &ds->obs[idx[i]];
        if (ob->status == 'F')
            continue;
        (*t)[*n] = alm_period_time(&ob->period);
        (*y)[*n] = ob->value;
        (*n)++;
    }
    free(idx);
    return ALM_OK;
}

/* Appends the rows of one indicator to *rows (capacity *cap). */
static enum alm_status
backtest_one(struct alm_fit_ws *w, const struct alm_dataset *ds, size_t ind,
             const struct alm_backtest_opts *o, struct alm_backtest_row **rows,
             size_t *nrows, size_t *cap, struct alm_error *err)
{
    double *t = NULL, *y = NULL;
    size_t n = 0;
    enum alm_status st = series_of(ds, ind, o->as_of, &t, &y, &n, err);
    struct alm_model_spec models[4];
    size_t nm = 1;
    models[0] =
        o->one_model ? o->model : (struct alm_model_spec){ALM_MODEL_AUTO, 0};
    /* A series too short to score gets one row saying so, not one per
     * model. */
    if (st == ALM_OK && !o->one_model && n >= o->hold + 2)
        nm +=
            alm_auto_candidates(ds->ind[ind].kind, y, n - o->hold, models + 1);
    for (size_t k = 0; k < nm && st == ALM_OK; k++) {
        if (*nrows == *cap) {
            size_t c = *cap ? 2 * *cap : 16;
            struct alm_backtest_row *r = realloc(*rows, c * sizeof *r);
            if (!r) {
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
                break;
            }
            *rows = r;
            *cap = c;
        }
        struct alm_backtest_row *r = &(*rows)[*nrows];
        st = alm_backtest_series(w, t, y, n, ds->ind[ind].kind, &models[k],
                                 o->hold, o->level, r, err);
        if (st == ALM_OK) {
            r->ind = ind;
            (*nrows)++;
        }
    }
    free(t);
    free(y);
    return st;
}

enum alm_status alm_backtest_all(const struct alm_dataset *ds,
                                 const size_t *ids, size_t n,
                                 const struct alm_backtest_opts *o,
                                 struct alm_backtest_row **out, size_t *nout,
                                 struct alm_error *err)
{
    size_t m = ids ? n : ds->nind, nrows = 0, cap = 0;
    struct alm_backtest_row *rows = NULL;
    if (o->hold == 0)
        return alm_fail(err, ALM_EINPUT,
                        "the periods to hold out are a whole number above 0");
    struct alm_fit_ws *w = alm_fit_ws_new(alm_dataset_longest(ds), err);
    enum alm_status st = w ? ALM_OK : ALM_ENOMEM;
    for (size_t k = 0; k < m && st == ALM_OK; k++)
        st = backtest_one(w, ds, ids ? ids[k] : k, o, &rows, &nrows, &cap, err);
    alm_fit_ws_free(w);
    if (st != ALM_OK) {
        free(rows);
        return st;
    }
    *out = rows;
    *nout = nrows;
    return ALM_OK;
}
