/* Import of JSON-stat (1.x bundles and 2.0 datasets), parsed with jansson:
 * the dense cube expanded row-major over id/size, a series per combination
 * of the non-time dimensions, an observation per non-null cell. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include <almanac/buf.h>
#include <almanac/period.h>

#include "import_internal.h"
#include "internal.h"

/* The most cells a cube may have: more is a file we cannot mean to hold. */
#define MAX_CELLS (50L * 1000 * 1000)

struct dim {
    const char *id;
    size_t size;
    const char **codes; /* size codes, by position */
    json_t *labels;     /* category.label, or NULL */
    json_t *units;      /* category.unit, or NULL */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum alm_status
js_fail(struct imp *im, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    alm_fail(im->err, ALM_EINPUT, "%s", msg);
    alm_error_locate(im->err, im->name, 0, field);
    return ALM_EINPUT;
}

/* The member of a dataset that JSON-stat 2.0 keeps at the top and 1.x
 * inside "dimension" (id, size, role). */
static json_t *member(json_t *ds, const char *key)
{
    json_t *v = json_object_get(ds, key);
    if (!v)
        v = json_object_get(json_object_get(ds, "dimension"), key);
    return v;
}

/* Fills d->codes from category.index (an object code -> position, or an
 * array of codes), or, without an index, from category.label's keys (a
 * dimension of one category may omit the index). */
static enum alm_status read_categories(struct imp *im, struct dim *d,
                                       json_t *dimension)
{
    json_t *cat =
        json_object_get(json_object_get(dimension, d->id), "category");
    if (!json_is_object(cat))
        return js_fail(im, d->id, "dimension '%s' has no category", d->id);
    d->labels = json_object_get(cat, "label");
    d->units = json_object_get(cat, "unit");
    d->codes = calloc(d->size, sizeof *d->codes);
    if (!d->codes)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    json_t *index = json_object_get(cat, "index");
    size_t seen = 0;
    const char *key;
    json_t *v;
    if (json_is_array(index)) {
        size_t i;
        json_array_foreach(index, i, v)
        {
            if (!json_is_string(v) || i >= d->size)
                return js_fail(im, d->id,
                               "dimension '%s': category.index does not "
                               "match its size",
                               d->id);
            d->codes[i] = json_string_value(v);
            seen++;
        }
    } else if (json_is_object(index)) {
        json_object_foreach(index, key, v)
        {
            json_int_t pos = json_is_integer(v) ? json_integer_value(v) : -1;
            if (pos < 0 || (size_t)pos >= d->size || d->codes[pos])
                return js_fail(im, d->id,
                               "dimension '%s': category.index does not "
                               "match its size",
                               d->id);
            d->codes[pos] = key;
            seen++;
        }
    } else if (json_is_object(d->labels)) {
        json_object_foreach(d->labels, key, v)
        {
            if (seen < d->size)
                d->codes[seen] = key;
            seen++;
        }
    }
    if (seen != d->size)
        return js_fail(im, d->id,
                       "dimension '%s': the number of categories differs "
                       "from its size",
                       d->id);
    return ALM_OK;
}

static const char *label_of(const struct dim *d, size_t pos)
{
    json_t *l = json_object_get(d->labels, d->codes[pos]);
    return json_is_string(l) ? json_string_value(l) : d->codes[pos];
}

/* The unit of a metric category: unit.label, else unit.base. */
static const char *unit_of(const struct dim *d, size_t pos)
{
    json_t *u = json_object_get(d->units, d->codes[pos]);
    json_t *l = json_object_get(u, "label");
    if (!json_is_string(l))
        l = json_object_get(u, "base");
    return json_is_string(l) ? json_string_value(l) : NULL;
}

/* The cell k of value or status: an array, an object keyed by the flat
 * index, or (status) one string for every cell. */
static json_t *cell_at(json_t *v, size_t k)
{
    if (json_is_array(v) && json_array_size(v) == 1)
        return json_array_get(v, 0); /* one status for every cell */
    if (json_is_array(v))
        return json_array_get(v, k);
    if (json_is_object(v)) {
        char key[32];
        snprintf(key, sizeof key, "%zu", k);
        return json_object_get(v, key);
    }
    return json_is_string(v) ? v : NULL;
}

/* The file's date: "updated" (a date or a timestamp), or Eurostat's
 * lastUpdateDate in milliseconds since 1970. */
static enum alm_status read_date(struct imp *im, json_t *ds)
{
    char date[16];
    json_t *u = json_object_get(ds, "updated");
    long day;
    if (json_is_string(u) && strlen(json_string_value(u)) >= 10) {
        memcpy(date, json_string_value(u), 10);
        date[10] = '\0';
        if (alm_date_parse(date, &day, NULL) == ALM_OK)
            return alm__imp_source(im, NULL, NULL, date);
    }
    json_t *ms = json_object_get(ds, "lastUpdateDate");
    double x = -1;
    if (json_is_number(ms))
        x = json_number_value(ms);
    else if (json_is_string(ms))
        x = strtod(json_string_value(ms), NULL);
    if (x > 0 && x < 1e15) {
        day = (long)(x / 86400000.0);
        alm_date_format(day, date, sizeof date);
        return alm__imp_source(im, NULL, NULL, date);
    }
    return ALM_OK;
}

static long find_time(json_t *ds, const struct dim *dims, size_t n)
{
    json_t *role = member(ds, "role");
    json_t *t = json_array_get(json_object_get(role, "time"), 0);
    for (size_t i = 0; json_is_string(t) && i < n; i++)
        if (strcmp(dims[i].id, json_string_value(t)) == 0)
            return (long)i;
    static const char *const names[] = {"time", "year",    "period",
                                        "date", "quarter", "month"};
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcasecmp(dims[i].id, names[k]) == 0)
                return (long)i;
    return -1;
}

