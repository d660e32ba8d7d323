/* The series pipeline (series.h): select as of a date, aggregate,
 * transform; and the dataset of transformed series, built per vintage. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/csvio.h>
#include <almanac/derive.h>
#include <almanac/series.h>
#include <almanac/units.h>

#include "internal.h"

enum alm_status alm_series_opts_parse(const char *transform,
                                      const char *frequency,
                                      const char *aggregate, const char *unit,
                                      struct alm_series_opts *o,
                                      struct alm_error *err)
{
    *o = (struct alm_series_opts){0};
    if (transform && alm_transform_parse(transform, &o->tx, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--transform");
        return ALM_EINPUT;
    }
    if (frequency) {
        if (strlen(frequency) != 1 || !strchr("AQM", frequency[0])) {
            char q[80];
            alm_fail(err, ALM_EINPUT,
                     "unknown frequency '%s': expected A (annual), Q "
                     "(quarterly) or M (monthly)",
                     alm_error_quote(frequency, q, sizeof q));
            alm_error_locate(err, NULL, 0, "--frequency");
            return ALM_EINPUT;
        }
        o->freq = frequency[0];
    }
    if (aggregate) {
        if (alm_aggregate_parse(aggregate, &o->agg, err) != ALM_OK) {
            alm_error_locate(err, NULL, 0, "--aggregate");
            return ALM_EINPUT;
        }
        if (!o->freq) {
            alm_fail(err, ALM_EINPUT,
                     "--aggregate says how to reach a lower frequency: give "
                     "it with --frequency Q or A");
            alm_error_locate(err, NULL, 0, "--aggregate");
            return ALM_EINPUT;
        }
        o->agg_given = true;
    }
    if (unit && !*unit) {
        alm_fail(err, ALM_EINPUT,
                 "expected a unit: another scale of the series' own (CNY "
                 "bn, million vehicles, 万辆)");
        alm_error_locate(err, NULL, 0, "--unit");
        return ALM_EINPUT;
    }
    o->unit = unit;
    return ALM_OK;
}

bool alm_series_opts_active(const struct alm_series_opts *o)
{
    return o && (o->tx != ALM_TX_LIN || o->freq != 0 || o->unit);
}

/* The frequency the pipeline gives indicator ind. */
static char out_freq(const struct alm_indicator *in,
                     const struct alm_series_opts *o)
{
    return o->freq ? o->freq : in->freq;
}

static bool aggregates(const struct alm_indicator *in,
                       const struct alm_series_opts *o)
{
    return o->freq && o->freq != in->freq;
}

/* A conversion to another scale: x * mul / div (two steps, so that 104 CNY
 * bn is 0.104 CNY tn, not 104 * 0.001 = 0.10400000000000001). */
struct scaling {
    double mul, div;
};

static enum alm_status unit_factor(const struct alm_indicator *in,
                                   const struct alm_series_opts *o,
                                   struct scaling *f, struct alm_error *err);

/* "an annual", "a quarterly"... */
static const char *a_freq(char f)
{
    switch (f) {
    case 'A':
        return "an annual";
    case 'Q':
        return "a quarterly";
    case 'M':
        return "a monthly";
    case 'D':
        return "a daily";
    case 'P':
        return "a partial-year (span)";
    default:
        return "an irregular";
    }
}

enum alm_status alm_series_check(const struct alm_dataset *ds, size_t ind,
                                 const struct alm_series_opts *o,
                                 struct alm_error *err)
{
    const struct alm_indicator *in = &ds->ind[ind];
    if (aggregates(in, o)) {
        bool ok = (in->freq == 'M' && (o->freq == 'Q' || o->freq == 'A')) ||
                  (in->freq == 'Q' && o->freq == 'A');
        if (!ok) {
            alm_fail(err, ALM_EINPUT,
                     "%s is %s series: it cannot be given at frequency %c "
                     "(monthly series aggregate to Q or A, quarterly ones "
                     "to A; partial-year cumulatives, days and irregular "
                     "dates are never aggregated)",
                     in->id, a_freq(in->freq), o->freq);
            alm_error_locate(err, NULL, 0, "--frequency");
            return ALM_EINPUT;
        }
    }
    char f = out_freq(in, o);
    bool annual = o->tx == ALM_TX_PCA || o->tx == ALM_TX_CCA ||
                  o->tx == ALM_TX_CH1 || o->tx == ALM_TX_PC1;
    if (annual && alm_freq_per_year(f) == 0) {
        alm_fail(err, ALM_EINPUT,
                 "%s is %s series: %s needs a fixed number of periods a "
                 "year (use chg, pch, cch or log)",
                 in->id, a_freq(f), alm_transform_code(o->tx));
        alm_error_locate(err, NULL, 0, "--transform");
        return ALM_EINPUT;
    }
    struct scaling sc;
    return unit_factor(in, o, &sc, err);
}

/* The kind of the series after o. */
static enum alm_kind out_kind(const struct alm_indicator *in,
                              const struct alm_series_opts *o)
{
    /* A share at another scale is no longer a percent of a whole. */
    if (o->unit && in->kind == ALM_KIND_SHARE)
        return ALM_KIND_VALUE;
    switch (o->tx) {
    case ALM_TX_LIN:
        /* A sum of shares, rates or index points means nothing of their
         * kind: it is a value. */
        if (aggregates(in, o) && o->agg == ALM_AGG_SUM &&
            (in->kind == ALM_KIND_SHARE || in->kind == ALM_KIND_GROWTH ||
             in->kind == ALM_KIND_INDEX))
            return ALM_KIND_VALUE;
        return in->kind;
    case ALM_TX_CHG:
    case ALM_TX_CH1:
    case ALM_TX_LOG:
        return ALM_KIND_VALUE;
    default:
        return ALM_KIND_GROWTH;
    }
}

