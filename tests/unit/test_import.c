/* Tests of import (import.h): every sample of ../shared/data/formats read
 * with --format auto, its series and observations counted independently
 * of the importer (the one-off that counted them is in the comment), a few
 * values read by eye from the files; R- and spreadsheet-written fixtures;
 * variants derived from the samples that must import the same; malformed
 * files that must fail with the dataset byte for byte as before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/fsio.h>
#include <almanac/import.h>
#include <almanac/period.h>

#include "../check.h"

/* Texts at least this long are read on two threads (import_csv.c). */
void alm__imp_pipe_min(size_t bytes);
void alm__cells_map_min(size_t bytes);

#define FORMATS ALMANAC_SHARED_DIR "/data/formats/"
#define FIX     ALMANAC_SOURCE_DIR "/tests/fixtures/import/"

static char tmp[64];

static const struct alm_import_spec autospec = {.format = ALM_IMPORT_AUTO};

static struct alm_import_batch *load_spec(const char *path,
                                          const struct alm_import_spec *spec)
{
    struct alm_import_batch *b = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    if (alm_import_load(path, spec, &b, &err) != ALM_OK) {
        char msg[900];
        alm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "load %s: %s\n", path, msg);
        return NULL;
    }
    return b;
}

static struct alm_import_batch *load(const char *path)
{
    return load_spec(path, &autospec);
}

/* The row of (indicator, period) in b, or -1. */
static long row_of(const struct alm_import_batch *b, const char *id,
                   const char *period)
{
    for (size_t r = 0; r < b->obs->nrows; r++)
        if (strcmp(alm_table_cell(b->obs, r, 0), id) == 0 &&
            strcmp(alm_table_cell(b->obs, r, 1), period) == 0)
            return (long)r;
    return -1;
}

static const char *value_of(const struct alm_import_batch *b, const char *id,
                            const char *period)
{
    long r = b ? row_of(b, id, period) : -1;
    return r < 0 ? "(none)" : alm_table_cell(b->obs, (size_t)r, 2);
}

static const char *status_of(const struct alm_import_batch *b, const char *id,
                             const char *period)
{
    long r = b ? row_of(b, id, period) : -1;
    return r < 0 ? "(none)" : alm_table_cell(b->obs, (size_t)r, 3);
}

static const struct alm_import_series *series(const struct alm_import_batch *b,
                                              const char *id)
{
    for (size_t i = 0; b && i < b->nseries; i++)
        if (strcmp(b->series[i].id, id) == 0)
            return &b->series[i];
    return NULL;
}

/* The id of the series whose title is title. */
static const char *id_titled(const struct alm_import_batch *b,
                             const char *title)
{
    for (size_t i = 0; b && i < b->nseries; i++)
        if (strcmp(b->series[i].title, title) == 0)
            return b->series[i].id;
    return "(none)";
}

/* Checks the format, the number of series and observations and of
 * missing values skipped. */
#define CHECK_COUNTS(b, fmt, nser, nobs, nskip)                                \
    do {                                                                       \
        CHECK((b) != NULL);                                                    \
        if (b) {                                                               \
            CHECK_INT((b)->format, (fmt));                                     \
            CHECK_INT((b)->nseries, (nser));                                   \
            CHECK_INT((b)->obs->nrows, (nobs));                                \
            CHECK_INT((b)->skipped, (nskip));                                  \
        }                                                                      \
    } while (0)

/* True when a and b hold the same rows, in any order. */
static bool same_rows(const struct alm_import_batch *a,
                      const struct alm_import_batch *b)
{
    if (!a || !b || a->obs->nrows != b->obs->nrows)
        return false;
    for (size_t r = 0; r < a->obs->nrows; r++) {
        long k = row_of(b, alm_table_cell(a->obs, r, 0),
                        alm_table_cell(a->obs, r, 1));
        if (k < 0 ||
            strcmp(alm_table_cell(a->obs, r, 2),
                   alm_table_cell(b->obs, (size_t)k, 2)) != 0 ||
            strcmp(alm_table_cell(a->obs, r, 3),
                   alm_table_cell(b->obs, (size_t)k, 3)) != 0)
            return false;
    }
    return true;
}

