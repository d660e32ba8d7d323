/* Periods and dates: parsing, ordering, time coordinates. */
#include <stdio.h>
#include <string.h>

#include <almanac/period.h>

#include "internal.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int alm_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
long alm_days_from_civil(int y, int m, int d)
{
    long yy = m <= 2 ? (long)y - 1 : (long)y;
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long mp = m > 2 ? m - 3 : m + 9;
    long doy = (153 * mp + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void alm_date_format(long day, char *out, size_t size)
{
    long z = day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    snprintf(out, size, "%04ld-%02ld-%02ld", y, m, d);
}

/* Reads exactly n digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

/* The shapes a period or a date can take, recognised by their length and
 * separators: YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD, YYYY-MM/YYYY-MM. */
static enum alm_status parse_month(const char *s, int *y, int *m,
                                   const char *text, struct alm_error *err)
{
    char q[80];
    if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m))
        return alm_fail(err, ALM_EINPUT,
                        "bad period '%s': expected YYYY, YYYY-Qn, YYYY-MM, "
                        "YYYY-MM-DD or YYYY-MM/YYYY-MM",
                        alm_error_quote(text, q, sizeof q));
    if (*y < 1)
        return alm_fail(err, ALM_EINPUT, "year 0000 does not exist in '%s'",
                        alm_error_quote(text, q, sizeof q));
    if (*m < 1 || *m > 12)
        return alm_fail(err, ALM_EINPUT, "month %02d does not exist in '%s'",
                        *m, alm_error_quote(text, q, sizeof q));
    return ALM_OK;
}

enum alm_status alm_period_parse(const char *text, struct alm_period *out,
                                 struct alm_error *err)
{
    char q[80];
    size_t n = strlen(text);
    int y, m, d, y2, m2;
    struct alm_period p = {ALM_PERIOD_YEAR, 0, 0, 0};
    const char *expect = "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or "
                         "YYYY-MM/YYYY-MM";

    if (n == 4 && digits(text, 4, &y)) {
        if (y < 1)
            return alm_fail(err, ALM_EINPUT, "year 0000 does not exist");
        p.kind = ALM_PERIOD_YEAR;
        p.m0 = (long)y * 12;
        p.m1 = p.m0 + 11;
    } else if (n == 7 && text[4] == '-' && text[5] == 'Q') {
        if (!digits(text, 4, &y) || !digits(text + 6, 1, &m) || y < 1)
            return alm_fail(err, ALM_EINPUT, "bad period '%s': %s",
                            alm_error_quote(text, q, sizeof q), expect);
        if (m < 1 || m > 4)
            return alm_fail(err, ALM_EINPUT,
                            "quarter Q%d does not exist in '%s'", m,
                            alm_error_quote(text, q, sizeof q));
        p.kind = ALM_PERIOD_QUARTER;
        p.m0 = (long)y * 12 + (m - 1) * 3;
        p.m1 = p.m0 + 2;
    } else if (n == 7) {
        if (parse_month(text, &y, &m, text, err) != ALM_OK)
            return ALM_EINPUT;
        p.kind = ALM_PERIOD_MONTH;
        p.m0 = p.m1 = (long)y * 12 + m - 1;
    } else if (n == 10 && text[7] == '-') {
        if (parse_month(text, &y, &m, text, err) != ALM_OK)
            return ALM_EINPUT;
        if (!digits(text + 8, 2, &d))
            return alm_fail(err, ALM_EINPUT, "bad period '%s': %s",
                            alm_error_quote(text, q, sizeof q), expect);
        if (d < 1 || d > alm_days_in_month(y, m))
            return alm_fail(err, ALM_EINPUT, "day %02d does not exist in '%s'",
                            d, alm_error_quote(text, q, sizeof q));
        p.kind = ALM_PERIOD_DAY;
        p.m0 = p.m1 = (long)y * 12 + m - 1;
        p.day = d;
    } else if (n == 15 && text[7] == '/') {
        if (parse_month(text, &y, &m, text, err) != ALM_OK ||
            parse_month(text + 8, &y2, &m2, text, err) != ALM_OK)
            return ALM_EINPUT;
        p.kind = ALM_PERIOD_SPAN;
        p.m0 = (long)y * 12 + m - 1;
        p.m1 = (long)y2 * 12 + m2 - 1;
        if (p.m1 < p.m0)
            return alm_fail(err, ALM_EINPUT, "span '%s' ends before it starts",
                            alm_error_quote(text, q, sizeof q));
        if (p.m1 - p.m0 >= 12)
            return alm_fail(err, ALM_EINPUT, "span '%s' is longer than a year",
                            alm_error_quote(text, q, sizeof q));
    } else if (n == 0) {
        return alm_fail(err, ALM_EINPUT, "empty period: %s", expect);
    } else {
        return alm_fail(err, ALM_EINPUT, "bad period '%s': %s",
                        alm_error_quote(text, q, sizeof q), expect);
    }
    *out = p;
    return ALM_OK;
}

