/* Least squares by Householder QR plus Björck's refinement of the augmented
 * system in double-double (see ols.h for the method and its reasons).
 *
 * Notation follows the formulas: n observations, p parameters, A the n x p
 * design matrix after column scaling (A = X D, D = diag(d) with d_j powers
 * of two, so that X b = A z with b = D z exactly), r the residual vector,
 * z the scaled solution. A is kept in double-double (ahi + alo): its high
 * parts are factored, and both parts are used in the residuals of the
 * refinement. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include <almanac/ols.h>

#include "dd.h"
#include "internal.h"

/* Most refinement steps after the first solve. Each step multiplies the
 * error by about cond(A) * u: on Filip, the worst StRD set, the first
 * solve is good to 1e-8, one step to 1e-13, two to double precision (the
 * third confirms it), and five to the double-double accuracy asked of the
 * estimates. The other sets need one or two steps, three for the
 * estimates. */
#define REFINE_MAX 8

/* A term is rank-deficient when the part of its column orthogonal to the
 * columns before it, |R_jj|, is below this fraction of the column's norm.
 * Filip's x^10 keeps a fraction of 5e-8 after scaling; exactly dependent
 * columns give about 1e-16. Between the two, the refinement decides: it
 * converges, or aug_solve() reports the design too ill-conditioned. */
#define RANK_TOL (64 * DBL_EPSILON)

/* A refined solve has converged when its last correction is below
 * ESTIMATE_TOL of the solution for the estimates (double-double accuracy,
 * for the predictions) and CONVERGE_TOL for the other solves (double
 * accuracy). When the corrections stop shrinking before that, the result
 * is kept if the last one was below CONVERGE_FAIL (10 digits, still far
 * better than an unrefined solve), and otherwise the problem is too
 * ill-conditioned for double-precision factors. */
#define ESTIMATE_TOL  1e-28
#define CONVERGE_TOL  (4 * DBL_EPSILON)
#define CONVERGE_FAIL 1e-10

struct alm_ols_ws {
    size_t nmax, pmax;
    /* The current fit's shape. */
    size_t n, p, k;
    unsigned degree;
    bool intercept;
    unsigned long serial;
    /* The scaled design, n x p row-major, and the column scales d. */
    double *ahi, *alo, *d;
    /* QR factors of ahi (GSL's packed form) and Householder scalars. */
    gsl_matrix *qr;
    gsl_vector *tau;
    /* Results, handed out through struct alm_ols, and the estimates in
     * double-double (bdd, p), for the predictions. */
    double *coef, *se, *xtx_inv, *cov, *resid;
    struct dd *bdd;
    /* The refined solves: r (n) and z (p) in double-double, the residuals
     * f (n) and g (p) that become the corrections (f and dz, p), and a
     * right-hand side or design row c (p). */
    struct dd *r, *z, *c;
    double *f, *g, *dz;
    /* The straight line (intercept and one column) is solved in closed
     * form (fit_line()) unless refined_only; line is set while the current
     * fit is one, and (xbar, sxx) are its centre and centred sum of
     * squares, for the leverage of a prediction. */
    bool refined_only, line;
    struct dd xbar, sxx;
};