static long find_metric(json_t *ds, const struct dim *dims, size_t n)
{
    json_t *m =
        json_array_get(json_object_get(member(ds, "role"), "metric"), 0);
    for (size_t i = 0; json_is_string(m) && i < n; i++)
        if (strcmp(dims[i].id, json_string_value(m)) == 0)
            return (long)i;
    for (size_t i = 0; i < n; i++)
        if (dims[i].units)
            return (long)i;
    return -1;
}

/* A dataset's cube while its cells are read. */
struct cube {
    struct imp *im;
    const char *name; /* the dataset's name in a bundle, or NULL */
    json_t *value;    /* the cells: an array, or an object by index */
    json_t *status;   /* their statuses, likewise, or NULL */
    json_t *label;    /* the dataset's label, a string or NULL */
    struct dim *dims; /* n dimensions */
    size_t n;
    long cells;         /* the product of the sizes */
    long tdim, mdim;    /* the time dimension; the metric's, or -1 */
    const char **parts; /* n + 1: the id parts of a cell's series */
    size_t *pos;        /* n: a cell's position in each dimension */
    struct alm_buf title;
};

/* Reads the dimensions named by id and size, each with its categories,
 * into cb->dims, and their product into cb->cells. */
static enum alm_status read_dims(struct cube *cb, json_t *ids, json_t *sizes,
                                 json_t *dimension)
{
    enum alm_status st = ALM_OK;
    cb->cells = 1;
    for (size_t i = 0; i < cb->n && st == ALM_OK; i++) {
        json_t *id = json_array_get(ids, i), *sz = json_array_get(sizes, i);
        if (!json_is_string(id) || !json_is_integer(sz) ||
            json_integer_value(sz) < 1 ||
            json_integer_value(sz) > MAX_CELLS / cb->cells)
            return js_fail(cb->im, "size",
                           "bad id or size: sizes are positive integers and "
                           "the cube has at most 50 million cells");
        cb->dims[i].id = json_string_value(id);
        cb->dims[i].size = (size_t)json_integer_value(sz);
        cb->cells *= (long)cb->dims[i].size;
        st = read_categories(cb->im, &cb->dims[i], dimension);
    }
    return st;
}

