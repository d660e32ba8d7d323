/* The series pipeline: the one way every command gets the series it works
 * on. For an indicator and an --as-of date it
 *
 *   1. selects the figures known then (alm_dataset_series: per period the
 *      latest vintage not after the date),
 *   2. aggregates them to a lower frequency (--frequency Q|A, --aggregate
 *      avg|sum|eop; transform.h),
 *   3. transforms them (--transform CODE; FRED's formulas, transform.h),
 *   4. converts them to another scale of their unit (--unit; units.h),
 *
 * and gives the points with the unit, kind and title of what was done
 * ("NEV production, percent change from a year ago", unit "%", kind
 * growth) and the counts of what was left out.
 *
 * alm_series_dataset() runs the pipeline once per vintage (and per
 * correction or retraction recorded) of each indicator and builds from the
 * results a dataset in memory, of the same shape as the one read from disk: so
 * every command that reads a dataset (fit, track, chart, export, report, show)
 * works on transformed series unchanged, and --as-of on it is exact (a
 * transformed figure "as of" a date is computed from the figures known at that
 * date only). Nothing is written to the dataset's folder. */
#ifndef ALMANAC_SERIES_H
#define ALMANAC_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/kind.h>
#include <almanac/transform.h>

/* What to do to a series. The zero value ({0}) is "as it is". */
struct alm_series_opts {
    enum alm_transform tx;  /* ALM_TX_LIN: no transformation */
    char freq;              /* 0: the series' own; else 'Q' or 'A' */
    enum alm_aggregate agg; /* how, when freq lowers the frequency */
    bool agg_given;         /* --aggregate was given (else avg) */
    /* NULL: the unit the steps above give; else another scale of it
     * ("million vehicles" for "10k vehicles", units.h), into which the
     * values (and the targets, which are in the indicator's unit) are
     * converted: step 4 of the pipeline. */
    const char *unit;
};

/* The longest unit alm_series_get() writes, with its NUL. */
#define ALM_SERIES_UNIT_MAX 160

/* A series as of a date, after the pipeline. */
struct alm_series {
    struct alm_point *pt; /* n points in period order (owned) */
    size_t n;
    char freq;          /* the frequency of the points */
    enum alm_kind kind; /* lin keeps the indicator's; rates are growth */
    char unit[ALM_SERIES_UNIT_MAX];
    char *title; /* "TITLE, percent change from a year ago" (owned) */
    /* What was left out, in alm_transform_stats' terms: no_base (no
     * previous or year-ago figure), undefined (a ratio to zero, a log of
     * a value that is not positive), partial (a period with a sub-period
     * missing, not aggregated). */
    struct alm_transform_stats left_out;
};

/* Parses the options --transform (a code of transform.h), --frequency (A,
 * Q or M), --aggregate (avg, sum or eop; needs --frequency; avg by
 * default) and --unit (kept as given, checked per indicator by
 * alm_series_check), each NULL when not given, into *o. A bad value is
 * ALM_EINPUT with a message listing the valid ones, err->field naming the
 * option. */
enum alm_status alm_series_opts_parse(const char *transform,
                                      const char *frequency,
                                      const char *aggregate, const char *unit,
                                      struct alm_series_opts *o,
                                      struct alm_error *err);

/* Whether o does anything (a transformation, a frequency or a unit). */
bool alm_series_opts_active(const struct alm_series_opts *o);

/* Checks o against the indicator ind: a frequency the series can be
 * aggregated to (its own, or a lower one from M or Q), a transformation
 * its frequency allows, a unit that is a scale of the series' own. ALM_EINPUT
 * with a message naming the indicator and saying why otherwise. */
enum alm_status alm_series_check(const struct alm_dataset *ds, size_t ind,
                                 const struct alm_series_opts *o,
                                 struct alm_error *err);

/* Runs the pipeline on indicator ind as of as_of (a day number;
 * ALM_DATE_NONE: every vintage). On success *s holds the series; free it
 * with alm_series_free(). */
enum alm_status alm_series_get(const struct alm_dataset *ds, size_t ind,
                               long as_of, const struct alm_series_opts *o,
                               struct alm_series *s, struct alm_error *err);

/* Frees what s holds and zeroes it; a zeroed s is a no-op. */
void alm_series_free(struct alm_series *s);

/* Appends to out, in words, what the pipeline left out of s ("2 periods
 * without a figure a year earlier; 1 quarter with a month missing, not
 * aggregated"); nothing when nothing was left out. */
enum alm_status alm_series_left_out_text(const struct alm_series *s,
                                         struct alm_buf *out);

/* Builds in *out (free with alm_dataset_free) the dataset of the n
 * indicators ids[] of ds after the pipeline o (ids NULL: every indicator,
 * leaving out with a note those alm_series_check() refuses; named ones
 * it refuses fail the call): each indicator keeps its
 * id, with the unit, kind and title of its transformed series; each
 * point is a row of observations.csv for every date at which it
 * appeared or changed (its vintage that date: a vintage of the inputs, or
 * the day one of their corrections was recorded), and a point that
 * vanished (its inputs retracted) has its rows retracted on that day, its
 * source the sources of the figures it was computed from, its status the
 * weakest of theirs (F forecast, then E, then P), its qualifier ~ when one of
 * them was qualified. Only vintages up to as_of (ALM_DATE_NONE: all) are
 * computed, and the notes are as of it. Targets are kept only when o has no
 * transformation (they are in the indicator's own unit); sources are all kept.
 * ds->latest is kept. notes (may be NULL) gets one line per indicator saying
 * what was done and what was left out ("nev: NEV production, percent change
 * from a year ago (%): 12 periods without a figure a year earlier"). */
enum alm_status alm_series_dataset(const struct alm_dataset *ds,
                                   const size_t *ids, size_t n,
                                   const struct alm_series_opts *o, long as_of,
                                   struct alm_dataset **out,
                                   struct alm_buf *notes,
                                   struct alm_error *err);

/* For a command that works on targets (track): ALM_EINPUT, naming the
 * indicator, the target and the option, when alm_series_dataset() would
 * leave out a target of one of the n indicators ids[] (ids NULL: every
 * one): a target is in the indicator's own unit, so it survives no
 * transformation, and it is for a period of the indicator's frequency,
 * so it survives no aggregation. */
enum alm_status alm_series_targets_check(const struct alm_dataset *ds,
                                         const size_t *ids, size_t n,
                                         const struct alm_series_opts *o,
                                         struct alm_error *err);

#endif
