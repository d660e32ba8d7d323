/* Tests of drawing through gnuplot: every output type from one process,
 * checked for what it is (magic bytes) and its size (PNG IHDR, SVG width
 * and height, PDF MediaBox); the golden scripts run as they are; and the
 * failures (gnuplot missing, gnuplot failing, an unwritable output) leave
 * no file behind and keep an existing one. Exits 77 (skipped) when there
 * is no gnuplot. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>

#include "../check.h"

static char tmp[] = "/tmp/almanac-chart-render-XXXXXX";
static char path[1024];

static const char *at(const char *name)
{
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    return path;
}

/* Whether a program can be found on the PATH. */
static int on_path(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *p = getenv("PATH");
    char buf[4096];
    while (p && *p) {
        size_t len = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, prog);
        if (access(buf, X_OK) == 0)
            return 1;
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

static long get32(const unsigned char *b)
{
    return ((long)b[0] << 24) | ((long)b[1] << 16) | ((long)b[2] << 8) |
           (long)b[3];
}

static void check_png(const char *name, long w, long h)
{
    struct alm_buf b = ALM_BUF_INIT;
    CHECK_AT(alm_file_read(at(name), 1 << 26, &b, NULL) == ALM_OK, "%s", name);
    const unsigned char *d = (const unsigned char *)b.s;
    CHECK_AT(b.len > 33 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 &&
                 memcmp(d + 12, "IHDR", 4) == 0,
             "%s is not a PNG", name);
    if (b.len > 33) {
        CHECK_INT(get32(d + 16), w);
        CHECK_INT(get32(d + 20), h);
    }
    alm_buf_release(&b);
}

static void check_svg(const char *name, int w, int h)
{
    struct alm_buf b = ALM_BUF_INIT;
    char size[64];
    CHECK_AT(alm_file_read(at(name), 1 << 26, &b, NULL) == ALM_OK, "%s", name);
    snprintf(size, sizeof size, "width=\"%d\" height=\"%d\"", w, h);
    CHECK_AT(b.s && strncmp(b.s, "<?xml", 5) == 0 && strstr(b.s, "<svg") &&
                 strstr(b.s, size) && strstr(b.s, "</svg>"),
             "%s is not an SVG of %dx%d", name, w, h);
    /* The fonts are rewritten for SVG readers: no "Family:Bold". */
    CHECK(b.s && !strstr(b.s, ":Bold\""));
    CHECK(b.s && strstr(b.s, "font-weight=\"bold\""));
    alm_buf_release(&b);
}

/* Whether the len bytes at s hold the text part (s may hold NULs). */
static int holds(const char *s, size_t len, const char *part)
{
    size_t n = strlen(part);
    for (size_t i = 0; s && i + n <= len; i++)
        if (memcmp(s + i, part, n) == 0)
            return 1;
    return 0;
}

static void check_pdf(const char *name, int w, int h)
{
    struct alm_buf b = ALM_BUF_INIT;
    char box[64];
    CHECK_AT(alm_file_read(at(name), 1 << 26, &b, NULL) == ALM_OK, "%s", name);
    snprintf(box, sizeof box, "/MediaBox [ 0 0 %d %d ]", w, h);
    CHECK_AT(b.len > 5 && memcmp(b.s, "%PDF-", 5) == 0, "%s is not a PDF",
             name);
    /* The page is the image's size at 72 points per inch. */
    CHECK_AT(holds(b.s, b.len, box), "%s: no '%s'", name, box);
    alm_buf_release(&b);
}

static void check_text(const char *name, size_t w, size_t h)
{
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_file_read(at(name), 1 << 20, &b, NULL) == ALM_OK);
    size_t lines = 0;
    for (const char *p = b.s; p && *p; lines++) {
        size_t len = strcspn(p, "\n");
        /* Columns, counting UTF-8 characters. */
        size_t cols = 0;
        for (size_t i = 0; i < len; i++)
            cols += ((unsigned char)p[i] & 0xC0) != 0x80 && p[i] != '\f';
        CHECK_AT(cols <= w, "%s: a line of %zu columns", name, cols);
        p += len + (p[len] == '\n');
    }
    CHECK_AT(lines >= h - 1 && lines <= h + 1, "%s: %zu lines", name, lines);
    CHECK(b.s && strstr(b.s, "Strategic emerging industries' share of GDP"));
    alm_buf_release(&b);
}

/* Whether the folder holds a file whose name contains part. */
static int leftover(const char *part)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d)) != NULL)
        found |= strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return found;
}

static int exists(const char *name)
{
    struct stat sb;
    return stat(at(name), &sb) == 0;
}

static struct alm_dataset *ds;
static struct alm_chart_opts o;

static void test_outputs(void)
{
    size_t share = 0, growth = 1, zones = 2, all[] = {0, 1, 2};
    char p[6][1024];
    const char *names[] = {"share.png", "small.png", "growth.svg",
                           "zones.pdf", "all.png",   "share.txt"};
    for (size_t i = 0; i < 6; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", tmp, names[i]);
    struct alm_chart c[] = {
        {&share, 1, p[0], ALM_CHART_PNG, 0, 0},
        {&share, 1, p[1], ALM_CHART_PNG, 640, 400},
        {&growth, 1, p[2], ALM_CHART_SVG, 0, 0},
        {&zones, 1, p[3], ALM_CHART_PDF, 0, 0},
        {all, 3, p[4], ALM_CHART_PNG, 0, 0},
        {&share, 1, p[5], ALM_CHART_TEXT, 100, 30},
    };
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_chart_render(ds, c, 6, &o, &err) == ALM_OK, "%s", err.msg);
    check_png("share.png", 800, 500);
    check_png("small.png", 640, 400);
    check_svg("growth.svg", 800, 500);
    check_pdf("zones.pdf", 800, 500);
    check_png("all.png", 800, 1500);
    check_text("share.txt", 100, 30);
    CHECK(!leftover(".almanac-"));
}

