/* almanac fit: fit and project indicators. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/project.h>
#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac fit -d DIR [ID...] [--model M] [--to PERIOD]\n"
    "                   [--level PCT] [--as-of DATE] [--format table|csv]\n"
    "                   [-o FILE]\n\n"
    "Fits each indicator (all without IDs) and projects every period after\n"
    "its last observation through --to (default: its latest target, else\n"
    "five years on), with prediction intervals at --level percent (95).\n"
    "Models: auto (default), linear, loglinear, poly:K, logistic, drift,\n"
    "mean, theil-sen. Forecasts (status F) are left out; qualified figures\n"
    "are used at their stated value and flagged. A projection or bound\n"
    "outside the kind's domain (a share outside 0-100%, a level or count\n"
    "below 0, a growth rate at or below -100%) is kept and flagged.\n";

int cmd_fit(int argc, char **argv)
{
    enum { O_MODEL = 256, O_TO, O_LEVEL, O_ASOF, O_FORMAT };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"model", required_argument, NULL, O_MODEL},
        {"to", required_argument, NULL, O_TO},
        {"level", required_argument, NULL, O_LEVEL},
        {"as-of", required_argument, NULL, O_ASOF},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *model = "auto", *level_text = "95",
               *as_of_text = NULL, *format = "table", *output = NULL;
    struct alm_projection_opts po = {{ALM_MODEL_AUTO, 0}, NULL, 95, 0};
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
        case O_MODEL:
            model = optarg;
            break;
        case O_TO:
            po.to = optarg;
            break;
        case O_LEVEL:
            level_text = optarg;
            break;
        case O_ASOF:
            as_of_text = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("fit", c, argv);
        }
    }
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_projection *proj = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    enum alm_format f;
    size_t nproj = 0;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = alm_model_parse(model, &po.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &po.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &po.as_of, &err);
    size_t *ids = NULL, nids = 0;
    if (st == ALM_OK)
        st = alm_dataset_pick(ds, argv + optind, (size_t)(argc - optind), &ids,
                              &nids, &err);
    if (st == ALM_OK)
        st = alm_project_all(ds, ids, nids, &po, &proj, &nproj, &err);
    /* An indicator named on the command line that cannot be fitted is an
     * error; in a run over every indicator it is a note. */
    for (size_t i = 0; i < nproj && st == ALM_OK && argc > optind; i++)
        if (!proj[i].fitted)
            st = alm_fail(&err, ALM_EINPUT, "%s: %s", ds->ind[ids[i]].id,
                          proj[i].note);
    if (st == ALM_OK &&
        alm_view_fit(ds, proj, nproj, f, po.as_of, po.level, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    alm_projections_free(proj, nproj);
    free(ids);
    alm_buf_release(&out);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
