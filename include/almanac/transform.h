/* Transformations: a series turned into another, as FRED does with its
 * "units" and "frequency" options.
 *
 * Units (x_t the value of a period, x_{t-1} the one of the period before
 * it in the series' frequency, x_{t-n} the one a year earlier, n the
 * number of periods in a year):
 *
 *   lin  x_t                                  (the series as it is)
 *   chg  x_t - x_{t-1}                        change
 *   ch1  x_t - x_{t-n}                        change from a year ago
 *   pch  (x_t / x_{t-1} - 1) * 100            percent change
 *   pc1  (x_t / x_{t-n} - 1) * 100            percent change from a year ago
 *   pca  ((x_t / x_{t-1})^n - 1) * 100        compounded annual rate
 *   cch  (ln x_t - ln x_{t-1}) * 100          continuously compounded rate
 *   cca  (ln x_t - ln x_{t-1}) * 100 * n      ... annual rate
 *   log  ln x_t                               natural log
 *
 * A point is transformed only when the point it needs exists: the period
 * right before it (a gap in the series leaves the next point out, as FRED
 * leaves it empty) or the same period a year earlier. Daily series (mostly
 * of working days) and irregular ones compare with the figure before,
 * whatever its date. A span of months
 * ("2024-01/2024-02", frequency P) is compared with the same span a year
 * before, so that both its previous period and its year-ago period are
 * that one and n = 1. Points where the formula is undefined (a ratio to
 * zero, the log of a value that is not positive) are left out and
 * counted.
 *
 * Frequency aggregation turns a monthly series into a quarterly or annual
 * one, and a quarterly series into an annual one, by the average, the sum
 * or the end-of-period value of the sub-periods. A period is aggregated
 * only when every sub-period is present: a missing month is said (counted
 * in the result), never guessed. Partial-year cumulatives (spans) and
 * days are never aggregated: their sub-periods are not known.
 *
 * Everything works on arrays of struct alm_point that the caller owns; a
 * series is selected as of a date first (alm_dataset_series), so that a
 * transformation computed "as of" a date uses only the figures known then. */
#ifndef ALMANAC_TRANSFORM_H
#define ALMANAC_TRANSFORM_H

#include <stddef.h>

#include <almanac/error.h>
#include <almanac/period.h>

enum alm_transform {
    ALM_TX_LIN,
    ALM_TX_CHG,
    ALM_TX_CH1,
    ALM_TX_PCH,
    ALM_TX_PC1,
    ALM_TX_PCA,
    ALM_TX_CCH,
    ALM_TX_CCA,
    ALM_TX_LOG
};

enum alm_aggregate {
    ALM_AGG_AVG, /* the mean of the sub-periods */
    ALM_AGG_SUM, /* their sum */
    ALM_AGG_EOP  /* the last sub-period's value */
};

/* One figure of a series: its period and its value. */
struct alm_point {
    struct alm_period period;
    double value;
};

/* What a transformation or an aggregation left out. */
struct alm_transform_stats {
    size_t no_base;   /* points whose previous or year-ago period is absent */
    size_t undefined; /* points where the formula is undefined */
    size_t partial;   /* aggregated periods with a sub-period missing */
};

/* Parses a unit transformation's code ("pc1"). Returns ALM_EINPUT with a
 * message listing the codes for any other text. */
enum alm_status alm_transform_parse(const char *text, enum alm_transform *out,
                                    struct alm_error *err);

/* Parses an aggregation method ("avg", "sum" or "eop"). */
enum alm_status alm_aggregate_parse(const char *text, enum alm_aggregate *out,
                                    struct alm_error *err);

/* The code of a transformation ("pc1") and its name for people ("percent
 * change from a year ago"). */
const char *alm_transform_code(enum alm_transform tx);
const char *alm_transform_title(enum alm_transform tx);

/* The code of an aggregation method ("avg"). */
const char *alm_aggregate_code(enum alm_aggregate agg);

/* Writes the unit of a transformed series into out (size bytes): the
 * series' own unit for lin, chg and ch1 ("vehicles"), "%" for the rates,
 * "ln(UNIT)" for log. */
void alm_transform_unit(enum alm_transform tx, const char *unit, char *out,
                        size_t size);

/* The number of periods in a year for a frequency letter ('A' 1, 'Q' 4,
 * 'M' 12, 'P' 1), or 0 where it is not fixed ('D', 'I'). */
int alm_freq_per_year(char freq);

/* A frequency letter in words, for messages: "annual", "quarterly",
 * "monthly", "daily", "partial-year (span)" ('P'), else "irregular". */
const char *alm_freq_name(char freq);

/* Transforms the n points of in (sorted by period, all of frequency
 * freq) into out, which has room for n points; *nout gets the number
 * written, in period order, and *stats (may be NULL) what was left out.
 * pca, cca, ch1 and pc1 need a fixed number of periods a year: on a daily
 * or irregular series they are ALM_EINPUT, and so is a freq letter SPEC.md
 * does not define. */
enum alm_status alm_transform_apply(enum alm_transform tx, char freq,
                                    const struct alm_point *in, size_t n,
                                    struct alm_point *out, size_t *nout,
                                    struct alm_transform_stats *stats,
                                    struct alm_error *err);

/* Aggregates the n points of in (sorted by period, frequency from) to the
 * lower frequency to ('Q' or 'A') by agg into out, which has room for n
 * points; *nout gets the number written and stats->partial the periods
 * left out for a missing sub-period. From 'M' to 'Q' or 'A' and from 'Q'
 * to 'A' only; any other pair is ALM_EINPUT with a message saying why. */
enum alm_status alm_aggregate_apply(enum alm_aggregate agg, char from, char to,
                                    const struct alm_point *in, size_t n,
                                    struct alm_point *out, size_t *nout,
                                    struct alm_transform_stats *stats,
                                    struct alm_error *err);

#endif
