/* Extraction: the seed documents against their gold set (precision and
 * recall 1.0), the quotes of china-history.csv (recall of value, kind and
 * period at least 0.9), a held-out set written by hand for this test
 * (tests/extract/heldout/: recall at least 0.9, no false figure), and
 * single sentences whose figures were worked out by hand. */
#include <dirent.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/extract.h>

#include "../check.h"

static struct alm_lexicon *lex;

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool same_value(double a, double b)
{
    return b == 0 ? a == 0 : fabs(a - b) / fabs(b) <= 1e-9;
}

/* Does figure f of document doc match row r of a gold table (the rules of
 * ../shared/data/extract/README.md)? */
static bool matches(const struct alm_table *g, size_t r, const char *doc,
                    const struct alm_figure *f)
{
#define G(col) alm_table_cell(g, r, alm_table_col(g, col))
    double v = strtod(G("value"), NULL);
    return !strcmp(G("document"), doc) && !strcmp(G("unit"), f->unit) &&
           !strcmp(G("kind"), alm_kind_name(f->kind)) &&
           !strcmp(G("qualifier"), alm_qualifier_text(f->qual)) &&
           !strcmp(G("role"), f->target ? "target" : "observation") &&
           same_value(f->value, v) &&
           (!G("period")[0] || !strcmp(G("period"), f->period));
#undef G
}

static void print_figure(const char *doc, const struct alm_figure *f)
{
    char v[40];
    alm_extract_format_value(f->value, v, sizeof v);
    fprintf(stderr, "    %s: %s %s %s %s %s %s (%s)\n", doc, v, f->unit,
            alm_kind_name(f->kind), f->period[0] ? f->period : "-",
            alm_qualifier_text(f->qual)[0] ? alm_qualifier_text(f->qual) : "-",
            f->target ? "target" : "observation", f->subject);
}

/* Extracts the files and scores them against the gold table at gold_path;
 * one gold row matches one figure at most. */
static void score(char **files, size_t n, const char *gold_path,
                  double *precision, double *recall)
{
    struct alm_table *g = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_table_read(gold_path, &g, &err) == ALM_OK);
    if (!g)
        return;
    bool *used = calloc(g->nrows + 1, 1);
    size_t cand = 0, hit = 0;
    for (size_t i = 0; i < n; i++) {
        struct alm_doc *d = NULL;
        CHECK(alm_extract_file(lex, files[i], &d, &err) == ALM_OK);
        if (!d)
            continue;
        const char *doc = base_name(files[i]);
        for (size_t j = 0; j < d->nfig; j++) {
            cand++;
            bool ok = false;
            for (size_t r = 0; r < g->nrows && !ok; r++)
                if (!used[r] && matches(g, r, doc, &d->fig[j]))
                    used[r] = ok = true;
            if (ok) {
                hit++;
            } else {
                fprintf(stderr, "  false figure:\n");
                print_figure(doc, &d->fig[j]);
                fprintf(stderr, "    in: %s\n", d->fig[j].quote);
            }
        }
        alm_doc_free(d);
    }
    size_t found = 0;
    for (size_t r = 0; r < g->nrows; r++) {
        if (used[r]) {
            found++;
            continue;
        }
        fprintf(stderr, "  missed: %s %s %s %s %s %s %s\n",
                alm_table_cell(g, r, alm_table_col(g, "document")),
                alm_table_cell(g, r, alm_table_col(g, "value")),
                alm_table_cell(g, r, alm_table_col(g, "unit")),
                alm_table_cell(g, r, alm_table_col(g, "kind")),
                alm_table_cell(g, r, alm_table_col(g, "period")),
                alm_table_cell(g, r, alm_table_col(g, "qualifier")),
                alm_table_cell(g, r, alm_table_col(g, "role")));
    }
    (void)hit;
    *precision = cand ? (double)hit / (double)cand : 1;
    *recall = g->nrows ? (double)found / (double)g->nrows : 1;
    free(used);
    alm_table_free(g);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .txt files of folder dir, sorted; *n of them (caller frees). */
