/* Target tracking (SPEC.md `track`): is a target going to be met?
 *
 * For a target y_T at period T, with the baseline y0 at t0 and the latest
 * observation yi at ti (forecasts, status F, left out), the tests run in
 * this order:
 *   1. the target period is past (T <= ti): "met" or "missed", judged on
 *      the observation at T or the latest before it;
 *   2. the latest observation already meets the target: "achieved";
 *   3. fewer than two observations from the baseline on:
 *      "insufficient data";
 *   4. otherwise the Eurostat SDG method: the ratio R of the observed
 *      compound annual growth since the baseline to the growth required to
 *      reach the target, signed by the direction of the target: "on track"
 *      (R >= 0.95), "moderate" (>= 0.60), "limited" (>= 0), "deteriorating"
 *      (< 0); or with --method unsd the UNSD ratio Q of the projected to
 *      the required progress: "on track" (>= 0.95), "needs acceleration"
 *      (>= 0.10), "stagnation" (>= 0), "regression" (< 0).
 * Growth-kind indicators and non-positive values use linear annual changes
 * instead of compound growth. When the required change is zero (the
 * target equals the baseline) R is undefined: the status is "on track" if
 * the observed change goes the target's way or is nil, else
 * "deteriorating".
 *
 * Every target also gets the growth still needed from the latest
 * observation, the time distance (how many years the latest observation
 * lags the required path; positive is behind), the projection at T with
 * its interval, and the probability of meeting the target under the
 * fitted model, on the model's own scale (fit.h). */
#ifndef ALMANAC_TRACK_H
#define ALMANAC_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>
#include <almanac/fit.h>

enum alm_track_method { ALM_TRACK_EUROSTAT, ALM_TRACK_UNSD };

struct alm_track_opts {
    enum alm_track_method method;
    const char *since; /* baseline period when the target has none */
    struct alm_model_spec model;
    double level;
    long as_of;
};

struct alm_track {
    size_t target;      /* index into ds->tgt */
    const char *status; /* per the method asked for (static text) */
    const char *eurostat_status, *unsd_status;
    bool linear;               /* linear changes instead of compound growth */
    const char *baseline_from; /* "target", "--since", "first observation" */
    struct alm_period base_period, latest_period;
    double t0, ti, tT;
    double y0, yi, yT;
    enum alm_qualifier latest_qual;
    size_t points;             /* observations from the baseline on */
    double ratio;              /* Eurostat R; NaN when undefined */
    double observed, required; /* CAGR or linear change a year */
    double needed;             /* growth (or change) a year still needed */
    double time_distance;      /* years behind the required path; NaN if none */
    double unsd_value, unsd_q; /* projected v_e and Q; NaN if none */
    bool projected;            /* the model could be fitted */
    char model[32];
    struct alm_forecast at_target; /* the projection at T */
    double probability; /* of meeting the target; NaN when no interval */
    bool judged;        /* met or missed: judged on the figure below */
    struct alm_period judged_period;
    double judged_value;
    char note[300];
};

/* Parses --method: "eurostat" or "unsd". */
enum alm_status alm_track_method_parse(const char *text,
                                       enum alm_track_method *out,
                                       struct alm_error *err);

/* Assesses every target of the indicators ids[0..n) (all when ids is NULL)
 * announced by o->as_of (or with no announcement date). *out gets *nout
 * assessments (caller frees with free()). A bad --since is ALM_EINPUT. */
enum alm_status alm_track_all(const struct alm_dataset *ds, const size_t *ids,
                              size_t n, const struct alm_track_opts *o,
                              struct alm_track **out, size_t *nout,
                              struct alm_error *err);

#endif