struct alm_ols_ws *alm_ols_ws_new(size_t nmax, size_t pmax,
                                  struct alm_error *err)
{
    if (pmax == 0 || nmax == 0) {
        alm_fail(err, ALM_EINPUT,
                 "least-squares workspace needs room for at "
                 "least one observation and one parameter");
        return NULL;
    }
    if (nmax > SIZE_MAX / 8 / pmax || pmax > SIZE_MAX / 8 / pmax) {
        alm_fail(err, ALM_ENOMEM,
                 "least-squares workspace of %zu x %zu is "
                 "too large",
                 nmax, pmax);
        return NULL;
    }
    struct alm_ols_ws *w = calloc(1, sizeof *w);
    if (!w)
        goto fail;
    w->nmax = nmax;
    w->pmax = pmax;
    size_t np = nmax * pmax;
    w->ahi = malloc(np * sizeof *w->ahi);
    w->alo = malloc(np * sizeof *w->alo);
    w->d = malloc(pmax * sizeof *w->d);
    w->coef = malloc(pmax * sizeof *w->coef);
    w->se = malloc(pmax * sizeof *w->se);
    w->xtx_inv = malloc(pmax * pmax * sizeof *w->xtx_inv);
    w->cov = malloc(pmax * pmax * sizeof *w->cov);
    w->resid = malloc(nmax * sizeof *w->resid);
    w->bdd = malloc(pmax * sizeof *w->bdd);
    w->r = malloc(nmax * sizeof *w->r);
    w->z = malloc(pmax * sizeof *w->z);
    w->f = malloc(nmax * sizeof *w->f);
    w->g = malloc(pmax * sizeof *w->g);
    w->dz = malloc(pmax * sizeof *w->dz);
    w->c = malloc(pmax * sizeof *w->c);
    w->qr = gsl_matrix_alloc(nmax, pmax);
    w->tau = gsl_vector_alloc(pmax);
    if (!w->ahi || !w->alo || !w->d || !w->coef || !w->se || !w->xtx_inv ||
        !w->cov || !w->resid || !w->bdd || !w->r || !w->z || !w->f || !w->g ||
        !w->dz || !w->c || !w->qr || !w->tau)
        goto fail;
    return w;
fail:
    alm_ols_ws_free(w);
    alm_fail(err, ALM_ENOMEM, "out of memory for a least-squares workspace");
    return NULL;
}

void alm_ols_ws_free(struct alm_ols_ws *w)
{
    if (!w)
        return;
    free(w->ahi);
    free(w->alo);
    free(w->d);
    free(w->coef);
    free(w->se);
    free(w->xtx_inv);
    free(w->cov);
    free(w->resid);
    free(w->bdd);
    free(w->r);
    free(w->z);
    free(w->f);
    free(w->g);
    free(w->dz);
    free(w->c);
    if (w->qr)
        gsl_matrix_free(w->qr);
    if (w->tau)
        gsl_vector_free(w->tau);
    free(w);
}

/* Returns 10^e (0 <= e < 300) in double-double: exact up to 10^22, then
 * within a few units of 2^-104. */
static struct dd pow10_dd(int e)
{
    struct dd r = dd_from(1.0);
    while (e > 22) {
        r = dd_mul_d(r, 1e22);
        e -= 22;
    }
    double t = 1.0;
    for (int i = 0; i < e; i++)
        t *= 10.0; /* exact: every 10^i up to 10^22 is a double */
    return dd_mul_d(r, t);
}

enum alm_status alm_ols_parse_value(const char *s, double *hi, double *lo,
                                    struct alm_error *err)
{
    double h = 0.0;
    enum alm_status st = alm__parse_number(s, &h, err);
    if (st != ALM_OK)
        return st;
    /* The digits as an integer m, in chunks of 15 (each exact in a double,
     * and m itself exact up to 31 digits), times 10^e10. Digits beyond the
     * 36th cannot change a double-double and are dropped. */
    const char *c = s;
    bool neg = *c == '-';
    if (*c == '+' || *c == '-')
        c++;
    struct dd m = dd_from(0.0);
    double chunk = 0.0, chunk_scale = 1.0;
    int e10 = 0, kept = 0;
    bool point = false;
    for (; *c && *c != 'e' && *c != 'E'; c++) {
        if (*c == '.') {
            point = true;
            continue;
        }
        if (kept == 0 && *c == '0') {
            if (point)
                e10--;
            continue;
        }
        if (kept >= 36) {
            if (!point)
                e10++;
            continue;
        }
        chunk = chunk * 10.0 + (double)(*c - '0');
        chunk_scale *= 10.0;
        kept++;
        if (point)
            e10--;
        if (chunk_scale == 1e15) {
            m = dd_add_d(dd_mul_d(m, chunk_scale), chunk);
            chunk = 0.0;
            chunk_scale = 1.0;
        }
    }
    m = dd_add_d(dd_mul_d(m, chunk_scale), chunk);
    if (*c == 'e' || *c == 'E') {
        long e = strtol(c + 1, NULL, 10); /* the grammar is already checked */
        e10 += e > 1000 ? 1000 : (e < -1000 ? -1000 : (int)e);
    }
    double l = 0.0;
    /* Near the ends of the double range the low part would be subnormal or
     * 10^|e10| would overflow; there the double is all there is. */
    if (h != 0.0 && fabs(h) > 1e-250 && fabs(h) < 1e250 && e10 > -300 &&
        e10 < 300) {
        struct dd v =
            e10 >= 0 ? dd_mul(m, pow10_dd(e10)) : dd_div(m, pow10_dd(-e10));
        if (neg)
            v = dd_neg(v);
        l = dd_to_double(dd_sub(v, dd_from(h)));
    }
    *hi = h;
    *lo = l;
    return ALM_OK;
}

