/* Tests of the chart module without gnuplot: the quoting of text for
 * gnuplot (cases written by hand), the option parsers, and the generated
 * scripts compared byte for byte with the golden files
 * tests/golden/chart/NAME.gp (UPDATE_GOLDEN=1 rewrites them; review the
 * diff by eye before committing). The goldens load the theme by the fixed
 * name 'plots/theme.gp', so that restyling the theme does not change
 * them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>
#include <almanac/series.h>

#include "../check.h"

static void check_quote(const char *text, const char *want)
{
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_gp_quote(&b, text) == ALM_OK);
    CHECK_STR(b.s, want);
    alm_buf_release(&b);
}

static void test_quote(void)
{
    check_quote("", "''");
    check_quote(NULL, "''");
    check_quote("plain text", "'plain text'");
    /* The one special character inside single quotes is the quote: it is
     * concatenated as "\047" (gnuplot misreads runs of doubled quotes,
     * and a bare quote inside double quotes derails its macro scan). */
    check_quote("it's", "'it'.\"\\047\".'s'");
    check_quote("'", "''.\"\\047\".''");
    check_quote("''", "''.\"\\047\".''.\"\\047\".''");
    check_quote("a'''b", "'a'.\"\\047\".''.\"\\047\".''.\"\\047\".'b'");
    /* Backquotes, system(), double quotes, macros, enhanced-text
     * characters and backslashes are literal inside single quotes. */
    check_quote("`touch /tmp/owned`", "'`touch /tmp/owned`'");
    check_quote("system(\"id\")", "'system(\"id\")'");
    check_quote("\"; print \"x", "'\"; print \"x'");
    check_quote("sei_va_share a&b x^2 @macro {/Bold b}",
                "'sei_va_share a&b x^2 @macro {/Bold b}'");
    check_quote("back\\slash \\", "'back\\slash \\'");
    check_quote("\\'", "'\\'.\"\\047\".''");
    /* A newline must never end the command: it becomes a space, as do a
     * tab and a carriage return; CRLF is one space. */
    check_quote("line one\nEOD\nplot 1", "'line one EOD plot 1'");
    check_quote("a\r\nb\rc\td", "'a b c d'");
    /* Other control characters are dropped. */
    check_quote("a\001b\033[31mc\177d", "'ab[31mcd'");
    /* UTF-8 passes through untouched. */
    check_quote("战略性新兴产业 ≥17%", "'战略性新兴产业 ≥17%'");
}

static void test_options(void)
{
    enum alm_chart_type t = ALM_CHART_TEXT;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_chart_type_parse("svg", &t, &err) == ALM_OK &&
          t == ALM_CHART_SVG);
    CHECK(alm_chart_type_parse("jpg", &t, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--type");
    CHECK(alm_chart_type_of_path("out/x.PNG", &t) && t == ALM_CHART_PNG);
    CHECK(alm_chart_type_of_path("a.b/x.pdf", &t) && t == ALM_CHART_PDF);
    CHECK(alm_chart_type_of_path("x.txt", &t) && t == ALM_CHART_TEXT);
    CHECK(!alm_chart_type_of_path("x.svgz", &t));
    CHECK(!alm_chart_type_of_path("x.d/file", &t));
    CHECK(!alm_chart_type_of_path("png", &t));
    CHECK_STR(alm_chart_type_ext(ALM_CHART_PDF), "pdf");

    int w = 0, h = 0;
    CHECK(alm_chart_size_parse("800x500", &w, &h, NULL) == ALM_OK);
    CHECK(w == 800 && h == 500);
    CHECK(alm_chart_size_parse("1200X75", &w, &h, NULL) == ALM_OK);
    CHECK(w == 1200 && h == 75);
    const char *bad[] = {"800",   "800x", "x500",      "9x500",   "800x500px",
                         "-8x50", "",     "20001x500", "800 x500"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        alm_error_clear(&err);
        CHECK_AT(alm_chart_size_parse(bad[i], &w, &h, &err) == ALM_EINPUT,
                 "--size %s accepted", bad[i]);
        CHECK_STR(err.field, "--size");
    }
}

static struct alm_dataset *ds;

/* Compares the script for the given charts with its golden file. */
static void check_golden(const char *name, const struct alm_chart *c, size_t n,
                         const struct alm_chart_opts *o)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/golden/chart/%s.gp",
             ALMANAC_SOURCE_DIR, name);
    struct alm_buf got = ALM_BUF_INIT, want = ALM_BUF_INIT;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_chart_write_script(ds, c, n, o, &got, &err) == ALM_OK,
             "%s: %s", name, err.msg);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        CHECK_AT(f && fwrite(got.s, 1, got.len, f) == got.len, "%s", path);
        if (f)
            fclose(f);
    }
    CHECK_AT(alm_file_read(path, 1 << 24, &want, &err) == ALM_OK, "%s: %s",
             path, err.msg);
    CHECK_AT(want.s && got.s && strcmp(want.s, got.s) == 0,
             "%s differs from the generated script (UPDATE_GOLDEN=1 "
             "rewrites it)",
             path);
    /* Same input, same bytes. */
    struct alm_buf again = ALM_BUF_INIT;
    CHECK(alm_chart_write_script(ds, c, n, o, &again, &err) == ALM_OK);
    CHECK(again.s && got.s && strcmp(again.s, got.s) == 0);
    alm_buf_release(&again);
    alm_buf_release(&got);
    alm_buf_release(&want);
}

