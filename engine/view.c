/* Views: list, show and export tables, and the aligned-text writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/derive.h>
#include <almanac/period.h>
#include <almanac/utf8.h>
#include <almanac/view.h>

#include "internal.h"
#include "scan.h"

enum alm_status alm_format_parse(const char *text, enum alm_format *out,
                                 struct alm_error *err)
{
    char q[80];
    if (strcmp(text, "table") == 0) {
        *out = ALM_FORMAT_TABLE;
        return ALM_OK;
    }
    if (strcmp(text, "csv") == 0) {
        *out = ALM_FORMAT_CSV;
        return ALM_OK;
    }
    if (strcmp(text, "json") == 0) {
        *out = ALM_FORMAT_JSON;
        return ALM_OK;
    }
    alm_fail(err, ALM_EINPUT,
             "unknown format '%s': expected table, csv or json",
             alm_error_quote(text, q, sizeof q));
    alm_error_locate(err, NULL, 0, "--format");
    return ALM_EINPUT;
}

/* The escape shown for control character c (C0 but line breaks and tabs,
 * DEL, C1), written into out (at least 8 bytes); false for others. A
 * terminal would run them: ESC starts escape sequences that set the
 * window title, clear the screen or remap keys. */
static bool control_escape(unsigned c, char *out)
{
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
        snprintf(out, 8, "\\x%02X", c);
        return true;
    }
    if (c >= 0x80 && c <= 0x9F) {
        snprintf(out, 8, "\\u%04X", c);
        return true;
    }
    return false;
}

static size_t text_width(const char *s)
{
    size_t w = 0, len;
    char esc[8];
    for (const char *p = s; *p; p += len) {
        unsigned c = alm_utf8_decode(p, &len);
        w += control_escape(c, esc) ? strlen(esc) : alm_utf8_width(c);
    }
    return w;
}

static bool is_number(const char *s)
{
    double x;
    return *s && alm__parse_number(s, &x, NULL) == ALM_OK;
}

/* Appends s with line breaks and tabs shown as spaces and other control
 * characters escaped ("\x1B"). */
static void add_flat(struct alm_buf *out, const char *s)
{
    size_t len;
    char esc[8];
    for (const char *p = s; *p; p += len) {
        unsigned c = alm_utf8_decode(p, &len);
        if (c == '\n' || c == '\r' || c == '\t')
            alm_buf_putc(out, ' ');
        else if (control_escape(c, esc))
            alm_buf_puts(out, esc);
        else
            alm_buf_add(out, p, len);
    }
}

enum alm_status alm_text_escape_controls(struct alm_buf *out, size_t from)
{
    if (alm_buf_status(out) != ALM_OK)
        return ALM_ENOMEM;
    if (from >= out->len)
        return ALM_OK;
    struct alm_buf b = ALM_BUF_INIT;
    size_t len;
    char esc[8];
    for (const char *p = out->s + from; *p; p += len) {
        unsigned c = alm_utf8_decode(p, &len);
        if (c == '\r')
            alm_buf_putc(&b, ' ');
        else if (control_escape(c, esc))
            alm_buf_puts(&b, esc);
        else
            alm_buf_add(&b, p, len);
    }
    enum alm_status st = alm_buf_status(&b);
    if (st == ALM_OK) {
        out->len = from;
        out->s[from] = '\0';
        st = alm_buf_add(out, b.s ? b.s : "", b.len);
    }
    alm_buf_release(&b);
    return st;
}

static void pad(struct alm_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        alm_buf_putc(out, ' ');
}

enum alm_status alm_table_format_text(const struct alm_table *t,
                                      struct alm_buf *out)
{
    size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
    bool *numeric = calloc(t->ncols ? t->ncols : 1, sizeof *numeric);
    if (!width || !numeric) {
        free(width);
        free(numeric);
        return ALM_ENOMEM;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        width[j] = text_width(t->header[j]);
        numeric[j] = t->nrows > 0;
        for (size_t i = 0; i < t->nrows; i++) {
            const char *c = alm_table_cell(t, i, (long)j);
            size_t w = text_width(c);
            if (w > width[j])
                width[j] = w;
            if (*c && !is_number(c))
                numeric[j] = false;
        }
    }
    for (size_t i = 0; i <= t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            const char *c =
                i == 0 ? t->header[j] : alm_table_cell(t, i - 1, (long)j);
            size_t gap = width[j] - text_width(c);
            if (j > 0)
                alm_buf_puts(out, "  ");
            if (numeric[j])
                pad(out, gap);
            add_flat(out, c);
            if (!numeric[j] && j + 1 < t->ncols)
                pad(out, gap);
        }
        /* No trailing spaces. */
        while (alm_buf_status(out) == ALM_OK && out->len > 0 &&
               out->s[out->len - 1] == ' ')
            out->s[--out->len] = '\0';
        alm_buf_putc(out, '\n');
    }
    free(width);
    free(numeric);
    return alm_buf_status(out);
}

