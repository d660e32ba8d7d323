/* almanac backtest: hold out the last periods, project them, score. */
#include <stdlib.h>

#include <almanac/backtest_view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-backtest.1.txt. */
#include "usage/backtest.h"

static const struct cli_spec spec = {
    .args = {0, -1, NULL},
    .shared = CLI_READ | CLI_PICK | CLI_OUTPUT | CLI_FORMAT | CLI_LEVEL,
    .name = "backtest",
    .usage = usage_text};

int cmd_backtest(int argc, char **argv)
{
    /* --model is the command's own: without it, every candidate. */
    const char *hold = NULL, *model = NULL;
    const struct cli_opt own[] = {CLI_TEXT("hold", &hold),
                                  CLI_TEXT("model", &model), CLI_END};
    struct alm_backtest_opts bo = {.model = {ALM_MODEL_AUTO, 0}};
    struct alm_backtest_row *rows = NULL;
    size_t nrows = 0;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!hold)
        return cli_usage_error("backtest", "--hold H is required");
    bo.one_model = model != NULL;
    enum alm_status st = alm_backtest_hold_parse(hold, &bo.hold, &cl.err);
    if (st == ALM_OK && model)
        st = alm_model_parse(model, &bo.model, &cl.err);
    if (st == ALM_OK)
        st = cli_prepare(&cl);
    bo.level = cl.level;
    bo.as_of = cl.as_of;
    if (st == ALM_OK)
        st = alm_backtest_all(cl.ds, cl.ids, cl.nids, &bo, &rows, &nrows,
                              &cl.err);
    if (st == ALM_OK)
        st = alm_view_backtest(cl.ds, rows, nrows, &bo, cl.format, &cl.out);
    free(rows);
    return cli_finish(&cl, st, &cl.out);
}
