/* Tests of backtests. Every expected figure is worked by hand in the
 * comments, never computed by this code; R 4.2.2 with forecast 8.20
 * agrees (accuracy(meanf(x, h = 3), xx) and accuracy(rwf(x, h = 3, drift
 * = TRUE), xx) give the same MAE and MASE; rwf's bounds use normal
 * quantiles where ours use t, with the same points inside). */
#include <math.h>
#include <string.h>

#include <almanac/backtest.h>

#include "../check.h"

/* Eight years; the first five are fitted, the last three held out:
 *   fitted    y = 1, 3, 2, 4, 6      (t = 2000.5 .. 2004.5)
 *   held out  y = 5, 7, 9            (t = 2005.5 .. 2007.5)
 * The naive one-step error of the fitted points, MASE's scale:
 *   (|3-1| + |2-3| + |4-2| + |6-4|) / 4 = 7/4 = 1.75. */
static const double T[] = {2000.5, 2001.5, 2002.5, 2003.5,
                           2004.5, 2005.5, 2006.5, 2007.5};
static const double Y[] = {1, 3, 2, 4, 6, 5, 7, 9};

static struct alm_fit_ws *w;

static struct alm_backtest_row run(enum alm_model model, enum alm_kind kind,
                                   double level)
{
    struct alm_model_spec m = {model, 0};
    struct alm_backtest_row r;
    struct alm_error err;
    alm_error_clear(&err);
    memset(&r, 0, sizeof r);
    CHECK_AT(alm_backtest_series(w, T, Y, 8, kind, &m, 3, level, &r, &err) ==
                 ALM_OK,
             "%s", err.msg);
    return r;
}

static void test_hand(void)
{
    /* mean: 16/5 = 3.2; errors 1.8, 3.8, 5.8; MAE 11.4/3 = 3.8; MASE
     * 3.8/1.75. s = sqrt(14.8/4) = 1.9235, half-width t(4, .975) s
     * sqrt(1 + 1/5) = 2.7764 * 2.1071 = 5.850: -2.650 .. 9.050 holds all
     * three. */
    struct alm_backtest_row r = run(ALM_MODEL_MEAN, ALM_KIND_VALUE, 95);
    CHECK(r.scored && r.n == 5 && r.hold == 3);
    CHECK_REL(r.mae, 3.8, 1e-12);
    CHECK_REL(r.mase, 3.8 / 1.75, 1e-12);
    CHECK_INT(r.covered, 3);
    CHECK_INT(r.intervals, 3);
    CHECK_REL(r.coverage, 1.0, 1e-15);

    /* drift: mu = (6 - 1)/4 = 1.25; forecasts 7.25, 8.5, 9.75; errors
     * 2.25, 1.5, 0.75; MAE 1.5; MASE 1.5/1.75. sigma^2 = (0.75^2 + 2.25^2
     * + 0.75^2 + 0.75^2)/3 = 2.25; at 50% t(3, .75) = 0.76489:
     *   h = 1: 7.25 +- 0.76489 * 1.5 sqrt(1.25) = 5.967 .. 8.533 (5 out)
     *   h = 2: 8.5 +- 0.76489 * 1.5 sqrt(3) = 6.513 .. 10.49 (7 in)
     *   h = 3: 9.75 +- 0.76489 * 1.5 sqrt(5.25) = 7.121 .. 12.38 (9 in) */
    r = run(ALM_MODEL_DRIFT, ALM_KIND_VALUE, 50);
    CHECK_REL(r.mae, 1.5, 1e-12);
    CHECK_REL(r.mase, 1.5 / 1.75, 1e-12);
    CHECK_INT(r.covered, 2);
    CHECK_INT(r.intervals, 3);
    CHECK_REL(r.coverage, 2.0 / 3.0, 1e-15);

    /* linear: slope 11/10 = 1.1 through (2002.5, 3.2); forecasts 6.5, 7.6,
     * 8.7; errors 1.5, 0.6, 0.3; MAE 0.8; MASE 0.8/1.75. */
    r = run(ALM_MODEL_LINEAR, ALM_KIND_VALUE, 95);
    CHECK_REL(r.mae, 0.8, 1e-12);
    CHECK_REL(r.mase, 0.8 / 1.75, 1e-12);

    /* theil-sen has no interval: no coverage. */
    r = run(ALM_MODEL_THEIL_SEN, ALM_KIND_VALUE, 95);
    CHECK(r.scored && r.intervals == 0 && isnan(r.coverage));

    /* auto for a growth rate weighs mean, linear and drift on the five
     * fitted points, one step ahead at origins 3, 4, 5:
     *   mean    2, 2, 2.5    errors 0, 2, 3.5
     *   linear  5, 3, 4.5    errors 3, 1, 1.5
     *   drift   5, 2.5, 5    errors 3, 1.5, 1
     * all MAE 5.5/3: the tie goes to fewer parameters, then the order
     * (mean before drift), so auto projects the mean: its scores. */
    r = run(ALM_MODEL_AUTO, ALM_KIND_GROWTH, 95);
    CHECK(r.model.model == ALM_MODEL_AUTO);
    CHECK(r.chosen.model == ALM_MODEL_MEAN);
    CHECK_REL(r.mae, 3.8, 1e-12);
}

static void test_awkward(void)
{
    struct alm_model_spec m = {ALM_MODEL_LINEAR, 0};
    struct alm_backtest_row r;
    struct alm_error err;
    alm_error_clear(&err);
    /* Four points, three held out: one left, not enough. */
    CHECK(alm_backtest_series(w, T, Y, 4, ALM_KIND_VALUE, &m, 3, 95, &r,
                              NULL) == ALM_OK);
    CHECK(!r.scored && strstr(r.note, "fewer than 2 to fit"));
    /* A model that cannot fit is a note, not an error. */
    const double y0[] = {0, 1, 2, 3, 4, 5, 6, 7};
    m.model = ALM_MODEL_LOGLINEAR;
    CHECK(alm_backtest_series(w, T, y0, 8, ALM_KIND_VALUE, &m, 3, 95, &r,
                              NULL) == ALM_OK);
    CHECK(!r.scored && strstr(r.note, "above 0"));
    /* Constant fitted points: no MASE, MAE still. */
    const double yc[] = {2, 2, 2, 2, 2, 3, 3, 3};
    m.model = ALM_MODEL_MEAN;
    CHECK(alm_backtest_series(w, T, yc, 8, ALM_KIND_VALUE, &m, 3, 95, &r,
                              NULL) == ALM_OK);
    CHECK(r.scored && r.mae == 1 && isnan(r.mase) && strstr(r.note, "MASE"));
    /* Holding out nothing is a bad option. */
    CHECK(alm_backtest_series(w, T, Y, 8, ALM_KIND_VALUE, &m, 0, 95, &r,
                              &err) == ALM_EINPUT);
    size_t h = 0;
    CHECK(alm_backtest_hold_parse("0", &h, NULL) == ALM_EINPUT);
    CHECK(alm_backtest_hold_parse("5x", &h, NULL) == ALM_EINPUT);
    CHECK(alm_backtest_hold_parse("5", &h, NULL) == ALM_OK && h == 5);
}

int main(void)
{
    alm_init();
    w = alm_fit_ws_new(8, NULL);
    test_hand();
    test_awkward();
    alm_fit_ws_free(w);
    return check_done();
}
