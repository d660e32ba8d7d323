/* Fuzzes the number parser behind every value of a dataset
 * (alm__parse_number, reached through values, targets and the export's
 * formula test) and the option parsers that read numbers or names:
 * --level, --model, --size, --kind, --format, --type, a report's file
 * name. Properties: an accepted value is finite, agrees with strtod and
 * formats (alm_format_double) to text that reads back to the same double;
 * a number is never taken for a spreadsheet formula; an accepted model
 * formats to a name that parses back to it. */
#include <math.h>

#include "fuzz.h"

#include <almanac/buf.h>
#include <almanac/chart.h>
#include <almanac/dataset.h>
#include <almanac/export.h>
#include <almanac/fit.h>
#include <almanac/report.h>
#include <almanac/view.h>

/* Last: it bans functions (banned.h) that system headers declare. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct alm_error err;
    double x, y;
    alm_init();
    alm_error_clear(&err);
    if (alm__parse_number(s, &x, &err) == ALM_OK) {
        char text[64];
        FUZZ_ASSERT(isfinite(x));
        FUZZ_ASSERT(strtod(s, NULL) == x);
        FUZZ_ASSERT(!alm_export_is_formula(s));
        alm_format_double(x, text, sizeof text);
        FUZZ_ASSERT(alm__parse_number(text, &y, NULL) == ALM_OK);
        FUZZ_ASSERT(y == x);
    } else {
        FUZZ_ASSERT(err.status == ALM_EINPUT && err.msg[0]);
    }
    (void)alm_export_is_formula(s);

    if (alm_level_parse(s, &x, NULL) == ALM_OK)
        FUZZ_ASSERT(x > 0 && x < 100);
    struct alm_model_spec m, m2;
    if (alm_model_parse(s, &m, NULL) == ALM_OK) {
        char name[32];
        alm_model_format(&m, name, sizeof name);
        FUZZ_ASSERT(alm_model_parse(name, &m2, NULL) == ALM_OK);
        FUZZ_ASSERT(m2.model == m.model && m2.degree == m.degree);
    }
    int w, h;
    if (alm_chart_size_parse(s, &w, &h, NULL) == ALM_OK)
        FUZZ_ASSERT(w >= 10 && h >= 10 && w <= ALM_CHART_SIZE_MAX &&
                    h <= ALM_CHART_SIZE_MAX);
    enum alm_kind k;
    if (alm_kind_parse(s, &k, NULL) == ALM_OK)
        FUZZ_ASSERT(strcmp(alm_kind_name(k), s) == 0);
    enum alm_format f;
    (void)alm_format_parse(s, &f, NULL);
    enum alm_chart_type ct;
    if (alm_chart_type_parse(s, &ct, NULL) == ALM_OK)
        FUZZ_ASSERT(strcmp(alm_chart_type_ext(ct), s) == 0);
    (void)alm_chart_type_of_path(s, &ct);
    enum alm_report_format rf;
    (void)alm_report_format_from_path(s, &rf, NULL);
    free(s);
    return 0;
}
