/* A panel's key, the labels on its data, its datablocks and its plot
 * command, and the panel as a whole (alm__write_panel). Appends go to a
 * buffer that remembers its failure (buf.h), checked by the script's
 * writer once at the end. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/utf8.h>
#include <almanac/view.h>

#include "chart_internal.h"
#include "internal.h"

static const char *const pclass_name[] = {"stated", "about", "over", "under",
                                          "forecast"};
static const char *const pclass_title[] = {"published", "about (~)", "over (>)",
                                           "under (<)", "forecast (F)"};
static const enum gp_style pclass_ls[] = {LS_STATED, LS_ABOUT, LS_OVER,
                                          LS_UNDER, LS_FORECAST};

/* The key's name of points of class c: "computed" rather than
 * "published" for a series computed from published figures. */
static const char *class_title(const struct alm_dataset *ds,
                               const struct panel *p, int c)
{
    if (c == PC_STATED && alm__obs_computed(ds, alm__panel_latest(ds, p)))
        return "computed";
    return pclass_title[c];
}

/* ---- the key ---------------------------------------------------------------
 */

/* One entry of a key drawn by hand: its sample (a line, a point, both,
 * or the band under a line), the line styles of the theme it shows, its
 * text, and where it goes. */
enum ksample { KS_LINE, KS_POINT, KS_LINEPOINT, KS_BAND };
struct kentry {
    enum ksample how;
    enum gp_style ls, ls2; /* the line's style and the point's (or band's) */
    const char *title;
    double x;   /* from the key's left, pixels (cells for text) */
    size_t row; /* from the top */
};

/* The key of a panel and what it tells about the panel's points. */
struct key {
    struct kentry e[12];
    size_t n, rows;
    bool has[PC_COUNT]; /* which kinds of points the panel has */
    size_t nline;       /* figures on the line (forecasts apart) */
    char trend_title[96], band_title[96];
};

/* Places the n entries in rows no wider than width; returns the rows.
 * Text charts use gnuplot's own key (the dumb terminal cannot draw a
 * point in a label), whose entries all take the widest one's room. */
static size_t key_layout(struct kentry *e, size_t n, double width, bool text)
{
    if (text) {
        size_t widest = 0;
        for (size_t i = 0; i < n; i++) {
            size_t tw = alm_utf8_text_width(e[i].title);
            widest = tw > widest ? tw : widest;
        }
        size_t cols = (size_t)(width / (double)(widest + 8));
        cols = cols ? cols : 1;
        /* The dumb terminal leaves a blank line above its key. */
        return n ? (n + cols - 1) / cols + 1 : 0;
    }
    double x = 0;
    size_t row = 0;
    for (size_t i = 0; i < n; i++) {
        double w =
            30 + (double)alm_utf8_text_width(e[i].title) * KEY_CHAR_PX + 20;
        if (x > 0 && x + w > width) {
            row++;
            x = 0;
        }
        e[i].x = x;
        e[i].row = row;
        x += w;
    }
    return n ? row + 1 : 0;
}

static void key_add(struct key *k, enum ksample how, enum gp_style ls,
                    enum gp_style ls2, const char *title)
{
    k->e[k->n++] = (struct kentry){how, ls, ls2, title, 0, 0};
}

/* The entries of p's key: the kinds of points it has, other vintages, the
 * trend, the projection, the targets. */
