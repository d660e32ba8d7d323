/* The extractor's lexicon: loading its CSV files (through csvio, so
 * libcsv) and matching its patterns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/csvio.h>

#include "datadir.h"
#include "lexicon.h"

#include "internal.h"

/* The integer at the start of s (0 if none), for lexicon values. */
static int small_int(const char *s)
{
    long v = strtol(s, NULL, 10);
    return v > 100000 || v < -100000 ? 0 : (int)v;
}

#ifndef ALMANAC_LEXICON_DIR
#define ALMANAC_LEXICON_DIR "lexicon"
#endif

void alm_lexicon_default_dir(char *out, size_t size)
{
    alm__data_dir("ALMANAC_LEXICON", "lexicon", "units.csv",
                  ALMANAC_LEXICON_DIR, out, size);
}

void alm_lexicon_free(struct alm_lexicon *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->n; i++)
        free(lex->e[i].pat);
    free(lex->e);
    free(lex->by_byte);
    free(lex->trad);
    free(lex);
}

uint32_t alm__utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i;
    uint32_t c = u[k];
    int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (n <= 0 || k + (size_t)n >= len) {
        *i = k + 1;
        return c;
    }
    c &= 0x3fu >> n;
    for (int j = 1; j <= n; j++)
        c = (c << 6) | (u[k + (size_t)j] & 0x3fu);
    *i = k + (size_t)n + 1;
    return c;
}

static int cjk_digit(uint32_t c)
{
    static const uint32_t d[] = {0x96f6, 0x4e00, 0x4e8c, 0x4e09, 0x56db,
                                 0x4e94, 0x516d, 0x4e03, 0x516b, 0x4e5d};
    if (c == 0x3007)
        return 0; /* 〇 */
    if (c == 0x4e24)
        return 2; /* 两 */
    for (int k = 0; k < 10; k++)
        if (d[k] == c)
            return k;
    return -1;
}

static long cjk_unit(uint32_t c)
{
    return c == 0x5341 ? 10 : c == 0x767e ? 100 : c == 0x5343 ? 1000 : 0;
}

size_t alm__scan_int(const char *s, size_t len, size_t pos, long *value)
{
    size_t i = pos;
    if (i < len && s[i] >= '0' && s[i] <= '9') {
        long v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - pos < 12)
            v = v * 10 + (s[i++] - '0');
        *value = v;
        return i - pos;
    }
    /* Chinese numerals: positional (二〇二四) or with units (一百七十八). */
    long total = 0, pend = -1, last = 100000, posv = 0;
    int ndig = 0, nunit = 0;
    size_t end = pos;
    bool bad = false;
    while (i < len) {
        size_t j = i;
        uint32_t c = alm__utf8_next(s, len, &j);
        int d = cjk_digit(c);
        long u = cjk_unit(c);
        if (d < 0 && !u)
            break;
        if (d >= 0) {
            posv = posv * 10 + d;
            ndig++;
            if (pend >= 0 && nunit)
                bad = true;
            if (d != 0 || !nunit)
                pend = d;
        } else {
            if (u >= last)
                bad = true;
            total += (pend < 0 ? 1 : pend) * u;
            pend = -1;
            last = u;
            nunit++;
        }
        i = j;
        end = j;
    }
    if (end == pos || bad)
        return 0;
    if (!nunit) {
        if (ndig > 1 && ndig != 4)
            return 0; /* 三四 is "three or four", not 34 */
        *value = posv;
    } else {
        *value = total + (pend > 0 ? pend : 0);
    }
    return end - pos;
}

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static size_t pmatch(const struct alm_lexicon *lex, const char *pat,
                     const char *s, size_t len, size_t pos,
                     struct lx_caps *caps);

