/* Tests of the store (store.h): the lock refuses what is not a dataset
 * folder, a commit replaces its files and leaves nothing behind, and the
 * next opener completes a commit a killed writer left after its commit
 * point or removes the debris of one killed before it. The folder states
 * of a killed writer are made by hand, as store.h's protocol describes
 * them; every expected content is written out in the test. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/store.h>

#include "../check.h"
#include "tmpdir.h"

static bool exists(const char *name)
{
    struct stat sb;
    return lstat(at(name), &sb) == 0;
}

/* The folder's entries other than the lock, joined by spaces in sorted
 * order (readdir's order is the file system's). */
static const char *listing(void)
{
    static char out[512];
    char names[16][256];
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < 16)
        if (e->d_name[0] != '.' ||
            (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
             strcmp(e->d_name, ".almanac.lock") != 0))
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    if (d)
        closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
        }
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, sizeof out - l, "%s%s", i ? " " : "", names[i]);
    }
    return out;
}

static void test_lock_refuses(void)
{
    struct alm_error err;
    struct alm_lock *lk = NULL;
    alm_error_clear(&err);
    CHECK(alm_store_lock(at("none"), false, &lk, &err) == ALM_EIO);
    CHECK(lk == NULL);
    CHECK(strncmp(err.msg, "cannot open dataset '", 21) == 0);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);

    put("plain", "x");
    alm_error_clear(&err);
    CHECK(alm_store_lock(at("plain"), false, &lk, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "plain' is not a folder") != NULL);
    unlink(at("plain"));

    /* A symbolic link planted at the lock's name is never followed. */
    CHECK(symlink("elsewhere", at(".almanac.lock")) == 0);
    alm_error_clear(&err);
    CHECK(alm_store_lock(dir, true, &lk, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, ".almanac.lock' is a symbolic link") != NULL);
    CHECK(!exists("elsewhere"));
    unlink(at(".almanac.lock"));
}

static void test_commit(void)
{
    struct alm_error err;
    struct alm_lock *lk = NULL;
    put("observations.csv", "old obs\n");
    put("sources.csv", "old src\n");
    /* A shared lock cannot commit. */
    CHECK(alm_store_lock(dir, false, &lk, NULL) == ALM_OK);
    struct alm_store_file f[2] = {
        {"observations.csv", "new obs\n", 8, NULL, NULL},
        {"targets.csv", "new tgt\n", 8, NULL, NULL}};
    alm_error_clear(&err);
    CHECK(alm_store_commit(lk, f, 2, &err) == ALM_EBUG);
    CHECK_STR(err.msg, "commit without the write lock");
    alm_store_unlock(lk);

    CHECK(alm_store_lock(dir, true, &lk, NULL) == ALM_OK);
    CHECK(alm_store_commit(lk, f, 2, NULL) == ALM_OK);
    CHECK_STR(slurp("observations.csv"), "new obs\n");
    CHECK_STR(slurp("targets.csv"), "new tgt\n");
    CHECK_STR(slurp("sources.csv"), "old src\n");
    /* No journal, no temporary file. */
    CHECK_STR(listing(), "observations.csv sources.csv targets.csv");

    /* A name that is not plain is refused before anything is written. */
    struct alm_store_file bad[2] = {{"sources.csv", "changed\n", 8, NULL, NULL},
                                    {"../escape.csv", "x", 1, NULL, NULL}};
    alm_error_clear(&err);
    CHECK(alm_store_commit(lk, bad, 2, &err) == ALM_EBUG);
    CHECK_STR(slurp("sources.csv"), "old src\n");
    CHECK_STR(listing(), "observations.csv sources.csv targets.csv");
    alm_store_unlock(lk);
    alm_store_unlock(NULL);
}

/* A fill writes the pieces it is given, in the order of files[], so that a
 * later fill sees what an earlier one wrote; a fill that fails after some
 * pieces changes nothing and leaves no temporary file. */
static size_t filled; /* bytes the fills wrote so far */

static enum alm_status fill_pieces(void *ctx, struct alm_fs_new *out,
                                   struct alm_error *err)
{
    const char *const *pieces = ctx;
    for (size_t i = 0; pieces[i]; i++) {
        if (strcmp(pieces[i], "FAIL") == 0)
            return alm_fail(err, ALM_EINPUT, "refused after %zu bytes", filled);
        enum alm_status st =
            alm_fs_new_write(out, pieces[i], strlen(pieces[i]), err);
        if (st != ALM_OK)
            return st;
        filled += strlen(pieces[i]);
    }
    return ALM_OK;
}

