/* Tests of target tracking against hand calculations: every expected
 * figure is worked out in the comment beside it (or in R where named). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/track.h>

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

/* Writes a one-indicator dataset and assesses its targets. */
static struct alm_track *run(const char *kind, const char *obs,
                             const char *targets, const char *method,
                             const char *as_of, size_t *n)
{
    char ind[160];
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    struct alm_track *a = NULL;
    snprintf(ind, sizeof ind, "id,title,unit,kind,frequency\nx,X,%%,%s,A\n",
             kind);
    put("indicators.csv", ind);
    put("sources.csv", "id,title,publisher,date\ns,S,P,2024-01-01\n");
    put("observations.csv", obs);
    put("targets.csv", targets);
    alm_error_clear(&err);
    if (alm_dataset_open(dir, NULL, &ds, &err) != ALM_OK) {
        CHECK_AT(false, "dataset: %s", err.msg);
        return NULL;
    }
    struct alm_track_opts o = {
        ALM_TRACK_EUROSTAT, NULL, {ALM_MODEL_LINEAR, 0}, 95, ALM_DATE_NONE};
    alm_track_method_parse(method, &o.method, NULL);
    alm_dataset_as_of(ds, as_of, &o.as_of, NULL);
    *n = 0;
    CHECK(alm_track_all(ds, NULL, 0, &o, &a, n, &err) == ALM_OK);
    alm_dataset_free(ds);
    return a;
}

static void test_worked_example(void)
{
    /* SPEC.md: 7.6 (2014) -> >13 (2022), >= 17 by 2025, baseline 2014.
     * t0 = 2014.5, ti = 2022.5, T = 2025.5.
     * CAGR_o = (13/7.6)^(1/8) - 1 = 0.0694025614712932
     * CAGR_r = (17/7.6)^(1/11) - 1 = 0.07593250929564666
     * R = 0.0694025.../0.0759325... = 0.9140032657299813: moderate
     * needed = (17/13)^(1/3) - 1 = 0.09354129979287684
     * year on the path at 13: 2014.5 + ln(13/7.6)/ln(1 + CAGR_r)
     *   = 2021.8345773..., so 2022.5 - that = 0.6654226650775854 behind
     * UNSD v_e = 13 (1 + CAGR_o)^3 = 15.898897604544228,
     *   Q = (15.8989 - 7.6)/(17 - 7.6) = 0.8828614472919392 */
    size_t n;
    struct alm_track *a =
        run("share",
            "indicator,period,value,qualifier,source\n"
            "x,2014,7.6,,s\nx,2022,13,>,s\n",
            "indicator,period,value,comparator,baseline\nx,2025,17,>=,2014\n",
            "eurostat", NULL, &n);
    if (!a)
        return;
    CHECK_INT(n, 1);
    CHECK_STR(a[0].status, "moderate");
    CHECK_STR(a[0].baseline_from, "target");
    CHECK(!a[0].linear);
    CHECK_REL(a[0].observed, 0.0694025614712932, 1e-13);
    CHECK_REL(a[0].required, 0.07593250929564666, 1e-13);
    CHECK_REL(a[0].ratio, 0.9140032657299813, 1e-13);
    CHECK_REL(a[0].needed, 0.09354129979287684, 1e-13);
    CHECK_REL(a[0].time_distance, 0.6654226650775854, 1e-12);
    CHECK_REL(a[0].unsd_value, 15.898897604544228, 1e-13);
    CHECK_REL(a[0].unsd_q, 0.8828614472919392, 1e-13);
    CHECK_STR(a[0].unsd_status, "needs acceleration");
    CHECK(a[0].latest_qual == ALM_QUAL_GT); /* reported as a bound */
    CHECK(strstr(a[0].note, "bound") != NULL);
    free(a);
    a = run("share",
            "indicator,period,value,qualifier,source\n"
            "x,2014,7.6,,s\nx,2022,13,>,s\n",
            "indicator,period,value,comparator,baseline\nx,2025,17,>=,2014\n",
            "unsd", NULL, &n);
    CHECK_STR(a[0].status, "needs acceleration");
    free(a);
}

static void test_le_target(void)
{
    /* 100 (2015) -> 90 (2020), <= 80 by 2030, baseline the first figure.
     * CAGR_o = 0.9^(1/5) - 1 = -0.0208516376390232
     * CAGR_r = 0.8^(1/15) - 1 = -0.014766132200936144
     * R = -1 * CAGR_o / |CAGR_r| = 1.4121258942610069: on track
     * needed = (80/90)^(1/10) - 1 = -0.011709210879118914
     * UNSD: v_e = 90 * 0.9^2 = 72.9, Q = (72.9 - 100)/(80 - 100) = 1.355 */
    size_t n;
    struct alm_track *a = run(
        "level", "indicator,period,value,source\nx,2015,100,s\nx,2020,90,s\n",
        "indicator,period,value,comparator\nx,2030,80,<=\n", "eurostat", NULL,
        &n);
    if (!a)
        return;
    CHECK_STR(a[0].status, "on track");
    CHECK_STR(a[0].baseline_from, "first observation");
    CHECK_REL(a[0].ratio, 1.4121258942610069, 1e-13);
    CHECK_REL(a[0].needed, -0.011709210879118914, 1e-12);
    CHECK_REL(a[0].unsd_q, 1.355, 1e-13);
    CHECK_STR(a[0].unsd_status, "on track");
    free(a);
}

