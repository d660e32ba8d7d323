/* The HTML backend of the report walk (report_internal.h): one
 * self-contained file, CSS inline, charts inline as SVG, every text from
 * the dataset through alm_html_escape. */
#include <stdio.h>
#include <string.h>

#include <almanac/report.h>

#include "internal.h"
#include "report_internal.h"

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

/* <tag class="cls">text</tag> and a newline; cls may be NULL. */
static void element(struct alm_buf *out, const char *tag, const char *cls,
                    const char *text)
{
    if (cls)
        alm_buf_printf(out, "<%s class=\"%s\">", tag, cls);
    else
        alm_buf_printf(out, "<%s>", tag);
    alm_html_escape(out, text);
    alm_buf_printf(out, "</%s>\n", tag);
}

/* before, the escaped text, after. */
static void wrapped(struct alm_buf *out, const char *before, const char *text,
                    const char *after)
{
    alm_buf_puts(out, before);
    alm_html_escape(out, text);
    alm_buf_puts(out, after);
}

/* "&ge; ~500 by 2030": a target's comparator, qualifier and value. */
static void target_words(struct alm_buf *out, const struct alm_target *g,
                         const char *value)
{
    alm_buf_printf(out, "%s ", g->direction > 0 ? "&ge;" : "&le;");
    alm_html_escape(out, alm_qualifier_text(g->qual));
    alm_html_escape(out, value);
}

/* A status, marked with a symbol and coloured by its class. */
static void status_span(struct alm_buf *out, const char *status)
{
    alm_buf_printf(out, "<span class=\"status %s\">%s %s</span>",
                   alm__status_class(status), alm__status_marker(status),
                   status);
}

