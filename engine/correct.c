/* Corrections and retractions: rows of observations.csv that amend an
 * earlier figure without rewriting it.
 *
 * A figure is the row of (indicator, period, vintage) as published. A
 * correction is a later row of the same indicator, period and vintage with
 * correction = "correct", the day it was recorded in recorded, the
 * corrected value, and the source that corrects it or a note why; a
 * retraction is such a row with correction = "retract", the value it
 * withdraws and a note, its reason. As of a date before recorded neither
 * counts; from recorded on, selection (dataset.c) uses the latest
 * correction in place of the figure, and a retraction makes the figure
 * vanish (its period falls back to an earlier vintage, if any). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <almanac/dataset.h>

#include "dataset_internal.h"
#include "internal.h"

enum { COL_CORRECTION, COL_RECORDED, COL_NOTE };

void alm__amend_begin(struct alm_dataset *ds)
{
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct alm__dataset_index *x = ds->ix;
    x->amend_col[COL_CORRECTION] = alm_table_col(t, "correction");
    x->amend_col[COL_RECORDED] = alm_table_col(t, "recorded");
    x->amend_col[COL_NOTE] = alm_table_col(t, "note");
    x->amend_on =
        x->amend_col[COL_CORRECTION] >= 0 || x->amend_col[COL_RECORDED] >= 0;
    x->namends = 0;
}

const char *alm__amend_row(struct alm_dataset *ds, size_t i,
                           const char *vintage, struct alm_obs *o,
                           struct alm_error *e)
{
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    struct alm__dataset_index *x = ds->ix;
    const char *what = alm_table_cell(t, i, x->amend_col[COL_CORRECTION]);
    const char *rec = alm_table_cell(t, i, x->amend_col[COL_RECORDED]);
    const char *note = alm_table_cell(t, i, x->amend_col[COL_NOTE]);
    char q[200];
    long day;
    if (!what[0]) {
        if (!rec[0])
            return NULL;
        alm_fail(e, ALM_EINPUT,
                 "a recorded date belongs to a correction or a retraction: "
                 "give correction 'correct' or 'retract', or empty recorded");
        return "recorded";
    }
    if (strcmp(what, "correct") != 0 && strcmp(what, "retract") != 0) {
        alm_fail(e, ALM_EINPUT,
                 "unknown correction '%s': expected empty (a figure), "
                 "correct or retract",
                 alm_error_quote(what, q, sizeof q));
        return "correction";
    }
    bool retract = what[0] == 'r';
    if (!rec[0]) {
        alm_fail(e, ALM_EINPUT,
                 "a %s needs the date it was recorded (YYYY-MM-DD)",
                 retract ? "retraction" : "correction");
        return "recorded";
    }
    if (alm_date_parse(rec, &day, e) != ALM_OK)
        return "recorded";
    /* The figure amended is named by its vintage alone: not by the
     * source's date, as the correcting source may be another. */
    if (!vintage[0])
        o->vintage = ALM_DATE_NONE;
    if (o->vintage != ALM_DATE_NONE && day < o->vintage) {
        alm_fail(e, ALM_EINPUT,
                 "recorded %s is before the vintage %s of the figure it "
                 "amends",
                 alm_error_quote(rec, q, sizeof q), vintage);
        return "recorded";
    }
    if (retract && !note[0]) {
        alm_fail(e, ALM_EINPUT, "a retraction needs its reason in note");
        return "note";
    }
    if (!retract && !note[0] && !o->source[0]) {
        alm_fail(e, ALM_EINPUT,
                 "a correction needs the source that corrects it or a note "
                 "why");
        return "note";
    }
    if (x->namends == x->amends_cap) {
        size_t cap = x->amends_cap ? 2 * x->amends_cap : 16;
        struct alm__amend *p = realloc(x->amends, cap * sizeof *p);
        if (!p) {
            alm_fail(e, ALM_ENOMEM, "out of memory");
            return "correction";
        }
        x->amends = p;
        x->amends_cap = cap;
    }
    /* dataset_load.c appends o as ds->obs[ds->nobs] next. */
    x->amends[x->namends++] = (struct alm__amend){i, ds->nobs, day};
    o->amend = retract ? ALM_AMEND_RETRACT : ALM_AMEND_CORRECT;
    if (ds->latest == ALM_DATE_NONE || day > ds->latest)
        ds->latest = day;
    return NULL;
}

