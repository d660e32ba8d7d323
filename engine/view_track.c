/* Target assessments for people and in CSV: alm_view_track,
 * alm_track_words (see view.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/view.h>

#include "internal.h"

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
    if (isfinite(x))
        alm_format_number(x, sig, ALM_NUM_TRIM, out, size);
    else
        snprintf(out, size, "undefined");
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
        if (alm_table_add_cells(t, cells) != ALM_OK)
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

/* The status line. A status from a method names the other method's
 * verdict too, so that a reader sees where the two disagree. */
static void words_status(const struct alm_track *r,
                         const struct alm_track_opts *o, const char *indent,
                         struct alm_buf *out)
{
    char a[64], b[64];
    bool assessed = strcmp(r->status, "insufficient data") != 0;
    bool eurostat = assessed && strcmp(r->status, r->eurostat_status) == 0 &&
                    o->method == ALM_TRACK_EUROSTAT;
    bool unsd = assessed && strcmp(r->status, r->unsd_status) == 0 &&
                o->method == ALM_TRACK_UNSD;
    prose(r->ratio, 3, a, sizeof a);
    prose(r->unsd_q, 3, b, sizeof b);
    if (eurostat)
        alm_buf_printf(out,
                       "%sstatus: %s (Eurostat ratio %s; UNSD: %s, Q = %s)\n",
                       indent, r->status, a, r->unsd_status, b);
    else if (unsd)
        alm_buf_printf(out,
                       "%sstatus: %s (UNSD Q = %s; Eurostat: %s, ratio %s)\n",
                       indent, r->status, b, r->eurostat_status, a);
    else
        alm_buf_printf(out, "%sstatus: %s\n", indent, r->status);
}

/* The progress line, for a target still ahead. Compound rates read as
 * growth or a fall, linear ones as a signed change in the indicator's
 * unit. */
static void words_progress(const struct alm_track *r, const char *lp,
                           const char *bp, const char *indent,
                           struct alm_buf *out)
{
    char a[64], b[64], c[64];
    bool lin = r->linear;
    rate(lin ? r->needed : fabs(r->needed), lin, a, sizeof a);
    rate(lin ? r->observed : fabs(r->observed), lin, b, sizeof b);
    rate(lin ? r->required : fabs(r->required), lin, c, sizeof c);
    alm_buf_printf(out,
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
    if (!isnan(r->time_distance))
        alm_buf_printf(out, "; %.2f years %s the path", fabs(r->time_distance),
                       r->time_distance > 0 ? "behind" : "ahead of");
    alm_buf_putc(out, '\n');
}

/* The projection line, for a target still ahead. */
static void words_projection(const struct alm_track *r, const char *tp,
                             const char *indent, struct alm_buf *out)
{
    char a[64];
    prose(r->at_target.value, 4, a, sizeof a);
    alm_buf_printf(out, "%sprojection for %s: %s", indent, tp, a);
    if (!isnan(r->at_target.lower)) {
        char b[64], c[64];
        prose(r->at_target.lower, 4, b, sizeof b);
        prose(r->at_target.upper, 4, c, sizeof c);
        alm_buf_printf(out, " (%s to %s)", b, c);
    }
    alm_buf_printf(out, ", %s", r->model);
    if (!isnan(r->probability)) {
        prose(100 * r->probability, 3, a, sizeof a);
        alm_buf_printf(out, "; probability of meeting it %s%%", a);
    }
    alm_buf_putc(out, '\n');
}

enum alm_status alm_track_words(const struct alm_dataset *ds,
                                const struct alm_track *r,
                                const struct alm_track_opts *o,
                                const char *indent, struct alm_buf *out)
{
    const struct alm_target *g = &ds->tgt[r->target];
    char tp[ALM_PERIOD_TEXT_MAX], bp[ALM_PERIOD_TEXT_MAX],
        lp[ALM_PERIOD_TEXT_MAX];
    alm_period_format(&g->period, tp, sizeof tp);
    alm_period_format(&r->base_period, bp, sizeof bp);
    alm_period_format(&r->latest_period, lp, sizeof lp);
    words_status(r, o, indent, out);
    if (r->points) {
        char a[64], b[64];
        prose(r->yi, 4, a, sizeof a);
        prose(r->y0, 4, b, sizeof b);
        alm_buf_printf(out, "%slatest %s%s in %s; baseline %s in %s (%s)\n",
                       indent, alm_qualifier_text(r->latest_qual), a, lp, b, bp,
                       strcmp(r->baseline_from, "target") == 0
                           ? "the target's baseline"
                       : strcmp(r->baseline_from, "--since") == 0
                           ? "from --since"
                           : "the first observation");
    }
    /* Progress words only for a target still ahead. */
    bool ahead = r->tT > r->ti;
    if (ahead && !isnan(r->observed))
        words_progress(r, lp, bp, indent, out);
    if (r->judged) {
        char jp[ALM_PERIOD_TEXT_MAX], a[64];
        alm_period_format(&r->judged_period, jp, sizeof jp);
        prose(r->judged_value, 4, a, sizeof a);
        alm_buf_printf(out, "%sjudged on the figure for %s: %s\n", indent, jp,
                       a);
    }
    if (ahead && r->projected)
        words_projection(r, tp, indent, out);
    if (r->note[0])
        alm_buf_printf(out, "%snote: %s\n", indent, r->note);
    return alm_buf_status(out);
}

enum alm_status alm_view_track_table(const struct alm_dataset *ds,
                                     const struct alm_track *a, size_t n,
                                     const struct alm_track_opts *o,
                                     struct alm_table **out)
{
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
    enum alm_status st =
        alm_table_set_types(t, "ttnttnnntttnntttntntnnntnnnnnt");
    if (st == ALM_OK)
        st = csv_rows(ds, a, n, o, t);
    if (st != ALM_OK) {
        alm_table_free(t);
        return ALM_ENOMEM;
    }
    *out = t;
    return ALM_OK;
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
        alm_buf_printf(
            out, "as of %s; %s method; %s%% prediction intervals\n", date,
            o->method == ALM_TRACK_UNSD ? "UNSD" : "Eurostat SDG", lv);
        if (n == 0)
            alm_buf_puts(out, "\nno targets\n");
        for (size_t i = 0; i < n; i++) {
            alm_buf_putc(out, '\n');
            heading(ds, &a[i], out);
            alm_buf_putc(out, '\n');
            alm_track_words(ds, &a[i], o, "  ", out);
        }
        enum alm_status st = alm_buf_status(out);
        return st == ALM_OK ? alm_text_escape_controls(out, from) : st;
    }
    struct alm_table *t = NULL;
    enum alm_status st = alm_view_track_table(ds, a, n, o, &t);
    char model[32];
    alm_model_format(&o->model, model, sizeof model);
    const struct alm_view_head head = {.as_of = o->as_of,
                                       .has_as_of = true,
                                       .model = model,
                                       .level = o->level};
    if (st == ALM_OK)
        st = alm_view_write_head(t, f, &head, out);
    alm_table_free(t);
    return st;
}
