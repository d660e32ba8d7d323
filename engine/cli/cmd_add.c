/* almanac add: append one observation, creating its indicator and its
 * source in the same write when their fields are given
 * (alm_dataset_add_with). */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-add.1.txt. */
#include "usage/add.h"

static const struct cli_spec spec = {
    .shared = CLI_DATASET, .name = "add", .usage = usage_text};

int cmd_add(int argc, char **argv)
{
    struct alm_obs_input in = {0};
    struct alm_add_create c = {0};
    const struct cli_opt own[] = {
        CLI_TEXT("indicator", &in.indicator),
        CLI_TEXT("period", &in.period),
        CLI_TEXT("value", &in.value),
        CLI_TEXT("qualifier", &in.qualifier),
        CLI_TEXT("status", &in.status),
        CLI_TEXT("source", &in.source),
        CLI_TEXT("vintage", &in.vintage),
        CLI_TEXT("quote", &in.quote),
        CLI_TEXT("note", &in.note),
        CLI_TEXT("title", &c.title),
        CLI_TEXT("unit", &c.unit),
        CLI_TEXT("kind", &c.kind),
        CLI_TEXT("frequency", &c.frequency),
        CLI_TEXT("scope", &c.scope),
        CLI_TEXT("notes", &c.notes),
        CLI_TEXT("source-title", &c.source_title),
        CLI_TEXT("source-publisher", &c.source_publisher),
        CLI_TEXT("source-date", &c.source_date),
        CLI_TEXT("source-location", &c.source_location),
        CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!in.indicator || !in.period || !in.value)
        return cli_usage_error("add",
                               "--indicator, --period and --value are needed");
    if ((c.source_title || c.source_publisher || c.source_date ||
         c.source_location) &&
        !in.source)
        return cli_usage_error("add", "--source-title and the other --source-"
                                      "* options need --source ID");
    enum alm_status st =
        alm_dataset_add_with(cli_dataset_dir(cl.dir), &in, &c, &cl.err);
    if (st == ALM_OK)
        printf("added %s %s = %s\n", in.indicator, in.period, in.value);
    return cli_finish(&cl, st, NULL);
}
