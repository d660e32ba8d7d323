/* Fitting and projecting one series (SPEC.md, `fit`).
 *
 * A series is n points (t, y): t the decimal year of each period's
 * midpoint, y the value. The models are
 *   linear      y = a + b t
 *   loglinear   ln y = a + b t              (y > 0; growth e^b - 1 a year)
 *   poly:K      y = sum c_k u^k, u = (t - mean t) / sd t
 *   logistic    logit(y / 100) = a + b t   (shares strictly in 0..100)
 *   drift       a random walk with drift (see alm_fit_predict)
 *   theil-sen   median of pairwise slopes; no interval
 *   mean        y = a: the mean, with R's forecast::meanf interval
 *   auto        the candidate with the lowest rolling-origin one-step
 *               mean absolute error (SPEC.md gives the candidates by
 *               kind) among those whose point projection stays inside the
 *               kind's domain through the horizon, if any does; on
 *               series over 64 points computed by updating running sums
 *               rather than refitting at every origin (linear in n, equal
 *               to the refits to 12 digits)
 * The regression models go through the accurate least-squares solver
 * (ols.h), and their prediction intervals are R's
 * predict(lm(...), interval = "prediction"), transformed back for the
 * loglinear and logistic models.
 *
 * Ownership: struct alm_fit is caller-owned and self-contained (no
 * pointers into a workspace), so it stays valid however many fits follow.
 * A struct alm_fit_ws is reused across fits and allocates nothing per fit
 * after its first use for a given size. */
#ifndef ALMANAC_FIT_H
#define ALMANAC_FIT_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>
#include <almanac/kind.h>

enum alm_model {
    ALM_MODEL_AUTO,
    ALM_MODEL_LINEAR,
    ALM_MODEL_LOGLINEAR,
    ALM_MODEL_POLY,
    ALM_MODEL_LOGISTIC,
    ALM_MODEL_DRIFT,
    ALM_MODEL_THEIL_SEN,
    ALM_MODEL_MEAN
};

/* The highest polynomial degree poly:K accepts. */
#define ALM_FIT_DEGREE_MAX 8

struct alm_model_spec {
    enum alm_model model;
    unsigned degree; /* for ALM_MODEL_POLY */
};

/* Parses a --model value: "auto", "linear", "loglinear", "poly:K",
 * "logistic", "drift", "mean" or "theil-sen". */
enum alm_status alm_model_parse(const char *text, struct alm_model_spec *out,
                                struct alm_error *err);

/* Parses a --level value: a percent strictly between 0 and 100. */
enum alm_status alm_level_parse(const char *text, double *out,
                                struct alm_error *err);

/* Writes the model's name ("poly:2") into out. */
void alm_model_format(const struct alm_model_spec *m, char *out, size_t size);

/* A fitted model. Coefficients are on the model's own scale (log, logit,
 * the scaled u of poly). */
struct alm_fit {
    struct alm_model_spec model;
    size_t n; /* points fitted */
    size_t p; /* parameters */
    double coef[ALM_FIT_DEGREE_MAX + 1];
    double se[ALM_FIT_DEGREE_MAX + 1]; /* NaN where there is none */
    double sigma;         /* residual SD on the model's scale; NaN if none */
    double r_squared;     /* NaN where undefined */
    double centre, scale; /* poly: u = (t - centre) / scale */
    double t_first, t_last, y_last; /* drift: the end points */
    bool has_interval; /* false: bounds are empty (n == p, theil-sen) */
    char note[200];    /* why there is no interval, or "" */
    /* Regression models keep what prediction needs: (X'X)^-1. */
    double xtx_inv[(ALM_FIT_DEGREE_MAX + 1) * (ALM_FIT_DEGREE_MAX + 1)];
    /* For auto: the runner-up and both scores (NaN if none); the
     * candidates set aside because their projection leaves the domain are
     * named in note. */
    struct alm_model_spec runner_up;
    double score, runner_up_score;
    bool chosen; /* true when auto made the choice */
};

/* A prediction at one time t: the forecast and its bounds at the level
 * asked for, on the original scale (NaN bounds when the fit has no
 * interval), plus the forecast and prediction SE on the model's scale and
 * its degrees of freedom (for probabilities, see track). */
struct alm_forecast {
    double value, lower, upper;
    double z, se_pred; /* model scale; se_pred NaN when no interval */
    double df;
};

struct alm_fit_ws;

/* Creates a workspace for series of up to nmax points (the longest series
 * of a dataset: alm_dataset_longest); it grows when a longer series comes,
 * and Theil-Sen's n(n-1)/2 pairwise slopes are allocated only when that
 * model is fitted, for that series. NULL when out of memory. */
struct alm_fit_ws *alm_fit_ws_new(size_t nmax, struct alm_error *err);

/* Frees w; NULL is a no-op. */
void alm_fit_ws_free(struct alm_fit_ws *w);

/* The domain of a kind (SPEC.md): share 0..100, level and count >= 0,
 * growth > -100; index and value unbounded. */
bool alm_kind_in_domain(enum alm_kind kind, double v);

/* Says in words why v is outside the domain of kind ("below -100%:
 * impossible for a growth rate"), or returns NULL when v is inside (or
 * NaN). A static string. */
const char *alm_domain_words(enum alm_kind kind, double v);

/* Writes into cand the candidates auto weighs for an indicator of kind
 * with the n values y (SPEC.md: loglinear only for values above 0,
 * logistic only for shares strictly inside 0..100), in the order ties are
 * broken by; returns how many (at most 3). */
size_t alm_auto_candidates(enum alm_kind kind, const double *y, size_t n,
                           struct alm_model_spec cand[3]);

/* Fits model m to the n points (t, y) of an indicator of the given kind,
 * to be projected through time t_end (auto's domain rule looks that far;
 * NaN: five years past the last point). auto picks by kind (SPEC.md). Fails
 * with ALM_EINPUT, naming what is needed, when the model cannot be fitted: too
 * few points for its parameters ("poly:3 needs at least 4 points, got 3"), a
 * value the model cannot take (zero or negative under loglinear, a share of 0
 * or 100 under logistic), a single point ("one point has no trend"). *out is
 * written only on success. */
enum alm_status alm_fit_series_to(struct alm_fit_ws *w, const double *t,
                                  const double *y, size_t n, enum alm_kind kind,
                                  const struct alm_model_spec *m, double t_end,
                                  struct alm_fit *out, struct alm_error *err);

/* alm_fit_series_to through five years past the last point. */
enum alm_status alm_fit_series(struct alm_fit_ws *w, const double *t,
                               const double *y, size_t n, enum alm_kind kind,
                               const struct alm_model_spec *m,
                               struct alm_fit *out, struct alm_error *err);

/* Predicts at time t with a prediction interval at level percent (95). */
enum alm_status alm_fit_predict(const struct alm_fit *fit, double t,
                                double level, struct alm_forecast *out,
                                struct alm_error *err);

/* Returns the probability that the value at the forecast's time meets a
 * target (>= target for direction +1, <= for -1) under the fitted model:
 * computed on the model's own scale (log, logit) with Student's t on the
 * forecast's degrees of freedom and its prediction standard error. NaN
 * when the forecast has no interval or the target has no image on the
 * model's scale (a target of 0 under loglinear). */
double alm_fit_probability(const struct alm_fit *fit,
                           const struct alm_forecast *fc, double target,
                           int direction);

#endif
