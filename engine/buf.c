/* Growable buffers and the shortest round-trip formatting of doubles. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>

#include "internal.h"

static enum alm_status fail(struct alm_buf *b)
{
    b->failed = 1;
    return ALM_ENOMEM;
}

static enum alm_status grow(struct alm_buf *b, size_t extra)
{
    if (b->failed)
        return ALM_ENOMEM;
    /* The size check comes first: b->len + extra may wrap around. */
    if (extra > ((size_t)-1) / 2 - b->len)
        return fail(b);
    if (b->cap > b->len + extra)
        return ALM_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap <= b->len + extra)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s)
        return fail(b);
    b->s = s;
    b->cap = cap;
    return ALM_OK;
}

enum alm_status alm_buf_add(struct alm_buf *b, const void *data, size_t len)
{
    if (grow(b, len) != ALM_OK)
        return ALM_ENOMEM;
    if (len)
        memcpy(b->s + b->len, data, len);
    b->len += len;
    b->s[b->len] = '\0';
    return ALM_OK;
}

enum alm_status alm_buf_puts(struct alm_buf *b, const char *s)
{
    return alm_buf_add(b, s, strlen(s));
}

enum alm_status alm_buf_putc(struct alm_buf *b, char c)
{
    return alm_buf_add(b, &c, 1);
}

enum alm_status alm_buf_vprintf(struct alm_buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return fail(b);
    if (grow(b, (size_t)n) != ALM_OK)
        return ALM_ENOMEM;
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ALM_OK;
}

enum alm_status alm_buf_printf(struct alm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum alm_status st = alm_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

/* The significant digits of a number printed by "%g": the digits before
 * any exponent, without leading zeros. */
static int significant_digits(const char *s)
{
    int n = 0;
    bool lead = true;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0')
            lead = false;
        if (!lead)
            n++;
    }
    return n ? n : 1;
}

/* True when x printed with p significant digits (into out) reads back as
 * x. */
static bool round_trips(double x, int p, char *out, size_t size)
{
    snprintf(out, size, "%.*g", p, x);
    return strtod(out, NULL) == x;
}

/* The fewest significant digits of x that read back as x, as "%g" writes
 * them. */
static void shortest(double x, char *out, size_t size)
{
    if (isnan(x)) {
        snprintf(out, size, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(out, size, x < 0 ? "-inf" : "inf");
        return;
    }
    if (alm__shortest_fast(x, out, size))
        return;
    /* The fewest significant digits p for which "%.*g" reads back as x.
     * If p digits round-trip so do p + 1 (the nearest (p+1)-digit decimal
     * is at least as close to x as the nearest p-digit one), and 17 always
     * do. "%.17g" drops trailing zeros: when it shows d < 17 digits it is
     * x's 17-digit rounding, which reads back as x, and "%.*g" with d
     * digits prints the same. So d is an upper bound, and one try at
     * d - 1 (16 for a 17-digit value) settles most values: two or three
     * conversions instead of eleven. */
    char best[40];
    snprintf(best, sizeof best, "%.17g", x);
    int hi = significant_digits(best), lo = 1;
    if (hi == 17)
        hi = round_trips(x, 16, out, size) ? 16 : 17;
    /* hi digits round-trip; try hi - 1 before bisecting. */
    if (hi < 17 && hi > 1 && round_trips(x, hi - 1, out, size)) {
        hi--;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (round_trips(x, mid, out, size))
                hi = mid;
            else
                lo = mid + 1;
        }
    }
    lo = hi;
    if (lo == 17)
        snprintf(out, size, "%s", best);
    else
        snprintf(out, size, "%.*g", lo, x);
}

/* "%g" with one digit writes 80 as "8e+01"; people and spreadsheets read
 * "80". Where "%.17g" would use no exponent (10^-4 <= |x| < 10^17), out's
 * digits are written again without one. */
static void drop_exponent(double x, char *out, size_t size)
{
    const char *ep = strchr(out, 'e');
    if (!ep)
        return;
    long e = strtol(ep + 1, NULL, 10);
    int digits = 0;
    for (const char *p = out; p < ep; p++)
        digits += *p >= '0' && *p <= '9';
    if (e >= -4 && e < 17)
        snprintf(out, size, "%.*f",
                 digits - 1 - e > 0 ? (int)(digits - 1 - e) : 0, x);
}

void alm_format_double(double x, char *out, size_t size)
{
    shortest(x, out, size);
    drop_exponent(x, out, size);
}

enum alm_status alm_buf_add_double(struct alm_buf *b, double x)
{
    char tmp[40];
    alm_format_double(x, tmp, sizeof tmp);
    return alm_buf_puts(b, tmp);
}

enum alm_status alm_buf_status(const struct alm_buf *b)
{
    return b->failed ? ALM_ENOMEM : ALM_OK;
}

enum alm_status alm_buf_check(const struct alm_buf *b, struct alm_error *err,
                              const char *what)
{
    if (!b->failed)
        return ALM_OK;
    return alm_fail(err, ALM_ENOMEM, "out of memory writing %s", what);
}

void alm_buf_mark_failed(struct alm_buf *b)
{
    fail(b);
}

void alm_buf_reset(struct alm_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->s)
        b->s[0] = '\0';
}

void alm_buf_release(struct alm_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

char *alm_buf_detach(struct alm_buf *b)
{
    char *s = b->s;
    if (b->failed) {
        free(s);
        s = NULL;
    } else if (!s) {
        s = calloc(1, 1);
    }
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return s;
}
