/* Tests of the error module: the first failure wins, locations fill only
 * empty slots, the one-line format of SPEC.md, and the quoting of text
 * inside messages. Every expected string is written by hand from the
 * rules in error.h and STYLE.md §5. */
#include <string.h>

#include <almanac/error.h>

#include "../check.h"

static void test_fail(void)
{
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_INT(err.status, ALM_OK);
    CHECK_STR(err.msg, "");
    CHECK(alm_fail(&err, ALM_EINPUT, "bad value '%s' at %d", "x", 3) ==
          ALM_EINPUT);
    CHECK_INT(err.status, ALM_EINPUT);
    CHECK_STR(err.msg, "bad value 'x' at 3");
    /* The origin names this file and a line, for the debugger. */
    CHECK(err.origin && strstr(err.origin, "test_error.c:") != NULL);
    /* The first failure wins: a second leaves the first in place but still
     * returns its own status. */
    CHECK(alm_fail(&err, ALM_EIO, "later") == ALM_EIO);
    CHECK_INT(err.status, ALM_EINPUT);
    CHECK_STR(err.msg, "bad value 'x' at 3");
    /* NULL means "no details wanted". */
    CHECK(alm_fail(NULL, ALM_ENOMEM, "out of memory") == ALM_ENOMEM);
    alm_error_clear(NULL);
    alm_error_locate(NULL, "f", 1, "x");
    /* A message longer than the slot is cut, never overflows. */
    char big[700];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "%s", big);
    CHECK_INT(strlen(err.msg), sizeof err.msg - 1);
}

static void test_locate(void)
{
    struct alm_error err;
    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "expected a number");
    alm_error_locate(&err, "obs.csv", 0, NULL);
    CHECK_STR(err.file, "obs.csv");
    CHECK_INT(err.line, 0);
    CHECK_STR(err.field, "");
    /* Outer callers add what is missing and keep what is known. */
    alm_error_locate(&err, "other.csv", 14, "value");
    CHECK_STR(err.file, "obs.csv");
    CHECK_INT(err.line, 14);
    CHECK_STR(err.field, "value");
    alm_error_locate(&err, NULL, 20, "period");
    CHECK_INT(err.line, 14);
    CHECK_STR(err.field, "value");
    /* A file name longer than the slot is cut to 255 bytes. */
    char name[400];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    alm_error_clear(&err);
    alm_error_locate(&err, name, 1, NULL);
    CHECK_INT(strlen(err.file), sizeof err.file - 1);
}

static void test_format(void)
{
    struct alm_error err;
    char out[600];
    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "expected a finite number, got 'n/a'");
    alm_error_locate(&err, "datasets/china-2024/observations.csv", 14, "value");
    alm_error_format(&err, out, sizeof out);
    /* SPEC.md's example, to the byte. */
    CHECK_STR(out, "datasets/china-2024/observations.csv:14: field 'value': "
                   "expected a finite number, got 'n/a'");

    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "not a folder");
    alm_error_locate(&err, "ds", 0, NULL);
    alm_error_format(&err, out, sizeof out);
    CHECK_STR(out, "ds: not a folder");

    /* A field starting with '-' is an option: named as it is. */
    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "no column 'z'");
    alm_error_locate(&err, NULL, 0, "--y");
    alm_error_format(&err, out, sizeof out);
    CHECK_STR(out, "--y: no column 'z'");

    /* No message at all still says something. */
    alm_error_clear(&err);
    alm_error_format(&err, out, sizeof out);
    CHECK_STR(out, "error");

    /* A small buffer is cut, NUL-terminated, never overrun. */
    alm_error_clear(&err);
    alm_fail(&err, ALM_EINPUT, "message");
    alm_error_locate(&err, "abcdefgh.csv", 3, "f");
    char small[12];
    memset(small, 'X', sizeof small);
    alm_error_format(&err, small, 10);
    CHECK_STR(small, "abcdefgh.");
    CHECK(small[10] == 'X' && small[11] == 'X');
    alm_error_format(&err, small, 0); /* nothing written at all */
    CHECK_STR(small, "abcdefgh.");
}

static void test_quote(void)
{
    char out[64];
    /* Control characters escaped, UTF-8 kept. */
    CHECK_STR(alm_error_quote("a\nb\tc\x01\x7f", out, sizeof out),
              "a\\nb\\tc\\x01\\x7F");
    CHECK_STR(alm_error_quote("2024年 é", out, sizeof out), "2024年 é");
    /* Invalid UTF-8: a stray continuation byte, a truncated sequence, an
     * overlong encoding of '/', an encoded surrogate. */
    CHECK_STR(alm_error_quote("\x80x", out, sizeof out), "\\x80x");
    CHECK_STR(alm_error_quote("\xC3(", out, sizeof out), "\\xC3(");
    CHECK_STR(alm_error_quote("\xC0\xAF", out, sizeof out), "\\xC0\\xAF");
    CHECK_STR(alm_error_quote("\xED\xA0\x80", out, sizeof out),
              "\\xED\\xA0\\x80");
    /* Cut to size - 4 bytes of text, then "...": 12 bytes hold 8 + 3 + NUL. */
    CHECK_STR(alm_error_quote("abcdefghijkl", out, 12), "abcdefgh...");
    /* Exactly room for all of it: no "...". */
    CHECK_STR(alm_error_quote("abcdefgh", out, 12), "abcdefgh");
    /* Neither an escape nor a UTF-8 sequence is split by the cut. */
    CHECK_STR(alm_error_quote("abcdefg\n", out, 12), "abcdefg...");
    CHECK_STR(alm_error_quote("abcdefg\xC3\xA9", out, 12), "abcdefg...");
    /* Below 8 bytes there is no room for a quote: empty. */
    memcpy(out, "junk", 5);
    CHECK_STR(alm_error_quote("abc", out, 7), "");
    /* It returns out, so that it can sit in a printf argument list. */
    CHECK(alm_error_quote("x", out, sizeof out) == out);
}

int main(void)
{
    alm_init();
    test_fail();
    test_locate();
    test_format();
    test_quote();
    return check_done();
}
