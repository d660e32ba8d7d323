/* Tests of projections: the periods projected, the domain of each kind
 * checked on every value and bound, the words of the flags, and auto's
 * domain rule over the horizon. Every expected figure is worked by hand in
 * the comment beside it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/project.h>

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

/* Writes a one-indicator dataset of the kind with the observations (CSV
 * rows "x,PERIOD,VALUE,,,s") and projects it with model through to. */
static bool project(const char *kind, const char *obs, const char *model,
                    const char *to, struct alm_projection *p)
{
    char ind[160];
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    snprintf(ind, sizeof ind, "id,title,unit,kind,frequency\nx,X,u,%s,A\n",
             kind);
    put("indicators.csv", ind);
    put("sources.csv", "id,title,publisher,date\ns,S,P,2024-01-01\n");
    put("observations.csv", obs);
    put("targets.csv", "indicator,period,value,comparator\n");
    alm_error_clear(&err);
    if (alm_dataset_open(dir, NULL, &ds, &err) != ALM_OK) {
        CHECK_AT(false, "dataset: %s", err.msg);
        return false;
    }
    struct alm_projection_opts o = {{ALM_MODEL_AUTO, 0}, to, 95, ds->latest};
    alm_model_parse(model, &o.model, NULL);
    struct alm_fit_ws *w = alm_fit_ws_new(8, NULL);
    enum alm_status st = alm_project(w, ds, 0, &o, p, &err);
    CHECK_AT(st == ALM_OK, "%s", err.msg);
    alm_fit_ws_free(w);
    alm_dataset_free(ds);
    return st == ALM_OK;
}

/* A share falling 2 points a year on a line: 9, 7, 5, 3 (2019-2022), an
 * exact fit (residual SD 0, so each bound equals its value). Linear
 * projects 1 in 2023 (inside 0-100), -1 in 2024 and -3 in 2025 (outside). */
static void test_share_flags(void)
{
    struct alm_projection p;
    const char *obs = "indicator,period,value,qualifier,status,source\n"
                      "x,2019,9,,,s\nx,2020,7,,,s\nx,2021,5,,,s\n"
                      "x,2022,3,,,s\n";
    if (!project("share", obs, "linear", "2025", &p))
        return;
    char flag[200];
    CHECK_INT(p.nrows, 3);
    CHECK_REL(p.rows[0].f.value, 1, 1e-12);
    CHECK(!p.rows[0].crosses && !p.rows[0].value_out);
    alm_projection_row_flag(&p.rows[0], flag, sizeof flag);
    CHECK_STR(flag, "");
    CHECK_REL(p.rows[1].f.value, -1, 1e-12);
    CHECK(p.rows[1].crosses);
    alm_projection_row_flag(&p.rows[1], flag, sizeof flag);
    CHECK_STR(flag, "projection below 0%: impossible for a share");
    alm_projection_flag_summary(&p, flag, sizeof flag, false);
    CHECK_STR(flag, "from 2024 the projection is below 0%: impossible for a "
                    "share");
    alm_projection_flag_summary(&p, flag, sizeof flag, true);
    CHECK_STR(flag, "Impossible for a share from 2024 (projection below 0%)");
    CHECK(strstr(p.note, "from 2024 the projection is below 0%: impossible "
                         "for a share (kept as computed)") != NULL);
    alm_projection_release(&p);
}

/* A count of 10, 14, 9, 13 (2019-2022): linear slope (by hand, t centred
 * at 2021.0: sum (t - 2021) y = -15 - 7 + 4.5 + 19.5 = 2, over sum
 * (t - 2021)^2 = 5) 0.4, mean 11.5; the point projection stays above 0,
 * but the residual SD sqrt(rss/2) = 2.846 (residuals -0.9, 2.7, -2.7,
 * 0.9: rss 16.2 / 2 = 8.1) makes the 95% interval wide: in 2035, t = 14.5
 * from the centre, the value 11.5 + 0.4 * 14.5 = 17.3 and the lower bound
 * 17.3 - t(2, .975) 4.3027 * 2.846 * sqrt(1 + 1/4 + 14.5^2/5) = below 0.
 * Only the bound is flagged. */
static void test_bound_flag(void)
{
    struct alm_projection p;
    const char *obs = "indicator,period,value,qualifier,status,source\n"
                      "x,2019,10,,,s\nx,2020,14,,,s\nx,2021,9,,,s\n"
                      "x,2022,13,,,s\n";
    if (!project("count", obs, "linear", "2035", &p))
        return;
    const struct alm_projection_row *r = &p.rows[p.nrows - 1];
    CHECK_REL(r->f.value, 17.3, 1e-12);
    CHECK(r->f.lower < 0 && !r->value_out && r->lower_out && !r->upper_out);
    char flag[200];
    alm_projection_row_flag(r, flag, sizeof flag);
    CHECK_STR(flag, "lower bound below 0: impossible for a count");
    alm_projection_flag_summary(&p, flag, sizeof flag, true);
    CHECK(strncmp(flag, "Impossible for a count from 20", 30) == 0 &&
          strstr(flag, "(interval below 0)"));
    alm_projection_release(&p);
}

/* auto's domain rule looks as far as the projection goes: a growth rate
 * falling 10 points a year from 10 (2015) to -60 (2022). Drift and linear
 * fit it exactly (one-step MAE 0) and reach -90 in 2025, inside: drift
 * wins the tie on fewer parameters. Through 2027 they reach -110: auto
 * takes the mean (-25), the one candidate inside. */
static void test_horizon(void)
{
    struct alm_projection p;
    char obs[400] = "indicator,period,value,qualifier,status,source\n";
    for (int k = 0; k < 8; k++)
        snprintf(obs + strlen(obs), sizeof obs - strlen(obs), "x,%d,%d,,,s\n",
                 2015 + k, 10 - 10 * k);
    if (project("growth", obs, "auto", "2025", &p)) {
        CHECK(p.fit.model.model == ALM_MODEL_DRIFT);
        CHECK_REL(p.rows[p.nrows - 1].f.value, -90, 1e-12);
        CHECK(!p.rows[p.nrows - 1].crosses);
        alm_projection_release(&p);
    }
    if (project("growth", obs, "auto", "2027", &p)) {
        CHECK(p.fit.model.model == ALM_MODEL_MEAN);
        CHECK_REL(p.rows[0].f.value, -25, 1e-12);
        CHECK(strstr(p.note, "auto set aside linear and drift") != NULL);
        alm_projection_release(&p);
    }
    /* As an index (no domain) drift stays. */
    if (project("index", obs, "auto", "2027", &p)) {
        CHECK(p.fit.model.model == ALM_MODEL_DRIFT);
        CHECK(!p.rows[p.nrows - 1].crosses);
        alm_projection_release(&p);
    }
}

int main(void)
{
    alm_init();
    snprintf(dir, sizeof dir, "/tmp/almanac-project-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_share_flags();
    test_bound_flag();
    test_horizon();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
