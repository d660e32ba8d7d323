/* Tests of the CSV table reader and writer. Expected values are written by
 * hand from RFC 4180. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>

#include "../check.h"

/* engine/internal.h: texts this long or longer are parsed on two threads. */
void alm__csv_split_min(size_t bytes);
enum alm_status alm__table_check(const char *data, size_t len, const char *name,
                                 struct alm_error *err);

static struct alm_table *parse(const char *text, struct alm_error *err)
{
    struct alm_table *t = NULL;
    alm_error_clear(err);
    if (alm_table_parse(text, strlen(text), "t.csv", &t, err) != ALM_OK)
        return NULL;
    return t;
}

static void test_basic(void)
{
    struct alm_error err;
    struct alm_table *t = parse("\xEF\xBB\xBFid,value,quote\r\n"
                                "a,7.6,\"he said \"\"hi\"\", then left\"\r\n"
                                "b, 13 ,\"two\nlines\"\r\n",
                                &err);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_INT(t->ncols, 3);
    CHECK_INT(t->nrows, 2);
    CHECK_STR(t->header[0], "id"); /* the BOM is not part of the name */
    CHECK_INT(alm_table_col(t, "quote"), 2);
    CHECK_INT(alm_table_col(t, "missing"), -1);
    CHECK_STR(alm_table_cell(t, 0, 2), "he said \"hi\", then left");
    CHECK_STR(alm_table_cell(t, 1, 1), " 13 "); /* spaces are data */
    CHECK_STR(alm_table_cell(t, 1, 2), "two\nlines");
    CHECK_STR(alm_table_cell(t, 1, -1), "");
    CHECK_INT(t->lines[0], 2);
    CHECK_INT(t->lines[1], 3);

    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_table_format(t, &b) == ALM_OK);
    CHECK_STR(b.s, "id,value,quote\n"
                   "a,7.6,\"he said \"\"hi\"\", then left\"\n"
                   "b, 13 ,\"two\nlines\"\n");
    alm_buf_release(&b);
    alm_table_free(t);
}

static void test_edit(void)
{
    const char *h[] = {"a", "b"};
    struct alm_table *t = alm_table_new("x.csv", 2, h);
    long col = -1;
    CHECK(alm_table_add_row(t, 0) == ALM_OK);
    CHECK(alm_table_set(t, 0, 1, "1,5") == ALM_OK);
    CHECK(alm_table_add_column(t, "note", &col) == ALM_OK);
    CHECK_INT(col, 2);
    CHECK(alm_table_add_row(t, 0) == ALM_OK);
    CHECK(alm_table_set(t, 1, 2, "x") == ALM_OK);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_table_format(t, &b) == ALM_OK);
    CHECK_STR(b.s, "a,b,note\n,\"1,5\",\n,,x\n");
    alm_buf_release(&b);
    alm_table_free(t);
}

/* A table large enough for its cells to live in a mapping of their own
 * (4 MiB and more): a column added to 400,000 rows widens every row in
 * place, rows added after grow the mapping, and every cell keeps its
 * text ("r<row>c<col>", or empty where nothing was set). */
static void test_large_edit(void)
{
    enum { ROWS = 400000 };
    const char *h[] = {"a", "b", "c"};
    struct alm_table *t = alm_table_new("big.csv", 3, h);
    char v[32];
    long col = -1;
    CHECK(t != NULL);
    if (!t)
        return;
    for (int i = 0; i < ROWS; i++) {
        CHECK(alm_table_add_row(t, i + 2) == ALM_OK);
        for (int j = 0; j < 3; j += 2) {
            snprintf(v, sizeof v, "r%dc%d", i, j);
            CHECK(alm_table_set(t, (size_t)i, (size_t)j, v) == ALM_OK);
        }
    }
    CHECK(alm_table_add_column(t, "d", &col) == ALM_OK);
    CHECK_INT(col, 3);
    for (int i = ROWS; i < 2 * ROWS; i++) {
        CHECK(alm_table_add_row(t, i + 2) == ALM_OK);
        snprintf(v, sizeof v, "r%dc3", i);
        CHECK(alm_table_set(t, (size_t)i, 3, v) == ALM_OK);
    }
    CHECK_INT(t->nrows, 2 * ROWS);
    int bad = 0;
    for (int i = 0; i < 2 * ROWS; i++)
        for (int j = 0; j < 4; j++) {
            bool set = i < ROWS ? j == 0 || j == 2 : j == 3;
            if (set)
                snprintf(v, sizeof v, "r%dc%d", i, j);
            else
                v[0] = '\0';
            bad += strcmp(alm_table_cell(t, (size_t)i, j), v) != 0;
        }
    CHECK_INT(bad, 0);
    CHECK_INT(t->lines[2 * ROWS - 1], 2 * ROWS + 1);
    alm_table_free(t);
}