long alm_obs_recorded(const struct alm_dataset *ds, const struct alm_obs *o)
{
    const struct alm__dataset_index *x = ds->ix;
    if (!o->amend)
        return ALM_DATE_NONE;
    size_t lo = 0, hi = x->namends;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->amends[mid].row == o->row)
            return x->amends[mid].recorded;
        if (x->amends[mid].row < o->row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ALM_DATE_NONE;
}

/* ---- checking what an amendment amends ---------------------------------- */

struct actx {
    const struct alm_dataset *ds;
    const struct alm_problem_sink *report;
    struct alm_error *err;
    size_t nerrors;
};

/* Reports an error about observation row r, field field; returns true
 * when checking must stop (no report). Rows an edit appends are named by
 * no file line, as dataset_load.c names them. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static bool
problem(struct actx *a, size_t r, const char *field, const char *fmt, ...)
{
    const struct alm_dataset *ds = a->ds;
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    const char *name = t->name;
    long line = t->lines[r];
    if (r >= ds->ix->origin_from) {
        name = ds->ix->origin_name;
        if (!name)
            line = 0;
    }
    struct alm_error e;
    va_list ap;
    alm_error_clear(&e);
    e.status = ALM_EINPUT;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    alm_error_locate(&e, name, line, field);
    if (a->nerrors++ == 0 && a->err && a->err->status == ALM_OK)
        *a->err = e;
    if (a->report) {
        a->report->fn(a->report->ctx, &e, false);
        return false;
    }
    return true;
}

static bool same_key(const struct alm_obs *x, const struct alm_obs *y)
{
    return x->ind == y->ind && x->vintage == y->vintage &&
           alm__period_cmp(&x->period, &y->period) == 0;
}

/* Orders amendments of one figure: by the day recorded, then file order. */
static int cmp_recorded(const struct alm__amend *x, const struct alm__amend *y)
{
    int c = alm__cmp_long(x->recorded, y->recorded);
    return c ? c : alm__cmp_long((long)x->row, (long)y->row);
}

/* Checks the amendment am (of observation o): a figure of its indicator,
 * period and vintage exists, and no retraction of it was recorded before. */
static bool check_one(struct actx *a, const struct alm__amend *am)
{
    const struct alm_dataset *ds = a->ds;
    const struct alm_obs *o = &ds->obs[am->obs];
    const size_t *rows;
    size_t n;
    alm_dataset_obs_of(ds, o->ind, &rows, &n);
    bool found = false;
    struct alm__amend retracted = {0, 0, ALM_DATE_NONE};
    for (size_t j = 0; j < n; j++) {
        const struct alm_obs *f = &ds->obs[rows[j]];
        if (f->vintage != o->vintage ||
            alm__period_cmp(&f->period, &o->period) != 0)
            continue;
        if (!f->amend) {
            found = true;
            continue;
        }
        struct alm__amend fa = {f->row, rows[j], alm_obs_recorded(ds, f)};
        if (f->amend == ALM_AMEND_RETRACT && cmp_recorded(&fa, am) < 0 &&
            (retracted.recorded == ALM_DATE_NONE ||
             cmp_recorded(&fa, &retracted) < 0))
            retracted = fa;
    }
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    const char *period = alm_obs_cell(ds, o, "period");
    const char *vin = alm_obs_cell(ds, o, "vintage");
    const char *id = ds->ind[o->ind].id;
    if (!found)
        return problem(a, am->row, "vintage",
                       "no figure of %s for %s with vintage %s to %s: "
                       "'almanac show -d %s %s --vintages' lists its figures",
                       id, period, vin[0] ? vin : "(none)",
                       o->amend == ALM_AMEND_RETRACT ? "retract" : "correct",
                       ds->dir, id);
    if (retracted.recorded != ALM_DATE_NONE) {
        char d[16], at[40] = "";
        alm_date_format(retracted.recorded, d, sizeof d);
        if (t->lines[retracted.row] > 0)
            snprintf(at, sizeof at, " (line %ld)", t->lines[retracted.row]);
        return problem(a, am->row, "correction",
                       "%s %s with vintage %s was retracted on %s%s: a "
                       "retracted figure is not %s again",
                       id, period, vin[0] ? vin : "(none)", d, at,
                       o->amend == ALM_AMEND_RETRACT ? "retracted"
                                                     : "corrected");
    }
    return false;
}

