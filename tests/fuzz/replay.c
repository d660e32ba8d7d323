/* The replay driver: a main() for a fuzz harness in builds without
 * libFuzzer. It feeds every file named on the command line, and every
 * file under every folder named, to LLVMFuzzerTestOneInput() once, in
 * sorted order, so that ctest runs the saved corpus and every crash ever
 * found as a regression test (under ASan + UBSan in the asan build, under
 * valgrind in the memcheck build). A harness that breaks a property
 * aborts.
 *
 * Usage: replay CORPUS [FOLDER-OR-FILE...]. Every path named must exist,
 * and the first, the harness's corpus, must hold at least one input: a
 * missing or empty corpus (a renamed folder, a checkout without it) fails
 * the run instead of passing with nothing replayed. The others (crashes/,
 * kept with only a .gitkeep until a crash is found) may be empty. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <almanac/error.h>

#include "fuzz.h"

static size_t files;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open '%s': %s\n", path,
                strerror(errno));
        return 1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *more = realloc(data, cap * 2);
            if (!more) {
                free(data);
                data = NULL;
                break;
            }
            data = more;
            cap *= 2;
        }
    }
    fclose(f);
    if (!data) {
        fprintf(stderr, "replay: out of memory on '%s'\n", path);
        return 1;
    }
    /* libFuzzer hands the harness a buffer of exactly len bytes: copy it
     * so that ASan sees a read past the end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return 1;
    }
    memcpy(exact, data, len);
    free(data);
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    files++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path,
                strerror(errno));
        return 1;
    }
    if (!S_ISDIR(sb.st_mode))
        return run_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open the folder '%s': %s\n", path,
                strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and .gitkeep */
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **more = realloc(names, cap * sizeof *names);
            if (!more) {
                bad = 1;
                break;
            }
            names = more;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            bad = 1;
            break;
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (!bad)
            bad = run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0;
    alm_init();
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS [FOLDER-OR-FILE...]\n", argv[0]);
        return 2;
    }
    bad = run_path(argv[1]);
    if (!bad && files == 0) {
        fprintf(stderr, "replay: no inputs in the corpus '%s'\n", argv[1]);
        bad = 1;
    }
    for (int i = 2; i < argc && !bad; i++)
        bad = run_path(argv[i]);
    printf("replayed %zu inputs%s\n", files, bad ? ", with errors" : "");
    return bad;
}
