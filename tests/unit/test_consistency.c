/* Consistency warnings: each kind fires just past the rounding of the
 * figures and not at or inside it. The intervals are worked out by hand
 * in the comments (a figure is its value +- half a unit of its last
 * printed digit). */
#include <stdlib.h>

#include <almanac/buf.h>
#include <almanac/consistency.h>
#include <almanac/dataset.h>

#include "../check.h"

static const char src[] = "id,title,publisher,date\n"
                          "s1,One,P1,2021-03-15\n"
                          "s2,Two,P2,2022-01-01\n"
                          "s3,Three,P1,2023-06-01\n";

static const char tgt[] = "indicator,period,value,comparator\n";

static const char ind[] = "id,title,unit,kind,frequency,formula,same_as\n"
                          "u,Units,vehicles,count,A,,\n"
                          "g,Growth,%,growth,A,,\n"
                          "gu,Growth from units,%,growth,A,pc1(u),g\n"
                          "s,Share,%,share,A,,\n"
                          "c,Stated change,pp,value,A,,\n"
                          "cs,Change of the share,pp,value,A,ch1(s),c\n"
                          "z,Zones,zones,count,I,,\n"
                          "v,Vehicles,vehicles,count,A,,\n"
                          "w,Vehicles (other outlet),vehicles,count,A,,v\n";

static const char obs_head[] =
    "indicator,period,value,qualifier,status,source,vintage\n";

static void on_warning(void *ctx, const struct alm_error *e, bool warning)
{
    char line[700];
    alm_error_format(e, line, sizeof line);
    alm_buf_printf(ctx, "%s%s\n", warning ? "" : "error: ", line);
}

/* The warnings for the observations rows; *n gets their number. */
static char *warnings(const char *rows, size_t *n)
{
    struct alm_buf o = ALM_BUF_INIT, out = ALM_BUF_INIT;
    alm_buf_printf(&o, "%s%s", obs_head, rows);
    const char *data[ALM_T_COUNT] = {ind, o.s, src, tgt};
    size_t len[ALM_T_COUNT] = {strlen(ind), o.len, strlen(src), strlen(tgt)};
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    *n = 0;
    CHECK(alm_dataset_parse("ds", data, len, NULL, &ds, &err) == ALM_OK);
    if (ds) {
        struct alm_problem_sink sink = {on_warning, &out};
        CHECK(alm_consistency_check(ds, &sink, n, &err) == ALM_OK);
    }
    alm_dataset_free(ds);
    alm_buf_release(&o);
    alm_buf_putc(&out, '\0');
    return out.s;
}

static void expect(const char *rows, size_t want, const char *has)
{
    size_t n = 0;
    char *w = warnings(rows, &n);
    CHECK_AT(n == want, "%zu warnings, want %zu, for:\n%s\ngot:\n%s", n, want,
             rows, w ? w : "");
    if (has)
        CHECK_AT(w && strstr(w, has), "want '%s' in:\n%s", has, w ? w : "");
    free(w);
}

/* Units 1456000 (+-500) in 2020 and 3680000 (+-5000) in 2021: pc1 2021
 * is 152.747..., between (3675000 / 1456500 - 1) * 100 = 152.3172 and
 * (3685000 / 1455500 - 1) * 100 = 153.1776. */
#define UNITS                                                                  \
    "u,2020,1456000,,,s1,2021-03-15\n"                                         \
    "u,2021,3680000,,,s2,2022-01-20\n"

static void test_growth(void)
{
    /* 152.5 and 152.3 (152.25 to 152.35) meet the interval; 152.2 (to
     * 152.25) does not, nor does 153.3 (from 153.25). */
    expect(UNITS "g,2021,152.5,,,s1,2022-01-21\n", 0, NULL);
    expect(UNITS "g,2021,152.3,,,s1,2022-01-21\n", 0, NULL);
    expect(UNITS "g,2021,152.2,,,s1,2022-01-21\n", 1,
           "ds/observations.csv:4: gu 2021: 152.747 (152.317 to 153.178 by "
           "its inputs' rounding) against its same_as g 152.2 (2021, vintage "
           "2022-01-21, s1): more than rounding apart; gu = pc1(u) of u: "
           "3680000 (2021, vintage 2022-01-20, s2); 1456000 (2020, vintage "
           "2021-03-15, s1)");
    expect(UNITS "g,2021,153.3,,,s1,2022-01-21\n", 1,
           "against its same_as g 153.3");
    /* Only the figure analysis uses is compared: a superseded 145.6 is
     * the vintages' warning, not this one. */
    expect(UNITS "g,2021,145.6,,,s1,2022-01-19\n"
                 "g,2021,152.5,,,s1,2022-11-17\n",
           1, "a revision by the same publisher");
    /* A qualified figure is open on one side: "> 150" meets anything
     * above 149.5. */
    expect(UNITS "g,2021,150,>,,s1,2022-01-21\n", 0, NULL);
}

/* Shares 31.6 and 40.9: ch1 is 9.3, between 40.85 - 31.65 = 9.2 and
 * 40.95 - 31.55 = 9.4. */
#define SHARES                                                                 \
    "s,2022,31.6,,,s1,2023-01-10\n"                                            \
    "s,2023,40.9,,,s1,2024-01-10\n"

