/* Tests of regress: least squares on the columns of a CSV table, the
 * options as typed, and the CSV writer. Expected values are hand
 * calculations, written out in the comments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/regress.h>
#include <almanac/view.h>

#include "../check.h"

static struct alm_table *table(const char *text)
{
    struct alm_table *t = NULL;
    if (alm_table_parse(text, strlen(text), "in.csv", &t, NULL) != ALM_OK)
        return NULL;
    return t;
}

/* Fits text with opts; NULL on failure, with err filled. */
static struct alm_regress *fit(const char *text,
                               const struct alm_regress_opts *opts,
                               struct alm_error *err)
{
    struct alm_table *t = table(text);
    struct alm_regress *r = NULL;
    alm_error_clear(err);
    if (t && alm_regress_fit(t, opts, &r, err) != ALM_OK)
        r = NULL;
    alm_table_free(t);
    return r;
}

/* y = a + b x on x = 1..4, y = 2, 4, 5, 8:
 *   xbar = 2.5, ybar = 4.75, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5,
 *   Sxy = 4.125 + 0.375 + 0.125 + 4.875 = 9.5, so b = 1.9, a = 4.75 - 4.75
 *   = 0; residuals 0.1, 0.2, -0.7, 0.4, RSS = 0.01 + 0.04 + 0.49 + 0.16 =
 *   0.7; sigma = sqrt(0.7 / 2) = sqrt(0.35); se(b) = sigma / sqrt(Sxx) =
 *   sqrt(0.07); se(a) = sigma sqrt(1/4 + 2.5^2 / 5) = sqrt(0.35 * 1.5) =
 *   sqrt(0.525); TSS = 7.5625 + 0.5625 + 0.0625 + 10.5625 = 18.75, R^2 =
 *   1 - 0.7 / 18.75 = 0.96266666... */
