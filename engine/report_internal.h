/* What the report files share (never installed).
 *
 * report.c         the facts (computed once) and the one document walk
 * report_html.c    the HTML backend
 * report_md.c      the Markdown backend
 * report_txt.c     the text backend
 * report_charts.c  the charts a report draws
 * report_plan.c    the format and the Markdown charts folder
 *
 * The walk (alm__report_walk) goes through the document in order and
 * calls a backend's operations with the words already made; a backend
 * only marks them up, escaping every text from the dataset. Operations a
 * backend leaves NULL are skipped: the text backend has a summary and a
 * closing block only. Appends go to a buffer that remembers its failure,
 * checked once by the walk. */
#ifndef ALMANAC_REPORT_INTERNAL_H
#define ALMANAC_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/report.h>
#include <almanac/view.h>

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
    char date[32];  /* the as-of date */
    char level[32]; /* the prediction level, "95" */
};

/* A target as the walk hands it to a backend. */
struct rtarget {
    const struct alm_target *g;
    const struct alm_track *a;
    const char *period; /* "2030" */
    const char *value;  /* for people: "500,000,000,000" */
    const char *words;  /* the assessment in plain words, a line each */
    const char *quote;  /* the quote that set it, or "" */
    const char *cite;   /* where it was set, or "" */
};

/* A figure of the sources list. */
struct rsource {
    size_t no; /* from 1 */
    const struct alm_obs *ob;
    const char *figure; /* "2022: >13 (status P), published 2023-07-05" */
    const char *cite;   /* its sources, or "" */
};

/* A backend: how each part of the document is marked up. */
struct markup {
    void (*begin)(const struct facts *f, struct alm_buf *out);
    void (*summary)(const struct facts *f, struct alm_table *t,
                    struct alm_buf *out);
    /* An indicator's heading, facts and chart. */
    void (*indicator)(const struct facts *f, size_t k, struct alm_buf *out);
    /* Its fitted model in words ("" when not fitted), and its note. */
    void (*trend)(const struct facts *f, size_t k, const char *words,
                  struct alm_buf *out);
    /* The projection table: header, one row per period, end. */
    void (*proj_begin)(struct alm_buf *out);
    void (*proj_row)(const char *period, const char *value, const char *lower,
                     const char *upper, struct alm_buf *out);
    void (*proj_end)(struct alm_buf *out);
    void (*panel_end)(struct alm_buf *out); /* after the trend and table */
    void (*target)(const struct rtarget *t, struct alm_buf *out);
    void (*sources_begin)(struct alm_buf *out);
    void (*source)(const struct rsource *s, struct alm_buf *out);
    void (*sources_end)(struct alm_buf *out);
    void (*indicator_end)(struct alm_buf *out);
    void (*methods)(const char *text, struct alm_buf *out);
    /* An indicator beside the one its same_as names: a heading, a
     * paragraph and the table of alm_derive_compare (derive.h). */
    void (*compare)(const char *heading, const char *intro,
                    const struct alm_table *t, struct alm_buf *out);
    void (*end)(const struct facts *f, struct alm_buf *out);
};

extern const struct markup alm__report_html, alm__report_md, alm__report_txt;

/* The methods appendix, a paragraph a line. */
extern const char alm__report_methods[];

/* Walks the document of f through backend m into out. */
enum alm_status alm__report_walk(const struct facts *f, const struct markup *m,
                                 struct alm_buf *out, struct alm_error *err);

/* The summary table: one row per indicator, as plain-text cells
 * indicator,latest,change,trend,projection,target (targets a line each).
 * NULL when out of memory. */
struct alm_table *alm__report_summary(const struct facts *f);

/* A target of an indicator, as the report names it. */
struct rtarget_name {
    const struct alm_track *a;
    const struct alm_target *g;
    char period[ALM_PERIOD_TEXT_MAX]; /* "2030" */
    char value[64];                   /* for people: "500,000,000,000" */
};

/* Steps *i (0 to start) to the next assessment of a target of indicator
 * k and names it in *t; false when there is none left. */
bool alm__report_next_target(const struct facts *f, size_t k, size_t *i,
                             struct rtarget_name *t);

/* The status marker: a symbol and a word, so that colour is never the
 * only signal. */
const char *alm__status_marker(const char *status);

/* The CSS class of a status: good, fair, poor or none. */
const char *alm__status_class(const char *status);

/* A number for people, trailing zeros dropped and large amounts grouped:
 * a report's prose and summary are read, not aligned. */
void alm__report_number(double x, char *out, size_t size);

/* Walks the comparisons of derived and same_as indicators with their
 * published counterparts through m->compare (derive_report.c). */
enum alm_status alm__report_compare(const struct facts *f,
                                    const struct markup *m, struct alm_buf *out,
                                    struct alm_error *err);

/* Draws the charts of f (report_charts.c): inline SVG for HTML, PNG files
 * in charts_dir for Markdown. */
enum alm_status alm__report_charts(struct facts *f, struct alm_error *err);

#endif