static void key_build(const struct alm_dataset *ds,
                      const struct alm_chart_opts *o, const struct panel *p,
                      double usable, bool text, struct key *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < p->nused; i++) {
        const struct alm_obs *ob = &ds->obs[p->used[i]];
        k->has[alm__pclass_of(ob)] = true;
        k->nline += ob->status != 'F';
    }
    for (int c = 0; c < PC_COUNT; c++)
        if (k->has[c])
            key_add(k, c == PC_STATED && k->nline > 1 ? KS_LINEPOINT : KS_POINT,
                    c == PC_STATED ? LS_LINE : pclass_ls[c], pclass_ls[c],
                    class_title(ds, p, c));
    if (p->nother)
        key_add(k, KS_POINT, LS_OTHER, LS_OTHER, "other vintages");
    if (p->nlused)
        key_add(k, KS_LINEPOINT, LS_OTHER, LS_OTHER, "level, right axis");
    const struct alm_fit *fit = &p->proj.fit;
    if (p->proj.fitted) {
        char model[32], lv[32];
        alm_model_format(&fit->model, model, sizeof model);
        snprintf(k->trend_title, sizeof k->trend_title, "trend: %s%s", model,
                 fit->chosen ? " (auto)" : "");
        key_add(k, KS_LINE, LS_TREND, LS_TREND, k->trend_title);
        alm_format_double(o->proj.level, lv, sizeof lv);
        if (p->proj.nrows) {
            snprintf(k->band_title, sizeof k->band_title, "projection%s%s%s",
                     fit->has_interval ? ", " : "", fit->has_interval ? lv : "",
                     fit->has_interval ? "% interval" : "");
            key_add(k, fit->has_interval ? KS_BAND : KS_LINE, LS_PROJ, LS_BAND,
                    k->band_title);
        }
    }
    if (p->ntgt)
        key_add(k, KS_POINT, LS_TARGET, LS_TARGET, "target");
    k->rows = key_layout(k->e, k->n, usable, text);
}

/* Draws the key entries of an image under the title lines of the panel
 * (text charts use gnuplot's key, set up with the frame). */
static void key_write(struct alm_buf *b, const struct key *k,
                      const struct metrics *m, size_t title_lines)
{
    const double sw = 24, to = 30, half = 5;
    if (k->n)
        alm_buf_printf(b, "alm_key = alm_y0 + alm_h - %s - %zu*%s\n", m->pad,
                       title_lines, m->title_h);
    for (size_t i = 0; i < k->n; i++) {
        const struct kentry *e = &k->e[i];
        struct alm_buf x0 = ALM_BUF_INIT, y = ALM_BUF_INIT;
        alm_buf_printf(&x0, "alm_x0 + %s + %.5g", m->pad, e->x);
        alm_buf_printf(&y, "alm_key - (%zu + 0.5)*%s", e->row, m->key_h);
        const char *xs = x0.s ? x0.s : "", *ys = y.s ? y.s : "";
        if (e->how == KS_BAND)
            alm_buf_printf(
                b,
                "set object rectangle from screen (%s)/alm_cw, screen "
                "(%s - %.5g)/alm_ch to screen (%s + %.5g)/alm_cw, screen "
                "(%s + %.5g)/alm_ch fc ls %d fillstyle transparent solid "
                "alm_band_alpha noborder front\n",
                xs, ys, half, xs, sw, ys, half, (int)e->ls2);
        if (e->how != KS_POINT)
            alm_buf_printf(b,
                           "set arrow from screen (%s)/alm_cw, screen "
                           "(%s)/alm_ch to screen (%s + %.5g)/alm_cw, "
                           "screen (%s)/alm_ch nohead ls %d front\n",
                           xs, ys, xs, sw, ys, (int)e->ls);
        if (e->how == KS_POINT || e->how == KS_LINEPOINT)
            alm_buf_printf(b,
                           "set label '' at screen (%s + %.5g)/alm_cw, "
                           "screen (%s)/alm_ch point ls %d front noenhanced\n",
                           xs, sw / 2, ys, (int)e->ls2);
        alm__gp_label(b, e->title,
                      " at screen (%s + %.5g)/alm_cw, screen (%s)/alm_ch "
                      "left tc rgb alm_text front",
                      xs, to, ys);
        alm_buf_release(&x0);
        alm_buf_release(&y);
    }
}

/* ---- labels on the data ----------------------------------------------------
 */

/* A value as a label shows it: as published at scale 1, else scaled; a
 * figure computed from published ones (series.h) in 4 digits. */
static void value_text(const char *published, double value, bool computed,
                       const struct panel *p, char *out, size_t size)
{
    if (p->scale == 1 && !computed)
        snprintf(out, size, "%s", published);
    else
        alm_format_number(value / p->scale, 4, ALM_NUM_TRIM, out, size);
}