static char *slurp(const char *path, size_t *len)
{
    struct alm_buf b = ALM_BUF_INIT;
    struct alm_error err;
    alm_error_clear(&err);
    if (alm_file_read(path, ALM_CSV_FILE_MAX, &b, &err) != ALM_OK)
        return NULL;
    *len = b.len;
    return alm_buf_detach(&b);
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

static char *tpath(const char *name)
{
    static char p[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", tmp, name);
    return p[k];
}

/* ---- the samples --------------------------------------------------------- */

static void test_samples(void)
{
    struct alm_import_batch *b;

    /* ECB data portal: one series per file, one observation per row with a
     * value (awk -F'","' 'NR>1 && $3!="\""' counts 124 and 105, as the
     * README says). */
    b = load(FORMATS "ecb-data-portal/real_gdp.csv");
    CHECK_COUNTS(b, ALM_IMPORT_ECB, 1, 124, 0);
    CHECK_STR(value_of(b, "ecb.mna.q.y.i9.w2.s1.s1.b.b1gq._z._z._z.eur.lr.n",
                       "1995-Q1"),
              "2104634.88");
    CHECK_STR(value_of(b, "ecb.mna.q.y.i9.w2.s1.s1.b.b1gq._z._z._z.eur.lr.n",
                       "2025-Q4"),
              "3304190.51");
    alm_import_batch_free(b);
    b = load(FORMATS "ecb-data-portal/unemployment.csv");
    CHECK_COUNTS(b, ALM_IMPORT_ECB, 1, 105, 0);
    /* The last row: "2026-02-28","2026Q1","6.2". */
    CHECK_STR(value_of(b, "ecb.lfsi.m.i10.s.unehrt.total0.15_74.t", "2026-Q1"),
              "6.2");
    alm_import_batch_free(b);

    /* FRED: a series per column, an observation per cell that is neither
     * empty nor "." (python: sum over rows and columns 1.. of cell not in
     * ('', '.')): DEXCHUS 10659 (11141 rows less the README's 482 "."),
     * FEDFUNDS 830, the multi-series file 7 series and 2083 (143 empty
     * cells), the HICP 120. */
    b = load(FORMATS "fred/legacy_DEXCHUS.csv");
    CHECK_COUNTS(b, ALM_IMPORT_FRED, 1, 10659, 482);
    CHECK_STR(value_of(b, "dexchus", "1981-01-02"), "1.5341");
    CHECK_STR(value_of(b, "dexchus", "2023-09-14"), "7.277");
    CHECK(series(b, "dexchus") && series(b, "dexchus")->freq == 'D');
    alm_import_batch_free(b);
    b = load(FORMATS "fred/legacy_FEDFUNDS.csv");
    CHECK_COUNTS(b, ALM_IMPORT_FRED, 1, 830, 0);
    /* 1954-07-01 is July 1954: monthly, dated by its first day. */
    CHECK_STR(value_of(b, "fedfunds", "1954-07"), "0.80");
    CHECK_STR(value_of(b, "fedfunds", "2023-08"), "5.33");
    CHECK(series(b, "fedfunds") && series(b, "fedfunds")->freq == 'M');
    alm_import_batch_free(b);
    b = load(FORMATS "fred/fredgraph_multiseries.csv");
    CHECK_COUNTS(b, ALM_IMPORT_FRED, 7, 2083, 143);
    /* 1948-01-01,0.38445,,24.15459,,,1.50604,4.0 */
    CHECK_STR(value_of(b, "unrate", "1948-Q1"), "4.0");
    CHECK_STR(value_of(b, "cpiaucsl_pch", "1948-Q1"), "0.38445");
    CHECK(series(b, "unrate") && series(b, "unrate")->freq == 'Q');
    alm_import_batch_free(b);
    b = load(FORMATS "fred/CP0000EZ19M086NEST.csv");
    CHECK_COUNTS(b, ALM_IMPORT_FRED, 1, 120, 0);
    CHECK_STR(value_of(b, "cp0000ez19m086nest", "1996-Q1"), "71.01");
    alm_import_batch_free(b);

    /* World Bank: a series per country x indicator with at least one value,
     * an observation per non-empty year cell (python csv.reader after 4
     * lines: 124 of the 128 rows have a value, 6791 values, 1401 empty
     * cells; the README names the 4 empty rows). */
    b = load(FORMATS "worldbank-wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv");
    CHECK_COUNTS(b, ALM_IMPORT_WDI, 124, 6791, 1401);
    CHECK_STR(value_of(b, "ny-gdp-mktp-cd.chn", "2023"), "17794781986104.5");
    CHECK_STR(value_of(b, "ny-gdp-mktp-cd.usa", "2023"), "27360935000000");
    CHECK_STR(value_of(b, "ny-gdp-mktp-cd.wld", "2023"), "105435039507024");
    CHECK(!series(b, "ny-gdp-mktp-cd.prk")); /* an empty row */
    if (b) {
        CHECK_STR(b->source[3], "2024-10-24"); /* "Last Updated Date" */
        CHECK_STR(b->source[2], "World Bank");
    }
    /* Titles from the metadata files beside it ("Korea, Rep." is its
     * TableName), units from the indicator's name. */
    CHECK(series(b, "ny-gdp-mktp-cd.kor") &&
          strcmp(series(b, "ny-gdp-mktp-cd.kor")->title,
                 "GDP (current US$): Korea, Rep.") == 0);
    CHECK(series(b, "ny-gdp-mktp-cd.kor") &&
          strcmp(series(b, "ny-gdp-mktp-cd.kor")->unit, "current US$") == 0);
    alm_import_batch_free(b);

    /* SDMX-CSV: a series per combination of the dimensions, an observation
     * per row with OBS_VALUE (python csv.DictReader: OECD 41 rows, one
     * key; Eurostat 19 rows, bop_item CA or CKA). */
    b = load(FORMATS "sdmx-csv/oecd_DF_G20_PRICES_CHN_CPI.csv");
    CHECK_COUNTS(b, ALM_IMPORT_SDMX, 1, 41, 0);
    const char *oecd = "oecd-sdd-tps.df_g20_prices.chn.a.n.cpi.pa._t.n.gy";
    CHECK_STR(value_of(b, oecd, "1985"), "9.3");
    CHECK_STR(status_of(b, oecd, "1985"), "A");
    CHECK_STR(value_of(b, oecd, "2025"), "0");
    alm_import_batch_free(b);
    b = load(FORMATS "sdmx-csv/eurostat_EI_BPM6CA_Q_sdmxcsv2_both.csv");
    CHECK_COUNTS(b, ALM_IMPORT_SDMX, 2, 19, 0);
    const char *ca =
        "estat.ei_bpm6ca_q.q.mio_eur.nsa.s1.s1.ext_ea20.bal.ca.ea20";
    CHECK_STR(value_of(b, ca, "2023-Q1"), "23962.1");
    CHECK(series(b, ca) && strcmp(series(b, ca)->unit, "Million euro") == 0);
    alm_import_batch_free(b);
    b = load(FORMATS "sdmx-csv/eurostat_EI_BPM6CA_Q_sdmxcsv1_labels.csv");
    CHECK_COUNTS(b, ALM_IMPORT_SDMX, 2, 19, 0);
    if (b) /* LAST UPDATE 30/10/25 23:00:00 */
        CHECK_STR(b->source[3], "2025-10-30");
    alm_import_batch_free(b);

    /* JSON-stat: an observation per non-null cell, a series per combination
     * of the non-time dimensions (README; python: the Eurostat cube has
     * 1134 non-null of 3036 cells, and each of its 44 areas has one). */
    b = load(FORMATS "json-stat/oecd_unemployment_v2.json");
    CHECK_COUNTS(b, ALM_IMPORT_JSONSTAT, 36, 432, 0);
    /* value[10] is AU (area 0) in 2013 (year 10): 5.50415003, status
     * "10": "e" (estimated). */
    CHECK_STR(value_of(b, "unr.au", "2013"), "5.50415003");
    CHECK_STR(status_of(b, "unr.au", "2013"), "E");
    CHECK_STR(status_of(b, "unr.au", "2003"), "");
    if (b)
        CHECK_STR(b->source[3], "2012-11-27");
    CHECK(series(b, "unr.au") && strcmp(series(b, "unr.au")->unit, "%") == 0);
    alm_import_batch_free(b);
    b = load(FORMATS "json-stat/canada_population_v2.json");
    CHECK_COUNTS(b, ALM_IMPORT_JSONSTAT, 120, 120, 0);
    /* value[0]: Canada, 2012, all ages, population, both sexes; status
     * ["a"] is one status for every cell, "a" (normal). */
    CHECK_STR(value_of(b, "ca.t.pop.t", "2012"), "34880.5");
    CHECK_STR(status_of(b, "ca.t.pop.t", "2012"), "A");
    alm_import_batch_free(b);
    b = load(FORMATS "json-stat/cso_ie_NQQ25_v1.json");
    CHECK_COUNTS(b, ALM_IMPORT_JSONSTAT, 16, 1216, 0);
    /* value[0] and value[1]: all sectors, 1997Q1, the two statistics. */
    CHECK_STR(value_of(b, "0.nqq25c01", "1997-Q1"), "19960");
    CHECK_STR(value_of(b, "0.nqq25s1", "1997-Q1"), "20342");
    if (b)
        CHECK_STR(b->source[3], "2016-04-03");
    alm_import_batch_free(b);
    b = load(FORMATS "json-stat/eurostat_nama_gdp_c_v1.json");
    CHECK_COUNTS(b, ALM_IMPORT_JSONSTAT, 44, 1134, 1902);
    /* Germany 2013: 33300; 2014 is null. */
    CHECK_STR(value_of(b, "nama_gdp_c.eur_hab.b1gm.de", "2013"), "33300");
    CHECK_STR(value_of(b, "nama_gdp_c.eur_hab.b1gm.de", "2014"), "(none)");
    if (b) /* lastUpdateDate 1455058800000 ms = 2016-02-09 23:00 UTC */
        CHECK_STR(b->source[3], "2016-02-09");
    alm_import_batch_free(b);

    /* NBS: a series per indicator, an observation per non-empty cell
     * between the header and the footer (python csv.reader on the UTF-8
     * copies: 11 series and 88 values; 11 and 546 with 4 empty; 6 and
     * 1548). The GBK originals give the same rows. */
    static const char *const nbs[][2] = {
        {"nbs_annual_legal_entity_units", "88"},
        {"nbs_monthly_cpi_trade", "546"},
        {"nbs_monthly_money_supply", "1548"}};
    static const size_t nser[] = {11, 11, 6}, nskip[] = {0, 4, 0};
    for (size_t i = 0; i < 3; i++) {
        char p1[300], p2[300];
        snprintf(p1, sizeof p1, FORMATS "nbs-china/%s.gbk.csv", nbs[i][0]);
        snprintf(p2, sizeof p2, FORMATS "nbs-china/%s.utf8.csv", nbs[i][0]);
        struct alm_import_batch *g = load(p1), *u = load(p2);
        int nobs = (int)strtol(nbs[i][1], NULL, 10);
        CHECK_COUNTS(g, ALM_IMPORT_NBS, nser[i], nobs, nskip[i]);
        CHECK_COUNTS(u, ALM_IMPORT_NBS, nser[i], nobs, nskip[i]);
        CHECK(same_rows(g, u));
        if (i == 0) {
            /* 企业法人单位数(个),32828734,... under 2022年; 2018 is absent. */
            const char *id = id_titled(g, "企业法人单位数(个)");
            CHECK_STR(value_of(g, id, "2022"), "32828734");
            CHECK_STR(value_of(g, id, "2018"), "(none)");
            CHECK(series(g, id) && strcmp(series(g, id)->unit, "个") == 0);
        } else if (i == 1) {
            const char *id = id_titled(g, "居民消费价格指数(上年同月=100)");
            CHECK_STR(value_of(g, id, "2020-02"), "105.2");
            CHECK(series(g, id) && series(g, id)->freq == 'M');
        } else {
            /* 2021年5月,2275538.07,8.3,... (GBK, read through iconv). */
            const char *id = id_titled(g, "货币和准货币(M2)供应量期末值(亿元)");
            CHECK_STR(value_of(g, id, "2021-05"), "2275538.07");
            CHECK_STR(value_of(g, id, "1999-12"), "117638.1");
        }
        alm_import_batch_free(g);
        alm_import_batch_free(u);
    }
}

/* ---- R and spreadsheets ------------------------------------------------ */

static void test_r_and_spreadsheets(void)
{
    /* write.csv(data.frame(indicator, year, value = format(x)), NA padded):
     * row names, "year", "  412", "   NA". */
    struct alm_import_batch *b = load(FIX "r_write_csv_long.csv");
    CHECK_COUNTS(b, ALM_IMPORT_LONG, 1, 3, 1);
    CHECK_STR(value_of(b, "r.airmiles", "1937"), "412"); /* "  412" */
    CHECK_STR(value_of(b, "r.airmiles", "1940"), "1052");
    CHECK_STR(value_of(b, "r.airmiles", "1939"), "(none)"); /* NA */
    alm_import_batch_free(b);

    /* write.csv of a matrix: row names name the indicators, a column per
     * year; NA and "." missing. */
    b = load(FIX "r_wide_by_year.csv");
    CHECK_COUNTS(b, ALM_IMPORT_WIDE, 2, 4, 2);
    CHECK_STR(value_of(b, "gdp", "2016"), "2.5");
    CHECK_STR(value_of(b, "cpi", "2015"), "0.2");
    alm_import_batch_free(b);

    /* A spreadsheet's "Year" column and an indicator per column, padded. */
    b = load(FIX "wide_by_indicator.csv");
    CHECK_COUNTS(b, ALM_IMPORT_WIDE, 2, 3, 1);
    CHECK_STR(value_of(b, "gdp-growth", "2020"), "-3.1"); /* " -3.1 " */
    CHECK(series(b, "gdp-growth") &&
          strcmp(series(b, "gdp-growth")->title, "GDP growth") == 0);
    alm_import_batch_free(b);

    /* A European spreadsheet: ';' and a decimal comma, detected. */
    b = load(FIX "semicolon_decimal_comma.csv");
    CHECK_COUNTS(b, ALM_IMPORT_LONG, 1, 2, 0);
    CHECK_STR(value_of(b, "gdp-growth", "2022"), "3.5");
    CHECK_STR(value_of(b, "gdp-growth", "2023"), "-0.4");
    alm_import_batch_free(b);
    /* ... and the same said explicitly. */
    struct alm_import_spec s = {.delimiter = ';', .decimal = ','};
    b = load_spec(FIX "semicolon_decimal_comma.csv", &s);
    CHECK(b && strcmp(value_of(b, "gdp-growth", "2022"), "3.5") == 0);
    alm_import_batch_free(b);

    /* Thousands separators say what to do. */
    struct alm_error err;
    alm_error_clear(&err);
    const char *t = "indicator,period,value\nx,2024,\"1,234\"\n";
    CHECK(alm_import_parse(t, strlen(t), "t.csv", NULL, &autospec, &b, &err) ==
          ALM_EINPUT);
    CHECK(strstr(err.msg, "thousands separators are not numbers") != NULL);
    CHECK(strstr(err.msg, "--decimal") != NULL);
    CHECK_INT(err.line, 2);
    CHECK_STR(err.field, "value");
}

static void count_problem(void *ctx, const struct alm_error *e, bool warning)
{
    long *lines = ctx;
    if (!warning && lines[0] < 8)
        lines[++lines[0]] = e->line;
}

static void test_every_problem(void)
{
    /* With a report, every bad cell and row is reported (lines 3, 4, 5,
     * 6), then the load fails with a summary. */
    const char *t = "indicator,period,value\nx,2024,1\nx,2025,abc\n"
                    "x,20x6,3\nx,2027\nx,2028,\"1,234\"\n";
    long lines[9] = {0};
    struct alm_problem_sink rep = {count_problem, lines};
    struct alm_import_spec spec = {.report = &rep};
    struct alm_import_batch *b = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_import_parse(t, strlen(t), "t.csv", NULL, &spec, &b, &err) ==
          ALM_EINPUT);
    CHECK_INT(lines[0], 4);
    CHECK_INT(lines[1], 3);
    CHECK_INT(lines[2], 4);
    CHECK_INT(lines[3], 5);
    CHECK_INT(lines[4], 6);
    CHECK(strstr(err.msg, "4 cells or rows cannot be read") != NULL);
    CHECK_STR(err.file, "t.csv");
}

static void test_shapes(void)
{
    struct alm_import_batch *b = NULL;
    struct alm_error err;
    /* JSON-stat 2.0 with value and status as objects keyed by the flat
     * index, one index as an array, the other as an object, and no role:
     * the dimension named "time" is the time. Cells 0..3 are (a, 2020),
     * (a, 2021), (b, 2020), (b, 2021). */
    const char *j =
        "{\"version\":\"2.0\",\"class\":\"dataset\",\"id\":[\"geo\","
        "\"time\"],\"size\":[2,2],\"updated\":\"2024-05-06\","
        "\"dimension\":{\"time\":{\"category\":{\"index\":{\"2021\":1,"
        "\"2020\":0}}},\"geo\":{\"category\":{\"index\":[\"a\",\"b\"]}}},"
        "\"value\":{\"3\":4.5,\"0\":1,\"2\":null},\"status\":{\"3\":\"p\"}}";
    alm_error_clear(&err);
    CHECK(alm_import_parse(j, strlen(j), "j.json", NULL, &autospec, &b, &err) ==
          ALM_OK);
    CHECK_COUNTS(b, ALM_IMPORT_JSONSTAT, 2, 2, 2);
    CHECK_STR(value_of(b, "a", "2020"), "1");
    CHECK_STR(value_of(b, "b", "2021"), "4.5");
    CHECK_STR(status_of(b, "b", "2021"), "P");
    if (b)
        CHECK_STR(b->source[3], "2024-05-06");
    alm_import_batch_free(b);

    /* Two headers giving one id: an error naming both. */
    const char *w = "year,GDP growth,gdp-growth\n2020,1,2\n";
    b = NULL;
    alm_error_clear(&err);
    CHECK(alm_import_parse(w, strlen(w), "w.csv", NULL, &autospec, &b, &err) ==
          ALM_EINPUT);
    CHECK(strstr(err.msg, "two series get the id 'gdp-growth'") != NULL);
    CHECK_INT(err.line, 1);
}

/* ---- periods and attributes -------------------------------------------- */

static void test_periods(void)
{
    /* SDMX TIME_PERIOD forms, one series each (the FREQ dimension):
     * 2024-W05 is the ISO week of Mon 29 Jan to Sun 4 Feb 2024, dated by
     * its last day; 2024-S1 is the span of its months. */
    const char *t = "DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
                    "X:F(1.0),A,2024,1,\n"
                    "X:F(1.0),Q,2024-Q1,2,\n"
                    "X:F(1.0),M,2024-03,3,\n"
                    "X:F(1.0),N,2024-M04,4,\n"
                    "X:F(1.0),W,2024-W05,5,\n"
                    "X:F(1.0),S,2024-S1,6,\n"
                    "X:F(1.0),U,2024-Q2,7.25,3\n"
                    "X:F(1.0),V,2024-Q2,7.25,-2\n";
    struct alm_import_batch *b = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_import_parse(t, strlen(t), "p.csv", NULL, &autospec, &b, &err) ==
          ALM_OK);
    CHECK_STR(value_of(b, "x.f.a", "2024"), "1");
    CHECK_STR(value_of(b, "x.f.q", "2024-Q1"), "2");
    CHECK_STR(value_of(b, "x.f.m", "2024-03"), "3");
    CHECK_STR(value_of(b, "x.f.n", "2024-04"), "4");
    CHECK_STR(value_of(b, "x.f.w", "2024-02-04"), "5");
    CHECK_STR(value_of(b, "x.f.s", "2024-01/2024-06"), "6");
    /* UNIT_MULT is a power of ten, applied exactly: 7.25e3, 7.25e-2. */
    CHECK_STR(value_of(b, "x.f.u", "2024-Q2"), "7250");
    CHECK_STR(value_of(b, "x.f.v", "2024-Q2"), "0.0725");
    alm_import_batch_free(b);

    /* Chinese labels: 年, 月, 第一季度. */
    const char *n = "数据库：季度数据\n时间：最近2季度\n"
                    "指标,2024年第一季度,2023年第四季度,2024年1-2月,2024年3月,"
                    "2024年\n"
                    "国内生产总值(亿元),10,20,30,40,50\n数据来源：国家统计局\n";
    b = NULL;
    CHECK(alm_import_parse(n, strlen(n), "n.csv", NULL, &autospec, &b, &err) ==
          ALM_OK);
    const char *id = id_titled(b, "国内生产总值(亿元)");
    CHECK_STR(value_of(b, id, "2024-Q1"), "10");
    CHECK_STR(value_of(b, id, "2023-Q4"), "20");
    CHECK_STR(value_of(b, id, "2024-01/2024-02"), "30");
    CHECK_STR(value_of(b, id, "2024-03"), "40");
    CHECK_STR(value_of(b, id, "2024"), "50");
    alm_import_batch_free(b);

    /* --frequency maps dates; a period of another frequency is refused. */
    struct alm_import_spec q = {.frequency = 'Q'};
    b = load_spec(FORMATS "fred/CP0000EZ19M086NEST.csv", &q);
    CHECK(b &&
          strcmp(value_of(b, "cp0000ez19m086nest", "2025-Q4"), "129.49") == 0);
    alm_import_batch_free(b);
    struct alm_import_spec m = {.frequency = 'M'};
    b = NULL;
    alm_error_clear(&err);
    CHECK(alm_import_load(FORMATS "ecb-data-portal/real_gdp.csv", &m, &b,
                          &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "--frequency is M") != NULL);
    CHECK_INT(err.line, 2);
}

