/* Fuzzes the extractor (alm_extract_text) on any bytes: UTF-8, GBK, Big5
 * or neither. Properties: a document that is accepted gives figures whose
 * offsets lie inside it, whose values are finite, whose periods parse and
 * whose quotes are valid text; one that is refused says why (ALM_EINPUT
 * with a message naming it). The lexicon is the shipped one, loaded once. */
#include <math.h>

#include <almanac/extract.h>
#include <almanac/period.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct alm_lexicon *lex;
    struct alm_error err;
    struct alm_doc *d = NULL;
    alm_init();
    alm_error_clear(&err);
    if (!lex && alm_lexicon_load(NULL, &lex, &err) != ALM_OK) {
        fprintf(stderr, "lexicon: %s\n", err.msg);
        abort();
    }
    if (alm_extract_text(lex, "input", (const char *)data, size, &d, &err) ==
        ALM_OK) {
        for (size_t i = 0; i < d->nfig; i++) {
            const struct alm_figure *f = &d->fig[i];
            struct alm_period p;
            FUZZ_ASSERT(f->offset < size);
            FUZZ_ASSERT(isfinite(f->value));
            FUZZ_ASSERT(f->quote && f->subject && f->unit[0]);
            FUZZ_ASSERT(!f->period[0] ||
                        alm_period_parse(f->period, &p, NULL) == ALM_OK);
        }
        struct alm_table *t = NULL;
        FUZZ_ASSERT(alm_extract_table(&d, 1, &t, &err) == ALM_OK);
        FUZZ_ASSERT(t->nrows == d->nfig);
        alm_table_free(t);
        alm_doc_free(d);
    } else {
        FUZZ_ASSERT(err.status == ALM_EINPUT && err.msg[0]);
        FUZZ_ASSERT(!strcmp(err.file, "input"));
    }
    return 0;
}
