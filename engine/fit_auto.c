/* auto: the rolling-origin choice among the candidates of a kind, the
 * kinds' domains and the rule that keeps auto inside them (fit.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <almanac/fit.h>

#include "dd.h"
#include "fit_internal.h"
#include "internal.h"

/* ---- auto -------------------------------------------------------------- */

/* The longest series whose rolling-origin errors are computed by refitting
 * at every origin (see rolling_mae). */
#define ROLLING_REFIT_MAX 64

/* The one-step forecast at origin i of a model refitted from scratch on
 * the points before i; NaN when it cannot be fitted or is not finite. */
static double refit_forecast(struct alm_fit_ws *w, const double *t,
                             const double *y, size_t i,
                             const struct alm_model_spec *m)
{
    struct alm_fit f;
    struct alm_forecast fc = {NAN, NAN, NAN, NAN, NAN, NAN};
    if (alm__fit_one(w, t, y, i, m, &f, NULL) != ALM_OK ||
        alm_fit_predict(&f, t[i], 95, &fc, NULL) != ALM_OK ||
        !isfinite(fc.value))
        return NAN;
    return fc.value;
}

/* rolling_mae of drift on a long series: the forecast at origin i needs
 * only the first and last points before it, as fit_drift then
 * alm_fit_predict compute them. */
static double rolling_drift(const double *t, const double *y, size_t n)
{
    size_t h = (n + 1) / 2;
    double sum = 0;
    for (size_t i = n - h; i < n; i++) {
        if (i < 2)
            return NAN;
        double mu = (y[i - 1] - y[0]) / (t[i - 1] - t[0]);
        double v = y[i - 1] + mu * (t[i] - t[i - 1]);
        if (!isfinite(v))
            return NAN;
        sum += fabs(v - y[i]);
    }
    return sum / (double)h;
}

/* rolling_mae of the mean on a long series: a running sum in
 * double-double, added in the order mean_of adds, so that each forecast
 * is bit for bit the refit's. */
static double rolling_mean(const double *y, size_t n)
{
    size_t h = (n + 1) / 2, start = n - h;
    double sum = 0;
    struct dd s = dd_from(0.0);
    for (size_t i = 0; i < n; i++) {
        if (i >= start) {
            if (i < 2)
                return NAN;
            double v = dd_to_double(dd_div(s, dd_from((double)i)));
            sum += fabs(v - y[i]);
        }
        s = dd_add_d(s, y[i]);
    }
    return sum / (double)h;
}

/* The rolling-origin one-step-ahead mean absolute error of model m over
 * the last ceil(n/2) points; NaN when the model cannot be fitted at some
 * origin.
 *
 * Refitting at every origin costs O(n) each, O(n^2) in all; instead the
 * straight-line models (linear, loglinear, logistic: a line on the model's
 * scale) update running sums as the origin moves. In u = t - t[0] (exact
 * for times within a factor of 2 of each other, Sterbenz) the sums of u,
 * z, u^2 and u z are kept in double-double (every product exact), so the
 * centred moments Sxx = sum u^2 - (sum u)^2 / k and Sxz lose no digit a
 * double holds even when the mean is far from 0; the forecast
 * mean z + Sxz / Sxx (u_i - mean u) then agrees with the least-squares
 * refit to the last bits (tests/unit/test_fit.c compares the two to 12
 * digits). When the times are (nearly) all equal, Sxx is no guide: that
 * origin is refitted from scratch. The drift forecast needs only the
 * first and last points before the origin, the mean's a running sum.
 *
 * Series of up to ROLLING_REFIT_MAX points are refitted at every origin
 * (at most 32 small fits): their scores stay bit for bit what they always
 * were, and the updates pay only on long series. */
