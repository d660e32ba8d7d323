/* The gnuplot script of a batch of charts (alm_chart_write_script): a
 * header comment, the theme (plots/theme.gp, loaded or inlined), then for
 * each chart its terminal and output and, inside `set multiplot`, one
 * panel per indicator. A panel sets everything it uses (margins, ranges,
 * tics, key, labels), so panels never inherit from the one before, and
 * undefines its datablocks when it is drawn. The layout is computed in
 * pixels of the canvas from the theme's spacing variables (alm_pad,
 * alm_title_h, ...), written as gnuplot expressions so that the theme
 * alone decides the spacing; text charts (the dumb terminal) use fixed
 * character cells instead.
 *
 * Appends go to buffers that remember their failure (buf.h): the writer
 * checks once, at the end of the script. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>
#include <almanac/transform.h>
#include <almanac/view.h>

#include "chart_internal.h"
#include "datadir.h"
#include "internal.h"

#ifndef ALMANAC_PLOTS_DIR
#define ALMANAC_PLOTS_DIR "plots"
#endif

const char *alm_chart_theme_path(char *buf, size_t size)
{
    char dir[4096];
    alm__data_dir("ALMANAC_PLOTS", "plots", "theme.gp", ALMANAC_PLOTS_DIR, dir,
                  sizeof dir);
    snprintf(buf, size, "%s/theme.gp", dir);
    return buf;
}

/* The publishers named in a panel's source line: at most three, and how
 * many more there are. */
struct publishers {
    const char *names[3];
    char ids[3][160]; /* a source not found is named by its id, kept here */
    size_t n, more;
};

/* Adds the publishers of the sources in list ("id;id") to pub. */
static void add_publishers(const struct alm_dataset *ds, const char *list,
                           struct publishers *pub)
{
    for (const char *s = list ? list : ""; *s;) {
        size_t len = strcspn(s, ";");
        char id[160];
        if (len < sizeof id) {
            memcpy(id, s, len);
            id[len] = '\0';
            long j = alm_dataset_find_source(ds, id);
            const char *name = id;
            if (j >= 0)
                name = ds->src[j].publisher[0] ? ds->src[j].publisher
                       : ds->src[j].title[0]   ? ds->src[j].title
                                               : ds->src[j].id;
            bool seen = false;
            for (size_t i = 0; i < pub->n && !seen; i++)
                seen = strcmp(pub->names[i], name) == 0;
            if (!seen && pub->n < 3) {
                if (name == id) {
                    memcpy(pub->ids[pub->n], id, len + 1);
                    name = pub->ids[pub->n];
                }
                pub->names[pub->n++] = name;
            } else if (!seen)
                pub->more++; /* may count a name twice: only a hint */
        }
        s += len;
        if (*s == ';')
            s++;
    }
}

/* Builds the source line of a panel: the publishers of the figures drawn
 * (else of the targets), the as-of date and the model. */
static enum alm_status source_text(const struct alm_dataset *ds,
                                   const struct alm_chart_opts *o,
                                   const struct panel *p, struct alm_buf *b)
{
    struct publishers pub = {{NULL}, {""}, 0, 0};
    /* Walk the sources of the figures drawn, newest first. */
    size_t total = p->nused + p->nother;
    const struct alm_table *tt = ds->tables[ALM_T_TARGETS];
    for (size_t k = total + p->ntgt; k-- > 0;) {
        if (k < p->nused)
            add_publishers(ds, ds->obs[p->used[k]].source, &pub);
        else if (k < total)
            add_publishers(ds, ds->obs[p->other[k - p->nused]].source, &pub);
        else if (total == 0)
            add_publishers(ds,
                           alm_table_cell(tt, ds->tgt[p->tgt[k - total]].row,
                                          alm_table_col(tt, "source")),
                           &pub);
    }
    alm_buf_puts(b, "Source: ");
    for (size_t i = 0; i < pub.n; i++)
        alm_buf_printf(b, "%s%s", i ? "; " : "", pub.names[i]);
    if (pub.more)
        alm_buf_printf(b, " and %zu more", pub.more);
    if (!pub.n)
        alm_buf_puts(b, "none given");
    char date[32];
    alm_as_of_format(o->proj.as_of, date, sizeof date);
    char flag[240];
    alm_projection_flag_summary(&p->proj, flag, sizeof flag, true);
    if (flag[0]) /* first, so that a caption cut short still says it */
        alm_buf_printf(b, ". %s, kept as computed", flag);
    alm_buf_printf(b, ". Figures %s, as of %s.",
                   alm__obs_computed(ds, alm__panel_latest(ds, p))
                       ? "computed from published ones"
                       : "as published",
                   date);
    if (p->proj.fitted) {
        char model[32], lv[32];
        alm_model_format(&p->proj.fit.model, model, sizeof model);
        alm_format_double(o->proj.level, lv, sizeof lv);
        alm_buf_printf(b, " Trend: Almanac, %s%s, %s%% prediction interval.",
                       model, p->proj.fit.chosen ? " (auto)" : "", lv);
    }
    return alm_buf_status(b);
}

