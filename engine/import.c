/* Import: detection, dispatch, the batch builder and the cell readers that
 * every format shares (import.h, import_internal.h); the cell readers
 * are in import_cell.c, the last steps in import_finish.c. */
#include <almanac/import.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>
#include <almanac/period.h>

#include "csvio_internal.h"
#include "dataset_internal.h"
#include "import_internal.h"
#include "internal.h"

static const char *const format_names[] = {
    "auto", "long", "wide", "wdi", "fred", "sdmx", "jsonstat", "ecb", "nbs"};

const char *alm_import_format_name(enum alm_import_format f)
{
    return format_names[f];
}

enum alm_status alm_import_format_parse(const char *text,
                                        enum alm_import_format *out,
                                        struct alm_error *err)
{
    char q[80];
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(text, format_names[i]) == 0) {
            *out = (enum alm_import_format)i;
            return ALM_OK;
        }
    return alm_fail(err, ALM_EINPUT,
                    "unknown format '%s': expected auto, long, wide, wdi, "
                    "fred, sdmx, jsonstat, ecb or nbs",
                    alm_error_quote(text, q, sizeof q));
}

uint64_t alm__imp_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* ---- the builder -------------------------------------------------------- */

/* Appends the id part of a publisher's code to b: lower-cased, characters
 * outside [a-z0-9_-] turned to '-'. */
static enum alm_status add_part(struct alm_buf *b, const char *part)
{
    for (const char *p = part; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (!(isalnum((unsigned char)c) || c == '_' || c == '-') ||
            (unsigned char)*p >= 0x80)
            c = '-';
        if (alm_buf_putc(b, c) != ALM_OK)
            return ALM_ENOMEM;
    }
    return ALM_OK;
}

static long find_series(const struct imp *im, const char *id, size_t *slot)
{
    if (!im->nslots)
        return -1;
    size_t h = (size_t)alm__imp_hash(ALM_IMP_HASH0, id, strlen(id));
    for (size_t i = h % im->nslots;; i = (i + 1) % im->nslots) {
        alm__ops++;
        if (!im->slots[i]) {
            *slot = i;
            return -1;
        }
        if (strcmp(im->ser[im->slots[i] - 1].id, id) == 0)
            return (long)im->slots[i] - 1;
    }
}

static enum alm_status grow_slots(struct imp *im)
{
    size_t n = im->nslots ? im->nslots * 2 : 64;
    size_t *s = calloc(n, sizeof *s);
    if (!s)
        return ALM_ENOMEM;
    free(im->slots);
    im->slots = s;
    im->nslots = n;
    for (size_t k = 0; k < im->nser; k++) {
        size_t slot = 0;
        find_series(im, im->ser[k].id, &slot);
        im->slots[slot] = k + 1;
    }
    return ALM_OK;
}

/* Replaces id, which is not a valid id (too long, or no letter to start
 * with), by what fits of the first parts and a hash of the whole key. */
static enum alm_status hashed_id(struct alm_buf *id, const struct alm_buf *key,
                                 const char *const *parts, size_t n)
{
    char tail[24];
    snprintf(
        tail, sizeof tail, "%016llx",
        (unsigned long long)alm__imp_hash(ALM_IMP_HASH0, key->s, key->len));
    alm_buf_reset(id);
    for (size_t i = 0; i < n && i < 2; i++) {
        struct alm_buf part = ALM_BUF_INIT;
        if (add_part(&part, parts[i]) != ALM_OK) {
            alm_buf_release(&part);
            return ALM_ENOMEM;
        }
        bool fits =
            part.s && part.len > 0 && part.len < 48 && alm__id_valid(part.s);
        if (fits && (alm_buf_puts(id, part.s) != ALM_OK ||
                     alm_buf_putc(id, '.') != ALM_OK)) {
            alm_buf_release(&part);
            return ALM_ENOMEM;
        }
        alm_buf_release(&part);
        if (!fits)
            break;
    }
    return alm_buf_puts(id, tail);
}

/* Builds the id of a series from its parts (joined by '.', each cleaned
 * unless verbatim) and its key (the parts joined by \037, to tell two keys
 * that clean to one id apart). ALM_OK or ALM_ENOMEM. */
