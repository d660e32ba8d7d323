/* Fitting and projecting one series: the models of SPEC.md `fit`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include <almanac/fit.h>
#include <almanac/ols.h>

#include "dd.h"
#include "fit_internal.h"
#include "internal.h"

struct alm_fit_ws {
    size_t nmax;
    struct alm_ols_ws *ols;
    double *u, *z; /* nmax each */
    double *tmp;   /* Theil-Sen's pairwise slopes, sized by the longest
                      series it has fitted (n(n-1)/2 + n), else NULL */
    size_t tmp_cap;
};

/* Makes room in w for series of n points: the least-squares workspace and
 * u, z grow to n (never shrink), so a workspace sized for a typical series
 * still fits a longer one. */
static enum alm_status ws_reserve(struct alm_fit_ws *w, size_t n,
                                  struct alm_error *err)
{
    if (n <= w->nmax && w->ols)
        return ALM_OK;
    if (n < w->nmax)
        n = w->nmax;
    struct alm_ols_ws *ols = alm_ols_ws_new(n, ALM_FIT_DEGREE_MAX + 1, err);
    double *u = malloc(n * sizeof *u), *z = malloc(n * sizeof *z);
    if (!ols || !u || !z) {
        alm_ols_ws_free(ols);
        free(u);
        free(z);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    alm_ols_ws_free(w->ols);
    free(w->u);
    free(w->z);
    w->ols = ols;
    w->u = u;
    w->z = z;
    w->nmax = n;
    return ALM_OK;
}

/* Makes room for cap doubles of Theil-Sen scratch. */
static enum alm_status ws_reserve_tmp(struct alm_fit_ws *w, size_t cap,
                                      struct alm_error *err)
{
    if (cap <= w->tmp_cap)
        return ALM_OK;
    double *tmp = realloc(w->tmp, cap * sizeof *tmp);
    if (!tmp)
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory for theil-sen's %zu pairwise slopes",
                        cap);
    w->tmp = tmp;
    w->tmp_cap = cap;
    return ALM_OK;
}

struct alm_fit_ws *alm_fit_ws_new(size_t nmax, struct alm_error *err)
{
    struct alm_fit_ws *w = calloc(1, sizeof *w);
    if (!w) {
        alm_fail(err, ALM_ENOMEM, "out of memory");
        return NULL;
    }
    if (ws_reserve(w, nmax < 2 ? 2 : nmax, err) != ALM_OK) {
        alm_fit_ws_free(w);
        return NULL;
    }
    return w;
}

void alm_fit_ws_free(struct alm_fit_ws *w)
{
    if (!w)
        return;
    alm_ols_ws_free(w->ols);
    free(w->u);
    free(w->z);
    free(w->tmp);
    free(w);
}

static const char *const model_names[] = {"auto",      "linear",   "loglinear",
                                          "poly",      "logistic", "drift",
                                          "theil-sen", "mean"};

enum alm_status alm_model_parse(const char *text, struct alm_model_spec *out,
                                struct alm_error *err)
{
    char q[80];
    struct alm_model_spec m = {ALM_MODEL_AUTO, 0};
    if (strncmp(text, "poly:", 5) == 0) {
        int k = 0;
        if (alm__parse_int(text + 5, &k, NULL) != ALM_OK || k < 1 ||
            k > ALM_FIT_DEGREE_MAX) {
            alm_fail(err, ALM_EINPUT,
                     "bad model '%s': the degree of poly:K is a whole number "
                     "from 1 to %d",
                     alm_error_quote(text, q, sizeof q), ALM_FIT_DEGREE_MAX);
            alm_error_locate(err, NULL, 0, "--model");
            return ALM_EINPUT;
        }
        m.model = ALM_MODEL_POLY;
        m.degree = (unsigned)k;
        *out = m;
        return ALM_OK;
    }
    for (size_t i = 0; i < sizeof model_names / sizeof model_names[0]; i++) {
        if (i != ALM_MODEL_POLY && strcmp(text, model_names[i]) == 0) {
            m.model = (enum alm_model)i;
            *out = m;
            return ALM_OK;
        }
    }
    alm_fail(err, ALM_EINPUT,
             "unknown model '%s': expected auto, linear, loglinear, poly:K, "
             "logistic, drift, mean or theil-sen",
             alm_error_quote(text, q, sizeof q));
    alm_error_locate(err, NULL, 0, "--model");
    return ALM_EINPUT;
}

