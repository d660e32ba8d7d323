/* Datasets: appending observations (add) and tables (import), validated
 * together with the dataset and committed through the store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/store.h>

#include <almanac/dataset.h>
#include <almanac/derive.h>

#include "csvio_internal.h"
#include "dataset_internal.h"
#include "internal.h"

/* ---- appending ----------------------------------------------------------- */

/* Sets column col of the last row of t, adding the column if needed. */
static enum alm_status set_last(struct alm_table *t, const char *col,
                                const char *value)
{
    long j;
    if (!value || !*value) /* a new row's cells are empty already */
        return ALM_OK;
    if (alm_table_add_column(t, col, &j) != ALM_OK)
        return ALM_ENOMEM;
    return alm_table_set(t, t->nrows - 1, (size_t)j, value);
}

/* Checks that the new text of a dataset file is one that reading accepts
 * (csvio.h): no more columns, bytes (len) and bytes in a field (longest,
 * as the writer measured it) than the limits allow, a header of distinct
 * names, and valid UTF-8 (utf8, of the whole text). The writer quotes what
 * needs quoting and writes every column of every row, so this is all that
 * reading could refuse: the text is not parsed again. A write must never
 * leave a dataset that no command can open. */
static enum alm_status check_writable(const struct alm_table *t, size_t len,
                                      bool utf8, size_t longest,
                                      const char *name, struct alm_error *err)
{
    if (t->ncols > ALM_CSV_COLS_MAX)
        return alm_fail(err, ALM_EINPUT,
                        "the new %s would have %zu columns; the limit is %d",
                        name, t->ncols, ALM_CSV_COLS_MAX);
    if (len > (size_t)ALM_CSV_FILE_MAX)
        return alm_fail(err, ALM_EINPUT,
                        "the new %s would be %zu bytes long; the limit is %ld "
                        "bytes",
                        name, len, ALM_CSV_FILE_MAX);
    const char *why = NULL;
    if (longest > ALM_CSV_FIELD_MAX)
        why = "a field longer than the limit of a field";
    else if (!t->ncols)
        why = "no column";
    for (size_t j = 0; j < t->ncols && !why; j++) {
        if (!t->header[j][0])
            why = "an empty column name";
        for (size_t k = 0; !why && k < j; k++)
            if (strcmp(t->header[j], t->header[k]) == 0)
                why = "a column named twice";
    }
    if (!why && !utf8)
        why = "invalid UTF-8";
    if (why)
        return alm_fail(err, ALM_EBUG,
                        "refusing to write a file that cannot be read back: "
                        "%s would hold %s",
                        name, why);
    return ALM_OK;
}

/* ---- keeping observations.csv grouped -------------------------------------
 */

/* The index in indicators.csv of the indicator of every row of ot (*out,
 * caller frees), -1 for an id it lacks. Rows come series by series: a row
 * of the id of the row before gets that row's answer. */
static enum alm_status row_indicators(const struct alm_dataset *ds,
                                      const struct alm_table *ot, long ci,
                                      long **out)
{
    size_t nk = ot->nrows ? ot->nrows : 1;
    long *k = alm__huge_pages(malloc(nk * sizeof *k), nk * sizeof *k);
    if (!k)
        return ALM_ENOMEM;
    const char *prev = NULL;
    for (size_t r = 0; r < ot->nrows; r++) {
        const char *id = alm_table_cell(ot, r, ci);
        alm__ops++;
        if (prev && strcmp(id, prev) == 0) {
            k[r] = k[r - 1];
        } else {
            k[r] = alm_dataset_find_indicator(ds, id);
            prev = id;
        }
    }
    *out = k;
    return ALM_OK;
}

/* True when the indicators k[a..b) never go back in indicators.csv's
 * order (and are all known). */
static bool grouped(const long *k, size_t a, size_t b)
{
    for (size_t r = a; r < b; r++)
        if (k[r] < 0 || (r > a && k[r] < k[r - 1]))
            return false;
    return true;
}

/* Moves the rows ds's write appended to observations.csv (those from
 * ds->ix->origin_from on) to the end of their indicator's group when the
 * rows before them are grouped by indicator in the order of
 * indicators.csv (README, "Row order"): a stable counting sort by
 * indicator, one pass over the rows, so that no row moves relative to the
 * others of its indicator. Rows before them that are not grouped stay as
 * they are, the new ones after them. ds's observations are stale after
 * it: it runs just before the table is formatted. */
static enum alm_status regroup(struct alm_dataset *ds)
{
    struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    size_t from = ds->ix->origin_from, n = ot->nrows;
    long ci = alm_table_col(ot, "indicator");
    long *k = NULL;
    if (ci < 0 || from >= n)
        return ALM_OK;
    if (row_indicators(ds, ot, ci, &k) != ALM_OK)
        return ALM_ENOMEM;
    enum alm_status st = ALM_OK;
    size_t *at = NULL;
    struct alm_table moved = {0}; /* holds the cells in their new order */
    long *lines = NULL;
    /* Nothing to do when the whole file is grouped already; nothing to
     * keep when the rows before were not. */
    if (grouped(k, 0, n) || !grouped(k, 0, from))
        goto done;
    for (size_t r = from; r < n; r++)
        if (k[r] < 0) /* validation let no such row through */
            goto done;
    size_t w = ot->ncols ? ot->ncols : 1;
    at = calloc(ds->nind + 1, sizeof *at);
    lines = alm__huge_pages(malloc(ot->caprows * sizeof *lines),
                            ot->caprows * sizeof *lines);
    if (!at || !lines ||
        alm__table_cells_grow(&moved, ot->caprows * w, 0) != ALM_OK) {
        st = ALM_ENOMEM;
        goto done;
    }
    for (size_t r = 0; r < n; r++)
        at[k[r] + 1]++;
    for (size_t i = 1; i <= ds->nind; i++)
        at[i] += at[i - 1];
    for (size_t r = 0; r < n; r++) {
        size_t to = at[k[r]]++;
        memcpy(moved.cells + to * ot->ncols, ot->cells + r * ot->ncols,
               ot->ncols * sizeof *moved.cells);
        lines[to] = ot->lines[r];
    }
    alm__table_cells_move(ot, &moved);
    free(ot->lines);
    ot->lines = lines;
    lines = NULL;
done:
    free(k);
    free(at);
    alm__table_cells_free(&moved);
    free(lines);
    return st;
}

