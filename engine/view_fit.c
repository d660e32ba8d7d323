/* Projections for people and in CSV: alm_view_fit, alm_projection_words
 * (see view.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/view.h>

#include "internal.h"

/* n in decimal, as "%zu" writes it, into out (room for 21 bytes). */
static void count_text(size_t n, char out[static 21])
{
    char d[20];
    size_t k = 0;
    do {
        d[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < k; i++)
        out[i] = d[k - 1 - i];
    out[k] = '\0';
}

static void num_csv(double x, char *out, size_t size)
{
    if (isfinite(x))
        alm_format_double(x, out, size);
    else if (size)
        out[0] = '\0';
}

/* Appends n cells, separated by commas, each that needs it guarded (as
 * alm_table_format_guarded() writes a table), scratch holding the guarded
 * copy of a cell. */
static enum alm_status add_guarded_cells(struct alm_buf *out,
                                         const char *const *cells, size_t n,
                                         struct alm_buf *scratch)
{
    enum alm_status st = ALM_OK;
    for (size_t j = 0; j < n && st == ALM_OK; j++) {
        const char *c = cells[j];
        if (j > 0)
            st = alm_buf_putc(out, ',');
        if (!c[0]) /* most cells: written as nothing */
            continue;
        if (st == ALM_OK && alm_csv_needs_guard(c)) {
            alm_buf_reset(scratch);
            if (alm_buf_putc(scratch, '\'') != ALM_OK ||
                alm_buf_add(scratch, c, strlen(c) + 1) != ALM_OK)
                return ALM_ENOMEM;
            c = scratch->s;
        }
        if (st == ALM_OK)
            st = alm_csv_add_field(out, c);
    }
    return st;
}

/* Appends one record of n cells (add_guarded_cells) ended by end. */
static enum alm_status add_guarded_record(struct alm_buf *out,
                                          const char *const *cells, size_t n,
                                          char end, struct alm_buf *scratch)
{
    enum alm_status st = add_guarded_cells(out, cells, n, scratch);
    return st == ALM_OK ? alm_buf_putc(out, end) : st;
}

/* True when add_guarded_cells() writes c as it is: no formula guard, and
 * none of the characters (or the leading byte-order mark) for which
 * alm_csv_add_field() quotes. */
static bool cell_plain(const char *c)
{
    return !alm_csv_needs_guard(c) && alm_csv_field_plain(c);
}

/* Appends the cells (n of them, each followed by a comma) to line[*len]
 * when the whole fits in size, leaving room for the end. The cells are
 * ones add_guarded_cells() writes as they are. */
static bool line_add(char *line, size_t size, size_t *len,
                     const char *const *cells, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        size_t l = strlen(cells[j]);
        if (*len + l + 2 > size)
            return false;
        memcpy(line + *len, cells[j], l);
        *len += l;
        line[(*len)++] = ',';
    }
    return true;
}

/* The CSV rows of the projections, written straight to out (no table of
 * cells between: at 3M observations that table was 600,000 rows of 15
 * cells), the same text alm_view_write() would give; or, when t is not
 * NULL, added to t without as_of (for JSON). With as_of NULL (not known
 * yet), each record lacks its last field and line end and ends with a
 * hole of ALM_VIEW_FIT_HOLE NUL bytes instead (alm_view_fit_csv_date puts
 * both in). */
static const char hole[ALM_VIEW_FIT_HOLE]; /* NUL bytes */

