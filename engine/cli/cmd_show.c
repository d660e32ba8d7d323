/* almanac show: one series with its provenance. */
#include <getopt.h>

#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac show -d DIR ID [--vintages] [--as-of DATE]\n"
    "                    [--format table|csv] [-o FILE]\n\n"
    "Shows the series ID, one row per period with the figure analysis uses\n"
    "as of --as-of, its vintage, source and quote. --vintages shows every\n"
    "vintage of every period.\n";

int cmd_show(int argc, char **argv)
{
    enum { O_ASOF = 256, O_FORMAT, O_VINTAGES };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, O_ASOF},
        {"format", required_argument, NULL, O_FORMAT},
        {"vintages", no_argument, NULL, O_VINTAGES},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *as_of_text = NULL, *format = "table",
               *output = NULL;
    bool vintages = false;
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
        case O_VINTAGES:
            vintages = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("show", c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("show", "expected one indicator ID");
    const char *id = argv[optind];
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_table *t = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    enum alm_format f;
    long as_of, k = -1;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &as_of, &err);
    if (st == ALM_OK && (k = alm_dataset_find_indicator(ds, id)) < 0) {
        char q[200];
        st = alm_fail(&err, ALM_EINPUT, "no indicator '%s' in the dataset",
                      alm_error_quote(id, q, sizeof q));
    }
    if (st == ALM_OK)
        st = alm_view_show(ds, (size_t)k, as_of, vintages, &t, &err);
    if (st == ALM_OK) {
        const struct alm_indicator *in = &ds->ind[k];
        if (f == ALM_FORMAT_TABLE &&
            alm_buf_printf(&out, "%s: %s (%s; %s, frequency %c)\n", in->id,
                           in->title, in->unit[0] ? in->unit : "no unit",
                           alm_kind_name(in->kind), in->freq) != ALM_OK)
            st = ALM_ENOMEM;
        if (st == ALM_OK && f == ALM_FORMAT_TABLE)
            st = alm_text_escape_controls(&out, 0);
    }
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
