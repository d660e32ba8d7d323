/* Extraction: a sentence split into items (lexicon matches, numbers,
 * words, clause marks), and the periods those items state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/extract.h>
#include <almanac/period.h>

#include "extract_internal.h"
#include "lexicon.h"

#include "internal.h"

/* ---- items ------------------------------------------------------------- */

static struct item *push(struct items *it)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 64;
        struct item *v = realloc(it->v, cap * sizeof *v);
        if (!v)
            return NULL;
        it->v = v;
        it->cap = cap;
    }
    struct item *x = &it->v[it->n++];
    memset(x, 0, sizeof *x);
    return x;
}

/* Scans an ASCII number at i (digits, thousands separators, a decimal
 * part). Returns its length; writes its digits without separators. */
static size_t scan_number(const char *s, size_t len, size_t i, struct item *x)
{
    size_t j = i, k = 0;
    while (j < len && is_digit(s[j]) && k < 30)
        x->text[k++] = s[j++];
    size_t intlen = j - i;
    while (intlen <= 3 && j + 3 < len + 0 && s[j] == ',' &&
           is_digit(s[j + 1]) && is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
           (j + 4 >= len || !is_digit(s[j + 4])) && k < 40) {
        memcpy(x->text + k, s + j + 1, 3);
        k += 3;
        j += 4;
        x->sep = true;
    }
    x->integer = true;
    if (j + 1 < len && s[j] == '.' && is_digit(s[j + 1])) {
        x->text[k++] = s[j++];
        while (j < len && is_digit(s[j]) && k < 46)
            x->text[k++] = s[j++];
        x->integer = false;
    }
    x->text[k] = '\0';
    x->ival = x->integer ? strtol(x->text, NULL, 10) : 0;
    return j - i;
}

static const unsigned ALL_CATS = 0xffu;

/* Scans a number at i: ASCII digits, or a number in Chinese characters.
 * Returns its length (0: none), with its digits and value in *num. */
static size_t scan_any_number(const char *s, size_t se, size_t i,
                              struct item *num)
{
    memset(num, 0, sizeof *num);
    if (is_digit(s[i]))
        return scan_number(s, se, i, num);
    if ((unsigned char)s[i] < 0x80)
        return 0;
    long v;
    size_t n = alm__scan_int(s, se, i, &v);
    if (n) {
        num->cjk = num->integer = true;
        num->ival = v;
        snprintf(num->text, sizeof num->text, "%ld", v);
    }
    return n;
}

/* Makes x the number num, n bytes at i: a figure, or digits that are no
 * figure (glued to letters, ranges, dates). Returns where the next item
 * starts. */
static size_t number_item(const struct ctx *c, size_t se, size_t i, size_t n,
                          const struct item *num, struct item *x)
{
    const char *s = c->n;
    *x = *num;
    x->s = i;
    x->e = i + n;
    x->t = IT_NUM;
    /* Digits glued to letters are names or ordinals: 5G, C919, 14th,
     * COVID-19, _2024_. */
    bool glued = i > 0 && (is_alpha(s[i - 1]) || s[i - 1] == '_' ||
                           (s[i - 1] == '-' && i > 1 && is_alpha(s[i - 2])));
    size_t j = x->e;
    if (!num->cjk && j < se && (is_alpha(s[j]) || s[j] == '_')) {
        const struct lx_entry *u = NULL;
        struct lx_caps uc;
        size_t m = alm__lx_match(c->lex, s, se, j,
                                 (1u << LX_UNIT) | (1u << LX_SCALE), &u, &uc);
        if (!m || (j + m < se && is_alpha(s[j + m])))
            glued = true;
    }
    if (!num->cjk && j + 1 < se && s[j] == '-' && is_alpha(s[j + 1]))
        glued = true; /* 1.1-fold, 5-year */
    if (glued) {
        while (j < se &&
               (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '_' || s[j] == '-'))
            j++;
        x->t = IT_SKIP;
        x->e = j;
        return j;
    }
    /* Numbers joined by dashes or slashes: year ranges (2024-2026), phone
     * numbers (010-6852-1234), dates (2024/3/26). */
    if (!num->cjk && j + 1 < se && (s[j] == '-' || s[j] == '/') &&
        is_digit(s[j + 1])) {
        while (j < se &&
               (is_digit(s[j]) || s[j] == '-' || s[j] == '/' || s[j] == '.'))
            j++;
        x->t = IT_SKIP;
        x->e = j;
        return j;
    }
    if (!num->cjk && i > 0 && (s[i - 1] == '-' || s[i - 1] == '/') && i > 1 &&
        is_digit(s[i - 2]))
        x->t = IT_SKIP;
    return x->e;
}

