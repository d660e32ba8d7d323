/* What the extract files share (extract_text.c: decoding and
 * normalisation; extract_items.c: items and periods; extract_grammar.c:
 * the figures of a sentence; extract.c: documents and the table): the
 * document being read, its items, and the steps each file provides.
 * Private to them. */
#ifndef ALMANAC_EXTRACT_INTERNAL_H
#define ALMANAC_EXTRACT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <almanac/extract.h>
#include <almanac/period.h>

#include "lexicon.h"

/* A document being read. */
struct ctx {
    const struct alm_lexicon *lex;
    const char *u; /* the document in UTF-8 */
    size_t ulen;
    char *n; /* normalised text */
    size_t nlen;
    size_t *map;  /* map[i]: offset in u of the character holding n[i] */
    size_t *omap; /* omap[j]: offset in the file of u[j] (NULL: the same) */
    int dy, dm;   /* the document's year and month, 0 when unknown */
};

enum it_type {
    IT_NUM,    /* a number that may be a figure */
    IT_LEX,    /* a lexicon match */
    IT_WORD,   /* any other word */
    IT_CJK,    /* any other CJK character */
    IT_CLAUSE, /* , ; : ( ) */
    IT_LIST,   /* and, 、, 和 */
    IT_SKIP    /* digits that are not a figure (5G, 2024-2026) */
};

/* A period as read from the text, before or after its year is known. */
struct xper {
    bool has;    /* a period (else nothing, or unresolved) */
    bool target; /* "by 2025" */
    bool base; /* a base of comparison ("比上年"), used only as a last resort */
    bool used;  /* attached to a neighbour ("of 2024") */
    bool unres; /* relative, and the document has no date: no period */
    bool needyear;
    bool isyear; /* a year, which others may attach to */
    enum alm_period_kind kind;
    long m0, m1; /* months from year 0, as struct alm_period */
    int a, b;    /* months of a year-less period */
};

struct item {
    enum it_type t;
    size_t s, e;
    const struct lx_entry *lx;
    struct lx_caps caps;
    /* numbers */
    char text[48]; /* digits without separators */
    bool integer, sep, cjk;
    long ival;
    /* periods */
    struct xper per;
};

struct items {
    struct item *v;
    size_t n, cap;
};

/* What a sentence passes to the next. */
struct sentence_state {
    struct xper last; /* the last period the previous sentence stated */
    bool has_last;
};

/* The integer at the start of s (0 if none), for lexicon values. */
static inline int small_int(const char *s)
{
    long v = strtol(s, NULL, 10);
    return v > 100000 || v < -100000 ? 0 : (int)v;
}

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_lex(const struct item *x, enum lx_cat cat)
{
    return x->t == IT_LEX && x->lx && x->lx->cat == cat;
}

static inline bool is_kind(const struct item *x, enum lx_kind k)
{
    return is_lex(x, LX_KIND) && x->lx->kc == k;
}

static inline bool is_cjk(uint32_t c)
{
    return c >= 0x3400 && c <= 0x9fff;
}

/* Sets a year-less period's months to a..b. */
static inline void set_months(struct xper *p, int a, int b,
                              enum alm_period_kind k)
{
    p->has = true;
    p->needyear = true;
    p->a = a;
    p->b = b;
    p->kind = k;
}

static inline void set_year(struct xper *p, long y)
{
    p->has = true;
    p->isyear = true;
    p->kind = ALM_PERIOD_YEAR;
    p->m0 = y * 12;
    p->m1 = y * 12 + 11;
}

/* Gives a year-less period its year. */
static inline void give_year(struct xper *p, long y)
{
    p->needyear = false;
    p->m0 = y * 12 + p->a - 1;
    p->m1 = y * 12 + p->b - 1;
    if (p->kind == ALM_PERIOD_SPAN && p->a == 1 && p->b == 12)
        p->kind = ALM_PERIOD_YEAR;
    else if (p->kind == ALM_PERIOD_SPAN && p->a == p->b)
        p->kind = ALM_PERIOD_MONTH;
}

/* Decodes the document data (len bytes, named name in messages) into
 * *out (caller frees): UTF-8 as it is, else GBK or Big5 through iconv,
 * whichever reads as more Chinese; *omap (caller frees; NULL for UTF-8)
 * maps each byte of *out to its offset in data, *enc names the encoding.
 * ALM_EINPUT for a NUL byte or text in none of them. */
enum alm_status alm__ex_decode(const char *name, const char *data, size_t len,
                               char **out, size_t *outlen, size_t **omap,
                               const char **enc, struct alm_error *err);

/* Normalises c->u from byte from on into c->n, with c->map (full-width
 * forms, Traditional characters, dashes and quotes folded). ALM_OK or
 * ALM_ENOMEM. */
enum alm_status alm__ex_normalise(struct ctx *c, size_t from);

/* Splits the sentence c->n[ss..se) into items (it is reset first). */
enum alm_status alm__ex_tokenise(const struct ctx *c, size_t ss, size_t se,
                                 struct items *it);

/* Turns the lexicon period matches and bare years of items into periods. */
void alm__ex_read_periods(const struct ctx *c, struct items *it);

/* Finds the figures of the sentence c->n[ss..se) and appends them to d;
 * it is the items' workspace, prev what the previous sentence left. */
enum alm_status alm__ex_sentence(struct ctx *c, struct alm_doc *d, size_t ss,
                                 size_t se, struct items *it,
                                 struct sentence_state *prev);

#endif