/* The latest figure, the end of the projection and the targets. */
static void label_points(struct alm_buf *b, const struct alm_dataset *ds,
                         const struct panel *p, const char *lfont)
{
    const struct alm_obs *latest = alm__panel_latest(ds, p);
    char val[64];
    if (latest) {
        value_text(latest->value_text, latest->value,
                   alm__obs_computed(ds, latest), p, val, sizeof val);
        char lab[96];
        snprintf(lab, sizeof lab, "%s%s",
                 latest->qual == ALM_QUAL_NONE
                     ? ""
                     : alm_qualifier_text(latest->qual),
                 val);
        alm__gp_label(b, lab,
                      " at first %.17g, first %.17g center offset 0, char 1.1 "
                      "%stc rgb alm_obs front",
                      alm_period_time(&latest->period),
                      latest->value / p->scale, lfont);
    }
    if (p->proj.fitted && p->proj.nrows) {
        const struct alm_projection_row *r = &p->proj.rows[p->proj.nrows - 1];
        alm_format_number(r->f.value / p->scale, 3, ALM_NUM_TRIM, val,
                          sizeof val);
        if (r->value_out) /* the caption says why */
            snprintf(val + strlen(val), sizeof val - strlen(val),
                     " (impossible)");
        alm__gp_label(b, val,
                      " at first %.17g, first %.17g left offset char 0.8, 0 "
                      "%stc rgb alm_proj front",
                      r->t, r->f.value / p->scale, lfont);
    }
    for (size_t i = 0; i < p->ntgt; i++) {
        const struct alm_target *g = &ds->tgt[p->tgt[i]];
        char lab[96];
        value_text(g->value_text, g->value, false, p, val, sizeof val);
        snprintf(lab, sizeof lab, "target %s%s%s",
                 g->direction > 0 ? "\xE2\x89\xA5" : "\xE2\x89\xA4",
                 g->qual == ALM_QUAL_ABOUT ? "~" : "", val);
        alm__gp_label(b, lab,
                      " at first %.17g, first %.17g center offset 0, char 1.3 "
                      "%stc rgb alm_target front",
                      alm__target_time(ds, p->tgt[i]), g->value / p->scale,
                      lfont);
    }
}

/* Other vintages, each with its value and publication date, while they
 * are few enough to read. */
static void label_vintages(struct alm_buf *b, const struct alm_dataset *ds,
                           const struct panel *p, const char *small)
{
    for (size_t i = 0; i < p->nother && p->nother <= 8; i++) {
        const struct alm_obs *ob = &ds->obs[p->other[i]];
        char val[64], date[16] = "", lab[96];
        value_text(ob->value_text, ob->value, alm__obs_computed(ds, ob), p, val,
                   sizeof val);
        if (ob->vintage != ALM_DATE_NONE)
            alm_date_format(ob->vintage, date, sizeof date);
        snprintf(lab, sizeof lab, "%s%s%s%s",
                 ob->qual == ALM_QUAL_NONE ? "" : alm_qualifier_text(ob->qual),
                 val, date[0] ? ", " : "", date);
        alm__gp_label(b, lab,
                      " at first %.17g, first %.17g left offset char 0.7, "
                      "char -0.8 %stc rgb alm_other front",
                      alm_period_time(&ob->period), ob->value / p->scale,
                      small);
    }
}