/* Each malformed text fails with ALM_EINPUT on the given line. */
static void test_malformed(void)
{
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        {"a,b\n1,\"open\n2,3\n", 2, "unterminated"},
        {"a,b\n1,2\n3\n", 3, "expected 2 fields"},
        {"a,b\n1,2,3\n", 2, "expected 2 fields"},
        {"a,b\n1,x\"y\n", 2, "malformed quoting"},
        {"a,b\n1,\"x\"y\n", 2, "malformed quoting"},
        {"", 1, "empty file"},
        {"a,a\n", 1, "appears twice"},
        {"a,,b\n", 1, "empty"},
        {"a,b\n1,\xC3\x28\n", 2, "invalid UTF-8"},
        {"a,b\n1,\xED\xA0\x80\n", 2, "invalid UTF-8"}, /* a surrogate */
        {"a,b\n1,\xC0\xAF\n", 2, "invalid UTF-8"},     /* an overlong */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct alm_error err;
        struct alm_table *t = parse(cases[i].text, &err);
        CHECK_AT(t == NULL, "case %zu parsed", i);
        alm_table_free(t);
        CHECK_INT(err.status, ALM_EINPUT);
        CHECK_INT(err.line, cases[i].line);
        CHECK_STR(err.file, "t.csv");
        CHECK_AT(strstr(err.msg, cases[i].msg) != NULL, "case %zu: '%s'", i,
                 err.msg);
    }
}

static void test_nul_and_limits(void)
{
    struct alm_error err;
    struct alm_table *t = NULL;
    const char nul[] = "a,b\n1,2\n3,\0\n";
    alm_error_clear(&err);
    CHECK(alm_table_parse(nul, sizeof nul - 1, "t.csv", &t, &err) ==
          ALM_EINPUT);
    CHECK_INT(err.line, 3);
    CHECK(strstr(err.msg, "NUL") != NULL);

    size_t n = ALM_CSV_FIELD_MAX + 1;
    char *big = malloc(n + 16);
    memcpy(big, "a\n", 2);
    memset(big + 2, 'x', n);
    big[2 + n] = '\n';
    big[3 + n] = '\0';
    alm_error_clear(&err);
    CHECK(alm_table_parse(big, strlen(big), "t.csv", &t, &err) == ALM_EINPUT);
    CHECK_INT(err.line, 2);
    CHECK(strstr(err.msg, "limit") != NULL);
    free(big);
}

static void test_field_quoting(void)
{
    struct alm_buf b = ALM_BUF_INIT;
    alm_csv_add_field(&b, "plain");
    alm_buf_putc(&b, '|');
    alm_csv_add_field(&b, "a,b");
    alm_buf_putc(&b, '|');
    alm_csv_add_field(&b, "say \"x\"");
    alm_buf_putc(&b, '|');
    alm_csv_add_field(&b, "cr\r");
    alm_buf_putc(&b, '|');
    alm_csv_add_field(&b, "");
    CHECK_STR(b.s, "plain|\"a,b\"|\"say \"\"x\"\"\"|\"cr\r\"|");
    alm_buf_release(&b);
}

/* Rows parsed on two threads are the rows of a serial parse: with the
 * split threshold at one byte every text is cut after the line end past
 * its middle that an even number of quotes precedes. Row i of the text is
 * `i,"a\nb"` on lines 2 + 2i and 3 + 2i (hand-written from the loop). */
