/* Tests of corrections and retractions: what selection keeps as of each
 * date, the whole story of show --vintages, check's messages for
 * malformed amendments, and alm_dataset_amend's rows, on small datasets
 * written by the test. Every expected series is written out by hand from
 * the rows above it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/dataset.h>

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

static char *slurp(const char *name)
{
    static char buf[4096];
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static long day(const char *text)
{
    long d = ALM_DATE_NONE;
    alm_date_parse(text, &d, NULL);
    return d;
}

static struct alm_dataset *load(const char *obs, struct alm_error *err)
{
    struct alm_dataset *ds = NULL;
    put("indicators.csv", "id,title,unit,kind,frequency\n"
                          "s,Share,%,share,A\n");
    put("sources.csv", "id,title,publisher,date\n"
                       "a,A,P,2023-02-28\n"
                       "b,B,P,2024-03-20\n");
    put("targets.csv", "indicator,period,value,comparator\n");
    put("observations.csv", obs);
    char log[128];
    snprintf(log, sizeof log, "%s/changes.log", dir);
    unlink(log);
    alm_error_clear(err);
    if (alm_dataset_open(dir, NULL, &ds, err) != ALM_OK)
        return NULL;
    return ds;
}

/* The values selected (mode 0 series, 1 all vintages, 2 history),
 * joined with spaces. */
static void values(const struct alm_dataset *ds, long as_of, int mode,
                   char *out, size_t size)
{
    size_t *idx = NULL, n = 0;
    out[0] = '\0';
    enum alm_status st =
        mode == 2 ? alm_dataset_history(ds, 0, as_of, &idx, &n, NULL)
                  : alm_dataset_series(ds, 0, as_of, mode == 1, &idx, &n, NULL);
    if (st != ALM_OK)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "",
                                ds->obs[idx[i]].value_text);
    free(idx);
}

/* The story of one dataset, row by row:
 *   2014 7.6 (vintage 2023-01), retracted on 2024-05-01;
 *   2021 12.2 (vintage 2022-03), and 12.4 (vintage 2023-02) corrected
 *        to 12.5 on 2024-04-01, then to 12.6 on 2024-06-01;
 *   2022 13 (vintage of source a, 2023-02-28), corrected twice on one
 *        day, 2024-04-10: 13.1, then 13.2 (the later row wins);
 *   2023 14 (vintage 2024-01), retracted on 2024-04-20, falling back to
 *        nothing, and 2023 13.9 (vintage 2023-12) left. */
static const char *const story =
    "indicator,period,value,qualifier,status,source,vintage,quote,"
    "correction,recorded,note\n"
    "s,2014,7.6,,,a,2023-01,q,,,\n"
    "s,2021,12.4,,,a,2023-02,,,,\n"
    "s,2021,12.2,,P,a,2022-03,,,,\n"
    "s,2022,13,,,a,,,,,\n"
    "s,2023,13.9,,,a,2023-12,,,,\n"
    "s,2023,14,,,a,2024-01,,,,\n"
    "s,2021,12.6,,,b,2023-02,,correct,2024-06-01,second look\n"
    "s,2021,12.5,,,a,2023-02,,correct,2024-04-01,typo\n"
    "s,2014,7.6,,,a,2023-01,,retract,2024-05-01,not this indicator\n"
    "s,2022,13.1,,,a,2023-02-28,,correct,2024-04-10,x\n"
    "s,2022,13.2,,,a,2023-02-28,,correct,2024-04-10,y\n"
    "s,2023,14,,,a,2024-01,,retract,2024-04-20,never published\n";

