/* almanac indicator|source|target add|set|list: curate the tables by
 * command. One scheme for the three: NOUN add (a new row, every field of
 * SPEC.md an option named as its column), NOUN set (new values for the
 * fields given, of the row --id names; indicators and sources), NOUN list
 * (the table as it is). Every write goes through alm_dataset_edit: the
 * whole dataset validated as check validates it, committed atomically. */
#include <getopt.h>
#include <string.h>

#include <almanac/dataset.h>
#include <almanac/view.h>

#include "cli.h"
/* usage_NOUN_VERB, each verb's --help: written from
 * man/almanac-NOUN.1.txt. */
#include "usage/indicator.h"
#include "usage/source.h"
#include "usage/target.h"

/* The most columns a table's command takes. */
#define COLS_MAX 9

struct noun {
    const char *name; /* "indicator" */
    enum alm_table_id table;
    const char *cols[COLS_MAX + 1]; /* NULL-ended, SPEC.md's order */
    size_t required;                /* the first ones add needs */
    const char *add_usage, *set_usage, *list_usage;
};

static const struct noun nouns[] = {
    {"indicator",
     ALM_T_INDICATORS,
     {"id", "title", "unit", "kind", "frequency", "scope", "notes", "formula",
      "same_as", NULL},
     5,
     usage_indicator_add,
     usage_indicator_set,
     usage_indicator_list},
    {"source",
     ALM_T_SOURCES,
     {"id", "title", "publisher", "date", "location", NULL},
     4,
     usage_source_add,
     usage_source_set,
     usage_source_list},
    {"target",
     ALM_T_TARGETS,
     {"indicator", "period", "value", "comparator", "qualifier", "baseline",
      "announced", "source", "quote", NULL},
     4,
     usage_target_add,
     NULL,
     usage_target_list},
};

static const char noun_usage[] =
    "usage: almanac %s add|%slist -d DIR [OPTIONS]\n"
    "       almanac %s VERB --help\n\n"
    "Curates %s by command: add a row, %slist\n"
    "the table; see each verb's --help.\n";

/* NOUN list: the table, as text or CSV. */
static int list(const struct noun *nn, int argc, char **argv, const char *name)
{
    const struct cli_spec spec = {.shared = CLI_READ | CLI_OUTPUT | CLI_FORMAT,
                                  .name = name,
                                  .usage = nn->list_usage,
                                  .tables = true};
    struct cli cl;
    enum alm_status st = cli_start(&cl, &spec, NULL, argc, argv);
    if (st == ALM_OK)
        st = alm_table_write(cl.ds->tables[nn->table], cl.format, &cl.out);
    return cli_finish(&cl, st, &cl.out);
}

/* NOUN add and NOUN set: one edit of the fields given. */
static int edit(const struct noun *nn, bool set, int argc, char **argv,
                const char *name)
{
    const struct cli_spec spec = {.shared = CLI_DATASET,
                                  .name = name,
                                  .usage = set ? nn->set_usage : nn->add_usage};
    const char *values[COLS_MAX] = {NULL};
    char options[COLS_MAX][32];
    struct cli_opt own[COLS_MAX + 1];
    struct alm_field fields[COLS_MAX];
    size_t n = 0, nf = 0;
    for (; nn->cols[n]; n++) {
        /* The option is the column's name, spelled as options are:
         * same_as is --same-as. */
        snprintf(options[n], sizeof options[n], "--%.29s", nn->cols[n]);
        for (char *c = options[n]; *c; c++)
            if (*c == '_')
                *c = '-';
        own[n] = (struct cli_opt)CLI_TEXT(options[n] + 2, &values[n]);
    }
    own[n] = (struct cli_opt)CLI_END;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    for (size_t i = 0; i < (set ? 1 : nn->required); i++)
        if (!values[i])
            return cli_usage_error(name, "%s is needed", options[i]);
    for (size_t i = set ? 1 : 0; i < n; i++)
        if (values[i])
            fields[nf++] =
                (struct alm_field){nn->cols[i], values[i], options[i]};
    if (set && nf == 0)
        return cli_usage_error(name, "give at least one field to set");
    const struct alm_edit ed = {nn->table, set ? values[0] : NULL, fields, nf,
                                false};
    enum alm_status st =
        alm_dataset_edit(cli_dataset_dir(cl.dir), &ed, 1, &cl.err);
    if (st == ALM_OK)
        printf("%s %s %s%s%s\n", set ? "changed" : "added", nn->name, values[0],
               nn->table == ALM_T_TARGETS ? " " : "",
               nn->table == ALM_T_TARGETS ? values[1] : "");
    return cli_finish(&cl, st, NULL);
}

static int curate(const struct noun *nn, int argc, char **argv)
{
    char name[40];
    const char *verb = argc > 1 ? argv[1] : "";
    bool help = strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0;
    if (help || argc < 2) {
        FILE *out = help ? stdout : stderr;
        fprintf(out, noun_usage, nn->name, nn->set_usage ? "set|" : "",
                nn->name, alm_table_files[nn->table],
                nn->set_usage ? "set the fields of one, " : "");
        return help ? EXIT_OK : EXIT_USAGE;
    }
    snprintf(name, sizeof name, "%s %s", nn->name, verb);
    if (strcmp(verb, "add") == 0)
        return edit(nn, false, argc - 1, argv + 1, name);
    if (strcmp(verb, "set") == 0 && nn->set_usage)
        return edit(nn, true, argc - 1, argv + 1, name);
    if (strcmp(verb, "list") == 0)
        return list(nn, argc - 1, argv + 1, name);
    return cli_usage_error(nn->name, "unknown verb '%s': expected add, %slist",
                           verb, nn->set_usage ? "set, " : "");
}

int cmd_indicator(int argc, char **argv)
{
    return curate(&nouns[0], argc, argv);
}

int cmd_source(int argc, char **argv)
{
    return curate(&nouns[1], argc, argv);
}

int cmd_target(int argc, char **argv)
{
    return curate(&nouns[2], argc, argv);
}
