/* .xlsx workbooks through libxlsxwriter (alm_xlsx_write). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>
#include <almanac/period.h>
#include <almanac/utf8.h>
#include <almanac/xlsx.h>

#include "internal.h"

/* The widest a column is made, in characters. */
#define WIDTH_MAX 60

const char *alm_xlsx_version(void)
{
    return lxw_version();
}

/* The number of the n digits at s. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Reads text as a date YYYY-MM-DD (a real one, 1900 on, as Excel's
 * dates start) into *d; false for anything else. */
static bool parse_date(const char *text, lxw_datetime *d)
{
    long day;
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        alm_date_parse(text, &day, NULL) != ALM_OK)
        return false;
    int y = digits(text, 4);
    if (y < 1900)
        return false;
    *d = (lxw_datetime){
        .year = y, .month = digits(text + 5, 2), .day = digits(text + 8, 2)};
    return true;
}

/* Writes cell (row, col) of the sheet from text of column type type. */
static lxw_error write_cell(lxw_worksheet *ws, lxw_format *date_fmt,
                            lxw_row_t row, lxw_col_t col, const char *text,
                            char type)
{
    double x;
    lxw_datetime d;
    if (!text[0])
        return LXW_NO_ERROR;
    if (type == ALM_COL_NUMBER && alm__parse_number(text, &x, NULL) == ALM_OK)
        return worksheet_write_number(ws, row, col, x, NULL);
    if (type == ALM_COL_DATE && parse_date(text, &d))
        return worksheet_write_datetime(ws, row, col, &d, date_fmt);
    return worksheet_write_string(ws, row, col, text, NULL);
}

/* Writes one sheet. */
static lxw_error write_sheet(lxw_workbook *wb, lxw_format *bold,
                             lxw_format *date_fmt,
                             const struct alm_xlsx_sheet *s)
{
    const struct alm_table *t = s->table;
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
    if (!ws)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (t->nrows + 1 > LXW_ROW_MAX || t->ncols > LXW_COL_MAX)
        return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
    lxw_error e = LXW_NO_ERROR;
    for (size_t j = 0; j < t->ncols && !e; j++) {
        size_t w = alm_utf8_text_width(t->header[j]);
        e = worksheet_write_string(ws, 0, (lxw_col_t)j, t->header[j], bold);
        for (size_t i = 0; i < t->nrows && !e; i++) {
            const char *c = alm_table_cell(t, i, (long)j);
            char type = alm_table_col_type(t, j);
            size_t cw = type == ALM_COL_DATE ? 10 : alm_utf8_text_width(c);
            if (cw > w)
                w = cw;
            e = write_cell(ws, date_fmt, (lxw_row_t)(i + 1), (lxw_col_t)j, c,
                           type);
        }
        if (!e)
            e = worksheet_set_column(
                ws, (lxw_col_t)j, (lxw_col_t)j,
                (double)(w > WIDTH_MAX ? WIDTH_MAX : w) + 2, NULL);
    }
    if (!e)
        worksheet_freeze_panes(ws, 1, 0);
    return e;
}

enum alm_status alm_xlsx_write(const char *path,
                               const struct alm_xlsx_sheet *sheets, size_t n,
                               struct alm_error *err)
{
    /* libxlsxwriter writes to a file name: a private temporary file, read
     * back and then written to path by fsio, so that -o is written as
     * every other output is (atomically; a FIFO or device in place; a
     * link followed). Made here, so that a failure has its errno and
     * libxlsxwriter prints nothing of its own. */
    const char *dir = getenv("TMPDIR");
    struct alm_buf tmp = ALM_BUF_INIT, data = ALM_BUF_INIT;
    if (alm_buf_printf(&tmp, "%s/almanac-xlsx-XXXXXX",
                       dir && *dir ? dir : "/tmp") != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    int fd = mkstemp(tmp.s);
    if (fd < 0) {
        enum alm_status st =
            alm_fail(err, ALM_EIO, "cannot create a temporary file in %s: %s",
                     dir && *dir ? dir : "/tmp", strerror(errno));
        alm_buf_release(&tmp);
        return st;
    }
    close(fd);
    lxw_workbook *wb = workbook_new(tmp.s);
    lxw_error e = wb ? LXW_NO_ERROR : LXW_ERROR_CREATING_XLSX_FILE;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *date_fmt = wb ? workbook_add_format(wb) : NULL;
    if (wb && (!bold || !date_fmt))
        e = LXW_ERROR_MEMORY_MALLOC_FAILED;
    if (!e) {
        format_set_bold(bold);
        format_set_num_format(date_fmt, "yyyy-mm-dd");
    }
    for (size_t k = 0; k < n && !e; k++)
        e = write_sheet(wb, bold, date_fmt, &sheets[k]);
    /* workbook_close writes the file and frees the workbook, always. */
    lxw_error closed = wb ? workbook_close(wb) : LXW_NO_ERROR;
    if (!e)
        e = closed;
    enum alm_status st = ALM_OK;
    if (e) {
        st = alm_fail(err, ALM_EIO, "cannot write the workbook: %s",
                      lxw_strerror(e));
        alm_error_locate(err, path, 0, NULL);
    }
    if (st == ALM_OK)
        st = alm_file_read(tmp.s, SIZE_MAX, &data, err);
    unlink(tmp.s);
    if (st == ALM_OK)
        st = alm_fs_write_atomic(path, data.s, data.len, err);
    alm_buf_release(&data);
    alm_buf_release(&tmp);
    return st;
}
