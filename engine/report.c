/* Reports: the whole dataset as HTML, Markdown or text (see report.h). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/project.h>
#include <almanac/report.h>
#include <almanac/track.h>
#include <almanac/view.h>

#include "internal.h"

enum alm_status alm_html_escape(struct alm_buf *out, const char *text)
{
    enum alm_status st = ALM_OK;
    for (const char *p = text; *p && st == ALM_OK; p++) {
        switch (*p) {
        case '&':
            st = alm_buf_puts(out, "&amp;");
            break;
        case '<':
            st = alm_buf_puts(out, "&lt;");
            break;
        case '>':
            st = alm_buf_puts(out, "&gt;");
            break;
        case '"':
            st = alm_buf_puts(out, "&quot;");
            break;
        case '\'':
            st = alm_buf_puts(out, "&#39;");
            break;
        default:
            st = alm_buf_putc(out, *p);
        }
    }
    return st;
}

enum alm_status alm_md_escape(struct alm_buf *out, const char *text)
{
    enum alm_status st = ALM_OK;
    for (const char *p = text; *p && st == ALM_OK; p++) {
        if (*p == '&')
            st = alm_buf_puts(out, "&amp;");
        else if (*p == '<')
            st = alm_buf_puts(out, "&lt;");
        else if (*p == '>')
            st = alm_buf_puts(out, "&gt;");
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            st = alm_buf_putc(out, ' ');
        else if (strchr("\\`*_{}[]|~#", *p))
            st = alm_buf_putc(out, '\\') == ALM_OK ? alm_buf_putc(out, *p)
                                                   : ALM_ENOMEM;
        else
            st = alm_buf_putc(out, *p);
    }
    return st;
}

/* ---- what a report says about an indicator ------------------------------ */

/* Everything the report needs, computed once. */
struct facts {
    const struct alm_dataset *ds;
    const struct alm_report_opts *o;
    struct alm_projection *proj; /* one per indicator */
    size_t nproj;
    struct alm_track *track;
    size_t ntrack;
    struct alm_track_opts topts;
    char **svg;         /* HTML: one inline chart per indicator, or NULL */
    char **unchartable; /* per indicator: why its chart was not drawn */
    char title[300];
    char dir[1024]; /* the dataset's folder, escaped to valid UTF-8 */
};

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

/* The status marker: a symbol and a word, so that colour is never the
 * only signal. */
static const char *marker(const char *status)
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

/* The CSS class of a status: good, fair, poor or none. */
static const char *status_class(const char *status)
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

/* A number for people, with trailing zeros dropped ("6.2", not "6.200")
 * and large amounts grouped (12,890,000): a report's prose and summary
 * are read, not aligned. */
static void people(double x, char *out, size_t size)
{
    alm_format_number(x, 4, ALM_NUM_TRIM | ALM_NUM_GROUP, out, size);
}

