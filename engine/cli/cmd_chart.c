/* almanac chart: draw indicators through gnuplot. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/store.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-chart.1.txt. */
#include "usage/chart.h"

/* The size of the terminal on standard output, else 80x25. */
static void terminal_size(int *w, int *h)
{
    *w = ALM_CHART_TEXT_WIDTH;
    *h = ALM_CHART_TEXT_HEIGHT;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 20 && ws.ws_row >= 10) {
        *w = ws.ws_col;
        *h = ws.ws_row - 1; /* keep the prompt on screen */
    }
}

static const struct cli_spec spec = {.shared = CLI_READ | CLI_PICK |
                                               CLI_OUTPUT | CLI_MODEL |
                                               CLI_LEVEL | CLI_TO | CLI_SERIES,
                                     .args = {0, -1, NULL},
                                     .outputs = CLI_OUTPUTS_OWN,
                                     .name = "chart",
                                     .usage = usage_text};

/* Draws the planned charts (with -o) and writes the script that redraws
 * them (with --script) from cl->out. */
static enum alm_status draw(struct cli *cl, const struct alm_chart_plan *plan,
                            struct alm_chart_opts *co, const char *script)
{
    enum alm_status st = ALM_OK;
    if (cl->output)
        st = alm_chart_render(cl->ds, plan->charts, plan->n, co, &cl->err);
    if (st != ALM_OK || !script)
        return st;
    co->inline_theme = true;
    st = alm_chart_write_script(cl->ds, plan->charts, plan->n, co, &cl->out,
                                &cl->err);
    if (st == ALM_OK)
        st = alm_fs_write_atomic(script, cl->out.s, cl->out.len, &cl->err);
    if (st != ALM_OK)
        alm_error_locate(&cl->err, NULL, 0, "--script");
    return st;
}

/* The dataset of the levels --with-level draws: the series read, at the
 * --frequency and --unit asked, before its --transform; *own is what to
 * free. */
static enum alm_status level_of(struct cli *cl, const struct alm_dataset **out,
                                struct alm_dataset **own)
{
    *own = NULL;
    if (cl->series.tx == ALM_TX_LIN) {
        alm_fail(&cl->err, ALM_EINPUT,
                 "draws a series' level beside its transformation: give "
                 "--transform too (pc1, pch, ...)");
        alm_error_locate(&cl->err, NULL, 0, "--with-level");
        return ALM_EINPUT;
    }
    struct alm_series_opts lv = cl->series;
    lv.tx = ALM_TX_LIN;
    if (!alm_series_opts_active(&lv)) {
        *out = cl->source;
        return ALM_OK;
    }
    size_t *ids = NULL, n = 0;
    enum alm_status st = alm_dataset_pick(
        cl->source, cl->args, (size_t)cl->nargs, &ids, &n, &cl->err);
    if (st == ALM_OK)
        st = alm_series_dataset(cl->source, cl->nargs ? ids : NULL, n, &lv,
                                cl->as_of, own, NULL, &cl->err);
    free(ids);
    *out = *own;
    return st;
}

int cmd_chart(int argc, char **argv)
{
    struct alm_chart_opts co = {.vintages = false};
    struct alm_chart_request rq = {.output = NULL};
    bool with_level = false;
    struct alm_dataset *level = NULL;
    const struct cli_opt own[] = {
        CLI_FLAG("vintages", &co.vintages), CLI_FLAG("with-level", &with_level),
        CLI_TEXT("script", &rq.script),     CLI_TEXT("type", &rq.type),
        CLI_TEXT("size", &rq.size),         CLI_END};
    struct alm_chart_plan plan = ALM_CHART_PLAN_INIT;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!cl.output && !rq.script)
        return cli_usage_error("chart",
                               "expected -o FILE, -o DIR/, -o - or --script");
    rq.output = cl.output;
    if (cl.output && strcmp(cl.output, "-") == 0)
        terminal_size(&rq.term_width, &rq.term_height);
    enum alm_status st = alm_chart_plan_parse(&rq, &plan, &cl.err);
    if (st == ALM_OK)
        st = cli_prepare(&cl);
    co.proj = cli_projection(&cl);
    if (st == ALM_OK && with_level)
        st = level_of(&cl, &co.level, &level);
    if (st == ALM_OK)
        st = alm_chart_plan(&plan, cl.ds, cl.ids, cl.nids, &cl.err);
    if (st == ALM_OK)
        st = draw(&cl, &plan, &co, rq.script);
    alm_chart_plan_release(&plan);
    alm_dataset_free(level);
    return cli_finish(&cl, st, NULL);
}
