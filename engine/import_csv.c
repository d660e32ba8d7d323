/* Import of the CSV families: the record reader, the detection among
 * long, wide, World Bank, FRED, SDMX-CSV and the ECB data portal's CSV,
 * the long and wide readers, and the dispatch of each record to its
 * format's reader (the publishers' are in import_csv_pub.c). Every CSV
 * read goes through libcsv, one physical line at a time so that every
 * record knows the line it starts on. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>

#include "import_csv.h"
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

/* The problem of field nf (len bytes) of the record on line rec_line: too
 * long, or one field too many; head is the caller's header or NULL. */
static void field_fail(struct alm_error *err, const char *name,
                       char **const *head, const size_t *nhead, size_t len,
                       size_t nf, long rec_line)
{
    const char *col = head && *head && nf < *nhead ? (*head)[nf] : NULL;
    if (len > ALM_CSV_FIELD_MAX && col)
        alm_fail(err, ALM_EINPUT, "%zu bytes long; the limit is %d bytes", len,
                 ALM_CSV_FIELD_MAX);
    else if (len > ALM_CSV_FIELD_MAX)
        alm_fail(err, ALM_EINPUT,
                 "field %zu is %zu bytes long; the limit is %d bytes", nf + 1,
                 len, ALM_CSV_FIELD_MAX);
    else
        alm_fail(err, ALM_EINPUT, "more than %d fields in a record",
                 ALM_CSV_COLS_MAX);
    alm_error_locate(err, name, rec_line, col);
}

static void malformed(struct alm_error *err, const char *name, long line)
{
    alm_fail(err, ALM_EINPUT,
             "malformed quoting: a quote inside an unquoted field, "
             "or text after a closing quote");
    alm_error_locate(err, name, line, NULL);
}

static void unterminated(struct alm_error *err, const char *name, long line)
{
    alm_fail(err, ALM_EINPUT,
             "unterminated quoted field: is the file truncated?");
    alm_error_locate(err, name, line, NULL);
}

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
        field_fail(r->err, r->name, r->head, r->nhead, len, r->nf, r->rec_line);
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

/* ---- the record reader on two threads ------------------------------------
 *
 * A long text is read by a second thread: it runs libcsv over the lines
 * and hands the records over in batches, while this thread gives them to
 * the format's reader in order. What the parser finds wrong travels at the
 * end of the batch it ends, and is reported once every record before it
 * has been read: the same first problem, with the same message, as the
 * reader above gives. */

/* Texts at least this long are read on two threads. */
static size_t pipe_min = (size_t)4 << 20;

void alm__imp_pipe_min(size_t bytes)
{
    pipe_min = bytes;
}

#define PIPE_SLOTS   4
#define PIPE_RECORDS 4096

enum pipe_end {
    PIPE_MORE,
    PIPE_DONE,
    PIPE_FIELD,
    PIPE_MALFORMED,
    PIPE_UNTERMINATED,
    PIPE_NOMEM
};

struct pipe_rec {
    size_t first, nf; /* its fields: offs[first .. first + nf) */
    long line;
};

struct pipe_batch {
    char *text; /* the fields, each NUL-terminated */
    size_t len, cap;
    size_t *offs, noffs, capoffs;
    struct pipe_rec *recs;
    size_t nrecs, caprecs;
    enum pipe_end end; /* what follows the records */
    size_t read;       /* bytes of the text parsed when it was handed over */
    size_t bad_len, bad_nf; /* PIPE_FIELD: the field */
    long bad_line;
    bool full; /* handed over, not yet read */
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pipe_batch slot[PIPE_SLOTS];
    bool stop; /* the reader wants no more */
    /* the parser's side */
    const char *data;
    size_t len, pos; /* pos: where the line being parsed starts */
    char delim;
    size_t fill; /* the slot being filled */
    struct pipe_batch *b;
    long line, rec_line;
    bool in_record, failed, quit;
    size_t nf, rec_first; /* the current record's fields so far */
};

static bool pipe_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Hands the batch being filled over and waits for the next slot to be
 * free; false when the reader wants no more. */