/* Appends one tic "'TEXT' T" to the list. */
static void tic(struct alm_buf *b, bool *first, const char *text, double t)
{
    alm_buf_puts(b, *first ? "" : ", ");
    alm_gp_quote(b, text);
    alm_buf_printf(b, " %.17g", t);
    *first = false;
}

/* Quarters or months, labelled "2024 Q1" or "Jan 2024", at their middle,
 * one every step that leaves room for the labels. */
static void subyear_tics(const struct panel *p, double plot_px, double char_px,
                         struct alm_buf *b)
{
    char freq = p->in->freq;
    double span = p->xmax - p->xmin;
    int per_year = freq == 'Q' ? 4 : 12;
    double label_px = (freq == 'Q' ? 8 : 9) * char_px + (char_px > 1 ? 14 : 2);
    long count = (long)ceil(span * per_year) + 1;
    long fit = (long)(plot_px / label_px);
    static const int steps[] = {1, 2, 3, 4, 6, 12};
    int step = 12;
    for (size_t i = 0; i < 6; i++) {
        if (per_year == 4 && steps[i] == 3)
            continue;
        if (count / steps[i] + 1 <= (fit > 1 ? fit : 1)) {
            step = steps[i];
            break;
        }
    }
    bool first = true;
    for (long k = (long)floor(p->xmin * per_year);; k++) {
        double mid = ((double)k + 0.5) / per_year;
        if (mid > p->xmax)
            break;
        long year = k >= 0 ? k / per_year : -((-k - 1) / per_year) - 1;
        long sub = k - year * per_year;
        if (mid < p->xmin || sub % step)
            continue;
        char text[64];
        if (per_year == 4)
            snprintf(text, sizeof text, "%ld Q%ld", year, sub + 1);
        else
            snprintf(text, sizeof text, "%s %ld", alm__month_abbr[sub], year);
        tic(b, &first, text, mid);
    }
}

/* Years, or the months of a partial-year series ("Jan–Feb 2024"), at
 * their middle, one every step that leaves room for the labels. */
static void year_tics(const struct alm_dataset *ds, const struct panel *p,
                      double plot_px, double char_px, struct alm_buf *b)
{
    struct alm_period span_p = {ALM_PERIOD_YEAR, 0, 11, 0};
    bool is_span = false;
    if (p->in->freq == 'P' && p->nused) {
        span_p = ds->obs[p->used[0]].period;
        is_span = span_p.kind == ALM_PERIOD_SPAN;
    }
    char months[32] = "";
    if (is_span) {
        int a = (int)(((span_p.m0 % 12) + 12) % 12);
        int z = (int)(((span_p.m1 % 12) + 12) % 12);
        snprintf(months, sizeof months, "%s\xE2\x80\x93%s ", alm__month_abbr[a],
                 alm__month_abbr[z]);
    }
    double label_px = (is_span ? 12 : 4) * char_px + (char_px > 1 ? 16 : 3);
    long y0 = (long)floor(p->xmin), y1 = (long)floor(p->xmax);
    long fit = (long)(plot_px / label_px);
    if (fit < 2)
        fit = 2;
    static const long steps[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 500};
    long step = 1000;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if ((y1 - y0) / steps[i] + 1 <= fit) {
            step = steps[i];
            break;
        }
    }
    bool first = true;
    for (long y = y0; y <= y1; y++) {
        struct alm_period yp = span_p;
        long shift = y * 12 - (span_p.m0 - ((span_p.m0 % 12) + 12) % 12);
        yp.m0 += shift;
        yp.m1 += shift;
        double mid = is_span ? alm_period_time(&yp) : (double)y + 0.5;
        if (mid < p->xmin || mid > p->xmax || y % step)
            continue;
        char text[80];
        snprintf(text, sizeof text, "%s%ld", step == 1 ? months : "", y);
        tic(b, &first, text, mid);
    }
}

