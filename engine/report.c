/* Reports: the whole dataset as HTML, Markdown or text (see report.h).
 * This file computes the facts once and walks the document; the
 * backends (report_html.c, report_md.c, report_txt.c) mark it up. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/derive.h>
#include <almanac/report.h>
#include <almanac/units.h>
#include <almanac/view.h>

#include "internal.h"
#include "report_internal.h"

static void facts_free(struct facts *f)
{
    alm_projections_free(f->proj, f->nproj);
    free(f->track);
    for (size_t i = 0; f->svg && i < f->ds->nind; i++)
        free(f->svg[i]);
    free(f->svg);
    for (size_t i = 0; f->unchartable && i < f->ds->nind; i++)
        free(f->unchartable[i]);
    free(f->unchartable);
}

const char *alm__status_marker(const char *status)
{
    static const struct {
        const char *status, *symbol;
    } m[] = {{"on track", "\u25B2"},
             {"achieved", "\u2714"},
             {"met", "\u2714"},
             {"moderate", "\u25C6"},
             {"needs acceleration", "\u25C6"},
             {"limited", "\u25BC"},
             {"stagnation", "\u25BC"},
             {"deteriorating", "\u2716"},
             {"regression", "\u2716"},
             {"missed", "\u2716"}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(status, m[i].status) == 0)
            return m[i].symbol;
    return "?";
}

const char *alm__status_class(const char *status)
{
    if (!strcmp(status, "on track") || !strcmp(status, "achieved") ||
        !strcmp(status, "met"))
        return "good";
    if (!strcmp(status, "moderate") || !strcmp(status, "needs acceleration"))
        return "fair";
    if (!strcmp(status, "insufficient data"))
        return "none";
    return "poor";
}

/* The latest figure of indicator k ("13" with its qualifier) and the
 * previous one, from the series as of the report's date. */
struct latest {
    const struct alm_obs *last, *prev;
};

static struct latest latest_of(const struct facts *f, size_t k)
{
    struct latest l = {NULL, NULL};
    size_t *idx = NULL, n = 0;
    if (alm_dataset_series(f->ds, k, f->o->as_of, false, &idx, &n, NULL) !=
        ALM_OK)
        return l;
    for (size_t i = n; i-- > 0;) {
        const struct alm_obs *ob = &f->ds->obs[idx[i]];
        if (ob->status == 'F')
            continue;
        if (!l.last)
            l.last = ob;
        else if (!l.prev) {
            l.prev = ob;
            break;
        }
    }
    free(idx);
    return l;
}

/* ---- the summary table -------------------------------------------------- */

void alm__report_number(double x, char *out, size_t size)
{
    alm_format_number(x, 4, ALM_NUM_TRIM | ALM_NUM_GROUP, out, size);
}

/* The latest cell: "13 % (2023)", or that there is none. */
static void cell_latest(const struct alm_indicator *in, const struct latest *l,
                        char *out, size_t size)
{
    if (!l->last) {
        snprintf(out, size, "no figures yet");
        return;
    }
    char per[ALM_PERIOD_TEXT_MAX], v[48], unit[ALM_UNIT_MAX];
    double div = 1;
    alm_period_format(&l->last->period, per, sizeof per);
    /* At a readable scale of the unit: 12.89 million vehicles. */
    alm_unit_readable(in->unit, fabs(l->last->value), &div, unit, sizeof unit);
    alm__report_number(l->last->value / div, v, sizeof v);
    snprintf(out, size, "%s%s %s (%s)", alm_qualifier_text(l->last->qual), v,
             unit, per);
}

/* The change cell: "+0.7 since 2022". */
static void cell_change(const struct latest *l, char *out, size_t size)
{
    if (!l->prev)
        return;
    char d[48], per[ALM_PERIOD_TEXT_MAX];
    alm__report_number(l->last->value - l->prev->value, d, sizeof d);
    alm_period_format(&l->prev->period, per, sizeof per);
    snprintf(out, size, "%s%s since %s",
             l->last->value >= l->prev->value ? "+" : "", d, per);
}

