/* Extraction of figures from documents: decoding (iconv), normalisation
 * (full-width forms, Traditional characters, dashes), sentences, items
 * (lexicon matches, numbers, words) and the small grammar that turns a
 * number and the items around it into a figure. The words themselves are
 * in the lexicon (lexicon.c); nothing here knows a particular document. */
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

#include "lexicon.h"

#include "internal.h"

/* The integer at the start of s (0 if none), for lexicon values. */
static int small_int(const char *s)
{
    long v = strtol(s, NULL, 10);
    return v > 100000 || v < -100000 ? 0 : (int)v;
}

#define DOC_MAX (64L * 1024 * 1024)

/* ---- decoding --------------------------------------------------------- */

static bool is_cjk(uint32_t c)
{
    return c >= 0x3400 && c <= 0x9fff;
}

/* Converts len bytes from encoding from to UTF-8, a character at a time so
 * that *omap (caller frees) gives, for each output byte, the offset of the
 * input character it came from. NULL when the bytes are not valid in it. */
static char *convert(const char *from, const char *data, size_t len,
                     size_t *outlen, size_t **omap)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 4 + 16, k = 0, i = 0;
    char *out = malloc(cap);
    size_t *map = malloc(cap * sizeof *map);
    bool ok = out && map;
    while (ok && i < len) {
        size_t n = 1;
        for (;; n++) {
            char *ip = (char *)data + i, *op = out + k;
            size_t ileft = n, left = cap - k - 1;
            if (i + n > len || n > 4) {
                ok = false;
                break;
            }
            size_t r = iconv(cd, &ip, &ileft, &op, &left);
            if (r != (size_t)-1 && ileft == 0) {
                size_t made = (size_t)(op - (out + k));
                for (size_t j = 0; j < made; j++)
                    map[k + j] = i;
                k += made;
                i += n;
                break;
            }
            if (r == (size_t)-1 && errno != EINVAL) {
                ok = false;
                break;
            }
        }
    }
    iconv_close(cd);
    if (!ok) {
        free(out);
        free(map);
        return NULL;
    }
    out[k] = '\0';
    map[k] = len;
    *outlen = k;
    *omap = map;
    return out;
}

/* How much text looks like running Chinese: the share of CJK characters
 * that are among the commonest (in their Simplified or Traditional form). */
static double chinese_score(const char *s, size_t len)
{
    static const char common[] =
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成"
        "会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着"
        "等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
        "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新"
        "线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公"
        "无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
        "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运"
        "農這為國個會發產動來時們對說長經進電與業點當現實開變關萬億輛增計統";
    size_t n = 0, hit = 0, i = 0;
    while (i < len) {
        uint32_t c = alm__utf8_next(s, len, &i);
        if (!is_cjk(c))
            continue;
        n++;
        size_t j = 0, cl = sizeof common - 1;
        while (j < cl) {
            if (alm__utf8_next(common, cl, &j) == c) {
                hit++;
                break;
            }
        }
    }
    return n ? (double)hit / (double)n : 0;
}

