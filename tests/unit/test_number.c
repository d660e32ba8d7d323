/* Tests of alm__parse_number (engine/util.c): values written by hand, the
 * bit patterns of C's strtod (glibc, correctly rounded) on a million
 * pseudo-random decimal texts in and out of the fast path's range, the
 * grammar against a POSIX regular expression, and the messages. */
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/error.h>

#include "../check.h"

/* engine/internal.h */
enum alm_status alm__parse_number(const char *s, double *out,
                                  struct alm_error *err);

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Parses s, which must be accepted, and returns its value. */
static double parsed(const char *s)
{
    double x = nan("");
    struct alm_error e;
    alm_error_clear(&e);
    CHECK_AT(alm__parse_number(s, &x, &e) == ALM_OK, "'%s' refused: %s", s,
             e.msg);
    return x;
}

/* s reads as strtod reads it, to the bit, or is refused as out of range
 * where strtod overflows. */
static bool same_as_strtod(const char *s)
{
    double x = 0, want = strtod(s, NULL);
    enum alm_status st = alm__parse_number(s, &x, NULL);
    if (!isfinite(want))
        return st == ALM_EINPUT;
    return st == ALM_OK && bits(x) == bits(want);
}

static void check_bits(const char *s)
{
    double x = parsed(s), want = strtod(s, NULL);
    CHECK_AT(bits(x) == bits(want), "'%s' read as %a, strtod %a", s, x, want);
}

static void test_by_hand(void)
{
    /* The compiler's conversions of the same texts are the reference. */
    CHECK(parsed("0.1") == 0.1);
    CHECK(parsed("0.3") == 0.3);
    CHECK(parsed("2024.5") == 2024.5);
    CHECK(parsed("888.281") == 888.281);
    CHECK(parsed("-906.389") == -906.389);
    CHECK(parsed("1.") == 1.0);
    CHECK(parsed(".5") == 0.5);
    CHECK(parsed("-.5") == -0.5);
    CHECK(parsed("+.5e1") == 5.0);
    CHECK(parsed("1e22") == 1e22);
    CHECK(parsed("1e23") == 1e23); /* not exact: past the fast path */
    CHECK(parsed("1e-22") == 1e-22);
    CHECK(parsed("123456789e-22") == 123456789e-22);
    CHECK(parsed("9007199254740992") == 9007199254740992.0); /* 2^53 */
    /* 2^53 + 1 lies half way: to even, 2^53. */
    CHECK(parsed("9007199254740993") == 9007199254740992.0);
    CHECK(parsed("9007199254740995") == 9007199254740996.0);
    CHECK(parsed("000000000000000000000000000001.5") == 1.5);
    CHECK(parsed("0.00000000000000000000000000001") == 1e-29);
    CHECK(parsed("1234567890123456789012345") == 1234567890123456789012345.0);
    CHECK(parsed("4.9e-324") == 4.9e-324); /* the least denormal */
    CHECK(parsed("2.2250738585072011e-308") == 2.2250738585072011e-308);
    CHECK(parsed("1.7976931348623157e308") == 1.7976931348623157e308);
    CHECK(parsed("1e-400") == 0);
    CHECK(parsed("0e99999999999999999999") == 0);
    CHECK(signbit(parsed("-0")));
    CHECK(signbit(parsed("-0.0e5")));
    CHECK(!signbit(parsed("0")));
    CHECK(!signbit(parsed("+0.000")));
    static const char *const edge[] = {
        "0",
        "-0",
        "+0",
        "0.0",
        "00",
        "9007199254740991",
        "9007199254740992",
        "9007199254740993",
        "9007199254740994",
        "9007199254740995",
        "-9007199254740993",
        "9007199254740993e-5",
        "900719925474099.3",
        "1e22",
        "1e23",
        "9e22",
        "9007199254740992e22",
        "9007199254740993e22",
        "1e-22",
        "1e-23",
        "9007199254740992e-22",
        "0.1",
        "0.2",
        "0.7",
        "1.",
        ".5",
        "4.9e-324",
        "2.4703282292062327e-324", /* half the least denormal: to 0 */
        "2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "9999999999999999999",  /* 19 digits, above 2^53 */
        "12345678901234567890", /* 20 digits */
        "18446744073709551615",
        "18446744073709551616",
        "1.0000000000000000000", /* 20 significant digits, trailing zeros */
        "0.000000000000000000001",
        "000000000000000000000000000123.456000",
        "3.14159265358979323846264338327950288",
        "123456789012345678e-18",
        "1234567890123456789e-40",
        "5e-324",
        "1e-320",
        "1E5",
        "1e+5",
        "1e-05",
        "-1e-0",
    };
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        check_bits(edge[i]);
}

/* splitmix64: a deterministic sequence. */
static uint64_t rng_state = 0x5eed2024u;

static uint64_t next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

static void put_digits(char *s, size_t *n, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        s[(*n)++] = (char)('0' + below(10));
}

/* A random decimal text of the accepted grammar: mostly the figures of
 * files (a few digits, a point, no exponent), also long ones, leading
 * zeros and exponents near and far past the fast path's. */
