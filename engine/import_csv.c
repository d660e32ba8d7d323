/* Import of the CSV families: long, wide, World Bank, FRED, SDMX-CSV and
 * the ECB data portal's CSV, and the detection among them. Every CSV read
 * goes through libcsv, one physical line at a time so that every record
 * knows the line it starts on. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>

#include "import_internal.h"
#include "internal.h"

/* ---- the record reader --------------------------------------------------- */

struct rd {
    imp_record_fn fn;
    void *ctx;
    const char *name;
    struct alm_error *err;
    struct alm_buf arena; /* the current record's fields, NUL-separated */
    size_t *offs;
    size_t nf, capf;
    char **ptrs;
    size_t capp;
    long line, rec_line;
    bool in_record, failed, stop;
    size_t count, max;
    char **const *head; /* the caller's header, for messages, or NULL */
    const size_t *nhead;
};

static void rd_field(void *data, size_t len, void *ctx)
{
    struct rd *r = ctx;
    if (r->failed || r->stop)
        return;
    if (!r->in_record) {
        r->in_record = true;
        r->rec_line = r->line;
    }
    if (len > ALM_CSV_FIELD_MAX || r->nf >= ALM_CSV_COLS_MAX) {
        r->failed = true;
        const char *col =
            r->head && *r->head && r->nf < *r->nhead ? (*r->head)[r->nf] : NULL;
        if (len > ALM_CSV_FIELD_MAX && col)
            alm_fail(r->err, ALM_EINPUT,
                     "%zu bytes long; the limit is %d bytes", len,
                     ALM_CSV_FIELD_MAX);
        else if (len > ALM_CSV_FIELD_MAX)
            alm_fail(r->err, ALM_EINPUT,
                     "field %zu is %zu bytes long; the limit is %d bytes",
                     r->nf + 1, len, ALM_CSV_FIELD_MAX);
        else
            alm_fail(r->err, ALM_EINPUT, "more than %d fields in a record",
                     ALM_CSV_COLS_MAX);
        alm_error_locate(r->err, r->name, r->rec_line, col);
        return;
    }
    if (r->nf == r->capf) {
        size_t cap = r->capf ? 2 * r->capf : 32;
        size_t *p = realloc(r->offs, cap * sizeof *p);
        if (!p) {
            r->failed = true;
            alm_fail(r->err, ALM_ENOMEM, "out of memory");
            return;
        }
        r->offs = p;
        r->capf = cap;
    }
    r->offs[r->nf++] = r->arena.len;
    if ((len && alm_buf_add(&r->arena, data, len) != ALM_OK) ||
        alm_buf_putc(&r->arena, '\0') != ALM_OK) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
    }
}

static void rd_record(int c, void *ctx)
{
    struct rd *r = ctx;
    (void)c;
    if (r->failed || r->stop || !r->in_record) {
        r->nf = 0;
        alm_buf_reset(&r->arena);
        r->in_record = false;
        return;
    }
    if (r->nf > r->capp) {
        char **p = realloc(r->ptrs, r->nf * sizeof *p);
        if (!p) {
            r->failed = true;
            alm_fail(r->err, ALM_ENOMEM, "out of memory");
            return;
        }
        r->ptrs = p;
        r->capp = r->nf;
    }
    for (size_t j = 0; j < r->nf; j++)
        r->ptrs[j] = r->arena.s + r->offs[j];
    if (r->fn(r->ctx, r->ptrs, r->nf, r->rec_line) != ALM_OK)
        r->failed = true;
    if (++r->count == r->max)
        r->stop = true;
    r->nf = 0;
    alm_buf_reset(&r->arena);
    r->in_record = false;
}

/* Spaces are data here too: the readers trim the cells they read. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static enum alm_status each(const char *data, size_t len, char delim,
                            const char *name, size_t max, char **const *head,
                            const size_t *nhead, imp_record_fn fn, void *ctx,
                            struct alm_error *err);

enum alm_status alm__imp_csv_each(const char *data, size_t len, char delim,
                                  const char *name, size_t max,
                                  imp_record_fn fn, void *ctx,
                                  struct alm_error *err)
{
    return each(data, len, delim, name, max, NULL, NULL, fn, ctx, err);
}

enum alm_status alm__imp_csv_each_named(const char *data, size_t len,
                                        char delim, const char *name,
                                        char **const *head, const size_t *nhead,
                                        imp_record_fn fn, void *ctx,
                                        struct alm_error *err)
{
    return each(data, len, delim, name, 0, head, nhead, fn, ctx, err);
}

static enum alm_status each(const char *data, size_t len, char delim,
                            const char *name, size_t max, char **const *head,
                            const size_t *nhead, imp_record_fn fn, void *ctx,
                            struct alm_error *err)
{
    struct csv_parser p;
    struct rd r = {0};
    r.head = head;
    r.nhead = nhead;
    r.fn = fn;
    r.ctx = ctx;
    r.name = name;
    r.err = err;
    r.max = max;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_space_func(&p, no_space);
    size_t pos = 0;
    while (pos < len && !r.failed && !r.stop) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        r.line++;
        if (csv_parse(&p, data + pos, n, rd_field, rd_record, &r) != n &&
            !r.failed) {
            r.failed = true;
            alm_fail(err, ALM_EINPUT,
                     "malformed quoting: a quote inside an unquoted field, "
                     "or text after a closing quote");
            alm_error_locate(err, name, r.line, NULL);
        }
        pos += n;
    }
    if (!r.failed && !r.stop && csv_fini(&p, rd_field, rd_record, &r) != 0 &&
        !r.failed) {
        r.failed = true;
        alm_fail(err, ALM_EINPUT,
                 "unterminated quoted field: is the file truncated?");
        alm_error_locate(err, name, r.in_record ? r.rec_line : r.line, NULL);
    }
    csv_free(&p);
    alm_buf_release(&r.arena);
    free(r.offs);
    free(r.ptrs);
    if (r.failed)
        return err && err->status != ALM_OK ? err->status : ALM_EINPUT;
    return ALM_OK;
}

/* ---- small helpers ----------------------------------------------------- */

