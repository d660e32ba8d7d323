/* almanac regress: least squares on the columns of any CSV file. */
#include <getopt.h>

#include <almanac/regress.h>
#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-regress.1.txt. */
#include "usage/regress.h"

static const struct cli_spec spec = {.args = {1, 1, "one FILE"},
                                     .shared = CLI_OUTPUT | CLI_FORMAT,
                                     .name = "regress",
                                     .usage = usage_text};

int cmd_regress(int argc, char **argv)
{
    struct alm_regress_opts ro = {.no_intercept = false};
    const struct cli_opt own[] = {
        CLI_TEXT("y", &ro.y), CLI_TEXT("x", &ro.x), CLI_TEXT("poly", &ro.poly),
        CLI_FLAG("no-intercept", &ro.no_intercept), CLI_END};
    struct alm_regress *r = NULL;
    struct cli cl;
    enum alm_status st = cli_start(&cl, &spec, own, argc, argv);
    if (st == ALM_OK)
        st = alm_regress_read(cl.args[0], &ro, &r, &cl.err);
    if (st == ALM_OK)
        st = alm_regress_write(r, cl.format, &cl.out);
    alm_regress_free(r);
    return cli_finish(&cl, st, &cl.out);
}
