/* almanac check: validate the whole dataset, reporting every problem. */
#include <getopt.h>

#include <almanac/consistency.h>
#include <almanac/dataset.h>
#include <almanac/derive.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-check.1.txt. */
#include "usage/check.h"

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

/* The figures of derived indicators computed, as every other command
 * computes them: one that its kind cannot hold is an error. */
static enum alm_status derived_figures(const struct alm_dataset *ds,
                                       struct tally *t, struct alm_error *err)
{
    struct alm_dataset *d = NULL;
    struct alm_error e;
    alm_error_clear(&e);
    enum alm_status st = alm_derive_dataset(ds, &d, &e);
    alm_dataset_free(d);
    if (st == ALM_EINPUT)
        on_problem(t, &e, false);
    else if (st != ALM_OK)
        *err = e;
    return st;
}

static const struct cli_spec spec = {
    .shared = CLI_DATASET, .name = "check", .usage = usage_text};

/* Prints the counts: the dataset's size (c), or its errors. Returns
 * EXIT_INPUT when it has printed the errors' count, else EXIT_OK. */
static int summary(const char *dir, const struct alm_check_counts *c,
                   const struct tally *t, enum alm_status st)
{
    if (t->errors + t->warnings > SHOWN_MAX)
        fprintf(stderr,
                "almanac: %zu more problems not shown; the first %d are "
                "above\n",
                t->errors + t->warnings - SHOWN_MAX, SHOWN_MAX);
    if (st == ALM_OK)
        printf("%s: %zu indicators, %zu observations, %zu sources, %zu "
               "targets; %zu warning%s\n",
               dir, c->indicators, c->observations, c->sources, c->targets,
               t->warnings, t->warnings == 1 ? "" : "s");
    else if (st != ALM_ENOMEM && t->errors > 0) {
        printf("%s: %zu error%s, %zu warning%s\n", dir, t->errors,
               t->errors == 1 ? "" : "s", t->warnings,
               t->warnings == 1 ? "" : "s");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    struct cli cl;
    if (cli_parse(&cl, &spec, NULL, argc, argv) != ALM_OK)
        return cl.stop;
    const char *dir = cli_dataset_dir(cl.dir);
    struct tally tally = {0, 0};
    struct alm_problem_sink report = {on_problem, &tally};
    struct alm_check_counts counts = {0};
    /* An indicator at a time when the dataset can be read so, else whole
     * (which reports every problem). */
    if (alm_check_dataset(dir, &report, SHOWN_MAX, &counts)) {
        tally.warnings += counts.unreported;
        (void)summary(dir, &counts, &tally, ALM_OK);
        return cli_finish(&cl, ALM_OK, NULL);
    }
    enum alm_status st = alm_dataset_open(dir, &report, &cl.ds, &cl.err);
    if (st == ALM_OK)
        st = derived_figures(cl.ds, &tally, &cl.err);
    if (st == ALM_OK)
        st = alm_consistency_check(cl.ds, &report, NULL, &cl.err);
    if (st == ALM_OK)
        counts = alm_check_counts_of(cl.ds);
    int rc = summary(dir, &counts, &tally, st);
    if (rc != EXIT_OK) {
        alm_dataset_free(cl.ds);
        return rc;
    }
    return cli_finish(&cl, st, NULL);
}
