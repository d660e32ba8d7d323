/* Consistency warnings for check: the rules are in
 * include/almanac/consistency.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/consistency.h>
#include <almanac/derive.h>

#include "dataset_internal.h"
#include "internal.h"
#include "scan.h"

struct cctx {
    const struct alm_dataset *ds;
    const struct alm_problem_sink *report;
    size_t count;
};

/* Reports one warning at the row of observation o (NULL: at the
 * indicators.csv row of indicator ind). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
warn(struct cctx *c, const struct alm_obs *o, size_t ind, const char *fmt, ...)
{
    struct alm_error e;
    alm_error_clear(&e);
    e.status = ALM_EINPUT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    const struct alm_table *t =
        c->ds->tables[o ? ALM_T_OBSERVATIONS : ALM_T_INDICATORS];
    size_t row = o ? o->row : c->ds->ind[ind].row;
    alm_error_locate(&e, t->name, row < t->nrows ? t->lines[row] : 0, NULL);
    c->count++;
    if (c->report)
        c->report->fn(c->report->ctx, &e, true);
}

/* A computed number for people: six significant digits. */
static void number(double x, char *out, size_t size)
{
    snprintf(out, size, "%.6g", x);
}

/* "145.6 (2021, vintage 2022-01-19, source-id)". */
static void describe_obs(const struct alm_dataset *ds, const struct alm_obs *o,
                         struct alm_buf *b)
{
    char per[ALM_PERIOD_TEXT_MAX], vin[32] = "unknown";
    const char *own = alm_obs_cell(ds, o, "vintage");
    alm_period_format(&o->period, per, sizeof per);
    if (own[0])
        alm__copy(vin, sizeof vin, own);
    else if (o->vintage != ALM_DATE_NONE)
        alm_date_format(o->vintage, vin, sizeof vin);
    alm_buf_printf(b, "%s%s (%s, vintage %s, %s)", alm_qualifier_text(o->qual),
                   o->value_text, per, vin,
                   o->source[0] ? o->source : "no source");
}

/* A point of indicator ind for people: a recorded figure as written with
 * its provenance, a derived one with its interval (its formula and inputs
 * come last, with tail()). */
static void describe(const struct alm_dataset *ds, size_t ind,
                     const struct alm_dpoint *p, struct alm_buf *b)
{
    if (!alm_derive_is(ds, ind)) {
        describe_obs(ds, &ds->obs[p->obs[0]], b);
        return;
    }
    char v[32], lo[32], hi[32];
    number(p->value, v, sizeof v);
    number(p->lo, lo, sizeof lo);
    number(p->hi, hi, sizeof hi);
    alm_buf_printf(b, "%s (%s to %s by its inputs' rounding)", v, lo, hi);
}

/* "; ID = FORMULA of INPUTS" for a derived point, nothing otherwise. */
static void tail(const struct alm_dataset *ds, size_t ind,
                 const struct alm_dpoint *p, struct alm_buf *b)
{
    if (!alm_derive_is(ds, ind))
        return;
    alm_buf_printf(b, "; %s = %s of ", ds->ind[ind].id,
                   alm_derive_formula(ds, ind));
    alm_dpoint_inputs(ds, p, b);
}

/* The observation a warning about point p of ind is located at: its own
 * for a recorded figure, NULL (the indicator's row) for a derived one. */
static const struct alm_obs *row_of(const struct alm_dataset *ds, size_t ind,
                                    const struct alm_dpoint *p)
{
    return alm_derive_is(ds, ind) ? NULL : &ds->obs[p->obs[0]];
}

/* Whether [alo, ahi] and [blo, bhi] do not meet. Rounding intervals are
 * half open (35.85 rounds to 35.9, not 35.8), so intervals that only touch
 * do not meet; a relative 1e-9 absorbs the error of their ends'
 * arithmetic. */
static bool disjoint(double alo, double ahi, double blo, double bhi)
{
    double scale = fmax(fmax(fabs(alo), fabs(ahi)), fmax(fabs(blo), fabs(bhi)));
    double eps = 1e-9 * (isfinite(scale) && scale > 1 ? scale : 1);
    return ahi <= blo + eps || bhi <= alo + eps;
}

static bool apart(const struct alm_dpoint *a, const struct alm_dpoint *b)
{
    return disjoint(a->lo, a->hi, b->lo, b->hi);
}

