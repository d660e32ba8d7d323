/* Periods and dates.
 *
 * A period is what a figure is about: a year ("2024"), a quarter
 * ("2024-Q1"), a month ("2024-03"), a day ("2024-03-26") or a span of months
 * ("2024-01/2024-02", the ISO 8601 interval for "the first two months of
 * 2024"). Every period covers whole months except a day; it is stored as
 * the first and last month it covers, counted from year 0, so one formula
 * orders them and places them in time.
 *
 * A date is when a figure was published (its vintage) or an --as-of date:
 * "YYYY-MM-DD", "YYYY-MM" or "YYYY", ordered by its last day ("2024-03"
 * counts as 2024-03-31). Dates are day numbers: days since 1970-01-01. */
#ifndef ALMANAC_PERIOD_H
#define ALMANAC_PERIOD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>

enum alm_period_kind {
    ALM_PERIOD_YEAR,
    ALM_PERIOD_QUARTER,
    ALM_PERIOD_MONTH,
    ALM_PERIOD_DAY,
    ALM_PERIOD_SPAN
};

struct alm_period {
    enum alm_period_kind kind;
    long m0; /* first month covered: year * 12 + month - 1 */
    long m1; /* last month covered (m0 for a month or a day) */
    int day; /* day of the month for ALM_PERIOD_DAY, else 0 */
};

/* A date that is not known (an empty vintage): it sorts before every date. */
#define ALM_DATE_NONE LONG_MIN

/* The longest text alm_period_format() writes, with its NUL. */
#define ALM_PERIOD_TEXT_MAX 24

/* Parses text as a period into *out. Returns ALM_OK, or ALM_EINPUT with a
 * message naming the bad text ("month 13 does not exist"); *out is written
 * only on success. */
enum alm_status alm_period_parse(const char *text, struct alm_period *out,
                                 struct alm_error *err);

/* Writes the canonical text of p ("2024-Q1") into out (size bytes). */
void alm_period_format(const struct alm_period *p, char *out, size_t size);

/* Orders periods by their first day, then by their last: negative, zero or
 * positive as a comes before, with, or after b. */
int alm_period_compare(const struct alm_period *a, const struct alm_period *b);

/* Returns the time coordinate of p: the decimal year of its midpoint
 * (2014 -> 2014.5, 2023-11 -> 2023.875, 2024-Q1 -> 2024.125). */
double alm_period_time(const struct alm_period *p);

/* Returns the frequency letter of SPEC.md that a series of periods like p
 * has: 'A', 'Q', 'M', 'D' or 'P' (a span). */
char alm_period_freq(const struct alm_period *p);

/* Returns the period that follows p in its own frequency: the next year,
 * quarter, month or day, or the same span of months a year later. */
struct alm_period alm_period_next(const struct alm_period *p);

/* Returns the day number of the last day p covers. */
long alm_period_last_day(const struct alm_period *p);

/* Parses a date ("2024-03-18", "2024-03" or "2024") into *last_day, the day
 * number of the last day it names. Returns ALM_EINPUT on bad text. */
enum alm_status alm_date_parse(const char *text, long *last_day,
                               struct alm_error *err);

/* Writes a day number as "YYYY-MM-DD" into out (size >= 11). */
void alm_date_format(long day, char *out, size_t size);

/* Returns the day number of a civil date (proleptic Gregorian). */
long alm_days_from_civil(int y, int m, int d);

/* Returns the number of days in month m (1-12) of year y. */
int alm_days_in_month(int y, int m);

#endif