/* The unit after the transformation of o: a change of a percent is in
 * percentage points. */
static void step_unit(const struct alm_indicator *in,
                      const struct alm_series_opts *o, char *out, size_t size)
{
    if ((o->tx == ALM_TX_CHG || o->tx == ALM_TX_CH1) &&
        strcmp(in->unit, "%") == 0) {
        alm__copy(out, size, "pp");
        return;
    }
    alm_transform_unit(o->tx, in->unit, out, size);
}

/* n, or less so that s[0..n) does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n)
        return len;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* The unit after o, whole (caller frees; NULL when out of memory), at
 * most a field's length. */
static char *unit_dup(const struct alm_indicator *in,
                      const struct alm_series_opts *o)
{
    struct alm_buf b = ALM_BUF_INIT;
    size_t max = ALM_CSV_FIELD_MAX - 8;
    const char *u = o->unit ? o->unit : in->unit;
    if (o->unit || o->tx == ALM_TX_LIN ||
        ((o->tx == ALM_TX_CHG || o->tx == ALM_TX_CH1) && strcmp(u, "%") != 0))
        alm_buf_add(&b, u, utf8_cut(u, max));
    else if (o->tx == ALM_TX_CHG || o->tx == ALM_TX_CH1)
        alm_buf_puts(&b, "pp");
    else if (o->tx == ALM_TX_LOG)
        alm_buf_printf(&b, "ln(%.*s)", (int)utf8_cut(u, max), u);
    else
        alm_buf_puts(&b, "%");
    if (!b.s)
        alm_buf_puts(&b, "");
    return alm_buf_detach(&b);
}

/* The unit after o, into out (size bytes), cut at a character. */
static void out_unit(const struct alm_indicator *in,
                     const struct alm_series_opts *o, char *out, size_t size)
{
    char *u = unit_dup(in, o);
    if (u && size)
        snprintf(out, size, "%.*s", (int)utf8_cut(u, size - 1), u);
    else if (size)
        out[0] = '\0';
    free(u);
}

/* The scaling of o's --unit (1 / 1 without one); ALM_EINPUT when it is
 * not a scale of the unit the transformation gives. */
static enum alm_status unit_factor(const struct alm_indicator *in,
                                   const struct alm_series_opts *o,
                                   struct scaling *f, struct alm_error *err)
{
    *f = (struct scaling){1, 1};
    if (!o->unit)
        return ALM_OK;
    char u[ALM_SERIES_UNIT_MAX];
    step_unit(in, o, u, sizeof u);
    struct alm_error why = {0};
    double factor;
    if (alm_unit_factor(u, o->unit, &factor, &why) != ALM_OK) {
        alm_fail(err, ALM_EINPUT, "%s: %s", in->id, why.msg);
        alm_error_locate(err, NULL, 0, "--unit");
        return ALM_EINPUT;
    }
    struct alm_unit a, b;
    alm_unit_parse(u, &a);
    alm_unit_parse(o->unit, &b);
    *f = (struct scaling){a.scale, b.scale};
    return ALM_OK;
}

/* "TITLE, annual sum, percent change from a year ago". */
static char *out_title(const struct alm_indicator *in,
                       const struct alm_series_opts *o)
{
    struct alm_buf b = ALM_BUF_INIT;
    const char *t = in->title && *in->title ? in->title : in->id;
    /* Room for what is said after it, within a field. */
    alm_buf_add(&b, t, utf8_cut(t, ALM_CSV_FIELD_MAX - 200));
    if (aggregates(in, o)) {
        const char *what = o->freq == 'Q' ? "quarter" : "year";
        if (o->agg == ALM_AGG_EOP)
            alm_buf_printf(&b, ", end of %s", what);
        else
            alm_buf_printf(&b, ", %s %s", alm_freq_name(o->freq),
                           o->agg == ALM_AGG_SUM ? "sum" : "average");
    }
    if (o->tx != ALM_TX_LIN)
        alm_buf_printf(&b, ", %s", alm_transform_title(o->tx));
    return alm_buf_detach(&b);
}

/* Whether indicator ind's figures are computed by its formula here (a
 * derived indicator whose figures are not recorded, alm_derive_record). */
static bool computed(const struct alm_dataset *ds, size_t ind)
{
    return alm_derive_is(ds, ind) && !alm_derive_recorded(ds, ind);
}

/* The selection as of as_of, as points; *idx keeps the observations'
 * indices (caller frees both). */
static enum alm_status select_points(const struct alm_dataset *ds, size_t ind,
                                     long as_of, size_t **idx,
                                     struct alm_point **pt, size_t *n,
                                     struct alm_error *err)
{
    if (computed(ds, ind))
        return alm_derive_select(ds, ind, as_of, idx, pt, n, err);
    enum alm_status st = alm_dataset_series(ds, ind, as_of, false, idx, n, err);
    if (st != ALM_OK)
        return st;
    *pt = malloc((*n ? *n : 1) * sizeof **pt);
    if (!*pt) {
        free(*idx);
        *idx = NULL;
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < *n; i++) {
        (*pt)[i].period = ds->obs[(*idx)[i]].period;
        (*pt)[i].value = ds->obs[(*idx)[i]].value;
    }
    return ALM_OK;
}