static enum alm_status csv_rows(const struct alm_dataset *ds,
                                const struct alm_projection *p, size_t n,
                                double level, const char *as_of,
                                struct alm_table *t, struct alm_buf *out)
{
    struct alm_buf scratch = ALM_BUF_INIT, head = ALM_BUF_INIT,
                   tail = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    char lv[32];
    alm_format_double(level, lv, sizeof lv);
    for (size_t k = 0; k < n && st == ALM_OK; k++) {
        const struct alm_projection *pr = &p[k];
        char model[32] = "", runner[32] = "", count[32], sc[40] = "",
             rsc[40] = "";
        if (pr->fitted) {
            alm_model_format(&pr->fit.model, model, sizeof model);
            if (pr->fit.chosen && pr->fit.runner_up.model != ALM_MODEL_AUTO)
                alm_model_format(&pr->fit.runner_up, runner, sizeof runner);
            num_csv(pr->fit.score, sc, sizeof sc);
            num_csv(pr->fit.runner_up_score, rsc, sizeof rsc);
        }
        count_text(pr->n, count);
        /* The cells every row of the series shares, before and after the
         * row's own, guarded once: "id,model,n," and ",note,as_of" with
         * the record's end. */
        if (!t) {
            const char *hc[] = {ds->ind[pr->ind].id, model, count};
            const char *tc[] = {pr->note, as_of};
            alm_buf_reset(&head);
            alm_buf_reset(&tail);
            st = add_guarded_cells(&head, hc, 3, &scratch);
            if (st == ALM_OK)
                st = alm_buf_putc(&head, ',');
            if (st == ALM_OK)
                st = alm_buf_putc(&tail, ',');
            if (st == ALM_OK)
                st = add_guarded_cells(&tail, tc, as_of ? 2 : 1, &scratch);
            if (st == ALM_OK)
                st = as_of ? alm_buf_putc(&tail, '\n')
                           : alm_buf_add(&tail, hole, ALM_VIEW_FIT_HOLE);
        }
        size_t rows = pr->nrows ? pr->nrows : 1;
        for (size_t i = 0; i < rows && st == ALM_OK; i++) {
            char per[ALM_PERIOD_TEXT_MAX] = "", v[40] = "", lo[40] = "",
                 hi[40] = "", tt[40] = "";
            char flags[200] = "";
            if (pr->nrows) {
                const struct alm_projection_row *r = &pr->rows[i];
                alm_period_format(&r->period, per, sizeof per);
                num_csv(r->f.value, v, sizeof v);
                num_csv(r->f.lower, lo, sizeof lo);
                num_csv(r->f.upper, hi, sizeof hi);
                num_csv(r->t, tt, sizeof tt);
                alm_projection_row_flag(r, flags, sizeof flags);
            }
            const char *cells[] = {ds->ind[pr->ind].id,
                                   model,
                                   count,
                                   per,
                                   v,
                                   lo,
                                   hi,
                                   lv,
                                   tt,
                                   runner,
                                   sc,
                                   rsc,
                                   flags,
                                   pr->note,
                                   as_of};
            size_t ncells = sizeof cells / sizeof *cells;
            if (t) {
                st = alm_table_add_cells(t, cells);
                continue;
            }
            /* The row's own cells, from the period to the flags: numbers
             * and model names are written as they are, so the line is
             * put together here and added at once, unless the period or
             * the flags need guarding or quoting. */
            char line[512];
            size_t len = 0;
            if (cell_plain(per) && (!flags[0] || cell_plain(flags)) &&
                line_add(line, sizeof line, &len, cells + 3, 10)) {
                len--; /* the comma after the flags is the tail's */
                st = alm_buf_add(out, head.s, head.len);
                if (st == ALM_OK)
                    st = alm_buf_add(out, line, len);
                if (st == ALM_OK)
                    st = alm_buf_add(out, tail.s, tail.len);
            } else {
                st = as_of ? add_guarded_record(out, cells, ncells, '\n',
                                                &scratch)
                           : add_guarded_record(out, cells, ncells - 1, '\0',
                                                &scratch);
            }
        }
    }
    alm_buf_release(&scratch);
    alm_buf_release(&head);
    alm_buf_release(&tail);
    return st;
}

