/* check's run on a dataset read an indicator at a time
 * (alm_check_dataset, consistency.h): the warnings alm_dataset_open and
 * alm_consistency_check give, in their order, gathered as the stream
 * serves each indicator. */
#include <stdlib.h>
#include <string.h>

#include <almanac/consistency.h>

#include "dataset_internal.h"
#include "scan.h"

/* Warnings held until those that come before them are given: the first
 * keep, and how many in all. */
struct held {
    struct alm_error *e;
    size_t n, keep, total;
    bool nomem;
};

static void hold(void *ctx, const struct alm_error *e, bool warning)
{
    struct held *h = ctx;
    (void)warning; /* the stream gives up on any error */
    if (h->n < h->keep) {
        if (!h->e && !(h->e = malloc(h->keep * sizeof *h->e)))
            h->nomem = true;
        if (h->e)
            h->e[h->n++] = *e;
    }
    h->total++;
}

/* What goes to the caller's report: the first shown, the rest counted. */
struct given {
    const struct alm_problem_sink *report;
    size_t shown, n, more;
};

static void give(void *ctx, const struct alm_error *e, bool warning)
{
    struct given *g = ctx;
    if (g->n < g->shown) {
        g->n++;
        g->report->fn(g->report->ctx, e, warning);
    } else {
        g->more++;
    }
}

static void give_held(struct given *g, const struct held *h)
{
    for (size_t i = 0; i < h->n; i++)
        give(g, &h->e[i], true);
    g->more += h->total - h->n;
}

struct run {
    struct alm__obs_warnings w;
    struct held same, cons;
    struct alm_problem_sink to_same, to_cons;
    size_t nobs;
};

static enum alm_status on_indicator(void *ctx, struct alm_dataset *ds, size_t k)
{
    struct run *r = ctx;
    const size_t *rows;
    size_t n;
    struct alm_error e;
    alm_error_clear(&e);
    alm_dataset_obs_of(ds, k, &rows, &n);
    r->nobs += n;
    enum alm_status st = alm__obs_warn_indicator(ds, k, &r->w, &r->to_same);
    if (st == ALM_OK)
        st = alm__consistency_one(ds, k, &r->to_cons, &e);
    if (st == ALM_OK && (r->same.nomem || r->cons.nomem))
        st = ALM_ENOMEM;
    return st;
}

bool alm_check_dataset(const char *dir, const struct alm_problem_sink *report,
                       size_t shown, struct alm_check_counts *counts)
{
    struct alm__stream *s = NULL;
    long as_of;
    if (!alm__scan_open(dir, NULL, &s, &as_of))
        return false;
    struct run r = {.same = {.keep = shown}, .cons = {.keep = shown}};
    r.to_same = (struct alm_problem_sink){hold, &r.same};
    r.to_cons = (struct alm_problem_sink){hold, &r.cons};
    enum alm_status st = alm__stream_run(s, on_indicator, &r);
    struct alm_dataset *ds = alm__stream_dataset(s);
    if (st == ALM_OK) {
        /* In the order of alm_dataset_read: rows without a vintage, then
         * figures of one vintage from different sources (after the
         * rows), the change log, then alm_consistency_check's. */
        struct given g = {report, shown, 0, 0};
        const struct alm_problem_sink to = {give, &g};
        alm__obs_warn_undated(&r.w, &to);
        give_held(&g, &r.same);
        alm__obs_warn_more(&r.w, &to);
        alm__log_verify(ds, &to);
        give_held(&g, &r.cons);
        *counts = (struct alm_check_counts){.indicators = ds->nind,
                                            .observations = r.nobs,
                                            .sources = ds->nsrc,
                                            .targets = ds->ntgt,
                                            .unreported = g.more};
    }
    free(r.same.e);
    free(r.cons.e);
    alm__stream_close(s, NULL);
    return st == ALM_OK;
}

struct alm_check_counts alm_check_counts_of(const struct alm_dataset *ds)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->nobs; i++)
        n += !ds->obs[i].amend;
    return (struct alm_check_counts){.indicators = ds->nind,
                                     .observations = n,
                                     .sources = ds->nsrc,
                                     .targets = ds->ntgt};
}