static void test_linear_variants(void)
{
    /* A growth-kind indicator: linear changes. 5 (2020) -> 6.5 (2023),
     * >= 8 by 2026: observed 1.5/3 = 0.5 a year, required 3/6 = 0.5,
     * R = 1: on track; needed (8 - 6.5)/3 = 0.5; on the path 6.5 is reached
     * at 2020.5 + 1.5/0.5 = 2023.5, so the distance is 0; UNSD
     * v_e = 6.5 + 0.5 * 3 = 8, Q = 1. */
    size_t n;
    struct alm_track *a = run(
        "growth", "indicator,period,value,source\nx,2020,5,s\nx,2023,6.5,s\n",
        "indicator,period,value,comparator\nx,2026,8,>=\n", "eurostat", NULL,
        &n);
    if (!a)
        return;
    CHECK(a[0].linear);
    CHECK_STR(a[0].status, "on track");
    CHECK_REL(a[0].observed, 0.5, 1e-15);
    CHECK_REL(a[0].required, 0.5, 1e-15);
    CHECK_REL(a[0].ratio, 1, 1e-15);
    CHECK_REL(a[0].needed, 0.5, 1e-15);
    CHECK(fabs(a[0].time_distance) < 1e-12);
    CHECK_REL(a[0].unsd_q, 1, 1e-15);
    free(a);

    /* A zero baseline: compound growth is undefined, linear is used.
     * 0 (2015) -> 5 (2020), >= 10 by 2025: 1 a year against 1: on track. */
    a = run("value", "indicator,period,value,source\nx,2015,0,s\nx,2020,5,s\n",
            "indicator,period,value,comparator\nx,2025,10,>=\n", "eurostat",
            NULL, &n);
    CHECK(a[0].linear);
    CHECK_REL(a[0].ratio, 1, 1e-15);
    CHECK_STR(a[0].status, "on track");
    free(a);

    /* A required change of zero (target = baseline): R is undefined;
     * 10 -> 9 moves away from >= 10, so deteriorating. */
    a = run("level", "indicator,period,value,source\nx,2015,10,s\nx,2020,9,s\n",
            "indicator,period,value,comparator\nx,2025,10,>=\n", "eurostat",
            NULL, &n);
    CHECK(isnan(a[0].ratio));
    CHECK_STR(a[0].status, "deteriorating");
    CHECK_STR(a[0].unsd_status, "regression");
    free(a);
}

static void test_order(void)
{
    size_t n;
    const char *obs = "indicator,period,value,status,source\n"
                      "x,2019,14,,s\nx,2020,14.5,,s\nx,2021,16,,s\n";
    /* Past target: judged on the figure for 2020, 14.5. */
    struct alm_track *a =
        run("level", obs,
            "indicator,period,value,comparator\n"
            "x,2020,15,>=\nx,2020,14,>=\nx,2030,12,>=\nx,2030,20,<=\n",
            "eurostat", NULL, &n);
    if (!a)
        return;
    CHECK_INT(n, 4);
    CHECK_STR(a[0].status, "missed");
    CHECK(a[0].judged && a[0].judged_value == 14.5);
    CHECK_STR(a[1].status, "met");
    CHECK_STR(a[2].status, "achieved"); /* 16 >= 12 already */
    CHECK_STR(a[3].status, "achieved"); /* 16 <= 20 already */
    free(a);

    /* One observation: insufficient data. */
    a = run("level", "indicator,period,value,source\nx,2020,5,s\n",
            "indicator,period,value,comparator\nx,2030,10,>=\n", "eurostat",
            NULL, &n);
    CHECK_STR(a[0].status, "insufficient data");
    CHECK_INT(a[0].points, 1);
    free(a);

    /* A forecast is ignored: without it 5 -> 6 is not yet 10. */
    a = run("level",
            "indicator,period,value,status,source\n"
            "x,2020,5,,s\nx,2022,6,,s\nx,2024,11,F,s\n",
            "indicator,period,value,comparator\nx,2030,10,>=\n", "eurostat",
            NULL, &n);
    CHECK(strcmp(a[0].status, "achieved") != 0);
    CHECK_REL(a[0].yi, 6, 1e-15);
    free(a);
}

static void test_as_of_and_probability(void)
{
    size_t n;
    /* A target announced after --as-of is not assessed. */
    struct alm_track *a = run("level",
                              "indicator,period,value,source,vintage\n"
                              "x,2020,5,s,2021-01\nx,2022,6,s,2023-01\n",
                              "indicator,period,value,comparator,announced\n"
                              "x,2030,10,>=,2022-06\nx,2035,20,>=,2024-01\n",
                              "eurostat", "2023-06", &n);
    CHECK_INT(n, 1);
    free(a);

    /* The probability under the linear model on the model's scale. R:
     *   t <- c(2014.5, 2015.5, 2017.5, 2019.5, 2022.5)
     *   y <- c(7.6, 8.0, 10.2, 11.5, 13.1); m <- lm(y ~ t)
     *   p <- predict(m, data.frame(t = 2025.5), se.fit = TRUE)
     *   se <- sqrt(p$se.fit^2 + p$residual.scale^2)
     *   1 - pt((17 - p$fit) / se, p$df)        # 0.049728246036252921 */
    a = run("share",
            "indicator,period,value,source\n"
            "x,2014,7.6,s\nx,2015,8.0,s\nx,2017,10.2,s\nx,2019,11.5,s\n"
            "x,2022,13.1,s\n",
            "indicator,period,value,comparator\nx,2025,17,>=\n", "eurostat",
            NULL, &n);
    CHECK(a[0].projected);
    CHECK_REL(a[0].at_target.value, 15.529126213592235, 1e-9);
    CHECK_REL(a[0].probability, 0.049728246036252921, 1e-9);
    free(a);
}

int main(void)
{
    alm_init();
    snprintf(dir, sizeof dir, "/tmp/almanac-track-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_worked_example();
    test_le_target();
    test_linear_variants();
    test_order();
    test_as_of_and_probability();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
