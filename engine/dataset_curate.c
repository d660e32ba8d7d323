/* Datasets: curation, the changes commands make to any table (new rows,
 * new values for an indicator's or a source's fields), validated together
 * with the whole dataset as check validates it and committed through the
 * store in one write. */
#include <stdio.h>
#include <string.h>

#include <almanac/dataset.h>
#include <almanac/store.h>

#include "dataset_internal.h"
#include "internal.h"

const char *alm_table_creator(enum alm_table_id id)
{
    switch (id) {
    case ALM_T_INDICATORS:
        return "almanac indicator add";
    case ALM_T_SOURCES:
        return "almanac source add";
    case ALM_T_TARGETS:
        return "almanac target add";
    default:
        return "almanac add";
    }
}

/* The row of table id (indicators or sources) whose id is key, or -1. */
static long row_of(const struct alm_dataset *ds, enum alm_table_id id,
                   const char *key)
{
    long k = id == ALM_T_INDICATORS ? alm_dataset_find_indicator(ds, key)
                                    : alm_dataset_find_source(ds, key);
    if (k < 0)
        return -1;
    return (long)(id == ALM_T_INDICATORS ? ds->ind[k].row : ds->src[k].row);
}

/* Applies one edit to ds's tables; the row it writes gets line 0, so
 * that validation names no file line for it. */
static enum alm_status apply(struct alm_dataset *ds, const struct alm_edit *ed,
                             struct alm_error *err)
{
    struct alm_table *t = ds->tables[ed->table];
    size_t r;
    if (ed->key) {
        char q[300];
        long row = ed->table == ALM_T_INDICATORS || ed->table == ALM_T_SOURCES
                       ? row_of(ds, ed->table, ed->key)
                       : -1;
        if (row < 0) {
            alm_fail(err, ALM_EINPUT, "unknown %s '%s': create it with '%s'",
                     ed->table == ALM_T_SOURCES ? "source" : "indicator",
                     alm_error_quote(ed->key, q, sizeof q),
                     alm_table_creator(ed->table));
            alm_error_locate(err, NULL, 0, "--id");
            return ALM_EINPUT;
        }
        r = (size_t)row;
    } else {
        if (alm_table_add_row(t, 0) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        r = t->nrows - 1;
    }
    t->lines[r] = 0;
    for (size_t i = 0; i < ed->nfields; i++) {
        const struct alm_field *f = &ed->fields[i];
        long c;
        if (!f->value || (!ed->key && !f->value[0]))
            continue; /* a new row's cells are empty already */
        if (alm_table_add_column(t, f->col, &c) != ALM_OK ||
            alm_table_set(t, r, (size_t)c, f->value) != ALM_OK)
            return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    return ALM_OK;
}

/* The edit among edits[0..n) that a problem e at line 0 is about: the one
 * whose table has e's file name (observations' new rows have none). */
static const struct alm_edit *edit_of(const struct alm_dataset *ds,
                                      const struct alm_edit *edits, size_t n,
                                      const struct alm_error *e)
{
    for (size_t i = n; i-- > 0;) {
        const char *name = edits[i].table == ALM_T_OBSERVATIONS
                               ? ""
                               : ds->tables[edits[i].table]->name;
        if (strcmp(e->file, name) == 0)
            return &edits[i];
    }
    return NULL;
}

/* Reports the validation problem e: one about a row an edit wrote names
 * the edit's option for its field, and no file. */
static void report(const struct alm_dataset *ds, const struct alm_edit *edits,
                   size_t n, const struct alm_error *e, struct alm_error *err)
{
    if (!err || err->status != ALM_OK)
        return;
    *err = *e;
    const struct alm_edit *ed = e->line == 0 ? edit_of(ds, edits, n, e) : NULL;
    if (!ed)
        return;
    err->file[0] = '\0';
    for (size_t i = 0; i < ed->nfields; i++)
        if (e->field[0] && strcmp(ed->fields[i].col, e->field) == 0) {
            snprintf(err->field, sizeof err->field, "%s", ed->fields[i].option);
            return;
        }
}

enum alm_status alm_dataset_edit(const char *dir, const struct alm_edit *edits,
                                 size_t n, struct alm_error *err)
{
    return alm__dataset_edit(dir, edits, n, NULL, err);
}

enum alm_status alm__dataset_edit(const char *dir, const struct alm_edit *edits,
                                  size_t n, const char *what_given,
                                  struct alm_error *err)
{
    struct alm_lock *lock = NULL;
    struct alm_dataset *ds = NULL;
    struct alm_error e;
    bool changed[ALM_T_COUNT] = {false, false, false, false};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < edits[i].nfields; j++)
            if (alm__check_option_text(edits[i].fields[j].value,
                                       edits[i].fields[j].option,
                                       err) != ALM_OK)
                return ALM_EINPUT;
    enum alm_status st = alm_store_lock(dir, true, &lock, err);
    if (st != ALM_OK)
        return st;
    st = alm_dataset_read(dir, NULL, &ds, err);
    if (st == ALM_OK) {
        /* Messages about new observations name the options, not a file. */
        ds->ix->origin_from = ds->tables[ALM_T_OBSERVATIONS]->nrows;
        ds->ix->origin_name = NULL;
    }
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        st = apply(ds, &edits[i], err);
        changed[edits[i].table] = true;
        /* A later edit may name a row this one wrote: index it. */
        if (st == ALM_OK && i + 1 < n) {
            alm_error_clear(&e);
            st = alm__dataset_load(ds, NULL, &e);
            if (st != ALM_OK)
                report(ds, edits, i + 1, &e, err);
        }
    }
    if (st == ALM_OK) {
        alm_error_clear(&e);
        st = alm__dataset_load(ds, NULL, &e);
        if (st != ALM_OK)
            report(ds, edits, n, &e, err);
    }
    if (st == ALM_OK) {
        enum alm_table_id which[ALM_T_COUNT];
        size_t nw = 0;
        for (int x = 0; x < ALM_T_COUNT; x++)
            if (changed[x])
                which[nw++] = (enum alm_table_id)x;
        /* What the write was: the command of its last edit. */
        const struct alm_edit *last = &edits[n - 1];
        char what[64];
        if (what_given)
            snprintf(what, sizeof what, "%s", what_given);
        else if (last->key)
            snprintf(what, sizeof what, "%s set",
                     last->table == ALM_T_SOURCES ? "source" : "indicator");
        else
            snprintf(what, sizeof what, "%s",
                     alm_table_creator(last->table) + strlen("almanac "));
        st = alm__commit_tables(ds, lock, which, nw, what, n, err);
    }
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    return st;
}