/* Breaks in the series, the zero line, a note when there is no trend. */
static void label_notes(struct alm_buf *b, const struct alm_dataset *ds,
                        const struct panel *p, bool text, const char *small)
{
    int lsb = text ? LS_TEXT : 0;
    for (size_t i = 0; i < p->nused; i++) {
        const struct alm_obs *ob = &ds->obs[p->used[i]];
        if (ob->status != 'B')
            continue;
        double tb = (double)ob->period.m0 / 12.0;
        alm_buf_printf(b,
                       "set arrow from first %.17g, graph 0 to first "
                       "%.17g, graph 1 nohead ls %d back\n",
                       tb, tb, lsb + LS_BREAK);
        alm__gp_label(b, "break in series",
                      " at first %.17g, graph 0.97 left offset char 0.4, 0 "
                      "%stc rgb alm_muted front",
                      tb, small);
    }
    if (p->ylo < 0 && p->yhi > 0)
        alm_buf_printf(b,
                       "set arrow from graph 0, first 0 to graph 1, "
                       "first 0 nohead ls %d back\n",
                       lsb + LS_ZERO);
    if (!p->proj.fitted) {
        struct alm_buf n = ALM_BUF_INIT;
        alm_buf_printf(&n, "no trend: %s",
                       p->proj.note[0] ? p->proj.note : "no data");
        alm__gp_label(b, n.s ? n.s : "",
                      " at graph 0.02, graph 0.94 left%s tc rgb alm_muted "
                      "front",
                      text ? "" : " font alm_small_font");
        alm_buf_release(&n);
    }
}

void alm__plot_labels(struct alm_buf *b, const struct alm_dataset *ds,
                      const struct panel *p, const struct box *x)
{
    bool text = x->type == ALM_CHART_TEXT;
    const char *small = text ? "" : "font alm_small_font ";
    label_points(b, ds, p, text ? "" : "font alm_label_font ");
    label_vintages(b, ds, p, small);
    label_notes(b, ds, p, text, small);
}

/* ---- the data --------------------------------------------------------------
 */

/* A panel's plot command as it is built, with the datablocks it uses
 * (undefined once drawn) and room for one datablock's rows. */
struct plot {
    struct alm_buf *b; /* the script */
    struct alm_buf cmd, undef;
    size_t no;
    bool first;
    int lsb; /* LS_TEXT for text charts, else 0 */
    double *v;
};

/* Writes a number of a datablock; gnuplot reads NaN as a missing point
 * (an interval bound that overflowed, say). */
static void put_num(struct alm_buf *b, double x)
{
    if (!isfinite(x))
        alm_buf_puts(b, "NaN");
    else
        alm_buf_printf(b, "%.17g", x);
}

/* Writes the datablock name of nrow rows of ncol numbers from pl->v. */
static void datablock(struct plot *pl, const char *name, size_t nrow,
                      size_t ncol)
{
    alm_buf_printf(pl->b, "$alm_p%zu_%s << EOD\n", pl->no, name);
    alm_buf_printf(&pl->undef, " $alm_p%zu_%s", pl->no, name);
    for (size_t i = 0; i < nrow; i++) {
        for (size_t j = 0; j < ncol; j++) {
            if (j)
                alm_buf_putc(pl->b, ' ');
            put_num(pl->b, pl->v[i * ncol + j]);
        }
        alm_buf_putc(pl->b, '\n');
    }
    alm_buf_puts(pl->b, "EOD\n");
}

/* Appends one plot element ("$alm_p1_x using 1:2 with lines ls N title
 * '...'"), separated from the one before by a comma, in line style
 * pl->lsb + ls; title NULL is notitle. */
static void element(struct plot *pl, const char *block, const char *cols,
                    const char *with, enum gp_style ls, const char *title)
{
    alm_buf_printf(&pl->cmd, "%s$alm_p%zu_%s using %s with %s ls %d",
                   pl->first ? "plot " : ", \\\n     ", pl->no, block, cols,
                   with, pl->lsb + (int)ls);
    pl->first = false;
    if (title) {
        alm_buf_puts(&pl->cmd, " title ");
        alm_gp_quote(&pl->cmd, title);
    } else {
        alm_buf_puts(&pl->cmd, " notitle");
    }
}

/* One row of the projection's datablock: t, value, lower, upper, with a
 * missing bound drawn at the value. */
static void band_row(double *v, double t, const struct alm_forecast *f,
                     double scale)
{
    v[0] = t;
    v[1] = f->value / scale;
    v[2] = (isfinite(f->lower) ? f->lower : f->value) / scale;
    v[3] = (isfinite(f->upper) ? f->upper : f->value) / scale;
}

