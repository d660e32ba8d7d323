/* Chart options and output planning: --type, --size, and which files a
 * run writes (alm_chart_plan), so that the command line only parses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <almanac/chart.h>

#include "internal.h"

static const char *const type_ext[] = {"png", "svg", "pdf", "txt"};

const char *alm_chart_type_ext(enum alm_chart_type type)
{
    return type_ext[type];
}

enum alm_status alm_chart_type_parse(const char *text, enum alm_chart_type *out,
                                     struct alm_error *err)
{
    for (size_t i = 0; i < sizeof type_ext / sizeof type_ext[0]; i++) {
        if (strcmp(text, type_ext[i]) == 0) {
            *out = (enum alm_chart_type)i;
            return ALM_OK;
        }
    }
    char q[80];
    alm_fail(err, ALM_EINPUT, "expected png, svg, pdf or txt, got '%s'",
             alm_error_quote(text, q, sizeof q));
    alm_error_locate(err, NULL, 0, "--type");
    return ALM_EINPUT;
}

bool alm_chart_type_of_path(const char *path, enum alm_chart_type *out)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return false;
    for (size_t i = 0; i < sizeof type_ext / sizeof type_ext[0]; i++) {
        const char *e = type_ext[i];
        size_t k = 0;
        while (e[k] && dot[k + 1] &&
               (dot[k + 1] == e[k] || dot[k + 1] == e[k] - 'a' + 'A'))
            k++;
        if (!e[k] && !dot[k + 1]) {
            *out = (enum alm_chart_type)i;
            return true;
        }
    }
    return false;
}

/* Parses a whole decimal number from 10 to ALM_CHART_SIZE_MAX at *s,
 * advancing *s past it. */
static bool parse_dim(const char **s, int *out)
{
    long v = 0;
    const char *p = *s;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > ALM_CHART_SIZE_MAX)
            return false;
        p++;
    }
    if (v < 10)
        return false;
    *out = (int)v;
    *s = p;
    return true;
}

enum alm_status alm_chart_size_parse(const char *text, int *width, int *height,
                                     struct alm_error *err)
{
    const char *p = text;
    int w = 0, h = 0;
    if (parse_dim(&p, &w) && (*p == 'x' || *p == 'X') && (p++, true) &&
        parse_dim(&p, &h) && !*p) {
        *width = w;
        *height = h;
        return ALM_OK;
    }
    char q[80];
    alm_fail(err, ALM_EINPUT,
             "expected WIDTHxHEIGHT with each from 10 to %d, got '%s'",
             ALM_CHART_SIZE_MAX, alm_error_quote(text, q, sizeof q));
    alm_error_locate(err, NULL, 0, "--size");
    return ALM_EINPUT;
}

/* ---- output planning ----------------------------------------------------- */