/* A target's value for people: "500,000,000,000". */
static const char *target_value(const struct alm_target *g, char *out,
                                size_t size)
{
    people(g->value, out, size);
    return out;
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

/* The summary table: one row per indicator, as plain-text cells. */
static enum alm_status summary_table(const struct facts *f,
                                     struct alm_table **out)
{
    static const char *const h[] = {"indicator", "latest",     "change",
                                    "trend",     "projection", "target"};
    struct alm_table *t = alm_table_new("summary", 6, h);
    if (!t)
        return ALM_ENOMEM;
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < f->ds->nind && st == ALM_OK; k++) {
        const struct alm_indicator *in = &f->ds->ind[k];
        const struct alm_projection *p = &f->proj[k];
        struct latest l = latest_of(f, k);
        char cells[6][256] = {"", "", "", "", "", ""};
        snprintf(cells[0], sizeof cells[0], "%s",
                 f->o->format == ALM_REPORT_TXT ? in->id : in->title);
        if (l.last) {
            char per[ALM_PERIOD_TEXT_MAX], v[48];
            alm_period_format(&l.last->period, per, sizeof per);
            people(l.last->value, v, sizeof v);
            snprintf(cells[1], sizeof cells[1], "%s%s %s (%s)",
                     alm_qualifier_text(l.last->qual), v, in->unit, per);
        } else {
            snprintf(cells[1], sizeof cells[1], "no figures yet");
        }
        if (l.prev) {
            char d[48], per[ALM_PERIOD_TEXT_MAX];
            people(l.last->value - l.prev->value, d, sizeof d);
            alm_period_format(&l.prev->period, per, sizeof per);
            snprintf(cells[2], sizeof cells[2], "%s%s since %s",
                     l.last->value >= l.prev->value ? "+" : "", d, per);
        }
        if (p->fitted) {
            char m[32], v[48];
            alm_model_format(&p->fit.model, m, sizeof m);
            if (p->fit.model.model == ALM_MODEL_LOGLINEAR) {
                people(100 * expm1(p->fit.coef[1]), v, sizeof v);
                snprintf(cells[3], sizeof cells[3], "%s%s%% a year (%s)",
                         p->fit.coef[1] >= 0 ? "+" : "", v, m);
            } else if (p->fit.model.model == ALM_MODEL_DRIFT ||
                       p->fit.model.model == ALM_MODEL_LINEAR ||
                       p->fit.model.model == ALM_MODEL_THEIL_SEN) {
                double b =
                    p->fit.coef[p->fit.model.model == ALM_MODEL_DRIFT ? 0 : 1];
                people(b, v, sizeof v);
                snprintf(cells[3], sizeof cells[3], "%s%s a year (%s)",
                         b >= 0 ? "+" : "", v, m);
            } else {
                snprintf(cells[3], sizeof cells[3], "%s", m);
            }
        } else if (l.last) {
            snprintf(cells[3], sizeof cells[3], "too few figures");
        }
        if (p->nrows) {
            const struct alm_projection_row *r = &p->rows[p->nrows - 1];
            char per[ALM_PERIOD_TEXT_MAX], v[48], lo[48], hi[48];
            alm_period_format(&r->period, per, sizeof per);
            people(r->f.value, v, sizeof v);
            if (isnan(r->f.lower)) {
                snprintf(cells[4], sizeof cells[4], "%s in %s", v, per);
            } else {
                people(r->f.lower, lo, sizeof lo);
                people(r->f.upper, hi, sizeof hi);
                snprintf(cells[4], sizeof cells[4], "%s (%s to %s) in %s", v,
                         lo, hi, per);
            }
        }
        size_t used = 0;
        for (size_t i = 0; i < f->ntrack; i++) {
            const struct alm_track *a = &f->track[i];
            const struct alm_target *g = &f->ds->tgt[a->target];
            if (g->ind != k)
                continue;
            char per[ALM_PERIOD_TEXT_MAX], tv[64];
            alm_period_format(&g->period, per, sizeof per);
            int w = snprintf(cells[5] + used, sizeof cells[5] - used,
                             "%s%s %s%s by %s: %s %s", used ? "\n" : "",
                             g->direction > 0 ? "\u2265" : "\u2264",
                             alm_qualifier_text(g->qual),
                             target_value(g, tv, sizeof tv), per,
                             marker(a->status), a->status);
            if (w > 0 && (size_t)w < sizeof cells[5] - used)
                used += (size_t)w;
        }
        st = alm_table_add_row(t, 0);
        for (size_t j = 0; j < 6 && st == ALM_OK; j++)
            st = alm_table_set(t, t->nrows - 1, j, cells[j]);
    }
    if (st != ALM_OK) {
        alm_table_free(t);
        return st;
    }
    *out = t;
    return ALM_OK;
}

/* The citation of an observation: its sources' titles, publishers and
 * dates, and where to find them. */
static enum alm_status cite(const struct facts *f, const char *sources,
                            struct alm_buf *out)
{
    const struct alm_table *st_ = f->ds->tables[ALM_T_SOURCES];
    const char *p = sources;
    enum alm_status st = ALM_OK;
    bool first = true;
    while (*p && st == ALM_OK) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char id[160];
        if (n >= sizeof id)
            n = sizeof id - 1;
        memcpy(id, p, n);
        id[n] = '\0';
        long k = alm_dataset_find_source(f->ds, id);
        if (k >= 0) {
            const struct alm_source *s = &f->ds->src[k];
            const char *date =
                alm_table_cell(st_, s->row, alm_table_col(st_, "date"));
            const char *loc =
                alm_table_cell(st_, s->row, alm_table_col(st_, "location"));
            st = alm_buf_printf(out, "%s%s, %s%s%s%s%s", first ? "" : "; also ",
                                s->title, s->publisher, date[0] ? ", " : "",
                                date, loc[0] ? ", " : "", loc);
        }
        first = false;
        p += n;
        if (*p == ';')
            p++;
    }
    return st;
}

/* A figure for a citation list: "2022: >13 (status P), published
 * 2023-07-05". */
static enum alm_status figure_words(const struct alm_obs *ob,
                                    struct alm_buf *out)
{
    char per[ALM_PERIOD_TEXT_MAX], vin[16] = "";
    alm_period_format(&ob->period, per, sizeof per);
    if (ob->vintage != ALM_DATE_NONE)
        alm_date_format(ob->vintage, vin, sizeof vin);
    enum alm_status st = alm_buf_printf(
        out, "%s: %s%s", per, alm_qualifier_text(ob->qual), ob->value_text);
    if (st == ALM_OK && ob->status)
        st = alm_buf_printf(out, " (status %c)", ob->status);
    if (st == ALM_OK)
        st = alm_buf_printf(out, ", published %s",
                            vin[0] ? vin : "on an unknown date");
    return st;
}

/* ---- HTML --------------------------------------------------------------- */

