/* view: the number formatter for people, aligned text tables and the
 * escaping of control characters. Expected texts are written by hand. */
#include <math.h>
#include <stdlib.h>

#include <almanac/view.h>

#include "../check.h"

static void check_num(double x, int sig, unsigned flags, const char *want)
{
    char out[64];
    alm_format_number(x, sig, flags, out, sizeof out);
    CHECK_AT(strcmp(out, want) == 0, "%.17g sig %d flags %u: '%s', want '%s'",
             x, sig, flags, out, want);
}

static void test_format_number(void)
{
    /* Four significant digits keep their decimals in tables... */
    check_num(80, 4, 0, "80.00");
    check_num(13.7, 4, 0, "13.70");
    check_num(0.01234, 4, 0, "0.01234");
    check_num(12888, 4, 0, "12888"); /* never fewer than the integer part */
    check_num(-0.00001, 4, 0, "-0.00001000");
    check_num(-0.0000001, 4, 0, "-1e-07"); /* below 1e-5: %g */
    check_num(-0.00004, 3, 0, "-0.0000400");
    check_num(1234567890123456.0, 4, 0, "1.235e+15");
    /* ...and drop their zeros in prose, never an exponent: 80 is 80. */
    check_num(80, 4, ALM_NUM_TRIM, "80");
    check_num(80, 3, ALM_NUM_TRIM, "80");
    check_num(6.2, 4, ALM_NUM_TRIM, "6.2");
    check_num(17.44, 3, ALM_NUM_TRIM, "17.4");
    check_num(12888, 3, ALM_NUM_TRIM, "12888");
    check_num(0.5, 3, ALM_NUM_TRIM, "0.5");
    check_num(0, 4, ALM_NUM_TRIM, "0");
    check_num(-0.0001, 3, ALM_NUM_TRIM, "-0.0001");
    check_num(-0.00000001, 4, ALM_NUM_TRIM, "-1e-08");
    check_num(-0.0004, 1, ALM_NUM_TRIM, "-0.0004");
    check_num(-0.00004, 1, ALM_NUM_TRIM, "-0.00004"); /* 1e-5 and up */
    check_num(-0.4, 1, ALM_NUM_TRIM, "-0.4");
    check_num(-1e-3, 4, ALM_NUM_TRIM, "-0.001");
    check_num(-0.00049, 1, ALM_NUM_TRIM, "-0.0005");
    check_num(-0.000001, 4, 0, "-1e-06");
    /* A negative that rounds to zero has no sign. */
    check_num(-0.00004, 4, ALM_NUM_TRIM, "-0.00004");
    check_num(-0.4, 0, ALM_NUM_TRIM, "0");
    check_num(-0.0004, 4, 0, "-0.0004000");
    check_num(-2e-9, 4, ALM_NUM_TRIM, "-2e-09");
    check_num(-0.0, 4, ALM_NUM_TRIM, "0");
    check_num(-0.0, 4, 0, "0");
    check_num(-0.00004999, 1, ALM_NUM_TRIM, "-0.00005");
    /* Grouped amounts for reports. */
    check_num(12890000, 4, ALM_NUM_TRIM | ALM_NUM_GROUP, "12,890,000");
    check_num(-12345.5, 4, ALM_NUM_TRIM | ALM_NUM_GROUP, "-12,346");
    check_num(1234, 4, ALM_NUM_TRIM | ALM_NUM_GROUP, "1234");
    check_num(500000000000, 4, ALM_NUM_GROUP, "500,000,000,000");
    /* Nothing for what is not a number. */
    check_num(NAN, 4, 0, "");
    check_num(INFINITY, 4, ALM_NUM_TRIM, "");
    char people[32];
    alm_format_people(7.6, people, sizeof people);
    CHECK_STR(people, "7.600");
}

static void test_table_text(void)
{
    static const char *const header[] = {"id", "value", "note"};
    struct alm_table *t = alm_table_new("t", 3, header);
    CHECK(t != NULL);
    if (!t)
        return;
    alm_table_add_row(t, 1);
    alm_table_set(t, 0, 0, "gdp");
    alm_table_set(t, 0, 1, "13.7");
    alm_table_set(t, 0, 2, "two\nlines");
    alm_table_add_row(t, 2);
    alm_table_set(t, 1, 0, "\xE4\xB8\xAD"); /* one wide character: 2 columns */
    alm_table_set(t, 1, 1, "-2");
    alm_table_set(t, 1, 2, "esc\x1B[2J");
    struct alm_buf b = ALM_BUF_INIT;
    CHECK_INT(alm_table_format_text(t, &b), ALM_OK);
    /* Numbers right-aligned, text left, no trailing space, the line break
     * a space, ESC shown as \x1B (and counted as its 4 characters). */
    CHECK_STR(b.s, "id   value  note\n"
                   "gdp   13.7  two lines\n"
                   "\xE4\xB8\xAD      -2  esc\\x1B[2J\n");
    alm_buf_release(&b);
    alm_table_free(t);
}

static void test_escape_controls(void)
{
    struct alm_buf b = ALM_BUF_INIT;
    alm_buf_puts(&b, "kept\x07");
    alm_buf_puts(&b, "a\rb\x1B\xC2\x85\tc\nd\x7F");
    CHECK_INT(alm_text_escape_controls(&b, 5), ALM_OK);
    /* From offset 5 on: CR a space, ESC \x1B, NEL (C1) \u0085, DEL \x7F;
     * tab and line feed kept. The BEL before the offset is left alone. */
    CHECK_STR(b.s, "kept\x07"
                   "a b\\x1B\\u0085\tc\nd\\x7F");
    alm_buf_release(&b);
}

int main(void)
{
    test_format_number();
    test_table_text();
    test_escape_controls();
    return check_done();
}
