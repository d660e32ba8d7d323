/* Tests of the least-squares core on small problems whose answers are
 * worked out by hand in the comments (exact fractions, then their decimal
 * values). The NIST StRD certification is tests/cert/test_nist.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/csvio.h>
#include <almanac/ols.h>

#include "../check.h"
#include "internal.h"

static struct alm_ols_ws *ws(size_t nmax, size_t pmax)
{
    struct alm_error err;
    alm_error_clear(&err);
    struct alm_ols_ws *w = alm_ols_ws_new(nmax, pmax, &err);
    CHECK_AT(w != NULL, "alm_ols_ws_new: %s", err.msg);
    return w;
}

/* A line through three points: x = 1, 2, 4; y = 3, 4, 8.
 *   mean x = 7/3, mean y = 5,
 *   Sxx = (16 + 1 + 25)/9 = 14/3, Sxy = 8/3 + 1/3 + 15/3 = 8,
 *   slope = 8 / (14/3) = 12/7, intercept = 5 - (12/7)(7/3) = 1.
 *   Residuals 3 - 19/7 = 2/7, 4 - 31/7 = -3/7, 8 - 55/7 = 1/7,
 *   RSS = (4 + 9 + 1)/49 = 2/7, s^2 = RSS/(3 - 2) = 2/7.
 *   X'X = [3 7; 7 21], det 14, (X'X)^-1 = [3/2 -1/2; -1/2 3/14].
 *   se(slope) = sqrt(2/7 * 3/14) = sqrt(3)/7,
 *   se(intercept) = sqrt(2/7 * 3/2) = sqrt(3/7).
 *   TSS = 4 + 1 + 9 = 14, R^2 = 1 - (2/7)/14 = 48/49.
 *   At x0 = 3: h = 1/3 + (3 - 7/3)^2 / (14/3) = 1/3 + 2/21 = 3/7, and
 *   the fitted value is 1 + 36/7 = 43/7. */
static void test_line(void)
{
    const double x[] = {1, 2, 4}, y[] = {3, 4, 8};
    struct alm_ols_input in = {0};
    in.n = 3;
    in.y = y;
    in.k = 1;
    in.x = x;
    in.intercept = true;
    struct alm_ols_ws *w = ws(10, 4);
    struct alm_ols fit;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_ols_count_params(&in) == 2);
    CHECK(alm_ols_fit(w, &in, &fit, &err) == ALM_OK);
    CHECK_INT(fit.n, 3);
    CHECK_INT(fit.p, 2);
    CHECK(fit.intercept);
    CHECK_REL(fit.coef[0], 1.0, 1e-15);
    CHECK_REL(fit.coef[1], 12.0 / 7.0, 1e-15);
    CHECK_REL(fit.se[0], sqrt(3.0 / 7.0), 1e-14);
    CHECK_REL(fit.se[1], sqrt(3.0) / 7.0, 1e-14);
    CHECK_REL(fit.rss, 2.0 / 7.0, 1e-14);
    CHECK_REL(fit.tss, 14.0, 1e-15);
    CHECK_REL(fit.sigma, sqrt(2.0 / 7.0), 1e-14);
    CHECK_REL(fit.r_squared, 48.0 / 49.0, 1e-15);
    CHECK_REL(fit.resid[0], 2.0 / 7.0, 1e-14);
    CHECK_REL(fit.resid[1], -3.0 / 7.0, 1e-14);
    CHECK_REL(fit.resid[2], 1.0 / 7.0, 1e-14);
    CHECK_REL(fit.xtx_inv[0], 1.5, 1e-14);
    CHECK_REL(fit.xtx_inv[1], -0.5, 1e-14);
    CHECK_REL(fit.xtx_inv[2], -0.5, 1e-14);
    CHECK_REL(fit.xtx_inv[3], 3.0 / 14.0, 1e-14);
    CHECK_REL(fit.cov[1], -0.5 * 2.0 / 7.0, 1e-14); /* s^2 (X'X)^-1 */
    CHECK_REL(fit.cov[3], 3.0 / 49.0, 1e-14);

    double x0 = 3, h = 0, yhat = 0;
    CHECK(alm_ols_predict_var(&fit, &x0, &h, &err) == ALM_OK);
    CHECK_REL(h, 3.0 / 7.0, 1e-15);
    CHECK(alm_ols_predict(&fit, &x0, &yhat, &err) == ALM_OK);
    CHECK_REL(yhat, 43.0 / 7.0, 1e-15);

    /* A later fit on the same workspace makes this one stale. */
    struct alm_ols again;
    CHECK(alm_ols_fit(w, &in, &again, &err) == ALM_OK);
    CHECK(alm_ols_predict_var(&fit, &x0, &h, &err) == ALM_EBUG);
    CHECK(strstr(err.msg, "later fit") != NULL);
    alm_error_clear(&err);
    CHECK(alm_ols_predict_var(&again, &x0, &h, &err) == ALM_OK);
    x0 = NAN;
    CHECK(alm_ols_predict(&again, &x0, &yhat, &err) == ALM_EINPUT);
    alm_ols_ws_free(w);
}