enum alm_status alm_level_parse(const char *text, double *out,
                                struct alm_error *err)
{
    double x;
    if (alm__parse_number(text, &x, NULL) != ALM_OK || !(x > 0 && x < 100)) {
        char q[80];
        alm_fail(err, ALM_EINPUT,
                 "expected a percent between 0 and 100 (95), got '%s'",
                 alm_error_quote(text, q, sizeof q));
        alm_error_locate(err, NULL, 0, "--level");
        return ALM_EINPUT;
    }
    *out = x;
    return ALM_OK;
}

void alm_model_format(const struct alm_model_spec *m, char *out, size_t size)
{
    if (m->model == ALM_MODEL_POLY)
        snprintf(out, size, "poly:%u", m->degree);
    else
        alm__copy(out, size, model_names[m->model]);
}

/* The number of parameters of a model, for ties and for n == p. */
size_t alm__fit_params(const struct alm_model_spec *m)
{
    switch (m->model) {
    case ALM_MODEL_POLY:
        return m->degree + 1;
    case ALM_MODEL_DRIFT:
    case ALM_MODEL_MEAN:
        return 1;
    default:
        return 2;
    }
}

/* ---- the regression models ------------------------------------------- */

/* The mean of t, correctly rounded: summed in double-double. GSL's
 * gsl_stats_mean runs in long double, whose width depends on the platform
 * (80 bits on x86-64, 128 on arm64, 64 under valgrind), and so did the
 * last digits of every projection. */
static double mean_of(const double *t, size_t n)
{
    struct dd s = dd_from(0.0);
    for (size_t i = 0; i < n; i++)
        s = dd_add_d(s, t[i]);
    return dd_to_double(dd_div(s, dd_from((double)n)));
}

/* The sample standard deviation of t about c, likewise in double-double
 * (gsl_stats_sd_m runs in long double). */
static double sd_about(const double *t, size_t n, double c)
{
    struct dd s = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        double d = t[i] - c;
        s = dd_add(s, dd_two_prod(d, d));
    }
    return sqrt(dd_to_double(dd_div(s, dd_from((double)(n - 1)))));
}

/* The model's scale: z = y, ln y or logit(y/100). */
double alm__fit_to_scale(enum alm_model m, double y)
{
    if (m == ALM_MODEL_LOGLINEAR)
        return log(y);
    if (m == ALM_MODEL_LOGISTIC)
        return log(y / (100.0 - y));
    return y;
}

double alm__fit_from_scale(enum alm_model m, double z)
{
    if (m == ALM_MODEL_LOGLINEAR)
        return exp(z);
    if (m == ALM_MODEL_LOGISTIC)
        return 100.0 / (1.0 + exp(-z));
    return z;
}

static enum alm_status fit_regression(struct alm_fit_ws *w, const double *t,
                                      const double *y, size_t n,
                                      struct alm_fit *f, struct alm_error *err)
{
    enum alm_model m = f->model.model;
    unsigned degree = m == ALM_MODEL_POLY ? f->model.degree : 1;
    for (size_t i = 0; i < n; i++) {
        if (m == ALM_MODEL_LOGLINEAR && !(y[i] > 0))
            return alm_fail(err, ALM_EINPUT,
                            "loglinear needs values above 0, got %g", y[i]);
        if (m == ALM_MODEL_LOGISTIC && !(y[i] > 0 && y[i] < 100))
            return alm_fail(err, ALM_EINPUT,
                            "logistic needs shares strictly between 0 and "
                            "100, got %g",
                            y[i]);
    }
    if (n < degree + 1) {
        char name[32];
        alm_model_format(&f->model, name, sizeof name);
        return alm_fail(err, ALM_EINPUT, "%s needs at least %u points, got %zu",
                        name, degree + 1, n);
    }
    /* Centre t (and for poly scale it by its SD) so that the design is
     * well conditioned and the stored (X'X)^-1 predicts without
     * cancellation; the fitted values do not depend on this choice. */
    f->centre = mean_of(t, n);
    f->scale = 1.0;
    if (m == ALM_MODEL_POLY && n > 1) {
        double sd = sd_about(t, n, f->centre);
        if (sd > 0)
            f->scale = sd;
    }
    for (size_t i = 0; i < n; i++) {
        w->u[i] = (t[i] - f->centre) / f->scale;
        w->z[i] = alm__fit_to_scale(m, y[i]);
    }
    struct alm_ols_input in = {n,    w->z,   NULL, 1,   w->u,
                               NULL, degree, true, NULL};
    struct alm_ols o;
    enum alm_status st = alm_ols_fit(w->ols, &in, &o, err);
    if (st != ALM_OK)
        return st;
    f->p = o.p;
    for (size_t j = 0; j < o.p; j++) {
        f->coef[j] = o.coef[j];
        f->se[j] = o.se[j];
    }
    memcpy(f->xtx_inv, o.xtx_inv, o.p * o.p * sizeof *o.xtx_inv);
    f->sigma = o.sigma;
    f->r_squared = o.r_squared;
    f->has_interval = n > o.p;
    if (!f->has_interval)
        snprintf(f->note, sizeof f->note,
                 "%zu points for %zu parameters: an exact fit, so no interval",
                 n, o.p);
    return ALM_OK;
}