/* Writes the x tics of panel p: years (at the middle of each year, or of
 * the months a partial-year series covers), quarters or months for short
 * sub-annual series, each label quoted. plot_px is the plot's width. */
static void write_xtics(const struct alm_dataset *ds, const struct panel *p,
                        double plot_px, double char_px, struct alm_buf *b)
{
    char freq = p->in->freq;
    alm_buf_puts(b, "set xtics (");
    if ((freq == 'Q' || freq == 'M' || freq == 'D') && p->xmax - p->xmin <= 3.0)
        subyear_tics(p, plot_px, char_px, b);
    else
        year_tics(ds, p, plot_px, char_px, b);
    alm_buf_puts(b, ")\n");
}

/* The description of a frequency for the unit line; for a partial-year
 * series, the months it covers ("Jan\u2013Feb of each year", in buf). */
static const char *freq_words(const struct alm_dataset *ds,
                              const struct panel *p, char *buf, size_t size)
{
    char freq = p->in->freq;
    if (freq == 'P' && p->nused &&
        ds->obs[p->used[0]].period.kind == ALM_PERIOD_SPAN) {
        const struct alm_period *sp = &ds->obs[p->used[0]].period;
        snprintf(buf, size, "%s\xE2\x80\x93%s of each year",
                 alm__month_abbr[((sp->m0 % 12) + 12) % 12],
                 alm__month_abbr[((sp->m1 % 12) + 12) % 12]);
        return buf;
    }
    /* The chart's words where they are not the messages' ones. */
    if (freq == 'P')
        return "same months of each year";
    if (freq != 'A' && freq != 'Q' && freq != 'M' && freq != 'D')
        return "counted at varying dates";
    return alm_freq_name(freq);
}

/* ---- a panel's frame and texts ----------------------------------------------
 */

static const struct metrics image_metrics = {
    "alm_pad",    "alm_title_h", "alm_key_h",   "alm_unit_h",
    "alm_line_h", "alm_xtics_h", "alm_ytics_w", "alm_right_w"};

static const struct metrics text_metrics = {
    "alm_t_pad",    "alm_t_title_h", "alm_t_key_h",   "alm_t_unit_h",
    "alm_t_line_h", "alm_t_xtics_h", "alm_t_ytics_w", "alm_t_right_w"};

void alm__gp_label(struct alm_buf *b, const char *text, const char *fmt, ...)
{
    alm_buf_puts(b, "set label ");
    alm_gp_quote(b, text);
    va_list ap;
    va_start(ap, fmt);
    alm_buf_vprintf(b, fmt, ap);
    va_end(ap);
    alm_buf_puts(b, " noenhanced\n");
}

enum alm_status alm__texts_build(const struct alm_dataset *ds,
                                 const struct alm_chart_opts *o,
                                 const struct panel *p, const struct box *x,
                                 double usable, struct texts *t,
                                 struct alm_error *err)
{
    bool text = x->type == ALM_CHART_TEXT;
    double cpx = text ? 1 : SMALL_CHAR_PX;
    struct alm_buf q = ALM_BUF_INIT, s = ALM_BUF_INIT;
    memset(t, 0, sizeof *t);
    enum alm_status st = alm__wrap_text(
        p->in->title, (size_t)(usable / (text ? 1 : TITLE_CHAR_PX)),
        TITLE_LINES, &t->title);
    const struct alm_obs *latest = alm__panel_latest(ds, p);
    if (st == ALM_OK && latest && latest->quote && latest->quote[0] && !text) {
        alm_buf_printf(&q, "\xE2\x80\x9C%s\xE2\x80\x9D", latest->quote);
        st = alm_buf_status(&q);
        if (st == ALM_OK)
            st = alm__wrap_text(q.s, (size_t)(usable / cpx), QUOTE_LINES,
                                &t->quote);
    }
    if (st == ALM_OK)
        st = source_text(ds, o, p, &s);
    if (st == ALM_OK)
        st = alm__wrap_text(s.s, (size_t)(usable / cpx),
                            text ? 1 : SOURCE_LINES, &t->source);
    alm_buf_puts(&t->unit, p->unit);
    if (p->nlused)
        alm_buf_printf(&t->unit2, "level%s%s, right axis",
                       p->lunit[0] ? ": " : "", p->lunit);
    if (!text) {
        char fw[64];
        alm_buf_printf(&t->unit, "%s%s", t->unit.len ? ", " : "",
                       freq_words(ds, p, fw, sizeof fw));
    }
    if (st == ALM_OK)
        st = alm_buf_status(&t->unit);
    alm_buf_release(&q);
    alm_buf_release(&s);
    if (st != ALM_OK)
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory writing the texts of "
                        "'%s'",
                        p->in->id);
    return ALM_OK;
}

