/* almanac init DIR: create an empty dataset. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-init.1.txt. */
#include "usage/init.h"

static const struct cli_spec spec = {
    .args = {0, -1, NULL}, .name = "init", .usage = usage_text};

int cmd_init(int argc, char **argv)
{
    const char *title = NULL, *description = NULL;
    const struct cli_opt own[] = {CLI_TEXT("title", &title),
                                  CLI_TEXT("description", &description),
                                  CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (cl.nargs != 1)
        return cli_usage_error("init", "expected one folder, got %d", cl.nargs);
    enum alm_status st =
        alm_dataset_create_about(cl.args[0], title, description, &cl.err);
    if (st == ALM_OK)
        printf("created dataset %s\n", cl.args[0]);
    return cli_finish(&cl, st, NULL);
}
