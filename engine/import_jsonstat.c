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

static enum alm_status read_dataset(struct imp *im, json_t *ds,
                                    const char *name)
{
    json_t *ids = member(ds, "id"), *sizes = member(ds, "size");
    json_t *dimension = json_object_get(ds, "dimension");
    json_t *value = json_object_get(ds, "value");
    json_t *status = json_object_get(ds, "status");
    enum alm_status st = ALM_OK;
    if (!json_is_array(ids) || !json_is_array(sizes) ||
        json_array_size(ids) != json_array_size(sizes) ||
        !json_array_size(ids) || !json_is_object(dimension) ||
        !(json_is_array(value) || json_is_object(value)))
        return js_fail(im, NULL,
                       "not a JSON-stat dataset: expected id, size, "
                       "dimension and value");
    if (json_is_object(status) && json_object_get(status, "value"))
        status = json_object_get(status, "value"); /* Eurostat's old API */
    size_t n = json_array_size(ids);
    struct dim *dims = calloc(n, sizeof *dims);
    const char **parts = calloc(n + 1, sizeof *parts);
    size_t *pos = calloc(n, sizeof *pos);
    if (!dims || !parts || !pos) {
        st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
        goto done;
    }
    long cells = 1;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        json_t *id = json_array_get(ids, i), *sz = json_array_get(sizes, i);
        if (!json_is_string(id) || !json_is_integer(sz) ||
            json_integer_value(sz) < 1 ||
            json_integer_value(sz) > MAX_CELLS / cells) {
            st = js_fail(im, "size",
                         "bad id or size: sizes are positive integers and "
                         "the cube has at most 50 million cells");
            break;
        }
        dims[i].id = json_string_value(id);
        dims[i].size = (size_t)json_integer_value(sz);
        cells *= (long)dims[i].size;
        st = read_categories(im, &dims[i], dimension);
    }
    if (st != ALM_OK)
        goto done;
    long tdim = find_time(ds, dims, n), mdim = find_metric(ds, dims, n);
    if (tdim < 0) {
        st = js_fail(im, "role",
                     "no time dimension: JSON-stat names it in role.time");
        goto done;
    }
    if (json_is_array(value) && json_array_size(value) != (size_t)cells) {
        char msg[40];
        snprintf(msg, sizeof msg, "%zu", json_array_size(value));
        st = js_fail(im, "value",
                     "value has %s cells, but the sizes make another number",
                     msg);
        goto done;
    }
    json_t *label = json_object_get(ds, "label");
    if (!json_is_string(label))
        label = json_object_get(ds, "title");
    json_t *source = json_object_get(ds, "source");
    st = alm__imp_source(
        im, json_is_string(label) ? json_string_value(label) : name,
        json_is_string(source) ? json_string_value(source) : NULL, NULL);
    if (st == ALM_OK)
        st = read_date(im, ds);
    im->uses_source = true;
    struct alm_buf title = ALM_BUF_INIT;
    for (size_t k = 0; k < (size_t)cells && st == ALM_OK; k++) {
        /* Row-major: the last dimension varies fastest. */
        size_t rest = k;
        for (size_t i = n; i-- > 0;) {
            pos[i] = rest % dims[i].size;
            rest /= dims[i].size;
        }
        json_t *v = cell_at(value, k);
        if (!v || json_is_null(v)) {
            im->b->skipped++;
            continue;
        }
        char text[64];
        if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld",
                     (long long)json_integer_value(v));
        else if (json_is_real(v))
            alm_format_double(json_real_value(v), text, sizeof text);
        else if (json_is_string(v))
            alm__copy(text, sizeof text, json_string_value(v));
        else {
            char f[40];
            snprintf(f, sizeof f, "value[%zu]", k);
            st = js_fail(im, f, "expected a number or null");
            break;
        }
        size_t np = 0;
        if (name && strcmp(name, "dataset") != 0)
            parts[np++] = name;
        alm_buf_reset(&title);
        if (json_is_string(label))
            st = alm_buf_printf(&title, "%s:", json_string_value(label));
        for (size_t i = 0; i < n && st == ALM_OK; i++) {
            if ((long)i == tdim)
                continue;
            parts[np++] = dims[i].codes[pos[i]];
            st = alm_buf_printf(&title, "%s%s", title.len ? " " : "",
                                label_of(&dims[i], pos[i]));
        }
        if (st != ALM_OK) {
            st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
            break;
        }
        const char *unit = mdim >= 0 ? unit_of(&dims[mdim], pos[mdim]) : NULL;
        long s = alm__imp_series(im, parts, np, false, title.s, unit, 0, 0);
        if (s < 0) {
            st = im->err->status;
            break;
        }
        json_t *sv = cell_at(status, k);
        char vfield[40];
        snprintf(vfield, sizeof vfield, "value[%zu]", k);
        if (alm__imp_obs(im, s, dims[tdim].codes[pos[tdim]], text,
                         json_is_string(sv) ? json_string_value(sv) : NULL, 0,
                         0, dims[tdim].id, vfield) < 0)
            st = im->err->status;
    }
    alm_buf_release(&title);
done:
    for (size_t i = 0; dims && i < n; i++)
        free(dims[i].codes);
    free(dims);
    free(parts);
    free(pos);
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
            if (st != ALM_OK || !json_is_object(v) ||
                !json_object_get(v, "dimension"))
                continue;
            found++;
            st = read_dataset(im, v, key);
        }
        if (st == ALM_OK && !found)
            st = js_fail(im, NULL,
                         "not JSON-stat: expected a dataset (id, size, "
                         "dimension, value) or a bundle of them");
    }
    json_decref(root);
    return st;
}