/* Through the origin: x = 1, 2, 3; y = 2, 3, 7.
 *   b = Sum xy / Sum x^2 = (2 + 6 + 21)/14 = 29/14.
 *   Residuals -1/14, -16/14, 11/14; RSS = (1 + 256 + 121)/196 = 27/14;
 *   s^2 = (27/14)/2 = 27/28; se(b) = sqrt(s^2 / 14) = sqrt(27/392).
 *   R^2 is uncentred: 1 - RSS / Sum y^2 = 1 - (27/14)/62 = 841/868. */
static void test_no_intercept(void)
{
    const double x[] = {1, 2, 3}, y[] = {2, 3, 7};
    struct alm_ols_input in = {0};
    in.n = 3;
    in.y = y;
    in.k = 1;
    in.x = x;
    struct alm_ols_ws *w = ws(3, 1);
    struct alm_ols fit;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_ols_fit(w, &in, &fit, &err) == ALM_OK);
    CHECK_INT(fit.p, 1);
    CHECK(!fit.intercept);
    CHECK_REL(fit.coef[0], 29.0 / 14.0, 1e-15);
    CHECK_REL(fit.rss, 27.0 / 14.0, 1e-14);
    CHECK_REL(fit.se[0], sqrt(27.0 / 392.0), 1e-14);
    CHECK_REL(fit.tss, 62.0, 1e-15);
    CHECK_REL(fit.r_squared, 841.0 / 868.0, 1e-15);
    alm_ols_ws_free(w);
}

/* y = 1 + 2x + 3x^2 exactly at x = 0, 1, 2, 3 (y = 1, 6, 17, 34): the fit
 * recovers 1, 2, 3 with zero residual; at x0 = 1.5 the fitted value is
 * 1 + 3 + 6.75 = 10.75. */
static void test_poly(void)
{
    const double x[] = {0, 1, 2, 3}, y[] = {1, 6, 17, 34};
    struct alm_ols_input in = {0};
    in.n = 4;
    in.y = y;
    in.k = 1;
    in.x = x;
    in.degree = 2;
    in.intercept = true;
    struct alm_ols_ws *w = ws(4, 3);
    struct alm_ols fit;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_INT(alm_ols_count_params(&in), 3);
    CHECK(alm_ols_fit(w, &in, &fit, &err) == ALM_OK);
    CHECK_REL(fit.coef[0], 1.0, 1e-15);
    CHECK_REL(fit.coef[1], 2.0, 1e-15);
    CHECK_REL(fit.coef[2], 3.0, 1e-15);
    CHECK(fabs(fit.sigma) < 1e-15);
    CHECK_REL(fit.r_squared, 1.0, 1e-15);
    double x0 = 1.5, yhat = 0;
    CHECK(alm_ols_predict(&fit, &x0, &yhat, &err) == ALM_OK);
    CHECK_REL(yhat, 10.75, 1e-15);
    alm_ols_ws_free(w);
}

