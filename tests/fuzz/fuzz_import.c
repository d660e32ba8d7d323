/* Fuzzes the import path: a CSV file parsed as a table (alm_table_parse)
 * and validated against a dataset by alm_dataset_import with --dry-run,
 * which runs every check of a real import (columns, indicator ids, the
 * frequency inferred for new indicators, every row against the dataset)
 * and writes nothing. The dataset is a small fixed one, written once into
 * a private temporary folder. The input's length picks --kind and
 * --vintage, so that every option is exercised. Properties: a successful
 * dry run counts every row; the dataset's files never change. */
#include <stdio.h>
#include <unistd.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>

#include "dataset_input.h"

static char dir[64];
static size_t sizes[ALM_T_COUNT];

static void write_dataset(void)
{
    char tmpl[] = "/tmp/almanac-fuzz-import-XXXXXX";
    FUZZ_ASSERT(mkdtemp(tmpl) != NULL);
    snprintf(dir, sizeof dir, "%s", tmpl);
    for (int i = 0; i < ALM_T_COUNT; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, alm_table_files[i]);
        FILE *f = fopen(path, "wb");
        FUZZ_ASSERT(f != NULL);
        sizes[i] = strlen(fuzz_default_files[i]);
        FUZZ_ASSERT(fwrite(fuzz_default_files[i], 1, sizes[i], f) == sizes[i]);
        FUZZ_ASSERT(fclose(f) == 0);
    }
}

/* Removes the folder at exit, with its lock file. */
static void remove_dataset(void)
{
    char path[128];
    for (int i = 0; i < ALM_T_COUNT; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, alm_table_files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/.almanac.lock", dir);
    unlink(path);
    rmdir(dir);
}

static void unchanged(void)
{
    for (int i = 0; i < ALM_T_COUNT; i++) {
        char path[128], buf[1024];
        snprintf(path, sizeof path, "%s/%s", dir, alm_table_files[i]);
        FILE *f = fopen(path, "rb");
        FUZZ_ASSERT(f != NULL);
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        FUZZ_ASSERT(n == sizes[i] &&
                    memcmp(buf, fuzz_default_files[i], n) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {NULL,     "level", "count", "share",
                                        "growth", "index", "value", "bad"};
    static const char *const vintages[] = {NULL, "2024-03-18", "2024",
                                           "2024-13"};
    struct alm_table *t = NULL;
    struct alm_error err;
    alm_init();
    if (!dir[0]) {
        write_dataset();
        atexit(remove_dataset);
    }
    alm_error_clear(&err);
    if (alm_table_parse((const char *)data, size, "in.csv", &t, &err) != ALM_OK)
        return 0;
    struct alm_import_opts o = {.kind = kinds[size % 8],
                                .vintage = vintages[(size / 8) % 4],
                                .dry_run = true};
    struct alm_import_result res = {0};
    enum alm_status st = alm_dataset_import(dir, t, &o, &res, &err);
    if (st == ALM_OK)
        FUZZ_ASSERT(res.observations == t->nrows);
    else
        FUZZ_ASSERT(err.status != ALM_OK && err.msg[0]);
    FUZZ_ASSERT(st == ALM_OK || st == ALM_EINPUT);
    alm_table_free(t);
    unchanged();
    return 0;
}