static double rolling_mae(struct alm_fit_ws *w, const double *t,
                          const double *y, size_t n,
                          const struct alm_model_spec *m)
{
    size_t h = (n + 1) / 2, start = n - h;
    double sum = 0;
    enum alm_model mm = m->model;
    if (mm == ALM_MODEL_DRIFT && n > ROLLING_REFIT_MAX)
        return rolling_drift(t, y, n);
    if (mm == ALM_MODEL_MEAN && n > ROLLING_REFIT_MAX)
        return rolling_mean(y, n);
    if (n <= ROLLING_REFIT_MAX ||
        (mm != ALM_MODEL_LINEAR && mm != ALM_MODEL_LOGLINEAR &&
         mm != ALM_MODEL_LOGISTIC)) {
        for (size_t i = start; i < n; i++) {
            double v = refit_forecast(w, t, y, i, m);
            if (isnan(v))
                return NAN;
            sum += fabs(v - y[i]);
        }
        return sum / (double)h;
    }
    /* A line on the model's scale: the values must be on it. */
    for (size_t i = 0; i < n; i++) {
        if (mm == ALM_MODEL_LOGLINEAR && !(y[i] > 0))
            return NAN;
        if (mm == ALM_MODEL_LOGISTIC && !(y[i] > 0 && y[i] < 100))
            return NAN;
    }
    struct dd s1 = dd_from(0), sz = dd_from(0), suu = dd_from(0),
              suz = dd_from(0);
    double c = t[0];
    for (size_t i = 0; i < n; i++) {
        if (i >= start) {
            double v;
            if (i < 2)
                return NAN;
            struct dd k = dd_from((double)i);
            struct dd ubar = dd_div(s1, k), zbar = dd_div(sz, k);
            struct dd sxx = dd_sub(suu, dd_mul(s1, ubar));
            struct dd sxz = dd_sub(suz, dd_mul(s1, zbar));
            if (!(sxx.hi > 1e-20 * suu.hi)) {
                v = refit_forecast(w, t, y, i, m);
            } else {
                struct dd b = dd_div(sxz, sxx);
                struct dd du = dd_sub(dd_from(t[i] - c), ubar);
                v = alm__fit_from_scale(
                    mm, dd_to_double(dd_add(zbar, dd_mul(b, du))));
            }
            if (!isfinite(v))
                return NAN;
            sum += fabs(v - y[i]);
        }
        double u = t[i] - c, z = alm__fit_to_scale(mm, y[i]);
        s1 = dd_add_d(s1, u);
        sz = dd_add_d(sz, z);
        suu = dd_add(suu, dd_two_prod(u, u));
        suz = dd_add(suz, dd_two_prod(u, z));
    }
    return sum / (double)h;
}

static bool all_in(const double *y, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        if (!(y[i] > lo && y[i] < hi))
            return false;
    return true;
}

bool alm_kind_in_domain(enum alm_kind kind, double v)
{
    return alm_domain_words(kind, v) == NULL;
}

const char *alm_domain_words(enum alm_kind kind, double v)
{
    if (isnan(v))
        return NULL;
    switch (kind) {
    case ALM_KIND_SHARE:
        if (v < 0)
            return "below 0%: impossible for a share";
        if (v > 100)
            return "above 100%: impossible for a share";
        return NULL;
    case ALM_KIND_LEVEL:
        return v < 0 ? "below 0: impossible for a level" : NULL;
    case ALM_KIND_COUNT:
        return v < 0 ? "below 0: impossible for a count" : NULL;
    case ALM_KIND_GROWTH:
        return v <= -100 ? "at or below -100%: impossible for a growth rate"
                         : NULL;
    default:
        return NULL;
    }
}

/* SPEC.md: growth mean, linear, drift; share linear, logistic, mean; the
 * others linear, loglinear, drift. */
size_t alm_auto_candidates(enum alm_kind kind, const double *y, size_t n,
                           struct alm_model_spec cand[3])
{
    size_t nc = 0;
    if (kind == ALM_KIND_GROWTH) {
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_MEAN, 0};
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_LINEAR, 0};
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_DRIFT, 0};
    } else if (kind == ALM_KIND_SHARE) {
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_LINEAR, 0};
        if (all_in(y, n, 0, 100))
            cand[nc++] = (struct alm_model_spec){ALM_MODEL_LOGISTIC, 0};
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_MEAN, 0};
    } else {
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_LINEAR, 0};
        if (all_in(y, n, 0, INFINITY))
            cand[nc++] = (struct alm_model_spec){ALM_MODEL_LOGLINEAR, 0};
        cand[nc++] = (struct alm_model_spec){ALM_MODEL_DRIFT, 0};
    }
    return nc;
}

/* Whether the point projection of f stays in the kind's domain from the
 * last point to t_end. Every candidate of auto projects a monotone path
 * (a line on its own scale, a constant), so the two ends decide. */
static bool stays_inside(const struct alm_fit *f, const double *t, size_t n,
                         enum alm_kind kind, double t_end)
{
    double ends[2] = {t[n - 1], t_end > t[n - 1] ? t_end : t[n - 1]};
    for (int k = 0; k < 2; k++) {
        struct alm_forecast fc = {NAN, NAN, NAN, NAN, NAN, NAN};
        if (alm_fit_predict(f, ends[k], 95, &fc, NULL) != ALM_OK ||
            !alm_kind_in_domain(kind, fc.value))
            return false;
    }
    return true;
}

/* Whether candidate i beats candidate j: lower error, then fewer
 * parameters, then the order of the list (j == none: anything beats it). */
static bool beats(const double *score, const struct alm_model_spec *cand,
                  size_t i, size_t j, size_t none)
{
    if (j == none)
        return true;
    if (score[i] != score[j])
        return score[i] < score[j];
    return alm__fit_params(&cand[i]) < alm__fit_params(&cand[j]);
}