/* A table written by a commit: formatted a stretch of rows at a time
 * into the store's new file, its digest and what check_writable() needs
 * gathered on the way, and checked once whole (a text that reading would
 * refuse fails the commit: nothing changes). */
struct table_fill {
    const struct alm_table *t;
    const char *name;
    struct alm_fs_new *out;
    struct alm__sha256 *sha;
    size_t len;
    bool utf8;
    struct alm_error *err;
    char hex[65]; /* the digest, once written */
};

static enum alm_status put_piece(void *ctx, const char *s, size_t len)
{
    struct table_fill *tf = ctx;
    if (tf->utf8 && !alm__utf8_valid(s, len))
        tf->utf8 = false;
    tf->len += len;
    alm__sha256_add(tf->sha, s, len);
    return alm_fs_new_write(tf->out, s, len, tf->err);
}

static enum alm_status fill_table(void *ctx, struct alm_fs_new *out,
                                  struct alm_error *err)
{
    struct table_fill *tf = ctx;
    size_t longest = 0;
    tf->out = out;
    tf->err = err;
    tf->len = 0;
    tf->utf8 = true;
    tf->sha = alm__sha256_new();
    if (!tf->sha)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = alm__table_write(tf->t, put_piece, tf, &longest);
    alm__sha256_end(tf->sha, tf->hex);
    tf->sha = NULL;
    if (st == ALM_ENOMEM)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st != ALM_OK)
        return st;
    return check_writable(tf->t, tf->len, tf->utf8, longest, tf->name, err);
}

/* The change log written last by a commit, from the digests the fills of
 * the n tables before it found. */
struct log_fill {
    const struct alm_dataset *ds;
    const char *what;
    size_t rows, n;
    const struct alm_store_file *files;
    const struct table_fill *tf;
};

static enum alm_status fill_log(void *ctx, struct alm_fs_new *out,
                                struct alm_error *err)
{
    struct log_fill *lf = ctx;
    struct alm_buf log = ALM_BUF_INIT;
    char hex[ALM_T_COUNT][65];
    for (size_t i = 0; i < lf->n; i++)
        memcpy(hex[i], lf->tf[i].hex, sizeof hex[i]);
    enum alm_status st =
        alm__log_append(lf->ds, lf->what, lf->rows, lf->files,
                        (const char(*)[65])hex, lf->n, &log, err);
    if (st == ALM_OK)
        st = alm_fs_new_write(out, log.s ? log.s : "", log.len, err);
    alm_buf_release(&log);
    return st;
}

/* Commits the tables listed in which[] (n of them). */
enum alm_status alm__commit_tables(struct alm_dataset *ds,
                                   const struct alm_lock *lock,
                                   const enum alm_table_id *which, size_t n,
                                   const char *what, size_t rows,
                                   struct alm_error *err)
{
    struct table_fill tf[ALM_T_COUNT];
    struct alm_store_file files[ALM_T_COUNT + 1];
    memset(files, 0, sizeof files);
    memset(tf, 0, sizeof tf);
    for (size_t i = 0; i < n; i++)
        if (which[i] == ALM_T_OBSERVATIONS && regroup(ds) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        tf[i].t = ds->tables[which[i]];
        tf[i].name = alm_table_files[which[i]];
        files[i].name = tf[i].name;
        files[i].fill = fill_table;
        files[i].ctx = &tf[i];
    }
    /* Last, the log, of the digests the tables' fills found. */
    struct log_fill lf = {ds, what, rows, n, files, tf};
    files[n].name = alm_log_file;
    files[n].fill = fill_log;
    files[n].ctx = &lf;
    return alm_store_commit(lock, files, n + 1, err);
}

/* Checks a text given as an option for what a dataset file cannot hold:
 * more than ALM_CSV_FIELD_MAX bytes, invalid UTF-8 (argv cannot hold a
 * NUL), or a control character but tab and LF. The message names the
 * option. */
/* The code of the control character at s (one byte, or C1 in UTF-8). */
static unsigned control_code(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return u[0] == 0xC2 ? u[1] : u[0];
}

/* The offset of the first control character of the valid UTF-8 text s
 * other than tab and LF (C0, DEL, C1 U+0080-U+009F), or -1. */
