/* almanac report: the whole dataset as one document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/report.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-report.1.txt. */
#include "usage/report.h"

static const struct cli_spec spec = {.shared = CLI_READ | CLI_OUTPUT |
                                               CLI_MODEL | CLI_LEVEL | CLI_TO |
                                               CLI_SERIES,
                                     .args = {0, 0, NULL},
                                     .outputs = CLI_OUTPUTS_OWN,
                                     .name = "report",
                                     .usage = usage_text};

int cmd_report(int argc, char **argv)
{
    struct alm_report_opts ro = {.charts = true};
    bool no_charts = false;
    const struct cli_opt own[] = {CLI_TEXT("title", &ro.title),
                                  CLI_FLAG("no-charts", &no_charts), CLI_END};
    struct alm_report_plan plan = ALM_REPORT_PLAN_INIT;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!cl.output)
        return cli_usage_error("report", "-o FILE is needed (.html, .md or "
                                         ".txt; '-' for text)");
    ro.charts = !no_charts;
    enum alm_status st =
        alm_report_format_from_path(cl.output, &ro.format, &cl.err);
    if (st == ALM_OK)
        st = cli_prepare(&cl);
    ro.to = cl.to;
    ro.model = cl.model;
    ro.level = cl.level;
    ro.as_of = cl.as_of;
    if (st == ALM_OK)
        st = alm_report_plan(cl.output, &ro, &plan, &cl.err);
    if (st == ALM_OK)
        st = alm_report_build(cl.ds, &ro, &cl.out, &cl.err);
    if (st == ALM_OK)
        st = cli_write_output(cl.output, &cl.out, &cl.err);
    if (st == ALM_OK && strcmp(cl.output, "-") != 0)
        fprintf(stderr, "almanac: wrote %s\n", cl.output);
    alm_report_plan_finish(&plan, st);
    return cli_finish(&cl, st, NULL);
}
