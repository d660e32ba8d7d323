/* CSV tables: parsing with libcsv, one physical line at a time so that
 * every record knows the line it starts on; a long text's rows on two
 * threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include <almanac/csvio.h>

#include "csvio_internal.h"
#include "internal.h"

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
    char **pending;   /* the header's names, until it is complete */
    uint32_t *refs;   /* the cells of the current record, after it */
    uint32_t *lens;   /* their lengths */
    /* The cells of the record before (nlast of them, 0 before the first
     * row): a field equal to the one above it shares its text. */
    uint32_t *last_refs, *last_lens;
    size_t nlast;
    size_t cap;
    size_t rows_hint; /* lines in the file: rows to reserve */
    bool no_rows;     /* check the text only: keep no row */
    bool failed;
};

/* Doubles the room for a record's fields. */
static bool grow_pending(struct reader *r)
{
    size_t cap = r->cap ? 2 * r->cap : 16;
    char **p = realloc(r->pending, cap * sizeof *p);
    if (!p)
        return false;
    r->pending = p;
    uint32_t **a[4] = {&r->refs, &r->lens, &r->last_refs, &r->last_lens};
    for (size_t k = 0; k < 4; k++) {
        uint32_t *q = realloc(*a[k], cap * sizeof *q);
        if (!q)
            return false;
        *a[k] = q;
    }
    r->cap = cap;
    return true;
}

static void free_pending(struct reader *r)
{
    free(r->pending);
    free(r->refs);
    free(r->lens);
    free(r->last_refs);
    free(r->last_lens);
    r->pending = NULL;
    r->refs = r->lens = r->last_refs = r->last_lens = NULL;
}

/* The few helpers of the per-field path, inlined where it is. */
#if defined(__GNUC__)
#define HOT_INLINE static inline __attribute__((always_inline))
#else
#define HOT_INLINE static inline
#endif

/* Loads of 8 and 4 bytes, at any address. */
HOT_INLINE uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return w;
}

HOT_INLINE uint32_t load4(const char *s)
{
    uint32_t w;
    memcpy(&w, s, sizeof w);
    return w;
}

/* memcmp(a, b, n) == 0 for 0 < n <= 16 in a few loads (two that overlap
 * cover 4 to 16 bytes), never past a[n - 1] or b[n - 1]. */
HOT_INLINE bool same_short(const char *a, const char *b, size_t n)
{
    if (n >= 8)
        return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    if (n >= 4)
        return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/* The reference of a row's cell of text data[0..len), len > 0, field j:
 * the cell above when it holds the same text (ids, sources and vintages
 * repeat down a file; no copy then), else a copy in the pool. False when
 * out of memory. */
static bool cell_ref(struct reader *r, size_t j, const char *data, size_t len,
                     uint32_t *ref)
{
    struct alm_cellpool *pool = r->t->pool;
    if (j < r->nlast && r->last_lens[j] == len &&
        memcmp(alm__pool_str(pool, r->last_refs[j]), data, len) == 0) {
        *ref = r->last_refs[j];
        pool->shared += len + 1;
        return true;
    }
    return alm__pool_put(pool, data, len, ref);
}

static void field_slow(struct reader *r, const char *data, size_t len);

/* Field j of a row, data[0..len) (on_field's path for a text longer
 * than 16 bytes or not the one above). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
field_put(struct reader *r, size_t j, const char *data, size_t len)
{
    /* A short text is known not to be the one above. */
    if (!(len > 16 ? cell_ref(r, j, data, len, &r->refs[j])
                   : alm__pool_put(r->t->pool, data, len, &r->refs[j]))) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        return;
    }
    r->lens[j] = (uint32_t)len;
    r->nfields = j + 1;
}

/* libcsv's field callback. A row's field that needs no check is an empty
 * cell, the cell above when it holds the same text (ids, sources and
 * vintages repeat down a file; no copy then), else field_put's;
 * the header's, the failing ones and the first of a record longer than
 * any before take field_slow. */
