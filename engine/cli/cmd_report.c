/* almanac report: the whole dataset as one document. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Removes the charts folder dir that this run created, with its files. */
static void remove_charts(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[4096];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

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
    bool created = false; /* this run made the charts folder */
    struct alm_buf out = ALM_BUF_INIT, files = ALM_BUF_INIT,
                   href = ALM_BUF_INIT;
    alm_error_clear(&err);
    enum alm_status st = ALM_OK;
    if (strcmp(output, "-") == 0)
        ro.format = ALM_REPORT_TXT;
    else
        st = alm_report_format_from_path(output, &ro.format, &err);
    if (st == ALM_OK)
        st = alm_model_parse(model, &ro.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &ro.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &ro.as_of, &err);
    if (st == ALM_OK && ro.format == ALM_REPORT_MD && ro.charts) {
        /* report.md -> report_files/ beside it, referred to relatively. */
        const char *dot = strrchr(output, '.');
        const char *slash = strrchr(output, '/');
        if (alm_buf_add(&files, output, (size_t)(dot - output)) != ALM_OK ||
            alm_buf_puts(&files, "_files") != ALM_OK ||
            alm_buf_puts(&href, files.s + (slash ? slash - output + 1 : 0)) !=
                ALM_OK)
            st = alm_fail(&err, ALM_ENOMEM, "out of memory");
        else if (mkdir(files.s, 0755) == 0)
            created = true;
        else if (errno != EEXIST)
            st = alm_fail(&err, ALM_EIO, "cannot create '%s': %s", files.s,
                          strerror(errno));
        ro.charts_dir = files.s;
        ro.charts_href = href.s;
    }
    if (st == ALM_OK)
        st = alm_report_build(ds, &ro, &out, &err);
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    if (st == ALM_OK && strcmp(output, "-") != 0)
        fprintf(stderr, "almanac: wrote %s\n", output);
    /* A failed report leaves no charts folder it made without its .md. */
    if (st != ALM_OK && created)
        remove_charts(files.s);
    alm_buf_release(&out);
    alm_buf_release(&files);
    alm_buf_release(&href);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
