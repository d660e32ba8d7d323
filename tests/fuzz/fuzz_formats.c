/* Fuzzes the readers of import's formats (alm_import_parse): CSV families,
 * JSON-stat, NBS (GBK through iconv), detection among them. The input's
 * length picks --format, --frequency and --delimiter, so that each reader
 * meets every input. Properties: a batch that loads has as many rows as
 * its series count, every row's period parses and its value is a finite
 * number; every series has an id of the dataset's grammar. */
#include <almanac/import.h>
#include <almanac/period.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum alm_import_format formats[] = {
        ALM_IMPORT_AUTO,     ALM_IMPORT_LONG, ALM_IMPORT_WIDE,
        ALM_IMPORT_WDI,      ALM_IMPORT_FRED, ALM_IMPORT_SDMX,
        ALM_IMPORT_JSONSTAT, ALM_IMPORT_ECB,  ALM_IMPORT_NBS};
    static const char freqs[] = {0, 'A', 'Q', 'M', 'D'};
    struct alm_import_spec spec = {
        .format = formats[size % 9],
        .frequency = freqs[(size / 9) % 5],
        .delimiter = (size / 45) % 3 == 1 ? ';' : 0,
    };
    struct alm_import_batch *b = NULL;
    struct alm_error err;
    alm_init();
    alm_error_clear(&err);
    if (alm_import_parse((const char *)data, size, "in", NULL, &spec, &b,
                         &err) != ALM_OK) {
        FUZZ_ASSERT(err.msg[0] != '\0');
        return 0;
    }
    size_t total = 0;
    for (size_t i = 0; i < b->nseries; i++) {
        total += b->series[i].nobs;
        FUZZ_ASSERT(b->format == ALM_IMPORT_LONG ||
                    alm__id_valid(b->series[i].id));
    }
    FUZZ_ASSERT(total == b->obs->nrows);
    for (size_t r = 0; r < b->obs->nrows; r++) {
        struct alm_period p;
        double x;
        FUZZ_ASSERT(alm_period_parse(alm_table_cell(b->obs, r, 1), &p, NULL) ==
                    ALM_OK);
        FUZZ_ASSERT(alm__parse_number(alm_table_cell(b->obs, r, 2), &x, NULL) ==
                    ALM_OK);
    }
    alm_import_batch_free(b);
    return 0;
}