static const char css[] =
    "body{font-family:'Noto Sans','Noto Sans CJK SC','Segoe UI',Arial,"
    "sans-serif;color:#222;max-width:72rem;margin:2rem auto;padding:0 "
    "1rem;line-height:1.45}\n"
    "h1{font-size:1.7rem;margin:0}h2{font-size:1.3rem;margin-top:2.2rem;"
    "border-bottom:2px solid #0b5394;padding-bottom:.2rem}"
    "h3{font-size:1.05rem;margin:1.2rem 0 .3rem}\n"
    ".asof{color:#555;margin:.3rem 0 1.5rem}\n"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid "
    "#ddd;vertical-align:top}th{background:#f2f4f7}\n"
    "td.num{text-align:right}\n"
    "#summary td:first-child{width:24%}#summary td:last-child{width:20%}\n"
    ".status{white-space:nowrap;font-weight:600;padding:.05rem .35rem;"
    "border-radius:.2rem}\n"
    ".good{background:#d9f0d3;color:#1b5e20}.fair{background:#fff1c1;"
    "color:#7a5200}.poor{background:#fbd5d5;color:#8b1a1a}.none{background:"
    "#eee;color:#444}\n"
    ".chart svg{max-width:100%;height:auto}\n"
    ".panel{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);"
    "gap:1.5rem;align-items:start}\n"
    "@media (max-width:50rem){.panel{grid-template-columns:1fr}}\n"
    "table.proj{width:auto;min-width:60%}\n"
    ".words{white-space:pre-line;margin:.2rem 0}\n"
    "ol.cite{font-size:.85rem;color:#333}ol.cite li{margin-bottom:.35rem}\n"
    ".meta{color:#555;font-size:.9rem}\n"
    "footer{margin-top:3rem;color:#666;font-size:.8rem}\n"
    "@media print{body{max-width:none;margin:0}section{break-inside:auto}"
    ".chart{break-inside:avoid}}\n";

static enum alm_status html_text(struct alm_buf *out, const char *tag,
                                 const char *cls, const char *text)
{
    enum alm_status st =
        cls ? alm_buf_printf(out, "<%s class=\"%s\">", tag, cls)
            : alm_buf_printf(out, "<%s>", tag);
    if (st == ALM_OK)
        st = alm_html_escape(out, text);
    if (st == ALM_OK)
        st = alm_buf_printf(out, "</%s>\n", tag);
    return st;
}

/* Writes the summary status cell: a marked span per target. */
static enum alm_status html_targets_cell(const struct facts *f, size_t k,
                                         struct alm_buf *out)
{
    enum alm_status st = ALM_OK;
    bool any = false;
    for (size_t i = 0; i < f->ntrack && st == ALM_OK; i++) {
        const struct alm_track *a = &f->track[i];
        const struct alm_target *g = &f->ds->tgt[a->target];
        if (g->ind != k)
            continue;
        char per[ALM_PERIOD_TEXT_MAX], tv[64];
        alm_period_format(&g->period, per, sizeof per);
        st = alm_buf_printf(out, "%s%s ", any ? "<br>" : "",
                            g->direction > 0 ? "&ge;" : "&le;");
        if (st == ALM_OK)
            st = alm_html_escape(out, alm_qualifier_text(g->qual));
        if (st == ALM_OK)
            st = alm_html_escape(out, target_value(g, tv, sizeof tv));
        if (st == ALM_OK)
            st = alm_buf_printf(out,
                                " by %s: <span class=\"status %s\">%s %s"
                                "</span>",
                                per, status_class(a->status), marker(a->status),
                                a->status);
        any = true;
    }
    return st;
}

static enum alm_status html_summary(const struct facts *f, struct alm_buf *out)
{
    struct alm_table *t = NULL;
    enum alm_status st = summary_table(f, &t);
    if (st != ALM_OK)
        return st;
    st = alm_buf_puts(out, "<section id=\"summary\">\n<h2>Summary</h2>\n"
                           "<table>\n<thead><tr><th>Indicator</th><th>Latest"
                           "</th><th>Change</th><th>Trend (model)</th><th>"
                           "Projection</th><th>Target</th></tr></thead>\n"
                           "<tbody>\n");
    for (size_t k = 0; k < t->nrows && st == ALM_OK; k++) {
        st = alm_buf_printf(out, "<tr><td><a href=\"#%s\">", f->ds->ind[k].id);
        for (size_t j = 0; j < 5 && st == ALM_OK; j++) {
            if (j == 0)
                st = alm_html_escape(out, alm_table_cell(t, k, 0));
            else
                st = alm_buf_puts(out, "<td>");
            if (st == ALM_OK && j > 0)
                st = alm_html_escape(out, alm_table_cell(t, k, (long)j));
            if (st == ALM_OK)
                st = alm_buf_puts(out, j == 0 ? "</a></td>" : "</td>");
        }
        if (st == ALM_OK)
            st = alm_buf_puts(out, "<td>");
        if (st == ALM_OK)
            st = html_targets_cell(f, k, out);
        if (st == ALM_OK)
            st = alm_buf_puts(out, "</td></tr>\n");
    }
    if (st == ALM_OK)
        st = alm_buf_puts(out, "</tbody>\n</table>\n</section>\n");
    alm_table_free(t);
    return st;
}