size_t alm_ols_count_params(const struct alm_ols_input *in)
{
    size_t terms = in->degree > 0 ? in->degree : in->k;
    return terms + (in->intercept ? 1 : 0);
}

/* Writes the name of term j (0-based, intercept included) into out, for
 * messages: "the intercept", "'x2'", "'x^3'", "column 2". */
static void term_name(const struct alm_ols_input *in, size_t j, char *out,
                      size_t size)
{
    char q[96];
    if (in->intercept) {
        if (j == 0) {
            alm__copy(out, size, "the intercept");
            return;
        }
        j--;
    }
    const char *base = in->names ? in->names[in->degree > 0 ? 0 : j] : NULL;
    if (base)
        alm_error_quote(base, q, sizeof q);
    if (in->degree > 0) {
        snprintf(out, size, j == 0 ? "'%s'" : "'%s^%zu'", base ? q : "x",
                 j + 1);
    } else if (base) {
        snprintf(out, size, "'%s'", q);
    } else {
        snprintf(out, size, "column %zu", j + 1);
    }
}

/* Returns x[m] + xlo[m] (xlo may be NULL). */
static struct dd value_at(const double *x, const double *xlo, size_t m)
{
    return dd_two_sum(x[m], xlo ? xlo[m] : 0.0);
}

/* Forms one row of the unscaled design from a row of x (k values, with
 * low parts xlo or NULL) into row (p double-doubles): 1 for the intercept,
 * then the columns or the powers, each power the double-double product of
 * the one before by x. Returns the index of the first non-finite term, or
 * p if all are finite. */
static size_t design_row(const struct alm_ols_ws *w, const double *x,
                         const double *xlo, struct dd *row)
{
    size_t j = 0;
    if (w->intercept)
        row[j++] = dd_from(1.0);
    if (w->degree > 0) {
        struct dd x1 = value_at(x, xlo, 0);
        struct dd pw = x1;
        row[j++] = pw;
        for (unsigned e = 2; e <= w->degree; e++) {
            pw = dd_mul(pw, x1);
            row[j++] = pw;
        }
    } else {
        for (size_t m = 0; m < w->k; m++)
            row[j++] = value_at(x, xlo, m);
    }
    for (j = 0; j < w->p; j++)
        if (!isfinite(row[j].hi) || !isfinite(row[j].lo))
            return j;
    return w->p;
}

/* Computes the residuals of the augmented system at the current (r, z),
 * in double-double, rounded to double (they feed the double-precision
 * correction):
 *     f = b + blo - r - A z   (n values; b = 0 when NULL, blo may be NULL),
 *     g = c - A' r            (p values; c = 0 when NULL). */
static void aug_residuals(struct alm_ols_ws *w, const double *b,
                          const double *blo, const struct dd *c)
{
    size_t n = w->n, p = w->p;
    for (size_t i = 0; i < n; i++) {
        struct dd acc = b ? value_at(b, blo, i) : dd_from(0.0);
        acc = dd_sub(acc, w->r[i]);
        for (size_t j = 0; j < p; j++) {
            struct dd a = {w->ahi[i * p + j], w->alo[i * p + j]};
            acc = dd_sub(acc, dd_mul(a, w->z[j]));
        }
        w->f[i] = dd_to_double(acc);
    }
    for (size_t j = 0; j < p; j++) {
        struct dd acc = c ? c[j] : dd_from(0.0);
        for (size_t i = 0; i < n; i++) {
            struct dd a = {w->ahi[i * p + j], w->alo[i * p + j]};
            acc = dd_sub(acc, dd_mul(a, w->r[i]));
        }
        w->g[j] = dd_to_double(acc);
    }
}

