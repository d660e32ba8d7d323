/* CSV tables: reading with libcsv, one physical line at a time so that
 * every record knows the line it starts on, and writing with minimal
 * quoting. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include <almanac/csvio.h>

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
    /* Most lines are ASCII without NUL: one pass over them says so. */
    unsigned char high = 0, zero = 1;
    for (size_t i = 0; i < len; i++) {
        high |= (unsigned char)s[i];
        zero &= (unsigned char)(s[i] != '\0');
    }
    if (high < 0x80 && zero)
        return ALM_OK;
    if (memchr(s, '\0', len))
        st = alm_fail(err, ALM_EINPUT, "NUL byte in the file");
    else if (!alm__utf8_valid(s, len))
        st = alm_fail(err, ALM_EINPUT, "invalid UTF-8");
    if (st != ALM_OK)
        alm_error_locate(err, name, line, NULL);
    return st;
}

/* One parser over a stretch of the text: data[0..len) starts at a record
 * boundary on physical line r.line + 1. */
struct part {
    struct reader r;
    struct csv_parser p;
    const char *data;
    size_t len, pos;
    const char *what;     /* progress label, or NULL for none */
    size_t total;         /* the whole text's length, for progress */
    bool fini_done;       /* csv_fini was called */
    struct alm_error err; /* where r.err points unless told otherwise */
};

/* Feeds lines of pt to its parser until the text ends or something fails;
 * with header_only, stops once the header record is complete. */
static void feed(struct part *pt, bool header_only)
{
    struct reader *r = &pt->r;
    size_t shown = pt->pos;
    while (pt->pos < pt->len && !r->failed &&
           !(header_only && r->header_done)) {
        if (pt->what && pt->pos - shown >= ALM__PROGRESS_MIN) {
            alm__progress(pt->what, pt->pos, pt->total);
            shown = pt->pos;
        }
        const char *s = pt->data + pt->pos;
        const char *nl = memchr(s, '\n', pt->len - pt->pos);
        size_t n = nl ? (size_t)(nl - s) + 1 : pt->len - pt->pos;
        r->line++;
        if (check_line(s, n, r->t->name, r->line, r->err) != ALM_OK) {
            r->failed = true;
            break;
        }
        if (csv_parse(&pt->p, s, n, on_field, on_record, r) != n &&
            !r->failed) {
            r->failed = true;
            alm_fail(r->err,
                     csv_error(&pt->p) == CSV_ENOMEM ? ALM_ENOMEM : ALM_EINPUT,
                     "malformed quoting: a quote inside an unquoted field, "
                     "or text after a closing quote");
            alm_error_locate(r->err, r->t->name, r->line, NULL);
        }
        pt->pos += n;
    }
}

/* Ends pt's parse: the last record, and the checks that need the end. */
static void finish(struct part *pt)
{
    struct reader *r = &pt->r;
    if (!r->failed && !pt->fini_done &&
        csv_fini(&pt->p, on_field, on_record, r) != 0 && !r->failed) {
        r->failed = true;
        alm_fail(r->err, ALM_EINPUT, "unterminated quoted field");
        alm_error_locate(r->err, r->t->name,
                         r->in_record ? r->rec_line : r->line, NULL);
    }
    csv_free(&pt->p);
    drop_pending(r);
    free(r->pending);
    r->pending = NULL;
}

static void *feed_thread(void *arg)
{
    struct part *pt = arg;
    feed(pt, false);
    finish(pt);
    return NULL;
}

/* Texts at least this long are parsed in two halves on two threads. */
static size_t split_min = (size_t)8 << 20;

void alm__csv_split_min(size_t bytes)
{
    split_min = bytes;
}

/* Where the second half of data[from..len) may start: just after the
 * first line end past the middle that an even number of quotes precedes
 * (a line end inside a quoted field follows an odd number), or len. */
static size_t split_point(const char *data, size_t from, size_t len)
{
    size_t mid = from + (len - from) / 2, quotes = 0;
    for (const char *q = data + from, *end = data + mid;
         (q = memchr(q, '"', (size_t)(end - q))) != NULL; q++)
        quotes++;
    for (size_t i = mid; i < len; i++) {
        if (data[i] == '"')
            quotes++;
        else if (data[i] == '\n' && quotes % 2 == 0)
            return i + 1 < len ? i + 1 : len;
    }
    return len;
}

