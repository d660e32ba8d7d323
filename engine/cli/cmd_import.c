/* almanac import: append many observations from a CSV file. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac import -d DIR FILE [--format auto|long] [--kind K]\n"
    "                      [--vintage DATE] [--dry-run]\n\n"
    "Appends the observations of FILE ('-' for standard input): all rows\n"
    "valid or nothing written. The long format has the columns of\n"
    "observations.csv (indicator,period,value required). Missing\n"
    "indicators are created (title = id, kind from --kind, else value;\n"
    "frequency from their periods); sources must exist in sources.csv.\n"
    "--vintage sets the vintage of rows that have none.\n";

int cmd_import(int argc, char **argv)
{
    enum { O_FORMAT = 256, O_KIND, O_VIN, O_DRY };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, O_FORMAT},
        {"kind", required_argument, NULL, O_KIND},
        {"vintage", required_argument, NULL, O_VIN},
        {"dry-run", no_argument, NULL, O_DRY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct alm_import_opts io = {0};
    const char *dir = NULL, *format = "auto";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case O_KIND:
            io.kind = optarg;
            break;
        case O_VIN:
            io.vintage = optarg;
            break;
        case O_DRY:
            io.dry_run = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("import", c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("import", "expected one FILE");
    struct alm_error err;
    alm_error_clear(&err);
    if (strcmp(format, "auto") != 0 && strcmp(format, "long") != 0) {
        enum alm_status st = alm_fail(
            &err, ALM_EINPUT,
            "format '%s' is not available in this version: use long", format);
        alm_error_locate(&err, NULL, 0, "--format");
        return cli_exit(st, &err);
    }
    struct alm_table *t = NULL;
    enum alm_status st = alm_table_read(argv[optind], &t, &err);
    struct alm_import_result res = {0, 0};
    if (st == ALM_OK)
        st = alm_dataset_import(cli_dataset_dir(dir), t, &io, &res, &err);
    if (st == ALM_OK)
        printf("%s %zu observation%s and %zu new indicator%s from %s\n",
               io.dry_run ? "would import" : "imported", res.observations,
               res.observations == 1 ? "" : "s", res.indicators,
               res.indicators == 1 ? "" : "s", t->name);
    alm_table_free(t);
    return cli_exit(st, &err);
}