/* Whether path names a folder: ends with '/' or is one. */
static bool is_folder(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    return (n && path[n - 1] == '/') ||
           (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

static bool is_stdout(const char *output)
{
    return output && strcmp(output, "-") == 0;
}

enum alm_status alm_chart_plan_parse(const struct alm_chart_request *rq,
                                     struct alm_chart_plan *p,
                                     struct alm_error *err)
{
    p->rq = *rq;
    p->type = ALM_CHART_PNG;
    p->folder = rq->output && !is_stdout(rq->output) && is_folder(rq->output);
    enum alm_status st = ALM_OK;
    if (rq->type)
        st = alm_chart_type_parse(rq->type, &p->type, err);
    else if (p->folder)
        p->type = ALM_CHART_SVG;
    else if (is_stdout(rq->output))
        p->type = ALM_CHART_TEXT;
    else if (rq->output && !alm_chart_type_of_path(rq->output, &p->type)) {
        char q[300];
        st = alm_fail(err, ALM_EINPUT,
                      "cannot tell the format of '%s': name it .png, .svg, "
                      ".pdf or .txt, or give --type",
                      alm_error_quote(rq->output, q, sizeof q));
        alm_error_locate(err, NULL, 0, "--output");
    }
    if (st == ALM_OK && is_stdout(rq->output) && p->type != ALM_CHART_TEXT) {
        st = alm_fail(err, ALM_EINPUT,
                      "standard output takes text only: give a file for %s",
                      alm_chart_type_ext(p->type));
        alm_error_locate(err, NULL, 0, "--type");
    }
    if (st == ALM_OK && rq->size)
        st = alm_chart_size_parse(rq->size, &p->width, &p->height, err);
    return st;
}

/* The file name for a script-only run: the script's name with the
 * format's extension instead of its own. */
static char *sibling(const char *script, const char *ext)
{
    struct alm_buf b = ALM_BUF_INIT;
    const char *slash = strrchr(script, '/');
    const char *dot = strrchr(script, '.');
    size_t len = dot && (!slash || dot > slash + 1) ? (size_t)(dot - script)
                                                    : strlen(script);
    alm_buf_add(&b, script, len);
    alm_buf_printf(&b, ".%s", ext);
    return alm_buf_detach(&b);
}

/* One chart per indicator, FOLDER/ID.EXT; the folder is made if missing. */
static enum alm_status plan_folder(struct alm_chart_plan *p,
                                   const struct alm_dataset *ds,
                                   const size_t *ids, size_t nids,
                                   struct alm_error *err)
{
    const char *output = p->rq.output;
    if (mkdir(output, 0777) != 0 && errno != EEXIST) {
        char q[300];
        return alm_fail(err, ALM_EIO, "cannot create the folder '%s': %s",
                        alm_error_quote(output, q, sizeof q), strerror(errno));
    }
    size_t n = strlen(output);
    for (size_t i = 0; i < nids; i++) {
        struct alm_buf b = ALM_BUF_INIT;
        alm_buf_printf(&b, "%s%s%s.%s", output, output[n - 1] == '/' ? "" : "/",
                       ds->ind[ids[i]].id, alm_chart_type_ext(p->type));
        p->paths[p->npaths] = alm_buf_detach(&b);
        if (!p->paths[p->npaths])
            return alm_fail(err, ALM_ENOMEM,
                            "out of memory naming the chart of '%s'",
                            ds->ind[ids[i]].id);
        p->charts[i] = (struct alm_chart){.ind = &ids[i],
                                          .nind = 1,
                                          .output = p->paths[p->npaths++],
                                          .type = p->type,
                                          .width = p->width,
                                          .height = p->height};
    }
    p->n = nids;
    return ALM_OK;
}

/* One figure with a panel per indicator. */
static enum alm_status plan_figure(struct alm_chart_plan *p, const size_t *ids,
                                   size_t nids, struct alm_error *err)
{
    const char *path = p->rq.output;
    int width = p->width, height = p->height;
    if (is_stdout(path)) {
        path = NULL;
        if (!p->rq.size) {
            width =
                p->rq.term_width > 0 ? p->rq.term_width : ALM_CHART_TEXT_WIDTH;
            height = (p->rq.term_height > 0 ? p->rq.term_height
                                            : ALM_CHART_TEXT_HEIGHT) *
                     (int)nids;
        }
    } else if (!path) {
        p->paths[0] = sibling(p->rq.script, alm_chart_type_ext(p->type));
        if (!p->paths[0])
            return alm_fail(err, ALM_ENOMEM,
                            "out of memory naming the chart of --script");
        path = p->paths[p->npaths++];
    }
    p->charts[0] = (struct alm_chart){.ind = ids,
                                      .nind = nids,
                                      .output = path,
                                      .type = p->type,
                                      .width = width,
                                      .height = height};
    p->n = 1;
    return ALM_OK;
}

enum alm_status alm_chart_plan(struct alm_chart_plan *p,
                               const struct alm_dataset *ds, const size_t *ids,
                               size_t nids, struct alm_error *err)
{
    if (nids == 0)
        return alm_fail(err, ALM_EINPUT, "the dataset has no indicators");
    p->charts = calloc(nids, sizeof *p->charts);
    p->paths = calloc(nids, sizeof *p->paths);
    if (!p->charts || !p->paths)
        return alm_fail(err, ALM_ENOMEM, "out of memory planning %zu charts",
                        nids);
    if (p->folder)
        return plan_folder(p, ds, ids, nids, err);
    return plan_figure(p, ids, nids, err);
}

void alm_chart_plan_release(struct alm_chart_plan *p)
{
    for (size_t i = 0; p->paths && i < p->npaths; i++)
        free(p->paths[i]);
    free(p->paths);
    free(p->charts);
    memset(p, 0, sizeof *p);
}
