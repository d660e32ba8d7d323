/* The command-line layer: one cmd_<name>() per command, each of which
 * parses its options, calls the library, prints, and returns an exit
 * status through cli_exit(). This layer includes only <almanac/...>
 * headers: no GSL, no libcsv. */
#ifndef ALMANAC_CLI_H
#define ALMANAC_CLI_H

#include <stdio.h>

#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/error.h>
#include <almanac/project.h>
#include <almanac/series.h>
#include <almanac/view.h>

/* Exit statuses of SPEC.md. */
enum {
    EXIT_OK = 0,
    EXIT_INPUT = 1,   /* bad data, bad option value, unwritable output */
    EXIT_USAGE = 2,   /* unknown command or option, missing argument */
    EXIT_EXTERNAL = 3 /* gnuplot missing or failing */
};

/* Prints err (if st is not ALM_OK) as "almanac: FILE:LINE: MSG" on standard
 * error and returns the exit status for st. */
int cli_exit(enum alm_status st, const struct alm_error *err);

/* Prints "almanac CMD: MSG" and a pointer to --help on standard error;
 * returns EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int cli_usage_error(const char *cmd, const char *fmt, ...);

/* Reports a bad option found by getopt_long (which runs with opterr = 0
 * and an option string starting with ':'): c is what it returned, ':' for
 * a missing value. Returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Writes text to path, or to standard output when path is NULL or "-".
 * A file is written atomically (temporary file, then rename), so a failure
 * leaves nothing half-written. */
enum alm_status cli_write_output(const char *path, const struct alm_buf *text,
                                 struct alm_error *err);

/* Returns the dataset folder: dir if not NULL, else $ALMANAC_DATASET, else
 * ".". */
const char *cli_dataset_dir(const char *dir);

/* The shared option table. A command names, in its struct cli_spec, the
 * shared options it takes (each spelled and checked the same way in every
 * command) and lists its own in a struct cli_opt table. A command is then:
 *
 *     struct cli cl;
 *     enum alm_status st = cli_start(&cl, &spec, own, argc, argv);
 *     if (st == ALM_OK)
 *         st = alm_something(cl.ds, ..., &cl.err);   (the library)
 *     if (st == ALM_OK)
 *         st = alm_something_write(..., &cl.out);     (the text)
 *     return cli_finish(&cl, st, &cl.out);
 *
 * with cli_parse(), the command's own checks, then cli_prepare() in the
 * place of cli_start() when it has options of its own to check before the
 * dataset is opened. */
enum cli_shared {
    CLI_DATASET = 1 << 0, /* -d DIR, --dataset DIR: cl->dir */
    CLI_OUTPUT = 1 << 1,  /* -o FILE, --output FILE: cl->output */
    CLI_AS_OF = 1 << 2,   /* --as-of DATE: cl->as_of */
    CLI_FORMAT = 1 << 3,  /* --format table|csv|json: cl->format */
    CLI_MODEL = 1 << 4,   /* --model M: cl->model */
    CLI_LEVEL = 1 << 5,   /* --level PCT: cl->level */
    CLI_TO = 1 << 6,      /* --to PERIOD: cl->to */
    /* The series pipeline (series.h), with CLI_OPEN: --transform CODE,
     * --frequency A|Q|M, --aggregate avg|sum|eop, --unit U. cl->ds is then the
     * dataset of the transformed series (alm_series_dataset) of the
     * picked ids (CLI_PICK), else of the indicator the first argument
     * names (show), else of every indicator; cl->source the one read. */
    CLI_TRANSFORM = 1 << 9,
    CLI_FREQUENCY = 1 << 10,
    CLI_AGGREGATE = 1 << 11,
    CLI_UNIT = 1 << 13, /* --unit U: another scale of the unit */
    CLI_SERIES = CLI_TRANSFORM | CLI_FREQUENCY | CLI_AGGREGATE | CLI_UNIT,
    /* Not options: what cli_prepare() does besides parsing values. */
    CLI_OPEN = 1 << 7, /* open the dataset of -d, resolve --as-of */
    CLI_PICK = 1 << 8, /* with CLI_OPEN: the arguments are indicator ids */
    /* With CLI_SERIES: the command works on targets (track), so series
     * options that would leave a target out are refused. */
    CLI_TARGETS = 1 << 12,
    /* What every command reading a dataset as of a date takes. */
    CLI_READ = CLI_DATASET | CLI_AS_OF | CLI_OPEN,
    /* fit and track: indicators picked by id, a model, a level, a table. */
    CLI_ANALYSIS =
        CLI_READ | CLI_PICK | CLI_OUTPUT | CLI_FORMAT | CLI_MODEL | CLI_LEVEL
};

/* A command's options and arguments, filled with designated initializers
 * (a field left out is 0: no shared option, no argument). */
