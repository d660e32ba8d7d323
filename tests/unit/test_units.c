/* Units with their scale: parsing, conversion between scales of one unit,
 * and the readable scale charts and reports choose. */
#include <string.h>

#include <almanac/units.h>

#include "../check.h"

static void parses(const char *text, double scale, const char *base)
{
    struct alm_unit u;
    alm_unit_parse(text, &u);
    CHECK_AT(u.scale == scale && strcmp(u.base, base) == 0,
             "'%s': scale %g base '%s', expected %g '%s'", text, u.scale,
             u.base, scale, base);
}

static void test_parse(void)
{
    parses("CNY", 1, "CNY");
    parses("CNY bn", 1e9, "CNY");
    parses("bn CNY", 1e9, "CNY");
    parses("CNY mn", 1e6, "CNY");
    parses("USD tn", 1e12, "USD");
    parses("10k vehicles", 1e4, "vehicles");
    parses("million vehicles", 1e6, "vehicles");
    parses("thousand tonnes", 1e3, "tonnes");
    parses("k", 1e3, "");
    parses("million", 1e6, "");
    parses("%", 1, "%");
    parses("% of GDP", 1, "% of GDP");
    parses("vehicles", 1, "vehicles");
    parses("\xE4\xB8\x87\xE8\xBE\x86", 1e4, "\xE8\xBE\x86"); /* 万辆 */
    parses("\xE4\xBA\xBF\xE5\x85\x83", 1e8, "\xE5\x85\x83"); /* 亿元 */
    parses("\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83", 1e12,
           "\xE5\x85\x83"); /* 万亿元 */
    /* 千克 is a kilogram, not a thousand grams of something. */
    parses("\xE5\x8D\x83\xE5\x85\x8B", 1, "\xE5\x8D\x83\xE5\x85\x8B");
    /* A word inside a unit is not a scale. */
    parses("kWh", 1, "kWh");
    parses("bank branches", 1, "bank branches");
    parses(NULL, 1, "");
}

static void test_factor(void)
{
    struct alm_error err = {0};
    double f = 0;
    /* 283 (10k vehicles) = 2,830,000 vehicles = 2.83 million vehicles:
     * the factor is 1e4 / 1e6 = 0.01. */
    CHECK(alm_unit_factor("10k vehicles", "million vehicles", &f, &err) ==
          ALM_OK);
    CHECK_REL(f, 0.01, 1e-15);
    CHECK(alm_unit_factor("CNY bn", "CNY", &f, &err) == ALM_OK);
    CHECK_REL(f, 1e9, 0);
    /* 亿元 to 万元: 1e8 / 1e4 = 1e4. */
    CHECK(alm_unit_factor("\xE4\xBA\xBF\xE5\x85\x83",
                          "\xE4\xB8\x87\xE5\x85\x83", &f, &err) == ALM_OK);
    CHECK_REL(f, 1e4, 0);
    CHECK(alm_unit_factor("CNY bn", "USD bn", &f, &err) == ALM_EINPUT);
    CHECK_STR(err.msg, "cannot convert 'CNY bn' to 'USD bn': they are not "
                       "scales of one unit (CNY bn is in 'CNY', USD bn in "
                       "'USD'); scales are k, 10k, mn, bn, tn, \xE4\xB8\x87, "
                       "\xE4\xBA\xBF and \xE4\xB8\x87\xE4\xBA\xBF");
    alm_error_clear(&err);
    /* 元 is not CNY: a unit's base compares exactly. */
    CHECK(alm_unit_factor("\xE4\xBA\xBF\xE5\x85\x83", "CNY", &f, &err) ==
          ALM_EINPUT);
}

static void readable(const char *unit, double big, double divide,
                     const char *want)
{
    double d = 0;
    char out[ALM_UNIT_MAX];
    alm_unit_readable(unit, big, &d, out, sizeof out);
    CHECK_AT(strcmp(out, want) == 0 && fabs(d - divide) <= 1e-12 * divide,
             "'%s' at %g: '%s' / %g, expected '%s' / %g", unit, big, out, d,
             want, divide);
}

static void test_readable(void)
{
    /* 2,830,000 vehicles are 2.83 million vehicles. */
    readable("vehicles", 2830000, 1e6, "million vehicles");
    /* 283 (10k vehicles) is the same 2.83 million: divide by 100. */
    readable("10k vehicles", 283, 100, "million vehicles");
    /* In Chinese, 2,830,000 辆 is 283 万辆; 283 万辆 stays as it is. */
    readable("\xE8\xBE\x86", 2830000, 1e4, "\xE4\xB8\x87\xE8\xBE\x86");
    readable("\xE4\xB8\x87\xE8\xBE\x86", 283, 1, "\xE4\xB8\x87\xE8\xBE\x86");
    /* 12,345 亿元 is 1.2345 万亿元. */
    readable("\xE4\xBA\xBF\xE5\x85\x83", 12345, 1e4,
             "\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83");
    /* Currencies take the short codes after them: 5.2e11 CNY is CNY 520
     * bn, and 5200 CNY bn is CNY 5.2 tn. */
    readable("CNY", 5.2e11, 1e9, "CNY bn");
    readable("CNY bn", 5200, 1e3, "CNY tn");
    readable("CNY bn", 520, 1, "CNY bn");
    /* Below 1e5 a figure is shown whole: 18,000 vehicles; 340,471 is 340
     * thousand. */
    readable("vehicles", 18000, 1, "vehicles");
    readable("vehicles", 340471, 1e3, "thousand vehicles");
    /* 5 (10k vehicles) is 50,000 vehicles. */
    readable("10k vehicles", 5, 1e-4, "vehicles");
    readable("million", 2.5e3, 1e3, "billion");
    /* Rates and indices keep their scale. */
    readable("%", 1e6, 1, "%");
    readable("% of GDP", 13, 1, "% of GDP");
    readable("index", 1e6, 1, "index");
    readable("pp", 1e6, 1, "pp");
    readable("ln(vehicles)", 1e6, 1, "ln(vehicles)");
    /* A unit without a base, as the charts of unit-less amounts had. */
    readable("", 2e6, 1e6, "million");
    readable("", 5e4, 1, "");
}

int main(void)
{
    alm_init();
    test_parse();
    test_factor();
    test_readable();
    return check_done();
}
