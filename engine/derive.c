/* Derived indicators: the formula column of indicators.csv parsed and
 * validated when the dataset is read, and computed as of a date. The
 * grammar and the rules are in include/almanac/derive.h. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/derive.h>
#include <almanac/transform.h>

#include "dataset_internal.h"
#include "derive_internal.h"
#include "internal.h"

/* The deepest nesting a formula may have: parsing recurses. */
#define DEPTH_MAX 32

/* The most nodes of one formula. */
#define NODES_MAX 256

/* ---- figures' rounding -------------------------------------------------- */

double alm_figure_half_unit(const char *text)
{
    const char *s = text;
    int exp10 = 0, decimals = 0, zeros = 0;
    bool point = false, digit = false;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            point = true;
        } else if (isdigit((unsigned char)*s)) {
            digit = true;
            if (point)
                decimals++;
            else
                zeros = *s == '0' ? zeros + 1 : 0;
        }
    }
    if (*s == 'e' || *s == 'E')
        exp10 = (int)strtol(s + 1, NULL, 10);
    if (!digit)
        return 0;
    /* A bare zero ("0") is a figure to its unit, not a run of rounding
     * zeros. */
    int scale = point ? -decimals : zeros;
    if (!point && zeros > 0 &&
        strspn(text + (*text == '-' || *text == '+'), "0") ==
            strlen(text) - (*text == '-' || *text == '+'))
        scale = 0;
    return 0.5 * pow(10, scale + exp10);
}

/* ---- parsing ------------------------------------------------------------ */

struct parser {
    const struct alm_dataset *ds;
    const char *text, *p;
    struct dnode *node;
    int nnode, depth;
    char msg[400];
};

static const char *const fn_names[] = {"chg", "ch1", "pch", "pc1", "pca",
                                       "cch", "cca", "log", "lag", "lead"};

