/* almanac add: append one observation, creating its indicator and its
 * source in the same write when their fields are given. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-add.1.txt. */
#include "usage/add.h"

static const struct cli_spec spec = {
    .shared = CLI_DATASET, .name = "add", .usage = usage_text};

/* The fields of the indicator and of the source add may create. */
struct created {
    const char *title, *unit, *kind, *freq, *scope, *notes;
    const char *stitle, *spub, *sdate, *sloc;
    const char *note; /* the observation's note column */
};

/* The edits of one add: the indicator and the source to create, if their
 * fields are given, then the observation (*n of them, at most 3). */
static void edits_of(const struct alm_obs_input *in, const struct created *c,
                     struct alm_field fi[7], struct alm_field fs[5],
                     struct alm_field fo[9], struct alm_edit ed[3], size_t *n)
{
    const struct alm_field ind[7] = {
        {"id", in->indicator, "--indicator"},  {"title", c->title, "--title"},
        {"unit", c->unit, "--unit"},           {"kind", c->kind, "--kind"},
        {"frequency", c->freq, "--frequency"}, {"scope", c->scope, "--scope"},
        {"notes", c->notes, "--notes"}};
    const struct alm_field src[5] = {
        {"id", in->source, "--source"},
        {"title", c->stitle, "--source-title"},
        {"publisher", c->spub, "--source-publisher"},
        {"date", c->sdate, "--source-date"},
        {"location", c->sloc, "--source-location"}};
    const struct alm_field obs[9] = {
        {"indicator", in->indicator, "--indicator"},
        {"period", in->period, "--period"},
        {"value", in->value, "--value"},
        {"qualifier", in->qualifier, "--qualifier"},
        {"status", in->status, "--status"},
        {"source", in->source, "--source"},
        {"vintage", in->vintage, "--vintage"},
        {"quote", in->quote, "--quote"},
        {"note", c->note, "--note"}};
    *n = 0;
    memcpy(fi, ind, sizeof ind);
    memcpy(fs, src, sizeof src);
    memcpy(fo, obs, sizeof obs);
    if (c->title || c->unit || c->kind || c->freq || c->scope || c->notes)
        ed[(*n)++] = (struct alm_edit){ALM_T_INDICATORS, NULL, fi, 7};
    if (c->stitle || c->spub || c->sdate || c->sloc)
        ed[(*n)++] = (struct alm_edit){ALM_T_SOURCES, NULL, fs, 5};
    ed[(*n)++] = (struct alm_edit){ALM_T_OBSERVATIONS, NULL, fo, 9};
}

int cmd_add(int argc, char **argv)
{
    struct alm_obs_input in = {0};
    struct created c = {0};
    const struct cli_opt own[] = {CLI_TEXT("indicator", &in.indicator),
                                  CLI_TEXT("period", &in.period),
                                  CLI_TEXT("value", &in.value),
                                  CLI_TEXT("qualifier", &in.qualifier),
                                  CLI_TEXT("status", &in.status),
                                  CLI_TEXT("source", &in.source),
                                  CLI_TEXT("vintage", &in.vintage),
                                  CLI_TEXT("quote", &in.quote),
                                  CLI_TEXT("note", &c.note),
                                  CLI_TEXT("title", &c.title),
                                  CLI_TEXT("unit", &c.unit),
                                  CLI_TEXT("kind", &c.kind),
                                  CLI_TEXT("frequency", &c.freq),
                                  CLI_TEXT("scope", &c.scope),
                                  CLI_TEXT("notes", &c.notes),
                                  CLI_TEXT("source-title", &c.stitle),
                                  CLI_TEXT("source-publisher", &c.spub),
                                  CLI_TEXT("source-date", &c.sdate),
                                  CLI_TEXT("source-location", &c.sloc),
                                  CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (!in.indicator || !in.period || !in.value)
        return cli_usage_error("add",
                               "--indicator, --period and --value are needed");
    if ((c.stitle || c.spub || c.sdate || c.sloc) && !in.source)
        return cli_usage_error("add", "--source-title and the other --source-"
                                      "* options need --source ID");
    struct alm_field fi[7], fs[5], fo[9];
    struct alm_edit ed[3];
    size_t n;
    edits_of(&in, &c, fi, fs, fo, ed, &n);
    enum alm_status st =
        alm_dataset_edit(cli_dataset_dir(cl.dir), ed, n, &cl.err);
    if (st == ALM_OK)
        printf("added %s %s = %s\n", in.indicator, in.period, in.value);
    return cli_finish(&cl, st, NULL);
}