static enum alm_status series_id(const char *const *parts, size_t n,
                                 bool verbatim, struct alm_buf *id,
                                 struct alm_buf *key)
{
    for (size_t i = 0; i < n; i++) {
        if ((i && (alm_buf_putc(id, '.') != ALM_OK ||
                   alm_buf_putc(key, '\037') != ALM_OK)) ||
            alm_buf_puts(key, parts[i]) != ALM_OK ||
            (verbatim ? alm_buf_puts(id, parts[i]) : add_part(id, parts[i])) !=
                ALM_OK)
            return ALM_ENOMEM;
    }
    if (!id->s && alm_buf_puts(id, "") != ALM_OK)
        return ALM_ENOMEM;
    if (!key->s && alm_buf_puts(key, "") != ALM_OK)
        return ALM_ENOMEM;
    if (!verbatim && !alm__id_valid(id->s))
        return hashed_id(id, key, parts, n);
    return ALM_OK;
}

/* Adds a series with id and key (taken from the buffers) at slot of the
 * hash table. Returns its index, or -1 when out of memory. */
static long new_series(struct imp *im, struct alm_buf *id, struct alm_buf *key,
                       size_t slot, const char *title, const char *unit,
                       char freq)
{
    if (im->nser == UINT32_MAX) /* row_ser holds 32 bits */
        return -1;
    if (im->nser == im->capser) {
        size_t cap = im->capser ? 2 * im->capser : 16;
        struct imp_series *p = realloc(im->ser, cap * sizeof *p);
        if (!p)
            return -1;
        im->ser = p;
        im->capser = cap;
    }
    if ((im->nser + 1) * 2 > im->nslots) {
        if (grow_slots(im) != ALM_OK)
            return -1;
        find_series(im, id->s, &slot);
    }
    struct imp_series *s = &im->ser[im->nser];
    memset(s, 0, sizeof *s);
    s->title = alm__strdup(title ? title : "");
    s->unit = alm__strdup(unit ? unit : "");
    s->freq = freq;
    if (!s->title || !s->unit) {
        free(s->title);
        free(s->unit);
        return -1;
    }
    s->id = alm_buf_detach(id);
    s->key = alm_buf_detach(key);
    im->slots[slot] = im->nser + 1;
    return (long)im->nser++;
}

long alm__imp_series(struct imp *im, const char *const *parts, size_t n,
                     bool verbatim, const char *title, const char *unit,
                     char freq, long line)
{
    struct alm_buf id = ALM_BUF_INIT, key = ALM_BUF_INIT;
    char q[200], q2[200];
    size_t slot = 0;
    long k = -1;
    /* A long file's rows come series by series: a verbatim id (its own
     * key) that is the last one seen is that series again. */
    if (verbatim && n == 1 && im->last_ser < im->nser &&
        strcmp(im->ser[im->last_ser].key, parts[0]) == 0 &&
        strcmp(im->ser[im->last_ser].id, parts[0]) == 0)
        return (long)im->last_ser;
    if (series_id(parts, n, verbatim, &id, &key) != ALM_OK)
        goto nomem;
    k = find_series(im, id.s, &slot);
    if (k >= 0 && strcmp(im->ser[k].key, key.s) != 0) {
        alm_fail(im->err, ALM_EINPUT,
                 "two series get the id '%s': '%s' and '%s'; import "
                 "them into separate datasets or rename one",
                 id.s, alm_error_quote(im->ser[k].key, q, sizeof q),
                 alm_error_quote(key.s, q2, sizeof q2));
        for (char *c = im->err->msg; *c; c++)
            if (*c == '\037')
                *c = ' ';
        alm_error_locate(im->err, im->name, line, NULL);
        k = -1;
    } else if (k < 0 &&
               (k = new_series(im, &id, &key, slot, title, unit, freq)) < 0) {
        goto nomem;
    }
    alm_buf_release(&id);
    alm_buf_release(&key);
    if (k >= 0)
        im->last_ser = (size_t)k;
    return k;
nomem:
    alm_buf_release(&id);
    alm_buf_release(&key);
    alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return -1;
}

bool alm__imp_problem(struct imp *im)
{
    const struct alm_problem_sink *rep = im->spec->report;
    if (!rep || im->nproblems >= 100 || im->err->status != ALM_EINPUT)
        return false;
    /* One problem is the load's error; from the second on, each is
     * reported as it is found and the load's error is a count. */
    if (++im->nproblems == 1) {
        im->first = *im->err;
    } else {
        if (im->nproblems == 2)
            rep->fn(rep->ctx, &im->first, false);
        rep->fn(rep->ctx, im->err, false);
    }
    alm_error_clear(im->err);
    return true;
}

enum alm_status alm__imp_set_repeat(struct alm_table *t, size_t r, size_t col,
                                    const char *value)
{
    if (r > 0) {
        uint32_t above = t->cells[(r - 1) * t->ncols + col];
        if (above && strcmp(alm__pool_str(t->pool, above), value) == 0) {
            t->cells[r * t->ncols + col] = above;
            return ALM_OK;
        }
    }
    return alm_table_set(t, r, col, value);
}

