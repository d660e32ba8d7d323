/* Text from data can only ever be text: a dataset whose titles, units,
 * publishers and quotes hold shell commands, gnuplot commands, datablock
 * terminators, quotes, backslashes, newlines and enhanced-text markup is
 * drawn as SVG (and as text); no command runs (the file the commands would
 * create does not exist afterwards) and the SVG's text elements, once
 * XML-unescaped, are the input exactly. Exits 77 (skipped) when there is
 * no gnuplot. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/chart.h>
#include <almanac/csvio.h>

#include "../check.h"

#define N 14

static char tmp[] = "/tmp/almanac-chart-inject-XXXXXX";
static char owned[64];
static char hostile[N][160];

static void make_strings(void)
{
    snprintf(owned, sizeof owned, "/tmp/owned-%ld", (long)getpid());
    const char *const fmt[N] = {
        "`touch OWNED`",
        "system(\"touch OWNED\")",
        "system(\"id\")",
        "\"; print \"x",
        "sei_va_share",
        "a&b",
        "EOD",
        "back\\slash \\",
        "'",
        "it's ''quoted'' {/Bold x}^2 @ARG0 &amp; <b>",
        "line one\nline two",
        "\"; system(\"touch OWNED\") #",
        "\\",
        "x'@ARG0'`touch OWNED`' @GPVAL_LAST_PLOT",
    };
    for (size_t i = 0; i < N; i++) {
        const char *o = strstr(fmt[i], "OWNED");
        if (o)
            snprintf(hostile[i], sizeof hostile[i], "%.*s%s%s",
                     (int)(o - fmt[i]), fmt[i], owned, o + 5);
        else
            snprintf(hostile[i], sizeof hostile[i], "%s", fmt[i]);
    }
}

/* The text as one line: a newline drawn as a space. */
static void one_line(const char *s, char *out, size_t size)
{
    size_t n = strlen(s) < size ? strlen(s) : size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

static void put(const char *name, const struct alm_buf *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, name);
    FILE *f = fopen(p, "w");
    fwrite(text->s, 1, text->len, f);
    fclose(f);
}

/* Appends a CSV row of n fields. */
static void row(struct alm_buf *b, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            alm_buf_putc(b, ',');
        alm_csv_add_field(b, f[i]);
    }
    alm_buf_putc(b, '\n');
}

static void make_dataset(void)
{
    struct alm_buf ind = ALM_BUF_INIT, obs = ALM_BUF_INIT, src = ALM_BUF_INIT,
                   tgt = ALM_BUF_INIT;
    alm_buf_puts(&ind, "id,title,unit,kind,frequency\n");
    alm_buf_puts(&obs, "indicator,period,value,source,vintage,quote\n");
    alm_buf_puts(&src, "id,title,publisher,date\n");
    alm_buf_puts(&tgt, "indicator,period,value,comparator\n");
    for (size_t i = 0; i < N; i++) {
        char id[16], sid[16];
        snprintf(id, sizeof id, "h%zu", i);
        snprintf(sid, sizeof sid, "s%zu", i);
        const char *fi[] = {id, hostile[i], hostile[(i + 1) % N], "value", "A"};
        const char *fo[] = {id,  "2020",       "1.5",
                            sid, "2020-06-30", hostile[(i + 3) % N]};
        const char *fs[] = {sid, "title", hostile[(i + 2) % N], "2020-06-30"};
        row(&ind, fi, 5);
        row(&obs, fo, 6);
        row(&src, fs, 4);
    }
    put("indicators.csv", &ind);
    put("observations.csv", &obs);
    put("sources.csv", &src);
    put("targets.csv", &tgt);
    alm_buf_release(&ind);
    alm_buf_release(&obs);
    alm_buf_release(&src);
    alm_buf_release(&tgt);
}

/* The text elements of an SVG, XML-unescaped, each ended by '\n' ... no:
 * collected into an array. */
struct texts {
    char *s[64];
    size_t n;
};

static void unescape(const char *a, const char *z, struct alm_buf *out)
{
    static const struct {
        const char *ent, *ch;
    } ents[] = {{"&amp;", "&"},
                {"&lt;", "<"},
                {"&gt;", ">"},
                {"&quot;", "\""},
                {"&apos;", "'"}};
    while (a < z) {
        if (*a == '<') { /* a tspan or other inner tag */
            while (a < z && *a != '>')
                a++;
            a++;
            continue;
        }
        size_t k = 0;
        for (; k < 5; k++)
            if (strncmp(a, ents[k].ent, strlen(ents[k].ent)) == 0)
                break;
        if (k < 5) {
            alm_buf_puts(out, ents[k].ch);
            a += strlen(ents[k].ent);
        } else if (a[0] == '&' && a[1] == '#') {
            long c =
                a[2] == 'x' ? strtol(a + 3, NULL, 16) : strtol(a + 2, NULL, 10);
            char u[8] = {0};
            if (c < 0x80) {
                u[0] = (char)c;
            } else if (c < 0x800) {
                u[0] = (char)(0xC0 | (c >> 6));
                u[1] = (char)(0x80 | (c & 0x3F));
            } else {
                u[0] = (char)(0xE0 | (c >> 12));
                u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
                u[2] = (char)(0x80 | (c & 0x3F));
            }
            alm_buf_puts(out, u);
            a = strchr(a, ';') + 1;
        } else {
            alm_buf_putc(out, *a++);
        }
    }
}