/* n == p: the line through (1, 2.5) and (3, 7.25) has slope 4.75/2 =
 * 2.375 and intercept 2.5 - 2.375 = 0.125. No degree of freedom is left,
 * so sigma, se and cov are NaN. X'X = [2 4; 4 10], det 4,
 * (X'X)^-1 = [5/2 -1; -1 1/2]; at x0 = 2, h = 5/2 - 4 + 2 = 1/2. */
static void test_exact_fit(void)
{
    const double x[] = {1, 3}, y[] = {2.5, 7.25};
    struct alm_ols_input in = {0};
    in.n = 2;
    in.y = y;
    in.k = 1;
    in.x = x;
    in.intercept = true;
    struct alm_ols_ws *w = ws(2, 2);
    struct alm_ols fit;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_ols_fit(w, &in, &fit, &err) == ALM_OK);
    CHECK_REL(fit.coef[0], 0.125, 1e-15);
    CHECK_REL(fit.coef[1], 2.375, 1e-15);
    CHECK(isnan(fit.sigma));
    CHECK(isnan(fit.se[0]) && isnan(fit.se[1]));
    CHECK(isnan(fit.cov[0]));
    CHECK_REL(fit.r_squared, 1.0, 1e-15);
    CHECK_REL(fit.xtx_inv[0], 2.5, 1e-15);
    CHECK_REL(fit.xtx_inv[3], 0.5, 1e-15);
    double x0 = 2, h = 0;
    CHECK(alm_ols_predict_var(&fit, &x0, &h, &err) == ALM_OK);
    CHECK_REL(h, 0.5, 1e-15);
    alm_ols_ws_free(w);
}

/* Fits and expects failure with status st and a message containing want. */
static void expect_fail(const struct alm_ols_input *in, enum alm_status st,
                        const char *want)
{
    struct alm_ols_ws *w = ws(4, 3);
    struct alm_ols fit;
    memset(&fit, 0xAB, sizeof fit);
    unsigned char before[sizeof fit];
    memcpy(before, &fit, sizeof fit);
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status got = alm_ols_fit(w, in, &fit, &err);
    CHECK_AT(got == st, "status %d, want %d (%s)", (int)got, (int)st, err.msg);
    CHECK_AT(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg,
             want);
    /* Untouched on failure: every byte, padding included, as before. */
    // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison)
    CHECK(memcmp(before, &fit, sizeof fit) == 0);
    alm_ols_ws_free(w);
}

