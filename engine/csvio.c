/* CSV tables: the cell pool, editing, reading files, and writing with
 * minimal quoting. Parsing is in csv_parse.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/csvio.h>
#include <almanac/fsio.h>

#include "csvio_internal.h"
#include "internal.h"

/* ---- the cell pool ------------------------------------------------------ */

/* Chunks double in size up to POOL_CHUNK_MAX; a field longer than the
 * next chunk gets a chunk of its own. */
#define POOL_CHUNK_MIN ((size_t)16 * 1024)
#define POOL_CHUNK_MAX ((size_t)1 << ALM__REF_BITS)

static void pool_free(struct alm_cellpool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    free(p);
}

enum alm_status alm__pool_reserve_chunks(struct alm_cellpool *p, size_t n)
{
    if (p->nchunks + n > ALM__REF_CHUNKS)
        return ALM_ENOMEM;
    if (p->nchunks + n <= p->capchunks)
        return ALM_OK;
    size_t cap = p->capchunks ? 2 * p->capchunks : 8;
    while (cap < p->nchunks + n)
        cap *= 2;
    struct pool_chunk **c = realloc(p->chunks, cap * sizeof *c);
    if (!c)
        return ALM_ENOMEM;
    p->chunks = c;
    p->capchunks = cap;
    return ALM_OK;
}

/* Returns room for n bytes and its reference in *ref, or NULL when out of
 * memory. */
