/* Drawing charts into files (see chart.h): each through a temporary
 * name, renamed into place once gnuplot has succeeded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>
#include <almanac/store.h>

#include "chart_internal.h"
#include "internal.h"

/* gnuplot's svg terminal writes a font's style into its family name
 * ("Noto Sans CJK SC:Bold"), which SVG renderers do not understand, and
 * gives no fallback family. Rewrites the SVG at path so that the style
 * becomes font-weight and font-style attributes and every family ends
 * with sans-serif. Only attributes inside tags change: in text, '<' is
 * written "&lt;", so text from data is never touched. */
static enum alm_status svg_fonts(const char *path, struct alm_error *err)
{
    static const char key[] = "font-family=\"";
    struct alm_buf in = ALM_BUF_INIT, out = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(path, ALM_CSV_FILE_MAX, &in, err);
    bool tag = false;
    for (size_t i = 0; st == ALM_OK && i < in.len; i++) {
        const char *p = in.s + i;
        if (*p == '<')
            tag = true;
        else if (*p == '>')
            tag = false;
        const char *q = tag && strncmp(p, key, sizeof key - 1) == 0
                            ? strchr(p + sizeof key - 1, '"')
                            : NULL;
        if (!q) {
            st = alm_buf_putc(&out, *p);
            continue;
        }
        const char *name = p + sizeof key - 1;
        size_t len = (size_t)(q - name);
        const char *colon = memchr(name, ':', len);
        size_t flen = colon ? (size_t)(colon - name) : len;
        bool bold = false, italic = false;
        if (colon) {
            char style[64];
            alm__copy(style, sizeof style, colon);
            style[len - flen < sizeof style ? len - flen : sizeof style - 1] =
                '\0';
            bold = strstr(style, "Bold") != NULL;
            italic = strstr(style, "Italic") != NULL;
        }
        st = alm_buf_add(&out, p, sizeof key - 1);
        if (st == ALM_OK)
            st = alm_buf_add(&out, name, flen);
        if (st == ALM_OK)
            st = alm_buf_printf(&out, ", sans-serif\"%s%s",
                                bold ? " font-weight=\"bold\"" : "",
                                italic ? " font-style=\"italic\"" : "");
        i = (size_t)(q - in.s);
    }
    if (st == ALM_OK) {
        FILE *f = fopen(path, "wb");
        bool ok = f && fwrite(out.s, 1, out.len, f) == out.len;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok)
            st = alm_fail(err, ALM_EIO, "cannot write '%s'", path);
    }
    alm_buf_release(&in);
    alm_buf_release(&out);
    return st;
}

/* The temporary files of charts being drawn: DEBRIS_PREFIX PID-N.tmp. */
#define DEBRIS_PREFIX ".almanac-chart-"

/* Removes from dir the temporary files of charts whose process is gone
 * (killed while gnuplot drew): kill(pid, 0) says ESRCH. */
static void sweep_debris(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t pl = strlen(DEBRIS_PREFIX);
    while (d && (e = readdir(d)) != NULL) {
        char *end;
        if (strncmp(e->d_name, DEBRIS_PREFIX, pl) != 0)
            continue;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || *end != '-' || !strstr(end, ".tmp"))
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        struct alm_buf p = ALM_BUF_INIT;
        if (alm_buf_printf(&p, "%s/%s", dir, e->d_name) == ALM_OK)
            unlink(p.s);
        alm_buf_release(&p);
    }
    if (d)
        closedir(d);
}

/* The temporary outputs of a render: one per chart that has a file. */
struct temps {
    struct alm_chart *tmp; /* the charts, drawn into the temporary names */
    char **names;          /* the temporary names, or NULL */
    char **reals;          /* the targets, links resolved */
    enum alm_out_kind *kinds;
};

/* Creates chart i's temporary file now, so that an output that cannot be
 * written fails before gnuplot runs. A regular file (or a link to one) is
 * replaced atomically by a temporary file beside it; a device or a FIFO
 * is written in place, from a temporary file in the temporary folder. */