static enum alm_status gsl_failed(struct alm_error *err, const char *what,
                                  int rc)
{
    return alm_fail(err, ALM_EBUG, "least squares: %s failed: %s", what,
                    gsl_strerror(rc));
}

/* Solves [I A; A' 0][dr; dz] = [f; g] with the QR factors of A = Q [R; 0]:
 * with Q'f = [f1; f2] and h = R^-T g, the solution is dz = R^-1 (f1 - h)
 * and dr = Q [h; f2]. On return f holds dr and dz holds dz; g is
 * overwritten. */
static enum alm_status aug_correct(struct alm_ols_ws *w, struct alm_error *err)
{
    size_t n = w->n, p = w->p;
    gsl_matrix_const_view qr = gsl_matrix_const_submatrix(w->qr, 0, 0, n, p);
    gsl_matrix_const_view rr = gsl_matrix_const_submatrix(w->qr, 0, 0, p, p);
    gsl_vector_const_view tau = gsl_vector_const_subvector(w->tau, 0, p);
    gsl_vector_view f = gsl_vector_view_array(w->f, n);
    gsl_vector_view g = gsl_vector_view_array(w->g, p);
    gsl_vector_view dz = gsl_vector_view_array(w->dz, p);

    int rc = gsl_linalg_QR_QTvec(&qr.matrix, &tau.vector, &f.vector);
    if (rc)
        return gsl_failed(err, "Q'f", rc);
    rc = gsl_blas_dtrsv(CblasUpper, CblasTrans, CblasNonUnit, &rr.matrix,
                        &g.vector);
    if (rc)
        return gsl_failed(err, "R'h = g", rc);
    for (size_t j = 0; j < p; j++) {
        w->dz[j] = w->f[j] - w->g[j];
        w->f[j] = w->g[j];
    }
    rc = gsl_blas_dtrsv(CblasUpper, CblasNoTrans, CblasNonUnit, &rr.matrix,
                        &dz.vector);
    if (rc)
        return gsl_failed(err, "R dz = f1 - h", rc);
    rc = gsl_linalg_QR_Qvec(&qr.matrix, &tau.vector, &f.vector);
    if (rc)
        return gsl_failed(err, "Q [h; f2]", rc);
    return ALM_OK;
}

/* Solves the augmented system [I A; A' 0][r; z] = [b; c] into w->r and
 * w->z: a first solve from r = 0, z = 0, then refinement steps until the
 * last correction to z is below tol relative to z. The corrections are
 * accumulated in double-double, so tol may be far below DBL_EPSILON: the
 * estimates are refined to about 1e-28, which makes them the exact
 * least-squares solution correctly rounded, and lets predictions use their
 * double-double value. Fails with ALM_EINPUT when the corrections stop
 * shrinking while still large, which means A is too ill-conditioned. */
static enum alm_status aug_solve(struct alm_ols_ws *w, const double *b,
                                 const double *blo, const struct dd *c,
                                 double tol, struct alm_error *err)
{
    size_t n = w->n, p = w->p;
    double ratio = INFINITY, last = INFINITY;
    for (size_t i = 0; i < n; i++)
        w->r[i] = dd_from(0.0);
    for (size_t j = 0; j < p; j++)
        w->z[j] = dd_from(0.0);
    for (int step = 0; step <= REFINE_MAX; step++) {
        aug_residuals(w, b, blo, c);
        enum alm_status st = aug_correct(w, err);
        if (st != ALM_OK)
            return st;
        double zmax = 0.0, dzmax = 0.0;
        for (size_t j = 0; j < p; j++) {
            w->z[j] = dd_add_d(w->z[j], w->dz[j]);
            zmax = fmax(zmax, fabs(w->z[j].hi));
            dzmax = fmax(dzmax, fabs(w->dz[j]));
        }
        for (size_t i = 0; i < n; i++)
            w->r[i] = dd_add_d(w->r[i], w->f[i]);
        ratio = zmax > 0 ? dzmax / zmax : dzmax;
        if (step > 0 && ratio <= tol)
            return ALM_OK;
        if (step > 1 && !(ratio < 0.5 * last))
            break; /* stagnating (or diverging) */
        last = ratio;
    }
    if (ratio > CONVERGE_FAIL)
        return alm_fail(err, ALM_EINPUT,
                        "the design is too ill-conditioned for least squares "
                        "(refinement does not converge): centre or rescale "
                        "the x columns, or lower the degree");
    return ALM_OK;
}

