/* Charts through gnuplot: the script (alm_chart_write_script) and the
 * process that draws it (alm_gp_run, alm_chart_render).
 *
 * A script is: a header comment, the theme
 * (plots/theme.gp, loaded or inlined), then for each chart its terminal
 * and output and, inside `set multiplot`, one panel per indicator. A panel
 * sets everything it uses (margins, ranges, tics, key, labels), so panels
 * never inherit from the one before, and undefines its datablocks when it
 * is drawn. The layout is computed in pixels of the canvas from the
 * theme's spacing variables (alm_pad, alm_title_h, ...), written as gnuplot
 * expressions so that the theme alone decides the spacing; text charts
 * (the dumb terminal) use fixed character cells instead. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/store.h>
#include <almanac/utf8.h>
#include <almanac/view.h>

#include "internal.h"

#ifndef ALMANAC_PLOTS_DIR
#define ALMANAC_PLOTS_DIR "plots"
#endif

/* Estimated widths of text in pixels per character, used to wrap the
 * quote and the source line, to size the key and to space the x tick
 * labels. They fit the theme's default fonts; a theme with much larger
 * fonts gets earlier wrapping than it needs, never text cut off. */
#define SMALL_CHAR_PX 6.2
#define TITLE_CHAR_PX 9.8
#define KEY_CHAR_PX   6.6
#define TIC_CHAR_PX   7.0

/* Lines of text a panel gives the title, the quote and the source. */
#define TITLE_LINES  2
#define QUOTE_LINES  2
#define SOURCE_LINES 2
#define LINES_MAX    4

/* Points on a curved trend (loglinear, logistic, poly) over the fitted
 * years; straight trends need only their two ends. */
#define TREND_POINTS 48

/* The most bytes of gnuplot's standard error kept for a message. */
#define STDERR_MAX (64 * 1024)

/* ---- quoting and text ---------------------------------------------------- */

enum alm_status alm_gp_quote(struct alm_buf *out, const char *text)
{
    size_t start = out->len;
    enum alm_status st = alm_buf_putc(out, '\'');
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    for (; *p && st == ALM_OK; p++) {
        unsigned char c = *p;
        if (c == '\'')
            st = alm_buf_puts(out, "'.\"\\047\".'");
        else if (c == '\r' && p[1] == '\n')
            continue; /* CRLF is one line break, one space */
        else if (c == '\t' || c == '\n' || c == '\r')
            st = alm_buf_putc(out, ' ');
        else if (c < 0x20 || c == 0x7f)
            continue;
        else
            st = alm_buf_putc(out, (char)c);
    }
    if (st == ALM_OK)
        st = alm_buf_putc(out, '\'');
    if (st != ALM_OK && out->s) {
        out->len = start;
        out->s[start] = '\0';
    }
    return st;
}

/* Lines of text wrapped to a width. */
struct lines {
    char *s[LINES_MAX];
    size_t n;
};

static void lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    l->n = 0;
}

/* Appends s[0..len) as a line, without trailing spaces; with ellipsis, cut
 * to fit cols cells with "…" after it. */
static enum alm_status add_line(struct lines *l, const char *s, size_t len,
                                bool ellipsis, size_t cols)
{
    while (len && s[len - 1] == ' ')
        len--;
    if (ellipsis) {
        /* Drop characters until the line and the ellipsis fit. */
        for (;;) {
            char *t = alm__strndup(s, len);
            if (!t)
                return ALM_ENOMEM;
            size_t w = alm_utf8_text_width(t);
            free(t);
            if (w + 1 <= cols || len == 0)
                break;
            do
                len--;
            while (len && ((unsigned char)s[len] & 0xC0) == 0x80);
        }
        while (len && s[len - 1] == ' ')
            len--;
    }
    struct alm_buf b = ALM_BUF_INIT;
    if (alm_buf_add(&b, s, len) != ALM_OK ||
        (ellipsis && alm_buf_puts(&b, "\xE2\x80\xA6") != ALM_OK)) {
        alm_buf_release(&b);
        return ALM_ENOMEM;
    }
    char *line = alm_buf_detach(&b);
    if (!line)
        return ALM_ENOMEM;
    l->s[l->n++] = line;
    return ALM_OK;
}

/* Wraps text into at most max lines of at most cols cells: lines break at
 * newlines, then at spaces, or before a wide (CJK) character, or anywhere
 * in a word longer than a line. Text that does not fit ends with "…". */
static enum alm_status wrap_text(const char *text, size_t cols, size_t max,
                                 struct lines *out)
{
    const char *p = text ? text : "";
    if (max > LINES_MAX)
        max = LINES_MAX;
    if (cols < 8)
        cols = 8;
    while (*p && out->n < max) {
        while (*p == ' ')
            p++;
        size_t w = 0, len;
        const char *q = p, *end = NULL, *next = NULL;
        while (*q && *q != '\n' && *q != '\r') {
            unsigned c = alm_utf8_decode(q, &len);
            size_t cw = alm_utf8_width(c);
            if (w + cw > cols && q > p)
                break;
            if (c == ' ') {
                end = q;
                next = q + 1;
            } else if (cw == 2 && q > p) {
                end = q;
                next = q;
            }
            w += cw;
            q += len;
        }
        if (!*q || *q == '\n' || *q == '\r') {
            end = q;
            next = *q == '\r' && q[1] == '\n' ? q + 2 : *q ? q + 1 : q;
        } else if (!end) {
            end = q;
            next = q;
        }
        bool more = *next != '\0';
        bool last = out->n + 1 == max;
        if (add_line(out, p, (size_t)(end - p), more && last, cols) != ALM_OK)
            return ALM_ENOMEM;
        p = next;
    }
    return ALM_OK;
}

const char *alm_chart_theme_path(char *buf, size_t size)
{
    const char *env = getenv("ALMANAC_PLOTS");
    snprintf(buf, size, "%s/theme.gp", env && *env ? env : ALMANAC_PLOTS_DIR);
    return buf;
}

/* ---- one panel's data ---------------------------------------------------- */

struct panel {
    size_t no; /* panel number in the script, for datablock names */
    size_t ind;
    const struct alm_indicator *in;
    size_t *used, nused;   /* the series analysis uses */
    size_t *other, nother; /* other vintages (with --vintages) */
    size_t *tgt, ntgt;     /* targets announced by as_of */
    struct alm_projection proj;
    double scale;           /* values are drawn divided by scale */
    const char *scale_word; /* "millions", or NULL */
    double xmin, xmax;      /* the x range */
    double ylo, yhi, ystep; /* the y range and tic step, scaled */
    int ydec;               /* decimals of the y tic labels */
};

static void panel_release(struct panel *p)
{
    free(p->used);
    free(p->other);
    free(p->tgt);
    alm_projection_release(&p->proj);
}

static double tgt_time(const struct alm_dataset *ds, size_t k)
{
    return alm_period_time(&ds->tgt[k].period);
}

/* Whether the fitted trend is a straight line in t. */
static bool straight(const struct alm_fit *f)
{
    enum alm_model m = f->model.model;
    return m == ALM_MODEL_LINEAR || m == ALM_MODEL_DRIFT ||
           m == ALM_MODEL_THEIL_SEN ||
           (m == ALM_MODEL_POLY && f->model.degree <= 1);
}

/* Rounds a range out to a step of 1, 2, 2.5 or 5 times a power of ten,
 * about six steps in all. */
static void nice_range(double lo, double hi, double *ylo, double *yhi,
                       double *step, int *dec)
{
    if (!(hi > lo)) {
        double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    }
    double raw = (hi - lo) / 6;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag, s;
    if (norm <= 1)
        s = 1;
    else if (norm <= 2)
        s = 2;
    else if (norm <= 2.5)
        s = 2.5;
    else if (norm <= 5)
        s = 5;
    else
        s = 10;
    *step = s * mag;
    *ylo = floor(lo / *step + 1e-9) * *step;
    *yhi = ceil(hi / *step - 1e-9) * *step;
    int d = 0;
    double q = *step;
    while (d < 8 && fabs(q - round(q)) > 1e-9 * fmax(1, fabs(q))) {
        q *= 10;
        d++;
    }
    *dec = d;
}

/* Collects what panel p draws for indicator ind and works out its
 * ranges. */
