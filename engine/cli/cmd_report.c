/* almanac report: the whole dataset as one document. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/report.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac report -d DIR -o FILE [--to PERIOD] [--model M]\n"
    "                      [--level PCT] [--as-of DATE] [--title TEXT]\n"
    "                      [--no-charts]\n\n"
    "Writes a report of the whole dataset: a summary table of every\n"
    "indicator (latest figure, change, trend, projection, target status),\n"
    "then a section per indicator with its chart, fitted model, target\n"
    "assessments and every figure's source, then the methods. The format\n"
    "follows FILE's extension: .html (one self-contained file, charts\n"
    "inline as SVG), .md (charts as PNG files in FILE_files/ beside it) or\n"
    ".txt (a summary for the terminal; '-' writes it to standard output).\n";

int cmd_report(int argc, char **argv)
{
    enum { O_TO = 256, O_MODEL, O_LEVEL, O_ASOF, O_TITLE, O_NOCHARTS };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"to", required_argument, NULL, O_TO},
        {"model", required_argument, NULL, O_MODEL},
        {"level", required_argument, NULL, O_LEVEL},
        {"as-of", required_argument, NULL, O_ASOF},
        {"title", required_argument, NULL, O_TITLE},
        {"no-charts", no_argument, NULL, O_NOCHARTS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *output = NULL, *model = "auto", *level_text = "95",
               *as_of_text = NULL;
    struct alm_report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.charts = true;
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
        case O_TO:
            ro.to = optarg;
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
        case O_TITLE:
            ro.title = optarg;
            break;
        case O_NOCHARTS:
            ro.charts = false;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("report", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("report", "unexpected argument '%s'",
                               argv[optind]);
    if (!output)
        return cli_usage_error("report", "-o FILE is needed (.html, .md or "
                                         ".txt; '-' for text)");
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_report_plan plan = ALM_REPORT_PLAN_INIT;
    struct alm_buf out = ALM_BUF_INIT;
    alm_error_clear(&err);
    enum alm_status st = alm_report_format_from_path(output, &ro.format, &err);
    if (st == ALM_OK)
        st = alm_model_parse(model, &ro.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &ro.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &ro.as_of, &err);
    if (st == ALM_OK)
        st = alm_report_plan(output, &ro, &plan, &err);
    if (st == ALM_OK)
        st = alm_report_build(ds, &ro, &out, &err);
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    if (st == ALM_OK && strcmp(output, "-") != 0)
        fprintf(stderr, "almanac: wrote %s\n", output);
    alm_report_plan_finish(&plan, st);
    alm_buf_release(&out);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
