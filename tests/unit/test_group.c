/* Writes keep observations.csv grouped by indicator in the order of
 * indicators.csv (README, "Row order"): add, import and correct insert a
 * grouped file's new rows at the end of their indicator's rows, and fit
 * then streams the file (engine/dataset_stream.c gives up on any other);
 * a file that was not grouped keeps its rows and gets the new ones
 * appended. Every expected file below is written out by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/sha256.h>

#include "../check.h"
#include "dataset_stream.h"
#include "tmpdir.h"

static const char *const ind_csv = "id,title,unit,kind,frequency,scope,notes\n"
                                   "gdp,GDP,bn,level,A,,\n"
                                   "une,Unemployment,%,share,A,,\n"
                                   "pop,Population,m,count,A,,\n";

static const char *const src_csv = "id,title,publisher,date,location\n"
                                   "nso,Statistics office,NSO,2024-03-01,\n";

static const char *const head =
    "indicator,period,value,qualifier,status,source,vintage,quote\n";

static void write_dataset(const char *obs)
{
    put("indicators.csv", ind_csv);
    put("sources.csv", src_csv);
    put("targets.csv", "indicator,period,value,comparator,qualifier,baseline,"
                       "announced,source,quote\n");
    char text[1024];
    snprintf(text, sizeof text, "%s%s", head, obs);
    put("observations.csv", text);
    remove(at("changes.log"));
}

/* The whole text of name into b. */
static void read_all(const char *name, struct alm_buf *b)
{
    char chunk[4096];
    size_t n;
    alm_buf_reset(b);
    FILE *f = fopen(at(name), "rb");
    CHECK(f != NULL);
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        CHECK(alm_buf_add(b, chunk, n) == ALM_OK);
    if (f)
        fclose(f);
}

/* observations.csv is head followed by rows, and the last line of
 * changes.log has its digest. */
static void expect_rows(const char *what, const char *rows)
{
    struct alm_buf got = ALM_BUF_INIT, want = ALM_BUF_INIT, log = ALM_BUF_INIT;
    CHECK(alm_buf_printf(&want, "%s%s", head, rows) == ALM_OK);
    read_all("observations.csv", &got);
    CHECK_AT(got.len == want.len && memcmp(got.s, want.s, got.len) == 0,
             "%s: observations.csv is\n%s\nexpected\n%s", what, got.s, want.s);
    char hex[65], needle[100];
    alm_sha256_hex(got.s, got.len, hex);
    snprintf(needle, sizeof needle, "observations.csv:%s", hex);
    read_all("changes.log", &log);
    const char *last = log.len > 1 ? log.s + log.len - 1 : log.s;
    while (last > log.s && last[-1] != '\n')
        last--;
    CHECK_AT(strstr(last, needle) != NULL, "%s: changes.log ends\n%s", what,
             last);
    alm_buf_release(&got);
    alm_buf_release(&want);
    alm_buf_release(&log);
}

static enum alm_status count(void *ctx, struct alm_dataset *ds, size_t k)
{
    (void)ds;
    (void)k;
    ++*(size_t *)ctx;
    return ALM_OK;
}

/* Whether the stream fit reads serves the dataset (all nind indicators)
 * rather than giving up for a whole read. */
static bool streams(size_t nind)
{
    struct alm__stream *s = NULL;
    size_t n = 0;
    alm__stream_stretch(16); /* a stretch boundary at every series */
    if (alm__stream_open(dir, &s) != ALM_OK)
        return false;
    enum alm_status st = alm__stream_run(s, count, &n);
    alm__stream_close(s, NULL);
    alm__stream_stretch((size_t)4 << 20);
    return st == ALM_OK && n == nind;
}

static void add(const char *ind, const char *per, const char *value)
{
    struct alm_error err;
    struct alm_obs_input in = {ind,   per,  value, NULL, NULL,
                               "nso", NULL, NULL,  NULL};
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_add(dir, &in, &err) == ALM_OK, "add %s %s: %s", ind,
             per, err.msg);
}

static void import(const char *rows)
{
    struct alm_error err;
    struct alm_table *t = NULL;
    char text[1024];
    snprintf(text, sizeof text, "%s%s", head, rows);
    alm_error_clear(&err);
    CHECK(alm_table_parse(text, strlen(text), "more.csv", &t, &err) == ALM_OK);
    struct alm_import_opts opts = {0};
    struct alm_import_result res;
    CHECK_AT(t && alm_dataset_import(dir, t, &opts, &res, &err) == ALM_OK,
             "import: %s", err.msg);
    alm_table_free(t);
}