/* Aggregates and transforms the n points of pt in place (*n gets the
 * number left); *mid (may be NULL) gets the aggregated points before the
 * transformation (caller frees), which say what each point's base was. */
static enum alm_status run_pipeline(const struct alm_indicator *in,
                                    const struct alm_series_opts *o,
                                    struct alm_point *pt, size_t *n,
                                    struct alm_point **mid, size_t *nmid,
                                    struct alm_transform_stats *left,
                                    struct alm_error *err)
{
    struct alm_transform_stats s = {0};
    *left = (struct alm_transform_stats){0};
    enum alm_status st = ALM_OK;
    size_t m = *n;
    struct alm_point *tmp = malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    if (aggregates(in, o)) {
        st = alm_aggregate_apply(o->agg, in->freq, o->freq, pt, m, tmp, &m, &s,
                                 err);
        if (st != ALM_OK) {
            free(tmp);
            return st;
        }
        left->partial = s.partial;
        memcpy(pt, tmp, m * sizeof *pt);
    }
    if (mid) {
        memcpy(tmp, pt, m * sizeof *pt);
        *mid = tmp;
        *nmid = m;
    }
    if (o->tx != ALM_TX_LIN) {
        struct alm_point *src = mid ? tmp : NULL;
        if (!src) {
            src = malloc((m ? m : 1) * sizeof *src);
            if (!src) {
                free(tmp);
                return alm_fail(err, ALM_ENOMEM, "out of memory");
            }
            memcpy(src, pt, m * sizeof *pt);
        }
        st = alm_transform_apply(o->tx, out_freq(in, o), src, m, pt, &m, &s,
                                 err);
        if (src != tmp)
            free(src);
        left->no_base = s.no_base;
        left->undefined = s.undefined;
    }
    struct scaling f = {1, 1};
    if (st == ALM_OK)
        st = unit_factor(in, o, &f, err);
    for (size_t i = 0; st == ALM_OK && f.mul != f.div && i < m; i++)
        pt[i].value = pt[i].value * f.mul / f.div;
    /* A figure beyond what a dataset may hold (a sum of huge values,
     * (x/b)^12 of a jump, a scale's product) is as undefined as a ratio
     * to zero. */
    size_t k = 0;
    for (size_t i = 0; st == ALM_OK && i < m; i++) {
        if (fabs(pt[i].value) > ALM_VALUE_MAX)
            left->undefined++;
        else
            pt[k++] = pt[i];
    }
    if (st == ALM_OK)
        m = k;
    if (!mid)
        free(tmp);
    else if (st != ALM_OK) {
        free(tmp);
        *mid = NULL;
    }
    *n = m;
    return st;
}

enum alm_status alm_series_get(const struct alm_dataset *ds, size_t ind,
                               long as_of, const struct alm_series_opts *o,
                               struct alm_series *s, struct alm_error *err)
{
    static const struct alm_series_opts none = {0};
    if (!o)
        o = &none;
    *s = (struct alm_series){0};
    const struct alm_indicator *in = &ds->ind[ind];
    enum alm_status st = alm_series_check(ds, ind, o, err);
    if (st != ALM_OK)
        return st;
    size_t *idx = NULL;
    st = select_points(ds, ind, as_of, &idx, &s->pt, &s->n, err);
    free(idx);
    if (st == ALM_OK)
        st = run_pipeline(in, o, s->pt, &s->n, NULL, NULL, &s->left_out, err);
    if (st == ALM_OK && !(s->title = out_title(in, o)))
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st != ALM_OK) {
        alm_series_free(s);
        return st;
    }
    s->freq = out_freq(in, o);
    s->kind = out_kind(in, o);
    out_unit(in, o, s->unit, sizeof s->unit);
    return ALM_OK;
}

void alm_series_free(struct alm_series *s)
{
    free(s->pt);
    free(s->title);
    *s = (struct alm_series){0};
}

static const char *sub_name(char freq)
{
    switch (freq) {
    case 'Q':
        return "quarter";
    case 'A':
        return "year";
    default:
        return "period";
    }
}

enum alm_status alm_series_left_out_text(const struct alm_series *s,
                                         struct alm_buf *out)
{
    const struct alm_transform_stats *l = &s->left_out;
    const char *sep = "";
    if (l->partial) {
        alm_buf_printf(out,
                       "%zu %s%s with a sub-period missing, not "
                       "aggregated",
                       l->partial, sub_name(s->freq),
                       l->partial == 1 ? "" : "s");
        sep = "; ";
    }
    if (l->no_base) {
        alm_buf_printf(out, "%s%zu period%s without the figure %s", sep,
                       l->no_base, l->no_base == 1 ? "" : "s",
                       "the formula compares with");
        sep = "; ";
    }
    if (l->undefined)
        alm_buf_printf(out,
                       "%s%zu period%s where the formula is undefined (a "
                       "ratio to zero, a log of a value not above zero)",
                       sep, l->undefined, l->undefined == 1 ? "" : "s");
    return alm_buf_status(out);
}

/* ---- the dataset of transformed series --------------------------------- */

/* A transformed point with what it came from, as a row will hold it. */
struct row {
    struct alm_point pt;
    char *source;   /* "a;b" (owned) */
    char *computed; /* how: "(46 / 36 - 1) * 100; ..." (owned) */
    char status;
    bool about;
};

