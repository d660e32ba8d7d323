/* One panel's data (see chart_internal.h): the series, the other
 * vintages, the targets and the projection a panel draws, and its ranges;
 * and the wrapping of its texts. Data only: nothing here writes gnuplot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/utf8.h>

#include "chart_internal.h"
#include "internal.h"

void alm__lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    l->n = 0;
}

/* Appends s[0..len) as a line, without trailing spaces; with ellipsis, cut
 * to fit cols cells with "…" after it. */
static enum alm_status add_line(struct lines *l, const char *s, size_t len,
                                bool ellipsis, size_t cols)
{
    while (len && s[len - 1] == ' ')
        len--;
    if (ellipsis) {
        /* Drop characters until the line and the ellipsis fit. */
        for (;;) {
            char *t = alm__strndup(s, len);
            if (!t)
                return ALM_ENOMEM;
            size_t w = alm_utf8_text_width(t);
            free(t);
            if (w + 1 <= cols || len == 0)
                break;
            do
                len--;
            while (len && ((unsigned char)s[len] & 0xC0) == 0x80);
        }
        while (len && s[len - 1] == ' ')
            len--;
    }
    struct alm_buf b = ALM_BUF_INIT;
    if (alm_buf_add(&b, s, len) != ALM_OK ||
        (ellipsis && alm_buf_puts(&b, "\xE2\x80\xA6") != ALM_OK)) {
        alm_buf_release(&b);
        return ALM_ENOMEM;
    }
    char *line = alm_buf_detach(&b);
    if (!line)
        return ALM_ENOMEM;
    l->s[l->n++] = line;
    return ALM_OK;
}

enum alm_status alm__wrap_text(const char *text, size_t cols, size_t max,
                               struct lines *out)
{
    const char *p = text ? text : "";
    if (max > LINES_MAX)
        max = LINES_MAX;
    if (cols < 8)
        cols = 8;
    while (*p && out->n < max) {
        while (*p == ' ')
            p++;
        size_t w = 0, len;
        const char *q = p, *end = NULL, *next = NULL;
        while (*q && *q != '\n' && *q != '\r') {
            unsigned c = alm_utf8_decode(q, &len);
            size_t cw = alm_utf8_width(c);
            if (w + cw > cols && q > p)
                break;
            if (c == ' ') {
                end = q;
                next = q + 1;
            } else if (cw == 2 && q > p) {
                end = q;
                next = q;
            }
            w += cw;
            q += len;
        }
        if (!*q || *q == '\n' || *q == '\r') {
            end = q;
            next = *q == '\r' && q[1] == '\n' ? q + 2 : *q ? q + 1 : q;
        } else if (!end) {
            end = q;
            next = q;
        }
        bool more = *next != '\0';
        bool last = out->n + 1 == max;
        if (add_line(out, p, (size_t)(end - p), more && last, cols) != ALM_OK)
            return ALM_ENOMEM;
        p = next;
    }
    return ALM_OK;
}

void alm__panel_release(struct panel *p)
{
    free(p->lused);
    free(p->used);
    free(p->other);
    free(p->tgt);
    alm_projection_release(&p->proj);
}

double alm__target_time(const struct alm_dataset *ds, size_t k)
{
    return alm_period_time(&ds->tgt[k].period);
}

bool alm__fit_straight(const struct alm_fit *f)
{
    enum alm_model m = f->model.model;
    return m == ALM_MODEL_LINEAR || m == ALM_MODEL_DRIFT ||
           m == ALM_MODEL_THEIL_SEN ||
           (m == ALM_MODEL_POLY && f->model.degree <= 1);
}

/* Rounds a range out to a step of 1, 2, 2.5 or 5 times a power of ten,
 * about six steps in all. */
static void nice_range(double lo, double hi, double *ylo, double *yhi,
                       double *step, int *dec)
{
    if (!(hi > lo)) {
        double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    }
    double raw = (hi - lo) / 6;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag, s;
    if (norm <= 1)
        s = 1;
    else if (norm <= 2)
        s = 2;
    else if (norm <= 2.5)
        s = 2.5;
    else if (norm <= 5)
        s = 5;
    else
        s = 10;
    *step = s * mag;
    *ylo = floor(lo / *step + 1e-9) * *step;
    *yhi = ceil(hi / *step - 1e-9) * *step;
    int d = 0;
    double q = *step;
    while (d < 8 && fabs(q - round(q)) > 1e-9 * fmax(1, fabs(q))) {
        q *= 10;
        d++;
    }
    *dec = d;
}