static enum alm_status panel_collect(const struct alm_dataset *ds,
                                     struct alm_fit_ws *w,
                                     const struct alm_chart_opts *o, size_t ind,
                                     struct panel *p, struct alm_error *err)
{
    long as_of = o->proj.as_of;
    p->ind = ind;
    p->in = &ds->ind[ind];
    enum alm_status st =
        alm_dataset_series(ds, ind, as_of, false, &p->used, &p->nused, err);
    if (st == ALM_OK && o->vintages) {
        size_t *all = NULL, nall = 0;
        st = alm_dataset_series(ds, ind, as_of, true, &all, &nall, err);
        if (st == ALM_OK) {
            /* Keep those that analysis does not use. */
            size_t k = 0;
            for (size_t i = 0; i < nall; i++) {
                bool used = false;
                for (size_t j = 0; j < p->nused && !used; j++)
                    used = p->used[j] == all[i];
                if (!used)
                    all[k++] = all[i];
            }
            p->other = all;
            p->nother = k;
        }
    }
    if (st != ALM_OK)
        return st;
    const size_t *tgts;
    size_t ntgts;
    alm_dataset_targets_of(ds, ind, &tgts, &ntgts);
    p->tgt = malloc((ntgts ? ntgts : 1) * sizeof *p->tgt);
    if (!p->tgt)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t k = 0; k < ntgts; k++) {
        size_t i = tgts[k];
        const struct alm_target *g = &ds->tgt[i];
        if (g->ind == ind &&
            (as_of == ALM_DATE_NONE || g->announced == ALM_DATE_NONE ||
             g->announced <= as_of))
            p->tgt[p->ntgt++] = i;
    }
    st = alm_project(w, ds, ind, &o->proj, &p->proj, err);
    if (st != ALM_OK)
        return st;

    /* The x range: every point drawn, with a margin. */
    double tmin = INFINITY, tmax = -INFINITY;
    double lo = INFINITY, hi = -INFINITY, big = 0;
#define SEE_T(t) (tmin = fmin(tmin, (t)), tmax = fmax(tmax, (t)))
#define SEE_Y(y)                                                               \
    (lo = fmin(lo, (y)), hi = fmax(hi, (y)), big = fmax(big, fabs(y)))
    for (size_t i = 0; i < p->nused; i++) {
        SEE_T(alm_period_time(&ds->obs[p->used[i]].period));
        SEE_Y(ds->obs[p->used[i]].value);
    }
    for (size_t i = 0; i < p->nother; i++) {
        SEE_T(alm_period_time(&ds->obs[p->other[i]].period));
        SEE_Y(ds->obs[p->other[i]].value);
    }
    for (size_t i = 0; i < p->ntgt; i++) {
        SEE_T(tgt_time(ds, p->tgt[i]));
        SEE_Y(ds->tgt[p->tgt[i]].value);
    }
    double blo = INFINITY, bhi = -INFINITY;
    for (size_t i = 0; i < p->proj.nrows; i++) {
        const struct alm_projection_row *r = &p->proj.rows[i];
        SEE_T(r->t);
        if (isfinite(r->f.value))
            SEE_Y(r->f.value);
        if (isfinite(r->f.lower))
            blo = fmin(blo, r->f.lower);
        if (isfinite(r->f.upper))
            bhi = fmax(bhi, r->f.upper);
    }
#undef SEE_T
#undef SEE_Y
    if (!isfinite(tmin)) {
        tmin = 2000;
        tmax = 2001;
    }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    double span = tmax - tmin;
    double pad = fmax(span * 0.03, span > 0 ? 0.45 : 1.0);
    p->xmin = tmin - pad;
    p->xmax = tmax + pad;

    /* The scale: large amounts are drawn in thousands, millions... */
    static const struct {
        double f;
        const char *word;
    } scales[] = {{1e12, "trillions"},
                  {1e9, "billions"},
                  {1e6, "millions"},
                  {1e5, "thousands"}};
    p->scale = 1;
    p->scale_word = NULL;
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
        if (big >= scales[i].f) {
            p->scale = scales[i].f;
            p->scale_word = scales[i].word;
            break;
        }
    }

    /* The y range: the figures, targets and projections, and the band as
     * far as it does not squash them; zero for amounts, counts, shares
     * and growth rates; never below 0 or above 100 where the kind
     * forbids it. */
    double core = hi - lo > 0 ? hi - lo : fmax(fabs(hi), 1);
    if (isfinite(blo))
        lo = fmin(lo, fmax(blo, lo - 0.2 * core));
    if (isfinite(bhi))
        hi = fmax(hi, fmin(bhi, hi + 0.2 * core));
    enum alm_kind kind = p->in->kind;
    bool nonneg = kind == ALM_KIND_LEVEL || kind == ALM_KIND_COUNT ||
                  kind == ALM_KIND_SHARE;
    if ((nonneg || kind == ALM_KIND_GROWTH) && lo > 0)
        lo = 0;
    if (nonneg && lo < 0)
        lo = 0;
    hi += 0.08 * (hi - lo); /* room for the labels above the points */
    if (kind == ALM_KIND_SHARE && hi > 100)
        hi = 100;
    nice_range(lo / p->scale, hi / p->scale, &p->ylo, &p->yhi, &p->ystep,
               &p->ydec);
    return ALM_OK;
}

/* ---- writing the script -------------------------------------------------- */

/* The layout quantities of a panel: theme variables (pixels) for images,
 * character cells for text. */
struct metrics {
    const char *pad, *title_h, *key_h, *unit_h, *line_h, *xtics_h, *ytics_w,
        *right_w;
    double px_per_char; /* estimated pixels of a character; 1 for text */
};

static const struct metrics image_metrics = {
    "alm_pad",     "alm_title_h", "alm_key_h",
    "alm_unit_h",  "alm_line_h",  "alm_xtics_h",
    "alm_ytics_w", "alm_right_w", 0};

static const struct metrics text_metrics = {
    "alm_t_pad",     "alm_t_title_h", "alm_t_key_h",
    "alm_t_unit_h",  "alm_t_line_h",  "alm_t_xtics_h",
    "alm_t_ytics_w", "alm_t_right_w", 1};

/* Everything write_panel needs about where it draws. */
struct box {
    enum alm_chart_type type;
    const struct metrics *m;
    double x0, y0, w, h; /* the panel, in pixels (cells) from bottom left */
};

/* Writes a number of a datablock; gnuplot reads NaN as a missing point
 * (an interval bound that overflowed, say). */
static enum alm_status put_num(struct alm_buf *b, double x)
{
    if (!isfinite(x))
        return alm_buf_puts(b, "NaN");
    return alm_buf_printf(b, "%.17g", x);
}

/* Writes "at screen X, screen Y" where X and Y are pixel expressions
 * divided by the canvas size (variables alm_cw, alm_ch of the script). */
static enum alm_status at_screen(struct alm_buf *b, const char *x,
                                 const char *y)
{
    return alm_buf_printf(b, " at screen (%s)/alm_cw, screen (%s)/alm_ch", x,
                          y);
}

/* A label of text (from data or not: it is quoted either way). */
static enum alm_status label(struct alm_buf *b, const char *text,
                             const char *pos, const char *style)
{
    enum alm_status st = alm_buf_puts(b, "set label ");
    if (st == ALM_OK)
        st = alm_gp_quote(b, text);
    if (st == ALM_OK)
        st = alm_buf_printf(b, "%s %s noenhanced\n", pos, style);
    return st;
}

/* Builds the source line of a panel: the publishers of the figures drawn
 * (else of the targets), the as-of date and the model. */
static enum alm_status source_text(const struct alm_dataset *ds,
                                   const struct alm_chart_opts *o,
                                   const struct panel *p, struct alm_buf *b)
{
    const char *names[4];
    size_t nnames = 0, more = 0;
    enum alm_status st = alm_buf_puts(b, "Source: ");
    /* Walk the sources of the figures drawn, newest first. */
    size_t total = p->nused + p->nother;
    for (size_t k = total + p->ntgt; k-- > 0 && st == ALM_OK;) {
        const char *list;
        if (k < p->nused)
            list = ds->obs[p->used[k]].source;
        else if (k < total)
            list = ds->obs[p->other[k - p->nused]].source;
        else if (total == 0)
            list = alm_table_cell(
                ds->tables[ALM_T_TARGETS], ds->tgt[p->tgt[k - total]].row,
                alm_table_col(ds->tables[ALM_T_TARGETS], "source"));
        else
            continue;
        const char *s = list ? list : "";
        while (*s) {
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
                for (size_t i = 0; i < nnames && !seen; i++)
                    seen = strcmp(names[i], name) == 0;
                if (!seen && nnames < 3)
                    names[nnames++] = name;
                else if (!seen)
                    more++; /* may count a name twice: only a hint */
            }
            s += len;
            if (*s == ';')
                s++;
        }
    }
    for (size_t i = 0; i < nnames && st == ALM_OK; i++)
        st = alm_buf_printf(b, "%s%s", i ? "; " : "", names[i]);
    if (st == ALM_OK && more)
        st = alm_buf_printf(b, " and %zu more", more);
    if (st == ALM_OK && !nnames)
        st = alm_buf_puts(b, "none given");
    char date[32];
    alm_as_of_format(o->proj.as_of, date, sizeof date);
    if (st == ALM_OK)
        st = alm_buf_printf(b, ". Figures as published, as of %s.", date);
    if (st == ALM_OK && p->proj.fitted) {
        char model[32], lv[32];
        alm_model_format(&p->proj.fit.model, model, sizeof model);
        alm_format_double(o->proj.level, lv, sizeof lv);
        st = alm_buf_printf(b,
                            " Trend: Almanac, %s%s, %s%% prediction "
                            "interval.",
                            model, p->proj.fit.chosen ? " (auto)" : "", lv);
    }
    return st;
}