static char **list_txt(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **v = NULL;
    *n = 0;
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        char **nv = realloc(v, (*n + 1) * sizeof *v);
        if (!nv)
            break;
        v = nv;
        struct alm_buf b = ALM_BUF_INIT;
        alm_buf_printf(&b, "%s/%s", dir, e->d_name);
        v[(*n)++] = alm_buf_detach(&b);
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void test_seeds(void)
{
    size_t n;
    char **files = list_txt(ALMANAC_SHARED_DIR "/seeds", &n);
    double p = 0, r = 0;
    CHECK(n == 5);
    score(files, n, ALMANAC_SHARED_DIR "/data/extract/seeds-gold.csv", &p, &r);
    printf("seeds: precision %.3f, recall %.3f\n", p, r);
    CHECK(p == 1.0);
    CHECK(r == 1.0);
    free_list(files, n);
}

static void test_heldout(void)
{
    size_t n;
    char **files = list_txt(ALMANAC_SOURCE_DIR "/tests/extract/heldout", &n);
    double p = 0, r = 0;
    CHECK(n >= 10);
    score(files, n, ALMANAC_SOURCE_DIR "/tests/extract/heldout/gold.csv", &p,
          &r);
    printf("held-out: %zu documents, precision %.3f, recall %.3f\n", n, p, r);
    CHECK(p == 1.0); /* no false figure */
    CHECK(r >= 0.9);
    free_list(files, n);
}

/* china-history.csv: each quote is a document dated by the leading
 * YYYY-MM-DD, YYYY-MM or YYYY of its source_date (none when it starts
 * otherwise, as "not shown in stored copy"). The row is recalled when a
 * figure of the quote has its value, kind and period. The kind comes from
 * the unit column: "% yoy..." is growth (a change on a year earlier),
 * "% of GDP..." is share, "vehicles" and "count" are count. The period
 * "2024-01..02" is the span 2024-01/2024-02. */
static void test_history(void)
{
    struct alm_table *t = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_table_read(ALMANAC_SHARED_DIR "/data/real/china-history.csv", &t,
                         &err) == ALM_OK);
    if (!t)
        return;
    long cv = alm_table_col(t, "value"), cu = alm_table_col(t, "unit"),
         cp = alm_table_col(t, "period"), cd = alm_table_col(t, "source_date"),
         cq = alm_table_col(t, "quote");
    size_t hit = 0, rows = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *unit = alm_table_cell(t, r, cu);
        const char *kind = !strncmp(unit, "% yoy", 5)      ? "growth"
                           : !strncmp(unit, "% of GDP", 8) ? "share"
                           : !strcmp(unit, "vehicles") || !strcmp(unit, "count")
                               ? "count"
                               : NULL;
        CHECK_AT(kind != NULL, "row %zu: unit '%s' has no kind rule", r, unit);
        if (!kind)
            continue;
        char period[40], date[11] = "";
        const char *p = alm_table_cell(t, r, cp), *dots = strstr(p, "..");
        if (dots)
            snprintf(period, sizeof period, "%.*s/%.5s%s", (int)(dots - p), p,
                     p, dots + 2);
        else
            snprintf(period, sizeof period, "%s", p);
        const char *sd = alm_table_cell(t, r, cd);
        size_t k = 0;
        while (k < 10 && ((sd[k] >= '0' && sd[k] <= '9') || sd[k] == '-'))
            k++;
        while (k && sd[k - 1] == '-')
            k--;
        if (k == 4 || k == 7 || k == 10)
            snprintf(date, sizeof date, "%.*s", (int)k, sd);
        struct alm_buf doc = ALM_BUF_INIT;
        if (date[0])
            alm_buf_printf(&doc, "date %s\n", date);
        alm_buf_puts(&doc, alm_table_cell(t, r, cq));
        struct alm_doc *d = NULL;
        CHECK(alm_extract_text(lex, "quote", doc.s, doc.len, &d, &err) ==
              ALM_OK);
        double want = strtod(alm_table_cell(t, r, cv), NULL);
        bool ok = false;
        for (size_t j = 0; d && j < d->nfig && !ok; j++)
            ok = same_value(d->fig[j].value, want) &&
                 !strcmp(alm_kind_name(d->fig[j].kind), kind) &&
                 !strcmp(d->fig[j].period, period);
        rows++;
        if (ok) {
            hit++;
        } else {
            fprintf(stderr, "  history miss (line %ld): want %s %s %s\n",
                    t->lines[r], alm_table_cell(t, r, cv), kind, period);
            fprintf(stderr, "    %s\n", doc.s);
            for (size_t j = 0; d && j < d->nfig; j++)
                print_figure("found", &d->fig[j]);
        }
        alm_doc_free(d);
        alm_buf_release(&doc);
    }
    double recall = rows ? (double)hit / (double)rows : 0;
    printf("china-history: %zu of %zu rows recalled (%.3f)\n", hit, rows,
           recall);
    CHECK(rows == 68);
    CHECK(recall >= 0.9);
    alm_table_free(t);
}

/* Extracts text (UTF-8) and returns the document; the caller frees. */
static struct alm_doc *ex(const char *text)
{
    struct alm_doc *d = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_extract_text(lex, "t.txt", text, strlen(text), &d, &err) ==
          ALM_OK);
    return d;
}