static void on_field(void *data, size_t len, void *ctx)
{
    struct reader *r = ctx;
    size_t j = r->nfields;
    if (r->failed || !r->header_done || r->no_rows || j >= r->cap ||
        len > ALM_CSV_FIELD_MAX || j >= ALM_CSV_COLS_MAX) {
        field_slow(r, data, len);
        return;
    }
    if (!r->in_record) {
        r->in_record = true;
        r->rec_line = r->line;
    }
    uint32_t ref = 0; /* "" */
    if (len) {
        /* No call on this path but tail calls: no registers to save. */
        if (len > 16 || j >= r->nlast || r->last_lens[j] != len ||
            !same_short(alm__pool_str(r->t->pool, r->last_refs[j]), data,
                        len)) {
            field_put(r, j, data, len);
            return;
        }
        ref = r->last_refs[j];
        r->t->pool->shared += len + 1;
    }
    r->refs[j] = ref;
    r->lens[j] = (uint32_t)len;
    r->nfields = j + 1;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
field_slow(struct reader *r, const char *data, size_t len)
{
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
    if (r->nfields == r->cap && !grow_pending(r)) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        return;
    }
    /* Header names are heap strings (the table frees them one by one);
     * cells go to the pool. */
    bool ok = true;
    if (!r->header_done)
        ok = (r->pending[r->nfields] =
                  alm__strndup(data ? data : "", data ? len : 0)) != NULL;
    else if (len)
        ok = cell_ref(r, r->nfields, data, len, &r->refs[r->nfields]);
    else
        r->refs[r->nfields] = 0; /* "" */
    if (!ok) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        return;
    }
    if (r->header_done)
        r->lens[r->nfields] = (uint32_t)len;
    r->nfields++;
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
        if (!r->no_rows && alm__table_reserve_rows(t, r->rows_hint) != ALM_OK) {
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
    } else if (t->nrows == t->caprows &&
               alm__table_reserve_rows(t, t->caprows ? 2 * t->caprows : 16) !=
                   ALM_OK) {
        r->failed = true;
        alm_fail(r->err, ALM_ENOMEM, "out of memory");
        drop_pending(r);
    } else {
        memcpy(t->cells + t->nrows * t->ncols, r->refs,
               t->ncols * sizeof *t->cells);
        t->lines[t->nrows++] = r->rec_line;
        /* This record is the one above the next. */
        uint32_t *refs = r->refs, *lens = r->lens;
        r->refs = r->last_refs;
        r->lens = r->last_lens;
        r->last_refs = refs;
        r->last_lens = lens;
        r->nlast = t->ncols;
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

/* Lines are fed in blocks of about this many bytes, each looked at once
 * for what makes its lines need checks of their own. */
#define BLOCK_BYTES ((size_t)64 << 10)

/* True when s[0..n) holds no byte check_line looks for (none >= 0x80, no
 * NUL) and no space or tab: libcsv's own test of spaces, which would trim
 * them, then finds none, and its lines need no check. Eight bytes at a
 * time: (w - 0x01..) & ~w has a byte's high bit set, at or above a byte
 * of w that is zero, only when w has one. */
static bool plain_block(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, sp, tab;
        memcpy(&w, s + i, 8);
        sp = w ^ (ones * ' ');
        tab = w ^ (ones * '\t');
        acc |=
            w | ((w - ones) & ~w) | ((sp - ones) & ~sp) | ((tab - ones) & ~tab);
    }
    unsigned char bad = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bad |= (unsigned char)(c >= 0x80 || c == '\0' || c == ' ' || c == '\t');
    }
    return !bad && !(acc & (ones * 0x80));
}

/* Feeds lines of pt to its parser until the text ends or something fails;
 * with header_only, stops once the header record is complete. */
