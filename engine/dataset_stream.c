/* Reading a dataset one indicator at a time: see dataset_stream.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/store.h>

#include "dataset_internal.h"
#include "dataset_stream.h"
#include "internal.h"

size_t alm__stream_rows_max;
static size_t stretch = (size_t)1 << 20;

void alm__stream_stretch(size_t bytes)
{
    stretch = bytes ? bytes : 1;
}

/* A stretch of observations.csv: whole records from line `line` on, the
 * table they parse into and the observations they validate into (both on
 * the helper thread, through view: the dataset's indicators and sources,
 * this table and these observations). */
struct piece {
    char *text;
    size_t len;
    long line;
    const struct alm_table *header;
    struct alm_dataset view;
    size_t cap;
    struct alm_table *t;
    struct alm_error err;
    enum alm_status st;
    unsigned long long ops; /* alm__ops of the work */
};

/* Where the indicators of a stretch are given from: a dataset whose
 * observations are the stretch's (the stream's own, or a worker's view of
 * it), with the index arrays that grow to fit. */
struct taker {
    struct alm_dataset *ds;
    size_t obs_cap; /* of ds->ix->obs_by_ind */
    size_t *scratch;
    size_t scratch_cap;
};

/* What is called for each indicator: fn (on the stream's own dataset), or
 * pfn with the stretch's output buffer (on a worker's view). */
struct call {
    alm__stream_fn fn;
    alm__stream_pfn pfn;
    void *ctx;
    struct alm_buf *out;
};

struct alm__stream {
    struct alm_lock *lock;
    struct alm_dataset *ds;
    int fd;
    char *buf; /* read but not yet handed out: buf[0..have) */
    size_t have, cap;
    bool eof;
    size_t total;             /* bytes read */
    long line;                /* the line buf starts on */
    size_t rows;              /* rows handed out */
    struct alm_table *header; /* observations.csv's header, no rows */
    struct taker own;         /* giving on ds itself (alm__stream_run) */
};

/* Reads more of the file into buf (at least doubling what it can hold
 * when it is full). */
static enum alm_status fill(struct alm__stream *s)
{
    if (s->cap - s->have < stretch / 2 + 1) {
        size_t cap = s->cap ? 2 * s->cap : stretch + stretch / 2 + 1;
        char *b = realloc(s->buf, cap);
        if (!b)
            return ALM_ENOMEM;
        s->buf = b;
        s->cap = cap;
    }
    ssize_t n;
    do
        n = read(s->fd, s->buf + s->have, s->cap - s->have);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return ALM_EIO;
    if (n == 0)
        s->eof = true;
    s->have += (size_t)n;
    s->total += (size_t)n;
    return s->total > (size_t)ALM_CSV_FILE_MAX ? ALM_EINPUT : ALM_OK;
}

/* The end of the record that starts at buf[from] (just past its line end
 * outside quotes), or 0 when buf holds no such end. */
static size_t record_end(const char *buf, size_t from, size_t have)
{
    bool quoted = false;
    for (size_t i = from; i < have; i++) {
        if (buf[i] == '"')
            quoted = !quoted;
        else if (buf[i] == '\n' && !quoted)
            return i + 1;
    }
    return 0;
}

/* The first field of the record at buf[at] (*len bytes), or NULL when it
 * is quoted or not read to its end: a stretch ends only between records whose
 * first fields, the indicator ids, are plainly different. */