void alm__texts_release(struct texts *t)
{
    alm__lines_release(&t->title);
    alm__lines_release(&t->quote);
    alm__lines_release(&t->source);
    alm_buf_release(&t->unit);
    alm_buf_release(&t->unit2);
}

void alm__write_frame(struct alm_buf *b, const struct alm_dataset *ds,
                      const struct panel *p, const struct box *x,
                      const struct texts *t, size_t nkey, size_t key_rows)
{
    const struct metrics *m = x->m;
    bool text = x->type == ALM_CHART_TEXT;
    /* The panel's place, then margins in pixels from the canvas's bottom
     * left. */
    alm_buf_printf(b,
                   "\n# panel %zu: %s\n"
                   "unset label\nunset arrow\nunset object\n"
                   "alm_x0 = %.17g; alm_y0 = %.17g; alm_w = %.17g; "
                   "alm_h = %.17g\n",
                   p->no, p->in->id, x->x0, x->y0, x->w, x->h);
    alm_buf_printf(b,
                   "alm_top = alm_y0 + alm_h - %s - %zu*%s - %zu*%s - %s\n"
                   "alm_bottom = alm_y0 + %s + %zu*%s + %s\n"
                   "set lmargin at screen (alm_x0 + %s)/alm_cw\n"
                   "set rmargin at screen (alm_x0 + alm_w - %s%s%s)/alm_cw\n"
                   "set tmargin at screen alm_top/alm_ch\n"
                   "set bmargin at screen alm_bottom/alm_ch\n",
                   m->pad, t->title.n, m->title_h, key_rows, m->key_h,
                   m->unit_h, m->pad, t->quote.n + t->source.n, m->line_h,
                   m->xtics_h, m->ytics_w, m->right_w, p->nlused ? " - " : "",
                   p->nlused ? m->ytics_w : "");
    /* Ranges and tics. */
    alm_buf_printf(b, "set xrange [%.17g:%.17g]\n", p->xmin, p->xmax);
    write_xtics(ds, p, x->w - (text ? 18 : 128), text ? 1 : TIC_CHAR_PX, b);
    alm_buf_printf(b,
                   "set yrange [%.17g:%.17g]\n"
                   "set ytics %.17g, %.17g, %.17g\n"
                   "set format y '%%.%df'\n",
                   p->ylo, p->yhi, p->ylo, p->ystep, p->yhi, p->ydec);
    /* The level's axis on the right, its tic labels past the room the
     * labels at the end of the lines take (alm__panel_collect). */
    if (p->nlused)
        alm_buf_printf(b,
                       "set y2range [%.17g:%.17g]\n"
                       "set y2tics %.17g, %.17g, %.17g nomirror scale 0 "
                       "offset character (%s)/%s, 0 textcolor rgb alm_muted\n"
                       "set format y2 '%%.%df'\n",
                       p->y2lo, p->y2hi, p->y2lo, p->y2step, p->y2hi,
                       m->right_w, text ? "1.0" : "7.0", p->y2dec);
    if (text && nkey)
        alm_buf_printf(b,
                       "set key at screen alm_x0/alm_cw, screen "
                       "(alm_y0 + alm_h - %s - %zu*%s)/alm_ch left top "
                       "horizontal Left reverse noenhanced samplen 2 "
                       "maxrows %zu\n",
                       m->pad, t->title.n, m->title_h, key_rows);
    else
        alm_buf_puts(b, "unset key\n");
}