static void test_split(void)
{
    alm__csv_split_min(1);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_buf_puts(&b, "n,text\n") == ALM_OK);
    for (int i = 0; i < 101; i++)
        CHECK(alm_buf_printf(&b, "%d,\"a%d\nb\"\n", i, i) == ALM_OK);
    struct alm_error err;
    struct alm_table *t = parse(b.s, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK_INT(t->nrows, 101);
        CHECK_STR(alm_table_cell(t, 0, 0), "0");
        CHECK_STR(alm_table_cell(t, 50, 1), "a50\nb");
        CHECK_INT(t->lines[50], 102);
        CHECK_STR(alm_table_cell(t, 51, 1), "a51\nb");
        CHECK_INT(t->lines[51], 104);
        CHECK_STR(alm_table_cell(t, 100, 0), "100");
        CHECK_INT(t->lines[100], 202);
    }
    alm_table_free(t);
    /* A short row in the second half is reported on its own line: row 90
     * starts on line 182. */
    alm_buf_reset(&b);
    CHECK(alm_buf_puts(&b, "n,text\n") == ALM_OK);
    for (int i = 0; i < 101; i++)
        CHECK(alm_buf_printf(&b, i == 90 ? "%d\n" : "%d,\"a\nb\"\n", i) ==
              ALM_OK);
    t = parse(b.s, &err);
    CHECK(t == NULL);
    CHECK_INT(err.line, 182);
    CHECK(strstr(err.msg, "expected 2 fields") != NULL);
    alm_table_free(t);
    /* The check that a text about to be written reads back: the same. */
    alm_error_clear(&err);
    CHECK_INT(alm__table_check(b.s, b.len, "t.csv", &err), ALM_EINPUT);
    CHECK_INT(err.line, 182);
    /* A stray quote in the first half (row 10, line 22) throws the quote
     * count off: the first problem is still that one. */
    alm_buf_reset(&b);
    CHECK(alm_buf_puts(&b, "n,text\n") == ALM_OK);
    for (int i = 0; i < 101; i++)
        CHECK(alm_buf_printf(&b, i == 10 ? "%d,x\"y\n" : "%d,\"a\nb\"\n", i) ==
              ALM_OK);
    t = parse(b.s, &err);
    CHECK(t == NULL);
    CHECK_INT(err.line, 22);
    CHECK(strstr(err.msg, "malformed quoting") != NULL);
    alm_table_free(t);
    alm_buf_release(&b);
    /* The other tests' texts, split wherever they can be. */
    test_basic();
    test_malformed();
    alm__csv_split_min((size_t)8 << 20);
}

/* A table of 70,001 rows is written in two halves on two threads: the
 * text must be the rows in order, each quoted by RFC 4180 and, guarded,
 * with a quote mark before a formula, as written here by hand. */
static void test_write_halves(void)
{
    static const char *const head[] = {"id", "text"};
    struct alm_table *t = alm_table_new("t.csv", 2, head);
    struct alm_buf want = ALM_BUF_INIT, want_g = ALM_BUF_INIT;
    alm_buf_puts(&want, "id,text\n");
    alm_buf_puts(&want_g, "id,text\n");
    for (size_t i = 0; t && i < 70001; i++) {
        char id[32];
        snprintf(id, sizeof id, "r%zu", i);
        CHECK(alm_table_add_row(t, 0) == ALM_OK);
        alm_table_set(t, i, 0, id);
        switch (i % 4) {
        case 0:
            alm_table_set(t, i, 1, "plain");
            alm_buf_printf(&want, "%s,plain\n", id);
            alm_buf_printf(&want_g, "%s,plain\n", id);
            break;
        case 1:
            alm_table_set(t, i, 1, "a, \"b\"");
            alm_buf_printf(&want, "%s,\"a, \"\"b\"\"\"\n", id);
            alm_buf_printf(&want_g, "%s,\"a, \"\"b\"\"\"\n", id);
            break;
        case 2:
            alm_table_set(t, i, 1, "=1+2");
            alm_buf_printf(&want, "%s,=1+2\n", id);
            alm_buf_printf(&want_g, "%s,'=1+2\n", id);
            break;
        default:
            alm_buf_printf(&want, "%s,\n", id);
            alm_buf_printf(&want_g, "%s,\n", id);
        }
    }
    struct alm_buf got = ALM_BUF_INIT, got_g = ALM_BUF_INIT;
    CHECK(t && alm_table_format(t, &got) == ALM_OK);
    CHECK(t && alm_table_format_guarded(t, &got_g) == ALM_OK);
    CHECK_INT(got.len, want.len);
    CHECK(got.s && want.s && strcmp(got.s, want.s) == 0);
    CHECK_INT(got_g.len, want_g.len);
    CHECK(got_g.s && want_g.s && strcmp(got_g.s, want_g.s) == 0);
    alm_buf_release(&got);
    alm_buf_release(&got_g);
    alm_buf_release(&want);
    alm_buf_release(&want_g);
    alm_table_free(t);
}

/* The text of field j of row i in test_blocks: runs of three equal rows,
 * three runs of one length (1 to 40 bytes) differing in one byte, the
 * first, middle or last in turn. */
static void block_field(int i, int j, char *out)
{
    int run = i / 3, group = run / 3;
    int n = 1 + (group + j) % 40;
    for (int k = 0; k < n; k++)
        out[k] = (char)('a' + (k + j) % 26);
    int at = group % 3 == 0 ? 0 : group % 3 == 1 ? n / 2 : n - 1;
    out[at] = (char)('A' + run % 3);
    out[n] = '\0';
}