static void test_selection(void)
{
    struct alm_error err;
    char text[256];
    struct alm_dataset *ds = load(story, &err);
    CHECK_AT(ds != NULL, "%s", err.msg);
    if (!ds)
        return;
    /* The default as-of is the latest date of any kind: 2024-06-01. */
    CHECK_INT(ds->latest, day("2024-06-01"));
    CHECK_INT(ds->obs[6].amend, ALM_AMEND_CORRECT);
    CHECK_INT(ds->obs[8].amend, ALM_AMEND_RETRACT);
    CHECK_INT(ds->obs[0].amend, 0);
    CHECK_INT(alm_obs_recorded(ds, &ds->obs[7]), day("2024-04-01"));
    CHECK_INT(alm_obs_recorded(ds, &ds->obs[0]), ALM_DATE_NONE);

    /* Before every amendment: the figures as published. */
    values(ds, day("2024-03-31"), 0, text, sizeof text);
    CHECK_STR(text, "7.6 12.4 13 14");
    /* 2024-04-01: 2021 corrected to 12.5. */
    values(ds, day("2024-04-01"), 0, text, sizeof text);
    CHECK_STR(text, "7.6 12.5 13 14");
    /* 2024-04-10: 2022 corrected twice that day, the later row wins. */
    values(ds, day("2024-04-10"), 0, text, sizeof text);
    CHECK_STR(text, "7.6 12.5 13.2 14");
    /* 2024-04-20: 2023's vintage 2024-01 retracted: 2023-12's 13.9. */
    values(ds, day("2024-04-20"), 0, text, sizeof text);
    CHECK_STR(text, "7.6 12.5 13.2 13.9");
    /* 2024-05-01: 2014 retracted, no other vintage: gone. */
    values(ds, day("2024-05-01"), 0, text, sizeof text);
    CHECK_STR(text, "12.5 13.2 13.9");
    /* 2024-06-01 and no limit: 2021 is 12.6. */
    values(ds, day("2024-06-01"), 0, text, sizeof text);
    CHECK_STR(text, "12.6 13.2 13.9");
    values(ds, ALM_DATE_NONE, 0, text, sizeof text);
    CHECK_STR(text, "12.6 13.2 13.9");
    /* An as-of before a vintage still leaves that vintage out. */
    values(ds, day("2023-12-31"), 0, text, sizeof text);
    CHECK_STR(text, "7.6 12.4 13 13.9");

    /* Every vintage, each as corrected, retracted ones left out. */
    values(ds, day("2024-03-31"), 1, text, sizeof text);
    CHECK_STR(text, "7.6 12.2 12.4 13 13.9 14");
    values(ds, ALM_DATE_NONE, 1, text, sizeof text);
    CHECK_STR(text, "12.2 12.6 13.2 13.9");

    /* The whole story: per period and vintage, the figure, then its
     * amendments in the order recorded (same day: file order). */
    values(ds, ALM_DATE_NONE, 2, text, sizeof text);
    CHECK_STR(text, "7.6 7.6 12.2 12.4 12.5 12.6 13 13.1 13.2 13.9 14 14");
    values(ds, day("2024-04-15"), 2, text, sizeof text);
    CHECK_STR(text, "7.6 12.2 12.4 12.5 13 13.1 13.2 13.9 14");
    alm_dataset_free(ds);
}

struct tally {
    int errors, warnings;
    char all[2048];
};

static void on_problem(void *ctx, const struct alm_error *e, bool warning)
{
    struct tally *t = ctx;
    char line[400];
    if (warning) {
        t->warnings++;
        return;
    }
    t->errors++;
    alm_error_format(e, line, sizeof line);
    size_t len = strlen(t->all);
    snprintf(t->all + len, sizeof t->all - len, "%s\n", line);
}

static void test_check(void)
{
    struct tally t = {0, 0, ""};
    struct alm_problem_sink report = {on_problem, &t};
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    /* A dataset holding amendments checks, with no warning: a correction
     * is neither a duplicate nor a second source's figure. */
    alm_dataset_free(load(story, &err));
    alm_error_clear(&err);
    CHECK(alm_dataset_read(dir, &report, &ds, &err) == ALM_OK);
    CHECK_INT(t.errors, 0);
    CHECK_INT(t.warnings, 0);
    alm_dataset_free(ds);
    ds = NULL;

    put("observations.csv",
        "indicator,period,value,source,vintage,correction,recorded,note\n"
        "s,2021,12.4,a,2023-02,,,\n"                    /* 2: a figure */
        "s,2021,12.5,a,2023-02,fix,2024-04-01,x\n"      /* 3: unknown */
        "s,2021,12.5,a,2023-02,correct,,x\n"            /* 4: no date */
        "s,2021,12.5,a,2023-02,correct,2024-13-01,x\n"  /* 5: bad date */
        "s,2021,12.5,a,2023-02,correct,2023-01-31,x\n"  /* 6: too early */
        "s,2021,12.5,,2023-02,correct,2024-04-01,\n"    /* 7: no why */
        "s,2021,12.4,a,2023-02,retract,2024-04-01,\n"   /* 8: no reason */
        "s,2021,12.4,a,2023-02,,2024-04-01,\n"          /* 9: a figure dated */
        "s,2020,12,a,2023-02,correct,2024-04-01,x\n"    /* 10: no figure */
        "s,2021,12.4,a,2023-02,retract,2024-04-02,y\n"  /* 11: fine */
        "s,2021,12.7,a,2023-02,correct,2024-04-03,z\n"  /* 12: after it */
        "s,2021,12.4,a,2023-09,correct,2024-04-03,z\n"  /* 13: no vintage */
        "s,2021,140,a,2023-02,correct,2024-04-03,z\n"); /* 14: a share */
    alm_error_clear(&err);
    CHECK(alm_dataset_read(dir, &report, &ds, &err) == ALM_EINPUT);
    CHECK(ds == NULL);
    CHECK_INT(t.errors, 11);
    CHECK_INT(t.warnings, 0);
    const char *want_dir =
        "@/observations.csv:3: field 'correction': unknown "
        "correction 'fix': expected empty (a figure), correct or "
        "retract\n"
        "@/observations.csv:4: field 'recorded': a correction needs "
        "the date it was recorded (YYYY-MM-DD)\n"
        "@/observations.csv:5: field 'recorded': month 13 does not "
        "exist in '2024-13-01'\n"
        "@/observations.csv:6: field 'recorded': recorded "
        "2023-01-31 is before the vintage 2023-02 of the figure it "
        "amends\n"
        "@/observations.csv:7: field 'note': a correction needs the "
        "source that corrects it or a note why\n"
        "@/observations.csv:8: field 'note': a retraction needs its "
        "reason in note\n"
        "@/observations.csv:9: field 'recorded': a recorded date "
        "belongs to a correction or a retraction: give correction "
        "'correct' or 'retract', or empty recorded\n"
        "@/observations.csv:14: field 'value': a share is a percent "
        "from 0 to 100, got 140\n"
        "@/observations.csv:10: field 'vintage': no figure of s for "
        "2020 with vintage 2023-02 to correct: 'almanac show -d @ s "
        "--vintages' lists its figures\n"
        "@/observations.csv:12: field 'correction': s 2021 with "
        "vintage 2023-02 was retracted on 2024-04-02 (line 11): a "
        "retracted figure is not corrected again\n"
        "@/observations.csv:13: field 'vintage': no figure of s for "
        "2021 with vintage 2023-09 to correct: 'almanac show -d @ s "
        "--vintages' lists its figures\n";
    /* '@' stands for the dataset's folder. */
    char want[2048];
    size_t w = 0;
    for (const char *p = want_dir; *p && w + sizeof dir < sizeof want; p++)
        if (*p == '@')
            w += (size_t)snprintf(want + w, sizeof want - w, "%s", dir);
        else
            want[w++] = *p;
    want[w] = '\0';
    CHECK_STR(t.all, want);
}