static bool pipe_hand_over(struct pipe *pp, enum pipe_end end)
{
    pp->b->end = end;
    pp->b->read = pp->pos;
    pthread_mutex_lock(&pp->mu);
    pp->b->full = true;
    pthread_cond_broadcast(&pp->cv);
    if (end != PIPE_MORE) {
        pthread_mutex_unlock(&pp->mu);
        return false;
    }
    pp->fill = (pp->fill + 1) % PIPE_SLOTS;
    while (pp->slot[pp->fill].full && !pp->stop)
        pthread_cond_wait(&pp->cv, &pp->mu);
    bool go = !pp->stop;
    pthread_mutex_unlock(&pp->mu);
    struct pipe_batch *b = &pp->slot[pp->fill];
    b->len = b->noffs = b->nrecs = 0;
    pp->b = b;
    return go;
}

static void pipe_fail(struct pipe *pp, enum pipe_end why)
{
    pp->failed = true;
    pp->b->end = why;
}

static void pipe_field(void *data, size_t len, void *ctx)
{
    struct pipe *pp = ctx;
    struct pipe_batch *b = pp->b;
    if (pp->failed || pp->quit)
        return;
    if (!pp->in_record) {
        pp->in_record = true;
        pp->rec_line = pp->line;
    }
    if (len > ALM_CSV_FIELD_MAX || pp->nf >= ALM_CSV_COLS_MAX) {
        b->bad_len = len;
        b->bad_nf = pp->nf;
        b->bad_line = pp->rec_line;
        pipe_fail(pp, PIPE_FIELD);
        return;
    }
    if (!pipe_grow((void **)&b->offs, &b->capoffs, b->noffs + 1,
                   sizeof *b->offs) ||
        !pipe_grow((void **)&b->text, &b->cap, b->len + len + 1, 1)) {
        pipe_fail(pp, PIPE_NOMEM);
        return;
    }
    b->offs[b->noffs++] = b->len;
    if (len)
        memcpy(b->text + b->len, data, len);
    b->text[b->len + len] = '\0';
    b->len += len + 1;
    pp->nf++;
}

static void pipe_record(int c, void *ctx)
{
    struct pipe *pp = ctx;
    struct pipe_batch *b = pp->b;
    (void)c;
    if (pp->failed || pp->quit || !pp->in_record) {
        /* A lone CR of a CRLF, or the rest after a problem: no record. */
        pp->nf = 0;
        pp->in_record = false;
        return;
    }
    if (!pipe_grow((void **)&b->recs, &b->caprecs, b->nrecs + 1,
                   sizeof *b->recs)) {
        pipe_fail(pp, PIPE_NOMEM);
        return;
    }
    b->recs[b->nrecs++] =
        (struct pipe_rec){pp->rec_first, pp->nf, pp->rec_line};
    pp->nf = 0;
    pp->in_record = false;
    if (b->nrecs >= PIPE_RECORDS && !pipe_hand_over(pp, PIPE_MORE))
        pp->quit = true;
    pp->rec_first = pp->b->noffs;
}

static void *pipe_parse(void *arg)
{
    struct pipe *pp = arg;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        pipe_fail(pp, PIPE_NOMEM);
        pipe_hand_over(pp, PIPE_NOMEM);
        return NULL;
    }
    csv_set_delim(&p, (unsigned char)pp->delim);
    csv_set_space_func(&p, no_space);
    while (pp->pos < pp->len && !pp->failed && !pp->quit) {
        const char *s = pp->data + pp->pos;
        const char *nl = memchr(s, '\n', pp->len - pp->pos);
        size_t n = nl ? (size_t)(nl - s) + 1 : pp->len - pp->pos;
        pp->line++;
        if (csv_parse(&p, s, n, pipe_field, pipe_record, pp) != n &&
            !pp->failed && !pp->quit) {
            pp->b->bad_line = pp->line;
            pipe_fail(pp, PIPE_MALFORMED);
        }
        pp->pos += n;
    }
    if (!pp->failed && !pp->quit &&
        csv_fini(&p, pipe_field, pipe_record, pp) != 0 && !pp->failed &&
        !pp->quit) {
        pp->b->bad_line = pp->in_record ? pp->rec_line : pp->line;
        pipe_fail(pp, PIPE_UNTERMINATED);
    }
    csv_free(&p);
    if (!pp->quit)
        pipe_hand_over(pp, pp->failed ? pp->b->end : PIPE_DONE);
    return NULL;
}