size_t alm__amend_check(const struct alm_dataset *ds,
                        const struct alm_problem_sink *report,
                        struct alm_error *err)
{
    struct actx a = {ds, report, err, 0};
    for (size_t m = 0; m < ds->ix->namends; m++)
        if (check_one(&a, &ds->ix->amends[m]))
            break;
    return a.nerrors;
}

/* ---- correct and retract ------------------------------------------------ */

/* Fails with the message of fmt located at option. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum alm_status
option_fail(struct alm_error *err, const char *option, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    alm_fail(err, ALM_EINPUT, "%s", msg);
    alm_error_locate(err, NULL, 0, option);
    return ALM_EINPUT;
}

/* The vintage of figure f as the new row writes it: its own text, else its
 * source's date, else empty (unknown). */
static void vintage_of(const struct alm_dataset *ds, const struct alm_obs *f,
                       char *out, size_t size)
{
    const char *text = alm_obs_cell(ds, f, "vintage");
    if (text[0])
        snprintf(out, size, "%s", text);
    else if (f->vintage != ALM_DATE_NONE)
        alm_date_format(f->vintage, out, size);
    else
        out[0] = '\0';
}

/* The vintages of the figures of indicator k for period p, as a list
 * "2024-01-11, 2024-02-01" in out; returns how many there are (a vintage
 * of several figures counts once). */
static size_t vintages_of(const struct alm_dataset *ds, size_t k,
                          const struct alm_period *p, struct alm_buf *out)
{
    size_t *idx = NULL, n = 0, count = 0;
    long last = ALM_DATE_NONE;
    if (alm_dataset_history(ds, k, ALM_DATE_NONE, &idx, &n, NULL) != ALM_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *f = &ds->obs[idx[i]];
        char v[32];
        if (f->amend || alm__period_cmp(&f->period, p) != 0 ||
            (count && f->vintage == last))
            continue;
        vintage_of(ds, f, v, sizeof v);
        alm_buf_printf(out, "%s%s", count ? ", " : "", v[0] ? v : "(none)");
        last = f->vintage;
        count++;
    }
    free(idx);
    return count;
}

/* Finds the figure a amends: *fig the first figure of its period and
 * vintage in the file, *now the row that stands for it today (the figure,
 * or its latest correction), NULL when it was retracted. */
