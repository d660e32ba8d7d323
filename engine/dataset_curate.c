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

/* For an ensure edit of the row r that exists: fails naming the first
 * field given that is not the row's own. */
static enum alm_status ensure_same(const struct alm_dataset *ds,
                                   const struct alm_edit *ed, size_t r,
                                   struct alm_error *err)
{
    const struct alm_table *t = ds->tables[ed->table];
    const char *noun = ed->table == ALM_T_SOURCES ? "source" : "indicator";
    for (size_t i = 0; i < ed->nfields; i++) {
        const struct alm_field *f = &ed->fields[i];
        const char *have = alm_table_cell(t, r, alm_table_col(t, f->col));
        char q[200], h[200], k[200];
        if (!f->value || strcmp(f->value, have) == 0)
            continue;
        alm_fail(err, ALM_EINPUT,
                 "%s '%s' exists already with %s '%s', not '%s': leave %s "
                 "out, or change it with 'almanac %s set --id %s --%s ...'",
                 noun, alm_error_quote(ed->key, k, sizeof k), f->col,
                 alm_error_quote(have, h, sizeof h),
                 alm_error_quote(f->value, q, sizeof q), f->option, noun,
                 ed->key, f->col);
        alm_error_locate(err, NULL, 0, f->option);
        return ALM_EINPUT;
    }
    return ALM_OK;
}

/* Applies one edit to ds's tables; the row it writes gets line 0, so
 * that validation names no file line for it. *wrote says whether it
 * changed anything (an ensure edit of a row that exists does not). */
static enum alm_status apply(struct alm_dataset *ds, const struct alm_edit *ed,
                             bool *wrote, struct alm_error *err)
{
    struct alm_table *t = ds->tables[ed->table];
    size_t r;
    long have = ed->key && ed->ensure ? row_of(ds, ed->table, ed->key) : -1;
    *wrote = true;
    if (have >= 0) {
        *wrote = false;
        return ensure_same(ds, ed, (size_t)have, err);
    }
    if (ed->key && !ed->ensure) {
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
        bool fresh = !ed->key || ed->ensure;
        if (!f->value || (fresh && !f->value[0]))
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
    size_t rows = 0;
    /* Edits that only add rows leave the rows read valid: the new ones
     * are validated alone (dataset_write.c) rather than the whole. */
    bool appends = true;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        bool wrote;
        st = apply(ds, &edits[i], &wrote, err);
        changed[edits[i].table] |= wrote;
        rows += wrote;
        appends &= !wrote || !edits[i].key || edits[i].ensure;
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
        st = appends
                 ? alm__dataset_validate_appended(ds, ds->ix->origin_from, &e)
                 : alm__dataset_load(ds, NULL, &e);
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
        else if (last->key && !last->ensure)
            snprintf(what, sizeof what, "%s set",
                     last->table == ALM_T_SOURCES ? "source" : "indicator");
        else
            snprintf(what, sizeof what, "%s",
                     alm_table_creator(last->table) + strlen("almanac "));
        st = alm__commit_tables(ds, lock, which, nw, what, rows, err);
    }
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    return st;
}

/* A problem of add about an unknown indicator or source: add can create
 * it too, so its message says how. */
static void add_hint(struct alm_error *err)
{
    const char *hint = NULL;
    if (strcmp(err->field, "--indicator") == 0 &&
        strncmp(err->msg, "unknown indicator", 17) == 0)
        hint = " (or give add --title, --unit, --kind and --frequency)";
    else if (strcmp(err->field, "--source") == 0 &&
             strncmp(err->msg, "unknown source", 14) == 0)
        hint = " (or give add --source-title, --source-publisher and "
               "--source-date)";
    size_t len = strlen(err->msg);
    if (hint && len + strlen(hint) < sizeof err->msg)
        memcpy(err->msg + len, hint, strlen(hint) + 1);
}

enum alm_status alm_dataset_add_with(const char *dir,
                                     const struct alm_obs_input *in,
                                     const struct alm_add_create *c,
                                     struct alm_error *err)
{
    static const struct alm_add_create none = {0};
    if (!c)
        c = &none;
    const struct alm_field ind[] = {{"id", in->indicator, "--indicator"},
                                    {"title", c->title, "--title"},
                                    {"unit", c->unit, "--unit"},
                                    {"kind", c->kind, "--kind"},
                                    {"frequency", c->frequency, "--frequency"},
                                    {"scope", c->scope, "--scope"},
                                    {"notes", c->notes, "--notes"}};
    const struct alm_field src[] = {
        {"id", in->source, "--source"},
        {"title", c->source_title, "--source-title"},
        {"publisher", c->source_publisher, "--source-publisher"},
        {"date", c->source_date, "--source-date"},
        {"location", c->source_location, "--source-location"}};
    const struct alm_field obs[] = {{"indicator", in->indicator, "--indicator"},
                                    {"period", in->period, "--period"},
                                    {"value", in->value, "--value"},
                                    {"qualifier", in->qualifier, "--qualifier"},
                                    {"status", in->status, "--status"},
                                    {"source", in->source, "--source"},
                                    {"vintage", in->vintage, "--vintage"},
                                    {"quote", in->quote, "--quote"},
                                    {"note", in->note, "--note"}};
    struct alm_edit ed[3];
    size_t n = 0;
    bool mk_ind = false, mk_src = false;
    for (size_t i = 1; i < sizeof ind / sizeof ind[0]; i++) /* but the id */
        mk_ind |= ind[i].value != NULL;
    for (size_t i = 1; i < sizeof src / sizeof src[0]; i++)
        mk_src |= src[i].value != NULL;
    if (mk_src && !(in->source && in->source[0])) {
        alm_fail(err, ALM_EINPUT,
                 "--source-title and the other --source-* options need "
                 "--source ID");
        alm_error_locate(err, NULL, 0, "--source");
        return ALM_EINPUT;
    }
    if (mk_ind && in->indicator)
        ed[n++] = (struct alm_edit){ALM_T_INDICATORS, in->indicator, ind,
                                    sizeof ind / sizeof ind[0], true};
    if (mk_src)
        ed[n++] = (struct alm_edit){ALM_T_SOURCES, in->source, src,
                                    sizeof src / sizeof src[0], true};
    ed[n++] = (struct alm_edit){ALM_T_OBSERVATIONS, NULL, obs,
                                sizeof obs / sizeof obs[0], false};
    enum alm_status st = alm__dataset_edit(dir, ed, n, "add", err);
    if (st == ALM_EINPUT && err)
        add_hint(err);
    return st;
}
