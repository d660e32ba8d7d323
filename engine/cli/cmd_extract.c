/* almanac extract: the figures of text documents, for review or into a
 * dataset. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/extract.h>
#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-extract.1.txt. */
#include "usage/extract.h"

static const struct cli_spec spec = {.args = {1, -1, "at least one FILE"},
                                     .shared = CLI_OUTPUT | CLI_FORMAT,
                                     .name = "extract",
                                     .usage = usage_text};

/* Reads every document named on the command line into docs[0..n). */
static enum alm_status read_docs(const struct alm_lexicon *lex, char **names,
                                 size_t n, struct alm_doc **docs,
                                 struct alm_error *err)
{
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        st = alm_extract_file(lex, names[i], &docs[i], err);
        if (st == ALM_OK && !docs[i]->date[0])
            fprintf(stderr,
                    "almanac: %s: warning: no 'date YYYY-MM-DD' line: "
                    "relative periods (last year, the first two months) are "
                    "left empty\n",
                    docs[i]->name);
    }
    return st;
}

/* Appends the documents' figures to the dataset into and says what it
 * added. */
static enum alm_status into_dataset(const char *into, const char *map,
                                    struct alm_doc **docs, size_t n,
                                    struct alm_error *err)
{
    struct alm_extract_into_opts io = {map};
    struct alm_extract_into_result r;
    enum alm_status st =
        alm_extract_into(cli_dataset_dir(into), docs, n, &io, &r, err);
    if (st != ALM_OK)
        return st;
    if (r.skipped)
        fprintf(stderr,
                "almanac: warning: %zu figure%s without a period "
                "left out (add a date line to the document)\n",
                r.skipped, r.skipped == 1 ? "" : "s");
    printf("%s: added %zu observation%s, %zu target%s, %zu "
           "indicator%s, %zu source%s\n",
           into, r.observations, r.observations == 1 ? "" : "s", r.targets,
           r.targets == 1 ? "" : "s", r.indicators,
           r.indicators == 1 ? "" : "s", r.sources, r.sources == 1 ? "" : "s");
    return ALM_OK;
}

int cmd_extract(int argc, char **argv)
{
    const char *into = NULL, *map = NULL;
    const struct cli_opt own[] = {CLI_TEXT("into", &into),
                                  CLI_TEXT("map", &map), CLI_END};
    struct alm_lexicon *lex = NULL;
    struct alm_table *t = NULL;
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    if (map && !into)
        return cli_usage_error("extract", "--map needs --into DIR");
    size_t n = (size_t)cl.nargs;
    struct alm_doc **docs = calloc(n, sizeof *docs);
    enum alm_status st = cli_prepare(&cl);
    if (st == ALM_OK && !docs)
        st = alm_fail(&cl.err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = alm_lexicon_load(NULL, &lex, &cl.err);
    if (st == ALM_OK)
        st = read_docs(lex, cl.args, n, docs, &cl.err);
    if (st == ALM_OK && into)
        st = into_dataset(into, map, docs, n, &cl.err);
    else if (st == ALM_OK)
        st = alm_extract_table(docs, n, &t, &cl.err);
    if (st == ALM_OK && !into)
        st = alm_table_write(t, cl.format, &cl.out);
    alm_table_free(t);
    for (size_t i = 0; docs && i < n; i++)
        alm_doc_free(docs[i]);
    free(docs);
    alm_lexicon_free(lex);
    return cli_finish(&cl, st, into ? NULL : &cl.out);
}
