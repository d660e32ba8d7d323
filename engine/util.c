/* Small helpers shared by the modules (see internal.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

enum alm_status alm__parse_number(const char *s, double *out,
                                  struct alm_error *err)
{
    char q[96];
    const char *p = s;
    size_t digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    while (is_digit(*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            p++;
            digits++;
        }
    }
    if (digits > 0 && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1;
        if (*e == '+' || *e == '-')
            e++;
        if (is_digit(*e)) {
            while (is_digit(*e))
                e++;
            p = e;
        }
    }
    if (digits == 0 || *p != '\0') {
        if (!*s)
            return alm_fail(err, ALM_EINPUT, "expected a number, got nothing");
        return alm_fail(err, ALM_EINPUT, "expected a finite number, got '%s'",
                        alm_error_quote(s, q, sizeof q));
    }
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
