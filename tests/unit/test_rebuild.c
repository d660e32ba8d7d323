/* The shipped dataset rebuilt by commands alone (issue 13): a generator
 * reads every table of datasets/china-2024 and, row by row, runs the
 * almanac given as argv[1] (init, indicator add, source add, add, target
 * add; no shell, so no quoting) with each field of the row as an option;
 * then each of the four rebuilt files must equal the shipped one byte for
 * byte. The expected bytes are the shipped files, written by people and
 * reviewed, not by the code under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/fsio.h>

#include "../check.h"

/* The work folder, made under $TMPDIR (or /tmp), and a file in it. */
static char dir[64];

static bool tmpdir_make(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/almrebuild-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) != NULL;
}

/* "dir/name", in one of four buffers used in turn. */
static const char *at(const char *name)
{
    static char path[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

#define SHIPPED ALMANAC_SOURCE_DIR "/datasets/china-2024"

static const char *bin;

/* Runs bin with args (NULL-ended); returns its exit status, -1 if it
 * could not run or died. Its standard output goes to /dev/null. */
static int run(char *const *args)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execv(bin, args);
        _exit(127);
    }
    int ws;
    if (pid < 0 || waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws))
        return -1;
    return WEXITSTATUS(ws);
}

/* Issues one command per row of the shipped table file: argv is bin, the
 * words of cmd (up to 2), -d DIR, then "--OPT VALUE" for every column of
 * the row (opts[j] the option of column j, NULL to use the column's own
 * name); rows whose command fails are counted in *failed. */
static void replay(const char *file, const char *cmd1, const char *cmd2,
                   const char *const *rename, size_t *rows, size_t *failed)
{
    char path[512];
    struct alm_table *t = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    snprintf(path, sizeof path, "%s/%s", SHIPPED, file);
    CHECK(alm_table_read(path, &t, &err) == ALM_OK);
    if (!t)
        return;
    char *args[8 + 2 * 16];
    char opts[16][64];
    CHECK(t->ncols <= 16);
    for (size_t i = 0; i < t->nrows; i++) {
        size_t n = 0;
        args[n++] = (char *)bin;
        args[n++] = (char *)cmd1;
        if (cmd2)
            args[n++] = (char *)cmd2;
        args[n++] = (char *)"-d";
        args[n++] = (char *)at("ds");
        for (size_t j = 0; j < t->ncols && j < 16; j++) {
            const char *name = t->header[j];
            for (size_t k = 0; rename && rename[k]; k += 2)
                if (strcmp(rename[k], name) == 0)
                    name = rename[k + 1];
            snprintf(opts[j], sizeof opts[j], "--%s", name);
            args[n++] = opts[j];
            args[n++] = (char *)alm_table_cell(t, i, (long)j);
        }
        args[n] = NULL;
        (*rows)++;
        if (run(args) != 0) {
            (*failed)++;
            fprintf(stderr, "%s: row %zu: the command failed\n", file, i + 1);
        }
    }
    alm_table_free(t);
}

/* True when the files at a and b hold the same bytes. */
static bool same_file(const char *a, const char *b)
{
    struct alm_buf x = ALM_BUF_INIT, y = ALM_BUF_INIT;
    struct alm_error err;
    alm_error_clear(&err);
    bool same = alm_file_read(a, 1 << 24, &x, &err) == ALM_OK &&
                alm_file_read(b, 1 << 24, &y, &err) == ALM_OK &&
                x.len == y.len && (x.len == 0 || memcmp(x.s, y.s, x.len) == 0);
    alm_buf_release(&x);
    alm_buf_release(&y);
    return same;
}

int main(int argc, char **argv)
{
    /* observations.csv's indicator column is add's --indicator already;
     * indicators and sources are keyed by --id, as their columns. */
    static const char *const none[] = {NULL};
    /* An option is spelled with '-' where its column has '_'. */
    static const char *const indicator_opts[] = {"same_as", "same-as", NULL};
    size_t rows = 0, failed = 0;
    if (argc != 2 || !tmpdir_make()) {
        fprintf(stderr, "usage: test_rebuild ALMANAC\n");
        return 1;
    }
    bin = argv[1];
    char *init[] = {(char *)bin, (char *)"init", (char *)at("ds"), NULL};
    CHECK(run(init) == 0);
    /* In the order references need: what observations and targets name
     * first. */
    replay("indicators.csv", "indicator", "add", indicator_opts, &rows,
           &failed);
    replay("sources.csv", "source", "add", none, &rows, &failed);
    replay("observations.csv", "add", NULL, none, &rows, &failed);
    replay("targets.csv", "target", "add", none, &rows, &failed);
    /* 17 indicators, 59 sources, 60 observations, 4 targets (wc -l of
     * the shipped files less their headers). */
    CHECK(rows == 17 + 59 + 60 + 4);
    CHECK(failed == 0);
    for (int i = 0; i < ALM_T_COUNT; i++) {
        char shipped[512];
        snprintf(shipped, sizeof shipped, "%s/%s", SHIPPED, alm_table_files[i]);
        char rebuilt[300];
        snprintf(rebuilt, sizeof rebuilt, "ds/%s", alm_table_files[i]);
        CHECK_AT(same_file(shipped, at(rebuilt)),
                 "%s rebuilt by commands differs from the shipped file "
                 "(diff %s %s)",
                 alm_table_files[i], shipped, at(rebuilt));
    }
    if (check_failed)
        return check_done(); /* the folder stays, for the diff above */
    for (int i = 0; i < ALM_T_COUNT; i++) {
        char name[300];
        snprintf(name, sizeof name, "ds/%s", alm_table_files[i]);
        unlink(at(name));
    }
    unlink(at("ds/.almanac.lock"));
    unlink(at("ds/changes.log"));
    rmdir(at("ds"));
    rmdir(dir);
    return check_done();
}
