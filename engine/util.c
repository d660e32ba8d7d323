/* Small helpers shared by the modules (see internal.h). */
/* madvise() and MADV_HUGEPAGE are Linux's (GNU). */
#ifdef __linux__
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "internal.h"

/* The size of a huge page (x86-64's and arm64's usual one). */
#define HUGE_PAGE ((size_t)2 << 20)

void *alm__huge_pages(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = HUGE_PAGE;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1),
              b = ((uintptr_t)p + n) & ~(huge - 1);
    if (p && n >= 2 * huge && b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)n;
#endif
    return p;
}

#if defined(__linux__) && defined(MREMAP_FIXED)
/* A mapping of n bytes (a multiple of HUGE_PAGE) at an address that is
 * one too, so that each huge page of it is whole, or NULL. */
static char *map_aligned(size_t n)
{
    char *p = mmap(NULL, n + HUGE_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    size_t head = a - (uintptr_t)p;
    if (head)
        munmap(p, head);
    munmap((char *)a + n, HUGE_PAGE - head);
#ifdef MADV_HUGEPAGE
    (void)madvise((void *)a, n, MADV_HUGEPAGE);
#endif
    return (char *)a;
}
#endif

void *alm__map_grow(void *p, size_t old, size_t *n)
{
#if defined(__linux__) && defined(MREMAP_FIXED)
    if (*n > (size_t)-1 - 2 * HUGE_PAGE)
        return NULL;
    *n = (*n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (p && *n <= old)
        return p;
    char *q = map_aligned(*n);
    if (!q || !p)
        return q;
    /* The old pages move to the start of the new mapping, huge page by
     * huge page (both are aligned): no copy, none split. */
    if (mremap(p, old, old, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED) {
        munmap(q, *n);
        return NULL;
    }
    return q;
#else
    (void)p;
    (void)old;
    (void)n;
    return NULL;
#endif
}

void alm__map_free(void *p, size_t n)
{
#if defined(__linux__) && defined(MREMAP_FIXED)
    if (p)
        munmap(p, n);
#else
    (void)p;
    (void)n;
#endif
}

char *alm__strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *alm__strdup(const char *s)
{
    return alm__strndup(s, strlen(s));
}

void alm__copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

bool alm__id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (i > 0)
            ok = ok || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The powers of ten a double holds exactly (5^22 < 2^53). */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Significant digits the fast path keeps: 10^19 - 1 fits in 64 bits. */
#define FAST_DIGITS 19

/* Clinger's fast path: m * 10^e10 is correctly rounded by one IEEE
 * multiplication or division when m and 10^|e10| are both exact doubles
 * (m <= 2^53, |e10| <= 22) and arithmetic is in double precision
 * (FLT_EVAL_METHOD 0: no x87 double rounding). False when it does not
 * apply (strtod then reads the text). */
static bool fast_value(uint64_t m, long e10, bool neg, double *out)
{
#if FLT_EVAL_METHOD == 0
    double v;
    if (m == 0)
        v = 0;
    else if (m > (uint64_t)1 << 53 || e10 < -22 || e10 > 22)
        return false;
    else if (e10 < 0)
        v = (double)m / exact_pow10[-e10];
    else
        v = (double)m * exact_pow10[e10];
    *out = neg ? -v : v;
    return true;
#else
    (void)m, (void)e10, (void)neg, (void)out;
    return false;
#endif
}

enum alm_status alm__parse_number(const char *s, double *out,
                                  struct alm_error *err)
{
    char q[96];
    const char *p = s;
    size_t digits = 0;
    /* The significant digits (leading zeros left out) as an integer m,
     * while there are at most FAST_DIGITS of them (whole). */
    uint64_t m = 0;
    int kept = 0;
    bool whole = true;
    long scale = 0; /* digits after the point */
    long e10 = 0;   /* the exponent written, capped */
    bool neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    const char *int_digits = p;
    while (is_digit(*p)) {
        if (kept < FAST_DIGITS) {
            m = 10 * m + (uint64_t)(*p - '0');
            kept += m != 0;
        } else {
            whole = false;
        }
        p++;
    }
    digits = (size_t)(p - int_digits);
    if (*p == '.') {
        const char *frac = ++p;
        while (is_digit(*p)) {
            if (kept < FAST_DIGITS) {
                m = 10 * m + (uint64_t)(*p - '0');
                kept += m != 0;
            } else {
                whole = false;
            }
            p++;
        }
        scale = (long)(p - frac);
        digits += (size_t)scale;
    }
    if (digits > 0 && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1;
        bool eneg = *e == '-';
        if (*e == '+' || *e == '-')
            e++;
        if (is_digit(*e)) {
            while (is_digit(*e)) {
                if (e10 < 100000) /* far past any double's range */
                    e10 = 10 * e10 + (*e - '0');
                e++;
            }
            if (eneg)
                e10 = -e10;
            p = e;
        }
    }
    if (digits == 0 || *p != '\0') {
        if (!*s)
            return alm_fail(err, ALM_EINPUT, "expected a number, got nothing");
        return alm_fail(err, ALM_EINPUT, "expected a finite number, got '%s'",
                        alm_error_quote(s, q, sizeof q));
    }
    if (whole && fast_value(m, e10 - scale, neg, out))
        return ALM_OK;
    errno = 0;
    double v = strtod(s, NULL);
    if (!isfinite(v))
        return alm_fail(err, ALM_EINPUT, "number '%s' is out of range",
                        alm_error_quote(s, q, sizeof q));
    *out = v;
    return ALM_OK;
}

enum alm_status alm__parse_int(const char *s, int *out, struct alm_error *err)
{
    const char *p = s;
    long v = 0;
    if (!*p)
        return alm_fail(err, ALM_EINPUT,
                        "expected a whole number, got nothing");
    while (is_digit(*p)) {
        v = v * 10 + (*p - '0');
        if (v > INT_MAX)
            break;
        p++;
    }
    if (*p != '\0') {
        char q[96];
        return alm_fail(err, ALM_EINPUT, "expected a whole number, got '%s'",
                        alm_error_quote(s, q, sizeof q));
    }
    *out = (int)v;
    return ALM_OK;
}