/* Room for cap rows in the batch's table and the builder's arrays. */
static enum alm_status reserve_rows(struct imp *im, size_t cap)
{
    if (cap <= im->caprows)
        return ALM_OK;
    uint32_t *rs = realloc(im->row_ser, cap * sizeof *rs);
    if (!rs)
        return ALM_ENOMEM;
    im->row_ser = alm__huge_pages(rs, cap * sizeof *rs);
    unsigned char *rd = realloc(im->row_date, cap);
    if (!rd)
        return ALM_ENOMEM;
    im->row_date = alm__huge_pages(rd, cap);
    im->caprows = cap;
    return alm__table_reserve_rows(im->b->obs, cap);
}

/* The lines of data: as many rows as a long file gives, so that its
 * rows get their room at once rather than by copies as they double. */
static size_t count_lines(const char *data, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += data[i] == '\n';
    return n;
}

int alm__imp_obs(struct imp *im, long s, const char *period, const char *value,
                 const char *status, int unit_mult, long line,
                 const char *pfield, const char *vfield)
{
    char vtext[512], ptext[ALM_PERIOD_TEXT_MAX];
    struct alm_error e;
    alm_error_clear(&e);
    int rc = alm__imp_value(im, value, unit_mult, vtext, sizeof vtext, &e);
    if (rc < 0) {
        alm_fail(im->err, e.status, "%s", e.msg);
        alm_error_locate(im->err, im->name, line, vfield);
        return alm__imp_problem(im) ? 0 : -1;
    }
    bool is_date;
    if (alm__imp_period(period, ptext, &is_date, &e) != ALM_OK) {
        alm_fail(im->err, e.status, "%s", e.msg);
        alm_error_locate(im->err, im->name, line, pfield);
        return alm__imp_problem(im) ? 0 : -1;
    }
    if (rc == 0) {
        im->b->skipped++;
        return 0;
    }
    struct alm_table *t = im->b->obs;
    if (t->nrows == im->caprows &&
        reserve_rows(im, im->caprows ? 2 * im->caprows : 256) != ALM_OK)
        goto nomem;
    char st[2] = {alm__imp_status(status), '\0'};
    size_t r = t->nrows;
    if (alm_table_add_row(t, line) != ALM_OK ||
        alm__imp_set_repeat(t, r, 0, im->ser[s].id) != ALM_OK ||
        alm_table_set(t, r, 1, ptext) != ALM_OK ||
        alm_table_set(t, r, 2, vtext) != ALM_OK ||
        alm_table_set(t, r, 3, st) != ALM_OK)
        goto nomem;
    im->row_ser[r] = (uint32_t)s;
    im->row_date[r] = is_date;
    im->ndated += is_date;
    im->ser[s].nobs++;
    return 1;
nomem:
    alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return -1;
}

enum alm_status alm__imp_source(struct imp *im, const char *title,
                                const char *publisher, const char *date)
{
    char **dst[] = {&im->title, &im->publisher, &im->date};
    const char *v[] = {title, publisher, date};
    for (size_t i = 0; i < 3; i++) {
        if (!v[i])
            continue;
        char *c = alm__imp_trim(v[i]);
        if (!c)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
        char *old = *dst[i];
        free(old);
        *dst[i] = c;
    }
    return ALM_OK;
}

void alm_import_batch_free(struct alm_import_batch *b)
{
    if (!b)
        return;
    alm_table_free(b->obs);
    alm_table_free(b->ind);
    for (size_t i = 0; i < 4; i++)
        free(b->source[i]);
    for (size_t i = 0; i < b->nseries; i++) {
        free(b->series[i].id);
        free(b->series[i].title);
        free(b->series[i].unit);
        free(b->series[i].first);
        free(b->series[i].last);
    }
    free(b->series);
    free(b);
}

static void imp_release(struct imp *im)
{
    for (size_t i = 0; i < im->nser; i++) {
        free(im->ser[i].id);
        free(im->ser[i].key);
        free(im->ser[i].title);
        free(im->ser[i].unit);
    }
    free(im->ser);
    free(im->slots);
    free(im->row_ser);
    free(im->row_date);
    free(im->title);
    free(im->publisher);
    free(im->date);
}

/* ---- detection and dispatch --------------------------------------------- */

/* Picks the delimiter of CSV text: the one of ',', ';', TAB that the first
 * lines hold most often outside quotes (a comma when none). */
