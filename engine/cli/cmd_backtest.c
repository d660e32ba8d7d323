/* almanac backtest: hold out the last periods, project them, score. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/backtest_view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac backtest -d DIR [ID...] --hold H [--model M]\n"
    "                        [--level PCT] [--as-of DATE]\n"
    "                        [--format table|csv] [-o FILE]\n\n"
    "Holds out the last H periods of each indicator (all without IDs),\n"
    "fits the rest and projects the held-out periods. For each model: the\n"
    "mean absolute error (MAE), the MAE scaled by the in-sample one-step\n"
    "naive error (MASE: below 1 beats repeating the last figure), and the\n"
    "share of held-out figures inside the --level prediction interval.\n"
    "Without --model: auto and each candidate auto weighs for the kind,\n"
    "with how often auto chose each.\n";

int cmd_backtest(int argc, char **argv)
{
    enum { O_MODEL = 256, O_HOLD, O_LEVEL, O_ASOF, O_FORMAT };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"hold", required_argument, NULL, O_HOLD},
        {"model", required_argument, NULL, O_MODEL},
        {"level", required_argument, NULL, O_LEVEL},
        {"as-of", required_argument, NULL, O_ASOF},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *model = NULL, *hold = NULL, *level_text = "95",
               *as_of_text = NULL, *format = "table", *output = NULL;
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
        case O_HOLD:
            hold = optarg;
            break;
        case O_MODEL:
            model = optarg;
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
            return cli_bad_option("backtest", c, argv);
        }
    }
    if (!hold)
        return cli_usage_error("backtest", "--hold H is required");
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_backtest_row *rows = NULL;
    struct alm_backtest_opts bo = {
        0, model != NULL, {ALM_MODEL_AUTO, 0}, 95, 0};
    struct alm_buf out = ALM_BUF_INIT;
    enum alm_format f;
    size_t nrows = 0, *ids = NULL, nids = 0;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = alm_backtest_hold_parse(hold, &bo.hold, &err);
    if (st == ALM_OK && model)
        st = alm_model_parse(model, &bo.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &bo.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &bo.as_of, &err);
    if (st == ALM_OK)
        st = alm_dataset_pick(ds, argv + optind, (size_t)(argc - optind), &ids,
                              &nids, &err);
    if (st == ALM_OK)
        st = alm_backtest_all(ds, ids, nids, &bo, &rows, &nrows, &err);
    if (st == ALM_OK &&
        alm_view_backtest(ds, rows, nrows, &bo, f, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    free(rows);
    free(ids);
    alm_buf_release(&out);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