enum alm_status alm_table_add_cells(struct alm_table *t,
                                    const char *const *cells)
{
    enum alm_status st = alm_table_add_row(t, 0);
    for (size_t j = 0; j < t->ncols && st == ALM_OK; j++)
        if (cells[j] && cells[j][0])
            st = alm_table_set(t, t->nrows - 1, j, cells[j]);
    return st;
}

enum alm_status alm_table_write(const struct alm_table *t, enum alm_format f,
                                struct alm_buf *out)
{
    if (f == ALM_FORMAT_JSON)
        return alm_table_format_json(t, NULL, out);
    return f == ALM_FORMAT_CSV ? alm_table_format_guarded(t, out)
                               : alm_table_format_text(t, out);
}

void alm_as_of_format(long as_of, char *out, size_t size)
{
    if (as_of == ALM_DATE_NONE)
        snprintf(out, size, "unknown");
    else
        alm_date_format(as_of, out, size);
}

/* Fills the last row of t from the given cells (ncols of them). */
static enum alm_status fill_row(struct alm_table *t, const char *const *cells)
{
    if (alm_table_add_row(t, 0) != ALM_OK)
        return ALM_ENOMEM;
    for (size_t j = 0; j < t->ncols; j++)
        if (cells[j] && cells[j][0] &&
            alm_table_set(t, t->nrows - 1, j, cells[j]) != ALM_OK)
            return ALM_ENOMEM;
    return ALM_OK;
}

/* The vintage of an observation as text: its own, else its source's date
 * (written "YYYY-MM-DD" of the last day), else empty. */
static void vintage_text(const struct alm_dataset *ds, const struct alm_obs *o,
                         char *out, size_t size)
{
    const char *own = alm_obs_cell(ds, o, "vintage");
    if (own[0])
        alm__copy(out, size, own);
    else if (o->vintage != ALM_DATE_NONE)
        alm_date_format(o->vintage, out, size);
    else
        out[0] = '\0';
}

/* The table of list, without rows: csv for the columns of CSV and
 * JSON. */
static struct alm_table *list_table(bool csv)
{
    static const char *const hcsv[] = {
        "indicator", "title",     "unit",   "kind",    "frequency", "period",
        "value",     "qualifier", "status", "vintage", "source"};
    static const char *const htext[] = {"indicator", "period",  "value", "unit",
                                        "status",    "vintage", "source"};
    struct alm_table *t =
        csv ? alm_table_new("list", 11, hcsv) : alm_table_new("list", 7, htext);
    if (t &&
        alm_table_set_types(t, csv ? "ttttttnttdt" : "ttttttt") != ALM_OK) {
        alm_table_free(t);
        t = NULL;
    }
    return t;
}

/* Where the cells of list's rows go: a new row of table t, or, from a
 * worker of the stream, the text of its stretch, each cell ended by a
 * NUL (add_rows puts them in the table). */
struct row_to {
    struct alm_table *t;
    struct alm_buf *text;
};

static enum alm_status put_row(const struct row_to *to,
                               const char *const *cells, size_t n)
{
    if (to->t)
        return fill_row(to->t, cells);
    enum alm_status st = ALM_OK;
    for (size_t j = 0; j < n && st == ALM_OK; j++)
        st = alm_buf_add(to->text, cells[j], strlen(cells[j]) + 1);
    return st;
}

/* The rows of text[0..len) from put_row, added to t. */
static enum alm_status add_rows(struct alm_table *t, const char *text,
                                size_t len)
{
    const char *cells[11];
    enum alm_status st = ALM_OK;
    for (size_t at = 0; at < len && st == ALM_OK;) {
        for (size_t j = 0; j < t->ncols; j++) {
            cells[j] = text + at;
            at += strlen(cells[j]) + 1;
        }
        st = fill_row(t, cells);
    }
    return st;
}

