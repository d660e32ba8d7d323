/* Charts: indicators drawn by gnuplot, run as a separate process.
 *
 * A chart is one output file (or the terminal) holding one panel per
 * indicator: the observations as points on a line (qualified figures, other
 * vintages and forecasts marked differently), the fitted trend and its
 * projection with the prediction-interval band (project.h), the targets
 * with their comparator, the unit on the axis, a title, the quote of the
 * latest figure and a source line. The look (fonts, colours, line styles,
 * spacing) lives in a gnuplot theme file, plots/theme.gp, that every script
 * loads or inlines: change it, not this module, to restyle the charts.
 *
 * Safety. The script is built here and fed to gnuplot on its standard
 * input; gnuplot is spawned with an argument vector, never through a
 * shell. Every text that comes from data goes through alm_gp_quote(): it
 * reaches gnuplot single-quoted (where gnuplot expands neither backquotes
 * nor macros), with enhanced text off (so "_", "^", "&" and "@" draw as
 * themselves), and with no control character (so a newline cannot start a
 * new command). Datablocks hold numbers only, written with "%.17g".
 *
 * One gnuplot process draws every chart of a batch: the script switches
 * `set output` from one file to the next. Files are drawn into temporary
 * names beside their targets and renamed into place only when gnuplot has
 * succeeded, so a failure leaves no half-written file. */
#ifndef ALMANAC_CHART_H
#define ALMANAC_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/project.h>

/* Output formats: the gnuplot terminals pngcairo, svg, pdfcairo and dumb
 * (text, for the terminal or a .txt file). */
enum alm_chart_type {
    ALM_CHART_PNG,
    ALM_CHART_SVG,
    ALM_CHART_PDF,
    ALM_CHART_TEXT
};

/* The default size of one panel: pixels for images (a PDF page has the
 * same proportions, at 72 points per inch), characters for text. */
#define ALM_CHART_WIDTH       800
#define ALM_CHART_HEIGHT      500
#define ALM_CHART_TEXT_WIDTH  80
#define ALM_CHART_TEXT_HEIGHT 25

/* The largest width or height accepted, in pixels or characters. */
#define ALM_CHART_SIZE_MAX 20000

/* One output: a figure of nind panels, one per indicator. */
struct alm_chart {
    const size_t *ind; /* indices into ds->ind; nind >= 1 */
    size_t nind;
    const char *output; /* the file; NULL: standard output (text only) */
    enum alm_chart_type type;
    int width, height; /* the whole figure; 0 for the default: a panel
                          of the default size each, two columns from
                          four panels on */
};

struct alm_chart_opts {
    struct alm_projection_opts proj; /* model, --to, level, as_of */
    bool vintages;     /* also draw every other vintage of each figure */
    const char *theme; /* the theme file; NULL: alm_chart_theme_path() */
    bool inline_theme; /* copy the theme's text into the script instead of
                          loading it, so the script stands alone */
    /* NULL, or the dataset of the levels of the series drawn (chart
     * --with-level: the series before its --transform): each panel also
     * draws the level of its indicator (the same id), as of the same
     * date, on a right-hand axis at a readable scale of its unit. */
    const struct alm_dataset *level;
};

/* Appends text to out as a gnuplot string expression that gnuplot takes
 * literally: the text inside single quotes (where gnuplot expands no
 * backquote, no @macro and no escape), except that
 *   - every "'" is written '."\047".' : the string is closed, a
 *     double-quoted octal escape for the quote is concatenated, and a new
 *     string is opened. Doubling it is not safe in gnuplot 5.4: a run such
 *     as '''' ends the string early. Nor is "'": gnuplot's scan for
 *     macros counts that quote, loses track of which text is quoted, and
 *     expands @names in the text that follows;
 *   - a tab, newline or carriage return becomes a space (a newline would
 *     end the command) and every other control character (C0, DEL) is
 *     dropped. */
enum alm_status alm_gp_quote(struct alm_buf *out, const char *text);

/* Writes into buf (size bytes) the theme file charts use by default:
 * $ALMANAC_PLOTS/theme.gp when that variable is set and not empty, else
 * PREFIX/share/almanac/plots/theme.gp of the prefix the running program is
 * installed in (its folder's parent), else theme.gp in the plots folder of
 * the source tree Almanac was built from, else that of the configured
 * install prefix (the first that exists). Returns buf. */
const char *alm_chart_theme_path(char *buf, size_t size);

/* Parses a --type value: "png", "svg", "pdf" or "txt". */
enum alm_status alm_chart_type_parse(const char *text, enum alm_chart_type *out,
                                     struct alm_error *err);

/* Tells the type of an output file by its extension (.png, .svg, .pdf,
 * .txt; any case). Returns false, leaving *out alone, for any other. */