static enum alm_status html_indicator(const struct facts *f, size_t k,
                                      struct alm_buf *out)
{
    const struct alm_indicator *in = &f->ds->ind[k];
    const struct alm_projection *p = &f->proj[k];
    struct alm_buf words = ALM_BUF_INIT;
    char freq[2] = {in->freq, 0};
    enum alm_status st = alm_buf_printf(out, "<section id=\"%s\">\n", in->id);
    if (st == ALM_OK)
        st = html_text(out, "h2", NULL, in->title);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "<p class=\"meta\">");
    if (st == ALM_OK)
        st = alm_html_escape(out, in->id);
    if (st == ALM_OK)
        st = alm_buf_printf(out, " &middot; unit: ");
    if (st == ALM_OK)
        st = alm_html_escape(out, in->unit[0] ? in->unit : "none");
    if (st == ALM_OK)
        st = alm_buf_printf(out,
                            " &middot; kind: %s &middot; frequency: %s"
                            "</p>\n",
                            alm_kind_name(in->kind), freq);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "<div class=\"panel\">\n");
    if (st == ALM_OK && f->svg && f->svg[k])
        st =
            alm_buf_printf(out, "<div class=\"chart\">\n%s</div>\n", f->svg[k]);
    else if (st == ALM_OK && f->unchartable && f->unchartable[k]) {
        st = alm_buf_puts(out, "<p class=\"note\">No chart: ");
        if (st == ALM_OK)
            st = alm_html_escape(out, f->unchartable[k]);
        if (st == ALM_OK)
            st = alm_buf_puts(out, "</p>\n");
    }
    if (st == ALM_OK)
        st = alm_buf_puts(out, "<div class=\"numbers\">\n");
    if (st == ALM_OK && p->fitted) {
        st = alm_buf_puts(out, "<h3>Trend</h3>\n");
        if (st == ALM_OK)
            st = alm_projection_words(p, "", &words);
        if (st == ALM_OK)
            st = html_text(out, "p", "words", words.s);
    }
    if (st == ALM_OK && p->note[0]) {
        st = alm_buf_puts(out, "<p class=\"words\">Note: ");
        if (st == ALM_OK)
            st = alm_html_escape(out, p->note);
        if (st == ALM_OK)
            st = alm_buf_puts(out, "</p>\n");
    }
    if (st == ALM_OK && p->nrows) {
        st = alm_buf_puts(out, "<table class=\"proj\">\n<thead><tr><th>"
                               "Period</th><th>Projection</th><th>Lower</th>"
                               "<th>Upper</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < p->nrows && st == ALM_OK; i++) {
            char per[ALM_PERIOD_TEXT_MAX], v[48], lo[48], hi[48];
            alm_period_format(&p->rows[i].period, per, sizeof per);
            people(p->rows[i].f.value, v, sizeof v);
            people(p->rows[i].f.lower, lo, sizeof lo);
            people(p->rows[i].f.upper, hi, sizeof hi);
            st = alm_buf_printf(out,
                                "<tr><td>%s</td><td class=\"num\">%s</td><td "
                                "class=\"num\">%s</td><td class=\"num\">%s"
                                "</td></tr>\n",
                                per, v, lo, hi);
        }
        if (st == ALM_OK)
            st = alm_buf_puts(out, "</tbody>\n</table>\n");
    }
    if (st == ALM_OK)
        st = alm_buf_puts(out, "</div>\n</div>\n");
    for (size_t i = 0; i < f->ntrack && st == ALM_OK; i++) {
        const struct alm_track *a = &f->track[i];
        const struct alm_target *g = &f->ds->tgt[a->target];
        if (g->ind != k)
            continue;
        char per[ALM_PERIOD_TEXT_MAX], tv[64];
        alm_period_format(&g->period, per, sizeof per);
        st = alm_buf_printf(out, "<h3>Target: %s ",
                            g->direction > 0 ? "&ge;" : "&le;");
        if (st == ALM_OK)
            st = alm_html_escape(out, alm_qualifier_text(g->qual));
        if (st == ALM_OK)
            st = alm_html_escape(out, target_value(g, tv, sizeof tv));
        if (st == ALM_OK)
            st = alm_buf_printf(out,
                                " by %s <span class=\"status %s\">%s %s"
                                "</span></h3>\n",
                                per, status_class(a->status), marker(a->status),
                                a->status);
        alm_buf_reset(&words);
        if (st == ALM_OK)
            st = alm_track_words(f->ds, a, &f->topts, "", &words);
        if (st == ALM_OK)
            st = html_text(out, "p", "words", words.s);
        const struct alm_table *tt = f->ds->tables[ALM_T_TARGETS];
        const char *quote =
            alm_table_cell(tt, g->row, alm_table_col(tt, "quote"));
        alm_buf_reset(&words);
        if (st == ALM_OK)
            st =
                cite(f, alm_table_cell(tt, g->row, alm_table_col(tt, "source")),
                     &words);
        if (st == ALM_OK && (words.len || quote[0])) {
            st = alm_buf_puts(out, "<p class=\"meta\">Target set in: ");
            if (st == ALM_OK && quote[0]) {
                st = alm_buf_puts(out, "<q>");
                if (st == ALM_OK)
                    st = alm_html_escape(out, quote);
                if (st == ALM_OK)
                    st = alm_buf_puts(out, "</q> ");
            }
            if (st == ALM_OK && words.len) {
                st = alm_buf_puts(out, "&mdash; <cite>");
                if (st == ALM_OK)
                    st = alm_html_escape(out, words.s);
                if (st == ALM_OK)
                    st = alm_buf_puts(out, "</cite>");
            }
            if (st == ALM_OK)
                st = alm_buf_puts(out, "</p>\n");
        }
    }
    /* Every figure, every vintage, with its source. */
    size_t *idx = NULL, n = 0;
    if (st == ALM_OK)
        st = alm_dataset_series(f->ds, k, f->o->as_of, true, &idx, &n, NULL);
    if (st == ALM_OK && n)
        st = alm_buf_puts(out, "<h3>Sources</h3>\n<ol class=\"cite\">\n");
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        const struct alm_obs *ob = &f->ds->obs[idx[i]];
        alm_buf_reset(&words);
        st = figure_words(ob, &words);
        if (st == ALM_OK)
            st = alm_buf_puts(out, "<li>");
        if (st == ALM_OK)
            st = alm_html_escape(out, words.s);
        if (st == ALM_OK && ob->quote[0]) {
            st = alm_buf_puts(out, ". <q>");
            if (st == ALM_OK)
                st = alm_html_escape(out, ob->quote);
            if (st == ALM_OK)
                st = alm_buf_puts(out, "</q>");
        }
        alm_buf_reset(&words);
        if (st == ALM_OK)
            st = cite(f, ob->source, &words);
        if (st == ALM_OK && words.len) {
            st = alm_buf_puts(out, " &mdash; <cite>");
            if (st == ALM_OK)
                st = alm_html_escape(out, words.s);
            if (st == ALM_OK)
                st = alm_buf_puts(out, "</cite>");
        }
        if (st == ALM_OK)
            st = alm_buf_puts(out, "</li>\n");
    }
    if (st == ALM_OK && n)
        st = alm_buf_puts(out, "</ol>\n");
    free(idx);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "</section>\n");
    alm_buf_release(&words);
    return st;
}

