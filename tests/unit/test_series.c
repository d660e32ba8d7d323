/* The series pipeline: selection as of a date, aggregation, transformation,
 * and the dataset of transformed series per vintage. Every expected value
 * is worked out by hand in the comment beside it. */
#include <stdlib.h>
#include <string.h>

#include <almanac/series.h>

#include "../check.h"

/* A monthly production series in 10k vehicles, published in four
 * releases; 2024-02 is revised from 22 to 23 on 2024-05-15, 2024-04 is
 * missing, 2023-02 is "about" 11, 2024-03 provisional. */
static const char *const files[ALM_T_COUNT] = {
    "id,title,unit,kind,frequency\n"
    "prod,Production,10k vehicles,level,M\n"
    "ytd,Production Jan-Feb,10k vehicles,level,P\n",
    "indicator,period,value,qualifier,status,source,vintage\n"
    "prod,2023-01,10,,,s1,2023-07-15\n"
    "prod,2023-02,11,~,,s1,2023-07-15\n"
    "prod,2023-03,12,,,s1,2023-07-15\n"
    "prod,2023-04,13,,,s1,2023-07-15\n"
    "prod,2023-05,14,,,s1,2023-07-15\n"
    "prod,2023-06,15,,,s1,2023-07-15\n"
    "prod,2023-07,16,,,s2,2024-01-15\n"
    "prod,2023-08,17,,,s2,2024-01-15\n"
    "prod,2023-09,18,,,s2,2024-01-15\n"
    "prod,2023-10,19,,,s2,2024-01-15\n"
    "prod,2023-11,20,,,s2,2024-01-15\n"
    "prod,2023-12,21,,,s2,2024-01-15\n"
    "prod,2024-01,20,,,s2,2024-04-15\n"
    "prod,2024-02,22,,,s2,2024-04-15\n"
    "prod,2024-03,24,,P,s2,2024-04-15\n"
    "prod,2024-02,23,,,s2,2024-05-15\n"
    "prod,2024-05,30,,,s2,2024-06-15\n"
    "ytd,2023-01/2023-02,21,,,s1,2023-07-15\n"
    "ytd,2024-01/2024-02,42,,,s2,2024-04-15\n",
    ("id,title,publisher,date\n"
     "s1,First,Office,2023-07-15\n"
     "s2,Second,Office,2024-01-15\n"),
    ("indicator,period,value,comparator\n"
     "prod,2025-12,40,>=\n")};

static struct alm_dataset *load(void)
{
    const char *data[ALM_T_COUNT];
    size_t len[ALM_T_COUNT];
    for (int i = 0; i < ALM_T_COUNT; i++) {
        data[i] = files[i];
        len[i] = strlen(files[i]);
    }
    struct alm_dataset *ds = NULL;
    struct alm_error err = {0};
    if (alm_dataset_parse("mem", data, len, NULL, &ds, &err) != ALM_OK) {
        fprintf(stderr, "test dataset: %s\n", err.msg);
        exit(2);
    }
    return ds;
}

static long day(const char *text)
{
    long d = 0;
    struct alm_error err = {0};
    if (alm_date_parse(text, &d, &err) != ALM_OK)
        exit(2);
    return d;
}

static const char *ptext(const struct alm_period *p)
{
    static char b[ALM_PERIOD_TEXT_MAX];
    alm_period_format(p, b, sizeof b);
    return b;
}