/* Gives the records of batch b to fn; false when reading ends here. */
static bool pipe_read(struct pipe_batch *b, const char *name,
                      char **const *head, const size_t *nhead, imp_record_fn fn,
                      void *ctx, char ***ptrs, size_t *capp,
                      struct alm_error *err, bool *failed)
{
    for (size_t i = 0; i < b->nrecs; i++) {
        const struct pipe_rec *r = &b->recs[i];
        if (!pipe_grow((void **)ptrs, capp, r->nf ? r->nf : 1, sizeof **ptrs)) {
            alm_fail(err, ALM_ENOMEM, "out of memory");
            *failed = true;
            return false;
        }
        for (size_t j = 0; j < r->nf; j++)
            (*ptrs)[j] = b->text + b->offs[r->first + j];
        if (fn(ctx, *ptrs, r->nf, r->line) != ALM_OK) {
            *failed = true;
            return false;
        }
    }
    switch (b->end) {
    case PIPE_MORE:
        return true;
    case PIPE_DONE:
        return false;
    case PIPE_FIELD:
        field_fail(err, name, head, nhead, b->bad_len, b->bad_nf, b->bad_line);
        break;
    case PIPE_MALFORMED:
        malformed(err, name, b->bad_line);
        break;
    case PIPE_UNTERMINATED:
        unterminated(err, name, b->bad_line);
        break;
    case PIPE_NOMEM:
        alm_fail(err, ALM_ENOMEM, "out of memory");
        break;
    }
    *failed = true;
    return false;
}

static enum alm_status each_piped(const char *data, size_t len, char delim,
                                  const char *name, char **const *head,
                                  const size_t *nhead, imp_record_fn fn,
                                  void *ctx, struct alm_error *err, bool *ran)
{
    struct pipe pp;
    memset(&pp, 0, sizeof pp);
    pp.data = data;
    pp.len = len;
    pp.delim = delim;
    pp.b = &pp.slot[0];
    *ran = false;
    if (pthread_mutex_init(&pp.mu, NULL) != 0)
        return ALM_OK;
    if (pthread_cond_init(&pp.cv, NULL) != 0) {
        pthread_mutex_destroy(&pp.mu);
        return ALM_OK;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, pipe_parse, &pp) != 0) {
        pthread_cond_destroy(&pp.cv);
        pthread_mutex_destroy(&pp.mu);
        return ALM_OK; /* the caller reads on one thread */
    }
    *ran = true;
    char **ptrs = NULL;
    size_t capp = 0, at = 0;
    bool failed = false, more = true;
    char what[300];
    snprintf(what, sizeof what, "reading %s", name);
    while (more) {
        struct pipe_batch *b = &pp.slot[at];
        pthread_mutex_lock(&pp.mu);
        while (!b->full)
            pthread_cond_wait(&pp.cv, &pp.mu);
        pthread_mutex_unlock(&pp.mu);
        more = pipe_read(b, name, head, nhead, fn, ctx, &ptrs, &capp, err,
                         &failed);
        if (len >= ALM__PROGRESS_MIN)
            alm__progress(what, more ? b->read : len, len);
        pthread_mutex_lock(&pp.mu);
        b->full = false;
        if (!more)
            pp.stop = true;
        pthread_cond_broadcast(&pp.cv);
        pthread_mutex_unlock(&pp.mu);
        at = (at + 1) % PIPE_SLOTS;
    }
    pthread_join(th, NULL);
    pthread_cond_destroy(&pp.cv);
    pthread_mutex_destroy(&pp.mu);
    for (size_t i = 0; i < PIPE_SLOTS; i++) {
        free(pp.slot[i].text);
        free(pp.slot[i].offs);
        free(pp.slot[i].recs);
    }
    free(ptrs);
    if (failed)
        return err && err->status != ALM_OK ? err->status : ALM_EINPUT;
    return ALM_OK;
}

static enum alm_status each(const char *data, size_t len, char delim,
                            const char *name, size_t max, char **const *head,
                            const size_t *nhead, imp_record_fn fn, void *ctx,
                            struct alm_error *err)
{
    if (max == 0 && len >= pipe_min) {
        bool ran = false;
        enum alm_status st =
            each_piped(data, len, delim, name, head, nhead, fn, ctx, err, &ran);
        if (ran)
            return st;
    }
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
            malformed(err, name, r.line);
        }
        pos += n;
    }
    if (!r.failed && !r.stop && csv_fini(&p, rd_field, rd_record, &r) != 0 &&
        !r.failed) {
        r.failed = true;
        unterminated(err, name, r.in_record ? r.rec_line : r.line);
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
bool alm__csv_head_is(const char *h, const char *name)
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
    return alm__csv_head_is(h, "period") || alm__csv_head_is(h, "year") ||
           alm__csv_head_is(h, "date") || alm__csv_head_is(h, "time");
}

