/* Extraction of figures from documents: a document read, decoded
 * (extract_text.c), cut into sentences, each read for figures
 * (extract_items.c, extract_grammar.c); and the table of figures. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/export.h>
#include <almanac/extract.h>
#include <almanac/fsio.h>
#include <almanac/period.h>

#include "extract_internal.h"
#include "lexicon.h"

#include "internal.h"

#define DOC_MAX (64L * 1024 * 1024)

/* The longest sentence, in bytes: longer runs of text without a full stop
 * (tables, lists) are cut, at a space where possible, so that the work per
 * sentence stays bounded. */
#define SENTENCE_MAX 2000

/* Returns the end of the sentence starting at i. */
static size_t sentence_end(const char *s, size_t len, size_t i)
{
    size_t start = i, space = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        if (i - start >= SENTENCE_MAX) {
            if (space > start)
                return space;
            while (i > start && ((unsigned char)s[i] & 0xc0) == 0x80)
                i--;
            return i > start ? i : start + 1;
        }
        if (ch == ' ' || ch == ',' || ch == ';')
            space = i + 1;
        if (ch == '\n')
            return i + 1;
        if ((ch == '!' || ch == '?' || ch == '.') &&
            (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' ||
             s[i + 1] == '"'))
            return i + 1;
        if (ch == 0xe3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x82)
            return i + 3; /* 。 */
        i++;
    }
    return len;
}

/* ---- documents --------------------------------------------------------- */

void alm_doc_free(struct alm_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nfig; i++) {
        free(doc->fig[i].quote);
        free(doc->fig[i].subject);
    }
    free(doc->fig);
    free(doc->name);
    free(doc->text);
    free(doc->title);
    free(doc);
}

/* Reads the date line: leading space, "date", a date; returns where the
 * text after it starts. */
static size_t read_date(const char *u, size_t len, struct alm_doc *d, int *dy,
                        int *dm)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(u, "\xef\xbb\xbf", 3))
        i = 3;
    size_t start = i;
    while (i < len && strchr(" \t\r\n", u[i]))
        i++;
    /* cppcheck-suppress knownConditionTrueFalse ; i may reach len */
    if (len - i < 5 || strncmp(u + i, "date", 4) != 0 ||
        !strchr(" \t:", u[i + 4]))
        return start;
    i += 4;
    while (i < len && strchr(" \t:", u[i]))
        i++;
    size_t j = i;
    while (j < len && (is_digit(u[j]) || u[j] == '-') && j - i < 10)
        j++;
    char text[11];
    if (j - i < 4 || (j < len && !strchr(" \t\r\n", u[j])))
        return start;
    memcpy(text, u + i, j - i);
    text[j - i] = '\0';
    long day;
    if (alm_date_parse(text, &day, NULL) != ALM_OK)
        return start;
    alm__copy(d->date, sizeof d->date, text);
    *dy = small_int(text);
    *dm = j - i >= 7 ? small_int(text + 5) : 0;
    return j;
}

/* The title: the first line of text, without a "Title:" label, cut. */
static char *make_title(const char *u, size_t len, size_t from)
{
    size_t i = from;
    while (i < len && strchr(" \t\r\n", u[i]))
        i++;
    size_t e = i;
    while (e < len && u[e] != '\n' && u[e] != '\r')
        e++;
    if (e - i > 6 && !strncmp(u + i, "Title:", 6))
        for (i += 6; i < e && u[i] == ' '; i++)
            ;
    bool cut = false;
    if (e - i > 160) {
        e = i + 160;
        while (e > i && ((unsigned char)u[e] & 0xc0) == 0x80)
            e--;
        cut = true;
    }
    while (e > i && u[e - 1] == ' ')
        e--;
    struct alm_buf b = ALM_BUF_INIT;
    if (alm_buf_add(&b, u + i, e - i) != ALM_OK ||
        (cut && alm_buf_puts(&b, "...") != ALM_OK)) {
        alm_buf_release(&b);
        return NULL;
    }
    return alm_buf_detach(&b);
}