static void rows_free(struct row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].source);
        free(r[i].computed);
    }
    free(r);
}

/* The index of the first of the n observations idx[] (sorted by period)
 * whose first month is not before month m0. */
static size_t first_from(const struct alm_dataset *ds, const size_t *idx,
                         size_t n, long m0)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->obs[idx[mid]].period.m0 < m0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The point of period p among the n points pt[] (sorted), or NULL. */
static const struct alm_point *find_point(const struct alm_point *pt, size_t n,
                                          const struct alm_period *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = alm_period_compare(&pt[mid].period, p);
        if (c == 0)
            return &pt[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Writes how the point was computed: the formula with its figures (x the
 * aggregated value at its period, b the base's), then the aggregation
 * and the unit. */
static char *how(const struct alm_indicator *in,
                 const struct alm_series_opts *o, const struct alm_point *x,
                 const struct alm_point *b)
{
    struct alm_buf h = ALM_BUF_INIT;
    char xs[32] = "?", bs[32] = "?";
    if (x)
        alm_format_double(x->value, xs, sizeof xs);
    if (b)
        alm_format_double(b->value, bs, sizeof bs);
    int n = alm_freq_per_year(out_freq(in, o));
    switch (o->tx) {
    case ALM_TX_LIN:
        break;
    case ALM_TX_CHG:
    case ALM_TX_CH1:
        alm_buf_printf(&h, "%s - %s", xs, bs);
        break;
    case ALM_TX_PCH:
    case ALM_TX_PC1:
        alm_buf_printf(&h, "(%s / %s - 1) * 100", xs, bs);
        break;
    case ALM_TX_PCA:
        alm_buf_printf(&h, "((%s / %s)^%d - 1) * 100", xs, bs, n);
        break;
    case ALM_TX_CCH:
        alm_buf_printf(&h, "(ln %s - ln %s) * 100", xs, bs);
        break;
    case ALM_TX_CCA:
        alm_buf_printf(&h, "(ln %s - ln %s) * 100 * %d", xs, bs, n);
        break;
    case ALM_TX_LOG:
        alm_buf_printf(&h, "ln %s", xs);
        break;
    }
    if (aggregates(in, o)) {
        const char *sub = in->freq == 'Q' ? "quarters" : "months";
        const char *per = o->freq == 'Q' ? "quarter" : "year";
        if (o->tx != ALM_TX_LIN)
            alm_buf_printf(&h, ", of each %s's %s", per,
                           o->agg == ALM_AGG_SUM   ? "sum"
                           : o->agg == ALM_AGG_AVG ? "average"
                                                   : "last figure");
        else if (o->agg == ALM_AGG_EOP)
            alm_buf_printf(&h, "the %s's last figure", per);
        else
            alm_buf_printf(&h, "the %s of its %s",
                           o->agg == ALM_AGG_SUM ? "sum" : "average", sub);
    }
    if (o->unit)
        alm_buf_printf(&h, "%sin %s", h.len ? ", " : "", o->unit);
    return alm_buf_detach(&h);
}

/* Whether observation period o lies in the range r (a day only in
 * itself). */
static bool within(const struct alm_period *o, const struct alm_period *r)
{
    if (o->kind == ALM_PERIOD_DAY || r->kind == ALM_PERIOD_DAY)
        return o->kind == r->kind && o->m0 == r->m0 && o->day == r->day;
    return o->m0 >= r->m0 && o->m1 <= r->m1;
}

/* The statuses from the strongest to the weakest: none, A normal, B
 * break, P provisional, E estimated, F forecast. */
static const char status_order[] = "\0ABPEF";

static int weakness(char st)
{
    for (int i = 1; i < (int)sizeof status_order - 1; i++)
        if (status_order[i] == st)
            return i;
    return 0;
}

/* Adds the ids of the source text s ("a;b") to b unless already there. */
static void add_sources(struct alm_buf *b, const char *s)
{
    while (s && *s) {
        size_t len = strcspn(s, ";");
        bool have = false;
        for (const char *p = b->s ? b->s : ""; *p && !have;) {
            size_t l = strcspn(p, ";");
            have = l == len && strncmp(p, s, len) == 0;
            p += l;
            p += *p == ';';
        }
        if (!have && len) {
            if (b->len)
                alm_buf_putc(b, ';');
            alm_buf_add(b, s, len);
        }
        s += len;
        s += *s == ';';
    }
}

/* Fills r with the provenance of point p: the selected observations
 * (idx, n of them, in period order) within p's period or within its base
 * period; with p NULL, of all of them. */
static enum alm_status provenance(const struct alm_dataset *ds,
                                  const size_t *idx, size_t n,
                                  const struct alm_period *p,
                                  const struct alm_period *base, struct row *r)
{
    struct alm_buf b = ALM_BUF_INIT;
    int weak = 0;
    r->about = false;
    /* The observations from the base's first month (or p's) on, until
     * past p; without p, every one (a derived point's inputs, in no
     * period order). */
    size_t from = p ? first_from(ds, idx, n, base ? base->m0 : p->m0) : 0;
    for (size_t i = from; i < n && (!p || ds->obs[idx[i]].period.m0 <= p->m1);
         i++) {
        const struct alm_obs *ob = &ds->obs[idx[i]];
        if (p && !within(&ob->period, p) &&
            !(base && within(&ob->period, base)))
            continue;
        add_sources(&b, ob->source);
        if (weakness(ob->status) > weak)
            weak = weakness(ob->status);
        if (ob->qual != ALM_QUAL_NONE)
            r->about = true;
    }
    r->status = status_order[weak];
    r->source = alm_buf_detach(&b);
    return r->source ? ALM_OK : ALM_ENOMEM;
}

/* The base period of the transformed point at p, or false when the
 * transformation has none (lin, log): the same period a year earlier for
 * ch1 and pc1 (and for spans), else the point before p among the nmid
 * aggregated points. */
static bool base_of(enum alm_transform tx, char freq,
                    const struct alm_point *mid, size_t nmid,
                    const struct alm_period *p, struct alm_period *base)
{
    if (tx == ALM_TX_LIN || tx == ALM_TX_LOG)
        return false;
    if (tx == ALM_TX_CH1 || tx == ALM_TX_PC1 || freq == 'P') {
        *base = *p;
        base->m0 -= 12;
        base->m1 -= 12;
        return true;
    }
    const struct alm_point *x = find_point(mid, nmid, p);
    if (!x || x == mid)
        return false;
    *base = x[-1].period;
    return true;
}

/* provenance() for a derived indicator (derive.h): the inputs of its
 * points dv within p or within base. */
static enum alm_status derived_provenance(const struct alm_dataset *ds,
                                          const struct alm_dseries *dv,
                                          const struct alm_period *p,
                                          const struct alm_period *base,
                                          struct row *r)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < dv->n; i++)
        n += dv->pt[i].nobs;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return ALM_ENOMEM;
    for (size_t i = 0; i < dv->n; i++) {
        const struct alm_period *q = &dv->pt[i].period;
        if (!within(q, p) && !(base && within(q, base)))
            continue;
        memcpy(idx + k, dv->pt[i].obs, dv->pt[i].nobs * sizeof *idx);
        k += dv->pt[i].nobs;
    }
    enum alm_status st = provenance(ds, idx, k, NULL, NULL, r);
    free(idx);
    return st;
}

/* The transformed rows of indicator ind as of as_of. */
static enum alm_status rows_as_of(const struct alm_dataset *ds, size_t ind,
                                  long as_of, const struct alm_series_opts *o,
                                  struct row **out, size_t *nout,
                                  struct alm_transform_stats *left,
                                  struct alm_error *err)
{
    const struct alm_indicator *in = &ds->ind[ind];
    size_t *idx = NULL, n = 0, nmid = 0;
    struct alm_point *pt = NULL, *mid = NULL;
    *out = NULL;
    *nout = 0;
    enum alm_status st = select_points(ds, ind, as_of, &idx, &pt, &n, err);
    size_t nsel = n;
    struct alm_dseries dv = {0};
    bool derived = computed(ds, ind);
    if (st == ALM_OK && derived)
        st = alm_derive_series(ds, ind, as_of, &dv, err);
    if (st == ALM_OK)
        st = run_pipeline(in, o, pt, &n, &mid, &nmid, left, err);
    struct row *r = NULL;
    if (st == ALM_OK && !(r = calloc(n ? n : 1, sizeof *r)))
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t i = 0; st == ALM_OK && i < n; i++) {
        struct alm_period base;
        bool has =
            base_of(o->tx, out_freq(in, o), mid, nmid, &pt[i].period, &base);
        r[i].pt = pt[i];
        enum alm_status p = derived
                                ? derived_provenance(ds, &dv, &pt[i].period,
                                                     has ? &base : NULL, &r[i])
                                : provenance(ds, idx, nsel, &pt[i].period,
                                             has ? &base : NULL, &r[i]);
        if (p != ALM_OK ||
            !(r[i].computed = how(in, o, find_point(mid, nmid, &pt[i].period),
                                  has ? find_point(mid, nmid, &base) : NULL)))
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    alm_dseries_release(&dv);
    free(idx);
    free(pt);
    free(mid);
    if (st != ALM_OK) {
        rows_free(r, n);
        return st;
    }
    *out = r;
    *nout = n;
    return ALM_OK;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* The dates at which the selection of indicator ind can change, not
 * after as_of, in order (an unknown vintage, ALM_DATE_NONE, first): its
 * vintages and the days its corrections and retractions were recorded; a
 * derived indicator's are its inputs'. */
static enum alm_status vintages_of(const struct alm_dataset *ds, size_t ind,
                                   long as_of, long **out, size_t *nout)
{
    const size_t *rows;
    size_t *own = NULL, n, k = 0;
    if (computed(ds, ind)) {
        if (alm_derive_input_obs(ds, ind, &own, &n) != ALM_OK)
            return ALM_ENOMEM;
        rows = own;
    } else
        alm_dataset_obs_of(ds, ind, &rows, &n);
    long *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        free(own);
        return ALM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *ob = &ds->obs[rows[i]];
        long x = ob->amend ? alm_obs_recorded(ds, ob) : ob->vintage;
        if (as_of == ALM_DATE_NONE || x == ALM_DATE_NONE || x <= as_of)
            v[k++] = x;
    }
    free(own);
    qsort(v, k, sizeof *v, cmp_long);
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    *out = v;
    *nout = m;
    return ALM_OK;
}

static void add_fields(struct alm_buf *b, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            alm_buf_putc(b, ',');
        alm_csv_add_field(b, f[i]);
    }
    alm_buf_putc(b, '\n');
}

