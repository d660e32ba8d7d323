/* Certification against the 11 NIST StRD linear least-squares sets in
 * ../shared/data/nist-strd/: every certified quantity (each estimate, its
 * standard deviation, the residual SD and R^2) must agree with NIST's
 * 15-digit value to at least MIN_LRE significant digits.
 *
 * LRE (log relative error) = -log10(|est - cert| / |cert|), or -log10|est|
 * where the certified value is 0 (Wampler 1 and 2 are exact fits, so their
 * SDs and residual SD are 0), capped at 15 because NIST prints 15 digits.
 * The same threshold serves every set, the hard ones (Filip, Wampler 4-5,
 * Longley) included: the refined solver is meant to remove their
 * difficulty, and a regression there is exactly what this test is for. For
 * comparison, R's lm() gets 5.5 digits on Wampler 5 and GSL's
 * gsl_multifit_linear 5.9 (see README.md). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/csvio.h>
#include <almanac/error.h>
#include <almanac/ols.h>
#include <almanac/regress.h>
#include <almanac/view.h>

#include "../check.h"

#define MIN_LRE 12.0
#define NIST    ALMANAC_SHARED_DIR "/data/nist-strd"
#define NMAX    100
#define PMAX    12

static double worst_overall = 15.0;

static double lre(double est, double cert)
{
    double rel = cert == 0 ? fabs(est) : fabs(est - cert) / fabs(cert);
    if (isnan(est))
        return 0.0;
    if (rel == 0)
        return 15.0;
    double v = -log10(rel);
    return v > 15.0 ? 15.0 : (v < 0.0 ? 0.0 : v);
}

/* Parses a cell that must be a number (certified values are NIST's text,
 * such as "0.429796848199937E-03") into its nearest double, and its rest
 * into *lo if lo is not NULL. */
static double number_lo(const struct alm_table *t, size_t row, const char *col,
                        double *lo)
{
    const char *s = alm_table_cell(t, row, alm_table_col(t, col));
    double hi = 0.0, rest = 0.0;
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status st = alm_ols_parse_value(s, &hi, &rest, &err);
    CHECK_AT(st == ALM_OK, "%s:%ld: %s: %s", t->name, t->lines[row], col,
             err.msg);
    if (lo)
        *lo = rest;
    return hi;
}

static double number(const struct alm_table *t, size_t row, const char *col)
{
    return number_lo(t, row, col, NULL);
}

static double report(const char *set, const char *quantity, double est,
                     double cert)
{
    double v = lre(est, cert);
    printf("%-9s %-12s %24.16e %24.16e %5.1f\n", set, quantity, cert, est, v);
    CHECK_AT(v >= MIN_LRE,
             "%s %s: LRE %.1f < %.0f (got %.17g, certified %.17g)", set,
             quantity, v, MIN_LRE, est, cert);
    return v;
}

/* Runs the set through the regress command's library side (reading the
 * file, picking the columns, --poly, --no-intercept) and checks the same
 * quantities against the certified values, and the shape of its CSV. */
static void check_regress(const struct alm_table *cert, size_t first, size_t p,
                          const char *path, const char *name, unsigned degree,
                          bool intercept)
{
    char poly[16];
    snprintf(poly, sizeof poly, "%u", degree);
    struct alm_regress_opts opts = {NULL, NULL, degree > 0 ? poly : NULL,
                                    !intercept};
    struct alm_regress *r = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status st = alm_regress_read(path, &opts, &r, &err);
    CHECK_AT(st == ALM_OK, "%s: regress failed: %s", name, err.msg);
    if (st != ALM_OK)
        return;
    CHECK_INT(r->p, p);
    double worst = 15.0;
    for (size_t j = 0; j < p && j < r->p; j++) {
        worst = fmin(worst, lre(r->coef[j],
                                number(cert, first + j, "certified_estimate")));
        worst =
            fmin(worst, lre(r->se[j], number(cert, first + j, "certified_sd")));
    }
    worst = fmin(worst, lre(r->sigma, number(cert, first, "residual_sd")));
    worst = fmin(worst, lre(r->r_squared, number(cert, first, "r_squared")));
    printf("%-9s worst LRE through regress %.1f\n", name, worst);
    CHECK_AT(worst >= MIN_LRE, "%s through regress: LRE %.1f", name, worst);

    /* The CSV: a header, p coefficient rows, sigma and r.squared. */
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_regress_write(r, ALM_FORMAT_CSV, &b) == ALM_OK);
    size_t lines = 0;
    for (size_t i = 0; i < b.len; i++)
        lines += b.s[i] == '\n';
    CHECK_INT(lines, p + 3);
    CHECK(strncmp(b.s, "term,estimate,std_error\n", 24) == 0);
    const char *first_term = intercept ? "\n(intercept)," : "\nx,";
    CHECK_AT(strstr(b.s, first_term) != NULL, "%s: no '%s' row", name,
             first_term + 1);
    if (degree > 1) {
        char last[32];
        snprintf(last, sizeof last, "\nx^%u,", degree);
        CHECK_AT(strstr(b.s, last) != NULL, "%s: no '%s' row", name, last + 1);
    }
    const char *sig = strstr(b.s, "\nsigma,");
    const char *r2 = strstr(b.s, "\nr.squared,");
    CHECK(sig && r2 && sig < r2);
    CHECK(b.len > 2 && b.s[b.len - 2] == ','); /* empty std_error */
    alm_buf_release(&b);
    alm_regress_free(r);
}

