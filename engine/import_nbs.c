/* Import of the National Bureau of Statistics of China's CSV exports
 * (data.stats.gov.cn): GBK (read as GB18030, its superset) converted with
 * iconv, or UTF-8; two preamble lines, a header of periods (指标,2022年,...)
 * or of indicators (时间,<indicator>,...), the data, then note and source
 * lines that are skipped. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>

#include "import_internal.h"
#include "internal.h"

enum alm_status alm__imp_gbk_to_utf8(const char *data, size_t len,
                                     struct alm_buf *out, struct alm_error *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return alm_fail(err, ALM_EIO,
                        "iconv cannot convert GB18030 on this system");
    char *in = (char *)data; /* iconv's signature; it does not write */
    size_t inleft = len;
    enum alm_status st = ALM_OK;
    alm_buf_reset(out);
    while (inleft > 0 && st == ALM_OK) {
        char chunk[4096];
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        if (alm_buf_add(out, chunk, sizeof chunk - oleft) != ALM_OK)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        else if (rc == (size_t)-1 && errno != E2BIG)
            st = alm_fail(err, ALM_EINPUT, "neither UTF-8 nor GBK (byte %zu)",
                          len - inleft);
    }
    iconv_close(cd);
    if (st == ALM_OK && !out->s)
        st = alm_buf_puts(out, "");
    return st;
}

struct nbs {
    struct imp *im;
    bool header_done, footer;
    bool by_period; /* 指标: a row per indicator, a column per period */
    size_t ncols;
    char **head;
    long *colser;
};

static enum alm_status nbs_fail(struct nbs *c, long line, const char *msg)
{
    alm_fail(c->im->err, ALM_EINPUT, "%s", msg);
    alm_error_locate(c->im->err, c->im->name, line, NULL);
    return ALM_EINPUT;
}

/* Registers the indicator named name: its id is "nbs." and a hash of the
 * name (NBS exports carry no codes, and Chinese names have no letters an
 * id may hold); its unit is what the name holds in parentheses. */
static long nbs_series(struct nbs *c, const char *name, long line)
{
    char hex[24], unit[200];
    unit[0] = '\0';
    const char *open = strrchr(name, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close) {
        size_t n = (size_t)(close - open - 1);
        if (n >= sizeof unit)
            n = sizeof unit - 1;
        memcpy(unit, open + 1, n);
        unit[n] = '\0';
    }
    snprintf(
        hex, sizeof hex, "%012llx",
        (unsigned long long)(alm__imp_hash(ALM_IMP_HASH0, name, strlen(name)) &
                             UINT64_C(0xffffffffffff)));
    const char *parts[] = {"nbs", hex};
    return alm__imp_series(c->im, parts, 2, false, name, unit, 0, line);
}

static bool empty_from(char **f, size_t n, size_t from)
{
    for (size_t j = from; j < n; j++)
        if (f[j][0])
            return false;
    return true;
}

/* Reads the header line (first field 指标: one row per series, else one
 * row per period): its names, and the series of its columns. */
static enum alm_status nbs_header(struct nbs *c, const char *first, char **f,
                                  size_t n, long line)
{
    struct imp *im = c->im;
    enum alm_status st = ALM_OK;
    while (n > 1 && !f[n - 1][0])
        n--;
    c->by_period = strcmp(first, "指标") == 0;
    c->ncols = n;
    c->head = calloc(n, sizeof *c->head);
    c->colser = malloc(n * sizeof *c->colser);
    if (!c->head || !c->colser)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    for (size_t j = 0; j < n && st == ALM_OK; j++) {
        c->colser[j] = -1;
        if (!(c->head[j] = alm__imp_trim(f[j])))
            st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
        else if (j && !c->by_period && c->head[j][0] &&
                 (c->colser[j] = nbs_series(c, c->head[j], line)) < 0)
            st = im->err->status;
    }
    c->header_done = true;
    im->uses_source = true;
    return st;
}