enum alm_status alm_projection_words(const struct alm_projection *pr,
                                     const char *indent, struct alm_buf *out)
{
    const struct alm_fit *f = &pr->fit;
    char b[40], s[40], r2[40], model[32];
    char p0[ALM_PERIOD_TEXT_MAX], p1[ALM_PERIOD_TEXT_MAX];
    alm_model_format(&f->model, model, sizeof model);
    alm_period_format(&pr->first, p0, sizeof p0);
    alm_period_format(&pr->last, p1, sizeof p1);
    alm_buf_printf(out, "%smodel %s, %zu points %s to %s", indent, model, pr->n,
                   p0, p1);
    if (f->chosen && f->runner_up.model != ALM_MODEL_AUTO) {
        char runner[32], a[40];
        alm_model_format(&f->runner_up, runner, sizeof runner);
        alm_format_people(f->score, a, sizeof a);
        alm_format_people(f->runner_up_score, b, sizeof b);
        alm_buf_printf(out, "; chosen by auto over %s (one-step MAE %s vs %s)",
                       runner, a, b);
    }
    alm_format_people(f->sigma, s, sizeof s);
    alm_format_people(f->r_squared, r2, sizeof r2);
    enum alm_model m = f->model.model;
    switch (m) {
    case ALM_MODEL_LINEAR:
    case ALM_MODEL_LOGISTIC:
        alm_format_people(f->coef[1], b, sizeof b);
        alm_buf_printf(out, "\n%s%s %s a year", indent,
                       m == ALM_MODEL_LINEAR ? "slope" : "logit slope", b);
        break;
    case ALM_MODEL_LOGLINEAR:
        alm_format_people(100 * expm1(f->coef[1]), b, sizeof b);
        alm_buf_printf(out, "\n%sgrowth %s%% a year", indent, b);
        break;
    case ALM_MODEL_MEAN:
        alm_format_people(f->coef[0], b, sizeof b);
        alm_buf_printf(out, "\n%smean %s", indent, b);
        break;
    case ALM_MODEL_DRIFT:
    case ALM_MODEL_THEIL_SEN:
        alm_format_people(f->coef[m == ALM_MODEL_DRIFT ? 0 : 1], b, sizeof b);
        alm_buf_printf(out, "\n%s%s %s a year", indent,
                       m == ALM_MODEL_DRIFT ? "drift" : "slope", b);
        break;
    default:
        alm_buf_printf(out, "\n%sdegree %u in (t - %g) / %g", indent,
                       f->model.degree, f->centre, f->scale);
        break;
    }
    if (s[0])
        alm_buf_printf(out, "; residual SD %s%s", s,
                       m == ALM_MODEL_LOGLINEAR  ? " (log)"
                       : m == ALM_MODEL_LOGISTIC ? " (logit)"
                                                 : "");
    if (r2[0])
        alm_buf_printf(out, "; R-squared %s", r2);
    alm_buf_putc(out, '\n');
    return alm_buf_status(out);
}

/* A projection's rows as an aligned table, indented under its
 * indicator. */
static enum alm_status rows_block(const struct alm_projection *pr,
                                  struct alm_buf *out)
{
    static const char *const h[] = {"period", "value", "lower", "upper", ""};
    struct alm_table *t = alm_table_new("fit", 5, h);
    if (!t)
        return ALM_ENOMEM;
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < pr->nrows && st == ALM_OK; i++) {
        const struct alm_projection_row *r = &pr->rows[i];
        char per[ALM_PERIOD_TEXT_MAX], v[40], lo[40], hi[40];
        alm_period_format(&r->period, per, sizeof per);
        alm_format_people(r->f.value, v, sizeof v);
        alm_format_people(r->f.lower, lo, sizeof lo);
        alm_format_people(r->f.upper, hi, sizeof hi);
        char flag[200] = "", paren[204] = "";
        alm_projection_row_flag(r, flag, sizeof flag);
        if (flag[0])
            snprintf(paren, sizeof paren, "(%s)", flag);
        const char *cells[] = {per, v, lo, hi, paren};
        st = alm_table_add_cells(t, cells);
    }
    struct alm_buf block = ALM_BUF_INIT;
    if (st == ALM_OK)
        st = alm_table_format_text(t, &block);
    for (size_t i = 0; i < block.len && st == ALM_OK; i++) {
        if (i == 0 || block.s[i - 1] == '\n')
            alm_buf_puts(out, "  ");
        alm_buf_putc(out, block.s[i]);
    }
    alm_buf_release(&block);
    alm_table_free(t);
    return st == ALM_OK ? alm_buf_status(out) : st;
}

static enum alm_status text_blocks(const struct alm_dataset *ds,
                                   const struct alm_projection *p, size_t n,
                                   struct alm_buf *out)
{
    enum alm_status st = ALM_OK;
    for (size_t k = 0; k < n && st == ALM_OK; k++) {
        const struct alm_projection *pr = &p[k];
        const struct alm_indicator *in = &ds->ind[pr->ind];
        alm_buf_printf(out, "\n%s: %s (%s)\n", in->id, in->title,
                       in->unit[0] ? in->unit : "no unit");
        if (pr->fitted)
            alm_projection_words(pr, "  ", out);
        if (pr->note[0])
            alm_buf_printf(out, "  note: %s\n", pr->note);
        st = pr->nrows ? rows_block(pr, out) : alm_buf_status(out);
    }
    return st;
}

enum alm_status alm_view_fit_table(const struct alm_dataset *ds,
                                   const struct alm_projection *p, size_t n,
                                   double level, struct alm_table **out)
{
    static const char *const h[] = {
        "indicator", "model",           "n",     "period", "value",
        "lower",     "upper",           "level", "t",      "runner_up",
        "score",     "runner_up_score", "flags", "note"};
    struct alm_table *t = alm_table_new("fit", 14, h);
    enum alm_status st =
        t ? alm_table_set_types(t, "ttntnnnnntnntt") : ALM_ENOMEM;
    if (st == ALM_OK)
        st = csv_rows(ds, p, n, level, "", t, NULL);
    if (st != ALM_OK) {
        alm_table_free(t);
        return ALM_ENOMEM;
    }
    *out = t;
    return ALM_OK;
}