static enum alm_status find_figure(const struct alm_dataset *ds,
                                   const struct alm_amendment *a,
                                   const struct alm_obs **fig,
                                   const struct alm_obs **now,
                                   struct alm_error *err)
{
    char q[300];
    struct alm_period p;
    long vin = ALM_DATE_NONE;
    long k = alm_dataset_find_indicator(ds, a->indicator);
    if (k < 0)
        return option_fail(err, "--indicator",
                           "no indicator '%s' in the dataset: 'almanac "
                           "indicator list -d %s' lists them",
                           alm_error_quote(a->indicator, q, sizeof q), ds->dir);
    const char *id = ds->ind[k].id;
    if (alm_period_parse(a->period, &p, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--period");
        return ALM_EINPUT;
    }
    bool given = a->vintage && a->vintage[0];
    if (given && alm_date_parse(a->vintage, &vin, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--vintage");
        return ALM_EINPUT;
    }
    struct alm_buf list = ALM_BUF_INIT;
    size_t nv = vintages_of(ds, (size_t)k, &p, &list);
    enum alm_status st = ALM_OK;
    const size_t *rows;
    size_t n;
    alm_dataset_obs_of(ds, (size_t)k, &rows, &n);
    *fig = NULL;
    for (size_t i = 0; i < n && !*fig; i++) {
        const struct alm_obs *f = &ds->obs[rows[i]];
        if (!f->amend && alm__period_cmp(&f->period, &p) == 0 &&
            (!given || f->vintage == vin))
            *fig = f;
    }
    if (nv == 0)
        st = option_fail(err, "--period",
                         "no figure of %s for %s: 'almanac show -d %s %s "
                         "--vintages' lists its figures",
                         id, alm_error_quote(a->period, q, sizeof q), ds->dir,
                         id);
    else if (!*fig)
        st = option_fail(err, "--vintage",
                         "no figure of %s for %s with vintage %s; its "
                         "vintages: %s ('almanac show -d %s %s --vintages' "
                         "lists its figures)",
                         id, a->period, a->vintage, list.s, ds->dir, id);
    else if (!given && nv > 1)
        st = option_fail(err, "--vintage",
                         "%s %s has figures of %zu vintages (%s): give "
                         "--vintage to say which",
                         id, a->period, nv, list.s);
    alm_buf_release(&list);
    if (st != ALM_OK)
        return st;
    size_t *idx = NULL, m = 0;
    st = alm_dataset_series(ds, (size_t)k, ALM_DATE_NONE, true, &idx, &m, err);
    *now = NULL;
    for (size_t i = 0; i < m && st == ALM_OK && !*now; i++)
        if (same_key(&ds->obs[idx[i]], *fig))
            *now = &ds->obs[idx[i]];
    free(idx);
    if (st == ALM_OK && !*now) {
        char v[32];
        vintage_of(ds, *fig, v, sizeof v);
        st = option_fail(err, "--vintage",
                         "%s %s with vintage %s was retracted: a retracted "
                         "figure is not %s again",
                         id, a->period, v[0] ? v : "(none)",
                         a->retract ? "retracted" : "corrected");
    }
    return st;
}

enum alm_status alm_dataset_amend(const char *dir,
                                  const struct alm_amendment *a,
                                  struct alm_amend_result *res,
                                  struct alm_error *err)
{
    struct alm_dataset *ds = NULL;
    const struct alm_obs *fig = NULL, *now = NULL;
    char vin[32], today[16];
    if (!a->indicator || !a->period)
        return alm_fail(err, ALM_EINPUT,
                        "the figure needs an indicator and "
                        "a period");
    if (alm__check_option_text(a->note, "--note", err) != ALM_OK)
        return ALM_EINPUT;
    if (a->retract ? !(a->note && a->note[0]) : !(a->value && a->value[0]))
        return option_fail(err, a->retract ? "--note" : "--value",
                           a->retract ? "a retraction needs its reason"
                                      : "a correction needs the corrected "
                                        "value");
    if (!a->retract && !(a->note && a->note[0]) && !(a->source && a->source[0]))
        return option_fail(err, "--source",
                           "a correction needs the source that corrects it "
                           "(--source) or a note why (--note)");
    enum alm_status st = alm_dataset_open(dir, NULL, &ds, err);
    if (st == ALM_OK)
        st = find_figure(ds, a, &fig, &now, err);
    if (st != ALM_OK) {
        alm_dataset_free(ds);
        return st;
    }
    vintage_of(ds, fig, vin, sizeof vin);
    const char *recorded = a->recorded;
    if (!recorded || !recorded[0]) {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        recorded = today;
    }
    /* The row: the figure's key, then what the amendment says. A
     * retraction repeats the value it withdraws and its source. */
    const char *source =
        a->retract || !(a->source && a->source[0]) ? now->source : a->source;
    const struct alm_field f[] = {
        {"indicator", ds->ind[fig->ind].id, "--indicator"},
        {"period", alm_obs_cell(ds, fig, "period"), "--period"},
        {"value", a->retract ? now->value_text : a->value, "--value"},
        {"qualifier", a->retract ? alm_qualifier_text(now->qual) : a->qualifier,
         "--qualifier"},
        {"status", a->retract ? NULL : a->status, "--status"},
        {"source", source, "--source"},
        {"vintage", vin, "--vintage"},
        {"quote", a->retract ? NULL : a->quote, "--quote"},
        {"correction", a->retract ? "retract" : "correct", "--vintage"},
        {"recorded", recorded, "--recorded"},
        {"note", a->note, "--note"}};
    const struct alm_edit ed = {ALM_T_OBSERVATIONS, NULL, f,
                                sizeof f / sizeof f[0], false};
    if (res) {
        snprintf(res->vintage, sizeof res->vintage, "%s", vin);
        snprintf(res->value, sizeof res->value, "%s",
                 a->retract ? now->value_text : a->value);
    }
    st =
        alm__dataset_edit(dir, &ed, 1, a->retract ? "retract" : "correct", err);
    alm_dataset_free(ds);
    return st;
}