static void test_aggregate_then_transform(void)
{
    struct alm_dataset *ds = load();
    struct alm_error err = {0};
    struct alm_series s;
    struct alm_series_opts sum_q = {.freq = 'Q', .agg = ALM_AGG_SUM};

    /* Quarterly sums as of the latest release: 2023-Q1 10+11+12 = 33,
     * Q2 13+14+15 = 42, Q3 16+17+18 = 51, Q4 19+20+21 = 60, 2024-Q1
     * 20+23+24 = 67 (the revised February); 2024-Q2 lacks April. */
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &sum_q, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 5);
    CHECK_INT(s.left_out.partial, 1);
    CHECK_INT(s.freq, 'Q');
    CHECK_REL(s.pt[0].value, 33, 0);
    CHECK_REL(s.pt[3].value, 60, 0);
    CHECK_REL(s.pt[4].value, 67, 0);
    CHECK_STR(ptext(&s.pt[4].period), "2024-Q1");
    CHECK_STR(s.unit, "10k vehicles");
    CHECK_INT(s.kind, ALM_KIND_LEVEL);
    CHECK_STR(s.title, "Production, quarterly sum");
    alm_series_free(&s);

    /* Then pc1: only 2024-Q1 has its year-ago quarter: (67/33 - 1)*100 =
     * 103.030303...; the four 2023 quarters have none. */
    struct alm_series_opts pc1 = sum_q;
    pc1.tx = ALM_TX_PC1;
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &pc1, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 1);
    CHECK_REL(s.pt[0].value, 3400.0 / 33.0, 1e-15);
    CHECK_INT(s.left_out.no_base, 4);
    CHECK_INT(s.left_out.partial, 1);
    CHECK_STR(s.unit, "%");
    CHECK_INT(s.kind, ALM_KIND_GROWTH);
    CHECK_STR(s.title,
              "Production, quarterly sum, percent change from a year ago");
    struct alm_buf words = ALM_BUF_INIT;
    alm_series_left_out_text(&s, &words);
    CHECK_STR(words.s, "1 quarter with a sub-period missing, not aggregated; "
                       "4 periods without the figure the formula compares "
                       "with");
    alm_buf_release(&words);
    alm_series_free(&s);

    /* As of 2024-04-30, before the revision: 20+22+24 = 66, (66/33 - 1)
     * * 100 = 100 exactly. */
    CHECK(alm_series_get(ds, 0, day("2024-04-30"), &pc1, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 1);
    CHECK_REL(s.pt[0].value, 100, 1e-15);
    alm_series_free(&s);

    /* End of quarter and average: 2023-Q1 ends at 12, averages 11. */
    struct alm_series_opts eop = {.freq = 'Q', .agg = ALM_AGG_EOP};
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &eop, &s, &err) == ALM_OK);
    CHECK_REL(s.pt[0].value, 12, 0);
    CHECK_STR(s.title, "Production, end of quarter");
    alm_series_free(&s);
    struct alm_series_opts avg = {.freq = 'Q', .agg = ALM_AGG_AVG};
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &avg, &s, &err) == ALM_OK);
    CHECK_REL(s.pt[0].value, 11, 0);
    alm_series_free(&s);

    /* Monthly chg: 2024-02 - 2024-01 = 23 - 20 = 3; 2024-05 has no April. */
    struct alm_series_opts chg = {.tx = ALM_TX_CHG};
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &chg, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 14); /* 16 months, the first and May without a base */
    CHECK_INT(s.left_out.no_base, 2);
    CHECK_STR(ptext(&s.pt[13].period), "2024-03");
    CHECK_REL(s.pt[13].value, 1, 0); /* 24 - 23 */
    CHECK_INT(s.kind, ALM_KIND_VALUE);
    alm_series_free(&s);
    alm_dataset_free(ds);
}

static void test_refusals(void)
{
    struct alm_dataset *ds = load();
    struct alm_error err = {0};
    struct alm_series s;
    /* A partial-year cumulative is never aggregated to a year. */
    struct alm_series_opts a = {.freq = 'A', .agg = ALM_AGG_SUM};
    CHECK(alm_series_get(ds, 1, ALM_DATE_NONE, &a, &s, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "partial-year") != NULL);
    CHECK_STR(err.field, "--frequency");
    /* Nor a monthly series "aggregated" to months... it is its own: fine;
     * but a quarterly one cannot become monthly. */
    alm_error_clear(&err);
    struct alm_series_opts m = {.freq = 'M'};
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &m, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 16);
    alm_series_free(&s);
    /* A span's pc1 compares with the same span a year before:
     * (42/21 - 1) * 100 = 100. */
    struct alm_series_opts pc1 = {.tx = ALM_TX_PC1};
    CHECK(alm_series_get(ds, 1, ALM_DATE_NONE, &pc1, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 1);
    CHECK_REL(s.pt[0].value, 100, 0);
    CHECK_INT(s.freq, 'P');
    alm_series_free(&s);
    alm_dataset_free(ds);
}

/* The dataset of transformed series: per vintage, so that selecting it as
 * of a date gives the transformation of the figures known then. */