static enum alm_status decode(const char *name, const char *data, size_t len,
                              char **out, size_t *outlen, size_t **omap,
                              const char **enc, struct alm_error *err)
{
    char q[300];
    if (memchr(data, '\0', len)) {
        alm_fail(err, ALM_EINPUT,
                 "holds NUL bytes: not a text document (extract reads plain "
                 "text in UTF-8, GBK or Big5)");
        alm_error_locate(err, name, 0, NULL);
        return ALM_EINPUT;
    }
    if (alm__utf8_valid(data, len)) {
        *out = alm__strndup(data, len);
        *outlen = len;
        *enc = "UTF-8";
        return *out ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    size_t lg = 0, lb = 0, *mg = NULL, *mb = NULL;
    char *g = convert("GB18030", data, len, &lg, &mg);
    char *b = convert("BIG5", data, len, &lb, &mb);
    if (!g && !b) {
        (void)q;
        alm_fail(err, ALM_EINPUT,
                 "not text in UTF-8, GBK or Big5: convert it to UTF-8 first "
                 "(iconv -f ENCODING -t UTF-8)");
        alm_error_locate(err, name, 0, NULL);
        return ALM_EINPUT;
    }
    if (g && b && chinese_score(b, lb) > chinese_score(g, lg)) {
        free(g);
        free(mg);
        g = NULL;
    }
    if (g) {
        free(b);
        free(mb);
        *out = g;
        *omap = mg;
        *outlen = lg;
        *enc = "GBK";
    } else {
        *out = b;
        *omap = mb;
        *outlen = lb;
        *enc = "BIG5";
    }
    return ALM_OK;
}

/* ---- normalisation ---------------------------------------------------- */

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

static void put_utf8(char *out, size_t *k, uint32_t c)
{
    if (c < 0x80) {
        out[(*k)++] = (char)c;
    } else if (c < 0x800) {
        out[(*k)++] = (char)(0xc0 | (c >> 6));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[(*k)++] = (char)(0xe0 | (c >> 12));
        out[(*k)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*k)++] = (char)(0xf0 | (c >> 18));
        out[(*k)++] = (char)(0x80 | ((c >> 12) & 0x3f));
        out[(*k)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    }
}

static uint32_t fold(const struct alm_lexicon *lex, uint32_t c)
{
    if (c >= 0xff01 && c <= 0xff5e)
        return c - 0xfee0;
    switch (c) {
    case 0x3000:
    case 0x00a0:
    case '\t':
        return ' ';
    case '\r':
        return '\n';
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xfe63:
        return '-';
    case 0x2018:
    case 0x2019:
        return '\'';
    case 0x201c:
    case 0x201d:
        return '"';
    default:
        return alm__lx_simplify(lex, c);
    }
}

static enum alm_status normalise(struct ctx *c, size_t from)
{
    c->n = malloc(c->ulen - from + 8);
    c->map = malloc((c->ulen - from + 8) * sizeof *c->map);
    if (!c->n || !c->map)
        return ALM_ENOMEM;
    size_t i = from, k = 0;
    while (i < c->ulen) {
        size_t at = i;
        uint32_t cp = fold(c->lex, alm__utf8_next(c->u, c->ulen, &i));
        char tmp[4];
        size_t m = 0;
        put_utf8(tmp, &m, cp);
        if (m > i - at) { /* never longer than the original */
            m = i - at;
            memcpy(tmp, c->u + at, m);
        }
        for (size_t j = 0; j < m; j++) {
            c->n[k] = tmp[j];
            c->map[k++] = at;
        }
    }
    c->n[k] = '\0';
    c->map[k] = c->ulen;
    c->nlen = k;
    return ALM_OK;
}

/* ---- items ------------------------------------------------------------- */

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
    bool integer, sep, cjk, dash;
    long ival;
    /* periods */
    struct xper per;
};

struct items {
    struct item *v;
    size_t n, cap;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

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

/* Splits the sentence n[ss..se) into items. */
static enum alm_status tokenise(const struct ctx *c, size_t ss, size_t se,
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
        memset(&num, 0, sizeof num);
        size_t N = 0;
        if (is_digit(ch)) {
            N = scan_number(s, se, i, &num);
        } else if ((unsigned char)ch >= 0x80) {
            long v;
            N = alm__scan_int(s, se, i, &v);
            if (N) {
                num.cjk = num.integer = true;
                num.ival = v;
                snprintf(num.text, sizeof num.text, "%ld", v);
            }
        }
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
            continue;
        }
        if (N) {
            *x = num;
            x->s = i;
            x->e = i + N;
            x->t = IT_NUM;
            /* Digits glued to letters are names or ordinals: 5G, C919,
             * 14th, COVID-19, _2024_. */
            bool glued =
                i > 0 && (is_alpha(s[i - 1]) || s[i - 1] == '_' ||
                          (s[i - 1] == '-' && i > 1 && is_alpha(s[i - 2])));
            size_t j = x->e;
            if (!num.cjk && j < se && (is_alpha(s[j]) || s[j] == '_')) {
                const struct lx_entry *u = NULL;
                struct lx_caps uc;
                size_t m =
                    alm__lx_match(c->lex, s, se, j,
                                  (1u << LX_UNIT) | (1u << LX_SCALE), &u, &uc);
                if (!m || (j + m < se && is_alpha(s[j + m])))
                    glued = true;
            }
            if (!num.cjk && j + 1 < se && s[j] == '-' && is_alpha(s[j + 1]))
                glued = true; /* 1.1-fold, 5-year */
            if (glued) {
                while (j < se && (is_alpha(s[j]) || is_digit(s[j]) ||
                                  s[j] == '_' || s[j] == '-'))
                    j++;
                x->t = IT_SKIP;
                x->e = j;
                i = j;
                continue;
            }
            /* Numbers joined by dashes or slashes: year ranges (2024-2026),
             * phone numbers (010-6852-1234), dates (2024/3/26). */
            if (!num.cjk && j + 1 < se && (s[j] == '-' || s[j] == '/') &&
                is_digit(s[j + 1])) {
                while (j < se && (is_digit(s[j]) || s[j] == '-' ||
                                  s[j] == '/' || s[j] == '.'))
                    j++;
                x->t = IT_SKIP;
                x->e = j;
                i = j;
                continue;
            }
            if (!num.cjk && i > 0 && (s[i - 1] == '-' || s[i - 1] == '/') &&
                i > 1 && is_digit(s[i - 2]))
                x->t = IT_SKIP;
            i = x->e;
            continue;
        }
        if (is_alpha(ch)) {
            size_t j = i;
            while (j < se && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '-' ||
                              s[j] == '\'' || s[j] == '&'))
                j++;
            x->t = IT_WORD;
            x->e = j;
            i = j;
            continue;
        }
        size_t j = i;
        uint32_t cp = alm__utf8_next(s, se, &j);
        if (cp == 0x3001 || cp == 0x548c || cp == 0x4e0e || cp == 0x53ca) {
            x->t = IT_LIST; /* 、 和 与 及 */
        } else if (cp == 0x300a || cp == 0x300b || cp == 0x3010 ||
                   cp == 0x3011) {
            x->t = IT_CLAUSE; /* 《 》 【 】 */
        } else if (is_cjk(cp)) {
            x->t = IT_CJK;
        } else {
            it->n--; /* other punctuation: nothing */
            i = j;
            continue;
        }
        x->e = j;
        i = j;
    }
    return ALM_OK;
}

