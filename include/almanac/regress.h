/* The regress command's library side: ordinary least squares on the
 * columns of any CSV file (SPEC.md, `regress`), as R's lm() or gretl's ols
 * would compute it, through the accurate solver of ols.h.
 *
 * The options are taken as the text the user typed, so that every check
 * (a missing column, a bad --poly) happens here, with a message that names
 * the option. Cells are read as decimal text straight into the solver's
 * double-double input, so a file's numbers enter the fit exactly.
 *
 * Ownership: alm_regress_fit() and alm_regress_read() return a struct
 * alm_regress that the caller frees with alm_regress_free(); it owns all
 * its strings and arrays. */
#ifndef ALMANAC_REGRESS_H
#define ALMANAC_REGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/error.h>

/* The highest degree --poly accepts. Raw powers beyond about 12 are too
 * ill-conditioned for any double-precision method on most data anyway;
 * the solver says so when it meets one. */
#define ALM_REGRESS_POLY_MAX 20

/* The command's options, as typed; NULL means "not given". */
struct alm_regress_opts {
    const char *y;     /* --y: the response column; default the first */
    const char *x;     /* --x: comma-separated columns; default all others */
    const char *poly;  /* --poly K: powers 1..K of the single x column */
    bool no_intercept; /* --no-intercept */
};

/* A regression result. With n == p (an exact fit) sigma and every se are
 * NaN; with a constant response r_squared is NaN; writers print these as
 * empty cells. */
struct alm_regress {
    size_t n;         /* observations (data rows) */
    size_t p;         /* coefficients */
    char **terms;     /* p names: "(intercept)", columns, "x^2", ... */
    double *coef;     /* p estimates */
    double *se;       /* p standard errors */
    double sigma;     /* residual standard deviation */
    double r_squared; /* uncentred (1 - RSS/sum y^2) without intercept */
};

/* Fits the regression the options describe on the columns of t (whose name
 * is used in messages). Fails with ALM_EINPUT when an option names a
 * column t lacks or is malformed (the message names the option), when a
 * cell is not a finite number (naming file, line and column), or when the
 * solver refuses the data (too few rows, a column that depends on the
 * others). *out is written only on success. */
enum alm_status alm_regress_fit(const struct alm_table *t,
                                const struct alm_regress_opts *opts,
                                struct alm_regress **out,
                                struct alm_error *err);

/* Reads the CSV file at path ("-" is standard input) and fits it as
 * alm_regress_fit() does. A file that cannot be read is ALM_EIO. */
enum alm_status alm_regress_read(const char *path,
                                 const struct alm_regress_opts *opts,
                                 struct alm_regress **out,
                                 struct alm_error *err);

/* Frees r; NULL is a no-op. */
void alm_regress_free(struct alm_regress *r);

#endif