/* One figure expected of a sentence, worked out by hand. */
static void expect1(const char *text, double value, const char *unit,
                    const char *kind, const char *period, const char *qual,
                    bool target)
{
    struct alm_doc *d = ex(text);
    CHECK_AT(d && d->nfig == 1, "%s: %zu figures, want 1", text,
             d ? d->nfig : 0);
    if (d && d->nfig >= 1) {
        const struct alm_figure *f = &d->fig[0];
        CHECK_AT(same_value(f->value, value), "%s: value %.17g, want %.17g",
                 text, f->value, value);
        CHECK_STR(f->unit, unit);
        CHECK_STR(alm_kind_name(f->kind), kind);
        CHECK_STR(f->period, period);
        CHECK_STR(alm_qualifier_text(f->qual), qual);
        CHECK(f->target == target);
    }
    alm_doc_free(d);
}

/* Converts UTF-8 text to encoding enc with iconv (the caller frees). */
static char *to_enc(const char *enc, const char *text, size_t *len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    CHECK(cd != (iconv_t)-1);
    size_t in = strlen(text), cap = in * 2 + 8, left = cap;
    char *out = malloc(cap), *op = out, *ip = (char *)text;
    CHECK(iconv(cd, &ip, &in, &op, &left) != (size_t)-1);
    iconv_close(cd);
    *len = cap - left;
    return out;
}

static void test_sentences(void)
{
    /* Chinese numerals, with the classifier 个 (178 zones). */
    expect1("date 2024-03-26\n我国已建成一百七十八个国家高新区。", 178, "count",
            "count", "2024-03", "", false);
    /* Full-width digits and signs: ７．５％ is 7.5 %; 1-2月 of the date's
     * year. */
    expect1("date 2024-03-18\n１—２月份，高技术制造业增加值同比增长７．５％。",
            7.5, "%", "growth", "2024-01/2024-02", "", false);
    /* Scales: 1288.8万辆 is 12,888,000 exactly; 去年 is 2024. */
    expect1("date 2025-01-13\n去年新能源汽车产量为1288.8万辆。", 12888000,
            "count", "count", "2024", "", false);
    /* 万亿元: 4.2 * 10^12 yuan; a decline is negative. */
    expect1("date 2024-02-07\n去年出口下降4.6%。", -4.6, "%", "growth", "2023",
            "", false);
    expect1("date 2024-02-07\nRevenue fell 3.2 percent in the third quarter of "
            "2023.",
            -3.2, "%", "growth", "2023-Q3", "", false);
    /* Qualifiers before and after, a target with its comparator. */
    expect1("date 2024-01-05\n到2027年，算力规模将超过300万亿元。", 3e14, "CNY",
            "level", "2027", ">=", true);
    expect1("date 2024-01-05\n今年上半年，利用外资约5000亿元左右。", 5e11,
            "CNY", "level", "2024-01/2024-06", "~", false);
    expect1("date 2024-01-05\nThe ministry aims to keep the deficit ratio "
            "below 3 percent by 2026.",
            3, "%", "share", "2026", "<=", true);
    /* Traditional: 億元, 個百分點. */
    expect1("date 2023-06-30\n2022年研發投入強度比上年提高0.12個百分點。", 0.12,
            "pp", "growth", "2022", "", false);
    /* US$ before the number, a year-less month resolved against the date. */
    expect1("date 2024-02-10\nExports of chips reached US$12.5 billion in "
            "December.",
            1.25e10, "USD", "level", "2023-12", "", false);

    /* "By the end of 2023" written in 2024 is as of then, no target; a
     * name (5G) inside the counted noun phrase. */
    expect1("date 2024-01-17\nBy the end of 2023, China had 3.38 million 5G "
            "base stations.",
            3380000, "count", "count", "2023", "", false);
    /* "from 2022" after a change is its base: the period is last year. */
    expect1("date 2024-01-17\nThe jobless rate fell 0.4 percentage points last "
            "year from 2022.",
            -0.4, "pp", "growth", "2023", "", false);

    /* Digits that are no figure. */
    const char *none[] = {
        "date 2024-03-01\nThe 5G network and the C919 jet were shown at the "
        "14th Five-Year Plan forum on March 24, 2024.",
        "date 2024-03-01\nThe plan for 2024-2026 involves seventeen "
        "departments.",
        "date 2024-03-01\nCall 010-6852-1234 or see page 7.",
        "date 2024-03-01\n会议由十七个部门参加，提出三项措施。",
        "date 2024-03-01\nThe 12 delegates met for 3 days.",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct alm_doc *d = ex(none[i]);
        CHECK_AT(d && d->nfig == 0, "%s: %zu figures, want none", none[i],
                 d ? d->nfig : 0);
        alm_doc_free(d);
    }

    /* Without a date line, relative periods stay empty, never the clock. */
    struct alm_doc *d = ex("Output rose 5 percent last year.");
    CHECK(d && d->nfig == 1 && d->date[0] == '\0');
    if (d && d->nfig == 1)
        CHECK_STR(d->fig[0].period, "");
    alm_doc_free(d);

    /* The offset is the number's byte offset in the document; the quote
     * its sentence. */
    const char *text = " date 2024-03-26 Intro.\nA: sales rose 9.1% in "
                       "2023. Next one.";
    d = ex(text);
    CHECK(d && d->nfig == 1);
    if (d && d->nfig == 1) {
        CHECK_INT(d->fig[0].offset, strstr(text, "9.1") - text);
        CHECK_STR(d->fig[0].quote, "A: sales rose 9.1% in 2023.");
        CHECK_STR(d->date, "2024-03-26");
    }
    alm_doc_free(d);
}

