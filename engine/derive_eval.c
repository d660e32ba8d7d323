/* Derived indicators computed as of a date (derive.h): a formula's nodes
 * evaluated over the figures analysis uses, with the interval their
 * rounding allows, the vintages and the inputs of every point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/derive.h>
#include <almanac/transform.h>

#include "dataset_internal.h"
#include "derive_internal.h"
#include "internal.h"

/* ---- computing ---------------------------------------------------------- */

/* A point while computing: its inputs are pool[in0 .. in0 + nin). */
struct dpt {
    struct alm_period period;
    double v, lo, hi;
    long vintage;
    size_t in0, nin;
    bool approx;
    char status;
};

/* A value while computing: a constant, or a series of points. */
struct dval {
    bool is_const;
    double c;
    struct dpt *pt;
    size_t n;
};

struct ectx {
    const struct alm_dataset *ds;
    long as_of;
    char freq; /* the derived indicator's, which its inputs share */
    size_t *pool;
    size_t npool, cap;
    struct alm_error *err;
};

static bool pool_add(struct ectx *e, const size_t *obs, size_t n)
{
    if (e->npool + n > e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        while (cap < e->npool + n)
            cap *= 2;
        size_t *p = realloc(e->pool, cap * sizeof *p);
        if (!p)
            return false;
        e->pool = p;
        e->cap = cap;
    }
    memcpy(e->pool + e->npool, obs, n * sizeof *obs);
    e->npool += n;
    return true;
}

static enum alm_status nomem(struct ectx *e)
{
    return alm_fail(e->err, ALM_ENOMEM, "out of memory");
}

static void unbounded(struct dpt *p)
{
    p->lo = -INFINITY;
    p->hi = INFINITY;
}

static bool bounded(const struct dpt *p)
{
    return isfinite(p->lo) && isfinite(p->hi);
}

/* The interval of a recorded figure: its rounding, widened on the open
 * side of a qualifier. */
static void obs_interval(const struct alm_obs *o, struct dpt *p)
{
    double h = alm_figure_half_unit(o->value_text);
    p->lo = o->value - h;
    p->hi = o->value + h;
    if (o->qual == ALM_QUAL_GT || o->qual == ALM_QUAL_GE)
        p->hi = INFINITY;
    if (o->qual == ALM_QUAL_LT || o->qual == ALM_QUAL_LE)
        p->lo = -INFINITY;
}

static enum alm_status eval(struct ectx *e, const struct dform *f, int i,
                            struct dval *out);

static enum alm_status eval_derived(struct ectx *e, size_t k, struct dval *out)
{
    struct alm_dseries s = {0};
    enum alm_status st = alm_derive_series(e->ds, k, e->as_of, &s, e->err);
    if (st != ALM_OK)
        return st;
    out->pt = calloc(s.n ? s.n : 1, sizeof *out->pt);
    if (!out->pt) {
        alm_dseries_release(&s);
        return nomem(e);
    }
    for (size_t i = 0; i < s.n; i++) {
        const struct alm_dpoint *q = &s.pt[i];
        struct dpt p = {q->period, q->value, q->lo,     q->hi,    q->vintage,
                        e->npool,  q->nobs,  q->approx, q->status};
        if (!pool_add(e, q->obs, q->nobs)) {
            alm_dseries_release(&s);
            return nomem(e);
        }
        out->pt[out->n++] = p;
    }
    alm_dseries_release(&s);
    return ALM_OK;
}

static enum alm_status eval_input(struct ectx *e, size_t k, struct dval *out)
{
    if (alm_derive_is(e->ds, k))
        return eval_derived(e, k, out);
    size_t *idx = NULL, n = 0;
    enum alm_status st =
        alm_dataset_series(e->ds, k, e->as_of, false, &idx, &n, e->err);
    if (st != ALM_OK)
        return st;
    out->pt = calloc(n ? n : 1, sizeof *out->pt);
    if (!out->pt) {
        free(idx);
        return nomem(e);
    }
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *o = &e->ds->obs[idx[i]];
        struct dpt p = {
            .period = o->period,
            .v = o->value,
            .vintage = o->vintage,
            .in0 = e->npool,
            .nin = 1,
            .approx = o->qual != ALM_QUAL_NONE,
            .status = (o->status == 'F' || o->status == 'B') ? o->status : 0};
        obs_interval(o, &p);
        if (!pool_add(e, &idx[i], 1)) {
            free(idx);
            return nomem(e);
        }
        out->pt[out->n++] = p;
    }
    free(idx);
    return ALM_OK;
}