static const char *first_field(const char *buf, size_t at, size_t have,
                               size_t *len)
{
    size_t i = at;
    if (i < have && buf[i] == '"')
        return NULL;
    while (i < have && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r')
        i++;
    if (i == have) /* not all read yet */
        return NULL;
    *len = i - at;
    return buf + at;
}

/* Where the stretch beginning at buf[0] may end: the first start of a
 * record at or after `stretch` bytes whose indicator differs from the
 * record's before; 0 when buf does not hold it yet. */
static size_t find_cut(const struct alm__stream *s)
{
    const char *b = s->buf;
    size_t from = stretch < s->have ? stretch : s->have;
    /* The record boundary at or after from: count the quotes before. */
    bool quoted = false;
    for (const char *q = b, *end = b + from;
         (q = memchr(q, '"', (size_t)(end - q))) != NULL; q++)
        quoted = !quoted;
    size_t r0 = 0;
    for (size_t i = from; i < s->have && !r0; i++) {
        if (b[i] == '"')
            quoted = !quoted;
        else if (b[i] == '\n' && !quoted)
            r0 = i + 1;
    }
    while (r0) {
        size_t r1 = record_end(b, r0, s->have);
        if (!r1 || r1 >= s->have)
            return 0;
        size_t n0, n1;
        const char *f0 = first_field(b, r0, s->have, &n0);
        const char *f1 = first_field(b, r1, s->have, &n1);
        if (f0 && f1 && (n0 != n1 || memcmp(f0, f1, n0) != 0))
            return r1;
        r0 = r1;
    }
    return 0;
}

static size_t count_lines(const char *data, size_t len)
{
    size_t n = 0;
    for (const char *nl = data, *end = data + len;
         (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        n++;
    return n;
}

/* Makes *p the stretch text[0..len) from the current line on, with a
 * view of the dataset that has no observations yet. */
static void piece_init(const struct alm__stream *s, struct piece *p, char *text,
                       size_t len)
{
    *p = (struct piece){.text = text,
                        .len = len,
                        .line = s->line,
                        .header = s->header,
                        .view = *s->ds};
    p->view.tables[ALM_T_OBSERVATIONS] = NULL;
    p->view.obs = NULL;
    p->view.nobs = 0;
    p->view.latest = ALM_DATE_NONE;
}

/* Hands the next stretch to *p; false at the end of the file. */
static enum alm_status next_piece(struct alm__stream *s, struct piece *p,
                                  bool *got)
{
    enum alm_status st = ALM_OK;
    size_t cut = 0;
    *got = false;
    while (st == ALM_OK) {
        if (s->have >= stretch && (cut = find_cut(s)) != 0)
            break;
        if (s->eof) {
            cut = s->have;
            break;
        }
        st = fill(s);
    }
    if (st != ALM_OK || cut == 0)
        return st;
    char *rest = malloc(s->cap);
    if (!rest)
        return ALM_ENOMEM;
    memcpy(rest, s->buf + cut, s->have - cut);
    piece_init(s, p, s->buf, cut);
    s->line += (long)count_lines(s->buf, cut);
    s->buf = rest;
    s->have -= cut;
    *got = true;
    return ALM_OK;
}

/* Parses and validates a stretch (on the helper thread but the first). */
static void *parse_piece(void *arg)
{
    struct piece *p = arg;
    unsigned long long ops = alm__ops;
    alm_error_clear(&p->err);
    p->st = alm__table_parse_rows(p->text, p->len, p->header, p->line, &p->t,
                                  &p->err);
    free(p->text);
    p->text = NULL;
    p->view.tables[ALM_T_OBSERVATIONS] = p->t;
    if (p->st == ALM_OK)
        p->st = alm__dataset_load_rows(&p->view, &p->cap, &p->err);
    p->ops = alm__ops - ops;
    alm__ops = ops;
    return NULL;
}

static void piece_free(struct piece *p)
{
    free(p->text);
    alm_table_free(p->t);
    free(p->view.obs);
    p->text = NULL;
    p->t = NULL;
    p->view.obs = NULL;
}

static enum alm_status path_of(struct alm_buf *b, const char *dir,
                               const char *name)
{
    alm_buf_reset(b);
    return alm_buf_printf(b, "%s/%s", dir, name);
}

/* Opens observations.csv and parses its header into s->header. */
static enum alm_status open_observations(struct alm__stream *s,
                                         const char *path)
{
    s->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (s->fd < 0 || fstat(s->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        return ALM_EIO;
    /* The header: the first record (after a byte-order mark). */
    size_t end = 0;
    enum alm_status st = ALM_OK;
    while (st == ALM_OK && !end) {
        size_t from = s->have >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0;
        end = s->have ? record_end(s->buf, from * 3, s->have) : 0;
        if (!end && s->eof)
            break;
        if (!end)
            st = fill(s);
    }
    if (st == ALM_OK && !end)
        end = s->have; /* a header and no line end */
    if (st != ALM_OK || end == 0)
        return ALM_EINPUT; /* an empty file: the whole read says so */
    struct alm_error e;
    alm_error_clear(&e);
    st = alm_table_parse(s->buf, end, path, &s->header, &e);
    if (st != ALM_OK)
        return st;
    s->line = 1 + (long)count_lines(s->buf, end);
    memmove(s->buf, s->buf + end, s->have - end);
    s->have -= end;
    return ALM_OK;
}

enum alm_status alm__stream_open(const char *dir, struct alm__stream **out)
{
    struct alm_error e;
    struct alm_buf path = ALM_BUF_INIT;
    struct alm__stream *s = calloc(1, sizeof *s);
    enum alm_status st = s ? ALM_OK : ALM_ENOMEM;
    alm_error_clear(&e);
    if (s)
        s->fd = -1;
    if (st == ALM_OK)
        st = alm_store_lock(dir, false, &s->lock, &e);
    if (st == ALM_OK && !(s->ds = alm__dataset_new(dir)))
        st = ALM_ENOMEM;
    if (s)
        s->own.ds = s->ds;
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        st = path_of(&path, dir, alm_table_files[i]);
        if (st == ALM_OK && i == ALM_T_OBSERVATIONS)
            st = open_observations(s, path.s);
        else if (st == ALM_OK)
            st = alm_table_read_regular(path.s, &s->ds->tables[i], &e);
    }
    if (st == ALM_OK) {
        s->ds->tables[ALM_T_OBSERVATIONS] = s->header;
        st = alm__dataset_load_head(s->ds, &e);
        s->ds->tables[ALM_T_OBSERVATIONS] = NULL;
    }
    if (st == ALM_OK)
        st = alm__read_about(s->ds, &e);
    /* Rows are told apart at their first field: the indicator's. */
    if (st == ALM_OK && alm_table_col(s->header, "indicator") != 0)
        st = ALM_EINPUT;
    /* Corrections and retractions (correct.c) are checked against the
     * figures they amend anywhere in the file, and selection applies
     * them by --as-of: a file that has their columns is read whole. */
    if (st == ALM_OK && (alm_table_col(s->header, "correction") >= 0 ||
                         alm_table_col(s->header, "recorded") >= 0))
        st = ALM_EINPUT;
    struct alm__dataset_index *ix = s ? (s->ds ? s->ds->ix : NULL) : NULL;
    if (st == ALM_OK &&
        !(ix->obs_start = calloc(s->ds->nind + 2, sizeof *ix->obs_start)))
        st = ALM_ENOMEM;
    alm_buf_release(&path);
    if (st != ALM_OK) {
        alm__stream_close(s, NULL);
        return st;
    }
    *out = s;
    return ALM_OK;
}

struct alm_dataset *alm__stream_dataset(struct alm__stream *s)
{
    return s->ds;
}

/* Gives the rows of observations from obs[a..b) (of indicator k) to the
 * call, after checking them for duplicates. */
static enum alm_status give(struct taker *tk, size_t k, size_t a, size_t b,
                            const struct call *c)
{
    struct alm_dataset *ds = tk->ds;
    struct alm__dataset_index *ix = ds->ix;
    struct alm_error e;
    alm_error_clear(&e);
    if (b - a > tk->scratch_cap) {
        size_t *p = realloc(tk->scratch, (b - a) * sizeof *p);
        if (!p)
            return ALM_ENOMEM;
        tk->scratch = p;
        tk->scratch_cap = b - a;
    }
    if (b > a) { /* an indicator without rows has nothing to check */
        memcpy(tk->scratch, ix->obs_by_ind + a, (b - a) * sizeof *tk->scratch);
        if (alm__dataset_check_run(ds, tk->scratch, b - a, &e) != ALM_OK)
            return ALM_EINPUT;
    }
    ix->obs_start[k] = a;
    ix->obs_start[k + 1] = b;
    if (b - a > ix->longest)
        ix->longest = b - a;
    return c->fn ? c->fn(c->ctx, ds, k) : c->pfn(c->ctx, ds, k, c->out);
}

/* Makes the table and observations of p the taker's, and gives each
 * indicator from *next to the last of its rows to the call, those without
 * rows too, and with `rest` those after it up to (not including) `until`;
 * the rows must belong to indicators before until, grouped, in order. */
static enum alm_status use_piece(struct taker *tk, struct piece *p,
                                 size_t *next, size_t until, bool rest,
                                 const struct call *c)
{
    struct alm_dataset *ds = tk->ds;
    struct alm__dataset_index *ix = ds->ix;
    struct alm_table *t = p->t;
    alm_table_free(ds->tables[ALM_T_OBSERVATIONS]);
    free(ds->obs);
    ds->tables[ALM_T_OBSERVATIONS] = t;
    ds->obs = p->view.obs;
    ds->nobs = p->view.nobs;
    if (p->view.latest > ds->latest) /* ALM_DATE_NONE is the least */
        ds->latest = p->view.latest;
    p->t = NULL;
    p->view.obs = NULL;
    if (t->nrows > tk->obs_cap) {
        size_t *q = realloc(ix->obs_by_ind, t->nrows * sizeof *q);
        if (!q)
            return ALM_ENOMEM;
        ix->obs_by_ind = q;
        tk->obs_cap = t->nrows;
    }
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < ds->nobs; i++)
        ix->obs_by_ind[i] = i;
    for (size_t a = 0; a < ds->nobs && st == ALM_OK;) {
        size_t k = ds->obs[a].ind, b = a + 1;
        while (b < ds->nobs && ds->obs[b].ind == k)
            b++;
        /* Not grouped in the order of indicators.csv: read it whole. */
        if (k < *next || k >= until)
            return ALM_EINPUT;
        for (; *next < k && st == ALM_OK; ++*next)
            st = give(tk, *next, 0, 0, c);
        if (st == ALM_OK)
            st = give(tk, k, a, b, c);
        *next = k + 1;
        a = b;
    }
    for (; rest && st == ALM_OK && *next < until; ++*next)
        st = give(tk, *next, 0, 0, c);
    return st;
}

/* Counts the rows of a stretch used: the whole read refuses a file of
 * more rows than it can number. */
static enum alm_status count_rows(struct alm__stream *s, size_t rows)
{
    s->rows += rows;
    if (rows > alm__stream_rows_max)
        alm__stream_rows_max = rows;
    return s->rows > UINT32_MAX ? ALM_EINPUT : ALM_OK;
}

enum alm_status alm__stream_run(struct alm__stream *s, alm__stream_fn fn,
                                void *ctx)
{
    struct piece cur = {0}, nxt = {0};
    const struct call c = {.fn = fn, .ctx = ctx};
    size_t next = 0;
    bool got = false, more = false;
    enum alm_status st = next_piece(s, &cur, &got);
    if (st == ALM_OK && got) {
        parse_piece(&cur);
        alm__ops += cur.ops;
    }
    while (st == ALM_OK && got) {
        st = cur.st;
        if (st == ALM_OK)
            st = count_rows(s, cur.t->nrows);
        if (st != ALM_OK)
            break;
        /* The next stretch is parsed and validated on a thread while this
         * one is used. */
        st = next_piece(s, &nxt, &more);
        pthread_t th;
        bool threaded = st == ALM_OK && more &&
                        pthread_create(&th, NULL, parse_piece, &nxt) == 0;
        enum alm_status used = st == ALM_OK ? use_piece(&s->own, &cur, &next,
                                                        s->ds->nind, false, &c)
                                            : st;
        if (threaded)
            pthread_join(th, NULL);
        else if (st == ALM_OK && more)
            parse_piece(&nxt);
        alm__ops += nxt.ops;
        st = used;
        piece_free(&cur);
        cur = nxt;
        memset(&nxt, 0, sizeof nxt);
        got = more;
    }
    piece_free(&cur);
    for (; st == ALM_OK && next < s->ds->nind; next++)
        st = give(&s->own, next, 0, 0, &c);
    return st;
}

/* ---- two workers, output in file order -------------------------------- */

#define WORKERS 2
#define SLOTS   4 /* stretches cut and not yet emitted, at most */

/* A stretch on its way: cut (READY), taken by a worker (BUSY), made
 * (DONE), then emitted by the reading thread and the slot FREE again. */
struct slot {
    enum { FREE, READY, BUSY, DONE } state;
    struct piece p;
    size_t from, until; /* the indicators it gives */
    struct alm_buf out;
    enum alm_status st;
    size_t rows, longest;
    long latest;
    unsigned long long ops;
};

struct crew {
    alm__stream_pfn fn;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct slot slot[SLOTS];
    size_t cut, taken, emitted; /* stretches, by sequence number */
    bool last;                  /* no stretch comes after those cut */
    bool failed;                /* give up: workers skip what is left */
};

struct worker {
    struct crew *crew;
    void *ctx;
    struct alm_dataset view;
    struct alm__dataset_index ix;
    struct taker tk;
};

/* Parses, validates and gives one stretch on the worker's view. */
static void make(struct worker *w, struct slot *sl)
{
    struct alm_dataset *v = &w->view;
    unsigned long long ops = alm__ops;
    parse_piece(&sl->p);
    alm__ops += sl->p.ops;
    sl->st = sl->p.st;
    v->latest = sl->p.view.latest;
    w->ix.longest = 0;
    sl->rows = sl->p.t ? sl->p.t->nrows : 0;
    size_t next = sl->from;
    const struct call c = {.pfn = w->crew->fn, .ctx = w->ctx, .out = &sl->out};
    if (sl->st == ALM_OK)
        sl->st = use_piece(&w->tk, &sl->p, &next, sl->until, true, &c);
    piece_free(&sl->p);
    sl->latest = v->latest;
    sl->longest = w->ix.longest;
    sl->ops = alm__ops - ops;
    alm__ops = ops;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct crew *cr = w->crew;
    pthread_mutex_lock(&cr->mu);
    for (;;) {
        while (cr->taken == cr->cut && !cr->last)
            pthread_cond_wait(&cr->work, &cr->mu);
        if (cr->taken == cr->cut)
            break;
        struct slot *sl = &cr->slot[cr->taken++ % SLOTS];
        sl->state = BUSY;
        bool skip = cr->failed;
        pthread_mutex_unlock(&cr->mu);
        if (skip)
            sl->st = ALM_EINPUT;
        else
            make(w, sl);
        pthread_mutex_lock(&cr->mu);
        sl->state = DONE;
        if (sl->st != ALM_OK)
            cr->failed = true;
        pthread_cond_broadcast(&cr->done);
    }
    pthread_mutex_unlock(&cr->mu);
    return NULL;
}

/* The index of the indicator whose id starts the stretch p, or -1 when it
 * is not known (the whole read then says what is wrong). */
static long first_indicator(const struct alm__stream *s, const struct piece *p)
{
    size_t n;
    const char *f = first_field(p->text, 0, p->len, &n);
    char id[256];
    if (!f || n >= sizeof id)
        return -1;
    memcpy(id, f, n);
    id[n] = '\0';
    return alm__idmap_find(s->ds->ix->ind_map, id);
}

/* Hands the stretch `pending` (giving its indicators up to until) to the
 * workers. */
static void dispatch(struct crew *cr, struct piece *pending, size_t from,
                     size_t until)
{
    pthread_mutex_lock(&cr->mu);
    struct slot *sl = &cr->slot[cr->cut % SLOTS];
    sl->p = *pending;
    sl->from = from;
    sl->until = until;
    sl->state = READY;
    cr->cut++;
    pthread_cond_signal(&cr->work);
    pthread_mutex_unlock(&cr->mu);
    memset(pending, 0, sizeof *pending);
}

/* Takes the made stretch next in order to emit when there is one, waiting
 * for it unless a slot is free for cutting (and cutting is not over). */
static struct slot *next_made(struct crew *cr, bool cutting)
{
    pthread_mutex_lock(&cr->mu);
    struct slot *sl = NULL;
    for (;;) {
        struct slot *e = &cr->slot[cr->emitted % SLOTS];
        if (cr->emitted < cr->cut && e->state == DONE) {
            sl = e;
            break;
        }
        if ((cutting && cr->cut - cr->emitted < SLOTS) ||
            cr->emitted == cr->cut)
            break;
        pthread_cond_wait(&cr->done, &cr->mu);
    }
    pthread_mutex_unlock(&cr->mu);
    return sl;
}

/* Frees what the crew's slots and workers hold. */
static void crew_release(struct crew *cr, struct worker *w, size_t nw)
{
    for (size_t i = 0; i < SLOTS; i++) {
        piece_free(&cr->slot[i].p);
        alm_buf_release(&cr->slot[i].out);
    }
    for (size_t i = 0; i < nw; i++) {
        alm_table_free(w[i].view.tables[ALM_T_OBSERVATIONS]);
        free(w[i].view.obs);
        free(w[i].ix.obs_start);
        free(w[i].ix.obs_by_ind);
        free(w[i].tk.scratch);
    }
}

/* Merges a made stretch into the stream and emits its output. */
static enum alm_status emit_slot(struct alm__stream *s, struct slot *sl,
                                 alm__stream_emit emit, void *ectx)
{
    enum alm_status st = sl->st;
    alm__ops += sl->ops;
    if (st == ALM_OK)
        st = count_rows(s, sl->rows);
    if (sl->latest > s->ds->latest)
        s->ds->latest = sl->latest;
    if (sl->longest > s->ds->ix->longest)
        s->ds->ix->longest = sl->longest;
    if (st == ALM_OK)
        st = emit(ectx, &sl->out, sl->until - sl->from);
    alm_buf_reset(&sl->out);
    sl->state = FREE;
    return st;
}

/* A stretch of no rows, for a file that has none. */
static enum alm_status empty_piece(struct alm__stream *s, struct piece *p)
{
    piece_init(s, p, malloc(1), 0);
    return p->text ? ALM_OK : ALM_ENOMEM;
}

enum alm_status alm__stream_run_parallel(struct alm__stream *s,
                                         alm__stream_pfn fn, void *const ctxs[],
                                         alm__stream_emit emit, void *ectx)
{
    struct crew cr = {.fn = fn};
    struct worker w[WORKERS];
    pthread_t th[WORKERS];
    size_t nth = 0;
    enum alm_status st = ALM_OK;
    memset(w, 0, sizeof w);
    pthread_mutex_init(&cr.mu, NULL);
    pthread_cond_init(&cr.work, NULL);
    pthread_cond_init(&cr.done, NULL);
    for (size_t i = 0; i < WORKERS && st == ALM_OK; i++) {
        w[i].crew = &cr;
        w[i].ctx = ctxs[i];
        w[i].view = *s->ds;
        w[i].view.tables[ALM_T_OBSERVATIONS] = NULL;
        w[i].view.obs = NULL;
        w[i].view.nobs = 0;
        w[i].ix = *s->ds->ix;
        w[i].ix.obs_by_ind = NULL;
        w[i].ix.obs_start = calloc(s->ds->nind + 2, sizeof *w[i].ix.obs_start);
        w[i].view.ix = &w[i].ix;
        w[i].tk.ds = &w[i].view;
        if (!w[i].ix.obs_start)
            st = ALM_ENOMEM;
    }
    for (; st == ALM_OK && nth < WORKERS; nth++)
        if (pthread_create(&th[nth], NULL, work, &w[nth]) != 0)
            break;
    if (nth == 0)
        st = ALM_ENOMEM;
    /* This thread reads and cuts, a stretch ahead of the one it hands
     * out (whose indicators end where the next one's begin), and emits
     * the made stretches in order. */
    struct piece pending = {0};
    size_t from = 0;
    bool have_pending = false, cutting = st == ALM_OK;
    while (st == ALM_OK) {
        struct slot *sl = next_made(&cr, cutting);
        if (sl) {
            st = emit_slot(s, sl, emit, ectx);
            cr.emitted++; /* only this thread reads it */
            continue;
        }
        if (!cutting)
            break; /* all emitted */
        struct piece p = {0};
        bool got = false;
        st = next_piece(s, &p, &got);
        if (st != ALM_OK)
            break;
        if (!got) { /* the end: the last stretch gives the rest */
            cutting = false;
            if (!have_pending && s->ds->nind > 0) /* no rows at all */
                st = empty_piece(s, &pending);
            if (st == ALM_OK && (have_pending || s->ds->nind > 0))
                dispatch(&cr, &pending, from, s->ds->nind);
            continue;
        }
        /* The emitted stretches' latest vintage, for what is read so far
         * (project.c's horizon_unsure). */
        p.view.latest = s->ds->latest;
        long k = first_indicator(s, &p);
        if (have_pending && (k < 0 || (size_t)k <= from)) {
            piece_free(&p);
            st = ALM_EINPUT; /* not grouped in order: read it whole */
            break;
        }
        if (have_pending) {
            dispatch(&cr, &pending, from, (size_t)k);
            from = (size_t)k;
        }
        pending = p;
        have_pending = true;
    }
    piece_free(&pending);
    pthread_mutex_lock(&cr.mu);
    cr.last = true;
    cr.failed = cr.failed || st != ALM_OK;
    pthread_cond_broadcast(&cr.work);
    pthread_mutex_unlock(&cr.mu);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    crew_release(&cr, w, WORKERS);
    pthread_cond_destroy(&cr.work);
    pthread_cond_destroy(&cr.done);
    pthread_mutex_destroy(&cr.mu);
    return st;
}

void alm__stream_close(struct alm__stream *s, struct alm_dataset **ds)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    alm_store_unlock(s->lock);
    if (ds) {
        *ds = s->ds;
    } else {
        alm_dataset_free(s->ds);
    }
    alm_table_free(s->header);
    free(s->buf);
    free(s->own.scratch);
    free(s);
}

const struct alm_table *alm__stream_header(const struct alm__stream *s)
{
    return s->header;
}