/* Names of the months, for tick labels. */
static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};

/* Writes the x tics of panel p: years (at the middle of each year, or of
 * the months a partial-year series covers), quarters or months for short
 * sub-annual series, each label quoted. plot_px is the plot's width. */
static enum alm_status write_xtics(const struct alm_dataset *ds,
                                   const struct panel *p, double plot_px,
                                   double char_px, struct alm_buf *b)
{
    char freq = p->in->freq;
    double span = p->xmax - p->xmin;
    struct alm_period span_p = {ALM_PERIOD_YEAR, 0, 11, 0};
    bool is_span = false;
    if (freq == 'P' && p->nused) {
        span_p = ds->obs[p->used[0]].period;
        is_span = span_p.kind == ALM_PERIOD_SPAN;
    }
    enum alm_status st = alm_buf_puts(b, "set xtics (");
    bool first = true;
    if ((freq == 'Q' || freq == 'M' || freq == 'D') && span <= 3.0) {
        /* Quarters or months, labelled "2024 Q1" or "Jan 2024". */
        int per_year = freq == 'Q' ? 4 : 12;
        double label_px =
            (freq == 'Q' ? 8 : 9) * char_px + (char_px > 1 ? 14 : 2);
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
        long k0 = (long)floor(p->xmin * per_year);
        for (long k = k0; st == ALM_OK; k++) {
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
                snprintf(text, sizeof text, "%s %ld", month_abbr[sub], year);
            st = alm_buf_puts(b, first ? "" : ", ");
            if (st == ALM_OK)
                st = alm_gp_quote(b, text);
            if (st == ALM_OK)
                st = alm_buf_printf(b, " %.17g", mid);
            first = false;
        }
    } else {
        /* Years, or the months of a partial-year series ("Jan–Feb
         * 2024"), at their middle. */
        char months[32] = "";
        if (is_span) {
            int a = (int)(((span_p.m0 % 12) + 12) % 12);
            int z = (int)(((span_p.m1 % 12) + 12) % 12);
            snprintf(months, sizeof months, "%s\xE2\x80\x93%s ", month_abbr[a],
                     month_abbr[z]);
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
        for (long y = y0; y <= y1 && st == ALM_OK; y++) {
            struct alm_period yp = span_p;
            long shift = y * 12 - (span_p.m0 - ((span_p.m0 % 12) + 12) % 12);
            yp.m0 += shift;
            yp.m1 += shift;
            double mid = is_span ? alm_period_time(&yp) : (double)y + 0.5;
            if (mid < p->xmin || mid > p->xmax || y % step)
                continue;
            char text[80];
            snprintf(text, sizeof text, "%s%ld", step == 1 ? months : "", y);
            st = alm_buf_puts(b, first ? "" : ", ");
            if (st == ALM_OK)
                st = alm_gp_quote(b, text);
            if (st == ALM_OK)
                st = alm_buf_printf(b, " %.17g", mid);
            first = false;
        }
    }
    if (st == ALM_OK)
        st = alm_buf_puts(b, ")\n");
    return st;
}

/* Writes one datablock of rows of ncol numbers. */
static enum alm_status datablock(struct alm_buf *b, struct alm_buf *names,
                                 size_t no, const char *name, const double *v,
                                 size_t nrow, size_t ncol)
{
    enum alm_status st = alm_buf_printf(b, "$alm_p%zu_%s << EOD\n", no, name);
    if (st == ALM_OK)
        st = alm_buf_printf(names, " $alm_p%zu_%s", no, name);
    for (size_t i = 0; i < nrow && st == ALM_OK; i++) {
        for (size_t j = 0; j < ncol && st == ALM_OK; j++) {
            if (j)
                st = alm_buf_putc(b, ' ');
            if (st == ALM_OK)
                st = put_num(b, v[i * ncol + j]);
        }
        if (st == ALM_OK)
            st = alm_buf_putc(b, '\n');
    }
    if (st == ALM_OK)
        st = alm_buf_puts(b, "EOD\n");
    return st;
}

/* Kinds of points of the published figures, each a datablock and a
 * line style of the theme. */
enum pclass { PC_STATED, PC_ABOUT, PC_OVER, PC_UNDER, PC_FORECAST, PC_COUNT };
static const char *const pclass_name[] = {"stated", "about", "over", "under",
                                          "forecast"};
static const char *const pclass_title[] = {"published", "about (~)", "over (>)",
                                           "under (<)", "forecast (F)"};
static const int pclass_ls[] = {2, 3, 4, 5, 7};

static enum pclass classify(const struct alm_obs *ob)
{
    if (ob->status == 'F')
        return PC_FORECAST;
    switch (ob->qual) {
    case ALM_QUAL_ABOUT:
        return PC_ABOUT;
    case ALM_QUAL_GT:
    case ALM_QUAL_GE:
        return PC_OVER;
    case ALM_QUAL_LT:
    case ALM_QUAL_LE:
        return PC_UNDER;
    default:
        return PC_STATED;
    }
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
                 month_abbr[((sp->m0 % 12) + 12) % 12],
                 month_abbr[((sp->m1 % 12) + 12) % 12]);
        return buf;
    }
    switch (freq) {
    case 'A':
        return "annual";
    case 'Q':
        return "quarterly";
    case 'M':
        return "monthly";
    case 'D':
        return "daily";
    case 'P':
        return "same months of each year";
    default:
        return "counted at varying dates";
    }
}

/* Appends one plot element ("$alm_p1_x using ... ls N title '...'"),
 * separated from the one before by a comma. */
static enum alm_status element(struct alm_buf *b, bool *first, size_t no,
                               const char *block, const char *how,
                               const char *title)
{
    enum alm_status st =
        alm_buf_printf(b, "%s$alm_p%zu_%s %s", *first ? "plot " : ", \\\n     ",
                       no, block, how);
    *first = false;
    if (st == ALM_OK && title) {
        st = alm_buf_puts(b, " title ");
        if (st == ALM_OK)
            st = alm_gp_quote(b, title);
    } else if (st == ALM_OK) {
        st = alm_buf_puts(b, " notitle");
    }
    return st;
}

/* One entry of a key drawn by hand: its sample (a line, a point, both,
 * or the band under a line), the line styles of the theme it shows, its
 * text, and where it goes. */
enum ksample { KS_LINE, KS_POINT, KS_LINEPOINT, KS_BAND };
struct kentry {
    enum ksample how;
    int ls, ls2; /* the line's style and the point's (or the band's) */
    const char *title;
    double x;   /* from the key's left, pixels (cells for text) */
    size_t row; /* from the top */
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
        double tw = (double)alm_utf8_text_width(e[i].title);
        double w = text ? 5 + tw + 2 : 30 + tw * KEY_CHAR_PX + 20;
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

/* Draws the key entries under the title lines of the panel. */
static enum alm_status key_write(struct alm_buf *b, const struct kentry *e,
                                 size_t n, const struct metrics *m,
                                 size_t title_lines, bool text)
{
    int lsb = text ? 100 : 0; /* text styles are numbered from 101 */
    double sw = text ? 3 : 24, to = text ? 5 : 30, half = text ? 0 : 5;
    enum alm_status st = ALM_OK;
    if (n)
        st = alm_buf_printf(b, "alm_key = alm_y0 + alm_h - %s - %zu*%s\n",
                            m->pad, title_lines, m->title_h);
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        char x0[128], y[160];
        snprintf(x0, sizeof x0, "alm_x0 + %s + %.5g", m->pad, e[i].x);
        snprintf(y, sizeof y, "alm_key - (%zu + 0.5)*%s", e[i].row, m->key_h);
        if (e[i].how == KS_BAND && !text)
            st = alm_buf_printf(
                b,
                "set object rectangle from screen (%s)/alm_cw, screen "
                "(%s - %.5g)/alm_ch to screen (%s + %.5g)/alm_cw, screen "
                "(%s + %.5g)/alm_ch fc ls %d fillstyle transparent solid "
                "alm_band_alpha noborder front\n",
                x0, y, half, x0, sw, y, half, lsb + e[i].ls2);
        if (st == ALM_OK && e[i].how != KS_POINT)
            st = alm_buf_printf(b,
                                "set arrow from screen (%s)/alm_cw, screen "
                                "(%s)/alm_ch to screen (%s + %.5g)/alm_cw, "
                                "screen (%s)/alm_ch nohead ls %d front\n",
                                x0, y, x0, sw, y, lsb + e[i].ls);
        if (st == ALM_OK && (e[i].how == KS_POINT || e[i].how == KS_LINEPOINT))
            st = alm_buf_printf(
                b,
                "set label '' at screen (%s + %.5g)/alm_cw, "
                "screen (%s)/alm_ch point ls %d front noenhanced\n",
                x0, sw / 2, y, lsb + e[i].ls2);
        if (st == ALM_OK) {
            char pos[400];
            snprintf(pos, sizeof pos,
                     " at screen (%s + %.5g)/alm_cw, screen (%s)/alm_ch", x0,
                     to, y);
            st = label(b, e[i].title, pos, "left tc rgb alm_text front");
        }
    }
    return st;
}

