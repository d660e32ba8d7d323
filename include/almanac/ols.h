/* Ordinary least squares, accurate to about 14 significant digits on every
 * certified quantity of the NIST StRD linear sets, including the
 * ill-conditioned polynomials (Filip, degree 10; Wampler 1-5) and Longley.
 *
 * Method. The design matrix X is built from the raw data (a column of ones
 * for the intercept, then the x columns, or the powers x, x^2, ..., x^K of
 * one x column, each power formed in double-double so that it is exact to
 * about 32 digits). Its columns are scaled by powers of two, which is exact.
 * GSL's Householder QR factors the scaled matrix once; every solve then
 * runs Björck's iterative refinement of the augmented system
 *     [ I  X ] [ r ]   [ b ]
 *     [ X' 0 ] [ z ] = [ c ],
 * whose residuals are computed in double-double. With b = y, c = 0 it
 * gives the estimates and residuals; with b = 0, c = e_j the j-th column
 * of (X'X)^-1 (as -z); with c = x0 the prediction variance factor
 * x0'(X'X)^-1 x0. Plain refinement of the estimates alone converges to the
 * wrong answer on large-residual problems such as Wampler 5; refining the
 * residual vector with them does not. No long double is used, so results
 * are the same on every platform and under valgrind.
 *
 * The straight line (an intercept and one column, p = 2) skips the QR: its
 * closed form, b1 = Sxy / Sxx and b0 = ybar - b1 xbar with every sum and
 * the centring in double-double, is as accurate at O(n) cost (tests/unit/
 * test_ols.c checks it against the refined QR, to 12 digits at least, on a
 * line through every NIST set and on the benchmark's series), and the
 * variance factor is 1/n + (x0 - xbar)^2 / Sxx.
 *
 * Ownership. A workspace, struct alm_ols_ws, is created for at most nmax
 * observations and pmax parameters with alm_ols_ws_new() and freed with
 * alm_ols_ws_free(); a fit allocates nothing. alm_ols_fit() fills a
 * caller-owned struct alm_ols whose arrays live in the workspace: they are
 * valid until the next alm_ols_fit() on that workspace or until it is
 * freed. A workspace serves one thread at a time (the prediction functions
 * use its scratch space too). */
#ifndef ALMANAC_OLS_H
#define ALMANAC_OLS_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>

struct alm_ols_ws;

/* What to fit: y on an intercept (optional) and either the k columns of x
 * or, when degree >= 1, the powers x, x^2, ..., x^degree of its single
 * column (k must then be 1). The parameters are, in order: the intercept
 * (if any), then one per column or per power.
 *
 * The low parts are optional: each value is y[i] + y_lo[i] (likewise x),
 * which lets data read from decimal text (alm_ols_parse_value()) enter the
 * fit exactly rather than rounded to double. The rounding matters on
 * ill-conditioned sets: on NIST's Wampler 2 the exact least-squares
 * solution for the rounded data agrees with the certified one to only 13.2
 * digits. NULL means the doubles are the data. */
struct alm_ols_input {
    size_t n;                 /* observations */
    const double *y;          /* n responses */
    const double *y_lo;       /* n low parts of y, or NULL (see below) */
    size_t k;                 /* columns of x (0 for an intercept-only fit) */
    const double *x;          /* n * k regressors, row-major: x[i * k + j] */
    const double *x_lo;       /* n * k low parts of x, or NULL */
    unsigned degree;          /* 0: the columns as given; K: powers 1..K */
    bool intercept;           /* add a column of ones as the first term */
    const char *const *names; /* k column names for messages, or NULL */
};

/* A fit. All arrays are borrowed from the workspace (see above).
 *
 * With n == p the fit is exact: the estimates are defined, but sigma, se
 * and cov are NaN, because there is no degree of freedom left to estimate
 * the error variance; callers report such a forecast with empty bounds
 * rather than print NaN. r_squared is NaN when the total sum of squares is
 * 0 (constant y with an intercept, or y all 0). */