/* ---- drift and Theil-Sen ----------------------------------------------- */

static enum alm_status fit_drift(const double *t, const double *y, size_t n,
                                 struct alm_fit *f, struct alm_error *err)
{
    if (n < 2)
        return alm_fail(err, ALM_EINPUT,
                        "drift needs at least 2 points, got "
                        "%zu",
                        n);
    double span = t[n - 1] - t[0];
    double mu = (y[n - 1] - y[0]) / span;
    f->p = 1;
    f->coef[0] = mu;
    f->t_first = t[0];
    f->t_last = t[n - 1];
    f->y_last = y[n - 1];
    f->sigma = NAN;
    f->se[0] = NAN;
    if (n >= 3) {
        double s2 = 0;
        for (size_t i = 1; i < n; i++) {
            double dt = t[i] - t[i - 1];
            double e = (y[i] - y[i - 1]) - mu * dt;
            s2 += e * e / dt;
        }
        f->sigma = sqrt(s2 / (double)(n - 2));
        f->se[0] = f->sigma / sqrt(span);
        f->has_interval = true;
    } else {
        snprintf(f->note, sizeof f->note,
                 "2 points give the drift but not its variance: no interval");
    }
    f->r_squared = NAN;
    return ALM_OK;
}

/* The mean model: least squares on an intercept alone, which is the mean
 * (summed in double-double) with the sample SD as sigma. Stored as a
 * regression with p = 1 and (X'X)^-1 = 1/n, so that alm_fit_predict gives
 * R's forecast::meanf: mean +- t(n-1) s sqrt(1 + 1/n). */
static void fit_mean(const double *t, const double *y, size_t n,
                     struct alm_fit *f)
{
    f->p = 1;
    f->centre = mean_of(t, n);
    f->scale = 1.0;
    f->coef[0] = mean_of(y, n);
    f->sigma = sd_about(y, n, f->coef[0]);
    f->se[0] = f->sigma / sqrt((double)n);
    f->xtx_inv[0] = 1.0 / (double)n;
    f->r_squared = NAN;
    f->has_interval = true;
}

static double median(double *v, size_t n)
{
    gsl_sort(v, 1, n);
    return gsl_stats_median_from_sorted_data(v, 1, n);
}

