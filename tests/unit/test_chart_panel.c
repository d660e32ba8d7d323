/* The chart's panel data, tested as data (engine/chart_internal.h), and
 * its output planning (alm_chart_plan). Expected ranges are worked out by
 * hand in the comments from tests/cli/fixtures/small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/utf8.h>

#include "../../engine/chart_internal.h"
#include "../check.h"

static struct alm_dataset *ds;

static void collect(size_t ind, bool vintages, struct panel *p)
{
    struct alm_chart_opts o;
    memset(&o, 0, sizeof o);
    o.proj.level = 95;
    o.proj.model = (struct alm_model_spec){ALM_MODEL_LINEAR, 0};
    o.vintages = vintages;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_dataset_as_of(ds, "2024-12-31", &o.proj.as_of, &err) == ALM_OK);
    struct alm_fit_ws *w = alm_fit_ws_new(alm_dataset_longest(ds), &err);
    memset(p, 0, sizeof *p);
    CHECK_AT(alm__panel_collect(ds, w, &o, ind, p, &err) == ALM_OK, "%s",
             err.msg);
    alm_fit_ws_free(w);
}

static void test_share(void)
{
    struct panel p;
    collect(0, false, &p);
    /* 2014 7.6, 2021 12.4 (the 2023 revision), 2022 >13; the target 17
     * by 2025; the projection runs to the target's year. */
    CHECK_INT(p.nused, 3);
    CHECK_INT(p.nother, 0);
    CHECK_INT(p.ntgt, 1);
    CHECK(p.proj.fitted);
    CHECK_INT(p.proj.nrows, 3); /* 2023, 2024, 2025 */
    CHECK_INT(alm__pclass_of(&ds->obs[p.used[2]]), PC_OVER);
    CHECK_INT(alm__pclass_of(&ds->obs[p.used[0]]), PC_STATED);
    CHECK(alm__panel_latest(ds, &p) == &ds->obs[p.used[2]]);
    /* x: from 2014.5 to 2025.5 (the target's midpoint), padded by
     * max(3% of 11, 0.45) = 0.45. */
    CHECK_REL(p.xmin, 2014.05, 1e-12);
    CHECK_REL(p.xmax, 2025.95, 1e-12);
    /* No amount above 1e5: drawn as is. */
    CHECK_REL(p.scale, 1, 0);
    CHECK_STR(p.unit, "% of GDP");
    /* y: figures 7.6..17 (the target); the linear fit's band (slope
     * 25.8/38 = 0.679, sigma 0.056, 12.7 t-quantile: about +-1.1) stays
     * inside; a share starts at 0; 17 * 1.08 = 18.36 rounds up to 20 in
     * steps of 5 (18.36 / 6 = 3.06: a step of 5). */
    CHECK_REL(p.ylo, 0, 0);
    CHECK_REL(p.yhi, 20, 1e-12);
    CHECK_REL(p.ystep, 5, 1e-12);
    CHECK_INT(p.ydec, 0);
    alm__panel_release(&p);

    /* With every vintage, the superseded 2021 figure (12.2, P) is the
     * other one. */
    collect(0, true, &p);
    CHECK_INT(p.nother, 1);
    CHECK(p.nother == 1 && ds->obs[p.other[0]].value == 12.2);
    alm__panel_release(&p);
}

static void test_single_point(void)
{
    struct panel p;
    collect(2, false, &p); /* zones: 178 in 2023-11, no target */
    CHECK_INT(p.nused, 1);
    CHECK(!p.proj.fitted);
    /* One time, 2023 + 10.5/12: padded by 1 each way. */
    CHECK_REL(p.xmin, 2022.875, 1e-12);
    CHECK_REL(p.xmax, 2024.875, 1e-12);
    /* A count starts at 0; 178 * 1.08 = 192.24, steps of 50 (192.24 / 6 =
     * 32: 3.2 times 10 rounds to 5 times 10). */
    CHECK_REL(p.ylo, 0, 0);
    CHECK_REL(p.yhi, 200, 1e-12);
    CHECK_REL(p.ystep, 50, 1e-12);
    alm__panel_release(&p);
}

