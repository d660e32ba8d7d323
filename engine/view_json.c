/* JSON output of tables (alm_table_format_json), through jansson: one
 * object per row, numbers as numbers, a header object. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/period.h>
#include <almanac/utf8.h>
#include <almanac/view.h>

#include "internal.h"

/* Whether text is written as an integer: digits, an optional sign, no
 * point or exponent, and within a JSON integer's reach. */
static bool integer_text(const char *text, json_int_t *out)
{
    const char *p = text + (text[0] == '-' || text[0] == '+');
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 15)
        return false;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    *out = (json_int_t)v;
    return errno == 0;
}

/* Raises *prec to the fewest significant digits (1 to 17) at which "%.*g"
 * reads back as x: jansson writes every real of a document at one
 * precision, and 17 for all would write 7.6 as 7.5999999999999996. */
static void need_precision(double x, int *prec)
{
    char b[40];
    for (; *prec < 17; (*prec)++) {
        snprintf(b, sizeof b, "%.*g", *prec, x);
        if (strtod(b, NULL) == x)
            return;
    }
}

/* The JSON value of cell text in a column of type type, raising *prec for
 * a real: NULL when out of memory. */
static json_t *cell_value(const char *text, char type, int *prec)
{
    double x;
    json_int_t i;
    if (!text[0])
        return json_null();
    if (type == ALM_COL_NUMBER && integer_text(text, &i))
        return json_integer(i);
    if (type == ALM_COL_NUMBER && alm__parse_number(text, &x, NULL) == ALM_OK &&
        isfinite(x)) {
        need_precision(x, prec);
        return json_real(x);
    }
    if (alm_utf8_valid(text, strlen(text)))
        return json_string(text);
    /* jansson refuses text that is not UTF-8: each bad byte becomes
     * U+FFFD, the rest is kept. */
    struct alm_buf b = ALM_BUF_INIT;
    size_t len;
    for (const char *p = text; *p; p += len) {
        unsigned c = alm_utf8_decode(p, &len);
        if (c == ALM_UTF8_BAD && len == 1)
            alm_buf_puts(&b, "\xEF\xBF\xBD");
        else
            alm_buf_add(&b, p, len);
    }
    json_t *s = alm_buf_status(&b) == ALM_OK ? json_string(b.s) : NULL;
    alm_buf_release(&b);
    return s;
}

/* The header object of t. */
static json_t *head_object(const struct alm_table *t,
                           const struct alm_view_head *h, int *prec)
{
    json_t *o = json_object();
    if (!o || json_object_set_new(o, "table", json_string(t->name)) != 0)
        goto fail;
    if (h && h->has_as_of) {
        char date[32];
        json_t *d = json_null();
        if (h->as_of != ALM_DATE_NONE) {
            alm_date_format(h->as_of, date, sizeof date);
            d = json_string(date);
        }
        if (json_object_set_new(o, "as_of", d) != 0)
            goto fail;
    }
    if (h && h->model &&
        json_object_set_new(o, "model", json_string(h->model)) != 0)
        goto fail;
    if (h && !isnan(h->level)) {
        char lv[40];
        alm_format_double(h->level, lv, sizeof lv);
        if (json_object_set_new(o, "level",
                                cell_value(lv, ALM_COL_NUMBER, prec)) != 0)
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* The rows of t as an array of objects. */
static json_t *row_array(const struct alm_table *t, int *prec)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < t->nrows; i++) {
        json_t *row = json_object();
        if (!row || json_array_append_new(rows, row) != 0)
            goto fail;
        for (size_t j = 0; j < t->ncols; j++) {
            const char *name = t->header[j];
            json_t *v = cell_value(alm_table_cell(t, i, (long)j),
                                   alm_table_col_type(t, j), prec);
            /* json_object_set_new takes v even when it fails. */
            if (!v || json_object_set_new(row, name, v) != 0)
                goto fail;
        }
    }
    return rows;
fail:
    json_decref(rows);
    return NULL;
}

enum alm_status alm_table_format_json(const struct alm_table *t,
                                      const struct alm_view_head *head,
                                      struct alm_buf *out)
{
    json_t *doc = json_object();
    int prec = 1;
    json_t *h = head_object(t, head, &prec);
    json_t *rows = row_array(t, &prec);
    char *text = NULL;
    enum alm_status st = ALM_ENOMEM;
    /* json_object_set_new() owns its value from the call on, failing or
     * not. */
    if (doc && h && rows) {
        int bad = json_object_set_new(doc, "header", h);
        bad |= json_object_set_new(doc, "rows", rows);
        h = rows = NULL;
        if (!bad)
            text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(prec));
    }
    if (text && alm_buf_puts(out, text) == ALM_OK &&
        alm_buf_putc(out, '\n') == ALM_OK)
        st = ALM_OK;
    free(text);
    json_decref(h);
    json_decref(rows);
    json_decref(doc);
    return st;
}
