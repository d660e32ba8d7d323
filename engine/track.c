/* Target tracking: the Eurostat and UNSD progress methods, the growth
 * still needed, the time distance and the probability of meeting a
 * target (see track.h for the rules). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/project.h>
#include <almanac/track.h>

#include "internal.h"

enum alm_status alm_track_method_parse(const char *text,
                                       enum alm_track_method *out,
                                       struct alm_error *err)
{
    char q[80];
    if (strcmp(text, "eurostat") == 0) {
        *out = ALM_TRACK_EUROSTAT;
        return ALM_OK;
    }
    if (strcmp(text, "unsd") == 0) {
        *out = ALM_TRACK_UNSD;
        return ALM_OK;
    }
    alm_fail(err, ALM_EINPUT, "unknown method '%s': expected eurostat or unsd",
             alm_error_quote(text, q, sizeof q));
    alm_error_locate(err, NULL, 0, "--method");
    return ALM_EINPUT;
}

static void note_add(struct alm_track *a, const char *text)
{
    size_t len = strlen(a->note);
    snprintf(a->note + len, sizeof a->note - len, "%s%s", len ? "; " : "",
             text);
}

static const char *eurostat_status(double ratio, double observed, int direction)
{
    if (isnan(ratio))
        return direction * observed >= 0 ? "on track" : "deteriorating";
    if (ratio >= 0.95)
        return "on track";
    if (ratio >= 0.60)
        return "moderate";
    if (ratio >= 0)
        return "limited";
    return "deteriorating";
}

static const char *unsd_status(double q, double observed, int direction)
{
    if (isnan(q))
        return direction * observed >= 0 ? "on track" : "regression";
    if (q >= 0.95)
        return "on track";
    if (q >= 0.10)
        return "needs acceleration";
    if (q >= 0)
        return "stagnation";
    return "regression";
}

/* The observed and required rates, the ratio, the growth still needed,
 * the time distance and UNSD's projected value (track.h). */
static void progress(struct alm_track *a, int d)
{
    double span_o = a->ti - a->t0, span_r = a->tT - a->t0,
           span_n = a->tT - a->ti;
    if (a->linear) {
        a->observed = (a->yi - a->y0) / span_o;
        a->required = (a->yT - a->y0) / span_r;
        a->needed = span_n > 0 ? (a->yT - a->yi) / span_n : NAN;
        if (a->required != 0)
            a->time_distance = a->ti - (a->t0 + (a->yi - a->y0) / a->required);
        a->unsd_value = a->yi + a->observed * span_n;
    } else {
        a->observed = pow(a->yi / a->y0, 1 / span_o) - 1;
        a->required = pow(a->yT / a->y0, 1 / span_r) - 1;
        a->needed = span_n > 0 ? pow(a->yT / a->yi, 1 / span_n) - 1 : NAN;
        if (a->required != 0)
            a->time_distance =
                a->ti - (a->t0 + log(a->yi / a->y0) / log1p(a->required));
        a->unsd_value = a->yi * pow(1 + a->observed, span_n);
    }
    a->ratio = a->required != 0 ? d * a->observed / fabs(a->required) : NAN;
    a->unsd_q =
        a->yT != a->y0 ? (a->unsd_value - a->y0) / (a->yT - a->y0) : NAN;
    a->eurostat_status = eurostat_status(a->ratio, a->observed, d);
    a->unsd_status = unsd_status(a->unsd_q, a->observed, d);
}

static bool meets(double y, const struct alm_target *g)
{
    return g->direction > 0 ? y >= g->value : y <= g->value;
}

/* The projection at the target period T, whether it is possible for the
 * kind, and the probability of meeting the target under the fitted model. */
static enum alm_status project_at_target(struct alm_fit_ws *w, const double *t,
                                         const double *y, size_t m,
                                         enum alm_kind kind, int direction,
                                         const struct alm_track_opts *o,
                                         struct alm_track *a,
                                         struct alm_error *err)
{
    struct alm_fit fit;
    struct alm_error ferr;
    alm_error_clear(&ferr);
    if (alm_fit_series_to(w, t, y, m, kind, &o->model, a->tT, &fit, &ferr) ==
        ALM_OK) {
        enum alm_status st =
            alm_fit_predict(&fit, a->tT, o->level, &a->at_target, err);
        if (st != ALM_OK)
            return st;
        const char *out = alm_domain_words(kind, a->at_target.value);
        if (out) {
            char s[160];
            snprintf(s, sizeof s, "the projection is %s (kept as computed)",
                     out);
            note_add(a, s);
        }
        a->projected = true;
        alm_model_format(&fit.model, a->model, sizeof a->model);
        a->probability =
            alm_fit_probability(&fit, &a->at_target, a->yT, direction);
    } else if (ferr.status == ALM_EINPUT) {
        note_add(a, ferr.msg);
    } else {
        return alm_fail(err, ferr.status, "%s", ferr.msg);
    }
    return ALM_OK;
}

/* Assesses one target; obs[0..m) is its indicator's series without
 * forecasts, t[] and y[] their times and values. */
