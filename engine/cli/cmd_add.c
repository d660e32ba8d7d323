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

static const struct cli_spec spec = {
    .shared = CLI_DATASET, .name = "add", .usage = usage_text};

int cmd_add(int argc, char **argv)
{
    struct alm_obs_input in = {0};
    const struct cli_opt own[] = {CLI_TEXT("indicator", &in.indicator),
                                  CLI_TEXT("period", &in.period),
                                  CLI_TEXT("value", &in.value),
                                  CLI_TEXT("qualifier", &in.qualifier),
                                  CLI_TEXT("status", &in.status),
                                  CLI_TEXT("source", &in.source),
                                  CLI_TEXT("vintage", &in.vintage),
                                  CLI_TEXT("quote", &in.quote),
                                  CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!in.indicator || !in.period || !in.value)
        return cli_usage_error("add",
                               "--indicator, --period and --value are needed");
    enum alm_status st = alm_dataset_add(cli_dataset_dir(cl.dir), &in, &cl.err);
    if (st == ALM_OK)
        printf("added %s %s = %s\n", in.indicator, in.period, in.value);
    return cli_finish(&cl, st, NULL);
}