/* Writes the commands that draw panel p into box x. */
static enum alm_status write_panel(const struct alm_dataset *ds,
                                   const struct alm_chart_opts *o,
                                   struct panel *p, const struct box *x,
                                   struct alm_buf *b)
{
    const struct metrics *m = x->m;
    bool text = x->type == ALM_CHART_TEXT;
    int lsb = text ? 100 : 0; /* text styles are numbered from 101 */
    char x0pad[64];
    snprintf(x0pad, sizeof x0pad, "alm_x0 + %s", m->pad);
    double cpx = text ? 1 : SMALL_CHAR_PX;
    double usable = x->w - (text ? 0 : 28);
    struct alm_buf s = ALM_BUF_INIT, q = ALM_BUF_INIT, u = ALM_BUF_INIT,
                   undef = ALM_BUF_INIT;
    struct lines title = {{NULL}, 0}, quote = {{NULL}, 0}, source = {{NULL}, 0};
    double *v = NULL;
    enum alm_status st = ALM_OK;
    size_t no = p->no;
    const struct alm_fit *fit = &p->proj.fit;
    char lv[32];
    alm_format_double(o->proj.level, lv, sizeof lv);

    /* The texts: title, unit, quote of the latest figure, source. */
    st = wrap_text(p->in->title, (size_t)(usable / (text ? 1 : TITLE_CHAR_PX)),
                   TITLE_LINES, &title);
    const struct alm_obs *latest = NULL;
    for (size_t i = p->nused; i-- > 0 && !latest;)
        if (ds->obs[p->used[i]].status != 'F')
            latest = &ds->obs[p->used[i]];
    if (st == ALM_OK && latest && latest->quote && latest->quote[0] && !text) {
        st = alm_buf_printf(&q, "\xE2\x80\x9C%s\xE2\x80\x9D", latest->quote);
        if (st == ALM_OK)
            st = wrap_text(q.s, (size_t)(usable / cpx), QUOTE_LINES, &quote);
    }
    if (st == ALM_OK)
        st = source_text(ds, o, p, &s);
    if (st == ALM_OK)
        st = wrap_text(s.s, (size_t)(usable / cpx), text ? 1 : SOURCE_LINES,
                       &source);
    if (st == ALM_OK)
        st = alm_buf_puts(&u, p->in->unit);
    if (st == ALM_OK && p->scale_word)
        st = alm_buf_printf(&u, u.len ? " (%s)" : "%s", p->scale_word);
    char fw[64];
    if (st == ALM_OK && !text)
        st = alm_buf_printf(&u, "%s%s", u.len ? ", " : "",
                            freq_words(ds, p, fw, sizeof fw));
    if (st != ALM_OK)
        goto done;

    /* The key: drawn by hand as a row (or more) of samples and texts
     * under the title, since gnuplot's own key gives every entry the
     * width of the longest. */
    bool has[PC_COUNT] = {false};
    size_t nline = 0;
    for (size_t i = 0; i < p->nused; i++) {
        const struct alm_obs *ob = &ds->obs[p->used[i]];
        has[classify(ob)] = true;
        nline += ob->status != 'F';
    }
    struct kentry key[12];
    size_t nkey = 0;
    char trend_title[96] = "", band_title[96] = "";
    for (int c = 0; c < PC_COUNT; c++)
        if (has[c])
            key[nkey++] = (struct kentry){
                c == PC_STATED && nline > 1 ? KS_LINEPOINT : KS_POINT,
                c == PC_STATED ? 1 : pclass_ls[c],
                pclass_ls[c],
                pclass_title[c],
                0,
                0};
    if (p->nother)
        key[nkey++] = (struct kentry){KS_POINT, 6, 6, "other vintages", 0, 0};
    if (p->proj.fitted) {
        char model[32];
        alm_model_format(&fit->model, model, sizeof model);
        snprintf(trend_title, sizeof trend_title, "trend: %s%s", model,
                 fit->chosen ? " (auto)" : "");
        key[nkey++] = (struct kentry){KS_LINE, 8, 8, trend_title, 0, 0};
        if (p->proj.nrows) {
            if (fit->has_interval)
                snprintf(band_title, sizeof band_title,
                         "projection, %s%% interval", lv);
            else
                snprintf(band_title, sizeof band_title, "projection");
            key[nkey++] = (struct kentry){
                fit->has_interval ? KS_BAND : KS_LINE, 9, 10, band_title, 0, 0};
        }
    }
    if (p->ntgt)
        key[nkey++] = (struct kentry){KS_POINT, 11, 11, "target", 0, 0};
    size_t key_rows = key_layout(key, nkey, usable, text);

    /* The frame: the panel's place, then margins in pixels from the
     * canvas's bottom left. */
    size_t nbottom = quote.n + source.n;
    st = alm_buf_printf(b,
                        "\n# panel %zu: %s\n"
                        "unset label\nunset arrow\nunset object\n"
                        "alm_x0 = %.17g; alm_y0 = %.17g; alm_w = %.17g; "
                        "alm_h = %.17g\n",
                        no, p->in->id, x->x0, x->y0, x->w, x->h);
    if (st == ALM_OK)
        st = alm_buf_printf(
            b,
            "alm_top = alm_y0 + alm_h - %s - %zu*%s - %zu*%s - %s\n"
            "alm_bottom = alm_y0 + %s + %zu*%s + %s\n"
            "set lmargin at screen (alm_x0 + %s)/alm_cw\n"
            "set rmargin at screen (alm_x0 + alm_w - %s)/alm_cw\n"
            "set tmargin at screen alm_top/alm_ch\n"
            "set bmargin at screen alm_bottom/alm_ch\n",
            m->pad, title.n, m->title_h, key_rows, m->key_h, m->unit_h, m->pad,
            nbottom, m->line_h, m->xtics_h, m->ytics_w, m->right_w);
    /* Ranges and tics. */
    if (st == ALM_OK)
        st = alm_buf_printf(b, "set xrange [%.17g:%.17g]\n", p->xmin, p->xmax);
    if (st == ALM_OK)
        st = write_xtics(ds, p, x->w - (text ? 18 : 128),
                         text ? 1 : TIC_CHAR_PX, b);
    if (st == ALM_OK)
        st = alm_buf_printf(b,
                            "set yrange [%.17g:%.17g]\n"
                            "set ytics %.17g, %.17g, %.17g\n"
                            "set format y '%%.%df'\n",
                            p->ylo, p->yhi, p->ylo, p->ystep, p->yhi, p->ydec);
    if (st == ALM_OK)
        st = text && nkey
                 ? alm_buf_printf(
                       b,
                       "set key at screen alm_x0/alm_cw, screen "
                       "(alm_y0 + alm_h - %s - %zu*%s)/alm_ch left top "
                       "horizontal Left reverse noenhanced samplen 2 "
                       "maxrows %zu\n",
                       m->pad, title.n, m->title_h, key_rows)
                 : alm_buf_puts(b, "unset key\n");
    if (st == ALM_OK && !text)
        st = key_write(b, key, nkey, m, title.n, text);

