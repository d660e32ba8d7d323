/* The commands that read a whole dataset one indicator at a time
 * (check, list, export; dataset_stream.h), private to the library: what
 * they share, and the per-indicator halves of the checks of
 * dataset_load.c and consistency.c that check runs on the stream. */
#ifndef ALMANAC_SCAN_H
#define ALMANAC_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>

#include "dataset_stream.h"

/* Opens the dataset in dir to be read a stretch at a time, when it can be
 * and every command reads it as alm_dataset_open does: no derived
 * indicator (a formula or a same_as in indicators.csv, which need other
 * indicators' figures) and, with as_of_text (NULL or "" for none), a date
 * alm_dataset_as_of reads (*as_of; ALM_DATE_NONE without one: the latest
 * vintage keeps every row a stream serves). False when it cannot: the
 * caller then reads the dataset whole, which reports any problem. */
bool alm__scan_open(const char *dir, const char *as_of_text,
                    struct alm__stream **s, long *as_of);

/* Whether indicators.csv of ds declares no formula and no same_as. */
bool alm__scan_plain(const struct alm_dataset *ds);

/* The warnings of dataset_load.c about observations.csv that the stream
 * does not report, gathered per indicator as the stream serves them:
 * rows without a vintage (counted), figures of one period and vintage
 * from different sources (the first SAME_VINTAGE_SHOWN, then counted). */
struct alm__obs_warnings {
    char undated_file[512], more_file[512];
    long undated_line, more_line;
    size_t undated, same, more;
};

/* The warnings of indicator k of ds (served by the stream, which has
 * found no problem in it) about figures of one vintage from different
 * sources go to report, in the order alm_dataset_read gives them; its
 * rows without a vintage are counted in w. ALM_ENOMEM or ALM_OK. */
enum alm_status alm__obs_warn_indicator(struct alm_dataset *ds, size_t k,
                                        struct alm__obs_warnings *w,
                                        const struct alm_problem_sink *report);

/* The warning about rows without a vintage, to report. */
void alm__obs_warn_undated(const struct alm__obs_warnings *w,
                           const struct alm_problem_sink *report);

/* The warning that counts the figures of one vintage from different
 * sources past the first shown, to report. */
void alm__obs_warn_more(const struct alm__obs_warnings *w,
                        const struct alm_problem_sink *report);

/* The consistency warnings (consistency.c) of recorded indicator k of ds,
 * to report. */
enum alm_status alm__consistency_one(const struct alm_dataset *ds, size_t k,
                                     const struct alm_problem_sink *report,
                                     struct alm_error *err);

#endif
