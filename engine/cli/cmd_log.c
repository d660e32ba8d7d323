/* almanac log: the change log of a dataset. */
#include <getopt.h>

#include <almanac/dataset.h>
#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-log.1.txt. */
#include "usage/log.h"

static const struct cli_spec spec = {
    .shared = CLI_DATASET | CLI_OUTPUT, .name = "log", .usage = usage_text};

int cmd_log(int argc, char **argv)
{
    struct cli cl;
    if (cli_parse(&cl, &spec, NULL, argc, argv) != ALM_OK)
        return cl.stop;
    enum alm_status st =
        alm_dataset_log(cli_dataset_dir(cl.dir), &cl.out, &cl.err);
    /* A hand-edited log may hold what a terminal would run. */
    if (st == ALM_OK)
        st = alm_text_escape_controls(&cl.out, 0);
    return cli_finish(&cl, st, &cl.out);
}
