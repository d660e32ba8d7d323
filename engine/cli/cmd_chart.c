/* almanac chart: draw indicators through gnuplot. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/store.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac chart -d DIR [ID...] -o FILE|DIR/|- [--to PERIOD]\n"
    "                     [--model M] [--level PCT] [--vintages]\n"
    "                     [--as-of DATE] [--type png|svg|pdf|txt]\n"
    "                     [--size WxH] [--script FILE.gp]\n\n"
    "Draws each indicator (all without IDs) through gnuplot: the published\n"
    "figures (qualified ones marked), the fitted trend and its projection\n"
    "through --to with the --level percent prediction interval, the\n"
    "targets, the unit, the quote of the latest figure and its sources.\n\n"
    "-o FILE    one figure, one panel per indicator; the format follows the\n"
    "           extension (.png, .svg, .pdf, .txt) unless --type is given\n"
    "-o DIR/    one file per indicator, DIR/ID.svg (--type sets the format)\n"
    "-o -       text in the terminal, sized to it\n"
    "--size     the figure's size, pixels (characters for text); default\n"
    "           800x500 a panel\n"
    "--vintages also draws every other vintage of each figure\n"
    "--script   writes the gnuplot script, data and theme inline, that\n"
    "           redraws the figure without Almanac (with -o, the same\n"
    "           outputs; alone, FILE with the format's extension)\n\n"
    "Needs gnuplot (Debian: gnuplot-nox); exit status 3 when it is missing\n"
    "or fails. The look comes from plots/theme.gp ($ALMANAC_PLOTS overrides\n"
    "the folder).\n";

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

int cmd_chart(int argc, char **argv)
{
    enum {
        O_MODEL = 256,
        O_TO,
        O_LEVEL,
        O_ASOF,
        O_VINTAGES,
        O_SCRIPT,
        O_TYPE,
        O_SIZE
    };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"model", required_argument, NULL, O_MODEL},
        {"to", required_argument, NULL, O_TO},
        {"level", required_argument, NULL, O_LEVEL},
        {"as-of", required_argument, NULL, O_ASOF},
        {"vintages", no_argument, NULL, O_VINTAGES},
        {"script", required_argument, NULL, O_SCRIPT},
        {"type", required_argument, NULL, O_TYPE},
        {"size", required_argument, NULL, O_SIZE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *output = NULL, *model = "auto", *level_text = "95",
               *as_of_text = NULL, *script = NULL, *type_text = NULL,
               *size_text = NULL;
    struct alm_chart_opts co;
    memset(&co, 0, sizeof co);
    co.proj.level = 95;
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
            co.proj.to = optarg;
            break;
        case O_LEVEL:
            level_text = optarg;
            break;
        case O_ASOF:
            as_of_text = optarg;
            break;
        case O_VINTAGES:
            co.vintages = true;
            break;
        case O_SCRIPT:
            script = optarg;
            break;
        case O_TYPE:
            type_text = optarg;
            break;
        case O_SIZE:
            size_text = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("chart", c, argv);
        }
    }
    if (!output && !script)
        return cli_usage_error("chart",
                               "expected -o FILE, -o DIR/, -o - or --script");

    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_chart_plan plan = ALM_CHART_PLAN_INIT;
    struct alm_chart_request rq = {.output = output,
                                   .script = script,
                                   .type = type_text,
                                   .size = size_text};
    size_t *ids = NULL, nids = 0;
    struct alm_buf text = ALM_BUF_INIT;
    if (output && strcmp(output, "-") == 0)
        terminal_size(&rq.term_width, &rq.term_height);
    alm_error_clear(&err);
    enum alm_status st = alm_chart_plan_parse(&rq, &plan, &err);
    if (st == ALM_OK)
        st = alm_model_parse(model, &co.proj.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &co.proj.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &co.proj.as_of, &err);
    if (st == ALM_OK)
        st = alm_dataset_pick(ds, argv + optind, (size_t)(argc - optind), &ids,
                              &nids, &err);
    if (st == ALM_OK)
        st = alm_chart_plan(&plan, ds, ids, nids, &err);
    if (st == ALM_OK && output)
        st = alm_chart_render(ds, plan.charts, plan.n, &co, &err);
    if (st == ALM_OK && script) {
        co.inline_theme = true;
        st = alm_chart_write_script(ds, plan.charts, plan.n, &co, &text, &err);
        if (st == ALM_OK)
            st = alm_fs_write_atomic(script, text.s, text.len, &err);
        if (st != ALM_OK)
            alm_error_locate(&err, NULL, 0, "--script");
    }
    alm_chart_plan_release(&plan);
    free(ids);
    alm_buf_release(&text);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
