/* almanac add: append one observation. */
#include <getopt.h>

#include <almanac/dataset.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac add -d DIR --indicator ID --period P --value V\n"
    "                   [--qualifier Q] [--status S] [--source ID[;ID]]\n"
    "                   [--vintage DATE] [--quote TEXT]\n\n"
    "Appends one observation to an existing indicator. Nothing is ever\n"
    "overwritten: a revised figure is a new vintage of the same period.\n"
    "The vintage defaults to the source's date.\n";

int cmd_add(int argc, char **argv)
{
    enum { O_IND = 256, O_PER, O_VAL, O_QUAL, O_STAT, O_SRC, O_VIN, O_QUOTE };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"indicator", required_argument, NULL, O_IND},
        {"period", required_argument, NULL, O_PER},
        {"value", required_argument, NULL, O_VAL},
        {"qualifier", required_argument, NULL, O_QUAL},
        {"status", required_argument, NULL, O_STAT},
        {"source", required_argument, NULL, O_SRC},
        {"vintage", required_argument, NULL, O_VIN},
        {"quote", required_argument, NULL, O_QUOTE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct alm_obs_input in = {0};
    const char *dir = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case O_IND:
            in.indicator = optarg;
            break;
        case O_PER:
            in.period = optarg;
            break;
        case O_VAL:
            in.value = optarg;
            break;
        case O_QUAL:
            in.qualifier = optarg;
            break;
        case O_STAT:
            in.status = optarg;
            break;
        case O_SRC:
            in.source = optarg;
            break;
        case O_VIN:
            in.vintage = optarg;
            break;
        case O_QUOTE:
            in.quote = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("add", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("add", "unexpected argument '%s'", argv[optind]);
    if (!in.indicator || !in.period || !in.value)
        return cli_usage_error("add",
                               "--indicator, --period and --value are needed");
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status st = alm_dataset_add(cli_dataset_dir(dir), &in, &err);
    if (st == ALM_OK)
        printf("added %s %s = %s\n", in.indicator, in.period, in.value);
    return cli_exit(st, &err);
}