static enum alm_status fit_theil_sen(struct alm_fit_ws *w, const double *t,
                                     const double *y, size_t n,
                                     struct alm_fit *f, struct alm_error *err)
{
    if (n < 2)
        return alm_fail(err, ALM_EINPUT,
                        "theil-sen needs at least 2 points, got %zu", n);
    size_t m = 0;
    if (n > ((size_t)-1 / sizeof(double)) / n)
        return alm_fail(err, ALM_ENOMEM, "theil-sen: %zu points are too many",
                        n);
    enum alm_status st = ws_reserve_tmp(w, n * (n - 1) / 2 + n, err);
    if (st != ALM_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (t[j] != t[i])
                w->tmp[m++] = (y[j] - y[i]) / (t[j] - t[i]);
    double b = median(w->tmp, m);
    f->centre = mean_of(t, n);
    f->scale = 1.0;
    for (size_t i = 0; i < n; i++)
        w->tmp[i] = y[i] - b * (t[i] - f->centre);
    f->coef[0] = median(w->tmp, n);
    f->coef[1] = b;
    f->se[0] = f->se[1] = NAN;
    f->p = 2;
    f->sigma = f->r_squared = NAN;
    snprintf(f->note, sizeof f->note,
             "theil-sen is a robust line with no interval");
    return ALM_OK;
}

/* Fits one named model (not auto). */
enum alm_status alm__fit_one(struct alm_fit_ws *w, const double *t,
                             const double *y, size_t n,
                             const struct alm_model_spec *m,
                             struct alm_fit *out, struct alm_error *err)
{
    struct alm_fit f;
    memset(&f, 0, sizeof f);
    f.model = *m;
    f.n = n;
    f.runner_up.model = ALM_MODEL_AUTO;
    f.score = f.runner_up_score = NAN;
    enum alm_status st;
    st = ws_reserve(w, n, err);
    if (st != ALM_OK)
        return st;
    if (n == 0)
        return alm_fail(err, ALM_EINPUT, "no observations to fit");
    if (n == 1)
        return alm_fail(err, ALM_EINPUT,
                        "one point has no trend: at least 2 are needed");
    switch (m->model) {
    case ALM_MODEL_DRIFT:
        st = fit_drift(t, y, n, &f, err);
        break;
    case ALM_MODEL_THEIL_SEN:
        st = fit_theil_sen(w, t, y, n, &f, err);
        break;
    case ALM_MODEL_MEAN:
        fit_mean(t, y, n, &f);
        break;
    default:
        st = fit_regression(w, t, y, n, &f, err);
        break;
    }
    if (st == ALM_OK)
        *out = f;
    return st;
}

/* ---- prediction ---------------------------------------------------------- */

/* gsl_cdf_tdist_Pinv(p, df), remembering the last answer: a projection asks
 * the same quantile for each of its periods, and a run over many series of
 * one length asks it for every series. */
static double t_quantile(double p, double df)
{
    static _Thread_local double last_p = NAN, last_df = NAN, last_q = NAN;
    if (p != last_p || df != last_df) {
        last_q = gsl_cdf_tdist_Pinv(p, df);
        last_p = p;
        last_df = df;
    }
    return last_q;
}

enum alm_status alm_fit_predict(const struct alm_fit *f, double t, double level,
                                struct alm_forecast *out, struct alm_error *err)
{
    struct alm_forecast r = {NAN, NAN, NAN, NAN, NAN, NAN};
    double q = NAN;
    if (!(level > 0 && level < 100))
        return alm_fail(err, ALM_EINPUT,
                        "the level is a percent between 0 and 100, got %g",
                        level);
    switch (f->model.model) {
    case ALM_MODEL_DRIFT: {
        double h = t - f->t_last;
        r.z = r.value = f->y_last + f->coef[0] * h;
        if (f->has_interval && h > 0) {
            r.df = (double)f->n - 2;
            r.se_pred = f->sigma * sqrt(h + h * h / (f->t_last - f->t_first));
        }
        break;
    }
    case ALM_MODEL_THEIL_SEN:
        r.z = r.value = f->coef[0] + f->coef[1] * (t - f->centre);
        break;
    default: {
        double x[ALM_FIT_DEGREE_MAX + 1], u = (t - f->centre) / f->scale;
        double z = 0, h = 0;
        x[0] = 1;
        for (size_t j = 1; j < f->p; j++)
            x[j] = x[j - 1] * u;
        for (size_t j = f->p; j-- > 0;)
            z += f->coef[j] * x[j];
        for (size_t i = 0; i < f->p; i++)
            for (size_t j = 0; j < f->p; j++)
                h += x[i] * f->xtx_inv[i * f->p + j] * x[j];
        r.z = z;
        r.value = alm__fit_from_scale(f->model.model, z);
        if (f->has_interval) {
            r.df = (double)(f->n - f->p);
            r.se_pred = f->sigma * sqrt(1 + h);
        }
        break;
    }
    }
    if (!isnan(r.se_pred)) {
        q = t_quantile((1 + level / 100) / 2, r.df);
        r.lower = alm__fit_from_scale(f->model.model, r.z - q * r.se_pred);
        r.upper = alm__fit_from_scale(f->model.model, r.z + q * r.se_pred);
    }
    *out = r;
    return ALM_OK;
}

double alm_fit_probability(const struct alm_fit *fit,
                           const struct alm_forecast *fc, double target,
                           int direction)
{
    enum alm_model m = fit->model.model;
    if (isnan(fc->se_pred) || !(fc->se_pred > 0) || isnan(fc->df))
        return NAN;
    if (m == ALM_MODEL_LOGLINEAR && !(target > 0))
        return direction > 0 ? 1.0 : 0.0;
    if (m == ALM_MODEL_LOGISTIC && !(target > 0 && target < 100))
        return (target <= 0) == (direction > 0) ? 1.0 : 0.0;
    double x = (alm__fit_to_scale(m, target) - fc->z) / fc->se_pred;
    double below = gsl_cdf_tdist_P(x, fc->df);
    return direction > 0 ? 1.0 - below : below;
}
