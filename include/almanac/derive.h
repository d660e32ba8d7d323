/* Derived indicators: an indicator declared with a formula over others
 * (its `formula` column in indicators.csv), computed on the fly from the
 * observations of its inputs as of a date, never stored.
 *
 * The formula grammar (README, "Derived indicators"):
 *
 *   expr    := term (("+" | "-") term)*
 *   term    := factor (("*" | "/") factor)*
 *   factor  := "-" factor | primary
 *   primary := NUMBER | ID | FUNCTION "(" expr ")" | "(" expr ")"
 *
 * NUMBER is digits with an optional decimal part (100, 1.142); ID an
 * indicator id of the dataset. As ids may hold "-", a minus between two
 * ids needs spaces ("a - b"). The functions are FRED's units of
 * transform.h (chg ch1 pch pc1 pca cch cca log) and lag (the value a
 * year earlier) and lead (a year later): "pc1(nev_units)" is the growth
 * from a level, "100 * a / b" a share of two levels, "lead(x / (1 + g /
 * 100))" the level a year earlier implied by a level and its growth.
 *
 * Operators and functions work period by period: a + b has the periods
 * both have. Every indicator a formula names has the derived indicator's
 * frequency; a formula may name another derived indicator, never itself
 * through a cycle. A derived indicator has no observations of its own.
 *
 * A derived figure carries the interval its inputs' rounding allows
 * (alm_figure_half_unit: 12890000 is rounded to 10000, 35.8 to 0.1), by
 * interval arithmetic through the formula, the latest vintage of its
 * inputs and their observations, whose sources it is shown with.
 *
 * The `same_as` column of indicators.csv names another indicator that
 * measures the same thing (a published growth beside the one derived
 * from levels, or another publisher's figures); check compares the two
 * (consistency.h) and report shows them side by side. */
#ifndef ALMANAC_DERIVE_H
#define ALMANAC_DERIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/period.h>
#include <almanac/transform.h>

/* One figure of a derived series. Its inputs are obs[0..nobs) of the
 * series' pool: indices into ds->obs. */
struct alm_dpoint {
    struct alm_period period;
    double value;
    double lo, hi; /* what the inputs' rounding allows; may be infinite */
    long vintage;  /* the latest vintage of its inputs */
    bool approx;   /* an input was qualified (~, >, <) */
    char status;   /* 'F' or 'B' when an input has it, else 0 */
    const size_t *obs;
    size_t nobs;
};

/* A derived series, in period order. Release with alm_dseries_release. */
struct alm_dseries {
    struct alm_dpoint *pt;
    size_t n;
    size_t *pool; /* the points' obs point into it */
};

/* The half unit of the last digit a figure is printed with, its rounding
 * tolerance: "35.8" 0.05, "7" 0.5, "12890000" 5000 (an integer's trailing
 * zeros are read as rounding: the wider reading, so that no warning comes
 * from a figure that may have been rounded), "1.5e3" 50. */
double alm_figure_half_unit(const char *text);

/* True when indicator ind is derived (has a formula), its figures
 * recorded (alm_derive_record) or not. */
bool alm_derive_is(const struct alm_dataset *ds, size_t ind);

/* True when derived indicator ind's figures are recorded in ds as
 * observations (alm_derive_record): the series pipeline then reads them
 * as any indicator's, while its formula stays declared for report's
 * comparisons and list's mark. */
bool alm_derive_recorded(const struct alm_dataset *ds, size_t ind);

/* The title of indicator ind as declared in indicators.csv: that of a
 * recorded derived indicator (alm_derive_record) without the
 * "(derived: FORMULA)" its title now ends in. */
const char *alm_derive_title(const struct alm_dataset *ds, size_t ind);

/* The formula of indicator ind as written, or NULL when it is not derived.
 * Valid while ds lives. */
const char *alm_derive_formula(const struct alm_dataset *ds, size_t ind);

/* The indicator that same_as of ind names, or -1. */
long alm_derive_same_as(const struct alm_dataset *ds, size_t ind);

/* The indicators a derived indicator's formula names directly (indices,
 * in the order they first appear, up to max of them): returns their
 * number (0 for an indicator that is not derived). */
size_t alm_derive_inputs(const struct alm_dataset *ds, size_t ind, size_t *out,
                         size_t max);

/* Computes derived indicator ind as of the date as_of (a day number;
 * ALM_DATE_NONE means no limit): its inputs are the figures analysis uses
 * then (alm_dataset_series), so that the result is exact for every
 * --as-of. Points whose formula is undefined there (a ratio to zero, a
 * missing input) are left out. *out is filled on success. */
enum alm_status alm_derive_series(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err);

/* The series of any indicator as derived points: a derived one's by its
 * formula (alm_derive_series), a recorded one's figures as analysis uses
 * them as of as_of, each point's one input its observation and its
 * interval the figure's rounding (open on the side of a > or <
 * qualifier). */
enum alm_status alm_derive_points(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err);