/* True when the header h (trimmed, R's "X2014" accepted) is a period; the
 * period's text goes to out. */
bool alm__csv_head_period(const char *h, char *out)
{
    bool is_date;
    while (*h == ' ')
        h++;
    if (*h == 'X' && isdigit((unsigned char)h[1]))
        h++;
    return isdigit((unsigned char)*h) &&
           alm__imp_period(h, out, &is_date, NULL) == ALM_OK;
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
        ind = ind || alm__csv_head_is(f[j], "indicator");
        per = per || is_period_alias(f[j]);
        val = val || alm__csv_head_is(f[j], "value");
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

enum alm_status alm__csv_nomem(struct csvr *c)
{
    return alm_fail(c->im->err, ALM_ENOMEM, "out of memory");
}

enum alm_status alm__csv_bad(struct csvr *c, long line, const char *field,
                             const char *msg)
{
    alm_fail(c->im->err, ALM_EINPUT, "%s", msg);
    alm_error_locate(c->im->err, c->im->name, line, field);
    /* A bad row after the header: reported, and reading goes on. */
    return c->in_rows && alm__imp_problem(c->im) ? ALM_OK : ALM_EINPUT;
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
        return alm__csv_nomem(c);
    for (size_t j = 0; j < n; j++) {
        c->colser[j] = -1;
        c->map[j] = -1;
        if (!(c->head[j] = alm__imp_trim(f[j])))
            return alm__csv_nomem(c);
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
        if (alm__csv_head_is(c->head[j], name))
            return (long)j;
    return -1;
}

bool alm__csv_row_ready(struct csvr *c, char **f, size_t n, long line,
                        enum alm_status *st)
{
    char msg[120];
    *st = ALM_OK;
    if (alm__csv_blank(f, n))
        return false;
    if (n == c->ncols)
        return true;
    snprintf(msg, sizeof msg, "expected %zu fields as in the header, found %zu",
             c->ncols, n);
    *st = alm__csv_bad(c, line, NULL, msg);
    return false;
}

/* True when every field of a record is blank. */
bool alm__csv_blank(char **f, size_t n)
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
        return alm__csv_bad(c, line, NULL, msg);
    }
    for (size_t j = 0; j < c->ncols; j++) {
        if ((long)j == c->skipcol || (long)j == c->ci || (long)j == c->cp ||
            (long)j == c->cv)
            continue;
        if (!c->head[j][0]) {
            snprintf(msg, sizeof msg, "column %zu of the header is empty",
                     j + 1);
            return alm__csv_bad(c, line, NULL, msg);
        }
        if (alm_table_add_column(t, c->head[j], &c->map[j]) != ALM_OK)
            return alm__csv_nomem(c);
    }
    c->cquote = -1;
    for (size_t j = 0; j < c->ncols; j++)
        if (strcmp(c->head[j], "quote") == 0)
            c->cquote = (long)j;
    c->csrc = alm_table_col(t, "source");
    return ALM_OK;
}