static bool same_row(const struct row *a, const struct row *b)
{
    return a->pt.value == b->pt.value && a->status == b->status &&
           a->about == b->about && strcmp(a->source, b->source) == 0;
}

/* A row of the transformed dataset already written: what a later
 * withdrawal retracts. */
struct written {
    struct alm_period period;
    long vintage;
    char value[32];
    char *source;
    bool gone;
};

/* Writes one row of observations.csv: a figure (retracted NULL), or the
 * retraction of one recorded on the day retracted. */
static void add_obs_row(struct alm_buf *obs, const char *id,
                        const struct alm_period *p, const char *value,
                        const char *qual, const char *status,
                        const char *source, long vintage, const char *computed,
                        const char *retracted)
{
    char period[ALM_PERIOD_TEXT_MAX], vtext[16] = "";
    alm_period_format(p, period, sizeof period);
    if (vintage != ALM_DATE_NONE)
        alm_date_format(vintage, vtext, sizeof vtext);
    const char *f[] = {id,
                       period,
                       value,
                       qual,
                       status,
                       source,
                       vtext,
                       "",
                       computed,
                       retracted ? "retract" : "",
                       retracted ? retracted : "",
                       retracted ? "no longer computed: a figure it came "
                                   "from was withdrawn"
                                 : ""};
    add_fields(obs, f, sizeof f / sizeof f[0]);
}

