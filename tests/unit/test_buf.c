/* buf: appends, the failure a buffer remembers, and number formatting.
 * Expected texts are written by hand. */
#include <stdint.h>
#include <stdlib.h>

#include <almanac/buf.h>

#include "../check.h"

static void test_appends(void)
{
    struct alm_buf b = ALM_BUF_INIT;
    CHECK_INT(alm_buf_puts(&b, "ab"), ALM_OK);
    CHECK_INT(alm_buf_putc(&b, 'c'), ALM_OK);
    CHECK_INT(alm_buf_add(&b, "dxyz", 1), ALM_OK);
    CHECK_INT(alm_buf_printf(&b, "-%d-%s", 42, "e"), ALM_OK);
    CHECK_STR(b.s, "abcd-42-e");
    CHECK_INT(b.len, 9);
    /* Growing past the first allocation (64 bytes) keeps every byte. */
    for (int i = 0; i < 100; i++)
        alm_buf_putc(&b, (char)('0' + i % 10));
    CHECK_INT(b.len, 109);
    CHECK(b.s[9] == '0' && b.s[108] == '9' && b.s[109] == '\0');
    alm_buf_reset(&b);
    CHECK_STR(b.s, "");
    CHECK_INT(b.len, 0);
    alm_buf_release(&b);
    CHECK(b.s == NULL);
    char *s = alm_buf_detach(&b); /* nothing written: an empty string */
    CHECK_STR(s, "");
    free(s);
}

static void test_failure_is_remembered(void)
{
    struct alm_buf b = ALM_BUF_INIT;
    struct alm_error err;
    alm_error_clear(&err);
    alm_buf_puts(&b, "kept");
    CHECK_INT(alm_buf_status(&b), ALM_OK);
    CHECK_INT(alm_buf_check(&b, &err, "the test"), ALM_OK);
    /* No buffer can hold SIZE_MAX bytes: the append fails before it
     * reads the data, and marks the buffer. */
    CHECK_INT(alm_buf_add(&b, "x", SIZE_MAX), ALM_ENOMEM);
    CHECK_INT(alm_buf_status(&b), ALM_ENOMEM);
    /* Later appends do nothing, even ones that would fit. */
    CHECK_INT(alm_buf_puts(&b, " more"), ALM_ENOMEM);
    CHECK_INT(alm_buf_printf(&b, "%d", 7), ALM_ENOMEM);
    CHECK_INT(alm_buf_add_double(&b, 1.5), ALM_ENOMEM);
    CHECK_STR(b.s, "kept");
    CHECK_INT(alm_buf_check(&b, &err, "the test"), ALM_ENOMEM);
    CHECK_INT(err.status, ALM_ENOMEM);
    CHECK_STR(err.msg, "out of memory writing the test");
    /* A failed buffer's bytes are incomplete: detach gives none. */
    CHECK(alm_buf_detach(&b) == NULL);
    CHECK_INT(alm_buf_status(&b), ALM_OK);
    /* reset clears the failure. */
    alm_buf_add(&b, "x", SIZE_MAX);
    alm_buf_reset(&b);
    CHECK_INT(alm_buf_puts(&b, "again"), ALM_OK);
    CHECK_STR(b.s, "again");
    alm_buf_release(&b);
}

static void check_double(double x, const char *want)
{
    char out[40];
    alm_format_double(x, out, sizeof out);
    CHECK_AT(strcmp(out, want) == 0, "%.17g: '%s', want '%s'", x, out, want);
    CHECK_AT(strtod(out, NULL) == x || x != x, "%.17g: '%s' does not read back",
             x, out);
}

static void test_format_double(void)
{
    /* Shortest digits, never an exponent where %.17g would have none: 80
     * is "80" (%.1g writes "8e+01"), 100 "100", 1.2e5 "120000". */
    check_double(80, "80");
    check_double(-80, "-80");
    check_double(100, "100");
    check_double(95, "95");
    check_double(99.5, "99.5");
    check_double(120000, "120000");
    check_double(1e15, "1000000000000000");
    check_double(1e16, "10000000000000000");
    check_double(0.1, "0.1");
    check_double(7.6, "7.6");
    check_double(0.0001, "0.0001");
    check_double(0, "0");
    /* Outside 10^-4 .. 10^17 the exponent stays. */
    check_double(1e17, "1e+17");
    check_double(1e20, "1e+20");
    check_double(3e-7, "3e-07");
    check_double(1.7976931348623157e308, "1.7976931348623157e+308");
    check_double(1.0 / 3, "0.3333333333333333");
    check_double(NAN, "nan");
    check_double(-INFINITY, "-inf");
}

int main(void)
{
    test_appends();
    test_failure_is_remembered();
    test_format_double();
    return check_done();
}