/* The band and the projection, from the last fitted period on. */
static enum alm_status plot_band(struct plot *pl, const struct panel *p,
                                 const struct alm_chart_opts *o,
                                 const struct key *k, struct alm_error *err)
{
    const struct alm_fit *fit = &p->proj.fit;
    double tl = alm_period_time(&p->proj.last);
    struct alm_forecast f0;
    enum alm_status st = alm_fit_predict(fit, tl, o->proj.level, &f0, err);
    if (st != ALM_OK)
        return st;
    band_row(pl->v, tl, &f0, p->scale);
    for (size_t i = 0; i < p->proj.nrows; i++)
        band_row(pl->v + (i + 1) * 4, p->proj.rows[i].t, &p->proj.rows[i].f,
                 p->scale);
    datablock(pl, "proj", p->proj.nrows + 1, 4);
    if (fit->has_interval && !pl->lsb) {
        element(pl, "proj", "1:3:4", "filledcurves", LS_BAND, k->band_title);
    } else if (fit->has_interval) {
        /* Text cannot shade: the band is drawn as its two edges. */
        element(pl, "proj", "1:3", "lines", LS_BAND, k->band_title);
        element(pl, "proj", "1:4", "lines", LS_BAND, NULL);
    }
    return ALM_OK;
}

/* The trend over the fitted years, then the projection's line. */
static enum alm_status plot_trend(struct plot *pl, const struct panel *p,
                                  const struct alm_chart_opts *o,
                                  const struct key *k, struct alm_error *err)
{
    const struct alm_fit *fit = &p->proj.fit;
    double t0 = alm_period_time(&p->proj.first);
    double t1 = alm_period_time(&p->proj.last);
    size_t np = alm__fit_straight(fit) || !(t1 > t0) ? 2 : TREND_POINTS;
    for (size_t i = 0; i < np; i++) {
        double t =
            i + 1 == np ? t1 : t0 + (t1 - t0) * (double)i / (double)(np - 1);
        struct alm_forecast f;
        enum alm_status st = alm_fit_predict(fit, t, o->proj.level, &f, err);
        if (st != ALM_OK)
            return st;
        pl->v[i * 2] = t;
        pl->v[i * 2 + 1] = f.value / p->scale;
    }
    datablock(pl, "trend", np, 2);
    element(pl, "trend", "1:2", "lines", LS_TREND, k->trend_title);
    if (p->proj.nrows)
        element(pl, "proj", "1:2", "lines", LS_PROJ, NULL);
    return ALM_OK;
}

/* Fills pl->v with the (t, value) of the n observations idx that keep
 * says to keep (every one when keep is NULL); returns how many. */
static size_t obs_rows(struct plot *pl, const struct alm_dataset *ds,
                       const struct panel *p, const size_t *idx, size_t n,
                       bool (*keep)(const struct alm_obs *, int), int arg)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *ob = &ds->obs[idx[i]];
        if (keep && !keep(ob, arg))
            continue;
        pl->v[k * 2] = alm_period_time(&ob->period);
        pl->v[k * 2 + 1] = ob->value / p->scale;
        k++;
    }
    return k;
}

static bool not_forecast(const struct alm_obs *ob, int unused)
{
    (void)unused;
    return ob->status != 'F';
}

static bool of_class(const struct alm_obs *ob, int c)
{
    return alm__pclass_of(ob) == (enum pclass)c;
}

/* The line through the published figures (forecasts apart), other
 * vintages, the figures by kind of point, the targets. */
static void plot_points(struct plot *pl, const struct alm_dataset *ds,
                        const struct panel *p, const struct key *k)
{
    if (k->nline > 1) {
        datablock(pl, "line",
                  obs_rows(pl, ds, p, p->used, p->nused, not_forecast, 0), 2);
        element(pl, "line", "1:2", "lines", LS_LINE, NULL);
    }
    if (p->nother) {
        datablock(pl, "other",
                  obs_rows(pl, ds, p, p->other, p->nother, NULL, 0), 2);
        element(pl, "other", "1:2", "points", LS_OTHER, "other vintages");
    }
    for (int c = 0; c < PC_COUNT; c++) {
        if (!k->has[c])
            continue;
        datablock(pl, pclass_name[c],
                  obs_rows(pl, ds, p, p->used, p->nused, of_class, c), 2);
        element(pl, pclass_name[c], "1:2", "points", pclass_ls[c],
                class_title(ds, p, c));
    }
    if (p->ntgt) {
        for (size_t i = 0; i < p->ntgt; i++) {
            pl->v[i * 2] = alm__target_time(ds, p->tgt[i]);
            pl->v[i * 2 + 1] = ds->tgt[p->tgt[i]].value / p->scale;
        }
        datablock(pl, "target", p->ntgt, 2);
        element(pl, "target", "1:2", "points", LS_TARGET, "target");
    }
}

