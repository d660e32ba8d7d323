/* CSV tables: reading with libcsv, one physical line at a time so that
 * every record knows the line it starts on, and writing with minimal
 * quoting. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include <almanac/csvio.h>
#include <almanac/fsio.h>

#include "internal.h"

/* ---- the cell pool ------------------------------------------------------ */

/* Cells are carved from chunks that double in size up to POOL_CHUNK_MAX;
 * a field longer than a chunk gets a chunk of its own. */
#define POOL_CHUNK_MIN ((size_t)16 * 1024)
#define POOL_CHUNK_MAX ((size_t)64 * 1024 * 1024)

struct pool_chunk {
    struct pool_chunk *next;
    size_t used, cap;
    char data[];
};

struct alm_cellpool {
    struct pool_chunk *head;
    size_t next_cap;
    char *empty; /* the one "" every empty new cell points to */
};

static void pool_free(struct alm_cellpool *p)
{
    if (!p)
        return;
    while (p->head) {
        struct pool_chunk *c = p->head;
        p->head = c->next;
        free(c);
    }
    free(p);
}

/* Returns room for n bytes, or NULL when out of memory. */
static char *pool_alloc(struct alm_cellpool *p, size_t n)
{
    struct pool_chunk *c = p->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = p->next_cap;
        if (cap < POOL_CHUNK_MAX)
            p->next_cap = cap * 2;
        if (cap < n)
            cap = n;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        /* A chunk made for one big field goes behind the current one, so
         * the current one's free room is still used. */
        if (p->head && cap == n) {
            c->next = p->head->next;
            p->head->next = c;
        } else {
            c->next = p->head;
            p->head = c;
        }
    }
    char *r = c->data + c->used;
    c->used += n;
    return r;
}

/* Copies n bytes of s plus a NUL into the pool. */
static char *pool_strndup(struct alm_cellpool *p, const char *s, size_t n)
{
    char *d = pool_alloc(p, n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static struct alm_cellpool *pool_new(void)
{
    struct alm_cellpool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->next_cap = POOL_CHUNK_MIN;
    p->empty = pool_strndup(p, "", 0);
    if (!p->empty) {
        pool_free(p);
        return NULL;
    }
    return p;
}

/* ---- tables ---------------------------------------------------------------
 */

struct alm_table *alm_table_new(const char *name, size_t ncols,
                                const char *const *header)
{
    struct alm_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->name = alm__strdup(name ? name : "");
    t->header = calloc(ncols ? ncols : 1, sizeof *t->header);
    t->pool = pool_new();
    if (!t->name || !t->header || !t->pool)
        goto fail;
    t->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        t->header[j] = alm__strdup(header[j]);
        if (!t->header[j])
            goto fail;
    }
    return t;
fail:
    alm_table_free(t);
    return NULL;
}

void alm_table_free(struct alm_table *t)
{
    if (!t)
        return;
    for (size_t j = 0; t->header && j < t->ncols; j++)
        free(t->header[j]);
    pool_free(t->pool);
    free(t->header);
    free(t->cells);
    free(t->lines);
    free(t->name);
    free(t);
}

long alm_table_col(const struct alm_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->header[j], name) == 0)
            return (long)j;
    return -1;
}

const char *alm_table_cell(const struct alm_table *t, size_t row, long col)
{
    alm__ops++;
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
        return "";
    return t->cells[row * t->ncols + (size_t)col];
}

enum alm_status alm_table_set(struct alm_table *t, size_t row, size_t col,
                              const char *value)
{
    size_t n = strlen(value);
    char *v = n ? pool_strndup(t->pool, value, n) : t->pool->empty;
    if (!v)
        return ALM_ENOMEM;
    t->cells[row * t->ncols + col] = v;
    return ALM_OK;
}

/* Makes room for cap rows (the cells' pointers and lines); never shrinks. */
static enum alm_status reserve_rows(struct alm_table *t, size_t cap)
{
    if (cap <= t->caprows)
        return ALM_OK;
    if (t->ncols && cap > ((size_t)-1 / sizeof(char *)) / t->ncols)
        return ALM_ENOMEM;
    char **cells =
        realloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *cells);
    if (!cells)
        return ALM_ENOMEM;
    t->cells = cells;
    long *lines = realloc(t->lines, cap * sizeof *lines);
    if (!lines)
        return ALM_ENOMEM;
    t->lines = lines;
    t->caprows = cap;
    return ALM_OK;
}

enum alm_status alm_table_add_row(struct alm_table *t, long line)
{
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? 2 * t->caprows : 16;
        char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
        if (!cells)
            return ALM_ENOMEM;
        t->cells = cells;
        long *lines = realloc(t->lines, cap * sizeof *lines);
        if (!lines)
            return ALM_ENOMEM;
        t->lines = lines;
        t->caprows = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t j = 0; j < t->ncols; j++)
        row[j] = t->pool->empty;
    t->lines[t->nrows] = line;
    t->nrows++;
    return ALM_OK;
}

