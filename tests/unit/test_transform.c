/* Transformations against FRED's formulas, each expected value worked out
 * by hand in the comment beside it (not by the code under test). */
#include <math.h>
#include <stdlib.h>

#include <almanac/transform.h>

#include "../check.h"

/* Parses n period texts and pairs them with values. */
static void series(const char *const *periods, const double *values, size_t n,
                   struct alm_point *out)
{
    for (size_t i = 0; i < n; i++) {
        struct alm_error err = {0};
        if (alm_period_parse(periods[i], &out[i].period, &err) != ALM_OK) {
            fprintf(stderr, "bad test period %s\n", periods[i]);
            exit(2);
        }
        out[i].value = values[i];
    }
}

static const char *period_text(const struct alm_point *p)
{
    static char buf[ALM_PERIOD_TEXT_MAX];
    alm_period_format(&p->period, buf, sizeof buf);
    return buf;
}

/* A quarterly series with a gap (2023-Q3 is missing). */
static const char *const qp[] = {"2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4",
                                 "2023-Q1", "2023-Q2", "2023-Q4"};
static const double qv[] = {100, 102, 101, 105, 110, 112.2, 120};
#define QN 7

static void run(enum alm_transform tx, struct alm_point *out, size_t *nout,
                struct alm_transform_stats *stats)
{
    struct alm_point in[QN];
    struct alm_error err = {0};
    series(qp, qv, QN, in);
    CHECK(alm_transform_apply(tx, 'Q', in, QN, out, nout, stats, &err) ==
          ALM_OK);
}

static void test_changes(void)
{
    struct alm_point out[QN];
    size_t n;
    struct alm_transform_stats s;

    /* chg: 102-100 = 2, 101-102 = -1, 105-101 = 4, 110-105 = 5,
     * 112.2-110 = 2.2; 2022-Q1 has no previous quarter and 2023-Q4's
     * (2023-Q3) is missing. */
    run(ALM_TX_CHG, out, &n, &s);
    CHECK_INT(n, 5);
    CHECK_INT(s.no_base, 2);
    CHECK_STR(period_text(&out[0]), "2022-Q2");
    CHECK_REL(out[0].value, 2, 0);
    CHECK_REL(out[1].value, -1, 0);
    CHECK_REL(out[3].value, 5, 0);
    CHECK_REL(out[4].value, 2.2, 1e-13);
    CHECK_STR(period_text(&out[4]), "2023-Q2");

    /* ch1: 110-100 = 10, 112.2-102 = 10.2, 120-105 = 15; the four
     * quarters of 2022 have no year-ago figure. */
    run(ALM_TX_CH1, out, &n, &s);
    CHECK_INT(n, 3);
    CHECK_INT(s.no_base, 4);
    CHECK_STR(period_text(&out[0]), "2023-Q1");
    CHECK_REL(out[0].value, 10, 0);
    CHECK_REL(out[1].value, 10.2, 1e-13);
    CHECK_STR(period_text(&out[2]), "2023-Q4");
    CHECK_REL(out[2].value, 15, 0);

    /* pch: (102/100 - 1) * 100 = 2; (101/102 - 1) * 100 = -100/102 =
     * -0.98039215686274509... */
    run(ALM_TX_PCH, out, &n, &s);
    CHECK_INT(n, 5);
    CHECK_REL(out[0].value, 2, 1e-13);
    CHECK_REL(out[1].value, -0.98039215686274509, 1e-13);

    /* pc1: 110/100 = 1.1 -> 10; 112.2/102 = 1.1 -> 10; 120/105 = 8/7 ->
     * 100/7 = 14.285714285714286. */
    run(ALM_TX_PC1, out, &n, &s);
    CHECK_INT(n, 3);
    CHECK_REL(out[0].value, 10, 1e-13);
    CHECK_REL(out[1].value, 10, 1e-13);
    CHECK_REL(out[2].value, 14.285714285714286, 1e-13);

    /* pca: (1.02^4 - 1) * 100; 1.02^2 = 1.0404, 1.0404^2 = 1.08243216,
     * so 8.243216. */
    run(ALM_TX_PCA, out, &n, &s);
    CHECK_REL(out[0].value, 8.243216, 1e-12);

    /* cch: ln(1.02) * 100 = 1.9802627296179713; cca: 4 times that. */
    run(ALM_TX_CCH, out, &n, &s);
    CHECK_REL(out[0].value, 1.9802627296179713, 1e-13);
    run(ALM_TX_CCA, out, &n, &s);
    CHECK_REL(out[0].value, 7.9210509184718852, 1e-13);

    /* log: ln 100 = 4.6051701859880914; every point has one. */
    run(ALM_TX_LOG, out, &n, &s);
    CHECK_INT(n, QN);
    CHECK_INT(s.no_base, 0);
    CHECK_REL(out[0].value, 4.6051701859880914, 1e-15);

    /* lin is the series itself. */
    run(ALM_TX_LIN, out, &n, &s);
    CHECK_INT(n, QN);
    CHECK_REL(out[6].value, 120, 0);
}