/* ---- variants of the samples --------------------------------------------- */

/* Replaces the first occurrence of a in s (len bytes) by b: a new string. */
static char *replace(const char *s, const char *a, const char *b)
{
    const char *p = strstr(s, a);
    struct alm_buf o = ALM_BUF_INIT;
    if (!p)
        return NULL;
    alm_buf_add(&o, s, (size_t)(p - s));
    alm_buf_puts(&o, b);
    alm_buf_puts(&o, p + strlen(a));
    return alm_buf_detach(&o);
}

/* Rewrites every line of a simple CSV (no quoted commas) through fn. */
static char *per_line(const char *s,
                      void (*fn)(struct alm_buf *, char **, size_t))
{
    struct alm_buf o = ALM_BUF_INIT;
    char *copy = strdup(s), *line = copy;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        char *f[64];
        size_t n = 0;
        for (char *c = line; c && n < 64;) {
            f[n++] = c;
            c = strchr(c, ',');
            if (c)
                *c++ = '\0';
        }
        fn(&o, f, n);
        alm_buf_putc(&o, '\n');
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    return alm_buf_detach(&o);
}

/* FRED: the last two series columns swapped. */
static void swap_last(struct alm_buf *o, char **f, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        size_t k = j == n - 1 ? n - 2 : j == n - 2 ? n - 1 : j;
        alm_buf_printf(o, "%s%s", j ? "," : "", f[k]);
    }
}

