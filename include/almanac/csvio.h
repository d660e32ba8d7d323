/* CSV tables: RFC 4180 files read with libcsv into memory and written back
 * with minimal quoting.
 *
 * A struct alm_table holds a header and rows of text cells, every cell a
 * NUL-terminated copy of the field exactly as it was in the file (values
 * keep their text byte for byte). Columns are found by header name, so
 * their order is free and unknown columns survive a rewrite. Reading
 * accepts CRLF line ends and a UTF-8 byte-order mark; it rejects invalid
 * UTF-8, NUL bytes, fields over ALM_CSV_FIELD_MAX bytes, rows whose field
 * count differs from the header's, and stray or unterminated quotes, naming
 * the line where the bad record starts.
 *
 * Ownership: a table owns all its strings; pointers returned by
 * alm_table_cell() are valid until the table is freed with
 * alm_table_free(). Cells live in one pool per table (chunks, not a heap
 * block each), a cell being a 32-bit reference into it (4 bytes, not a
 * pointer's 8): replacing a cell leaves its old text in place until the
 * table is freed, and a table holds at most 4 GiB of text. */
#ifndef ALMANAC_CSVIO_H
#define ALMANAC_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <almanac/buf.h>
#include <almanac/error.h>
/* Tables are read through fsio (alm_file_read, which once lived here). */
#include <almanac/fsio.h>

#define ALM_CSV_FIELD_MAX (64 * 1024)               /* longest field, bytes */
#define ALM_CSV_COLS_MAX  1024                      /* most columns */
#define ALM_CSV_FILE_MAX  (4L * 1024 * 1024 * 1024) /* largest file, bytes */

struct alm_cellpool;

struct alm_table {
    char *name;          /* file name used in messages */
    size_t ncols;        /* columns */
    char **header;       /* ncols names */
    size_t nrows;        /* data rows (the header is not a row) */
    uint32_t *cells;     /* nrows * ncols cells, row-major: references into
                          * the pool; read them with alm_table_cell() */
    long *lines;         /* the line on which each row starts (0 if added) */
    size_t caprows;      /* rows allocated */
    size_t cells_mapped; /* private to csvio.c: bytes of the mapping that
                          * holds the cells, 0 when they are malloc'd */
    struct alm_cellpool *pool; /* private to csvio.c: the cells' text */
    char *types; /* NULL, or a column type per character (ALM_COL_*) for
                  * writers that keep numbers apart from text (JSON,
                  * .xlsx); a column past its end is text */
};

/* Column types (struct alm_table.types). */
enum {
    ALM_COL_TEXT = 't',   /* written as text */
    ALM_COL_NUMBER = 'n', /* a decimal number, or empty (none) */
    ALM_COL_DATE = 'd'    /* a date YYYY-MM-DD, or empty; else text */
};

/* Creates an empty table with the given header (ncols names); name is used
 * in messages. Returns NULL when out of memory. Free with alm_table_free. */
struct alm_table *alm_table_new(const char *name, size_t ncols,
                                const char *const *header);

/* Frees t and everything it owns; NULL is a no-op. */
void alm_table_free(struct alm_table *t);

/* Reads the CSV file at path ("-" is standard input) into *out. A missing
 * file is ALM_EIO; bad content ALM_EINPUT with err naming the file, line and
 * (where known) field. *out is written only on success; the caller frees it
 * with alm_table_free(). */
enum alm_status alm_table_read(const char *path, struct alm_table **out,
                               struct alm_error *err);

/* Parses len bytes of CSV text; name is used in messages. As
 * alm_table_read() otherwise. */
enum alm_status alm_table_parse(const char *data, size_t len, const char *name,
                                struct alm_table **out, struct alm_error *err);

/* Returns the index of the column named name, or -1 if there is none. */
long alm_table_col(const struct alm_table *t, const char *name);

/* Returns the cell at (row, col), or "" when col is negative. */
const char *alm_table_cell(const struct alm_table *t, size_t row, long col);

/* Replaces the cell at (row, col) with a copy of value. */
enum alm_status alm_table_set(struct alm_table *t, size_t row, size_t col,
                              const char *value);

/* Appends an empty column named name (every row gets ""), unless a column
 * of that name exists. Returns its index in *col (may be NULL). */
enum alm_status alm_table_add_column(struct alm_table *t, const char *name,
                                     long *col);

/* Sets t's column types to a copy of types (one ALM_COL_* character per
 * column, from the first; NULL: every column text). */
enum alm_status alm_table_set_types(struct alm_table *t, const char *types);

/* The type of column col of t (ALM_COL_TEXT past types' end). */
char alm_table_col_type(const struct alm_table *t, size_t col);

/* Appends a row of ncols empty cells; its index is t->nrows - 1. */
enum alm_status alm_table_add_row(struct alm_table *t, long line);

/* Appends the whole table as CSV text to out: LF line ends, a field quoted
 * only where RFC 4180 needs it. */
enum alm_status alm_table_format(const struct alm_table *t,
                                 struct alm_buf *out);

/* The formula guard of every CSV written for people (export, list and
 * show --format csv). A text cell that a spreadsheet would run as a
 * formula (it starts with '=', '+', '-', '@', a tab or a carriage return
 * and is not a number) is written with a leading "'"; so is a cell made of
 * "'"s followed by such a text, so that import can take off exactly the
 * guard it finds: alm_csv_unguard(guard(x)) == x for every x. Numbers are
 * never touched. */

/* True when a spreadsheet would run text as a formula. */
bool alm_csv_is_formula(const char *text);

/* True when text is written with a guard: "'"s, then a formula. */
bool alm_csv_needs_guard(const char *text);

/* text without its guard: text + 1 when text is "'" followed by a text
 * that needs a guard, else text. */
const char *alm_csv_unguard(const char *text);

/* Like alm_table_format, each cell that needs it guarded. */
enum alm_status alm_table_format_guarded(const struct alm_table *t,
                                         struct alm_buf *out);

/* Appends one field to out, quoted only if it holds a comma, a double
 * quote, CR or LF, or starts with a UTF-8 byte-order mark (inner quotes
 * doubled). */
enum alm_status alm_csv_add_field(struct alm_buf *out, const char *field);

/* True when alm_csv_add_field writes field as it is, unquoted. */
bool alm_csv_field_plain(const char *field);

/* Like alm_table_read, through alm_file_read_regular. */
enum alm_status alm_table_read_regular(const char *path, struct alm_table **out,
                                       struct alm_error *err);

#endif