enum alm_status alm_table_add_column(struct alm_table *t, const char *name,
                                     long *col)
{
    long have = alm_table_col(t, name);
    if (have >= 0) {
        if (col)
            *col = have;
        return ALM_OK;
    }
    size_t nc = t->ncols + 1;
    char **header = realloc(t->header, nc * sizeof *header);
    if (!header)
        return ALM_ENOMEM;
    t->header = header;
    char *h = alm__strdup(name);
    size_t cap = t->caprows;
    /* Without rows there are no cells to move: add_row allocates later. */
    char **cells = cap ? malloc(cap * nc * sizeof *cells) : NULL;
    if (!h || (cap && !cells)) {
        free(h);
        free(cells);
        return ALM_ENOMEM;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        memcpy(cells + i * nc, t->cells + i * t->ncols,
               t->ncols * sizeof *cells);
        cells[i * nc + t->ncols] = t->pool->empty;
    }
    free(t->cells);
    t->cells = cells;
    t->header[t->ncols] = h;
    t->ncols = nc;
    if (col)
        *col = (long)nc - 1;
    return ALM_OK;
}

/* Parsing state shared with libcsv's callbacks. libcsv cannot be stopped
 * from inside a callback, so the first problem is recorded in err and the
 * caller stops feeding lines. */
struct reader {
    struct alm_table *t;
    struct alm_error *err;
    long line;        /* the physical line being fed */
    long rec_line;    /* the line on which the current record started */
    bool in_record;   /* a field of the current record has been seen */
    bool header_done; /* the header record is complete */
    size_t nfields;   /* fields seen in the current record */
    char **pending;   /* fields of the current record */
    size_t cap;
    size_t rows_hint; /* lines in the file: rows to reserve */
    bool no_rows;     /* check the text only: keep no row */
    bool failed;
};

static void on_field(void *data, size_t len, void *ctx)
{
    struct reader *r = ctx;
    if (r->failed)
        return;
    if (!r->in_record) {
        r->in_record = true;
        r->rec_line = r->line;
    }
    if (len > ALM_CSV_FIELD_MAX) {
        r->failed = true;
        const char *col = r->header_done && r->nfields < r->t->ncols
                              ? r->t->header[r->nfields]
                              : NULL;
        if (col)
            alm_fail(r->err, ALM_EINPUT,
                     "%zu bytes long; the limit is %d bytes", len,
                     ALM_CSV_FIELD_MAX);
        else
            alm_fail(r->err, ALM_EINPUT,
                     "field %zu is %zu bytes long; the limit is %d bytes",
                     r->nfields + 1, len, ALM_CSV_FIELD_MAX);
        alm_error_locate(r->err, r->t->name, r->rec_line, col);
        return;
    }
    if (r->nfields >= ALM_CSV_COLS_MAX) {
        r->failed = true;
        alm_fail(r->err, ALM_EINPUT, "more than %d fields in a record",
                 ALM_CSV_COLS_MAX);
        alm_error_locate(r->err, r->t->name, r->rec_line, NULL);
        return;
    }
    if (r->header_done && r->no_rows) {
        r->nfields++;
        return;
    }
    if (r->nfields == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        char **p = realloc(r->pending, cap * sizeof *p);
        if (!p) {
            r->failed = true;
            alm_fail(r->err, ALM_ENOMEM, "out of memory");
            return;
        }
        r->pending = p;
        r->cap = cap;
    }
    /* Header names are heap strings (the table frees them one by one);
     * cells go to the pool. */
    char *copy = !r->header_done
                     ? alm__strndup(data ? data : "", data ? len : 0)
                 : len ? pool_strndup(r->t->pool, data, len)
                       : r->t->pool->empty;
    if (!copy) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        return;
    }
    r->pending[r->nfields++] = copy;
}

static void drop_pending(struct reader *r)
{
    /* Cells belong to the pool; only header names are heap strings. */
    for (size_t j = 0; !r->header_done && j < r->nfields; j++)
        free(r->pending[j]);
    r->nfields = 0;
}