/* SDMX: DATAFLOW moved to the end, OBS_STATUS and UNIT_MULT swapped. */
static void move_flow(struct alm_buf *o, char **f, size_t n)
{
    for (size_t j = 1; j < n; j++) {
        size_t k = j == 11 ? 12 : j == 12 ? 11 : j;
        alm_buf_printf(o, "%s,", f[k]);
    }
    alm_buf_puts(o, f[0]);
}

/* SDMX: an extra dimension of one category before TIME_PERIOD. */
static void extra_dim(struct alm_buf *o, char **f, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (j == 9)
            alm_buf_puts(o, strcmp(f[0], "DATAFLOW") == 0 ? "SECTOR," : "S1,");
        alm_buf_printf(o, "%s%s", f[j], j + 1 < n ? "," : "");
    }
}

static void test_variants(void)
{
    size_t len;
    char *fred = slurp(FORMATS "fred/fredgraph_multiseries.csv", &len);
    char *sdmx = slurp(FORMATS "sdmx-csv/oecd_DF_G20_PRICES_CHN_CPI.csv", &len);
    struct alm_import_batch *a, *b;

    /* Columns reordered. */
    char *v = per_line(fred, swap_last);
    spit(tpath("fred_swapped.csv"), v, strlen(v));
    a = load(FORMATS "fred/fredgraph_multiseries.csv");
    b = load(tpath("fred_swapped.csv"));
    CHECK(same_rows(a, b));
    alm_import_batch_free(b);
    free(v);
    v = per_line(sdmx, move_flow);
    spit(tpath("sdmx_moved.csv"), v, strlen(v));
    struct alm_import_batch *s0 =
        load(FORMATS "sdmx-csv/oecd_DF_G20_PRICES_CHN_CPI.csv");
    b = load(tpath("sdmx_moved.csv"));
    CHECK(same_rows(s0, b));
    alm_import_batch_free(b);
    free(v);

    /* LF instead of CRLF (per_line writes LF). */
    v = per_line(sdmx, swap_last);
    char *lf = per_line(v, swap_last); /* swapped twice: the original, LF */
    CHECK(strchr(lf, '\r') == NULL);
    spit(tpath("sdmx_lf.csv"), lf, strlen(lf));
    b = load(tpath("sdmx_lf.csv"));
    CHECK(same_rows(s0, b));
    alm_import_batch_free(b);
    free(v);
    free(lf);

    /* An extra dimension: the same observations, under ids with its code. */
    v = per_line(sdmx, extra_dim);
    spit(tpath("sdmx_extra.csv"), v, strlen(v));
    b = load(tpath("sdmx_extra.csv"));
    CHECK_COUNTS(b, ALM_IMPORT_SDMX, 1, 41, 0);
    CHECK_STR(value_of(b,
                       "oecd-sdd-tps.df_g20_prices.chn.a.n.cpi.pa._t.n.gy.s1",
                       "1985"),
              "9.3");
    alm_import_batch_free(b);
    free(v);

    /* The file renamed: the same rows and the same source. */
    spit(tpath("renamed.txt"), fred, strlen(fred));
    b = load(tpath("renamed.txt"));
    CHECK(same_rows(a, b));
    CHECK(a && b && strcmp(a->source[0], b->source[0]) == 0);
    alm_import_batch_free(b);
    alm_import_batch_free(a);

    /* World Bank metadata beside the data file give the titles: without
     * it the data file's own names, with it its TableName. */
    size_t wlen;
    char *wdi =
        slurp(FORMATS "worldbank-wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv",
              &wlen);
    spit(tpath("API_X.csv"), wdi, wlen);
    b = load(tpath("API_X.csv"));
    CHECK(series(b, "ny-gdp-mktp-cd.kor") &&
          strcmp(series(b, "ny-gdp-mktp-cd.kor")->title,
                 "GDP (current US$): Korea, Rep.") == 0);
    alm_import_batch_free(b);
    const char *meta =
        "\xEF\xBB\xBF\"Country Code\",\"Region\",\"TableName\",\r\n"
        "\"KOR\",\"East Asia & Pacific\",\"Korea\nRepublic of\",\r\n";
    spit(tpath("Metadata_Country_API_X.csv"), meta, strlen(meta));
    b = load(tpath("API_X.csv"));
    CHECK(series(b, "ny-gdp-mktp-cd.kor") &&
          strcmp(series(b, "ny-gdp-mktp-cd.kor")->title,
                 "GDP (current US$): Korea\nRepublic of") == 0);
    CHECK(b && b->nseries == 124 && b->obs->nrows == 6791);
    alm_import_batch_free(b);
    free(wdi);

    /* A UNIT_MULT of 3 on the first row: 9.3 thousand. */
    v = replace(sdmx, "1985,9.3,A,0,", "1985,9.3,A,3,");
    spit(tpath("sdmx_mult.csv"), v, strlen(v));
    b = load(tpath("sdmx_mult.csv"));
    CHECK_STR(value_of(b, "oecd-sdd-tps.df_g20_prices.chn.a.n.cpi.pa._t.n.gy",
                       "1985"),
              "9300");
    alm_import_batch_free(b);
    free(v);
    alm_import_batch_free(s0);

    /* JSON object keys in another order: every object's keys sorted
     * (category.index and status objects included). */
    json_error_t je;
    json_t *j =
        json_load_file(FORMATS "json-stat/oecd_unemployment_v2.json", 0, &je);
    CHECK(j != NULL);
    if (j) {
        json_dump_file(j, tpath("sorted.json"), JSON_SORT_KEYS);
        json_decref(j);
    }
    a = load(FORMATS "json-stat/oecd_unemployment_v2.json");
    b = load(tpath("sorted.json"));
    CHECK(same_rows(a, b));
    CHECK_STR(status_of(b, "unr.au", "2013"), "E");
    alm_import_batch_free(a);
    alm_import_batch_free(b);
    free(fred);
    free(sdmx);
}