enum alm_status alm_extract_text(const struct alm_lexicon *lex,
                                 const char *name, const char *data, size_t len,
                                 struct alm_doc **out, struct alm_error *err)
{
    struct alm_doc *d = calloc(1, sizeof *d);
    if (!d || !(d->name = alm__strdup(name))) {
        free(d);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    struct ctx c = {lex, NULL, 0, NULL, 0, NULL, NULL, 0, 0};
    enum alm_status st = alm__ex_decode(name, data, len, &d->text, &d->len,
                                        &c.omap, &d->encoding, err);
    if (st != ALM_OK) {
        alm_doc_free(d);
        return st;
    }
    c.u = d->text;
    c.ulen = d->len;
    size_t body = read_date(d->text, d->len, d, &c.dy, &c.dm);
    d->title = make_title(d->text, d->len, body);
    if (!d->title || alm__ex_normalise(&c, body) != ALM_OK) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    } else {
        /* map[] is relative to u; shift offsets to the whole document. */
        struct items it = {NULL, 0, 0};
        struct sentence_state prev = {{0}, false};
        size_t i = 0;
        while (i < c.nlen && st == ALM_OK) {
            size_t e = sentence_end(c.n, c.nlen, i);
            if (i > 0 && c.n[i - 1] == '\n')
                prev.has_last = false; /* a new paragraph */
            if (alm__ex_sentence(&c, d, i, e, &it, &prev) != ALM_OK)
                st = alm_fail(err, ALM_ENOMEM, "out of memory");
            i = e;
        }
        free(it.v);
    }
    free(c.n);
    free(c.map);
    free(c.omap);
    if (st != ALM_OK) {
        alm_doc_free(d);
        return st;
    }
    *out = d;
    return ALM_OK;
}

enum alm_status alm_extract_file(const struct alm_lexicon *lex,
                                 const char *path, struct alm_doc **out,
                                 struct alm_error *err)
{
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(path, DOC_MAX, &b, err);
    if (st != ALM_OK) {
        if (st != ALM_EIO) /* the message of a read names the file */
            alm_error_locate(err, path, 0, NULL);
        alm_buf_release(&b);
        return st;
    }
    st = alm_extract_text(lex, path, b.s ? b.s : "", b.len, out, err);
    alm_buf_release(&b);
    return st;
}

/* ---- the table --------------------------------------------------------- */

void alm_extract_format_value(double x, char *out, size_t size)
{
    if (x == (double)(long long)x && x > -1e15 && x < 1e15)
        snprintf(out, size, "%lld", (long long)x);
    else
        alm_format_double(x, out, size);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

enum alm_status alm_extract_table(struct alm_doc *const *docs, size_t n,
                                  struct alm_table **out, struct alm_error *err)
{
    static const char *const cols[] = {
        "document", "offset",    "value", "unit",  "kind",
        "period",   "qualifier", "role",  "quote", "subject"};
    struct alm_table *t = alm_table_new("extract", 10, cols);
    if (!t || alm_table_set_types(t, "tnnttttttt") != ALM_OK) {
        alm_table_free(t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < n && st == ALM_OK; i++) {
        for (size_t j = 0; j < docs[i]->nfig && st == ALM_OK; j++) {
            const struct alm_figure *f = &docs[i]->fig[j];
            char off[32], val[40];
            snprintf(off, sizeof off, "%zu", f->offset);
            alm_extract_format_value(f->value, val, sizeof val);
            const char *cells[10] = {base_name(docs[i]->name),
                                     off,
                                     val,
                                     f->unit,
                                     alm_kind_name(f->kind),
                                     f->period,
                                     alm_qualifier_text(f->qual),
                                     f->target ? "target" : "observation",
                                     f->quote,
                                     f->subject};
            if (alm_table_add_row(t, 0) != ALM_OK)
                st = ALM_ENOMEM;
            for (size_t k = 0; k < 10 && st == ALM_OK; k++) {
                /* Text a spreadsheet would run as a formula gets a "'",
                 * as in exports. */
                if (alm_export_is_formula(cells[k])) {
                    struct alm_buf b = ALM_BUF_INIT;
                    st = alm_buf_printf(&b, "'%s", cells[k]);
                    if (st == ALM_OK)
                        st = alm_table_set(t, t->nrows - 1, k, b.s);
                    alm_buf_release(&b);
                } else {
                    st = alm_table_set(t, t->nrows - 1, k, cells[k]);
                }
            }
        }
    }
    if (st != ALM_OK) {
        alm_table_free(t);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    *out = t;
    return ALM_OK;
}