static void test_share_change(void)
{
    expect(SHARES "c,2023,9.3,,,s1,2024-01-10\n", 0, NULL);
    /* 9.4 is 9.35 to 9.45: meets; 9.5 is 9.45 up: does not; 9.15 is 9.145
     * to 9.155: below 9.2. */
    expect(SHARES "c,2023,9.4,,,s1,2024-01-10\n", 0, NULL);
    expect(SHARES "c,2023,9.5,,,s1,2024-01-10\n", 1,
           "cs 2023: 9.3 (9.2 to 9.4 by its inputs' rounding) against its "
           "same_as c 9.5");
    expect(SHARES "c,2023,9.15,,,s1,2024-01-10\n", 1,
           "against its same_as c 9.15");
}

static void test_stock_fell(void)
{
    /* 178 to 177: [177.5, 178.5) and [176.5, 177.5) do not meet. */
    expect("z,2021,169,,,s1,2022-01-01\n"
           "z,2023-11,178,,,s1,2023-12-12\n"
           "z,2024-06,177,,,s1,2024-07-01\n",
           1,
           "ds/observations.csv:4: z fell from 178 (2023-11, vintage "
           "2023-12-12, s1) to 177 (2024-06, vintage 2024-07-01, s1) without "
           "a break marked");
    /* A break explains it; 180 may be rounded to 10 (175 to 185); a
     * count of a flow (frequency A) may fall. */
    expect("z,2023-11,178,,,s1,2023-12-12\n"
           "z,2024-06,177,,B,s1,2024-07-01\n",
           0, NULL);
    expect("z,2023-11,180,,,s1,2023-12-12\n"
           "z,2024-06,177,,,s1,2024-07-01\n",
           0, NULL);
    expect("u,2018,1270000,,,s1,2019-01-15\n"
           "u,2019,1242000,,,s1,2020-01-15\n",
           0, NULL);
}

static void test_vintages(void)
{
    /* 12888000 is 12887500 to 12888500, 12890000 (rounded to 10000)
     * 12885000 to 12895000: they meet, and analysis uses the later, less
     * precise one: said. */
    expect(
        "v,2024,12888000,,,s1,2025-01-13\n"
        "v,2024,12890000,,,s2,2025-01-14\n",
        1,
        "ds/observations.csv:3: v: analysis uses 12890000 (2024, vintage "
        "2025-01-14, s2), which reads as 12888000 (2024, vintage 2025-01-13, "
        "s1) rounded to 10000: a less precise figure than the earlier one, "
        "unless it revises it");
    /* The precise one later: nothing to say. */
    expect("v,2024,12890000,,,s2,2025-01-13\n"
           "v,2024,12888000,,,s1,2025-01-14\n",
           0, NULL);
    /* 12884000 (12883500 to 12884500) does not meet 12885000 up; 12885000
     * (12884500 to 12885500) does, and is the more precise. */
    expect("v,2024,12884000,,,s1,2025-01-13\n"
           "v,2024,12890000,,,s2,2025-01-14\n",
           1,
           "differ by more than their rounding: a later vintage from "
           "another publisher; analysis uses 12890000");
    expect("v,2024,12885000,,,s1,2025-01-13\n"
           "v,2024,12890000,,,s2,2025-01-14\n",
           1, "rounded to 10000");
    /* Same publisher, two vintages: a revision; 1525 (to 1525.5) and 1526
     * (from 1525.5) only touch, so they do not meet either. */
    expect("v,2024,1525,,,s1,2025-01-13\n"
           "v,2024,1526,,,s3,2025-06-01\n",
           1, "a revision by the same publisher");
    /* One vintage, two sources: 8 (7.5 to 8.5) and 9 do not meet. */
    expect("v,2024,8,,,s1,2025-01-13\n"
           "v,2024,9,,,s2,2025-01-13\n",
           1, "two sources of one vintage disagree");
    /* A provisional figure revised is what it was for; the same without
     * P is a revision. */
    expect("v,2024,1525,,P,s1,2025-01-13\n"
           "v,2024,1527,,,s3,2025-06-01\n",
           0, NULL);
    expect("v,2024,1525,,,s1,2025-01-13\n"
           "v,2024,1527,,,s3,2025-06-01\n",
           1,
           "v: 1525 (2024, vintage 2025-01-13, s1) and 1527 (2024, vintage "
           "2025-06-01, s3) differ by more than their rounding");
    /* Of one vintage, the less precise figure is the sources' warning
     * (dataset_load.c), not this one. */
    expect("v,2024,12888000,,,s1,2025-01-13\n"
           "v,2024,12890000,,,s2,2025-01-13\n",
           0, NULL);
    /* A forecast is never compared. */
    expect("v,2024,8,,F,s1,2025-01-13\n"
           "v,2024,19,,,s2,2025-02-13\n",
           0, NULL);
}

static void test_publishers(void)
{
    /* w same_as v, both recorded: 1456000 against 1366000 disagree,
     * 1456000 against 1460000 (1455000 to 1465000) do not. */
    expect("v,2020,1456000,,,s1,2021-03-15\n"
           "w,2020,1366000,,,s2,2021-01-21\n",
           1,
           "ds/observations.csv:2: w 2020: 1366000 (2020, vintage "
           "2021-01-21, s2) against its same_as v 1456000 (2020, vintage "
           "2021-03-15, s1): more than rounding apart");
    expect("v,2020,1456000,,,s1,2021-03-15\n"
           "w,2020,1460000,,,s2,2021-01-21\n",
           0, NULL);
}

int main(void)
{
    alm_init();
    test_growth();
    test_share_change();
    test_stock_fell();
    test_vintages();
    test_publishers();
    return check_done();
}