/* ---- writing: nothing twice, nothing on failure ------------------------- */

static char *snapshot(const char *ds)
{
    struct alm_buf all = ALM_BUF_INIT;
    static const char *const files[] = {"indicators.csv", "observations.csv",
                                        "sources.csv", "targets.csv"};
    for (size_t i = 0; i < 4; i++) {
        char p[200];
        size_t n;
        snprintf(p, sizeof p, "%s/%s", ds, files[i]);
        char *s = slurp(p, &n);
        CHECK_AT(s != NULL, "cannot read %s", p);
        alm_buf_printf(&all, "== %s\n", files[i]);
        if (s)
            alm_buf_add(&all, s, n);
        free(s);
    }
    return alm_buf_detach(&all);
}

static enum alm_status import(const char *ds, const char *path,
                              const struct alm_import_spec *spec,
                              struct alm_import_summary *sum,
                              struct alm_error *err)
{
    alm_error_clear(err);
    return alm_import_file(ds, path, spec, sum, NULL, err);
}

/* Checks that importing path (with spec) fails, naming the file, with a
 * message containing want, and that the dataset stays byte for byte. */
static void fails_cleanly(const char *ds, const char *path,
                          const struct alm_import_spec *spec, const char *want)
{
    struct alm_import_summary sum;
    struct alm_error err;
    char *before = snapshot(ds);
    CHECK_AT(import(ds, path, spec, &sum, &err) == ALM_EINPUT,
             "%s: did not fail", path);
    CHECK_AT(strstr(err.msg, want) != NULL, "%s: '%s' lacks '%s'", path,
             err.msg, want);
    CHECK_AT(strcmp(err.file, path) == 0, "%s: error names '%s'", path,
             err.file);
    char *after = snapshot(ds);
    CHECK_AT(before && after && strcmp(before, after) == 0,
             "%s: the dataset changed", path);
    free(before);
    free(after);
}