/* ---- periods ----------------------------------------------------------- */

static bool is_lex(const struct item *x, enum lx_cat cat)
{
    return x->t == IT_LEX && x->lx && x->lx->cat == cat;
}

static bool is_kind(const struct item *x, enum lx_kind k)
{
    return is_lex(x, LX_KIND) && x->lx->kc == k;
}

/* Sets a year-less period's months to a..b. */
static void set_months(struct xper *p, int a, int b, enum alm_period_kind k)
{
    p->has = true;
    p->needyear = true;
    p->a = a;
    p->b = b;
    p->kind = k;
}

static void set_year(struct xper *p, long y)
{
    p->has = true;
    p->isyear = true;
    p->kind = ALM_PERIOD_YEAR;
    p->m0 = y * 12;
    p->m1 = y * 12 + 11;
}

/* Gives a year-less period its year. */
static void give_year(struct xper *p, long y)
{
    p->needyear = false;
    p->m0 = y * 12 + p->a - 1;
    p->m1 = y * 12 + p->b - 1;
    if (p->kind == ALM_PERIOD_SPAN && p->a == 1 && p->b == 12)
        p->kind = ALM_PERIOD_YEAR;
    else if (p->kind == ALM_PERIOD_SPAN && p->a == p->b)
        p->kind = ALM_PERIOD_MONTH;
}

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