/* Case-insensitive comparison of a header (spaces around it ignored). */
static bool head_is(const char *h, const char *name)
{
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(name);
    if (strncasecmp(h, name, n) != 0)
        return false;
    for (h += n; *h; h++)
        if (*h != ' ' && *h != '\t')
            return false;
    return true;
}

static bool is_period_alias(const char *h)
{
    return head_is(h, "period") || head_is(h, "year") || head_is(h, "date") ||
           head_is(h, "time");
}

/* True when every byte of s is [A-Za-z0-9_]: an SDMX component id, as
 * opposed to a label ("Time frequency"). */
static bool is_ident(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* True when the header h (trimmed, R's "X2014" accepted) is a period; the
 * period's text goes to out. */
static bool head_period(const char *h, char *out)
{
    bool is_date;
    while (*h == ' ')
        h++;
    if (*h == 'X' && isdigit((unsigned char)h[1]))
        h++;
    return isdigit((unsigned char)*h) &&
           alm__imp_period(h, out, &is_date, NULL) == ALM_OK;
}

/* The unit inside the last parentheses of a name: "GDP (current US$)" gives
 * "current US$", "M2供应量(亿元)" gives "亿元"; "" when there are none. */
static void unit_of(const char *name, char *out, size_t size)
{
    const char *open = NULL, *close = NULL;
    for (const char *p = name; *p; p++) {
        if (*p == '(')
            open = p + 1;
        else if (strncmp(p, "（", 3) == 0)
            open = p + 3;
        else if (*p == ')' && open)
            close = p;
        else if (strncmp(p, "）", 3) == 0 && open)
            close = p;
    }
    out[0] = '\0';
    if (open && close && close > open) {
        size_t n = (size_t)(close - open);
        if (n >= size)
            n = size - 1;
        memcpy(out, open, n);
        out[n] = '\0';
    }
}

/* ---- detection ------------------------------------------------------------
 */

struct sniff {
    enum alm_import_format f;
    size_t n;
};

static enum alm_status sniff_record(void *ctx, char **f, size_t n, long line)
{
    struct sniff *s = ctx;
    (void)line;
    size_t k = s->n++;
    if (s->f != ALM_IMPORT_AUTO || n == 0)
        return ALM_OK;
    if (strncmp(f[0], "数据库", 9) == 0) {
        s->f = ALM_IMPORT_NBS;
        return ALM_OK;
    }
    if ((k == 0 && strcmp(f[0], "Data Source") == 0) ||
        (n >= 4 && strcmp(f[0], "Country Name") == 0 &&
         strcmp(f[1], "Country Code") == 0)) {
        s->f = ALM_IMPORT_WDI;
        return ALM_OK;
    }
    if (k != 0)
        return ALM_OK;
    bool tp = false, ov = false, ind = false, per = false, val = false;
    for (size_t j = 0; j < n; j++) {
        tp = tp || strcmp(f[j], "TIME_PERIOD") == 0;
        ov = ov || strcmp(f[j], "OBS_VALUE") == 0;
        ind = ind || head_is(f[j], "indicator");
        per = per || is_period_alias(f[j]);
        val = val || head_is(f[j], "value");
    }
    if (n >= 3 && strcmp(f[0], "DATE") == 0 && strcmp(f[1], "TIME PERIOD") == 0)
        s->f = ALM_IMPORT_ECB;
    else if (tp && ov)
        s->f = ALM_IMPORT_SDMX;
    else if (n >= 2 && (strcmp(f[0], "DATE") == 0 ||
                        strcmp(f[0], "observation_date") == 0))
        s->f = ALM_IMPORT_FRED;
    else if (ind && (per || val))
        s->f = ALM_IMPORT_LONG;
    return ALM_OK;
}

enum alm_import_format alm__imp_detect_csv(const char *data, size_t len,
                                           char delim, const char *name)
{
    struct sniff s = {ALM_IMPORT_AUTO, 0};
    struct alm_error e;
    alm_error_clear(&e);
    /* A file that does not parse is read as whatever its first records say;
     * the reader then reports the problem with its line. */
    alm__imp_csv_each(data, len, delim, name, 8, sniff_record, &s, &e);
    return s.f == ALM_IMPORT_AUTO ? ALM_IMPORT_WIDE : s.f;
}

/* ---- the readers --------------------------------------------------------- */

#define MAXC ALM_CSV_COLS_MAX

struct csvr {
    struct imp *im;
    enum alm_import_format f;
    bool header_done;
    bool in_rows; /* the header was read: errors are about rows */
    size_t ncols;
    char **head; /* trimmed header, ncols */
    /* long */
    long ci, cp, cv, skipcol;
    long *map; /* column of b->obs for each input column, -1 to drop */
    /* wide */
    bool by_period;
    long idcol, titlecol, unitcol;
    char **hperiod; /* per column: its period text, or NULL */
    long *colser;   /* per column: its series, or -1 */
    /* wdi */
    long cname, ccode, iname, icode;
    /* sdmx */
    long ctime, cval, cstat, cmult, cunit, cfreq, cflow, cname2, clast;
    long *dims, *dimlab;
    size_t ndims;
    /* ecb */
    long cdate;
    /* companion metadata (World Bank) */
    struct alm_table *mind, *mcountry;
};

static enum alm_status nomem(struct csvr *c)
{
    return alm_fail(c->im->err, ALM_ENOMEM, "out of memory");
}

static enum alm_status bad(struct csvr *c, long line, const char *field,
                           const char *msg)
{
    alm_fail(c->im->err, ALM_EINPUT, "%s", msg);
    alm_error_locate(c->im->err, c->im->name, line, field);
    /* A bad row after the header: reported, and reading goes on. */
    return c->in_rows && alm__imp_problem(c->im) ? ALM_OK : ALM_EINPUT;
}

static const char *cell(char **f, size_t n, long j)
{
    return j >= 0 && (size_t)j < n ? f[j] : "";
}

/* Keeps a trimmed copy of the header; fails on duplicates. */
static enum alm_status take_header(struct csvr *c, char **f, size_t n,
                                   long line)
{
    char q[96];
    c->ncols = n;
    c->head = calloc(n ? n : 1, sizeof *c->head);
    c->hperiod = calloc(n ? n : 1, sizeof *c->hperiod);
    c->colser = malloc((n ? n : 1) * sizeof *c->colser);
    c->map = malloc((n ? n : 1) * sizeof *c->map);
    c->dims = malloc((n ? n : 1) * sizeof *c->dims);
    c->dimlab = malloc((n ? n : 1) * sizeof *c->dimlab);
    if (!c->head || !c->hperiod || !c->colser || !c->map || !c->dims ||
        !c->dimlab)
        return nomem(c);
    for (size_t j = 0; j < n; j++) {
        c->colser[j] = -1;
        c->map[j] = -1;
        if (!(c->head[j] = alm__imp_trim(f[j])))
            return nomem(c);
    }
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < j; k++)
            if (c->head[j][0] && strcmp(c->head[j], c->head[k]) == 0) {
                alm_fail(c->im->err, ALM_EINPUT,
                         "column '%s' appears twice in the header",
                         alm_error_quote(c->head[j], q, sizeof q));
                alm_error_locate(c->im->err, c->im->name, line, NULL);
                return ALM_EINPUT;
            }
    c->header_done = true;
    return ALM_OK;
}

static long find_head(const struct csvr *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (head_is(c->head[j], name))
            return (long)j;
    return -1;
}

static long find_exact(const struct csvr *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (strcmp(c->head[j], name) == 0)
            return (long)j;
    return -1;
}

/* True when every field of a record is blank. */
static bool blank(char **f, size_t n)
{
    for (size_t j = 0; j < n; j++)
        for (const char *p = f[j]; *p; p++)
            if (*p != ' ' && *p != '\t')
                return false;
    return true;
}

/* -- long ----------------------------------------------------------------- */

static enum alm_status long_header(struct csvr *c, long line)
{
    struct alm_table *t = c->im->b->obs;
    char msg[200];
    c->skipcol = c->ncols > 0 && !c->head[0][0] ? 0 : -1; /* R's row names */
    c->ci = find_head(c, "indicator");
    c->cv = find_head(c, "value");
    c->cp = find_head(c, "period");
    for (size_t j = 0; j < c->ncols && c->cp < 0; j++)
        if (is_period_alias(c->head[j]))
            c->cp = (long)j;
    const char *miss = c->ci < 0   ? "indicator"
                       : c->cp < 0 ? "period"
                       : c->cv < 0 ? "value"
                                   : NULL;
    if (miss) {
        snprintf(msg, sizeof msg,
                 "missing column '%s': the long format has the columns of "
                 "observations.csv (indicator,period,value,...)",
                 miss);
        return bad(c, line, NULL, msg);
    }
    for (size_t j = 0; j < c->ncols; j++) {
        if ((long)j == c->skipcol || (long)j == c->ci || (long)j == c->cp ||
            (long)j == c->cv)
            continue;
        if (!c->head[j][0]) {
            snprintf(msg, sizeof msg, "column %zu of the header is empty",
                     j + 1);
            return bad(c, line, NULL, msg);
        }
        if (alm_table_add_column(t, c->head[j], &c->map[j]) != ALM_OK)
            return nomem(c);
    }
    return ALM_OK;
}

static enum alm_status long_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    char msg[120];
    if (n != c->ncols) {
        if (blank(f, n))
            return ALM_OK;
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return bad(c, line, NULL, msg);
    }
    char *id = alm__imp_trim(f[c->ci]);
    if (!id)
        return nomem(c);
    const char *parts[] = {id};
    long s = alm__imp_series(im, parts, 1, true, NULL, NULL, 0, line);
    free(id);
    if (s < 0)
        return im->err->status;
    int rc = alm__imp_obs(im, s, f[c->cp], f[c->cv], NULL, 0, line,
                          c->head[c->cp], "value");
    if (rc < 0)
        return im->err->status;
    if (rc == 0)
        return ALM_OK;
    struct alm_table *t = im->b->obs;
    size_t r = t->nrows - 1;
    for (size_t j = 0; j < n; j++) {
        if (c->map[j] < 0)
            continue;
        bool verbatim = strcmp(c->head[j], "quote") == 0;
        char *v = verbatim ? alm__strdup(f[j]) : alm__imp_trim(f[j]);
        enum alm_status st =
            v ? alm_table_set(t, r, (size_t)c->map[j], v) : ALM_ENOMEM;
        free(v);
        if (st != ALM_OK)
            return nomem(c);
    }
    if (!alm_table_cell(t, r, alm_table_col(t, "source"))[0])
        im->uses_source = true;
    return ALM_OK;
}