bool alm_chart_type_of_path(const char *path, enum alm_chart_type *out);

/* The extension of a type, without the dot: "png". */
const char *alm_chart_type_ext(enum alm_chart_type type);

/* Parses a --size value "WIDTHxHEIGHT" (e.g. "800x500"), each from 10 to
 * ALM_CHART_SIZE_MAX. */
enum alm_status alm_chart_size_parse(const char *text, int *width, int *height,
                                     struct alm_error *err);

/* What the command line asks for, before any dataset is opened: -o (a
 * file, a folder ending in '/' or existing, "-" for the terminal, or
 * NULL), --script (or NULL), --type and --size (texts, or NULL), and the
 * terminal's size for "-o -" (characters; 0 for the default). */
struct alm_chart_request {
    const char *output;
    const char *script;
    const char *type;
    const char *size;
    int term_width, term_height;
};

/* The outputs of one chart run, planned by alm_chart_plan_parse() (the
 * format and size, from the request alone) and alm_chart_plan() (one
 * chart per indicator into a folder, else one figure of every panel).
 * Caller-owned: zero it first (or ALM_CHART_PLAN_INIT), release it with
 * alm_chart_plan_release(). */
struct alm_chart_plan {
    struct alm_chart_request rq;
    enum alm_chart_type type;
    bool folder;       /* -o names a folder: a file per indicator */
    int width, height; /* --size, else 0 */
    struct alm_chart *charts;
    size_t n;     /* charts in use */
    char **paths; /* the file names the plan made, n of them (or NULL) */
    size_t npaths;
};

#define ALM_CHART_PLAN_INIT                                                    \
    {                                                                          \
        0                                                                      \
    }

/* Resolves the request's format and size into p: --type if given, else
 * SVG for a folder, text for "-", else the output's extension. Fails with
 * ALM_EINPUT, located at the option, on an unknown format, an image asked
 * for standard output, or a bad --size. */
enum alm_status alm_chart_plan_parse(const struct alm_chart_request *rq,
                                     struct alm_chart_plan *p,
                                     struct alm_error *err);

/* Plans the charts of the nids indicators ids (into ds->ind; ids must
 * outlive p): with a folder, which it creates when missing, one
 * FOLDER/ID.EXT each; else one figure of every panel, into -o's file, the
 * terminal (sized to term_width x term_height a panel unless --size was
 * given), or with --script alone the script's name with the format's
 * extension. ALM_EINPUT when nids is 0, ALM_EIO when the folder cannot be
 * made. */
enum alm_status alm_chart_plan(struct alm_chart_plan *p,
                               const struct alm_dataset *ds, const size_t *ids,
                               size_t nids, struct alm_error *err);

/* Frees what the plan holds and zeroes it. */
void alm_chart_plan_release(struct alm_chart_plan *p);

/* Appends to out the gnuplot script that draws the n charts, each into
 * its own output as named in charts[i].output (standard output when NULL).
 * The script is deterministic: the same dataset and options give the same
 * bytes. Fails with ALM_EINPUT on bad options (--to not a period) and
 * ALM_EIO when the theme cannot be read for inlining. */
enum alm_status alm_chart_write_script(const struct alm_dataset *ds,
                                       const struct alm_chart *charts, size_t n,
                                       const struct alm_chart_opts *o,
                                       struct alm_buf *out,
                                       struct alm_error *err);

/* Draws the n charts with one gnuplot process: each file is drawn under a
 * temporary name in its target folder and renamed over its target once
 * gnuplot has succeeded. An output that cannot be created fails with
 * ALM_EIO before gnuplot runs; gnuplot missing or failing is
 * ALM_EEXTERNAL, with gnuplot's own message. On failure no output and no
 * temporary file is left. */
enum alm_status alm_chart_render(const struct alm_dataset *ds,
                                 const struct alm_chart *charts, size_t n,
                                 const struct alm_chart_opts *o,
                                 struct alm_error *err);

/* The first line gnuplot --version prints (the program alm_gp_run()
 * runs), as "gnuplot 5.4 patchlevel 4", into out; "not found" when it
 * cannot be started or prints nothing. */
void alm_gp_version(char *out, size_t size);

/* Runs gnuplot (the program $ALMANAC_GNUPLOT, else "gnuplot" on the PATH)
 * on the script, fed through a pipe, with its standard output going to
 * ours when to_stdout is true and to /dev/null otherwise. gnuplot stops at
 * the first error. Returns ALM_EEXTERNAL, naming the package to install,
 * when gnuplot cannot be started, and ALM_EEXTERNAL with gnuplot's message
 * when it fails. */
enum alm_status alm_gp_run(const char *script, size_t len, bool to_stdout,
                           struct alm_error *err);

#endif