static enum alm_status long_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    if (n != c->ncols) {
        char msg[120];
        if (alm__csv_blank(f, n))
            return ALM_OK;
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        return alm__csv_bad(c, line, NULL, msg);
    }
    char small[ALM__IMP_SMALL];
    char *id = alm__imp_trim_in(f[c->ci], small, sizeof small);
    if (!id)
        return alm__csv_nomem(c);
    const char *parts[] = {id};
    long s = alm__imp_series(im, parts, 1, true, NULL, NULL, 0, line);
    alm__imp_trim_free(id, small);
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
        bool verbatim = (long)j == c->cquote;
        char *v = verbatim ? f[j] : alm__imp_trim_in(f[j], small, sizeof small);
        enum alm_status st =
            v ? alm__imp_set_repeat(t, r, (size_t)c->map[j], v) : ALM_ENOMEM;
        if (!verbatim)
            alm__imp_trim_free(v, small);
        if (st != ALM_OK)
            return alm__csv_nomem(c);
    }
    if (!alm_table_cell(t, r, c->csrc)[0])
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
        if ((long)j != c->skipcol && alm__csv_head_period(c->head[j], p)) {
            if (!(c->hperiod[j] = alm__strdup(p)))
                return alm__csv_nomem(c);
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
                return alm__csv_bad(
                    c, line, NULL,
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
        return alm__csv_bad(
            c, line, NULL,
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
        return alm__csv_bad(
            c, line, NULL,
            "no column names the indicators: add a first column "
            "'indicator'");
    return ALM_OK;
}

static enum alm_status wide_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    enum alm_status st;
    if (!alm__csv_row_ready(c, f, n, line, &st))
        return st;
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
    if (!name || (c->titlecol >= 0 && !title) || (c->unitcol >= 0 && !unit))
        st = alm__csv_nomem(c);
    else if (!name[0])
        st = alm__csv_bad(c, line, c->head[c->idcol],
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
/* -- dispatch -------------------------------------------------------------- */

/* Reads a World Bank line before its header: the preamble ("Data Source",
 * "Last Updated Date") or blank lines. Returns true when the line was
 * that, with *st set; false for the header, whose trailing empty column
 * (every line ends with a comma) is dropped from *n. */
static bool wdi_preamble(struct csvr *c, char **f, size_t *n, long line,
                         enum alm_status *st)
{
    struct imp *im = c->im;
    *st = ALM_OK;
    if (*n >= 2 && strcmp(f[0], "Data Source") == 0) {
        *st = alm__imp_source(im, f[1], NULL, NULL);
        return true;
    }
    if (*n >= 2 && strcmp(f[0], "Last Updated Date") == 0) {
        long day;
        char *d = alm__imp_trim(f[1]);
        if (!d)
            *st = alm__csv_nomem(c);
        else if (alm_date_parse(d, &day, NULL) == ALM_OK)
            *st = alm__imp_source(im, NULL, NULL, d);
        else
            *st = alm__csv_bad(c, line, "Last Updated Date",
                               "expected a date YYYY-MM-DD");
        free(d);
        return true;
    }
    if (*n < 4 || strcmp(f[0], "Country Name") != 0) {
        if (!alm__csv_blank(f, *n))
            *st = alm__csv_bad(c, line, NULL,
                               "expected the World Bank header \"Country "
                               "Name\",\"Country Code\",...");
        return true;
    }
    while (*n > 0 && !f[*n - 1][0])
        (*n)--;
    return false;
}

/* Reads the header record f (n fields) for c's format. */
static enum alm_status read_header(struct csvr *c, char **f, size_t n,
                                   long line)
{
    if (take_header(c, f, n, line) != ALM_OK)
        return c->im->err->status;
    switch (c->f) {
    case ALM_IMPORT_LONG:
        return long_header(c, line);
    case ALM_IMPORT_WIDE:
        return wide_header(c, line);
    case ALM_IMPORT_WDI:
        return alm__csv_wdi_header(c, line);
    case ALM_IMPORT_FRED:
        return alm__csv_fred_header(c, line);
    case ALM_IMPORT_ECB:
        return alm__csv_ecb_header(c, line);
    case ALM_IMPORT_SDMX:
        return alm__csv_sdmx_header(c, line);
    default:
        return alm__csv_bad(c, line, NULL, "not a CSV format");
    }
}

/* Reads a data record f (n fields) for c's format. */
static enum alm_status read_row(struct csvr *c, char **f, size_t n, long line)
{
    switch (c->f) {
    case ALM_IMPORT_LONG:
        return long_row(c, f, n, line);
    case ALM_IMPORT_WIDE:
        return wide_row(c, f, n, line);
    case ALM_IMPORT_WDI:
        /* Every line ends with a comma: one empty field more. */
        if (n == c->ncols + 1 && !f[n - 1][0])
            n--;
        return alm__csv_wdi_row(c, f, n, line);
    case ALM_IMPORT_FRED:
        return alm__csv_series_row(c, f, n, line, 0);
    case ALM_IMPORT_ECB:
        return alm__csv_series_row(c, f, n, line, c->cp);
    case ALM_IMPORT_SDMX:
        return alm__csv_sdmx_row(c, f, n, line);
    default:
        return alm__csv_bad(c, line, NULL, "not a CSV format");
    }
}

static enum alm_status csv_record(void *ctx, char **f, size_t n, long line)
{
    struct csvr *c = ctx;
    if (c->header_done)
        return read_row(c, f, n, line);
    enum alm_status st;
    if (c->f == ALM_IMPORT_WDI && wdi_preamble(c, f, &n, line, &st))
        return st;
    st = read_header(c, f, n, line);
    c->in_rows = st == ALM_OK;
    return st;
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