static void test_undefined(void)
{
    /* A zero base has no percent change, a zero no log. */
    static const char *const p[] = {"2020", "2021", "2022"};
    static const double v[] = {0, 5, 10};
    struct alm_point in[3], out[3];
    size_t n;
    struct alm_transform_stats s;
    struct alm_error err = {0};
    series(p, v, 3, in);
    CHECK(alm_transform_apply(ALM_TX_PCH, 'A', in, 3, out, &n, &s, &err) ==
          ALM_OK);
    /* 2021 over 0: undefined; 2022: (10/5 - 1) * 100 = 100. */
    CHECK_INT(n, 1);
    CHECK_INT(s.undefined, 1);
    CHECK_INT(s.no_base, 1);
    CHECK_REL(out[0].value, 100, 0);
    CHECK(alm_transform_apply(ALM_TX_LOG, 'A', in, 3, out, &n, &s, &err) ==
          ALM_OK);
    CHECK_INT(n, 2);
    CHECK_INT(s.undefined, 1);
    CHECK(alm_transform_apply(ALM_TX_CCH, 'A', in, 3, out, &n, &s, &err) ==
          ALM_OK);
    CHECK_INT(n, 1); /* ln 10 - ln 5 = ln 2: 69.314718055994531 */
    CHECK_REL(out[0].value, 69.314718055994531, 1e-13);
}

static void test_spans_and_days(void)
{
    /* Jan-Feb spans compare with the same months a year before: n = 1,
     * so pca equals pch: 125/100 -> 25. */
    static const char *const p[] = {"2023-01/2023-02", "2024-01/2024-02"};
    static const double v[] = {100, 125};
    struct alm_point in[3], out[3];
    size_t n;
    struct alm_error err = {0};
    series(p, v, 2, in);
    CHECK(alm_transform_apply(ALM_TX_PCA, 'P', in, 2, out, &n, NULL, &err) ==
          ALM_OK);
    CHECK_INT(n, 1);
    CHECK_REL(out[0].value, 25, 1e-13);
    CHECK(alm_transform_apply(ALM_TX_PC1, 'P', in, 2, out, &n, NULL, &err) ==
          ALM_OK);
    CHECK_REL(out[0].value, 25, 1e-13);

    /* Days: chg against the figure before across a weekend; pc1 needs a
     * fixed number of periods a year, which a daily series has not. */
    static const char *const d[] = {"2024-03-01", "2024-03-04", "2024-03-05"};
    static const double dv[] = {10, 12, 11.5};
    series(d, dv, 3, in);
    CHECK(alm_transform_apply(ALM_TX_CHG, 'D', in, 3, out, &n, NULL, &err) ==
          ALM_OK);
    CHECK_INT(n, 2);
    CHECK_REL(out[0].value, 2, 0);
    CHECK_REL(out[1].value, -0.5, 0);
    CHECK(alm_transform_apply(ALM_TX_PC1, 'D', in, 3, out, &n, NULL, &err) ==
          ALM_EINPUT);
    CHECK(strstr(err.msg, "daily") != NULL);

    /* A period of another frequency is refused, with its text. */
    alm_error_clear(&err);
    CHECK(alm_transform_apply(ALM_TX_CHG, 'M', in, 3, out, &n, NULL, &err) ==
          ALM_EINPUT);
    CHECK(strstr(err.msg, "2024-03-01") != NULL);
}

static void test_parse(void)
{
    enum alm_transform tx;
    enum alm_aggregate agg;
    struct alm_error err = {0};
    CHECK(alm_transform_parse("pc1", &tx, &err) == ALM_OK && tx == ALM_TX_PC1);
    CHECK(alm_transform_parse("PC1", &tx, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "expected lin, chg") != NULL);
    CHECK(alm_aggregate_parse("eop", &agg, &err) == ALM_OK &&
          agg == ALM_AGG_EOP);
    CHECK(alm_aggregate_parse("mean", &agg, &err) == ALM_EINPUT);
    char unit[64];
    alm_transform_unit(ALM_TX_PC1, "vehicles", unit, sizeof unit);
    CHECK_STR(unit, "%");
    alm_transform_unit(ALM_TX_CHG, "vehicles", unit, sizeof unit);
    CHECK_STR(unit, "vehicles");
    alm_transform_unit(ALM_TX_LOG, "CNY", unit, sizeof unit);
    CHECK_STR(unit, "ln(CNY)");
    CHECK_STR(alm_transform_code(ALM_TX_CCA), "cca");
}