/* Makes x, the last of it, the word, CJK character, list or clause mark
 * at i, or drops it (other punctuation). Returns where the next item
 * starts. */
static size_t text_item(const char *s, size_t se, size_t i, struct items *it,
                        struct item *x)
{
    size_t j = i;
    if (is_alpha(s[i])) {
        while (j < se && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '-' ||
                          s[j] == '\'' || s[j] == '&'))
            j++;
        x->t = IT_WORD;
        x->e = j;
        return j;
    }
    uint32_t cp = alm__utf8_next(s, se, &j);
    if (cp == 0x3001 || cp == 0x548c || cp == 0x4e0e || cp == 0x53ca) {
        x->t = IT_LIST; /* 、 和 与 及 */
    } else if (cp == 0x300a || cp == 0x300b || cp == 0x3010 || cp == 0x3011) {
        x->t = IT_CLAUSE; /* 《 》 【 】 */
    } else if (is_cjk(cp)) {
        x->t = IT_CJK;
    } else {
        it->n--; /* other punctuation: nothing */
        return j;
    }
    x->e = j;
    return j;
}

enum alm_status alm__ex_tokenise(const struct ctx *c, size_t ss, size_t se,
                                 struct items *it)
{
    const char *s = c->n;
    size_t i = ss;
    it->n = 0;
    while (i < se) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n') {
            i++;
            continue;
        }
        if (strchr(",;:()[]", ch)) {
            struct item *x = push(it);
            if (!x)
                return ALM_ENOMEM;
            x->t = IT_CLAUSE;
            x->s = i;
            x->e = ++i;
            continue;
        }
        const struct lx_entry *e = NULL;
        struct lx_caps caps;
        size_t L = alm__lx_match(c->lex, s, se, i, ALL_CATS, &e, &caps);
        struct item num;
        size_t N = scan_any_number(s, se, i, &num);
        struct item *x = push(it);
        if (!x)
            return ALM_ENOMEM;
        x->s = i;
        if (L && L >= N) {
            x->t = IT_LEX;
            x->lx = e;
            x->caps = caps;
            x->e = i + L;
            if (e->cat == LX_STOP &&
                (!strcmp(e->pat, "and") || !strcmp(e->pat, "or")))
                x->t = IT_LIST;
            i += L;
        } else if (N) {
            i = number_item(c, se, i, N, &num, x);
        } else {
            i = text_item(s, se, i, it, x);
        }
    }
    return ALM_OK;
}

/* ---- periods ----------------------------------------------------------- */

/* Reads the value of a span ("1-#", "@-@", "1-2") with its slots. */
static bool span_value(const char *v, const struct lx_caps *c, int *a, int *b)
{
    int k = 0, m = 0, out[2] = {0, 0}, n = 0;
    const char *p = v;
    while (*p && n < 2) {
        if (*p == '#')
            out[n++] = k < c->nnum ? (int)c->num[k++] : 0, p++;
        else if (*p == '@')
            out[n++] = m < c->nmon ? c->mon[m++] : 0, p++;
        else if (is_digit(*p)) {
            out[n++] = (int)strtol(p, (char **)&p, 10);
        } else
            p++;
    }
    *a = out[0];
    *b = out[1];
    return n == 2 && *a >= 1 && *b <= 12 && *a <= *b;
}

/* True when the number x (the k-th item) is a bare year (2024, not 2024
 * tonnes); it then becomes a period. */
static bool bare_year(const struct items *it, size_t k)
{
    const struct item *x = &it->v[k];
    if (!(x->t == IT_NUM && !x->cjk && x->integer && !x->sep &&
          x->e - x->s == 4 && x->ival >= 1900 && x->ival <= 2100))
        return false;
    const struct item *nx = k + 1 < it->n ? &it->v[k + 1] : NULL;
    const struct item *pv = k ? &it->v[k - 1] : NULL;
    bool figure = (nx && (is_lex(nx, LX_SCALE) || is_lex(nx, LX_UNIT))) ||
                  (pv && is_lex(pv, LX_UNIT) && pv->lx->pos == POS_BEFORE);
    return !figure;
}

