/* almanac check: validate the whole dataset, reporting every problem. */
#include <getopt.h>

#include <almanac/dataset.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac check -d DIR\n\n"
    "Validates the whole dataset and reports every problem: broken\n"
    "references, duplicates, malformed fields, values that contradict their\n"
    "kind. Warnings (an unknown vintage, sources that disagree) do not fail\n"
    "the check.\n";

/* The most problems printed one by one: past them, a dataset with a
 * problem in every row still gets a summary a person can read. */
#define SHOWN_MAX 100

struct tally {
    size_t errors, warnings;
};

static void on_problem(void *ctx, const struct alm_error *e, bool warning)
{
    struct tally *t = ctx;
    char line[1200];
    if (t->errors + t->warnings < SHOWN_MAX) {
        alm_error_format(e, line, sizeof line);
        fprintf(stderr, "almanac: %s%s\n", warning ? "warning: " : "", line);
    }
    if (warning)
        t->warnings++;
    else
        t->errors++;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("check", c, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("check", "unexpected argument '%s'",
                               argv[optind]);
    dir = cli_dataset_dir(dir);
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct tally tally = {0, 0};
    struct alm_problem_sink report = {on_problem, &tally};
    alm_error_clear(&err);
    enum alm_status st = alm_dataset_open(dir, &report, &ds, &err);
    if (tally.errors + tally.warnings > SHOWN_MAX)
        fprintf(stderr,
                "almanac: %zu more problems not shown; the first %d are "
                "above\n",
                tally.errors + tally.warnings - SHOWN_MAX, SHOWN_MAX);
    if (st == ALM_OK) {
        printf("%s: %zu indicators, %zu observations, %zu sources, %zu "
               "targets; %zu warning%s\n",
               dir, ds->nind, ds->nobs, ds->nsrc, ds->ntgt, tally.warnings,
               tally.warnings == 1 ? "" : "s");
    } else if (st != ALM_ENOMEM && tally.errors > 0) {
        printf("%s: %zu error%s, %zu warning%s\n", dir, tally.errors,
               tally.errors == 1 ? "" : "s", tally.warnings,
               tally.warnings == 1 ? "" : "s");
        alm_dataset_free(ds);
        return EXIT_INPUT;
    }
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
