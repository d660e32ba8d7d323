/* Fuzzes what fit, track, chart and report compute from a dataset that
 * reads: projections with the default model, target tracking by both
 * methods, the gnuplot script of a chart of every indicator (not run),
 * the reports in HTML, Markdown and text (no charts), and the exports
 * with projections, the consistency warnings of check and the dataset
 * with derived indicators computed. Input: dataset_input.h. Properties:
 * nothing fails but for lack of memory (a derived figure its kind cannot
 * hold is bad input); projections have finite values; the gnuplot
 * script has no backquote outside a single-quoted string, so data can
 * never run a command. */
#include <math.h>

#include <almanac/chart.h>
#include <almanac/consistency.h>
#include <almanac/derive.h>
#include <almanac/export.h>
#include <almanac/project.h>
#include <almanac/report.h>
#include <almanac/series.h>
#include <almanac/track.h>
#include <almanac/view.h>

#include "dataset_input.h"

/* Checks that a gnuplot script can run no command, whatever the data:
 * outside strings and comments there is no backquote (command
 * substitution), no "system" and no line starting with "!" (a shell
 * command); inside double-quoted strings, where gnuplot also substitutes
 * backquotes, there is none either. Single-quoted strings are literal
 * ('' is a quote inside one). Datablocks hold numbers only. */
