/* Spreadsheets: tables written as the sheets of one .xlsx workbook
 * through libxlsxwriter. */
#ifndef ALMANAC_XLSX_H
#define ALMANAC_XLSX_H

#include <stddef.h>

#include <almanac/csvio.h>
#include <almanac/error.h>

/* One sheet: its name (31 characters at most, none of []:*?/\) and its
 * table. */
struct alm_xlsx_sheet {
    const char *name;
    const struct alm_table *table;
};

/* Writes the sheets to path as an .xlsx workbook, as fsio writes every
 * output (alm_fs_write_atomic: a regular file atomically, a FIFO or a
 * device in place), through a temporary file in $TMPDIR (else /tmp). Each sheet
 * has the table's header in bold as a frozen first row and the columns as wide
 * as their text (at most 60 characters). A cell of a column typed
 * ALM_COL_NUMBER that reads as a number is a number; one typed ALM_COL_DATE
 * that is a date YYYY-MM-DD is an Excel date formatted yyyy-mm-dd; every other
 * cell is a string (worksheet_write_string: text starting with = + - @ is never
 * a formula); empty cells stay blank. */
enum alm_status alm_xlsx_write(const char *path,
                               const struct alm_xlsx_sheet *sheets, size_t n,
                               struct alm_error *err);

/* libxlsxwriter's version, as the library loaded says it. */
const char *alm_xlsx_version(void);

#endif