/* The longest month name (a period row of type month without slots). */
static size_t month_at(const struct alm_lexicon *lex, const char *s, size_t len,
                       size_t pos, int *mon)
{
    size_t best = 0;
    for (size_t k = 0; k < lex->n; k++) {
        const struct lx_entry *e = &lex->e[k];
        if (e->cat != LX_PERIOD || e->pt != PT_MONTH || strpbrk(e->pat, "#@"))
            continue;
        struct lx_caps c = {{0}, 0, {0}, 0};
        size_t m = pmatch(lex, e->pat, s, len, pos, &c);
        if (m > best) {
            best = m;
            *mon = small_int(e->pval);
        }
    }
    return best;
}

static size_t pmatch(const struct alm_lexicon *lex, const char *pat,
                     const char *s, size_t len, size_t pos,
                     struct lx_caps *caps)
{
    size_t i = pos;
    const char *p = pat;
    if (is_alnum((unsigned char)*p) && pos > 0 &&
        is_alnum((unsigned char)s[pos - 1]))
        return 0;
    while (*p) {
        if (*p == ' ') {
            while (i < len && s[i] == ' ')
                i++;
            p++;
            continue;
        }
        if (*p == '#' || *p == '@') {
            while (i < len && s[i] == ' ' && i > pos)
                i++;
            if (*p == '#') {
                long v;
                size_t n = alm__scan_int(s, len, i, &v);
                if (!n || caps->nnum >= 4 ||
                    (i + n < len && (s[i + n] == '.' || s[i + n] == ',') &&
                     i + n + 1 < len && s[i + n + 1] >= '0' &&
                     s[i + n + 1] <= '9'))
                    return 0;
                caps->num[caps->nnum++] = v;
                i += n;
            } else {
                int m = 0;
                size_t n = month_at(lex, s, len, i, &m);
                if (!n || caps->nmon >= 2)
                    return 0;
                caps->mon[caps->nmon++] = m;
                i += n;
            }
            p++;
            if (*p && *p != ' ')
                while (i < len && s[i] == ' ')
                    i++;
            continue;
        }
        unsigned char pc = (unsigned char)*p;
        unsigned char tc = i < len ? (unsigned char)s[i] : 0;
        if (pc >= 'a' && pc <= 'z') {
            if (tc >= 'A' && tc <= 'Z')
                tc = (unsigned char)(tc - 'A' + 'a');
        }
        if (pc != tc)
            return 0;
        i++;
        p++;
    }
    size_t plen = strlen(pat);
    if (plen && is_alnum((unsigned char)pat[plen - 1]) && i < len &&
        is_alnum((unsigned char)s[i]))
        return 0;
    if (plen && pat[plen - 1] == '#' && i < len &&
        is_alnum((unsigned char)s[i]))
        return 0;
    return i - pos;
}

/* Checks the numbers a period pattern captured against its type. */
static bool period_caps_ok(const struct lx_entry *e, const struct lx_caps *c)
{
    for (int k = 0; k < c->nnum; k++) {
        long v = c->num[k];
        switch (e->pt) {
        case PT_YEAR:
        case PT_BASE:
            if (v < 1900 || v > 2100)
                return false;
            break;
        case PT_MONTH:
        case PT_SPAN:
            if (v < 1 || v > 12)
                return false;
            break;
        case PT_QUARTER:
            if (v < 1 || v > 4)
                return false;
            break;
        case PT_DATE:
            if (v < 1 || (v > 31 && (v < 1900 || v > 2100)))
                return false;
            break;
        default:
            break;
        }
    }
    if (e->pt == PT_SPAN && c->nnum == 2 && c->num[0] >= c->num[1])
        return false;
    if (e->pt == PT_SPAN && c->nmon == 2 && c->mon[0] >= c->mon[1])
        return false;
    return true;
}

static unsigned char key_byte(const struct lx_entry *e)
{
    unsigned char f = (unsigned char)e->pat[0];
    return f == '#' || f == '@' ? 0 : f;
}

/* Builds lex->by_byte (a counting sort of the entries by key_byte). */
static bool index_entries(struct alm_lexicon *lex)
{
    size_t count[257] = {0};
    lex->by_byte = malloc((lex->n ? lex->n : 1) * sizeof *lex->by_byte);
    if (!lex->by_byte)
        return false;
    for (size_t k = 0; k < lex->n; k++)
        count[key_byte(&lex->e[k]) + 1]++;
    for (int b = 0; b < 256; b++)
        count[b + 1] += count[b];
    memcpy(lex->from, count, sizeof count);
    for (size_t k = 0; k < lex->n; k++)
        lex->by_byte[count[key_byte(&lex->e[k])]++] = k;
    return true;
}

