/* Fuzzes the period and date parsers (alm_period_parse, alm_date_parse).
 * Properties: an accepted period formats to a canonical text that parses
 * back to the same period; its time lies inside its years; the next
 * period comes after it. An accepted date formats and parses back to the
 * same day when it names one. */
#include <math.h>

#include <almanac/period.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct alm_period p, back;
    struct alm_error err;
    char text[ALM_PERIOD_TEXT_MAX];
    long day, day2;
    alm_init();
    alm_error_clear(&err);
    if (alm_period_parse(s, &p, &err) == ALM_OK) {
        FUZZ_ASSERT(p.m0 <= p.m1);
        alm_period_format(&p, text, sizeof text);
        FUZZ_ASSERT(alm_period_parse(text, &back, NULL) == ALM_OK);
        FUZZ_ASSERT(alm_period_compare(&p, &back) == 0);
        FUZZ_ASSERT(back.kind == p.kind && back.day == p.day);
        double t = alm_period_time(&p);
        FUZZ_ASSERT(isfinite(t));
        long year0 = p.m0 / 12, year1 = p.m1 / 12 + 1;
        FUZZ_ASSERT(t >= (double)year0 && t <= (double)year1);
        struct alm_period next = alm_period_next(&p);
        FUZZ_ASSERT(alm_period_compare(&p, &next) < 0);
        FUZZ_ASSERT(alm_period_freq(&p) == alm_period_freq(&next));
        FUZZ_ASSERT(alm_period_last_day(&p) < alm_period_last_day(&next));
    } else {
        FUZZ_ASSERT(err.status == ALM_EINPUT && err.msg[0]);
    }
    alm_error_clear(&err);
    if (alm_date_parse(s, &day, &err) == ALM_OK) {
        char d[16];
        FUZZ_ASSERT(day != ALM_DATE_NONE);
        alm_date_format(day, d, sizeof d);
        FUZZ_ASSERT(alm_date_parse(d, &day2, NULL) == ALM_OK);
        FUZZ_ASSERT(day2 == day);
    } else {
        FUZZ_ASSERT(err.status == ALM_EINPUT && err.msg[0]);
    }
    free(s);
    return 0;
}