/* -- wide ----------------------------------------------------------------- */

static enum alm_status wide_header(struct csvr *c, long line)
{
    struct imp *im = c->im;
    char p[ALM_PERIOD_TEXT_MAX];
    c->skipcol = c->ncols > 1 && !c->head[0][0] ? 0 : -1;
    c->cp = -1;
    for (size_t j = 0; j < c->ncols && c->cp < 0; j++)
        if ((long)j != c->skipcol && is_period_alias(c->head[j]))
            c->cp = (long)j;
    size_t nper = 0;
    for (size_t j = 0; j < c->ncols; j++)
        if ((long)j != c->skipcol && head_period(c->head[j], p)) {
            if (!(c->hperiod[j] = alm__strdup(p)))
                return nomem(c);
            nper++;
        }
    c->im->uses_source = true;
    if (c->cp >= 0) {
        /* A column of periods, a column per indicator. */
        c->by_period = false;
        for (size_t j = 0; j < c->ncols; j++) {
            if ((long)j == c->skipcol || (long)j == c->cp)
                continue;
            if (!c->head[j][0])
                return bad(c, line, NULL,
                           "a column of the header is empty: name every "
                           "indicator column");
            const char *parts[] = {c->head[j]};
            c->colser[j] =
                alm__imp_series(im, parts, 1, false, c->head[j], NULL, 0, line);
            if (c->colser[j] < 0)
                return im->err->status;
        }
        return ALM_OK;
    }
    if (!nper)
        return bad(c, line, NULL,
                   "cannot tell the layout of this file: a long file has the "
                   "columns indicator,period,value; a wide one a column "
                   "named period (or year, date, time) or columns named by "
                   "periods (2014, 2024-Q1); use --format to say which");
    c->by_period = true;
    c->idcol = find_head(c, "indicator");
    if (c->idcol < 0)
        c->idcol = find_head(c, "id");
    c->titlecol = find_head(c, "title");
    if (c->titlecol < 0)
        c->titlecol = find_head(c, "name");
    c->unitcol = find_head(c, "unit");
    for (size_t j = 0; j < c->ncols && c->idcol < 0; j++)
        if ((long)j != c->skipcol && !c->hperiod[j] && (long)j != c->titlecol &&
            (long)j != c->unitcol)
            c->idcol = (long)j;
    if (c->idcol < 0 && c->skipcol == 0)
        c->idcol = 0; /* R's row names name the rows */
    if (c->idcol < 0)
        return bad(c, line, NULL,
                   "no column names the indicators: add a first column "
                   "'indicator'");
    return ALM_OK;
}

