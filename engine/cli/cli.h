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

/* Opens the dataset of -d dir (see cli_dataset_dir) and resolves
 * --as-of (as_of_text may be NULL: the latest vintage) into *as_of. */
enum alm_status cli_open(const char *dir, const char *as_of_text,
                         struct alm_dataset **ds, long *as_of,
                         struct alm_error *err);

/* Returns the dataset folder: dir if not NULL, else $ALMANAC_DATASET, else
 * ".". */
const char *cli_dataset_dir(const char *dir);

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

#endif
