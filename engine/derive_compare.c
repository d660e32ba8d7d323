/* An indicator beside the one its same_as names (derive.h,
 * alm_derive_compare): what report shows of a derived growth against the
 * published one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <almanac/buf.h>
#include <almanac/derive.h>

#include "internal.h"

/* A number for people in a table: six significant digits. */
static void number(double x, char *out, size_t size)
{
    if (isfinite(x))
        snprintf(out, size, "%.6g", x);
    else
        alm__copy(out, size, x > 0 ? "no upper bound" : "no lower bound");
}

/* The figure of point p of indicator ind: a recorded one as written, a
 * derived one to six digits. */
static void figure(const struct alm_dataset *ds, size_t ind,
                   const struct alm_dpoint *p, char *out, size_t size)
{
    if (!alm_derive_is(ds, ind) && p->nobs == 1) {
        const struct alm_obs *o = &ds->obs[p->obs[0]];
        snprintf(out, size, "%s%s", alm_qualifier_text(o->qual), o->value_text);
        return;
    }
    number(p->value, out, size);
}

/* "s1; s2, vintage 2022-11-17" for the point's inputs. */
static void provenance(const struct alm_dataset *ds, const struct alm_dpoint *p,
                       struct alm_buf *b)
{
    alm_dpoint_sources(ds, p, b);
    if (p->vintage != ALM_DATE_NONE) {
        char v[32];
        alm_date_format(p->vintage, v, sizeof v);
        alm_buf_printf(b, ", vintage %s", v);
    }
}

static bool disjoint(const struct alm_dpoint *a, const struct alm_dpoint *b)
{
    double m =
        fmax(fmax(fabs(a->lo), fabs(a->hi)), fmax(fabs(b->lo), fabs(b->hi)));
    double eps = 1e-9 * (isfinite(m) && m > 1 ? m : 1);
    return a->hi <= b->lo + eps || b->hi <= a->lo + eps;
}

static enum alm_status add_row(const struct alm_dataset *ds, size_t k, size_t j,
                               const struct alm_dpoint *a,
                               const struct alm_dpoint *b, struct alm_table *t)
{
    char per[ALM_PERIOD_TEXT_MAX], fb[64], fa[64], lo[32], hi[32], range[80],
        diff[32];
    struct alm_buf src = ALM_BUF_INIT;
    alm_period_format(&a->period, per, sizeof per);
    figure(ds, j, b, fb, sizeof fb);
    figure(ds, k, a, fa, sizeof fa);
    number(a->lo, lo, sizeof lo);
    number(a->hi, hi, sizeof hi);
    snprintf(range, sizeof range, "%s to %s", lo, hi);
    number(a->value - b->value, diff, sizeof diff);
    provenance(ds, b, &src);
    const char *cells[] = {per,
                           fb,
                           src.s ? src.s : "",
                           fa,
                           range,
                           diff,
                           disjoint(a, b) ? "beyond rounding" : ""};
    enum alm_status st = alm_buf_status(&src);
    if (st == ALM_OK)
        st = alm_table_add_row(t, 0);
    for (size_t c = 0; st == ALM_OK && c < sizeof cells / sizeof *cells; c++)
        st = alm_table_set(t, t->nrows - 1, c, cells[c]);
    alm_buf_release(&src);
    return st;
}

enum alm_status alm_derive_compare(const struct alm_dataset *ds, size_t k,
                                   long as_of, struct alm_table **out,
                                   struct alm_error *err)
{
    *out = NULL;
    long j = alm_derive_same_as(ds, k);
    if (j < 0)
        return ALM_OK;
    static const char *const head[] = {"period",  "published", "source",
                                       "derived", "range",     "difference",
                                       "flag"};
    struct alm_table *t = alm_table_new("comparison", 7, head);
    struct alm_dseries a = {0}, b = {0};
    enum alm_status st =
        t ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = alm_derive_points(ds, k, as_of, &a, err);
    if (st == ALM_OK)
        st = alm_derive_points(ds, (size_t)j, as_of, &b, err);
    size_t x = 0, y = 0;
    while (st == ALM_OK && x < a.n && y < b.n) {
        int c = alm_period_compare(&a.pt[x].period, &b.pt[y].period);
        if (c == 0 &&
            add_row(ds, k, (size_t)j, &a.pt[x], &b.pt[y], t) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        if (c <= 0)
            x++;
        if (c >= 0)
            y++;
    }
    alm_dseries_release(&a);
    alm_dseries_release(&b);
    if (st != ALM_OK) {
        alm_table_free(t);
        return st;
    }
    *out = t;
    return ALM_OK;
}