struct alm_ols {
    size_t n;              /* observations */
    size_t p;              /* parameters */
    bool intercept;        /* whether coef[0] is the intercept */
    const double *coef;    /* p estimates */
    const double *se;      /* p standard errors sigma * sqrt(diag(xtx_inv)) */
    const double *xtx_inv; /* p * p, row-major: (X'X)^-1 */
    const double *cov;     /* p * p, row-major: sigma^2 (X'X)^-1 */
    const double *resid;   /* n residuals y - X coef */
    double rss;            /* residual sum of squares */
    double tss;            /* total sum of squares, about the mean when the
                              model has an intercept, about 0 otherwise */
    double sigma;          /* residual standard deviation sqrt(rss/(n-p)) */
    double r_squared;      /* 1 - rss/tss (uncentred without intercept, as
                              NIST and R's lm define it) */
    struct alm_ols_ws *w;  /* private: the factors, for the predictions */
    unsigned long serial;  /* private: detects use after a later fit */
};

/* Creates a workspace for fits of at most nmax observations and pmax
 * parameters. Returns NULL (ALM_ENOMEM, or ALM_EINPUT if pmax is 0) on
 * failure. Free with alm_ols_ws_free(). */
struct alm_ols_ws *alm_ols_ws_new(size_t nmax, size_t pmax,
                                  struct alm_error *err);

/* Frees w; NULL is a no-op. */
void alm_ols_ws_free(struct alm_ols_ws *w);

/* Parses s, a finite decimal number ("-1.5", ".11019", "0.4E-03"; no
 * spaces, hex, "nan" or "inf"), into *hi, the double nearest to it, and
 * *lo, the rest (s - hi) to about 32 significant digits, for the low parts
 * of struct alm_ols_input. Returns ALM_OK, or ALM_EINPUT with a message
 * quoting s; *hi and *lo are written only on success. */
enum alm_status alm_ols_parse_value(const char *s, double *hi, double *lo,
                                    struct alm_error *err);

/* Returns the number of parameters the input describes (intercept plus
 * columns or powers). */
size_t alm_ols_count_params(const struct alm_ols_input *in);

/* Fits in by least squares into *fit. Fails with ALM_EINPUT when there are
 * fewer observations than parameters ("needs at least 3 observations for 3
 * parameters, got 2"), when a value or a power is not finite, when a column
 * is all zero or a linear combination of the terms before it (a
 * rank-deficient design, named by column), or when the design is too
 * ill-conditioned for the refinement to converge; with ALM_EBUG when the
 * input exceeds the workspace's sizes or GSL fails unexpectedly. *fit is
 * written only on success. */
enum alm_status alm_ols_fit(struct alm_ols_ws *w,
                            const struct alm_ols_input *in, struct alm_ols *fit,
                            struct alm_error *err);

/* Computes the fitted value at a new row x0 into *yhat. x0 holds one row of
 * the input's x (k values; for a polynomial, the single x), and the
 * intercept and powers are formed as in the fit. Returns ALM_OK, ALM_EINPUT
 * if x0 or a power of it is not finite, or ALM_EBUG if fit is stale. */
enum alm_status alm_ols_predict(const struct alm_ols *fit, const double *x0,
                                double *yhat, struct alm_error *err);

/* Computes h = x0'(X'X)^-1 x0 into *h for a new row x0 given as in
 * alm_ols_predict(), by the same refined solve as the estimates (not from
 * the rounded xtx_inv, which would lose digits to cancellation). The
 * standard error of the fitted value is sigma * sqrt(h), and that of a new
 * observation sigma * sqrt(1 + h). Returns ALM_OK, ALM_EINPUT if x0 is not
 * finite, or ALM_EBUG if fit is stale or GSL fails. */
enum alm_status alm_ols_predict_var(const struct alm_ols *fit, const double *x0,
                                    double *h, struct alm_error *err);

#endif
