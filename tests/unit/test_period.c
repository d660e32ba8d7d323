/* Tests of periods and dates. Expected values are worked out by hand in
 * the comments (decimal years of midpoints, day numbers from the calendar). */
#include <string.h>

#include <almanac/period.h>

#include "../check.h"

static struct alm_period parse_ok(const char *s)
{
    struct alm_period p = {ALM_PERIOD_YEAR, 0, 0, 0};
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_period_parse(s, &p, &err) == ALM_OK, "'%s': %s", s, err.msg);
    return p;
}

static void test_parse_and_format(void)
{
    static const char *const good[] = {
        "2014",       "2024-Q1",         "2024-Q4",        "2023-11",
        "2024-02-29", "2024-01/2024-02", "2023-12/2024-02"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct alm_period p = parse_ok(good[i]);
        char out[ALM_PERIOD_TEXT_MAX];
        alm_period_format(&p, out, sizeof out);
        CHECK_STR(out, good[i]);
    }
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"2024-13", "month 13 does not exist"},
        {"2024-00", "month 00 does not exist"},
        {"2024-Q5", "quarter Q5 does not exist"},
        {"2024-Q0", "quarter Q0 does not exist"},
        {"2023-02-29", "day 29 does not exist"}, /* 2023 is not a leap year */
        {"2024-04-31", "day 31 does not exist"},
        {"2024-03/2024-01", "ends before it starts"},
        {"2023-01/2024-01", "longer than a year"},
        {"24", "bad period"},
        {"2024/01", "bad period"},
        {" 2024", "bad period"},
        {"2024 ", "bad period"},
        {"0000", "year 0000"},
        {"", "empty period"},
        {"2024-1", "bad period"},
        {"abcd", "bad period"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct alm_period p = {ALM_PERIOD_MONTH, 7, 7, 0};
        struct alm_error err;
        alm_error_clear(&err);
        CHECK_AT(alm_period_parse(bad[i].text, &p, &err) == ALM_EINPUT,
                 "'%s' parsed", bad[i].text);
        CHECK_AT(strstr(err.msg, bad[i].msg) != NULL, "'%s': '%s'", bad[i].text,
                 err.msg);
        CHECK(p.kind == ALM_PERIOD_MONTH && p.m0 == 7); /* untouched */
    }
}

static void test_time(void)
{
    /* Midpoints: a year at .5; November is month 11 of 12, its middle at
     * 10.5/12 = 0.875; Q1 at 1.5/12 = 0.125; Jan-Feb at 1/12; Dec-Feb
     * centred on 2024-01-15 or so: months 2023-12..2024-02, midpoint at
     * 2024 + 0.5/12. A day: 2024-01-01 is day 1 of 366, midpoint 0.5/366. */
    struct alm_period p;
    p = parse_ok("2014");
    CHECK_REL(alm_period_time(&p), 2014.5, 1e-15);
    p = parse_ok("2023-11");
    CHECK_REL(alm_period_time(&p), 2023.875, 1e-15);
    p = parse_ok("2024-Q1");
    CHECK_REL(alm_period_time(&p), 2024.125, 1e-15);
    p = parse_ok("2024-01/2024-02");
    CHECK_REL(alm_period_time(&p), 2024.0 + 1.0 / 12.0, 1e-15);
    p = parse_ok("2023-12/2024-02");
    CHECK_REL(alm_period_time(&p), 2024.0 + 0.5 / 12.0, 1e-15);
    p = parse_ok("2024-01-01");
    CHECK_REL(alm_period_time(&p), 2024.0 + 0.5 / 366.0, 1e-15);
    p = parse_ok("2023-12-31");
    CHECK_REL(alm_period_time(&p), 2023.0 + 364.5 / 365.0, 1e-15);
}

