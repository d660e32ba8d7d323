/* Extraction: the small grammar that turns a number and the items around
 * it into a figure (unit, kind, period, role, qualifier, subject). The
 * words themselves are in the lexicon (lexicon.c); nothing here knows a
 * particular document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/extract.h>
#include <almanac/period.h>

#include "extract_internal.h"
#include "lexicon.h"

#include "internal.h"

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

/* Reads the unit of every number of the sentence into figs: its own, or
 * in a list the next number's (2.3、3.4个百分点, 12.89 million and 12.87
 * million units), or a bare unit; drops the numbers that are no figure. */
static void read_units(const struct items *it, struct fig *figs)
{
    for (size_t k = 0; k < it->n; k++) {
        if (it->v[k].t == IT_NUM)
            read_unit(it, k, &figs[k]);
        else
            figs[k].drop = true;
    }
    for (size_t k = it->n; k-- > 0;) {
        struct fig *f = &figs[k];
        if (it->v[k].t != IT_NUM || f->drop || f->has_unit)
            continue;
        size_t j = f->unit_end;
        bool list =
            j + 1 < it->n && it->v[j].t == IT_LIST && it->v[j + 1].t == IT_NUM;
        const struct fig *g = list ? &figs[j + 1] : NULL;
        if (g && ((g->has_unit && !g->drop && !g->noun_unit) ||
                  (g->noun_unit && g->noun_from == j + 2))) {
            alm__copy(f->unit, sizeof f->unit, g->unit);
            f->stock = g->stock;
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
}

/* The kind of figure f (item k) into out->kind, and its value with its
 * sign ("fell 2 percent") into out->value. */
static void figure_kind(const struct items *it, size_t k, const struct fig *f,
                        struct alm_figure *out)
{
    out->value = figure_value(&it->v[k], f->exp);
    int sign = 1;
    if (!strcmp(f->unit, "%")) {
        out->kind = percent_kind(it, f, &sign);
    } else if (!strcmp(f->unit, "pp")) {
        out->kind = ALM_KIND_GROWTH;
        sign = pp_sign(it, k);
    } else if (!strcmp(f->unit, "index")) {
        out->kind = ALM_KIND_INDEX;
    } else if (!strcmp(f->unit, "count")) {
        out->kind = ALM_KIND_COUNT;
    } else {
        out->kind = ALM_KIND_LEVEL;
    }
    out->value *= sign;
}

/* The period of figure f (item k): one stated near it, else the one the
 * previous sentence left, else a comparison base, else the document's
 * default. *pi gets the item that stated it, or NULL. */
static struct xper figure_period(const struct ctx *c, const struct items *it,
                                 size_t k, const struct fig *f,
                                 const struct sentence_state *prev,
                                 const struct item **pi)
{
    struct xper per = {0};
    *pi = choose_period(it, k, false);
    if (*pi)
        per = (*pi)->per;
    else if (prev->has_last)
        per = prev->last;
    else if ((*pi = choose_period(it, k, true)) != NULL)
        per = (*pi)->per;
    else
        default_period(c, f->stock, &per);
    return per;
}

/* The role and qualifier of a figure with period per (stated by pi, or
 * NULL), into out. A goal word or a deadline makes a target of a figure
 * whose period has not ended by the document's date ("up from 7.8 percent
 * in 2020" in a sentence about a plan, or "by the end of 2023" written in
 * 2024, stay observations). */
static void figure_role(const struct ctx *c, const struct items *it, size_t k,
                        const struct fig *f, const struct xper *per,
                        const struct item *pi, bool role_word,
                        struct alm_figure *out)
{
    bool past = per->has && c->dy &&
                per->m1 < (long)c->dy * 12 + (c->dm ? c->dm : 12) - 1;
    out->target = ((pi && pi->per.target) || role_word) && !past;
    const struct lx_entry *q = qual_before(it, k);
    if (!q)
        q = f->qual_after;
    if (out->target)
        out->qual = q ? qual_of(q->qtgt) : ALM_QUAL_GE;
    else
        out->qual = q ? qual_of(q->qobs) : ALM_QUAL_NONE;
}

/* The subject of figure f (item k) into subj: the noun counted, else the
 * words before it back to the previous figure (prev_fig) or the clause's
 * start, else the previous figure's subject, else an earlier clause. */
static void figure_subject(const struct ctx *c, const struct items *it,
                           size_t k, const struct fig *f, size_t prev_fig,
                           const struct alm_buf *prev_subj,
                           struct alm_buf *subj)
{
    alm_buf_reset(subj);
    if (f->noun_unit) {
        add_subject(c, it, f->noun_from, f->noun_to + 1, subj);
        return;
    }
    size_t from = prev_fig != (size_t)-1 && prev_fig >= clause_start(it, k)
                      ? prev_fig + 1
                      : clause_start(it, k);
    add_subject(c, it, from, k, subj);
    if (!subj->len && prev_subj->len)
        alm_buf_puts(subj, prev_subj->s);
    for (size_t b = clause_start(it, k); !subj->len && b > 0;) {
        size_t a = clause_start(it, b - 1);
        add_subject(c, it, a, b - 1, subj);
        b = a;
    }
}

/* The sentence c->u[map[ss]..map[se]) without the spaces around it, as a
 * new string (NULL when out of memory). */
static char *sentence_quote(const struct ctx *c, size_t ss, size_t se)
{
    size_t qs = c->map[ss], qe = se < c->nlen ? c->map[se] : c->ulen;
    while (qs < qe && (c->u[qs] == ' ' || c->u[qs] == '\t'))
        qs++;
    while (qe > qs && strchr(" \t\r\n", c->u[qe - 1]))
        qe--;
    return alm__strndup(c->u + qs, qe - qs);
}

/* What the next sentence inherits: the period of the first figure here
 * (first), else the last period stated. */
static void pass_on(const struct items *it, const struct xper *first,
                    struct sentence_state *prev)
{
    prev->has_last = false;
    if (first->has) {
        prev->last = *first;
        prev->last.target = false;
        prev->has_last = true;
        return;
    }
    for (size_t k = it->n; k-- > 0;)
        if (it->v[k].per.has && !it->v[k].per.used && !it->v[k].per.base &&
            !it->v[k].per.needyear) {
            prev->last = it->v[k].per;
            prev->last.target = false;
            prev->has_last = true;
            break;
        }
}

enum alm_status alm__ex_sentence(struct ctx *c, struct alm_doc *d, size_t ss,
                                 size_t se, struct items *it,
                                 struct sentence_state *prev)
{
    enum alm_status st = alm__ex_tokenise(c, ss, se, it);
    if (st != ALM_OK)
        return st;
    alm__ex_read_periods(c, it);
    struct fig *figs = calloc(it->n ? it->n : 1, sizeof *figs);
    if (!figs)
        return ALM_ENOMEM;
    read_units(it, figs);
    bool role_word = false, first = true;
    struct xper first_per = {0};
    size_t prev_fig = (size_t)-1;
    struct alm_buf subj = ALM_BUF_INIT, prev_subj = ALM_BUF_INIT;
    for (size_t k = 0; k < it->n && st == ALM_OK; k++) {
        if (is_lex(&it->v[k], LX_ROLE))
            role_word = true;
        const struct fig *f = &figs[k];
        const struct item *x = &it->v[k];
        if (x->t != IT_NUM || f->drop || !f->has_unit)
            continue;
        if (x->cjk && x->ival < 10)
            continue; /* 三个方面: small numbers in words are not figures */
        struct alm_figure out;
        memset(&out, 0, sizeof out);
        out.offset = c->omap ? c->omap[c->map[x->s]] : c->map[x->s];
        alm__copy(out.unit, sizeof out.unit, f->unit);
        figure_kind(it, k, f, &out);
        const struct item *pi;
        struct xper per = figure_period(c, it, k, f, prev, &pi);
        if (per.has)
            format_period(&per, out.period, sizeof out.period);
        if (first) {
            first = false;
            first_per = per;
        }
        figure_role(c, it, k, f, &per, pi, role_word, &out);
        figure_subject(c, it, k, f, prev_fig, &prev_subj, &subj);
        alm_buf_reset(&prev_subj);
        alm_buf_puts(&prev_subj, subj.s ? subj.s : "");
        prev_fig = k;
        out.quote = sentence_quote(c, ss, se);
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
    pass_on(it, &first_per, prev);
    return st;
}