static void on_record(int c, void *ctx)
{
    struct reader *r = ctx;
    (void)c;
    if (r->failed) {
        drop_pending(r);
        return;
    }
    if (!r->in_record) /* libcsv reports a record for a lone CR in CRLF */
        return;
    struct alm_table *t = r->t;
    if (!r->header_done) {
        for (size_t j = 0; j < r->nfields; j++) {
            char q[96];
            if (!r->pending[j][0]) {
                r->failed = true;
                alm_fail(r->err, ALM_EINPUT,
                         "column %zu of the header is empty", j + 1);
                break;
            }
            for (size_t k = 0; k < j; k++) {
                if (strcmp(r->pending[j], r->pending[k]) == 0) {
                    r->failed = true;
                    alm_fail(r->err, ALM_EINPUT,
                             "column '%s' appears twice in the header",
                             alm_error_quote(r->pending[j], q, sizeof q));
                    break;
                }
            }
        }
        if (r->failed) {
            alm_error_locate(r->err, t->name, r->rec_line, NULL);
            drop_pending(r);
            return;
        }
        t->header = r->pending;
        t->ncols = r->nfields;
        /* One row per line left is an upper bound short of quoted line
         * breaks: reserving it saves the copies of doubling. */
        if (!r->no_rows && reserve_rows(t, r->rows_hint) != ALM_OK) {
            r->failed = true;
            alm_fail(r->err, ALM_ENOMEM, "out of memory");
        }
        r->pending = NULL;
        r->cap = 0;
        r->nfields = 0;
        r->header_done = true;
    } else if (r->nfields != t->ncols) {
        r->failed = true;
        alm_fail(r->err, ALM_EINPUT,
                 "expected %zu fields as in the header, "
                 "found %zu",
                 t->ncols, r->nfields);
        alm_error_locate(r->err, t->name, r->rec_line, NULL);
        drop_pending(r);
    } else if (r->no_rows) {
        r->nfields = 0;
    } else if (alm_table_add_row(t, r->rec_line) != ALM_OK) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        drop_pending(r);
    } else {
        char **row = t->cells + (t->nrows - 1) * t->ncols;
        memcpy(row, r->pending, t->ncols * sizeof *row);
        r->nfields = 0;
    }
    r->in_record = false;
}

/* Spaces are data: "7.6 " must not silently become "7.6". */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Checks one physical line for bytes a CSV file of ours may not hold. */
static enum alm_status check_line(const char *s, size_t len, const char *name,
                                  long line, struct alm_error *err)
{
    enum alm_status st = ALM_OK;
    if (memchr(s, '\0', len))
        st = alm_fail(err, ALM_EINPUT, "NUL byte in the file");
    else if (!alm__utf8_valid(s, len))
        st = alm_fail(err, ALM_EINPUT, "invalid UTF-8");
    if (st != ALM_OK)
        alm_error_locate(err, name, line, NULL);
    return st;
}

/* Parses CSV text into *out, or with no_rows only checks it (*out gets
 * the header and no row). */
static enum alm_status parse(const char *data, size_t len, const char *name,
                             bool no_rows, struct alm_table **out,
                             struct alm_error *err)
{
    struct alm_error local = {0};
    struct alm_error *e = err ? err : &local;
    struct csv_parser p;
    struct reader r = {0};
    enum alm_status st = ALM_OK;

