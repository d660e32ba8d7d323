/* What the commands reading a dataset one indicator at a time share: see
 * scan.h. */
#include <almanac/csvio.h>
#include <almanac/dataset.h>

#include "scan.h"

bool alm__scan_plain(const struct alm_dataset *ds)
{
    const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
    const char *const cols[] = {"formula", "same_as"};
    for (size_t c = 0; c < 2; c++) {
        long j = alm_table_col(t, cols[c]);
        for (size_t i = 0; j >= 0 && i < t->nrows; i++)
            if (alm_table_cell(t, i, j)[0])
                return false;
    }
    return true;
}

bool alm__scan_open(const char *dir, const char *as_of_text,
                    struct alm__stream **s, long *as_of)
{
    struct alm_error e;
    alm_error_clear(&e);
    *s = NULL;
    *as_of = ALM_DATE_NONE;
    if (alm__stream_open(dir, s) != ALM_OK)
        return false;
    struct alm_dataset *ds = alm__stream_dataset(*s);
    bool ok = alm__scan_plain(ds);
    if (ok && as_of_text && as_of_text[0])
        ok = alm_dataset_as_of(ds, as_of_text, as_of, &e) == ALM_OK;
    if (!ok) {
        alm__stream_close(*s, NULL);
        *s = NULL;
    }
    return ok;
}
