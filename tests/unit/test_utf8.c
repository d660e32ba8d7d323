/* utf8: the strict decoder and terminal widths. Byte sequences and code
 * points from RFC 3629's table, written by hand. */
#include <string.h>

#include <almanac/utf8.h>

#include "../check.h"

static void test_decode_valid(void)
{
    size_t len = 0;
    CHECK_INT(alm_utf8_decode("A", &len), 0x41);
    CHECK_INT(len, 1);
    CHECK_INT(alm_utf8_decode("\xC3\xA9", &len), 0xE9); /* é */
    CHECK_INT(len, 2);
    CHECK_INT(alm_utf8_decode("\xE2\x82\xAC", &len), 0x20AC); /* € */
    CHECK_INT(len, 3);
    CHECK_INT(alm_utf8_decode("\xF0\x9F\x98\x80", &len), 0x1F600);
    CHECK_INT(len, 4);
    CHECK_INT(alm_utf8_decode("\xF4\x8F\xBF\xBF", &len), 0x10FFFF);
    CHECK_INT(len, 4);
}

static void test_decode_invalid(void)
{
    static const char *const bad[] = {
        "\x80",             /* a lone continuation byte */
        "\xC0\xAF",         /* overlong '/' */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\xAF",     /* overlong, 3 bytes */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xF4\x90\x80\x80", /* U+110000, beyond Unicode */
        "\xF5\x80\x80\x80", /* no such lead byte */
        "\xFF",
        "\xE2\x82",  /* truncated by the string's end */
        "\xE2\x82X", /* truncated by an ASCII byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = 0;
        unsigned c = alm_utf8_decode(bad[i], &len);
        CHECK_AT(c == ALM_UTF8_BAD && len == 1, "case %zu: U+%X, %zu bytes", i,
                 c, len);
        CHECK_AT(!alm_utf8_valid(bad[i], strlen(bad[i])), "case %zu valid", i);
    }
}

static void test_valid(void)
{
    CHECK(alm_utf8_valid("", 0));
    CHECK(alm_utf8_valid("caf\xC3\xA9 \xE4\xB8\xAD", 9));
    CHECK(alm_utf8_valid("a\0b", 3)); /* NUL is a character */
    /* A sequence cut by len is invalid even if the bytes go on. */
    CHECK(!alm_utf8_valid("\xC3\xA9", 1));
    CHECK(alm_utf8_seq("\xC3\xA9", 1, NULL) == 0);
    unsigned cp = 0;
    CHECK_INT(alm_utf8_seq("\xE4\xB8\xAD", 3, &cp), 3);
    CHECK_INT(cp, 0x4E2D); /* 中 */
}

static void test_width(void)
{
    CHECK_INT(alm_utf8_width('a'), 1);
    CHECK_INT(alm_utf8_width(0xE9), 1);
    CHECK_INT(alm_utf8_width(0x4E2D), 2);  /* CJK ideograph */
    CHECK_INT(alm_utf8_width(0xAC00), 2);  /* Hangul syllable */
    CHECK_INT(alm_utf8_width(0xFF21), 2);  /* fullwidth A */
    CHECK_INT(alm_utf8_width(0x20000), 2); /* CJK extension B */
    CHECK_INT(alm_utf8_width(ALM_UTF8_BAD), 1);
    /* "GDP 中国" : 4 narrow + 2 wide = 8 columns, 10 bytes. */
    CHECK_INT(alm_utf8_text_width("GDP \xE4\xB8\xAD\xE5\x9B\xBD"), 8);
    CHECK_INT(alm_utf8_text_width(""), 0);
    /* A stray byte counts as one column and the walk goes on. */
    CHECK_INT(alm_utf8_text_width("a\xFF"
                                  "b"),
              3);
}

int main(void)
{
    test_decode_valid();
    test_decode_invalid();
    test_valid();
    test_width();
    return check_done();
}