/* Appends to obs the rows of observations.csv of indicator ind: every
 * point at every date at which it appeared or changed (the vintage of its
 * row), and the retraction of every row of a point that vanished (its
 * inputs withdrawn), recorded on that date. */
static enum alm_status emit_obs(const struct alm_dataset *ds, size_t ind,
                                long as_of, const struct alm_series_opts *o,
                                struct alm_buf *obs, struct alm_error *err)
{
    long *v = NULL;
    size_t nv = 0, nprev = 0, nw = 0, capw = 0;
    if (vintages_of(ds, ind, as_of, &v, &nv) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    struct row *prev = NULL;
    struct written *w = NULL;
    const char *id = ds->ind[ind].id;
    enum alm_status st = ALM_OK;
    for (size_t k = 0; st == ALM_OK && k < nv; k++) {
        struct row *cur = NULL;
        size_t ncur = 0;
        struct alm_transform_stats left;
        /* As of an unknown vintage: only the rows without one (they sort
         * before every date). */
        long at = v[k] == ALM_DATE_NONE ? LONG_MIN + 1 : v[k];
        st = rows_as_of(ds, ind, at, o, &cur, &ncur, &left, err);
        char day[16] = "";
        if (v[k] != ALM_DATE_NONE)
            alm_date_format(v[k], day, sizeof day);
        size_t i = 0, j = 0;
        while (st == ALM_OK && (i < ncur || j < nprev)) {
            int c = i == ncur    ? 1
                    : j == nprev ? -1
                                 : alm_period_compare(&cur[i].pt.period,
                                                      &prev[j].pt.period);
            if (c > 0) {
                /* Gone: every row written for it is retracted. */
                for (size_t r = 0; r < nw; r++)
                    if (!w[r].gone &&
                        alm_period_compare(&w[r].period, &prev[j].pt.period) ==
                            0) {
                        add_obs_row(obs, id, &w[r].period, w[r].value, "", "",
                                    w[r].source, w[r].vintage, "", day);
                        w[r].gone = true;
                    }
                j++;
                continue;
            }
            bool same = c == 0 && same_row(&prev[j], &cur[i]);
            if (c == 0)
                j++;
            if (same) {
                i++;
                continue;
            }
            if (nw == capw) {
                size_t cap = capw ? 2 * capw : 16;
                struct written *grown = realloc(w, cap * sizeof *w);
                if (!grown) {
                    st = alm_fail(err, ALM_ENOMEM, "out of memory");
                    break;
                }
                w = grown;
                capw = cap;
            }
            struct written *e = &w[nw];
            *e = (struct written){.period = cur[i].pt.period,
                                  .vintage = v[k],
                                  .source = alm__strdup(cur[i].source)};
            if (!e->source) {
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
                break;
            }
            nw++;
            alm_format_double(cur[i].pt.value, e->value, sizeof e->value);
            char status[2] = {cur[i].status, 0};
            add_obs_row(obs, id, &cur[i].pt.period, e->value,
                        cur[i].about ? "~" : "", status, cur[i].source, v[k],
                        cur[i].computed, NULL);
            i++;
        }
        rows_free(prev, nprev);
        prev = cur;
        nprev = ncur;
    }
    rows_free(prev, nprev);
    for (size_t r = 0; r < nw; r++)
        free(w[r].source);
    free(w);
    free(v);
    if (st == ALM_OK && alm_buf_status(obs) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    return st;
}

/* Appends indicator ind's row to b: its columns as in ds, with the title,
 * unit, kind and frequency of the series. */
static enum alm_status emit_indicator(const struct alm_dataset *ds, size_t ind,
                                      const struct alm_series_opts *o,
                                      struct alm_buf *b)
{
    const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
    const struct alm_indicator *in = &ds->ind[ind];
    char *title = out_title(in, o), *unit = unit_dup(in, o),
         freq[2] = {out_freq(in, o), 0};
    if (title && computed(ds, ind))
        title = alm_derive_mark_title(title, alm_derive_formula(ds, ind));
    if (!title || !unit) {
        free(title);
        free(unit);
        return ALM_ENOMEM;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const char *h = t->header[c],
                   *cell = alm_table_cell(t, in->row, (long)c);
        /* A derived indicator's figures are recorded here: its formula
         * goes into the title, and same_as may name one left out. */
        if (strcmp(h, "formula") == 0 || strcmp(h, "same_as") == 0)
            cell = "";
        else if (strcmp(h, "title") == 0)
            cell = title;
        else if (strcmp(h, "unit") == 0)
            cell = unit;
        else if (strcmp(h, "kind") == 0)
            cell = alm_kind_name(out_kind(in, o));
        else if (strcmp(h, "frequency") == 0)
            cell = freq;
        if (c)
            alm_buf_putc(b, ',');
        alm_csv_add_field(b, cell);
    }
    alm_buf_putc(b, '\n');
    free(title);
    free(unit);
    return alm_buf_status(b);
}

static void emit_header(struct alm_buf *b, const struct alm_table *t)
{
    add_fields(b, (const char *const *)t->header, t->ncols);
}

/* Appends the notes line of indicator ind. */
static enum alm_status emit_note(const struct alm_dataset *ds, size_t ind,
                                 long as_of, const struct alm_series_opts *o,
                                 struct alm_buf *notes, struct alm_error *err)
{
    struct alm_series s;
    enum alm_status st = alm_series_get(ds, ind, as_of, o, &s, err);
    if (st != ALM_OK)
        return st;
    alm_buf_printf(notes, "%s: %s (%s)", ds->ind[ind].id, s.title, s.unit);
    size_t before = notes->len;
    alm_buf_puts(notes, ": ");
    size_t mark = notes->len;
    alm_series_left_out_text(&s, notes);
    if (notes->len == mark) {
        notes->len = before;
        notes->s[before] = '\0';
    }
    alm_buf_putc(notes, '\n');
    alm_series_free(&s);
    return alm_buf_status(notes) == ALM_OK
               ? ALM_OK
               : alm_fail(err, ALM_ENOMEM, "out of memory");
}

/* The description of the dataset of transformed series: ds's, then what
 * was done ("Figures computed by Almanac from the published ones: percent
 * change from a year ago, per vintage.") and the indicators left out
 * (ids, "a, b"). Caller frees; NULL when out of memory. */
static char *describe(const char *desc, const struct alm_series_opts *o,
                      const struct alm_buf *ids)
{
    struct alm_buf b = ALM_BUF_INIT;
    if (desc && *desc)
        alm_buf_printf(&b, "%s\n", desc);
    alm_buf_puts(&b, "Figures computed by Almanac from the published ones:");
    const char *sep = " ";
    if (o->freq) {
        alm_buf_printf(&b, "%sat frequency %c (%s)", sep, o->freq,
                       o->agg == ALM_AGG_SUM   ? "sums"
                       : o->agg == ALM_AGG_EOP ? "end of period"
                                               : "averages");
        sep = ", ";
    }
    if (o->tx != ALM_TX_LIN) {
        alm_buf_printf(&b, "%s%s", sep, alm_transform_title(o->tx));
        sep = ", ";
    }
    if (o->unit)
        alm_buf_printf(&b, "%sin %s", sep, o->unit);
    alm_buf_puts(&b, "; per vintage, as of each date.");
    if (ids->len)
        alm_buf_printf(&b,
                       " Left out, as the options do not apply to them: "
                       "%s.",
                       ids->s);
    return alm_buf_detach(&b);
}

/* Whether target t still applies to the series after o, of frequency
 * freq. */
static bool target_fits(const struct alm_target *t, char freq,
                        const struct alm_series_opts *o)
{
    return o->tx == ALM_TX_LIN &&
           (freq == 'I' || alm_period_freq(&t->period) == freq);
}

enum alm_status alm_series_dataset(const struct alm_dataset *ds,
                                   const size_t *ids, size_t n,
                                   const struct alm_series_opts *o, long as_of,
                                   struct alm_dataset **out,
                                   struct alm_buf *notes, struct alm_error *err)
{
    *out = NULL;
    enum alm_status st = ALM_OK;
    for (size_t i = 0; st == ALM_OK && ids && i < n; i++)
        st = alm_series_check(ds, ids[i], o, err);
    if (st != ALM_OK)
        return st;
    size_t *all = NULL;
    struct alm_buf about = ALM_BUF_INIT; /* what the description adds */
    if (!ids) {
        /* Every indicator: those the pipeline cannot apply to are left
         * out, and said. */
        if (!(all = malloc((ds->nind ? ds->nind : 1) * sizeof *all)))
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        n = 0;
        for (size_t k = 0; k < ds->nind; k++) {
            struct alm_error why = {0};
            if (alm_series_check(ds, k, o, &why) == ALM_OK) {
                all[n++] = k;
                continue;
            }
            if (notes)
                alm_buf_printf(notes, "%s: left out: %s\n", ds->ind[k].id,
                               why.msg);
            alm_buf_printf(&about, "%s%s", about.len ? ", " : "",
                           ds->ind[k].id);
        }
        ids = all;
    }
    struct alm_buf text[ALM_T_COUNT];
    for (int t = 0; t < ALM_T_COUNT; t++) {
        text[t] = (struct alm_buf)ALM_BUF_INIT;
        if (t == ALM_T_INDICATORS || t == ALM_T_TARGETS)
            emit_header(&text[t], ds->tables[t]);
    }
    static const char *const obs_cols[] = {
        "indicator", "period", "value",    "qualifier",  "status",   "source",
        "vintage",   "quote",  "computed", "correction", "recorded", "note"};
    add_fields(&text[ALM_T_OBSERVATIONS], obs_cols,
               sizeof obs_cols / sizeof obs_cols[0]);
    alm_table_format(ds->tables[ALM_T_SOURCES], &text[ALM_T_SOURCES]);
    const struct alm_table *tt = ds->tables[ALM_T_TARGETS];
    for (size_t i = 0; st == ALM_OK && i < n; i++) {
        size_t k = ids[i];
        if (emit_indicator(ds, k, o, &text[ALM_T_INDICATORS]) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        if (st == ALM_OK)
            st = emit_obs(ds, k, as_of, o, &text[ALM_T_OBSERVATIONS], err);
        if (st == ALM_OK && notes)
            st = emit_note(ds, k, as_of, o, notes, err);
        const size_t *tg;
        size_t ntg, dropped = 0;
        alm_dataset_targets_of(ds, k, &tg, &ntg);
        for (size_t j = 0; st == ALM_OK && j < ntg; j++) {
            /* A target is in the indicator's own unit, for a period of its
             * own frequency: one the series no longer has is left out. */
            struct scaling f = {1, 1};
            unit_factor(&ds->ind[k], o, &f, NULL);
            if (!target_fits(&ds->tgt[tg[j]], out_freq(&ds->ind[k], o), o) ||
                !(fabs(ds->tgt[tg[j]].value * f.mul / f.div) <=
                  ALM_VALUE_MAX)) {
                dropped++;
                continue;
            }
            size_t row = ds->tgt[tg[j]].row;
            char value[32];
            alm_format_double(ds->tgt[tg[j]].value * f.mul / f.div, value,
                              sizeof value);
            for (size_t c = 0; c < tt->ncols; c++) {
                const char *cell = alm_table_cell(tt, row, (long)c);
                if (f.mul != f.div && strcmp(tt->header[c], "value") == 0)
                    cell = value;
                if (c)
                    alm_buf_putc(&text[ALM_T_TARGETS], ',');
                alm_csv_add_field(&text[ALM_T_TARGETS], cell);
            }
            alm_buf_putc(&text[ALM_T_TARGETS], '\n');
        }
        if (st == ALM_OK && notes && dropped)
            alm_buf_printf(notes, "%s: %zu target%s left out: %s\n",
                           ds->ind[k].id, dropped, dropped == 1 ? "" : "s",
                           o->tx != ALM_TX_LIN
                               ? "a target is in the indicator's own unit, "
                                 "not in the transformed one"
                               : "a target's period is not one of the "
                                 "series' new frequency");
    }
    for (int t = 0; st == ALM_OK && t < ALM_T_COUNT; t++)
        if (alm_buf_status(&text[t]) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK) {
        const char *data[ALM_T_COUNT];
        size_t len[ALM_T_COUNT];
        for (int t = 0; t < ALM_T_COUNT; t++) {
            data[t] = text[t].s ? text[t].s : "";
            len[t] = text[t].len;
        }
        st = alm_dataset_parse(ds->dir, data, len, NULL, out, err);
    }
    for (int t = 0; t < ALM_T_COUNT; t++)
        alm_buf_release(&text[t]);
    free(all);
    if (st != ALM_OK) {
        alm_buf_release(&about);
        return st;
    }
    struct alm_dataset *d = *out;
    d->latest = ds->latest;
    alm_derive_link(d, ds);
    char *desc = describe(ds->description, o, &about);
    alm_buf_release(&about);
    if ((ds->title && !(d->title = alm__strdup(ds->title))) || !desc) {
        free(desc);
        alm_dataset_free(d);
        *out = NULL;
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    d->description = desc;
    return ALM_OK;
}

enum alm_status alm_series_targets_check(const struct alm_dataset *ds,
                                         const size_t *ids, size_t n,
                                         const struct alm_series_opts *o,
                                         struct alm_error *err)
{
    for (size_t i = 0; i < (ids ? n : ds->nind); i++) {
        size_t k = ids ? ids[i] : i;
        const struct alm_indicator *in = &ds->ind[k];
        const size_t *tg;
        size_t ntg;
        alm_dataset_targets_of(ds, k, &tg, &ntg);
        for (size_t j = 0; j < ntg; j++) {
            const struct alm_target *t = &ds->tgt[tg[j]];
            if (target_fits(t, out_freq(in, o), o))
                continue;
            char p[ALM_PERIOD_TEXT_MAX], unit[ALM_SERIES_UNIT_MAX];
            alm_period_format(&t->period, p, sizeof p);
            out_unit(in, o, unit, sizeof unit);
            if (o->tx != ALM_TX_LIN)
                alm_fail(err, ALM_EINPUT,
                         "the target of %s for %s is in its own unit (%s), "
                         "not in %s, the unit of --transform %s: track %s "
                         "without --transform, or declare the transformed "
                         "series as an indicator with its own targets",
                         in->id, p, in->unit[0] ? in->unit : "no unit", unit,
                         alm_transform_code(o->tx), in->id);
            else
                alm_fail(err, ALM_EINPUT,
                         "the target of %s for %s is not a period of "
                         "frequency %c: track %s at its own frequency %c",
                         in->id, p, out_freq(in, o), in->id, in->freq);
            alm_error_locate(err, NULL, 0,
                             o->tx != ALM_TX_LIN ? "--transform"
                                                 : "--frequency");
            return ALM_EINPUT;
        }
    }
    return ALM_OK;
}