/* Builds the scaled design of in into the workspace, checking sizes and
 * values; p is the parameter count. */
static enum alm_status build_design(struct alm_ols_ws *w,
                                    const struct alm_ols_input *in, size_t p,
                                    struct alm_error *err)
{
    char name[128];
    w->n = in->n;
    w->p = p;
    w->k = in->k;
    w->degree = in->degree;
    w->intercept = in->intercept;
    for (size_t i = 0; i < in->n; i++) {
        if (!isfinite(in->y[i]) || (in->y_lo && !isfinite(in->y_lo[i])))
            return alm_fail(err, ALM_EINPUT,
                            "observation %zu: y is not a finite number", i + 1);
        const double *xi = in->x ? in->x + i * in->k : NULL;
        const double *xloi = in->x_lo ? in->x_lo + i * in->k : NULL;
        size_t bad = design_row(w, xi, xloi, w->c);
        if (bad < p) {
            term_name(in, bad, name, sizeof name);
            return alm_fail(err, ALM_EINPUT,
                            "observation %zu: %s is not a finite number", i + 1,
                            name);
        }
        for (size_t j = 0; j < p; j++) {
            w->ahi[i * p + j] = w->c[j].hi;
            w->alo[i * p + j] = w->c[j].lo;
        }
    }
    /* Scale each column by a power of two so that its largest entry lies in
     * [0.5, 1): exact, and it keeps the QR factors balanced. */
    for (size_t j = 0; j < p; j++) {
        double big = 0.0;
        for (size_t i = 0; i < in->n; i++) {
            double a = fabs(w->ahi[i * p + j]); /* finite: design_row */
            if (a > big)
                big = a;
        }
        if (big == 0.0) {
            term_name(in, j, name, sizeof name);
            return alm_fail(err, ALM_EINPUT,
                            "%s is zero in every observation, so it cannot "
                            "be estimated",
                            name);
        }
        int e = 0;
        (void)frexp(big, &e);
        w->d[j] = ldexp(1.0, -e);
        for (size_t i = 0; i < in->n; i++) {
            w->ahi[i * p + j] *= w->d[j];
            w->alo[i * p + j] *= w->d[j];
        }
    }
    return ALM_OK;
}

/* Factors the scaled design and rejects a rank-deficient one, naming the
 * first term that depends on those before it. */
static enum alm_status factor(struct alm_ols_ws *w,
                              const struct alm_ols_input *in,
                              struct alm_error *err)
{
    size_t n = w->n, p = w->p;
    gsl_matrix_view qr = gsl_matrix_submatrix(w->qr, 0, 0, n, p);
    gsl_vector_view tau = gsl_vector_subvector(w->tau, 0, p);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(&qr.matrix, i, j, w->ahi[i * p + j]);
    int rc = gsl_linalg_QR_decomp(&qr.matrix, &tau.vector);
    if (rc)
        return gsl_failed(err, "QR decomposition", rc);
    for (size_t j = 0; j < p; j++) {
        double norm = 0.0;
        for (size_t i = 0; i < n; i++)
            norm = hypot(norm, w->ahi[i * p + j]);
        double rjj = fabs(gsl_matrix_get(&qr.matrix, j, j));
        if (!(rjj > RANK_TOL * norm)) {
            char name[128];
            term_name(in, j, name, sizeof name);
            return alm_fail(err, ALM_EINPUT,
                            "%s is a linear combination of the terms before "
                            "it (the design is rank-deficient)",
                            name);
        }
    }
    return ALM_OK;
}

