/* almanac list: indicators with their latest value, period and source. */
#include <getopt.h>

#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-list.1.txt. */
#include "usage/list.h"

static const struct cli_spec spec = {.shared =
                                         CLI_READ | CLI_OUTPUT | CLI_FORMAT,
                                     .name = "list",
                                     .usage = usage_text};

/* The same, the dataset left for alm_view_list_dataset to read. */
static const struct cli_spec spec_stream = {
    .shared = (CLI_READ | CLI_OUTPUT | CLI_FORMAT) & ~(unsigned)CLI_OPEN,
    .name = "list",
    .usage = usage_text};

int cmd_list(int argc, char **argv)
{
    struct alm_table *t = NULL;
    struct cli cl;
    enum alm_status st = cli_parse(&cl, &spec_stream, NULL, argc, argv);
    if (st != ALM_OK)
        return cl.stop;
    /* Read an indicator at a time when it can be, else whole (which
     * reports any problem). */
    if (cli_prepare(&cl) != ALM_OK ||
        !alm_view_list_dataset(cli_dataset_dir(cl.dir), cl.as_of_text,
                               cl.format, &t, &cl.as_of)) {
        alm_error_clear(&cl.err);
        cl.spec = &spec;
        st = cli_prepare(&cl);
        if (st == ALM_OK)
            st = alm_view_list(cl.ds, cl.as_of, cl.format, &t);
    }
    if (st == ALM_OK)
        st = alm_view_write(t, cl.format, cl.as_of, &cl.out);
    alm_table_free(t);
    return cli_finish(&cl, st, &cl.out);
}