/* The text of the value v of cell k into text (size bytes). */
static enum alm_status cell_text(struct imp *im, json_t *v, size_t k,
                                 char *text, size_t size)
{
    if (json_is_integer(v))
        snprintf(text, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        alm_format_double(json_real_value(v), text, size);
    else if (json_is_string(v))
        alm__copy(text, size, json_string_value(v));
    else {
        char f[40];
        snprintf(f, sizeof f, "value[%zu]", k);
        return js_fail(im, f, "expected a number or null");
    }
    return ALM_OK;
}

/* Reads cell k (row-major: the last dimension varies fastest) as one
 * observation of the series its non-time categories name; a null or
 * missing cell is counted as skipped. */
static enum alm_status read_cell(struct cube *cb, size_t k)
{
    struct imp *im = cb->im;
    size_t rest = k;
    for (size_t i = cb->n; i-- > 0;) {
        cb->pos[i] = rest % cb->dims[i].size;
        rest /= cb->dims[i].size;
    }
    json_t *v = cell_at(cb->value, k);
    if (!v || json_is_null(v)) {
        im->b->skipped++;
        return ALM_OK;
    }
    char text[64];
    enum alm_status st = cell_text(im, v, k, text, sizeof text);
    if (st != ALM_OK)
        return st;
    size_t np = 0;
    if (cb->name && strcmp(cb->name, "dataset") != 0)
        cb->parts[np++] = cb->name;
    alm_buf_reset(&cb->title);
    if (json_is_string(cb->label))
        st = alm_buf_printf(&cb->title, "%s:", json_string_value(cb->label));
    for (size_t i = 0; i < cb->n && st == ALM_OK; i++) {
        if ((long)i == cb->tdim)
            continue;
        cb->parts[np++] = cb->dims[i].codes[cb->pos[i]];
        st = alm_buf_printf(&cb->title, "%s%s", cb->title.len ? " " : "",
                            label_of(&cb->dims[i], cb->pos[i]));
    }
    if (st != ALM_OK)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    const char *unit =
        cb->mdim >= 0 ? unit_of(&cb->dims[cb->mdim], cb->pos[cb->mdim]) : NULL;
    long s = alm__imp_series(im, cb->parts, np, false, cb->title.s, unit, 0, 0);
    if (s < 0)
        return im->err->status;
    json_t *sv = cell_at(cb->status, k);
    char vfield[40];
    snprintf(vfield, sizeof vfield, "value[%zu]", k);
    const struct dim *t = &cb->dims[cb->tdim];
    if (alm__imp_obs(im, s, t->codes[cb->pos[cb->tdim]], text,
                     json_is_string(sv) ? json_string_value(sv) : NULL, 0, 0,
                     t->id, vfield) < 0)
        return im->err->status;
    return ALM_OK;
}

/* Checks the cube's time dimension and size, and reads its source (the
 * label, or the name) and its date. */
static enum alm_status read_head(struct cube *cb, json_t *ds)
{
    struct imp *im = cb->im;
    cb->tdim = find_time(ds, cb->dims, cb->n);
    cb->mdim = find_metric(ds, cb->dims, cb->n);
    if (cb->tdim < 0)
        return js_fail(im, "role",
                       "no time dimension: JSON-stat names it in role.time");
    if (json_is_array(cb->value) &&
        json_array_size(cb->value) != (size_t)cb->cells) {
        char msg[40];
        snprintf(msg, sizeof msg, "%zu", json_array_size(cb->value));
        return js_fail(im, "value",
                       "value has %s cells, but the sizes make another number",
                       msg);
    }
    cb->label = json_object_get(ds, "label");
    if (!json_is_string(cb->label))
        cb->label = json_object_get(ds, "title");
    json_t *source = json_object_get(ds, "source");
    enum alm_status st = alm__imp_source(
        im, json_is_string(cb->label) ? json_string_value(cb->label) : cb->name,
        json_is_string(source) ? json_string_value(source) : NULL, NULL);
    if (st == ALM_OK)
        st = read_date(im, ds);
    im->uses_source = true;
    return st;
}

static enum alm_status read_dataset(struct imp *im, json_t *ds,
                                    const char *name)
{
    json_t *ids = member(ds, "id"), *sizes = member(ds, "size");
    json_t *dimension = json_object_get(ds, "dimension");
    struct cube cb = {.im = im, .name = name, .title = ALM_BUF_INIT};
    cb.value = json_object_get(ds, "value");
    cb.status = json_object_get(ds, "status");
    enum alm_status st = ALM_OK;
    if (!json_is_array(ids) || !json_is_array(sizes) ||
        json_array_size(ids) != json_array_size(sizes) ||
        !json_array_size(ids) || !json_is_object(dimension) ||
        !(json_is_array(cb.value) || json_is_object(cb.value)))
        return js_fail(im, NULL,
                       "not a JSON-stat dataset: expected id, size, "
                       "dimension and value");
    if (json_is_object(cb.status) && json_object_get(cb.status, "value"))
        cb.status = json_object_get(cb.status, "value"); /* Eurostat's old */
    cb.n = json_array_size(ids);
    cb.dims = calloc(cb.n, sizeof *cb.dims);
    cb.parts = calloc(cb.n + 1, sizeof *cb.parts);
    cb.pos = calloc(cb.n, sizeof *cb.pos);
    if (!cb.dims || !cb.parts || !cb.pos)
        st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = read_dims(&cb, ids, sizes, dimension);
    if (st == ALM_OK)
        st = read_head(&cb, ds);
    for (size_t k = 0; k < (size_t)cb.cells && st == ALM_OK; k++)
        st = read_cell(&cb, k);
    alm_buf_release(&cb.title);
    for (size_t i = 0; cb.dims && i < cb.n; i++)
        free(cb.dims[i].codes);
    free(cb.dims);
    free(cb.parts);
    free(cb.pos);
    return st;
}

enum alm_status alm__imp_read_jsonstat(struct imp *im, const char *data,
                                       size_t len)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, 0, &je);
    if (!root) {
        alm_fail(im->err, ALM_EINPUT,
                 "not valid JSON (%s, column %d): is the file truncated?",
                 je.text, je.column);
        alm_error_locate(im->err, im->name, je.line > 0 ? je.line : 0, NULL);
        return ALM_EINPUT;
    }
    enum alm_status st = ALM_OK;
    if (json_object_get(root, "dimension")) {
        st = read_dataset(im, root, NULL);
    } else {
        const char *key;
        json_t *v;
        size_t found = 0;
        json_object_foreach(root, key, v)
        {
            if (!json_is_object(v) || !json_object_get(v, "dimension"))
                continue;
            found++;
            st = read_dataset(im, v, key);
            if (st != ALM_OK)
                break;
        }
        if (st == ALM_OK && !found)
            st = js_fail(im, NULL,
                         "not JSON-stat: expected a dataset (id, size, "
                         "dimension, value) or a bundle of them");
    }
    json_decref(root);
    return st;
}
