/* Fitting a dataset read one indicator at a time (alm_project_dataset,
 * engine/dataset_stream.c): on every dataset it serves, its CSV is byte
 * for byte the CSV of the whole read (alm_dataset_open, alm_project_all,
 * alm_view_fit), whose text the CLI goldens hold; on every dataset it
 * cannot serve, and on every problem, it gives up (and the CLI reads the
 * dataset whole, whose messages the goldens hold too). Stretches as small
 * as a few bytes make every series boundary a stretch boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
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
    "pop,Population,m,count,A,,\n";

static const char *const src_csv = "id,title,publisher,date,location\n"
                                   "nso,Statistics office,NSO,2024-03-01,\n"
                                   "imf,IMF WEO,IMF,2024-10-15,\n";

static const char *const tgt_csv =
    "indicator,period,value,comparator,qualifier,baseline,announced,source,"
    "quote\n"
    "gdp,2030,900,>=,,,2020-01-01,,\n"
    "pop,2032,12,<=,,,,,\n";

/* Grouped in the order of indicators.csv: revisions (a later vintage of
 * 2021), a forecast, a break, a qualified figure, a quoted quote with a
 * line break, CRLF line ends on some rows. */
static const char *const obs_csv =
    "indicator,period,value,qualifier,status,source,vintage,quote\n"
    "gdp,2018,700,,,nso,,\n"
    "gdp,2019,712.5,,,nso,,\"said, on\ntwo lines\"\n"
    "gdp,2020,690,,B,nso,,\n"
    "gdp,2021,731,,P,nso,2023-01-10,\n"
    "gdp,2021,735.25,,,nso,2024-02-01,\n"
    "gdp,2022,760,~,,imf,,\r\n"
    "gdp,2025,800,,F,imf,,\n"
    "une,2020-Q1,5.1,,,nso,,\n"
    "une,2020-Q2,5.9,,,nso,,\n"
    "une,2020-Q3,6.4,,,nso;imf,,\n"
    "une,2020-Q4,6.1,,,nso,,\n"
    "une,2021-Q1,5.7,,,nso,,\n"
    "pop,2015,10.1,,,nso,,\n"
    "pop,2016,10.3,,,nso,,\n"
    "pop,2017,10.2,,,nso,2024-05-01,\n";

static void write_dataset(const char *obs, const char *tgt)
{
    put("indicators.csv", ind_csv);
    put("sources.csv", src_csv);
    put("targets.csv", tgt ? tgt : tgt_csv);
    put("observations.csv", obs);
}

struct collect {
    struct alm_buf out;
    double level;
    size_t calls, held; /* projections given, given before as_of known */
};

static enum alm_status take(void *ctx, const struct alm_dataset *ds,
                            const long *as_of, struct alm_projection *p)
{
    struct collect *c = ctx;
    c->calls++;
    c->held += as_of == NULL;
    return alm_view_fit_csv_rows(ds, p, c->level, as_of, &c->out);
}

/* The CSV of the whole read, into out; false when it fails. */
static bool whole(const struct alm_projection_opts *o, const char *as_of_text,
                  char **ids, size_t nids, struct alm_buf *out)
{
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_projection *p = NULL;
    size_t np = 0, *idx = NULL, nidx = 0;
    long as_of = 0;
    alm_error_clear(&err);
    bool ok = alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK &&
              alm_dataset_as_of(ds, as_of_text, &as_of, &err) == ALM_OK &&
              alm_dataset_pick(ds, ids, nids, &idx, &nidx, &err) == ALM_OK;
    struct alm_projection_opts po = *o;
    po.as_of = as_of;
    ok =
        ok && alm_project_all(ds, idx, nidx, &po, &p, &np, &err) == ALM_OK &&
        alm_view_fit(ds, p, np, ALM_FORMAT_CSV, as_of, po.level, out) == ALM_OK;
    alm_projections_free(p, np);
    free(idx);
    alm_dataset_free(ds);
    return ok;
}

/* On the stream's two threads: the rows of a projection into the
 * stretch's text (nothing counted: the other thread may be counting). */
static enum alm_status take_rows(void *ctx, const struct alm_dataset *ds,
                                 const long *as_of, struct alm_projection *p,
                                 struct alm_buf *out)
{
    const struct collect *c = ctx;
    return alm_view_fit_csv_rows(ds, p, c->level, as_of, out);
}

