/* almanac export: the dataset, and its projections, as one CSV file. */
#include <getopt.h>
#include <string.h>

#include <almanac/export.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac export -d DIR [-o FILE] [--layout long|wide]\n"
    "                      [--projections --to PERIOD [--model M]\n"
    "                      [--level PCT]] [--as-of DATE] [--raw]\n\n"
    "Exports the dataset as CSV. The long layout (default) has every\n"
    "observation with all its columns and vintages, and imports back into\n"
    "a dataset; the wide layout has one row per period and one column per\n"
    "indicator, holding the figure analysis uses as of --as-of.\n"
    "--projections adds each indicator's projection through --to: rows of\n"
    "type 'projection' with model, lower and upper in the long layout;\n"
    "columns ID:lower, ID:upper and ID:model in the wide one.\n"
    "Text cells that a spreadsheet would run as a formula get a leading\n"
    "quote; --raw writes them as they are.\n";

int cmd_export(int argc, char **argv)
{
    enum { O_ASOF = 256, O_LAYOUT, O_PROJ, O_TO, O_MODEL, O_LEVEL, O_RAW };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, O_ASOF},
        {"layout", required_argument, NULL, O_LAYOUT},
        {"projections", no_argument, NULL, O_PROJ},
        {"to", required_argument, NULL, O_TO},
        {"model", required_argument, NULL, O_MODEL},
        {"level", required_argument, NULL, O_LEVEL},
        {"raw", no_argument, NULL, O_RAW},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *as_of_text = NULL, *layout = "long",
               *output = NULL, *model = "auto", *level_text = "95";
    struct alm_export_opts eo = {false, 0, NULL, 0, false};
    struct alm_projection_opts po = {{ALM_MODEL_AUTO, 0}, NULL, 95, 0};
    bool projections = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case O_ASOF:
            as_of_text = optarg;
            break;
        case O_LAYOUT:
            layout = optarg;
            break;
        case O_PROJ:
            projections = true;
            break;
        case O_TO:
            po.to = optarg;
            break;
        case O_MODEL:
            model = optarg;
            break;
        case O_LEVEL:
            level_text = optarg;
            break;
        case O_RAW:
            eo.raw = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("export", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("export", "unexpected argument '%s'",
                               argv[optind]);
    if (projections && !po.to)
        return cli_usage_error("export", "--projections needs --to PERIOD");
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_table *t = NULL;
    struct alm_projection *proj = NULL;
    size_t nproj = 0;
    struct alm_buf out = ALM_BUF_INIT;
    eo.wide = strcmp(layout, "wide") == 0;
    alm_error_clear(&err);
    enum alm_status st = ALM_OK;
    if (!eo.wide && strcmp(layout, "long") != 0) {
        st = alm_fail(&err, ALM_EINPUT,
                      "unknown layout '%s': expected long or wide", layout);
        alm_error_locate(&err, NULL, 0, "--layout");
    }
    if (st == ALM_OK)
        st = alm_model_parse(model, &po.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &po.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &eo.as_of, &err);
    po.as_of = eo.as_of;
    if (st == ALM_OK && projections)
        st = alm_project_all(ds, NULL, 0, &po, &proj, &nproj, &err);
    eo.proj = proj;
    eo.nproj = nproj;
    if (st == ALM_OK)
        st = alm_export(ds, &eo, &t, &err);
    if (st == ALM_OK && alm_table_format(t, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    alm_buf_release(&out);
    alm_table_free(t);
    alm_projections_free(proj, nproj);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