/* For the series pipeline (series.h): the points of derived indicator ind
 * as of as_of in *pt (caller frees), their number in *n, and *idx NULL
 * (no observation of its own). */
enum alm_status alm_derive_select(const struct alm_dataset *ds, size_t ind,
                                  long as_of, size_t **idx,
                                  struct alm_point **pt, size_t *n,
                                  struct alm_error *err);

/* The observations (indices into ds->obs, caller frees *out; *n of them,
 * repeats possible) of every recorded indicator that derived indicator
 * ind is computed from, through other derived ones: their vintages are
 * the ones at which its figures can change. ALM_ENOMEM only. */
enum alm_status alm_derive_input_obs(const struct alm_dataset *ds, size_t ind,
                                     size_t **out, size_t *n);

/* Returns "TITLE (derived: FORMULA)" (caller frees) and frees title; NULL
 * when out of memory. */
char *alm_derive_mark_title(char *title, const char *formula);

/* Records in built, a dataset the series pipeline made from from, where
 * it comes from (from's own origin, when from was built too): that
 * dataset must outlive built. */
void alm_derive_link(struct alm_dataset *built, const struct alm_dataset *from);

/* The dataset where ds's derived indicators and same_as relations are
 * declared: the one it was built from (alm_derive_link), else ds. */
const struct alm_dataset *alm_derive_origin(const struct alm_dataset *ds);

/* Indicator k beside the indicator its same_as names, period by period
 * as of as_of (figures analysis uses), as a table of text cells for
 * people: period, the other's figure, its source and vintage, k's
 * figure, the range its rounding allows, the difference (k minus the
 * other), and "beyond rounding" where the two ranges do not meet
 * (consistency.h), else "". *out is NULL when k has no same_as.
 * Caller frees with alm_table_free. */
enum alm_status alm_derive_compare(const struct alm_dataset *ds, size_t k,
                                   long as_of, struct alm_table **out,
                                   struct alm_error *err);

/* A copy of the dataset commands read (they record in place instead,
 * alm_derive_record; check computes through this): when ds declares
 * derived indicators, *out
 * gets (free it with alm_dataset_free; ds must outlive it) a copy of ds
 * in memory in which each derived indicator's figures are recorded as
 * observations, one per point per vintage of its inputs at which it
 * appeared or changed (the series pipeline, series.h), quoted "derived:
 * FORMULA", its title "TITLE (derived: FORMULA)" and its formula emptied;
 * every other row is as in ds. So list, show, fit, track, chart, export
 * and report take a derived id as any other, and --as-of on it is exact.
 * Without derived indicators *out is NULL. A derived figure its kind
 * cannot hold (a count below 0, a share above 100) is ALM_EINPUT. */
enum alm_status alm_derive_dataset(const struct alm_dataset *ds,
                                   struct alm_dataset **out,
                                   struct alm_error *err);

/* alm_derive_dataset() in place, for the n indicators ids[] a command
 * reads (ids NULL: every one): each derived one among them not recorded
 * yet gets its figures appended to ds as observations (rows of
 * observations.csv after the file's, quoted "derived: FORMULA"), its
 * title "TITLE (derived: FORMULA)" and its formula cell emptied, exactly
 * as in alm_derive_dataset()'s copy, so that the tables read the same;
 * its formula stays declared (alm_derive_is, alm_derive_formula) and
 * alm_derive_recorded() becomes true. The work is that of the derived
 * indicators and their inputs: the rest of the dataset is neither copied
 * nor parsed again. A derived figure its kind cannot hold is ALM_EINPUT,
 * ds unchanged. Pointers alm_dataset_obs_of() gave before the call are
 * not valid after it. */
enum alm_status alm_derive_record(struct alm_dataset *ds, const size_t *ids,
                                  size_t n, struct alm_error *err);

/* Whether row i of t (columns of observations.csv) is one an export
 * wrote for a derived indicator of ds: its indicator is derived and its
 * quote is "derived: FORMULA" with that indicator's formula. import
 * skips such rows as present (their figures are computed); any other row
 * of a derived indicator is an error. */
bool alm_derive_exported(const struct alm_dataset *ds,
                         const struct alm_table *t, size_t i);

/* Frees what a derived series holds; { 0 } afterwards. */
void alm_dseries_release(struct alm_dseries *s);

/* Appends the distinct source ids of a point's inputs to out, joined by
 * ";" in the order of its inputs. */
void alm_dpoint_sources(const struct alm_dataset *ds,
                        const struct alm_dpoint *p, struct alm_buf *out);

/* Appends the point's inputs for people to out: "units 283000 (2023,
 * vintage 2024-01-05, source-id); growth 14.2 (2023, ...)", or, when all
 * are of one indicator, "units: 3680000 (2021, ...); 1456000 (2020, ...)". */
void alm_dpoint_inputs(const struct alm_dataset *ds, const struct alm_dpoint *p,
                       struct alm_buf *out);

#endif