static char status_of(char a, char b)
{
    if (a == 'F' || b == 'F')
        return 'F';
    return a == 'B' || b == 'B' ? 'B' : 0;
}

/* The interval of x op y from the intervals of x and y. */
static void combine(enum dop op, const struct dpt *x, const struct dpt *y,
                    struct dpt *r)
{
    if (!bounded(x) || !bounded(y)) {
        unbounded(r);
        return;
    }
    if (op == D_ADD) {
        r->lo = x->lo + y->lo;
        r->hi = x->hi + y->hi;
        return;
    }
    if (op == D_SUB) {
        r->lo = x->lo - y->hi;
        r->hi = x->hi - y->lo;
        return;
    }
    if (op == D_DIV && y->lo <= 0 && y->hi >= 0) {
        unbounded(r);
        return;
    }
    double c[4];
    if (op == D_MUL) {
        c[0] = x->lo * y->lo, c[1] = x->lo * y->hi;
        c[2] = x->hi * y->lo, c[3] = x->hi * y->hi;
    } else {
        c[0] = x->lo / y->lo, c[1] = x->lo / y->hi;
        c[2] = x->hi / y->lo, c[3] = x->hi / y->hi;
    }
    r->lo = r->hi = c[0];
    for (int i = 1; i < 4; i++) {
        r->lo = fmin(r->lo, c[i]);
        r->hi = fmax(r->hi, c[i]);
    }
}

static bool apply_op(enum dop op, double x, double y, double *r)
{
    switch (op) {
    case D_ADD:
        *r = x + y;
        break;
    case D_SUB:
        *r = x - y;
        break;
    case D_MUL:
        *r = x * y;
        break;
    default:
        if (y == 0)
            return false;
        *r = x / y;
        break;
    }
    return isfinite(*r);
}

/* Appends cx op cy to out (room is there), unless it is undefined. */
static enum alm_status emit(struct ectx *e, enum dop op, const struct dpt *cx,
                            const struct dpt *cy, struct dval *out)
{
    struct dpt r = cx->nin ? *cx : *cy;
    if (!apply_op(op, cx->v, cy->v, &r.v))
        return ALM_OK;
    combine(op, cx, cy, &r);
    r.vintage = cx->vintage > cy->vintage ? cx->vintage : cy->vintage;
    r.approx = cx->approx || cy->approx;
    r.status = status_of(cx->status, cy->status);
    r.in0 = e->npool;
    r.nin = cx->nin + cy->nin;
    /* The pool may move while it grows: copy through indices. */
    for (size_t q = 0; q < cx->nin; q++)
        if (!pool_add(e, &e->pool[cx->in0 + q], 1))
            return nomem(e);
    for (size_t q = 0; q < cy->nin; q++)
        if (!pool_add(e, &e->pool[cy->in0 + q], 1))
            return nomem(e);
    out->pt[out->n++] = r;
    return ALM_OK;
}

/* x op y for two values of which at least one is a series: period by
 * period, on the periods both have. */
