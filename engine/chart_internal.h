/* What the chart files share (never installed): the panel data, text
 * wrapping, the layout constants and the theme's line styles.
 *
 * chart_gp.c      quoting for gnuplot, running gnuplot
 * chart_panel.c   one panel's data: series, targets, projection, ranges
 * chart_script.c  the script: theme, terminal, a panel's frame and texts
 * chart_plot.c    a panel's key, data labels, datablocks and plot command
 * chart_render.c  drawing into files through temporary names
 * chart_plan.c    options and output planning */
#ifndef ALMANAC_CHART_INTERNAL_H
#define ALMANAC_CHART_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/buf.h>
#include <almanac/chart.h>
#include <almanac/project.h>
#include <almanac/units.h>

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

/* The line styles of plots/theme.gp, by what they draw. Text charts use
 * the same style plus LS_TEXT (101 is the text version of 1). */
enum gp_style {
    LS_LINE = 1,     /* the line through the published figures */
    LS_STATED = 2,   /* published figures as stated: filled circle */
    LS_ABOUT = 3,    /* "about" (~) */
    LS_OVER = 4,     /* "over" (>, >=) */
    LS_UNDER = 5,    /* "under" (<, <=) */
    LS_OTHER = 6,    /* other vintages */
    LS_FORECAST = 7, /* forecasts published as such (status F) */
    LS_TREND = 8,    /* the fitted trend over the observed years */
    LS_PROJ = 9,     /* the projection */
    LS_BAND = 10,    /* the prediction-interval band */
    LS_TARGET = 11,  /* targets */
    LS_BREAK = 12,   /* a break in the series */
    LS_ZERO = 14,    /* the zero line */
    LS_TEXT = 100    /* added for the text chart's version of a style */
};

/* Lines of text wrapped to a width. */
struct lines {
    char *s[LINES_MAX];
    size_t n;
};

void alm__lines_release(struct lines *l);

/* Wraps text into at most max lines of at most cols cells: lines break at
 * newlines, then at spaces, or before a wide (CJK) character, or anywhere
 * in a word longer than a line. Text that does not fit ends with "…". */
enum alm_status alm__wrap_text(const char *text, size_t cols, size_t max,
                               struct lines *out);

/* Kinds of points of the published figures, each a datablock and a
 * line style of the theme. */
enum pclass { PC_STATED, PC_ABOUT, PC_OVER, PC_UNDER, PC_FORECAST, PC_COUNT };

enum pclass alm__pclass_of(const struct alm_obs *ob);

/* One panel's data: what it draws, in data units, and its ranges. */
struct panel {
    size_t no; /* panel number in the script, for datablock names */
    size_t ind;
    const struct alm_indicator *in;
    size_t *used, nused;   /* the series analysis uses */
    size_t *other, nother; /* other vintages (with --vintages) */
    size_t *tgt, ntgt;     /* targets announced by as_of */
    struct alm_projection proj;
    double scale;            /* values are drawn divided by scale, in unit */
    char unit[ALM_UNIT_MAX]; /* "million vehicles" (alm_unit_readable) */
    /* With alm_chart_opts.level: the level's figures (indices into
     * lds->obs), drawn on the right axis, divided by lscale, in lunit,
     * over y2lo..y2hi; nlused 0 without one. */
    const struct alm_dataset *lds;
    size_t *lused, nlused;
    double lscale;
    char lunit[ALM_UNIT_MAX];
    double y2lo, y2hi, y2step;
    int y2dec;
    double xmin, xmax;      /* the x range */
    double ylo, yhi, ystep; /* the y range and tic step, scaled */
    int ydec;               /* decimals of the y tic labels */
};

/* Collects what panel p (zeroed by the caller) draws for indicator ind
 * and works out its ranges. Release p with alm__panel_release() whatever
 * the result. */
enum alm_status alm__panel_collect(const struct alm_dataset *ds,
                                   struct alm_fit_ws *w,
                                   const struct alm_chart_opts *o, size_t ind,
                                   struct panel *p, struct alm_error *err);

void alm__panel_release(struct panel *p);

/* Whether ob was computed from published figures (a transformed series,
 * series.h: its "computed" column says how). */
bool alm__obs_computed(const struct alm_dataset *ds, const struct alm_obs *ob);

/* The time coordinate of target k. */
double alm__target_time(const struct alm_dataset *ds, size_t k);

/* Whether the fitted trend is a straight line in t. */
bool alm__fit_straight(const struct alm_fit *f);

/* Names of the months, for tick labels. */
extern const char *const alm__month_abbr[12];

/* The layout quantities of a panel: theme variables (pixels) for images,
 * character cells for text. */
struct metrics {
    const char *pad, *title_h, *key_h, *unit_h, *line_h, *xtics_h, *ytics_w,
        *right_w;
};

/* Everything a panel's writer needs about where it draws. */
struct box {
    enum alm_chart_type type;
    const struct metrics *m;
    double x0, y0, w, h; /* the panel, in pixels (cells) from bottom left */
};

/* Appends "set label TEXT POS STYLE noenhanced": text quoted (whether it
 * comes from data or not), then the position and style made by fmt. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void alm__gp_label(struct alm_buf *b, const char *text, const char *fmt, ...);

/* The texts around a panel's plot: title, quote of the latest figure,
 * source, unit line. */
struct texts {
    struct lines title, quote, source;
    struct alm_buf unit, unit2; /* unit2: the right axis's, or empty */
};

/* Builds the texts of panel p for a usable width (pixels or cells). */
enum alm_status alm__texts_build(const struct alm_dataset *ds,
                                 const struct alm_chart_opts *o,
                                 const struct panel *p, const struct box *x,
                                 double usable, struct texts *t,
                                 struct alm_error *err);
void alm__texts_release(struct texts *t);

/* Writes the panel's frame: its place, margins, ranges, tics and (for
 * text charts, with nkey entries in key_rows rows) gnuplot's key. */
void alm__write_frame(struct alm_buf *b, const struct alm_dataset *ds,
                      const struct panel *p, const struct box *x,
                      const struct texts *t, size_t nkey, size_t key_rows);

/* Writes the title lines, the unit and the quote and source lines. */
void alm__write_texts(struct alm_buf *b, const struct box *x,
                      const struct texts *t);

/* Writes the labels on the data: the latest figure, the end of the
 * projection, the targets, other vintages, breaks, the zero line, a note
 * when there is no trend. */
void alm__plot_labels(struct alm_buf *b, const struct alm_dataset *ds,
                      const struct panel *p, const struct box *x);

/* Writes everything that draws panel p into box x (chart_plot.c). Fails
 * with what failed: a prediction, or memory. */
enum alm_status alm__write_panel(const struct alm_dataset *ds,
                                 const struct alm_chart_opts *o,
                                 const struct panel *p, const struct box *x,
                                 struct alm_buf *b, struct alm_error *err);

/* The latest published figure of p that is no forecast, or NULL. */
const struct alm_obs *alm__panel_latest(const struct alm_dataset *ds,
                                        const struct panel *p);

#endif