size_t alm__lx_match(const struct alm_lexicon *lex, const char *s, size_t len,
                     size_t pos, unsigned cats, const struct lx_entry **out,
                     struct lx_caps *caps)
{
    size_t best = 0;
    unsigned char b = (unsigned char)s[pos];
    /* A lowercase pattern letter matches either case of the text's. */
    const unsigned char keys[3] = {
        0, b, b >= 'A' && b <= 'Z' ? (unsigned char)(b - 'A' + 'a') : 0};
    for (int q = 0; q < 3; q++) {
        if (q > 0 && !keys[q])
            continue;
        for (size_t i = lex->from[keys[q]]; i < lex->from[keys[q] + 1]; i++) {
            const struct lx_entry *e = &lex->e[lex->by_byte[i]];
            if (!(cats & (1u << e->cat)))
                continue;
            struct lx_caps c = {{0}, 0, {0}, 0};
            size_t m = pmatch(lex, e->pat, s, len, pos, &c);
            if (m > best && (e->cat != LX_PERIOD || period_caps_ok(e, &c))) {
                best = m;
                *out = e;
                *caps = c;
            }
        }
    }
    return best;
}

uint32_t alm__lx_simplify(const struct alm_lexicon *lex, uint32_t cp)
{
    size_t lo = 0, hi = lex->ntrad;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lex->trad[mid].from < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lex->ntrad && lex->trad[lo].from == cp ? lex->trad[lo].to : cp;
}

/* ---- loading ----------------------------------------------------------- */

struct loader {
    struct alm_lexicon *lex;
    const char *dir;
    struct alm_error *err;
};

static enum alm_status open_file(struct loader *L, const char *file,
                                 const char *const *cols, size_t ncols,
                                 struct alm_table **t, long *col)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", L->dir, file);
    enum alm_status st = alm_table_read(path, t, L->err);
    if (st == ALM_EIO) {
        char q[300];
        L->err->status = ALM_OK;
        L->err->msg[0] = '\0';
        return alm_fail(L->err, ALM_EIO,
                        "cannot read the lexicon file %s: set ALMANAC_LEXICON "
                        "to the lexicon folder of Almanac's sources",
                        alm_error_quote(path, q, sizeof q));
    }
    if (st != ALM_OK)
        return st;
    for (size_t j = 0; j < ncols; j++) {
        col[j] = alm_table_col(*t, cols[j]);
        if (col[j] < 0) {
            alm_fail(L->err, ALM_EINPUT, "missing column '%s'", cols[j]);
            alm_error_locate(L->err, path, 1, NULL);
            alm_table_free(*t);
            *t = NULL;
            return ALM_EINPUT;
        }
    }
    return ALM_OK;
}

static struct lx_entry *add_entry(struct loader *L, const char *pat,
                                  enum lx_cat cat)
{
    struct alm_lexicon *lex = L->lex;
    if (!pat[0])
        return NULL;
    struct lx_entry *e = realloc(lex->e, (lex->n + 1) * sizeof *e);
    if (!e)
        return NULL;
    lex->e = e;
    e = &lex->e[lex->n];
    memset(e, 0, sizeof *e);
    e->pat = alm__strdup(pat);
    if (!e->pat)
        return NULL;
    e->cat = cat;
    e->kind = ALM_KIND_VALUE;
    lex->n++;
    return e;
}

static enum alm_status bad_row(struct loader *L, const struct alm_table *t,
                               size_t r, const char *field, const char *what)
{
    alm_fail(L->err, ALM_EINPUT, "%s", what);
    alm_error_locate(L->err, t->name, t->lines[r], field);
    return ALM_EINPUT;
}