static void svg_texts(const char *svg, struct texts *t)
{
    const char *p = svg;
    t->n = 0;
    while (p && (p = strstr(p, "<text")) != NULL && t->n < 64) {
        const char *a = strchr(p, '>');
        const char *z = a ? strstr(a, "</text>") : NULL;
        if (!z)
            break;
        struct alm_buf b = ALM_BUF_INIT;
        alm_buf_puts(&b, "");
        unescape(a + 1, z, &b);
        t->s[t->n++] = alm_buf_detach(&b);
        p = z;
    }
}

static int has_text(const struct texts *t, const char *want)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->s[i], want) == 0)
            return 1;
    return 0;
}

static int has_prefix(const struct texts *t, const char *want)
{
    for (size_t i = 0; i < t->n; i++)
        if (strncmp(t->s[i], want, strlen(want)) == 0)
            return 1;
    return 0;
}

/* Whether the texts show s between before and after: on one text element
 * (a newline in s drawn as a space), or with the line of s before its
 * newline ending one element and the line after it starting another (a
 * newline drawn as a line break). With prefix, the element may go on
 * after "after". */
static int shows(const struct texts *t, const char *before, const char *s,
                 const char *after, int prefix)
{
    char line[200], want[400];
    one_line(s, line, sizeof line);
    snprintf(want, sizeof want, "%s%s%s", before, line, after);
    if (prefix ? has_prefix(t, want) : has_text(t, want))
        return 1;
    const char *nl = strchr(s, '\n');
    if (!nl)
        return 0;
    snprintf(want, sizeof want, "%s%.*s", before, (int)(nl - s), s);
    if (!has_text(t, want))
        return 0;
    snprintf(want, sizeof want, "%s%s", nl + 1, after);
    return prefix ? has_prefix(t, want) : has_text(t, want);
}

static void check_svg(size_t i)
{
    char p[512];
    snprintf(p, sizeof p, "%s/h%zu.svg", tmp, i);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK_AT(alm_file_read(p, 1 << 24, &b, NULL) == ALM_OK, "%s", p);
    struct texts t;
    svg_texts(b.s, &t);
    /* The title, exactly. */
    const char *s = hostile[i];
    CHECK_AT(shows(&t, "", s, "", 0), "h%zu: no title '%s'", i, s);
    /* The unit, then the frequency. */
    s = hostile[(i + 1) % N];
    CHECK_AT(shows(&t, "", s, ", annual", 0), "h%zu: no unit '%s'", i, s);
    /* The publisher in the source line. */
    s = hostile[(i + 2) % N];
    CHECK_AT(shows(&t, "Source: ", s, ". Figures as published", 1),
             "h%zu: no source '%s'", i, s);
    /* The quote, in curly quotes. */
    s = hostile[(i + 3) % N];
    CHECK_AT(shows(&t, "\xE2\x80\x9C", s, "\xE2\x80\x9D", 0),
             "h%zu: no quote '%s'", i, s);
    for (size_t k = 0; k < t.n; k++)
        free(t.s[k]);
    alm_buf_release(&b);
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
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

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
    make_strings();
    unlink(owned);
    make_dataset();

    struct alm_dataset *ds = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK_AT(alm_dataset_open(tmp, NULL, &ds, &err) == ALM_OK, "%s: %s",
             err.file, err.msg);
    if (!ds) {
        remove_tree(tmp);
        return check_done();
    }
    struct alm_chart_opts o;
    memset(&o, 0, sizeof o);
    o.proj.level = 95;
    o.proj.as_of = ds->latest;

    /* One SVG per indicator, and every indicator in one text chart, from
     * one gnuplot process. */
    size_t ids[N];
    struct alm_chart c[N + 1];
    char paths[N + 1][512];
    for (size_t i = 0; i < N; i++) {
        ids[i] = i;
        snprintf(paths[i], sizeof paths[i], "%s/h%zu.svg", tmp, i);
        c[i] = (struct alm_chart){&ids[i], 1, paths[i], ALM_CHART_SVG, 0, 0};
    }
    snprintf(paths[N], sizeof paths[N], "%s/all.txt", tmp);
    c[N] = (struct alm_chart){ids, N, paths[N], ALM_CHART_TEXT, 120, 0};
    alm_error_clear(&err);
    CHECK_AT(alm_chart_render(ds, c, N + 1, &o, &err) == ALM_OK, "%s", err.msg);

    /* Nothing ran. */
    struct stat sb;
    CHECK_AT(stat(owned, &sb) != 0, "%s exists: a command ran", owned);
    for (size_t i = 0; i < N; i++)
        check_svg(i);

    /* The text chart holds the titles as written, too. */
    struct alm_buf txt = ALM_BUF_INIT;
    CHECK(alm_file_read(paths[N], 1 << 22, &txt, NULL) == ALM_OK);
    for (size_t i = 0; i < N; i++) {
        char line[200];
        one_line(hostile[i], line, sizeof line);
        CHECK_AT(txt.s && strstr(txt.s, line), "all.txt: no '%s'", line);
    }
    alm_buf_release(&txt);

    /* The script itself: every hostile string is inside single quotes. */
    struct alm_buf s = ALM_BUF_INIT;
    CHECK(alm_chart_write_script(ds, c, N, &o, &s, &err) == ALM_OK);
    CHECK(s.s && strstr(s.s, "set label '`touch /tmp/owned-"));
    CHECK(s.s && strstr(s.s, "set label 'it'.\"\\047\".'s '.\"\\047\"."
                             "''.\"\\047\".'quoted'"));
    CHECK(s.s && !strstr(s.s, "line one\nline two"));
    alm_buf_release(&s);

    CHECK_AT(stat(owned, &sb) != 0, "%s exists: a command ran", owned);
    unlink(owned);
    alm_dataset_free(ds);
    remove_tree(tmp);
    return check_done();
}