static enum alm_status wide_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    char msg[120];
    if (blank(f, n))
        return ALM_OK;
    if (n != c->ncols) {
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return bad(c, line, NULL, msg);
    }
    if (!c->by_period) {
        for (size_t j = 0; j < n; j++) {
            if (c->colser[j] < 0)
                continue;
            if (alm__imp_obs(im, c->colser[j], f[c->cp], f[j], NULL, 0, line,
                             c->head[c->cp], c->head[j]) < 0)
                return im->err->status;
        }
        return ALM_OK;
    }
    char *name = alm__imp_trim(f[c->idcol]);
    char *title = c->titlecol >= 0 ? alm__imp_trim(f[c->titlecol]) : NULL;
    char *unit = c->unitcol >= 0 ? alm__imp_trim(f[c->unitcol]) : NULL;
    enum alm_status st = ALM_OK;
    if (!name || (c->titlecol >= 0 && !title) || (c->unitcol >= 0 && !unit))
        st = nomem(c);
    else if (!name[0])
        st = bad(c, line, c->head[c->idcol],
                 "empty indicator name: every row needs one");
    long s = -1;
    if (st == ALM_OK) {
        const char *parts[] = {name};
        s = alm__imp_series(im, parts, 1, false, title ? title : name, unit, 0,
                            line);
        if (s < 0)
            st = im->err->status;
    }
    for (size_t j = 0; j < n && st == ALM_OK; j++)
        if (c->hperiod[j] && alm__imp_obs(im, s, c->hperiod[j], f[j], NULL, 0,
                                          line, c->head[j], c->head[j]) < 0)
            st = im->err->status;
    free(name);
    free(title);
    free(unit);
    return st;
}

