/* check, list and export on a dataset read one indicator at a time
 * (alm_check_dataset, alm_view_list_dataset, alm_export_dataset over
 * engine/dataset_stream.c): on every dataset the stream serves, the same
 * bytes and the same warnings, in the same order, as the whole read
 * (alm_dataset_open, then alm_consistency_check, alm_view_list,
 * alm_export_csv), whose text the CLI goldens hold; on every dataset it
 * cannot serve and every problem, false with nothing reported. Stretches
 * as small as a byte make every series boundary a stretch boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/consistency.h>
#include <almanac/dataset.h>
#include <almanac/export.h>
#include <almanac/project.h>
#include <almanac/view.h>

#include "../check.h"
#include "dataset_stream.h"
#include "tmpdir.h"

static const char *const ind_csv =
    "id,title,unit,kind,frequency,scope,notes\n"
    "gdp,GDP,bn,level,A,,\n"
    "empty,No data yet,%,share,A,,\n"
    "\"une\",Unemployment,%,share,Q,,\"a note, with a comma\"\n"
    "pop,Population,m,count,I,,\n";

static const char *const src_csv = "id,title,publisher,date,location\n"
                                   "nso,Statistics office,NSO,2024-03-01,\n"
                                   "imf,IMF WEO,IMF,2024-10-15,\n"
                                   "nod,Undated,X,,\n";

static const char *const tgt_csv =
    "indicator,period,value,comparator,qualifier,baseline,announced,source,"
    "quote\n"
    "gdp,2030,900,>=,,,2020-01-01,,\n";

/* Grouped in the order of indicators.csv, with (by hand) 4 warnings:
 * lines 10 and 13 have no vintage (nod has no date: one warning, counted,
 * at line 10); gdp 2022 has two figures of the vintage 2024-10-15 from
 * imf and nso (one warning, at the second, line 9), which agree (760
 * reads as rounded to 10: 755 to 765); gdp 2021 was revised by nso from
 * 731 to 735.25 (one); pop, a stock counted at dates, fell from 10.3 to
 * 9.2 (one). Also: a quote on two lines, a CRLF line end, a formula
 * trigger in a quote, a column of its own. */
static const char *const obs_csv =
    "indicator,period,value,qualifier,status,source,vintage,quote,extra\n"
    "gdp,2018,700,,,nso,,,a\n"
    "gdp,2019,712.5,,,nso,,\"said, on\ntwo lines\",\n"
    "gdp,2020,690,,B,nso,,,\n"
    "gdp,2021,731,,,nso,2023-01-10,,\n"
    "gdp,2021,735.25,,,nso,2024-02-01,,\n"
    "gdp,2022,760,~,,imf,,,\r\n"
    "gdp,2022,761,,,nso,2024-10-15,,b\n"
    "une,2020-Q1,5.1,,,nod,,,\n"
    "une,2020-Q2,5.9,,,nso,,=HYPERLINK(1),\n"
    "une,2020-Q3,6.4,,,nso;imf,,,\n"
    "pop,2024-01-01,10.1,,,nod,,,\n"
    "pop,2024-02-01,10.3,,,nso,2024-02-02,,\n"
    "pop,2024-03-01,9.2,,,nso,2024-03-02,,\n";

static void write_dataset(const char *ind, const char *obs)
{
    put("indicators.csv", ind);
    put("sources.csv", src_csv);
    put("targets.csv", tgt_csv);
    put("observations.csv", obs);
}

static const size_t sizes[] = {1, 7, 64, 300, (size_t)4 << 20};
#define NSIZES (sizeof sizes / sizeof *sizes)

/* Problems as check prints them, one a line. */
struct seen {
    struct alm_buf text;
    size_t n;
};

static void note(void *ctx, const struct alm_error *e, bool warning)
{
    struct seen *s = ctx;
    char line[1200];
    alm_error_format(e, line, sizeof line);
    alm_buf_printf(&s->text, "%s%s\n", warning ? "warning: " : "", line);
    s->n++;
}

static bool same_text(const struct alm_buf *a, const struct alm_buf *b)
{
    return a->len == b->len && (!a->len || memcmp(a->s, b->s, a->len) == 0);
}