static void test_dataset(void)
{
    struct alm_dataset *ds = load();
    struct alm_error err = {0};
    struct alm_dataset *tx = NULL;
    struct alm_buf notes = ALM_BUF_INIT;
    size_t ids[] = {0};
    struct alm_series_opts pc1 = {
        .tx = ALM_TX_PC1, .freq = 'Q', .agg = ALM_AGG_SUM};
    CHECK(alm_series_dataset(ds, ids, 1, &pc1, ALM_DATE_NONE, &tx, &notes,
                             &err) == ALM_OK);
    if (!tx) {
        alm_dataset_free(ds);
        return;
    }
    CHECK_INT(tx->nind, 1);
    CHECK_STR(tx->ind[0].id, "prod");
    CHECK_STR(tx->ind[0].unit, "%");
    CHECK_INT(tx->ind[0].kind, ALM_KIND_GROWTH);
    CHECK_INT(tx->ind[0].freq, 'Q');
    CHECK_INT(tx->ntgt, 0); /* targets in 10k vehicles are not rates */
    CHECK_INT(tx->nsrc, 2);
    CHECK_INT(tx->latest, ds->latest);
    /* The report says what was done under its title. */
    CHECK_STR(tx->description,
              "Figures computed by Almanac from the published ones: at "
              "frequency Q (sums), percent change from a year ago; per "
              "vintage, as of each date.");
    /* 2024-Q1 appears on 2024-04-15 (100) and changes on 2024-05-15
     * (103.03...): two rows. */
    CHECK_INT(tx->nobs, 2);
    size_t *idx = NULL, n = 0;
    CHECK(alm_dataset_series(tx, 0, day("2024-04-30"), false, &idx, &n, &err) ==
          ALM_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        const struct alm_obs *o = &tx->obs[idx[0]];
        CHECK_REL(o->value, 100, 1e-15);
        CHECK_STR(o->value_text, "100");
        /* From 2023-Q1 (s1, with an "about" February) and 2024-Q1 (s2,
         * with a provisional March). */
        CHECK_STR(o->source, "s1;s2");
        CHECK_INT(o->qual, ALM_QUAL_ABOUT);
        CHECK_INT(o->status, 'P');
        CHECK_INT(o->vintage, day("2024-04-15"));
    }
    free(idx);
    CHECK(alm_dataset_series(tx, 0, ALM_DATE_NONE, false, &idx, &n, &err) ==
          ALM_OK);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_REL(tx->obs[idx[0]].value, 3400.0 / 33.0, 1e-15);
    free(idx);
    CHECK(alm_dataset_series(tx, 0, day("2024-03-31"), false, &idx, &n, &err) ==
          ALM_OK);
    CHECK_INT(n, 0);
    free(idx);
    CHECK_STR(notes.s,
              "prod: Production, quarterly sum, percent change from a year "
              "ago (%): 1 quarter with a sub-period missing, not aggregated; "
              "4 periods without the figure the formula compares with\n"
              "prod: 1 target left out: a target is in the indicator's own "
              "unit, not in the transformed one\n");
    alm_buf_release(&notes);
    alm_dataset_free(tx);

    /* Without a transformation a target would stay (it is in the unit),
     * but a month's target does not fit an annual series. */
    struct alm_series_opts sum_a = {.freq = 'A', .agg = ALM_AGG_SUM};
    CHECK(alm_series_dataset(ds, ids, 1, &sum_a, ALM_DATE_NONE, &tx, NULL,
                             &err) == ALM_OK);
    if (tx) {
        CHECK_INT(tx->ntgt, 0);
        /* 2023: 10 + 11 + ... + 21 = 186, one row; 2024 lacks April. */
        CHECK_INT(tx->nobs, 1);
        if (tx->nobs == 1)
            CHECK_REL(tx->obs[0].value, 186, 0);
        alm_dataset_free(tx);
    }

    /* Every indicator: the partial-year one cannot be annual, and is left
     * out with a note; named, it fails the call. */
    notes = (struct alm_buf)ALM_BUF_INIT;
    CHECK(alm_series_dataset(ds, NULL, 0, &sum_a, ALM_DATE_NONE, &tx, &notes,
                             &err) == ALM_OK);
    if (tx) {
        CHECK_INT(tx->nind, 1);
        CHECK_STR(tx->description,
                  "Figures computed by Almanac from the published ones: at "
                  "frequency A (sums); per vintage, as of each date. Left "
                  "out, as the options do not apply to them: ytd.");
        alm_dataset_free(tx);
    }
    CHECK(strncmp(notes.s,
                  "ytd: left out: ytd is a partial-year (span) "
                  "series: it cannot be given at frequency A",
                  60) == 0);
    alm_buf_release(&notes);
    size_t ytd[] = {1};
    CHECK(alm_series_dataset(ds, ytd, 1, &sum_a, ALM_DATE_NONE, &tx, NULL,
                             &err) == ALM_EINPUT);
    CHECK(tx == NULL);

    /* track refuses what would drop a target. */
    alm_error_clear(&err);
    CHECK(alm_series_targets_check(ds, ids, 1, &pc1, &err) == ALM_EINPUT);
    CHECK_STR(err.msg,
              "the target of prod for 2025-12 is in its own unit (10k "
              "vehicles), not in %, the unit of --transform pc1: track prod "
              "without --transform, or declare the transformed series as an "
              "indicator with its own targets");
    CHECK_STR(err.field, "--transform");
    alm_error_clear(&err);
    struct alm_series_opts m = {.freq = 'M'};
    CHECK(alm_series_targets_check(ds, ids, 1, &m, &err) == ALM_OK);
    alm_dataset_free(ds);
}