/* -- World Bank ------------------------------------------------------------ */

/* Looks a key up in column kcol of a metadata table, returning column vcol
 * of its row, or NULL. */
static const char *meta(const struct alm_table *t, const char *kcol,
                        const char *key, const char *vcol)
{
    if (!t)
        return NULL;
    long k = alm_table_col(t, kcol), v = alm_table_col(t, vcol);
    for (size_t r = 0; k >= 0 && v >= 0 && r < t->nrows; r++)
        if (strcmp(alm_table_cell(t, r, k), key) == 0)
            return alm_table_cell(t, r, v);
    return NULL;
}

struct mread {
    struct alm_table *t;
    bool failed;
};

static enum alm_status meta_record(void *ctx, char **f, size_t n, long line)
{
    struct mread *m = ctx;
    if (!m->t) {
        while (n > 0 && !f[n - 1][0])
            n--; /* the World Bank's trailing comma */
        m->t = alm_table_new("metadata", n, (const char *const *)f);
        return m->t ? ALM_OK : ALM_ENOMEM;
    }
    if (alm_table_add_row(m->t, line) != ALM_OK)
        return ALM_ENOMEM;
    for (size_t j = 0; j < n && j < m->t->ncols; j++)
        if (alm_table_set(m->t, m->t->nrows - 1, j, f[j]) != ALM_OK)
            return ALM_ENOMEM;
    return ALM_OK;
}

/* Reads the World Bank metadata file dir + prefix + base, if it exists:
 * it is optional, so a missing or unreadable one is no error. */
static struct alm_table *read_meta(const struct imp *im, const char *prefix)
{
    if (!im->dir)
        return NULL;
    const char *base = strrchr(im->name, '/');
    base = base ? base + 1 : im->name;
    struct alm_buf path = ALM_BUF_INIT, data = ALM_BUF_INIT;
    struct mread m = {NULL, false};
    struct alm_error e;
    alm_error_clear(&e);
    if (alm_buf_printf(&path, "%s%s%s", im->dir, prefix, base) == ALM_OK &&
        alm_file_read(path.s, ALM_CSV_FILE_MAX, &data, &e) == ALM_OK) {
        const char *d = data.s;
        size_t len = data.len;
        if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
            d += 3;
            len -= 3;
        }
        if (!alm__utf8_valid(d, len) ||
            alm__imp_csv_each(d, len, ',', path.s, 0, meta_record, &m, &e) !=
                ALM_OK) {
            alm_table_free(m.t);
            m.t = NULL;
        }
    }
    alm_buf_release(&path);
    alm_buf_release(&data);
    return m.t;
}

static enum alm_status wdi_header(struct csvr *c, long line)
{
    c->cname = find_exact(c, "Country Name");
    c->ccode = find_exact(c, "Country Code");
    c->iname = find_exact(c, "Indicator Name");
    c->icode = find_exact(c, "Indicator Code");
    if (c->cname < 0 || c->ccode < 0 || c->iname < 0 || c->icode < 0)
        return bad(c, line, NULL,
                   "a World Bank file has the columns Country Name, Country "
                   "Code, Indicator Name, Indicator Code and one per year");
    for (size_t j = 0; j < c->ncols; j++) {
        char p[ALM_PERIOD_TEXT_MAX];
        if (head_period(c->head[j], p) && !(c->hperiod[j] = alm__strdup(p)))
            return nomem(c);
    }
    c->mind = read_meta(c->im, "Metadata_Indicator_");
    c->mcountry = read_meta(c->im, "Metadata_Country_");
    c->im->uses_source = true;
    return alm__imp_source(c->im, NULL, "World Bank", NULL);
}

static enum alm_status wdi_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    if (blank(f, n))
        return ALM_OK;
    if (n != c->ncols) {
        char msg[120];
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return bad(c, line, NULL, msg);
    }
    const char *code = f[c->icode], *country = f[c->ccode];
    if (!code[0] || !country[0])
        return bad(c, line, !code[0] ? "Indicator Code" : "Country Code",
                   "empty code: every row needs its indicator and country "
                   "codes");
    const char *iname = meta(c->mind, "INDICATOR_CODE", code, "INDICATOR_NAME");
    const char *cname = meta(c->mcountry, "Country Code", country, "TableName");
    if (!iname || !iname[0])
        iname = f[c->iname];
    if (!cname || !cname[0])
        cname = f[c->cname];
    struct alm_buf title = ALM_BUF_INIT;
    char unit[200];
    unit_of(iname, unit, sizeof unit);
    if (alm_buf_printf(&title, "%s: %s", iname, cname) != ALM_OK)
        return nomem(c);
    const char *parts[] = {code, country};
    long s = alm__imp_series(im, parts, 2, false, title.s, unit, 'A', line);
    alm_buf_release(&title);
    if (s < 0)
        return im->err->status;
    for (size_t j = 0; j < n; j++)
        if (c->hperiod[j] && alm__imp_obs(im, s, c->hperiod[j], f[j], NULL, 0,
                                          line, c->head[j], c->head[j]) < 0)
            return im->err->status;
    return ALM_OK;
}

