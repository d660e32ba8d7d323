/* almanac fit: fit and project indicators. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/project.h>
#include <almanac/view.h>
#include <almanac/xlsx.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-fit.1.txt. */
#include "usage/fit.h"

static const struct cli_spec spec = {.args = {0, -1, NULL},
                                     .shared =
                                         CLI_ANALYSIS | CLI_TO | CLI_SERIES,
                                     .outputs = CLI_ANALYSIS_OUTPUTS,
                                     .name = "fit",
                                     .usage = usage_text};

/* The same, the dataset left for alm_project_dataset to read. */
static const struct cli_spec spec_stream = {
    .args = {0, -1, NULL},
    .shared =
        (CLI_ANALYSIS | CLI_TO | CLI_SERIES) & ~(unsigned)(CLI_OPEN | CLI_PICK),
    .outputs = CLI_ANALYSIS_OUTPUTS,
    .name = "fit",
    .usage = usage_text};

/* Reads the whole dataset, fits every series, writes the output: the path
 * for a dataset that alm_project_dataset cannot stream, and the one whose
 * messages about problems every command shares. */
static enum alm_status fit_whole(struct cli *cl)
{
    struct alm_projection *proj = NULL;
    size_t nproj = 0;
    cl->spec = &spec;
    enum alm_status st = cli_prepare(cl);
    struct alm_projection_opts po = cli_projection(cl);
    if (st == ALM_OK)
        st = alm_project_all(cl->ds, cl->ids, cl->nids, &po, &proj, &nproj,
                             &cl->err);
    /* An indicator named on the command line that cannot be fitted is an
     * error; in a run over every indicator it is a note. */
    for (size_t i = 0; i < nproj && st == ALM_OK && cl->nargs > 0; i++)
        if (!proj[i].fitted)
            st = alm_fail(&cl->err, ALM_EINPUT, "%s: %s",
                          cl->ds->ind[cl->ids[i]].id, proj[i].note);
    bool xlsx = cli_output_xlsx(cl->output);
    struct alm_table *t = NULL;
    if (st == ALM_OK && xlsx)
        st = alm_view_fit_table(cl->ds, proj, nproj, po.level, &t);
    if (st == ALM_OK && xlsx) {
        const struct alm_xlsx_sheet sheet = {"projections", t};
        st = alm_xlsx_write(cl->output, &sheet, 1, &cl->err);
    } else if (st == ALM_OK) {
        st = alm_view_fit(cl->ds, proj, nproj, cl->format, po.as_of, po.level,
                          &cl->out);
    }
    alm_table_free(t);
    alm_projections_free(proj, nproj);
    return st;
}

/* What the projections of alm_project_dataset go to: the CSV, written to
 * the output file as it comes (or to the command's text), or, for the
 * other formats, an array for alm_view_fit at the end. Without --as-of,
 * the date of the rows is known only at the end: they are written with
 * holes in its place, filled in at the end (fill_holes). */
struct sink {
    struct cli *cl;
    bool csv, file, named;
    struct alm_fs_out f;
    struct alm_buf *out; /* to write to the file, or the command's text */
    bool holes;          /* rows written before their date is known */
    struct alm_projection *proj;
    size_t nproj, cap;
};

/* Writes what out holds to the output file once it is large. */
static enum alm_status drain(struct sink *k, size_t at_least)
{
    if (!k->file || k->out->len < at_least)
        return ALM_OK;
    enum alm_status st =
        alm_fs_out_write(&k->f, k->out->s, k->out->len, &k->cl->err);
    alm_buf_reset(k->out);
    return st;
}

/* The CSV rows of p, on either of the stream's threads. */
static enum alm_status rows(void *ctx, const struct alm_dataset *ds,
                            const long *as_of, struct alm_projection *p,
                            struct alm_buf *out)
{
    const struct sink *k = ctx;
    if (k->named && !p->fitted)
        return ALM_EINPUT; /* fit_whole says so */
    return alm_view_fit_csv_rows(ds, p, k->cl->level, as_of, out);
}

/* The rows of a stretch of the dataset, in order. */
static enum alm_status emit(void *ctx, struct alm_buf *text)
{
    struct sink *k = ctx;
    k->holes = k->holes || !k->cl->as_of_text || !k->cl->as_of_text[0];
    if (!k->file)
        return alm_buf_add(k->out, text->s, text->len);
    enum alm_status st = drain(k, 1);
    return st == ALM_OK
               ? alm_fs_out_write(&k->f, text->s, text->len, &k->cl->err)
               : st;
}

static enum alm_status put(void *ctx, const struct alm_dataset *ds,
                           const long *as_of, struct alm_projection *p)
{
    struct sink *k = ctx;
    if (k->csv) {
        enum alm_status st = rows(k, ds, as_of, p, k->out);
        k->holes = k->holes || !as_of;
        return st == ALM_OK ? drain(k, (size_t)1 << 20) : st;
    }
    if (k->named && !p->fitted)
        return ALM_EINPUT;
    if (k->nproj == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 64;
        struct alm_projection *q = realloc(k->proj, cap * sizeof *q);
        if (!q)
            return ALM_ENOMEM;
        k->proj = q;
        k->cap = cap;
    }
    k->proj[k->nproj++] = *p; /* its rows move to the array */
    p->rows = NULL;
    p->nrows = 0;
    return ALM_OK;
}

/* Fills the holes of text[0..*len) in place. */
static enum alm_status fill_text(char *text, size_t *len, long as_of)
{
    size_t used, n = *len;
    enum alm_status st = alm_view_fit_csv_date(text, n, as_of, len, &used);
    return st == ALM_OK && used == n ? ALM_OK : ALM_EIO;
}

