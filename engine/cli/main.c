/* almanac: the command table and the helpers every command shares. */
#include <errno.h>
#include <getopt.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <almanac/fsio.h>
#include <almanac/progress.h>
#include <almanac/store.h>
#include <almanac/version.h>

#include "cli.h"
/* usage_text, almanac --help, with the summary of every command: written
 * from man/almanac.1.txt and the summaries of the commands' pages. */
#include "usage/almanac.h"

/* The commands; each has its page, man/almanac-NAME.1.txt, which
 * almanac.1.txt's ".commands" line lists in this order. */
struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"init", cmd_init},           {"add", cmd_add},
    {"indicator", cmd_indicator}, {"source", cmd_source},
    {"target", cmd_target},       {"correct", cmd_correct},
    {"retract", cmd_retract},     {"log", cmd_log},
    {"about", cmd_about},         {"import", cmd_import},
    {"check", cmd_check},         {"list", cmd_list},
    {"show", cmd_show},           {"fit", cmd_fit},
    {"track", cmd_track},         {"backtest", cmd_backtest},
    {"chart", cmd_chart},         {"report", cmd_report},
    {"export", cmd_export},       {"regress", cmd_regress},
    {"extract", cmd_extract},
};

static void usage(FILE *out)
{
    fputs(usage_text, out);
}

int cli_exit(enum alm_status st, const struct alm_error *err)
{
    char line[1200];
    switch (st) {
    case ALM_OK:
        return EXIT_OK;
    case ALM_EUSAGE:
        alm_error_format(err, line, sizeof line);
        fprintf(stderr, "almanac: %s\n", line);
        return EXIT_USAGE;
    case ALM_EEXTERNAL:
        alm_error_format(err, line, sizeof line);
        fprintf(stderr, "almanac: %s\n", line);
        return EXIT_EXTERNAL;
    default:
        alm_error_format(err, line, sizeof line);
        fprintf(stderr, "almanac: %s\n", line);
        return EXIT_INPUT;
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "almanac %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'almanac %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", arg);
    if (optopt && strncmp(arg, "--", 2) != 0)
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

enum alm_status cli_write_output(const char *path, const struct alm_buf *text,
                                 struct alm_error *err)
{
    if (!path || strcmp(path, "-") == 0) {
        if ((text->len && fwrite(text->s, 1, text->len, stdout) != text->len) ||
            fflush(stdout) != 0)
            return alm_fail(err, ALM_EIO, "cannot write to standard output: %s",
                            strerror(errno));
        return ALM_OK;
    }
    return alm_fs_write_atomic(path, text->s ? text->s : "", text->len, err);
}

const char *cli_dataset_dir(const char *dir)
{
    if (dir)
        return dir;
    const char *env = getenv("ALMANAC_DATASET");
    return env && *env ? env : ".";
}

/* Shows progress on standard error, which is a terminal: one line
 * rewritten in place as the percentage changes, erased when the work
 * ends. */
static void show_progress(void *ctx, const char *what, size_t done,
                          size_t total)
{
    int *last = ctx;
    int pct = total ? (int)(100.0 * (double)done / (double)total) : 100;
    if (done >= total) {
        fputs("\r\033[K", stderr);
        *last = -1;
        return;
    }
    if (pct == *last)
        return;
    *last = pct;
    fprintf(stderr, "\r\033[Kalmanac: %s %d%%", what, pct);
    fflush(stderr);
}

/* Flushes and closes standard output: a write error (a full disk, a
 * closed pipe) is reported and fails the command, never lost. */
static int finish(int rc)
{
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad && rc == EXIT_OK) {
        fprintf(stderr, "almanac: cannot write to standard output: %s\n",
                strerror(e));
        rc = EXIT_INPUT;
    }
    return rc;
}

static int dispatch(int argc, char **argv);

/* The program's memory stays with it until it exits. A command on a
 * large dataset allocates and frees tables of tens to hundreds of MiB
 * (the text read, a table's cells, a stretch's rows); by default glibc maps
 * each from the kernel afresh, a zeroed page at a time, and unmaps it when
 * freed, so the next one faults its pages in again: at 3M observations
 * that made a third of import's time. Kept in the heap, freed memory is
 * reused. A command is one short process, so nothing is held for long. */
static void keep_memory(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

/* Interrupted or terminated, a command leaves no temporary output file
 * beside the one it was writing (a dataset's are the store's to recover),
 * then dies of the signal as it would have. */
static void on_signal(int sig)
{
    alm_fs_remove_temporaries();
    raise(sig); /* SA_RESETHAND: the default action now */
}

static void remove_temporaries_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction was;
        /* A signal the caller ignores (nohup, a background job) stays so. */
        if (sigaction(sigs[i], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    static int last_pct = -1;
    keep_memory();
    remove_temporaries_on_signals();
    alm_init();
    /* Progress only for a person watching: never into a pipe or a file. */
    if (isatty(STDERR_FILENO))
        alm_progress_set(show_progress, &last_pct);
    return finish(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        struct alm_buf b = ALM_BUF_INIT;
        enum alm_status st = alm_versions(&b);
        if (st == ALM_OK)
            printf("almanac %s\n%s", ALMANAC_VERSION, b.s);
        alm_buf_release(&b);
        return st == ALM_OK ? EXIT_OK : EXIT_INPUT;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "almanac: unknown command '%s'\nTry 'almanac --help'.\n",
            argv[1]);
    return EXIT_USAGE;
}
