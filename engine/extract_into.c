/* Extracted figures into a dataset: sources, indicators, observations and
 * targets built as tables and appended through alm_dataset_import(), so
 * that the write is one atomic commit validated as `check` would. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/extract.h>
#include <almanac/period.h>

#include "internal.h"

/* Writes an id made of s: lower-case letters and digits, other runs
 * become '-' (at most max bytes; "" when s has no letter or digit). */
static void slug(const char *s, char *out, size_t max)
{
    size_t k = 0;
    bool dash = false;
    for (; *s && k + 2 < max; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && k)
                out[k++] = '-';
            out[k++] = c;
            dash = false;
        } else {
            dash = true;
        }
    }
    out[k] = '\0';
}

/* A subject with no Latin letters (Chinese) is named by a short hash. */
static void subject_id(const char *subject, char *out, size_t max)
{
    slug(subject, out, max);
    if (out[0])
        return;
    unsigned long h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)subject; *p; p++)
        h = ((h ^ *p) * 16777619u) & 0xffffffffu;
    snprintf(out, max, "s%08lx", h);
}

static void unit_id(const char *unit, char *out, size_t max)
{
    if (!strcmp(unit, "%"))
        alm__copy(out, max, "pct");
    else
        slug(unit, out, max);
}

/* The document's name without folder and extension. */
static void doc_id(const char *path, char *out, size_t max)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char tmp[200];
    alm__copy(tmp, sizeof tmp, b);
    char *dot = strrchr(tmp, '.');
    if (dot && dot != tmp)
        *dot = '\0';
    size_t k = 0;
    for (const char *p = tmp; *p && k + 1 < max; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (k && (c == '_' || c == '.' || c == '-'));
        out[k++] = ok ? c : '-';
    }
    out[k] = '\0';
    if (!k)
        alm__copy(out, max, "document");
}

static enum alm_status set_row(struct alm_table *t, const char *const *cells)
{
    if (alm_table_add_row(t, 0) != ALM_OK)
        return ALM_ENOMEM;
    for (size_t j = 0; j < t->ncols; j++)
        if (alm_table_set(t, t->nrows - 1, j, cells[j] ? cells[j] : "") !=
            ALM_OK)
            return ALM_ENOMEM;
    return ALM_OK;
}

static long find_row(const struct alm_table *t, long col, const char *v)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (!strcmp(alm_table_cell(t, r, col), v))
            return (long)r;
    return -1;
}

/* The indicator the map gives subject (in document doc), or NULL. */
static const char *mapped(const struct alm_table *map, const char *doc,
                          const char *subject)
{
    if (!map)
        return NULL;
    long cs = alm_table_col(map, "subject"),
         ci = alm_table_col(map, "indicator"),
         cd = alm_table_col(map, "document");
    for (size_t r = 0; r < map->nrows; r++) {
        const char *d = alm_table_cell(map, r, cd);
        if (d[0] && strcmp(d, doc) != 0)
            continue;
        if (!strcmp(alm_table_cell(map, r, cs), subject))
            return alm_table_cell(map, r, ci);
    }
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Frequency letter of a period's text. */
static char freq_of(const char *period)
{
    struct alm_period p;
    if (alm_period_parse(period, &p, NULL) != ALM_OK)
        return 'I';
    return alm_period_freq(&p);
}

/* Removes the folder dir that this command created, with what is in it. */
static void remove_created(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            struct alm_buf p = ALM_BUF_INIT;
            if (alm_buf_printf(&p, "%s/%s", dir, e->d_name) == ALM_OK)
                (void)unlink(p.s);
            alm_buf_release(&p);
        }
        closedir(d);
    }
    (void)rmdir(dir);
}

/* The tables an extraction builds, and the map that names indicators. */
struct into {
    struct alm_table *ind, *src, *obs, *tgt;
    const struct alm_table *map;
};

/* Reads the map at path into *out, checking its columns. */
static enum alm_status read_map(const char *path, struct alm_table **out,
                                struct alm_error *err)
{
    enum alm_status st = alm_table_read(path, out, err);
    const struct alm_table *map = *out;
    if (st == ALM_OK && (alm_table_col(map, "subject") < 0 ||
                         alm_table_col(map, "indicator") < 0)) {
        alm_fail(err, ALM_EINPUT,
                 "missing column '%s': a map has the columns "
                 "subject,indicator[,document]",
                 alm_table_col(map, "subject") < 0 ? "subject" : "indicator");
        alm_error_locate(err, path, 1, NULL);
        st = ALM_EINPUT;
    }
    return st;
}

/* Names the indicator of figure f of the document whose id is did into id
 * (size bytes): the map's, or document.subject.unit, with a frequency
 * suffix where one subject is stated over periods of different
 * frequencies, and a number where one subject and period come twice. A
 * new indicator is added to t->ind. */