static const char methods_text[] =
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

static enum alm_status html_report(const struct facts *f, struct alm_buf *out)
{
    const struct alm_report_opts *o = f->o;
    char date[32], lv[32], to[ALM_PERIOD_TEXT_MAX] = "";
    alm_as_of_format(o->as_of, date, sizeof date);
    alm_format_double(o->level, lv, sizeof lv);
    for (size_t k = 0; k < f->nproj && !to[0]; k++)
        if (f->proj[k].nrows)
            alm_period_format(&f->proj[k].rows[f->proj[k].nrows - 1].period, to,
                              sizeof to);
    const char *title = f->title;
    enum alm_status st = alm_buf_puts(
        out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
             "charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width="
             "device-width, initial-scale=1\">\n<title>");
    if (st == ALM_OK)
        st = alm_html_escape(out, title);
    if (st == ALM_OK)
        st = alm_buf_printf(out,
                            "</title>\n<style>\n%s</style>\n</head>\n"
                            "<body>\n<header>\n",
                            css);
    if (st == ALM_OK)
        st = html_text(out, "h1", NULL, title);
    if (st == ALM_OK)
        st = alm_buf_printf(out,
                            "<p class=\"asof\">Figures as published by <strong>"
                            "%s</strong> &middot; %zu indicators, %zu targets "
                            "&middot; projections %s%s with %s%% prediction "
                            "intervals</p>\n</header>\n",
                            date, f->ds->nind, f->ntrack,
                            o->to ? "to " : "to each indicator's horizon",
                            o->to ? o->to : "", lv);
    if (st == ALM_OK)
        st = html_summary(f, out);
    for (size_t k = 0; k < f->ds->nind && st == ALM_OK; k++)
        st = html_indicator(f, k, out);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "<section id=\"methods\">\n<h2>Methods</h2>\n");
    if (st == ALM_OK)
        st = html_text(out, "p", "words", methods_text);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "</section>\n<footer>Made with Almanac "
                               "from ");
    if (st == ALM_OK)
        st = alm_html_escape(out, f->dir);
    if (st == ALM_OK)
        st = alm_buf_printf(out, ", as of %s.</footer>\n</body>\n</html>\n",
                            date);
    return st;
}

/* ---- Markdown ------------------------------------------------------------ */

static enum alm_status md_line(struct alm_buf *out, const char *prefix,
                               const char *text, const char *suffix)
{
    enum alm_status st = alm_buf_puts(out, prefix);
    if (st == ALM_OK)
        st = alm_md_escape(out, text);
    if (st == ALM_OK)
        st = alm_buf_puts(out, suffix);
    return st;
}

/* Writes each line of words as a list item. */
static enum alm_status md_items(struct alm_buf *out, const char *words)
{
    enum alm_status st = ALM_OK;
    const char *p = words;
    while (*p && st == ALM_OK) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = alm__strndup(p, n);
        if (!line)
            return ALM_ENOMEM;
        if (n)
            st = md_line(out, "- ", line, "\n");
        free(line);
        p += n + (nl ? 1 : 0);
    }
    return st;
}