/* -- FRED ------------------------------------------------------------------ */

static enum alm_status fred_header(struct csvr *c, long line)
{
    struct imp *im = c->im;
    struct alm_buf title = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    if (strcmp(c->head[0], "DATE") != 0 &&
        strcmp(c->head[0], "observation_date") != 0)
        return bad(c, line, NULL,
                   "a FRED file starts with the column DATE (legacy) or "
                   "observation_date");
    for (size_t j = 1; j < c->ncols && st == ALM_OK; j++) {
        if (!c->head[j][0]) {
            st = bad(c, line, NULL,
                     "a column of the header is empty: FRED names each "
                     "column by its series id");
            break;
        }
        const char *parts[] = {c->head[j]};
        c->colser[j] =
            alm__imp_series(im, parts, 1, false, c->head[j], NULL, 0, line);
        if (c->colser[j] < 0)
            st = im->err->status;
        else if (alm_buf_printf(&title, "%sFRED %s", j > 1 ? ", " : "",
                                c->head[j]) != ALM_OK)
            st = nomem(c);
    }
    im->uses_source = true;
    if (st == ALM_OK)
        st = alm__imp_source(im, title.s,
                             "Federal Reserve Bank of St. Louis (FRED)", NULL);
    alm_buf_release(&title);
    return st;
}

static enum alm_status series_row(struct csvr *c, char **f, size_t n, long line,
                                  long pcol)
{
    struct imp *im = c->im;
    if (blank(f, n))
        return ALM_OK;
    if (n != c->ncols) {
        char msg[120];
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return bad(c, line, NULL, msg);
    }
    for (size_t j = 0; j < n; j++)
        if (c->colser[j] >= 0 &&
            alm__imp_obs(im, c->colser[j], f[pcol], f[j], NULL, 0, line,
                         c->head[pcol], c->head[j]) < 0)
            return im->err->status;
    return ALM_OK;
}

/* -- ECB data portal ----------------------------------------------------------
 */