    /* Texts around the plot. */
    struct alm_buf pos = ALM_BUF_INIT, ypos = ALM_BUF_INIT;
    const char *font_title = text ? "" : " font alm_title_font";
    const char *font_small = text ? "" : " font alm_small_font";
    for (size_t i = 0; i < title.n && st == ALM_OK; i++) {
        alm_buf_reset(&pos);
        alm_buf_reset(&ypos);
        st = alm_buf_printf(&ypos, "alm_y0 + alm_h - %s - (%zu + 0.5)*%s",
                            m->pad, i, m->title_h);
        if (st == ALM_OK)
            st = at_screen(&pos, x0pad, ypos.s);
        if (st == ALM_OK) {
            struct alm_buf sty = ALM_BUF_INIT;
            st = alm_buf_printf(&sty, "left%s tc rgb alm_text front",
                                font_title);
            if (st == ALM_OK)
                st = label(b, title.s[i], pos.s, sty.s);
            alm_buf_release(&sty);
        }
    }
    if (st == ALM_OK && u.len) {
        alm_buf_reset(&pos);
        alm_buf_reset(&ypos);
        st = alm_buf_printf(&ypos, "alm_top + 0.5*%s", m->unit_h);
        if (st == ALM_OK)
            st = at_screen(&pos, x0pad, ypos.s);
        if (st == ALM_OK) {
            struct alm_buf sty = ALM_BUF_INIT;
            st = alm_buf_printf(&sty, "left%s tc rgb alm_muted front",
                                font_small);
            if (st == ALM_OK)
                st = label(b, u.s, pos.s, sty.s);
            alm_buf_release(&sty);
        }
    }
    for (size_t i = 0; i < nbottom && st == ALM_OK; i++) {
        /* From the bottom: source lines, then quote lines above them. */
        const char *line = i < source.n ? source.s[source.n - 1 - i]
                                        : quote.s[quote.n - 1 - (i - source.n)];
        alm_buf_reset(&pos);
        alm_buf_reset(&ypos);
        st = alm_buf_printf(&ypos, "alm_y0 + %s + (%zu + 0.5)*%s", m->pad, i,
                            m->line_h);
        if (st == ALM_OK)
            st = at_screen(&pos, x0pad, ypos.s);
        if (st == ALM_OK) {
            struct alm_buf sty = ALM_BUF_INIT;
            st = alm_buf_printf(&sty, "left%s tc rgb alm_muted front",
                                font_small);
            if (st == ALM_OK)
                st = label(b, line, pos.s, sty.s);
            alm_buf_release(&sty);
        }
    }
    alm_buf_release(&pos);
    alm_buf_release(&ypos);
    if (st != ALM_OK)
        goto done;

    /* Labels on the data: the latest figure, the end of the projection,
     * the targets, breaks in the series, a note when there is no trend. */
    const char *lfont = text ? "" : "font alm_label_font ";
    if (latest) {
        char val[64], lab[96];
        if (p->scale == 1)
            snprintf(val, sizeof val, "%s", latest->value_text);
        else
            alm_format_number(latest->value / p->scale, 4, ALM_NUM_TRIM, val,
                              sizeof val);
        snprintf(lab, sizeof lab, "%s%s",
                 latest->qual == ALM_QUAL_NONE
                     ? ""
                     : alm_qualifier_text(latest->qual),
                 val);
        char at[160];
        snprintf(at, sizeof at,
                 " at first %.17g, first %.17g center offset 0, char 1.1",
                 alm_period_time(&latest->period), latest->value / p->scale);
        struct alm_buf sty = ALM_BUF_INIT;
        st = alm_buf_printf(&sty, "%stc rgb alm_obs front", lfont);
        if (st == ALM_OK)
            st = label(b, lab, at, sty.s);
        alm_buf_release(&sty);
    }
    if (st == ALM_OK && p->proj.fitted && p->proj.nrows) {
        const struct alm_projection_row *r = &p->proj.rows[p->proj.nrows - 1];
        char val[48], at[160];
        alm_format_number(r->f.value / p->scale, 3, ALM_NUM_TRIM, val,
                          sizeof val);
        snprintf(at, sizeof at,
                 " at first %.17g, first %.17g left offset char 0.8, 0", r->t,
                 r->f.value / p->scale);
        struct alm_buf sty = ALM_BUF_INIT;
        st = alm_buf_printf(&sty, "%stc rgb alm_proj front", lfont);
        if (st == ALM_OK)
            st = label(b, val, at, sty.s);
        alm_buf_release(&sty);
    }
    for (size_t i = 0; i < p->ntgt && st == ALM_OK; i++) {
        const struct alm_target *g = &ds->tgt[p->tgt[i]];
        char val[48], lab[96], at[160];
        if (p->scale == 1)
            snprintf(val, sizeof val, "%s", g->value_text);
        else
            alm_format_number(g->value / p->scale, 4, ALM_NUM_TRIM, val,
                              sizeof val);
        snprintf(lab, sizeof lab, "target %s%s%s",
                 g->direction > 0 ? "\xE2\x89\xA5" : "\xE2\x89\xA4",
                 g->qual == ALM_QUAL_ABOUT ? "~" : "", val);
        snprintf(at, sizeof at,
                 " at first %.17g, first %.17g center offset 0, char 1.3",
                 tgt_time(ds, p->tgt[i]), g->value / p->scale);
        struct alm_buf sty = ALM_BUF_INIT;
        st = alm_buf_printf(&sty, "%stc rgb alm_target front", lfont);
        if (st == ALM_OK)
            st = label(b, lab, at, sty.s);
        alm_buf_release(&sty);
    }
    /* Other vintages, each with its value and publication date, while
     * they are few enough to read. */
    for (size_t i = 0; i < p->nother && p->nother <= 8 && st == ALM_OK; i++) {
        const struct alm_obs *ob = &ds->obs[p->other[i]];
        char val[64], date[16] = "", lab[96], at[160];
        if (p->scale == 1)
            snprintf(val, sizeof val, "%s", ob->value_text);
        else
            alm_format_number(ob->value / p->scale, 4, ALM_NUM_TRIM, val,
                              sizeof val);
        if (ob->vintage != ALM_DATE_NONE)
            alm_date_format(ob->vintage, date, sizeof date);
        snprintf(lab, sizeof lab, "%s%s%s%s",
                 ob->qual == ALM_QUAL_NONE ? "" : alm_qualifier_text(ob->qual),
                 val, date[0] ? ", " : "", date);
        snprintf(at, sizeof at,
                 " at first %.17g, first %.17g left offset char 0.7, char -0.8",
                 alm_period_time(&ob->period), ob->value / p->scale);
        struct alm_buf sty = ALM_BUF_INIT;
        st = alm_buf_printf(&sty, "%stc rgb alm_other front",
                            text ? "" : "font alm_small_font ");
        if (st == ALM_OK)
            st = label(b, lab, at, sty.s);
        alm_buf_release(&sty);
    }
    for (size_t i = 0; i < p->nused && st == ALM_OK; i++) {
        const struct alm_obs *ob = &ds->obs[p->used[i]];
        if (ob->status != 'B')
            continue;
        double tb = (double)ob->period.m0 / 12.0;
        st = alm_buf_printf(b,
                            "set arrow from first %.17g, graph 0 to first "
                            "%.17g, graph 1 nohead ls %d back\n",
                            tb, tb, lsb + 12);
        if (st == ALM_OK) {
            char at[160];
            snprintf(at, sizeof at,
                     " at first %.17g, graph 0.97 left offset char 0.4, 0", tb);
            struct alm_buf sty = ALM_BUF_INIT;
            st = alm_buf_printf(&sty, "%stc rgb alm_muted front",
                                text ? "" : "font alm_small_font ");
            if (st == ALM_OK)
                st = label(b, "break in series", at, sty.s);
            alm_buf_release(&sty);
        }
    }
    if (st == ALM_OK && p->ylo < 0 && p->yhi > 0)
        st = alm_buf_printf(b,
                            "set arrow from graph 0, first 0 to graph 1, "
                            "first 0 nohead ls %d back\n",
                            lsb + 14);
    if (st == ALM_OK && !p->proj.fitted) {
        struct alm_buf n = ALM_BUF_INIT;
        st = alm_buf_printf(&n, "no trend: %s",
                            p->proj.note[0] ? p->proj.note : "no data");
        if (st == ALM_OK) {
            struct alm_buf sty = ALM_BUF_INIT;
            st = alm_buf_printf(&sty, "left%s tc rgb alm_muted front",
                                font_small);
            if (st == ALM_OK)
                st = label(b, n.s, " at graph 0.02, graph 0.94", sty.s);
            alm_buf_release(&sty);
        }
        alm_buf_release(&n);
    }
    if (st != ALM_OK)
        goto done;

