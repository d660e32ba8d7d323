/* almanac show: one series with its provenance. */
#include <getopt.h>

#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-show.1.txt. */
#include "usage/show.h"

static const struct cli_spec spec = {.args = {1, 1, "one indicator ID"},
                                     .shared = CLI_READ | CLI_OUTPUT |
                                               CLI_FORMAT | CLI_SERIES,
                                     .name = "show",
                                     .usage = usage_text};

/* The heading of the table for people: what the indicator is. */
static enum alm_status heading(const struct alm_indicator *in,
                               struct alm_buf *out)
{
    if (alm_buf_printf(out, "%s: %s (%s; %s, frequency %c)\n", in->id,
                       in->title, in->unit[0] ? in->unit : "no unit",
                       alm_kind_name(in->kind), in->freq) != ALM_OK)
        return ALM_ENOMEM;
    return alm_text_escape_controls(out, 0);
}

int cmd_show(int argc, char **argv)
{
    bool vintages = false;
    const struct cli_opt own[] = {CLI_FLAG("vintages", &vintages), CLI_END};
    struct alm_table *t = NULL;
    long k = -1;
    struct cli cl;
    enum alm_status st = cli_start(&cl, &spec, own, argc, argv);
    if (st == ALM_OK &&
        (k = alm_dataset_find_indicator(cl.ds, cl.args[0])) < 0) {
        char q[200];
        st = alm_fail(&cl.err, ALM_EINPUT, "no indicator '%s' in the dataset",
                      alm_error_quote(cl.args[0], q, sizeof q));
    }
    if (st == ALM_OK)
        st = alm_view_show(cl.ds, (size_t)k, cl.as_of, vintages, &t, &cl.err);
    if (st == ALM_OK && cl.format == ALM_FORMAT_TABLE)
        st = heading(&cl.ds->ind[k], &cl.out);
    if (st == ALM_OK)
        st = alm_view_write(t, cl.format, cl.as_of, &cl.out);
    alm_table_free(t);
    return cli_finish(&cl, st, &cl.out);
}