/* Fits one set, whose certified rows are first .. first + p - 1 of cert,
 * and checks every certified quantity. */
static void check_set(struct alm_ols_ws *w, const struct alm_table *cert,
                      size_t first, size_t p)
{
    char path[512], name[64];
    const char *set =
        alm_table_cell(cert, first, alm_table_col(cert, "dataset"));
    snprintf(name, sizeof name, "%s", set);
    snprintf(path, sizeof path, "%s/%s.csv", NIST, name);

    struct alm_error err;
    alm_error_clear(&err);
    struct alm_table *t = NULL;
    if (alm_table_read(path, &t, &err) != ALM_OK) {
        CHECK_AT(0, "%s: cannot read: %s", path, err.msg);
        return;
    }
    long ycol = alm_table_col(t, "y");
    CHECK(ycol == 0 && t->nrows <= NMAX);
    size_t n = t->nrows, k = t->ncols - 1;
    /* The data enter the fit exactly, as double-double values read from
     * their decimal text (see alm_ols_parse_value()). */
    double y[NMAX], ylo[NMAX], x[NMAX * PMAX], xlo[NMAX * PMAX];
    for (size_t i = 0; i < n && i < NMAX; i++) {
        y[i] = number_lo(t, i, "y", &ylo[i]);
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = number_lo(t, i, t->header[j + 1], &xlo[i * k + j]);
    }

    const char *cls =
        alm_table_cell(cert, first, alm_table_col(cert, "model_class"));
    struct alm_ols_input in = {0};
    in.n = n;
    in.y = y;
    in.y_lo = ylo;
    in.k = k;
    in.x = x;
    in.x_lo = xlo;
    in.intercept =
        strcmp(alm_table_cell(cert, first, alm_table_col(cert, "intercept")),
               "yes") == 0;
    in.degree = strcmp(cls, "polynomial") == 0
                    ? (unsigned)number(cert, first, "poly_degree")
                    : 0;
    CHECK_INT(number(cert, first, "n_obs"), n);

    struct alm_ols fit;
    alm_error_clear(&err);
    enum alm_status st = alm_ols_fit(w, &in, &fit, &err);
    CHECK_AT(st == ALM_OK, "%s: fit failed: %s", name, err.msg);
    if (st != ALM_OK) {
        alm_table_free(t);
        return;
    }
    CHECK_INT(fit.p, p); /* no term dropped (R's default drops Filip's x^10) */

    double worst = 15.0;
    char q[32];
    for (size_t j = 0; j < p && j < fit.p; j++) {
        const char *param =
            alm_table_cell(cert, first + j, alm_table_col(cert, "parameter"));
        snprintf(q, sizeof q, "%s", param);
        worst =
            fmin(worst, report(name, q, fit.coef[j],
                               number(cert, first + j, "certified_estimate")));
        snprintf(q, sizeof q, "sd(%s)", param);
        worst = fmin(worst, report(name, q, fit.se[j],
                                   number(cert, first + j, "certified_sd")));
    }
    worst = fmin(worst, report(name, "residual_sd", fit.sigma,
                               number(cert, first, "residual_sd")));
    worst = fmin(worst, report(name, "r_squared", fit.r_squared,
                               number(cert, first, "r_squared")));
    printf("%-9s worst LRE %.1f\n", name, worst);
    worst_overall = fmin(worst_overall, worst);
    alm_table_free(t);
    check_regress(cert, first, p, path, name, in.degree, in.intercept);
    printf("\n");
}

int main(void)
{
    alm_init();
    struct alm_error err;
    alm_error_clear(&err);
    struct alm_table *cert = NULL;
    if (alm_table_read(NIST "/certified.csv", &cert, &err) != ALM_OK) {
        fprintf(stderr, "cannot read certified.csv: %s\n", err.msg);
        return 1;
    }
    struct alm_ols_ws *w = alm_ols_ws_new(NMAX, PMAX, &err);
    CHECK(w != NULL);
    if (!w) {
        alm_table_free(cert);
        return check_done();
    }
    printf("%-9s %-12s %24s %24s %5s\n", "set", "quantity", "certified",
           "almanac", "LRE");
    long dcol = alm_table_col(cert, "dataset");
    size_t sets = 0;
    for (size_t first = 0; first < cert->nrows;) {
        size_t last = first;
        while (last < cert->nrows &&
               strcmp(alm_table_cell(cert, last, dcol),
                      alm_table_cell(cert, first, dcol)) == 0)
            last++;
        check_set(w, cert, first, last - first);
        sets++;
        first = last;
    }
    CHECK_INT(sets, 11);
    printf("worst LRE over all sets: %.1f\n", worst_overall);
    alm_ols_ws_free(w);
    alm_table_free(cert);
    return check_done();
}