static enum alm_status md_report(const struct facts *f, struct alm_buf *out)
{
    const struct alm_report_opts *o = f->o;
    char date[32], lv[32];
    alm_as_of_format(o->as_of, date, sizeof date);
    alm_format_double(o->level, lv, sizeof lv);
    struct alm_table *t = NULL;
    struct alm_buf words = ALM_BUF_INIT;
    enum alm_status st = md_line(out, "# ", f->title, "\n\n");
    if (st == ALM_OK)
        st = alm_buf_printf(out,
                            "Figures as published by **%s** · %zu indicators, "
                            "%zu targets · projections %s%s with %s%% "
                            "prediction intervals\n\n## Summary\n\n",
                            date, f->ds->nind, f->ntrack,
                            o->to ? "to " : "to each indicator's horizon",
                            o->to ? o->to : "", lv);
    if (st == ALM_OK)
        st = summary_table(f, &t);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "| Indicator | Latest | Change | Trend (model) "
                               "| Projection | Target |\n|---|---|---|---|---|"
                               "---|\n");
    for (size_t k = 0; t && k < t->nrows && st == ALM_OK; k++) {
        for (size_t j = 0; j < 6 && st == ALM_OK; j++)
            st = md_line(out, "| ", alm_table_cell(t, k, (long)j), " ");
        if (st == ALM_OK)
            st = alm_buf_puts(out, "|\n");
    }
    alm_table_free(t);
    for (size_t k = 0; k < f->ds->nind && st == ALM_OK; k++) {
        const struct alm_indicator *in = &f->ds->ind[k];
        const struct alm_projection *p = &f->proj[k];
        st = md_line(out, "\n## ", in->title, "\n\n");
        if (st == ALM_OK)
            st = md_line(out, "`", in->id, "`");
        if (st == ALM_OK)
            st = md_line(out, " · unit: ", in->unit[0] ? in->unit : "none", "");
        if (st == ALM_OK)
            st = alm_buf_printf(out, " · kind: %s · frequency: %c\n\n",
                                alm_kind_name(in->kind), in->freq);
        if (st == ALM_OK && f->unchartable && f->unchartable[k])
            st = md_line(out, "No chart: ", f->unchartable[k], "\n\n");
        else if (st == ALM_OK && o->charts_dir && p->n > 0)
            st = alm_buf_printf(out, "![%s](%s/%s.png)\n\n", in->id,
                                o->charts_href, in->id);
        alm_buf_reset(&words);
        if (st == ALM_OK && p->fitted)
            st = alm_projection_words(p, "", &words);
        if (st == ALM_OK && p->note[0])
            st = alm_buf_printf(&words, "%snote: %s\n", words.len ? "" : "",
                                p->note);
        if (st == ALM_OK && words.len)
            st = md_items(out, words.s);
        if (st == ALM_OK && p->nrows) {
            st = alm_buf_puts(out, "\n| Period | Projection | Lower | Upper "
                                   "|\n|---|---:|---:|---:|\n");
            for (size_t i = 0; i < p->nrows && st == ALM_OK; i++) {
                char per[ALM_PERIOD_TEXT_MAX], v[48], lo[48], hi[48];
                alm_period_format(&p->rows[i].period, per, sizeof per);
                people(p->rows[i].f.value, v, sizeof v);
                people(p->rows[i].f.lower, lo, sizeof lo);
                people(p->rows[i].f.upper, hi, sizeof hi);
                st = alm_buf_printf(out, "| %s | %s | %s | %s |\n", per, v, lo,
                                    hi);
            }
        }
        for (size_t i = 0; i < f->ntrack && st == ALM_OK; i++) {
            const struct alm_track *a = &f->track[i];
            const struct alm_target *g = &f->ds->tgt[a->target];
            if (g->ind != k)
                continue;
            char per[ALM_PERIOD_TEXT_MAX], tv[64];
            alm_period_format(&g->period, per, sizeof per);
            st = alm_buf_printf(out, "\n### Target: %s ",
                                g->direction > 0 ? "≥" : "≤");
            if (st == ALM_OK)
                st = md_line(out, alm_qualifier_text(g->qual),
                             target_value(g, tv, sizeof tv), "");
            if (st == ALM_OK)
                st = alm_buf_printf(out, " by %s — %s %s\n\n", per,
                                    marker(a->status), a->status);
            alm_buf_reset(&words);
            if (st == ALM_OK)
                st = alm_track_words(f->ds, a, &f->topts, "", &words);
            if (st == ALM_OK)
                st = md_items(out, words.s);
            const struct alm_table *tt = f->ds->tables[ALM_T_TARGETS];
            const char *quote =
                alm_table_cell(tt, g->row, alm_table_col(tt, "quote"));
            alm_buf_reset(&words);
            if (st == ALM_OK)
                st = cite(
                    f, alm_table_cell(tt, g->row, alm_table_col(tt, "source")),
                    &words);
            if (st == ALM_OK && quote[0])
                st = md_line(out, "\nTarget set in: “", quote, "”");
            if (st == ALM_OK && words.len)
                st = md_line(out, quote[0] ? " — *" : "\nTarget set in: *",
                             words.s, "*");
            if (st == ALM_OK && (quote[0] || words.len))
                st = alm_buf_putc(out, '\n');
        }
        size_t *idx = NULL, n = 0;
        if (st == ALM_OK)
            st = alm_dataset_series(f->ds, k, o->as_of, true, &idx, &n, NULL);
        if (st == ALM_OK && n)
            st = alm_buf_puts(out, "\n### Sources\n\n");
        for (size_t i = 0; i < n && st == ALM_OK; i++) {
            const struct alm_obs *ob = &f->ds->obs[idx[i]];
            alm_buf_reset(&words);
            st = figure_words(ob, &words);
            if (st == ALM_OK)
                st = alm_buf_printf(out, "%zu. ", i + 1);
            if (st == ALM_OK)
                st = alm_md_escape(out, words.s);
            if (st == ALM_OK && ob->quote[0])
                st = md_line(out, ". “", ob->quote, "”");
            alm_buf_reset(&words);
            if (st == ALM_OK)
                st = cite(f, ob->source, &words);
            if (st == ALM_OK && words.len)
                st = md_line(out, " — *", words.s, "*");
            if (st == ALM_OK)
                st = alm_buf_putc(out, '\n');
        }
        free(idx);
    }
    if (st == ALM_OK)
        st = alm_buf_puts(out, "\n## Methods\n\n");
    const char *p = methods_text;
    while (*p && st == ALM_OK) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        st = alm_buf_add(out, p, n);
        if (st == ALM_OK)
            st = alm_buf_puts(out, "\n\n");
        p += n + (nl ? 1 : 0);
    }
    if (st == ALM_OK)
        st = md_line(out, "---\n\nMade with Almanac from ", f->dir, "");
    if (st == ALM_OK)
        st = alm_buf_printf(out, ", as of %s.\n", date);
    alm_buf_release(&words);
    return st;
}

