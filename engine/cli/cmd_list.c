/* almanac list: indicators with their latest value, period and source. */
#include <getopt.h>

#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac list -d DIR [--as-of DATE] [--format table|csv] [-o FILE]\n"
    "\n"
    "Lists every indicator with its latest figure as of --as-of (default:\n"
    "the latest vintage in the dataset): period, value, vintage, source.\n";

int cmd_list(int argc, char **argv)
{
    enum { O_ASOF = 256, O_FORMAT };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, O_ASOF},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *as_of_text = NULL, *format = "table",
               *output = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case O_ASOF:
            as_of_text = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("list", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("list", "unexpected argument '%s'",
                               argv[optind]);
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_table *t = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    enum alm_format f;
    long as_of;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &as_of, &err);
    if (st == ALM_OK)
        st = alm_view_list(ds, as_of, f, &t);
    if (st == ALM_OK)
        st = alm_view_write(t, f, as_of, &out);
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    if (st == ALM_ENOMEM)
        alm_fail(&err, st, "out of memory");
    alm_buf_release(&out);
    alm_table_free(t);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