static void test_encodings(void)
{
    const char *zh = "date 2024-03-18\n1-2月，新能源汽车产量增长25.6%。";
    const char *tw = "date 2024-03-18\n1-2月，新能源汽車產量增長25.6%。";
    size_t len;
    struct alm_error err;
    struct alm_doc *d = NULL;
    char *g = to_enc("GBK", zh, &len);
    alm_error_clear(&err);
    CHECK(alm_extract_text(lex, "gbk.txt", g, len, &d, &err) == ALM_OK);
    CHECK(d && !strcmp(d->encoding, "GBK") && d->nfig == 1 &&
          same_value(d->fig[0].value, 25.6) &&
          !strcmp(d->fig[0].period, "2024-01/2024-02"));
    alm_doc_free(d);
    free(g);
    d = NULL;
    char *b = to_enc("BIG5", tw, &len);
    CHECK(alm_extract_text(lex, "big5.txt", b, len, &d, &err) == ALM_OK);
    CHECK(d && !strcmp(d->encoding, "BIG5") && d->nfig == 1 &&
          same_value(d->fig[0].value, 25.6));
    alm_doc_free(d);
    free(b);
    /* Bytes valid in none of them: an error naming the file. */
    d = NULL;
    alm_error_clear(&err);
    CHECK(alm_extract_text(lex, "bad.txt", "ab\xff\xff\xff", 5, &d, &err) ==
          ALM_EINPUT);
    CHECK(d == NULL);
    CHECK_STR(err.file, "bad.txt");
    CHECK(strstr(err.msg, "UTF-8, GBK or Big5") != NULL);
    alm_error_clear(&err);
    CHECK(alm_extract_text(lex, "nul.txt", "a\0b", 3, &d, &err) == ALM_EINPUT);
}

/* A lexicon file with a bad row fails naming the file, line and column. */
static void test_lexicon_errors(void)
{
    char dir[] = "/tmp/almanac-lexicon-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    const char *files[] = {"scales.csv",  "units.csv",      "kinds.csv",
                           "periods.csv", "qualifiers.csv", "roles.csv",
                           "exclude.csv", "stopwords.csv",  "traditional.csv"};
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp %s/lexicon/*.csv %s/", ALMANAC_SOURCE_DIR,
             dir);
    CHECK(system(cmd) == 0);
    char path[300];
    snprintf(path, sizeof path, "%s/units.csv", dir);
    FILE *f = fopen(path, "a");
    CHECK(f != NULL);
    if (f) {
        fputs("widgets,count,count,beside,flow\n", f);
        fclose(f);
    }
    struct alm_lexicon *bad = NULL;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_lexicon_load(dir, &bad, &err) == ALM_EINPUT);
    CHECK(strstr(err.file, "units.csv") != NULL);
    CHECK_STR(err.field, "position");
    CHECK(err.line > 1);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    alm_error_clear(&err);
    CHECK(alm_lexicon_load(dir, &bad, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "ALMANAC_LEXICON") != NULL);
    rmdir(dir);
}

int main(void)
{
    struct alm_error err;
    alm_init();
    alm_error_clear(&err);
    if (alm_lexicon_load(ALMANAC_SOURCE_DIR "/lexicon", &lex, &err) != ALM_OK) {
        fprintf(stderr, "lexicon: %s\n", err.msg);
        return 1;
    }
    test_sentences();
    test_encodings();
    test_lexicon_errors();
    test_seeds();
    test_history();
    test_heldout();
    alm_lexicon_free(lex);
    return check_done();
}