static long control_at(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F ||
            (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return (long)(p - (const unsigned char *)s);
    return -1;
}

enum alm_status alm__check_option_text(const char *text, const char *option,
                                       struct alm_error *err)
{
    enum alm_status st;
    long bad;
    size_t n = text ? strlen(text) : 0;
    if (n > ALM_CSV_FIELD_MAX)
        st = alm_fail(err, ALM_EINPUT, "%zu bytes long; the limit is %d bytes",
                      n, ALM_CSV_FIELD_MAX);
    else if (!alm__utf8_valid(text ? text : "", n))
        st = alm_fail(err, ALM_EINPUT, "invalid UTF-8");
    else if ((bad = control_at(text ? text : "")) >= 0)
        st = alm_fail(err, ALM_EINPUT,
                      "holds the control character U+%04X at byte %ld: a text "
                      "may hold tabs and line breaks (LF), no other control "
                      "character (a terminal would run an ESC sequence)",
                      control_code(text + bad), bad + 1);
    else
        return ALM_OK;
    alm_error_locate(err, NULL, 0, option);
    return st;
}

enum alm_status alm_dataset_add(const char *dir, const struct alm_obs_input *in,
                                struct alm_error *err)
{
    return alm_dataset_add_with(dir, in, NULL, err);
}

/* Folds the frequency of one more period p into f, the frequency a new
 * indicator's rows gave so far (0 before the first): one kind of period
 * gives its letter, a mix gives 'I', and spans mixed with anything else
 * give 'X' (no frequency fits them all; it stays). */
static char fold_freq(char f, const struct alm_period *p)
{
    char g = alm_period_freq(p);
    if (f == 'X')
        return f;
    if (!f || f == g)
        return g;
    return g == 'P' || f == 'P' ? 'X' : 'I';
}

/* An observation's key: its indicator and period, borrowed from a table
 * (a table's cell text stays where it is while rows are added). */
struct obs_key {
    const char *ind, *per;
};

static int cmp_key(const void *a, const void *b)
{
    const struct obs_key *x = a, *y = b;
    alm__ops++;
    int c = strcmp(x->ind, y->ind);
    return c ? c : strcmp(x->per, y->per);
}

/* The sorted keys of the rows of ot whose source is src (*keys, *n;
 * caller frees the array). */
static enum alm_status present_keys(const struct alm_table *ot, const char *src,
                                    struct obs_key **keys, size_t *n,
                                    struct alm_error *err)
{
    long ci = alm_table_col(ot, "indicator"), cp = alm_table_col(ot, "period"),
         cs = alm_table_col(ot, "source");
    *keys = NULL;
    *n = 0;
    if (cs < 0)
        return ALM_OK;
    size_t nk = ot->nrows ? ot->nrows : 1;
    struct obs_key *k = alm__huge_pages(malloc(nk * sizeof *k), nk * sizeof *k);
    if (!k)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t r = 0; r < ot->nrows; r++)
        if (strcmp(alm_table_cell(ot, r, cs), src) == 0)
            k[(*n)++] = (struct obs_key){alm_table_cell(ot, r, ci),
                                         alm_table_cell(ot, r, cp)};
    qsort(k, *n, sizeof *k, cmp_key);
    *keys = k;
    return ALM_OK;
}

/* The rows of the descriptions table dt by id (the first of an id wins, as
 * a search from the top would find); NULL when out of memory. */
static struct alm__idmap *describe_map(const struct alm_table *dt)
{
    struct alm__idmap *m = alm__idmap_new(dt->nrows);
    long cdid = alm_table_col(dt, "id");
    for (size_t r = 0; m && cdid >= 0 && r < dt->nrows; r++) {
        long have;
        if (alm__idmap_put(m, alm_table_cell(dt, r, cdid), r, &have) !=
            ALM_OK) {
            alm__idmap_free(m);
            return NULL;
        }
    }
    return m;
}

/* The ids of t that ds lacks (borrowed from t), in the order of their
 * first rows: the row each first appears on and the frequency their
 * periods give. */
struct new_ids {
    size_t n, cap, *first;
    char *freq;
};

static enum alm_status collect_new_ids(const struct alm_dataset *ds,
                                       const struct alm_table *t,
                                       struct new_ids *ni,
                                       struct alm_error *err)
{
    long cind = alm_table_col(t, "indicator"),
         cper = alm_table_col(t, "period");
    struct alm__idmap *seen = alm__idmap_new(64);
    enum alm_status st = seen ? ALM_OK : ALM_ENOMEM;
    /* Rows come series by series: a row of the id of the row before gets
     * that row's answer without looking it up again. */
    const char *prev = NULL;
    long prev_have = -1;
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        const char *id = alm_table_cell(t, i, cind);
        long have;
        alm__ops++;
        if (prev && strcmp(id, prev) == 0) {
            have = prev_have;
        } else {
            prev = id;
            prev_have = -2; /* in ds */
            if (alm_dataset_find_indicator(ds, id) >= 0)
                continue;
            st = alm__idmap_put(seen, id, ni->n, &have);
        }
        if (have == -2)
            continue;
        if (st == ALM_OK && have < 0 && ni->n == ni->cap) {
            size_t nc = ni->cap ? 2 * ni->cap : 64;
            size_t *f2 = realloc(ni->first, nc * sizeof *f2);
            if (f2)
                ni->first = f2;
            char *q2 = f2 ? realloc(ni->freq, nc) : NULL;
            if (q2) {
                ni->freq = q2;
                ni->cap = nc;
            } else {
                st = ALM_ENOMEM;
            }
        }
        if (st != ALM_OK)
            break;
        if (have < 0) {
            ni->first[ni->n] = i;
            ni->freq[ni->n] = 0;
            have = (long)ni->n++;
        }
        prev_have = have;
        struct alm_period p;
        if (alm_period_parse(alm_table_cell(t, i, cper), &p, NULL) == ALM_OK)
            ni->freq[have] = fold_freq(ni->freq[have], &p);
    }
    alm__idmap_free(seen);
    return st == ALM_OK ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
}

/* Appends to indicators.csv the indicator id first seen on row i of t,
 * its frequency freq (0: none seen) unless its description (row drow of
 * dt, or -1) gives one. */