static void test_writes(void)
{
    char ds[128];
    snprintf(ds, sizeof ds, "%s", tpath("ds"));
    struct alm_error err;
    struct alm_import_summary sum;
    alm_error_clear(&err);
    CHECK(alm_dataset_create(ds, &err) == ALM_OK);

    /* A dry run writes nothing. */
    struct alm_import_spec dry = {.dry_run = true};
    char *empty = snapshot(ds);
    CHECK(import(ds, FORMATS "fred/legacy_FEDFUNDS.csv", &dry, &sum, &err) ==
          ALM_OK);
    CHECK_INT(sum.appended, 830);
    char *now = snapshot(ds);
    CHECK(strcmp(empty, now) == 0);
    free(now);
    free(empty);

    /* The first import appends everything and one source; the second adds
     * nothing and writes nothing (the files stay byte for byte). */
    CHECK(import(ds, FORMATS "fred/legacy_FEDFUNDS.csv", &autospec, &sum,
                 &err) == ALM_OK);
    CHECK_INT(sum.appended, 830);
    CHECK_INT(sum.indicators, 1);
    CHECK_INT(sum.sources, 1);
    char *once = snapshot(ds);
    CHECK(import(ds, FORMATS "fred/legacy_FEDFUNDS.csv", &autospec, &sum,
                 &err) == ALM_OK);
    CHECK_INT(sum.appended, 0);
    CHECK_INT(sum.present, 830);
    CHECK_INT(sum.indicators, 0);
    CHECK_INT(sum.sources, 0);
    char *twice = snapshot(ds);
    CHECK(strcmp(once, twice) == 0);
    free(twice);
    /* The same file renamed is the same source: nothing again. */
    size_t len;
    char *fed = slurp(FORMATS "fred/legacy_FEDFUNDS.csv", &len);
    spit(tpath("fedfunds-copy.csv"), fed, len);
    CHECK(import(ds, tpath("fedfunds-copy.csv"), &autospec, &sum, &err) ==
          ALM_OK);
    CHECK_INT(sum.appended, 0);
    twice = snapshot(ds);
    CHECK(strcmp(once, twice) == 0);
    free(twice);
    free(once);
    /* Every sample imports into one dataset, the JSON-stat and World Bank
     * files with their dates. */
    CHECK(import(ds, FORMATS "json-stat/oecd_unemployment_v2.json", &autospec,
                 &sum, &err) == ALM_OK);
    CHECK(import(ds,
                 FORMATS
                 "worldbank-wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv",
                 &autospec, &sum, &err) == ALM_OK);
    CHECK_INT(sum.appended, 6791);

    /* --kind sets the kind of the indicators created; --vintage dates the
     * file (another source: the vintage is part of its key). */
    struct alm_import_spec kv = {.kind = "level", .vintage = "2024-10-01"};
    CHECK(import(ds, FORMATS "ecb-data-portal/real_gdp.csv", &kv, &sum, &err) ==
          ALM_OK);
    CHECK_INT(sum.appended, 124);
    struct alm_dataset *d = NULL;
    CHECK(alm_dataset_open(ds, NULL, &d, &err) == ALM_OK);
    if (d) {
        long k = alm_dataset_find_indicator(
            d, "ecb.mna.q.y.i9.w2.s1.s1.b.b1gq._z._z._z.eur.lr.n");
        CHECK(k >= 0 && d->ind[k].kind == ALM_KIND_LEVEL &&
              d->ind[k].freq == 'Q');
        char date[16] = "";
        for (size_t i = 0; i < d->nsrc; i++)
            if (strncmp(d->src[i].id, "ecb.", 4) == 0)
                alm_date_format(d->src[i].date, date, sizeof date);
        CHECK_STR(date, "2024-10-01");
        alm_dataset_free(d);
    }

    /* Malformed files fail with nothing written. */
    char *wdi =
        slurp(FORMATS "worldbank-wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv",
              &len);
    /* Truncated inside a quoted value of the last line kept. */
    size_t cut = len / 2;
    while (cut > 0 && wdi[cut] != '"')
        cut--;
    spit(tpath("wdi_truncated.csv"), wdi, cut + 2);
    fails_cleanly(ds, tpath("wdi_truncated.csv"), &autospec, "truncated");
    free(wdi);
    char *js = slurp(FORMATS "json-stat/oecd_unemployment_v2.json", &len);
    spit(tpath("ends_early.json"), js, len / 3);
    fails_cleanly(ds, tpath("ends_early.json"), &autospec, "not valid JSON");
    free(js);
    /* The wrong encoding: Latin-1, and GBK without the NBS preamble. */
    const char *latin1 = "indicator,period,value\ncaf\xe9,2024,1\n";
    spit(tpath("latin1.csv"), latin1, strlen(latin1));
    fails_cleanly(ds, tpath("latin1.csv"), &autospec, "invalid UTF-8");
    char *gbk = slurp(FORMATS "nbs-china/nbs_monthly_cpi_trade.gbk.csv", &len);
    char *third = strchr(strchr(gbk, '\n') + 1, '\n') + 1;
    spit(tpath("gbk_no_preamble.csv"), third, len - (size_t)(third - gbk));
    fails_cleanly(ds, tpath("gbk_no_preamble.csv"), &autospec, "--format nbs");
    free(gbk);
    /* A header of another format: what to use is said. */
    struct alm_import_spec as_long = {.format = ALM_IMPORT_LONG};
    fails_cleanly(ds, FORMATS "fred/legacy_FEDFUNDS.csv", &as_long,
                  "this looks like a FRED file: use --format fred");
    struct alm_import_spec as_sdmx = {.format = ALM_IMPORT_SDMX};
    fails_cleanly(ds, FORMATS "ecb-data-portal/real_gdp.csv", &as_sdmx,
                  "use --format ecb");
    struct alm_import_spec as_wdi = {.format = ALM_IMPORT_WDI};
    fails_cleanly(ds, FORMATS "sdmx-csv/oecd_DF_G20_PRICES_CHN_CPI.csv",
                  &as_wdi, "use --format sdmx");
    /* A row that cannot be read anywhere in the file: nothing written. */
    char *bad = replace(fed, "2023-08-01,5.33", "2023-08-01,\"5,33\"");
    spit(tpath("fed_bad_last.csv"), bad, strlen(bad));
    fails_cleanly(ds, tpath("fed_bad_last.csv"), &autospec, "thousands");
    free(bad);
    free(fed);
}

