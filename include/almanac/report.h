/* Reports: a whole dataset as one document people can publish (SPEC.md
 * `report`): a summary table of every indicator, then a section per
 * indicator with its chart, the fitted model, the target assessments in
 * plain words and every figure's source as a citation, then a methods
 * appendix.
 *
 * Formats, by the output's extension: ".html" is one self-contained file
 * (inline CSS, charts inline as SVG, no script, no external reference);
 * ".md" is Markdown with the charts written as PNG files in a folder
 * beside it (NAME_files/ID.png); ".txt" is a plain-text summary for a
 * terminal. Every text from the dataset is escaped for the format. The
 * output depends only on the dataset and the options (dates come from the
 * data, never the clock), so the same input gives the same bytes. */
#ifndef ALMANAC_REPORT_H
#define ALMANAC_REPORT_H

#include <stdbool.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/fit.h>

enum alm_report_format { ALM_REPORT_HTML, ALM_REPORT_MD, ALM_REPORT_TXT };

struct alm_report_opts {
    enum alm_report_format format;
    const char *to; /* projection horizon (a period), or NULL */
    struct alm_model_spec model;
    double level; /* percent */
    long as_of;
    const char *title;       /* the report's title, or NULL for the dataset's */
    const char *charts_dir;  /* .md: where PNG charts go; NULL: no charts */
    const char *charts_href; /* .md: how the Markdown refers to that folder */
    bool charts;             /* .html: draw charts (needs gnuplot) */
};

/* Picks the format from a file name's extension (.html, .htm, .md, .txt;
 * "-", standard output, is text); ALM_EINPUT for any other. */
enum alm_status alm_report_format_from_path(const char *path,
                                            enum alm_report_format *out,
                                            struct alm_error *err);

/* The files a report writes beside its output: for Markdown with charts,
 * the folder NAME_files/ beside NAME.md, referred to relatively.
 * Caller-owned: zero it (ALM_REPORT_PLAN_INIT), end it with
 * alm_report_plan_finish(). */
struct alm_report_plan {
    char *files;  /* the charts folder, or NULL */
    char *href;   /* how the document refers to it */
    bool created; /* this run made the folder */
};

#define ALM_REPORT_PLAN_INIT                                                   \
    {                                                                          \
        NULL, NULL, false                                                      \
    }

/* Plans the report into output (o->format already set): for Markdown with
 * o->charts, creates the charts folder if missing and points
 * o->charts_dir and o->charts_href at it (they borrow from p). ALM_EIO
 * when the folder cannot be made. */
enum alm_status alm_report_plan(const char *output, struct alm_report_opts *o,
                                struct alm_report_plan *p,
                                struct alm_error *err);

/* Ends a plan: when st is not ALM_OK, removes the charts folder this run
 * made, with its files, so a failed report leaves no folder without its
 * document; then frees p's memory. */
void alm_report_plan_finish(struct alm_report_plan *p, enum alm_status st);

/* Writes the report of ds into out. Charts are drawn through gnuplot when
 * asked (one process for all of them); a missing or failing gnuplot is
 * ALM_EEXTERNAL. */
enum alm_status alm_report_build(const struct alm_dataset *ds,
                                 const struct alm_report_opts *o,
                                 struct alm_buf *out, struct alm_error *err);

/* Appends text to out with the five HTML special characters escaped
 * (& < > " ') so that it can only ever be text, in an element or in a
 * quoted attribute. */
enum alm_status alm_html_escape(struct alm_buf *out, const char *text);

/* Appends text to out escaped for Markdown: characters with a meaning in
 * Markdown get a backslash, HTML's special characters become entities,
 * and line breaks become spaces (so that table cells stay on one line). */
enum alm_status alm_md_escape(struct alm_buf *out, const char *text);

#endif