static char *pool_alloc(struct alm_cellpool *p, size_t n, uint32_t *ref)
{
    size_t k = p->cur;
    struct pool_chunk *c = p->nchunks ? p->chunks[k] : NULL;
    if (!c || c->cap - c->used < n) {
        size_t cap = p->next_cap;
        if (n > POOL_CHUNK_MAX || alm__pool_reserve_chunks(p, 1) != ALM_OK)
            return NULL;
        if (cap < POOL_CHUNK_MAX)
            p->next_cap = cap * 2;
        if (cap < n)
            cap = n;
        c = alm__huge_pages(malloc(sizeof *c + cap), sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        k = p->nchunks++;
        p->chunks[k] = c;
        /* A chunk made for one big field does not become the current one,
         * whose free room is still used. */
        if (k == 0 || cap != n)
            p->cur = k;
    }
    *ref = (uint32_t)(k << ALM__REF_BITS) | (uint32_t)c->used;
    char *r = c->data + c->used;
    c->used += n;
    return r;
}

bool alm__pool_strndup(struct alm_cellpool *p, const char *s, size_t n,
                       uint32_t *ref)
{
    char *d = pool_alloc(p, n + 1, ref);
    if (!d)
        return false;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return true;
}

bool alm__pool_lend(struct alm_cellpool *p, const struct alm_cellpool *from,
                    uint32_t *shift, size_t *n)
{
    if (alm__pool_reserve_chunks(p, from->nchunks) != ALM_OK)
        return false;
    *shift = (uint32_t)p->nchunks << ALM__REF_BITS;
    *n = from->nchunks;
    memcpy(p->chunks + p->nchunks, from->chunks,
           from->nchunks * sizeof *from->chunks);
    p->nchunks += from->nchunks;
    p->shared += from->shared;
    return true;
}

void alm__pool_unlend(struct alm_cellpool *p, uint32_t shift, size_t n)
{
    size_t base = shift >> ALM__REF_BITS;
    for (size_t k = base; k < base + n && k < p->nchunks; k++)
        p->chunks[k] =
            NULL; /* pool_free() frees NULL, text_estimate skips it */
}

struct alm_cellpool *alm__pool_new(void)
{
    struct alm_cellpool *p = calloc(1, sizeof *p);
    uint32_t empty;
    if (!p)
        return NULL;
    p->next_cap = POOL_CHUNK_MIN;
    if (!alm__pool_strndup(p, "", 0, &empty)) { /* reference 0 */
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
    t->pool = alm__pool_new();
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
    alm__table_cells_free(t);
    free(t->lines);
    free(t->name);
    free(t->types);
    free(t);
}

enum alm_status alm_table_set_types(struct alm_table *t, const char *types)
{
    char *copy = types ? alm__strdup(types) : NULL;
    if (types && !copy)
        return ALM_ENOMEM;
    free(t->types);
    t->types = copy;
    return ALM_OK;
}

char alm_table_col_type(const struct alm_table *t, size_t col)
{
    if (!t->types || col >= strlen(t->types))
        return ALM_COL_TEXT;
    return t->types[col];
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
    return alm__pool_str(t->pool, t->cells[row * t->ncols + (size_t)col]);
}

enum alm_status alm_table_set(struct alm_table *t, size_t row, size_t col,
                              const char *value)
{
    size_t n = strlen(value);
    uint32_t v = 0;
    if (n && !alm__pool_strndup(t->pool, value, n, &v))
        return ALM_ENOMEM;
    t->cells[row * t->ncols + col] = v;
    return ALM_OK;
}

/* Cell arrays of this many bytes or more get a mapping of their own, in
 * huge pages: they grow by moving page tables (mremap), never by a copy
 * into fresh memory, so that a table's rows can widen in place
 * (alm__table_cells_grow). */
static size_t cells_map_min = (size_t)4 << 20;

void alm__cells_map_min(size_t bytes)
{
    cells_map_min = bytes;
}

void alm__table_cells_free(struct alm_table *t)
{
    if (t->cells_mapped)
        alm__map_free(t->cells, t->cells_mapped);
    else
        free(t->cells);
    t->cells = NULL;
    t->cells_mapped = 0;
}

void alm__table_cells_move(struct alm_table *to, struct alm_table *from)
{
    alm__table_cells_free(to);
    to->cells = from->cells;
    to->cells_mapped = from->cells_mapped;
    from->cells = NULL;
    from->cells_mapped = 0;
}

enum alm_status alm__table_cells_grow(struct alm_table *t, size_t ncells,
                                      size_t keep)
{
    if (ncells > (size_t)-1 / sizeof *t->cells)
        return ALM_ENOMEM;
    size_t bytes = (ncells ? ncells : 1) * sizeof *t->cells;
    if (t->cells_mapped >= bytes)
        return ALM_OK;
    if (t->cells_mapped || bytes >= cells_map_min) {
        size_t got = bytes;
        uint32_t *p = alm__map_grow(t->cells_mapped ? t->cells : NULL,
                                    t->cells_mapped, &got);
        if (!p && t->cells_mapped)
            return ALM_ENOMEM;
        if (p) {
            if (!t->cells_mapped && t->cells) {
                memcpy(p, t->cells, keep * sizeof *t->cells);
                free(t->cells);
            }
            t->cells = p;
            t->cells_mapped = got;
            return ALM_OK;
        }
    }
    uint32_t *cells = realloc(t->cells, bytes);
    if (!cells)
        return ALM_ENOMEM;
    t->cells = alm__huge_pages(cells, bytes);
    return ALM_OK;
}

enum alm_status alm__table_reserve_rows(struct alm_table *t, size_t cap)
{
    if (cap <= t->caprows)
        return ALM_OK;
    if (t->ncols && cap > ((size_t)-1 / sizeof(uint32_t)) / t->ncols)
        return ALM_ENOMEM;
    size_t w = t->ncols ? t->ncols : 1;
    if (alm__table_cells_grow(t, cap * w, t->nrows * w) != ALM_OK)
        return ALM_ENOMEM;
    long *lines = realloc(t->lines, cap * sizeof *lines);
    if (!lines)
        return ALM_ENOMEM;
    t->lines = alm__huge_pages(lines, cap * sizeof *lines);
    t->caprows = cap;
    return ALM_OK;
}

enum alm_status alm_table_add_row(struct alm_table *t, long line)
{
    if (t->nrows == t->caprows &&
        alm__table_reserve_rows(t, t->caprows ? 2 * t->caprows : 16) != ALM_OK)
        return ALM_ENOMEM;
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
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
    if (!h)
        return ALM_ENOMEM;
    if (cap &&
        (cap > ((size_t)-1 / sizeof(uint32_t)) / nc ||
         alm__table_cells_grow(t, cap * nc, t->nrows * t->ncols) != ALM_OK)) {
        free(h);
        return ALM_ENOMEM;
    }
    /* The rows widen in place, the last first. */
    for (size_t i = t->nrows; i-- > 0;) {
        memmove(t->cells + i * nc, t->cells + i * t->ncols,
                t->ncols * sizeof *t->cells);
        t->cells[i * nc + t->ncols] = 0; /* "" */
    }
    t->header[t->ncols] = h;
    t->ncols = nc;
    if (col)
        *col = (long)nc - 1;
    return ALM_OK;
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

bool alm_csv_field_plain(const char *field)
{
    /* A leading byte-order mark is quoted too: unquoted at the start of a
     * file, reading would take it for the file's BOM and drop it. */
    return !strpbrk(field, ",\"\r\n") && strncmp(field, "\xEF\xBB\xBF", 3) != 0;
}

enum alm_status alm_csv_add_field(struct alm_buf *out, const char *field)
{
    if (alm_csv_field_plain(field))
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

/* True when field must be quoted (alm_csv_add_field): it holds ',', '"',
 * CR or LF, or starts with a byte-order mark, which a guard (prefix) puts
 * off the start; its length to *len. */
static bool needs_quotes(const char *field, bool prefix, size_t *len)
{
    static const unsigned char special[256] = {
        ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1};
    unsigned char any = 0;
    size_t n = 0;
    for (; field[n]; n++)
        any |= special[(unsigned char)field[n]];
    *len = n;
    return any || (!prefix && n >= 3 && memcmp(field, "\xEF\xBB\xBF", 3) == 0);
}

static bool line_room(struct alm__csv_line *l, size_t extra)
{
    if (l->cap - l->len >= extra)
        return true;
    size_t cap = l->cap ? l->cap : 256;
    while (cap - l->len < extra) {
        if (cap > ((size_t)-1) / 4)
            return false;
        cap *= 2;
    }
    char *s = realloc(l->s, cap);
    if (!s)
        return false;
    l->s = s;
    l->cap = cap;
    return true;
}

/* Appends field f to l as alm_csv_add_field would, with a ',' before it
 * unless first; with prefix, f's text is preceded by a '\'' (a guard). */
static bool line_field(struct alm__csv_line *l, const char *f, bool first,
                       bool prefix)
{
    size_t n;
    bool quote = needs_quotes(f, prefix, &n);
    /* Quoting at most doubles every byte; 4 more for the quotes, the
     * separator and the guard. */
    if (n > ((size_t)-1) / 4 || !line_room(l, 2 * n + 4))
        return false;
    if (n + prefix > l->longest)
        l->longest = n + prefix;
    char *d = l->s + l->len;
    if (!first)
        *d++ = ',';
    if (!quote) {
        if (prefix)
            *d++ = '\'';
        memcpy(d, f, n);
        d += n;
    } else {
        *d++ = '"';
        if (prefix)
            *d++ = '\'';
        for (size_t i = 0; i < n; i++) {
            if (f[i] == '"')
                *d++ = '"';
            *d++ = f[i];
        }
        *d++ = '"';
    }
    l->len = (size_t)(d - l->s);
    return true;
}

enum alm_status alm__csv_put_record(struct alm_buf *out,
                                    struct alm__csv_line *l,
                                    const char *const *fields,
                                    const bool *guarded, size_t n)
{
    l->len = 0;
    /* A record of one empty field would be a blank line, which reading
     * skips: quote it. */
    if (n == 1 && !fields[0][0] && !(guarded && guarded[0]))
        return alm_buf_puts(out, "\"\"\n");
    for (size_t j = 0; j < n; j++)
        if (!line_field(l, fields[j], j == 0, guarded && guarded[j]))
            return ALM_ENOMEM;
    if (!line_room(l, 1))
        return ALM_ENOMEM;
    l->s[l->len++] = '\n';
    return alm_buf_add(out, l->s, l->len);
}

/* Makes room in b for n more bytes at once, where that saves the copies
 * of doubling; when it cannot, the appends grow b as they go. */
static void buf_reserve(struct alm_buf *b, size_t n)
{
    if (b->failed || n > ((size_t)-1) / 2 - b->len || b->cap > b->len + n)
        return;
    char *s = realloc(b->s, b->len + n + 1);
    if (!s)
        return;
    if (!b->s)
        s[0] = '\0';
    b->s = s;
    b->cap = b->len + n + 1;
}

/* The bytes rows [from, to) of t take once written, about: their share
 * of the pool's text (a cell's NUL stands for its separator) and a
 * separator per cell. */
static size_t text_estimate(const struct alm_table *t, size_t from, size_t to)
{
    size_t pool = 0;
    for (size_t k = 0; k < t->pool->nchunks; k++)
        pool += t->pool->chunks[k] ? t->pool->chunks[k]->used : 0;
    pool += t->pool->shared;
    if (!t->nrows)
        return 64;
    return (size_t)((double)pool * (double)(to - from) / (double)t->nrows) +
           (to - from) * (t->ncols + 1) + 64;
}

/* Appends rows [from, to) of t to out; the longest field to *longest. */
static enum alm_status format_rows(const struct alm_table *t, bool guard,
                                   size_t from, size_t to, struct alm_buf *out,
                                   size_t *longest)
{
    size_t n = t->ncols ? t->ncols : 1;
    const char **row = calloc(n, sizeof *row);
    bool *guarded = calloc(n, sizeof *guarded);
    struct alm__csv_line l = {NULL, 0, 0, 0};
    enum alm_status st = row && guarded ? ALM_OK : ALM_ENOMEM;
    for (size_t i = from; i < to && st == ALM_OK; i++) {
        const uint32_t *cells = t->cells + i * t->ncols;
        for (size_t j = 0; j < t->ncols; j++) {
            row[j] = alm__pool_str(t->pool, cells[j]);
            guarded[j] = guard && alm_csv_needs_guard(row[j]);
        }
        st =
            alm__csv_put_record(out, &l, row, guard ? guarded : NULL, t->ncols);
    }
    *longest = l.longest;
    free(l.s);
    free(row);
    free(guarded);
    return st;
}

/* The second half of a long table's rows, written on a thread of its
 * own. */
struct half {
    const struct alm_table *t;
    bool guard;
    size_t from, to;
    struct alm_buf out;
    size_t longest;
    enum alm_status st;
};

static void *format_half(void *arg)
{
    struct half *h = arg;
    buf_reserve(&h->out, text_estimate(h->t, h->from, h->to));
    h->st = format_rows(h->t, h->guard, h->from, h->to, &h->out, &h->longest);
    return NULL;
}

/* Tables of at least this many rows are written in two halves at once. */
#define FORMAT_SPLIT_ROWS 65536

/* Formats rows [a, b) of t: the first half into out on this thread, the
 * second into h->out on another when there are split rows or more (else
 * h->out stays empty); the longest field to *longest when longer. */
static enum alm_status format_halves(const struct alm_table *t, bool guard,
                                     size_t a, size_t b, size_t split,
                                     struct alm_buf *out, struct half *h,
                                     size_t *longest)
{
    size_t mid = b - a >= split ? a + (b - a) / 2 : b;
    h->t = t;
    h->guard = guard;
    h->from = mid;
    h->to = b;
    h->longest = 0;
    h->st = ALM_OK;
    alm_buf_reset(&h->out);
    pthread_t th;
    bool threaded = mid < b && pthread_create(&th, NULL, format_half, h) == 0;
    size_t most = 0;
    enum alm_status st =
        format_rows(t, guard, a, threaded ? mid : b, out, &most);
    if (most > *longest)
        *longest = most;
    if (threaded) {
        pthread_join(th, NULL);
        if (st == ALM_OK)
            st = h->st;
        if (h->longest > *longest)
            *longest = h->longest;
    }
    return st;
}

static enum alm_status format(const struct alm_table *t, bool guard,
                              struct alm_buf *out, size_t *longest)
{
    struct alm__csv_line l = {NULL, 0, 0, 0};
    buf_reserve(out, text_estimate(t, 0, t->nrows));
    enum alm_status st = alm__csv_put_record(
        out, &l, (const char *const *)t->header, NULL, t->ncols);
    *longest = l.longest;
    free(l.s);
    alm__ops += t->nrows; /* the rows written */
    struct half h = {t, guard, 0, 0, ALM_BUF_INIT, 0, ALM_OK};
    if (st == ALM_OK)
        st = format_halves(t, guard, 0, t->nrows, FORMAT_SPLIT_ROWS, out, &h,
                           longest);
    if (st == ALM_OK && h.out.len)
        st = alm_buf_add(out, h.out.s, h.out.len);
    alm_buf_release(&h.out);
    return st;
}

/* Rows alm__table_write formats at a time (two halves on two threads). */
#define WRITE_STEP_ROWS 65536

/* The text of one step, given to put on a thread of its own while the
 * next step is formatted, so that the disk's time and the digest's
 * overlap the formatting. */
struct put_job {
    enum alm_status (*put)(void *ctx, const char *s, size_t len);
    void *ctx;
    struct alm_buf first, second;
    enum alm_status st;
};

static void *put_step(void *arg)
{
    struct put_job *j = arg;
    j->st = j->put(j->ctx, j->first.s ? j->first.s : "", j->first.len);
    if (j->st == ALM_OK && j->second.len)
        j->st = j->put(j->ctx, j->second.s, j->second.len);
    return NULL;
}

static void swap_bufs(struct alm_buf *a, struct alm_buf *b)
{
    struct alm_buf t = *a;
    *a = *b;
    *b = t;
}

enum alm_status
alm__table_write(const struct alm_table *t,
                 enum alm_status (*put)(void *ctx, const char *s, size_t len),
                 void *ctx, size_t *longest)
{
    struct alm__csv_line l = {NULL, 0, 0, 0};
    struct alm_buf out = ALM_BUF_INIT;
    struct half h = {t, false, 0, 0, ALM_BUF_INIT, 0, ALM_OK};
    struct put_job job = {put, ctx, ALM_BUF_INIT, ALM_BUF_INIT, ALM_OK};
    pthread_t putter;
    bool putting = false;
    enum alm_status st = alm__csv_put_record(
        &out, &l, (const char *const *)t->header, NULL, t->ncols);
    *longest = l.longest;
    free(l.s);
    alm__ops += t->nrows; /* the rows written */
    for (size_t a = 0; a < t->nrows && st == ALM_OK; a += WRITE_STEP_ROWS) {
        size_t b =
            t->nrows - a < WRITE_STEP_ROWS ? t->nrows : a + WRITE_STEP_ROWS;
        st = format_halves(t, false, a, b, FORMAT_SPLIT_ROWS / 2, &out, &h,
                           longest);
        if (putting) {
            pthread_join(putter, NULL);
            putting = false;
            if (st == ALM_OK)
                st = job.st;
        }
        if (st != ALM_OK)
            break;
        swap_bufs(&job.first, &out);
        swap_bufs(&job.second, &h.out); /* empty when not threaded */
        putting = pthread_create(&putter, NULL, put_step, &job) == 0;
        if (!putting) {
            put_step(&job);
            st = job.st;
        }
        alm_buf_reset(&out);
    }
    if (putting) {
        pthread_join(putter, NULL);
        if (st == ALM_OK)
            st = job.st;
    }
    if (st == ALM_OK && out.len) /* the header of a table without rows */
        st = put(ctx, out.s, out.len);
    alm_buf_release(&out);
    alm_buf_release(&h.out);
    alm_buf_release(&job.first);
    alm_buf_release(&job.second);
    return st;
}

enum alm_status alm_table_format_guarded(const struct alm_table *t,
                                         struct alm_buf *out)
{
    size_t longest;
    return format(t, true, out, &longest);
}

enum alm_status alm_table_format(const struct alm_table *t, struct alm_buf *out)
{
    size_t longest;
    return format(t, false, out, &longest);
}

enum alm_status alm__table_format_longest(const struct alm_table *t,
                                          struct alm_buf *out, size_t *longest)
{
    return format(t, false, out, longest);
}
