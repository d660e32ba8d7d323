/* The shortest round-trip form of a double, by exact integer arithmetic,
 * for the magnitudes a dataset's figures and their projections have.
 *
 * printf("%.*g") rounds the exact binary value correctly, which glibc does
 * with arbitrary-precision arithmetic: several hundred nanoseconds a call,
 * and finding the shortest form that reads back takes several calls. For
 * 1e-6 <= |x| < 1e15 every quantity below fits in 128 bits, so the same
 * digits come from a few integer operations:
 *
 *   x = m * 2^-q with 2^52 <= m < 2^53, and N = x * 10^s lies in
 *   [10^16, 10^17) for s = 16 - floor(log10 |x|), 2 <= s <= 22. Then
 *   A = m * 10^s < 2^127 and N = A / 2^q: its integer part Q = A >> q and
 *   its fraction r / 2^q with r = A mod 2^q.
 *
 *   The p-digit rounding of x (as "%.{p}g" prints it, ties to even) is
 *   R = round(N / 10^k) with k = 17 - p: with Q = R0 * 10^k + rem, it is
 *   R0 + 1 when rem > 10^k / 2, or rem = 10^k / 2 and (r > 0 or R0 odd);
 *   else R0 (for k = 0 the fraction r / 2^q decides alike).
 *
 *   R * 10^(exponent) reads back as x when it is nearer to x than half the
 *   gap to x's neighbours: scaled by 10^s the gap above is 10^s / 2^q, the
 *   gap below too unless m = 2^52 (then half that). With d = R * 10^k - Q,
 *   the distance scaled by 2^(q+1) is L = d * 2^(q+1) - 2r, compared with
 *   10^s (or 10^s / 2 below a power of two); at equality strtod rounds to
 *   the even m, so x is read back when m is even.
 *
 * The result is exactly the old bisection's (fewest digits p such that
 * "%.{p}g" reads back as x), as tests/unit/test_dtoa.c checks against
 * printf and strtod on millions of values. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

/* 10^k for k <= 19. */
static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

static uint64_t pow10_u64(int k)
{
    return pow10_64[k];
}

/* 10^k for k <= 38. */
static u128 pow10_u128(int k)
{
    return k < 20 ? (u128)pow10_64[k] : (u128)pow10_64[19] * pow10_64[k - 19];
}

/* x split as described above. */
struct scaled {
    uint64_t m, q_int; /* m, and Q = floor(x * 10^s) */
    u128 r;            /* A mod 2^q */
    int q, s;
};

/* R = the rounding of N to 17 - k digits. */
static uint64_t round_digits(const struct scaled *v, int k)
{
    if (k == 0) {
        u128 half = (u128)1 << (v->q - 1);
        uint64_t r0 = v->q_int;
        if (v->r > half || (v->r == half && (r0 & 1)))
            r0++;
        return r0;
    }
    uint64_t p = pow10_u64(k), r0 = v->q_int / p, rem = v->q_int % p;
    if (rem > p / 2 || (rem == p / 2 && (v->r > 0 || (r0 & 1))))
        r0++;
    return r0;
}

/* True when R (the rounding to 17 - k digits) reads back as x. */
static bool reads_back(const struct scaled *v, uint64_t rd, int k)
{
    i128 d = (i128)((u128)rd * pow10_u64(k)) - (i128)v->q_int;
    /* Half a gap is at most a few units of N: far ones fail at once. */
    if (d > 1024 || d < -1024)
        return false;
    i128 l = d * ((i128)1 << (v->q + 1)) - 2 * (i128)v->r;
    i128 limit = (i128)pow10_u128(v->s);
    if (l < 0) {
        l = -l;
        if (v->m == (uint64_t)1 << 52)
            limit /= 2;
    }
    return l < limit || (l == limit && (v->m & 1) == 0);
}

/* Writes rd (p digits, or 10^p after a carry) times 10^(exp10 - p + 1) as
 * "%.{p}g" would; false when out has no room for it. */
