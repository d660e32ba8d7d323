/* report: escaping, the format from a name, the Markdown charts folder,
 * and documents built from tests/cli/fixtures/small in each backend.
 * Expected figures by hand: the share's linear fit on (2014.5, 7.6),
 * (2021.5, 12.4), (2022.5, 13) has slope 25.8 / 38 = 0.6789 and reaches
 * 11 + 6 * 0.6789 = 15.07 in 2025. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/report.h>

#include "../check.h"

static void check_escape(bool html, const char *text, const char *want)
{
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(html ? alm_html_escape(&b, text) == ALM_OK
               : alm_md_escape(&b, text) == ALM_OK);
    CHECK_STR(b.s ? b.s : "", want);
    alm_buf_release(&b);
}

static void test_escapes(void)
{
    check_escape(true, "a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&#39;");
    check_escape(true, "plain", "plain");
    check_escape(false, "*x* _y_ [l](u) |t| `c` #h ~s \\",
                 "\\*x\\* \\_y\\_ \\[l\\](u) \\|t\\| \\`c\\` \\#h \\~s \\\\");
    check_escape(false, "<b>&\nnext\tcell", "&lt;b&gt;&amp; next cell");
}

static void test_format(void)
{
    enum alm_report_format f = ALM_REPORT_HTML;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_report_format_from_path("out/r.md", &f, &err) == ALM_OK &&
          f == ALM_REPORT_MD);
    CHECK(alm_report_format_from_path("r.htm", &f, &err) == ALM_OK &&
          f == ALM_REPORT_HTML);
    CHECK(alm_report_format_from_path("-", &f, &err) == ALM_OK &&
          f == ALM_REPORT_TXT);
    CHECK(alm_report_format_from_path("r.pdf", &f, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "-o");
    alm_error_clear(&err);
    CHECK(alm_report_format_from_path(".md", &f, &err) == ALM_EINPUT);
}

static void test_plan(void)
{
    char dir[] = "/tmp/almanac-test-report-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[600], files[700];
    snprintf(out, sizeof out, "%s/r.v1.md", dir);
    snprintf(files, sizeof files, "%s/r.v1_files", dir);
    struct alm_report_opts o = {.format = ALM_REPORT_MD, .charts = true};
    struct alm_report_plan p = ALM_REPORT_PLAN_INIT;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_report_plan(out, &o, &p, &err) == ALM_OK);
    CHECK_STR(o.charts_dir, files);
    CHECK_STR(o.charts_href, "r.v1_files"); /* relative to the document */
    struct stat sb;
    CHECK(stat(files, &sb) == 0 && S_ISDIR(sb.st_mode));
    /* A failed report takes the folder it made (and its files) away. */
    char png[800];
    snprintf(png, sizeof png, "%s/share.png", files);
    FILE *fp = fopen(png, "w");
    CHECK(fp != NULL);
    if (fp)
        fclose(fp);
    alm_report_plan_finish(&p, ALM_EEXTERNAL);
    CHECK(stat(files, &sb) != 0);
    /* One that succeeds keeps it; one made before is never removed. */
    CHECK(alm_report_plan(out, &o, &p, &err) == ALM_OK);
    alm_report_plan_finish(&p, ALM_OK);
    CHECK(stat(files, &sb) == 0);
    CHECK(alm_report_plan(out, &o, &p, &err) == ALM_OK);
    CHECK(!p.created);
    alm_report_plan_finish(&p, ALM_EIO);
    CHECK(stat(files, &sb) == 0);
    rmdir(files);
    /* HTML, text, or Markdown without charts: no folder. */
    struct alm_report_opts h = {.format = ALM_REPORT_HTML, .charts = true};
    CHECK(alm_report_plan(out, &h, &p, &err) == ALM_OK);
    CHECK(h.charts_dir == NULL && p.files == NULL);
    alm_report_plan_finish(&p, ALM_OK);
    CHECK(stat(files, &sb) != 0);
    rmdir(dir);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}

static char *build(const struct alm_dataset *ds, enum alm_report_format f)
{
    struct alm_report_opts o = {.format = f,
                                .level = 80,
                                .title = "T <&> *x*",
                                .model = {ALM_MODEL_LINEAR, 0}};
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_dataset_as_of(ds, "2024-03-18", &o.as_of, &err) == ALM_OK);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK_AT(alm_report_build(ds, &o, &b, &err) == ALM_OK, "%s", err.msg);
    return alm_buf_detach(&b);
}

static void test_documents(const struct alm_dataset *ds)
{
    char *html = build(ds, ALM_REPORT_HTML);
    CHECK(html && strncmp(html, "<!DOCTYPE html>", 15) == 0);
    if (html) {
        CHECK(strstr(html, "<title>T &lt;&amp;&gt; *x*</title>") != NULL);
        CHECK(strstr(html, "<&>") == NULL); /* never raw */
        /* The summary, three indicators, the methods: each closed. */
        CHECK_INT(count(html, "<section"), 5);
        CHECK_INT(count(html, "</section>"), 5);
        CHECK(strstr(html, "with 80% prediction intervals") != NULL);
        CHECK(strstr(html, "15.07") != NULL);
        CHECK(strstr(html, "&ge; 17 by 2025") != NULL);
        CHECK(strstr(html, "</html>\n") != NULL);
    }
    free(html);
    char *md = build(ds, ALM_REPORT_MD);
    CHECK(md && strncmp(md, "# T &lt;&amp;&gt; \\*x\\*\n", 24) == 0);
    if (md) {
        CHECK_INT(count(md, "\n## "), 5); /* summary, 3 indicators, methods */
        CHECK(strstr(md, "+0.6789 a year (linear)") != NULL);
        CHECK(strstr(md, "| 2025 | 15.07 |") != NULL);
        CHECK(strstr(md, "![") == NULL); /* no charts folder: no images */
    }
    free(md);
    char *txt = build(ds, ALM_REPORT_TXT);
    CHECK(txt && strncmp(txt,
                         "T <&> *x*\nas of 2024-03-18; 80% prediction "
                         "intervals\n\nindicator ",
                         60) == 0);
    if (txt) {
        CHECK(strstr(txt, "15.07") != NULL);
        CHECK(strstr(txt, "share >= 17 by 2025 (% of GDP)") != NULL);
    }
    free(txt);
}

int main(void)
{
    test_escapes();
    test_format();
    test_plan();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/cli/fixtures/small",
             ALMANAC_SOURCE_DIR);
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    if (ds)
        test_documents(ds);
    alm_dataset_free(ds);
    return check_done();
}
