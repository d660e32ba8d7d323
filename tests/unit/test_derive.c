/* Derived indicators: declarations parsed and validated when a dataset is
 * read (each bad one an error naming file, line and field), figures
 * computed by hand below, --as-of through a derived indicator. */
#include <stdlib.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/derive.h>
#include <almanac/series.h>

#include "../check.h"

static const char ind_head[] = "id,title,unit,kind,frequency,formula,same_as\n"
                               "u,Units,vehicles,count,A,,\n"
                               "g,Growth,%,growth,A,,\n"
                               "a,Part,CNY,level,A,,\n"
                               "b,Whole,CNY,level,A,,\n"
                               "m,Monthly,CNY,level,M,,\n"
                               "z,Zones,zones,count,I,,\n";

static const char obs[] =
    "indicator,period,value,qualifier,status,source,vintage\n"
    "u,2020,1456000,,,s1,2021-03-15\n"
    "u,2021,3680000,,,s2,2022\n"
    "u,2022,7058000,,,s1,2023-02-01\n"
    "u,2021,3700000,,,s3,2023-06-01\n"
    "a,2023,2.385,,,s1,2024-01-10\n"
    "b,2023,11.7,,,s2,2024-01-12\n"
    "a,2024,3,~,,s1,2025-01-10\n"
    "b,2024,12,,,s2,2025-01-10\n"
    "u,2023,283000,,,s1,2024-01-05\n"
    "g,2023,14.2,,,s2,2024-01-06\n"
    "m,2024-01,5,,,s1,2024-02-01\n";

static const char src[] = "id,title,publisher,date\n"
                          "s1,One,P1,2021-03-15\n"
                          "s2,Two,P2,2022-01-01\n"
                          "s3,Three,P1,2023-06-01\n";

static const char tgt[] = "indicator,period,value,comparator\n";

struct sink {
    size_t errors;
    char first[800];
    struct alm_buf all;
};

static void on_problem(void *ctx, const struct alm_error *e, bool warning)
{
    struct sink *s = ctx;
    char line[700];
    alm_error_format(e, line, sizeof line);
    if (!warning && s->errors++ == 0)
        snprintf(s->first, sizeof s->first, "%s", line);
    alm_buf_printf(&s->all, "%s\n", line);
}

/* Reads a dataset of ind_head plus extra indicator rows and obs plus
 * extra observation rows, reporting to s when given. */
static struct alm_dataset *open_ds(const char *more_ind, const char *more_obs,
                                   struct sink *s)
{
    struct alm_buf f[2] = {ALM_BUF_INIT, ALM_BUF_INIT};
    alm_buf_printf(&f[0], "%s%s", ind_head, more_ind);
    alm_buf_printf(&f[1], "%s%s", obs, more_obs);
    const char *data[ALM_T_COUNT] = {f[0].s, f[1].s, src, tgt};
    size_t len[ALM_T_COUNT] = {f[0].len, f[1].len, strlen(src), strlen(tgt)};
    struct alm_problem_sink sink = {on_problem, s};
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    if (alm_dataset_parse("ds", data, len, s ? &sink : NULL, &ds, &err) !=
            ALM_OK &&
        s && !s->errors)
        snprintf(s->first, sizeof s->first, "%s", err.msg);
    alm_buf_release(&f[0]);
    alm_buf_release(&f[1]);
    return ds;
}

/* The first error a bad declaration gives, with every problem reported. */
static void expect_error(const char *more_ind, const char *more_obs,
                         const char *want)
{
    struct sink s = {0, "", ALM_BUF_INIT};
    struct alm_dataset *ds = open_ds(more_ind, more_obs, &s);
    CHECK_AT(ds == NULL, "accepted: %s", more_ind);
    CHECK_AT(s.errors >= 1, "no error for: %s", more_ind);
    CHECK_AT(strstr(s.first, want) != NULL, "got '%s', want '%s'", s.first,
             want);
    alm_dataset_free(ds);
    alm_buf_release(&s.all);
}