/* Turns the lexicon period matches and bare years of items into periods. */
static void read_periods(const struct ctx *c, struct items *it)
{
    for (size_t k = 0; k < it->n; k++) {
        struct item *x = &it->v[k];
        if (x->t == IT_NUM && !x->cjk && x->integer && !x->sep &&
            x->e - x->s == 4 && x->ival >= 1900 && x->ival <= 2100) {
            const struct item *nx = k + 1 < it->n ? &it->v[k + 1] : NULL;
            const struct item *pv = k ? &it->v[k - 1] : NULL;
            bool figure =
                (nx && (is_lex(nx, LX_SCALE) || is_lex(nx, LX_UNIT))) ||
                (pv && is_lex(pv, LX_UNIT) && pv->lx->pos == POS_BEFORE);
            if (!figure) {
                x->t = IT_LEX;
                x->lx = NULL;
                set_year(&x->per, x->ival);
                continue;
            }
        }
        if (!is_lex(x, LX_PERIOD))
            continue;
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
    /* A comparison base ("than in December") is no period of the figure. */
    for (size_t k = 0; k + 1 < it->n; k++)
        if (is_lex(&it->v[k], LX_PERIOD) && it->v[k].lx->pt == PT_BASEMARK &&
            it->v[k + 1].per.has)
            it->v[k + 1].per.base = true;
    /* Years attach to the months, spans and quarters beside them:
     * 2024年1-2月, the first two months of 2024, January 2024. */
    for (size_t k = 0; k < it->n; k++) {
        struct xper *p = &it->v[k].per;
        if (!p->has || !p->needyear)
            continue;
        struct item *y = NULL;
        if (k > 0 && it->v[k - 1].per.isyear && !it->v[k - 1].per.used)
            y = &it->v[k - 1];
        else if (k + 1 < it->n && it->v[k + 1].per.isyear)
            y = &it->v[k + 1];
        else if (k + 2 < it->n && it->v[k + 2].per.isyear &&
                 (is_lex(&it->v[k + 1], LX_STOP) ||
                  it->v[k + 1].t == IT_CLAUSE))
            y = &it->v[k + 2];
        if (y) {
            give_year(p, y->per.m0 / 12);
            p->target = p->target || y->per.target;
            y->per.used = true;
        } else if (c->dy) {
            /* The latest such period that has ended by the date. */
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
}

/* ---- figures ----------------------------------------------------------- */

struct fig {
    size_t k;        /* its number's item */
    size_t unit_end; /* the item after its unit */
    char unit[16];
    bool stock; /* a count of things that exist, not made in a period */
    bool has_unit;
    bool noun_unit; /* its unit is a noun after it ("zones") */
    size_t noun_from, noun_to;
    int exp;
    const struct lx_entry *qual_after;
    bool drop;
};

static size_t clause_start(const struct items *it, size_t k)
{
    while (k > 0 && it->v[k - 1].t != IT_CLAUSE)
        k--;
    return k;
}

static size_t clause_end(const struct items *it, size_t k)
{
    while (k < it->n && it->v[k].t != IT_CLAUSE)
        k++;
    return k;
}

/* Reads the scale, unit and exclusions after the number at item k. */
static void read_unit(const struct items *it, size_t k, struct fig *f)
{
    size_t j = k + 1, n = it->n;
    const struct item *x = &it->v[k];
    memset(f, 0, sizeof *f);
    f->k = k;
    if (k > 0 && is_lex(&it->v[k - 1], LX_EXCL) &&
        it->v[k - 1].lx->pos == POS_BEFORE)
        f->drop = true; /* page 12, 第3, tel */
    if (k > 0 && is_lex(&it->v[k - 1], LX_UNIT) &&
        it->v[k - 1].lx->pos == POS_BEFORE) {
        alm__copy(f->unit, sizeof f->unit, it->v[k - 1].lx->unit);
        f->has_unit = true;
    }
    if (j < n && is_lex(&it->v[j], LX_SCALE)) {
        f->exp = it->v[j].lx->exp;
        j++;
    }
    if (j < n && is_lex(&it->v[j], LX_QUAL) && it->v[j].lx->pos == POS_AFTER &&
        j + 1 < n && is_lex(&it->v[j + 1], LX_UNIT)) {
        f->qual_after = it->v[j].lx; /* 1000多家 */
        j++;
    }
    if (j < n && is_lex(&it->v[j], LX_EXCL) && it->v[j].lx->pos == POS_AFTER) {
        f->drop = true;
        return;
    }
    if (!f->has_unit && j < n && is_lex(&it->v[j], LX_UNIT) &&
        it->v[j].lx->pos != POS_BEFORE) {
        alm__copy(f->unit, sizeof f->unit, it->v[j].lx->unit);
        f->stock = it->v[j].lx->stock;
        f->has_unit = true;
        f->noun_unit = it->v[j].lx->pos == POS_NOUN;
        f->noun_from = f->noun_to = j;
        j++;
        /* 十七个部门: a classifier, then a word that excludes. */
        if (j < n && is_lex(&it->v[j], LX_EXCL) &&
            it->v[j].lx->pos == POS_AFTER)
            f->drop = true;
    } else if (!f->has_unit && !x->cjk) {
        /* A count noun after a few words: 178 national high-tech zones. */
        for (size_t w = j; w < n && w < j + 5; w++) {
            const struct item *y = &it->v[w];
            if (is_lex(y, LX_EXCL) && y->lx->pos == POS_AFTER) {
                f->drop = true;
                return;
            }
            if (is_lex(y, LX_UNIT) && y->lx->pos == POS_NOUN) {
                alm__copy(f->unit, sizeof f->unit, y->lx->unit);
                f->stock = y->lx->stock;
                f->has_unit = true;
                f->noun_unit = true;
                f->noun_from = j;
                f->noun_to = w;
                j = w + 1;
                break;
            }
            if (y->t != IT_WORD && y->t != IT_SKIP && !is_kind(y, KC_NEUTRAL))
                break; /* words and names (5G) may stand between */
        }
    }
    if (j < n && is_lex(&it->v[j], LX_QUAL) && it->v[j].lx->pos == POS_AFTER)
        f->qual_after = it->v[j].lx, j++;
    f->unit_end = j;
}

/* The bare-number rules: a number with no unit of its own is a figure
 * when the sentence says what it counts (production of 1,242,000 with
 * NEVs before it; the number of zones ... 168) or names an index. */
static void bare_unit(const struct items *it, size_t k, struct fig *f)
{
    const struct item *x = &it->v[k];
    if (x->cjk)
        return;
    size_t digits = strlen(x->text);
    bool big =
        x->sep || f->exp > 0 || (x->integer && x->ival >= 1000 && digits <= 6);
    const struct item *nx = f->unit_end < it->n ? &it->v[f->unit_end] : NULL;
    if (nx && nx->t == IT_WORD)
        return; /* 24 hours, 300 delegates: it counts something unknown */
    if (digits >= 7 && !x->sep && !f->exp)
        return; /* an identifier or a phone number */
    if (x->text[0] == '0' && x->integer && digits > 1)
        return;
    const struct lx_entry *noun = NULL;
    bool number_of = false, index = false;
    for (size_t w = 0; w < k; w++) {
        const struct item *y = &it->v[w];
        if (is_lex(y, LX_UNIT) && y->lx->pos == POS_NOUN &&
            !strcmp(y->lx->unit, "count"))
            noun = y->lx;
        if (is_kind(y, KC_COUNT))
            number_of = true;
        if (is_kind(y, KC_INDEX))
            index = true;
    }
    if (index && f->exp == 0 && (!x->integer || x->ival < 1000)) {
        alm__copy(f->unit, sizeof f->unit, "index");
        f->has_unit = true;
        return;
    }
    if ((big && noun) || (number_of && x->integer)) {
        alm__copy(f->unit, sizeof f->unit, "count");
        f->stock = noun ? noun->stock : true;
        f->has_unit = true;
    }
}

/* The value of a figure: its digits times ten to the scale, read with
 * strtod from decimal text so that 1288.8万 is exactly 12888000. */
static double figure_value(const struct item *x, int exp)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%se%d", x->text, exp);
    return strtod(buf, NULL);
}

/* Decides the kind of a percent from the words around it, and its sign. */
static enum alm_kind percent_kind(const struct items *it, const struct fig *f,
                                  int *sign)
{
    size_t k = f->k, cs = clause_start(it, k), ce = clause_end(it, k);
    bool reach = false;
    *sign = 1;
    for (size_t w = k; w-- > cs;) {
        const struct item *y = &it->v[w];
        if (!is_lex(y, LX_KIND))
            continue;
        switch (y->lx->kc) {
        case KC_REACH:
            reach = true;
            break;
        case KC_GROWTH:
            if (!reach) {
                *sign = y->lx->sign < 0 ? -1 : 1;
                return ALM_KIND_GROWTH;
            }
            break;
        case KC_SHARE:
            return ALM_KIND_SHARE;
        case KC_INDEX:
            if (!reach)
                return ALM_KIND_GROWTH;
            break;
        default:
            break;
        }
    }
    size_t j = f->unit_end;
    if (j < it->n && is_lex(&it->v[j], LX_STOP) &&
        !strcmp(it->v[j].lx->pat, "of"))
        return ALM_KIND_SHARE; /* 3 percent of GDP */
    for (size_t w = j; w < ce; w++) {
        const struct item *y = &it->v[w];
        if (y->t == IT_NUM)
            break;
        if (is_kind(y, KC_SHARE))
            return ALM_KIND_SHARE;
        if (is_kind(y, KC_GROWTH) && !reach) {
            *sign = y->lx->sign < 0 ? -1 : 1;
            return ALM_KIND_GROWTH;
        }
    }
    for (size_t w = 0; w < it->n; w++)
        if (is_kind(&it->v[w], KC_SHARE))
            return ALM_KIND_SHARE;
    if (!reach)
        for (size_t w = k; w-- > 0;)
            if (is_kind(&it->v[w], KC_GROWTH)) {
                *sign = it->v[w].lx->sign < 0 ? -1 : 1;
                return ALM_KIND_GROWTH;
            }
    return ALM_KIND_SHARE;
}

/* The sign of a change in percentage points. */
static int pp_sign(const struct items *it, size_t k)
{
    size_t cs = clause_start(it, k), ce = clause_end(it, k);
    for (size_t w = k; w-- > cs;)
        if (is_kind(&it->v[w], KC_GROWTH))
            return it->v[w].lx->sign < 0 ? -1 : 1;
    for (size_t w = k + 1; w < ce; w++)
        if (is_kind(&it->v[w], KC_GROWTH))
            return it->v[w].lx->sign < 0 ? -1 : 1;
    return 1;
}

/* The qualifier written before the number (skipping "为", "to"). */
static const struct lx_entry *qual_before(const struct items *it, size_t k)
{
    size_t cs = clause_start(it, k);
    size_t w = k;
    if (w > cs && is_lex(&it->v[w - 1], LX_UNIT) &&
        it->v[w - 1].lx->pos == POS_BEFORE)
        w--;
    while (w > cs && is_kind(&it->v[w - 1], KC_REACH))
        w--;
    if (w > cs && is_lex(&it->v[w - 1], LX_QUAL) &&
        it->v[w - 1].lx->pos == POS_BEFORE)
        return it->v[w - 1].lx;
    return NULL;
}

/* Chooses the period of the figure at item k: in its clause after it (up
 * to the next number), in its clause before it, in the sentence before,
 * in the sentence after. Returns the item, or NULL. */
static const struct item *choose_period(const struct items *it, size_t k,
                                        bool base)
{
    size_t cs = clause_start(it, k), ce = clause_end(it, k);
#define OK_PER(y)                                                              \
    (((y)->per.has && !(y)->per.needyear) || (y)->per.unres) &&                \
        !(y)->per.used && (y)->per.base == base
    for (size_t w = k + 1; w < ce; w++) {
        if (it->v[w].t == IT_NUM)
            break;
        if (OK_PER(&it->v[w]))
            return &it->v[w];
    }
    for (size_t w = k; w-- > cs;)
        if (OK_PER(&it->v[w]))
            return &it->v[w];
    for (size_t w = cs; w-- > 0;)
        if (OK_PER(&it->v[w]))
            return &it->v[w];
    for (size_t w = k + 1; w < it->n; w++)
        if (OK_PER(&it->v[w]))
            return &it->v[w];
#undef OK_PER
    return NULL;
}

static void format_period(const struct xper *p, char *out, size_t size)
{
    struct alm_period ap = {p->kind, p->m0, p->m1, 0};
    alm_period_format(&ap, out, size);
}

/* The period of a figure that states none: a stock as of the document's
 * month; a flow over the latest reporting period, the year to date through
 * the month before the document's (in January, the year before). */
static bool default_period(const struct ctx *c, bool stock, struct xper *p)
{
    if (!c->dy || !c->dm)
        return false;
    memset(p, 0, sizeof *p);
    p->has = true;
    if (stock) {
        p->kind = ALM_PERIOD_MONTH;
        p->m0 = p->m1 = (long)c->dy * 12 + c->dm - 1;
    } else if (c->dm == 1) {
        set_year(p, c->dy - 1);
    } else {
        set_months(p, 1, c->dm - 1, ALM_PERIOD_SPAN);
        give_year(p, c->dy);
    }
    return true;
}

static bool subject_word(const struct item *y)
{
    return y->t == IT_WORD || y->t == IT_CJK || is_kind(y, KC_NEUTRAL) ||
           (is_lex(y, LX_UNIT) && y->lx->pos == POS_NOUN);
}

/* Appends the phrase of items [a, b) that says what a figure is about: the
 * last run of words before b (stop words inside it kept, at most eight
 * words), skipping the verbs and units next to the number. */
static void add_subject(const struct ctx *c, const struct items *it, size_t a,
                        size_t b, struct alm_buf *out)
{
    size_t words = 0, from = b, to = b;
    for (size_t w = b; w-- > a;) {
        const struct item *y = &it->v[w];
        if (subject_word(y)) {
            if (!words)
                to = w + 1;
            from = w;
            words += y->t == IT_CJK ? 1 : 2;
            if (words >= 24)
                break;
        } else if (words && !is_lex(y, LX_STOP)) {
            break;
        }
    }
    for (size_t w = from; w < to; w++) {
        const struct item *y = &it->v[w];
        if (!subject_word(y) && !is_lex(y, LX_STOP))
            continue;
        bool cjk = (unsigned char)c->n[y->s] >= 0x80;
        if (out->len && !cjk && (unsigned char)out->s[out->len - 1] < 0x80)
            alm_buf_putc(out, ' ');
        alm_buf_add(out, c->n + y->s, y->e - y->s);
    }
}

struct sentence_state {
    struct xper last; /* the last period the previous sentence stated */
    bool has_last;
    size_t paragraph;
};

static enum alm_status add_figure(struct alm_doc *d, const struct alm_figure *f)
{
    /* Room for a power of two figures at a time. */
    if ((d->nfig & (d->nfig - 1)) == 0) {
        size_t cap = d->nfig ? d->nfig * 2 : 1;
        struct alm_figure *v = realloc(d->fig, cap * sizeof *v);
        if (!v)
            return ALM_ENOMEM;
        d->fig = v;
    }
    d->fig[d->nfig++] = *f;
    return ALM_OK;
}

static enum alm_qualifier qual_of(const char *q)
{
    if (!strcmp(q, "~"))
        return ALM_QUAL_ABOUT;
    if (!strcmp(q, ">"))
        return ALM_QUAL_GT;
    if (!strcmp(q, ">="))
        return ALM_QUAL_GE;
    if (!strcmp(q, "<"))
        return ALM_QUAL_LT;
    if (!strcmp(q, "<="))
        return ALM_QUAL_LE;
    return ALM_QUAL_NONE;
}

/* Finds the figures of the sentence n[ss..se). */
static enum alm_status do_sentence(struct ctx *c, struct alm_doc *d, size_t ss,
                                   size_t se, struct items *it,
                                   struct sentence_state *prev)
{
    enum alm_status st = tokenise(c, ss, se, it);
    if (st != ALM_OK)
        return st;
    read_periods(c, it);
    struct fig *figs = calloc(it->n ? it->n : 1, sizeof *figs);
    if (!figs)
        return ALM_ENOMEM;
    for (size_t k = 0; k < it->n; k++) {
        if (it->v[k].t == IT_NUM)
            read_unit(it, k, &figs[k]);
        else
            figs[k].drop = true;
    }
    /* A bare number in a list takes the unit of the next: 2.3、3.4个百分点,
     * 12.89 million and 12.87 million units. */
    for (size_t k = it->n; k-- > 0;) {
        struct fig *f = &figs[k];
        if (it->v[k].t != IT_NUM || f->drop || f->has_unit)
            continue;
        size_t j = f->unit_end;
        if (j + 1 < it->n && it->v[j].t == IT_LIST &&
            it->v[j + 1].t == IT_NUM && figs[j + 1].has_unit &&
            !figs[j + 1].drop && !figs[j + 1].noun_unit) {
            alm__copy(f->unit, sizeof f->unit, figs[j + 1].unit);
            f->stock = figs[j + 1].stock;
            f->has_unit = true;
        } else if (j + 1 < it->n && it->v[j].t == IT_LIST &&
                   it->v[j + 1].t == IT_NUM && figs[j + 1].noun_unit &&
                   figs[j + 1].noun_from == j + 2) {
            alm__copy(f->unit, sizeof f->unit, figs[j + 1].unit);
            f->stock = figs[j + 1].stock;
            f->has_unit = true;
        }
    }
    for (size_t k = 0; k < it->n; k++)
        if (it->v[k].t == IT_NUM && !figs[k].drop && !figs[k].has_unit)
            bare_unit(it, k, &figs[k]);
    /* A sentence about taking part (参加, attended) counts participants,
     * not things: its counts are no figures. */
    bool taking_part = false;
    for (size_t k = 0; k < it->n; k++)
        if (is_lex(&it->v[k], LX_EXCL) && it->v[k].lx->pos == POS_SENTENCE)
            taking_part = true;
    for (size_t k = 0; taking_part && k < it->n; k++)
        if (!strcmp(figs[k].unit, "count"))
            figs[k].drop = true;

    bool role_word = false, first = true;
    struct xper first_per = {0};
    size_t prev_fig = (size_t)-1;
    struct alm_buf subj = ALM_BUF_INIT, prev_subj = ALM_BUF_INIT;
    for (size_t k = 0; k < it->n && st == ALM_OK; k++) {
        if (is_lex(&it->v[k], LX_ROLE))
            role_word = true;
        struct fig *f = &figs[k];
        const struct item *x = &it->v[k];
        if (x->t != IT_NUM || f->drop || !f->has_unit)
            continue;
        if (x->cjk && x->ival < 10)
            continue; /* 三个方面: small numbers in words are not figures */
        struct alm_figure out;
        memset(&out, 0, sizeof out);
        out.offset = c->omap ? c->omap[c->map[x->s]] : c->map[x->s];
        alm__copy(out.unit, sizeof out.unit, f->unit);
        out.value = figure_value(x, f->exp);
        int sign = 1;
        if (!strcmp(f->unit, "%")) {
            out.kind = percent_kind(it, f, &sign);
        } else if (!strcmp(f->unit, "pp")) {
            out.kind = ALM_KIND_GROWTH;
            sign = pp_sign(it, k);
        } else if (!strcmp(f->unit, "index")) {
            out.kind = ALM_KIND_INDEX;
        } else if (!strcmp(f->unit, "count")) {
            out.kind = ALM_KIND_COUNT;
        } else {
            out.kind = ALM_KIND_LEVEL;
        }
        out.value *= sign;
        /* The period. */
        const struct item *pi = choose_period(it, k, false);
        struct xper per = {0};
        if (pi)
            per = pi->per;
        else if (prev->has_last)
            per = prev->last;
        else if ((pi = choose_period(it, k, true)) != NULL)
            per = pi->per;
        else
            default_period(c, f->stock, &per);
        if (per.has)
            format_period(&per, out.period, sizeof out.period);
        if (first) {
            first = false;
            first_per = per;
        }
        /* Role and qualifier. */
        /* A goal word or a deadline makes a target of a figure whose
         * period has not ended by the document's date ("up from 7.8
         * percent in 2020" in a sentence about a plan, or "by the end of
         * 2023" written in 2024, stay observations). */
        bool past = per.has && c->dy &&
                    per.m1 < (long)c->dy * 12 + (c->dm ? c->dm : 12) - 1;
        out.target = ((pi && pi->per.target) || role_word) && !past;
        const struct lx_entry *q = qual_before(it, k);
        if (!q)
            q = f->qual_after;
        if (out.target)
            out.qual = q ? qual_of(q->qtgt) : ALM_QUAL_GE;
        else
            out.qual = q ? qual_of(q->qobs) : ALM_QUAL_NONE;
        /* The subject: the noun counted, else the words before it. */
        alm_buf_reset(&subj);
        if (f->noun_unit) {
            add_subject(c, it, f->noun_from, f->noun_to + 1, &subj);
        } else {
            size_t from =
                prev_fig != (size_t)-1 && prev_fig >= clause_start(it, k)
                    ? prev_fig + 1
                    : clause_start(it, k);
            add_subject(c, it, from, k, &subj);
            if (!subj.len && prev_subj.len)
                alm_buf_puts(&subj, prev_subj.s);
            for (size_t b = clause_start(it, k); !subj.len && b > 0;) {
                size_t a = clause_start(it, b - 1);
                add_subject(c, it, a, b - 1, &subj);
                b = a;
            }
        }
        alm_buf_reset(&prev_subj);
        alm_buf_puts(&prev_subj, subj.s ? subj.s : "");
        prev_fig = k;
        size_t qs = c->map[ss], qe = se < c->nlen ? c->map[se] : c->ulen;
        while (qs < qe && (c->u[qs] == ' ' || c->u[qs] == '\t'))
            qs++;
        while (qe > qs && strchr(" \t\r\n", c->u[qe - 1]))
            qe--;
        out.quote = alm__strndup(c->u + qs, qe - qs);
        out.subject = alm__strdup(subj.s ? subj.s : "");
        if (!out.quote || !out.subject || add_figure(d, &out) != ALM_OK) {
            free(out.quote);
            free(out.subject);
            st = ALM_ENOMEM;
        }
    }
    alm_buf_release(&subj);
    alm_buf_release(&prev_subj);
    free(figs);
    /* What the next sentence inherits: the period of the first figure here,
     * else the last period stated. */
    prev->has_last = false;
    if (first_per.has) {
        prev->last = first_per;
        prev->last.target = false;
        prev->has_last = true;
        return st;
    }
    for (size_t k = it->n; k-- > 0;)
        if (it->v[k].per.has && !it->v[k].per.used && !it->v[k].per.base &&
            !it->v[k].per.needyear) {
            prev->last = it->v[k].per;
            prev->last.target = false;
            prev->has_last = true;
            break;
        }
    return st;
}

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
    if (len - i < 5 || strncmp(u + i, "date", 4) || !strchr(" \t:", u[i + 4]))
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
    enum alm_status st =
        decode(name, data, len, &d->text, &d->len, &c.omap, &d->encoding, err);
    if (st != ALM_OK) {
        alm_doc_free(d);
        return st;
    }
    c.u = d->text;
    c.ulen = d->len;
    size_t body = read_date(d->text, d->len, d, &c.dy, &c.dm);
    d->title = make_title(d->text, d->len, body);
    if (!d->title || normalise(&c, body) != ALM_OK) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    } else {
        /* map[] is relative to u; shift offsets to the whole document. */
        struct items it = {NULL, 0, 0};
        struct sentence_state prev = {{0}, false, 0};
        size_t i = 0;
        while (i < c.nlen && st == ALM_OK) {
            size_t e = sentence_end(c.n, c.nlen, i);
            if (i > 0 && c.n[i - 1] == '\n')
                prev.has_last = false; /* a new paragraph */
            if (do_sentence(&c, d, i, e, &it, &prev) != ALM_OK)
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
    if (!t)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
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