/* Checks a property every script has: a datablock holds numbers only. */
static void check_datablocks(const char *script)
{
    const char *p = script;
    while ((p = strstr(p, "<< EOD\n")) != NULL) {
        p += 7;
        const char *end = strstr(p, "\nEOD\n");
        CHECK(end != NULL);
        if (!end)
            return;
        for (const char *c = p; c < end; c++)
            CHECK_AT(strchr("0123456789.-+eNa \n", *c) != NULL,
                     "a datablock holds '%c'", *c);
        p = end;
    }
}

static void test_scripts(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/cli/fixtures/small",
             ALMANAC_SOURCE_DIR);
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    if (!ds)
        return;
    struct alm_chart_opts o;
    memset(&o, 0, sizeof o);
    o.proj.level = 95;
    o.theme = "plots/theme.gp";
    CHECK(alm_dataset_as_of(ds, "2024-12-31", &o.proj.as_of, &err) == ALM_OK);
    size_t share = 0, growth = 1, zones = 2, all[] = {0, 1, 2};

    /* A share with a qualified figure, a revision and a target. */
    struct alm_chart c = {&share, 1, "share.png", ALM_CHART_PNG, 0, 0};
    check_golden("share-png", &c, 1, &o);
    /* The same with every vintage, into an SVG of another size. */
    o.vintages = true;
    c = (struct alm_chart){&share, 1, "share.svg", ALM_CHART_SVG, 640, 400};
    check_golden("share-vintages-svg", &c, 1, &o);
    o.vintages = false;
    /* A Jan-Feb series of one point (no trend) and an irregular count. */
    c = (struct alm_chart){&growth, 1, "growth.pdf", ALM_CHART_PDF, 0, 0};
    check_golden("growth-janfeb-pdf", &c, 1, &o);
    c = (struct alm_chart){&zones, 1, "zones.png", ALM_CHART_PNG, 0, 0};
    check_golden("zones-png", &c, 1, &o);
    /* Three panels in one figure; text on standard output. */
    c = (struct alm_chart){all, 3, "all.png", ALM_CHART_PNG, 0, 0};
    check_golden("multi-panel-png", &c, 1, &o);
    c = (struct alm_chart){&share, 1, NULL, ALM_CHART_TEXT, 80, 24};
    check_golden("share-text", &c, 1, &o);
    /* Three files from one script, with a model, --to and --level. */
    struct alm_chart batch[3] = {
        {&share, 1, "out/share.svg", ALM_CHART_SVG, 0, 0},
        {&growth, 1, "out/growth_janfeb.svg", ALM_CHART_SVG, 0, 0},
        {&zones, 1, "out/zones.svg", ALM_CHART_SVG, 0, 0}};
    o.proj.model = (struct alm_model_spec){ALM_MODEL_LOGLINEAR, 0};
    o.proj.to = "2030";
    o.proj.level = 80;
    check_golden("batch-loglinear-svg", batch, 3, &o);

    /* Every script: numbers only in datablocks, noenhanced everywhere. */
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_chart_write_script(ds, batch, 3, &o, &b, &err) == ALM_OK);
    check_datablocks(b.s);
    size_t labels = 0, plain = 0;
    for (const char *p = b.s; (p = strstr(p, "set label '")) != NULL; p++) {
        const char *eol = strchr(p, '\n');
        labels++;
        plain +=
            eol && strstr(p, " noenhanced") && strstr(p, " noenhanced") < eol;
    }
    CHECK(labels > 10);
    CHECK_INT(plain, labels);
    alm_buf_release(&b);

    /* Inlined, the theme's text is in the script and nothing is loaded. */
    char theme[512];
    snprintf(theme, sizeof theme, "%s/plots/theme.gp", ALMANAC_SOURCE_DIR);
    struct alm_buf t = ALM_BUF_INIT;
    CHECK(alm_file_read(theme, 1 << 20, &t, &err) == ALM_OK);
    o.theme = theme;
    o.inline_theme = true;
    CHECK(alm_chart_write_script(ds, batch, 1, &o, &b, &err) == ALM_OK);
    CHECK(b.s && t.s && strstr(b.s, t.s) != NULL);
    CHECK(b.s && strstr(b.s, "\nload ") == NULL);
    alm_buf_release(&b);
    alm_buf_release(&t);

    /* A bad --to is an input error. */
    o.proj.to = "2030-13";
    alm_error_clear(&err);
    CHECK(alm_chart_write_script(ds, batch, 1, &o, &b, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--to");
    alm_buf_release(&b);
    /* A theme that cannot be read, when inlining, is an I/O error. */
    o.proj.to = NULL;
    o.theme = "/nonexistent/theme.gp";
    alm_error_clear(&err);
    CHECK(alm_chart_write_script(ds, batch, 1, &o, &b, &err) == ALM_EIO);
    alm_buf_release(&b);
    alm_dataset_free(ds);
}

/* A level and its growth on two axes (chart --with-level): the growth
 * from the series pipeline (series.h) on the left, the level on the
 * right at a readable scale of its unit, every text quoted. */
static void test_two_axes(void)
{
    static const char *const files[ALM_T_COUNT] = {
        "id,title,unit,kind,frequency\n"
        "out,\"Output 'q' `touch /tmp/x`\",CNY bn,level,Q\n",
        ("indicator,period,value,source,vintage\n"
         "out,2022-Q1,1000,s,2024-08-01\n"
         "out,2022-Q2,1040,s,2024-08-01\n"
         "out,2022-Q3,1030,s,2024-08-01\n"
         "out,2022-Q4,1100,s,2024-08-01\n"
         "out,2023-Q1,1050,s,2024-08-01\n"
         "out,2023-Q2,1090,s,2024-08-01\n"),
        "id,title,publisher,date\ns,Accounts,Office,2024-08-01\n",
        "indicator,period,value,comparator\n"};
    const char *data[ALM_T_COUNT];
    size_t len[ALM_T_COUNT];
    for (int i = 0; i < ALM_T_COUNT; i++) {
        data[i] = files[i];
        len[i] = strlen(files[i]);
    }
    struct alm_dataset *level = NULL, *growth = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_dataset_parse("mem", data, len, NULL, &level, &err) == ALM_OK);
    if (!level)
        return;
    size_t id = 0;
    struct alm_series_opts pc1 = {.tx = ALM_TX_PC1};
    CHECK(alm_series_dataset(level, &id, 1, &pc1, ALM_DATE_NONE, &growth, NULL,
                             &err) == ALM_OK);
    if (!growth) {
        alm_dataset_free(level);
        return;
    }
    struct alm_chart_opts o;
    memset(&o, 0, sizeof o);
    o.proj.level = 95;
    o.proj.as_of = level->latest;
    o.theme = "plots/theme.gp";
    o.level = level;
    struct alm_dataset *keep = ds;
    ds = growth;
    struct alm_chart c = {&id, 1, "two.png", ALM_CHART_PNG, 0, 0};
    check_golden("level-growth-png", &c, 1, &o);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_chart_write_script(growth, &c, 1, &o, &b, &err) == ALM_OK);
    check_datablocks(b.s);
    /* The level's 6 figures in CNY tn (1000 CNY bn = 1 CNY tn), on the
     * right axis, whose tics are dropped after the panel. */
    CHECK(strstr(b.s, "$alm_p1_level << EOD\n2022.125 1\n2022.375 1.04\n") !=
          NULL);
    CHECK(strstr(b.s, "using 1:2 axes x1y2 with linespoints") != NULL);
    CHECK(strstr(b.s, "set y2tics ") != NULL);
    CHECK(strstr(b.s, "\nunset y2tics\n") != NULL);
    CHECK(strstr(b.s, "'level: CNY tn, right axis'") != NULL);
    /* The growth: 2023-Q1 (1050/1000 - 1)*100 = 5, computed, not
     * published. */
    CHECK(strstr(b.s, "'computed'") != NULL);
    CHECK(strstr(b.s, "Figures computed from published ones") != NULL);
    /* The title, from data, is only ever quoted text. */
    CHECK(strstr(b.s, "'Output '.\"\\047\".'q'.\"\\047\".' `touch /tmp/x`, "
                      "percent change from a year ago'") != NULL);
    alm_buf_release(&b);
    /* Without a level dataset, no right axis. */
    o.level = NULL;
    CHECK(alm_chart_write_script(growth, &c, 1, &o, &b, &err) == ALM_OK);
    CHECK(strstr(b.s, "y2") == NULL);
    alm_buf_release(&b);
    ds = keep;
    alm_dataset_free(growth);
    alm_dataset_free(level);
}

int main(void)
{
    alm_init();
    test_quote();
    test_options();
    test_scripts();
    test_two_axes();
    return check_done();
}