static void check_same(const char *what)
{
    struct seen ref = {ALM_BUF_INIT, 0};
    struct alm_problem_sink to_ref = {note, &ref};
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, &to_ref, &ds, &err) == ALM_OK &&
                 alm_consistency_check(ds, &to_ref, NULL, &err) == ALM_OK,
             "%s: the whole read", what);
    struct alm_check_counts want = alm_check_counts_of(ds);
    alm_dataset_free(ds);
    for (size_t i = 0; i < NSIZES; i++) {
        struct seen got = {ALM_BUF_INIT, 0};
        struct alm_problem_sink to = {note, &got};
        struct alm_check_counts c;
        alm__stream_stretch(sizes[i]);
        bool ok = alm_check_dataset(dir, &to, 1000, &c);
        CHECK_AT(ok, "%s, stretch %zu: the stream gave up", what, sizes[i]);
        CHECK_AT(ok && same_text(&got.text, &ref.text),
                 "%s, stretch %zu:\n%s\nvs the whole read's\n%s", what,
                 sizes[i], got.text.s, ref.text.s);
        CHECK_AT(ok && c.indicators == want.indicators &&
                     c.observations == want.observations &&
                     c.sources == want.sources && c.targets == want.targets &&
                     c.unreported == 0,
                 "%s, stretch %zu: the counts", what, sizes[i]);
        alm_buf_release(&got.text);
        /* The first two given, the rest counted. */
        struct seen two = {ALM_BUF_INIT, 0};
        to.ctx = &two;
        ok = alm_check_dataset(dir, &to, 2, &c);
        const char *cut = ref.text.s ? ref.text.s : "";
        for (int k = 0; k < 2 && strchr(cut, '\n'); k++)
            cut = strchr(cut, '\n') + 1;
        size_t head = (size_t)(cut - (ref.text.s ? ref.text.s : ""));
        CHECK_AT(ok && two.n == (ref.n < 2 ? ref.n : 2) &&
                     two.text.len == head &&
                     (!head || memcmp(two.text.s, ref.text.s, head) == 0) &&
                     c.unreported == ref.n - two.n,
                 "%s, stretch %zu, two shown: %zu given, %zu counted", what,
                 sizes[i], two.n, c.unreported);
        alm_buf_release(&two.text);
    }
    alm__stream_stretch((size_t)1 << 20);
    alm_buf_release(&ref.text);
}

static void list_same(const char *what, const char *as_of_text)
{
    static const enum alm_format f[] = {ALM_FORMAT_CSV, ALM_FORMAT_TABLE,
                                        ALM_FORMAT_JSON};
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    long as_of = 0;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK &&
                 alm_dataset_as_of(ds, as_of_text, &as_of, &err) == ALM_OK,
             "%s: the whole read", what);
    for (size_t j = 0; ds && j < 3; j++) {
        struct alm_buf ref = ALM_BUF_INIT;
        struct alm_table *t = NULL;
        CHECK(alm_view_list(ds, as_of, f[j], &t) == ALM_OK &&
              alm_view_write(t, f[j], as_of, &ref) == ALM_OK);
        alm_table_free(t);
        for (size_t i = 0; i < NSIZES; i++) {
            struct alm_buf got = ALM_BUF_INIT;
            long date = 0;
            t = NULL;
            alm__stream_stretch(sizes[i]);
            bool ok = alm_view_list_dataset(dir, as_of_text, f[j], &t, &date) &&
                      alm_view_write(t, f[j], date, &got) == ALM_OK;
            CHECK_AT(ok && date == as_of && same_text(&got, &ref),
                     "%s, format %zu, stretch %zu:\n%s\nvs\n%s", what, j,
                     sizes[i], got.s, ref.s);
            alm_table_free(t);
            alm_buf_release(&got);
        }
        alm_buf_release(&ref);
    }
    alm__stream_stretch((size_t)1 << 20);
    alm_dataset_free(ds);
}

/* The flush of alm_export_dataset: moves the text to all. */
static enum alm_status take(void *ctx, struct alm_buf *out)
{
    struct alm_buf *all = ctx;
    enum alm_status st = alm_buf_add(all, out->s ? out->s : "", out->len);
    alm_buf_reset(out);
    return st;
}