/* The trend cell: the growth or slope a year, and the model. */
static void cell_trend(const struct alm_projection *p, bool figures, char *out,
                       size_t size)
{
    if (!p->fitted) {
        if (figures)
            snprintf(out, size, "too few figures");
        return;
    }
    char m[32], v[48];
    enum alm_model model = p->fit.model.model;
    alm_model_format(&p->fit.model, m, sizeof m);
    if (model == ALM_MODEL_LOGLINEAR) {
        alm__report_number(100 * expm1(p->fit.coef[1]), v, sizeof v);
        snprintf(out, size, "%s%s%% a year (%s)",
                 p->fit.coef[1] >= 0 ? "+" : "", v, m);
    } else if (model == ALM_MODEL_DRIFT || model == ALM_MODEL_LINEAR ||
               model == ALM_MODEL_THEIL_SEN) {
        double b = p->fit.coef[model == ALM_MODEL_DRIFT ? 0 : 1];
        alm__report_number(b, v, sizeof v);
        snprintf(out, size, "%s%s a year (%s)", b >= 0 ? "+" : "", v, m);
    } else if (model == ALM_MODEL_MEAN) {
        snprintf(out, size, "flat (mean)");
    } else {
        snprintf(out, size, "%s", m);
    }
}

/* The projection cell: the last projected period, with its interval. */
static void cell_projection(const struct alm_projection *p, char *out,
                            size_t size)
{
    if (!p->nrows)
        return;
    const struct alm_projection_row *r = &p->rows[p->nrows - 1];
    char per[ALM_PERIOD_TEXT_MAX], v[48], lo[48], hi[48];
    alm_period_format(&r->period, per, sizeof per);
    alm__report_number(r->f.value, v, sizeof v);
    if (isnan(r->f.lower)) { /* no bounds: only the value can be out */
        snprintf(out, size, "%s in %s%s%s%s", v, per,
                 r->value_out ? " (projection " : "",
                 r->value_out ? r->value_out : "", r->value_out ? ")" : "");
        return;
    }
    alm__report_number(r->f.lower, lo, sizeof lo);
    alm__report_number(r->f.upper, hi, sizeof hi);
    snprintf(out, size, "%s (%s to %s) in %s", v, lo, hi, per);
    char flag[200];
    alm_projection_row_flag(r, flag, sizeof flag);
    if (flag[0] && strlen(out) < size)
        snprintf(out + strlen(out), size - strlen(out), " (%s)", flag);
}

bool alm__report_next_target(const struct facts *f, size_t k, size_t *i,
                             struct rtarget_name *t)
{
    for (; *i < f->ntrack; ++*i) {
        t->a = &f->track[*i];
        t->g = &f->ds->tgt[t->a->target];
        if (t->g->ind != k)
            continue;
        alm_period_format(&t->g->period, t->period, sizeof t->period);
        alm__report_number(t->g->value, t->value, sizeof t->value);
        ++*i;
        return true;
    }
    return false;
}

/* The target cell: each target of indicator k and its status, a line
 * each. */
static void cell_targets(const struct facts *f, size_t k, char *out,
                         size_t size)
{
    size_t used = 0, i = 0;
    struct rtarget_name t;
    while (alm__report_next_target(f, k, &i, &t)) {
        int w =
            snprintf(out + used, size - used, "%s%s %s%s by %s: %s %s",
                     used ? "\n" : "", t.g->direction > 0 ? "\u2265" : "\u2264",
                     alm_qualifier_text(t.g->qual), t.value, t.period,
                     alm__status_marker(t.a->status), t.a->status);
        if (w > 0 && (size_t)w < size - used)
            used += (size_t)w;
    }
}