static enum alm_status take_text(void *ctx, struct alm_buf *text)
{
    struct collect *c = ctx;
    c->calls++;
    return alm_buf_add(&c->out, text->s, text->len);
}

/* Fills the holes of text with as_of into out, taking the text a block
 * of `block` bytes at a time as cmd_fit.c takes its output file. */
static bool fill(const struct alm_buf *text, size_t block, long as_of,
                 struct alm_buf *out)
{
    char *b = malloc(block);
    size_t have = 0, r = 0;
    bool ok = b != NULL;
    for (bool eof = false; ok && !eof;) {
        size_t n = text->len - r < block - have ? text->len - r : block - have;
        memcpy(b + have, text->s + r, n);
        eof = n == 0;
        r += n;
        have += n;
        size_t filled, used;
        ok = alm_view_fit_csv_date(b, have, as_of, &filled, &used) == ALM_OK &&
             alm_buf_add(out, b, filled) == ALM_OK;
        memmove(b, b + used, have - used);
        have -= used;
    }
    free(b);
    return ok && have == 0;
}

/* The streamed CSV into out (the rows held for their date filled at the
 * end, a block of `block` bytes at a time); on two threads when parallel;
 * false when the stream gives up. */
static bool streamed(const struct alm_projection_opts *o,
                     const char *as_of_text, char **ids, size_t nids,
                     bool parallel, size_t block, struct alm_buf *out,
                     size_t *held)
{
    struct collect c = {ALM_BUF_INIT, o->level, 0, 0};
    const struct alm_projection_sink sink = {
        .fn = take,
        .ctx = &c,
        .rows = parallel ? take_rows : NULL,
        .emit = parallel ? take_text : NULL};
    struct alm_dataset *ds = NULL;
    long as_of = 0;
    alm_view_fit_csv_head(out);
    bool ok =
        alm_project_dataset(dir, ids, nids, o, as_of_text, &sink, &ds, &as_of);
    if (ok)
        ok = fill(&c.out, block, as_of, out);
    *held = c.held;
    alm_buf_release(&c.out);
    alm_dataset_free(ds);
    return ok;
}

/* Streams with stretches of every size in sizes and checks each output
 * against the whole read's. */
static void same(const char *what, const struct alm_projection_opts *o,
                 const char *as_of_text, char **ids, size_t nids,
                 size_t expect_held)
{
    static const size_t sizes[] = {1, 7, 64, 300, (size_t)4 << 20};
    struct alm_buf ref = ALM_BUF_INIT;
    CHECK_AT(whole(o, as_of_text, ids, nids, &ref), "%s: whole read", what);
    for (size_t i = 0; i < 2 * sizeof sizes / sizeof *sizes; i++) {
        struct alm_buf got = ALM_BUF_INIT;
        size_t held = 0, size = sizes[i / 2];
        bool parallel = i % 2;
        /* Blocks of the text to fill from a hole's length up. */
        size_t block = ALM_VIEW_FIT_HOLE + size % 97;
        alm__stream_stretch(size);
        bool ok =
            streamed(o, as_of_text, ids, nids, parallel, block, &got, &held);
        CHECK_AT(ok, "%s, stretch %zu%s: the stream gave up", what, size,
                 parallel ? ", two threads" : "");
        CHECK_AT(ok && got.len == ref.len && memcmp(got.s, ref.s, ref.len) == 0,
                 "%s, stretch %zu%s:\n%s\nvs the whole read's\n%s", what, size,
                 parallel ? ", two threads" : "", got.s, ref.s);
        /* The parallel run gives its projections as text, uncounted. */
        CHECK_AT(parallel || held == expect_held, "%s: %zu held, expected %zu",
                 what, held, expect_held);
        alm_buf_release(&got);
    }
    alm__stream_stretch((size_t)4 << 20);
    alm_buf_release(&ref);
}

static void gives_up(const char *what, const struct alm_projection_opts *o,
                     const char *as_of_text)
{
    struct alm_buf got = ALM_BUF_INIT;
    size_t held;
    alm__stream_stretch(16);
    CHECK_AT(!streamed(o, as_of_text, NULL, 0, false, 64, &got, &held),
             "%s: the stream should give up", what);
    alm_buf_reset(&got);
    CHECK_AT(!streamed(o, as_of_text, NULL, 0, true, 64, &got, &held),
             "%s: the stream on two threads should give up", what);
    alm__stream_stretch((size_t)4 << 20);
    alm_buf_release(&got);
}