/* The row of indicator k of ds in list's table, to `to`. */
static enum alm_status list_row(const struct row_to *to,
                                const struct alm_dataset *ds, size_t k,
                                long as_of, bool csv)
{
    const struct alm_indicator *in = &ds->ind[k];
    size_t *idx = NULL, n = 0;
    char period[ALM_PERIOD_TEXT_MAX] = "", vin[32] = "", freq[2] = {0};
    char value[160] = "";
    const struct alm_obs *o = NULL;
    freq[0] = in->freq;
    enum alm_status st =
        alm_dataset_series(ds, k, as_of, false, &idx, &n, NULL);
    if (st != ALM_OK)
        return st;
    if (n > 0) {
        o = &ds->obs[idx[n - 1]];
        alm__copy(period, sizeof period, alm_obs_cell(ds, o, "period"));
        vintage_text(ds, o, vin, sizeof vin);
        snprintf(value, sizeof value, "%s%s", alm_qualifier_text(o->qual),
                 o->value_text);
    }
    char status[2] = {o ? o->status : 0, 0};
    const char *src = o ? o->source : "";
    if (csv) {
        const char *cells[] = {in->id,
                               in->title,
                               in->unit,
                               alm_kind_name(in->kind),
                               freq,
                               period,
                               o ? o->value_text : "",
                               o ? alm_qualifier_text(o->qual) : "",
                               status,
                               vin,
                               src};
        st = put_row(to, cells, sizeof cells / sizeof *cells);
    } else {
        /* A derived indicator says so (its title, which says it in
         * CSV, is not in this table). */
        const struct alm_dataset *od = alm_derive_origin(ds);
        long ok = alm_dataset_find_indicator(od, in->id);
        char id[160];
        snprintf(id, sizeof id, "%s%s", in->id,
                 ok >= 0 && alm_derive_is(od, (size_t)ok) ? " (derived)" : "");
        const char *cells[] = {id, period, value, in->unit, status, vin, src};
        st = put_row(to, cells, sizeof cells / sizeof *cells);
    }
    free(idx);
    return st;
}

enum alm_status alm_view_list(const struct alm_dataset *ds, long as_of,
                              enum alm_format f, struct alm_table **out)
{
    bool csv = f != ALM_FORMAT_TABLE;
    struct alm_table *t = list_table(csv);
    enum alm_status st = t ? ALM_OK : ALM_ENOMEM;
    const struct row_to to = {t, NULL};
    for (size_t k = 0; k < ds->nind && st == ALM_OK; k++)
        st = list_row(&to, ds, k, as_of, csv);
    if (st != ALM_OK) {
        alm_table_free(t);
        return ALM_ENOMEM;
    }
    *out = t;
    return ALM_OK;
}

/* list's table as the dataset is read (alm_view_list_dataset). */
struct listed {
    struct alm_table *t;
    long as_of;
    bool csv;
};

/* Indicator k's row on a worker of the stream, into its stretch's text. */
static enum alm_status list_one(void *ctx, struct alm_dataset *ds, size_t k,
                                struct alm_buf *out)
{
    const struct listed *c = ctx;
    const struct row_to to = {NULL, out};
    return list_row(&to, ds, k, c->as_of, c->csv);
}

/* The stretches' rows, in order. */
static enum alm_status list_text(void *ctx, struct alm_buf *text, size_t n)
{
    struct listed *c = ctx;
    (void)n;
    return add_rows(c->t, text->s, text->len);
}

bool alm_view_list_dataset(const char *dir, const char *as_of_text,
                           enum alm_format f, struct alm_table **out,
                           long *as_of)
{
    struct alm__stream *s = NULL;
    struct listed c = {.csv = f != ALM_FORMAT_TABLE};
    if (!alm__scan_open(dir, as_of_text, &s, &c.as_of))
        return false;
    c.t = list_table(c.csv);
    /* The workers read c, as it is, and change nothing of it. */
    void *const ctxs[2] = {&c, &c};
    enum alm_status st =
        c.t ? alm__stream_run_parallel(s, list_one, ctxs, list_text, &c)
            : ALM_ENOMEM;
    /* Without a date, the latest vintage of the whole dataset, known at
     * its end. */
    *as_of =
        c.as_of != ALM_DATE_NONE ? c.as_of : alm__stream_dataset(s)->latest;
    alm__stream_close(s, NULL);
    if (st != ALM_OK) {
        alm_table_free(c.t);
        return false;
    }
    *out = c.t;
    return true;
}

/* The cells of show --vintages about an amendment: what it does, when it
 * was recorded, why (empty for a figure). */
static void amend_cells(const struct alm_dataset *ds, const struct alm_obs *o,
                        const char **what, char *rec, size_t size,
                        const char **why)
{
    *what = o->amend == ALM_AMEND_CORRECT   ? "correct"
            : o->amend == ALM_AMEND_RETRACT ? "retract"
                                            : "";
    rec[0] = '\0';
    if (o->amend)
        alm_date_format(alm_obs_recorded(ds, o), rec, size);
    *why = o->amend ? alm_obs_cell(ds, o, "note") : "";
}