static enum alm_status
assess(const struct alm_dataset *ds, size_t gi, const struct alm_track_opts *o,
       const struct alm_period *since, struct alm_fit_ws *w,
       const struct alm_obs *const *obs, const double *t, const double *y,
       size_t m, struct alm_track *a, struct alm_error *err)
{
    const struct alm_target *g = &ds->tgt[gi];
    const struct alm_indicator *in = &ds->ind[g->ind];
    memset(a, 0, sizeof *a);
    a->target = gi;
    a->yT = g->value;
    a->tT = alm_period_time(&g->period);
    a->ratio = a->observed = a->required = a->needed = NAN;
    a->time_distance = a->unsd_value = a->unsd_q = a->probability = NAN;
    a->at_target = (struct alm_forecast){NAN, NAN, NAN, NAN, NAN, NAN};
    a->eurostat_status = a->unsd_status = a->status = "insufficient data";
    if (m == 0) {
        note_add(a, "no observations");
        a->baseline_from = "";
        return ALM_OK;
    }
    /* The baseline. */
    struct alm_period base = obs[0]->period;
    a->baseline_from = "first observation";
    if (g->has_baseline) {
        base = g->baseline;
        a->baseline_from = "target";
    } else if (since) {
        base = *since;
        a->baseline_from = "--since";
    }
    size_t b = 0;
    while (b < m && alm_period_compare(&obs[b]->period, &base) < 0)
        b++;
    a->points = m - b;
    if (b < m && alm_period_compare(&obs[b]->period, &base) != 0) {
        char p0[ALM_PERIOD_TEXT_MAX], p1[ALM_PERIOD_TEXT_MAX], s[120];
        alm_period_format(&base, p0, sizeof p0);
        alm_period_format(&obs[b]->period, p1, sizeof p1);
        snprintf(s, sizeof s, "no figure for %s: the baseline is %s", p0, p1);
        note_add(a, s);
    }
    const struct alm_obs *last = obs[m - 1];
    a->latest_period = last->period;
    a->ti = t[m - 1];
    a->yi = y[m - 1];
    a->latest_qual = last->qual;
    if (last->qual != ALM_QUAL_NONE) {
        char s[120];
        snprintf(s, sizeof s, "the latest figure is a bound ('%s%s')",
                 alm_qualifier_text(last->qual), last->value_text);
        note_add(a, s);
    }
    if (b < m) {
        a->base_period = obs[b]->period;
        a->t0 = t[b];
        a->y0 = y[b];
        a->linear = in->kind == ALM_KIND_GROWTH || a->y0 <= 0 || a->yi <= 0 ||
                    a->yT <= 0;
        if (a->points >= 2 && a->ti > a->t0 && a->tT > a->t0)
            progress(a, g->direction);
    }

    /* The order of SPEC.md: past target, achieved, too little data, then
     * the method. */
    if (a->tT <= a->ti) {
        size_t k = m;
        while (k > 0 && alm_period_compare(&obs[k - 1]->period, &g->period) > 0)
            k--;
        a->status = k == 0               ? "insufficient data"
                    : meets(y[k - 1], g) ? "met"
                                         : "missed";
        if (k > 0) {
            a->judged = true;
            a->judged_period = obs[k - 1]->period;
            a->judged_value = y[k - 1];
        }
    } else if (meets(a->yi, g)) {
        a->status = "achieved";
    } else if (a->points < 2 || isnan(a->observed)) {
        a->status = "insufficient data";
    } else {
        a->status =
            o->method == ALM_TRACK_UNSD ? a->unsd_status : a->eurostat_status;
    }

    return project_at_target(w, t, y, m, in->kind, g->direction, o, a, err);
}

enum alm_status alm_track_all(const struct alm_dataset *ds, const size_t *ids,
                              size_t n, const struct alm_track_opts *o,
                              struct alm_track **out, size_t *nout,
                              struct alm_error *err)
{
    struct alm_period since;
    if (o->since && alm_period_parse(o->since, &since, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--since");
        return ALM_EINPUT;
    }
    /* Workspaces for the longest series, not for the whole dataset. */
    size_t most = alm_dataset_longest(ds) ? alm_dataset_longest(ds) : 1;
    struct alm_track *a = calloc(ds->ntgt ? ds->ntgt : 1, sizeof *a);
    const struct alm_obs **obs = malloc(most * sizeof *obs);
    double *t = malloc(most * sizeof *t);
    double *y = malloc(most * sizeof *y);
    bool *wanted = calloc(ds->nind ? ds->nind : 1, sizeof *wanted);
    struct alm_fit_ws *w = alm_fit_ws_new(most, err);
    size_t na = 0;
    enum alm_status st = ALM_OK;
    if (!a || !obs || !t || !y || !w || !wanted)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t i = 0; st == ALM_OK && i < (ids ? n : ds->nind); i++)
        wanted[ids ? ids[i] : i] = true;
    for (size_t gi = 0; gi < ds->ntgt && st == ALM_OK; gi++) {
        const struct alm_target *g = &ds->tgt[gi];
        if (!wanted[g->ind] ||
            (o->as_of != ALM_DATE_NONE && g->announced != ALM_DATE_NONE &&
             g->announced > o->as_of))
            continue;
        size_t *idx = NULL, k = 0, m = 0;
        st = alm_dataset_series(ds, g->ind, o->as_of, false, &idx, &k, err);
        for (size_t i = 0; i < k && st == ALM_OK; i++) {
            const struct alm_obs *ob = &ds->obs[idx[i]];
            if (ob->status == 'F')
                continue;
            obs[m] = ob;
            t[m] = alm_period_time(&ob->period);
            y[m] = ob->value;
            m++;
        }
        free(idx);
        if (st == ALM_OK)
            st = assess(ds, gi, o, o->since ? &since : NULL, w, obs, t, y, m,
                        &a[na], err);
        if (st == ALM_OK)
            na++;
    }
    alm_fit_ws_free(w);
    free(wanted);
    free(obs);
    free(t);
    free(y);
    if (st != ALM_OK) {
        free(a);
        return st;
    }
    *out = a;
    *nout = na;
    return ALM_OK;
}
