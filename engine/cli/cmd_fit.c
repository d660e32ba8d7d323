/* almanac fit: fit and project indicators. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/project.h>
#include <almanac/view.h>
#include <almanac/xlsx.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-fit.1.txt. */
#include "usage/fit.h"

static const struct cli_spec spec = {.args = {0, -1, NULL},
                                     .shared =
                                         CLI_ANALYSIS | CLI_TO | CLI_SERIES,
                                     .outputs = CLI_ANALYSIS_OUTPUTS,
                                     .name = "fit",
                                     .usage = usage_text};

int cmd_fit(int argc, char **argv)
{
    struct alm_projection *proj = NULL;
    size_t nproj = 0;
    struct cli cl;
    enum alm_status st = cli_start(&cl, &spec, NULL, argc, argv);
    struct alm_projection_opts po = cli_projection(&cl);
    if (st == ALM_OK)
        st = alm_project_all(cl.ds, cl.ids, cl.nids, &po, &proj, &nproj,
                             &cl.err);
    /* An indicator named on the command line that cannot be fitted is an
     * error; in a run over every indicator it is a note. */
    for (size_t i = 0; i < nproj && st == ALM_OK && cl.nargs > 0; i++)
        if (!proj[i].fitted)
            st = alm_fail(&cl.err, ALM_EINPUT, "%s: %s",
                          cl.ds->ind[cl.ids[i]].id, proj[i].note);
    bool xlsx = cli_output_xlsx(cl.output);
    struct alm_table *t = NULL;
    if (st == ALM_OK && xlsx)
        st = alm_view_fit_table(cl.ds, proj, nproj, po.level, &t);
    if (st == ALM_OK && xlsx) {
        const struct alm_xlsx_sheet sheet = {"projections", t};
        st = alm_xlsx_write(cl.output, &sheet, 1, &cl.err);
    } else if (st == ALM_OK) {
        st = alm_view_fit(cl.ds, proj, nproj, cl.format, po.as_of, po.level,
                          &cl.out);
    }
    alm_table_free(t);
    alm_projections_free(proj, nproj);
    return cli_finish(&cl, st, xlsx ? NULL : &cl.out);
}