int main(void)
{
    (void)slurp;
    if (!tmpdir_make("stream"))
        return 1;
    struct alm_projection_opts o = {
        .model = {ALM_MODEL_LINEAR, 0}, .to = "2027", .level = 95};
    write_dataset(obs_csv, NULL);
    /* 4 indicators, as of the latest vintage: every one held for it. */
    same("linear to 2027", &o, NULL, NULL, 0, 4);
    same("as of a date", &o, "2023-06-30", NULL, 0, 0);
    o.model = (struct alm_model_spec){ALM_MODEL_AUTO, 0};
    same("auto", &o, NULL, NULL, 0, 4);
    /* The horizon from the targets: gdp's was announced before the
     * vintages read by then, pop's has no date. */
    o.to = NULL;
    same("to the targets", &o, NULL, NULL, 0, 4);
    char pop[] = "pop", gdp[] = "gdp", empty[] = "empty";
    char *ids[] = {pop, gdp, pop, empty};
    same("named, out of order, one twice", &o, NULL, ids, 4, 0);
    o.level = 80;
    same("level 80, as of", &o, "2024-03-01", ids, 2, 0);

    /* A BOM and a file without its last line end. */
    char text[4096];
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", obs_csv);
    text[strlen(text) - 1] = '\0';
    write_dataset(text, NULL);
    same("BOM, no last line end", &o, NULL, NULL, 0, 4);

    /* A target announced after every vintage read when its series comes:
     * whether it counts depends on vintages still to come. */
    write_dataset(obs_csv, "indicator,period,value,comparator,qualifier,"
                           "baseline,announced,source,quote\n"
                           "gdp,2030,900,>=,,,2024-12-01,,\n");
    gives_up("target announced late, no --to", &o, NULL);
    o.to = "2027";
    same("target announced late, --to", &o, NULL, NULL, 0, 4);
    same("target announced late, --as-of", &o, "2024-12-31", NULL, 0, 0);

    /* Files it cannot serve, and problems: the whole read reports them. */
    snprintf(text, sizeof text, "%sgdp,2023,770,,,nso,,\n", obs_csv);
    write_dataset(text, NULL);
    gives_up("a row of gdp appended after pop's", &o, NULL);
    struct alm_buf ref = ALM_BUF_INIT;
    CHECK(whole(&o, NULL, NULL, 0, &ref)); /* a valid dataset all the same */
    alm_buf_release(&ref);
    write_dataset("indicator,period,value,qualifier,status,source,vintage,"
                  "quote\n"
                  "pop,2015,10.1,,,nso,,\n"
                  "gdp,2018,700,,,nso,,\n",
                  NULL);
    gives_up("not in the order of indicators.csv", &o, NULL);
    write_dataset("period,indicator,value\n2015,pop,10.1\n", NULL);
    gives_up("indicator not the first column", &o, NULL);
    snprintf(text, sizeof text, "%spop,2018,-1,,,nso,,\n", obs_csv);
    write_dataset(text, NULL);
    gives_up("a negative count on the last line", &o, NULL);
    CHECK(!whole(&o, NULL, NULL, 0, &ref));
    alm_buf_release(&ref);
    snprintf(text, sizeof text, "%spop,2015,10.4,,,nso,,\n", obs_csv);
    write_dataset(text, NULL);
    gives_up("a duplicate", &o, NULL);
    snprintf(text, sizeof text, "%spop,2018,\"10.4,,,nso,,\n", obs_csv);
    write_dataset(text, NULL);
    gives_up("an unterminated quote", &o, NULL);
    write_dataset(obs_csv, NULL);
    gives_up("a bad --as-of", &o, "2024-13-01");
    o.to = "20x";
    gives_up("a bad --to", &o, NULL);
    put("observations.csv", "");
    gives_up("an empty observations.csv", &o, NULL);
    /* Corrections are checked against the figures they amend anywhere in
     * the file: read whole. */
    o.to = "2027";
    write_dataset("indicator,period,value,qualifier,status,source,vintage,"
                  "quote,correction,recorded,note\n"
                  "pop,2015,10.1,,,nso,,,,,\n"
                  "pop,2016,10.3,,,nso,,,,,\n",
                  NULL);
    gives_up("the columns of corrections", &o, NULL);
    CHECK(whole(&o, NULL, NULL, 0, &ref));
    alm_buf_release(&ref);

    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