static enum alm_status ecb_header(struct csvr *c, long line)
{
    struct imp *im = c->im;
    c->cp = find_exact(c, "TIME PERIOD");
    if (c->cp < 0)
        return bad(c, line, NULL,
                   "an ECB data portal file has the columns DATE, TIME "
                   "PERIOD and one per series");
    for (size_t j = 0; j < c->ncols; j++) {
        if ((long)j == c->cp || strcmp(c->head[j], "DATE") == 0)
            continue;
        /* "Title (KEY.WITH.DOTS)[ - Modified value (Quarterly)]": the key is
         * the parenthesised group of codes and dots. */
        const char *h = c->head[j], *key = NULL;
        size_t klen = 0;
        for (const char *p = strchr(h, '('); p; p = strchr(p + 1, '(')) {
            const char *q = p + 1;
            while (*q && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'))
                q++;
            if (*q == ')' && memchr(p + 1, '.', (size_t)(q - p - 1))) {
                key = p + 1;
                klen = (size_t)(q - key);
            }
        }
        if (!key)
            return bad(c, line, h,
                       "no series key in parentheses: the ECB data portal "
                       "names each column 'Title (KEY)'");
        char *k = alm__strndup(key, klen);
        char *title = alm__strndup(h, (size_t)(key - 1 - h));
        char *parts[40];
        size_t np = 0;
        enum alm_status st = k && title ? ALM_OK : ALM_ENOMEM;
        if (st == ALM_OK) {
            parts[np++] = (char *)"ecb";
            for (char *p = k; p && np < 40; np++) {
                parts[np] = p;
                p = strchr(p, '.');
                if (p)
                    *p++ = '\0';
            }
            char *t = alm__imp_trim(title);
            if (t) {
                c->colser[j] = alm__imp_series(im, (const char *const *)parts,
                                               np, false, t, NULL, 0, line);
                if (c->colser[j] < 0)
                    st = im->err->status;
            } else {
                st = ALM_ENOMEM;
            }
            free(t);
        }
        free(k);
        free(title);
        if (st == ALM_ENOMEM)
            return nomem(c);
        if (st != ALM_OK)
            return st;
    }
    im->uses_source = true;
    return alm__imp_source(im, NULL, "European Central Bank", NULL);
}

/* -- SDMX-CSV -------------------------------------------------------------- */

static bool sdmx_special(const char *h)
{
    static const char *const names[] = {
        "DATAFLOW", "STRUCTURE",   "STRUCTURE_ID", "STRUCTURE_NAME",
        "ACTION",   "TIME_PERIOD", "OBS_VALUE"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(h, names[i]) == 0)
            return true;
    return false;
}

static enum alm_status sdmx_header(struct csvr *c, long line)
{
    c->ctime = find_exact(c, "TIME_PERIOD");
    c->cval = find_exact(c, "OBS_VALUE");
    if (c->ctime < 0 || c->cval < 0)
        return bad(c, line, NULL,
                   "an SDMX-CSV file has the columns TIME_PERIOD and "
                   "OBS_VALUE");
    c->cflow = find_exact(c, "DATAFLOW");
    if (c->cflow < 0)
        c->cflow = find_exact(c, "STRUCTURE_ID");
    c->cname2 = find_exact(c, "STRUCTURE_NAME");
    c->clast = find_exact(c, "LAST UPDATE");
    c->cstat = find_exact(c, "OBS_STATUS");
    if (c->cstat < 0)
        c->cstat = find_exact(c, "OBS_FLAG");
    c->cmult = find_exact(c, "UNIT_MULT");
    c->cunit = find_exact(c, "UNIT_MEASURE");
    if (c->cunit < 0)
        c->cunit = find_exact(c, "unit");
    c->cfreq = find_exact(c, "FREQ");
    if (c->cfreq < 0)
        c->cfreq = find_exact(c, "freq");
    /* Dimensions: the component columns before OBS_VALUE (SDMX-CSV puts
     * attributes after it); a label column right after a dimension is its
     * label (SDMX-CSV 2.0 with labels=both). */
    bool both = false; /* a label column after each code column */
    for (size_t j = 0; j + 1 < (size_t)c->cval && !both; j++)
        both = is_ident(c->head[j]) && !sdmx_special(c->head[j]) &&
               !is_ident(c->head[j + 1]) && (long)(j + 1) != c->clast;
    c->ndims = 0;
    for (size_t j = 0; j < (size_t)c->cval; j++) {
        if (both && (long)j == c->ctime) {
            j++; /* TIME_PERIOD's label ("Time") */
            continue;
        }
        if (sdmx_special(c->head[j]) || !is_ident(c->head[j]))
            continue;
        c->dims[c->ndims] = (long)j;
        c->dimlab[c->ndims] =
            both && j + 1 < (size_t)c->cval ? (long)j + 1 : -1;
        if (both)
            j++;
        c->ndims++;
    }
    c->im->uses_source = true;
    return ALM_OK;
}

/* Splits an SDMX structure reference "AGENCY:ID(VERSION)" (or
 * "AGENCY:DSD@FLOW(1.0)", "ESTAT:ID$DEFAULTVIEW(1.0)") into agency and
 * flow id. */
static void flow_parts(const char *ref, char *agency, char *flow, size_t size)
{
    const char *colon = strchr(ref, ':');
    const char *id = colon ? colon + 1 : ref;
    size_t na = colon ? (size_t)(colon - ref) : 0;
    if (na >= size)
        na = size - 1;
    memcpy(agency, ref, na);
    agency[na] = '\0';
    const char *at = strchr(id, '@');
    if (at)
        id = at + 1;
    size_t nf = strcspn(id, "($");
    if (nf >= size)
        nf = size - 1;
    memcpy(flow, id, nf);
    flow[nf] = '\0';
}

/* The frequency letter of an SDMX FREQ code or label. */
static char freq_letter(const char *v)
{
    if (!v[0])
        return 0;
    if (!v[1] && strchr("AQMDW", v[0]))
        return v[0];
    if (head_is(v, "Annual"))
        return 'A';
    if (head_is(v, "Quarterly"))
        return 'Q';
    if (head_is(v, "Monthly"))
        return 'M';
    if (head_is(v, "Daily") || head_is(v, "Weekly"))
        return 'D';
    return 0;
}

static enum alm_status sdmx_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    char agency[128] = "", flow[128] = "", msg[160];
    if (blank(f, n))
        return ALM_OK;
    if (n != c->ncols) {
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return bad(c, line, NULL, msg);
    }
    if (c->cflow >= 0)
        flow_parts(f[c->cflow], agency, flow, sizeof agency);
    const char *parts[MAXC + 2];
    size_t np = 0;
    if (agency[0])
        parts[np++] = agency;
    if (flow[0])
        parts[np++] = flow;
    struct alm_buf title = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    if (c->cname2 >= 0 && f[c->cname2][0])
        st = alm_buf_printf(&title, "%s: ", f[c->cname2]);
    for (size_t d = 0; d < c->ndims && st == ALM_OK; d++) {
        const char *v = f[c->dims[d]];
        parts[np++] = v;
        const char *lab =
            c->dimlab[d] >= 0 && f[c->dimlab[d]][0] ? f[c->dimlab[d]] : v;
        st = alm_buf_printf(&title, "%s%s", d ? ", " : "", lab);
    }
    if (st != ALM_OK)
        return nomem(c);
    const char *unit = cell(f, n, c->cunit);
    for (size_t d = 0; d < c->ndims; d++)
        if (c->dims[d] == c->cunit && c->dimlab[d] >= 0 && f[c->dimlab[d]][0])
            unit = f[c->dimlab[d]];
    char freq = freq_letter(cell(f, n, c->cfreq));
    long s = alm__imp_series(im, parts, np, false, title.s, unit, freq, line);
    alm_buf_release(&title);
    if (s < 0)
        return im->err->status;
    int mult = 0;
    const char *m = cell(f, n, c->cmult);
    if (m[0] && alm__parse_int(m[0] == '-' ? m + 1 : m, &mult, NULL) != ALM_OK)
        return bad(c, line, "UNIT_MULT",
                   "UNIT_MULT is the power of ten of the unit: expected an "
                   "integer");
    if (m[0] == '-')
        mult = -mult;
    if (mult > 30 || mult < -30)
        return bad(c, line, "UNIT_MULT", "UNIT_MULT out of range (-30..30)");
    if (alm__imp_obs(im, s, f[c->ctime], f[c->cval], cell(f, n, c->cstat), mult,
                     line, "TIME_PERIOD", "OBS_VALUE") < 0)
        return im->err->status;
    /* The file's date and title: Eurostat's LAST UPDATE ("30/10/25
     * 23:00:00", day/month/two-digit year) and the structure. */
    if (!im->title && (st = alm__imp_source(im,
                                            c->cname2 >= 0 && f[c->cname2][0]
                                                ? f[c->cname2]
                                                : cell(f, n, c->cflow),
                                            agency, NULL)) != ALM_OK)
        return st;
    int dd, mm, yy;
    char date[48];
    if (!im->date && c->clast >= 0 &&
        sscanf(f[c->clast], "%d/%d/%d", &dd, &mm, &yy) == 3 && mm >= 1 &&
        mm <= 12 && dd >= 1 && dd <= 31) {
        snprintf(date, sizeof date, "%04d-%02d-%02d", yy < 100 ? 2000 + yy : yy,
                 mm, dd);
        long day;
        if (alm_date_parse(date, &day, NULL) == ALM_OK &&
            (st = alm__imp_source(im, NULL, NULL, date)) != ALM_OK)
            return st;
    }
    return ALM_OK;
}