static void random_number(char *s)
{
    size_t n = 0;
    unsigned sign = below(4);
    if (sign == 1)
        s[n++] = '-';
    else if (sign == 2)
        s[n++] = '+';
    unsigned shape = below(8);
    unsigned lead = below(4) == 0 ? below(5) : 0;
    for (unsigned i = 0; i < lead; i++)
        s[n++] = '0';
    unsigned ints = shape < 5 ? below(8) : below(26);
    unsigned fracs = shape < 5 ? below(8) : below(26);
    bool point = below(5) != 0 || ints + lead == 0;
    if (ints + lead == 0 && fracs == 0)
        ints = 1;
    put_digits(s, &n, ints);
    if (point) {
        s[n++] = '.';
        if (below(4) == 0)
            for (unsigned i = below(6); i > 0; i--)
                s[n++] = '0';
        put_digits(s, &n, fracs);
    }
    if (shape >= 3) {
        s[n++] = below(2) ? 'e' : 'E';
        unsigned es = below(3);
        if (es == 1)
            s[n++] = '-';
        else if (es == 2)
            s[n++] = '+';
        unsigned ex = shape == 7 ? below(340) : below(30);
        n += (size_t)snprintf(s + n, 8, "%s%u", below(8) ? "" : "0", ex);
    }
    s[n] = '\0';
}

static void test_against_strtod(void)
{
    char s[128];
    size_t bad = 0;
    for (int i = 0; i < 1000000; i++) {
        random_number(s);
        if (!same_as_strtod(s) && bad++ < 10)
            CHECK_AT(false, "'%s' differs from strtod", s);
    }
    CHECK_AT(bad == 0, "%zu of 10^6 texts differ from strtod", bad);
    bad = 0;
    /* Every integer around 2^53 and the exact powers of ten. */
    for (uint64_t m = ((uint64_t)1 << 53) - 64; m < ((uint64_t)1 << 53) + 64;
         m++) {
        for (int e = -23; e <= 23; e++) {
            snprintf(s, sizeof s, "%llue%d", (unsigned long long)m, e);
            if (!same_as_strtod(s) && bad++ < 10)
                CHECK_AT(false, "'%s' differs from strtod", s);
        }
    }
    CHECK_AT(bad == 0, "%zu texts near 2^53 differ from strtod", bad);
}

/* Random texts over the characters of numbers: accepted exactly when a
 * POSIX regular expression of the grammar matches them. */
static void test_grammar(void)
{
    regex_t re;
    int rc =
        regcomp(&re, "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$",
                REG_EXTENDED | REG_NOSUB);
    CHECK(rc == 0);
    if (rc != 0)
        return;
    static const char alphabet[] = "0123456789.eE+- x";
    char s[16];
    size_t wrong = 0, accepted = 0;
    for (int i = 0; i < 200000; i++) {
        unsigned len = below(8);
        for (unsigned j = 0; j < len; j++)
            s[j] = alphabet[below(sizeof alphabet - 1)];
        s[len] = '\0';
        double x;
        bool ok = alm__parse_number(s, &x, NULL) == ALM_OK;
        bool want =
            regexec(&re, s, 0, NULL, 0) == 0 && isfinite(strtod(s, NULL));
        accepted += ok;
        if (ok != want && wrong++ < 10)
            CHECK_AT(false, "'%s' %s", s, ok ? "accepted" : "refused");
        if (ok && bits(x) != bits(strtod(s, NULL)) && wrong++ < 10)
            CHECK_AT(false, "'%s' differs from strtod", s);
    }
    regfree(&re);
    CHECK_AT(wrong == 0, "%zu texts read wrongly", wrong);
    CHECK(accepted > 1000); /* the sample reaches the numbers */
}

static void check_refused(const char *s, const char *msg)
{
    struct alm_error e;
    double x = 42;
    alm_error_clear(&e);
    CHECK_AT(alm__parse_number(s, &x, &e) == ALM_EINPUT, "'%s' accepted", s);
    CHECK_STR(e.msg, msg);
    CHECK(x == 42); /* untouched */
}

static void test_refused(void)
{
    check_refused("", "expected a number, got nothing");
    check_refused("abc", "expected a finite number, got 'abc'");
    check_refused(".", "expected a finite number, got '.'");
    check_refused("-", "expected a finite number, got '-'");
    check_refused("1e", "expected a finite number, got '1e'");
    check_refused("1e+", "expected a finite number, got '1e+'");
    check_refused("1.2.3", "expected a finite number, got '1.2.3'");
    check_refused(" 1", "expected a finite number, got ' 1'");
    check_refused("1 ", "expected a finite number, got '1 '");
    check_refused("1,5", "expected a finite number, got '1,5'");
    check_refused("0x10", "expected a finite number, got '0x10'");
    check_refused("nan", "expected a finite number, got 'nan'");
    check_refused("inf", "expected a finite number, got 'inf'");
    check_refused("1e999", "number '1e999' is out of range");
    check_refused("-1.8e308", "number '-1.8e308' is out of range");
    check_refused("1797693134862315807937289714053034150799341327710"
                  "8e300",
                  "number '1797693134862315807937289714053034150799341327710"
                  "8e300' is out of range");
}

int main(void)
{
    test_by_hand();
    test_against_strtod();
    test_grammar();
    test_refused();
    return check_done();
}
