/* Datasets: the change log, changes.log beside the four tables. Every
 * write appends one line, in the same atomic commit as the tables:
 *
 *     WHEN<TAB>WHAT<TAB>ROWS<TAB>indicators.csv:SHA256 observations.csv:...
 *
 * WHEN the UTC time of the write (YYYY-MM-DDTHH:MM:SSZ), WHAT the command
 * ("add", "indicator set", "import in.csv"), ROWS how many rows it wrote,
 * then the SHA-256 of each of the four files after it, and of about.csv
 * when the dataset has one. check compares the files with the last line's
 * digests: a file whose digest differs was edited by hand since, even
 * within the same second. A dataset without the log (never written by a
 * command since init, or from a tarball) is not checked: there is nothing
 * to compare with, and its first write starts the log. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <almanac/dataset.h>
#include <almanac/fsio.h>
#include <almanac/sha256.h>
#include <almanac/store.h>

#include "dataset_internal.h"
#include "internal.h"

const char *const alm_log_file = "changes.log";

/* The longest log read: 64 MiB (a million writes). */
#define LOG_MAX (64L * 1024 * 1024)

/* Reads dir's file name into b; a missing file is empty. */
static enum alm_status read_file(const char *dir, const char *name,
                                 struct alm_buf *b, bool *present,
                                 struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    struct alm_error e;
    alm_error_clear(&e);
    *present = false;
    if (alm_buf_printf(&path, "%s/%s", dir, name) != ALM_OK)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    FILE *f = fopen(path.s, "rb");
    enum alm_status st = ALM_OK;
    if (f) {
        fclose(f);
        *present = true;
        st = alm_file_read_regular(path.s, LOG_MAX, b, err);
    }
    alm_buf_release(&path);
    return st;
}

enum alm_status alm__log_append(const struct alm_dataset *ds, const char *what,
                                size_t rows, const struct alm_store_file *files,
                                const char (*hex_of)[65], size_t n,
                                struct alm_buf *log, struct alm_error *err)
{
    bool present;
    enum alm_status st = read_file(ds->dir, alm_log_file, log, &present, err);
    if (st != ALM_OK)
        return st;
    if (log->len && log->s[log->len - 1] != '\n')
        alm_buf_putc(log, '\n');
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    alm_buf_printf(log, "%s\t", when);
    for (const char *p = what; *p; p++) /* one line, one field */
        alm_buf_putc(log, (unsigned char)*p < 0x20 ? '?' : *p);
    alm_buf_printf(log, "\t%zu\t", rows);
    for (int i = 0; i < ALM_T_COUNT && st == ALM_OK; i++) {
        char hex[65];
        const struct alm_store_file *f = NULL;
        size_t fk = 0;
        for (size_t k = 0; k < n; k++)
            if (strcmp(files[k].name, alm_table_files[i]) == 0) {
                f = &files[k];
                fk = k;
            }
        if (f && hex_of) {
            memcpy(hex, hex_of[fk], sizeof hex);
        } else if (f) {
            alm_sha256_hex(f->data ? f->data : "", f->len, hex);
        } else {
            struct alm_buf b = ALM_BUF_INIT;
            st = read_file(ds->dir, alm_table_files[i], &b, &present, err);
            alm_sha256_hex(b.s ? b.s : "", b.len, hex);
            alm_buf_release(&b);
        }
        alm_buf_printf(log, "%s%s:%s", i ? " " : "", alm_table_files[i], hex);
    }
    /* about.csv too, when the write or the folder has it. */
    const struct alm_store_file *af = NULL;
    for (size_t k = 0; k < n; k++)
        if (strcmp(files[k].name, alm_about_file) == 0)
            af = &files[k];
    struct alm_buf about = ALM_BUF_INIT;
    present = af != NULL;
    if (!af && st == ALM_OK)
        st = read_file(ds->dir, alm_about_file, &about, &present, err);
    if (st == ALM_OK && present) {
        char hex[65];
        alm_sha256_hex(af        ? (af->data ? af->data : "")
                       : about.s ? about.s
                                 : "",
                       af ? af->len : about.len, hex);
        alm_buf_printf(log, " %s:%s", alm_about_file, hex);
    }
    alm_buf_release(&about);
    alm_buf_putc(log, '\n');
    if (st == ALM_OK && alm_buf_status(log) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    return st;
}

void alm__log_verify(const struct alm_dataset *ds,
                     const struct alm_problem_sink *report)
{
    struct alm_buf log = ALM_BUF_INIT;
    struct alm_error e;
    bool present;
    alm_error_clear(&e);
    if (read_file(ds->dir, alm_log_file, &log, &present, &e) != ALM_OK ||
        !present || log.len == 0) {
        alm_buf_release(&log);
        return;
    }
    /* The last line: from after the last newline but the final one. */
    size_t end = log.len;
    while (end > 0 && log.s[end - 1] == '\n')
        end--;
    size_t start = end;
    while (start > 0 && log.s[start - 1] != '\n')
        start--;
    log.s[end] = '\0';
    const char *line = log.s + start;
    const char *tab3 = line;
    for (int k = 0; k < 3 && tab3; k++)
        tab3 = strchr(tab3 + (k > 0), '\t');
    if (!tab3 || !strstr(tab3, "observations.csv:")) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", ds->dir, alm_log_file);
        alm_error_clear(&e);
        e.status = ALM_EINPUT;
        snprintf(e.msg, sizeof e.msg,
                 "its last line is not a write's (time, command, rows, "
                 "digests): the files cannot be checked against it");
        alm_error_locate(&e, path, 0, NULL);
        report->fn(report->ctx, &e, true);
    }
    for (int i = 0; tab3 && i <= ALM_T_COUNT; i++) {
        char want[300], hex[65];
        const char *file =
            i < ALM_T_COUNT ? alm_table_files[i] : alm_about_file;
        snprintf(want, sizeof want, "%s:", file);
        const char *at = strstr(tab3, want);
        if (!at)
            continue;
        struct alm_buf b = ALM_BUF_INIT;
        if (read_file(ds->dir, file, &b, &present, &e) == ALM_OK) {
            alm_sha256_hex(b.s ? b.s : "", b.len, hex);
            if (strncmp(at + strlen(want), hex, 64) != 0) {
                char path[600], when[32] = "";
                snprintf(path, sizeof path, "%s/%s", ds->dir, file);
                sscanf(line, "%31[^\t]", when);
                alm_error_clear(&e);
                e.status = ALM_EINPUT;
                snprintf(e.msg, sizeof e.msg,
                         "edited by hand since the last write (%s in %s): "
                         "its SHA-256 is not the one recorded then",
                         when, alm_log_file);
                alm_error_locate(&e, path, 0, NULL);
                report->fn(report->ctx, &e, true);
            }
        }
        alm_buf_release(&b);
    }
    alm_buf_release(&log);
}

enum alm_status alm_dataset_log(const char *dir, struct alm_buf *out,
                                struct alm_error *err)
{
    bool present;
    struct alm_lock *lock = NULL;
    enum alm_status st = alm_store_lock(dir, false, &lock, err);
    if (st == ALM_OK)
        st = read_file(dir, alm_log_file, out, &present, err);
    alm_store_unlock(lock);
    return st;
}