/* What a dataset cannot hold is left out, never a dataset that fails to
 * read: a sum beyond 1e100, a unit longer than the series' buffer. */
static void test_limits(void)
{
    char unit[600] = "";
    for (int i = 0; i < 170; i++)
        strcat(unit, "\xE4\xB8\x87"); /* 万, 3 bytes */
    char ind[1024];
    snprintf(ind, sizeof ind,
             "id,title,unit,kind,frequency\n"
             "big,Big,x,level,Q\n"
             "long,Long,%s,level,A\n",
             unit);
    const char *data[ALM_T_COUNT] = {
        ind,
        ("indicator,period,value\n"
         "big,2023-Q1,9e99\nbig,2023-Q2,9e99\nbig,2023-Q3,9e99\n"
         "big,2023-Q4,9e99\n"
         "long,2022,10\nlong,2023,20\n"),
        "id,title,publisher,date\n", "indicator,period,value,comparator\n"};
    size_t len[ALM_T_COUNT];
    for (int i = 0; i < ALM_T_COUNT; i++)
        len[i] = strlen(data[i]);
    struct alm_dataset *ds = NULL, *tx = NULL;
    struct alm_error err = {0};
    CHECK(alm_dataset_parse("mem", data, len, NULL, &ds, &err) == ALM_OK);
    if (!ds)
        return;
    /* 4 * 9e99 = 3.6e100: beyond ALM_VALUE_MAX, so undefined. */
    struct alm_series s;
    struct alm_series_opts sum = {.freq = 'A', .agg = ALM_AGG_SUM};
    CHECK(alm_series_get(ds, 0, ALM_DATE_NONE, &sum, &s, &err) == ALM_OK);
    CHECK_INT(s.n, 0);
    CHECK_INT(s.left_out.undefined, 1);
    alm_series_free(&s);
    size_t big = 0;
    CHECK(alm_series_dataset(ds, &big, 1, &sum, ALM_DATE_NONE, &tx, NULL,
                             &err) == ALM_OK);
    CHECK(tx && tx->nobs == 0);
    alm_dataset_free(tx);
    tx = NULL;
    /* ln(万万...万): the whole unit in the dataset, cut at a character in
     * the series (ALM_SERIES_UNIT_MAX bytes). */
    size_t lng = 1;
    struct alm_series_opts lg = {.tx = ALM_TX_LOG};
    CHECK(alm_series_dataset(ds, &lng, 1, &lg, ALM_DATE_NONE, &tx, NULL,
                             &err) == ALM_OK);
    if (tx) {
        CHECK_INT(strlen(tx->ind[0].unit), 3 + 510 + 1);
        CHECK(strncmp(tx->ind[0].unit, "ln(\xE4\xB8\x87", 6) == 0);
        CHECK_INT(tx->nobs, 2);
        alm_dataset_free(tx);
    }
    CHECK(alm_series_get(ds, 1, ALM_DATE_NONE, &lg, &s, &err) == ALM_OK);
    CHECK_INT(strlen(s.unit), 3 + 3 * 52); /* "ln(" and 52 whole 万 */
    CHECK_REL(s.pt[0].value, 2.302585092994046, 1e-15); /* ln 10 */
    alm_series_free(&s);
    alm_dataset_free(ds);
}

int main(void)
{
    alm_init();
    test_aggregate_then_transform();
    test_refusals();
    test_dataset();
    test_limits();
    return check_done();
}