static enum alm_status figure_id(struct into *t, const struct alm_doc *d,
                                 const struct alm_figure *f, const char *did,
                                 char *id, size_t size, struct alm_error *err)
{
    char sid[140], uid[20], fq = freq_of(f->period);
    const char *m = mapped(t->map, base_name(d->name), f->subject);
    if (m) {
        alm__copy(id, size, m);
        return ALM_OK;
    }
    subject_id(f->subject, sid, 60);
    unit_id(f->unit, uid, sizeof uid);
    snprintf(id, size, "%s.%s.%s", did, sid[0] ? sid : "figure", uid);
    /* One frequency per indicator: a subject seen with another frequency
     * gets a suffix. */
    long r = find_row(t->ind, 0, id);
    if (r >= 0 && alm_table_cell(t->ind, (size_t)r, 4)[0] != fq) {
        size_t l = strlen(id);
        snprintf(id + l, size - l, ".%c", (char)(fq - 'A' + 'a'));
    }
    /* Two figures of one subject and period (production and sales of...):
     * the second is a subject of its own. */
    char base[240];
    alm__copy(base, sizeof base, id);
    for (int dup = 2; dup < 1000; dup++) {
        bool clash = false;
        const struct alm_table *tt = f->target ? t->tgt : t->obs;
        for (size_t r2 = 0; r2 < tt->nrows && !clash; r2++)
            clash = !strcmp(alm_table_cell(tt, r2, 0), id) &&
                    !strcmp(alm_table_cell(tt, r2, 1), f->period);
        if (!clash)
            break;
        snprintf(id, size, "%s-%d", base, dup);
    }
    if (strlen(id) > 128) {
        alm_fail(err, ALM_EINPUT, "indicator id too long: %s", id);
        return ALM_EINPUT;
    }
    if (find_row(t->ind, 0, id) < 0) {
        char fs[2] = {fq, '\0'};
        const char *irow[5] = {id, f->subject[0] ? f->subject : id, f->unit,
                               alm_kind_name(f->kind), fs};
        if (set_row(t->ind, irow) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    return ALM_OK;
}

/* Adds figure f of d (id did) as a row of t->tgt or t->obs. */
static enum alm_status add_figure(struct into *t, const struct alm_doc *d,
                                  const struct alm_figure *f, const char *did,
                                  struct alm_extract_into_result *res,
                                  struct alm_error *err)
{
    char id[320], val[40];
    enum alm_status st = figure_id(t, d, f, did, id, sizeof id, err);
    if (st != ALM_OK)
        return st;
    alm_extract_format_value(f->value, val, sizeof val);
    if (f->target) {
        const char *cmp =
            f->qual == ALM_QUAL_LE || f->qual == ALM_QUAL_LT ? "<=" : ">=";
        const char *trow[8] = {id,
                               f->period,
                               val,
                               cmp,
                               f->qual == ALM_QUAL_ABOUT ? "~" : "",
                               d->date,
                               did,
                               f->quote};
        st = set_row(t->tgt, trow);
        res->targets++;
    } else {
        const char *orow[6] = {id,  f->period, val, alm_qualifier_text(f->qual),
                               did, f->quote};
        st = set_row(t->obs, orow);
        res->observations++;
    }
    if (st != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

/* Adds document d: its source row, and a row per figure with a period. */
static enum alm_status add_doc(struct into *t, const struct alm_doc *d,
                               struct alm_extract_into_result *res,
                               struct alm_error *err)
{
    char did[140];
    doc_id(d->name, did, sizeof did);
    const char *srow[4] = {did, d->title, "", d->date};
    if (set_row(t->src, srow) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = ALM_OK;
    for (size_t j = 0; j < d->nfig && st == ALM_OK; j++) {
        if (!d->fig[j].period[0])
            res->skipped++;
        else
            st = add_figure(t, d, &d->fig[j], did, res, err);
    }
    return st;
}

/* Appends the tables to the dataset in dir. A folder that does not exist
 * becomes a new dataset, removed again if the figures cannot be
 * written. */
static enum alm_status write_into(const char *dir, const struct into *t,
                                  struct alm_extract_into_result *res,
                                  struct alm_error *err)
{
    struct stat sb;
    bool created = false;
    enum alm_status st = ALM_OK;
    if (stat(dir, &sb) != 0 && errno == ENOENT) {
        st = alm_dataset_create(dir, err);
        created = true;
    }
    if (st == ALM_OK) {
        struct alm_import_opts io = {.dry_run = false};
        struct alm_import_result ir = {.observations = 0};
        const struct alm_table *const extra[ALM_T_COUNT] = {t->ind, NULL,
                                                            t->src, t->tgt};
        st = alm_dataset_import_with(dir, t->obs, &io, extra, &ir, err);
        if (st == ALM_OK) {
            res->indicators = ir.indicators;
            res->sources = t->src->nrows;
        }
    }
    if (st != ALM_OK && created)
        remove_created(dir);
    return st;
}

enum alm_status alm_extract_into(const char *dir, struct alm_doc *const *docs,
                                 size_t n,
                                 const struct alm_extract_into_opts *opts,
                                 struct alm_extract_into_result *res,
                                 struct alm_error *err)
{
    static const char *const icols[] = {"id", "title", "unit", "kind",
                                        "frequency"};
    static const char *const scols[] = {"id", "title", "publisher", "date"};
    static const char *const ocols[] = {"indicator", "period", "value",
                                        "qualifier", "source", "quote"};
    static const char *const tcols[] = {"indicator",  "period",    "value",
                                        "comparator", "qualifier", "announced",
                                        "source",     "quote"};
    struct alm_table *map = NULL;
    struct into t = {alm_table_new("extracted indicators", 5, icols),
                     alm_table_new("extracted sources", 4, scols),
                     alm_table_new("extracted figures", 6, ocols),
                     alm_table_new("extracted targets", 8, tcols), NULL};
    enum alm_status st = ALM_OK;
    memset(res, 0, sizeof *res);
    if (!t.ind || !t.src || !t.obs || !t.tgt)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK && opts && opts->map)
        st = read_map(opts->map, &map, err);
    t.map = map;
    for (size_t i = 0; i < n && st == ALM_OK; i++)
        st = add_doc(&t, docs[i], res, err);
    if (st == ALM_OK)
        st = write_into(dir, &t, res, err);
    alm_table_free(map);
    alm_table_free(t.ind);
    alm_table_free(t.src);
    alm_table_free(t.obs);
    alm_table_free(t.tgt);
    return st;
}