enum alm_status alm_view_show(const struct alm_dataset *ds, size_t ind,
                              long as_of, bool all_vintages,
                              struct alm_table **out, struct alm_error *err)
{
    static const char *const h[] = {
        "period", "value", "qualifier",  "status",   "vintage",
        "source", "quote", "correction", "recorded", "reason"};
    size_t *idx = NULL, n = 0, ncols = all_vintages ? 10 : 7;
    enum alm_status st =
        all_vintages ? alm_dataset_history(ds, ind, as_of, &idx, &n, err)
                     : alm_dataset_series(ds, ind, as_of, false, &idx, &n, err);
    if (st != ALM_OK)
        return st;
    struct alm_table *t = alm_table_new("show", ncols, h);
    st = t ? alm_table_set_types(t, all_vintages ? "tnttdtttdt" : "tnttdtt")
           : ALM_ENOMEM;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        const struct alm_obs *o = &ds->obs[idx[i]];
        char vin[32], rec[16], status[2] = {o->status, 0};
        const char *what, *why;
        vintage_text(ds, o, vin, sizeof vin);
        amend_cells(ds, o, &what, rec, sizeof rec, &why);
        const char *cells[] = {alm_obs_cell(ds, o, "period"),
                               o->value_text,
                               alm_qualifier_text(o->qual),
                               status,
                               vin,
                               o->source,
                               o->quote,
                               what,
                               rec,
                               why};
        st = fill_row(t, cells);
    }
    free(idx);
    if (st != ALM_OK) {
        alm_table_free(t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    *out = t;
    return ALM_OK;
}

enum alm_status alm_view_write(struct alm_table *t, enum alm_format f,
                               long as_of, struct alm_buf *out)
{
    const struct alm_view_head h = {
        .as_of = as_of, .has_as_of = true, .model = NULL, .level = NAN};
    return alm_view_write_head(t, f, &h, out);
}

enum alm_status alm_view_write_head(struct alm_table *t, enum alm_format f,
                                    const struct alm_view_head *head,
                                    struct alm_buf *out)
{
    char date[32];
    long col;
    if (f == ALM_FORMAT_JSON)
        return alm_table_format_json(t, head, out);
    alm_as_of_format(head->as_of, date, sizeof date);
    if (f == ALM_FORMAT_TABLE) {
        if (alm_buf_printf(out, "as of %s\n\n", date) != ALM_OK)
            return ALM_ENOMEM;
        return alm_table_format_text(t, out);
    }
    if (alm_table_add_column(t, "as_of", &col) != ALM_OK)
        return ALM_ENOMEM;
    for (size_t i = 0; i < t->nrows; i++)
        if (alm_table_set(t, i, (size_t)col, date) != ALM_OK)
            return ALM_ENOMEM;
    return alm_table_format_guarded(t, out);
}

/* Drops the trailing zeros of a decimal fraction, and its point. */
static void trim_zeros(char *out)
{
    if (!strchr(out, '.'))
        return;
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.')
        out[--n] = '\0';
}

/* Puts a ',' between each three digits of the integer part of out, if it
 * has 5 digits or more and the result fits in size bytes. */
static void group_digits(char *out, size_t size)
{
    size_t n = strlen(out);
    const char *dot = strchr(out, '.');
    size_t start = out[0] == '-' ? 1 : 0;
    size_t digits = (dot ? (size_t)(dot - out) : n) - start;
    if (digits < 5 || n + digits / 3 + 1 > size)
        return;
    char tmp[64];
    size_t j = 0;
    for (size_t i = 0; i < n && j + 2 < sizeof tmp; i++) {
        size_t left = start + digits - i; /* digits left in the integer */
        if (i > start && i < start + digits && left % 3 == 0)
            tmp[j++] = ',';
        tmp[j++] = out[i];
    }
    tmp[j] = '\0';
    alm__copy(out, size, tmp);
}

void alm_format_number(double x, int sig, unsigned flags, char *out,
                       size_t size)
{
    if (size == 0)
        return;
    /* log10 of 0, infinity or NaN is no int: (int) of it is undefined. */
    if (!isfinite(x)) {
        out[0] = '\0';
        return;
    }
    double a = fabs(x);
    int decimals = a > 0 && a < 1e15 ? sig - 1 - (int)floor(log10(a)) : 0;
    if (decimals < 0)
        decimals = 0;
    if (a >= 1e15 || decimals > 8 + sig - 1 - 3)
        snprintf(out, size, "%.*g", sig, x);
    else
        snprintf(out, size, "%.*f", decimals, x);
    bool expo = strchr(out, 'e') != NULL;
    if ((flags & ALM_NUM_TRIM) && !expo)
        trim_zeros(out);
    /* "-0.000" reads as a sign error. */
    if (out[0] == '-' && strspn(out, "-0.") == strlen(out))
        memmove(out, out + 1, strlen(out));
    if ((flags & ALM_NUM_GROUP) && !expo)
        group_digits(out, size);
}

void alm_format_people(double x, char *out, size_t size)
{
    alm_format_number(x, 4, 0, out, size);
}