/* Reads the period of x, a lexicon period match, into x->per; relative
 * periods are taken from the document's date. */
static void lexicon_period(const struct ctx *c, struct item *x)
{
    const struct lx_entry *e = x->lx;
    struct xper *p = &x->per;
    int a = 0, b = 0;
    switch (e->pt) {
    case PT_YEAR:
        set_year(p, x->caps.nnum ? x->caps.num[0] : small_int(e->pval));
        break;
    case PT_MONTH:
        a = e->pval[0] == '#'   ? (x->caps.nnum ? (int)x->caps.num[0] : 0)
            : e->pval[0] == '@' ? (x->caps.nmon ? x->caps.mon[0] : 0)
                                : small_int(e->pval);
        if (a >= 1 && a <= 12)
            set_months(p, a, a, ALM_PERIOD_MONTH);
        break;
    case PT_SPAN:
        if (span_value(e->pval, &x->caps, &a, &b))
            set_months(p, a, b, ALM_PERIOD_SPAN);
        break;
    case PT_QUARTER:
        a = e->pval[0] == '#' ? (x->caps.nnum ? (int)x->caps.num[0] : 0)
                              : small_int(e->pval);
        if (a >= 1 && a <= 4)
            set_months(p, 3 * a - 2, 3 * a, ALM_PERIOD_QUARTER);
        break;
    case PT_RELYEAR:
    case PT_BASE:
        p->base = e->pt == PT_BASE;
        if (e->pval[0] == '#' && x->caps.nnum)
            set_year(p, x->caps.num[0]); /* from 2022, 比2022年 */
        else if (c->dy)
            set_year(p, c->dy + small_int(e->pval));
        else
            p->unres = true;
        break;
    case PT_RELMONTH:
        p->unres = !c->dm;
        if (c->dm) {
            long m = (long)c->dy * 12 + c->dm - 1 + small_int(e->pval);
            p->has = true;
            p->kind = ALM_PERIOD_MONTH;
            p->m0 = p->m1 = m;
        }
        break;
    default:
        break;
    }
    p->target = e->ptarget;
}

/* Gives the year-less period of item k its year: the year beside it
 * (2024年1-2月, the first two months of 2024, January 2024), else the
 * latest such period that has ended by the document's date, else none. */
static void attach_year(const struct ctx *c, struct items *it, size_t k)
{
    struct xper *p = &it->v[k].per;
    struct item *y = NULL;
    if (k > 0 && it->v[k - 1].per.isyear && !it->v[k - 1].per.used)
        y = &it->v[k - 1];
    else if (k + 1 < it->n && it->v[k + 1].per.isyear)
        y = &it->v[k + 1];
    else if (k + 2 < it->n && it->v[k + 2].per.isyear &&
             (is_lex(&it->v[k + 1], LX_STOP) || it->v[k + 1].t == IT_CLAUSE))
        y = &it->v[k + 2];
    if (y) {
        give_year(p, y->per.m0 / 12);
        p->target = p->target || y->per.target;
        y->per.used = true;
    } else if (c->dy) {
        long yr = c->dy;
        if (c->dm && p->b > c->dm)
            yr--;
        if (!c->dm && p->b > 12)
            yr--;
        give_year(p, yr);
    } else {
        p->has = false;
        p->unres = true;
    }
}

void alm__ex_read_periods(const struct ctx *c, struct items *it)
{
    for (size_t k = 0; k < it->n; k++) {
        struct item *x = &it->v[k];
        if (bare_year(it, k)) {
            x->t = IT_LEX;
            x->lx = NULL;
            set_year(&x->per, x->ival);
        } else if (is_lex(x, LX_PERIOD)) {
            lexicon_period(c, x);
        }
    }
    /* A comparison base ("than in December") is no period of the figure. */
    for (size_t k = 0; k + 1 < it->n; k++)
        if (is_lex(&it->v[k], LX_PERIOD) && it->v[k].lx->pt == PT_BASEMARK &&
            it->v[k + 1].per.has)
            it->v[k + 1].per.base = true;
    for (size_t k = 0; k < it->n; k++)
        if (it->v[k].per.has && it->v[k].per.needyear)
            attach_year(c, it, k);
}