static void test_simple(void)
{
    struct alm_error err;
    struct alm_regress_opts o = {.y = "y"};
    struct alm_regress *r = fit("x,y\n1,2\n2,4\n3,5\n4,8\n", &o, &err);
    CHECK_AT(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_INT(r->n, 4);
    CHECK_INT(r->p, 2);
    CHECK_STR(r->terms[0], "(intercept)");
    CHECK_STR(r->terms[1], "x");
    CHECK_REL(r->coef[0], 0.0, 1e-13); /* absolute, as the value is 0 */
    CHECK_REL(r->coef[1], 1.9, 1e-14);
    CHECK_REL(r->se[0], sqrt(0.525), 1e-13);
    CHECK_REL(r->se[1], sqrt(0.07), 1e-13);
    CHECK_REL(r->sigma, sqrt(0.35), 1e-13);
    CHECK_REL(r->r_squared, 1 - 0.7 / 18.75, 1e-14);
    alm_regress_free(r);

    /* --y defaults to the first column, --x to all the others: with the
     * columns swapped, x on y. y on x and x on y share R^2 (both are the
     * squared correlation, Sxy^2 / (Sxx Syy) = 90.25 / 93.75). */
    struct alm_regress_opts d = {0};
    r = fit("x,y\n1,2\n2,4\n3,5\n4,8\n", &d, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(r->terms[1], "y");
        CHECK_REL(r->coef[1], 9.5 / 18.75, 1e-14); /* Sxy / Syy */
        CHECK_REL(r->r_squared, 90.25 / 93.75, 1e-14);
        alm_regress_free(r);
    }
}

/* No intercept: y = b x on x = 1, 2, 3, y = 2, 4, 6.1. b = sum xy / sum
 * x^2 = 28.3 / 14; RSS = sum y^2 - (sum xy)^2 / sum x^2 = 57.21 - 800.89 /
 * 14; R^2 is uncentred, 1 - RSS / sum y^2 = (800.89 / 14) / 57.21. */
static void test_no_intercept(void)
{
    struct alm_error err;
    struct alm_regress_opts o = {.y = "y", .x = "x", .no_intercept = true};
    struct alm_regress *r = fit("y,x,z\n2,1,9\n4,2,9\n6.1,3,9\n", &o, &err);
    CHECK_AT(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_INT(r->p, 1);
    CHECK_STR(r->terms[0], "x");
    CHECK_REL(r->coef[0], 28.3 / 14, 1e-14);
    double rss = 57.21 - 800.89 / 14;
    CHECK_REL(r->sigma, sqrt(rss / 2), 1e-9);
    CHECK_REL(r->se[0], sqrt(rss / 2) / sqrt(14.0), 1e-9);
    CHECK_REL(r->r_squared, (800.89 / 14) / 57.21, 1e-13);
    alm_regress_free(r);
}

/* --poly 2 on y = 1 + 2x + 3x^2 exactly (x = 0..4: 1, 6, 17, 34, 57):
 * the coefficients come back, the terms are named x and x^2, and sigma
 * is (nearly) 0. */
static void test_poly(void)
{
    struct alm_error err;
    struct alm_regress_opts o = {.y = "y", .x = "x", .poly = "2"};
    struct alm_regress *r = fit("x,y\n0,1\n1,6\n2,17\n3,34\n4,57\n", &o, &err);
    CHECK_AT(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_INT(r->p, 3);
    CHECK_STR(r->terms[1], "x");
    CHECK_STR(r->terms[2], "x^2");
    CHECK_REL(r->coef[0], 1, 1e-13);
    CHECK_REL(r->coef[1], 2, 1e-13);
    CHECK_REL(r->coef[2], 3, 1e-13);
    CHECK(r->sigma < 1e-12);
    CHECK_REL(r->r_squared, 1, 1e-14);
    alm_regress_free(r);

    /* As many coefficients as rows: an exact fit, sigma and se NaN. */
    r = fit("x,y\n0,1\n1,6\n2,17\n", &o, &err);
    CHECK_AT(r != NULL, "%s", err.msg);
    if (r) {
        CHECK(isnan(r->sigma) && isnan(r->se[0]) && isnan(r->se[2]));
        CHECK_REL(r->coef[2], 3, 1e-12);
        alm_regress_free(r);
    }
}

static void test_errors(void)
{
    struct alm_error err;
    const char *data = "x,y\n1,2\n2,4\n3,5\n";
    struct alm_regress_opts o = {.y = "z"};
    CHECK(fit(data, &o, &err) == NULL);
    CHECK_INT(err.status, ALM_EINPUT);
    CHECK_STR(err.field, "--y");
    CHECK_STR(err.msg, "no column 'z' in in.csv; its columns are x, y");

    struct alm_regress_opts x = {.y = "y", .x = "x,y"};
    CHECK(fit(data, &x, &err) == NULL);
    CHECK_STR(err.field, "--x");
    CHECK_STR(err.msg,
              "column 'y' is the response; it cannot also be a regressor");

    struct alm_regress_opts twice = {.y = "y", .x = "x,x"};
    CHECK(fit("x,y,w\n1,2,3\n", &twice, &err) == NULL);
    CHECK_STR(err.msg, "column 'x' is given twice");

    struct alm_regress_opts empty = {.y = "y", .x = "x,"};
    CHECK(fit(data, &empty, &err) == NULL);
    CHECK_STR(err.msg, "empty column name in 'x,'");

    struct alm_regress_opts p0 = {.y = "y", .poly = "0"};
    CHECK(fit(data, &p0, &err) == NULL);
    CHECK_STR(err.field, "--poly");
    CHECK_STR(err.msg, "the degree must be between 1 and 20, got 0");
    struct alm_regress_opts pk = {.y = "y", .poly = "2"};
    CHECK(fit("x,y,w\n1,2,3\n", &pk, &err) == NULL);
    CHECK_STR(err.msg,
              "needs exactly one x column, got 2 (choose one with --x)");

    /* A cell that is no number names its file, line and column. */
    struct alm_regress_opts o2 = {.y = "y"};
    CHECK(fit("x,y\n1,2\n2,n/a\n3,5\n", &o2, &err) == NULL);
    CHECK_INT(err.status, ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "y");

    /* Too few rows for the parameters: the solver's refusal, located. */
    CHECK(fit("x,y\n1,2\n", &o2, &err) == NULL);
    CHECK_INT(err.status, ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_STR(err.msg, "needs at least 2 observations for 2 parameters, got 1");
}

static void test_write(void)
{
    /* A result made by hand, so that the writer alone is under test. */
    char t0[] = "(intercept)", t1[] = "x, with comma";
    char *terms[] = {t0, t1};
    double coef[] = {0.5, -2}, se[] = {0.25, NAN};
    struct alm_regress r = {.n = 4,
                            .p = 2,
                            .terms = terms,
                            .coef = coef,
                            .se = se,
                            .sigma = NAN,
                            .r_squared = 1};
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_regress_write(&r, ALM_FORMAT_CSV, &b) == ALM_OK);
    CHECK_STR(b.s, "term,estimate,std_error\n"
                   "(intercept),0.5,0.25\n"
                   "\"x, with comma\",-2,\n"
                   "sigma,,\n"
                   "r.squared,1,\n");
    alm_buf_release(&b);
    /* For people: the count, and a word on why sigma is missing. */
    CHECK(alm_regress_write(&r, ALM_FORMAT_TABLE, &b) == ALM_OK);
    CHECK(b.s && strstr(b.s, "\nn          4\n") != NULL);
    CHECK(b.s && strstr(b.s, "\nsigma\n") != NULL);
    CHECK(b.s && strstr(b.s, "an exact fit") != NULL);
    alm_buf_release(&b);
}

static void test_read(void)
{
    struct alm_error err;
    struct alm_regress *r = NULL;
    struct alm_regress_opts o = {.y = "y"};
    alm_error_clear(&err);
    CHECK(alm_regress_read("/nonexistent/almanac/in.csv", &o, &r, &err) ==
          ALM_EIO);
    CHECK(r == NULL);
    CHECK(strncmp(err.msg, "cannot open '", 13) == 0);
}

int main(void)
{
    alm_init();
    test_simple();
    test_no_intercept();
    test_poly();
    test_errors();
    test_write();
    test_read();
    return check_done();
}
