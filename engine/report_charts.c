/* The charts of a report (report_internal.h): drawn by one gnuplot
 * process, SVG into a private temporary folder and inlined for HTML, PNG
 * into the charts folder for Markdown. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>

#include "internal.h"
#include "report_internal.h"

/* Rewrites gnuplot's SVG for inlining in a page that holds many: drops the
 * XML prolog and doctype, and gives every id (and every reference to one)
 * the prefix "cK-" so that the charts' ids do not collide. */
static char *inline_svg(const char *svg, size_t k)
{
    struct alm_buf b = ALM_BUF_INIT;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%zu-", k);
    const char *p = strstr(svg, "<svg");
    if (!p)
        return NULL;
    while (*p) {
        static const char *const keys[] = {"id=\"", "href=\"#", "url(#"};
        size_t matched = 0;
        for (size_t i = 0; i < 3 && !matched; i++)
            if (strncmp(p, keys[i], strlen(keys[i])) == 0)
                matched = strlen(keys[i]);
        if (matched) {
            alm_buf_add(&b, p, matched);
            alm_buf_puts(&b, prefix);
            p += matched;
        } else {
            alm_buf_putc(&b, *p);
            p++;
        }
    }
    return alm_buf_detach(&b); /* NULL when an append failed */
}

#define REPORT_TMP_PREFIX "almanac-report-"

/* Removes the temporary folders (/tmp/almanac-report-PID-XXXXXX) of HTML
 * reports whose process is gone: killed while gnuplot drew. Only a
 * folder the user owns, holding only files, is emptied and removed. */
static void sweep_report_debris(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *e;
    size_t pl = strlen(REPORT_TMP_PREFIX);
    while (d && (e = readdir(d)) != NULL) {
        char *end;
        if (strncmp(e->d_name, REPORT_TMP_PREFIX, pl) != 0)
            continue;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 ||
            errno != ESRCH)
            continue;
        char path[512];
        struct stat sb;
        snprintf(path, sizeof path, "/tmp/%s", e->d_name);
        if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
            sb.st_uid != geteuid())
            continue;
        DIR *sub = opendir(path);
        struct dirent *f;
        while (sub && (f = readdir(sub)) != NULL) {
            char file[1024];
            if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
                continue;
            snprintf(file, sizeof file, "%s/%s", path, f->d_name);
            unlink(file);
        }
        if (sub)
            closedir(sub);
        rmdir(path);
    }
    if (d)
        closedir(d);
}

/* The charts of one report: one per indicator that has figures. */
struct rcharts {
    struct alm_chart *charts;
    size_t *ind;
    char **paths;
    size_t n;
    struct alm_chart_opts co;
};

/* Plans a chart per indicator with figures, into dir. */
static enum alm_status plan(const struct facts *f, const char *dir, bool html,
                            struct rcharts *c, struct alm_error *err)
{
    size_t m = f->ds->nind ? f->ds->nind : 1;
    c->charts = calloc(m, sizeof *c->charts);
    c->ind = calloc(m, sizeof *c->ind);
    c->paths = calloc(m, sizeof *c->paths);
    if (!c->charts || !c->ind || !c->paths)
        return alm_fail(err, ALM_ENOMEM, "out of memory planning the charts");
    for (size_t k = 0; k < f->ds->nind; k++) {
        if (f->proj[k].n == 0)
            continue;
        struct alm_buf path = ALM_BUF_INIT;
        alm_buf_printf(&path, "%s/%s.%s", dir, f->ds->ind[k].id,
                       html ? "svg" : "png");
        char *s = alm_buf_detach(&path);
        if (!s)
            return alm_fail(err, ALM_ENOMEM,
                            "out of memory naming the chart of '%s'",
                            f->ds->ind[k].id);
        c->ind[c->n] = k;
        c->paths[c->n] = s;
        c->charts[c->n] =
            (struct alm_chart){.ind = &c->ind[c->n],
                               .nind = 1,
                               .output = s,
                               .type = html ? ALM_CHART_SVG : ALM_CHART_PNG};
        c->n++;
    }
    return ALM_OK;
}

