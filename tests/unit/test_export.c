/* export: the long and wide layouts of the small fixture, the as-of date
 * and the formula guard. Every expected text is written by hand from the
 * fixture's CSV files (tests/cli/fixtures/small) and SPEC.md's rules. */
#include <stdlib.h>

#include <almanac/buf.h>
#include <almanac/export.h>

#include "../check.h"
#include "tmpdir.h"

/* The export of ds under o as CSV text, or NULL. */
static char *export_text(const struct alm_dataset *ds,
                         const struct alm_export_opts *o)
{
    struct alm_table *t = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    if (alm_export(ds, o, &t, &err) != ALM_OK) {
        fprintf(stderr, "export: %s\n", err.msg);
        return NULL;
    }
    struct alm_buf b = ALM_BUF_INIT;
    alm_table_format(t, &b); /* the export guards its cells itself */
    alm_table_free(t);
    /* The CLI's way, row by row without the table: the same text. */
    struct alm_buf direct = ALM_BUF_INIT;
    CHECK(alm_export_csv(ds, o, &direct, &err) == ALM_OK);
    CHECK_STR(direct.s ? direct.s : "", b.s ? b.s : "");
    alm_buf_release(&direct);
    return alm_buf_detach(&b);
}

static long day(const struct alm_dataset *ds, const char *date)
{
    long d = 0;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_as_of(ds, date, &d, &err) == ALM_OK, "%s", err.msg);
    return d;
}

static void check_text(char *got, const char *want, const char *what)
{
    CHECK_AT(got && strcmp(got, want) == 0, "%s:\n%s\nwant:\n%s", what,
             got ? got : "(null)", want);
    free(got);
}

static void test_small(const struct alm_dataset *ds)
{
    /* Long: every row, by indicator (file order), period, then vintage;
     * 2021's two vintages both kept. */
    struct alm_export_opts o = {.as_of = day(ds, NULL)};
    check_text(export_text(ds, &o),
               "indicator,period,value,qualifier,status,source,vintage,quote\n"
               "share,2014,7.6,,,seed-004,2024-03-03,growing from 7.6 percent "
               "in 2014 to over 13 percent in 2022\n"
               "share,2021,12.2,,P,nbs-2023,2022-03,\n"
               "share,2021,12.4,,,nbs-2023,2023-02,revised\n"
               "share,2022,13,>,,nbs-2023;seed-004,,over 13 percent in 2022\n"
               "growth_janfeb,2024-01/2024-02,7.5,,,nbs-2024-03,,grew 7.5% "
               "year-on-year in the first two months\n"
               "zones,2023-11,178,,,xinhua,,had reached 178 as of the end of "
               "November\n",
               "long");

    /* As of 2023-01-01 only 2021's provisional figure was published: the
     * 2014 row's vintage is 2024-03-03, the revision's 2023-02, and the
     * rows without a vintage take their source's date (2023-02-28,
     * 2024-03-18, 2023-12-12), all later. */
    o.as_of = day(ds, "2023-01-01");
    check_text(export_text(ds, &o),
               "indicator,period,value,qualifier,status,source,vintage,quote\n"
               "share,2021,12.2,,P,nbs-2023,2022-03,\n",
               "long as of 2023-01-01");

    /* Wide: a row per period in time order (2023-11 before the Jan-Feb
     * 2024 span), the figure analysis uses: 2021's revision 12.4. */
    o = (struct alm_export_opts){.wide = true, .as_of = day(ds, NULL)};
    check_text(export_text(ds, &o),
               "period,share,growth_janfeb,zones\n"
               "2014,7.6,,\n"
               "2021,12.4,,\n"
               "2022,13,,\n"
               "2023-11,,,178\n"
               "2024-01/2024-02,,7.5,\n",
               "wide");
}

/* A quote a spreadsheet would run gets "'" in front; a negative number
 * does not; raw keeps the text as it is. */
static void test_guard(void)
{
    if (!tmpdir_make("export"))
        return;
    put("indicators.csv", "id,title,unit,kind,frequency,scope,notes\n"
                          "x,X,%,growth,A,,\n");
    put("sources.csv", "id,title,publisher,date,location\n"
                       "s,S,P,2024-01-01,\n");
    put("observations.csv",
        "indicator,period,value,qualifier,status,source,vintage,quote\n"
        "x,2022,-3,,,s,,\"=HYPERLINK(\"\"http://e.x\"\")\"\n"
        "x,2023,2,,,s,,-5 percent\n");
    put("targets.csv", "indicator,period,value,comparator,qualifier,baseline,"
                       "announced,source,quote\n");
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    if (ds) {
        struct alm_export_opts o = {.as_of = day(ds, NULL)};
        check_text(
            export_text(ds, &o),
            "indicator,period,value,qualifier,status,source,vintage,quote\n"
            "x,2022,-3,,,s,,\"'=HYPERLINK(\"\"http://e.x\"\")\"\n"
            "x,2023,2,,,s,,'-5 percent\n",
            "guarded");
        o.raw = true;
        check_text(
            export_text(ds, &o),
            "indicator,period,value,qualifier,status,source,vintage,quote\n"
            "x,2022,-3,,,s,,\"=HYPERLINK(\"\"http://e.x\"\")\"\n"
            "x,2023,2,,,s,,-5 percent\n",
            "raw");
    }
    alm_dataset_free(ds);
    /* Exporting reads the dataset and writes nothing into it. */
    CHECK_STR(slurp("sources.csv"), "id,title,publisher,date,location\n"
                                    "s,S,P,2024-01-01,\n");
    const char *files[] = {"indicators.csv", "sources.csv", "observations.csv",
                           "targets.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        remove(at(files[i]));
    remove(dir);
}

int main(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/cli/fixtures/small",
             ALMANAC_SOURCE_DIR);
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(path, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    if (ds)
        test_small(ds);
    alm_dataset_free(ds);
    test_guard();
    return check_done();
}
