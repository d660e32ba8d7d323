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

    /* The projection at T and the probability of meeting the target. */
    struct alm_fit fit;
    struct alm_error ferr;
    alm_error_clear(&ferr);
    if (alm_fit_series_to(w, t, y, m, in->kind, &o->model, a->tT, &fit,
                          &ferr) == ALM_OK) {
        enum alm_status st =
            alm_fit_predict(&fit, a->tT, o->level, &a->at_target, err);
        if (st != ALM_OK)
            return st;
        const char *out = alm_domain_words(in->kind, a->at_target.value);
        if (out) {
            char s[160];
            snprintf(s, sizeof s, "the projection is %s (kept as computed)",
                     out);
            note_add(a, s);
        }
        a->projected = true;
        alm_model_format(&fit.model, a->model, sizeof a->model);
        a->probability =
            alm_fit_probability(&fit, &a->at_target, a->yT, g->direction);
    } else if (ferr.status == ALM_EINPUT) {
        note_add(a, ferr.msg);
    } else {
        return alm_fail(err, ferr.status, "%s", ferr.msg);
    }
    return ALM_OK;
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

/* ---- output ------------------------------------------------------------- */

static void num(double x, char *out, size_t size)
{
    if (isfinite(x))
        alm_format_double(x, out, size);
    else
        out[0] = '\0';
}

/* A number in prose: sig significant digits, trailing zeros dropped
 * ("13", "7.6", "9.35"). */
