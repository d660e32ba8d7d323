/* The shared option table and the prepare step every command goes
 * through (cli.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <almanac/derive.h>

#include "cli.h"

/* How many of the series pipeline's notes (one per indicator) are printed
 * before the rest are counted. */
enum { CLI_NOTES_LISTED = 10 };

/* The options several commands take, each spelled once; a short name of
 * 0 means none. */
static const struct {
    unsigned bit;
    const char *name;
    int short_name;
} shared[] = {
    {CLI_DATASET, "dataset", 'd'},
    {CLI_OUTPUT, "output", 'o'},
    {CLI_AS_OF, "as-of", 0},
    {CLI_FORMAT, "format", 0},
    {CLI_MODEL, "model", 0},
    {CLI_LEVEL, "level", 0},
    {CLI_TO, "to", 0},
    {CLI_TRANSFORM, "transform", 0},
    {CLI_FREQUENCY, "frequency", 0},
    {CLI_AGGREGATE, "aggregate", 0},
    {CLI_UNIT, "unit", 0},
};
#define NSHARED (sizeof shared / sizeof shared[0])

/* getopt_long's codes: a shared option without a short name is SHARED + its
 * index in shared[], an own option OWN + its index in its table. */
enum { SHARED = 256, OWN = 512 };

/* cl->stop while the command goes on. */
#define CLI_GO (-1)

/* The most own options a command may have. */
#define OWN_MAX 24

/* The code getopt_long returns for shared[i]. */
static int code_of(size_t i)
{
    return shared[i].short_name ? shared[i].short_name : SHARED + (int)i;
}

/* Where the value of the shared option bit goes. */
static const char **slot_of(struct cli *cl, unsigned bit)
{
    switch (bit) {
    case CLI_DATASET:
        return &cl->dir;
    case CLI_OUTPUT:
        return &cl->output;
    case CLI_AS_OF:
        return &cl->as_of_text;
    case CLI_FORMAT:
        return &cl->format_text;
    case CLI_MODEL:
        return &cl->model_text;
    case CLI_LEVEL:
        return &cl->level_text;
    case CLI_TRANSFORM:
        return &cl->transform_text;
    case CLI_FREQUENCY:
        return &cl->frequency_text;
    case CLI_AGGREGATE:
        return &cl->aggregate_text;
    case CLI_UNIT:
        return &cl->unit_text;
    default:
        return &cl->to;
    }
}

/* Builds getopt_long's tables for the spec and the own options; returns
 * false when own has more than OWN_MAX options (a programming error). */
static bool build(const struct cli_spec *spec, const struct cli_opt *own,
                  struct option *opts, char *shorts)
{
    size_t n = 0, k = 0;
    shorts[k++] = ':';
    for (size_t i = 0; i < NSHARED; i++) {
        if (!(spec->shared & shared[i].bit))
            continue;
        opts[n++] = (struct option){shared[i].name, required_argument, NULL,
                                    code_of(i)};
        if (shared[i].short_name) {
            shorts[k++] = (char)shared[i].short_name;
            shorts[k++] = ':';
        }
    }
    for (int j = 0; own && own[j].name; j++) {
        if (j == OWN_MAX)
            return false;
        opts[n++] = (struct option){
            own[j].name, own[j].text ? required_argument : no_argument, NULL,
            OWN + j};
    }
    opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[n] = (struct option){NULL, 0, NULL, 0};
    shorts[k++] = 'h';
    shorts[k] = '\0';
    return true;
}

/* Stores the value of the option getopt_long returned as c; false if c is
 * none of the command's options. */
static bool take(struct cli *cl, const struct cli_opt *own, int c)
{
    for (size_t i = 0; i < NSHARED; i++)
        if ((cl->spec->shared & shared[i].bit) && c == code_of(i)) {
            *slot_of(cl, shared[i].bit) = optarg;
            return true;
        }
    if (!own || c < OWN || c >= OWN + OWN_MAX)
        return false;
    const struct cli_opt *o = &own[c - OWN];
    if (o->text)
        *o->text = optarg;
    else
        *o->flag = true;
    return true;
}

/* Runs getopt_long over argv, then counts the positional arguments.
 * Returns CLI_GO, or the exit status after --help or a usage error. */
