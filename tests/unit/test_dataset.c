/* Tests of dataset reading, validation and vintage selection, on small
 * datasets written by the test into a temporary folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/dataset.h>
#include <almanac/store.h>

#include "../../engine/dataset_internal.h"
#include "../check.h"

static char dir[64];

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static const char *const ind_csv = "id,title,unit,kind,frequency\n"
                                   "s,Share,%,share,A\n"
                                   "g,Growth,%,growth,P\n";
static const char *const src_csv = "id,title,publisher,date\n"
                                   "a,A,P,2023-02-28\n"
                                   "b,B,P,2024-03\n"
                                   "u,Unknown date,P,\n";
static const char *const tgt_csv =
    "indicator,period,value,comparator,baseline,announced,source\n"
    "s,2025,17,>=,2014,2024-03-05,a;b\n";

static struct alm_dataset *load(const char *obs, struct alm_error *err)
{
    struct alm_dataset *ds = NULL;
    put("indicators.csv", ind_csv);
    put("sources.csv", src_csv);
    put("targets.csv", tgt_csv);
    put("observations.csv", obs);
    alm_error_clear(err);
    if (alm_dataset_open(dir, NULL, &ds, err) != ALM_OK)
        return NULL;
    return ds;
}

/* The values of a selected series, joined with spaces. */
static void series_text(const struct alm_dataset *ds, const char *id,
                        long as_of, bool all, char *out, size_t size)
{
    size_t *idx = NULL, n = 0;
    long k = alm_dataset_find_indicator(ds, id);
    out[0] = '\0';
    if (k < 0 ||
        alm_dataset_series(ds, (size_t)k, as_of, all, &idx, &n, NULL) != ALM_OK)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + len, size - len, "%s%s", i ? " " : "",
                         ds->obs[idx[i]].value_text);
        len += (size_t)w;
    }
    free(idx);
}

static void test_vintages(void)
{
    struct alm_error err;
    char text[256];
    /* 2021 has three vintages: 12.2 (2022-03), 12.4 (2023-02), and 12.5
     * with no vintage of its own, so its source b's date 2024-03 counts.
     * 2022 has two figures of one vintage: the qualified one loses. */
    struct alm_dataset *ds =
        load("indicator,period,value,qualifier,status,source,vintage,quote\n"
             "s,2014,7.6,,,a,2023-01,\n"
             "s,2021,12.4,,,a,2023-02,revised\n"
             "s,2021,12.2,,P,a,2022-03,first\n"
             "s,2021,12.5,,,b,,\n"
             "s,2022,13,>,,a,2023-05,\n"
             "s,2022,13.1,,,b,2023-05,\n"
             "g,2024-01/2024-02,7.5,,,a,,\n",
             &err);
    CHECK_AT(ds != NULL, "%s", err.msg);
    if (!ds)
        return;
    CHECK_INT(ds->nobs, 7);
    long d;
    alm_date_parse("2024-03", &d, NULL);
    CHECK_INT(ds->latest, d); /* from source b's date */

    series_text(ds, "s", ALM_DATE_NONE, false, text, sizeof text);
    CHECK_STR(text, "7.6 12.5 13.1");
    alm_date_parse("2023-03-01", &d, NULL);
    series_text(ds, "s", d, false, text, sizeof text);
    CHECK_STR(text, "7.6 12.4");
    alm_date_parse("2022-12", &d, NULL);
    series_text(ds, "s", d, false, text, sizeof text);
    CHECK_STR(text, "12.2");
    series_text(ds, "s", ALM_DATE_NONE, true, text, sizeof text);
    CHECK_STR(text, "7.6 12.2 12.4 12.5 13 13.1");
    /* The vintage of g is its source's date, 2023-02-28. */
    long k = alm_dataset_find_indicator(ds, "g");
    CHECK_INT(k, 1);
    CHECK_INT(ds->obs[6].vintage, alm_days_from_civil(2023, 2, 28));
    CHECK_INT(ds->ntgt, 1);
    CHECK_INT(ds->tgt[0].direction, 1);
    CHECK(ds->tgt[0].has_baseline);
    alm_dataset_free(ds);
}

struct tally {
    int errors, warnings;
    char first[600];
};

