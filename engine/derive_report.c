/* The report's comparisons (report_internal.h, alm__report_compare):
 * every indicator with a same_as beside the one it names, from the
 * dataset where they are declared (alm_derive_origin). */
#include <almanac/buf.h>
#include <almanac/derive.h>

#include "internal.h"
#include "report_internal.h"

enum alm_status alm__report_compare(const struct facts *f,
                                    const struct markup *m, struct alm_buf *out,
                                    struct alm_error *err)
{
    const struct alm_dataset *ds = alm_derive_origin(f->ds);
    enum alm_status st = ALM_OK;
    for (size_t k = 0; m->compare && k < ds->nind && st == ALM_OK; k++) {
        struct alm_table *t = NULL;
        st = alm_derive_compare(ds, k, f->o->as_of, &t, err);
        if (st != ALM_OK || !t)
            continue;
        const struct alm_indicator *a = &ds->ind[k];
        size_t j = (size_t)alm_derive_same_as(ds, k);
        const struct alm_indicator *b = &ds->ind[j];
        struct alm_buf head = ALM_BUF_INIT, intro = ALM_BUF_INIT;
        /* The titles as declared, without the mark of recorded figures
         * (alm_derive_record). */
        alm_buf_printf(&head, "%s beside %s", alm_derive_title(ds, k),
                       alm_derive_title(ds, j));
        const char *formula = alm_derive_formula(ds, k);
        if (formula)
            alm_buf_printf(&intro,
                           "%s (derived) = %s, computed from the "
                           "figures of its inputs as of %s. ",
                           a->id, formula, f->date);
        alm_buf_printf(&intro,
                       "Flagged \"beyond rounding\" where the difference is "
                       "more than the rounding of the published %s figure "
                       "and of %s's inputs explains (the range is what that "
                       "rounding allows).",
                       b->id, a->id);
        st = alm_buf_check(&head, err, "the report");
        if (st == ALM_OK)
            st = alm_buf_check(&intro, err, "the report");
        if (st == ALM_OK)
            m->compare(head.s, intro.s, t, out);
        alm_buf_release(&head);
        alm_buf_release(&intro);
        alm_table_free(t);
    }
    return st;
}