int main(void)
{
    (void)slurp;
    if (!tmpdir_make("group"))
        return 1;

    /* Grouped: adds in interleaved order land at the end of their
     * indicator's rows, each add's after the one before. */
    write_dataset("gdp,2020,690,,,nso,,\n"
                  "une,2020,5.1,,,nso,,\n"
                  "pop,2020,10.1,,,nso,,\n");
    CHECK(streams(3));
    add("pop", "2021", "10.3");
    add("gdp", "2021", "731");
    add("une", "2021", "5.7");
    add("gdp", "2022", "760");
    expect_rows("adds", "gdp,2020,690,,,nso,,\n"
                        "gdp,2021,731,,,nso,,\n"
                        "gdp,2022,760,,,nso,,\n"
                        "une,2020,5.1,,,nso,,\n"
                        "une,2021,5.7,,,nso,,\n"
                        "pop,2020,10.1,,,nso,,\n"
                        "pop,2021,10.3,,,nso,,\n");
    CHECK(streams(3));

    /* An import of interleaved rows, one of a new indicator (created at
     * the end of indicators.csv, its rows at the end of the file): the
     * import's rows keep their order within each indicator. */
    import("une,2023,5.0,,,nso,,\n"
           "cpi,2020,2.5,,,nso,,\n"
           "gdp,2024,800,,,nso,,\n"
           "une,2022,5.4,,,nso,,\n"
           "cpi,2021,3.1,,,nso,,\n"
           "gdp,2023,780,,,nso,,\n");
    expect_rows("import", "gdp,2020,690,,,nso,,\n"
                          "gdp,2021,731,,,nso,,\n"
                          "gdp,2022,760,,,nso,,\n"
                          "gdp,2024,800,,,nso,,\n"
                          "gdp,2023,780,,,nso,,\n"
                          "une,2020,5.1,,,nso,,\n"
                          "une,2021,5.7,,,nso,,\n"
                          "une,2023,5.0,,,nso,,\n"
                          "une,2022,5.4,,,nso,,\n"
                          "pop,2020,10.1,,,nso,,\n"
                          "pop,2021,10.3,,,nso,,\n"
                          "cpi,2020,2.5,,,nso,,\n"
                          "cpi,2021,3.1,,,nso,,\n");
    CHECK(streams(4));

    /* A revision (a later vintage of gdp 2021) by import: after gdp's
     * rows, the earlier vintage where it was. */
    import("pop,2022,10.2,,,nso,,\n"
           "gdp,2021,735.25,,,nso,2024-02-01,\n");
    expect_rows("revision", "gdp,2020,690,,,nso,,\n"
                            "gdp,2021,731,,,nso,,\n"
                            "gdp,2022,760,,,nso,,\n"
                            "gdp,2024,800,,,nso,,\n"
                            "gdp,2023,780,,,nso,,\n"
                            "gdp,2021,735.25,,,nso,2024-02-01,\n"
                            "une,2020,5.1,,,nso,,\n"
                            "une,2021,5.7,,,nso,,\n"
                            "une,2023,5.0,,,nso,,\n"
                            "une,2022,5.4,,,nso,,\n"
                            "pop,2020,10.1,,,nso,,\n"
                            "pop,2021,10.3,,,nso,,\n"
                            "pop,2022,10.2,,,nso,,\n"
                            "cpi,2020,2.5,,,nso,,\n"
                            "cpi,2021,3.1,,,nso,,\n");
    CHECK(streams(4));

    /* Not grouped (pop before gdp): every row stays, the new ones are
     * appended in the order written, and fit reads the file whole. */
    write_dataset("pop,2020,10.1,,,nso,,\n"
                  "gdp,2020,690,,,nso,,\n");
    CHECK(!streams(3));
    add("gdp", "2021", "731");
    import("pop,2021,10.3,,,nso,,\n"
           "gdp,2022,760,,,nso,,\n");
    expect_rows("not grouped", "pop,2020,10.1,,,nso,,\n"
                               "gdp,2020,690,,,nso,,\n"
                               "gdp,2021,731,,,nso,,\n"
                               "pop,2021,10.3,,,nso,,\n"
                               "gdp,2022,760,,,nso,,\n");
    CHECK(!streams(3));

    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
