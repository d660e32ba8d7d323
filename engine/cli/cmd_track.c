/* almanac track: progress of every target. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/track.h>
#include <almanac/view.h>
#include <almanac/xlsx.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-track.1.txt. */
#include "usage/track.h"

static const struct cli_spec spec = {.args = {0, -1, NULL},
                                     .shared = CLI_ANALYSIS | CLI_SERIES |
                                               CLI_TARGETS,
                                     .outputs = CLI_ANALYSIS_OUTPUTS,
                                     .name = "track",
                                     .usage = usage_text};

int cmd_track(int argc, char **argv)
{
    const char *method = "eurostat";
    struct alm_track_opts to = {.method = ALM_TRACK_EUROSTAT};
    const struct cli_opt own[] = {CLI_TEXT("method", &method),
                                  CLI_TEXT("since", &to.since), CLI_END};
    struct alm_track *a = NULL;
    size_t na = 0;
    struct cli cl;
    enum alm_status st = cli_parse(&cl, &spec, own, argc, argv);
    /* --format is checked before --method, as cli_prepare() checks it
     * before --model. */
    if (st == ALM_OK)
        st = alm_format_parse(cl.format_text, &cl.format, &cl.err);
    if (st == ALM_OK)
        st = alm_track_method_parse(method, &to.method, &cl.err);
    if (st == ALM_OK)
        st = cli_prepare(&cl);
    to.model = cl.model;
    to.level = cl.level;
    to.as_of = cl.as_of;
    if (st == ALM_OK)
        st = alm_track_all(cl.ds, cl.ids, cl.nids, &to, &a, &na, &cl.err);
    bool xlsx = cli_output_xlsx(cl.output);
    struct alm_table *t = NULL;
    if (st == ALM_OK && xlsx)
        st = alm_view_track_table(cl.ds, a, na, &to, &t);
    if (st == ALM_OK && xlsx) {
        const struct alm_xlsx_sheet sheet = {"targets", t};
        st = alm_xlsx_write(cl.output, &sheet, 1, &cl.err);
    } else if (st == ALM_OK) {
        st = alm_view_track(cl.ds, a, na, &to, cl.format, &cl.out);
    }
    alm_table_free(t);
    free(a);
    return cli_finish(&cl, st, xlsx ? NULL : &cl.out);
}