/* gnuplot failed on the batch: one chart that cannot be drawn must not
 * lose the report. Each is drawn alone; one that fails gets a note saying
 * why in its place. */
static enum alm_status draw_alone(struct facts *f, const struct rcharts *c,
                                  struct alm_error *err)
{
    f->unchartable = calloc(f->ds->nind, sizeof *f->unchartable);
    if (!f->unchartable)
        return alm_fail(err, ALM_ENOMEM, "out of memory drawing the charts");
    for (size_t i = 0; i < c->n; i++) {
        struct alm_error e;
        alm_error_clear(&e);
        enum alm_status r =
            alm_chart_render(f->ds, &c->charts[i], 1, &c->co, &e);
        if (r == ALM_ENOMEM) {
            *err = e;
            return r;
        }
        if (r != ALM_OK && !(f->unchartable[c->ind[i]] = alm__strdup(e.msg)))
            return alm_fail(err, ALM_ENOMEM,
                            "out of memory drawing the charts");
    }
    alm_error_clear(err);
    return ALM_OK;
}

/* Reads the SVG charts back, for inlining. */
static enum alm_status read_svgs(struct facts *f, const struct rcharts *c,
                                 struct alm_error *err)
{
    f->svg = calloc(f->ds->nind, sizeof *f->svg);
    if (!f->svg)
        return alm_fail(err, ALM_ENOMEM, "out of memory reading the charts");
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < c->n && st == ALM_OK; i++) {
        size_t k = c->ind[i];
        struct alm_buf svg = ALM_BUF_INIT;
        if (f->unchartable && f->unchartable[k])
            continue;
        st = alm_file_read(c->paths[i], ALM_CSV_FILE_MAX, &svg, err);
        if (st == ALM_OK && !(f->svg[k] = inline_svg(svg.s, k)))
            st = alm_fail(err, ALM_EEXTERNAL, "gnuplot wrote no SVG for '%s'",
                          f->ds->ind[k].id);
        alm_buf_release(&svg);
    }
    return st;
}

enum alm_status alm__report_charts(struct facts *f, struct alm_error *err)
{
    const struct alm_report_opts *o = f->o;
    bool html = o->format == ALM_REPORT_HTML;
    /* The process id in the name lets a later report remove the folder of
     * one that was killed (sweep_report_debris). */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/" REPORT_TMP_PREFIX "%ld-XXXXXX",
             (long)getpid());
    struct rcharts c = {.co = {.proj = {.model = o->model,
                                        .to = o->to,
                                        .level = o->level,
                                        .as_of = o->as_of}}};
    enum alm_status st = ALM_OK;
    if (html) {
        sweep_report_debris();
        if (!mkdtemp(tmp))
            st = alm_fail(err, ALM_EIO, "cannot create a temporary folder: %s",
                          strerror(errno));
    }
    if (st == ALM_OK)
        st = plan(f, html ? tmp : o->charts_dir, html, &c, err);
    if (st == ALM_OK && c.n)
        st = alm_chart_render(f->ds, c.charts, c.n, &c.co, err);
    /* Without gnuplot at all, the report fails. */
    if (st == ALM_EEXTERNAL && err &&
        strncmp(err->msg, "gnuplot failed", 14) == 0 && c.n > 0)
        st = draw_alone(f, &c, err);
    if (st == ALM_OK && html)
        st = read_svgs(f, &c, err);
    for (size_t i = 0; i < c.n; i++) {
        if (html)
            unlink(c.paths[i]);
        free(c.paths[i]);
    }
    if (html && tmp[strlen(tmp) - 1] != 'X')
        rmdir(tmp);
    free(c.paths);
    free(c.ind);
    free(c.charts);
    return st;
}