/* ---- text ---------------------------------------------------------------- */

static enum alm_status txt_report(const struct facts *f, struct alm_buf *out)
{
    char date[32], lv[32];
    alm_as_of_format(f->o->as_of, date, sizeof date);
    alm_format_double(f->o->level, lv, sizeof lv);
    struct alm_table *t = NULL;
    enum alm_status st = alm_buf_printf(
        out, "%s\nas of %s; %s%% prediction intervals\n\n", f->title, date, lv);
    if (st == ALM_OK)
        st = summary_table(f, &t);
    if (st == ALM_OK) {
        /* Several targets of one indicator: one line, not a broken row. */
        for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
            struct alm_buf line = ALM_BUF_INIT;
            for (const char *q = alm_table_cell(t, i, 5); *q && st == ALM_OK;
                 q++)
                st = *q == '\n' ? alm_buf_puts(&line, "; ")
                                : alm_buf_putc(&line, *q);
            if (st == ALM_OK && line.s)
                st = alm_table_set(t, i, 5, line.s);
            alm_buf_release(&line);
        }
        if (st == ALM_OK)
            st = alm_table_format_text(t, out);
    }
    alm_table_free(t);
    if (st == ALM_OK)
        st = alm_view_track(f->ds, f->track, f->ntrack, &f->topts,
                            ALM_FORMAT_TABLE, out);
    return st;
}

/* ---- charts -------------------------------------------------------------- */

/* Rewrites gnuplot's SVG for inlining in a page that holds many: drops the
 * XML prolog and doctype, and gives every id (and every reference to one)
 * the prefix "cK-" so that the charts' ids do not collide. */
static char *inline_svg(const char *svg, size_t k)
{
    struct alm_buf b = ALM_BUF_INIT;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%zu-", k);
    const char *p = strstr(svg, "<svg");
    if (!p)
        return NULL;
    while (*p) {
        static const char *const keys[] = {"id=\"", "href=\"#", "url(#"};
        size_t matched = 0;
        for (size_t i = 0; i < 3 && !matched; i++)
            if (strncmp(p, keys[i], strlen(keys[i])) == 0)
                matched = strlen(keys[i]);
        if (matched) {
            if (alm_buf_add(&b, p, matched) != ALM_OK ||
                alm_buf_puts(&b, prefix) != ALM_OK)
                goto nomem;
            p += matched;
        } else {
            if (alm_buf_putc(&b, *p) != ALM_OK)
                goto nomem;
            p++;
        }
    }
    return alm_buf_detach(&b);
nomem:
    alm_buf_release(&b);
    return NULL;
}

#define REPORT_TMP_PREFIX "almanac-report-"

/* Removes the temporary folders (/tmp/almanac-report-PID-XXXXXX) of HTML
 * reports whose process is gone: killed while gnuplot drew. Only a
 * folder the user owns, holding only files, is emptied and removed. */
static void sweep_report_debris(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *e;
    size_t pl = strlen(REPORT_TMP_PREFIX);
    while (d && (e = readdir(d)) != NULL) {
        char *end;
        if (strncmp(e->d_name, REPORT_TMP_PREFIX, pl) != 0)
            continue;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 ||
            errno != ESRCH)
            continue;
        char path[512];
        struct stat sb;
        snprintf(path, sizeof path, "/tmp/%s", e->d_name);
        if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
            sb.st_uid != geteuid())
            continue;
        DIR *sub = opendir(path);
        struct dirent *f;
        while (sub && (f = readdir(sub)) != NULL) {
            char file[1024];
            if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
                continue;
            snprintf(file, sizeof file, "%s/%s", path, f->d_name);
            unlink(file);
        }
        if (sub)
            closedir(sub);
        rmdir(path);
    }
    if (d)
        closedir(d);
}

