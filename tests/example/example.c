/* Load -> fit -> chart through libalmanac's public API, built against an
 * installed Almanac: cc example.c $(pkg-config --cflags --libs almanac).
 * Usage: example DATASET INDICATOR OUT.svg; prints the fit's model and the
 * projection of the last period, then draws the chart (needs gnuplot). */
#include <stdio.h>
#include <stdlib.h>

#include <almanac/chart.h>
#include <almanac/dataset.h>
#include <almanac/project.h>

int main(int argc, char **argv)
{
    if (argc != 4)
        return fprintf(stderr, "usage: example DATASET ID OUT.svg\n"), 2;
    alm_init();
    struct alm_error err = {0};
    struct alm_dataset *ds = NULL;
    struct alm_projection *p = NULL;
    size_t *ids = NULL, nids = 0, np = 0;
    struct alm_chart_opts o = {.proj.level = 95};
    enum alm_status st = alm_dataset_open(argv[1], NULL, &ds, &err);
    if (st == ALM_OK)
        st = alm_dataset_pick(ds, &argv[2], 1, &ids, &nids, &err);
    if (st == ALM_OK)
        st = alm_dataset_as_of(ds, NULL, &o.proj.as_of, &err);
    if (st == ALM_OK)
        st = alm_project_all(ds, ids, 1, &o.proj, &p, &np, &err);
    if (st == ALM_OK && p[0].fitted && p[0].nrows > 0) {
        char model[32], period[ALM_PERIOD_TEXT_MAX];
        const struct alm_projection_row *r = &p[0].rows[p[0].nrows - 1];
        alm_model_format(&p[0].fit.model, model, sizeof model);
        alm_period_format(&r->period, period, sizeof period);
        printf("%s %s: %s %.6g [%.6g, %.6g]\n", argv[2], model, period,
               r->f.value, r->f.lower, r->f.upper);
    }
    struct alm_chart c = {
        .ind = ids, .nind = 1, .output = argv[3], .type = ALM_CHART_SVG};
    if (st == ALM_OK)
        st = alm_chart_render(ds, &c, 1, &o, &err);
    if (st != ALM_OK)
        fprintf(stderr, "example: %s: %s\n", err.file, err.msg);
    alm_projections_free(p, np);
    free(ids);
    alm_dataset_free(ds);
    return st == ALM_OK ? 0 : 1;
}