static enum alm_status oom(struct loader *L)
{
    return alm_fail(L->err, ALM_ENOMEM, "out of memory");
}

static bool parse_pos(const char *s, enum lx_pos *p)
{
    if (strcmp(s, "after") == 0)
        *p = POS_AFTER;
    else if (strcmp(s, "before") == 0)
        *p = POS_BEFORE;
    else if (strcmp(s, "noun") == 0)
        *p = POS_NOUN;
    else if (strcmp(s, "sentence") == 0)
        *p = POS_SENTENCE;
    else
        return false;
    return true;
}

static enum alm_status load_scales(struct loader *L)
{
    static const char *const cols[] = {"word", "exponent"};
    struct alm_table *t = NULL;
    long c[2];
    enum alm_status st = open_file(L, "scales.csv", cols, 2, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        int x;
        if (alm__parse_int(alm_table_cell(t, r, c[1]), &x, NULL) != ALM_OK ||
            x > 15) {
            st =
                bad_row(L, t, r, "exponent",
                        "expected a power of ten from 0 to 15 (6 for million)");
            break;
        }
        struct lx_entry *e = add_entry(L, alm_table_cell(t, r, c[0]), LX_SCALE);
        if (!e && alm_table_cell(t, r, c[0])[0])
            st = oom(L);
        else if (e)
            e->exp = x;
    }
    alm_table_free(t);
    return st;
}

static enum alm_status load_units(struct loader *L)
{
    static const char *const cols[] = {"word", "unit", "kind", "position",
                                       "measure"};
    struct alm_table *t = NULL;
    long c[5];
    enum alm_status st = open_file(L, "units.csv", cols, 5, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        const char *unit = alm_table_cell(t, r, c[1]),
                   *kind = alm_table_cell(t, r, c[2]),
                   *pos = alm_table_cell(t, r, c[3]),
                   *meas = alm_table_cell(t, r, c[4]);
        enum alm_kind k = ALM_KIND_VALUE;
        enum lx_pos p;
        if (!unit[0] || strlen(unit) >= 16) {
            st = bad_row(L, t, r, "unit",
                         "expected a unit code of 1 to 15 "
                         "bytes (%, CNY, count)");
            break;
        }
        if (kind[0] && alm_kind_parse(kind, &k, NULL) != ALM_OK) {
            st = bad_row(L, t, r, "kind",
                         "expected a kind: level, count, share, growth, index "
                         "or empty");
            break;
        }
        if (!parse_pos(pos, &p)) {
            st = bad_row(L, t, r, "position", "expected after, before or noun");
            break;
        }
        if (meas[0] && strcmp(meas, "stock") != 0 &&
            strcmp(meas, "flow") != 0) {
            st = bad_row(L, t, r, "measure", "expected stock, flow or empty");
            break;
        }
        struct lx_entry *e = add_entry(L, alm_table_cell(t, r, c[0]), LX_UNIT);
        if (!e) {
            if (alm_table_cell(t, r, c[0])[0])
                st = oom(L);
            continue;
        }
        alm__copy(e->unit, sizeof e->unit, unit);
        e->kind = k;
        e->pos = p;
        e->stock = strcmp(meas, "stock") == 0;
    }
    alm_table_free(t);
    return st;
}

static enum alm_status load_kinds(struct loader *L)
{
    static const char *const cols[] = {"word", "kind", "sign"};
    static const char *const names[] = {"growth", "share", "index",
                                        "count",  "reach", "neutral"};
    struct alm_table *t = NULL;
    long c[3];
    enum alm_status st = open_file(L, "kinds.csv", cols, 3, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        const char *kind = alm_table_cell(t, r, c[1]),
                   *sign = alm_table_cell(t, r, c[2]);
        int k = -1;
        for (int j = 0; j < 6; j++)
            if (strcmp(kind, names[j]) == 0)
                k = j;
        if (k < 0) {
            st = bad_row(L, t, r, "kind",
                         "expected growth, share, index, count, reach or "
                         "neutral");
            break;
        }
        if (strcmp(sign, "1") != 0 && strcmp(sign, "-1") != 0 &&
            strcmp(sign, "0") != 0 && sign[0]) {
            st = bad_row(L, t, r, "sign", "expected 1, -1 or 0");
            break;
        }
        struct lx_entry *e = add_entry(L, alm_table_cell(t, r, c[0]), LX_KIND);
        if (!e) {
            if (alm_table_cell(t, r, c[0])[0])
                st = oom(L);
            continue;
        }
        e->kc = (enum lx_kind)k;
        e->sign = small_int(sign);
    }
    alm_table_free(t);
    return st;
}