    /* The data, numbers only. */
    size_t nmax =
        p->nused + p->nother + p->ntgt + p->proj.nrows + TREND_POINTS + 2;
    v = malloc(nmax * 4 * sizeof *v);
    if (!v) {
        st = ALM_ENOMEM;
        goto done;
    }
    bool first = true;
    struct alm_buf plot = ALM_BUF_INIT;
    char how[96], how1[48], how6[48], how8[48], how9[48], how11[48];
    snprintf(how1, sizeof how1, "using 1:2 with lines ls %d", lsb + 1);
    snprintf(how6, sizeof how6, "using 1:2 with points ls %d", lsb + 6);
    snprintf(how8, sizeof how8, "using 1:2 with lines ls %d", lsb + 8);
    snprintf(how9, sizeof how9, "using 1:2 with lines ls %d", lsb + 9);
    snprintf(how11, sizeof how11, "using 1:2 with points ls %d", lsb + 11);
    /* The band and the projection, from the last fitted period on. */
    if (p->proj.fitted && p->proj.nrows) {
        double tl = alm_period_time(&p->proj.last);
        struct alm_forecast f0;
        st = alm_fit_predict(fit, tl, o->proj.level, &f0, NULL);
        size_t k = 0;
        v[k * 4] = tl;
        v[k * 4 + 1] = f0.value / p->scale;
        v[k * 4 + 2] = (isfinite(f0.lower) ? f0.lower : f0.value) / p->scale;
        v[k * 4 + 3] = (isfinite(f0.upper) ? f0.upper : f0.value) / p->scale;
        k++;
        for (size_t i = 0; i < p->proj.nrows; i++, k++) {
            const struct alm_projection_row *r = &p->proj.rows[i];
            v[k * 4] = r->t;
            v[k * 4 + 1] = r->f.value / p->scale;
            v[k * 4 + 2] =
                (isfinite(r->f.lower) ? r->f.lower : r->f.value) / p->scale;
            v[k * 4 + 3] =
                (isfinite(r->f.upper) ? r->f.upper : r->f.value) / p->scale;
        }
        if (st == ALM_OK)
            st = datablock(b, &undef, no, "proj", v, k, 4);
        if (st == ALM_OK && fit->has_interval && !text)
            st = element(&plot, &first, no, "proj",
                         "using 1:3:4 with filledcurves ls 10", band_title);
        /* Text cannot shade: the band is drawn as its two edges. */
        if (st == ALM_OK && fit->has_interval && text)
            st = element(&plot, &first, no, "proj",
                         "using 1:3 with lines ls 110", band_title);
        if (st == ALM_OK && fit->has_interval && text)
            st = element(&plot, &first, no, "proj",
                         "using 1:4 with lines ls 110", NULL);
    }
    /* The trend over the fitted years. */
    if (st == ALM_OK && p->proj.fitted) {
        double t0 = alm_period_time(&p->proj.first);
        double t1 = alm_period_time(&p->proj.last);
        size_t np = straight(fit) || !(t1 > t0) ? 2 : TREND_POINTS;
        for (size_t i = 0; i < np && st == ALM_OK; i++) {
            double t = i + 1 == np
                           ? t1
                           : t0 + (t1 - t0) * (double)i / (double)(np - 1);
            struct alm_forecast f;
            st = alm_fit_predict(fit, t, o->proj.level, &f, NULL);
            v[i * 2] = t;
            v[i * 2 + 1] = f.value / p->scale;
        }
        if (st == ALM_OK)
            st = datablock(b, &undef, no, "trend", v, np, 2);
        if (st == ALM_OK)
            st = element(&plot, &first, no, "trend", how8, trend_title);
        if (st == ALM_OK && p->proj.nrows)
            st = element(&plot, &first, no, "proj", how9, NULL);
    }
    /* The line through the published figures (forecasts apart). */
    if (st == ALM_OK && nline > 1) {
        size_t k = 0;
        for (size_t i = 0; i < p->nused; i++) {
            const struct alm_obs *ob = &ds->obs[p->used[i]];
            if (ob->status == 'F')
                continue;
            v[k * 2] = alm_period_time(&ob->period);
            v[k * 2 + 1] = ob->value / p->scale;
            k++;
        }
        st = datablock(b, &undef, no, "line", v, k, 2);
        if (st == ALM_OK)
            st = element(&plot, &first, no, "line", how1, NULL);
    }
    /* Other vintages, then the figures by kind of point. */
    if (st == ALM_OK && p->nother) {
        for (size_t i = 0; i < p->nother; i++) {
            const struct alm_obs *ob = &ds->obs[p->other[i]];
            v[i * 2] = alm_period_time(&ob->period);
            v[i * 2 + 1] = ob->value / p->scale;
        }
        st = datablock(b, &undef, no, "other", v, p->nother, 2);
        if (st == ALM_OK)
            st = element(&plot, &first, no, "other", how6, "other vintages");
    }
    for (int c = 0; c < PC_COUNT && st == ALM_OK; c++) {
        if (!has[c])
            continue;
        size_t k = 0;
        for (size_t i = 0; i < p->nused; i++) {
            const struct alm_obs *ob = &ds->obs[p->used[i]];
            if (classify(ob) != (enum pclass)c)
                continue;
            v[k * 2] = alm_period_time(&ob->period);
            v[k * 2 + 1] = ob->value / p->scale;
            k++;
        }
        st = datablock(b, &undef, no, pclass_name[c], v, k, 2);
        snprintf(how, sizeof how, "using 1:2 with points ls %d",
                 lsb + pclass_ls[c]);
        if (st == ALM_OK)
            st = element(&plot, &first, no, pclass_name[c], how,
                         pclass_title[c]);
    }
    if (st == ALM_OK && p->ntgt) {
        for (size_t i = 0; i < p->ntgt; i++) {
            v[i * 2] = tgt_time(ds, p->tgt[i]);
            v[i * 2 + 1] = ds->tgt[p->tgt[i]].value / p->scale;
        }
        st = datablock(b, &undef, no, "target", v, p->ntgt, 2);
        if (st == ALM_OK)
            st = element(&plot, &first, no, "target", how11, "target");
    }
    if (st == ALM_OK && first)
        st = alm_buf_puts(&plot, "plot NaN notitle");
    if (st == ALM_OK)
        st = alm_buf_printf(b, "%s\n", plot.s);
    if (st == ALM_OK && undef.len)
        st = alm_buf_printf(b, "undefine%s\n", undef.s);
    alm_buf_release(&plot);

done:
    lines_release(&title);
    lines_release(&quote);
    lines_release(&source);
    alm_buf_release(&s);
    alm_buf_release(&q);
    alm_buf_release(&u);
    alm_buf_release(&undef);
    free(v);
    return st;
}