enum pclass alm__pclass_of(const struct alm_obs *ob)
{
    if (ob->status == 'F')
        return PC_FORECAST;
    switch (ob->qual) {
    case ALM_QUAL_ABOUT:
        return PC_ABOUT;
    case ALM_QUAL_GT:
    case ALM_QUAL_GE:
        return PC_OVER;
    case ALM_QUAL_LT:
    case ALM_QUAL_LE:
        return PC_UNDER;
    default:
        return PC_STATED;
    }
}

/* The series analysis uses and, with --vintages, the other vintages. */
static enum alm_status collect_series(const struct alm_dataset *ds,
                                      const struct alm_chart_opts *o,
                                      struct panel *p, struct alm_error *err)
{
    long as_of = o->proj.as_of;
    enum alm_status st =
        alm_dataset_series(ds, p->ind, as_of, false, &p->used, &p->nused, err);
    if (st != ALM_OK || !o->vintages)
        return st;
    size_t *all = NULL, nall = 0;
    st = alm_dataset_series(ds, p->ind, as_of, true, &all, &nall, err);
    if (st != ALM_OK)
        return st;
    /* Keep those that analysis does not use. */
    size_t k = 0;
    for (size_t i = 0; i < nall; i++) {
        bool used = false;
        for (size_t j = 0; j < p->nused && !used; j++)
            used = p->used[j] == all[i];
        if (!used)
            all[k++] = all[i];
    }
    p->other = all;
    p->nother = k;
    return ALM_OK;
}

/* The targets of the indicator announced by as_of. */
static enum alm_status collect_targets(const struct alm_dataset *ds, long as_of,
                                       struct panel *p, struct alm_error *err)
{
    const size_t *tgts;
    size_t ntgts;
    alm_dataset_targets_of(ds, p->ind, &tgts, &ntgts);
    p->tgt = malloc((ntgts ? ntgts : 1) * sizeof *p->tgt);
    if (!p->tgt)
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory listing the targets "
                        "of '%s'",
                        p->in->id);
    for (size_t k = 0; k < ntgts; k++) {
        size_t i = tgts[k];
        const struct alm_target *g = &ds->tgt[i];
        if (g->ind == p->ind &&
            (as_of == ALM_DATE_NONE || g->announced == ALM_DATE_NONE ||
             g->announced <= as_of))
            p->tgt[p->ntgt++] = i;
    }
    return ALM_OK;
}

/* The extent of what a panel draws: times and values seen, the largest
 * magnitude, and the band's reach. */
struct extent {
    double tmin, tmax, lo, hi, big, blo, bhi;
};

static void see(struct extent *e, double t, double y)
{
    e->tmin = fmin(e->tmin, t);
    e->tmax = fmax(e->tmax, t);
    if (isfinite(y)) {
        e->lo = fmin(e->lo, y);
        e->hi = fmax(e->hi, y);
        e->big = fmax(e->big, fabs(y));
    }
}

static struct extent panel_extent(const struct alm_dataset *ds,
                                  const struct panel *p)
{
    struct extent e = {INFINITY, -INFINITY, INFINITY, -INFINITY,
                       0,        INFINITY,  -INFINITY};
    for (size_t i = 0; i < p->nused; i++)
        see(&e, alm_period_time(&ds->obs[p->used[i]].period),
            ds->obs[p->used[i]].value);
    for (size_t i = 0; i < p->nother; i++)
        see(&e, alm_period_time(&ds->obs[p->other[i]].period),
            ds->obs[p->other[i]].value);
    for (size_t i = 0; i < p->ntgt; i++)
        see(&e, alm__target_time(ds, p->tgt[i]), ds->tgt[p->tgt[i]].value);
    for (size_t i = 0; i < p->proj.nrows; i++) {
        const struct alm_projection_row *r = &p->proj.rows[i];
        see(&e, r->t, r->f.value);
        if (isfinite(r->f.lower))
            e.blo = fmin(e.blo, r->f.lower);
        if (isfinite(r->f.upper))
            e.bhi = fmax(e.bhi, r->f.upper);
    }
    if (!isfinite(e.tmin)) {
        e.tmin = 2000;
        e.tmax = 2001;
    }
    if (!isfinite(e.lo)) {
        e.lo = 0;
        e.hi = 1;
    }
    return e;
}

/* The scale: large amounts are drawn at a readable scale of their unit
 * (2830000 vehicles as 2.83 million vehicles, 283 万辆 as they are). */
static void pick_scale(double big, struct panel *p)
{
    alm_unit_readable(p->in->unit, big, &p->scale, p->unit, sizeof p->unit);
}

/* The y range: the figures, targets and projections, and the band as far
 * as it does not squash them; zero for amounts, counts, shares and growth
 * rates; never below 0 or above 100 where the kind forbids it. */