static void on_problem(void *ctx, const struct alm_error *e, bool warning)
{
    struct tally *t = ctx;
    if (warning) {
        t->warnings++;
        return;
    }
    if (t->errors++ == 0)
        alm_error_format(e, t->first, sizeof t->first);
}

static void test_problems(void)
{
    struct alm_error err;
    struct tally t = {0, 0, ""};
    struct alm_problem_sink report = {on_problem, &t};
    struct alm_dataset *ds = NULL;
    put("observations.csv",
        "indicator,period,value,qualifier,status,source,vintage\n"
        "s,2014,7.6,,,a,2023-01\n" /* line 2: fine */
        "s,2014,7.6,,,a,2023-01\n" /* 3: duplicate of line 2 */
        "s,2015,140,,,a,\n"        /* 4: a share over 100 */
        "x,2015,1,,,a,\n"          /* 5: unknown indicator */
        "s,2016,1,,,zz,\n"         /* 6: unknown source */
        "s,2017,1,about,,a,\n"     /* 7: bad qualifier */
        "s,2018,1,,X,a,\n"         /* 8: bad status */
        "s,2019-03,1,,,a,\n"       /* 9: a month for an annual series */
        "s,2020,nan,,,a,\n"        /* 10: not a number */
        "s,2021,1,,,u,\n"          /* 11: warning: no date at all */
        "s,2022,1,,,a,2024-13\n"); /* 12: bad vintage */
    alm_error_clear(&err);
    CHECK(alm_dataset_open(dir, &report, &ds, &err) == ALM_EINPUT);
    CHECK(ds == NULL);
    CHECK_INT(t.errors, 9);
    CHECK_INT(t.warnings, 1);
    /* Rows are checked one by one, then duplicates across rows: the first
     * problem reported is the share on line 4. */
    CHECK_INT(err.line, 4);
    CHECK(strstr(t.first, "observations.csv:4: field 'value': a share") !=
          NULL);

    /* Without a report, the first problem stops the read. */
    put("observations.csv", "indicator,period,value\n"
                            "s,2014,7.6\n"
                            "s,2015,-1\n");
    alm_error_clear(&err);
    CHECK(alm_dataset_open(dir, NULL, &ds, &err) == ALM_EINPUT);
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "value");
    CHECK(strstr(err.msg, "from 0 to 100") != NULL);
}

/* Rows in runs of one indicator, source and vintage, broken anywhere:
 * each row gets its own indicator and vintage, and an unknown indicator
 * after a run of a known one is still unknown. */
static void test_runs(void)
{
    struct alm_error err;
    struct alm_dataset *ds =
        load("indicator,period,value,qualifier,status,source,vintage\n"
             "s,2014,1,,,a,2023-01\n"
             "s,2015,2,,,a,2023-01\n"
             "g,2015-01/2015-02,3,,,a,2023-01\n"
             "s,2016,4,,,b,2023-01\n"
             "s,2017,5,,,b,2023-06\n"
             "g,2016-01/2016-02,6,,,b,\n"
             "g,2017-01/2017-02,7,,,a,\n"
             "s,2018,8,,,a,2023-06\n",
             &err);
    CHECK_AT(ds != NULL, "%s", err.msg);
    if (!ds)
        return;
    static const char ids[] = "ssgssggs";
    const long jan = alm_days_from_civil(2023, 1, 31);
    const long jun = alm_days_from_civil(2023, 6, 30);
    const long a = alm_days_from_civil(2023, 2, 28);
    const long b = alm_days_from_civil(2024, 3, 31);
    const long vintage[] = {jan, jan, jan, jan, jun, b, a, jun};
    CHECK_INT(ds->nobs, 8);
    for (size_t i = 0; i < 8 && i < ds->nobs; i++) {
        CHECK_AT(ds->ind[ds->obs[i].ind].id[0] == ids[i], "row %zu: %s", i,
                 ds->ind[ds->obs[i].ind].id);
        CHECK_AT(ds->obs[i].vintage == vintage[i], "row %zu: vintage %ld", i,
                 ds->obs[i].vintage);
    }
    alm_dataset_free(ds);
    ds = load("indicator,period,value\n"
              "s,2014,1\n"
              "s,2015,2\n"
              "x,2016,3\n",
              &err);
    CHECK(ds == NULL);
    CHECK_INT(err.line, 4);
    CHECK_STR(err.field, "indicator");
    CHECK_STR(err.msg, "unknown indicator 'x': create it with 'almanac "
                       "indicator add'");
    /* A row of a known indicator that fails, then an unknown one: two
     * problems. */
    struct tally t = {0, 0, ""};
    struct alm_problem_sink report = {on_problem, &t};
    put("observations.csv", "indicator,period,value\n"
                            "s,2014,1\n"
                            "s,2015-01,2\n"
                            "sx,2016,3\n");
    alm_error_clear(&err);
    CHECK(alm_dataset_open(dir, &report, &ds, &err) == ALM_EINPUT);
    CHECK(ds == NULL);
    CHECK_INT(t.errors, 2);
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "period");
}