/* The data, numbers only, and the plot command that draws it. */
static enum alm_status plot_data(struct alm_buf *b,
                                 const struct alm_dataset *ds,
                                 const struct alm_chart_opts *o,
                                 const struct panel *p, const struct box *x,
                                 const struct key *k, struct alm_error *err)
{
    size_t nmax = p->nused + p->nother + p->ntgt + p->proj.nrows + p->nlused +
                  TREND_POINTS + 2;
    struct plot pl = {b,
                      ALM_BUF_INIT,
                      ALM_BUF_INIT,
                      p->no,
                      true,
                      x->type == ALM_CHART_TEXT ? LS_TEXT : 0,
                      malloc(nmax * 4 * sizeof(double))};
    if (!pl.v)
        return alm_fail(err, ALM_ENOMEM, "out of memory drawing '%s'",
                        p->in->id);
    enum alm_status st = ALM_OK;
    if (p->nlused) { /* first, so that it lies behind the series */
        for (size_t i = 0; i < p->nlused; i++) {
            const struct alm_obs *ob = &p->lds->obs[p->lused[i]];
            pl.v[i * 2] = alm_period_time(&ob->period);
            pl.v[i * 2 + 1] = ob->value / p->lscale;
        }
        datablock(&pl, "level", p->nlused, 2);
        element(&pl, "level", "1:2 axes x1y2", "linespoints", LS_OTHER,
                "level, right axis");
    }
    if (p->proj.fitted && p->proj.nrows)
        st = plot_band(&pl, p, o, k, err);
    if (st == ALM_OK && p->proj.fitted)
        st = plot_trend(&pl, p, o, k, err);
    if (st == ALM_OK) {
        plot_points(&pl, ds, p, k);
        if (pl.first)
            alm_buf_puts(&pl.cmd, "plot NaN notitle");
        alm_buf_printf(b, "%s\n", pl.cmd.s ? pl.cmd.s : "");
        if (pl.undef.len)
            alm_buf_printf(b, "undefine%s\n", pl.undef.s);
        if (p->nlused) /* the next panel may have no right axis */
            alm_buf_puts(b, "unset y2tics\n");
        if (alm_buf_status(&pl.cmd) != ALM_OK ||
            alm_buf_status(&pl.undef) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory drawing '%s'",
                          p->in->id);
    }
    alm_buf_release(&pl.cmd);
    alm_buf_release(&pl.undef);
    free(pl.v);
    return st;
}

/* ---- the panel -------------------------------------------------------------
 */

enum alm_status alm__write_panel(const struct alm_dataset *ds,
                                 const struct alm_chart_opts *o,
                                 const struct panel *p, const struct box *x,
                                 struct alm_buf *b, struct alm_error *err)
{
    bool text = x->type == ALM_CHART_TEXT;
    double usable = x->w - (text ? 0 : 28);
    struct texts t;
    enum alm_status st = alm__texts_build(ds, o, p, x, usable, &t, err);
    struct key k;
    if (st == ALM_OK) {
        key_build(ds, o, p, usable, text, &k);
        alm__write_frame(b, ds, p, x, &t, k.n, k.rows);
        if (!text)
            key_write(b, &k, x->m, t.title.n);
        alm__write_texts(b, x, &t);
        alm__plot_labels(b, ds, p, x);
        st = plot_data(b, ds, o, p, x, &k, err);
    }
    alm__texts_release(&t);
    return st;
}