static void test_half_unit(void)
{
    CHECK_REL(alm_figure_half_unit("35.8"), 0.05, 1e-12);
    CHECK_REL(alm_figure_half_unit("12890000"), 5000, 1e-12);
    CHECK_REL(alm_figure_half_unit("12888000"), 500, 1e-12);
    CHECK_REL(alm_figure_half_unit("340471"), 0.5, 1e-12);
    CHECK_REL(alm_figure_half_unit("7"), 0.5, 1e-12);
    CHECK_REL(alm_figure_half_unit("0"), 0.5, 1e-12);
    CHECK_REL(alm_figure_half_unit("-2.30"), 0.005, 1e-12);
    CHECK_REL(alm_figure_half_unit("1.5e3"), 50, 1e-12);
    CHECK_REL(alm_figure_half_unit("0.0"), 0.05, 1e-12);
}

static void test_bad_declarations(void)
{
    /* Lines: the header is 1, u..z are 2..7, the first extra row 8. */
    expect_error("d,D,%,growth,A,pc1(nope),\n", "",
                 "ds/indicators.csv:8: field 'formula': unknown indicator "
                 "'nope' in the formula");
    expect_error("d,D,%,growth,A,pc1(m),\n", "",
                 "ds/indicators.csv:8: field 'formula': frequency mismatch: "
                 "'m' is monthly (M) but 'd' is annual (A)");
    expect_error("d,D,%,growth,A,e + 1,\ne,E,%,growth,A,d * 2,\n", "",
                 "field 'formula': cycle in formulas: d -> e -> d");
    expect_error("d,D,%,growth,A,d + 1,\n", "", "cycle in formulas: d -> d");
    expect_error("d,D,%,growth,A,(1 + u,\n", "",
                 "ds/indicators.csv:8: field 'formula': expected ')' at "
                 "character 7");
    expect_error("d,D,%,growth,A,foo(u),\n", "", "unknown function 'foo'");
    expect_error("d,D,%,growth,A,3 * 4,\n", "",
                 "the formula names no indicator");
    expect_error("d,D,%,growth,A,pc1(3),\n", "",
                 "the argument of pc1() names no indicator");
    expect_error("d,D,%,growth,A,u u,\n", "", "unexpected 'u' at character 3");
    expect_error("d,D,%,growth,A,u *,\n", "",
                 "the formula ends where a figure or an id is expected");
    expect_error("d,D,%,growth,I,pc1(z),\n", "",
                 "pc1 needs a fixed number of periods a year: 'd' is "
                 "irregular");
    expect_error("d,D,%,growth,A,pc1(u),\n", "d,2021,5,,,s1,2022-01-01\n",
                 "ds/observations.csv:13: field 'indicator': 'd' is derived");
    expect_error("d,D,%,growth,A,pc1(u),nope\n", "",
                 "ds/indicators.csv:8: field 'same_as': unknown indicator "
                 "'nope'");
    expect_error("d,D,%,growth,A,pc1(u),m\n", "",
                 "field 'same_as': frequency mismatch");
    /* 40 nested parentheses: past the depth limit, an error, no crash. */
    char deep[200];
    int n = snprintf(deep, sizeof deep, "d,D,%%,growth,A,");
    for (int i = 0; i < 40; i++)
        deep[n++] = '(';
    snprintf(deep + n, sizeof deep - (size_t)n, "u,\n");
    expect_error(deep, "", "nests deeper than");
    /* check reports every bad declaration, not only the first. */
    struct sink s = {0, "", ALM_BUF_INIT};
    struct alm_dataset *ds =
        open_ds("d,D,%,growth,A,pc1(nope),\ne,E,%,growth,A,foo(u),\n", "", &s);
    CHECK(ds == NULL);
    CHECK_INT(s.errors, 2);
    alm_buf_release(&s.all);
}

static const struct alm_dpoint *point(const struct alm_dseries *s,
                                      const char *period)
{
    struct alm_period p;
    struct alm_error err;
    alm_error_clear(&err);
    if (alm_period_parse(period, &p, &err) != ALM_OK)
        return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (alm_period_compare(&s->pt[i].period, &p) == 0)
            return &s->pt[i];
    return NULL;
}

static long day(const char *text)
{
    long d = 0;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_date_parse(text, &d, &err) == ALM_OK);
    return d;
}