/* Months 2023-01..12 hold 1..12; 2024-01..03 hold 10, 20, 30; 2024-05
 * holds 50 (April is missing). */
static size_t months(struct alm_point *in)
{
    static const char *const p[] = {"2023-01", "2023-02", "2023-03", "2023-04",
                                    "2023-05", "2023-06", "2023-07", "2023-08",
                                    "2023-09", "2023-10", "2023-11", "2023-12",
                                    "2024-01", "2024-02", "2024-03", "2024-05"};
    static const double v[] = {1, 2,  3,  4,  5,  6,  7,  8,
                               9, 10, 11, 12, 10, 20, 30, 50};
    series(p, v, 16, in);
    return 16;
}

static void test_aggregate(void)
{
    struct alm_point in[16], out[16];
    size_t n, m = months(in);
    struct alm_transform_stats s;
    struct alm_error err = {0};

    /* Quarters by average: (1+2+3)/3 = 2, 5, 8, 11, (10+20+30)/3 = 20;
     * 2024-Q2 has May only: left out. */
    CHECK(alm_aggregate_apply(ALM_AGG_AVG, 'M', 'Q', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_INT(n, 5);
    CHECK_INT(s.partial, 1);
    CHECK_STR(period_text(&out[0]), "2023-Q1");
    CHECK_REL(out[0].value, 2, 0);
    CHECK_REL(out[3].value, 11, 0);
    CHECK_STR(period_text(&out[4]), "2024-Q1");
    CHECK_REL(out[4].value, 20, 0);

    /* By sum: 6, 15, 24, 33, 60; by end of period: 3, 6, 9, 12, 30. */
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'M', 'Q', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_REL(out[1].value, 15, 0);
    CHECK_REL(out[4].value, 60, 0);
    CHECK(alm_aggregate_apply(ALM_AGG_EOP, 'M', 'Q', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_REL(out[2].value, 9, 0);
    CHECK_REL(out[4].value, 30, 0);

    /* Years: 2023 sums to 78 (12 * 13 / 2), averages 6.5, ends at 12;
     * 2024 lacks months: left out. */
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'M', 'A', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_INT(n, 1);
    CHECK_INT(s.partial, 1);
    CHECK_STR(period_text(&out[0]), "2023");
    CHECK_REL(out[0].value, 78, 0);
    CHECK(alm_aggregate_apply(ALM_AGG_AVG, 'M', 'A', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_REL(out[0].value, 6.5, 0);
    CHECK(alm_aggregate_apply(ALM_AGG_EOP, 'M', 'A', in, m, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_REL(out[0].value, 12, 0);

    /* A quarter missing its last month (March), then April..June. */
    static const char *const p2[] = {"2024-01", "2024-02", "2024-04", "2024-05",
                                     "2024-06"};
    static const double v2[] = {1, 2, 4, 5, 6};
    series(p2, v2, 5, in);
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'M', 'Q', in, 5, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_INT(n, 1);
    CHECK_INT(s.partial, 1);
    CHECK_STR(period_text(&out[0]), "2024-Q2");
    CHECK_REL(out[0].value, 15, 0);

    /* Quarters to years: 2022 sums 1+2+3+4 = 10; 2023 lacks Q1. */
    static const char *const q[] = {"2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4",
                                    "2023-Q2", "2023-Q3", "2023-Q4"};
    static const double qv4[] = {1, 2, 3, 4, 5, 6, 7};
    series(q, qv4, 7, in);
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'Q', 'A', in, 7, out, &n, &s,
                              &err) == ALM_OK);
    CHECK_INT(n, 1);
    CHECK_INT(s.partial, 1);
    CHECK_REL(out[0].value, 10, 0);
}

static void test_aggregate_refused(void)
{
    struct alm_point in[2], out[2];
    size_t n;
    struct alm_error err = {0};
    static const char *const p[] = {"2023-01/2023-02", "2024-01/2024-02"};
    static const double v[] = {1, 2};
    series(p, v, 2, in);
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'P', 'A', in, 2, out, &n, NULL,
                              &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "partial-year") != NULL);
    alm_error_clear(&err);
    CHECK(alm_aggregate_apply(ALM_AGG_SUM, 'A', 'Q', in, 2, out, &n, NULL,
                              &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "only M to Q") != NULL);
}

int main(void)
{
    alm_init();
    test_changes();
    test_undefined();
    test_spans_and_days();
    test_parse();
    test_aggregate();
    test_aggregate_refused();
    return check_done();
}