static enum alm_status add_indicator(struct alm_dataset *ds,
                                     const struct alm_table *t, size_t i,
                                     char freq, const struct alm_table *dt,
                                     long drow, enum alm_kind kind,
                                     const struct alm_import_opts *opts,
                                     struct alm_error *err)
{
    struct alm_table *it = ds->tables[ALM_T_INDICATORS];
    const char *id = alm_table_cell(t, i, alm_table_col(t, "indicator"));
    char q[300];
    if (!alm__id_valid(id)) {
        alm_fail(err, ALM_EINPUT,
                 "bad indicator id '%s': expected lower-case letters, "
                 "digits, '.', '_' or '-', starting with a letter or "
                 "digit, at most 128 bytes",
                 alm_error_quote(id, q, sizeof q));
        alm_error_locate(err, t->name, t->lines[i], "indicator");
        return ALM_EINPUT;
    }
    const char *dfreq =
        drow >= 0
            ? alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "frequency"))
            : "";
    char f[2] = {dfreq[0] ? dfreq[0] : freq ? freq : 'A', '\0'};
    if (f[0] == 'X') {
        alm_fail(err, ALM_EINPUT,
                 "indicator '%s' mixes month spans with other "
                 "periods: no frequency fits; create it first with "
                 "'almanac indicator add'",
                 alm_error_quote(id, q, sizeof q));
        alm_error_locate(err, t->name, t->lines[i], "period");
        return ALM_EINPUT;
    }
    const char *title = id, *unit = "", *kname = alm_kind_name(kind);
    if (drow >= 0) {
        const char *dtitle =
            alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "title"));
        const char *dkind =
            alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "kind"));
        title = dtitle[0] ? dtitle : id;
        unit = alm_table_cell(dt, (size_t)drow, alm_table_col(dt, "unit"));
        if (!opts->kind && dkind[0])
            kname = dkind;
    }
    if (alm_table_add_row(it, 0) != ALM_OK ||
        set_last(it, "id", id) != ALM_OK ||
        set_last(it, "title", title) != ALM_OK ||
        set_last(it, "unit", unit) != ALM_OK ||
        set_last(it, "kind", kname) != ALM_OK ||
        set_last(it, "frequency", f) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

/* Adds to ds an indicator for every id of t that it lacks, in the order
 * of their first rows, described by opts->indicators where it has them;
 * their frequencies come from one pass over t. */
static enum alm_status create_indicators(struct alm_dataset *ds,
                                         const struct alm_table *t,
                                         enum alm_kind kind,
                                         const struct alm_import_opts *opts,
                                         size_t *created, struct alm_error *err)
{
    const struct alm_table *dt = opts->indicators;
    struct alm__idmap *described = dt ? describe_map(dt) : NULL;
    struct new_ids ni = {0, 0, NULL, NULL};
    enum alm_status st = ALM_OK;
    *created = 0;
    if (dt && !described)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    st = collect_new_ids(ds, t, &ni, err);
    long cind = alm_table_col(t, "indicator");
    for (size_t k = 0; k < ni.n && st == ALM_OK; k++) {
        const char *id = alm_table_cell(t, ni.first[k], cind);
        long drow = described ? alm__idmap_find(described, id) : -1;
        st = add_indicator(ds, t, ni.first[k], ni.freq[k], dt, drow, kind, opts,
                           err);
        if (st == ALM_OK)
            (*created)++;
    }
    alm__idmap_free(described);
    free(ni.first);
    free(ni.freq);
    return st;
}

/* Appends the rows of src to ds's table id, columns matched by name
 * (columns ds lacks are added); rows keep src's line numbers. */
static enum alm_status append_rows(struct alm_dataset *ds, enum alm_table_id id,
                                   const struct alm_table *src,
                                   struct alm_error *err)
{
    struct alm_table *dt = ds->tables[id];
    for (size_t i = 0; i < src->nrows; i++) {
        if (alm_table_add_row(dt, src->lines[i]) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        for (size_t j = 0; j < src->ncols; j++) {
            long c;
            if (alm_table_add_column(dt, src->header[j], &c) != ALM_OK ||
                alm_table_set(dt, dt->nrows - 1, (size_t)c,
                              alm_table_cell(src, i, (long)j)) != ALM_OK)
                return alm_fail(err, ALM_ENOMEM, "out of memory");
        }
    }
    return ALM_OK;
}

enum alm_status alm_dataset_import(const char *dir, const struct alm_table *t,
                                   const struct alm_import_opts *opts,
                                   struct alm_import_result *res,
                                   struct alm_error *err)
{
    const struct alm_table *const none[ALM_T_COUNT] = {NULL, NULL, NULL, NULL};
    return alm_dataset_import_with(dir, t, opts, none, res, err);
}

/* Checks what an import needs before it reads the dataset: t's required
 * columns, the kind and the vintage of the options. */
static enum alm_status check_import(const struct alm_table *t,
                                    const struct alm_import_opts *opts,
                                    enum alm_kind *kind, struct alm_error *err)
{
    static const char *const required[] = {"indicator", "period", "value"};
    long vintage_day;
    for (size_t j = 0; j < 3; j++) {
        if (alm_table_col(t, required[j]) < 0) {
            alm_fail(err, ALM_EINPUT,
                     "missing column '%s': the long format has the columns "
                     "of observations.csv (indicator,period,value,...)",
                     required[j]);
            alm_error_locate(err, t->name, 1, NULL);
            return ALM_EINPUT;
        }
    }
    if (opts->kind && alm_kind_parse(opts->kind, kind, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--kind");
        return ALM_EINPUT;
    }
    if (opts->vintage &&
        alm_date_parse(opts->vintage, &vintage_day, err) != ALM_OK) {
        alm_error_locate(err, NULL, 0, "--vintage");
        return ALM_EINPUT;
    }
    return ALM_OK;
}

/* Appends the rows of the extra tables (import_with); *extra_ind gets how
 * many indicators they add. */
static enum alm_status
append_extra(struct alm_dataset *ds,
             const struct alm_table *const extra[ALM_T_COUNT],
             size_t *extra_ind, struct alm_error *err)
{
    enum alm_status st = ALM_OK;
    *extra_ind = 0;
    for (int x = 0; x < ALM_T_COUNT && st == ALM_OK; x++)
        if (x != ALM_T_OBSERVATIONS && extra[x]) {
            st = append_rows(ds, (enum alm_table_id)x, extra[x], err);
            if (x == ALM_T_INDICATORS)
                *extra_ind = extra[x]->nrows;
        }
    if (st == ALM_OK && *extra_ind) {
        /* The index by id must see the indicators just appended. */
        st = alm__dataset_load(ds, NULL, err);
    }
    return st;
}

/* Adds the source opts->source to ds unless it has it; *added says so. */
static enum alm_status add_source(struct alm_dataset *ds,
                                  const struct alm_import_opts *opts,
                                  size_t *added, struct alm_error *err)
{
    const char *src_id = opts->source ? opts->source[0] : NULL;
    *added = 0;
    if (!src_id || alm_dataset_find_source(ds, src_id) >= 0)
        return ALM_OK;
    struct alm_table *stab = ds->tables[ALM_T_SOURCES];
    if (alm_table_add_row(stab, 0) != ALM_OK ||
        set_last(stab, "id", src_id) != ALM_OK ||
        set_last(stab, "title", opts->source[1]) != ALM_OK ||
        set_last(stab, "publisher", opts->source[2]) != ALM_OK ||
        set_last(stab, "date", opts->source[3]) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    *added = 1;
    return ALM_OK;
}

/* True when row i of t has a key among keys[0..nkeys) (present_keys). */
static bool is_present(const struct alm_table *t, size_t i, long ci, long cp,
                       const struct obs_key *keys, size_t nkeys)
{
    struct obs_key k = {alm_table_cell(t, i, ci), alm_table_cell(t, i, cp)};
    return bsearch(&k, keys, nkeys, sizeof *keys, cmp_key) != NULL;
}

/* How the rows of t go into ot: its columns at map[], the vintage (ref
 * vin_ref in ot's pool) in column cvin (or -1) where a row has none, and,
 * when ot's pool has t's text lent (alm__pool_lend), the shift of t's
 * references in it (lent), else each cell is copied. */
struct obs_move {
    const long *map;
    long cvin;
    uint32_t vin_ref;
    bool lent, unguard;
    uint32_t shift;
    size_t nlent;
};

/* The cells from[] of a row of t as cells to[] of a row of ot (all 0),
 * m->lent: references into t's text lent to ot's pool. */
static void place_lent(uint32_t *to, const uint32_t *from,
                       const struct alm_table *t, const struct obs_move *m)
{
    for (size_t j = 0; j < t->ncols; j++) {
        const char *text = alm__pool_str(t->pool, from[j]);
        /* An export's formula guard is taken off (csvio.h). */
        const char *cell = m->unguard ? alm_csv_unguard(text) : text;
        to[m->map[j]] =
            from[j] && *cell ? from[j] + m->shift + (uint32_t)(cell - text) : 0;
    }
    if (m->cvin >= 0 && !to[m->cvin])
        to[m->cvin] = m->vin_ref;
}

/* Appends row i of t to ot as m says. */
static enum alm_status append_obs(struct alm_table *ot,
                                  const struct alm_table *t, size_t i,
                                  const struct obs_move *m,
                                  struct alm_error *err)
{
    if (alm_table_add_row(ot, t->lines[i]) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    size_t r = ot->nrows - 1;
    uint32_t *to = ot->cells + r * ot->ncols;
    const uint32_t *from = t->cells + i * t->ncols;
    if (m->lent) {
        place_lent(to, from, t, m);
        return ALM_OK;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        const char *text = alm__pool_str(t->pool, from[j]);
        const char *cell = m->unguard ? alm_csv_unguard(text) : text;
        if (alm_table_set(ot, r, (size_t)m->map[j], cell) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    if (m->cvin >= 0 && !to[m->cvin])
        to[m->cvin] = m->vin_ref;
    return ALM_OK;
}

/* Into an observations.csv without rows, the rows of own (the caller's
 * table, its text lent to ot's pool) go whole when every one of them is
 * appended: own's cells widen in place to ot's columns, the last row
 * first, and become ot's, with own's lines, so that no row is copied into
 * fresh memory (own has no rows after it). False when they cannot (each
 * is appended as usual then); *st is the outcome when true. */
static bool adopt_rows(struct alm_dataset *ds, struct alm_table *ot,
                       struct alm_table *own, const struct obs_move *m,
                       struct alm_import_result *res, enum alm_status *st,
                       struct alm_error *err)
{
    size_t n = own ? own->nrows : 0, w = own ? own->ncols : 0, W = ot->ncols;
    if (!n || !w || ot->nrows || !m->lent || n > (size_t)-1 / W)
        return false;
    for (size_t i = 0; i < n; i++)
        if (alm_derive_exported(ds, own, i))
            return false;
    uint32_t *row = malloc(w * sizeof *row);
    if (!row || alm__table_cells_grow(own, n * W, n * w) != ALM_OK) {
        free(row);
        *st = alm_fail(err, ALM_ENOMEM, "out of memory");
        return true;
    }
    for (size_t i = n; i-- > 0;) {
        memcpy(row, own->cells + i * w, w * sizeof *row);
        uint32_t *to = own->cells + i * W;
        memset(to, 0, W * sizeof *to);
        place_lent(to, row, own, m);
    }
    free(row);
    alm__table_cells_move(ot, own);
    free(ot->lines);
    ot->lines = own->lines;
    own->lines = NULL;
    ot->nrows = ot->caprows = n;
    own->nrows = own->caprows = 0;
    res->observations += n;
    *st = ALM_OK;
    return true;
}

/* Appends the rows of t to observations.csv, skipping those already
 * present from the same source when asked (counted in res). t's text is
 * lent to the table rather than copied (*m says how, and the caller takes
 * it back with alm__pool_unlend before the dataset is freed). */
static enum alm_status
append_observations(struct alm_dataset *ds, const struct alm_table *t,
                    struct alm_table *own, const struct alm_import_opts *opts,
                    bool src_created, struct obs_move *m,
                    struct alm_import_result *res, struct alm_error *err)
{
    const char *src_id = opts->source ? opts->source[0] : NULL;
    struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    struct obs_key *keys = NULL;
    size_t nkeys = 0;
    long tind = alm_table_col(t, "indicator"),
         tper = alm_table_col(t, "period");
    enum alm_status st = ALM_OK;
    if (opts->skip_present && src_id && !src_created)
        st = present_keys(ot, src_id, &keys, &nkeys, err);
    long tsrc = alm_table_col(t, "source");
    long *map =
        st == ALM_OK ? malloc((t->ncols ? t->ncols : 1) * sizeof *map) : NULL;
    if (st == ALM_OK && !map)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t j = 0; j < t->ncols && st == ALM_OK; j++)
        if (alm_table_add_column(ot, t->header[j], &map[j]) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    m->map = map;
    m->cvin = -1;
    m->vin_ref = 0;
    m->unguard = opts->unguard;
    if (st == ALM_OK && opts->vintage &&
        (alm_table_add_column(ot, "vintage", &m->cvin) != ALM_OK ||
         (opts->vintage[0] &&
          !alm__pool_strndup(ot->pool, opts->vintage, strlen(opts->vintage),
                             &m->vin_ref))))
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        m->lent = alm__pool_lend(ot->pool, t->pool, &m->shift, &m->nlent);
    ds->ix->origin_from = ot->nrows;
    ds->ix->origin_name = t->name;
    if (st == ALM_OK && own == t && !nkeys &&
        adopt_rows(ds, ot, own, m, res, &st, err)) {
        free(map);
        m->map = NULL;
        return st;
    }
    /* Room for every row at once, rather than doubling as they come. */
    if (st == ALM_OK &&
        alm__table_reserve_rows(ot, ot->nrows + t->nrows) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        /* A row an export wrote for a derived indicator (derive.h) is
         * computed from the dataset: present already, never stored. */
        bool have = alm_derive_exported(ds, t, i);
        if (!have && nkeys && strcmp(alm_table_cell(t, i, tsrc), src_id) == 0)
            have = is_present(t, i, tind, tper, keys, nkeys);
        if (st == ALM_OK && have)
            res->present++;
        else if (st == ALM_OK) {
            res->observations++;
            st = append_obs(ot, t, i, m, err);
        }
    }
    free(map);
    m->map = NULL;
    free(keys);
    return st;
}

/* Marks in touched[] the indicators of the observations ds->obs[a..). */
static void mark_touched(const struct alm_dataset *ds, size_t a, bool *touched)
{
    for (size_t i = a; i < ds->nobs; i++)
        touched[ds->obs[i].ind] = true;
}

/* Looks for duplicates among the observations of every indicator marked
 * in touched[], in the order of indicators.csv, as the whole dataset's
 * check would find the first. */
static enum alm_status check_touched(struct alm_dataset *ds,
                                     const bool *touched, struct alm_error *err)
{
    const struct alm__dataset_index *x = ds->ix;
    size_t *idx = malloc((x->longest ? x->longest : 1) * sizeof *idx);
    enum alm_status st =
        idx ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
    for (size_t k = 0; k < ds->nind && st == ALM_OK; k++) {
        size_t n = x->obs_start[k + 1] - x->obs_start[k];
        alm__ops++;
        if (!touched[k] || n < 2)
            continue;
        memcpy(idx, x->obs_by_ind + x->obs_start[k], n * sizeof *idx);
        st = alm__dataset_check_run(ds, idx, n, err);
    }
    free(idx);
    return st;
}

/* ---- validating appended rows in bounded memory ---------------------------
 *
 * Rows appended to a dataset without formulas are validated a stretch at a
 * time (load_rows on a view of LEAN_ROWS rows, one buffer of parsed rows
 * reused), keeping of each row only the key a duplicate shares: its
 * indicator, period and vintage in 16 bytes rather than a whole struct
 * alm_obs. When no two keys of the new rows and the old rows of the
 * indicators they reach are equal, the dataset is valid as the whole read
 * would find it; any equal pair (a duplicate, or figures of one vintage
 * from different sources, which are warnings) or a key that does not fit
 * sends the caller to the exact path, which says what validating the whole
 * dataset says. */

#define LEAN_ROWS 65536

struct lean_key {
    uint64_t per; /* m0, whether a day, then the day or m1 - m0 */
    uint32_t ind;
    int32_t vin; /* the vintage's day, INT32_MIN for none */
};

/* The key of o into *k; false when a field does not fit its bits. */
static bool lean_key_of(const struct alm_obs *o, struct lean_key *k)
{
    const long lim = 1L << 30;
    bool day = o->period.kind == ALM_PERIOD_DAY;
    long m0 = o->period.m0, second = day ? o->period.day : o->period.m1 - m0;
    if (m0 < -lim || m0 >= lim || second < 0 || second >= lim)
        return false;
    if (o->vintage != ALM_DATE_NONE &&
        (o->vintage <= INT32_MIN || o->vintage > INT32_MAX))
        return false;
    k->per =
        ((uint64_t)(m0 + lim) << 32) | ((uint64_t)day << 31) | (uint64_t)second;
    k->ind = o->ind;
    k->vin = o->vintage == ALM_DATE_NONE ? INT32_MIN : (int32_t)o->vintage;
    return true;
}

static int cmp_lean(const void *a, const void *b)
{
    const struct lean_key *x = a, *y = b;
    alm__ops++;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->per != y->per)
        return x->per < y->per ? -1 : 1;
    return x->vin < y->vin ? -1 : x->vin > y->vin;
}

/* True when some indicator of ds has a formula (whose check reads every
 * observation of it). */
static bool any_formula(const struct alm_dataset *ds)
{
    const struct alm_table *it = ds->tables[ALM_T_INDICATORS];
    long cf = alm_table_col(it, "formula");
    for (size_t r = 0; cf >= 0 && r < it->nrows; r++)
        if (alm_table_cell(it, r, cf)[0])
            return true;
    return false;
}

/* The keys of the new rows in k[0..*n), then those of the old rows (ds->obs
 * before the call, grouped by the read's index over old_nind indicators) of
 * the indicators the new rows reach. */
static bool lean_old_keys(const struct alm_dataset *ds,
                          const struct alm_obs *old, size_t old_nind,
                          struct lean_key *k, size_t *n)
{
    const struct alm__dataset_index *x = ds->ix;
    size_t nnew = *n;
    bool *touched = calloc(old_nind ? old_nind : 1, sizeof *touched);
    if (!touched)
        return false;
    for (size_t i = 0; i < nnew; i++)
        if (k[i].ind < old_nind)
            touched[k[i].ind] = true;
    bool ok = true;
    for (size_t j = 0; j < old_nind && ok; j++) {
        alm__ops++;
        for (size_t a = x->obs_start[j]; touched[j] && a < x->obs_start[j + 1];
             a++)
            ok = lean_key_of(&old[x->obs_by_ind[a]], &k[(*n)++]);
    }
    free(touched);
    return ok;
}

/* Validates the rows of observations.csv from row from on as
 * validate_appended() does; *exact is set when the caller must validate
 * them exactly instead (the dataset is then as the call found it). */
static enum alm_status validate_lean(struct alm_dataset *ds, size_t from,
                                     bool *exact, struct alm_error *err)
{
    struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    struct alm_obs *old = ds->obs;
    size_t old_nind = ds->nind, n = ot->nrows - from, nk = 0, cap = 0;
    size_t nold = 0;
    long latest = ds->latest;
    size_t origin = ds->ix->origin_from;
    *exact = true;
    if (any_formula(ds))
        return ALM_OK;
    /* The old rows the new ones may meet: at most all of them. */
    for (size_t j = 0; from && j < old_nind; j++)
        nold += ds->ix->obs_start[j + 1] - ds->ix->obs_start[j];
    size_t nkeys = n + nold > 0 ? n + nold : 1;
    struct lean_key *keys =
        alm__huge_pages(malloc(nkeys * sizeof *keys), nkeys * sizeof *keys);
    if (!keys)
        return ALM_OK;
    ds->obs = NULL;
    ds->nobs = 0;
    enum alm_status st = alm__dataset_load_head(ds, err);
    struct alm_table view = *ot;
    ds->tables[ALM_T_OBSERVATIONS] = &view;
    ds->ix->origin_from = 0;
    bool fits = true;
    for (size_t a = 0; a < n && st == ALM_OK && fits; a += LEAN_ROWS) {
        size_t m = n - a < LEAN_ROWS ? n - a : LEAN_ROWS;
        view.cells = ot->cells + (from + a) * ot->ncols;
        view.lines = ot->lines + from + a;
        view.nrows = view.caprows = m;
        st = alm__dataset_load_rows(ds, &cap, err);
        for (size_t i = 0; st == ALM_OK && fits && i < ds->nobs; i++)
            fits = lean_key_of(&ds->obs[i], &keys[nk++]);
    }
    ds->tables[ALM_T_OBSERVATIONS] = ot;
    ds->ix->origin_from = origin;
    free(ds->obs);
    ds->obs = old;
    ds->nobs = from;
    if (st != ALM_OK) {
        /* A row at fault: the first, as the whole read finds it. */
        free(keys);
        *exact = false;
        return st;
    }
    if (fits && from)
        fits = lean_old_keys(ds, old, old_nind, keys, &nk);
    size_t sorted = 1;
    while (fits && sorted < nk &&
           cmp_lean(&keys[sorted - 1], &keys[sorted]) < 0)
        sorted++;
    if (fits && sorted < nk) {
        qsort(keys, nk, sizeof *keys, cmp_lean);
        for (size_t i = 1; i < nk && fits; i++)
            fits = cmp_lean(&keys[i - 1], &keys[i]) != 0;
    }
    free(keys);
    if (!fits) {
        ds->latest = latest; /* the exact path raises it again */
        return ALM_OK;
    }
    if (latest != ALM_DATE_NONE &&
        (ds->latest == ALM_DATE_NONE || latest > ds->latest))
        ds->latest = latest;
    *exact = false;
    if (alm__derive_load(ds, NULL, err))
        return ALM_EINPUT;
    return ALM_OK;
}

/* Validates ds after rows were appended to observations.csv from row from
 * on (ds->obs holding the rows before, as reading validated them): the
 * other tables again (they are small), the new rows only, then
 * duplicates in the indicators the new rows reach, and the formulas; the
 * first problem is the one validating the whole dataset would report,
 * since the rows read were valid and stay so. Corrections (their check
 * spans rows) and a dataset grown by other tables (import_with) are
 * validated whole. */
static enum alm_status validate_appended(struct alm_dataset *ds, size_t from,
                                         bool whole, struct alm_error *err)
{
    struct alm_table *ot = ds->tables[ALM_T_OBSERVATIONS];
    if (whole || ds->ix->amend_on || ds->nobs != from || from > ot->nrows ||
        ot->nrows > UINT32_MAX || alm_table_col(ot, "correction") >= 0 ||
        alm_table_col(ot, "recorded") >= 0)
        return alm__dataset_load(ds, NULL, err);
    bool exact;
    enum alm_status lean = validate_lean(ds, from, &exact, err);
    if (!exact)
        return lean;
    struct alm_obs *old = ds->obs;
    long latest = ds->latest;
    size_t origin = ds->ix->origin_from, cap = 0;
    ds->obs = NULL;
    ds->nobs = 0;
    enum alm_status st = alm__dataset_load_head(ds, err);
    /* The new rows, as a table of their own that reads ot's cells. */
    struct alm_table view = *ot;
    view.cells = ot->cells + from * ot->ncols;
    view.lines = ot->lines + from;
    view.nrows = view.caprows = ot->nrows - from;
    ds->tables[ALM_T_OBSERVATIONS] = &view;
    ds->ix->origin_from = 0;
    if (st == ALM_OK)
        st = alm__dataset_load_rows(ds, &cap, err);
    ds->tables[ALM_T_OBSERVATIONS] = ot;
    ds->ix->origin_from = origin;
    struct alm_obs *fresh = ds->obs;
    size_t nfresh = ds->nobs;
    ds->obs = old;
    ds->nobs = from;
    if (st != ALM_OK) {
        free(fresh);
        return st;
    }
    /* The new rows behind the old (into a new dataset: they are all). */
    struct alm_obs *all = fresh;
    if (from) {
        all = alm__huge_pages(realloc(old, (from + nfresh) * sizeof *all),
                              (from + nfresh) * sizeof *all);
        if (!all) {
            free(fresh);
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < nfresh; i++) {
            all[from + i] = fresh[i];
            all[from + i].row += (uint32_t)from;
        }
        free(fresh);
    } else {
        free(old);
    }
    ds->obs = all;
    ds->nobs = from + nfresh;
    if (latest != ALM_DATE_NONE &&
        (ds->latest == ALM_DATE_NONE || latest > ds->latest))
        ds->latest = latest;
    bool *touched = calloc(ds->nind ? ds->nind : 1, sizeof *touched);
    if (!touched || alm__group_by_ind(ds, false) != ALM_OK) {
        free(touched);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    mark_touched(ds, from, touched);
    st = check_touched(ds, touched, err);
    free(touched);
    if (st == ALM_OK && alm__derive_load(ds, NULL, err))
        st = ALM_EINPUT;
    return st;
}

enum alm_status alm__dataset_validate_appended(struct alm_dataset *ds,
                                               size_t from,
                                               struct alm_error *err)
{
    return validate_appended(ds, from, false, err);
}

/* Frees ds's parsed observations and their groups by indicator, once
 * validated: the commit writes the tables (its regroup reads indicators
 * by id); ds then has no observations. */
static void drop_observations(struct alm_dataset *ds)
{
    free(ds->obs);
    free(ds->ix->obs_by_ind);
    free(ds->ix->obs_start);
    ds->obs = NULL;
    ds->ix->obs_by_ind = ds->ix->obs_start = NULL;
    ds->nobs = 0;
    ds->ix->longest = 0;
}

/* The rows of the extra tables of an import. */
static size_t extra_rows(const struct alm_table *const extra[ALM_T_COUNT])
{
    size_t n = 0;
    for (int x = 0; x < ALM_T_COUNT; x++)
        if (x != ALM_T_OBSERVATIONS && extra[x])
            n += extra[x]->nrows;
    return n;
}

/* alm_dataset_import_with(), and when own is t (not const), the rows of
 * t are freed once appended (their text stays, lent to the dataset's
 * table until the end): t then has its header and no rows. */
static enum alm_status
import_with(const char *dir, const struct alm_table *t, struct alm_table *own,
            const struct alm_import_opts *opts,
            const struct alm_table *const extra[ALM_T_COUNT],
            struct alm_import_result *res, struct alm_error *err)
{
    struct alm_lock *lock = NULL;
    struct alm_dataset *ds = NULL;
    enum alm_kind kind = ALM_KIND_VALUE;
    struct alm_import_result r = {0, 0, 0, 0};
    struct obs_move move = {NULL, -1, 0, false, false, 0, 0};
    size_t extra_ind = 0;
    enum alm_status st = check_import(t, opts, &kind, err);
    if (st != ALM_OK)
        return st;
    st = alm_store_lock(dir, !opts->dry_run, &lock, err);
    if (st != ALM_OK)
        return st;
    st = alm_dataset_read(dir, NULL, &ds, err);
    if (st == ALM_OK)
        st = append_extra(ds, extra, &extra_ind, err);
    if (st == ALM_OK)
        st = create_indicators(ds, t, kind, opts, &r.indicators, err);
    if (st == ALM_OK)
        st = add_source(ds, opts, &r.sources, err);
    if (st == ALM_OK)
        st = append_observations(ds, t, own, opts, r.sources, &move, &r, err);
    if (st == ALM_OK && own == t) {
        alm__table_cells_free(own);
        free(own->lines);
        own->lines = NULL;
        own->nrows = own->caprows = 0;
    }
    if (st == ALM_OK)
        st = validate_appended(
            ds, ds->ix->origin_from,
            extra_ind || extra[ALM_T_SOURCES] || extra[ALM_T_TARGETS], err);
    /* What is written comes from the tables: the parsed observations and
     * their groups go before the text is made (a third of the memory). */
    if (st == ALM_OK)
        drop_observations(ds);
    if (st == ALM_OK && !opts->dry_run &&
        (r.observations || r.indicators || r.sources || extra_ind ||
         extra[ALM_T_SOURCES] || extra[ALM_T_TARGETS])) {
        enum alm_table_id which[ALM_T_COUNT] = {ALM_T_OBSERVATIONS};
        size_t nw = 1;
        if (r.indicators || extra_ind)
            which[nw++] = ALM_T_INDICATORS;
        if (r.sources || extra[ALM_T_SOURCES])
            which[nw++] = ALM_T_SOURCES;
        if (extra[ALM_T_TARGETS])
            which[nw++] = ALM_T_TARGETS;
        char what[300];
        snprintf(what, sizeof what, "import %s", t->name);
        st = alm__commit_tables(
            ds, lock, which, nw, what,
            r.observations + r.indicators + r.sources + extra_rows(extra), err);
    }
    if (st == ALM_OK && res) {
        *res = r;
        res->indicators += extra_ind;
    }
    if (move.lent)
        alm__pool_unlend(ds->tables[ALM_T_OBSERVATIONS]->pool, move.shift,
                         move.nlent);
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    return st;
}

enum alm_status
alm_dataset_import_with(const char *dir, const struct alm_table *t,
                        const struct alm_import_opts *opts,
                        const struct alm_table *const extra[ALM_T_COUNT],
                        struct alm_import_result *res, struct alm_error *err)
{
    return import_with(dir, t, NULL, opts, extra, res, err);
}

enum alm_status alm__dataset_import_rows(const char *dir, struct alm_table *t,
                                         const struct alm_import_opts *opts,
                                         struct alm_import_result *res,
                                         struct alm_error *err)
{
    const struct alm_table *const none[ALM_T_COUNT] = {NULL, NULL, NULL, NULL};
    return import_with(dir, t, t, opts, none, res, err);
}