static enum alm_status load_periods(struct loader *L)
{
    static const char *const cols[] = {"pattern", "type", "value", "role"};
    static const char *const names[] = {
        "year", "month", "span", "quarter",     "relyear", "relmonth",
        "base", "skip",  "date", "base-marker", "as-of"};
    struct alm_table *t = NULL;
    long c[4];
    enum alm_status st = open_file(L, "periods.csv", cols, 4, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        const char *type = alm_table_cell(t, r, c[1]),
                   *val = alm_table_cell(t, r, c[2]),
                   *role = alm_table_cell(t, r, c[3]);
        int k = -1;
        for (int j = 0; j < 11; j++)
            if (strcmp(type, names[j]) == 0)
                k = j;
        if (k < 0) {
            st = bad_row(L, t, r, "type",
                         "expected year, month, span, quarter, relyear, "
                         "relmonth, base, skip, date, base-marker or as-of");
            break;
        }
        if (strlen(val) >= 16) {
            st = bad_row(L, t, r, "value", "longer than 15 bytes");
            break;
        }
        if (role[0] && strcmp(role, "target") != 0) {
            st = bad_row(L, t, r, "role", "expected target or empty");
            break;
        }
        struct lx_entry *e =
            add_entry(L, alm_table_cell(t, r, c[0]), LX_PERIOD);
        if (!e) {
            if (alm_table_cell(t, r, c[0])[0])
                st = oom(L);
            continue;
        }
        e->pt = (enum lx_ptype)k;
        alm__copy(e->pval, sizeof e->pval, val);
        e->ptarget = role[0] != '\0';
    }
    alm_table_free(t);
    return st;
}

static bool qual_ok(const char *q)
{
    return !q[0] || !strcmp(q, "~") || !strcmp(q, ">") || !strcmp(q, ">=") ||
           !strcmp(q, "<") || !strcmp(q, "<=");
}

static enum alm_status load_quals(struct loader *L)
{
    static const char *const cols[] = {"word", "position", "observation",
                                       "target"};
    struct alm_table *t = NULL;
    long c[4];
    enum alm_status st = open_file(L, "qualifiers.csv", cols, 4, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        const char *o = alm_table_cell(t, r, c[2]),
                   *g = alm_table_cell(t, r, c[3]);
        enum lx_pos p;
        if (!parse_pos(alm_table_cell(t, r, c[1]), &p) || p == POS_NOUN ||
            p == POS_SENTENCE) {
            st = bad_row(L, t, r, "position", "expected before or after");
            break;
        }
        if (!qual_ok(o) || !qual_ok(g)) {
            st = bad_row(L, t, r, qual_ok(o) ? "target" : "observation",
                         "expected ~, >, >=, < or <=");
            break;
        }
        struct lx_entry *e = add_entry(L, alm_table_cell(t, r, c[0]), LX_QUAL);
        if (!e) {
            if (alm_table_cell(t, r, c[0])[0])
                st = oom(L);
            continue;
        }
        e->pos = p;
        alm__copy(e->qobs, sizeof e->qobs, o);
        alm__copy(e->qtgt, sizeof e->qtgt, g);
    }
    alm_table_free(t);
    return st;
}

