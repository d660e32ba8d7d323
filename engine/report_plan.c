/* Report output planning: the format from -o's name and the Markdown
 * charts folder beside it (see report.h). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/report.h>

#include "internal.h"

enum alm_status alm_report_format_from_path(const char *path,
                                            enum alm_report_format *out,
                                            struct alm_error *err)
{
    static const struct {
        const char *ext;
        enum alm_report_format f;
    } exts[] = {{".html", ALM_REPORT_HTML},
                {".htm", ALM_REPORT_HTML},
                {".md", ALM_REPORT_MD},
                {".txt", ALM_REPORT_TXT}};
    size_t n = strlen(path);
    if (strcmp(path, "-") == 0) {
        *out = ALM_REPORT_TXT;
        return ALM_OK;
    }
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t k = strlen(exts[i].ext);
        if (n > k && strcmp(path + n - k, exts[i].ext) == 0) {
            *out = exts[i].f;
            return ALM_OK;
        }
    }
    char q[300];
    alm_fail(err, ALM_EINPUT,
             "cannot tell the report format of '%s': name it .html, .md or "
             ".txt",
             alm_error_quote(path, q, sizeof q));
    alm_error_locate(err, NULL, 0, "-o");
    return ALM_EINPUT;
}

enum alm_status alm_report_plan(const char *output, struct alm_report_opts *o,
                                struct alm_report_plan *p,
                                struct alm_error *err)
{
    if (o->format != ALM_REPORT_MD || !o->charts)
        return ALM_OK;
    /* report.md -> report_files/ beside it, referred to relatively. */
    const char *dot = strrchr(output, '.');
    const char *slash = strrchr(output, '/');
    struct alm_buf files = ALM_BUF_INIT;
    alm_buf_add(&files, output, (size_t)(dot - output));
    alm_buf_puts(&files, "_files");
    p->files = alm_buf_detach(&files);
    p->href = p->files
                  ? alm__strdup(p->files + (slash ? slash - output + 1 : 0))
                  : NULL;
    if (!p->files || !p->href) {
        char q[300];
        return alm_fail(err, ALM_ENOMEM,
                        "out of memory naming the charts folder of '%s'",
                        alm_error_quote(output, q, sizeof q));
    }
    if (mkdir(p->files, 0755) == 0)
        p->created = true;
    else if (errno != EEXIST)
        return alm_fail(err, ALM_EIO, "cannot create '%s': %s", p->files,
                        strerror(errno));
    o->charts_dir = p->files;
    o->charts_href = p->href;
    return ALM_OK;
}

/* Removes the folder dir with the files in it. */
static void remove_folder(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct alm_buf path = ALM_BUF_INIT;
        alm_buf_printf(&path, "%s/%s", dir, e->d_name);
        if (alm_buf_status(&path) == ALM_OK)
            unlink(path.s);
        alm_buf_release(&path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

void alm_report_plan_finish(struct alm_report_plan *p, enum alm_status st)
{
    if (st != ALM_OK && p->created)
        remove_folder(p->files);
    free(p->files);
    free(p->href);
    *p = (struct alm_report_plan)ALM_REPORT_PLAN_INIT;
}