struct alm_table *alm__report_summary(const struct facts *f)
{
    static const char *const h[] = {"indicator", "latest",     "change",
                                    "trend",     "projection", "target"};
    struct alm_table *t = alm_table_new("summary", 6, h);
    enum alm_status st = t ? ALM_OK : ALM_ENOMEM;
    for (size_t k = 0; k < f->ds->nind && st == ALM_OK; k++) {
        const struct alm_indicator *in = &f->ds->ind[k];
        struct latest l = latest_of(f, k);
        char cells[6][256] = {"", "", "", "", "", ""};
        snprintf(cells[0], sizeof cells[0], "%s",
                 f->o->format == ALM_REPORT_TXT ? in->id : in->title);
        cell_latest(in, &l, cells[1], sizeof cells[1]);
        cell_change(&l, cells[2], sizeof cells[2]);
        cell_trend(&f->proj[k], l.last != NULL, cells[3], sizeof cells[3]);
        cell_projection(&f->proj[k], cells[4], sizeof cells[4]);
        cell_targets(f, k, cells[5], sizeof cells[5]);
        st = alm_table_add_row(t, 0);
        for (size_t j = 0; j < 6 && st == ALM_OK; j++)
            st = alm_table_set(t, t->nrows - 1, j, cells[j]);
    }
    if (st != ALM_OK) {
        alm_table_free(t);
        return NULL;
    }
    return t;
}

/* The citation of an observation: its sources' titles, publishers and
 * dates, and where to find them. */
static void cite(const struct facts *f, const char *sources,
                 struct alm_buf *out)
{
    const struct alm_table *src = f->ds->tables[ALM_T_SOURCES];
    const char *p = sources;
    bool first = true;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char id[160];
        alm__copy(id, n + 1 < sizeof id ? n + 1 : sizeof id, p);
        long k = alm_dataset_find_source(f->ds, id);
        if (k >= 0) {
            const struct alm_source *s = &f->ds->src[k];
            const char *date =
                alm_table_cell(src, s->row, alm_table_col(src, "date"));
            const char *loc =
                alm_table_cell(src, s->row, alm_table_col(src, "location"));
            alm_buf_printf(out, "%s%s, %s%s%s%s%s", first ? "" : "; also ",
                           s->title, s->publisher, date[0] ? ", " : "", date,
                           loc[0] ? ", " : "", loc);
        }
        first = false;
        p += n;
        if (*p == ';')
            p++;
    }
}

/* A figure for a citation list: "2022: >13 (status P), published
 * 2023-07-05". A published figure is cited as it was written; one computed
 * from published ones (a derived indicator, a transformed series) in 6
 * significant digits, as the comparison of derived with published figures
 * gives it, rather than the 17 of its exact value. */
static void figure_words(const struct alm_dataset *ds, size_t k,
                         const struct alm_obs *ob, struct alm_buf *out)
{
    char per[ALM_PERIOD_TEXT_MAX], vin[16] = "", num[64];
    alm_period_format(&ob->period, per, sizeof per);
    if (ob->vintage != ALM_DATE_NONE)
        alm_date_format(ob->vintage, vin, sizeof vin);
    const char *value = ob->value_text;
    const struct alm_dataset *origin = alm_derive_origin(ds);
    long declared = alm_dataset_find_indicator(origin, ds->ind[k].id);
    if ((declared >= 0 && alm_derive_is(origin, (size_t)declared)) ||
        alm_obs_cell(ds, ob, "computed")[0]) {
        alm_format_number(ob->value, 6, ALM_NUM_TRIM, num, sizeof num);
        value = num;
    }
    alm_buf_printf(out, "%s: %s%s", per, alm_qualifier_text(ob->qual), value);
    if (ob->status)
        alm_buf_printf(out, " (status %c)", ob->status);
    alm_buf_printf(out, ", published %s", vin[0] ? vin : "on an unknown date");
}

const char alm__report_methods[] =
    "Figures are kept with their source, quote and publication date "
    "(vintage); several vintages of a figure live side by side and the "
    "report uses, for every period, the latest vintage published by the "
    "as-of date. Forecasts (status F) are shown but never fitted or "
    "tracked; qualified figures (such as >13) are used at their stated "
    "value and flagged.\n"
    "Trends are least-squares fits against time (the decimal year of each "
    "period's midpoint): linear, log-linear (constant growth), polynomial, "
    "logistic (for shares), a random walk with drift, or Theil-Sen's robust "
    "line. The automatic choice takes, among the candidates for the "
    "indicator's kind, the model with the lowest one-step-ahead mean "
    "absolute error over the last half of the series, and linear below four "
    "points. Prediction intervals are the ordinary least-squares ones (as "
    "R's predict with interval = \"prediction\" gives them), transformed back "
    "for the log-linear and logistic models; a random walk's interval grows "
    "with the horizon.\n"
    "Targets are assessed with the Eurostat SDG method: the ratio of the "
    "observed compound annual growth since the baseline to the growth "
    "required to reach the target (on track from 0.95, moderate from 0.60, "
    "limited from 0, deteriorating below), with linear annual changes for "
    "growth rates and non-positive values; the UNSD ratio of projected to "
    "required progress is given beside it. A target whose period is past is "
    "met or missed on the figure for that period; one already reached is "
    "achieved. The probability of meeting a target is computed from the "
    "fitted model's prediction interval, on the model's own scale.\n";