/* export both ways; with po, with the projections of po. */
static void export_same(const char *what, const char *as_of_text, bool raw,
                        const struct alm_projection_opts *po)
{
    struct alm_dataset *ds = NULL;
    struct alm_error err;
    struct alm_export_opts o = {.raw = raw};
    struct alm_buf ref = ALM_BUF_INIT;
    struct alm_projection *p = NULL;
    size_t np = 0;
    alm_error_clear(&err);
    bool ok = alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK &&
              alm_dataset_as_of(ds, as_of_text, &o.as_of, &err) == ALM_OK;
    if (ok && po) {
        struct alm_projection_opts pw = *po;
        pw.as_of = o.as_of;
        ok = alm_project_all(ds, NULL, 0, &pw, &p, &np, &err) == ALM_OK;
        o.proj = p;
        o.nproj = np;
    }
    CHECK_AT(ok && alm_export_csv(ds, &o, &ref, &err) == ALM_OK,
             "%s: the whole read", what);
    alm_projections_free(p, np);
    alm_dataset_free(ds);
    o.proj = NULL;
    o.nproj = 0;
    for (size_t i = 0; i < NSIZES; i++) {
        struct alm_buf got = ALM_BUF_INIT, rest = ALM_BUF_INIT;
        alm__stream_stretch(sizes[i]);
        /* Without a flush, and with one taking each indicator's rows. */
        ok = alm_export_dataset(dir, &o, po, as_of_text, &got, NULL, NULL);
        CHECK_AT(ok && same_text(&got, &ref), "%s, stretch %zu:\n%s\nvs\n%s",
                 what, sizes[i], got.s, ref.s);
        alm_buf_reset(&got);
        ok = alm_export_dataset(dir, &o, po, as_of_text, &rest, take, &got) &&
             take(&got, &rest) == ALM_OK;
        CHECK_AT(ok && same_text(&got, &ref), "%s, flushed, stretch %zu", what,
                 sizes[i]);
        alm_buf_release(&got);
        alm_buf_release(&rest);
    }
    alm__stream_stretch((size_t)1 << 20);
    alm_buf_release(&ref);
}

/* Every reader gives up, with nothing reported. */
static void gives_up(const char *what)
{
    struct seen got = {ALM_BUF_INIT, 0};
    struct alm_problem_sink to = {note, &got};
    struct alm_check_counts c;
    struct alm_table *t = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    struct alm_export_opts o = {.raw = false};
    long date;
    alm__stream_stretch(16);
    CHECK_AT(!alm_check_dataset(dir, &to, 100, &c) && got.n == 0,
             "%s: check should give up, silently", what);
    CHECK_AT(!alm_view_list_dataset(dir, NULL, ALM_FORMAT_CSV, &t, &date),
             "%s: list should give up", what);
    CHECK_AT(!alm_export_dataset(dir, &o, NULL, NULL, &out, NULL, NULL),
             "%s: export should give up", what);
    alm__stream_stretch((size_t)1 << 20);
    alm_buf_release(&got.text);
    alm_buf_release(&out);
}