/* Reads a line before the header: the database it names becomes the
 * source; the header is read; the period line and blank lines pass. */
static enum alm_status nbs_preamble(struct nbs *c, const char *first, char **f,
                                    size_t n, long line)
{
    struct imp *im = c->im;
    enum alm_status st = ALM_OK;
    if (strncmp(first, "数据库：", 12) == 0) {
        struct alm_buf t = ALM_BUF_INIT;
        if (alm_buf_printf(&t, "国家数据 %s", first + 12) != ALM_OK)
            st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
        else
            st = alm__imp_source(im, t.s, "国家统计局", NULL);
        alm_buf_release(&t);
    } else if (strcmp(first, "指标") == 0 || strcmp(first, "时间") == 0) {
        st = nbs_header(c, first, f, n, line);
    } else if (strncmp(first, "时间：", 9) != 0 && !empty_from(f, n, 0)) {
        st = nbs_fail(c, line,
                      "expected the NBS preamble (数据库：..., 时间：...) "
                      "and a header starting 指标 or 时间");
    }
    return st;
}

/* Reads a data line: its observations, one per column of the header. */
static enum alm_status nbs_row(struct nbs *c, const char *first, char **f,
                               size_t n, long line)
{
    struct imp *im = c->im;
    enum alm_status st = ALM_OK;
    if (n < c->ncols || !empty_from(f, n, c->ncols)) {
        char msg[120];
        snprintf(msg, sizeof msg,
                 "expected %zu fields as in the header, found %zu", c->ncols,
                 n);
        nbs_fail(c, line, msg);
        return alm__imp_problem(im) ? ALM_OK : ALM_EINPUT;
    }
    long s = -1;
    if (c->by_period && (s = nbs_series(c, first, line)) < 0)
        st = im->err->status;
    for (size_t j = 1; j < c->ncols && st == ALM_OK; j++) {
        if (c->by_period) {
            if (alm__imp_obs(im, s, c->head[j], f[j], NULL, 0, line, c->head[j],
                             c->head[j]) < 0)
                st = im->err->status;
        } else if (c->colser[j] >= 0 &&
                   alm__imp_obs(im, c->colser[j], first, f[j], NULL, 0, line,
                                c->head[0], c->head[j]) < 0) {
            st = im->err->status;
        }
    }
    return st;
}

static enum alm_status nbs_record(void *ctx, char **f, size_t n, long line)
{
    struct nbs *c = ctx;
    struct imp *im = c->im;
    if (c->footer || n == 0)
        return ALM_OK;
    char *first = alm__imp_trim(f[0]);
    if (!first)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    enum alm_status st = ALM_OK;
    if (strncmp(first, "注", 3) == 0 || strncmp(first, "数据来源", 12) == 0) {
        /* The footer: notes, then the source ("数据来源：国家统计局"). */
        if (!c->header_done)
            st = nbs_fail(c, line,
                          "footer before the header: expected a header "
                          "line starting 指标 or 时间");
        c->footer = true;
    } else if (!c->header_done) {
        st = nbs_preamble(c, first, f, n, line);
    } else if (!empty_from(f, n, 0)) {
        st = nbs_row(c, first, f, n, line);
    }
    free(first);
    return st;
}

enum alm_status alm__imp_read_nbs(struct imp *im, const char *data, size_t len,
                                  char delim)
{
    struct nbs c = {0};
    c.im = im;
    enum alm_status st = alm__imp_csv_each(data, len, delim, im->name, 0,
                                           nbs_record, &c, im->err);
    if (st == ALM_OK && !c.header_done)
        st = nbs_fail(&c, 1,
                      "no header found: an NBS export has a line starting "
                      "指标 or 时间 after its preamble");
    for (size_t j = 0; j < c.ncols; j++)
        free(c.head[j]);
    free(c.head);
    free(c.colser);
    return st;
}
