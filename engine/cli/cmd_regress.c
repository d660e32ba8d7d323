/* almanac regress: least squares on the columns of any CSV file. */
#include <getopt.h>

#include <almanac/regress.h>
#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac regress FILE [--y COL] [--x COL[,COL...]] [--poly K]\n"
    "                       [--no-intercept] [--format table|csv] [-o FILE]\n"
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
    "  --format F       table (default) or csv: term,estimate,std_error,\n"
    "                   then the rows sigma and r.squared\n"
    "  -o FILE          write to FILE instead of standard output\n";

int cmd_regress(int argc, char **argv)
{
    enum { O_Y = 256, O_X, O_POLY, O_NO_INTERCEPT, O_FORMAT };
    static const struct option opts[] = {
        {"y", required_argument, NULL, O_Y},
        {"x", required_argument, NULL, O_X},
        {"poly", required_argument, NULL, O_POLY},
        {"no-intercept", no_argument, NULL, O_NO_INTERCEPT},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct alm_regress_opts ro = {NULL, NULL, NULL, false};
    const char *format = "table", *output = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case O_Y:
            ro.y = optarg;
            break;
        case O_X:
            ro.x = optarg;
            break;
        case O_POLY:
            ro.poly = optarg;
            break;
        case O_NO_INTERCEPT:
            ro.no_intercept = true;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("regress", c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("regress", "expected one FILE");

    struct alm_error err;
    struct alm_regress *r = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    enum alm_format f;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = alm_regress_read(argv[optind], &ro, &r, &err);
    if (st == ALM_OK && alm_regress_write(r, f, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    alm_buf_release(&out);
    alm_regress_free(r);
    return cli_exit(st, &err);
}
