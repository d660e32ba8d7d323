/* Projections: an indicator of a dataset fitted (fit.h) and projected
 * period by period, with everything a reader must know about the inputs:
 * forecasts left out, qualified figures used at their stated value, breaks
 * in the series, bounds of the indicator's kind crossed by an interval.
 *
 * A struct alm_projection is caller-owned; release it with
 * alm_projection_release(). */
#ifndef ALMANAC_PROJECT_H
#define ALMANAC_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>
#include <almanac/fit.h>

struct alm_projection_opts {
    struct alm_model_spec model;
    const char *to; /* a period; NULL: the latest target, else +5 years */
    double level;   /* percent, e.g. 95 */
    long as_of;     /* vintages and targets not after this date */
};

struct alm_projection_row {
    struct alm_period period;
    double t;
    struct alm_forecast f;
    /* Outside the domain of the indicator's kind (fit.h): the words of
     * alm_domain_words for the value and each bound, NULL when inside. */
    const char *value_out, *lower_out, *upper_out;
    bool crosses; /* any of the three is outside */
};

/* Writes the flag of a row in words ("projection at or below -100%:
 * impossible for a growth rate", "lower bound below 0: impossible for a
 * count"), "" when the row stays inside its domain. */
void alm_projection_row_flag(const struct alm_projection_row *r, char *out,
                             size_t size);

/* Writes where a projection first leaves its domain, in words ("from 2018
 * the projection is below 0: impossible for a count"; the interval when
 * only a bound does), or with caption set the same words most important
 * first, for a chart's caption that may be cut ("Impossible for a count
 * from 2018 (projection below 0)"); "" when it never leaves. */
struct alm_projection;
void alm_projection_flag_summary(const struct alm_projection *p, char *out,
                                 size_t size, bool caption);

struct alm_projection {
    size_t ind;
    bool fitted; /* false: see note */
    struct alm_fit fit;
    size_t n;         /* points fitted */
    size_t forecasts; /* observations left out for status F */
    size_t qualified; /* qualified figures used at their stated value */
    char breaks[64];  /* periods with status B, "" if none */
    struct alm_period first, last; /* the first and last period fitted */
    double last_value;
    char note[400]; /* why there is no fit, or remarks; "" if none */
    size_t nrows;
    struct alm_projection_row *rows;
};

/* Fits indicator ind of ds as of o->as_of and projects it to o->to. A
 * series the model cannot fit (one point, too few for poly:K, a zero under
 * loglinear) is not an error: *out has fitted false and a note saying why,
 * and the call returns ALM_OK. Errors are bad options (o->to not a period)
 * and lack of memory. */
enum alm_status alm_project(struct alm_fit_ws *w, const struct alm_dataset *ds,
                            size_t ind, const struct alm_projection_opts *o,
                            struct alm_projection *out, struct alm_error *err);

/* Projects the n indicators ids[0..n) (every indicator when ids is NULL)
 * with one workspace; *out gets an array of *nout projections, in order,
 * to free with alm_projections_free(). */
enum alm_status alm_project_all(const struct alm_dataset *ds, const size_t *ids,
                                size_t n, const struct alm_projection_opts *o,
                                struct alm_projection **out, size_t *nout,
                                struct alm_error *err);

/* Receives projections one at a time (alm_project_dataset): ds holds the
 * dataset's indicators, sources and targets; as_of points to the date of
 * the projections, or is NULL while it is not known yet (the latest
 * vintage, when --as-of is not given, is known once the whole file is
 * read). p's rows stay the caller's. Anything but ALM_OK stops. */
struct alm_buf;
struct alm_projection_sink {
    enum alm_status (*fn)(void *ctx, const struct alm_dataset *ds,
                          const long *as_of, struct alm_projection *p);
    void *ctx;
    /* Optional, for output that is text in the order of indicators.csv:
     * with rows set (and no ids), projections are made on two threads and
     * rows(ctx, ...) appends the text of p to out, on either thread (it
     * must change nothing but out); emit(ctx, text) then receives the
     * texts in order, on the calling thread. */
    enum alm_status (*rows)(void *ctx, const struct alm_dataset *ds,
                            const long *as_of, struct alm_projection *p,
                            struct alm_buf *out);
    enum alm_status (*emit)(void *ctx, struct alm_buf *text);
};

/* alm_project_all() on the dataset in dir, without ever holding its
 * observations: observations.csv is read one indicator at a time
 * (engine/dataset_stream.h), each projected as it comes and given to
 * sink: every indicator in the order of indicators.csv when nids is 0,
 * else the indicators named ids[0..nids), in that order, once all are
 * projected. o->as_of is not used: as_of_text is the --as-of option (NULL
 * or "": the latest vintage). On success *ds gets the dataset without its
 * observations (free it with alm_dataset_free) and *as_of the date used.
 *
 * Returns false when it gives up: a file the stream cannot serve (rows
 * not grouped by indicator in the order of indicators.csv), a target
 * whose announcement date decides the horizon, any problem in the
 * dataset or the options, or an error of sink. The caller then discards
 * what sink got and reads the dataset whole (alm_dataset_open and
 * alm_project_all), which reports any problem exactly as before. */
bool alm_project_dataset(const char *dir, char *const *ids, size_t nids,
                         const struct alm_projection_opts *o,
                         const char *as_of_text,
                         const struct alm_projection_sink *sink,
                         struct alm_dataset **ds, long *as_of);

/* Frees an array of n projections from alm_project_all(); NULL is a
 * no-op. */
void alm_projections_free(struct alm_projection *p, size_t n);

/* Frees the rows of p. */
void alm_projection_release(struct alm_projection *p);

#endif