static int scan(struct cli *cl, const struct cli_opt *own,
                const struct option *opts, const char *shorts, int argc,
                char **argv)
{
    const struct cli_spec *spec = cl->spec;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(spec->usage, stdout);
            return EXIT_OK;
        }
        if (!take(cl, own, c))
            return cli_bad_option(spec->name, c, argv);
    }
    cl->args = argv + optind;
    cl->nargs = argc - optind;
    if (spec->args.max == 0 && cl->nargs > 0)
        return cli_usage_error(spec->name, "unexpected argument '%s'",
                               cl->args[0]);
    if (cl->nargs < spec->args.min ||
        (spec->args.max >= 0 && cl->nargs > spec->args.max))
        return cli_usage_error(spec->name, "expected %s", spec->args.what);
    return CLI_GO;
}

enum alm_status cli_parse(struct cli *cl, const struct cli_spec *spec,
                          const struct cli_opt *own, int argc, char **argv)
{
    struct option opts[NSHARED + OWN_MAX + 2];
    char shorts[2 * NSHARED + 3];
    *cl = (struct cli){.spec = spec,
                       .out = ALM_BUF_INIT,

                       .model_text = "auto",
                       .level_text = "95",
                       .level = 95};
    cl->stop = build(spec, own, opts, shorts)
                   ? scan(cl, own, opts, shorts, argc, argv)
                   : cli_usage_error(spec->name, "too many options");
    cl->format_given = cl->format_text != NULL;
    if (!cl->format_text)
        cl->format_text = cli_output_format(cl->output);
    return cl->stop == CLI_GO ? ALM_OK : ALM_EUSAGE;
}

static const char *extension(const char *path);

enum alm_status cli_check_output(const char *path, const char *outputs,
                                 struct alm_error *err)
{
    if (!outputs)
        outputs = CLI_TABLE_OUTPUTS;
    if (!path || !*outputs || strcmp(path, "-") == 0)
        return ALM_OK;
    const char *dot = extension(path);
    if (!dot)
        return ALM_OK;
    size_t n = strlen(dot);
    for (const char *p = outputs; *p;) {
        size_t len = strcspn(p, ", ");
        if (len == n && strncasecmp(p, dot, n) == 0)
            return ALM_OK;
        p += len;
        p += strspn(p, ", ");
    }
    alm_fail(err, ALM_EINPUT,
             "cannot write %s files: this command writes %s (or a name "
             "without an extension, or '-' for standard output)",
             dot, outputs);
    alm_error_locate(err, path, 0, NULL);
    return ALM_EINPUT;
}

/* The extension of path's last component (".csv"), or NULL. */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : NULL;
}

const char *cli_output_format(const char *path)
{
    const char *ext = path ? extension(path) : NULL;
    if (ext && strcasecmp(ext, ".csv") == 0)
        return "csv";
    if (ext && strcasecmp(ext, ".json") == 0)
        return "json";
    return "table";
}

bool cli_output_xlsx(const char *path)
{
    const char *ext = path ? extension(path) : NULL;
    return ext && strcasecmp(ext, ".xlsx") == 0;
}

/* Replaces cl->ds by the dataset of the transformed series (cli.h,
 * CLI_SERIES), and says on standard error what was done and left out. */
static enum alm_status series_dataset(struct cli *cl)
{
    unsigned s = cl->spec->shared;
    const size_t *ids = NULL;
    size_t n = 0, one;
    if ((s & CLI_PICK) && cl->nargs > 0) {
        ids = cl->ids;
        n = cl->nids;
    } else if (!(s & CLI_PICK) && cl->nargs > 0) {
        long k = alm_dataset_find_indicator(cl->ds, cl->args[0]);
        if (k < 0) /* the command says so itself */
            return ALM_OK;
        one = (size_t)k;
        ids = &one;
        n = 1;
    }
    enum alm_status st = ALM_OK;
    if (s & CLI_TARGETS)
        st = alm_series_targets_check(cl->ds, ids, n, &cl->series, &cl->err);
    struct alm_dataset *tx = NULL;
    struct alm_buf notes = ALM_BUF_INIT;
    if (st == ALM_OK)
        st = alm_series_dataset(cl->ds, ids, n, &cl->series, cl->as_of, &tx,
                                &notes, &cl->err);
    if (st == ALM_OK) {
        cl->source = cl->ds;
        cl->ds = tx;
        /* One line per indicator: the first ten, then how many more, as
         * repeated warnings are counted rather than listed. */
        size_t shown = 0, more = 0;
        for (const char *p = notes.s; p && *p;) {
            size_t len = strcspn(p, "\n");
            if (shown < CLI_NOTES_LISTED) {
                fprintf(stderr, "almanac %s: %.*s\n", cl->spec->name, (int)len,
                        p);
                shown++;
            } else {
                more++;
            }
            p += len;
            p += *p == '\n';
        }
        if (more)
            fprintf(stderr,
                    "almanac %s: and %zu more indicators with a note like "
                    "these (name an indicator to see its own)\n",
                    cl->spec->name, more);
    }
    alm_buf_release(&notes);
    if (st == ALM_OK && (s & CLI_PICK)) {
        free(cl->ids);
        cl->ids = NULL;
        st = alm_dataset_pick(cl->ds, cl->args, (size_t)cl->nargs, &cl->ids,
                              &cl->nids, &cl->err);
    }
    return st;
}

