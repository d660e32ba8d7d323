/* almanac export: the dataset as one CSV file. */
#include <getopt.h>
#include <string.h>

#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac export -d DIR [-o FILE] [--layout long|wide]\n"
    "                      [--as-of DATE]\n\n"
    "Exports the dataset as CSV. The long layout (default) has every\n"
    "observation with all its columns and vintages, and imports back into\n"
    "a dataset; the wide layout has one row per period and one column per\n"
    "indicator, holding the figure analysis uses as of --as-of.\n";

int cmd_export(int argc, char **argv)
{
    enum { O_ASOF = 256, O_LAYOUT };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, O_ASOF},
        {"layout", required_argument, NULL, O_LAYOUT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *as_of_text = NULL, *layout = "long",
               *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'o': output = optarg; break;
        case O_ASOF: as_of_text = optarg; break;
        case O_LAYOUT: layout = optarg; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        default: return cli_usage_error("export", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("export", "unexpected argument '%s'",
                               argv[optind]);
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_table *t = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    long as_of;
    bool wide = strcmp(layout, "wide") == 0;
    alm_error_clear(&err);
    enum alm_status st = ALM_OK;
    if (!wide && strcmp(layout, "long") != 0) {
        st = alm_fail(&err, ALM_EINPUT,
                      "unknown layout '%s': expected long or wide", layout);
        alm_error_locate(&err, NULL, 0, "--layout");
    }
    if (st == ALM_OK)
        st = alm_dataset_open(cli_dataset_dir(dir), NULL, &ds, &err);
    if (st == ALM_OK)
        st = alm_dataset_as_of(ds, as_of_text, &as_of, &err);
    if (st == ALM_OK)
        st = wide ? alm_export_wide(ds, as_of, &t, &err)
                  : alm_export_long(ds, as_of, &t, &err);
    if (st == ALM_OK && alm_table_format(t, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    alm_buf_release(&out);
    alm_table_free(t);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