/* Reads text once on one thread and once on two (the parser handing
 * records over in batches of 4,096); both must give the same status, the
 * same message and the same rows, in the same order. *out gets the
 * two-thread read's error. */
static void both_ways(const char *text, struct alm_error *out, size_t *nrows)
{
    struct alm_import_batch *one = NULL, *two = NULL;
    struct alm_error e1, e2;
    alm_error_clear(&e1);
    alm_error_clear(&e2);
    alm__imp_pipe_min((size_t)-1);
    enum alm_status s1 = alm_import_parse(text, strlen(text), "t.csv", NULL,
                                          &autospec, &one, &e1);
    alm__imp_pipe_min(1);
    enum alm_status s2 = alm_import_parse(text, strlen(text), "t.csv", NULL,
                                          &autospec, &two, &e2);
    alm__imp_pipe_min((size_t)4 << 20);
    CHECK_INT(s2, s1);
    CHECK_STR(e2.msg, e1.msg);
    CHECK_STR(e2.field, e1.field);
    CHECK_INT(e2.line, e1.line);
    CHECK((one == NULL) == (two == NULL));
    if (one && two) {
        CHECK_INT(two->obs->nrows, one->obs->nrows);
        CHECK_INT(two->obs->ncols, one->obs->ncols);
        bool same = two->obs->nrows == one->obs->nrows &&
                    two->obs->ncols == one->obs->ncols;
        for (size_t r = 0; same && r < one->obs->nrows; r++) {
            same = one->obs->lines[r] == two->obs->lines[r];
            for (size_t j = 0; same && j < one->obs->ncols; j++)
                same = strcmp(alm_table_cell(one->obs, r, (long)j),
                              alm_table_cell(two->obs, r, (long)j)) == 0;
        }
        CHECK(same);
    }
    *out = e2;
    *nrows = two ? two->obs->nrows : 0;
    alm_import_batch_free(one);
    alm_import_batch_free(two);
}

