/* Scaling: the work of each command grows linearly (or as n log n) with
 * the dataset, measured by the library's operation counter (stats.h: hash
 * probes, sort comparisons, table cells read, rows visited), never by the
 * clock. Each step runs on datasets of 1,000 and 8,000 series (5 annual
 * observations and one target each) and the ratio of the counts must stay
 * below 12: linear work gives 8, n log n on 8x the ids about 10.4, and a
 * step that is quadratic in the series (a scan of every observation per
 * indicator, a linear search per row) gives 64 or more. The ratio must
 * also exceed 6, so a step the counter does not see fails too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/consistency.h>
#include <almanac/dataset.h>
#include <almanac/derive.h>
#include <almanac/export.h>
#include <almanac/fsio.h>
#include <almanac/import.h>
#include <almanac/project.h>
#include <almanac/series.h>
#include <almanac/stats.h>
#include <almanac/track.h>
#include <almanac/view.h>

#include "../check.h"
#include "dataset_stream.h"

#define PERIODS 5

/* The four files of a dataset of s series, as text. */
static void make_dataset(size_t s, struct alm_buf f[ALM_T_COUNT])
{
    alm_buf_puts(&f[ALM_T_INDICATORS],
                 "id,title,unit,kind,frequency,scope,notes\n");
    alm_buf_puts(&f[ALM_T_OBSERVATIONS],
                 "indicator,period,value,qualifier,status,source,vintage,"
                 "quote\n");
    alm_buf_puts(&f[ALM_T_SOURCES],
                 "id,title,publisher,date,location\ngen,Generated,test,"
                 "2025-01-31,\n");
    alm_buf_puts(&f[ALM_T_TARGETS],
                 "indicator,period,value,comparator,qualifier,baseline,"
                 "announced,source,quote\n");
    for (size_t i = 0; i < s; i++) {
        alm_buf_printf(&f[ALM_T_INDICATORS], "s%07zu,Series %zu,u,level,A,,\n",
                       i, i);
        for (int k = 0; k < PERIODS; k++)
            alm_buf_printf(&f[ALM_T_OBSERVATIONS],
                           "s%07zu,%d,%zu.%d,,,gen,2025-01-31,\n", i, 2019 + k,
                           100 + i % 97 + (size_t)k * (i % 5), k);
        alm_buf_printf(&f[ALM_T_TARGETS], "s%07zu,2030,500,>=,,,,,\n", i);
    }
}

enum step {
    S_READ,
    S_LIST,
    S_SHOW_ALL,
    S_EXPORT,
    S_EXPORT_WIDE,
    S_FIT,
    S_FIT_STREAM,
    S_TRACK,
    S_IMPORT,
    S_IMPORT_FILE,
    S_REIMPORT,
    S_IMPORT_FEW,
    S_EXPORT_TEXT,
    S_CHECK_STREAM,
    S_LIST_STREAM,
    S_EXPORT_STREAM,
    S_COUNT
};

static const char *const step_names[S_COUNT] = {"read and check",
                                                "list",
                                                "show every series",
                                                "export long",
                                                "export wide",
                                                "fit",
                                                "fit, streamed",
                                                "track",
                                                "import",
                                                "import a file",
                                                "import it again",
                                                "import 3 rows",
                                                "export as CSV",
                                                "check, streamed",
                                                "list, streamed",
                                                "export, streamed"};

/* The most rows of observations.csv the streamed fit held at once, at
 * each size (dataset_stream.c reads a stretch of whole series at a time,
 * here 16 KiB). */
static size_t held_rows[2];

static enum alm_status count_rows(void *ctx, const struct alm_dataset *ds,
                                  const long *as_of, struct alm_projection *p)
{
    size_t *rows = ctx;
    (void)ds;
    (void)as_of;
    *rows += p->nrows;
    return ALM_OK;
}

/* On the stream's two threads: a byte per projected row into the
 * stretch's text, counted as the texts come in order. */
static enum alm_status byte_rows(void *ctx, const struct alm_dataset *ds,
                                 const long *as_of, struct alm_projection *p,
                                 struct alm_buf *out)
{
    (void)ctx;
    (void)ds;
    (void)as_of;
    for (size_t i = 0; i < p->nrows; i++)
        if (alm_buf_putc(out, 'r') != ALM_OK)
            return ALM_ENOMEM;
    return ALM_OK;
}