static bool write_g(bool negative, uint64_t rd, int p, int exp10, char *out,
                    size_t size)
{
    char digits[24];
    if (rd == pow10_u64(p)) { /* 9.99 rounded up to 10.0 */
        rd /= 10;
        exp10++;
    }
    /* Two digits a division: "00" to "99". */
    static const char pairs[] =
        "0001020304050607080910111213141516171819202122232425262728293031323334"
        "353637383940414243444546474849"
        "5051525354555657585960616263646566676869707172737475767778798081828384"
        "858687888990919293949596979899";
    int left = p;
    for (; left >= 2; left -= 2) {
        memcpy(digits + left - 2, pairs + 2 * (rd % 100), 2);
        rd /= 100;
    }
    if (left == 1)
        digits[0] = (char)('0' + rd);
    int nd = p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    char buf[48];
    size_t n = 0;
    if (negative)
        buf[n++] = '-';
    if (exp10 < -4 || exp10 >= p) {
        buf[n++] = digits[0];
        if (nd > 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + 1, (size_t)nd - 1);
            n += (size_t)nd - 1;
        }
        int ae = exp10 < 0 ? -exp10 : exp10;
        buf[n++] = 'e';
        buf[n++] = exp10 < 0 ? '-' : '+';
        if (ae >= 100)
            buf[n++] = (char)('0' + ae / 100);
        buf[n++] = (char)('0' + ae / 10 % 10);
        buf[n++] = (char)('0' + ae % 10);
        buf[n] = '\0';
    } else if (exp10 >= 0) {
        for (int i = 0; i <= exp10; i++)
            buf[n++] = i < nd ? digits[i] : '0';
        if (nd > exp10 + 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            n += (size_t)(nd - exp10 - 1);
        }
        buf[n] = '\0';
    } else {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = 0; i < -exp10 - 1; i++)
            buf[n++] = '0';
        memcpy(buf + n, digits, (size_t)nd);
        n += (size_t)nd;
        buf[n] = '\0';
    }
    if (size <= n)
        return false;
    memcpy(out, buf, n + 1);
    return true;
}

bool alm__shortest_fast(double x, char *out, size_t size)
{
    double a = fabs(x);
    if (!(a >= 1e-6 && a < 1e15))
        return false;
    /* a is normal here: a = m * 2^-q with m its 53-bit significand (the
     * stored 52 bits and the implicit one) and e2 = 53 - q its exponent
     * as frexp gives it (a = f * 2^e2, 0.5 <= f < 1). */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)(bits >> 52) - 1022;
    struct scaled v;
    v.m = (bits & (((uint64_t)1 << 52) - 1)) | ((uint64_t)1 << 52);
    v.q = 53 - e2;
    /* floor(log10 a) is floor(e2 log10 2) or one less (a < 2^e2), and
     * 78913 / 2^18 is log10 2 to 6 digits, close enough for |e2| < 64:
     * the loop below steps down when the guess is high. */
    int exp10 = e2 * 78913;
    exp10 = exp10 >= 0 ? exp10 / 262144 : -((-exp10 + 262143) / 262144);
    for (int tries = 0; tries < 3; tries++) {
        v.s = 16 - exp10;
        if (v.q < 1 || v.q > 100 || v.s < 1 || v.s > 22)
            return false;
        u128 big = (u128)v.m * pow10_u128(v.s);
        v.q_int = (uint64_t)(big >> v.q);
        v.r = big & (((u128)1 << v.q) - 1);
        if (v.q_int < 10000000000000000ULL)
            exp10--;
        else if (v.q_int >= 100000000000000000ULL)
            exp10++;
        else
            break;
        if (tries == 2)
            return false;
    }
    /* The fewest digits that read back: if p do, so do p + 1, and 17
     * always do. A computed figure (a projection, its bounds) mostly needs
     * 16 or 17, so 15 is tried first: two tests settle those, and the
     * shorter ones are bisected below 15. */
    int lo = 1, hi = 17;
    uint64_t rd = round_digits(&v, 2);
    if (!reads_back(&v, rd, 2)) {
        rd = round_digits(&v, 1);
        lo = hi = reads_back(&v, rd, 1) ? 16 : 17;
        if (hi == 17)
            rd = round_digits(&v, 0);
    } else {
        hi = 15;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            uint64_t r = round_digits(&v, 17 - mid);
            if (reads_back(&v, r, 17 - mid)) {
                hi = mid;
                rd = r;
            } else {
                lo = mid + 1;
            }
        }
    }
    return write_g(x < 0, rd, lo, exp10, out, size);
}
#else
bool alm__shortest_fast(double x, char *out, size_t size)
{
    (void)x;
    (void)out;
    (void)size;
    return false; /* no 128-bit integers: printf does it */
}
#endif