static void test_errors(void)
{
    const double x2[] = {1.5, 2.5}, y2[] = {3.1, 4.2};
    struct alm_ols_input in = {0};
    in.n = 2;
    in.y = y2;
    in.k = 1;
    in.x = x2;
    in.degree = 2;
    in.intercept = true;
    expect_fail(&in, ALM_EINPUT,
                "needs at least 3 observations for 3 parameters, got 2");

    /* x2 = 2 * x1: rank-deficient, named by the dependent column. */
    const char *names[] = {"x1", "x2"};
    const double xx[] = {1, 2, 2, 4, 3, 6, 5, 10}, y4[] = {1.5, 2.2, 3.9, 4.1};
    struct alm_ols_input dep = {0};
    dep.n = 4;
    dep.y = y4;
    dep.k = 2;
    dep.x = xx;
    dep.intercept = true;
    dep.names = names;
    expect_fail(&dep, ALM_EINPUT,
                "'x2' is a linear combination of the terms before it");
    dep.names = NULL;
    expect_fail(&dep, ALM_EINPUT, "column 2 is a linear combination");

    /* A constant column duplicates the intercept. */
    const double xc[] = {7, 1, 7, 2, 7, 3, 7, 5};
    dep.x = xc;
    dep.names = names;
    expect_fail(&dep, ALM_EINPUT, "'x1' is a linear combination");

    /* Only two distinct x: x^2 depends on 1 and x. */
    const double xq[] = {1, 2, 1, 2};
    struct alm_ols_input q = {0};
    const char *t[] = {"t"};
    q.n = 4;
    q.y = y4;
    q.k = 1;
    q.x = xq;
    q.degree = 2;
    q.intercept = true;
    q.names = t;
    expect_fail(&q, ALM_EINPUT, "'t^2' is a linear combination");

    /* A column of zeros. */
    const double xz[] = {0, 0, 0, 0};
    q.x = xz;
    q.degree = 0;
    expect_fail(&q, ALM_EINPUT, "'t' is zero in every observation");

    /* A power that overflows. */
    const double xo[] = {1, 2, 1e200, 3};
    q.x = xo;
    q.degree = 2;
    expect_fail(&q, ALM_EINPUT, "observation 3: 't^2' is not a finite number");

    /* Bad y. */
    const double yn[] = {1, NAN, 2, 3};
    q.x = xc + 4;
    q.y = yn;
    q.degree = 1;
    expect_fail(&q, ALM_EINPUT, "observation 2: y is not a finite number");

    /* Raw powers up to x^14 of x = 10, 10.25, ..., 17.25: past what
     * double-precision factors can refine (x^13 already is). */
    double xi[30], yi[30];
    for (int i = 0; i < 30; i++) {
        xi[i] = 10 + 0.25 * i;
        yi[i] = (double)((7 * i) % 5) - 2.0;
    }
    struct alm_ols_input ill = {0};
    ill.n = 30;
    ill.y = yi;
    ill.k = 1;
    ill.x = xi;
    ill.degree = 14;
    ill.intercept = true;
    struct alm_ols_ws *w = ws(30, 15);
    struct alm_ols fit;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_ols_fit(w, &ill, &fit, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "too ill-conditioned") != NULL);
    alm_ols_ws_free(w);

    /* No terms, a polynomial of two columns, too large for the workspace. */
    struct alm_ols_input none = {0};
    none.n = 4;
    none.y = y4;
    expect_fail(&none, ALM_EINPUT, "no terms");
    dep.degree = 2;
    expect_fail(&dep, ALM_EINPUT, "exactly one x column, got 2");
    const double y5[] = {1, 2, 3, 4, 5}, x5[] = {1, 2, 3, 4, 6};
    struct alm_ols_input big = {0};
    big.n = 5;
    big.y = y5;
    big.k = 1;
    big.x = x5;
    expect_fail(&big, ALM_EBUG, "workspace");

    alm_error_clear(&err);
    CHECK(alm_ols_ws_new(10, 0, &err) == NULL);
    CHECK(err.status == ALM_EINPUT);
    alm_ols_ws_free(NULL);
}

/* Decimal text to double-double. The double nearest 0.1 is
 * 0.1000000000000000055511151231257827021181583404541015625, so the rest
 * is -5.5511151231257827021e-18; the double nearest 0.0025 is
 * 0.0025000000000000000520417042793042128323577..., so the rest of
 * -2.5E-03 is +5.2041704279304212832e-20 (exact decimal expansions). */
