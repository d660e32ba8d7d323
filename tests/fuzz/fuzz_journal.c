/* Fuzzes the journal reader of the store (store.c's recovery): the input
 * is written as .almanac-journal into a private temporary folder, beside
 * a pending .observations.csv.almanac-tmp, and alm_store_lock() finds it
 * and completes the commit it names, or refuses it as damaged.
 * Properties: only ALM_OK or ALM_EIO; recovery never touches a file
 * outside the folder (every name must be plain); after a successful
 * recovery no journal remains. The folder is emptied after each input. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/store.h>

#include "fuzz.h"

static char top[64], dir[80];

static void empty_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    FUZZ_ASSERT(d != NULL);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FUZZ_ASSERT(unlink(path) == 0);
    }
    closedir(d);
}

static void remove_dir(void)
{
    empty_dir();
    rmdir(dir);
    rmdir(top);
}

static void put(const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fwrite(data, 1, len, f) == len);
    FUZZ_ASSERT(fclose(f) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alm_lock *lock = NULL;
    struct alm_error err;
    char path[512];
    struct stat sb;
    alm_init();
    if (!dir[0]) {
        snprintf(top, sizeof top, "/tmp/almanac-fuzz-journal-XXXXXX");
        FUZZ_ASSERT(mkdtemp(top) != NULL);
        snprintf(dir, sizeof dir, "%s/ds", top);
        FUZZ_ASSERT(mkdir(dir, 0755) == 0);
        atexit(remove_dir);
    }
    put(".almanac-journal", data, size);
    put(".observations.csv.almanac-tmp", "new\n", 4);
    put("observations.csv", "old\n", 4);
    alm_error_clear(&err);
    enum alm_status st = alm_store_lock(dir, true, &lock, &err);
    FUZZ_ASSERT(st == ALM_OK || st == ALM_EIO);
    snprintf(path, sizeof path, "%s/.almanac-journal", dir);
    if (st == ALM_OK)
        FUZZ_ASSERT(stat(path, &sb) != 0);
    else
        FUZZ_ASSERT(err.msg[0]);
    alm_store_unlock(lock);
    /* Nothing may have escaped the folder: its parent holds only it. */
    DIR *d = opendir(top);
    struct dirent *e;
    size_t n = 0;
    FUZZ_ASSERT(d != NULL);
    while ((e = readdir(d)) != NULL)
        n++;
    closedir(d);
    FUZZ_ASSERT(n == 3); /* ".", ".." and "ds" */
    empty_dir();
    return 0;
}