static void feed(struct part *pt, bool header_only)
{
    struct reader *r = &pt->r;
    size_t shown = pt->pos;
    while (pt->pos < pt->len && !r->failed &&
           !(header_only && r->header_done)) {
        size_t end = pt->len;
        if (pt->len - pt->pos > BLOCK_BYTES) {
            const char *from = pt->data + pt->pos + BLOCK_BYTES;
            const char *nl = memchr(from, '\n', end - pt->pos - BLOCK_BYTES);
            if (nl)
                end = (size_t)(nl - pt->data) + 1;
        }
        bool plain = plain_block(pt->data + pt->pos, end - pt->pos);
        /* Spaces are data: without any, libcsv's test of them is its
         * own, not a call per byte. */
        csv_set_space_func(&pt->p, plain ? NULL : no_space);
        while (pt->pos < end && !r->failed &&
               !(header_only && r->header_done)) {
            if (pt->what && pt->pos - shown >= ALM__PROGRESS_MIN) {
                alm__progress(pt->what, pt->pos, pt->total);
                shown = pt->pos;
            }
            const char *s = pt->data + pt->pos;
            const char *nl = memchr(s, '\n', end - pt->pos);
            size_t n = nl ? (size_t)(nl - s) + 1 : end - pt->pos;
            r->line++;
            if (!plain &&
                check_line(s, n, r->t->name, r->line, r->err) != ALM_OK) {
                r->failed = true;
                break;
            }
            if (csv_parse(&pt->p, s, n, on_field, on_record, r) != n &&
                !r->failed) {
                r->failed = true;
                alm_fail(r->err,
                         csv_error(&pt->p) == CSV_ENOMEM ? ALM_ENOMEM
                                                         : ALM_EINPUT,
                         "malformed quoting: a quote inside an unquoted "
                         "field, or text after a closing quote");
                alm_error_locate(r->err, r->t->name, r->line, NULL);
            }
            pt->pos += n;
        }
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
    free_pending(r);
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
    struct alm_cellpool *pa = a->pool, *pb = b->pool;
    if (alm__table_reserve_rows(a, a->nrows + b->nrows) != ALM_OK ||
        alm__pool_reserve_chunks(pa, pb->nchunks) != ALM_OK)
        return ALM_ENOMEM; /* b stays b's */
    /* b's chunks go behind a's (a's current chunk stays current), so b's
     * references move up by a's number of chunks. */
    uint32_t shift = (uint32_t)pa->nchunks << ALM__REF_BITS;
    uint32_t *to = a->cells + a->nrows * a->ncols;
    for (size_t i = 0; i < b->nrows * b->ncols; i++)
        to[i] = b->cells[i] + shift;
    memcpy(a->lines + a->nrows, b->lines, b->nrows * sizeof *b->lines);
    a->nrows += b->nrows;
    memcpy(pa->chunks + pa->nchunks, pb->chunks,
           pb->nchunks * sizeof *pb->chunks);
    pa->nchunks += pb->nchunks;
    pa->shared += pb->shared;
    pb->nchunks = 0;
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
    if (len - one->pos < split_min || cut >= len)
        return true; /* not split: one goes on alone */
    struct alm_table *t = one->r.t, *t2 = calloc(1, sizeof *t2);
    struct part two = {0};
    size_t lines2 = count_lines(data + cut, len - cut) + 1;
    bool ok = t2 && (t2->name = alm__strdup(t->name)) &&
              (t2->pool = alm__pool_new()) &&
              part_init(&two, t2, no_rows, NULL) == ALM_OK;
    if (ok) {
        t2->header = t->header;
        t2->ncols = t->ncols;
        ok = no_rows || alm__table_reserve_rows(t2, lines2) == ALM_OK;
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
    if (!t || !(t->name = alm__strdup(name)) || !(t->pool = alm__pool_new()) ||
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
        free_pending(&one.r);
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

enum alm_status alm__table_parse_rows(const char *data, size_t len,
                                      const struct alm_table *like, long line,
                                      struct alm_table **out,
                                      struct alm_error *err)
{
    struct part pt = {0};
    struct alm_table *t = calloc(1, sizeof *t);
    bool ok = t && (t->name = alm__strdup(like->name)) &&
              (t->pool = alm__pool_new()) &&
              (t->header = calloc(like->ncols + 1, sizeof *t->header));
    for (size_t j = 0; ok && j < like->ncols; j++, t->ncols = j)
        ok = (t->header[j] = alm__strdup(like->header[j])) != NULL;
    if (ok)
        ok = alm__table_reserve_rows(t, count_lines(data, len) + 1) == ALM_OK;
    if (!ok || part_init(&pt, t, false, err) != ALM_OK) {
        alm_table_free(t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    pt.r.header_done = true;
    pt.r.line = line - 1;
    pt.data = data;
    pt.len = pt.total = len;
    feed(&pt, false);
    finish(&pt);
    if (pt.r.failed) {
        alm_table_free(t);
        return err->status != ALM_OK ? err->status : ALM_EINPUT;
    }
    *out = t;
    return ALM_OK;
}
