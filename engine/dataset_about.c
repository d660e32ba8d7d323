/* Datasets: the title and description of a dataset, in about.csv beside
 * the four tables (a header "title,description" and one row; the four
 * tables' contract is unchanged, and a dataset without the file has
 * neither). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <almanac/dataset.h>
#include <almanac/fsio.h>
#include <almanac/store.h>

#include "dataset_internal.h"
#include "internal.h"

const char *const alm_about_file = "about.csv";

static enum alm_status about_path(struct alm_buf *b, const char *dir,
                                  struct alm_error *err)
{
    if (alm_buf_printf(b, "%s/%s", dir, alm_about_file) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

/* Checks a title and a description given as options (NULL is none). */
static enum alm_status check_texts(const char *title, const char *description,
                                   struct alm_error *err)
{
    if (alm__check_option_text(title, "--title", err) != ALM_OK ||
        alm__check_option_text(description, "--description", err) != ALM_OK)
        return ALM_EINPUT;
    if (title && strchr(title, '\n')) {
        alm_fail(err, ALM_EINPUT, "a title is one line: no line break");
        alm_error_locate(err, NULL, 0, "--title");
        return ALM_EINPUT;
    }
    return ALM_OK;
}

/* The text of about.csv holding title and description: the table old
 * (about.csv as read, whose other columns are kept) with them set, or a
 * new one when old is NULL. */
static enum alm_status about_text(struct alm_table *old, const char *title,
                                  const char *description, struct alm_buf *out,
                                  struct alm_error *err)
{
    static const char *const cols[] = {"title", "description"};
    struct alm_table *t = old ? old : alm_table_new(alm_about_file, 2, cols);
    long ct = -1, cd = -1;
    enum alm_status st = ALM_OK;
    if (!t || (!old && alm_table_add_row(t, 0) != ALM_OK) ||
        alm_table_add_column(t, "title", &ct) != ALM_OK ||
        alm_table_add_column(t, "description", &cd) != ALM_OK ||
        alm_table_set(t, 0, (size_t)ct, title) != ALM_OK ||
        alm_table_set(t, 0, (size_t)cd, description) != ALM_OK ||
        alm_table_format(t, out) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (!old)
        alm_table_free(t);
    return st;
}

enum alm_status alm_dataset_create_about(const char *dir, const char *title,
                                         const char *description,
                                         struct alm_error *err)
{
    if (check_texts(title, description, err) != ALM_OK)
        return ALM_EINPUT;
    enum alm_status st = alm_dataset_create(dir, err);
    if (st != ALM_OK || (!(title && *title) && !(description && *description)))
        return st;
    struct alm_buf path = ALM_BUF_INIT, text = ALM_BUF_INIT;
    st = about_text(NULL, title ? title : "", description ? description : "",
                    &text, err);
    if (st == ALM_OK)
        st = about_path(&path, dir, err);
    if (st == ALM_OK)
        st = alm_fs_write_atomic(path.s, text.s, text.len, err);
    alm_buf_release(&path);
    alm_buf_release(&text);
    return st;
}

enum alm_status alm__read_about(struct alm_dataset *ds, struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    struct alm_table *t = NULL;
    enum alm_status st = about_path(&path, ds->dir, err);
    if (st != ALM_OK || access(path.s, F_OK) != 0) {
        alm_buf_release(&path);
        return st; /* no about.csv: no title, no description */
    }
    st = alm_table_read_regular(path.s, &t, err);
    long ct = t ? alm_table_col(t, "title") : -1;
    long cd = t ? alm_table_col(t, "description") : -1;
    if (st == ALM_OK && (ct < 0 || t->nrows != 1)) {
        alm_fail(err, ALM_EINPUT,
                 ct < 0 ? "missing column 'title': the header must name "
                          "title[,description]"
                        : "expected one row (the dataset's title and "
                          "description), got %zu",
                 t->nrows);
        alm_error_locate(err, path.s, 1, NULL);
        st = ALM_EINPUT;
    }
    if (st == ALM_OK) {
        ds->title = alm__strdup(alm_table_cell(t, 0, ct));
        ds->description = alm__strdup(cd >= 0 ? alm_table_cell(t, 0, cd) : "");
        if (!ds->title || !ds->description)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    alm_table_free(t);
    alm_buf_release(&path);
    return st;
}

enum alm_status alm_dataset_set_about(const char *dir, const char *title,
                                      const char *description,
                                      struct alm_error *err)
{
    struct alm_lock *lock = NULL;
    struct alm_dataset *ds = NULL;
    struct alm_table *old = NULL;
    struct alm_buf path = ALM_BUF_INIT, text = ALM_BUF_INIT, log = ALM_BUF_INIT;
    if (check_texts(title, description, err) != ALM_OK)
        return ALM_EINPUT;
    enum alm_status st = alm_store_lock(dir, true, &lock, err);
    if (st == ALM_OK)
        st = alm_dataset_read(dir, NULL, &ds, err);
    if (st == ALM_OK)
        st = about_path(&path, dir, err);
    /* about.csv read (if there) and valid: its other columns survive. */
    if (st == ALM_OK && ds->title)
        st = alm_table_read_regular(path.s, &old, err);
    if (st == ALM_OK)
        st = about_text(old,
                        title       ? title
                        : ds->title ? ds->title
                                    : "",
                        description       ? description
                        : ds->description ? ds->description
                                          : "",
                        &text, err);
    struct alm_store_file files[2] = {
        {.name = alm_about_file, .data = text.s, .len = text.len},
        {.name = alm_log_file}};
    if (st == ALM_OK)
        st = alm__log_append(ds, "about", 1, files, NULL, 1, &log, err);
    files[1].data = log.s;
    files[1].len = log.len;
    if (st == ALM_OK)
        st = alm_store_commit(lock, files, 2, err);
    alm_table_free(old);
    alm_dataset_free(ds);
    alm_store_unlock(lock);
    alm_buf_release(&path);
    alm_buf_release(&text);
    alm_buf_release(&log);
    return st;
}
