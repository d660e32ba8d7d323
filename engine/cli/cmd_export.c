/* almanac export: the dataset, and its projections, as one CSV file. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/export.h>
#include <almanac/track.h>
#include <almanac/view.h>
#include <almanac/xlsx.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-export.1.txt. */
#include "usage/export.h"

static const struct cli_spec spec = {.shared = CLI_READ | CLI_OUTPUT |
                                               CLI_FORMAT | CLI_MODEL |
                                               CLI_LEVEL | CLI_TO | CLI_SERIES,
                                     .outputs = CLI_EXPORT_OUTPUTS,
                                     .name = "export",
                                     .usage = usage_text};

/* The same, the dataset left for alm_export_dataset to read. */
static const struct cli_spec spec_stream = {
    .shared = (CLI_READ | CLI_OUTPUT | CLI_FORMAT | CLI_MODEL | CLI_LEVEL |
               CLI_TO | CLI_SERIES) &
              ~(unsigned)CLI_OPEN,
    .outputs = CLI_EXPORT_OUTPUTS,
    .name = "export",
    .usage = usage_text};

/* Reads --layout: long or wide. */
static enum alm_status layout_parse(const char *layout, bool *wide,
                                    struct alm_error *err)
{
    *wide = strcmp(layout, "wide") == 0;
    if (*wide || strcmp(layout, "long") == 0)
        return ALM_OK;
    alm_fail(err, ALM_EINPUT, "unknown layout '%s': expected long or wide",
             layout);
    alm_error_locate(err, NULL, 0, "--layout");
    return ALM_EINPUT;
}

/* The workbook of export -o FILE.xlsx: the observations of the export eo
 * (without projections), every indicator's projection (fit's options) and
 * every target's assessment (Eurostat's method, track's defaults). */
static enum alm_status write_workbook(struct cli *cl, struct alm_export_opts eo,
                                      const struct alm_projection_opts *po)
{
    struct alm_table *obs = NULL, *pt = NULL, *tt = NULL;
    struct alm_projection *proj = NULL;
    size_t nproj = 0, na = 0;
    struct alm_track *a = NULL;
    struct alm_track_opts to = {.method = ALM_TRACK_EUROSTAT,
                                .model = po->model,
                                .level = po->level,
                                .as_of = po->as_of};
    eo.proj = NULL;
    eo.nproj = 0;
    eo.raw = true; /* cells are strings, never formulas */
    enum alm_status st = alm_export(cl->ds, &eo, &obs, &cl->err);
    if (st == ALM_OK)
        st = alm_project_all(cl->ds, NULL, 0, po, &proj, &nproj, &cl->err);
    if (st == ALM_OK)
        st = alm_view_fit_table(cl->ds, proj, nproj, po->level, &pt);
    if (st == ALM_OK)
        st = alm_track_all(cl->ds, NULL, 0, &to, &a, &na, &cl->err);
    if (st == ALM_OK)
        st = alm_view_track_table(cl->ds, a, na, &to, &tt);
    if (st == ALM_OK) {
        const struct alm_xlsx_sheet sheets[] = {
            {"observations", obs}, {"projections", pt}, {"targets", tt}};
        st = alm_xlsx_write(cl->output, sheets, 3, &cl->err);
    }
    alm_table_free(obs);
    alm_table_free(pt);
    alm_table_free(tt);
    alm_projections_free(proj, nproj);
    free(a);
    return st;
}

/* The output file of a streamed export, written a megabyte at a time. */
struct sink {
    struct alm_fs_out f;
    struct alm_error err;
};

static enum alm_status drain(void *ctx, struct alm_buf *out)
{
    struct sink *k = ctx;
    if (out->len < ((size_t)1 << 20))
        return ALM_OK;
    enum alm_status st = alm_fs_out_write(&k->f, out->s, out->len, &k->err);
    alm_buf_reset(out);
    return st;
}

