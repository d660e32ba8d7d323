/* regress: least squares on the columns of a CSV file (see regress.h); its
 * result is written for people and in CSV by view_regress.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/ols.h>
#include <almanac/regress.h>

#include "internal.h"

void alm_regress_free(struct alm_regress *r)
{
    if (!r)
        return;
    if (r->terms)
        for (size_t j = 0; j < r->p; j++)
            free(r->terms[j]);
    free(r->terms);
    free(r->coef);
    free(r->se);
    free(r);
}

/* Fails with "no column 'z' in FILE; its columns are a, b" for option
 * opt. */
static enum alm_status no_column(const struct alm_table *t, const char *name,
                                 const char *opt, struct alm_error *err)
{
    char q[96], have[240] = "";
    size_t used = 0;
    for (size_t j = 0; j < t->ncols && used + 8 < sizeof have; j++) {
        char h[64];
        alm_error_quote(t->header[j], h, sizeof h);
        int w = snprintf(have + used, sizeof have - used, "%s%s",
                         j > 0 ? ", " : "", h);
        used += w > 0 ? (size_t)w : 0;
    }
    if (used >= sizeof have)
        memcpy(have + sizeof have - 4, "...", 4);
    char file[200];
    alm_fail(err, ALM_EINPUT, "no column '%s' in %s; its columns are %s",
             alm_error_quote(name, q, sizeof q),
             alm_error_quote(t->name, file, sizeof file), have);
    alm_error_locate(err, NULL, 0, opt);
    return ALM_EINPUT;
}

/* Names the option opt in the error just failed, as SPEC.md asks for a bad
 * option value ("almanac: --poly: ..."); returns ALM_EINPUT. */
static enum alm_status at_option(const char *opt, struct alm_error *err)
{
    alm_error_locate(err, NULL, 0, opt);
    return ALM_EINPUT;
}

/* Resolves --y and --x into column indices: *ycol, and xcols[0..*k). xcols
 * has room for t->ncols entries. */
static enum alm_status pick_columns(const struct alm_table *t,
                                    const struct alm_regress_opts *opts,
                                    size_t *ycol, size_t *xcols, size_t *k,
                                    struct alm_error *err)
{
    if (t->ncols == 0) {
        alm_fail(err, ALM_EINPUT, "the file has no columns");
        alm_error_locate(err, t->name, 0, NULL);
        return ALM_EINPUT;
    }
    size_t yc = 0, nx = 0;
    if (opts->y) {
        long c = alm_table_col(t, opts->y);
        if (c < 0)
            return no_column(t, opts->y, "--y", err);
        yc = (size_t)c;
    }
    if (!opts->x) {
        for (size_t j = 0; j < t->ncols; j++)
            if (j != yc)
                xcols[nx++] = j;
        *ycol = yc;
        *k = nx;
        return ALM_OK;
    }
    const char *s = opts->x;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char q[96];
        if (len == 0) {
            alm_fail(err, ALM_EINPUT, "empty column name in '%s'",
                     alm_error_quote(opts->x, q, sizeof q));
            return at_option("--x", err);
        }
        char *name = alm__strndup(s, len);
        if (!name)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        long c = alm_table_col(t, name);
        enum alm_status st = ALM_OK;
        alm_error_quote(name, q, sizeof q);
        if (c < 0) {
            st = no_column(t, name, "--x", err);
        } else if ((size_t)c == yc) {
            alm_fail(err, ALM_EINPUT,
                     "column '%s' is the response; it cannot also be a "
                     "regressor",
                     q);
            st = at_option("--x", err);
        }
        for (size_t m = 0; st == ALM_OK && m < nx; m++) {
            if (xcols[m] == (size_t)c) {
                alm_fail(err, ALM_EINPUT, "column '%s' is given twice", q);
                st = at_option("--x", err);
            }
        }
        free(name);
        if (st != ALM_OK)
            return st;
        if (nx >= t->ncols) /* unreachable: no repeats, y excluded */
            return alm_fail(err, ALM_EBUG, "too many --x columns");
        xcols[nx++] = (size_t)c;
        if (!comma)
            break;
        s = comma + 1;
    }
    *ycol = yc;
    *k = nx;
    return ALM_OK;
}

/* Parses --poly into *degree (0 when not given). */
static enum alm_status parse_poly(const char *text, size_t k, unsigned *degree,
                                  struct alm_error *err)
{
    int v = 0;
    *degree = 0;
    if (!text)
        return ALM_OK;
    if (alm__parse_int(text, &v, err) != ALM_OK)
        return at_option("--poly", err);
    if (v < 1 || v > ALM_REGRESS_POLY_MAX) {
        alm_fail(err, ALM_EINPUT, "the degree must be between 1 and %d, got %d",
                 ALM_REGRESS_POLY_MAX, v);
        return at_option("--poly", err);
    }
    if (k != 1) {
        alm_fail(err, ALM_EINPUT,
                 "needs exactly one x column, got %zu (choose one with --x)",
                 k);
        return at_option("--poly", err);
    }
    *degree = (unsigned)v;
    return ALM_OK;
}