static char sniff_delimiter(const char *data, size_t len)
{
    size_t counts[3] = {0, 0, 0};
    static const char cand[] = ",;\t";
    bool inq = false;
    int lines = 0;
    for (size_t i = 0; i < len && lines < 20; i++) {
        char c = data[i];
        if (c == '"')
            inq = !inq;
        else if (c == '\n' && !inq)
            lines++;
        else if (!inq)
            for (int k = 0; k < 3; k++)
                if (c == cand[k])
                    counts[k]++;
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cand[best];
}

/* Appends "; this looks like a X file: use --format x" to err's message. */
static void add_hint(struct alm_error *err, enum alm_import_format seen)
{
    static const char *const what[] = {
        "",         "long-format", "wide",      "World Bank",
        "FRED",     "SDMX-CSV",    "JSON-stat", "ECB data portal",
        "NBS China"};
    if (!err)
        return;
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n,
             "; this looks like a %s file: use --format %s", what[seen],
             alm_import_format_name(seen));
}

/* The position and byte of the first invalid UTF-8 sequence, for the
 * message about a file in another encoding. */
static long bad_utf8_line(const char *data, size_t len)
{
    long line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || data[i] == '\n') {
            if (!alm__utf8_valid(data + start, i - start))
                return line;
            line++;
            start = i + 1;
        }
    }
    return 0;
}

static bool looks_like_json(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    return i < len && (data[i] == '{' || data[i] == '[');
}

/* Checks that data is text: no NUL byte, valid UTF-8, except for a GBK
 * export of the NBS, which is converted into conv (*data and *len then
 * point there). */
static enum alm_status check_text(const char **data, size_t *len,
                                  const char *name,
                                  const struct alm_import_spec *spec,
                                  struct alm_buf *conv, struct alm_error *e)
{
    const char *nul = memchr(*data, '\0', *len);
    if (nul) {
        long line = 1;
        for (const char *c = *data; c < nul; c++)
            line += *c == '\n';
        alm_fail(e, ALM_EINPUT,
                 "NUL byte in the file: it is not text (a UTF-16 file "
                 "must be converted first: iconv -f UTF-16 -t UTF-8)");
        alm_error_locate(e, name, line, NULL);
        return ALM_EINPUT;
    }
    if (alm__utf8_valid(*data, *len))
        return ALM_OK;
    long line = bad_utf8_line(*data, *len);
    if (alm__imp_gbk_to_utf8(*data, *len, conv, NULL) == ALM_OK &&
        (spec->format == ALM_IMPORT_NBS ||
         (spec->format == ALM_IMPORT_AUTO &&
          strncmp(conv->s, "数据库", 9) == 0))) {
        *data = conv->s;
        *len = conv->len;
        return ALM_OK;
    }
    alm_fail(e, ALM_EINPUT,
             "invalid UTF-8: convert the file first (iconv -f "
             "ENCODING -t UTF-8), or, for a GBK export of the "
             "National Bureau of Statistics, use --format nbs");
    alm_error_locate(e, name, line, NULL);
    return ALM_EINPUT;
}

/* Detects the format of data (*seen), settles the one to read (the
 * spec's, or the one seen) and its decimal mark, and reads data with it
 * into im. */
static enum alm_status read_format(struct imp *im, const char *data, size_t len,
                                   enum alm_import_format *seen)
{
    const struct alm_import_spec *spec = im->spec;
    enum alm_import_format f = spec->format;
    char delim = spec->delimiter;
    if (looks_like_json(data, len)) {
        *seen = ALM_IMPORT_JSONSTAT;
    } else {
        if (!delim)
            delim = sniff_delimiter(data, len);
        *seen = alm__imp_detect_csv(data, len, delim, im->name);
    }
    if (f == ALM_IMPORT_AUTO)
        f = *seen;
    im->format = f;
    im->b->format = f;
    if (spec->decimal)
        im->decimal = spec->decimal;
    else if (delim == ';')
        im->decimal = 0; /* decided by the first number */
    else
        im->decimal = '.';
    if (f == ALM_IMPORT_JSONSTAT)
        return alm__imp_read_jsonstat(im, data, len);
    if (f == ALM_IMPORT_NBS)
        return alm__imp_read_nbs(im, data, len, delim ? delim : ',');
    if (looks_like_json(data, len)) {
        alm_fail(im->err, ALM_EINPUT, "this is JSON, not CSV");
        alm_error_locate(im->err, im->name, 1, NULL);
        return ALM_EINPUT;
    }
    return alm__imp_read_csv(im, data, len, delim, f);
}

/* The problems the reader passed on: one is the load's error; more are
 * summed up in it. */
