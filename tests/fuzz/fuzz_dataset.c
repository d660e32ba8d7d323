/* Fuzzes the dataset reader: the four tables parsed and validated
 * (alm_dataset_parse, the in-memory twin of alm_dataset_read), then what
 * list, show and export build from them. Input: dataset_input.h.
 * Properties: `check` (a report callback, every problem) and the other
 * commands (stop at the first problem) agree on whether the dataset is
 * valid, and the first problem is the same; a valid dataset's series are
 * sorted; every view and export builds and formats. */
#include <almanac/export.h>
#include <almanac/view.h>

#include "dataset_input.h"

struct tally {
    size_t errors, warnings;
};

static void count(void *ctx, const struct alm_error *problem, bool warning)
{
    struct tally *t = ctx;
    FUZZ_ASSERT(problem->msg[0]);
    if (warning)
        t->warnings++;
    else
        t->errors++;
}

static void export_all(const struct alm_dataset *ds, bool wide, bool raw)
{
    struct alm_export_opts o = {0};
    struct alm_table *t = NULL;
    struct alm_buf b = ALM_BUF_INIT;
    o.wide = wide;
    o.raw = raw;
    o.as_of = ds->latest;
    FUZZ_ASSERT(alm_export(ds, &o, &t, NULL) == ALM_OK);
    FUZZ_ASSERT(alm_table_format(t, &b) == ALM_OK);
    if (!raw) /* no text cell may start a formula */
        for (size_t i = 0; i < t->nrows; i++)
            for (size_t j = 0; j < t->ncols; j++)
                FUZZ_ASSERT(
                    !alm_export_is_formula(alm_table_cell(t, i, (long)j)));
    alm_buf_release(&b);
    alm_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alm_dataset *ds = NULL, *checked = NULL;
    struct alm_error err, err2;
    struct tally tally = {0, 0};
    struct alm_problem_sink report = {count, &tally};
    alm_init();
    alm_error_clear(&err);
    alm_error_clear(&err2);
    enum alm_status st = fuzz_dataset(data, size, NULL, &ds, &err);
    enum alm_status st2 = fuzz_dataset(data, size, &report, &checked, &err2);
    FUZZ_ASSERT(st == st2);
    if (st != ALM_OK) {
        FUZZ_ASSERT(err.msg[0] && strcmp(err.msg, err2.msg) == 0);
        FUZZ_ASSERT(err.line == err2.line);
        return 0;
    }
    FUZZ_ASSERT(tally.errors == 0);
    alm_dataset_free(checked);

    for (int f = 0; f < 2; f++) {
        struct alm_table *t = NULL;
        struct alm_buf b = ALM_BUF_INIT;
        FUZZ_ASSERT(alm_view_list(ds, ds->latest, (enum alm_format)f, &t) ==
                    ALM_OK);
        FUZZ_ASSERT(alm_view_write(t, (enum alm_format)f, ds->latest, &b) ==
                    ALM_OK);
        alm_table_free(t);
        alm_buf_release(&b);
    }
    for (size_t k = 0; k < ds->nind; k++) {
        FUZZ_ASSERT(alm_dataset_find_indicator(ds, ds->ind[k].id) == (long)k);
        for (int all = 0; all < 2; all++) {
            size_t *idx = NULL, n = 0;
            struct alm_table *t = NULL;
            struct alm_buf b = ALM_BUF_INIT;
            FUZZ_ASSERT(alm_dataset_series(ds, k, ds->latest, all, &idx, &n,
                                           NULL) == ALM_OK);
            for (size_t i = 0; i + 1 < n; i++)
                FUZZ_ASSERT(alm_period_compare(&ds->obs[idx[i]].period,
                                               &ds->obs[idx[i + 1]].period) <=
                            0);
            free(idx);
            FUZZ_ASSERT(alm_view_show(ds, k, ds->latest, all, &t, NULL) ==
                        ALM_OK);
            FUZZ_ASSERT(alm_view_write(t, ALM_FORMAT_TABLE, ds->latest, &b) ==
                        ALM_OK);
            alm_table_free(t);
            alm_buf_release(&b);
        }
    }
    export_all(ds, false, false);
    export_all(ds, false, true);
    export_all(ds, true, false);
    alm_dataset_free(ds);
    return 0;
}