static int pwrite_all(int fd, const char *b, size_t n, off_t at)
{
    while (n > 0) {
        ssize_t m = pwrite(fd, b, n, at);
        if (m < 0 && errno == EINTR)
            continue;
        if (m <= 0)
            return -1;
        b += m;
        n -= (size_t)m;
        at += m;
    }
    return 0;
}

/* Fills the holes of the output file in place, a block at a time: the
 * text only shrinks, so each block is written back before where the next
 * is read from; then the file is cut to its new length. */
static enum alm_status fill_file(struct sink *k, long as_of)
{
    int in = open(k->f.tmp.s, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ALM_EIO;
    size_t cap = (size_t)1 << 20, have = 0;
    char *b = malloc(cap);
    off_t r = 0, w = 0;
    enum alm_status st = b ? ALM_OK : ALM_ENOMEM;
    for (bool eof = false; st == ALM_OK && !eof;) {
        ssize_t n = pread(in, b + have, cap - have, r);
        if (n < 0) {
            st = errno == EINTR ? ALM_OK : ALM_EIO;
            continue;
        }
        eof = n == 0;
        r += n;
        have += (size_t)n;
        size_t filled, used;
        st = alm_view_fit_csv_date(b, have, as_of, &filled, &used);
        if (st == ALM_OK && pwrite_all(k->f.fd, b, filled, w) != 0)
            st = ALM_EIO;
        w += (off_t)filled;
        memmove(b, b + used, have - used);
        have -= used;
    }
    if (st == ALM_OK && (have != 0 || ftruncate(k->f.fd, w) != 0))
        st = ALM_EIO;
    free(b);
    close(in);
    return st;
}

/* Fits the dataset as it is read (alm_project_dataset); *done false when
 * it is to be read whole instead, nothing written. */
static enum alm_status fit_streamed(struct cli *cl, bool *done)
{
    struct sink k = {.cl = cl, .out = &cl->out, .named = cl->nargs > 0};
    struct alm_dataset *ds = NULL;
    long as_of = 0;
    *done = false;
    cl->spec = &spec_stream;
    enum alm_status st = cli_prepare(cl);
    if (st != ALM_OK)
        return st;
    /* Transformed series are computed from the whole dataset (cli.c,
     * alm_series_dataset): read it whole. */
    if (alm_series_opts_active(&cl->series))
        return ALM_OK;
    bool xlsx = cli_output_xlsx(cl->output);
    k.csv = !xlsx && cl->format == ALM_FORMAT_CSV;
    k.file = k.csv && cl->output && strcmp(cl->output, "-") != 0;
    if (k.file && alm_fs_out_open(&k.f, cl->output, &cl->err) != ALM_OK) {
        alm_error_clear(&cl->err);
        return ALM_OK; /* fit_whole reports it, after the dataset's */
    }
    struct alm_projection_opts po = cli_projection(cl);
    const struct alm_projection_sink to = {
        .fn = put, .ctx = &k, .rows = k.csv ? rows : NULL, .emit = emit};
    st = k.csv ? alm_view_fit_csv_head(k.out) : ALM_OK;
    *done =
        st == ALM_OK && alm_project_dataset(cli_dataset_dir(cl->dir), cl->args,
                                            (size_t)cl->nargs, &po,
                                            cl->as_of_text, &to, &ds, &as_of);
    struct alm_error err;
    alm_error_clear(&err);
    if (*done && k.file)
        st = drain(&k, 1);
    if (*done && st == ALM_OK && k.holes)
        st = !k.file      ? fill_text(k.out->s, &k.out->len, as_of)
             : k.f.direct ? fill_text(k.f.held.s, &k.f.held.len, as_of)
                          : fill_file(&k, as_of);
    if (*done && st == ALM_OK && k.file)
        st = alm_fs_out_commit(&k.f, &err);
    if (*done && st == ALM_OK && !k.csv) {
        cl->ds = ds;
        ds = NULL;
        struct alm_table *t = NULL;
        if (xlsx)
            st = alm_view_fit_table(cl->ds, k.proj, k.nproj, po.level, &t);
        if (st == ALM_OK && xlsx) {
            const struct alm_xlsx_sheet sheet = {"projections", t};
            st = alm_xlsx_write(cl->output, &sheet, 1, &err);
        } else if (st == ALM_OK) {
            st = alm_view_fit(cl->ds, k.proj, k.nproj, cl->format, as_of,
                              po.level, &cl->out);
        }
        alm_table_free(t);
    }
    if (k.file)
        alm_fs_out_abort(&k.f); /* nothing left after a commit */
    alm_projections_free(k.proj, k.nproj);
    alm_dataset_free(ds);
    if (!*done || st != ALM_OK) {
        /* Read whole, which reports the problem as every command does
         * (an output that cannot be written among them). */
        *done = false;
        alm_buf_reset(&cl->out);
        alm_dataset_free(cl->ds);
        cl->ds = NULL;
        return ALM_OK;
    }
    return ALM_OK;
}

int cmd_fit(int argc, char **argv)
{
    struct cli cl;
    bool done = false;
    enum alm_status st = cli_parse(&cl, &spec, NULL, argc, argv);
    if (st == ALM_OK)
        st = fit_streamed(&cl, &done);
    if (st == ALM_OK && !done)
        st = fit_whole(&cl);
    bool written = done ? cl.format == ALM_FORMAT_CSV &&
                              !cli_output_xlsx(cl.output) && cl.output &&
                              strcmp(cl.output, "-") != 0
                        : false;
    return cli_finish(&cl, st,
                      cli_output_xlsx(cl.output) || written ? NULL : &cl.out);
}