/* Appends to f's note the candidates that scored better than the one
 * chosen but were set aside for leaving the domain. */
static void note_set_aside(struct alm_fit *f, const struct alm_model_spec *cand,
                           const double *score, const bool *inside, size_t nc,
                           size_t best, enum alm_kind kind)
{
    char names[96] = "", scores[96] = "";
    size_t k = 0;
    for (size_t i = 0; i < nc; i++) {
        if (inside[i] || isnan(score[i]) || !beats(score, cand, i, best, nc))
            continue;
        char name[32];
        alm_model_format(&cand[i], name, sizeof name);
        size_t ln = strlen(names), ls = strlen(scores);
        snprintf(names + ln, sizeof names - ln, "%s%s", k ? " and " : "", name);
        snprintf(scores + ls, sizeof scores - ls, "%s%.4g", k ? ", " : "",
                 score[i]);
        k++;
    }
    if (!k)
        return;
    size_t len = strlen(f->note);
    snprintf(f->note + len, sizeof f->note - len,
             "%sauto set aside %s (one-step MAE %s): %s %s", len ? "; " : "",
             names, scores,
             k > 1 ? "their projections go" : "its projection goes",
             kind == ALM_KIND_SHARE ? "outside 0-100%, impossible for a share"
             : kind == ALM_KIND_GROWTH
                 ? "to -100% or below, impossible for a growth rate"
             : kind == ALM_KIND_COUNT ? "below 0, impossible for a count"
                                      : "below 0, impossible for a level");
}

/* auto on four points or more: scores every candidate, keeps those whose
 * projection stays inside the domain when any does, picks the best. */
static enum alm_status fit_auto(struct alm_fit_ws *w, const double *t,
                                const double *y, size_t n, enum alm_kind kind,
                                double t_end, struct alm_fit *out,
                                struct alm_error *err)
{
    struct alm_model_spec cand[3];
    struct alm_fit fits[3];
    double score[3];
    bool fitted[3], inside[3], any_inside = false;
    size_t nc = alm_auto_candidates(kind, y, n, cand), best = nc, second = nc;
    for (size_t i = 0; i < nc; i++) {
        score[i] = rolling_mae(w, t, y, n, &cand[i]);
        fitted[i] = !isnan(score[i]) && alm__fit_one(w, t, y, n, &cand[i],
                                                     &fits[i], NULL) == ALM_OK;
        inside[i] = fitted[i] && stays_inside(&fits[i], t, n, kind, t_end);
        any_inside = any_inside || inside[i];
    }
    for (size_t i = 0; i < nc; i++) {
        if (isnan(score[i]) || (any_inside && !inside[i]))
            continue;
        if (beats(score, cand, i, best, nc)) {
            second = best;
            best = i;
        } else if (beats(score, cand, i, second, nc)) {
            second = i;
        }
    }
    struct alm_model_spec linear = {ALM_MODEL_LINEAR, 0};
    if (best == nc)
        return alm__fit_one(w, t, y, n, &linear, out, err);
    if (fitted[best]) {
        *out = fits[best];
    } else { /* scored but not fitted (out of memory): say why */
        enum alm_status st = alm__fit_one(w, t, y, n, &cand[best], out, err);
        if (st != ALM_OK)
            return st;
    }
    out->chosen = true;
    out->score = score[best];
    if (second != nc) {
        out->runner_up = cand[second];
        out->runner_up_score = score[second];
    }
    if (any_inside)
        note_set_aside(out, cand, score, inside, nc, best, kind);
    return ALM_OK;
}

enum alm_status alm_fit_series_to(struct alm_fit_ws *w, const double *t,
                                  const double *y, size_t n, enum alm_kind kind,
                                  const struct alm_model_spec *m, double t_end,
                                  struct alm_fit *out, struct alm_error *err)
{
    if (m->model != ALM_MODEL_AUTO)
        return alm__fit_one(w, t, y, n, m, out, err);
    struct alm_model_spec linear = {ALM_MODEL_LINEAR, 0};
    if (n < 4) {
        enum alm_status st = alm__fit_one(w, t, y, n, &linear, out, err);
        if (st == ALM_OK) {
            snprintf(out->note + strlen(out->note),
                     sizeof out->note - strlen(out->note), "%s%s",
                     out->note[0] ? "; " : "",
                     "auto uses linear below 4 points");
            out->chosen = true;
        }
        return st;
    }
    if (isnan(t_end))
        t_end = t[n - 1] + 5;
    return fit_auto(w, t, y, n, kind, t_end, out, err);
}

enum alm_status alm_fit_series(struct alm_fit_ws *w, const double *t,
                               const double *y, size_t n, enum alm_kind kind,
                               const struct alm_model_spec *m,
                               struct alm_fit *out, struct alm_error *err)
{
    return alm_fit_series_to(w, t, y, n, kind, m, NAN, out, err);
}
