/* The result of regress for people and in CSV (alm_regress_write): the
 * presentation half of regress, apart from the fit in regress.c. */
#include <math.h>
#include <stdio.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/regress.h>
#include <almanac/view.h>

#include "internal.h"

/* Appends x for CSV: shortest round-trip form, or nothing for NaN. */
static enum alm_status add_number(struct alm_buf *out, double x)
{
    return isnan(x) ? ALM_OK : alm_buf_add_double(out, x);
}

static enum alm_status write_csv(const struct alm_regress *r,
                                 struct alm_buf *out)
{
    enum alm_status st = alm_buf_puts(out, "term,estimate,std_error\n");
    for (size_t j = 0; j < r->p && st == ALM_OK; j++) {
        st = alm_csv_add_field(out, r->terms[j]);
        if (st == ALM_OK)
            st = alm_buf_putc(out, ',');
        if (st == ALM_OK)
            st = add_number(out, r->coef[j]);
        if (st == ALM_OK)
            st = alm_buf_putc(out, ',');
        if (st == ALM_OK)
            st = add_number(out, r->se[j]);
        if (st == ALM_OK)
            st = alm_buf_putc(out, '\n');
    }
    if (st == ALM_OK)
        st = alm_buf_puts(out, "sigma,");
    if (st == ALM_OK)
        st = add_number(out, r->sigma);
    if (st == ALM_OK)
        st = alm_buf_puts(out, ",\nr.squared,");
    if (st == ALM_OK)
        st = add_number(out, r->r_squared);
    if (st == ALM_OK)
        st = alm_buf_puts(out, ",\n");
    return st;
}

/* Writes x with 10 significant digits for people, or "" for NaN. */
static void people_number(double x, char *out, size_t size)
{
    if (isnan(x))
        out[0] = '\0';
    else
        snprintf(out, size, "%.10g", x);
}

/* Appends "label      value" (no trailing spaces when value is NaN). */
static enum alm_status summary_line(struct alm_buf *out, const char *label,
                                    double x)
{
    char num[40];
    people_number(x, num, sizeof num);
    if (!num[0])
        return alm_buf_printf(out, "%s\n", label);
    return alm_buf_printf(out, "%-9s  %s\n", label, num);
}

static enum alm_status write_text(const struct alm_regress *r,
                                  struct alm_buf *out)
{
    static const char *const header[] = {"term", "estimate", "std_error"};
    char num[40];
    struct alm_table *t = alm_table_new("regress", 3, header);
    enum alm_status st = t ? ALM_OK : ALM_ENOMEM;
    for (size_t j = 0; j < r->p && st == ALM_OK; j++) {
        st = alm_table_add_row(t, 0);
        if (st == ALM_OK)
            st = alm_table_set(t, j, 0, r->terms[j]);
        people_number(r->coef[j], num, sizeof num);
        if (st == ALM_OK)
            st = alm_table_set(t, j, 1, num);
        people_number(r->se[j], num, sizeof num);
        if (st == ALM_OK)
            st = alm_table_set(t, j, 2, num);
    }
    if (st == ALM_OK)
        st = alm_table_format_text(t, out);
    alm_table_free(t);
    if (st == ALM_OK)
        st = alm_buf_putc(out, '\n');
    if (st == ALM_OK)
        st = summary_line(out, "sigma", r->sigma);
    if (st == ALM_OK)
        st = summary_line(out, "r.squared", r->r_squared);
    if (st == ALM_OK)
        st = alm_buf_printf(out, "n          %zu\n", r->n);
    if (st == ALM_OK && isnan(r->sigma))
        st = alm_buf_puts(out, "an exact fit (as many coefficients as "
                               "observations): no degree of freedom is left "
                               "for sigma and the standard errors\n");
    return st;
}

/* Sets the last row of t: term, x and (unless NaN) y in the shortest
 * round-trip form. */
static enum alm_status json_row(struct alm_table *t, const char *term, double x,
                                double y)
{
    char a[40] = "", b[40] = "";
    if (!isnan(x))
        alm_format_double(x, a, sizeof a);
    if (!isnan(y))
        alm_format_double(y, b, sizeof b);
    const char *cells[] = {term, a, b};
    return alm_table_add_cells(t, cells);
}

/* The rows of the CSV, as a table written in JSON. */
static enum alm_status write_json(const struct alm_regress *r,
                                  struct alm_buf *out)
{
    static const char *const header[] = {"term", "estimate", "std_error"};
    struct alm_table *t = alm_table_new("regress", 3, header);
    enum alm_status st = t ? alm_table_set_types(t, "tnn") : ALM_ENOMEM;
    for (size_t j = 0; j < r->p && st == ALM_OK; j++)
        st = json_row(t, r->terms[j], r->coef[j], r->se[j]);
    if (st == ALM_OK)
        st = json_row(t, "sigma", r->sigma, NAN);
    if (st == ALM_OK)
        st = json_row(t, "r.squared", r->r_squared, NAN);
    const struct alm_view_head head = {.has_as_of = false, .level = NAN};
    if (st == ALM_OK)
        st = alm_table_format_json(t, &head, out);
    alm_table_free(t);
    return st;
}

enum alm_status alm_regress_write(const struct alm_regress *r,
                                  enum alm_format f, struct alm_buf *out)
{
    if (f == ALM_FORMAT_JSON)
        return write_json(r, out);
    return f == ALM_FORMAT_CSV ? write_csv(r, out) : write_text(r, out);
}