/* Checks that the model has terms, enough observations, and fits in w. */
static enum alm_status check_shape(const struct alm_ols_ws *w,
                                   const struct alm_ols_input *in, size_t p,
                                   struct alm_error *err)
{
    size_t n = in->n;
    if (p == 0)
        return alm_fail(err, ALM_EINPUT,
                        "the model has no terms (no intercept, no columns)");
    if (in->degree > 0 && in->k != 1)
        return alm_fail(err, ALM_EINPUT,
                        "a polynomial needs exactly one x column, got %zu",
                        in->k);
    if (n < p)
        return alm_fail(err, ALM_EINPUT,
                        "needs at least %zu observations for %zu parameters, "
                        "got %zu",
                        p, p, n);
    if (n > w->nmax || p > w->pmax)
        return alm_fail(err, ALM_EBUG,
                        "least-squares workspace holds %zu x %zu, got %zu x "
                        "%zu",
                        w->nmax, w->pmax, n, p);
    return ALM_OK;
}

/* The residuals of the rounded estimates into w->resid, and the residual
 * and total sums of squares, in double-double. RSS is stationary at the
 * solution, so rounding the estimates barely moves it; summing the squares
 * in double-double keeps all its digits. With have_tss, *tss_out already
 * holds TSS (fit_line() sums it, with the same operations in the same
 * order as here) and is left alone. */
static void sums_of_squares(struct alm_ols_ws *w,
                            const struct alm_ols_input *in, struct dd *rss_out,
                            struct dd *tss_out, bool have_tss)
{
    size_t n = in->n, p = w->p;
    struct dd rss = dd_from(0.0), ysum = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        struct dd yi = value_at(in->y, in->y_lo, i);
        struct dd e = yi;
        for (size_t j = 0; j < p; j++) {
            struct dd a = {w->ahi[i * p + j], w->alo[i * p + j]};
            e = dd_sub(e, dd_mul(a, w->z[j]));
        }
        w->resid[i] = dd_to_double(e);
        rss = dd_add(rss, dd_mul(e, e));
        if (!have_tss)
            ysum = dd_add(ysum, yi);
    }
    *rss_out = rss;
    if (have_tss)
        return;
    struct dd ybar =
        in->intercept ? dd_div(ysum, dd_from((double)n)) : dd_from(0.0);
    struct dd tss = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        struct dd dev = dd_sub(value_at(in->y, in->y_lo, i), ybar);
        tss = dd_add(tss, dd_mul(dev, dev));
    }
    *tss_out = tss;
}

/* (X'X)^-1 into w->xtx_inv, column by column: with b = 0 and c = e_j the
 * augmented system gives z = -(A'A)^-1 e_j; then (X'X)^-1 = D (A'A)^-1 D.
 * The column solved for j supplies the entries on and below the diagonal;
 * those above mirror them, so the matrix is exactly symmetric. */
static enum alm_status invert_normal(struct alm_ols_ws *w,
                                     struct alm_error *err)
{
    size_t p = w->p;
    for (size_t j = 0; j < p; j++) {
        for (size_t m = 0; m < p; m++)
            w->c[m] = dd_from(m == j ? 1.0 : 0.0);
        enum alm_status st = aug_solve(w, NULL, NULL, w->c, CONVERGE_TOL, err);
        if (st != ALM_OK)
            return st;
        for (size_t i = j; i < p; i++) {
            double v = -w->z[i].hi * w->d[i] * w->d[j];
            w->xtx_inv[i * p + j] = v;
            w->xtx_inv[j * p + i] = v;
        }
    }
    return ALM_OK;
}

/* The straight line y = b0 + b1 x in closed form, every sum in
 * double-double: with xbar and ybar the means, Sxx = sum (x - xbar)^2 and
 * Sxy = sum (x - xbar)(y - ybar), b1 = Sxy / Sxx and b0 = ybar - b1 xbar;
 * (X'X)^-1 = [1/n + xbar^2/Sxx, -xbar/Sxx; -xbar/Sxx, 1/Sxx]. Centring in
 * double-double loses nothing to cancellation, so the estimates agree
 * with the refined QR's to double-double accuracy (test_ols checks 12
 * digits on the NIST lines), at O(n) work and no factorisation. Writes
 * z (the scaled estimates) for sums_of_squares() and the leverage terms;
 * the design was built (and checked) by build_design(). */