static size_t count_lines(const char *data, size_t len)
{
    size_t n = 0;
    for (const char *nl = data, *end = data + len;
         (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        n++;
    return n;
}

static enum alm_status part_init(struct part *pt, struct alm_table *t,
                                 bool no_rows, struct alm_error *err)
{
    pt->r.t = t;
    pt->r.err = err ? err : &pt->err;
    pt->r.no_rows = no_rows;
    if (csv_init(&pt->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return ALM_ENOMEM;
    csv_set_space_func(&pt->p, no_space);
    return ALM_OK;
}

/* Moves the rows of b (a table of the same columns, its header borrowed
 * from a) behind a's, within a's reserved rows, and b's cell text into a's
 * pool; frees b. */
static enum alm_status absorb(struct alm_table *a, struct alm_table *b)
{
    if (reserve_rows(a, a->nrows + b->nrows) != ALM_OK)
        return ALM_ENOMEM; /* b stays b's */
    memcpy(a->cells + a->nrows * a->ncols, b->cells,
           b->nrows * b->ncols * sizeof *b->cells);
    memcpy(a->lines + a->nrows, b->lines, b->nrows * sizeof *b->lines);
    a->nrows += b->nrows;
    struct pool_chunk *tail = b->pool->head;
    while (tail && tail->next)
        tail = tail->next;
    if (tail) { /* behind a's current chunk, whose free room stays in use */
        tail->next = a->pool->head->next;
        a->pool->head->next = b->pool->head;
        b->pool->head = NULL;
    }
    b->header = NULL;
    b->ncols = 0;
    alm_table_free(b);
    return ALM_OK;
}

/* Parses the rows after one's header on two threads when they are long:
 * the second half into a table of its own, absorbed afterwards. The first
 * half is a prefix of the text, so a problem there is the serial parse's
 * first problem. Returns false when the second half failed or the cut was
 * not a record boundary: the caller then parses serially, for the exact
 * first problem. */
static bool parse_halves(struct part *one, bool no_rows)
{
    const char *data = one->data;
    size_t len = one->len, cut = split_point(data, one->pos, len);
    if (no_rows || len - one->pos < split_min || cut >= len)
        return true; /* not split: one goes on alone */
    struct alm_table *t = one->r.t, *t2 = calloc(1, sizeof *t2);
    struct part two = {0};
    size_t lines2 = count_lines(data + cut, len - cut) + 1;
    bool ok = t2 && (t2->name = alm__strdup(t->name)) &&
              (t2->pool = pool_new()) &&
              part_init(&two, t2, false, NULL) == ALM_OK;
    if (ok) {
        t2->header = t->header;
        t2->ncols = t->ncols;
        ok = reserve_rows(t2, lines2) == ALM_OK;
    }
    if (!ok) {
        if (two.r.t)
            csv_free(&two.p);
        if (t2)
            t2->header = NULL, t2->ncols = 0;
        alm_table_free(t2);
        return true;
    }
    two.r.header_done = true;
    two.r.line =
        one->r.line + (long)count_lines(data + one->pos, cut - one->pos);
    two.data = data + cut;
    two.len = len - cut;
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, feed_thread, &two) == 0;
    one->len = cut;
    feed(one, false);
    one->len = len;
    bool at_boundary = true;
    if (!one->r.failed) {
        one->fini_done = true;
        /* A cut inside a quoted field leaves it unterminated. */
        at_boundary = csv_fini(&one->p, on_field, on_record, &one->r) == 0;
    }
    if (threaded)
        pthread_join(th, NULL);
    else
        feed_thread(&two);
    ok = one->r.failed || (at_boundary && !two.r.failed);
    if (ok && !one->r.failed && absorb(t, t2) == ALM_OK)
        t2 = NULL;
    else if (!one->r.failed)
        ok = false;
    if (t2) {
        t2->header = NULL;
        t2->ncols = 0;
        alm_table_free(t2);
    }
    one->pos = len;
    return ok;
}

/* Parses CSV text into *out, or with no_rows only checks it (*out gets
 * the header and no row). Serial: one parser from the first line to the
 * last; with split, a long text's rows are parsed in two halves at once. */
static enum alm_status parse_text(const char *data, size_t len,
                                  const char *name, bool no_rows, bool split,
                                  struct alm_table **out, struct alm_error *err)
{
    struct part one = {0};
    struct alm_table *t = calloc(1, sizeof *t);
    const char *text = data;
    size_t text_len = len;
    if (!t || !(t->name = alm__strdup(name)) || !(t->pool = pool_new()) ||
        part_init(&one, t, no_rows, err) != ALM_OK) {
        alm_table_free(t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    one.r.rows_hint = count_lines(data, len) + 1;
    one.data = data;
    one.len = one.total = len;
    char what[300];
    if (len >= ALM__PROGRESS_MIN) {
        snprintf(what, sizeof what, "reading %s", t->name);
        one.what = what;
    }
    feed(&one, true);
    bool clean = true;
    if (!one.r.failed && split)
        clean = parse_halves(&one, no_rows);
    if (clean)
        feed(&one, false);
    if (one.what)
        alm__progress(what, len, len);
    if (clean)
        finish(&one);
    else {
        csv_free(&one.p);
        drop_pending(&one.r);
        free(one.r.pending);
    }
    if (clean && !one.r.failed && !one.r.header_done) {
        one.r.failed = true;
        alm_fail(one.r.err, ALM_EINPUT, "empty file: a header row is required");
        alm_error_locate(one.r.err, t->name, 1, NULL);
    }
    if (!clean) {
        alm_table_free(t);
        return parse_text(text, text_len, name, no_rows, false, out, err);
    }
    if (one.r.failed) {
        alm_table_free(t);
        return one.r.err->status != ALM_OK ? one.r.err->status : ALM_EINPUT;
    }
    *out = t;
    return ALM_OK;
}

static enum alm_status parse(const char *data, size_t len, const char *name,
                             bool no_rows, struct alm_table **out,
                             struct alm_error *err)
{
    return parse_text(data, len, name, no_rows, true, out, err);
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
static enum alm_status read_stream(FILE *f, const char *path, size_t max,
                                   struct alm_buf *out, struct alm_error *err);

enum alm_status alm_file_read(const char *path, size_t max, struct alm_buf *out,
                              struct alm_error *err)
{
    char q[300];
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(errno));
    enum alm_status st = read_stream(f, path, max, out, err);
    if (!is_stdin)
        fclose(f);
    return st;
}

/* Reads f to its end into out (see alm_file_read). */
static enum alm_status read_stream(FILE *f, const char *path, size_t max,
                                   struct alm_buf *out, struct alm_error *err)
{
    char q[300];
    char chunk[65536];
    size_t n;
    enum alm_status st = ALM_OK;
    /* A regular file is read straight into a buffer of its size, so a
     * large file is neither copied twice nor given twice its room. */
    struct stat sb;
    bool direct = false;
    bool regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
    if (regular && (unsigned long long)sb.st_size > max)
        st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %zu bytes",
                      alm_error_quote(path, q, sizeof q), max);
    else if (regular && sb.st_size > 0 &&
             out->cap < out->len + (size_t)sb.st_size + 1) {
        size_t cap = out->len + (size_t)sb.st_size + 1;
        char *s = realloc(out->s, cap);
        if (!s)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        else {
            out->s = s;
            out->cap = cap;
            out->s[out->len] = '\0';
            direct = true;
        }
    }
    while (st == ALM_OK && direct && out->cap > out->len + 1 &&
           (n = fread(out->s + out->len, 1, out->cap - out->len - 1, f)) > 0) {
        out->len += n;
        out->s[out->len] = '\0';
    }
    while (st == ALM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > max) {
            st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %zu bytes",
                          alm_error_quote(path, q, sizeof q), max);
            break;
        }
        if (alm_buf_add(out, chunk, n) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
    }
    if (st == ALM_OK && ferror(f))
        st = alm_fail(err, ALM_EIO, "cannot read '%s': %s",
                      alm_error_quote(path, q, sizeof q), strerror(errno));
    if (st == ALM_OK && !out->s)
        st = alm_buf_add(out, "", 0);
    return st;
}

enum alm_status alm_file_read_regular(const char *path, size_t max,
                                      struct alm_buf *out,
                                      struct alm_error *err)
{
    char q[300];
    struct stat sb;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP)
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is a symbolic link: a dataset file must be a "
                        "regular file (replace the link with a copy of its "
                        "target)",
                        alm_error_quote(path, q, sizeof q));
    if (fd < 0)
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is not a regular file (a folder, a device, a "
                        "FIFO or a socket): a dataset file must be a regular "
                        "file",
                        alm_error_quote(path, q, sizeof q));
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
        !(f = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(e));
    }
    enum alm_status st = read_stream(f, path, max, out, err);
    fclose(f);
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
