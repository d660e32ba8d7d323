/* Tests of the least-squares core on small problems whose answers are
 * worked out by hand in the comments (exact fractions, then their decimal
 * values). The NIST StRD certification is tests/cert/test_nist.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <almanac/ols.h>

#include "../check.h"

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

int main(void)
{
    alm_init();
    test_line();
    test_no_intercept();
    test_poly();
    test_exact_fit();
    test_errors();
    test_parse_value();
    return check_done();
}
