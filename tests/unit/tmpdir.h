/* A private temporary folder for tests that make files (test_fsio,
 * test_store): tmpdir_make() creates it under $TMPDIR (or /tmp), at()
 * names a file in it, put() and slurp() write and read small files. */
#ifndef ALMANAC_TESTS_TMPDIR_H
#define ALMANAC_TESTS_TMPDIR_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static char dir[64];

/* Creates the folder, named after what (a short word); false on failure. */
static bool tmpdir_make(const char *what)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/alm%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
             what);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return false;
    }
    return true;
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

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The contents of name (at most 255 bytes), "" when it cannot be read. */
static const char *slurp(const char *name)
{
    static char text[256];
    text[0] = '\0';
    FILE *f = fopen(at(name), "rb");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    return text;
}

#endif
