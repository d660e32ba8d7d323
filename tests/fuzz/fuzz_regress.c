/* Fuzzes the regress input: a CSV table (alm_table_parse) fitted by
 * alm_regress_fit, then written as CSV and as a table. The first line of
 * the input holds the options, "Y|X|POLY|FLAGS" (an empty part is an
 * option not given; FLAGS "n" is --no-intercept); the rest is the CSV
 * file. Properties: only bad input fails (ALM_EINPUT); a fit has
 * p <= n, finite estimates, and writes. */
#include <math.h>

#include <almanac/regress.h>
#include <almanac/view.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size;
    char *opts = fuzz_cstr(data, head);
    char *part[4] = {NULL, NULL, NULL, NULL};
    char *p = opts;
    for (int i = 0; i < 4 && p; i++) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        part[i] = p;
        p = bar ? bar + 1 : NULL;
    }
    struct alm_regress_opts o = {0};
    o.y = part[0] && part[0][0] ? part[0] : NULL;
    o.x = part[1] && part[1][0] ? part[1] : NULL;
    o.poly = part[2] && part[2][0] ? part[2] : NULL;
    o.no_intercept = part[3] && strchr(part[3], 'n');

    struct alm_table *t = NULL;
    struct alm_regress *r = NULL;
    struct alm_error err;
    alm_init();
    alm_error_clear(&err);
    size_t skip = nl ? head + 1 : size;
    if (alm_table_parse((const char *)data + skip, size - skip, "in.csv", &t,
                        &err) == ALM_OK) {
        enum alm_status st = alm_regress_fit(t, &o, &r, &err);
        if (st == ALM_OK) {
            FUZZ_ASSERT(r->p >= 1 && r->p <= r->n && r->n == t->nrows);
            for (size_t j = 0; j < r->p; j++)
                FUZZ_ASSERT(isfinite(r->coef[j]));
            for (int f = 0; f < 2; f++) {
                struct alm_buf b = ALM_BUF_INIT;
                FUZZ_ASSERT(alm_regress_write(r, (enum alm_format)f, &b) ==
                            ALM_OK);
                alm_buf_release(&b);
            }
            alm_regress_free(r);
        } else {
            FUZZ_ASSERT(st == ALM_EINPUT && err.msg[0]);
        }
        alm_table_free(t);
    }
    free(opts);
    return 0;
}
