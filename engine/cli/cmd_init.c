/* almanac init DIR: create an empty dataset. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac init DIR\n\n"
    "Creates the dataset folder DIR with empty indicators.csv,\n"
    "observations.csv, sources.csv and targets.csv (headers only).\n";

static const struct cli_spec spec = {
    .args = {0, -1, NULL}, .name = "init", .usage = usage_text};

int cmd_init(int argc, char **argv)
{
    struct cli cl;
    if (cli_parse(&cl, &spec, NULL, argc, argv) != ALM_OK)
        return cl.stop;
    if (cl.nargs != 1)
        return cli_usage_error("init", "expected one folder, got %d", cl.nargs);
    enum alm_status st = alm_dataset_create(cl.args[0], &cl.err);
    if (st == ALM_OK)
        printf("created dataset %s\n", cl.args[0]);
    return cli_finish(&cl, st, NULL);
}