/* The theme: loaded by path, or its text copied in. */
static enum alm_status write_theme(const struct alm_chart_opts *o,
                                   struct alm_buf *b, struct alm_error *err)
{
    char path[4096];
    const char *theme =
        o->theme ? o->theme : alm_chart_theme_path(path, sizeof path);
    enum alm_status st = ALM_OK;
    if (!o->inline_theme) {
        st = alm_buf_puts(b, "load ");
        if (st == ALM_OK)
            st = alm_gp_quote(b, theme);
        if (st == ALM_OK)
            st = alm_buf_putc(b, '\n');
        return st == ALM_OK ? ALM_OK
                            : alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    struct alm_buf t = ALM_BUF_INIT;
    st = alm_file_read(theme, 1024 * 1024, &t, err);
    if (st != ALM_OK) {
        alm_error_locate(err, theme, 0, NULL);
        return st;
    }
    st = alm_buf_puts(b, "\n# ---- the theme (plots/theme.gp) ----\n");
    if (st == ALM_OK && t.len)
        st = alm_buf_add(b, t.s, t.len);
    if (st == ALM_OK && t.len && t.s[t.len - 1] != '\n')
        st = alm_buf_putc(b, '\n');
    if (st == ALM_OK)
        st = alm_buf_puts(b, "# ---- end of the theme ----\n");
    alm_buf_release(&t);
    return st == ALM_OK ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
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

enum alm_status alm_chart_write_script(const struct alm_dataset *ds,
                                       const struct alm_chart *charts, size_t n,
                                       const struct alm_chart_opts *o,
                                       struct alm_buf *out,
                                       struct alm_error *err)
{
    struct alm_fit_ws *w = alm_fit_ws_new(alm_dataset_longest(ds), err);
    if (!w)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    char date[32];
    alm_as_of_format(o->proj.as_of, date, sizeof date);
    enum alm_status st = alm_buf_printf(
        out,
        "# Written by almanac chart: the figures as of %s. Data inline;\n"
        "# gnuplot 5.4 or later redraws it without Almanac: gnuplot "
        "FILE.gp\n",
        date);
    if (st != ALM_OK) {
        alm_fit_ws_free(w);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    st = write_theme(o, out, err);
    size_t no = 0;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        const struct alm_chart *c = &charts[i];
        int cw, ch;
        chart_size(c, &cw, &ch);
        enum alm_status wst =
            alm_buf_printf(out, "\n# ---- chart %zu ----\n", i + 1);
        if (wst == ALM_OK)
            wst = write_terminal(c, out);
        if (wst == ALM_OK)
            wst = alm_buf_printf(
                out,
                "%sset termoption noenhanced\neval %s\n"
                "set output",
                /* The dumb terminal counts columns by
                 * characters only in UTF-8 mode; the
                 * others take UTF-8 always. */
                c->type == ALM_CHART_TEXT ? "set encoding utf8\n" : "",
                c->type == ALM_CHART_TEXT ? "alm_text_axes" : "alm_image_axes");
        if (wst == ALM_OK && c->output) {
            wst = alm_buf_putc(out, ' ');
            if (wst == ALM_OK)
                wst = alm_gp_quote(out, c->output);
        }
        if (wst == ALM_OK)
            wst = alm_buf_printf(out,
                                 "\nalm_cw = %d.0; alm_ch = %d.0\n"
                                 "set multiplot\n",
                                 cw, ch);
        if (wst != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        size_t cols = grid_cols(c), rows = (c->nind + cols - 1) / cols;
        const struct metrics *m =
            c->type == ALM_CHART_TEXT ? &text_metrics : &image_metrics;
        for (size_t k = 0; k < c->nind && st == ALM_OK; k++) {
            struct panel p;
            memset(&p, 0, sizeof p);
            p.no = ++no;
            struct box x = {c->type, m, 0, 0, 0, 0};
            x.w = (double)cw / (double)cols;
            x.h = (double)ch / (double)rows;
            x.x0 = x.w * (double)(k % cols);
            x.y0 = (double)ch - x.h * (double)(k / cols + 1);
            st = panel_collect(ds, w, o, c->ind[k], &p, err);
            if (st == ALM_OK && write_panel(ds, o, &p, &x, out) != ALM_OK)
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
            panel_release(&p);
        }
        if (st == ALM_OK &&
            alm_buf_puts(out, "unset multiplot\nunset output\n") != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    alm_fit_ws_free(w);
    return st;
}

/* ---- running gnuplot ----------------------------------------------------- */

/* Turns gnuplot's standard error into one line for a message: the lines
 * that say something (not the caret under the command), joined by "; ". */
static void gp_message(const char *text, char *out, size_t size)
{
    struct alm_buf b = ALM_BUF_INIT;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\n");
        const char *a = p, *z = p + len;
        while (a < z && (*a == ' ' || *a == '\t' || *a == '\r'))
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
            z--;
        bool carets = a < z && strspn(a, "^") >= (size_t)(z - a);
        if (a < z && !carets) {
            if (b.len)
                alm_buf_puts(&b, "; ");
            alm_buf_add(&b, a, (size_t)(z - a));
        }
        p += len;
        if (*p)
            p++;
    }
    alm_error_quote(b.s ? b.s : "", out, size);
    alm_buf_release(&b);
}

static void set_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0)
        fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* Feeds the script to gnuplot's standard input and collects its standard
 * error until both are done. Writes that find gnuplot gone (EPIPE) stop
 * the feeding: its exit status tells what happened. */
static enum alm_status gp_pump(int in, int er, const char *script, size_t len,
                               struct alm_buf *errtext, struct alm_error *err)
{
    size_t off = 0;
    int fl = fcntl(in, F_GETFL);
    if (fl >= 0)
        fcntl(in, F_SETFL, fl | O_NONBLOCK);
    if (len == 0) {
        close(in);
        in = -1;
    }
    while (in >= 0 || er >= 0) {
        struct pollfd fds[2] = {{in, POLLOUT, 0}, {er, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            if (in >= 0)
                close(in);
            if (er >= 0)
                close(er);
            return alm_fail(err, ALM_EEXTERNAL, "cannot talk to gnuplot: %s",
                            strerror(errno));
        }
        if (in >= 0 && fds[0].revents) {
            size_t chunk = len - off < 65536 ? len - off : 65536;
            ssize_t k = write(in, script + off, chunk);
            if (k > 0)
                off += (size_t)k;
            if ((k < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
                close(in);
                in = -1;
            }
        }
        if (er >= 0 && fds[1].revents) {
            char buf[4096];
            ssize_t k = read(er, buf, sizeof buf);
            if (k > 0 && errtext->len < STDERR_MAX)
                alm_buf_add(errtext, buf, (size_t)k);
            if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
                close(er);
                er = -1;
            }
        }
    }
    return ALM_OK;
}

/* Starts prog with standard input in_fd, output out_fd (-1: /dev/null)
 * and error err_fd, storing its id in *pid; returns 0 or the errno of the
 * failed fork or exec. The child dies with almanac (PR_SET_PDEATHSIG):
 * a killed almanac leaves no gnuplot drawing to a temporary file. */
static int spawn(const char *prog, char *const argv[], int in_fd, int out_fd,
                 int err_fd, pid_t *pid)
{
    int ep[2];
    if (pipe(ep) != 0)
        return errno;
    set_cloexec(ep[0]);
    set_cloexec(ep[1]);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        int e = errno;
        close(ep[0]);
        close(ep[1]);
        return e;
    }
    if (child == 0) {
        int e;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* The parent may have died before prctl: then nobody waits. */
        if (getppid() != parent)
            _exit(127);
        if (out_fd < 0)
            out_fd = open("/dev/null", O_WRONLY);
        if (dup2(in_fd, 0) < 0 || out_fd < 0 || dup2(out_fd, 1) < 0 ||
            dup2(err_fd, 2) < 0) {
            e = errno;
        } else {
            execvp(prog, argv);
            e = errno;
        }
        ssize_t w = write(ep[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(ep[1]);
    int e = 0;
    ssize_t k;
    do
        k = read(ep[0], &e, sizeof e);
    while (k < 0 && errno == EINTR);
    close(ep[0]);
    if (k == (ssize_t)sizeof e) {
        /* exec failed: the child has exited; collect it. */
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
            ;
        return e ? e : ENOEXEC;
    }
    *pid = child;
    return 0;
}

enum alm_status alm_gp_run(const char *script, size_t len, bool to_stdout,
                           struct alm_error *err)
{
    const char *env = getenv("ALMANAC_GNUPLOT");
    char prog[1024], arg_d[] = "-d", arg_in[] = "/dev/stdin";
    snprintf(prog, sizeof prog, "%s", env && *env ? env : "gnuplot");
    char *argv[] = {prog, arg_d, arg_in, NULL};
    int in[2] = {-1, -1}, er[2] = {-1, -1};
    if (pipe(in) != 0 || pipe(er) != 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (in[i] >= 0)
                close(in[i]);
            if (er[i] >= 0)
                close(er[i]);
        }
        return alm_fail(err, ALM_EEXTERNAL, "cannot run gnuplot: %s",
                        strerror(e));
    }
    for (int i = 0; i < 2; i++) {
        set_cloexec(in[i]);
        set_cloexec(er[i]);
    }
    /* gnuplot's standard output (text charts) goes to a temporary file
     * that is copied to ours afterwards: a write error there is ours to
     * report, which gnuplot's exit status would not do. */
    int out_fd = -1;
    if (to_stdout) {
        const char *tdir = getenv("TMPDIR");
        struct alm_buf tpl = ALM_BUF_INIT;
        if (alm_buf_printf(&tpl, "%s/almanac-gp-XXXXXX",
                           tdir && *tdir ? tdir : "/tmp") == ALM_OK)
            out_fd = mkstemp(tpl.s);
        if (out_fd >= 0)
            unlink(tpl.s);
        alm_buf_release(&tpl);
        if (out_fd < 0) {
            int e = errno;
            for (int i = 0; i < 2; i++) {
                close(in[i]);
                close(er[i]);
            }
            return alm_fail(err, ALM_EEXTERNAL,
                            "cannot make a temporary file for gnuplot: %s",
                            strerror(e));
        }
        set_cloexec(out_fd);
    }
    /* A write to a pipe whose reader is gone raises SIGPIPE, which would
     * kill the caller: block it while feeding gnuplot, and discard one
     * that this call raised. */
    sigset_t pipe_set, old_mask, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE) == 1;

    pid_t pid = -1;
    int rc = spawn(prog, argv, in[0], out_fd, er[1], &pid);
    close(in[0]);
    close(er[1]);
    enum alm_status st = ALM_OK;
    struct alm_buf errtext = ALM_BUF_INIT;
    int status = 0;
    if (rc != 0) {
        close(in[1]);
        close(er[0]);
        char q[300];
        alm_error_quote(prog, q, sizeof q);
        if (rc == ENOENT)
            st = alm_fail(err, ALM_EEXTERNAL,
                          "gnuplot not found ('%s'): install the package "
                          "gnuplot-nox (apt-get install gnuplot-nox)",
                          q);
        else
            st = alm_fail(err, ALM_EEXTERNAL, "cannot run '%s': %s", q,
                          strerror(rc));
    } else {
        st = gp_pump(in[1], er[0], script, len, &errtext, err);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (!was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            struct timespec zero = {0, 0};
            sigtimedwait(&pipe_set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (rc == 0 && st == ALM_OK) {
        char msg[400];
        gp_message(errtext.s ? errtext.s : "", msg, sizeof msg);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !msg[0])
            st = alm_fail(err, ALM_EEXTERNAL,
                          "gnuplot not found: install the package "
                          "gnuplot-nox (apt-get install gnuplot-nox)");
        else if (WIFSIGNALED(status))
            st = alm_fail(err, ALM_EEXTERNAL, "gnuplot was killed by signal %d",
                          WTERMSIG(status));
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            st = alm_fail(err, ALM_EEXTERNAL, "gnuplot failed: %s",
                          msg[0] ? msg : "no message");
    }
    alm_buf_release(&errtext);
    if (out_fd >= 0) {
        char chunk[65536];
        ssize_t k;
        if (st == ALM_OK && lseek(out_fd, 0, SEEK_SET) != 0)
            st = alm_fail(err, ALM_EIO, "cannot read gnuplot's output: %s",
                          strerror(errno));
        while (st == ALM_OK && (k = read(out_fd, chunk, sizeof chunk)) != 0) {
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                st = alm_fail(err, ALM_EIO, "cannot read gnuplot's output: %s",
                              strerror(errno));
            else if (fwrite(chunk, 1, (size_t)k, stdout) != (size_t)k ||
                     fflush(stdout) != 0)
                st = alm_fail(err, ALM_EIO,
                              "cannot write to standard output: %s",
                              strerror(errno));
        }
        close(out_fd);
    }
    return st;
}

/* ---- rendering ----------------------------------------------------------- */

/* gnuplot's svg terminal writes a font's style into its family name
 * ("Noto Sans CJK SC:Bold"), which SVG renderers do not understand, and
 * gives no fallback family. Rewrites the SVG at path so that the style
 * becomes font-weight and font-style attributes and every family ends
 * with sans-serif. Only attributes inside tags change: in text, '<' is
 * written "&lt;", so text from data is never touched. */
static enum alm_status svg_fonts(const char *path, struct alm_error *err)
{
    static const char key[] = "font-family=\"";
    struct alm_buf in = ALM_BUF_INIT, out = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(path, ALM_CSV_FILE_MAX, &in, err);
    bool tag = false;
    for (size_t i = 0; st == ALM_OK && i < in.len; i++) {
        const char *p = in.s + i;
        if (*p == '<')
            tag = true;
        else if (*p == '>')
            tag = false;
        const char *q = tag && strncmp(p, key, sizeof key - 1) == 0
                            ? strchr(p + sizeof key - 1, '"')
                            : NULL;
        if (!q) {
            st = alm_buf_putc(&out, *p);
            continue;
        }
        const char *name = p + sizeof key - 1;
        size_t len = (size_t)(q - name);
        const char *colon = memchr(name, ':', len);
        size_t flen = colon ? (size_t)(colon - name) : len;
        bool bold = false, italic = false;
        if (colon) {
            char style[64];
            alm__copy(style, sizeof style, colon);
            style[len - flen < sizeof style ? len - flen : sizeof style - 1] =
                '\0';
            bold = strstr(style, "Bold") != NULL;
            italic = strstr(style, "Italic") != NULL;
        }
        st = alm_buf_add(&out, p, sizeof key - 1);
        if (st == ALM_OK)
            st = alm_buf_add(&out, name, flen);
        if (st == ALM_OK)
            st = alm_buf_printf(&out, ", sans-serif\"%s%s",
                                bold ? " font-weight=\"bold\"" : "",
                                italic ? " font-style=\"italic\"" : "");
        i = (size_t)(q - in.s);
    }
    if (st == ALM_OK) {
        FILE *f = fopen(path, "wb");
        bool ok = f && fwrite(out.s, 1, out.len, f) == out.len;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok)
            st = alm_fail(err, ALM_EIO, "cannot write '%s'", path);
    }
    alm_buf_release(&in);
    alm_buf_release(&out);
    return st;
}

/* The temporary files of charts being drawn: DEBRIS_PREFIX PID-N.tmp. */
#define DEBRIS_PREFIX ".almanac-chart-"

/* Removes from dir the temporary files of charts whose process is gone
 * (killed while gnuplot drew): kill(pid, 0) says ESRCH. */
static void sweep_debris(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t pl = strlen(DEBRIS_PREFIX);
    while (d && (e = readdir(d)) != NULL) {
        char *end;
        if (strncmp(e->d_name, DEBRIS_PREFIX, pl) != 0)
            continue;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-' || !strstr(end, ".tmp"))
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        struct alm_buf p = ALM_BUF_INIT;
        if (alm_buf_printf(&p, "%s/%s", dir, e->d_name) == ALM_OK)
            unlink(p.s);
        alm_buf_release(&p);
    }
    if (d)
        closedir(d);
}

enum alm_status alm_chart_render(const struct alm_dataset *ds,
                                 const struct alm_chart *charts, size_t n,
                                 const struct alm_chart_opts *o,
                                 struct alm_error *err)
{
    struct alm_chart *tmp = calloc(n ? n : 1, sizeof *tmp);
    char **names = calloc(n ? n : 1, sizeof *names);
    char **reals = calloc(n ? n : 1, sizeof *reals);
    enum alm_out_kind *kinds = calloc(n ? n : 1, sizeof *kinds);
    struct alm_buf script = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    bool to_stdout = false;
    if (!tmp || !names || !reals || !kinds) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    /* Create each temporary file now: an output that cannot be written
     * fails here, before gnuplot runs. */
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        tmp[i] = charts[i];
        if (!charts[i].output) {
            to_stdout = true;
            continue;
        }
        /* A regular file (or a link to one) is replaced atomically by a
         * temporary file beside it; a device or a FIFO is written in
         * place, from a temporary file in the temporary folder. */
        st = alm_fs_output_kind(charts[i].output, &kinds[i], &reals[i], err);
        if (st != ALM_OK)
            break;
        struct alm_buf b = ALM_BUF_INIT;
        const char *tdir = getenv("TMPDIR");
        /* The temporary name is made of safe characters only: gnuplot
         * cannot open every name (a newline in it becomes a space). */
        const char *slash = strrchr(reals[i], '/');
        if (kinds[i] == ALM_OUT_DIRECT)
            st = alm_buf_puts(&b, tdir && *tdir ? tdir : "/tmp");
        else if (slash)
            st = alm_buf_add(&b, reals[i], (size_t)(slash - reals[i]));
        else
            st = alm_buf_puts(&b, ".");
        if (st == ALM_OK)
            sweep_debris(b.s);
        if (st != ALM_OK || alm_buf_printf(&b, "/" DEBRIS_PREFIX "%ld-%zu.tmp",
                                           (long)getpid(), i) != ALM_OK) {
            alm_buf_release(&b);
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
        names[i] = alm_buf_detach(&b);
        int fd = open(names[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
        if (fd < 0) {
            char q[300];
            st = alm_fail(err, ALM_EIO, "cannot write '%s': %s",
                          alm_error_quote(charts[i].output, q, sizeof q),
                          strerror(errno));
            free(names[i]);
            names[i] = NULL;
            break;
        }
        close(fd);
        tmp[i].output = names[i];
    }
    if (st == ALM_OK)
        st = alm_chart_write_script(ds, tmp, n, o, &script, err);
    if (st == ALM_OK)
        st = alm_gp_run(script.s, script.len, to_stdout, err);
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        struct stat sb;
        if (!names[i])
            continue;
        char q[300];
        alm_error_quote(charts[i].output, q, sizeof q);
        if (stat(names[i], &sb) != 0 || sb.st_size == 0)
            st = alm_fail(err, ALM_EEXTERNAL, "gnuplot wrote nothing to '%s'",
                          q);
        else if (charts[i].type == ALM_CHART_SVG &&
                 svg_fonts(names[i], err) != ALM_OK)
            st = ALM_EIO;
        else if (kinds[i] == ALM_OUT_DIRECT) {
            struct alm_buf data = ALM_BUF_INIT;
            st = alm_file_read(names[i], ALM_CSV_FILE_MAX, &data, err);
            if (st == ALM_OK)
                st = alm_fs_write_atomic(charts[i].output, data.s ? data.s : "",
                                         data.len, err);
            alm_buf_release(&data);
        } else if (rename(names[i], reals[i]) != 0)
            st = alm_fail(err, ALM_EIO, "cannot write '%s': %s", q,
                          strerror(errno));
        else {
            free(names[i]);
            names[i] = NULL;
        }
    }
done:
    for (size_t i = 0; names && i < n; i++) {
        if (names[i])
            unlink(names[i]);
        free(names[i]);
    }
    for (size_t i = 0; reals && i < n; i++)
        free(reals[i]);
    free(names);
    free(reals);
    free(kinds);
    free(tmp);
    alm_buf_release(&script);
    return st;
}