/* Reads the cell at (row, col) into hi + lo, locating any error. */
static enum alm_status read_cell(const struct alm_table *t, size_t row,
                                 size_t col, double *hi, double *lo,
                                 struct alm_error *err)
{
    enum alm_status st =
        alm_ols_parse_value(alm_table_cell(t, row, (long)col), hi, lo, err);
    if (st != ALM_OK)
        alm_error_locate(err, t->name, t->lines[row], t->header[col]);
    return st;
}

/* Builds the result from a fit: the term names and the numbers. */
static enum alm_status make_result(const struct alm_table *t,
                                   const struct alm_ols *fit,
                                   const size_t *xcols, size_t k,
                                   unsigned degree, struct alm_regress **out)
{
    struct alm_regress *r = calloc(1, sizeof *r);
    if (!r)
        return ALM_ENOMEM;
    r->n = fit->n;
    r->p = fit->p;
    r->sigma = fit->sigma;
    r->r_squared = fit->r_squared;
    r->terms = calloc(fit->p, sizeof *r->terms);
    r->coef = malloc(fit->p * sizeof *r->coef);
    r->se = malloc(fit->p * sizeof *r->se);
    if (!r->terms || !r->coef || !r->se)
        goto fail;
    size_t j = 0;
    if (fit->intercept) {
        r->terms[j] = alm__strdup("(intercept)");
        if (!r->terms[j++])
            goto fail;
    }
    size_t nterms = degree > 0 ? degree : k;
    for (size_t m = 0; m < nterms; m++, j++) {
        const char *name = t->header[xcols[degree > 0 ? 0 : m]];
        if (degree > 0 && m > 0) {
            size_t size = strlen(name) + 24;
            r->terms[j] = malloc(size);
            if (r->terms[j])
                snprintf(r->terms[j], size, "%s^%zu", name, m + 1);
        } else {
            r->terms[j] = alm__strdup(name);
        }
        if (!r->terms[j])
            goto fail;
    }
    memcpy(r->coef, fit->coef, fit->p * sizeof *r->coef);
    memcpy(r->se, fit->se, fit->p * sizeof *r->se);
    *out = r;
    return ALM_OK;
fail:
    alm_regress_free(r);
    return ALM_ENOMEM;
}

enum alm_status alm_regress_fit(const struct alm_table *t,
                                const struct alm_regress_opts *opts,
                                struct alm_regress **out, struct alm_error *err)
{
    size_t n = t->nrows, ycol = 0, k = 0;
    unsigned degree = 0;
    double *y = NULL, *ylo = NULL, *x = NULL, *xlo = NULL;
    const char **names = NULL;
    struct alm_ols_ws *w = NULL;
    size_t *xcols = calloc(t->ncols ? t->ncols : 1, sizeof *xcols);
    if (!xcols)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = pick_columns(t, opts, &ycol, xcols, &k, err);
    if (st == ALM_OK)
        st = parse_poly(opts->poly, k, &degree, err);
    if (st != ALM_OK)
        goto done;

    size_t cells = n * (k ? k : 1);
    y = malloc((n ? n : 1) * sizeof *y);
    ylo = malloc((n ? n : 1) * sizeof *ylo);
    x = malloc((cells ? cells : 1) * sizeof *x);
    xlo = malloc((cells ? cells : 1) * sizeof *xlo);
    names = malloc((k ? k : 1) * sizeof *names);
    if (!y || !ylo || !x || !xlo || !names) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < k; m++)
        names[m] = t->header[xcols[m]];
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        st = read_cell(t, i, ycol, &y[i], &ylo[i], err);
        for (size_t m = 0; m < k && st == ALM_OK; m++)
            st = read_cell(t, i, xcols[m], &x[i * k + m], &xlo[i * k + m], err);
    }
    if (st != ALM_OK)
        goto done;

    struct alm_ols_input in = {0};
    in.n = n;
    in.y = y;
    in.y_lo = ylo;
    in.k = k;
    in.x = x;
    in.x_lo = xlo;
    in.degree = degree;
    in.intercept = !opts->no_intercept;
    in.names = names;
    size_t p = alm_ols_count_params(&in);
    w = alm_ols_ws_new(n ? n : 1, p ? p : 1, err);
    if (!w) {
        st = ALM_ENOMEM;
        goto done;
    }
    struct alm_ols fit;
    st = alm_ols_fit(w, &in, &fit, err);
    if (st != ALM_OK) {
        alm_error_locate(err, t->name, 0, NULL);
        goto done;
    }
    st = make_result(t, &fit, xcols, k, degree, out);
    if (st != ALM_OK)
        alm_fail(err, st, "out of memory");
done:
    alm_ols_ws_free(w);
    free(xcols);
    free(y);
    free(ylo);
    free(x);
    free(xlo);
    free(names);
    return st;
}

enum alm_status alm_regress_read(const char *path,
                                 const struct alm_regress_opts *opts,
                                 struct alm_regress **out,
                                 struct alm_error *err)
{
    struct alm_table *t = NULL;
    enum alm_status st = alm_table_read(path, &t, err);
    if (st == ALM_OK)
        st = alm_regress_fit(t, opts, out, err);
    alm_table_free(t);
    return st;
}