/* A long file of 20,000 rows (series of 40 years), every 997th with a
 * quote that spans two lines, so records cross the batches' boundaries;
 * line k of the file holds row k - 1 until a quote adds a line. With
 * bad_row, row bad_row is replaced by bad. */
static char *long_file(size_t bad_row, const char *bad)
{
    struct alm_buf b = ALM_BUF_INIT;
    alm_buf_puts(&b, "indicator,period,value,quote\r\n");
    for (size_t i = 0; i < 20000; i++) {
        if (i == bad_row) {
            alm_buf_puts(&b, bad);
            continue;
        }
        alm_buf_printf(&b, "s%zu,%zu,%zu.5,%s\n", i / 40, 1980 + i % 40, i,
                       i % 997 == 0 ? "\"two\nlines\"" : "");
    }
    return alm_buf_detach(&b);
}

static void test_two_threads(void)
{
    struct alm_error e;
    size_t n = 0;
    /* 20,000 rows, 21 of them (0, 997, ..., 19940) with a two-line quote. */
    char *t = long_file((size_t)-1, NULL);
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_OK);
    CHECK_INT(n, 20000);
    free(t);
    /* Row 15000 is on line 15000 + 2 + 16 (the quotes of rows 0, 997, ...,
     * 14955 each add a line). */
    const long line15000 = 15000 + 2 + 16;
    t = long_file(15000, "s375,2000,abc,\n");
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_EINPUT);
    CHECK_INT(e.line, line15000);
    CHECK_STR(e.field, "value");
    free(t);
    t = long_file(15000, "s375,2000,\"1\"x,\n");
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_EINPUT);
    CHECK_INT(e.line, line15000);
    CHECK(strstr(e.msg, "malformed quoting") != NULL);
    free(t);
    t = long_file(15000, "s375,2000,1,2,\n");
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_EINPUT);
    CHECK_INT(e.line, line15000);
    CHECK_STR(e.msg, "expected 4 fields as in the header, found 5");
    free(t);
    /* A quote of 65,537 bytes, one over the limit, names its column. */
    struct alm_buf big = ALM_BUF_INIT;
    alm_buf_puts(&big, "s375,2000,1,");
    for (int i = 0; i < 65537; i++)
        alm_buf_putc(&big, 'q');
    alm_buf_putc(&big, '\n');
    t = long_file(15000, big.s);
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_EINPUT);
    CHECK_INT(e.line, line15000);
    CHECK_STR(e.field, "quote");
    CHECK_STR(e.msg, "65537 bytes long; the limit is 65536 bytes");
    free(t);
    alm_buf_release(&big);
    /* A quote left open on row 19999 runs to the end of the file: line
     * 19999 + 2 + 21 (rows 0, 997, ..., 19940 add one each). */
    t = long_file(19999, "s499,2019,1,\"open\n");
    both_ways(t, &e, &n);
    CHECK_INT(e.status, ALM_EINPUT);
    CHECK_INT(e.line, 19999 + 2 + 21);
    CHECK(strstr(e.msg, "unterminated quoted field") != NULL);
    free(t);
}

/* Imports the long file of 20,000 rows into a new dataset at ds, then the
 * same file again (every row present), then its rows under other ids
 * ("s" made "t"); returns the dataset's files. */
static char *import_thrice(const char *ds, const char *path, const char *other)
{
    struct alm_error err;
    struct alm_import_summary sum;
    const struct alm_import_spec spec = {.format = ALM_IMPORT_AUTO,
                                         .kind = "level"};
    alm_error_clear(&err);
    CHECK(alm_dataset_create(ds, &err) == ALM_OK);
    CHECK(import(ds, path, &spec, &sum, &err) == ALM_OK);
    CHECK_INT(sum.appended, 20000);
    CHECK(import(ds, path, &spec, &sum, &err) == ALM_OK);
    CHECK_INT(sum.present, 20000);
    CHECK_INT(sum.appended, 0);
    CHECK(import(ds, other, &spec, &sum, &err) == ALM_OK);
    CHECK_INT(sum.appended, 20000);
    return snapshot(ds);
}

/* Tables whose cells are mapped (as those of 4 MiB and more are), read on
 * two threads, write the same files as small ones: the first import's
 * rows are adopted by the empty table and widened in place, the others
 * appended to it. Row 1234 is s30 in 2014 (1234 / 40, 1980 + 1234 % 40). */
static void test_mapped_tables(void)
{
    char *t = long_file((size_t)-1, NULL);
    char *u = strdup(t);
    for (char *c = u; c && *c; c++)
        if (*c == 's' && (c == u || c[-1] == '\n'))
            *c = 't'; /* the ids at the start of each line */
    char path[128], other[128], a[128], b[128];
    snprintf(path, sizeof path, "%s", tpath("mapped.csv"));
    snprintf(other, sizeof other, "%s", tpath("mapped-t.csv"));
    snprintf(a, sizeof a, "%s", tpath("mapped-a"));
    snprintf(b, sizeof b, "%s", tpath("mapped-b"));
    spit(path, t, strlen(t));
    spit(other, u, strlen(u));
    alm__cells_map_min(1);
    alm__imp_pipe_min(1);
    char *mapped = import_thrice(a, path, other);
    alm__cells_map_min((size_t)4 << 20);
    alm__imp_pipe_min((size_t)4 << 20);
    char *small = import_thrice(b, path, other);
    CHECK(mapped && small && strcmp(mapped, small) == 0);
    CHECK(mapped && strstr(mapped, "\ns30,2014,1234.5,") != NULL);
    CHECK(mapped && strstr(mapped, "\nt30,2014,1234.5,") != NULL);
    free(mapped);
    free(small);
    free(t);
    free(u);
}

int main(void)
{
    alm_init();
    snprintf(tmp, sizeof tmp, "/tmp/almanac-import-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_samples();
    test_r_and_spreadsheets();
    test_every_problem();
    test_shapes();
    test_periods();
    test_variants();
    test_writes();
    test_mapped_tables();
    test_two_threads();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return check_done();
}