static void prose(double x, int sig, char *out, size_t size)
{
    if (!isfinite(x)) {
        snprintf(out, size, "undefined");
        return;
    }
    double a = fabs(x);
    int decimals = a >= 1 ? sig - 1 - (int)floor(log10(a)) : sig;
    if (decimals < 0)
        decimals = 0;
    snprintf(out, size, "%.*f", decimals, x);
    if (strchr(out, '.')) {
        size_t n = strlen(out);
        while (n > 0 && out[n - 1] == '0')
            out[--n] = '\0';
        if (n > 0 && out[n - 1] == '.')
            out[--n] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
}

/* A rate for people: a percent for compound growth, a change in the
 * indicator's unit for linear rates. */
static void rate(double x, bool linear, char *out, size_t size)
{
    prose(linear ? x : 100 * x, 3, out, size - 1);
    if (!linear && isfinite(x))
        memcpy(out + strlen(out), "%", 2);
}

static const char *comparator_text(const struct alm_target *g)
{
    return g->direction > 0 ? ">=" : "<=";
}

static enum alm_status csv_rows(const struct alm_dataset *ds,
                                const struct alm_track *a, size_t n,
                                const struct alm_track_opts *o,
                                struct alm_table *t)
{
    for (size_t i = 0; i < n; i++) {
        const struct alm_track *r = &a[i];
        const struct alm_target *g = &ds->tgt[r->target];
        char tp[ALM_PERIOD_TEXT_MAX], bp[ALM_PERIOD_TEXT_MAX] = "",
                                      lp[ALM_PERIOD_TEXT_MAX] = "", v[16][40],
                                      pts[24];
        alm_period_format(&g->period, tp, sizeof tp);
        if (r->points || r->baseline_from[0]) {
            alm_period_format(&r->base_period, bp, sizeof bp);
            alm_period_format(&r->latest_period, lp, sizeof lp);
        }
        bool have = r->baseline_from[0] && r->t0 != 0;
        num(r->ratio, v[0], 40);
        num(r->observed, v[1], 40);
        num(r->required, v[2], 40);
        num(r->unsd_q, v[3], 40);
        num(r->unsd_value, v[4], 40);
        num(have ? r->y0 : NAN, v[5], 40);
        num(r->yi, v[6], 40);
        num(r->needed, v[7], 40);
        num(r->time_distance, v[8], 40);
        num(r->at_target.value, v[9], 40);
        num(r->at_target.lower, v[10], 40);
        num(r->at_target.upper, v[11], 40);
        num(o->level, v[12], 40);
        num(r->probability, v[13], 40);
        snprintf(pts, sizeof pts, "%zu", r->points);
        const char *cells[] = {
            ds->ind[g->ind].id,
            tp,
            g->value_text,
            comparator_text(g),
            r->status,
            v[0],
            v[1],
            v[2],
            o->method == ALM_TRACK_UNSD ? "unsd" : "eurostat",
            r->eurostat_status,
            r->unsd_status,
            v[3],
            v[4],
            r->linear ? "linear" : "compound",
            have ? bp : "",
            r->baseline_from,
            v[5],
            lp,
            r->points ? v[6] : "",
            r->points ? alm_qualifier_text(r->latest_qual) : "",
            pts,
            v[7],
            v[8],
            r->model,
            v[9],
            v[10],
            v[11],
            v[12],
            v[13],
            r->note};
        if (alm_table_add_row(t, 0) != ALM_OK)
            return ALM_ENOMEM;
        for (size_t j = 0; j < t->ncols; j++)
            if (cells[j][0] &&
                alm_table_set(t, t->nrows - 1, j, cells[j]) != ALM_OK)
                return ALM_ENOMEM;
    }
    return ALM_OK;
}

/* The heading of a target: "x >= 17 by 2025 (% of GDP)". */
static enum alm_status heading(const struct alm_dataset *ds,
                               const struct alm_track *r, struct alm_buf *out)
{
    const struct alm_target *g = &ds->tgt[r->target];
    const struct alm_indicator *in = &ds->ind[g->ind];
    char tp[ALM_PERIOD_TEXT_MAX];
    alm_period_format(&g->period, tp, sizeof tp);
    return alm_buf_printf(out, "%s %s %s%s by %s (%s)", in->id,
                          comparator_text(g), alm_qualifier_text(g->qual),
                          g->value_text, tp,
                          in->unit[0] ? in->unit : "no unit");
}

enum alm_status alm_track_words(const struct alm_dataset *ds,
                                const struct alm_track *r,
                                const struct alm_track_opts *o,
                                const char *indent, struct alm_buf *out)
{
    const struct alm_target *g = &ds->tgt[r->target];
    char tp[ALM_PERIOD_TEXT_MAX], bp[ALM_PERIOD_TEXT_MAX],
        lp[ALM_PERIOD_TEXT_MAX], a[64], b[64], c[64];
    alm_period_format(&g->period, tp, sizeof tp);
    alm_period_format(&r->base_period, bp, sizeof bp);
    alm_period_format(&r->latest_period, lp, sizeof lp);
    enum alm_status st = ALM_OK;
    /* A status from a method names the other method's verdict too, so
     * that a reader sees where the two disagree. */
    bool assessed = strcmp(r->status, "insufficient data") != 0;
    bool eurostat = assessed && strcmp(r->status, r->eurostat_status) == 0 &&
                    o->method == ALM_TRACK_EUROSTAT;
    bool unsd = assessed && strcmp(r->status, r->unsd_status) == 0 &&
                o->method == ALM_TRACK_UNSD;
    prose(r->ratio, 3, a, sizeof a);
    prose(r->unsd_q, 3, b, sizeof b);
    if (eurostat)
        st = alm_buf_printf(out,
                            "%sstatus: %s (Eurostat ratio %s; UNSD: %s, "
                            "Q = %s)\n",
                            indent, r->status, a, r->unsd_status, b);
    else if (unsd)
        st = alm_buf_printf(out,
                            "%sstatus: %s (UNSD Q = %s; Eurostat: %s, ratio "
                            "%s)\n",
                            indent, r->status, b, r->eurostat_status, a);
    else
        st = alm_buf_printf(out, "%sstatus: %s\n", indent, r->status);
    if (st == ALM_OK && r->points) {
        prose(r->yi, 4, a, sizeof a);
        prose(r->y0, 4, b, sizeof b);
        st = alm_buf_printf(
            out, "%slatest %s%s in %s; baseline %s in %s (%s)\n", indent,
            alm_qualifier_text(r->latest_qual), a, lp, b, bp,
            strcmp(r->baseline_from, "target") == 0 ? "the target's baseline"
            : strcmp(r->baseline_from, "--since") == 0
                ? "from --since"
                : "the first observation");
    }
    /* Progress words only for a target still ahead. */
    bool ahead = r->tT > r->ti;
    if (st == ALM_OK && ahead && !isnan(r->observed)) {
        /* Compound rates read as growth or a fall, linear ones as a
         * signed change in the indicator's unit. */
        bool lin = r->linear;
        rate(lin ? r->needed : fabs(r->needed), lin, a, sizeof a);
        rate(lin ? r->observed : fabs(r->observed), lin, b, sizeof b);
        rate(lin ? r->required : fabs(r->required), lin, c, sizeof c);
        st = alm_buf_printf(
            out,
            "%sneeds %s%s a year from %s; has %s %s a year since %s "
            "(the path needs %s%s)",
            indent,
            lin             ? "a change of "
            : r->needed < 0 ? "a fall of "
                            : "",
            a, lp,
            lin               ? "changed"
            : r->observed < 0 ? "fallen"
                              : "grown",
            b, bp, !lin && r->required < 0 ? "a fall of " : "", c);
        if (st == ALM_OK && !isnan(r->time_distance)) {
            snprintf(a, sizeof a, "%.2f", fabs(r->time_distance));
            st = alm_buf_printf(out, "; %s years %s the path", a,
                                r->time_distance > 0 ? "behind" : "ahead of");
        }
        if (st == ALM_OK)
            st = alm_buf_putc(out, '\n');
    }
    if (st == ALM_OK && r->judged) {
        char jp[ALM_PERIOD_TEXT_MAX];
        alm_period_format(&r->judged_period, jp, sizeof jp);
        prose(r->judged_value, 4, a, sizeof a);
        st = alm_buf_printf(out, "%sjudged on the figure for %s: %s\n", indent,
                            jp, a);
    }
    if (st == ALM_OK && ahead && r->projected) {
        prose(r->at_target.value, 4, a, sizeof a);
        st = alm_buf_printf(out, "%sprojection for %s: %s", indent, tp, a);
        if (st == ALM_OK && !isnan(r->at_target.lower)) {
            prose(r->at_target.lower, 4, b, sizeof b);
            prose(r->at_target.upper, 4, c, sizeof c);
            st = alm_buf_printf(out, " (%s to %s)", b, c);
        }
        if (st == ALM_OK)
            st = alm_buf_printf(out, ", %s", r->model);
        if (st == ALM_OK && !isnan(r->probability)) {
            prose(100 * r->probability, 3, a, sizeof a);
            st = alm_buf_printf(out, "; probability of meeting it %s%%", a);
        }
        if (st == ALM_OK)
            st = alm_buf_putc(out, '\n');
    }
    if (st == ALM_OK && r->note[0])
        st = alm_buf_printf(out, "%snote: %s\n", indent, r->note);
    return st;
}

enum alm_status alm_view_track(const struct alm_dataset *ds,
                               const struct alm_track *a, size_t n,
                               const struct alm_track_opts *o,
                               enum alm_format f, struct alm_buf *out)
{
    if (f == ALM_FORMAT_TABLE) {
        char date[32], lv[32];
        size_t from = out->len;
        alm_as_of_format(o->as_of, date, sizeof date);
        alm_format_double(o->level, lv, sizeof lv);
        enum alm_status st = alm_buf_printf(
            out, "as of %s; %s method; %s%% prediction intervals\n", date,
            o->method == ALM_TRACK_UNSD ? "UNSD" : "Eurostat SDG", lv);
        if (st == ALM_OK && n == 0)
            st = alm_buf_puts(out, "\nno targets\n");
        for (size_t i = 0; i < n && st == ALM_OK; i++) {
            st = alm_buf_putc(out, '\n');
            if (st == ALM_OK)
                st = heading(ds, &a[i], out);
            if (st == ALM_OK)
                st = alm_buf_putc(out, '\n');
            if (st == ALM_OK)
                st = alm_track_words(ds, &a[i], o, "  ", out);
        }
        return st == ALM_OK ? alm_text_escape_controls(out, from) : st;
    }
    static const char *const h[] = {"indicator",      "target_period",
                                    "target",         "comparator",
                                    "status",         "ratio",
                                    "observed_cagr",  "required_cagr",
                                    "method",         "eurostat_status",
                                    "unsd_status",    "unsd_q",
                                    "unsd_value",     "rates",
                                    "baseline",       "baseline_from",
                                    "baseline_value", "latest_period",
                                    "latest_value",   "latest_qualifier",
                                    "points",         "needed_cagr",
                                    "time_distance",  "model",
                                    "projected",      "lower",
                                    "upper",          "level",
                                    "probability",    "note"};
    struct alm_table *t = alm_table_new("track", 30, h);
    if (!t)
        return ALM_ENOMEM;
    enum alm_status st = csv_rows(ds, a, n, o, t);
    if (st == ALM_OK)
        st = alm_view_write(t, f, o->as_of, out);
    alm_table_free(t);
    return st;
}