/* -- dispatch -------------------------------------------------------------- */

static enum alm_status csv_record(void *ctx, char **f, size_t n, long line)
{
    struct csvr *c = ctx;
    struct imp *im = c->im;
    if (!c->header_done) {
        if (c->f == ALM_IMPORT_WDI) {
            /* Preamble: "Data Source", "Last Updated Date". */
            if (n >= 2 && strcmp(f[0], "Data Source") == 0)
                return alm__imp_source(im, f[1], NULL, NULL);
            if (n >= 2 && strcmp(f[0], "Last Updated Date") == 0) {
                long day;
                char *d = alm__imp_trim(f[1]);
                if (!d)
                    return nomem(c);
                enum alm_status st = alm_date_parse(d, &day, NULL) == ALM_OK
                                         ? alm__imp_source(im, NULL, NULL, d)
                                         : bad(c, line, "Last Updated Date",
                                               "expected a date YYYY-MM-DD");
                free(d);
                return st;
            }
            if (n < 4 || strcmp(f[0], "Country Name") != 0) {
                if (blank(f, n))
                    return ALM_OK;
                return bad(c, line, NULL,
                           "expected the World Bank header \"Country Name\","
                           "\"Country Code\",...");
            }
            /* The trailing comma makes an empty last column. */
            while (n > 0 && !f[n - 1][0])
                n--;
        }
        if (take_header(c, f, n, line) != ALM_OK)
            return im->err->status;
        enum alm_status st;
        switch (c->f) {
        case ALM_IMPORT_LONG:
            st = long_header(c, line);
            break;
        case ALM_IMPORT_WIDE:
            st = wide_header(c, line);
            break;
        case ALM_IMPORT_WDI:
            st = wdi_header(c, line);
            break;
        case ALM_IMPORT_FRED:
            st = fred_header(c, line);
            break;
        case ALM_IMPORT_ECB:
            st = ecb_header(c, line);
            break;
        case ALM_IMPORT_SDMX:
            st = sdmx_header(c, line);
            break;
        default:
            st = bad(c, line, NULL, "not a CSV format");
        }
        c->in_rows = st == ALM_OK;
        return st;
    }
    switch (c->f) {
    case ALM_IMPORT_LONG:
        return long_row(c, f, n, line);
    case ALM_IMPORT_WIDE:
        return wide_row(c, f, n, line);
    case ALM_IMPORT_WDI:
        /* Every line ends with a comma: one empty field more. */
        if (n == c->ncols + 1 && !f[n - 1][0])
            n--;
        return wdi_row(c, f, n, line);
    case ALM_IMPORT_FRED:
        return series_row(c, f, n, line, 0);
    case ALM_IMPORT_ECB:
        return series_row(c, f, n, line, c->cp);
    case ALM_IMPORT_SDMX:
        return sdmx_row(c, f, n, line);
    default:
        return bad(c, line, NULL, "not a CSV format");
    }
}

enum alm_status alm__imp_read_csv(struct imp *im, const char *data, size_t len,
                                  char delim, enum alm_import_format f)
{
    struct csvr c = {0};
    c.im = im;
    c.f = f;
    enum alm_status st = alm__imp_csv_each_named(
        data, len, delim, im->name, &c.head, &c.ncols, csv_record, &c, im->err);
    if (st == ALM_OK && !c.header_done) {
        st = alm_fail(im->err, ALM_EINPUT,
                      "empty file: a header row is required");
        alm_error_locate(im->err, im->name, 1, NULL);
    }
    for (size_t j = 0; j < c.ncols; j++) {
        if (c.head)
            free(c.head[j]);
        if (c.hperiod)
            free(c.hperiod[j]);
    }
    free(c.head);
    free(c.hperiod);
    free(c.colser);
    free(c.map);
    free(c.dims);
    free(c.dimlab);
    alm_table_free(c.mind);
    alm_table_free(c.mcountry);
    return st;
}