static enum alm_status fit_line(struct alm_ols_ws *w,
                                const struct alm_ols_input *in,
                                struct dd *tss_out, struct alm_error *err)
{
    size_t n = in->n;
    struct dd sx = dd_from(0.0), sy = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        sx = dd_add(sx, value_at(in->x, in->x_lo, i));
        sy = dd_add(sy, value_at(in->y, in->y_lo, i));
    }
    struct dd nn = dd_from((double)n);
    struct dd xbar = dd_div(sx, nn), ybar = dd_div(sy, nn);
    struct dd sxx = dd_from(0.0), sxy = dd_from(0.0), raw = dd_from(0.0);
    struct dd tss = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        struct dd xi = value_at(in->x, in->x_lo, i);
        struct dd dx = dd_sub(xi, xbar);
        struct dd dy = dd_sub(value_at(in->y, in->y_lo, i), ybar);
        sxx = dd_add(sxx, dd_mul(dx, dx));
        sxy = dd_add(sxy, dd_mul(dx, dy));
        raw = dd_add(raw, dd_mul(xi, xi));
        tss = dd_add(tss, dd_mul(dy, dy)); /* sums_of_squares()'s TSS */
    }
    *tss_out = tss;
    /* The QR's rank test: the part of the x column orthogonal to the
     * intercept, sqrt(Sxx), against the column's norm. */
    if (!(sqrt(sxx.hi) > RANK_TOL * sqrt(raw.hi))) {
        char name[128];
        term_name(in, 1, name, sizeof name);
        return alm_fail(err, ALM_EINPUT,
                        "%s is a linear combination of the terms before "
                        "it (the design is rank-deficient)",
                        name);
    }
    struct dd b1 = dd_div(sxy, sxx);
    struct dd b0 = dd_sub(ybar, dd_mul(b1, xbar));
    w->bdd[0] = b0;
    w->bdd[1] = b1;
    w->z[0] = dd_mul_d(b0, 1.0 / w->d[0]); /* exact: d_j = 2^e */
    w->z[1] = dd_mul_d(b1, 1.0 / w->d[1]);
    struct dd inv_sxx = dd_div(dd_from(1.0), sxx);
    struct dd off = dd_neg(dd_mul(xbar, inv_sxx));
    w->xtx_inv[0] = dd_to_double(
        dd_add(dd_div(dd_from(1.0), nn), dd_mul(dd_mul(xbar, xbar), inv_sxx)));
    w->xtx_inv[1] = w->xtx_inv[2] = dd_to_double(off);
    w->xtx_inv[3] = dd_to_double(inv_sxx);
    w->xbar = xbar;
    w->sxx = sxx;
    w->line = true;
    return ALM_OK;
}

void alm__ols_refined_only(struct alm_ols_ws *w, bool on)
{
    w->refined_only = on;
}

enum alm_status alm_ols_fit(struct alm_ols_ws *w,
                            const struct alm_ols_input *in, struct alm_ols *fit,
                            struct alm_error *err)
{
    size_t n = in->n, p = alm_ols_count_params(in);
    enum alm_status st = check_shape(w, in, p, err);
    if (st != ALM_OK)
        return st;
    w->serial++; /* any earlier fit on w is stale from here on */

    w->line = false;
    bool line = !w->refined_only && in->intercept && p == 2 && in->k == 1;
    struct dd rss, tss;
    st = build_design(w, in, p, err);
    if (st == ALM_OK && line)
        st = fit_line(w, in, &tss, err);
    if (st == ALM_OK && !line)
        st = factor(w, in, err);
    if (st == ALM_OK && !line)
        st = aug_solve(w, in->y, in->y_lo, NULL, ESTIMATE_TOL, err);
    if (st != ALM_OK)
        return st;
    if (!line)
        for (size_t j = 0; j < p; j++)
            w->bdd[j] = dd_mul_d(w->z[j], w->d[j]); /* exact: d_j = 2^e */
    for (size_t j = 0; j < p; j++)
        w->coef[j] = w->bdd[j].hi;

    sums_of_squares(w, in, &rss, &tss, line);
    double r2 = NAN;
    if (tss.hi > 0)
        r2 = dd_to_double(dd_div(dd_sub(tss, rss), tss));
    if (!line)
        st = invert_normal(w, err);
    if (st != ALM_OK)
        return st;

