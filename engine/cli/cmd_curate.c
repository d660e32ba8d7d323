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
     {"id", "title", "unit", "kind", "frequency", "scope", "notes", NULL},
     5,
     "usage: almanac indicator add -d DIR --id ID --title T --unit U\n"
     "                             --kind K --frequency F\n"
     "                             [--scope S] [--notes T]\n\n"
     "Adds one indicator to indicators.csv (SPEC.md: kind level, count,\n"
     "share, growth, index or value; frequency A, Q, M, D, P or I). --unit\n"
     "may be empty (--unit ''). Validated as check validates the dataset,\n"
     "written atomically.\n",
     "usage: almanac indicator set -d DIR --id ID [--title T] [--unit U]\n"
     "                             [--kind K] [--frequency F] [--scope S]\n"
     "                             [--notes T]\n\n"
     "Gives the indicator --id new values for the fields given (an empty\n"
     "value empties an optional field); the id never changes. Refused when\n"
     "the dataset would no longer check (a kind its observations break).\n",
     "usage: almanac indicator list -d DIR [--format table|csv] [-o FILE]\n\n"
     "Prints indicators.csv: every indicator with all its fields.\n"},
    {"source",
     ALM_T_SOURCES,
     {"id", "title", "publisher", "date", "location", NULL},
     4,
     "usage: almanac source add -d DIR --id ID --title T --publisher P\n"
     "                          --date DATE [--location URL]\n\n"
     "Adds one source to sources.csv; --date (YYYY-MM-DD, YYYY-MM or\n"
     "YYYY) is the vintage of the figures that cite it, and may be empty\n"
     "(--date '') when unknown. Validated as check validates the dataset,\n"
     "written atomically.\n",
     "usage: almanac source set -d DIR --id ID [--title T] [--publisher P]\n"
     "                          [--date DATE] [--location URL]\n\n"
     "Gives the source --id new values for the fields given; the id never\n"
     "changes.\n",
     "usage: almanac source list -d DIR [--format table|csv] [-o FILE]\n\n"
     "Prints sources.csv: every source with all its fields.\n"},
    {"target",
     ALM_T_TARGETS,
     {"indicator", "period", "value", "comparator", "qualifier", "baseline",
      "announced", "source", "quote", NULL},
     4,
     "usage: almanac target add -d DIR --indicator ID --period P --value V\n"
     "                          --comparator '>='|'<=' [--qualifier Q]\n"
     "                          [--baseline P] [--announced DATE]\n"
     "                          [--source ID[;ID]] [--quote TEXT]\n\n"
     "Adds one target to targets.csv, in the indicator's unit. Validated\n"
     "as check validates the dataset, written atomically.\n",
     NULL,
     "usage: almanac target list -d DIR [--format table|csv] [-o FILE]\n\n"
     "Prints targets.csv: every target with all its fields.\n"},
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
                                  .usage = nn->list_usage};
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
    char options[COLS_MAX][24];
    struct cli_opt own[COLS_MAX + 1];
    struct alm_field fields[COLS_MAX];
    size_t n = 0, nf = 0;
    for (; nn->cols[n]; n++) {
        own[n] = (struct cli_opt)CLI_TEXT(nn->cols[n], &values[n]);
        snprintf(options[n], sizeof options[n], "--%s", nn->cols[n]);
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
    const struct alm_edit ed = {nn->table, set ? values[0] : NULL, fields, nf};
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