/* Texts of several blocks of 64 KiB: cells equal to the one above share
 * it, one that differs in any byte does not, an edited cell leaves the
 * one it shared with alone; spaces and tabs stay data and bad bytes are
 * found on their line wherever the block they are in. */
static void test_blocks(void)
{
    enum { ROWS = 12000 };
    struct alm_buf b = ALM_BUF_INIT;
    char f[3][48];
    CHECK(alm_buf_puts(&b, "x,y,z\n") == ALM_OK);
    for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < 3; j++)
            block_field(i, j, f[j]);
        /* Row 9000 (line 9002, in a later block) has spaces, row 6000 (in
         * another) a tab. */
        if (i == 9000)
            CHECK(alm_buf_printf(&b, "%s, %s ,%s\n", f[0], f[1], f[2]) ==
                  ALM_OK);
        else if (i == 6000)
            CHECK(alm_buf_printf(&b, "%s,%s,\t%s\n", f[0], f[1], f[2]) ==
                  ALM_OK);
        else
            CHECK(alm_buf_printf(&b, "%s,%s,%s\n", f[0], f[1], f[2]) == ALM_OK);
    }
    CHECK(b.len > 4 * (64 << 10));
    struct alm_error err;
    struct alm_table *t = parse(b.s, &err);
    CHECK(t != NULL);
    if (!t) {
        alm_buf_release(&b);
        return;
    }
    CHECK_INT(t->nrows, ROWS);
    size_t wrong = 0;
    for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < 3; j++) {
            char want[64];
            block_field(i, j, f[j]);
            snprintf(want, sizeof want, "%s%s%s",
                     i == 9000 && j == 1   ? " "
                     : i == 6000 && j == 2 ? "\t"
                                           : "",
                     f[j], i == 9000 && j == 1 ? " " : "");
            if (strcmp(alm_table_cell(t, (size_t)i, j), want) != 0 &&
                wrong++ < 5)
                CHECK_AT(false, "row %d field %d: '%s', want '%s'", i, j,
                         alm_table_cell(t, (size_t)i, j), want);
        }
        if (t->lines[i] != i + 2 && wrong++ < 5)
            CHECK_AT(false, "row %d on line %ld", i, t->lines[i]);
    }
    CHECK_INT(wrong, 0);
    /* Rows 0 to 2 hold the same x... */
    block_field(0, 0, f[0]);
    CHECK_STR(alm_table_cell(t, 1, 0), f[0]);
    /* ...and a new text for row 1's leaves row 0's and row 2's. */
    CHECK(alm_table_set(t, 1, 0, "edited") == ALM_OK);
    CHECK_STR(alm_table_cell(t, 0, 0), f[0]);
    CHECK_STR(alm_table_cell(t, 1, 0), "edited");
    CHECK_STR(alm_table_cell(t, 2, 0), f[0]);
    CHECK(alm_table_set(t, 1, 0, f[0]) == ALM_OK);
    struct alm_buf out = ALM_BUF_INIT;
    CHECK(alm_table_format(t, &out) == ALM_OK);
    CHECK(out.len == b.len && memcmp(out.s, b.s, b.len) == 0);
    alm_buf_release(&out);
    alm_table_free(t);
    /* Bad bytes in a later block: on their own line. */
    static const char *const bad[] = {"\xC3\x28", "\xED\xA0\x80"};
    for (size_t k = 0; k < 2; k++) {
        struct alm_buf c = ALM_BUF_INIT;
        CHECK(alm_buf_add(&c, b.s, b.len) == ALM_OK);
        CHECK(alm_buf_printf(&c, "p,%s,q\n", bad[k]) == ALM_OK);
        t = parse(c.s, &err);
        CHECK(t == NULL);
        CHECK_INT(err.line, ROWS + 2);
        CHECK(strstr(err.msg, "invalid UTF-8") != NULL);
        alm_table_free(t);
        alm_buf_release(&c);
    }
    alm_buf_release(&b);
}

int main(void)
{
    alm_init();
    test_basic();
    test_edit();
    test_large_edit();
    test_malformed();
    test_nul_and_limits();
    test_field_quoting();
    test_split();
    test_write_halves();
    test_blocks();
    alm__csv_split_min(1);
    test_blocks(); /* in two halves */
    alm__csv_split_min((size_t)8 << 20);
    return check_done();
}
