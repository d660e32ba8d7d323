/* almanac extract: the figures of text documents, for review or into a
 * dataset. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/extract.h>
#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac extract FILE... [--format table|csv] [-o FILE]\n"
    "       almanac extract FILE... --into DIR [--map FILE]\n"
    "\n"
    "Finds the statistical figures stated in plain-text documents (English\n"
    "or Chinese; UTF-8, GBK or Big5; Simplified or Traditional): value with\n"
    "its scale applied, unit, kind, period, qualifier, role (observation or\n"
    "target) and the sentence it came from. A document may begin with a line\n"
    "'date YYYY-MM-DD': relative periods (last year, 1-2月) are resolved\n"
    "against it, never against the clock.\n"
    "\n"
    "  --format F    table (default) or csv: document,offset,value,unit,\n"
    "                kind,period,qualifier,role,quote,subject\n"
    "  -o FILE       write to FILE instead of standard output\n"
    "  --into DIR    append the figures to the dataset in DIR instead (a\n"
    "                new dataset if DIR does not exist): a source per\n"
    "                document, an indicator per document, subject and unit,\n"
    "                observations and targets with their quotes; all or\n"
    "                nothing\n"
    "  --map FILE    with --into: a CSV file subject,indicator[,document]\n"
    "                giving the indicator id of a subject (the subject column\n"
    "                of --format csv)\n"
    "\n"
    "The words come from the lexicon folder ($ALMANAC_LEXICON, else lexicon/\n"
    "of the sources): units, scales, kinds, periods, qualifiers, roles.\n";

int cmd_extract(int argc, char **argv)
{
    enum { O_FORMAT = 256, O_INTO, O_MAP };
    static const struct option opts[] = {
        {"format", required_argument, NULL, O_FORMAT},
        {"into", required_argument, NULL, O_INTO},
        {"map", required_argument, NULL, O_MAP},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = "table", *output = NULL, *into = NULL, *map = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            format = optarg;
            break;
        case O_INTO:
            into = optarg;
            break;
        case O_MAP:
            map = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("extract", c, argv);
        }
    }
    if (argc - optind < 1)
        return cli_usage_error("extract", "expected at least one FILE");
    if (map && !into)
        return cli_usage_error("extract", "--map needs --into DIR");

    struct alm_error err;
    struct alm_lexicon *lex = NULL;
    size_t n = (size_t)(argc - optind);
    struct alm_doc **docs = calloc(n, sizeof *docs);
    struct alm_buf out = ALM_BUF_INIT;
    struct alm_table *t = NULL;
    enum alm_format f;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st != ALM_OK)
        alm_error_locate(&err, NULL, 0, "--format");
    if (st == ALM_OK && !docs)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = alm_lexicon_load(NULL, &lex, &err);
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        st = alm_extract_file(lex, argv[optind + (int)i], &docs[i], &err);
        if (st == ALM_OK && !docs[i]->date[0])
            fprintf(stderr,
                    "almanac: %s: warning: no 'date YYYY-MM-DD' line: "
                    "relative periods (last year, the first two months) are "
                    "left empty\n",
                    docs[i]->name);
    }
    if (st == ALM_OK && into) {
        struct alm_extract_into_opts io = {map};
        struct alm_extract_into_result r;
        st = alm_extract_into(cli_dataset_dir(into), docs, n, &io, &r, &err);
        if (st == ALM_OK) {
            if (r.skipped)
                fprintf(stderr,
                        "almanac: warning: %zu figure%s without a period "
                        "left out (add a date line to the document)\n",
                        r.skipped, r.skipped == 1 ? "" : "s");
            printf("%s: added %zu observation%s, %zu target%s, %zu "
                   "indicator%s, %zu source%s\n",
                   into, r.observations, r.observations == 1 ? "" : "s",
                   r.targets, r.targets == 1 ? "" : "s", r.indicators,
                   r.indicators == 1 ? "" : "s", r.sources,
                   r.sources == 1 ? "" : "s");
        }
    } else if (st == ALM_OK) {
        st = alm_extract_table(docs, n, &t, &err);
        if (st == ALM_OK && alm_table_write(t, f, &out) != ALM_OK)
            st = alm_fail(&err, ALM_ENOMEM, "out of memory");
        if (st == ALM_OK)
            st = cli_write_output(output, &out, &err);
    }
    alm_table_free(t);
    alm_buf_release(&out);
    for (size_t i = 0; docs && i < n; i++)
        alm_doc_free(docs[i]);
    free(docs);
    alm_lexicon_free(lex);
    return cli_exit(st, &err);
}