/* Rule 1: an indicator against its same_as, period by period. */
static enum alm_status check_same_as(struct cctx *c, size_t k, size_t j,
                                     struct alm_error *err)
{
    const struct alm_dataset *ds = c->ds;
    struct alm_dseries a = {0}, b = {0};
    enum alm_status st = alm_derive_points(ds, k, ALM_DATE_NONE, &a, err);
    if (st == ALM_OK)
        st = alm_derive_points(ds, j, ALM_DATE_NONE, &b, err);
    size_t x = 0, y = 0;
    while (st == ALM_OK && x < a.n && y < b.n) {
        int cmp = alm_period_compare(&a.pt[x].period, &b.pt[y].period);
        if (cmp == 0 && apart(&a.pt[x], &b.pt[y])) {
            /* Located at the recorded figure of the two, if any. */
            bool at_b = alm_derive_is(ds, k) || !alm_derive_is(ds, j);
            const struct alm_obs *o =
                at_b ? row_of(ds, j, &b.pt[y]) : row_of(ds, k, &a.pt[x]);
            struct alm_buf fa = ALM_BUF_INIT, fb = ALM_BUF_INIT,
                           ft = ALM_BUF_INIT;
            char per[ALM_PERIOD_TEXT_MAX];
            alm_period_format(&a.pt[x].period, per, sizeof per);
            describe(ds, k, &a.pt[x], &fa);
            describe(ds, j, &b.pt[y], &fb);
            tail(ds, k, &a.pt[x], &ft);
            tail(ds, j, &b.pt[y], &ft);
            warn(c, o, k,
                 "%s %s: %s against its same_as %s %s: more than rounding "
                 "apart%s",
                 ds->ind[k].id, per, fa.s ? fa.s : "?", ds->ind[j].id,
                 fb.s ? fb.s : "?", ft.s ? ft.s : "");
            alm_buf_release(&ft);
            st = alm_buf_check(&fa, err, "a warning");
            if (st == ALM_OK)
                st = alm_buf_check(&fb, err, "a warning");
            alm_buf_release(&fa);
            alm_buf_release(&fb);
        }
        if (cmp <= 0)
            x++;
        if (cmp >= 0)
            y++;
    }
    alm_dseries_release(&a);
    alm_dseries_release(&b);
    return st;
}

/* The interval of a recorded figure. */
static void interval(const struct alm_obs *o, double *lo, double *hi)
{
    double h = alm_figure_half_unit(o->value_text);
    *lo = o->value - h;
    *hi = o->value + h;
    if (o->qual == ALM_QUAL_GT || o->qual == ALM_QUAL_GE)
        *hi = INFINITY;
    if (o->qual == ALM_QUAL_LT || o->qual == ALM_QUAL_LE)
        *lo = -INFINITY;
}

static bool obs_apart(const struct alm_obs *a, const struct alm_obs *b)
{
    double alo, ahi, blo, bhi;
    interval(a, &alo, &ahi);
    interval(b, &blo, &bhi);
    return disjoint(alo, ahi, blo, bhi);
}

/* The publisher of the first source of a figure ("" when unknown). */
static const char *publisher_of(const struct alm_dataset *ds,
                                const struct alm_obs *o)
{
    char id[200];
    size_t n = strcspn(o->source, ";");
    if (n >= sizeof id)
        return "";
    memcpy(id, o->source, n);
    id[n] = '\0';
    long s = alm_dataset_find_source(ds, id);
    return s < 0 ? "" : ds->src[s].publisher;
}

static bool plain(const struct alm_obs *o)
{
    return o->qual == ALM_QUAL_NONE || o->qual == ALM_QUAL_ABOUT;
}

/* Rule 2 for the rows idx[0..n) of one indicator and period (forecasts
 * left out), of which used is the one analysis uses. */
static void check_period(struct cctx *c, const size_t *idx, size_t n,
                         size_t used, struct alm_error *err)
{
    const struct alm_dataset *ds = c->ds;
    const struct alm_obs *u = &ds->obs[used], *finer = NULL;
    for (size_t j = 0; j < n; j++) {
        const struct alm_obs *b = &ds->obs[idx[j]];
        for (size_t i = 0; i < j; i++) {
            const struct alm_obs *a = &ds->obs[idx[i]];
            /* A provisional or estimated figure is there to be revised. */
            bool expected = a->vintage != b->vintage &&
                            (a->status == 'P' || a->status == 'E');
            if (expected || !obs_apart(a, b))
                continue;
            struct alm_buf fa = ALM_BUF_INIT, fb = ALM_BUF_INIT;
            describe_obs(ds, a, &fa);
            describe_obs(ds, b, &fb);
            bool same_pub =
                strcmp(publisher_of(ds, a), publisher_of(ds, b)) == 0;
            warn(c, b, 0,
                 "%s: %s and %s differ by more than their rounding: %s; "
                 "analysis uses %s",
                 ds->ind[b->ind].id, fa.s ? fa.s : "?", fb.s ? fb.s : "?",
                 a->vintage == b->vintage
                     ? "two sources of one vintage disagree"
                 : same_pub ? "a revision by the same publisher"
                            : "a later vintage from another publisher",
                 u->value_text);
            (void)alm_buf_check(&fa, err, "a warning");
            alm_buf_release(&fa);
            alm_buf_release(&fb);
        }
        double h = alm_figure_half_unit(b->value_text);
        if (b != u && b->vintage < u->vintage && plain(b) && plain(u) &&
            !obs_apart(b, u) && h < alm_figure_half_unit(u->value_text) &&
            (!finer || h < alm_figure_half_unit(finer->value_text)))
            finer = b;
    }
    if (!finer)
        return;
    struct alm_buf fu = ALM_BUF_INIT, ff = ALM_BUF_INIT;
    char unit[32];
    describe_obs(ds, u, &fu);
    describe_obs(ds, finer, &ff);
    number(2 * alm_figure_half_unit(u->value_text), unit, sizeof unit);
    warn(c, u, 0,
         "%s: analysis uses %s, which reads as %s rounded to %s: a less "
         "precise figure than the earlier one, unless it revises it",
         ds->ind[u->ind].id, fu.s ? fu.s : "?", ff.s ? ff.s : "?", unit);
    alm_buf_release(&fu);
    alm_buf_release(&ff);
}