struct cli_spec {
    const char *name;  /* the command, as typed */
    const char *usage; /* --help's text */
    unsigned shared;   /* enum cli_shared bits */
    struct {
        int min, max;     /* how many positional arguments; max -1: any */
        const char *what; /* for "expected one FILE"; with max 0, an
                             argument is "unexpected argument 'X'" */
    } args;
    /* With CLI_OUTPUT: the extensions -o may end in, comma-separated
     * (".csv, .txt"); any other extension is an error listing these. A
     * name without an extension, and "-", are always taken. NULL: those
     * of a table, CLI_TABLE_OUTPUTS; CLI_OUTPUTS_OWN: the command checks
     * -o itself (chart, report). */
    const char *outputs;
    /* With CLI_OPEN: the command shows the tables as they are, so
     * derived indicators stay formulas (indicator list); otherwise it
     * reads them computed (derive.h, alm_derive_dataset). */
    bool tables;
};

/* One option of a command's own: a value (text) or a flag. */
struct cli_opt {
    const char *name;  /* the long name, without "--" */
    const char **text; /* where its value goes; NULL for a flag */
    bool *flag;        /* for a flag: set to true when given */
};

/* The entries of a struct cli_opt table: --NAME VALUE into *where, --NAME
 * setting *where to true, and the end of the table. */
#define CLI_TEXT(name, where)                                                  \
    {                                                                          \
        (name), (where), NULL                                                  \
    }
#define CLI_FLAG(name, where)                                                  \
    {                                                                          \
        (name), NULL, (where)                                                  \
    }
#define CLI_END                                                                \
    {                                                                          \
        NULL, NULL, NULL                                                       \
    }

struct cli {
    const struct cli_spec *spec;
    struct alm_error err;
    struct alm_buf out; /* the command's text, for cli_finish() */
    int stop;           /* after --help or a usage error: the exit status */
    /* As typed (NULL when not given, except the defaults noted). */
    const char *dir, *output, *as_of_text, *to;
    const char *format_text; /* not given: cli_output_format() of -o */
    bool format_given;       /* --format was on the command line */
    const char *model_text, *level_text; /* auto, 95 */
    const char *transform_text, *frequency_text, *aggregate_text, *unit_text;
    char **args; /* the positional arguments */
    int nargs;
    /* Filled by cli_prepare(). */
    enum alm_format format;
    struct alm_model_spec model;
    double level;
    struct alm_dataset *ds;        /* with CLI_OPEN */
    struct alm_series_opts series; /* with CLI_SERIES */
    struct alm_dataset *source;    /* the dataset read, when ds is not it */
    long as_of;
    size_t *ids, nids; /* with CLI_PICK: every indicator when no ids */
};

/* Reads argv (argv[0] being the command name) into *cl: the shared options
 * of spec, the own options (a table ended by a NULL name; may be NULL),
 * -h/--help, and the positional arguments, counted against spec. Returns
 * ALM_OK, or ALM_EUSAGE after printing --help's text or a usage error:
 * the command stops, and cli_finish() returns the exit status. */
enum alm_status cli_parse(struct cli *cl, const struct cli_spec *spec,
                          const struct cli_opt *own, int argc, char **argv);

/* Checks -o against the spec's outputs, then parses the shared option
 * values cl's spec takes, in this order: --format, --model, --level; then, with
 * CLI_OPEN, opens the dataset and resolves
 * --as-of, and with CLI_PICK, the ids. Errors go to cl->err. */
enum alm_status cli_prepare(struct cli *cl);

/* cli_parse(), then cli_prepare(). */
enum alm_status cli_start(struct cli *cl, const struct cli_spec *spec,
                          const struct cli_opt *own, int argc, char **argv);

/* ALM_OK when path (-o) is NULL, "-", has no extension or one listed in
 * outputs (see struct cli_spec; NULL is CLI_TABLE_OUTPUTS), or outputs is
 * CLI_OUTPUTS_OWN; else an error naming the file and listing the
 * extensions. */
enum alm_status cli_check_output(const char *path, const char *outputs,
                                 struct alm_error *err);

/* The --format that -o FILE implies when --format is not given: "csv"
 * for .csv, "json" for .json, else "table" (standard output too). */
const char *cli_output_format(const char *path);

/* The extensions of the commands that print a table, of fit and track
 * (which also write .xlsx), and of export. */
#define CLI_TABLE_OUTPUTS    ".csv, .json, .txt"
#define CLI_ANALYSIS_OUTPUTS ".csv, .json, .txt, .xlsx"
#define CLI_EXPORT_OUTPUTS   ".csv, .json, .xlsx"
#define CLI_OUTPUTS_OWN      ""

/* Whether path (-o) ends in .xlsx, a workbook (xlsx.h). */
bool cli_output_xlsx(const char *path);

/* --model, --to, --level and --as-of as the projection options. */
struct alm_projection_opts cli_projection(const struct cli *cl);

/* Ends a command: when st is ALM_OK and out is not NULL, writes out to -o
 * (standard output without it); releases cl->out, the dataset and the
 * ids; reports a failure (an ALM_ENOMEM without a message as "out of
 * memory") and returns the exit status. */
int cli_finish(struct cli *cl, enum alm_status st, const struct alm_buf *out);

/* The commands. Each takes the arguments after the command name, with
 * argv[0] being the command name itself, and returns an exit status. */
int cmd_init(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_track(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_indicator(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_target(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_about(int argc, char **argv);
int cmd_correct(int argc, char **argv);
int cmd_retract(int argc, char **argv);

#endif