void alm__write_texts(struct alm_buf *b, const struct box *x,
                      const struct texts *t)
{
    const struct metrics *m = x->m;
    bool text = x->type == ALM_CHART_TEXT;
    const char *font_title = text ? "" : " font alm_title_font";
    const char *font_small = text ? "" : " font alm_small_font";
    for (size_t i = 0; i < t->title.n; i++)
        alm__gp_label(b, t->title.s[i],
                      " at screen (alm_x0 + %s)/alm_cw, screen (alm_y0 + "
                      "alm_h - %s - (%zu + 0.5)*%s)/alm_ch left%s tc rgb "
                      "alm_text front",
                      m->pad, m->pad, i, m->title_h, font_title);
    if (t->unit.len)
        alm__gp_label(b, t->unit.s,
                      " at screen (alm_x0 + %s)/alm_cw, screen (alm_top + "
                      "0.5*%s)/alm_ch left%s tc rgb alm_muted front",
                      m->pad, m->unit_h, font_small);
    if (t->unit2.len)
        alm__gp_label(b, t->unit2.s,
                      " at screen (alm_x0 + alm_w - %s)/alm_cw, screen "
                      "(alm_top + 0.5*%s)/alm_ch right%s tc rgb alm_muted "
                      "front",
                      m->pad, m->unit_h, font_small);
    size_t nbottom = t->quote.n + t->source.n;
    for (size_t i = 0; i < nbottom; i++) {
        /* From the bottom: source lines, then quote lines above them. */
        const char *line = i < t->source.n
                               ? t->source.s[t->source.n - 1 - i]
                               : t->quote.s[t->quote.n - 1 - (i - t->source.n)];
        alm__gp_label(b, line,
                      " at screen (alm_x0 + %s)/alm_cw, screen (alm_y0 + %s + "
                      "(%zu + 0.5)*%s)/alm_ch left%s tc rgb alm_muted front",
                      m->pad, m->pad, i, m->line_h, font_small);
    }
}

/* ---- the script -------------------------------------------------------------
 */

/* The theme: loaded by path, or its text copied in. */
static enum alm_status write_theme(const struct alm_chart_opts *o,
                                   struct alm_buf *b, struct alm_error *err)
{
    char path[4096];
    const char *theme =
        o->theme ? o->theme : alm_chart_theme_path(path, sizeof path);
    if (!o->inline_theme) {
        alm_buf_puts(b, "load ");
        alm_gp_quote(b, theme);
        alm_buf_putc(b, '\n');
        return ALM_OK;
    }
    struct alm_buf t = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(theme, 1024 * 1024, &t, err);
    if (st != ALM_OK) {
        alm_error_locate(err, theme, 0, NULL);
        return st;
    }
    alm_buf_puts(b, "\n# ---- the theme (plots/theme.gp) ----\n");
    if (t.len)
        alm_buf_add(b, t.s, t.len);
    if (t.len && t.s[t.len - 1] != '\n')
        alm_buf_putc(b, '\n');
    alm_buf_puts(b, "# ---- end of the theme ----\n");
    alm_buf_release(&t);
    return ALM_OK;
}

/* Columns of a chart's grid of panels. */
static size_t grid_cols(const struct alm_chart *c)
{
    return c->type == ALM_CHART_TEXT || c->nind <= 3 ? 1 : 2;
}

/* The size of a chart: as asked, else a default panel each. */
static void chart_size(const struct alm_chart *c, int *w, int *h)
{
    size_t cols = grid_cols(c), rows = (c->nind + cols - 1) / cols;
    bool text = c->type == ALM_CHART_TEXT;
    *w = c->width > 0
             ? c->width
             : (int)cols * (text ? ALM_CHART_TEXT_WIDTH : ALM_CHART_WIDTH);
    *h = c->height > 0
             ? c->height
             : (int)rows * (text ? ALM_CHART_TEXT_HEIGHT : ALM_CHART_HEIGHT);
}