/* Exports the long layout as the dataset is read (alm_export_dataset);
 * false, nothing written, when it is to be read whole instead. */
static bool export_streamed(struct cli *cl, const struct alm_export_opts *eo,
                            bool projections)
{
    cl->spec = &spec_stream;
    if (cli_prepare(cl) != ALM_OK || eo->wide ||
        cl->format == ALM_FORMAT_JSON || cli_output_xlsx(cl->output) ||
        alm_series_opts_active(&cl->series)) {
        alm_error_clear(&cl->err);
        return false;
    }
    struct sink k;
    alm_error_clear(&k.err);
    bool file = cl->output && strcmp(cl->output, "-") != 0;
    if (file && alm_fs_out_open(&k.f, cl->output, &k.err) != ALM_OK)
        return false; /* the whole read reports it, after the dataset's */
    struct alm_projection_opts po = cli_projection(cl);
    bool done = alm_export_dataset(cli_dataset_dir(cl->dir), eo,
                                   projections ? &po : NULL, cl->as_of_text,
                                   &cl->out, file ? drain : NULL, &k);
    if (done && file)
        done =
            alm_fs_out_write(&k.f, cl->out.s, cl->out.len, &k.err) == ALM_OK &&
            alm_fs_out_commit(&k.f, &k.err) == ALM_OK;
    if (file)
        alm_fs_out_abort(&k.f); /* nothing left after a commit */
    if (!done || file)
        alm_buf_reset(&cl->out);
    return done;
}

int cmd_export(int argc, char **argv)
{
    const char *layout = "long";
    struct alm_export_opts eo = {.wide = false};
    bool projections = false;
    const struct cli_opt own[] = {CLI_TEXT("layout", &layout),
                                  CLI_FLAG("projections", &projections),
                                  CLI_FLAG("raw", &eo.raw), CLI_END};
    struct alm_table *t = NULL;
    struct alm_projection *proj = NULL;
    size_t nproj = 0;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    enum alm_status st = layout_parse(layout, &eo.wide, &cl.err);
    if (st == ALM_OK && cl.format_given && strcmp(cl.format_text, "table") == 0)
        st = alm_fail(&cl.err, ALM_EINPUT,
                      "export writes csv or json, not a table for people "
                      "(list and show do)");
    if (st == ALM_OK && export_streamed(&cl, &eo, projections)) {
        bool file = cl.output && strcmp(cl.output, "-") != 0;
        return cli_finish(&cl, ALM_OK, file ? NULL : &cl.out);
    }
    cl.spec = &spec;
    if (st == ALM_OK)
        st = cli_prepare(&cl);
    struct alm_projection_opts po = cli_projection(&cl);
    eo.as_of = cl.as_of;
    if (st == ALM_OK && cli_output_xlsx(cl.output))
        return cli_finish(&cl, write_workbook(&cl, eo, &po), NULL);
    if (st == ALM_OK && projections)
        st = alm_project_all(cl.ds, NULL, 0, &po, &proj, &nproj, &cl.err);
    eo.proj = proj;
    eo.nproj = nproj;
    /* JSON is read by programs: no formula guard. */
    bool json = cl.format == ALM_FORMAT_JSON;
    eo.raw = eo.raw || json;
    if (st == ALM_OK && !json)
        st = alm_export_csv(cl.ds, &eo, &cl.out, &cl.err);
    else if (st == ALM_OK)
        st = alm_export(cl.ds, &eo, &t, &cl.err);
    char model[32];
    alm_model_format(&po.model, model, sizeof model);
    const struct alm_view_head head = {.as_of = cl.as_of,
                                       .has_as_of = true,
                                       .model = projections ? model : NULL,
                                       .level = projections ? po.level : NAN};
    if (st == ALM_OK && json)
        st = alm_table_format_json(t, &head, &cl.out);
    alm_table_free(t);
    alm_projections_free(proj, nproj);
    return cli_finish(&cl, st, &cl.out);
}