static void y_range(const struct extent *e, struct panel *p)
{
    double lo = e->lo, hi = e->hi;
    double core = hi - lo > 0 ? hi - lo : fmax(fabs(hi), 1);
    if (isfinite(e->blo))
        lo = fmin(lo, fmax(e->blo, lo - 0.2 * core));
    if (isfinite(e->bhi))
        hi = fmax(hi, fmin(e->bhi, hi + 0.2 * core));
    enum alm_kind kind = p->in->kind;
    bool nonneg = kind == ALM_KIND_LEVEL || kind == ALM_KIND_COUNT ||
                  kind == ALM_KIND_SHARE;
    if ((nonneg || kind == ALM_KIND_GROWTH) && lo > 0)
        lo = 0;
    if (nonneg && lo < 0)
        lo = 0;
    hi += 0.08 * (hi - lo); /* room for the labels above the points */
    if (kind == ALM_KIND_SHARE && hi > 100)
        hi = 100;
    nice_range(lo / p->scale, hi / p->scale, &p->ylo, &p->yhi, &p->ystep,
               &p->ydec);
}

/* The level of panel p's indicator in o->level, as of the chart's date,
 * and its right axis; nothing when that dataset has no such indicator. */
static enum alm_status collect_level(const struct alm_chart_opts *o,
                                     struct panel *p, struct extent *e,
                                     struct alm_error *err)
{
    long k = o->level ? alm_dataset_find_indicator(o->level, p->in->id) : -1;
    if (k < 0)
        return ALM_OK;
    const struct alm_dataset *l = o->level;
    enum alm_status st = alm_dataset_series(l, (size_t)k, o->proj.as_of, false,
                                            &p->lused, &p->nlused, err);
    if (st != ALM_OK || !p->nlused)
        return st;
    p->lds = l;
    double lo = INFINITY, hi = -INFINITY, big = 0;
    for (size_t i = 0; i < p->nlused; i++) {
        const struct alm_obs *ob = &l->obs[p->lused[i]];
        double t = alm_period_time(&ob->period);
        e->tmin = fmin(e->tmin, t);
        e->tmax = fmax(e->tmax, t);
        lo = fmin(lo, ob->value);
        hi = fmax(hi, ob->value);
        big = fmax(big, fabs(ob->value));
    }
    alm_unit_readable(l->ind[k].unit, big, &p->lscale, p->lunit,
                      sizeof p->lunit);
    enum alm_kind kind = l->ind[k].kind;
    if ((kind == ALM_KIND_LEVEL || kind == ALM_KIND_COUNT ||
         kind == ALM_KIND_SHARE || kind == ALM_KIND_GROWTH) &&
        lo > 0)
        lo = 0;
    hi += 0.08 * (hi - lo);
    nice_range(lo / p->lscale, hi / p->lscale, &p->y2lo, &p->y2hi, &p->y2step,
               &p->y2dec);
    return ALM_OK;
}

enum alm_status alm__panel_collect(const struct alm_dataset *ds,
                                   struct alm_fit_ws *w,
                                   const struct alm_chart_opts *o, size_t ind,
                                   struct panel *p, struct alm_error *err)
{
    p->ind = ind;
    p->in = &ds->ind[ind];
    enum alm_status st = collect_series(ds, o, p, err);
    if (st == ALM_OK)
        st = collect_targets(ds, o->proj.as_of, p, err);
    if (st == ALM_OK)
        st = alm_project(w, ds, ind, &o->proj, &p->proj, err);
    if (st != ALM_OK)
        return st;
    /* The x range: every point drawn, with a margin. */
    struct extent e = panel_extent(ds, p);
    st = collect_level(o, p, &e, err);
    if (st != ALM_OK)
        return st;
    double span = e.tmax - e.tmin;
    double pad = fmax(span * 0.03, span > 0 ? 0.45 : 1.0);
    p->xmin = e.tmin - pad;
    p->xmax = e.tmax + pad;
    pick_scale(e.big, p);
    y_range(&e, p);
    return ALM_OK;
}

bool alm__obs_computed(const struct alm_dataset *ds, const struct alm_obs *ob)
{
    return ob && alm_obs_cell(ds, ob, "computed")[0] != '\0';
}

const struct alm_obs *alm__panel_latest(const struct alm_dataset *ds,
                                        const struct panel *p)
{
    for (size_t i = p->nused; i-- > 0;)
        if (ds->obs[p->used[i]].status != 'F')
            return &ds->obs[p->used[i]];
    return NULL;
}

const char *const alm__month_abbr[12] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