static void begin(const struct facts *f, struct alm_buf *out)
{
    const struct alm_report_opts *o = f->o;
    alm_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                      "charset=\"utf-8\">\n<meta name=\"viewport\" "
                      "content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
    alm_html_escape(out, f->title);
    alm_buf_printf(
        out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", css);
    element(out, "h1", NULL, f->title);
    if (f->ds->description && f->ds->description[0])
        element(out, "p", "description", f->ds->description);
    alm_buf_printf(out,
                   "<p class=\"asof\">Figures as published by <strong>%s"
                   "</strong> &middot; %zu indicators, %zu targets &middot; "
                   "projections %s%s with %s%% prediction intervals</p>\n"
                   "</header>\n",
                   f->date, f->ds->nind, f->ntrack,
                   o->to ? "to " : "to each indicator's horizon",
                   o->to ? o->to : "", f->level);
}

/* The summary status cell: a marked span per target. */
static void targets_cell(const struct facts *f, size_t k, struct alm_buf *out)
{
    size_t i = 0;
    struct rtarget_name t;
    for (bool any = false; alm__report_next_target(f, k, &i, &t); any = true) {
        alm_buf_puts(out, any ? "<br>" : "");
        target_words(out, t.g, t.value);
        alm_buf_printf(out, " by %s: ", t.period);
        status_span(out, t.a->status);
    }
}

static void summary(const struct facts *f, struct alm_table *t,
                    struct alm_buf *out)
{
    alm_buf_puts(out, "<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n"
                      "<thead><tr><th>Indicator</th><th>Latest</th><th>"
                      "Change</th><th>Trend (model)</th><th>Projection</th>"
                      "<th>Target</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < t->nrows; k++) {
        alm_buf_printf(out, "<tr><td><a href=\"#%s\">", f->ds->ind[k].id);
        wrapped(out, "", alm_table_cell(t, k, 0), "</a></td>");
        for (long j = 1; j < 5; j++)
            wrapped(out, "<td>", alm_table_cell(t, k, j), "</td>");
        alm_buf_puts(out, "<td>");
        targets_cell(f, k, out);
        alm_buf_puts(out, "</td></tr>\n");
    }
    alm_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

static void indicator(const struct facts *f, size_t k, struct alm_buf *out)
{
    const struct alm_indicator *in = &f->ds->ind[k];
    char freq[2] = {in->freq, 0};
    alm_buf_printf(out, "<section id=\"%s\">\n", in->id);
    element(out, "h2", NULL, in->title);
    wrapped(out, "<p class=\"meta\">", in->id, " &middot; unit: ");
    alm_html_escape(out, in->unit[0] ? in->unit : "none");
    alm_buf_printf(out,
                   " &middot; kind: %s &middot; frequency: %s</p>\n"
                   "<div class=\"panel\">\n",
                   alm_kind_name(in->kind), freq);
    if (f->svg && f->svg[k])
        alm_buf_printf(out, "<div class=\"chart\">\n%s</div>\n", f->svg[k]);
    else if (f->unchartable && f->unchartable[k])
        wrapped(out, "<p class=\"note\">No chart: ", f->unchartable[k],
                "</p>\n");
    alm_buf_puts(out, "<div class=\"numbers\">\n");
}

static void trend(const struct facts *f, size_t k, const char *words,
                  struct alm_buf *out)
{
    const struct alm_projection *p = &f->proj[k];
    if (p->fitted) {
        alm_buf_puts(out, "<h3>Trend</h3>\n");
        element(out, "p", "words", words);
    }
    if (p->note[0])
        wrapped(out, "<p class=\"words\">Note: ", p->note, "</p>\n");
}

static void proj_begin(struct alm_buf *out)
{
    alm_buf_puts(out, "<table class=\"proj\">\n<thead><tr><th>Period</th><th>"
                      "Projection</th><th>Lower</th><th>Upper</th></tr>"
                      "</thead>\n<tbody>\n");
}

static void proj_row(const char *period, const char *value, const char *lower,
                     const char *upper, struct alm_buf *out)
{
    alm_buf_printf(out,
                   "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">"
                   "%s</td><td class=\"num\">%s</td></tr>\n",
                   period, value, lower, upper);
}

static void proj_end(struct alm_buf *out)
{
    alm_buf_puts(out, "</tbody>\n</table>\n");
}

static void panel_end(struct alm_buf *out)
{
    alm_buf_puts(out, "</div>\n</div>\n");
}

static void target(const struct rtarget *t, struct alm_buf *out)
{
    alm_buf_puts(out, "<h3>Target: ");
    target_words(out, t->g, t->value);
    alm_buf_printf(out, " by %s ", t->period);
    status_span(out, t->a->status);
    alm_buf_puts(out, "</h3>\n");
    element(out, "p", "words", t->words);
    if (!t->cite[0] && !t->quote[0])
        return;
    alm_buf_puts(out, "<p class=\"meta\">Target set in: ");
    if (t->quote[0])
        wrapped(out, "<q>", t->quote, "</q> ");
    if (t->cite[0])
        wrapped(out, "&mdash; <cite>", t->cite, "</cite>");
    alm_buf_puts(out, "</p>\n");
}

static void sources_begin(struct alm_buf *out)
{
    alm_buf_puts(out, "<h3>Sources</h3>\n<ol class=\"cite\">\n");
}

static void source(const struct rsource *s, struct alm_buf *out)
{
    wrapped(out, "<li>", s->figure, "");
    if (s->ob->quote[0])
        wrapped(out, ". <q>", s->ob->quote, "</q>");
    if (s->cite[0])
        wrapped(out, " &mdash; <cite>", s->cite, "</cite>");
    alm_buf_puts(out, "</li>\n");
}

static void sources_end(struct alm_buf *out)
{
    alm_buf_puts(out, "</ol>\n");
}

static void indicator_end(struct alm_buf *out)
{
    alm_buf_puts(out, "</section>\n");
}

static void compare(const char *heading, const char *intro,
                    const struct alm_table *t, struct alm_buf *out)
{
    static const char *const head[] = {"Period",  "Published", "Source",
                                       "Derived", "Range",     "Difference",
                                       "Flag"};
    alm_buf_puts(out, "<section class=\"compare\">\n");
    element(out, "h2", NULL, heading);
    element(out, "p", NULL, intro);
    alm_buf_puts(out, "<table>\n<thead><tr>");
    for (size_t j = 0; j < t->ncols && j < 7; j++)
        wrapped(out, "<th>", head[j], "</th>");
    alm_buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < t->nrows; k++) {
        alm_buf_puts(out, "<tr>");
        for (long j = 0; j < (long)t->ncols; j++)
            wrapped(out, "<td>", alm_table_cell(t, k, j), "</td>");
        alm_buf_puts(out, "</tr>\n");
    }
    alm_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

static void methods(const char *text, struct alm_buf *out)
{
    alm_buf_puts(out, "<section id=\"methods\">\n<h2>Methods</h2>\n");
    element(out, "p", "words", text);
    alm_buf_puts(out, "</section>\n");
}

static void end(const struct facts *f, struct alm_buf *out)
{
    wrapped(out, "<footer>Made with Almanac from ", f->dir, "");
    alm_buf_printf(out, ", as of %s.</footer>\n</body>\n</html>\n", f->date);
}

const struct markup alm__report_html = {.begin = begin,
                                        .summary = summary,
                                        .indicator = indicator,
                                        .trend = trend,
                                        .proj_begin = proj_begin,
                                        .proj_row = proj_row,
                                        .proj_end = proj_end,
                                        .panel_end = panel_end,
                                        .target = target,
                                        .sources_begin = sources_begin,
                                        .source = source,
                                        .sources_end = sources_end,
                                        .indicator_end = indicator_end,
                                        .methods = methods,
                                        .compare = compare,
                                        .end = end};
