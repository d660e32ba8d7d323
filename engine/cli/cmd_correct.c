/* almanac correct and almanac retract: a corrected value, or the
 * withdrawal of a figure, as a new row that never rewrites the figure
 * (alm_dataset_amend). */
#include <getopt.h>
#include <stdio.h>

#include <almanac/dataset.h>

#include "cli.h"

/* correct_usage and retract_usage, the two --help texts: written from
 * man/almanac-correct.1.txt and man/almanac-retract.1.txt (.cname). */
#include "usage/correct.h"
#include "usage/retract.h"

static const struct cli_spec correct_spec = {
    .shared = CLI_DATASET, .name = "correct", .usage = correct_usage};
static const struct cli_spec retract_spec = {
    .shared = CLI_DATASET, .name = "retract", .usage = retract_usage};

/* Both commands: parse, check what is needed, amend, say what was done. */
static int amend(bool retract, int argc, char **argv)
{
    struct alm_amendment a = {.retract = retract};
    struct alm_amend_result res;
    const struct cli_opt correct_opts[] = {CLI_TEXT("indicator", &a.indicator),
                                           CLI_TEXT("period", &a.period),
                                           CLI_TEXT("vintage", &a.vintage),
                                           CLI_TEXT("value", &a.value),
                                           CLI_TEXT("qualifier", &a.qualifier),
                                           CLI_TEXT("status", &a.status),
                                           CLI_TEXT("source", &a.source),
                                           CLI_TEXT("quote", &a.quote),
                                           CLI_TEXT("note", &a.note),
                                           CLI_TEXT("recorded", &a.recorded),
                                           CLI_END};
    const struct cli_opt retract_opts[] = {
        CLI_TEXT("indicator", &a.indicator), CLI_TEXT("period", &a.period),
        CLI_TEXT("vintage", &a.vintage),     CLI_TEXT("note", &a.note),
        CLI_TEXT("recorded", &a.recorded),   CLI_END};
    const char *name = retract ? "retract" : "correct";
    struct cli cl;
    if (cli_parse(&cl, retract ? &retract_spec : &correct_spec,
                  retract ? retract_opts : correct_opts, argc, argv) != ALM_OK)
        return cl.stop;
    if (!a.indicator || !a.period)
        return cli_usage_error(name, "--indicator and --period are needed");
    if (retract && !a.note)
        return cli_usage_error(name, "--note REASON is needed");
    if (!retract && !a.value)
        return cli_usage_error(name, "--value is needed");
    if (!retract && !a.source && !a.note)
        return cli_usage_error(name, "give the source that corrects the "
                                     "figure (--source) or a note why "
                                     "(--note)");
    enum alm_status st =
        alm_dataset_amend(cli_dataset_dir(cl.dir), &a, &res, &cl.err);
    if (st == ALM_OK)
        printf("%s %s %s (vintage %s)%s%s\n",
               retract ? "retracted" : "corrected", a.indicator, a.period,
               res.vintage[0] ? res.vintage : "unknown",
               retract ? ", was " : " = ", res.value);
    return cli_finish(&cl, st, NULL);
}

int cmd_correct(int argc, char **argv)
{
    return amend(false, argc, argv);
}

int cmd_retract(int argc, char **argv)
{
    return amend(true, argc, argv);
}
