/* The backtest command's table and CSV (backtest_view.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <almanac/backtest_view.h>
#include <almanac/csvio.h>

#include "internal.h"

static void num_csv(double x, char *out, size_t size)
{
    if (isfinite(x))
        alm_format_double(x, out, size);
    else if (size)
        out[0] = '\0';
}

/* A share of points for people: whole percents ("93%"), "" for NaN. */
static void percent(double x, char *out, size_t size)
{
    if (isfinite(x))
        snprintf(out, size, "%.0f%%", 100 * x);
    else if (size)
        out[0] = '\0';
}

/* The table of every row; people get percents, CSV fractions. */
static enum alm_status rows_table(const struct alm_dataset *ds,
                                  const struct alm_backtest_row *rows, size_t n,
                                  bool csv, struct alm_table **out)
{
    static const char *const h[] = {"indicator", "model",  "n",
                                    "hold",      "mae",    "mase",
                                    "coverage",  "chosen", "note"};
    struct alm_table *t = alm_table_new("backtest", 9, h);
    if (!t)
        return ALM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const struct alm_backtest_row *r = &rows[i];
        char model[32], chosen[32] = "", nn[32], hold[32], mae[40] = "",
                        mase[40] = "", cov[40] = "";
        alm_model_format(&r->model, model, sizeof model);
        if (r->scored && r->model.model == ALM_MODEL_AUTO)
            alm_model_format(&r->chosen, chosen, sizeof chosen);
        snprintf(nn, sizeof nn, "%zu", r->n);
        snprintf(hold, sizeof hold, "%zu", r->hold);
        if (csv) {
            num_csv(r->mae, mae, sizeof mae);
            num_csv(r->mase, mase, sizeof mase);
            num_csv(r->coverage, cov, sizeof cov);
        } else {
            alm_format_people(r->mae, mae, sizeof mae);
            alm_format_people(r->mase, mase, sizeof mase);
            percent(r->coverage, cov, sizeof cov);
        }
        const char *cells[] = {ds->ind[r->ind].id,
                               model,
                               nn,
                               hold,
                               mae,
                               mase,
                               cov,
                               chosen,
                               r->note};
        if (alm_table_add_row(t, 0) != ALM_OK) {
            alm_table_free(t);
            return ALM_ENOMEM;
        }
        for (size_t j = 0; j < 9; j++)
            if (cells[j][0] &&
                alm_table_set(t, t->nrows - 1, j, cells[j]) != ALM_OK) {
                alm_table_free(t);
                return ALM_ENOMEM;
            }
    }
    *out = t;
    return ALM_OK;
}

static bool same_model(const struct alm_model_spec *a,
                       const struct alm_model_spec *b)
{
    return a->model == b->model &&
           (a->model != ALM_MODEL_POLY || a->degree == b->degree);
}

/* One summary line per model backtested, in the order first seen. */
static enum alm_status summary_table(const struct alm_backtest_row *rows,
                                     size_t n, struct alm_table **out)
{
    static const char *const h[] = {"model", "series", "mean MASE", "coverage",
                                    "chosen by auto"};
    struct alm_table *t = alm_table_new("backtest", 5, h);
    if (!t)
        return ALM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_model(&rows[j].model, &rows[i].model);
        if (seen)
            continue;
        size_t series = 0, nmase = 0, covered = 0, intervals = 0, chosen = 0;
        double mase = 0;
        for (size_t j = 0; j < n; j++) {
            const struct alm_backtest_row *r = &rows[j];
            if (r->scored && r->model.model == ALM_MODEL_AUTO &&
                same_model(&r->chosen, &rows[i].model))
                chosen++;
            if (!r->scored || !same_model(&r->model, &rows[i].model))
                continue;
            series++;
            covered += r->covered;
            intervals += r->intervals;
            if (isfinite(r->mase)) {
                mase += r->mase;
                nmase++;
            }
        }
        char model[32], ns[32], ms[40], cv[40], ch[32] = "";
        alm_model_format(&rows[i].model, model, sizeof model);
        snprintf(ns, sizeof ns, "%zu", series);
        alm_format_people(nmase ? mase / (double)nmase : NAN, ms, sizeof ms);
        percent(intervals ? (double)covered / (double)intervals : NAN, cv,
                sizeof cv);
        if (rows[i].model.model != ALM_MODEL_AUTO)
            snprintf(ch, sizeof ch, "%zu", chosen);
        const char *cells[] = {model, ns, ms, cv, ch};
        enum alm_status st = alm_table_add_row(t, 0);
        for (size_t j = 0; j < 5 && st == ALM_OK; j++)
            if (cells[j][0])
                st = alm_table_set(t, t->nrows - 1, j, cells[j]);
        if (st != ALM_OK) {
            alm_table_free(t);
            return st;
        }
    }
    *out = t;
    return ALM_OK;
}

enum alm_status alm_view_backtest(const struct alm_dataset *ds,
                                  const struct alm_backtest_row *rows, size_t n,
                                  const struct alm_backtest_opts *o,
                                  enum alm_format f, struct alm_buf *out)
{
    struct alm_table *t = NULL, *s = NULL;
    enum alm_status st = rows_table(ds, rows, n, f == ALM_FORMAT_CSV, &t);
    if (st == ALM_OK && f == ALM_FORMAT_CSV) {
        st = alm_view_write(t, f, o->as_of, out);
        alm_table_free(t);
        return st;
    }
    char date[32], lv[32];
    alm_as_of_format(o->as_of, date, sizeof date);
    alm_format_double(o->level, lv, sizeof lv);
    size_t from = out->len;
    if (st == ALM_OK)
        st = alm_buf_printf(out,
                            "as of %s; the last %zu period%s of each series "
                            "held out; %s%% prediction intervals\n\n",
                            date, o->hold, o->hold > 1 ? "s" : "", lv);
    if (st == ALM_OK)
        st = alm_table_format_text(t, out);
    if (st == ALM_OK)
        st = summary_table(rows, n, &s);
    if (st == ALM_OK)
        st = alm_buf_puts(out, "\n");
    if (st == ALM_OK)
        st = alm_table_format_text(s, out);
    alm_table_free(t);
    alm_table_free(s);
    return st == ALM_OK ? alm_text_escape_controls(out, from) : st;
}