static void gp_safe(const char *s, size_t len)
{
    enum { CODE, SQ, DQ, COMMENT } state = CODE;
    bool line_start = true;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        FUZZ_ASSERT(c != '\0');
        switch (state) {
        case CODE:
            FUZZ_ASSERT(c != '`');
            FUZZ_ASSERT(!(line_start && c == '!'));
            FUZZ_ASSERT(len - i < 6 || memcmp(s + i, "system", 6) != 0);
            if (c == '\'')
                state = SQ;
            else if (c == '"')
                state = DQ;
            else if (c == '#')
                state = COMMENT;
            break;
        case SQ:
            if (c == '\'' && i + 1 < len && s[i + 1] == '\'')
                i++;
            else if (c == '\'')
                state = CODE;
            FUZZ_ASSERT(c != '\n');
            break;
        case DQ:
            FUZZ_ASSERT(c != '`');
            FUZZ_ASSERT(c != '\n');
            if (c == '\\')
                i++;
            else if (c == '"')
                state = CODE;
            break;
        case COMMENT:
            if (c == '\n')
                state = CODE;
            break;
        }
        if (c == '\n')
            line_start = true;
        else if (c != ' ' && c != '\t')
            line_start = false;
    }
    FUZZ_ASSERT(state == CODE || state == COMMENT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alm_dataset *ds = NULL;
    alm_init();
    if (fuzz_dataset(data, size, NULL, &ds, NULL) != ALM_OK)
        return 0;
    FUZZ_ASSERT(alm_consistency_check(ds, NULL, NULL, NULL) == ALM_OK);
    struct alm_dataset *derived = NULL;
    enum alm_status dst = alm_derive_dataset(ds, &derived, NULL);
    FUZZ_ASSERT(dst == ALM_OK || dst == ALM_EINPUT);
    alm_dataset_free(derived);

    struct alm_projection_opts po = {
        {ALM_MODEL_AUTO, 0}, NULL, 95.0, ds->latest};
    struct alm_projection *proj = NULL;
    size_t nproj = 0;
    FUZZ_ASSERT(alm_project_all(ds, NULL, 0, &po, &proj, &nproj, NULL) ==
                ALM_OK);
    FUZZ_ASSERT(nproj == ds->nind);
    size_t rows = 0;
    for (size_t k = 0; k < nproj; k++) {
        rows += proj[k].nrows;
        for (size_t r = 0; r < proj[k].nrows; r++)
            FUZZ_ASSERT(isfinite(proj[k].rows[r].f.value));
    }
    /* A target thousands of years ahead gives thousands of projected
     * periods (project.c allows 10000 per indicator): correct, but every
     * writer below would format each of them, seconds per input under the
     * sanitizers. Such inputs stop here; smaller ones go everywhere. */
    if (rows > 2000) {
        alm_projections_free(proj, nproj);
        alm_dataset_free(ds);
        return 0;
    }
    for (int f = 0; f < 2; f++) {
        struct alm_buf b = ALM_BUF_INIT;
        FUZZ_ASSERT(alm_view_fit(ds, proj, nproj, (enum alm_format)f,
                                 ds->latest, 95.0, &b) == ALM_OK);
        alm_buf_release(&b);
    }
    for (int wide = 0; wide < 2; wide++) {
        struct alm_export_opts eo = {0};
        struct alm_table *t = NULL;
        eo.wide = wide;
        eo.as_of = ds->latest;
        eo.proj = proj;
        eo.nproj = nproj;
        FUZZ_ASSERT(alm_export(ds, &eo, &t, NULL) == ALM_OK);
        alm_table_free(t);
    }
    alm_projections_free(proj, nproj);

    for (int m = 0; m < 2; m++) {
        struct alm_track_opts to = {(enum alm_track_method)m,
                                    NULL,
                                    {ALM_MODEL_AUTO, 0},
                                    95.0,
                                    ds->latest};
        struct alm_track *tr = NULL;
        size_t ntr = 0;
        FUZZ_ASSERT(alm_track_all(ds, NULL, 0, &to, &tr, &ntr, NULL) == ALM_OK);
        for (int f = 0; f < 2; f++) {
            struct alm_buf b = ALM_BUF_INIT;
            FUZZ_ASSERT(alm_view_track(ds, tr, ntr, &to, (enum alm_format)f,
                                       &b) == ALM_OK);
            alm_buf_release(&b);
        }
        free(tr);
    }

    if (ds->nind > 0) {
        size_t *ids = malloc(ds->nind * sizeof *ids);
        FUZZ_ASSERT(ids);
        for (size_t k = 0; k < ds->nind; k++)
            ids[k] = k;
        struct alm_chart ch = {ids, ds->nind, "out.svg", ALM_CHART_SVG, 0, 0};
        struct alm_chart_opts co = {po, true, "theme.gp", false, NULL};
        struct alm_buf b = ALM_BUF_INIT;
        FUZZ_ASSERT(alm_chart_write_script(ds, &ch, 1, &co, &b, NULL) ==
                    ALM_OK);
        gp_safe(b.s, b.len);
        alm_buf_release(&b);
        free(ids);
    }

    /* The series pipeline on every indicator (series.h): whatever the
     * data, a dataset that reads back, or indicators left out. */
    const struct alm_series_opts sopts[] = {
        {.tx = ALM_TX_PC1},
        {.tx = ALM_TX_PCA, .freq = 'Q', .agg = ALM_AGG_SUM},
        {.tx = ALM_TX_LOG, .freq = 'A', .agg = ALM_AGG_EOP},
        {.tx = ALM_TX_CHG, .unit = "million"},
        {.unit = "k"}};
    for (size_t i = 0; i < sizeof sopts / sizeof sopts[0]; i++) {
        struct alm_dataset *tx = NULL;
        struct alm_buf notes = ALM_BUF_INIT;
        FUZZ_ASSERT(alm_series_dataset(ds, NULL, 0, &sopts[i], ds->latest, &tx,
                                       &notes, NULL) == ALM_OK);
        alm_dataset_free(tx);
        alm_buf_release(&notes);
    }

    for (int f = 0; f < 3; f++) {
        struct alm_report_opts ro = {0};
        struct alm_buf b = ALM_BUF_INIT;
        ro.format = (enum alm_report_format)f;
        ro.model.model = ALM_MODEL_AUTO;
        ro.level = 95.0;
        ro.as_of = ds->latest;
        FUZZ_ASSERT(alm_report_build(ds, &ro, &b, NULL) == ALM_OK);
        alm_buf_release(&b);
    }
    alm_dataset_free(ds);
    return 0;
}