static void test_failures(void)
{
    size_t share = 0;
    char out[1024];
    snprintf(out, sizeof out, "%s/keep.png", tmp);
    FILE *f = fopen(out, "w");
    fputs("old", f);
    fclose(f);
    struct alm_chart c = {&share, 1, out, ALM_CHART_PNG, 0, 0};
    struct alm_error err;

    /* gnuplot missing: the message names the package. */
    setenv("ALMANAC_GNUPLOT", "/nonexistent/gnuplot", 1);
    alm_error_clear(&err);
    CHECK(alm_chart_render(ds, &c, 1, &o, &err) == ALM_EEXTERNAL);
    CHECK_AT(strstr(err.msg, "gnuplot-nox") != NULL, "%s", err.msg);
    unsetenv("ALMANAC_GNUPLOT");

    /* gnuplot failing: its own message is shown. */
    struct alm_chart_opts bad = o;
    bad.theme = "/nonexistent/theme.gp";
    alm_error_clear(&err);
    CHECK(alm_chart_render(ds, &c, 1, &bad, &err) == ALM_EEXTERNAL);
    CHECK_AT(strstr(err.msg, "gnuplot failed") &&
                 strstr(err.msg, "/nonexistent/theme.gp"),
             "%s", err.msg);

    /* Either way the old file is untouched and nothing is left over. */
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_file_read(out, 100, &b, NULL) == ALM_OK);
    CHECK_STR(b.s, "old");
    alm_buf_release(&b);
    CHECK(!leftover(".almanac-"));

    /* An output that cannot be created fails before gnuplot runs. */
    snprintf(out, sizeof out, "%s/no/such/folder.png", tmp);
    alm_error_clear(&err);
    CHECK(alm_chart_render(ds, &c, 1, &o, &err) == ALM_EIO);
    CHECK_AT(strstr(err.msg, "cannot write") != NULL, "%s", err.msg);

    /* A batch where one output fails writes none of them. */
    char ok_out[1024];
    snprintf(ok_out, sizeof ok_out, "%s/first.png", tmp);
    struct alm_chart two[2] = {{&share, 1, ok_out, ALM_CHART_PNG, 0, 0},
                               {&share, 1, out, ALM_CHART_PNG, 0, 0}};
    alm_error_clear(&err);
    CHECK(alm_chart_render(ds, two, 2, &o, &err) == ALM_EIO);
    CHECK(!exists("first.png"));
    CHECK(!leftover(".almanac-"));
}

/* Each golden script runs through gnuplot as it is, in a folder of its
 * own, with the theme's path put in. */
static void test_goldens(void)
{
    static const char *const goldens[] = {
        "share-png",          "share-vintages-svg", "growth-janfeb-pdf",
        "zones-png",          "multi-panel-png",    "share-text",
        "batch-loglinear-svg"};
    char theme[1024], cwd[1024], gdir[1024];
    snprintf(theme, sizeof theme, "load '%s/plots/theme.gp'",
             ALMANAC_SOURCE_DIR);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    snprintf(gdir, sizeof gdir, "%s/goldens", tmp);
    CHECK(mkdir(gdir, 0777) == 0);
    snprintf(gdir, sizeof gdir, "%s/goldens/out", tmp);
    CHECK(mkdir(gdir, 0777) == 0);
    snprintf(gdir, sizeof gdir, "%s/goldens", tmp);
    CHECK(chdir(gdir) == 0);
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        char file[1024];
        snprintf(file, sizeof file, "%s/tests/golden/chart/%s.gp",
                 ALMANAC_SOURCE_DIR, goldens[i]);
        struct alm_buf s = ALM_BUF_INIT, run = ALM_BUF_INIT;
        struct alm_error err;
        alm_error_clear(&err);
        CHECK_AT(alm_file_read(file, 1 << 24, &s, &err) == ALM_OK, "%s", file);
        const char *load = s.s ? strstr(s.s, "load 'plots/theme.gp'") : NULL;
        CHECK_AT(load != NULL, "%s loads no theme", goldens[i]);
        if (load) {
            alm_buf_add(&run, s.s, (size_t)(load - s.s));
            alm_buf_puts(&run, theme);
            alm_buf_puts(&run, load + strlen("load 'plots/theme.gp'"));
            CHECK_AT(alm_gp_run(run.s, run.len, false, &err) == ALM_OK,
                     "%s: %s", goldens[i], err.msg);
        }
        alm_buf_release(&s);
        alm_buf_release(&run);
    }
    CHECK(chdir(cwd) == 0);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[2048];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

int main(void)
{
    alm_init();
    const char *prog = getenv("ALMANAC_GNUPLOT");
    if (!on_path(prog && *prog ? prog : "gnuplot")) {
        printf("gnuplot not found: skipped (apt-get install gnuplot-nox)\n");
        return 77;
    }
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/cli/fixtures/small",
             ALMANAC_SOURCE_DIR);
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(dir, NULL, &ds, &err) == ALM_OK, "%s", err.msg);
    memset(&o, 0, sizeof o);
    o.proj.level = 95;
    CHECK(ds &&
          alm_dataset_as_of(ds, "2024-12-31", &o.proj.as_of, &err) == ALM_OK);
    if (ds) {
        test_outputs();
        test_failures();
        test_goldens();
    }
    alm_dataset_free(ds);
    remove_tree(tmp);
    return check_done();
}