static enum alm_status count_problems(const struct imp *im, struct alm_error *e)
{
    if (im->nproblems == 1) {
        *e = im->first;
        return ALM_EINPUT;
    }
    if (im->nproblems) {
        alm_fail(e, ALM_EINPUT,
                 "%zu cells or rows cannot be read%s: nothing written",
                 im->nproblems,
                 im->nproblems >= 100 ? " (the first 100 shown)" : "");
        alm_error_locate(e, im->name, 0, NULL);
        return ALM_EINPUT;
    }
    return ALM_OK;
}

enum alm_status alm_import_parse(const char *data, size_t len, const char *name,
                                 const char *dir,
                                 const struct alm_import_spec *spec,
                                 struct alm_import_batch **out,
                                 struct alm_error *err)
{
    struct alm_error local;
    alm_error_clear(&local);
    struct alm_error *e = err ? err : &local;
    struct imp im = {0};
    im.last_ser = (size_t)-1;
    struct alm_buf conv = ALM_BUF_INIT;
    const char *raw = data;
    size_t rawlen = len;
    enum alm_status st = ALM_OK;
    static const char *const ocols[] = {"indicator", "period", "value",
                                        "status", "source"};
    im.spec = spec;
    im.name = name;
    im.dir = dir;
    im.err = e;
    im.b = calloc(1, sizeof *im.b);
    if (!im.b || !(im.b->obs = alm_table_new(name, 5, ocols))) {
        st = alm_fail(e, ALM_ENOMEM, "out of memory");
        goto fail;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    st = check_text(&data, &len, name, spec, &conv, e);
    if (st != ALM_OK)
        goto fail;
    if (reserve_rows(&im, count_lines(data, len)) != ALM_OK) {
        st = alm_fail(e, ALM_ENOMEM, "out of memory");
        goto fail;
    }
    enum alm_import_format seen;
    st = read_format(&im, data, len, &seen);
    if (st == ALM_OK)
        st = count_problems(&im, e);
    if (st != ALM_OK && seen != im.format && seen != ALM_IMPORT_LONG &&
        seen != ALM_IMPORT_WIDE)
        add_hint(e, seen);
    if (st == ALM_OK)
        st = alm__imp_settle_periods(&im);
    if (st == ALM_OK)
        st = alm__imp_finish(&im, raw, rawlen);
    if (st != ALM_OK)
        goto fail;
    imp_release(&im);
    alm_buf_release(&conv);
    *out = im.b;
    return ALM_OK;
fail:
    imp_release(&im);
    alm_buf_release(&conv);
    alm_import_batch_free(im.b);
    return st != ALM_OK ? st : ALM_EINPUT;
}

enum alm_status alm_import_load(const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_batch **out,
                                struct alm_error *err)
{
    struct alm_file_text b;
    enum alm_status st = alm_file_text_open(path, ALM_CSV_FILE_MAX, &b, err);
    bool is_stdin = strcmp(path, "-") == 0;
    char *dir = NULL;
    if (st == ALM_OK && !is_stdin) {
        const char *slash = strrchr(path, '/');
        dir = slash ? alm__strndup(path, (size_t)(slash - path) + 1)
                    : alm__strdup("");
        if (!dir)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    if (st == ALM_OK)
        st = alm_import_parse(b.s, b.len, is_stdin ? "<stdin>" : path, dir,
                              spec, out, err);
    free(dir);
    alm_file_text_release(&b);
    return st;
}

enum alm_status alm_import_file(const char *dir, const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_summary *sum,
                                struct alm_import_batch **batch,
                                struct alm_error *err)
{
    struct alm_import_batch *b = NULL;
    enum alm_status st = alm_import_load(path, spec, &b, err);
    if (st != ALM_OK)
        return st;
    struct alm_import_opts io = {
        .kind = spec->kind,
        .vintage = spec->vintage,
        .dry_run = spec->dry_run,
        .indicators = b->ind,
        .source = b->source[0] ? (const char *const *)b->source : NULL,
        .skip_present = true,
        .unguard = b->format == ALM_IMPORT_LONG,
    };
    struct alm_import_result res = {0, 0, 0, 0};
    size_t nrows = b->obs->nrows;
    /* The batch's rows go into the dataset: they are not kept twice. */
    st = alm__dataset_import_rows(dir, b->obs, &io, &res, err);
    if (st == ALM_OK && sum) {
        sum->format = b->format;
        sum->series = b->nseries;
        sum->observations = nrows;
        sum->skipped = b->skipped;
        sum->appended = res.observations;
        sum->present = res.present;
        sum->indicators = res.indicators;
        sum->sources = res.sources;
    }
    if (st == ALM_OK && batch)
        *batch = b;
    else
        alm_import_batch_free(b);
    return st;
}