static void test_amend(void)
{
    struct alm_error err;
    struct alm_amend_result res;
    struct alm_dataset *ds = load("indicator,period,value,source,vintage\n"
                                  "s,2021,12.4,a,2023-02\n"
                                  "s,2021,12.2,a,2022-03\n"
                                  "s,2022,13,a,\n",
                                  &err);
    alm_dataset_free(ds);
    /* Two vintages of 2021: which one must be said. */
    struct alm_amendment a = {.indicator = "s",
                              .period = "2021",
                              .value = "12.5",
                              .note = "typo",
                              .recorded = "2024-04-01"};
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &a, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--vintage");
    CHECK_STR(err.msg, "s 2021 has figures of 2 vintages (2022-03, "
                       "2023-02): give --vintage to say which");
    /* A vintage the period lacks: its vintages are listed. */
    a.vintage = "2023-03";
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &a, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--vintage");
    CHECK(strstr(err.msg, "its vintages: 2022-03, 2023-02") != NULL);
    /* A period without figures. */
    a.period = "2019";
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &a, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--period");
    CHECK(strncmp(err.msg, "no figure of s for 2019:", 24) == 0);
    /* Nothing was written by the failures. */
    CHECK_STR(slurp("observations.csv"), "indicator,period,value,source,"
                                         "vintage\n"
                                         "s,2021,12.4,a,2023-02\n"
                                         "s,2021,12.2,a,2022-03\n"
                                         "s,2022,13,a,\n");
    a.period = "2021";
    a.vintage = "2023-02";
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_amend(dir, &a, &res, &err) == ALM_OK, "%s", err.msg);
    CHECK_STR(res.vintage, "2023-02");
    CHECK_STR(res.value, "12.5");
    /* 2022's vintage is its source's date, written out in the row; a
     * retraction repeats the value and source it withdraws. */
    struct alm_amendment r = {.retract = true,
                              .indicator = "s",
                              .period = "2022",
                              .note = "not published",
                              .recorded = "2024-04-02"};
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_amend(dir, &r, &res, &err) == ALM_OK, "%s", err.msg);
    CHECK_STR(res.vintage, "2023-02-28");
    CHECK_STR(slurp("observations.csv"),
              "indicator,period,value,source,vintage,correction,recorded,"
              "note\n"
              "s,2021,12.4,a,2023-02,,,\n"
              "s,2021,12.2,a,2022-03,,,\n"
              "s,2022,13,a,,,,\n"
              "s,2021,12.5,a,2023-02,correct,2024-04-01,typo\n"
              "s,2022,13,a,2023-02-28,retract,2024-04-02,not published\n");
    /* A retracted figure is not corrected, nor retracted, again. */
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &r, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.msg, "s 2022 with vintage 2023-02-28 was retracted: a "
                       "retracted figure is not retracted again");
    /* A correction recorded before the figure's vintage. */
    a.recorded = "2023-01-01";
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &a, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--recorded");
    /* Neither source nor note. */
    a.recorded = "2024-05-01";
    a.note = NULL;
    alm_error_clear(&err);
    CHECK(alm_dataset_amend(dir, &a, &res, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--source");
    /* The log has one line per amendment, named by the command. */
    char *log = slurp("changes.log");
    CHECK(strstr(log, "\tcorrect\t1\t") != NULL);
    CHECK(strstr(log, "\tretract\t1\t") != NULL);
}

int main(void)
{
    alm_init();
    snprintf(dir, sizeof dir, "/tmp/almanac-test-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_selection();
    test_check();
    test_amend();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