int main(void)
{
    (void)slurp;
    if (!tmpdir_make("scan"))
        return 1;
    write_dataset(ind_csv, obs_csv);
    check_same("the dataset");
    list_same("latest", NULL);
    list_same("as of", "2024-02-01");
    export_same("latest", NULL, false, NULL);
    export_same("as of", "2024-02-01", false, NULL);
    export_same("raw", NULL, true, NULL);
    struct alm_projection_opts po = {
        .model = {ALM_MODEL_LINEAR, 0}, .to = "2027", .level = 95};
    export_same("projections", NULL, false, &po);
    export_same("projections as of", "2024-02-01", false, &po);
    po.model = (struct alm_model_spec){ALM_MODEL_AUTO, 0};
    po.level = 80;
    export_same("projections, auto, 80%", NULL, true, &po);

    /* The hand counts of obs_csv's comment. */
    struct seen got = {ALM_BUF_INIT, 0};
    struct alm_problem_sink to = {note, &got};
    struct alm_check_counts c;
    CHECK(alm_check_dataset(dir, &to, 100, &c));
    CHECK_INT(got.n, 4);
    CHECK_INT(c.indicators, 4);
    CHECK_INT(c.observations, 13);
    CHECK_INT(c.sources, 3);
    CHECK_INT(c.targets, 1);
    const char *t = got.text.s ? got.text.s : "";
    CHECK(strstr(t, "observations.csv:10: field 'vintage': publication date "
                    "unknown for 2 rows") ==
          t + strlen("warning: ") + strlen(dir) + 1);
    CHECK(strstr(t, "observations.csv:9: gdp 2022 has 2 figures of the same "
                    "vintage from different sources") != NULL);
    CHECK(strstr(t, "pop fell from 10.3") != NULL);
    alm_buf_release(&got.text);
    /* As of 2024-02-01 the export keeps the rows of vintages up to then
     * and those without: gdp 2021's two, une 2020-Q1 and pop 2024-01-01
     * (nso's rows without their own vintage have its date, 2024-03-01):
     * 4 and the header. */
    struct alm_buf out = ALM_BUF_INIT;
    struct alm_export_opts o = {.raw = false};
    CHECK(alm_export_dataset(dir, &o, NULL, "2024-02-01", &out, NULL, NULL));
    CHECK_STR(out.s,
              "indicator,period,value,qualifier,status,source,vintage,quote,"
              "extra\n"
              "gdp,2021,731,,,nso,2023-01-10,,\n"
              "gdp,2021,735.25,,,nso,2024-02-01,,\n"
              "une,2020-Q1,5.1,,,nod,,,\n"
              "pop,2024-01-01,10.1,,,nod,,,\n");
    alm_buf_reset(&out);
    /* The latest: every row, the formula trigger guarded. */
    CHECK(alm_export_dataset(dir, &o, NULL, NULL, &out, NULL, NULL));
    CHECK(out.s && strstr(out.s, "une,2020-Q2,5.9,,,nso,,'=HYPERLINK(1),\n"));
    alm_buf_release(&out);

    /* A change log whose last line is no write's, and one whose digest of
     * observations.csv is not the file's: warned after the rows', before
     * the consistency warnings, as the whole read does. */
    put("changes.log", "not a write\n");
    check_same("a change log of another shape");
    put("changes.log", "2024-01-01T00:00:00Z\timport\t3\tobservations.csv:"
                       "00000000000000000000000000000000000000000000000000000"
                       "00000000000\n");
    check_same("a change log with another digest");
    got = (struct seen){ALM_BUF_INIT, 0};
    CHECK(alm_check_dataset(dir, &to, 100, &c));
    CHECK_INT(got.n, 5);
    CHECK(got.text.s && strstr(got.text.s, "edited by hand since the last "
                                           "write (2024-01-01T00:00:00Z"));
    alm_buf_release(&got.text);
    remove(at("changes.log"));

    /* More warnings than are shown: 150 revisions more than rounding
     * apart. */
    struct alm_buf big = ALM_BUF_INIT;
    alm_buf_puts(&big, "indicator,period,value,qualifier,status,source,"
                       "vintage,quote,extra\n");
    for (int k = 0; k < 150; k++)
        alm_buf_printf(&big,
                       "gdp,%d,%d,,,nso,2023-01-01,,\n"
                       "gdp,%d,%d,,,nso,2024-01-01,,\n",
                       1800 + k, 100 + k, 1800 + k, 200 + k);
    write_dataset(ind_csv, big.s);
    alm_buf_release(&big);
    check_same("150 warnings");
    got = (struct seen){ALM_BUF_INIT, 0};
    CHECK(alm_check_dataset(dir, &to, 100, &c));
    CHECK_INT(got.n, 100);
    CHECK_INT(c.unreported, 50);
    alm_buf_release(&got.text);

    /* Empty files. */
    write_dataset("id,title,unit,kind,frequency,scope,notes\n",
                  "indicator,period,value\n");
    put("targets.csv", "indicator,period,value,comparator\n");
    check_same("no indicators");
    list_same("no indicators", NULL);
    export_same("no indicators", NULL, false, NULL);
    export_same("no indicators, projections", NULL, false, &po);

    /* What the stream does not serve, and problems: read whole. */
    char ind[1024];
    snprintf(ind, sizeof ind, "%s",
             "id,title,unit,kind,frequency,scope,notes,formula,same_as\n"
             "gdp,GDP,bn,level,A,,,,\n"
             "empty,No data yet,%,share,A,,,,gdp\n"
             "une,Unemployment,%,share,Q,,,,\n"
             "pop,Population,m,count,I,,,,\n");
    write_dataset(ind, obs_csv);
    gives_up("a same_as");
    CHECK(!alm_export_dataset(dir, &(struct alm_export_opts){.raw = false}, &po,
                              NULL, &out, NULL, NULL));
    alm_buf_release(&out);
    write_dataset("id,title,unit,kind,frequency,scope,notes,formula\n"
                  "gdp,GDP,bn,level,A,,,\n"
                  "empty,No data yet,%,share,A,,,\n"
                  "une,Unemployment,%,share,Q,,,\n"
                  "pop,Population,m,count,I,,,gdp * 2\n",
                  obs_csv);
    gives_up("a formula");
    write_dataset(ind_csv, "indicator,period,value\npop,2024-01-01,1\n"
                           "gdp,2018,700\n");
    gives_up("not in the order of indicators.csv");
    write_dataset(ind_csv, "indicator,period,value\ngdp,2018,700\n"
                           "gdp,2018,701\n");
    gives_up("a duplicate");
    write_dataset(ind_csv, "indicator,period,value,qualifier,status,source,"
                           "vintage,quote,correction,recorded,note\n"
                           "gdp,2018,700,,,nso,,,,,\n");
    gives_up("the columns of corrections");
    write_dataset(ind_csv, obs_csv);
    struct alm_table *tab = NULL;
    long date;
    CHECK(
        !alm_view_list_dataset(dir, "2024-13-01", ALM_FORMAT_CSV, &tab, &date));
    CHECK(!alm_export_dataset(dir, &(struct alm_export_opts){.wide = true},
                              NULL, NULL, &out, NULL, NULL));
    alm_buf_release(&out);

    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