static enum alm_status make_temp(struct temps *t, const struct alm_chart *c,
                                 size_t i, struct alm_error *err)
{
    enum alm_status st =
        alm_fs_output_kind(c->output, &t->kinds[i], &t->reals[i], err);
    if (st != ALM_OK)
        return st;
    struct alm_buf b = ALM_BUF_INIT;
    const char *tdir = getenv("TMPDIR");
    /* The temporary name is made of safe characters only: gnuplot cannot
     * open every name (a newline in it becomes a space). */
    const char *slash = strrchr(t->reals[i], '/');
    if (t->kinds[i] == ALM_OUT_DIRECT)
        alm_buf_puts(&b, tdir && *tdir ? tdir : "/tmp");
    else if (slash)
        alm_buf_add(&b, t->reals[i], (size_t)(slash - t->reals[i]));
    else
        alm_buf_puts(&b, ".");
    if (alm_buf_status(&b) == ALM_OK)
        sweep_debris(b.s);
    alm_buf_printf(&b, "/" DEBRIS_PREFIX "%ld-%zu.tmp", (long)getpid(), i);
    if (alm_buf_check(&b, err, "a temporary chart name") != ALM_OK) {
        alm_buf_release(&b);
        return ALM_ENOMEM;
    }
    t->names[i] = alm_buf_detach(&b);
    int fd = open(t->names[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    if (fd < 0) {
        char q[300];
        st = alm_fail(err, ALM_EIO, "cannot write '%s': %s",
                      alm_error_quote(c->output, q, sizeof q), strerror(errno));
        free(t->names[i]);
        t->names[i] = NULL;
        return st;
    }
    close(fd);
    t->tmp[i].output = t->names[i];
    return ALM_OK;
}

/* Puts chart i's drawn temporary file in place of its output. */
static enum alm_status finish_output(struct temps *t, const struct alm_chart *c,
                                     size_t i, struct alm_error *err)
{
    struct stat sb;
    char q[300];
    alm_error_quote(c->output, q, sizeof q);
    if (stat(t->names[i], &sb) != 0 || sb.st_size == 0)
        return alm_fail(err, ALM_EEXTERNAL, "gnuplot wrote nothing to '%s'", q);
    if (c->type == ALM_CHART_SVG && svg_fonts(t->names[i], err) != ALM_OK)
        return ALM_EIO;
    if (t->kinds[i] == ALM_OUT_DIRECT) {
        struct alm_buf data = ALM_BUF_INIT;
        enum alm_status st =
            alm_file_read(t->names[i], ALM_CSV_FILE_MAX, &data, err);
        if (st == ALM_OK)
            st = alm_fs_write_atomic(c->output, data.s ? data.s : "", data.len,
                                     err);
        alm_buf_release(&data);
        return st;
    }
    if (rename(t->names[i], t->reals[i]) != 0)
        return alm_fail(err, ALM_EIO, "cannot write '%s': %s", q,
                        strerror(errno));
    free(t->names[i]);
    t->names[i] = NULL;
    return ALM_OK;
}

static void temps_release(struct temps *t, size_t n)
{
    for (size_t i = 0; t->names && i < n; i++) {
        if (t->names[i])
            unlink(t->names[i]);
        free(t->names[i]);
    }
    for (size_t i = 0; t->reals && i < n; i++)
        free(t->reals[i]);
    free(t->names);
    free(t->reals);
    free(t->kinds);
    free(t->tmp);
}

enum alm_status alm_chart_render(const struct alm_dataset *ds,
                                 const struct alm_chart *charts, size_t n,
                                 const struct alm_chart_opts *o,
                                 struct alm_error *err)
{
    size_t m = n ? n : 1;
    struct temps t = {calloc(m, sizeof *t.tmp), calloc(m, sizeof *t.names),
                      calloc(m, sizeof *t.reals), calloc(m, sizeof *t.kinds)};
    struct alm_buf script = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    bool to_stdout = false;
    if (!t.tmp || !t.names || !t.reals || !t.kinds)
        st = alm_fail(err, ALM_ENOMEM, "out of memory planning %zu charts", n);
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        t.tmp[i] = charts[i];
        if (charts[i].output)
            st = make_temp(&t, &charts[i], i, err);
        else
            to_stdout = true;
    }
    if (st == ALM_OK)
        st = alm_chart_write_script(ds, t.tmp, n, o, &script, err);
    if (st == ALM_OK)
        st = alm_gp_run(script.s, script.len, to_stdout, err);
    for (size_t i = 0; i < n && st == ALM_OK; i++)
        if (t.names[i])
            st = finish_output(&t, &charts[i], i, err);
    temps_release(&t, n);
    alm_buf_release(&script);
    return st;
}