static void skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fail(struct parser *ps, const char *fmt, ...)
{
    if (ps->msg[0])
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->msg, sizeof ps->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int add_node(struct parser *ps, struct dnode n)
{
    if (ps->nnode >= NODES_MAX)
        return fail(ps, "the formula is too long (more than %d terms)",
                    NODES_MAX);
    ps->node[ps->nnode] = n;
    return ps->nnode++;
}

static int node_of(struct parser *ps, enum dop op, int a, int b)
{
    if (a < 0 || b < -1 ||
        (b == -1 && op != D_NEG && op != D_TX && op != D_SHIFT))
        return -1;
    struct dnode n = {.op = op, .a = a, .b = b};
    n.named = ps->node[a].named || (b >= 0 && ps->node[b].named);
    return add_node(ps, n);
}

static int expr(struct parser *ps);

/* Where the parser is, for messages: "at character 5". */
static long at(const struct parser *ps)
{
    return (long)(ps->p - ps->text) + 1;
}

static int function(struct parser *ps, const char *name, size_t len)
{
    size_t k = 0;
    while (k < sizeof fn_names / sizeof *fn_names &&
           !(strlen(fn_names[k]) == len && memcmp(fn_names[k], name, len) == 0))
        k++;
    if (k == sizeof fn_names / sizeof *fn_names)
        return fail(ps,
                    "unknown function '%.*s': expected chg, ch1, pch, pc1, "
                    "pca, cch, cca, log, lag or lead",
                    (int)len, name);
    ps->p++; /* '(' */
    int a = expr(ps);
    skip_space(ps);
    if (a < 0)
        return -1;
    if (*ps->p != ')')
        return fail(ps, "expected ')' closing %s( at character %ld",
                    fn_names[k], at(ps));
    ps->p++;
    if (!ps->node[a].named)
        return fail(ps, "the argument of %s() names no indicator", fn_names[k]);
    struct dnode n = {.op = D_TX, .a = a, .b = -1, .named = true};
    if (k >= 8) {
        n.op = D_SHIFT;
        n.years = k == 8 ? 1 : -1;
    } else {
        struct alm_error e;
        alm_error_clear(&e);
        char code[8];
        alm__copy(code, sizeof code, fn_names[k]);
        if (alm_transform_parse(code, &n.tx, &e) != ALM_OK)
            return fail(ps, "%s", e.msg);
    }
    return add_node(ps, n);
}

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

static int primary(struct parser *ps)
{
    skip_space(ps);
    const char *s = ps->p;
    if (*s == '(') {
        ps->p++;
        int a = expr(ps);
        skip_space(ps);
        if (a < 0)
            return -1;
        if (*ps->p != ')')
            return fail(ps, "expected ')' at character %ld", at(ps));
        ps->p++;
        return a;
    }
    size_t len = 0;
    while (id_char(s[len]))
        len++;
    if (len == 0) {
        if (*s == '\0')
            return fail(ps, "the formula ends where a figure or an id is "
                            "expected");
        return fail(ps, "unexpected '%c' at character %ld", *s, at(ps));
    }
    ps->p += len;
    size_t ndig = strspn(s, "0123456789");
    if (ndig > 0 && (ndig == len ||
                     (s[ndig] == '.' && ndig + 1 < len &&
                      strspn(s + ndig + 1, "0123456789") == len - ndig - 1))) {
        char num[64];
        if (len >= sizeof num)
            return fail(ps, "number too long at character %ld",
                        (long)(s - ps->text) + 1);
        memcpy(num, s, len);
        num[len] = '\0';
        struct dnode n = {.op = D_NUM, .a = -1, .b = -1, .num = strtod(num, 0)};
        return add_node(ps, n);
    }
    skip_space(ps);
    if (*ps->p == '(')
        return function(ps, s, len);
    char id[130];
    if (len >= sizeof id)
        return fail(ps, "id too long at character %ld",
                    (long)(s - ps->text) + 1);
    memcpy(id, s, len);
    id[len] = '\0';
    long k = alm_dataset_find_indicator(ps->ds, id);
    if (k < 0) {
        char q[300];
        return fail(ps,
                    "unknown indicator '%s' in the formula: add it first "
                    "(almanac indicator add)",
                    alm_error_quote(id, q, sizeof q));
    }
    struct dnode n = {
        .op = D_IND, .a = -1, .b = -1, .ind = (size_t)k, .named = true};
    return add_node(ps, n);
}

static int factor(struct parser *ps)
{
    if (++ps->depth > DEPTH_MAX)
        return fail(ps, "the formula nests deeper than %d", DEPTH_MAX);
    skip_space(ps);
    int r;
    if (*ps->p == '-') {
        ps->p++;
        r = node_of(ps, D_NEG, factor(ps), -1);
    } else {
        r = primary(ps);
    }
    ps->depth--;
    return r;
}

static int term(struct parser *ps)
{
    int a = factor(ps);
    for (;;) {
        skip_space(ps);
        char c = *ps->p;
        if (a < 0 || (c != '*' && c != '/'))
            return a;
        ps->p++;
        a = node_of(ps, c == '*' ? D_MUL : D_DIV, a, factor(ps));
    }
}

static int expr(struct parser *ps)
{
    if (++ps->depth > DEPTH_MAX)
        return fail(ps, "the formula nests deeper than %d", DEPTH_MAX);
    int a = term(ps);
    for (;;) {
        skip_space(ps);
        char c = *ps->p;
        if (a < 0 || (c != '+' && c != '-'))
            break;
        ps->p++;
        a = node_of(ps, c == '+' ? D_ADD : D_SUB, a, term(ps));
    }
    ps->depth--;
    return a;
}

/* Parses text into f (nodes allocated; caller frees f->node). Returns
 * false with msg set on a bad formula. */
static bool parse_formula(const struct alm_dataset *ds, const char *text,
                          struct dform *f, char *msg, size_t size)
{
    struct parser ps = {.ds = ds, .text = text, .p = text};
    ps.node = calloc(NODES_MAX, sizeof *ps.node);
    if (!ps.node) {
        alm__copy(msg, size, "out of memory");
        return false;
    }
    int root = expr(&ps);
    skip_space(&ps);
    if (root >= 0 && *ps.p != '\0')
        root = fail(&ps, "unexpected '%c' at character %ld", *ps.p, at(&ps));
    if (root >= 0 && !ps.node[root].named)
        root = fail(&ps, "the formula names no indicator");
    if (root < 0) {
        alm__copy(msg, size, ps.msg[0] ? ps.msg : "bad formula");
        free(ps.node);
        return false;
    }
    f->node = ps.node;
    f->nnode = ps.nnode;
    f->root = root;
    f->text = text;
    return true;
}

/* ---- validation when the dataset is read ------------------------------ */

struct lctx {
    struct alm_dataset *ds;
    const struct alm_problem_sink *report;
    struct alm_error *err;
    size_t nerrors;
};

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void
problem(struct lctx *c, const char *name, long line, const char *field,
        const char *fmt, ...)
{
    struct alm_error e;
    alm_error_clear(&e);
    e.status = ALM_EINPUT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    alm_error_locate(&e, name, line, field);
    if (c->nerrors++ == 0 && c->err && c->err->status == ALM_OK)
        *c->err = e;
    if (c->report)
        c->report->fn(c->report->ctx, &e, false);
}

/* Checks the frequencies a formula combines; returns false after
 * reporting the first problem. */
static bool check_form(struct lctx *c, size_t k, long line)
{
    const struct alm_dataset *ds = c->ds;
    const struct dform *f = &ds->ix->derived->form[k];
    const struct alm_indicator *in = &ds->ind[k];
    for (int i = 0; i < f->nnode; i++) {
        const struct dnode *n = &f->node[i];
        if (n->op == D_IND && ds->ind[n->ind].freq != in->freq) {
            problem(c, ds->tables[ALM_T_INDICATORS]->name, line, "formula",
                    "frequency mismatch: '%s' is %s (%c) but '%s' is %s (%c): "
                    "a formula combines indicators of its own frequency",
                    ds->ind[n->ind].id, alm_freq_name(ds->ind[n->ind].freq),
                    ds->ind[n->ind].freq, in->id, alm_freq_name(in->freq),
                    in->freq);
            return false;
        }
        bool annual =
            n->op == D_TX && (n->tx == ALM_TX_PCA || n->tx == ALM_TX_CCA ||
                              n->tx == ALM_TX_CH1 || n->tx == ALM_TX_PC1);
        if (annual && alm_freq_per_year(in->freq) == 0) {
            problem(c, ds->tables[ALM_T_INDICATORS]->name, line, "formula",
                    "%s needs a fixed number of periods a year: '%s' is %s",
                    alm_transform_code(n->tx), in->id, alm_freq_name(in->freq));
            return false;
        }
    }
    return true;
}

/* Depth-first search for a cycle through derived inputs: mark 0 unseen,
 * 1 on the path, 2 done. Writes the path into buf on a cycle. */
static bool cycle_from(const struct alm_dataset *ds, size_t k, char *mark,
                       size_t *path, size_t depth, struct alm_buf *buf)
{
    const struct dform *f = &ds->ix->derived->form[k];
    mark[k] = 1;
    path[depth] = k;
    for (int i = 0; i < f->nnode; i++) {
        size_t j = f->node[i].ind;
        if (f->node[i].op != D_IND || !ds->ix->derived->form[j].node)
            continue;
        if (mark[j] == 1) {
            size_t from = 0;
            while (path[from] != j)
                from++;
            for (size_t d = from; d <= depth; d++)
                alm_buf_printf(buf, "%s -> ", ds->ind[path[d]].id);
            alm_buf_puts(buf, ds->ind[j].id);
            return true;
        }
        if (mark[j] == 0 && cycle_from(ds, j, mark, path, depth + 1, buf))
            return true;
    }
    mark[k] = 2;
    return false;
}

static void check_cycles(struct lctx *c)
{
    const struct alm_dataset *ds = c->ds;
    char *mark = calloc(ds->nind ? ds->nind : 1, 1);
    size_t *path = calloc(ds->nind ? ds->nind : 1, sizeof *path);
    if (!mark || !path) {
        problem(c, ds->tables[ALM_T_INDICATORS]->name, 0, NULL,
                "out of memory");
        free(mark);
        free(path);
        return;
    }
    for (size_t k = 0; k < ds->nind; k++) {
        struct alm_buf buf = ALM_BUF_INIT;
        if (ds->ix->derived->form[k].node && mark[k] == 0 &&
            cycle_from(ds, k, mark, path, 0, &buf)) {
            /* Report at the indicator where the cycle closes. */
            const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
            problem(c, t->name, t->lines[ds->ind[k].row], "formula",
                    "cycle in formulas: %s: a derived indicator cannot be "
                    "computed from itself",
                    buf.s ? buf.s : "?");
            /* Stop at the first: the others' marks are unreliable. */
            alm_buf_release(&buf);
            break;
        }
        alm_buf_release(&buf);
    }
    free(mark);
    free(path);
}

static void load_same_as(struct lctx *c, size_t k, const char *text, long line)
{
    struct alm_dataset *ds = c->ds;
    const char *name = ds->tables[ALM_T_INDICATORS]->name;
    char q[300];
    long j = alm_dataset_find_indicator(ds, text);
    if (j < 0)
        problem(c, name, line, "same_as",
                "unknown indicator '%s': add it first (almanac indicator "
                "add)",
                alm_error_quote(text, q, sizeof q));
    else if ((size_t)j == k)
        problem(c, name, line, "same_as", "'%s' names itself", text);
    else if (ds->ind[j].freq != ds->ind[k].freq)
        problem(c, name, line, "same_as",
                "frequency mismatch: '%s' is %s (%c) but '%s' is %s (%c)",
                ds->ind[j].id, alm_freq_name(ds->ind[j].freq), ds->ind[j].freq,
                ds->ind[k].id, alm_freq_name(ds->ind[k].freq), ds->ind[k].freq);
    else
        ds->ix->derived->same_as[k] = j;
}

/* A derived indicator takes no observations: each is an error. */
static void check_no_obs(struct lctx *c, size_t k)
{
    const struct alm_dataset *ds = c->ds;
    const size_t *idx;
    size_t n;
    alm_dataset_obs_of(ds, k, &idx, &n);
    const struct alm_table *t = ds->tables[ALM_T_OBSERVATIONS];
    for (size_t i = 0; i < n; i++) {
        size_t row = ds->obs[idx[i]].row;
        bool imported = row >= ds->ix->origin_from;
        problem(c, imported ? ds->ix->origin_name : t->name,
                imported && !ds->ix->origin_name ? 0 : t->lines[row],
                "indicator",
                "'%s' is derived (its formula is in indicators.csv): its "
                "values are computed from the formula, not recorded",
                ds->ind[k].id);
    }
}

void alm__derive_free(struct alm__derived *d)
{
    if (!d)
        return;
    for (size_t k = 0; k < d->nind; k++)
        free(d->form[k].node);
    free(d->form);
    free(d->same_as);
    free(d->rec);
    free(d);
}

size_t alm__derive_load(struct alm_dataset *ds,
                        const struct alm_problem_sink *report,
                        struct alm_error *err)
{
    struct lctx c = {ds, report, err, 0};
    const struct alm_table *t = ds->tables[ALM_T_INDICATORS];
    long cform = alm_table_col(t, "formula"),
         csame = alm_table_col(t, "same_as");
    alm__derive_free(ds->ix->derived);
    ds->ix->derived = calloc(1, sizeof *ds->ix->derived);
    struct alm__derived *d = ds->ix->derived;
    size_t n = ds->nind ? ds->nind : 1;
    if (d) {
        d->form = calloc(n, sizeof *d->form);
        d->same_as = malloc(n * sizeof *d->same_as);
    }
    if (!d || !d->form || !d->same_as) {
        problem(&c, t->name, 0, NULL, "out of memory");
        return c.nerrors;
    }
    d->nind = ds->nind;
    for (size_t k = 0; k < ds->nind; k++)
        d->same_as[k] = -1;
    for (size_t k = 0; k < ds->nind && (report || !c.nerrors); k++) {
        long line = t->lines[ds->ind[k].row];
        const char *text = alm_table_cell(t, ds->ind[k].row, cform);
        const char *same = alm_table_cell(t, ds->ind[k].row, csame);
        if (same[0])
            load_same_as(&c, k, same, line);
        if (!text[0])
            continue;
        char msg[400];
        if (!parse_formula(ds, text, &d->form[k], msg, sizeof msg)) {
            problem(&c, t->name, line, "formula", "%s", msg);
            continue;
        }
        d->nderived++;
        if (!check_form(&c, k, line))
            continue;
        check_no_obs(&c, k);
    }
    if (report || !c.nerrors)
        check_cycles(&c);
    return c.nerrors;
}

/* ---- the public questions ---------------------------------------------- */

const struct dform *alm__derive_form(const struct alm_dataset *ds, size_t ind)
{
    const struct alm__derived *d = ds->ix ? ds->ix->derived : NULL;
    if (!d || ind >= d->nind || !d->form[ind].node)
        return NULL;
    return &d->form[ind];
}

bool alm_derive_is(const struct alm_dataset *ds, size_t ind)
{
    return alm__derive_form(ds, ind) != NULL;
}

bool alm_derive_recorded(const struct alm_dataset *ds, size_t ind)
{
    const struct dform *f = alm__derive_form(ds, ind);
    return f && f->recorded;
}

const char *alm_derive_title(const struct alm_dataset *ds, size_t ind)
{
    const struct dform *f = alm__derive_form(ds, ind);
    return f && f->title ? f->title : ds->ind[ind].title;
}

bool alm__derive_recorded_obs(const struct alm_dataset *ds, size_t ind,
                              const size_t **idx, size_t *n)
{
    const struct dform *f = alm__derive_form(ds, ind);
    if (!f || !f->rec_n)
        return false;
    *idx = ds->ix->derived->rec + f->rec_off;
    *n = f->rec_n;
    return true;
}

const char *alm_derive_formula(const struct alm_dataset *ds, size_t ind)
{
    const struct dform *f = alm__derive_form(ds, ind);
    return f ? f->text : NULL;
}

long alm_derive_same_as(const struct alm_dataset *ds, size_t ind)
{
    const struct alm__derived *d = ds->ix ? ds->ix->derived : NULL;
    return d && ind < d->nind ? d->same_as[ind] : -1;
}

size_t alm_derive_inputs(const struct alm_dataset *ds, size_t ind, size_t *out,
                         size_t max)
{
    const struct dform *f = alm__derive_form(ds, ind);
    size_t n = 0;
    for (int i = 0; f && i < f->nnode; i++) {
        if (f->node[i].op != D_IND)
            continue;
        size_t j = 0;
        while (j < n && out[j] != f->node[i].ind)
            j++;
        if (j == n && n < max)
            out[n++] = f->node[i].ind;
    }
    return n;
}