static void test_add_and_import(void)
{
    struct alm_error err;
    struct alm_dataset *ds = load("indicator,period,value,source\n"
                                  "s,2014,7.6,a\n",
                                  &err);
    alm_dataset_free(ds);
    struct alm_obs_input in = {"s", "2015", "8", NULL, NULL,
                               "b", NULL,   "q", NULL};
    alm_error_clear(&err);
    CHECK(alm_dataset_add(dir, &in, &err) == ALM_OK);
    in.period = "2015-02";
    alm_error_clear(&err);
    CHECK(alm_dataset_add(dir, &in, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--period");
    CHECK_STR(err.file, "");

    const char *csv = "indicator,period,value,note\n"
                      "s,2016,8.5,hello\n"
                      "new,2024-Q1,3,\n"
                      "new,2024-Q2,4,\n";
    struct alm_table *t = NULL;
    alm_error_clear(&err);
    CHECK(alm_table_parse(csv, strlen(csv), "in.csv", &t, &err) == ALM_OK);
    struct alm_import_opts opts = {.vintage = "2024-06-30"};
    struct alm_import_result res = {0};
    CHECK(alm_dataset_import(dir, t, &opts, &res, &err) == ALM_OK);
    CHECK_INT(res.observations, 3);
    CHECK_INT(res.indicators, 1);
    /* Importing the same rows again duplicates them: nothing is written. */
    alm_error_clear(&err);
    CHECK(alm_dataset_import(dir, t, &opts, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 2);
    alm_table_free(t);

    alm_error_clear(&err);
    CHECK(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK);
    if (!ds)
        return;
    CHECK_INT(ds->nobs, 5);
    long k = alm_dataset_find_indicator(ds, "new");
    CHECK(k >= 0 && ds->ind[k].freq == 'Q' &&
          ds->ind[k].kind == ALM_KIND_VALUE);
    CHECK_STR(alm_obs_cell(ds, &ds->obs[2], "note"), "hello");
    CHECK_STR(alm_obs_cell(ds, &ds->obs[2], "vintage"), "2024-06-30");
    CHECK_STR(alm_obs_cell(ds, &ds->obs[0], "note"), "");
    alm_dataset_free(ds);
}

/* Imports csv (file "in.csv") into the dataset of obs; returns the status
 * with err filled, and checks that a failure leaves observations.csv as it
 * was. */
static enum alm_status import_into(const char *obs, const char *csv,
                                   struct alm_error *err)
{
    struct alm_dataset *ds = load(obs, err);
    alm_dataset_free(ds);
    struct alm_table *t = NULL;
    alm_error_clear(err);
    if (alm_table_parse(csv, strlen(csv), "in.csv", &t, err) != ALM_OK)
        return ALM_EBUG;
    struct alm_import_opts opts = {.vintage = NULL};
    struct alm_import_result res = {0};
    enum alm_status st = alm_dataset_import(dir, t, &opts, &res, err);
    alm_table_free(t);
    char path[128], text[512] = "";
    snprintf(path, sizeof path, "%s/observations.csv", dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    if (st != ALM_OK)
        CHECK_STR(text, obs);
    return st;
}

/* An import validates only the rows it adds against the dataset (whose
 * rows reading validated): each problem is the one, at the file, line and
 * field, that validating the whole dataset reports (the messages of
 * test_problems, with in.csv's lines). */
static void test_import_checks_new_rows(void)
{
    struct alm_error err;
    const char *obs = "indicator,period,value,source\n"
                      "s,2014,7.6,a\n"
                      "s,2015,7.9,a\n"
                      "g,2014-01/2014-06,2.5,b\n";
    /* A share above 100 on in.csv's line 3 (s is a share). */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2016,8,a\n"
                          "s,2017,101,a\n",
                          &err),
              ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "value");
    CHECK(strstr(err.msg, "from 0 to 100") != NULL);
    /* A period that does not fit s's frequency A. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2016-Q1,8,a\n",
                          &err),
              ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 2);
    CHECK_STR(err.field, "period");
    CHECK_STR(err.msg,
              "period '2016-Q1' does not fit indicator 's' of frequency A");
    /* A source the dataset lacks. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2016,8,zz\n",
                          &err),
              ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 2);
    CHECK_STR(err.field, "source");
    /* Each row's own checks come before duplicates across rows, as for
     * the whole dataset: the bad value on line 3 is reported, not the
     * figure of line 2 that the dataset has already. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2015,8,a\n"
                          "s,2016,-1,a\n",
                          &err),
              ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "value");
    /* A figure the dataset has from the same source and vintage, reported
     * at in.csv's line, naming the dataset's. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "g,2014-07/2014-12,1,b\n"
                          "s,2015,8,a\n",
                          &err),
              ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 3);
    char want[300];
    snprintf(want, sizeof want,
             "duplicate observation: s 2015 from 'a' with this vintage is "
             "already on line 3 of %s/observations.csv",
             dir);
    CHECK_STR(err.msg, want);
    /* Two new rows of one figure: the second names the first's line. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2020,8,b\n"
                          "s,2020,9,b\n",
                          &err),
              ALM_EINPUT);
    CHECK_INT(err.line, 3);
    CHECK(strstr(err.msg, "already on line 2 of in.csv") != NULL);
    /* Valid rows, one for an indicator it creates: the dataset reads back
     * with the rows before, then the new ones grouped by indicator. */
    CHECK_INT(import_into(obs,
                          "indicator,period,value,source\n"
                          "s,2016,8.1,a\n"
                          "fresh,2020,3,b\n"
                          "g,2014-07/2014-12,1,b\n",
                          &err),
              ALM_OK);
    struct alm_dataset *ds = NULL;
    alm_error_clear(&err);
    CHECK(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK);
    if (!ds)
        return;
    CHECK_INT(ds->nobs, 6);
    CHECK_INT(ds->nind, 3);
    /* s's rows, g's, then fresh's (README, "Row order"). */
    static const char *const want_rows[6][2] = {{"s", "7.6"}, {"s", "7.9"},
                                                {"s", "8.1"}, {"g", "2.5"},
                                                {"g", "1"},   {"fresh", "3"}};
    for (size_t i = 0; i < 6 && i < ds->nobs; i++) {
        CHECK_STR(ds->ind[ds->obs[i].ind].id, want_rows[i][0]);
        CHECK_STR(ds->obs[i].value_text, want_rows[i][1]);
    }
    alm_dataset_free(ds);
}

/* The in.csv of n rows of new indicators v00000, v00001, ... (row i of
 * indicator i % k), period 1000 + i / k, value 1; row dup (if below n)
 * repeats row 0, and row bad (if below n) has the value "x". */
static char *many_rows(size_t n, size_t k, size_t dup, size_t bad)
{
    size_t cap = 64 + n * 32, len = 0;
    char *csv = malloc(cap);
    if (!csv)
        return NULL;
    len += (size_t)snprintf(csv, cap, "indicator,period,value\n");
    for (size_t i = 0; i < n; i++) {
        size_t r = i == dup ? 0 : i;
        len += (size_t)snprintf(csv + len, cap - len, "v%05zu,%zu,%s\n", r % k,
                                1000 + r / k, i == bad ? "x" : "1");
    }
    return csv;
}

/* Rows are validated a stretch of 65,536 at a time: a duplicate of rows
 * in different stretches is found, after every row's own checks (a bad
 * value in a later stretch comes first), whatever the rows' order. Line
 * numbers: row i is on line i + 2 of in.csv. */
static void test_import_stretches(void)
{
    struct alm_error err;
    const char *obs = "indicator,period,value,source\n"
                      "s,2014,7.6,a\n";
    /* 70,000 indicators of one row each, the last repeating the first. */
    char *csv = many_rows(70000, 70000, 69999, (size_t)-1);
    CHECK_INT(import_into(obs, csv, &err), ALM_EINPUT);
    CHECK_STR(err.file, "in.csv");
    CHECK_INT(err.line, 70001);
    CHECK_STR(err.msg, "duplicate observation: v00000 1000 from '' with "
                       "this vintage is already on line 2 of in.csv");
    free(csv);
    /* The same with a bad value on the last line but one: it is the
     * first problem. */
    csv = many_rows(70000, 70000, 69999, 69998);
    CHECK_INT(import_into(obs, csv, &err), ALM_EINPUT);
    CHECK_INT(err.line, 70000);
    CHECK_STR(err.field, "value");
    free(csv);
    /* Rows period by period rather than series by series (8 indicators,
     * 8,750 periods): valid, then with row 0 repeated last. */
    csv = many_rows(70000, 8, (size_t)-1, (size_t)-1);
    CHECK_INT(import_into(obs, csv, &err), ALM_OK);
    free(csv);
    csv = many_rows(70000, 8, 69999, (size_t)-1);
    CHECK_INT(import_into(obs, csv, &err), ALM_EINPUT);
    CHECK_INT(err.line, 70001);
    CHECK(strstr(err.msg, "already on line 2 of in.csv") != NULL);
    free(csv);
}

/* The text of the file name in the dataset folder (static buffer). */
static const char *slurp(const char *name)
{
    static char text[4096];
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    return text;
}

/* alm_dataset_edit: several edits in one write, each edit seeing the rows
 * of the ones before; a failure writes nothing and names the option; set
 * changes only the fields given. */
/* A write whose text reading would refuse is not made, though the text
 * is not parsed back: a cell of invalid UTF-8, a field over the limit, a
 * column named twice. observations.csv stays as it was. */
static void test_commit_refuses_unreadable(void)
{
    const char *obs = "indicator,period,value,source\n"
                      "s,2014,7.6,a\n";
    static char big[ALM_CSV_FIELD_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    /* cell (row 0): a bad byte, one byte over the limit, and a column
     * renamed to one already there (the header is heap text). */
    const char *cells[3] = {"bad \xff byte", big, NULL};
    const char *why[3] = {"invalid UTF-8", "a field longer than the limit",
                          "a column named twice"};
    for (int k = 0; k < 3; k++) {
        struct alm_error err;
        struct alm_dataset *ds = load(obs, &err);
        alm_dataset_free(ds);
        struct alm_lock *lock = NULL;
        alm_error_clear(&err);
        CHECK(alm_store_lock(dir, true, &lock, &err) == ALM_OK);
        ds = NULL;
        CHECK(alm_dataset_read(dir, NULL, &ds, &err) == ALM_OK);
        if (!ds || !lock) {
            alm_store_unlock(lock);
            return;
        }
        struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
        if (cells[k]) {
            CHECK(alm_table_set(t, 0, 3, cells[k]) == ALM_OK);
        } else {
            char *name = malloc(sizeof "period");
            if (name)
                memcpy(name, "period", sizeof "period");
            free(t->header[3]);
            t->header[3] = name;
        }
        enum alm_table_id which[1] = {ALM_T_OBSERVATIONS};
        alm_error_clear(&err);
        CHECK_INT(alm__commit_tables(ds, lock, which, 1, "test", 1, &err),
                  ALM_EBUG);
        CHECK(strstr(err.msg, "cannot be read back: observations.csv") != NULL);
        CHECK(strstr(err.msg, why[k]) != NULL);
        alm_dataset_free(ds);
        alm_store_unlock(lock);
        CHECK_STR(slurp("observations.csv"), obs);
    }
}

static void test_edit(void)
{
    struct alm_error err;
    struct alm_dataset *ds = load("indicator,period,value,source\n"
                                  "s,2014,7.6,a\n",
                                  &err);
    alm_dataset_free(ds);
    const struct alm_field ind[] = {{"id", "r", "--id"},
                                    {"title", "Robots", "--title"},
                                    {"unit", "units", "--unit"},
                                    {"kind", "level", "--kind"},
                                    {"frequency", "A", "--frequency"}};
    const struct alm_field obs[] = {{"indicator", "r", "--indicator"},
                                    {"period", "2023", "--period"},
                                    {"value", "283000", "--value"},
                                    {"source", "a", "--source"}};
    struct alm_edit ed[] = {{ALM_T_INDICATORS, NULL, ind, 5, false},
                            {ALM_T_OBSERVATIONS, NULL, obs, 4, false}};
    alm_error_clear(&err);
    CHECK(alm_dataset_edit(dir, ed, 2, &err) == ALM_OK);
    CHECK_STR(slurp("indicators.csv"), "id,title,unit,kind,frequency\n"
                                       "s,Share,%,share,A\n"
                                       "g,Growth,%,growth,P\n"
                                       "r,Robots,units,level,A\n");
    CHECK_STR(slurp("observations.csv"), "indicator,period,value,source\n"
                                         "s,2014,7.6,a\n"
                                         "r,2023,283000,a\n");
    /* The same again: the indicator is a duplicate; nothing is written. */
    alm_error_clear(&err);
    CHECK(alm_dataset_edit(dir, ed, 2, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--id");
    CHECK_STR(err.file, "");
    CHECK_STR(slurp("observations.csv"), "indicator,period,value,source\n"
                                         "s,2014,7.6,a\n"
                                         "r,2023,283000,a\n");
    /* set: a kind the observations break is refused at their line; a
     * title is changed, the other fields kept. */
    const struct alm_field share[] = {{"kind", "share", "--kind"}};
    const struct alm_edit bad = {ALM_T_INDICATORS, "r", share, 1, false};
    alm_error_clear(&err);
    CHECK(alm_dataset_edit(dir, &bad, 1, &err) == ALM_EINPUT);
    CHECK_INT(err.line, 3);
    CHECK_STR(err.field, "value");
    const struct alm_field title[] = {{"title", "Robot output", "--title"}};
    const struct alm_edit good = {ALM_T_INDICATORS, "r", title, 1, false};
    alm_error_clear(&err);
    CHECK(alm_dataset_edit(dir, &good, 1, &err) == ALM_OK);
    CHECK_STR(slurp("indicators.csv"), "id,title,unit,kind,frequency\n"
                                       "s,Share,%,share,A\n"
                                       "g,Growth,%,growth,P\n"
                                       "r,Robot output,units,level,A\n");
    const struct alm_edit missing = {ALM_T_SOURCES, "zz", title, 1, false};
    alm_error_clear(&err);
    CHECK(alm_dataset_edit(dir, &missing, 1, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "almanac source add") != NULL);
}

/* The dataset's quick period order is alm_period_compare's, on every pair
 * of periods of every kind, overlapping and not. */
static void test_period_order(void)
{
    static const char *const texts[] = {"2023",
                                        "2024",
                                        "2024-Q1",
                                        "2024-Q4",
                                        "2024-01",
                                        "2024-03",
                                        "2024-12",
                                        "2024-03-26",
                                        "2024-03-01",
                                        "2024-12-31",
                                        "2024-01-01",
                                        "2024-01/2024-02",
                                        "2024-03/2024-05",
                                        "2025-02-28",
                                        "2023-12"};
    size_t n = sizeof texts / sizeof texts[0];
    struct alm_period p[sizeof texts / sizeof texts[0]];
    for (size_t i = 0; i < n; i++)
        CHECK(alm_period_parse(texts[i], &p[i], NULL) == ALM_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            CHECK_AT(alm__period_cmp(&p[i], &p[j]) ==
                         alm_period_compare(&p[i], &p[j]),
                     "%s against %s", texts[i], texts[j]);
}

int main(void)
{
    alm_init();
    snprintf(dir, sizeof dir, "/tmp/almanac-test-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_vintages();
    test_problems();
    test_runs();
    test_add_and_import();
    test_import_checks_new_rows();
    test_import_stretches();
    test_commit_refuses_unreadable();
    test_edit();
    test_period_order();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