static void test_parse_value(void)
{
    struct alm_error err;
    double hi = 0, lo = 0;
    alm_error_clear(&err);
    CHECK(alm_ols_parse_value("0.1", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == 0.1);
    CHECK_REL(lo, -5.5511151231257827021e-18, 1e-15);
    CHECK(alm_ols_parse_value("-2.5E-03", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == -2.5e-3);
    CHECK_REL(lo, 5.2041704279304212832e-20, 1e-15);
    CHECK(alm_ols_parse_value(".11019", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == 0.11019);
    CHECK(fabs(lo) <= 0.5 * 0x1p-56 && lo != 0);
    CHECK(alm_ols_parse_value("20480063", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == 20480063.0 && lo == 0.0);
    CHECK(alm_ols_parse_value("1e3", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == 1000.0 && lo == 0.0);
    CHECK(alm_ols_parse_value("00012.5000", &hi, &lo, &err) == ALM_OK);
    CHECK(hi == 12.5 && lo == 0.0);
    hi = 42;
    CHECK(alm_ols_parse_value("1,5", &hi, &lo, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "'1,5'") != NULL);
    CHECK(hi == 42);
    alm_error_clear(&err);
    CHECK(alm_ols_parse_value("nan", &hi, &lo, &err) == ALM_EINPUT);
}

/* Agreement to 12 significant digits of a and b (the closed form and the
 * refined QR); a value that is zero to 1e-12 of its scale (an estimate
 * beside its standard error) counts as agreeing. */
static double worst_agree = 99.0;
static void agree(const char *what, const char *q, double a, double b,
                  double scale)
{
    double d = fabs(a - b), m = fmax(fmax(fabs(a), fabs(b)), scale);
    double digits = d == 0 ? 99.0 : -log10(d / m);
    worst_agree = fmin(worst_agree, digits);
    CHECK_AT(digits >= 12.0, "%s %s: closed form %.17g, refined QR %.17g", what,
             q, a, b);
}

/* Fits the line y = b0 + b1 x to (x, y) in closed form and by the refined
 * QR, and checks that estimates, SEs, sigma, R^2, RSS, residuals, and the
 * prediction and leverage at three points agree to 12 digits. */
static void compare_line(const char *what, const double *x, const double *xlo,
                         const double *y, const double *ylo, size_t n)
{
    struct alm_ols_ws *wf = ws(n, 2), *wq = ws(n, 2);
    if (!wf || !wq) {
        alm_ols_ws_free(wf);
        alm_ols_ws_free(wq);
        return;
    }
    alm__ols_refined_only(wq, true);
    struct alm_ols_input in = {0};
    in.n = n;
    in.y = y;
    in.y_lo = ylo;
    in.k = 1;
    in.x = x;
    in.x_lo = xlo;
    in.intercept = true;
    struct alm_error err;
    alm_error_clear(&err);
    struct alm_ols f, q;
    CHECK_AT(alm_ols_fit(wf, &in, &f, &err) == ALM_OK, "%s: %s", what, err.msg);
    CHECK_AT(alm_ols_fit(wq, &in, &q, &err) == ALM_OK, "%s: %s", what, err.msg);
    if (f.p == 2 && q.p == 2) {
        /* An exact fit (NoInt1 is the line y = x + 70) leaves residuals of
         * about 1e-44 in the QR and exactly 0 in the closed form: zero to
         * 1e-30 of the data's size counts as zero. */
        double tiny = 0;
        for (size_t i = 0; i < n; i++)
            tiny = fmax(tiny, fabs(y[i]) * 1e-30);
        for (size_t j = 0; j < 2; j++) {
            agree(what, j ? "b1" : "b0", f.coef[j], q.coef[j], q.se[j]);
            agree(what, j ? "se(b1)" : "se(b0)", f.se[j], q.se[j],
                  tiny * sqrt(q.xtx_inv[3 * j]));
        }
        for (size_t j = 0; j < 4; j++)
            agree(what, "(X'X)^-1", f.xtx_inv[j], q.xtx_inv[j],
                  sqrt(q.xtx_inv[0] * q.xtx_inv[3]));
        agree(what, "sigma", f.sigma, q.sigma, tiny);
        agree(what, "r_squared", f.r_squared, q.r_squared, 0);
        agree(what, "rss", f.rss, q.rss, tiny * tiny * (double)n);
        for (size_t i = 0; i < n; i++)
            agree(what, "residual", f.resid[i], q.resid[i],
                  fmax(q.sigma, tiny));
        double span = fabs(x[n - 1] - x[0]) + 1.0;
        const double at[] = {x[0], x[n - 1] + 0.5 * span, x[0] - 2 * span};
        for (size_t m = 0; m < 3; m++) {
            double yf = 0, yq = 0, hf = 0, hq = 0;
            CHECK(alm_ols_predict(&f, &at[m], &yf, &err) == ALM_OK);
            CHECK(alm_ols_predict(&q, &at[m], &yq, &err) == ALM_OK);
            CHECK(alm_ols_predict_var(&f, &at[m], &hf, &err) == ALM_OK);
            CHECK(alm_ols_predict_var(&q, &at[m], &hq, &err) == ALM_OK);
            agree(what, "prediction", yf, yq, fmax(q.sigma, tiny));
            agree(what, "leverage", hf, hq, 0);
        }
    }
    alm_ols_ws_free(wf);
    alm_ols_ws_free(wq);
}

/* Every NIST StRD set, its y fitted as a straight line in its first x
 * column (Norris is certified as one; on the others the line is still a
 * well-posed fit, on data chosen to be hard), the values entering exactly
 * as double-double (alm_ols_parse_value()). */
static void test_line_nist(void)
{
    static const char *const sets[] = {
        "Norris",   "Pontius",  "NoInt1",   "NoInt2",   "Filip",   "Longley",
        "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"};
    for (size_t s = 0; s < sizeof sets / sizeof *sets; s++) {
        char path[512];
        snprintf(path, sizeof path, "%s/data/nist-strd/%s.csv",
                 ALMANAC_SHARED_DIR, sets[s]);
        struct alm_error err;
        alm_error_clear(&err);
        struct alm_table *t = NULL;
        if (alm_table_read(path, &t, &err) != ALM_OK) {
            CHECK_AT(0, "%s: %s", path, err.msg);
            continue;
        }
        enum { NMAX = 100 };
        double x[NMAX], xlo[NMAX], y[NMAX], ylo[NMAX];
        CHECK(t->nrows <= NMAX && t->ncols >= 2);
        size_t n = t->nrows;
        if (n > NMAX)
            n = NMAX;
        for (size_t i = 0; i < n; i++) {
            CHECK(alm_ols_parse_value(alm_table_cell(t, i, 0), &y[i], &ylo[i],
                                      &err) == ALM_OK);
            CHECK(alm_ols_parse_value(alm_table_cell(t, i, 1), &x[i], &xlo[i],
                                      &err) == ALM_OK);
        }
        compare_line(sets[s], x, xlo, y, ylo, n);
        alm_table_free(t);
    }
}

/* The benchmark's series (tests/bench/gen.py, the same LCG and formula:
 * level + slope k + noise, 3 decimals, 30 annual periods), the first 2,000
 * of them, with t centred as fit.c centres it (year - mean year). */
static void test_line_bench(void)
{
    uint64_t state = 0x2545F4914F6CDD1DULL;
    enum { P = 30 };
    double u[P], y[P];
    char what[32];
    for (int s = 0; s < 2000; s++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double level = 100 + (double)((state >> 40) % 9000);
        double slope = ((double)((state >> 20) % 2001) - 1000) / 100.0;
        for (int k = 0; k < P; k++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            double noise = ((double)((state >> 33) % 20001) - 10000) / 1000.0;
            double v = fabs(level + slope * k + noise);
            char text[32];
            snprintf(text, sizeof text, "%.3f", v);
            y[k] = strtod(text, NULL); /* the value as the CSV holds it */
            u[k] = (1994 + k) - (1994 + 2023) / 2.0;
        }
        snprintf(what, sizeof what, "s%07d", s);
        compare_line(what, u, NULL, y, NULL, P);
    }
}

int main(void)
{
    alm_init();
    test_line();
    test_no_intercept();
    test_poly();
    test_exact_fit();
    test_errors();
    test_parse_value();
    test_line_nist();
    test_line_bench();
    printf("closed-form line against the refined QR: worst %.1f digits\n",
           worst_agree);
    return check_done();
}