    double dfree = (double)(n - p);
    double s2 = n > p ? dd_to_double(rss) / dfree : NAN;
    double sigma =
        n > p ? sqrt(dd_to_double(dd_div(rss, dd_from(dfree)))) : NAN;
    for (size_t j = 0; j < p; j++) {
        w->se[j] = sigma * sqrt(w->xtx_inv[j * p + j]);
        for (size_t m = 0; m < p; m++)
            w->cov[j * p + m] = s2 * w->xtx_inv[j * p + m];
    }
    for (size_t j = 0; j < p; j++)
        if (!isfinite(w->coef[j]) || !(w->xtx_inv[j * p + j] > 0))
            return alm_fail(err, ALM_EINPUT,
                            "least squares overflowed (values too large)");

    fit->n = n;
    fit->p = p;
    fit->intercept = in->intercept;
    fit->coef = w->coef;
    fit->se = w->se;
    fit->xtx_inv = w->xtx_inv;
    fit->cov = w->cov;
    fit->resid = w->resid;
    fit->rss = dd_to_double(rss);
    fit->tss = dd_to_double(tss);
    fit->sigma = sigma;
    fit->r_squared = r2;
    fit->w = w;
    fit->serial = w->serial;
    return ALM_OK;
}

/* Checks that fit is the latest on its workspace and forms the design row
 * of x0 into w->c. */
static enum alm_status predict_row(const struct alm_ols *fit, const double *x0,
                                   struct alm_error *err)
{
    struct alm_ols_ws *w = fit->w;
    if (!w || fit->serial != w->serial)
        return alm_fail(err, ALM_EBUG,
                        "least-squares fit used after a later fit on its "
                        "workspace");
    if (design_row(w, x0, NULL, w->c) < w->p)
        return alm_fail(err, ALM_EINPUT,
                        "cannot predict at a value that is not finite");
    return ALM_OK;
}

enum alm_status alm_ols_predict(const struct alm_ols *fit, const double *x0,
                                double *yhat, struct alm_error *err)
{
    enum alm_status st = predict_row(fit, x0, err);
    if (st != ALM_OK)
        return st;
    /* With the estimates in double-double, the cancellation between large
     * terms of an ill-conditioned polynomial costs no digits. */
    struct dd acc = dd_from(0.0);
    for (size_t j = 0; j < fit->p; j++)
        acc = dd_add(acc, dd_mul(fit->w->c[j], fit->w->bdd[j]));
    double v = dd_to_double(acc);
    if (!isfinite(v))
        return alm_fail(err, ALM_EINPUT, "the prediction overflowed");
    *yhat = v;
    return ALM_OK;
}

enum alm_status alm_ols_predict_var(const struct alm_ols *fit, const double *x0,
                                    double *h, struct alm_error *err)
{
    enum alm_status st = predict_row(fit, x0, err);
    if (st != ALM_OK)
        return st;
    struct alm_ols_ws *w = fit->w;
    if (w->line) {
        /* h = 1/n + (x0 - xbar)^2 / Sxx, in double-double. */
        struct dd dx = dd_sub(w->c[1], w->xbar);
        struct dd hl = dd_add(dd_div(dd_from(1.0), dd_from((double)w->n)),
                              dd_div(dd_mul(dx, dx), w->sxx));
        double v = dd_to_double(hl);
        if (!isfinite(v))
            return alm_fail(err, ALM_EINPUT, "the prediction overflowed");
        *h = v;
        return ALM_OK;
    }
    /* Scale the row as the columns were: x0' (X'X)^-1 x0 = c' (A'A)^-1 c
     * with c = D x0. */
    for (size_t j = 0; j < w->p; j++)
        w->c[j] = dd_mul_d(w->c[j], w->d[j]);
    st = aug_solve(w, NULL, NULL, w->c, CONVERGE_TOL, err);
    if (st != ALM_OK)
        return st;
    /* With b = 0 the solve gives r = A (A'A)^-1 c, so h = r'r: a sum of
     * squares, free of the cancellation in c'(A'A)^-1 c. */
    struct dd acc = dd_from(0.0);
    for (size_t i = 0; i < w->n; i++)
        acc = dd_add(acc, dd_mul(w->r[i], w->r[i]));
    double v = dd_to_double(acc);
    if (!isfinite(v))
        return alm_fail(err, ALM_EINPUT, "the prediction overflowed");
    *h = v;
    return ALM_OK;
}
