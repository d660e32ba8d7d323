/* Fuzzes the CSV table reader (alm_table_parse), which every dataset file,
 * import and regress input goes through. Properties: a table that parses
 * formats back to CSV that parses to the same table, cell for cell, and
 * formats to the same bytes again; it formats as text for people. */
#include <almanac/csvio.h>
#include <almanac/view.h>

#include "fuzz.h"

static void same_table(const struct alm_table *a, const struct alm_table *b)
{
    FUZZ_ASSERT(a->ncols == b->ncols);
    FUZZ_ASSERT(a->nrows == b->nrows);
    for (size_t j = 0; j < a->ncols; j++)
        FUZZ_ASSERT(strcmp(a->header[j], b->header[j]) == 0);
    for (size_t i = 0; i < a->nrows; i++)
        for (size_t j = 0; j < a->ncols; j++)
            FUZZ_ASSERT(strcmp(alm_table_cell(a, i, (long)j),
                               alm_table_cell(b, i, (long)j)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alm_table *t = NULL, *back = NULL;
    struct alm_error err;
    struct alm_buf csv = ALM_BUF_INIT, again = ALM_BUF_INIT;
    struct alm_buf text = ALM_BUF_INIT;
    alm_init();
    alm_error_clear(&err);
    if (alm_table_parse((const char *)data, size, "fuzz.csv", &t, &err) !=
        ALM_OK) {
        FUZZ_ASSERT(err.status != ALM_OK && err.msg[0]);
        FUZZ_ASSERT(strlen(err.msg) < sizeof err.msg);
        return 0;
    }
    FUZZ_ASSERT(t->ncols >= 1 && t->ncols <= ALM_CSV_COLS_MAX);
    /* Rows start on lines in file order; a bare CR ends a record (libcsv)
     * without starting a line, so a row may share the header's line. */
    for (size_t i = 0; i < t->nrows; i++)
        FUZZ_ASSERT(t->lines[i] >= 1 &&
                    (i == 0 || t->lines[i] >= t->lines[i - 1]));
    FUZZ_ASSERT(alm_table_format(t, &csv) == ALM_OK);
    FUZZ_ASSERT(alm_table_parse(csv.s, csv.len, "again.csv", &back, &err) ==
                ALM_OK);
    same_table(t, back);
    FUZZ_ASSERT(alm_table_format(back, &again) == ALM_OK);
    FUZZ_ASSERT(again.len == csv.len && memcmp(again.s, csv.s, csv.len) == 0);
    FUZZ_ASSERT(alm_table_write(t, ALM_FORMAT_TABLE, &text) == ALM_OK);
    alm_buf_release(&csv);
    alm_buf_release(&again);
    alm_buf_release(&text);
    alm_table_free(t);
    alm_table_free(back);
    return 0;
}