static void test_values(void)
{
    struct alm_dataset *ds = open_ds("gu,Growth of units,%,growth,A,pc1(u),g\n"
                                     "sh,Share,%,share,A,100 * a / b,\n"
                                     "prev,Year-earlier units,vehicles,count,A,"
                                     "lead(u / (1 + g / 100)),\n"
                                     "neg,Negated,vehicles,value,A,-u - -1,\n",
                                     "", NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    long gu = alm_dataset_find_indicator(ds, "gu");
    long sh = alm_dataset_find_indicator(ds, "sh");
    long prev = alm_dataset_find_indicator(ds, "prev");
    long neg = alm_dataset_find_indicator(ds, "neg");
    CHECK(alm_derive_is(ds, (size_t)gu) && !alm_derive_is(ds, 0));
    CHECK_STR(alm_derive_formula(ds, (size_t)gu), "pc1(u)");
    CHECK_INT(alm_derive_same_as(ds, (size_t)gu),
              alm_dataset_find_indicator(ds, "g"));
    size_t in[4];
    CHECK_INT(alm_derive_inputs(ds, (size_t)prev, in, 4), 2);

    struct alm_error err;
    alm_error_clear(&err);
    struct alm_dseries s = {0};
    /* As of 2023-01-01: u 2021 is 3680000 (vintage 2022, i.e. its last
     * day), the revision 3700000 of 2023-06-01 not yet out; u 2022 (vintage
     * 2023-02-01) neither. pc1 2021 = (3680000 / 1456000 - 1) * 100 =
     * 152.74725274725273; its interval from 1456000 +- 500 and 3680000
     * +- 5000: (3675000 / 1456500 - 1) * 100 = 152.31719876416068 to
     * (3685000 / 1455500 - 1) * 100 = 153.1776021985572. */
    CHECK(alm_derive_series(ds, (size_t)gu, day("2023-01-01"), &s, &err) ==
          ALM_OK);
    CHECK_INT(s.n, 1);
    const struct alm_dpoint *p = point(&s, "2021");
    CHECK(p != NULL);
    if (p) {
        CHECK_REL(p->value, 152.74725274725273, 1e-12);
        CHECK_REL(p->lo, 152.31719876416068, 1e-12);
        CHECK_REL(p->hi, 153.1776021985572, 1e-12);
        CHECK_INT(p->vintage, day("2022"));
        CHECK_INT(p->nobs, 2);
        struct alm_buf b = ALM_BUF_INIT;
        alm_dpoint_sources(ds, p, &b);
        CHECK_STR(b.s, "s2;s1");
        alm_buf_release(&b);
    }
    alm_dseries_release(&s);
    /* As of the latest: 2021 uses the revision, (3700000 / 1456000 - 1) *
     * 100 = 154.1208791208791, and 2022 appears: (7058000 / 3700000 - 1) *
     * 100 = 90.75675675675676, of vintage 2023-06-01 (the revision's),
     * and 2023 (the 283000 of the example below, an unrelated figure). */
    CHECK(alm_derive_series(ds, (size_t)gu, ALM_DATE_NONE, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 3);
    p = point(&s, "2021");
    CHECK(p && fabs(p->value - 154.1208791208791) < 1e-9);
    p = point(&s, "2022");
    CHECK(p && fabs(p->value - 90.75675675675676) < 1e-9);
    CHECK(p && p->vintage == day("2023-06-01"));
    alm_dseries_release(&s);

    /* 100 * 2.385 / 11.7 = 20.384615384615383 for 2023; 2024 is 100 * 3 /
     * 12 = 25, approximate since a 2024 is "~ 3". */
    CHECK(alm_derive_series(ds, (size_t)sh, ALM_DATE_NONE, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 2);
    p = point(&s, "2023");
    CHECK(p && fabs(p->value - 20.384615384615383) < 1e-12 && !p->approx);
    p = point(&s, "2024");
    CHECK(p && fabs(p->value - 25) < 1e-12 && p->approx);
    alm_dseries_release(&s);

    /* The example: 283000 units in 2023 up 14.2% make 283000 /
     * 1.142 = 247810.85814360774 in 2022; rounding gives 282500 / 1.1425
     * = 247264.7702407002 to 283500 / 1.1415 = 248357.42444152432. */
    CHECK(alm_derive_series(ds, (size_t)prev, ALM_DATE_NONE, &s, &err) ==
          ALM_OK);
    CHECK_INT(s.n, 1);
    p = point(&s, "2022");
    CHECK(p != NULL);
    if (p) {
        CHECK_REL(p->value, 247810.85814360774, 1e-12);
        CHECK_REL(p->lo, 247264.7702407002, 1e-12);
        CHECK_REL(p->hi, 248357.42444152432, 1e-12);
        struct alm_buf b = ALM_BUF_INIT;
        alm_dpoint_inputs(ds, p, &b);
        CHECK_STR(b.s, "u 283000 (2023, vintage 2024-01-05, s1); g 14.2 "
                       "(2023, vintage 2024-01-06, s2)");
        alm_buf_release(&b);
    }
    alm_dseries_release(&s);
    /* -u - -1 for 2020: -1456000 + 1 = -1455999, interval -1456499 to
     * -1455499. */
    CHECK(alm_derive_series(ds, (size_t)neg, ALM_DATE_NONE, &s, &err) ==
          ALM_OK);
    p = point(&s, "2020");
    CHECK(p && p->value == -1455999 && p->lo == -1456499 && p->hi == -1455499);
    alm_dseries_release(&s);
    alm_dataset_free(ds);
}

/* A derived indicator over another derived one, and before its inputs
 * in the file. */
static void test_nested(void)
{
    struct alm_dataset *ds = open_ds("twice,Twice,%,growth,A,2 * gu,\n"
                                     "gu,Growth,%,growth,A,pc1(u),\n",
                                     "", NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    struct alm_dseries s = {0};
    struct alm_error err;
    alm_error_clear(&err);
    long k = alm_dataset_find_indicator(ds, "twice");
    CHECK(alm_derive_series(ds, (size_t)k, day("2023-01-01"), &s, &err) ==
          ALM_OK);
    /* 2 * 152.74725274725273 = 305.49450549450546. */
    CHECK(s.n == 1 && fabs(s.pt[0].value - 305.49450549450546) < 1e-9);
    alm_dseries_release(&s);
    alm_dataset_free(ds);
}

/* Through the series pipeline (series.h): the dataset it builds records
 * a derived indicator's figures at every vintage of its inputs at which
 * they appeared or changed, so that every command reads them as any
 * other's and --as-of stays exact. */
static void test_pipeline(void)
{
    struct alm_dataset *ds =
        open_ds("gu,Growth of units,%,growth,A,pc1(u),g\n", "", NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    size_t gu = (size_t)alm_dataset_find_indicator(ds, "gu");
    struct alm_series_opts none = {0};
    struct alm_dataset *m = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_series_dataset(ds, &gu, 1, &none, ALM_DATE_NONE, &m, NULL,
                             &err) == ALM_OK);
    if (!m) {
        alm_dataset_free(ds);
        return;
    }
    struct alm_buf b = ALM_BUF_INIT;
    alm_table_format(m->tables[ALM_T_OBSERVATIONS], &b);
    /* The inputs' vintages: 2021-03-15 (2020 only: no growth yet),
     * 2022 (its last day, 2022-12-31: 2021 is 152.747...), 2023-02-01
     * (2022 is (7058000 / 3680000 - 1) * 100 = 91.79347826086956),
     * 2023-06-01 (the revision of 2021 changes both years: 154.12... and
     * 90.756...), 2024-01-05 (2023: (283000 / 7058000 - 1) * 100 =
     * -95.99036554264664). */
    CHECK_STR(b.s, "indicator,period,value,qualifier,status,source,vintage,"
                   "quote,computed,correction,recorded,note\n"
                   "gu,2021,152.74725274725273,,,s2;s1,2022-12-31,,,,,\n"
                   "gu,2022,91.79347826086956,,,s1;s2,2023-02-01,,,,,\n"
                   "gu,2021,154.1208791208791,,,s3;s1,2023-06-01,,,,,\n"
                   "gu,2022,90.75675675675676,,,s1;s3,2023-06-01,,,,,\n"
                   "gu,2023,-95.99036554264664,,,s1,2024-01-05,,,,,\n");
    alm_buf_release(&b);
    CHECK_STR(m->ind[0].title, "Growth of units (derived: pc1(u))");
    /* As of 2023-01-01 the built dataset gives the figure of then. */
    size_t *idx = NULL, n = 0;
    CHECK(alm_dataset_series(m, 0, day("2023-01-01"), false, &idx, &n, &err) ==
          ALM_OK);
    CHECK(n == 1 && fabs(m->obs[idx[0]].value - 152.74725274725273) < 1e-9);
    free(idx);
    alm_dataset_free(m);
    /* A transformation on top of a derived indicator: chg of pc1(u) as of
     * the latest, 2022: 90.75675675675676 - 154.1208791208791 =
     * -63.36412236412234. */
    struct alm_series_opts chg = {.tx = ALM_TX_CHG};
    struct alm_series se;
    CHECK(alm_series_get(ds, gu, ALM_DATE_NONE, &chg, &se, &err) == ALM_OK);
    CHECK(se.n == 2 && fabs(se.pt[0].value - -63.36412236412234) < 1e-9);
    alm_series_free(&se);
    alm_dataset_free(ds);
}

/* What report prints: gu beside g (its same_as) as of 2024-02-01, when g
 * 2023 is 14.2 and gu 2023 is (283000 / 7058000 - 1) * 100 =
 * -95.99036554264664 (rounded in the table to -95.9904): far apart. */
static void test_compare(void)
{
    struct alm_dataset *ds =
        open_ds("gu,Growth of units,%,growth,A,pc1(u),g\n", "", NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    struct alm_table *t = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    size_t gu = (size_t)alm_dataset_find_indicator(ds, "gu");
    CHECK(alm_derive_compare(ds, gu, day("2024-02-01"), &t, &err) == ALM_OK);
    struct alm_buf b = ALM_BUF_INIT;
    if (t)
        alm_table_format(t, &b);
    /* -95.99036554264664 - 14.2 = -110.19036554264664; the range from
     * 282500 / 7058500 and 283500 / 7057500. */
    CHECK_STR(b.s, "period,published,source,derived,range,difference,flag\n"
                   "2023,14.2,\"s2, vintage 2024-01-06\",-95.9904,"
                   "-95.9977 to -95.983,-110.19,beyond rounding\n");
    alm_buf_release(&b);
    alm_table_free(t);
    /* An indicator without same_as has no comparison. */
    t = NULL;
    CHECK(alm_derive_compare(ds, 0, ALM_DATE_NONE, &t, &err) == ALM_OK);
    CHECK(t == NULL);
    alm_dataset_free(ds);
}

/* Recorded in place (alm_derive_record): only the derived indicators
 * named get their figures appended, the rows of the file kept as they
 * are; every derived one recorded gives the tables alm_derive_dataset's
 * copy has. The figures of gu = pc1(u) are those of test_pipeline; sh =
 * 100 * a / b is 100 * 2.385 / 11.7 = 20.384615384615383 for 2023 and
 * 100 * 3 / 12 = 25 for 2024 (a qualified: ~). */
static void test_record(void)
{
    struct alm_dataset *ds = open_ds("gu,Growth of units,%,growth,A,pc1(u),g\n"
                                     "sh,Share,%,share,A,100 * a / b,\n",
                                     "", NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    size_t gu = (size_t)alm_dataset_find_indicator(ds, "gu");
    size_t sh = (size_t)alm_dataset_find_indicator(ds, "sh");
    size_t nfile = ds->nobs;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_derive_record(ds, &gu, 1, &err) == ALM_OK);
    CHECK(alm_derive_is(ds, gu) && alm_derive_recorded(ds, gu));
    CHECK(alm_derive_is(ds, sh) && !alm_derive_recorded(ds, sh));
    CHECK_INT(ds->nobs, nfile + 5);
    struct alm_buf b = ALM_BUF_INIT;
    alm_table_format(ds->tables[ALM_T_OBSERVATIONS], &b);
    const char *tail = b.s ? strstr(b.s, "gu,") : NULL;
    static const char head[] = "indicator,period,value,qualifier,status,"
                               "source,vintage,quote\n"
                               "u,2020,1456000,,,s1,2021-03-15,\n";
    CHECK(b.s && strncmp(b.s, head, strlen(head)) == 0);
    CHECK_STR(tail, "gu,2021,152.74725274725273,,,s2;s1,2022-12-31,"
                    "derived: pc1(u)\n"
                    "gu,2022,91.79347826086956,,,s1;s2,2023-02-01,"
                    "derived: pc1(u)\n"
                    "gu,2021,154.1208791208791,,,s3;s1,2023-06-01,"
                    "derived: pc1(u)\n"
                    "gu,2022,90.75675675675676,,,s1;s3,2023-06-01,"
                    "derived: pc1(u)\n"
                    "gu,2023,-95.99036554264664,,,s1,2024-01-05,"
                    "derived: pc1(u)\n");
    alm_buf_release(&b);
    /* Its title marked, its formula still declared; sh untouched. */
    CHECK_STR(ds->ind[gu].title, "Growth of units (derived: pc1(u))");
    CHECK_STR(alm_derive_title(ds, gu), "Growth of units");
    CHECK_STR(alm_derive_formula(ds, gu), "pc1(u)");
    const struct alm_table *it = ds->tables[ALM_T_INDICATORS];
    CHECK_STR(alm_table_cell(it, ds->ind[gu].row, 5), "");
    CHECK_STR(alm_table_cell(it, ds->ind[sh].row, 5), "100 * a / b");
    const size_t *idx;
    size_t n;
    alm_dataset_obs_of(ds, sh, &idx, &n);
    CHECK_INT(n, 0);
    alm_dataset_obs_of(ds, gu, &idx, &n);
    CHECK_INT(n, 5);
    CHECK(n == 5 && idx[0] == nfile && idx[4] == nfile + 4);
    /* Selected as any indicator's: as of 2023-01-01, 2021's figure. */
    size_t *sel = NULL;
    CHECK(alm_dataset_series(ds, gu, day("2023-01-01"), false, &sel, &n,
                             &err) == ALM_OK);
    CHECK(n == 1 && sel && ds->obs[sel[0]].value == 152.74725274725273 &&
          strcmp(ds->obs[sel[0]].quote, "derived: pc1(u)") == 0);
    free(sel);
    /* The comparison still computes gu by its formula. */
    struct alm_table *t = NULL;
    CHECK(alm_derive_compare(ds, gu, day("2024-02-01"), &t, &err) == ALM_OK);
    CHECK(t && t->nrows == 1 &&
          strcmp(alm_table_cell(t, 0, 3), "-95.9904") == 0);
    alm_table_free(t);
    /* Every one: sh too, and the tables are the copy's. */
    struct alm_dataset *fresh =
                           open_ds("gu,Growth of units,%,growth,A,pc1(u),g\n"
                                   "sh,Share,%,share,A,100 * a / b,\n",
                                   "", NULL),
                       *copy = NULL;
    CHECK(fresh && alm_derive_dataset(fresh, &copy, &err) == ALM_OK && copy);
    CHECK(alm_derive_record(ds, NULL, 0, &err) == ALM_OK);
    CHECK(alm_derive_recorded(ds, sh));
    CHECK_INT(ds->nobs, nfile + 7);
    alm_dataset_series(ds, sh, ALM_DATE_NONE, false, &sel, &n, &err);
    CHECK(n == 2 && ds->obs[sel[0]].value == 20.384615384615383 &&
          ds->obs[sel[1]].value == 25 &&
          ds->obs[sel[1]].qual == ALM_QUAL_ABOUT);
    free(sel);
    for (int i = 0; copy && i < ALM_T_COUNT; i++) {
        struct alm_buf x = ALM_BUF_INIT, y = ALM_BUF_INIT;
        alm_table_format(ds->tables[i], &x);
        alm_table_format(copy->tables[i], &y);
        CHECK_STR(x.s, y.s);
        alm_buf_release(&x);
        alm_buf_release(&y);
    }
    CHECK_INT(copy ? copy->nobs : 0, ds->nobs);
    alm_dataset_free(copy);
    alm_dataset_free(fresh);
    alm_dataset_free(ds);
}

int main(void)
{
    alm_init();
    test_half_unit();
    test_bad_declarations();
    test_values();
    test_nested();
    test_pipeline();
    test_compare();
    test_record();
    return check_done();
}
