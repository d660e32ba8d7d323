/* Datasets: the title and description of a dataset, in about.csv beside
 * the four tables (a header "title,description" and one row; the four
 * tables' contract is unchanged, and a dataset without the file has
 * neither). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <almanac/dataset.h>
#include <almanac/fsio.h>

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

enum alm_status alm_dataset_create_about(const char *dir, const char *title,
                                         const char *description,
                                         struct alm_error *err)
{
    static const char *const cols[] = {"title", "description"};
    const char *cells[] = {title, description};
    if (alm__check_option_text(title, "--title", err) != ALM_OK ||
        alm__check_option_text(description, "--description", err) != ALM_OK)
        return ALM_EINPUT;
    if (title && strchr(title, '\n')) {
        alm_fail(err, ALM_EINPUT, "a title is one line: no line break");
        alm_error_locate(err, NULL, 0, "--title");
        return ALM_EINPUT;
    }
    enum alm_status st = alm_dataset_create(dir, err);
    if (st != ALM_OK || (!(title && *title) && !(description && *description)))
        return st;
    struct alm_buf path = ALM_BUF_INIT, text = ALM_BUF_INIT;
    struct alm_table *t = alm_table_new(alm_about_file, 2, cols);
    if (!t || alm_table_add_row(t, 0) != ALM_OK ||
        alm_table_set(t, 0, 0, cells[0] ? cells[0] : "") != ALM_OK ||
        alm_table_set(t, 0, 1, cells[1] ? cells[1] : "") != ALM_OK ||
        alm_table_format(t, &text) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    alm_table_free(t);
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
