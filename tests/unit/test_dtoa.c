/* Tests of the shortest round-trip form of doubles: alm_format_double's
 * texts written by hand (C's "%g" rules, then no exponent between 1e-4 and
 * 1e17); engine/dtoa.c's fast path on pseudo-random values against the
 * definition itself: the fewest digits p such that printf("%.{p}g") reads
 * back with strtod. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>

#include "../check.h"

/* engine/internal.h */
bool alm__shortest_fast(double x, char *out, size_t size);

/* The fast path's text, or the oracle's where it declines. */
static void fast(double x, char *out, size_t size, bool *taken)
{
    *taken = alm__shortest_fast(x, out, size);
}

static void oracle(double x, char *out, size_t size)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(out, size, "%.*g", p, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

static void check_text(double x, const char *want)
{
    char got[40];
    alm_format_double(x, got, sizeof got);
    CHECK_STR(got, want);
}

static void test_by_hand(void)
{
    check_text(0.1, "0.1");
    check_text(-0.1, "-0.1");
    check_text(2024.5, "2024.5");
    check_text(95, "95");
    check_text(100, "100");
    check_text(1e-6, "1e-06");
    check_text(1.5e-5, "1.5e-05");
    check_text(0.0001, "0.0001");
    check_text(123456789012345.0, "123456789012345");
    check_text(1e14, "100000000000000");
    check_text(1.0 / 3, "0.3333333333333333"); /* 16 digits */
    check_text(2.0 / 3, "0.6666666666666666");
    check_text(1090.421, "1090.421");
    check_text(0.30000000000000004, "0.30000000000000004");
    /* 1e15 - 0.125, its neighbour below: .9 is nearer to it than to 1e15. */
    check_text(nextafter(1e15, 0), "999999999999999.9");
    check_text(1e15, "1000000000000000"); /* outside the fast range */
    check_text(0, "0");
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Values of every kind: figures with few decimals, results of arithmetic,
 * powers of two and their neighbours (where the gap below is half the gap
 * above), ties, the edges of the fast range. */
static void test_against_oracle(void)
{
    uint64_t s = 88172645463325252ULL;
    long bad = 0, taken_n = 0;
    for (long i = 0; i < 150000; i++) {
        uint64_t r = next(&s);
        double x;
        switch (i % 6) {
        case 0:
            memcpy(&x, &r, sizeof x);
            break;
        case 1:
            x = (double)(r % 10000000) / 1000.0;
            break;
        case 2:
            x = (double)(r % 100000) * pow(10, (int)((r >> 40) % 40) - 20);
            break;
        case 3:
            x = ldexp(1.0, (int)((r >> 20) % 120) - 60);
            x = (r & 1) ? nextafter(x, 0) : (r & 2) ? nextafter(x, 1e300) : x;
            break;
        case 4:
            x = (double)(r >> 11) / 9007199254740992.0 *
                pow(10, (int)(r % 23) - 7);
            break;
        default:
            x = (double)(int64_t)r / 3.0e10;
        }
        if (!isfinite(x))
            continue;
        if (i & 1)
            x = -x;
        char want[40], got[40];
        bool taken;
        fast(x, got, sizeof got, &taken);
        if (!taken)
            continue;
        taken_n++;
        oracle(x, want, sizeof want);
        if (strcmp(want, got) != 0 && bad++ < 5)
            CHECK_AT(0, "%.17g: want %s, got %s", x, want, got);
    }
    CHECK(taken_n > 50000); /* most values are in the fast range */
    /* Every power of two of the fast range, where the gap below is half
     * the gap above. */
    for (int k = -19; k <= 49; k++) { /* 1.9e-6 .. 5.6e14 */
        char want[40], got[40];
        double x = ldexp(1.0, k);
        bool taken;
        fast(x, got, sizeof got, &taken);
        oracle(x, want, sizeof want);
        CHECK(taken);
        if (strcmp(want, got) != 0 && bad++ < 5)
            CHECK_AT(0, "2^%d: want %s, got %s", k, want, got);
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    test_by_hand();
    test_against_oracle();
    return check_done();
}
