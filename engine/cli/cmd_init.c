/* almanac init DIR: create an empty dataset. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac init DIR\n\n"
    "Creates the dataset folder DIR with empty indicators.csv,\n"
    "observations.csv, sources.csv and targets.csv (headers only).\n";

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        return cli_bad_option("init", c, argv);
    }
    if (argc - optind != 1)
        return cli_usage_error("init", "expected one folder, got %d",
                               argc - optind);
    struct alm_error err;
    alm_error_clear(&err);
    enum alm_status st = alm_dataset_create(argv[optind], &err);
    if (st == ALM_OK)
        printf("created dataset %s\n", argv[optind]);
    return cli_exit(st, &err);
}