/* Derived indicators (derive.h) computed: the figures of those the
 * command reads (the ids picked, else the indicator the first argument
 * names, else every one) recorded in cl->ds (alm_derive_record). */
static enum alm_status derived_figures(struct cli *cl)
{
    unsigned s = cl->spec->shared;
    if ((s & CLI_PICK) && cl->nargs > 0)
        return alm_derive_record(cl->ds, cl->ids, cl->nids, &cl->err);
    if (!(s & CLI_PICK) && cl->nargs > 0) {
        long k = alm_dataset_find_indicator(cl->ds, cl->args[0]);
        if (k < 0) /* the command says so itself */
            return ALM_OK;
        size_t one = (size_t)k;
        return alm_derive_record(cl->ds, &one, 1, &cl->err);
    }
    return alm_derive_record(cl->ds, NULL, 0, &cl->err);
}

enum alm_status cli_prepare(struct cli *cl)
{
    unsigned s = cl->spec->shared;
    enum alm_status st = ALM_OK;
    if (s & CLI_OUTPUT)
        st = cli_check_output(cl->output, cl->spec->outputs, &cl->err);
    if (st == ALM_OK && (s & CLI_FORMAT))
        st = alm_format_parse(cl->format_text, &cl->format, &cl->err);
    if (st == ALM_OK && (s & CLI_MODEL))
        st = alm_model_parse(cl->model_text, &cl->model, &cl->err);
    if (st == ALM_OK && (s & CLI_LEVEL))
        st = alm_level_parse(cl->level_text, &cl->level, &cl->err);
    if (st == ALM_OK && (s & CLI_SERIES))
        st = alm_series_opts_parse(cl->transform_text, cl->frequency_text,
                                   cl->aggregate_text, cl->unit_text,
                                   &cl->series, &cl->err);
    if (st == ALM_OK && (s & CLI_OPEN))
        st =
            alm_dataset_open(cli_dataset_dir(cl->dir), NULL, &cl->ds, &cl->err);
    if (st == ALM_OK && (s & CLI_OPEN))
        st = alm_dataset_as_of(cl->ds, cl->as_of_text, &cl->as_of, &cl->err);
    if (st == ALM_OK && (s & CLI_PICK))
        st = alm_dataset_pick(cl->ds, cl->args, (size_t)cl->nargs, &cl->ids,
                              &cl->nids, &cl->err);
    if (st == ALM_OK && (s & CLI_OPEN) && !cl->spec->tables)
        st = derived_figures(cl);
    if (st == ALM_OK && (s & CLI_SERIES) && (s & CLI_OPEN) &&
        alm_series_opts_active(&cl->series))
        st = series_dataset(cl);
    return st;
}

enum alm_status cli_start(struct cli *cl, const struct cli_spec *spec,
                          const struct cli_opt *own, int argc, char **argv)
{
    enum alm_status st = cli_parse(cl, spec, own, argc, argv);
    return st == ALM_OK ? cli_prepare(cl) : st;
}

struct alm_projection_opts cli_projection(const struct cli *cl)
{
    return (struct alm_projection_opts){.model = cl->model,
                                        .to = cl->to,
                                        .level = cl->level,
                                        .as_of = cl->as_of};
}

int cli_finish(struct cli *cl, enum alm_status st, const struct alm_buf *out)
{
    if (st == ALM_OK && out)
        st = cli_write_output(cl->output, out, &cl->err);
    if (st == ALM_ENOMEM)
        alm_fail(&cl->err, st, "out of memory");
    alm_buf_release(&cl->out);
    free(cl->ids);
    alm_dataset_free(cl->ds);
    alm_dataset_free(cl->source);
    return cl->stop != CLI_GO ? cl->stop : cli_exit(st, &cl->err);
}