static void test_commit_fill(void)
{
    struct alm_lock *lk = NULL;
    struct alm_error err;
    put("observations.csv", "old obs\n");
    put("sources.csv", "old src\n");
    put("targets.csv", "old tgt\n");
    static const char *const obs[] = {"new ", "obs", "\n", NULL};
    static const char *const bad[] = {"half ", "FAIL", NULL};
    struct alm_store_file f[2] = {
        {.name = "observations.csv", .fill = fill_pieces, .ctx = (void *)obs},
        {.name = "sources.csv", .data = "new src\n", .len = 8}};
    CHECK(alm_store_lock(dir, true, &lk, NULL) == ALM_OK);
    filled = 0;
    CHECK(alm_store_commit(lk, f, 2, NULL) == ALM_OK);
    CHECK_STR(slurp("observations.csv"), "new obs\n");
    CHECK_STR(slurp("sources.csv"), "new src\n");
    /* The second fill fails once the first file is written whole. */
    struct alm_store_file g[3] = {
        {.name = "sources.csv", .data = "newer src\n", .len = 10},
        {.name = "observations.csv", .fill = fill_pieces, .ctx = (void *)obs},
        {.name = "targets.csv", .fill = fill_pieces, .ctx = (void *)bad}};
    filled = 0;
    alm_error_clear(&err);
    CHECK(alm_store_commit(lk, g, 3, &err) == ALM_EINPUT);
    CHECK_STR(err.msg, "refused after 13 bytes");
    CHECK_STR(slurp("observations.csv"), "new obs\n");
    CHECK_STR(slurp("sources.csv"), "new src\n");
    CHECK_STR(slurp("targets.csv"), "old tgt\n");
    CHECK_STR(listing(), "observations.csv sources.csv targets.csv");
    alm_store_unlock(lk);
}

/* A writer killed after its commit point: the journal names the files
 * whose temporary copies wait beside them. */
static void test_recover_committed(void)
{
    struct alm_lock *lk = NULL;
    put("observations.csv", "before\n");
    put("sources.csv", "before src\n");
    put(".observations.csv.almanac-tmp", "after\n");
    /* sources.csv was renamed before the kill: its copy is gone. */
    put(".almanac-journal", "almanac-journal 1\nobservations.csv\n"
                            "sources.csv\nend\n");
    /* A reader completes it too (it upgrades to the write lock). */
    CHECK(alm_store_lock(dir, false, &lk, NULL) == ALM_OK);
    CHECK_STR(slurp("observations.csv"), "after\n");
    CHECK_STR(slurp("sources.csv"), "before src\n");
    CHECK(!exists(".almanac-journal"));
    CHECK(!exists(".observations.csv.almanac-tmp"));
    alm_store_unlock(lk);
}

/* A writer killed before its commit point: its temporary files and its
 * half-written journal are debris, and the dataset stays as it was. */
static void test_recover_uncommitted(void)
{
    struct alm_lock *lk = NULL;
    put("indicators.csv", "kept\n");
    put(".indicators.csv.almanac-tmp", "half");
    put(".targets.csv.almanac-tmp", "half");
    put(".almanac-journal.tmp", "almanac-journal 1\nindi");
    CHECK(alm_store_lock(dir, true, &lk, NULL) == ALM_OK);
    CHECK_STR(slurp("indicators.csv"), "kept\n");
    CHECK(!exists(".indicators.csv.almanac-tmp"));
    CHECK(!exists(".targets.csv.almanac-tmp"));
    CHECK(!exists(".almanac-journal.tmp"));
    alm_store_unlock(lk);
}

/* A journal that is not whole, or names a file outside the folder, is
 * left for repair by hand: the lock fails and nothing is renamed. */
static void test_recover_damaged(void)
{
    struct alm_error err;
    struct alm_lock *lk = NULL;
    put("observations.csv", "before\n");
    put(".observations.csv.almanac-tmp", "after\n");
    put(".almanac-journal", "almanac-journal 1\nobservations.csv\n");
    alm_error_clear(&err);
    CHECK(alm_store_lock(dir, true, &lk, &err) == ALM_EIO);
    CHECK(lk == NULL);
    CHECK(strstr(err.msg, ".almanac-journal' is damaged: the dataset needs "
                          "repair by hand") != NULL);
    CHECK_STR(slurp("observations.csv"), "before\n");

    put(".almanac-journal", "almanac-journal 1\n../outside.csv\nend\n");
    alm_error_clear(&err);
    CHECK(alm_store_lock(dir, true, &lk, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "names a bad file") != NULL);
    CHECK_STR(slurp("observations.csv"), "before\n");

    /* A temporary "file" that is a link would become the dataset file. */
    unlink(at(".observations.csv.almanac-tmp"));
    CHECK(symlink("/etc/passwd", at(".observations.csv.almanac-tmp")) == 0);
    put(".almanac-journal", "almanac-journal 1\nobservations.csv\nend\n");
    alm_error_clear(&err);
    CHECK(alm_store_lock(dir, true, &lk, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "is not a regular file: the dataset needs repair "
                          "by hand") != NULL);
    CHECK_STR(slurp("observations.csv"), "before\n");
    unlink(at(".observations.csv.almanac-tmp"));
    unlink(at(".almanac-journal"));
}

static void clean(void)
{
    static const char *const names[] = {"observations.csv", "sources.csv",
                                        "targets.csv", "indicators.csv",
                                        ".almanac.lock"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(at(names[i]));
}

int main(void)
{
    alm_init();
    if (!tmpdir_make("store"))
        return 1;
    test_lock_refuses();
    test_commit();
    test_commit_fill();
    test_recover_committed();
    test_recover_uncommitted();
    test_recover_damaged();
    clean();
    CHECK_STR(listing(), "");
    rmdir(dir);
    return check_done();
}