static void test_order_and_next(void)
{
    struct alm_period a = parse_ok("2024"), b = parse_ok("2024-01/2024-02"),
                      c = parse_ok("2024-Q1"), d = parse_ok("2024-01");
    /* All start on 2024-01-01; shorter ones end first. */
    CHECK(alm_period_compare(&d, &b) < 0);
    CHECK(alm_period_compare(&b, &c) < 0);
    CHECK(alm_period_compare(&c, &a) < 0);
    CHECK(alm_period_compare(&a, &a) == 0);
    struct alm_period e = parse_ok("2023-12-31");
    CHECK(alm_period_compare(&e, &d) < 0);
    /* Each way round, and across kinds: by first day, then last day. */
    CHECK(alm_period_compare(&b, &d) > 0);
    CHECK(alm_period_compare(&a, &c) > 0);
    struct alm_period y = parse_ok("2023"), q4 = parse_ok("2023-Q4"),
                      span = parse_ok("2023-12/2024-02"),
                      q1 = parse_ok("2024-01/2024-03"),
                      day = parse_ok("2024-01-01");
    CHECK(alm_period_compare(&y, &q4) < 0);
    CHECK(alm_period_compare(&q4, &span) < 0);
    CHECK(alm_period_compare(&span, &a) < 0);
    CHECK(alm_period_compare(&q1, &c) == 0);
    CHECK(alm_period_compare(&day, &d) < 0);
    CHECK(alm_period_compare(&d, &day) > 0);
    CHECK(alm_period_compare(&span, &day) < 0);
    CHECK(alm_period_compare(&day, &e) > 0);

    char out[ALM_PERIOD_TEXT_MAX];
    struct alm_period n;
    n = alm_period_next(&b);
    alm_period_format(&n, out, sizeof out);
    CHECK_STR(out, "2025-01/2025-02");
    c = parse_ok("2024-Q4");
    n = alm_period_next(&c);
    alm_period_format(&n, out, sizeof out);
    CHECK_STR(out, "2025-Q1");
    d = parse_ok("2024-12");
    n = alm_period_next(&d);
    alm_period_format(&n, out, sizeof out);
    CHECK_STR(out, "2025-01");
    e = parse_ok("2024-02-28");
    n = alm_period_next(&e);
    alm_period_format(&n, out, sizeof out);
    CHECK_STR(out, "2024-02-29");
    n = alm_period_next(&n);
    alm_period_format(&n, out, sizeof out);
    CHECK_STR(out, "2024-03-01");
    CHECK(alm_period_freq(&a) == 'A' && alm_period_freq(&b) == 'P' &&
          alm_period_freq(&c) == 'Q' && alm_period_freq(&d) == 'M' &&
          alm_period_freq(&e) == 'D');
}

static void test_dates(void)
{
    long day = 0;
    char out[16];
    struct alm_error err;
    /* 1970-01-01 is day 0; 2000-03-01 is day 11017 (30 years of 365 days
     * plus 7 leap days = 10957 to 2000-01-01, then 31 + 29). */
    CHECK_INT(alm_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(alm_days_from_civil(2000, 3, 1), 11017);
    alm_date_format(11017, out, sizeof out);
    CHECK_STR(out, "2000-03-01");
    alm_error_clear(&err);
    CHECK(alm_date_parse("2024-03", &day, &err) == ALM_OK);
    alm_date_format(day, out, sizeof out);
    CHECK_STR(out, "2024-03-31"); /* a month counts as its last day */
    CHECK(alm_date_parse("2024", &day, &err) == ALM_OK);
    alm_date_format(day, out, sizeof out);
    CHECK_STR(out, "2024-12-31");
    CHECK(alm_date_parse("2024-02-29", &day, &err) == ALM_OK);
    CHECK_INT(day, alm_days_from_civil(2024, 2, 29));
    CHECK(alm_date_parse("2024-Q1", &day, NULL) == ALM_EINPUT);
    CHECK(alm_date_parse("2024-01/2024-02", &day, NULL) == ALM_EINPUT);
    CHECK(alm_date_parse("2024-02-30", &day, NULL) == ALM_EINPUT);
    CHECK(alm_date_parse("", &day, NULL) == ALM_EINPUT);
}

int main(void)
{
    alm_init();
    test_parse_and_format();
    test_time();
    test_order_and_next();
    test_dates();
    return check_done();
}