static enum alm_status binary(struct ectx *e, enum dop op, const struct dval *x,
                              const struct dval *y, struct dval *out)
{
    size_t cap = x->is_const ? y->n : x->n;
    out->pt = calloc(cap ? cap : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    struct dpt c = {.vintage = ALM_DATE_NONE};
    enum alm_status st = ALM_OK;
    if (x->is_const || y->is_const) {
        const struct dval *s = x->is_const ? y : x;
        c.v = c.lo = c.hi = x->is_const ? x->c : y->c;
        for (size_t i = 0; i < s->n && st == ALM_OK; i++)
            st = x->is_const ? emit(e, op, &c, &s->pt[i], out)
                             : emit(e, op, &s->pt[i], &c, out);
        return st;
    }
    size_t i = 0, j = 0;
    while (i < x->n && j < y->n && st == ALM_OK) {
        int cmp = alm_period_compare(&x->pt[i].period, &y->pt[j].period);
        if (cmp == 0)
            st = emit(e, op, &x->pt[i], &y->pt[j], out);
        if (cmp <= 0)
            i++;
        if (cmp >= 0)
            j++;
    }
    return st;
}

static int cmp_period(const struct alm_period *a, const struct alm_period *b)
{
    return alm_period_compare(a, b);
}

/* The point of s whose period is key, or NULL. */
static const struct dpt *find_point(const struct dval *s,
                                    const struct alm_period *key)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_period(&s->pt[mid].period, key);
        if (c == 0 && s->pt[mid].period.kind == key->kind &&
            s->pt[mid].period.day == key->day)
            return &s->pt[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* One value of tx through the transform layer: base b (NULL for log) and
 * the point x. False where it is undefined or has no base. */
static bool tx_value(enum alm_transform tx, char freq,
                     const struct alm_period *pb, double b,
                     const struct alm_period *px, double x, double *y)
{
    struct alm_point in[2], out[2];
    size_t n = 0, nout = 0;
    if (pb)
        in[n++] = (struct alm_point){*pb, b};
    in[n++] = (struct alm_point){*px, x};
    if (alm_transform_apply(tx, freq, in, n, out, &nout, NULL, NULL) !=
            ALM_OK ||
        nout == 0 || alm_period_compare(&out[nout - 1].period, px) != 0)
        return false;
    *y = out[nout - 1].value;
    return true;
}

static struct alm_period shift_years(const struct alm_period *p, int years)
{
    struct alm_period q = *p;
    q.m0 += 12L * years;
    q.m1 += 12L * years;
    return q;
}

static enum alm_status transform(struct ectx *e, enum alm_transform tx,
                                 char freq, const struct dval *s,
                                 struct dval *out)
{
    out->pt = calloc(s->n ? s->n : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    bool year_ago = tx == ALM_TX_CH1 || tx == ALM_TX_PC1;
    bool ratio = tx != ALM_TX_CHG && tx != ALM_TX_CH1;
    for (size_t i = 0; i < s->n; i++) {
        const struct dpt *x = &s->pt[i], *b = NULL;
        if (year_ago) {
            struct alm_period key = shift_years(&x->period, -1);
            b = find_point(s, &key);
        } else if (tx != ALM_TX_LOG && i > 0) {
            b = &s->pt[i - 1];
        }
        if (tx != ALM_TX_LOG && !b)
            continue;
        struct dpt r = *x;
        const struct alm_period *pb = b ? &b->period : NULL;
        double bv = b ? b->v : 0, blo = b ? b->lo : 0, bhi = b ? b->hi : 0;
        if (!tx_value(tx, freq, pb, bv, &x->period, x->v, &r.v))
            continue;
        bool ok = bounded(x) && (!b || bounded(b)) &&
                  (!ratio || (x->lo > 0 && (!b || blo > 0)));
        /* Every unit is increasing in x and decreasing in its base where
         * the values are positive: the interval's ends come from the
         * inputs' opposite ends. */
        if (!ok || !tx_value(tx, freq, pb, bhi, &x->period, x->lo, &r.lo) ||
            !tx_value(tx, freq, pb, blo, &x->period, x->hi, &r.hi))
            unbounded(&r);
        r.in0 = e->npool;
        r.nin = x->nin + (b ? b->nin : 0);
        size_t xin0 = x->in0, xn = x->nin;
        size_t bin0 = b ? b->in0 : 0, bn = b ? b->nin : 0;
        if (b) {
            r.vintage = x->vintage > b->vintage ? x->vintage : b->vintage;
            r.approx = x->approx || b->approx;
            r.status = status_of(x->status, b->status);
        }
        for (size_t q = 0; q < xn; q++)
            if (!pool_add(e, &e->pool[xin0 + q], 1))
                return nomem(e);
        for (size_t q = 0; q < bn; q++)
            if (!pool_add(e, &e->pool[bin0 + q], 1))
                return nomem(e);
        out->pt[out->n++] = r;
    }
    return ALM_OK;
}

static enum alm_status shift(struct ectx *e, int years, const struct dval *s,
                             struct dval *out)
{
    out->pt = calloc(s->n ? s->n : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    for (size_t i = 0; i < s->n; i++) {
        struct dpt r = s->pt[i];
        r.period = shift_years(&r.period, years);
        if (r.period.kind == ALM_PERIOD_DAY &&
            r.period.day > alm_days_in_month((int)(r.period.m0 / 12),
                                             (int)(r.period.m0 % 12) + 1))
            continue; /* a 29 February has no day a year away */
        out->pt[out->n++] = r;
    }
    return ALM_OK;
}

static void dval_release(struct dval *v)
{
    free(v->pt);
    *v = (struct dval){0};
}

static enum alm_status eval(struct ectx *e, const struct dform *f, int i,
                            struct dval *out)
{
    const struct dnode *n = &f->node[i];
    struct dval x = {0}, y = {0};
    enum alm_status st = ALM_OK;
    *out = (struct dval){0};
    switch (n->op) {
    case D_NUM:
        out->is_const = true;
        out->c = n->num;
        return ALM_OK;
    case D_IND:
        return eval_input(e, n->ind, out);
    default:
        break;
    }
    st = eval(e, f, n->a, &x);
    if (st == ALM_OK && n->b >= 0)
        st = eval(e, f, n->b, &y);
    if (st != ALM_OK)
        goto done;
    if (n->op == D_NEG) {
        if (x.is_const) {
            *out = x;
            out->c = -x.c;
            return ALM_OK;
        }
        for (size_t k = 0; k < x.n; k++) {
            double lo = x.pt[k].lo;
            x.pt[k].v = -x.pt[k].v;
            x.pt[k].lo = -x.pt[k].hi;
            x.pt[k].hi = -lo;
        }
        *out = x;
        return ALM_OK;
    }
    if (n->op == D_TX || n->op == D_SHIFT) {
        /* Validation made sure a function's argument names an indicator;
         * a constant argument is a constant result. */
        if (x.is_const) {
            *out = x;
            return ALM_OK;
        }
        st = n->op == D_TX ? transform(e, n->tx, e->freq, &x, out)
                           : shift(e, n->years, &x, out);
        goto done;
    }
    if (x.is_const && y.is_const) {
        out->is_const = true;
        if (!apply_op(n->op, x.c, y.c, &out->c))
            out->c = NAN;
        goto done;
    }
    st = binary(e, n->op, &x, &y, out);
done:
    dval_release(&x);
    dval_release(&y);
    return st;
}

/* Copies the computed points into out, each point's inputs without
 * repeats, pointing into out's own pool. */
static enum alm_status finish(struct ectx *e, const struct dval *v,
                              struct alm_dseries *out)
{
    out->pt = calloc(v->n ? v->n : 1, sizeof *out->pt);
    out->pool = malloc((e->npool ? e->npool : 1) * sizeof *out->pool);
    if (!out->pt || !out->pool) {
        alm_dseries_release(out);
        return nomem(e);
    }
    size_t used = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct dpt *p = &v->pt[i];
        struct alm_dpoint *q = &out->pt[i];
        size_t n0 = used;
        for (size_t k = 0; k < p->nin; k++) {
            size_t o = e->pool[p->in0 + k], j = n0;
            while (j < used && out->pool[j] != o)
                j++;
            if (j == used)
                out->pool[used++] = o;
        }
        *q = (struct alm_dpoint){.period = p->period,
                                 .value = p->v,
                                 .lo = p->lo,
                                 .hi = p->hi,
                                 .vintage = p->vintage,
                                 .approx = p->approx,
                                 .status = p->status,
                                 .nobs = used - n0};
        q->obs = out->pool + n0; /* the pool does not move from here on */
    }
    out->n = v->n;
    return ALM_OK;
}

enum alm_status alm_derive_series(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err)
{
    const struct dform *f = alm__derive_form(ds, ind);
    *out = (struct alm_dseries){0};
    if (!f)
        return alm_fail(err, ALM_EINPUT, "'%s' is not a derived indicator",
                        ind < ds->nind ? ds->ind[ind].id : "?");
    struct ectx e = {
        .ds = ds, .as_of = as_of, .freq = ds->ind[ind].freq, .err = err};
    struct dval v = {0};
    enum alm_status st = eval(&e, f, f->root, &v);
    if (st == ALM_OK)
        st = finish(&e, &v, out);
    dval_release(&v);
    free(e.pool);
    return st;
}

void alm_dseries_release(struct alm_dseries *s)
{
    free(s->pt);
    free(s->pool);
    *s = (struct alm_dseries){0};
}

/* True when the ;-list list[0..upto) already holds id[0..n). */
static bool listed(const char *list, size_t upto, const char *id, size_t n)
{
    const char *s = list;
    while (s && s < list + upto) {
        const char *end = memchr(s, ';', (size_t)(list + upto - s));
        size_t len = end ? (size_t)(end - s) : (size_t)(list + upto - s);
        if (len == n && memcmp(s, id, n) == 0)
            return true;
        s = end ? end + 1 : NULL;
    }
    return false;
}

void alm_dpoint_sources(const struct alm_dataset *ds,
                        const struct alm_dpoint *p, struct alm_buf *out)
{
    size_t start = out->len, first = 1;
    for (size_t i = 0; i < p->nobs; i++) {
        const char *s = ds->obs[p->obs[i]].source;
        while (*s) {
            const char *end = strchr(s, ';');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (n && !listed(out->s ? out->s + start : NULL, out->len - start,
                             s, n)) {
                if (!first)
                    alm_buf_putc(out, ';');
                alm_buf_add(out, s, n);
                first = 0;
            }
            s += n + (end != NULL);
        }
    }
}

void alm_dpoint_inputs(const struct alm_dataset *ds, const struct alm_dpoint *p,
                       struct alm_buf *out)
{
    /* Figures of one indicator are named once, before them. */
    bool one = p->nobs > 0;
    for (size_t i = 1; i < p->nobs; i++)
        one = one && ds->obs[p->obs[i]].ind == ds->obs[p->obs[0]].ind;
    if (one)
        alm_buf_printf(out, "%s: ", ds->ind[ds->obs[p->obs[0]].ind].id);
    for (size_t i = 0; i < p->nobs; i++) {
        const struct alm_obs *o = &ds->obs[p->obs[i]];
        char per[ALM_PERIOD_TEXT_MAX], vin[32] = "unknown";
        const char *own = alm_obs_cell(ds, o, "vintage");
        alm_period_format(&o->period, per, sizeof per);
        if (own[0])
            alm__copy(vin, sizeof vin, own);
        else if (o->vintage != ALM_DATE_NONE)
            alm_date_format(o->vintage, vin, sizeof vin);
        alm_buf_printf(out, "%s%s%s%s%s (%s, vintage %s, %s)", i ? "; " : "",
                       one ? "" : ds->ind[o->ind].id, one ? "" : " ",
                       alm_qualifier_text(o->qual), o->value_text, per, vin,
                       o->source[0] ? o->source : "no source");
    }
}

enum alm_status alm_derive_points(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err)
{
    *out = (struct alm_dseries){0};
    if (alm_derive_is(ds, ind))
        return alm_derive_series(ds, ind, as_of, out, err);
    struct ectx e = {
        .ds = ds, .as_of = as_of, .freq = ds->ind[ind].freq, .err = err};
    struct dval v = {0};
    enum alm_status st = eval_input(&e, ind, &v);
    if (st == ALM_OK)
        st = finish(&e, &v, out);
    dval_release(&v);
    free(e.pool);
    return st;
}

enum alm_status alm_derive_select(const struct alm_dataset *ds, size_t ind,
                                  long as_of, size_t **idx,
                                  struct alm_point **pt, size_t *n,
                                  struct alm_error *err)
{
    struct alm_dseries s = {0};
    *idx = NULL;
    *pt = NULL;
    *n = 0;
    enum alm_status st = alm_derive_series(ds, ind, as_of, &s, err);
    if (st != ALM_OK)
        return st;
    *pt = malloc((s.n ? s.n : 1) * sizeof **pt);
    if (!*pt) {
        alm_dseries_release(&s);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < s.n; i++)
        (*pt)[i] = (struct alm_point){s.pt[i].period, s.pt[i].value};
    *n = s.n;
    alm_dseries_release(&s);
    return ALM_OK;
}

/* Appends the observations of every recorded indicator that derived
 * indicator ind reaches (through other derived ones) to *v. */
static bool reach(const struct alm_dataset *ds, size_t ind, size_t **v,
                  size_t *n, size_t *cap, int depth)
{
    const struct dform *f = alm__derive_form(ds, ind);
    for (int i = 0; f && i < f->nnode && depth < 64; i++) {
        if (f->node[i].op != D_IND)
            continue;
        size_t k = f->node[i].ind;
        if (alm_derive_is(ds, k)) {
            if (!reach(ds, k, v, n, cap, depth + 1))
                return false;
            continue;
        }
        const size_t *rows;
        size_t m;
        alm_dataset_obs_of(ds, k, &rows, &m);
        if (m == 0) /* an input without figures: nothing to add */
            continue;
        if (*n + m > *cap) {
            size_t c = (*n + m) * 2 + 16;
            size_t *p = realloc(*v, c * sizeof *p);
            if (!p)
                return false;
            *v = p;
            *cap = c;
        }
        memcpy(*v + *n, rows, m * sizeof *rows);
        *n += m;
    }
    return true;
}

enum alm_status alm_derive_input_obs(const struct alm_dataset *ds, size_t ind,
                                     size_t **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!reach(ds, ind, out, n, &cap, 0)) {
        free(*out);
        *out = NULL;
        *n = 0;
        return ALM_ENOMEM;
    }
    return ALM_OK;
}

char *alm_derive_mark_title(char *title, const char *formula)
{
    struct alm_buf b = ALM_BUF_INIT;
    alm_buf_printf(&b, "%s (derived: %s)", title, formula ? formula : "");
    free(title);
    return alm_buf_detach(&b);
}

void alm_derive_link(struct alm_dataset *built, const struct alm_dataset *from)
{
    /* A dataset built from a built one comes from the same origin. */
    built->ix->origin = alm_derive_origin(from);
}

const struct alm_dataset *alm_derive_origin(const struct alm_dataset *ds)
{
    return ds->ix && ds->ix->origin ? ds->ix->origin : ds;
}