static enum alm_status count_text(void *ctx, struct alm_buf *text)
{
    size_t *rows = ctx;
    *rows += text->len;
    return ALM_OK;
}

/* The dataset of files data[] written to a new folder made from the
 * mkdtemp template dir. */
static void write_folder(char *dir, const char *const data[ALM_T_COUNT],
                         const size_t len[ALM_T_COUNT])
{
    char path[200];
    CHECK(mkdtemp(dir) != NULL);
    for (int i = 0; i < ALM_T_COUNT; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, alm_table_files[i]);
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(data[i], 1, len[i], f) == len[i]);
        if (f)
            fclose(f);
    }
}

/* fit of the dataset of files data[] written to a folder, streamed
 * (alm_project_dataset), on two threads when parallel: the projected rows
 * to *rows, the most rows held at once to *held. */
static void fit_streamed(const char *const data[ALM_T_COUNT],
                         const size_t len[ALM_T_COUNT], bool parallel,
                         size_t *rows, size_t *held)
{
    char dir[] = "/tmp/almanac-scale-XXXXXX";
    write_folder(dir, data, len);
    struct alm_projection_opts po = {
        .model = {ALM_MODEL_LINEAR, 0}, .to = "2029", .level = 95};
    const struct alm_projection_sink sink = {
        .fn = count_rows,
        .ctx = rows,
        .rows = parallel ? byte_rows : NULL,
        .emit = parallel ? count_text : NULL};
    struct alm_dataset *ds = NULL;
    long as_of;
    alm__stream_stretch(16 << 10);
    alm__stream_rows_max = 0;
    alm_stats_reset();
    CHECK(alm_project_dataset(dir, NULL, 0, &po, NULL, &sink, &ds, &as_of));
    *held = alm__stream_rows_max;
    alm_dataset_free(ds);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* The most rows held at once by check, list and export streamed (scan.h),
 * at each size. */
static size_t scan_held[2];

/* check, list and export of the dataset of s series in files data[]
 * written to a folder, each reading it an indicator at a time: their
 * counts to ops. */
static void scan_streamed(size_t s, const char *const data[ALM_T_COUNT],
                          const size_t len[ALM_T_COUNT],
                          unsigned long long ops[S_COUNT])
{
    char dir[] = "/tmp/almanac-scale-XXXXXX";
    write_folder(dir, data, len);
    alm__stream_stretch(16 << 10);
    alm__stream_rows_max = 0;
    struct alm_check_counts c = {0};
    alm_stats_reset();
    CHECK(alm_check_dataset(dir, NULL, 100, &c));
    ops[S_CHECK_STREAM] = alm_stats_ops();
    CHECK_INT(c.indicators, s);
    CHECK_INT(c.observations, s * PERIODS);
    struct alm_table *t = NULL;
    long as_of;
    alm_stats_reset();
    CHECK(alm_view_list_dataset(dir, NULL, ALM_FORMAT_CSV, &t, &as_of));
    ops[S_LIST_STREAM] = alm_stats_ops();
    CHECK_INT(t ? t->nrows : 0, s);
    alm_table_free(t);
    struct alm_buf out = ALM_BUF_INIT;
    struct alm_export_opts eo = {.wide = false};
    alm_stats_reset();
    CHECK(alm_export_dataset(dir, &eo, NULL, NULL, &out, NULL, NULL));
    ops[S_EXPORT_STREAM] = alm_stats_ops();
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.s[i] == '\n';
    CHECK_INT(lines, 1 + s * PERIODS);
    alm_buf_release(&out);
    scan_held[s > 1000] = alm__stream_rows_max;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* Runs every step on a dataset of s series; ops[i] gets step i's count. */
static void measure(size_t s, unsigned long long ops[S_COUNT])
{
    struct alm_buf f[ALM_T_COUNT] = {ALM_BUF_INIT, ALM_BUF_INIT, ALM_BUF_INIT,
                                     ALM_BUF_INIT};
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    make_dataset(s, f);
    const char *data[ALM_T_COUNT];
    size_t len[ALM_T_COUNT];
    for (int i = 0; i < ALM_T_COUNT; i++) {
        data[i] = f[i].s;
        len[i] = f[i].len;
    }
    alm_error_clear(&err);
    alm_stats_reset();
    CHECK(alm_dataset_parse("ds", data, len, NULL, &ds, &err) == ALM_OK);
    ops[S_READ] = alm_stats_ops();
    if (!ds)
        return;
    CHECK_INT(ds->nobs, s * PERIODS);

    struct alm_table *t = NULL;
    alm_stats_reset();
    CHECK(alm_view_list(ds, ds->latest, ALM_FORMAT_CSV, &t) == ALM_OK);
    ops[S_LIST] = alm_stats_ops();
    CHECK_INT(t ? t->nrows : 0, s);
    alm_table_free(t);

    alm_stats_reset();
    size_t rows = 0;
    for (size_t k = 0; k < ds->nind; k++) {
        t = NULL;
        CHECK(alm_view_show(ds, k, ds->latest, false, &t, &err) == ALM_OK);
        rows += t ? t->nrows : 0;
        alm_table_free(t);
    }
    ops[S_SHOW_ALL] = alm_stats_ops();
    CHECK_INT(rows, s * PERIODS);

    for (int wide = 0; wide < 2; wide++) {
        struct alm_export_opts eo = {.wide = wide, .as_of = ds->latest};
        t = NULL;
        alm_stats_reset();
        CHECK(alm_export(ds, &eo, &t, &err) == ALM_OK);
        ops[wide ? S_EXPORT_WIDE : S_EXPORT] = alm_stats_ops();
        alm_table_free(t);
    }

    /* What the CLI's export does: the CSV text, row by row. */
    {
        struct alm_export_opts eo = {.as_of = ds->latest};
        struct alm_buf text = ALM_BUF_INIT;
        alm_stats_reset();
        CHECK(alm_export_csv(ds, &eo, &text, &err) == ALM_OK);
        ops[S_EXPORT_TEXT] = alm_stats_ops();
        /* The header and one line per observation. */
        size_t lines = 0;
        for (size_t i = 0; i < text.len; i++)
            lines += text.s[i] == '\n';
        CHECK_INT(lines, 1 + s * PERIODS);
        alm_buf_release(&text);
    }

    struct alm_projection_opts po = {.model = {ALM_MODEL_LINEAR, 0},
                                     .to = "2029",
                                     .level = 95,
                                     .as_of = ds->latest};
    struct alm_projection *p = NULL;
    size_t np = 0;
    alm_stats_reset();
    CHECK(alm_project_all(ds, NULL, 0, &po, &p, &np, &err) == ALM_OK);
    ops[S_FIT] = alm_stats_ops();
    CHECK_INT(np, s);
    CHECK_INT(np ? p[0].nrows : 0, 6); /* 2024 to 2029 */
    alm_projections_free(p, np);

    size_t srows = 0, held = 0;
    fit_streamed(data, len, false, &srows, &held);
    unsigned long long sequential = alm_stats_ops();
    CHECK_INT(srows, s * 6);
    srows = 0;
    fit_streamed(data, len, true, &srows, &held);
    ops[S_FIT_STREAM] = alm_stats_ops();
    CHECK_INT(srows, s * 6);
    /* The same work on two threads, all of it counted, and one lookup of
     * an id where each stretch begins. */
    CHECK(ops[S_FIT_STREAM] >= sequential &&
          ops[S_FIT_STREAM] - sequential <= sequential / 100);
    held_rows[s > 1000] = held;
    scan_streamed(s, data, len, ops);

    struct alm_track_opts to = {.method = ALM_TRACK_EUROSTAT,
                                .model = {ALM_MODEL_LINEAR, 0},
                                .level = 95,
                                .as_of = ds->latest};
    struct alm_track *a = NULL;
    size_t na = 0;
    alm_stats_reset();
    CHECK(alm_track_all(ds, NULL, 0, &to, &a, &na, &err) == ALM_OK);
    ops[S_TRACK] = alm_stats_ops();
    CHECK_INT(na, s);
    free(a);
    alm_dataset_free(ds);

    /* Import the observations as new indicators into an empty dataset. */
    char dir[] = "/tmp/almanac-scale-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK(alm_dataset_create(dir, &err) == ALM_OK);
    struct alm_table *in = NULL;
    CHECK(alm_table_parse(data[ALM_T_OBSERVATIONS], len[ALM_T_OBSERVATIONS],
                          "long.csv", &in, &err) == ALM_OK);
    /* No source column: the new dataset has no sources. */
    struct alm_import_opts io = {.kind = "level", .vintage = "2025-01-31"};
    struct alm_import_result res = {.observations = 0};
    long csrc = in ? alm_table_col(in, "source") : -1;
    for (size_t i = 0; in && csrc >= 0 && i < in->nrows; i++)
        alm_table_set(in, i, (size_t)csrc, "");
    alm_stats_reset();
    CHECK(in && alm_dataset_import(dir, in, &io, &res, &err) == ALM_OK);
    ops[S_IMPORT] = alm_stats_ops();
    if (err.status != ALM_OK)
        fprintf(stderr, "import: %s\n", err.msg);
    CHECK_INT(res.indicators, s);
    CHECK_INT(res.observations, s * PERIODS);
    alm_table_free(in);

    /* What the CLI's import does: a long file (indicator,period,value)
     * read by the import module into another new dataset. */
    char dir2[300], path[300];
    snprintf(dir2, sizeof dir2, "%s/second", dir);
    snprintf(path, sizeof path, "%s/long.csv", dir);
    struct alm_buf lf = ALM_BUF_INIT;
    alm_buf_puts(&lf, "indicator,period,value\n");
    for (size_t i = 0; i < s; i++)
        for (int k = 0; k < PERIODS; k++)
            alm_buf_printf(&lf, "s%07zu,%d,%zu.%d\n", i, 2019 + k, i % 89, k);
    CHECK(alm_fs_write_atomic(path, lf.s, lf.len, &err) == ALM_OK);
    alm_buf_release(&lf);
    CHECK(alm_dataset_create(dir2, &err) == ALM_OK);
    struct alm_import_spec spec = {
        .format = ALM_IMPORT_AUTO, .kind = "level", .vintage = "2025-01-31"};
    struct alm_import_summary sum = {.series = 0};
    alm_stats_reset();
    CHECK(alm_import_file(dir2, path, &spec, &sum, NULL, &err) == ALM_OK);
    ops[S_IMPORT_FILE] = alm_stats_ops();
    if (err.status != ALM_OK)
        fprintf(stderr, "import a file: %s\n", err.msg);
    CHECK_INT(sum.indicators, s);
    CHECK_INT(sum.appended, s * PERIODS);
    /* The same file again: every row is there already, from its source. */
    sum = (struct alm_import_summary){.series = 0};
    alm_stats_reset();
    CHECK(alm_import_file(dir2, path, &spec, &sum, NULL, &err) == ALM_OK);
    ops[S_REIMPORT] = alm_stats_ops();
    CHECK_INT(sum.present, s * PERIODS);
    CHECK_INT(sum.appended, 0);
    /* Three rows into it (two of a new indicator): the dataset is read
     * and written once, its rows not validated again. */
    alm_buf_puts(&lf, "indicator,period,value\n"
                      "s0000000,2100,1\n"
                      "added,2019,1\n"
                      "added,2020,2\n");
    CHECK(alm_fs_write_atomic(path, lf.s, lf.len, &err) == ALM_OK);
    alm_buf_release(&lf);
    sum = (struct alm_import_summary){.series = 0};
    alm_stats_reset();
    CHECK(alm_import_file(dir2, path, &spec, &sum, NULL, &err) == ALM_OK);
    ops[S_IMPORT_FEW] = alm_stats_ops();
    CHECK_INT(sum.appended, 3);
    CHECK_INT(sum.indicators, 1);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    for (int i = 0; i < ALM_T_COUNT; i++)
        alm_buf_release(&f[i]);
}

/* The work a command naming one indicator does beyond reading the
 * dataset, on s series and one derived indicator d = pc1(s0000000):
 * [0] its figures recorded (alm_derive_record, what cli_prepare does for
 * `fit d`), [1] every derived one recorded (`list`), [2] --transform pc1
 * of one series (alm_series_dataset, `fit --transform pc1 s0000001`).
 * None of them may grow with the dataset: copying and parsing it again
 * (what alm_derive_dataset does) grows as it does. */
static void measure_one(size_t s, unsigned long long ops[3])
{
    struct alm_buf f[ALM_T_COUNT] = {ALM_BUF_INIT, ALM_BUF_INIT, ALM_BUF_INIT,
                                     ALM_BUF_INIT};
    make_dataset(s, f);
    struct alm_buf ind = ALM_BUF_INIT;
    /* make_dataset's indicators with a column formula, and d. */
    alm_buf_puts(&ind, "id,title,unit,kind,frequency,scope,notes,formula\n");
    const char *p = strchr(f[ALM_T_INDICATORS].s, '\n') + 1;
    while (*p) {
        size_t len = strcspn(p, "\n");
        alm_buf_printf(&ind, "%.*s,\n", (int)len, p);
        p += len + 1;
    }
    alm_buf_puts(&ind, "d,Growth,%,growth,A,,,pc1(s0000000)\n");
    const char *data[ALM_T_COUNT] = {ind.s, f[1].s, f[2].s, f[3].s};
    size_t len[ALM_T_COUNT] = {ind.len, f[1].len, f[2].len, f[3].len};
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    alm_error_clear(&err);
    CHECK(alm_dataset_parse("ds", data, len, NULL, &ds, &err) == ALM_OK);
    if (!ds)
        return;
    size_t d = (size_t)alm_dataset_find_indicator(ds, "d"), n;
    const size_t *idx;
    alm_stats_reset();
    CHECK(alm_derive_record(ds, &d, 1, &err) == ALM_OK);
    ops[0] = alm_stats_ops();
    alm_dataset_obs_of(ds, d, &idx, &n);
    CHECK_INT(n, PERIODS - 1); /* a growth for every year but the first */
    alm_dataset_free(ds);
    ds = NULL;
    CHECK(alm_dataset_parse("ds", data, len, NULL, &ds, &err) == ALM_OK);
    if (!ds)
        return;
    alm_stats_reset();
    CHECK(alm_derive_record(ds, NULL, 0, &err) == ALM_OK);
    ops[1] = alm_stats_ops();
    CHECK(alm_derive_recorded(ds, d));
    struct alm_series_opts pc1 = {.tx = ALM_TX_PC1};
    struct alm_dataset *tx = NULL;
    size_t one = 1;
    alm_stats_reset();
    CHECK(alm_series_dataset(ds, &one, 1, &pc1, ALM_DATE_NONE, &tx, NULL,
                             &err) == ALM_OK);
    ops[2] = alm_stats_ops();
    CHECK_INT(tx ? tx->nobs : 0, PERIODS - 1);
    alm_dataset_free(tx);
    alm_dataset_free(ds);
    alm_buf_release(&ind);
    for (int i = 0; i < ALM_T_COUNT; i++)
        alm_buf_release(&f[i]);
}

int main(void)
{
    unsigned long long small[S_COUNT], big[S_COUNT];
    measure(1000, small);
    measure(8000, big);
    for (int i = 0; i < S_COUNT; i++) {
        double r = small[i] ? (double)big[i] / (double)small[i] : 0;
        printf("%-18s %12llu %12llu  x%.2f\n", step_names[i], small[i], big[i],
               r);
        CHECK_AT(r > 6 && r < 12,
                 "%s: 8x the series took %.2fx the operations (%llu vs %llu)",
                 step_names[i], r, big[i], small[i]);
    }
    /* The streamed fit holds a stretch of rows, never the whole table:
     * 16 KiB of rows of about 25 bytes (the rows of one series more at
     * most), however many series there are. */
    printf("fit, streamed: at most %zu and %zu rows held\n", held_rows[0],
           held_rows[1]);
    CHECK(held_rows[0] > 0 && held_rows[0] <= 1000);
    CHECK(held_rows[1] > 0 && held_rows[1] <= 1000);
    /* So do check, list and export. */
    printf("check, list, export, streamed: at most %zu and %zu rows held\n",
           scan_held[0], scan_held[1]);
    CHECK(scan_held[0] > 0 && scan_held[0] <= 1000);
    CHECK(scan_held[1] > 0 && scan_held[1] <= 1000);
    /* One indicator's work, on 8x the series: the same, give or take the
     * hash probes of longer tables. */
    static const char *const one_names[3] = {
        "derive one", "derive every one (one declared)", "transform one"};
    unsigned long long one_small[3], one_big[3];
    measure_one(1000, one_small);
    measure_one(8000, one_big);
    for (int i = 0; i < 3; i++) {
        double r = one_small[i] ? (double)one_big[i] / (double)one_small[i] : 0;
        printf("%-32s %8llu %8llu  x%.2f\n", one_names[i], one_small[i],
               one_big[i], r);
        CHECK_AT(one_small[i] > 0 && r < 1.5,
                 "%s: 8x the series took %.2fx the operations (%llu vs %llu)",
                 one_names[i], r, one_big[i], one_small[i]);
    }
    return check_done();
}
