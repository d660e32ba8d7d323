/* almanac regress: least squares on the columns of any CSV file. */
#include <getopt.h>

#include <almanac/regress.h>
#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac regress FILE [--y COL] [--x COL[,COL...]] [--poly K]\n"
    "                       [--no-intercept] [--format table|csv|json] [-o "
    "FILE]\n"
    "\n"
    "Fits y = b0 + b1 x1 + ... by ordinary least squares on the columns of\n"
    "FILE (\"-\" for standard input), as R's lm() would, to about 14\n"
    "significant digits even on ill-conditioned data.\n"
    "\n"
    "  --y COL          the response (default: the first column)\n"
    "  --x COLS         the regressors, comma-separated (default: all the\n"
    "                   other columns)\n"
    "  --poly K         regress on x, x^2, ..., x^K of the single --x column\n"
    "  --no-intercept   fit through the origin (R^2 is then uncentred)\n"
    "  --format F       table (default), csv or json: "
    "term,estimate,std_error,\n"
    "                   then the rows sigma and r.squared\n"
    "  -o FILE          write to FILE instead of standard output\n";

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