static enum alm_status write_terminal(const struct alm_chart *c,
                                      struct alm_buf *b)
{
    int w, h;
    chart_size(c, &w, &h);
    static const char font[] = "font sprintf('%s,%g', alm_font, alm_font_size)";
    switch (c->type) {
    case ALM_CHART_PNG:
        return alm_buf_printf(b,
                              "set terminal pngcairo size %d,%d noenhanced "
                              "%s background rgb alm_background\n",
                              w, h, font);
    case ALM_CHART_SVG:
        return alm_buf_printf(b,
                              "set terminal svg size %d,%d fixed noenhanced "
                              "%s background rgb alm_background\n",
                              w, h, font);
    case ALM_CHART_PDF:
        /* A page of the image's proportions at 72 points per inch, so
         * that fonts and lines keep their size relative to the chart. */
        return alm_buf_printf(
            b,
            "set terminal pdfcairo size %.17gin,%.17gin "
            "noenhanced %s fontscale 1 linewidth 2 background rgb "
            "alm_background\n",
            w / 72.0, h / 72.0, font);
    default:
        return alm_buf_printf(b, "set terminal dumb size %d,%d noenhanced\n", w,
                              h);
    }
}

/* Writes chart c's terminal, output and panels; no is the number of the
 * panels before it. */
static enum alm_status write_chart(const struct alm_dataset *ds,
                                   struct alm_fit_ws *w,
                                   const struct alm_chart *c, size_t i,
                                   size_t *no, const struct alm_chart_opts *o,
                                   struct alm_buf *out, struct alm_error *err)
{
    int cw, ch;
    chart_size(c, &cw, &ch);
    alm_buf_printf(out, "\n# ---- chart %zu ----\n", i + 1);
    write_terminal(c, out);
    /* The dumb terminal counts columns by characters only in UTF-8 mode;
     * the others take UTF-8 always. */
    alm_buf_printf(out, "%sset termoption noenhanced\neval %s\nset output",
                   c->type == ALM_CHART_TEXT ? "set encoding utf8\n" : "",
                   c->type == ALM_CHART_TEXT ? "alm_text_axes"
                                             : "alm_image_axes");
    if (c->output) {
        alm_buf_putc(out, ' ');
        alm_gp_quote(out, c->output);
    }
    alm_buf_printf(out, "\nalm_cw = %d.0; alm_ch = %d.0\nset multiplot\n", cw,
                   ch);
    size_t cols = grid_cols(c), rows = (c->nind + cols - 1) / cols;
    const struct metrics *m =
        c->type == ALM_CHART_TEXT ? &text_metrics : &image_metrics;
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < c->nind && st == ALM_OK; k++) {
        struct panel p;
        memset(&p, 0, sizeof p);
        p.no = ++*no;
        struct box x = {c->type, m, 0, 0, 0, 0};
        x.w = (double)cw / (double)cols;
        x.h = (double)ch / (double)rows;
        size_t row = k / cols, col = k % cols; /* the panel's cell */
        x.x0 = x.w * (double)col;
        x.y0 = (double)ch - x.h * (double)(row + 1);
        st = alm__panel_collect(ds, w, o, c->ind[k], &p, err);
        if (st == ALM_OK)
            st = alm__write_panel(ds, o, &p, &x, out, err);
        alm__panel_release(&p);
    }
    alm_buf_puts(out, "unset multiplot\nunset output\n");
    return st;
}

enum alm_status alm_chart_write_script(const struct alm_dataset *ds,
                                       const struct alm_chart *charts, size_t n,
                                       const struct alm_chart_opts *o,
                                       struct alm_buf *out,
                                       struct alm_error *err)
{
    struct alm_fit_ws *w = alm_fit_ws_new(alm_dataset_longest(ds), err);
    if (!w)
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory making the fit workspace");
    char date[32];
    alm_as_of_format(o->proj.as_of, date, sizeof date);
    alm_buf_printf(
        out,
        "# Written by almanac chart: the figures as of %s. Data inline;\n"
        "# gnuplot 5.4 or later redraws it without Almanac: gnuplot "
        "FILE.gp\n",
        date);
    enum alm_status st = write_theme(o, out, err);
    size_t no = 0;
    for (size_t i = 0; i < n && st == ALM_OK; i++)
        st = write_chart(ds, w, &charts[i], i, &no, o, out, err);
    alm_fit_ws_free(w);
    if (st == ALM_OK)
        st = alm_buf_check(out, err, "the chart script");
    return st;
}
