/* almanac import: append the observations of a file in one of the formats
 * statistics come in (import.h). */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>
#include <almanac/import.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-import.1.txt. */
#include "usage/import.h"

/* Reads a one-character option value ("tab" and "\t" mean a tab). */
static int one_char(const char *v, const char *option, char *out,
                    struct alm_error *err)
{
    if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0) {
        *out = '\t';
        return 0;
    }
    if (strlen(v) != 1 || v[0] == '"' || v[0] == '\n' || v[0] == '\r') {
        alm_fail(err, ALM_EINPUT, "expected one character (or 'tab'), got '%s'",
                 v);
        alm_error_locate(err, NULL, 0, option);
        return -1;
    }
    *out = v[0];
    return 0;
}

static void print_series(const struct alm_import_batch *b)
{
    size_t w = strlen("series");
    for (size_t i = 0; i < b->nseries; i++)
        if (strlen(b->series[i].id) > w)
            w = strlen(b->series[i].id);
    printf("%-*s  freq  %-25s  %5s  %s\n", (int)w, "series", "periods", "obs",
           "title");
    for (size_t i = 0; i < b->nseries; i++) {
        const struct alm_import_series *s = &b->series[i];
        char span[64];
        snprintf(span, sizeof span, "%s..%s", s->first, s->last);
        printf("%-*s  %-4c  %-25s  %5zu  %s%s%s%s\n", (int)w, s->id,
               s->freq ? s->freq : '-', span, s->nobs, s->title,
               s->unit[0] ? " (" : "", s->unit, s->unit[0] ? ")" : "");
    }
}

/* Prints each cell or row the file cannot give, as it is found. */
static void on_problem(void *ctx, const struct alm_error *e, bool warning)
{
    char line[1200];
    (void)ctx;
    alm_error_format(e, line, sizeof line);
    fprintf(stderr, "almanac: %s%s\n", warning ? "warning: " : "", line);
}

/* Reads --frequency, --delimiter and --decimal into spec. */
static enum alm_status read_marks(const char *freq, const char *delim,
                                  const char *dec, struct alm_import_spec *spec,
                                  struct alm_error *err)
{
    if (freq && (strlen(freq) != 1 || !strchr("AQMD", freq[0]))) {
        alm_fail(err, ALM_EINPUT,
                 "expected A, Q, M or D (annual, quarterly, monthly, "
                 "daily), got '%s'",
                 freq);
        alm_error_locate(err, NULL, 0, "--frequency");
        return ALM_EINPUT;
    }
    spec->frequency = freq ? freq[0] : spec->frequency;
    if (delim && one_char(delim, "--delimiter", &spec->delimiter, err) != 0)
        return ALM_EINPUT;
    if (dec && strcmp(dec, ".") != 0 && strcmp(dec, ",") != 0) {
        alm_fail(err, ALM_EINPUT, "expected '.' or ',', got '%s'", dec);
        alm_error_locate(err, NULL, 0, "--decimal");
        return ALM_EINPUT;
    }
    spec->decimal = dec ? dec[0] : spec->decimal;
    if (spec->delimiter && spec->decimal && spec->delimiter == spec->decimal) {
        alm_fail(err, ALM_EINPUT,
                 "the delimiter and the decimal mark are both '%c'",
                 spec->delimiter);
        alm_error_locate(err, NULL, 0, "--decimal");
        return ALM_EINPUT;
    }
    return ALM_OK;
}

/* Prints what the import did (or, with --dry-run, would do). */
static void print_summary(const struct alm_import_spec *spec,
                          const struct alm_import_summary *sum,
                          const struct alm_import_batch *b, const char *name)
{
    if (spec->dry_run)
        print_series(b);
    printf("%s %zu observation%s and %zu new indicator%s from %s\n",
           spec->dry_run ? "would import" : "imported", sum->appended,
           sum->appended == 1 ? "" : "s", sum->indicators,
           sum->indicators == 1 ? "" : "s", name);
    if (sum->format != ALM_IMPORT_LONG || spec->dry_run)
        printf("format %s: %zu series, %zu observation%s\n",
               alm_import_format_name(sum->format), sum->series,
               sum->observations, sum->observations == 1 ? "" : "s");
    if (sum->skipped)
        printf("skipped %zu missing value%s\n", sum->skipped,
               sum->skipped == 1 ? "" : "s");
    if (sum->present)
        printf("%zu observation%s already in the dataset from this file: "
               "not added again\n",
               sum->present, sum->present == 1 ? "" : "s");
    if (sum->sources)
        printf("%s source %s (%s%s%s)\n", spec->dry_run ? "would add" : "added",
               b->source[0], b->source[1], b->source[3][0] ? ", " : "",
               b->source[3]);
}

static const struct cli_spec command = {.args = {1, 1, "one FILE"},
                                        .shared = CLI_DATASET,
                                        .name = "import",
                                        .usage = usage_text};

int cmd_import(int argc, char **argv)
{
    const struct alm_problem_sink report = {on_problem, NULL};
    struct alm_import_spec spec = {.format = ALM_IMPORT_AUTO,
                                   .report = &report};
    const char *format = "auto", *freq = NULL, *delim = NULL, *dec = NULL;
    const struct cli_opt own[] = {
        CLI_TEXT("format", &format),        CLI_TEXT("kind", &spec.kind),
        CLI_TEXT("frequency", &freq),       CLI_TEXT("vintage", &spec.vintage),
        CLI_TEXT("delimiter", &delim),      CLI_TEXT("decimal", &dec),
        CLI_FLAG("dry-run", &spec.dry_run), CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &command, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (alm_import_format_parse(format, &spec.format, &cl.err) != ALM_OK) {
        alm_error_locate(&cl.err, NULL, 0, "--format");
        return cli_finish(&cl, ALM_EINPUT, NULL);
    }
    if (read_marks(freq, delim, dec, &spec, &cl.err) != ALM_OK)
        return cli_finish(&cl, ALM_EINPUT, NULL);
    struct alm_import_summary sum = {0};
    struct alm_import_batch *b = NULL;
    const char *path = cl.args[0];
    enum alm_status st = alm_import_file(cli_dataset_dir(cl.dir), path, &spec,
                                         &sum, &b, &cl.err);
    if (st == ALM_OK)
        print_summary(&spec, &sum, b,
                      strcmp(path, "-") == 0 ? "<stdin>" : path);
    alm_import_batch_free(b);
    return cli_finish(&cl, st, NULL);
}