/* Draws the chart of every indicator that has figures, with one gnuplot
 * process: SVG into a private temporary folder, read back and inlined for
 * HTML; PNG into charts_dir for Markdown. */
static enum alm_status draw_charts(struct facts *f, struct alm_error *err)
{
    const struct alm_report_opts *o = f->o;
    bool html = o->format == ALM_REPORT_HTML;
    /* The process id in the name lets a later report remove the folder of
     * one that was killed (sweep_report_debris). */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/" REPORT_TMP_PREFIX "%ld-XXXXXX",
             (long)getpid());
    const char *dir = html ? tmp : o->charts_dir;
    size_t n = 0;
    enum alm_status st = ALM_OK;
    struct alm_chart *charts =
        calloc(f->ds->nind ? f->ds->nind : 1, sizeof *charts);
    size_t *ind = calloc(f->ds->nind ? f->ds->nind : 1, sizeof *ind);
    char **paths = calloc(f->ds->nind ? f->ds->nind : 1, sizeof *paths);
    if (!charts || !ind || !paths) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    if (html)
        sweep_report_debris();
    if (html && !mkdtemp(tmp)) {
        st = alm_fail(err, ALM_EIO, "cannot create a temporary folder: %s",
                      strerror(errno));
        goto done;
    }
    for (size_t k = 0; k < f->ds->nind; k++) {
        if (f->proj[k].n == 0)
            continue;
        struct alm_buf path = ALM_BUF_INIT;
        if (alm_buf_printf(&path, "%s/%s.%s", dir, f->ds->ind[k].id,
                           html ? "svg" : "png") != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        ind[n] = k;
        paths[n] = alm_buf_detach(&path);
        charts[n] =
            (struct alm_chart){.ind = &ind[n],
                               .nind = 1,
                               .output = paths[n],
                               .type = html ? ALM_CHART_SVG : ALM_CHART_PNG};
        n++;
    }
    struct alm_chart_opts co;
    memset(&co, 0, sizeof co);
    co.proj.model = o->model;
    co.proj.to = o->to;
    co.proj.level = o->level;
    co.proj.as_of = o->as_of;
    if (st == ALM_OK && n)
        st = alm_chart_render(f->ds, charts, n, &co, err);
    /* gnuplot failed on the batch: one chart that cannot be drawn must not
     * lose the report. Each is drawn alone; one that fails gets a note
     * saying why in its place. Without gnuplot at all, the report fails. */
    if (st == ALM_EEXTERNAL && err &&
        strncmp(err->msg, "gnuplot failed", 14) == 0 && n > 0) {
        st = ALM_OK;
        f->unchartable = calloc(f->ds->nind, sizeof *f->unchartable);
        if (!f->unchartable)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        for (size_t i = 0; i < n && st == ALM_OK; i++) {
            struct alm_error e;
            alm_error_clear(&e);
            enum alm_status r = alm_chart_render(f->ds, &charts[i], 1, &co, &e);
            if (r == ALM_ENOMEM)
                st = alm_fail(err, r, "out of memory");
            else if (r != ALM_OK &&
                     !(f->unchartable[ind[i]] = alm__strdup(e.msg)))
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
        }
        if (st == ALM_OK)
            alm_error_clear(err);
    }
    if (st == ALM_OK && html) {
        f->svg = calloc(f->ds->nind, sizeof *f->svg);
        if (!f->svg)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        for (size_t i = 0; i < n && st == ALM_OK; i++) {
            struct alm_buf svg = ALM_BUF_INIT;
            if (f->unchartable && f->unchartable[ind[i]])
                continue;
            st = alm_file_read(paths[i], ALM_CSV_FILE_MAX, &svg, err);
            if (st == ALM_OK && !(f->svg[ind[i]] = inline_svg(svg.s, ind[i])))
                st = alm_fail(err, ALM_EEXTERNAL,
                              "gnuplot wrote no SVG for '%s'",
                              f->ds->ind[ind[i]].id);
            alm_buf_release(&svg);
        }
    }
done:
    for (size_t i = 0; i < n; i++) {
        if (html)
            unlink(paths[i]);
        free(paths[i]);
    }
    if (html && tmp[strlen(tmp) - 1] != 'X')
        rmdir(tmp);
    free(paths);
    free(ind);
    free(charts);
    return st;
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
        st = draw_charts(&f, err);
    enum alm_status wst = ALM_OK;
    if (st == ALM_OK) {
        switch (o->format) {
        case ALM_REPORT_HTML:
            wst = html_report(&f, out);
            break;
        case ALM_REPORT_MD:
            wst = md_report(&f, out);
            break;
        case ALM_REPORT_TXT:
            wst = txt_report(&f, out);
            break;
        }
        if (wst != ALM_OK)
            st = alm_fail(err, wst, "out of memory");
    }
    facts_free(&f);
    return st;
}