void alm_period_format(const struct alm_period *p, char *out, size_t size)
{
    long y = p->m0 / 12, m = p->m0 % 12 + 1;
    switch (p->kind) {
    case ALM_PERIOD_YEAR:
        if (y >= 0 && y <= 9999 && size >= 5) { /* "%04ld", without printf */
            for (int i = 3; i >= 0; i--, y /= 10)
                out[i] = (char)('0' + y % 10);
            out[4] = '\0';
        } else {
            snprintf(out, size, "%04ld", y);
        }
        break;
    case ALM_PERIOD_QUARTER:
        snprintf(out, size, "%04ld-Q%ld", y, (m - 1) / 3 + 1);
        break;
    case ALM_PERIOD_MONTH:
        snprintf(out, size, "%04ld-%02ld", y, m);
        break;
    case ALM_PERIOD_DAY:
        snprintf(out, size, "%04ld-%02ld-%02d", y, m, p->day);
        break;
    case ALM_PERIOD_SPAN:
        snprintf(out, size, "%04ld-%02ld/%04ld-%02ld", y, m, p->m1 / 12,
                 p->m1 % 12 + 1);
        break;
    }
}

/* First and last day numbers of a period. */
static long first_day(const struct alm_period *p)
{
    int y = (int)(p->m0 / 12), m = (int)(p->m0 % 12) + 1;
    return alm_days_from_civil(y, m, p->kind == ALM_PERIOD_DAY ? p->day : 1);
}

long alm_period_last_day(const struct alm_period *p)
{
    int y = (int)(p->m1 / 12), m = (int)(p->m1 % 12) + 1;
    if (p->kind == ALM_PERIOD_DAY)
        return alm_days_from_civil(y, m, p->day);
    return alm_days_from_civil(y, m, alm_days_in_month(y, m));
}

int alm_period_compare(const struct alm_period *a, const struct alm_period *b)
{
    /* Periods of whole months: their first days are in the order of their
     * first months, their last days in that of their last months. */
    if (a->kind != ALM_PERIOD_DAY && b->kind != ALM_PERIOD_DAY) {
        if (a->m0 != b->m0)
            return a->m0 < b->m0 ? -1 : 1;
        return a->m1 < b->m1 ? -1 : a->m1 > b->m1;
    }
    long fa = first_day(a), fb = first_day(b);
    if (fa != fb)
        return fa < fb ? -1 : 1;
    long la = alm_period_last_day(a), lb = alm_period_last_day(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return 0;
}

double alm_period_time(const struct alm_period *p)
{
    if (p->kind == ALM_PERIOD_DAY) {
        int y = (int)(p->m0 / 12), m = (int)(p->m0 % 12) + 1;
        long doy = alm_days_from_civil(y, m, p->day) -
                   alm_days_from_civil(y, 1, 1) + 1;
        double len = is_leap(y) ? 366.0 : 365.0;
        return (double)y + ((double)doy - 0.5) / len;
    }
    /* The midpoint of months m0..m1 is (m0 + m1 + 1) / 2 months from year
     * 0: 2014 spans months 2014*12 .. 2014*12+11, midpoint 2014.5. */
    return (double)(p->m0 + p->m1 + 1) / 24.0;
}

char alm_period_freq(const struct alm_period *p)
{
    static const char letters[] = {'A', 'Q', 'M', 'D', 'P'};
    return letters[p->kind];
}

struct alm_period alm_period_next(const struct alm_period *p)
{
    struct alm_period n = *p;
    switch (p->kind) {
    case ALM_PERIOD_YEAR:
    case ALM_PERIOD_SPAN:
        n.m0 += 12;
        n.m1 += 12;
        break;
    case ALM_PERIOD_QUARTER:
        n.m0 += 3;
        n.m1 += 3;
        break;
    case ALM_PERIOD_MONTH:
        n.m0++;
        n.m1++;
        break;
    case ALM_PERIOD_DAY: {
        int y = (int)(p->m0 / 12), m = (int)(p->m0 % 12) + 1;
        if (p->day < alm_days_in_month(y, m)) {
            n.day = p->day + 1;
        } else {
            n.m0 = n.m1 = p->m0 + 1;
            n.day = 1;
        }
        break;
    }
    }
    return n;
}

enum alm_status alm_date_parse(const char *text, long *last_day,
                               struct alm_error *err)
{
    size_t n = strlen(text);
    struct alm_period p;
    int v;
    /* The shape first: "March 2024" (10 bytes) is a bad date, not a bad
     * period; only out-of-range numbers are left to alm_period_parse. */
    bool shape = (n == 4 || n == 7 || n == 10) && digits(text, 4, &v) &&
                 (n == 4 || (text[4] == '-' && digits(text + 5, 2, &v))) &&
                 (n != 10 || (text[7] == '-' && digits(text + 8, 2, &v)));
    if (!shape) {
        char q[80];
        return alm_fail(err, ALM_EINPUT,
                        "bad date '%s': expected YYYY-MM-DD, YYYY-MM or YYYY",
                        alm_error_quote(text, q, sizeof q));
    }
    if (alm_period_parse(text, &p, err) != ALM_OK)
        return ALM_EINPUT;
    *last_day = alm_period_last_day(&p);
    return ALM_OK;
}