/* The projections as JSON: the CSV's rows in a table, the model in the
 * header when every fit used the same one. */
static enum alm_status json_rows(const struct alm_dataset *ds,
                                 const struct alm_projection *p, size_t n,
                                 long as_of, double level, struct alm_buf *out)
{
    struct alm_table *t = NULL;
    enum alm_status st = alm_view_fit_table(ds, p, n, level, &t);
    char model[32] = "", other[32];
    for (size_t k = 0; k < n; k++) {
        if (!p[k].fitted)
            continue;
        alm_model_format(&p[k].fit.model, other, sizeof other);
        if (!model[0])
            alm__copy(model, sizeof model, other);
        else if (strcmp(model, other) != 0)
            alm__copy(model, sizeof model, "(per row)");
    }
    const struct alm_view_head head = {.as_of = as_of,
                                       .has_as_of = true,
                                       .model = model[0] ? model : NULL,
                                       .level = level};
    if (st == ALM_OK)
        st = alm_table_format_json(t, &head, out);
    alm_table_free(t);
    return st;
}

enum alm_status alm_view_fit(const struct alm_dataset *ds,
                             const struct alm_projection *p, size_t n,
                             enum alm_format f, long as_of, double level,
                             struct alm_buf *out)
{
    if (f == ALM_FORMAT_TABLE) {
        char date[32], lv[32];
        alm_as_of_format(as_of, date, sizeof date);
        alm_format_double(level, lv, sizeof lv);
        size_t from = out->len;
        if (alm_buf_printf(out, "as of %s; %s%% prediction intervals\n", date,
                           lv) != ALM_OK)
            return ALM_ENOMEM;
        enum alm_status st = text_blocks(ds, p, n, out);
        return st == ALM_OK ? alm_text_escape_controls(out, from) : st;
    }
    if (f == ALM_FORMAT_JSON)
        return json_rows(ds, p, n, as_of, level, out);
    if (alm_view_fit_csv_head(out) != ALM_OK)
        return ALM_ENOMEM;
    char date[32];
    alm_as_of_format(as_of, date, sizeof date);
    return csv_rows(ds, p, n, level, date, NULL, out);
}

enum alm_status alm_view_fit_csv_head(struct alm_buf *out)
{
    /* The columns of alm_view_write(): the table's, then as_of. */
    return alm_buf_puts(out, "indicator,model,n,period,value,lower,upper,level,"
                             "t,runner_up,score,runner_up_score,flags,note,"
                             "as_of\n");
}

enum alm_status alm_view_fit_csv_rows(const struct alm_dataset *ds,
                                      const struct alm_projection *p,
                                      double level, const long *as_of,
                                      struct alm_buf *out)
{
    char date[32];
    if (as_of)
        alm_as_of_format(*as_of, date, sizeof date);
    return csv_rows(ds, p, 1, level, as_of ? date : NULL, NULL, out);
}

enum alm_status alm_view_fit_csv_date(char *text, size_t len, long as_of,
                                      size_t *filled, size_t *used)
{
    char date[32];
    const char *cell[] = {date};
    struct alm_buf end = ALM_BUF_INIT, scratch = ALM_BUF_INIT;
    alm_as_of_format(as_of, date, sizeof date);
    /* The last field as add_guarded_record writes it, after its comma. */
    enum alm_status st = alm_buf_putc(&end, ',');
    if (st == ALM_OK)
        st = add_guarded_record(&end, cell, 1, '\n', &scratch);
    if (st == ALM_OK && end.len > ALM_VIEW_FIT_HOLE)
        st = ALM_EINPUT; /* no date is that long: ALM_DATE_NONE is "unknown" */
    size_t r = 0, w = 0;
    while (st == ALM_OK && r < len) {
        const char *nul = memchr(text + r, '\0', len - r);
        size_t n = nul ? (size_t)(nul - text) - r : len - r;
        memmove(text + w, text + r, n);
        w += n;
        r += n;
        if (!nul || r + ALM_VIEW_FIT_HOLE > len)
            break; /* the end, or a hole cut short: the next block's */
        memcpy(text + w, end.s, end.len);
        w += end.len;
        r += ALM_VIEW_FIT_HOLE;
    }
    *filled = w;
    *used = r;
    alm_buf_release(&end);
    alm_buf_release(&scratch);
    return st;
}