/* ---- the walk ------------------------------------------------------------ */

/* Each target of indicator k: its words, the quote and citation that set
 * it. */
static void walk_targets(const struct facts *f, const struct markup *m,
                         size_t k, struct alm_buf *out)
{
    const struct alm_table *tt = f->ds->tables[ALM_T_TARGETS];
    struct alm_buf words = ALM_BUF_INIT, where = ALM_BUF_INIT;
    size_t i = 0;
    struct rtarget_name n;
    while (alm__report_next_target(f, k, &i, &n)) {
        alm_buf_reset(&words);
        alm_buf_reset(&where);
        alm_track_words(f->ds, n.a, &f->topts, "", &words);
        cite(f, alm_table_cell(tt, n.g->row, alm_table_col(tt, "source")),
             &where);
        struct rtarget t = {
            n.g,
            n.a,
            n.period,
            n.value,
            words.s ? words.s : "",
            alm_table_cell(tt, n.g->row, alm_table_col(tt, "quote")),
            where.s ? where.s : ""};
        m->target(&t, out);
        /* Words cut short cut the report short. */
        if (alm_buf_status(&words) != ALM_OK ||
            alm_buf_status(&where) != ALM_OK)
            alm_buf_mark_failed(out);
    }
    alm_buf_release(&words);
    alm_buf_release(&where);
}

/* Every figure of indicator k, every vintage, with its source. */
static enum alm_status walk_sources(const struct facts *f,
                                    const struct markup *m, size_t k,
                                    struct alm_buf *out, struct alm_error *err)
{
    size_t *idx = NULL, n = 0;
    enum alm_status st =
        alm_dataset_series(f->ds, k, f->o->as_of, true, &idx, &n, err);
    if (st != ALM_OK)
        return st;
    struct alm_buf fig = ALM_BUF_INIT, where = ALM_BUF_INIT;
    if (n)
        m->sources_begin(out);
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *ob = &f->ds->obs[idx[i]];
        alm_buf_reset(&fig);
        alm_buf_reset(&where);
        figure_words(f->ds, k, ob, &fig);
        cite(f, ob->source, &where);
        struct rsource s = {i + 1, ob, fig.s ? fig.s : "",
                            where.s ? where.s : ""};
        m->source(&s, out);
        if (alm_buf_status(&fig) != ALM_OK || alm_buf_status(&where) != ALM_OK)
            alm_buf_mark_failed(out);
    }
    if (n && m->sources_end)
        m->sources_end(out);
    alm_buf_release(&fig);
    alm_buf_release(&where);
    free(idx);
    return ALM_OK;
}

/* The section of indicator k. */
static enum alm_status walk_indicator(const struct facts *f,
                                      const struct markup *m, size_t k,
                                      struct alm_buf *out,
                                      struct alm_error *err)
{
    const struct alm_projection *p = &f->proj[k];
    m->indicator(f, k, out);
    struct alm_buf words = ALM_BUF_INIT;
    if (p->fitted)
        alm_projection_words(p, "", &words);
    m->trend(f, k, words.s ? words.s : "", out);
    if (alm_buf_status(&words) != ALM_OK)
        alm_buf_mark_failed(out);
    alm_buf_release(&words);
    if (p->nrows)
        m->proj_begin(out);
    for (size_t i = 0; i < p->nrows; i++) {
        char per[ALM_PERIOD_TEXT_MAX], v[48], lo[48], hi[48];
        alm_period_format(&p->rows[i].period, per, sizeof per);
        alm__report_number(p->rows[i].f.value, v, sizeof v);
        alm__report_number(p->rows[i].f.lower, lo, sizeof lo);
        alm__report_number(p->rows[i].f.upper, hi, sizeof hi);
        m->proj_row(per, v, lo, hi, out);
    }
    if (p->nrows && m->proj_end)
        m->proj_end(out);
    if (m->panel_end)
        m->panel_end(out);
    walk_targets(f, m, k, out);
    enum alm_status st = walk_sources(f, m, k, out, err);
    if (m->indicator_end)
        m->indicator_end(out);
    return st;
}