static bool same_period(const struct alm_period *a, const struct alm_period *b)
{
    return a->kind == b->kind && a->m0 == b->m0 && a->m1 == b->m1 &&
           a->day == b->day;
}

/* Rules 2 and 3 for recorded indicator k. */
static enum alm_status check_recorded(struct cctx *c, size_t k,
                                      struct alm_error *err)
{
    const struct alm_dataset *ds = c->ds;
    size_t *all = NULL, *use = NULL, nall = 0, nuse = 0;
    enum alm_status st =
        alm_dataset_series(ds, k, ALM_DATE_NONE, true, &all, &nall, err);
    if (st == ALM_OK)
        st = alm_dataset_series(ds, k, ALM_DATE_NONE, false, &use, &nuse, err);
    size_t *rows = st == ALM_OK ? malloc((nall ? nall : 1) * sizeof *rows) : 0;
    if (st == ALM_OK && !rows)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    /* Both lists are in period order: walk them together. */
    size_t u = 0;
    for (size_t i = 0; st == ALM_OK && i < nall;) {
        const struct alm_period *p = &ds->obs[all[i]].period;
        size_t n = 0, j = i;
        for (; j < nall && same_period(&ds->obs[all[j]].period, p); j++)
            if (ds->obs[all[j]].status != 'F')
                rows[n++] = all[j];
        while (u < nuse && alm__period_cmp(&ds->obs[use[u]].period, p) < 0)
            u++;
        if (n > 1 && u < nuse && same_period(&ds->obs[use[u]].period, p) &&
            ds->obs[use[u]].status != 'F')
            check_period(c, rows, n, use[u], err);
        i = j;
    }
    const struct alm_indicator *in = &ds->ind[k];
    const struct alm_obs *prev = NULL;
    for (size_t i = 0; st == ALM_OK && in->kind == ALM_KIND_COUNT &&
                       in->freq == 'I' && i < nuse;
         i++) {
        const struct alm_obs *o = &ds->obs[use[i]];
        if (o->status == 'F')
            continue;
        double plo, phi, lo, hi;
        if (prev) {
            interval(prev, &plo, &phi);
            interval(o, &lo, &hi);
        }
        if (prev && hi < phi && disjoint(lo, hi, plo, phi) &&
            o->status != 'B') {
            struct alm_buf fp = ALM_BUF_INIT, fo = ALM_BUF_INIT;
            describe_obs(ds, prev, &fp);
            describe_obs(ds, o, &fo);
            warn(c, o, k,
                 "%s fell from %s to %s without a break marked: a stock "
                 "counted at dates falls only when its definition changed "
                 "(status B) or a figure is wrong",
                 in->id, fp.s ? fp.s : "?", fo.s ? fo.s : "?");
            alm_buf_release(&fp);
            alm_buf_release(&fo);
        }
        prev = o;
    }
    free(rows);
    free(all);
    free(use);
    return st;
}

enum alm_status alm_consistency_check(const struct alm_dataset *ds,
                                      const struct alm_problem_sink *report,
                                      size_t *count, struct alm_error *err)
{
    struct cctx c = {ds, report, 0};
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < ds->nind && st == ALM_OK; k++) {
        long j = alm_derive_same_as(ds, k);
        if (j >= 0)
            st = check_same_as(&c, k, (size_t)j, err);
        if (st == ALM_OK && !alm_derive_is(ds, k))
            st = check_recorded(&c, k, err);
    }
    if (count)
        *count = c.count;
    return st;
}

enum alm_status alm__consistency_one(const struct alm_dataset *ds, size_t k,
                                     const struct alm_problem_sink *report,
                                     struct alm_error *err)
{
    struct cctx c = {ds, report, 0};
    return check_recorded(&c, k, err);
}