static void test_wrap(void)
{
    struct lines l = {{NULL}, 0};
    /* A line breaks at the last space before the character that would
     * overflow 9 cells: "one two th" is 10. */
    CHECK(alm__wrap_text("one two three four", 9, 4, &l) == ALM_OK);
    CHECK_INT(l.n, 3);
    if (l.n == 3) {
        CHECK_STR(l.s[0], "one two");
        CHECK_STR(l.s[1], "three");
        CHECK_STR(l.s[2], "four");
    }
    alm__lines_release(&l);
    /* Two lines at most: the last says there was more. */
    CHECK(alm__wrap_text("aaaa bbbb cccc dddd eeee", 10, 2, &l) == ALM_OK);
    CHECK_INT(l.n, 2);
    if (l.n == 2) {
        CHECK_STR(l.s[0], "aaaa bbbb");
        CHECK_STR(l.s[1], "cccc dddd\xE2\x80\xA6");
    }
    alm__lines_release(&l);
    /* Wide characters take two cells and may break anywhere: every line
     * fits 8 cells and no character is lost. */
    const char *cjk = "\xE4\xB8\xAD\xE5\x9B\xBD\xE4\xB8\xAD\xE5\x9B\xBD"
                      "\xE4\xB8\xAD";
    CHECK(alm__wrap_text(cjk, 8, 4, &l) == ALM_OK);
    CHECK_INT(l.n, 2);
    char joined[64] = "";
    for (size_t i = 0; i < l.n; i++) {
        CHECK(alm_utf8_text_width(l.s[i]) <= 8);
        strncat(joined, l.s[i], sizeof joined - strlen(joined) - 1);
    }
    CHECK_STR(joined, cjk);
    alm__lines_release(&l);
}

static void test_plan(void)
{
    struct alm_error err;
    struct alm_chart_plan p = ALM_CHART_PLAN_INIT;
    size_t ids[] = {0, 1};
    /* The type from the extension; a file gets one figure of every panel. */
    alm_error_clear(&err);
    struct alm_chart_request rq = {.output = "fig.PDF"};
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK_INT(p.type, ALM_CHART_PDF);
    CHECK(alm_chart_plan(&p, ds, ids, 2, &err) == ALM_OK);
    CHECK_INT(p.n, 1);
    CHECK(p.n == 1 && p.charts[0].nind == 2 &&
          !strcmp(p.charts[0].output, "fig.PDF"));
    alm_chart_plan_release(&p);
    /* The terminal: text, a terminal-sized panel each. */
    rq = (struct alm_chart_request){
        .output = "-", .term_width = 100, .term_height = 30};
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK(alm_chart_plan(&p, ds, ids, 2, &err) == ALM_OK);
    CHECK(p.charts[0].output == NULL);
    CHECK_INT(p.charts[0].width, 100);
    CHECK_INT(p.charts[0].height, 60);
    alm_chart_plan_release(&p);
    /* --script alone: the script's name with the format's extension. */
    rq = (struct alm_chart_request){.script = "a.b/fig", .type = "svg"};
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK(alm_chart_plan(&p, ds, ids, 1, &err) == ALM_OK);
    CHECK_STR(p.charts[0].output, "a.b/fig.svg");
    alm_chart_plan_release(&p);
    rq = (struct alm_chart_request){.script = "out/fig.gp"};
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK(alm_chart_plan(&p, ds, ids, 1, &err) == ALM_OK);
    CHECK_STR(p.charts[0].output, "out/fig.png");
    alm_chart_plan_release(&p);
    /* A folder: made if missing, a file per indicator, SVG by default. */
    char dir[] = "/tmp/almanac-test-plan-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[600];
    snprintf(out, sizeof out, "%s/charts/", dir);
    rq = (struct alm_chart_request){.output = out, .size = "300x200"};
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK(p.folder && p.type == ALM_CHART_SVG);
    CHECK(alm_chart_plan(&p, ds, ids, 2, &err) == ALM_OK);
    CHECK_INT(p.n, 2);
    char want[700];
    snprintf(want, sizeof want, "%s/charts/growth_janfeb.svg", dir);
    CHECK(p.n == 2 && !strcmp(p.charts[1].output, want) &&
          p.charts[1].width == 300 && p.charts[1].nind == 1);
    struct stat sb;
    snprintf(out, sizeof out, "%s/charts", dir);
    CHECK(stat(out, &sb) == 0 && S_ISDIR(sb.st_mode));
    alm_chart_plan_release(&p);
    rmdir(out);
    rmdir(dir);
    /* Errors, each at its option. */
    rq = (struct alm_chart_request){.output = "fig.jpg"};
    alm_error_clear(&err);
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--output");
    rq = (struct alm_chart_request){.output = "-", .type = "png"};
    alm_error_clear(&err);
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--type");
    rq = (struct alm_chart_request){.output = "x.png", .size = "5x5"};
    alm_error_clear(&err);
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--size");
    rq = (struct alm_chart_request){.output = "x.png"};
    alm_error_clear(&err);
    CHECK(alm_chart_plan_parse(&rq, &p, &err) == ALM_OK);
    CHECK(alm_chart_plan(&p, ds, ids, 0, &err) == ALM_EINPUT);
    CHECK_STR(err.msg, "the dataset has no indicators");
    alm_chart_plan_release(&p);
}

int main(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/cli/fixtures/small",
             ALMANAC_SOURCE_DIR);
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    if (!ds)
        return check_done();
    test_share();
    test_single_point();
    test_wrap();
    test_plan();
    alm_dataset_free(ds);
    return check_done();
}
