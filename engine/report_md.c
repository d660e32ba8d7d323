/* The Markdown backend of the report walk (report_internal.h): charts as
 * PNG files in the folder beside the document, every text from the
 * dataset through alm_md_escape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/report.h>

#include "internal.h"
#include "report_internal.h"

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

/* prefix, the escaped text, suffix. */
static void line(struct alm_buf *out, const char *prefix, const char *text,
                 const char *suffix)
{
    alm_buf_puts(out, prefix);
    alm_md_escape(out, text);
    alm_buf_puts(out, suffix);
}

/* Each line of words as a list item. */
static void items(struct alm_buf *out, const char *words)
{
    const char *p = words;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *one = alm__strndup(p, n);
        if (!one) {
            alm_buf_mark_failed(out);
            return;
        }
        if (n)
            line(out, "- ", one, "\n");
        free(one);
        p += n + (nl ? 1 : 0);
    }
}

static void begin(const struct facts *f, struct alm_buf *out)
{
    const struct alm_report_opts *o = f->o;
    line(out, "# ", f->title, "\n\n");
    /* The dataset's description (about.csv): alm_md_escape makes its
     * line breaks spaces, so that none starts a heading or a list. */
    if (f->ds->description && f->ds->description[0])
        line(out, "", f->ds->description, "\n\n");
    alm_buf_printf(out,
                   "Figures as published by **%s** · %zu indicators, %zu "
                   "targets · projections %s%s with %s%% prediction "
                   "intervals\n\n## Summary\n\n",
                   f->date, f->ds->nind, f->ntrack,
                   o->to ? "to " : "to each indicator's horizon",
                   o->to ? o->to : "", f->level);
}

static void summary(const struct facts *f, struct alm_table *t,
                    struct alm_buf *out)
{
    (void)f;
    alm_buf_puts(out, "| Indicator | Latest | Change | Trend (model) | "
                      "Projection | Target |\n|---|---|---|---|---|---|\n");
    for (size_t k = 0; k < t->nrows; k++) {
        for (long j = 0; j < 6; j++)
            line(out, "| ", alm_table_cell(t, k, j), " ");
        alm_buf_puts(out, "|\n");
    }
}

static void indicator(const struct facts *f, size_t k, struct alm_buf *out)
{
    const struct alm_indicator *in = &f->ds->ind[k];
    line(out, "\n## ", in->title, "\n\n");
    line(out, "`", in->id, "`");
    line(out, " · unit: ", in->unit[0] ? in->unit : "none", "");
    alm_buf_printf(out, " · kind: %s · frequency: %c\n\n",
                   alm_kind_name(in->kind), in->freq);
    if (f->unchartable && f->unchartable[k])
        line(out, "No chart: ", f->unchartable[k], "\n\n");
    else if (f->o->charts_dir && f->proj[k].n > 0)
        alm_buf_printf(out, "![%s](%s/%s.png)\n\n", in->id, f->o->charts_href,
                       in->id);
}

/* The model's words and the note, as one list. */
static void trend(const struct facts *f, size_t k, const char *words,
                  struct alm_buf *out)
{
    const struct alm_projection *p = &f->proj[k];
    struct alm_buf all = ALM_BUF_INIT;
    alm_buf_puts(&all, words);
    if (p->note[0])
        alm_buf_printf(&all, "note: %s\n", p->note);
    if (alm_buf_status(&all) != ALM_OK)
        alm_buf_mark_failed(out);
    else
        items(out, all.s);
    alm_buf_release(&all);
}

static void proj_begin(struct alm_buf *out)
{
    alm_buf_puts(out, "\n| Period | Projection | Lower | Upper |\n"
                      "|---|---:|---:|---:|\n");
}

static void proj_row(const char *period, const char *value, const char *lower,
                     const char *upper, struct alm_buf *out)
{
    alm_buf_printf(out, "| %s | %s | %s | %s |\n", period, value, lower, upper);
}

static void target(const struct rtarget *t, struct alm_buf *out)
{
    alm_buf_printf(out, "\n### Target: %s ", t->g->direction > 0 ? "≥" : "≤");
    line(out, alm_qualifier_text(t->g->qual), t->value, "");
    alm_buf_printf(out, " by %s — %s %s\n\n", t->period,
                   alm__status_marker(t->a->status), t->a->status);
    items(out, t->words);
    if (t->quote[0])
        line(out, "\nTarget set in: “", t->quote, "”");
    if (t->cite[0])
        line(out, t->quote[0] ? " — *" : "\nTarget set in: *", t->cite, "*");
    if (t->quote[0] || t->cite[0])
        alm_buf_putc(out, '\n');
}

static void sources_begin(struct alm_buf *out)
{
    alm_buf_puts(out, "\n### Sources\n\n");
}

static void source(const struct rsource *s, struct alm_buf *out)
{
    alm_buf_printf(out, "%zu. ", s->no);
    alm_md_escape(out, s->figure);
    if (s->ob->quote[0])
        line(out, ". “", s->ob->quote, "”");
    if (s->cite[0])
        line(out, " — *", s->cite, "*");
    alm_buf_putc(out, '\n');
}

static void compare(const char *heading, const char *intro,
                    const struct alm_table *t, struct alm_buf *out)
{
    line(out, "\n## ", heading, "\n\n");
    line(out, "", intro, "\n\n");
    alm_buf_puts(out,
                 "| Period | Published | Source | Derived | Range | "
                 "Difference | Flag |\n|---|---:|---|---:|---|---:|---|\n");
    for (size_t k = 0; k < t->nrows; k++) {
        for (long j = 0; j < (long)t->ncols; j++)
            line(out, "| ", alm_table_cell(t, k, j), " ");
        alm_buf_puts(out, "|\n");
    }
}

/* Each line of the text a paragraph. */
static void methods(const char *text, struct alm_buf *out)
{
    alm_buf_puts(out, "\n## Methods\n\n");
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        alm_buf_add(out, p, n);
        alm_buf_puts(out, "\n\n");
        p += n + (nl ? 1 : 0);
    }
}

static void end(const struct facts *f, struct alm_buf *out)
{
    line(out, "---\n\nMade with Almanac from ", f->dir, "");
    alm_buf_printf(out, ", as of %s.\n", f->date);
}

const struct markup alm__report_md = {.begin = begin,
                                      .summary = summary,
                                      .indicator = indicator,
                                      .trend = trend,
                                      .proj_begin = proj_begin,
                                      .proj_row = proj_row,
                                      .target = target,
                                      .sources_begin = sources_begin,
                                      .source = source,
                                      .methods = methods,
                                      .compare = compare,
                                      .end = end};