/* roles.csv, exclude.csv and stopwords.csv: a word and little else. */
static enum alm_status load_words(struct loader *L, const char *file,
                                  enum lx_cat cat)
{
    static const char *const cols[] = {"word", "position"};
    struct alm_table *t = NULL;
    long c[2];
    enum alm_status st =
        open_file(L, file, cols, cat == LX_EXCL ? 2 : 1, &t, c);
    for (size_t r = 0; st == ALM_OK && t && r < t->nrows; r++) {
        enum lx_pos p = POS_AFTER;
        if (cat == LX_EXCL &&
            (!parse_pos(alm_table_cell(t, r, c[1]), &p) || p == POS_NOUN)) {
            st = bad_row(L, t, r, "position",
                         "expected before, after or sentence");
            break;
        }
        struct lx_entry *e = add_entry(L, alm_table_cell(t, r, c[0]), cat);
        if (!e) {
            if (alm_table_cell(t, r, c[0])[0])
                st = oom(L);
            continue;
        }
        e->pos = p;
    }
    alm_table_free(t);
    return st;
}

static int cmp_trad(const void *a, const void *b)
{
    const struct lx_trad *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

static enum alm_status load_trad(struct loader *L)
{
    static const char *const cols[] = {"traditional", "simplified"};
    struct alm_table *t = NULL;
    long c[2];
    enum alm_status st = open_file(L, "traditional.csv", cols, 2, &t, c);
    if (st != ALM_OK)
        return st;
    L->lex->trad = calloc(t->nrows ? t->nrows : 1, sizeof *L->lex->trad);
    if (!L->lex->trad)
        st = oom(L);
    for (size_t r = 0; st == ALM_OK && r < t->nrows; r++) {
        const char *a = alm_table_cell(t, r, c[0]),
                   *b = alm_table_cell(t, r, c[1]);
        size_t i = 0, j = 0, la = strlen(a), lb = strlen(b);
        uint32_t x = la ? alm__utf8_next(a, la, &i) : 0,
                 y = lb ? alm__utf8_next(b, lb, &j) : 0;
        if (!la || i != la || !lb || j != lb) {
            st = bad_row(L, t, r, la && i == la ? "simplified" : "traditional",
                         "expected one character");
            break;
        }
        char ba[8], bb[8];
        /* Same length in UTF-8, so that offsets survive the mapping. */
        snprintf(ba, sizeof ba, "%s", a);
        snprintf(bb, sizeof bb, "%s", b);
        if (la != lb) {
            st = bad_row(L, t, r, "simplified",
                         "the two characters must have the same length in "
                         "UTF-8");
            break;
        }
        L->lex->trad[L->lex->ntrad].from = x;
        L->lex->trad[L->lex->ntrad].to = y;
        L->lex->ntrad++;
    }
    alm_table_free(t);
    if (st == ALM_OK)
        qsort(L->lex->trad, L->lex->ntrad, sizeof *L->lex->trad, cmp_trad);
    return st;
}

enum alm_status alm_lexicon_load(const char *dir, struct alm_lexicon **out,
                                 struct alm_error *err)
{
    char def[4096];
    struct alm_error local;
    if (!err) {
        alm_error_clear(&local);
        err = &local;
    }
    if (!dir) {
        alm_lexicon_default_dir(def, sizeof def);
        dir = def;
    }
    struct loader L = {calloc(1, sizeof(struct alm_lexicon)), dir, err};
    if (!L.lex)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    enum alm_status st = load_scales(&L);
    if (st == ALM_OK)
        st = load_units(&L);
    if (st == ALM_OK)
        st = load_kinds(&L);
    if (st == ALM_OK)
        st = load_periods(&L);
    if (st == ALM_OK)
        st = load_quals(&L);
    if (st == ALM_OK)
        st = load_words(&L, "roles.csv", LX_ROLE);
    if (st == ALM_OK)
        st = load_words(&L, "exclude.csv", LX_EXCL);
    if (st == ALM_OK)
        st = load_words(&L, "stopwords.csv", LX_STOP);
    if (st == ALM_OK)
        st = load_trad(&L);
    if (st == ALM_OK && !index_entries(L.lex))
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st != ALM_OK) {
        alm_lexicon_free(L.lex);
        return st;
    }
    *out = L.lex;
    return ALM_OK;
}