enum alm_status alm__report_walk(const struct facts *f, const struct markup *m,
                                 struct alm_buf *out, struct alm_error *err)
{
    m->begin(f, out);
    struct alm_table *t = alm__report_summary(f);
    if (!t)
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory making the summary table");
    m->summary(f, t, out);
    alm_table_free(t);
    enum alm_status st = ALM_OK;
    for (size_t k = 0; m->indicator && k < f->ds->nind && st == ALM_OK; k++)
        st = walk_indicator(f, m, k, out, err);
    if (st == ALM_OK)
        st = alm__report_compare(f, m, out, err);
    if (st != ALM_OK)
        return st;
    if (m->methods)
        m->methods(alm__report_methods, out);
    m->end(f, out);
    return alm_buf_check(out, err, "the report");
}

enum alm_status alm_report_build(const struct alm_dataset *ds,
                                 const struct alm_report_opts *o,
                                 struct alm_buf *out, struct alm_error *err)
{
    struct facts f;
    memset(&f, 0, sizeof f);
    f.ds = ds;
    f.o = o;
    if (o->title) {
        /* The output must stay valid UTF-8, whatever argv holds. */
        if (!alm__utf8_valid(o->title, strlen(o->title))) {
            alm_fail(err, ALM_EINPUT, "invalid UTF-8");
            alm_error_locate(err, NULL, 0, "--title");
            return ALM_EINPUT;
        }
        alm__copy(f.title, sizeof f.title, o->title);
    } else if (ds->title && ds->title[0]) {
        /* The dataset's own title (about.csv, read as valid UTF-8). */
        alm__copy(f.title, sizeof f.title, ds->title);
    } else {
        /* "Indicators: china-2024" from the dataset's folder name, whose
         * bytes need not be UTF-8: alm_error_quote escapes them. */
        char dir[256], q[256];
        alm__copy(dir, sizeof dir, ds->dir);
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            dir[--n] = '\0';
        const char *base = strrchr(dir, '/');
        snprintf(f.title, sizeof f.title, "Indicators: %s",
                 alm_error_quote(base ? base + 1 : dir, q, sizeof q));
    }
    alm_error_quote(ds->dir, f.dir, sizeof f.dir);
    /* A cut may end inside a character: drop its first bytes. */
    for (size_t n = strlen(f.title); n > 0 && !alm__utf8_valid(f.title, n);)
        f.title[--n] = '\0';
    struct alm_projection_opts po = {o->model, o->to, o->level, o->as_of};
    f.topts = (struct alm_track_opts){ALM_TRACK_EUROSTAT, NULL, o->model,
                                      o->level, o->as_of};
    enum alm_status st =
        alm_project_all(ds, NULL, 0, &po, &f.proj, &f.nproj, err);
    if (st == ALM_OK)
        st = alm_track_all(ds, NULL, 0, &f.topts, &f.track, &f.ntrack, err);
    if (st == ALM_OK && ((o->format == ALM_REPORT_HTML && o->charts) ||
                         (o->format == ALM_REPORT_MD && o->charts_dir)))
        st = alm__report_charts(&f, err);
    if (st == ALM_OK) {
        const struct markup *m =
            o->format == ALM_REPORT_HTML ? &alm__report_html
            : o->format == ALM_REPORT_MD ? &alm__report_md
                                         : &alm__report_txt;
        alm_as_of_format(o->as_of, f.date, sizeof f.date);
        alm_format_double(o->level, f.level, sizeof f.level);
        st = alm__report_walk(&f, m, out, err);
    }
    facts_free(&f);
    return st;
}