    r.t = calloc(1, sizeof *r.t);
    if (!r.t || !(r.t->name = alm__strdup(name)) || !(r.t->pool = pool_new())) {
        alm_table_free(r.t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    r.err = e;
    r.no_rows = no_rows;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        alm_table_free(r.t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    csv_set_space_func(&p, no_space);

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    for (const char *nl = data, *end = data + len;
         (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        r.rows_hint++;
    r.rows_hint++;
    size_t pos = 0, shown = 0;
    bool show = len >= ALM__PROGRESS_MIN;
    char what[300];
    if (show)
        snprintf(what, sizeof what, "reading %s", r.t->name);
    r.line = 0;
    while (pos < len && !r.failed) {
        if (show && pos - shown >= ALM__PROGRESS_MIN) {
            alm__progress(what, pos, len);
            shown = pos;
        }
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        r.line++;
        st = check_line(data + pos, n, r.t->name, r.line, e);
        if (st != ALM_OK) {
            r.failed = true;
            break;
        }
        if (csv_parse(&p, data + pos, n, on_field, on_record, &r) != n &&
            !r.failed) {
            r.failed = true;
            alm_fail(e, csv_error(&p) == CSV_ENOMEM ? ALM_ENOMEM : ALM_EINPUT,
                     "malformed quoting: a quote inside an unquoted field, "
                     "or text after a closing quote");
            alm_error_locate(e, r.t->name, r.line, NULL);
        }
        pos += n;
    }
    if (show)
        alm__progress(what, len, len);
    if (!r.failed && csv_fini(&p, on_field, on_record, &r) != 0 && !r.failed) {
        r.failed = true;
        alm_fail(e, ALM_EINPUT, "unterminated quoted field");
        alm_error_locate(e, r.t->name, r.in_record ? r.rec_line : r.line, NULL);
    }
    if (!r.failed && !r.header_done) {
        r.failed = true;
        alm_fail(e, ALM_EINPUT, "empty file: a header row is required");
        alm_error_locate(e, r.t->name, 1, NULL);
    }
    csv_free(&p);
    drop_pending(&r);
    free(r.pending);
    if (r.failed) {
        alm_table_free(r.t);
        return e->status != ALM_OK ? e->status : ALM_EINPUT;
    }
    *out = r.t;
    return ALM_OK;
}

enum alm_status alm_table_parse(const char *data, size_t len, const char *name,
                                struct alm_table **out, struct alm_error *err)
{
    return parse(data, len, name, false, out, err);
}

enum alm_status alm__table_check(const char *data, size_t len, const char *name,
                                 struct alm_error *err)
{
    struct alm_table *t = NULL;
    enum alm_status st = parse(data, len, name, true, &t, err);
    alm_table_free(t);
    return st;
}

enum alm_status alm_table_read_regular(const char *path, struct alm_table **out,
                                       struct alm_error *err)
{
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_file_read_regular(path, ALM_CSV_FILE_MAX, &b, err);
    if (st == ALM_OK)
        st = alm_table_parse(b.s, b.len, path, out, err);
    alm_buf_release(&b);
    return st;
}

enum alm_status alm_table_read(const char *path, struct alm_table **out,
                               struct alm_error *err)
{
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(path, ALM_CSV_FILE_MAX, &b, err);
    if (st == ALM_OK)
        st = alm_table_parse(
            b.s, b.len, strcmp(path, "-") == 0 ? "<stdin>" : path, out, err);
    alm_buf_release(&b);
    return st;
}

enum alm_status alm_csv_add_field(struct alm_buf *out, const char *field)
{
    /* A leading byte-order mark is quoted too: unquoted at the start of a
     * file, reading would take it for the file's BOM and drop it. */
    if (!strpbrk(field, ",\"\r\n") && strncmp(field, "\xEF\xBB\xBF", 3) != 0)
        return alm_buf_puts(out, field);
    enum alm_status st = alm_buf_putc(out, '"');
    for (const char *p = field; *p && st == ALM_OK; p++) {
        if (*p == '"')
            st = alm_buf_putc(out, '"');
        if (st == ALM_OK)
            st = alm_buf_putc(out, *p);
    }
    if (st == ALM_OK)
        st = alm_buf_putc(out, '"');
    return st;
}

static enum alm_status add_record(struct alm_buf *out, char *const *fields,
                                  size_t n)
{
    enum alm_status st = ALM_OK;
    /* A record of one empty field would be a blank line, which reading
     * skips: quote it. */
    if (n == 1 && !fields[0][0])
        return alm_buf_puts(out, "\"\"\n");
    for (size_t j = 0; j < n && st == ALM_OK; j++) {
        if (j > 0)
            st = alm_buf_putc(out, ',');
        if (st == ALM_OK)
            st = alm_csv_add_field(out, fields[j]);
    }
    if (st == ALM_OK)
        st = alm_buf_putc(out, '\n');
    return st;
}

bool alm_csv_is_formula(const char *text)
{
    double x;
    if (!text[0] || !strchr("=+-@\t\r", text[0]))
        return false;
    return alm__parse_number(text, &x, NULL) != ALM_OK;
}

bool alm_csv_needs_guard(const char *text)
{
    while (*text == '\'')
        text++;
    return alm_csv_is_formula(text);
}

const char *alm_csv_unguard(const char *text)
{
    return text[0] == '\'' && alm_csv_needs_guard(text + 1) ? text + 1 : text;
}

enum alm_status alm_table_format_guarded(const struct alm_table *t,
                                         struct alm_buf *out)
{
    size_t n = t->ncols ? t->ncols : 1;
    char **row = calloc(n, sizeof *row);
    if (!row)
        return ALM_ENOMEM;
    enum alm_status st = add_record(out, t->header, t->ncols);
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        for (size_t j = 0; j < t->ncols && st == ALM_OK; j++) {
            char *c = t->cells[i * t->ncols + j];
            if (!alm_csv_needs_guard(c)) {
                row[j] = c;
                continue;
            }
            size_t len = strlen(c);
            row[j] = malloc(len + 2);
            if (!row[j]) {
                st = ALM_ENOMEM;
                break;
            }
            row[j][0] = '\'';
            memcpy(row[j] + 1, c, len + 1);
        }
        if (st == ALM_OK)
            st = add_record(out, row, t->ncols);
        for (size_t j = 0; j < t->ncols; j++) {
            if (row[j] && row[j] != t->cells[i * t->ncols + j])
                free(row[j]);
            row[j] = NULL;
        }
    }
    free(row);
    return st;
}

enum alm_status alm_table_format(const struct alm_table *t, struct alm_buf *out)
{
    enum alm_status st = add_record(out, t->header, t->ncols);
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++)
        st = add_record(out, t->cells + i * t->ncols, t->ncols);
    return st;
}
