/* Backtests (SPEC.md, `backtest`): hold out the last H periods of a
 * series, fit a model to the rest, project the held-out periods and score
 * the projection against what was observed.
 *
 * Scores of one model on one series:
 *   MAE       mean |forecast - observed| over the H held-out points, in
 *             the indicator's unit;
 *   MASE      MAE divided by the in-sample one-step naive error, the mean
 *             |y[i] - y[i-1]| over the points fitted (Hyndman and
 *             Koehler's scaling, R's forecast::accuracy); NaN when that
 *             is 0 (a constant series);
 *   coverage  the share of held-out points inside the prediction interval
 *             at the level asked for; NaN when the model has no interval.
 *
 * Ownership: struct alm_backtest_row is self-contained; an array from
 * alm_backtest_all() is freed with free(). Its table and CSV are in
 * backtest_view.h. */
#ifndef ALMANAC_BACKTEST_H
#define ALMANAC_BACKTEST_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/fit.h>

struct alm_backtest_row {
    size_t ind;                   /* indicator (alm_backtest_all) */
    struct alm_model_spec model;  /* the model backtested */
    struct alm_model_spec chosen; /* for auto: the model it chose */
    bool scored;                  /* false: see note */
    size_t n;                     /* points fitted */
    size_t hold;                  /* points held out */
    double mae, mase, coverage;
    size_t covered, intervals; /* held-out points inside / with a bound */
    char note[600];            /* why there is no score, or "" */
};

/* Backtests model m on the n points (t, y) of an indicator of the given
 * kind: fits the first n - hold, projects the last hold at level percent.
 * A series too short (the model needs its points, and MASE needs two
 * fitted) is not an error: out->scored is false and the note says why.
 * Errors: hold of 0, lack of memory. */
enum alm_status alm_backtest_series(struct alm_fit_ws *w, const double *t,
                                    const double *y, size_t n,
                                    enum alm_kind kind,
                                    const struct alm_model_spec *m, size_t hold,
                                    double level, struct alm_backtest_row *out,
                                    struct alm_error *err);

struct alm_backtest_opts {
    size_t hold;
    bool one_model;              /* false: auto and each of its candidates */
    struct alm_model_spec model; /* when one_model */
    double level;                /* percent, e.g. 95 */
    long as_of;                  /* vintages not after this date */
};

/* Parses a --hold value: a whole number of periods from 1 to 1000. */
enum alm_status alm_backtest_hold_parse(const char *text, size_t *out,
                                        struct alm_error *err);

/* Backtests the n indicators ids[0..n) (every indicator when ids is NULL)
 * of ds as of o->as_of, leaving out forecasts (status F) as fit does: one
 * model (o->one_model), or auto and each candidate auto has for the
 * indicator's kind (fit.h, alm_auto_candidates). *out gets *nout rows. */
enum alm_status alm_backtest_all(const struct alm_dataset *ds,
                                 const size_t *ids, size_t n,
                                 const struct alm_backtest_opts *o,
                                 struct alm_backtest_row **out, size_t *nout,
                                 struct alm_error *err);

#endif
