/* Consistency warnings: figures of a dataset that disagree, found by
 * `check` and named with their sources, so that a person can decide.
 *
 * Every figure stands for the interval its printing allows: its value
 * plus or minus half a unit of its last printed digit
 * (alm_figure_half_unit: 35.8 is 35.75 to 35.85; 12890000, rounded to
 * 10000, is 12885000 to 12895000), open on the side of a qualifier (> 8
 * is 7.5 and up); a derived figure the interval its inputs' intervals
 * give through its formula (derive.h). Two figures disagree when their
 * intervals do not meet: a difference that rounding explains is never a
 * warning. The checks, each as of the latest vintage:
 *
 * 1. same_as: an indicator and the one its same_as names (a growth
 *    derived from levels, pc1(units), against the published growth; a
 *    change of a share, ch1(share), against its stated change in
 *    percentage points; another publisher's figures of the same thing),
 *    period by period, on the figures analysis uses.
 * 2. Figures of one indicator and period (every vintage and source,
 *    forecasts left out): each pair that disagrees (a revision, or two
 *    publishers more than a rounding apart), unless the earlier was
 *    marked provisional (P) or estimated (E), there to be revised; and,
 *    where the figure analysis uses is a later, less precise rounding of
 *    an earlier one (12890000 after 12888000), that it is.
 * 3. A stock that fell: an indicator of kind count and frequency I (a
 *    stock counted at dates, SPEC.md) whose figure is below the one
 *    before it by more than rounding, without status B (a break) on it.
 *    Counts of other frequencies are flows (vehicles produced a year),
 *    which may fall. */
#ifndef ALMANAC_CONSISTENCY_H
#define ALMANAC_CONSISTENCY_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>
#include <almanac/error.h>

/* Runs every check on ds, passing each disagreement to report as a
 * warning located at the row of the figure it is about; *count (may be
 * NULL) gets their number. Fails only when out of memory. */
enum alm_status alm_consistency_check(const struct alm_dataset *ds,
                                      const struct alm_problem_sink *report,
                                      size_t *count, struct alm_error *err);

/* The counts check prints: observations are the rows of observations.csv
 * that are figures (corrections and retractions are not counted), the
 * others the rows of their files; unreported, the warnings found past
 * those given to the report. */
struct alm_check_counts {
    size_t indicators, observations, sources, targets, unreported;
};

/* The counts of ds (unreported 0). */
struct alm_check_counts alm_check_counts_of(const struct alm_dataset *ds);

/* check's run of the dataset in dir, read an indicator at a time (without
 * reading it whole): the warnings alm_dataset_open(dir, report) and then
 * alm_consistency_check report, in that order, the first shown of them to
 * report and the rest counted, and the counts. False, nothing reported,
 * when it cannot: a dataset the stream does not serve (dataset_stream.h:
 * corrections, a file not grouped by indicator), derived indicators or
 * same_as, any error, lack of memory. The caller then reads the dataset
 * whole, which reports every problem. */
bool alm_check_dataset(const char *dir, const struct alm_problem_sink *report,
                       size_t shown, struct alm_check_counts *counts);

#endif
