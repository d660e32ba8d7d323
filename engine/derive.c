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
#include "internal.h"

/* The deepest nesting a formula may have: parsing recurses. */
#define DEPTH_MAX 32

/* The most nodes of one formula. */
#define NODES_MAX 256

enum dop { D_NUM, D_IND, D_ADD, D_SUB, D_MUL, D_DIV, D_NEG, D_TX, D_SHIFT };

struct dnode {
    enum dop op;
    int a, b;              /* operands (node indices), -1 when none */
    double num;            /* D_NUM */
    size_t ind;            /* D_IND */
    enum alm_transform tx; /* D_TX */
    int years;  /* D_SHIFT: +1 for lag (a year later in time), -1 lead */
    bool named; /* an indicator is named at or below this node */
};

struct dform {
    struct dnode *node;
    int nnode, root;
    const char *text; /* borrowed from indicators.csv */
};

struct alm__derived {
    struct dform *form; /* per indicator; node NULL when not derived */
    long *same_as;      /* per indicator, -1 when none */
    size_t nind;
};

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

static const char *freq_word(char f)
{
    switch (f) {
    case 'A':
        return "annual";
    case 'Q':
        return "quarterly";
    case 'M':
        return "monthly";
    case 'D':
        return "daily";
    case 'P':
        return "partial-year";
    default:
        return "irregular";
    }
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
                    ds->ind[n->ind].id, freq_word(ds->ind[n->ind].freq),
                    ds->ind[n->ind].freq, in->id, freq_word(in->freq),
                    in->freq);
            return false;
        }
        bool annual =
            n->op == D_TX && (n->tx == ALM_TX_PCA || n->tx == ALM_TX_CCA ||
                              n->tx == ALM_TX_CH1 || n->tx == ALM_TX_PC1);
        if (annual && alm_freq_per_year(in->freq) == 0) {
            problem(c, ds->tables[ALM_T_INDICATORS]->name, line, "formula",
                    "%s needs a fixed number of periods a year: '%s' is %s",
                    alm_transform_code(n->tx), in->id, freq_word(in->freq));
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
                ds->ind[j].id, freq_word(ds->ind[j].freq), ds->ind[j].freq,
                ds->ind[k].id, freq_word(ds->ind[k].freq), ds->ind[k].freq);
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
        if (!check_form(&c, k, line))
            continue;
        check_no_obs(&c, k);
    }
    if (report || !c.nerrors)
        check_cycles(&c);
    return c.nerrors;
}

/* ---- the public questions ---------------------------------------------- */

static const struct dform *form_of(const struct alm_dataset *ds, size_t ind)
{
    const struct alm__derived *d = ds->ix ? ds->ix->derived : NULL;
    if (!d || ind >= d->nind || !d->form[ind].node)
        return NULL;
    return &d->form[ind];
}

bool alm_derive_is(const struct alm_dataset *ds, size_t ind)
{
    return form_of(ds, ind) != NULL;
}

const char *alm_derive_formula(const struct alm_dataset *ds, size_t ind)
{
    const struct dform *f = form_of(ds, ind);
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
    const struct dform *f = form_of(ds, ind);
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

/* ---- computing ---------------------------------------------------------- */

/* A point while computing: its inputs are pool[in0 .. in0 + nin). */
struct dpt {
    struct alm_period period;
    double v, lo, hi;
    long vintage;
    size_t in0, nin;
    bool approx;
    char status;
};

/* A value while computing: a constant, or a series of points. */
struct dval {
    bool is_const;
    double c;
    struct dpt *pt;
    size_t n;
};

struct ectx {
    const struct alm_dataset *ds;
    long as_of;
    char freq; /* the derived indicator's, which its inputs share */
    size_t *pool;
    size_t npool, cap;
    struct alm_error *err;
};

static bool pool_add(struct ectx *e, const size_t *obs, size_t n)
{
    if (e->npool + n > e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        while (cap < e->npool + n)
            cap *= 2;
        size_t *p = realloc(e->pool, cap * sizeof *p);
        if (!p)
            return false;
        e->pool = p;
        e->cap = cap;
    }
    memcpy(e->pool + e->npool, obs, n * sizeof *obs);
    e->npool += n;
    return true;
}

static enum alm_status nomem(struct ectx *e)
{
    return alm_fail(e->err, ALM_ENOMEM, "out of memory");
}

static void unbounded(struct dpt *p)
{
    p->lo = -INFINITY;
    p->hi = INFINITY;
}

static bool bounded(const struct dpt *p)
{
    return isfinite(p->lo) && isfinite(p->hi);
}

/* The interval of a recorded figure: its rounding, widened on the open
 * side of a qualifier. */
static void obs_interval(const struct alm_obs *o, struct dpt *p)
{
    double h = alm_figure_half_unit(o->value_text);
    p->lo = o->value - h;
    p->hi = o->value + h;
    if (o->qual == ALM_QUAL_GT || o->qual == ALM_QUAL_GE)
        p->hi = INFINITY;
    if (o->qual == ALM_QUAL_LT || o->qual == ALM_QUAL_LE)
        p->lo = -INFINITY;
}

static enum alm_status eval(struct ectx *e, const struct dform *f, int i,
                            struct dval *out);

static enum alm_status eval_derived(struct ectx *e, size_t k, struct dval *out)
{
    struct alm_dseries s = {0};
    enum alm_status st = alm_derive_series(e->ds, k, e->as_of, &s, e->err);
    if (st != ALM_OK)
        return st;
    out->pt = calloc(s.n ? s.n : 1, sizeof *out->pt);
    if (!out->pt) {
        alm_dseries_release(&s);
        return nomem(e);
    }
    for (size_t i = 0; i < s.n; i++) {
        const struct alm_dpoint *q = &s.pt[i];
        struct dpt p = {q->period, q->value, q->lo,     q->hi,    q->vintage,
                        e->npool,  q->nobs,  q->approx, q->status};
        if (!pool_add(e, q->obs, q->nobs)) {
            alm_dseries_release(&s);
            return nomem(e);
        }
        out->pt[out->n++] = p;
    }
    alm_dseries_release(&s);
    return ALM_OK;
}

static enum alm_status eval_input(struct ectx *e, size_t k, struct dval *out)
{
    if (alm_derive_is(e->ds, k))
        return eval_derived(e, k, out);
    size_t *idx = NULL, n = 0;
    enum alm_status st =
        alm_dataset_series(e->ds, k, e->as_of, false, &idx, &n, e->err);
    if (st != ALM_OK)
        return st;
    out->pt = calloc(n ? n : 1, sizeof *out->pt);
    if (!out->pt) {
        free(idx);
        return nomem(e);
    }
    for (size_t i = 0; i < n; i++) {
        const struct alm_obs *o = &e->ds->obs[idx[i]];
        struct dpt p = {
            .period = o->period,
            .v = o->value,
            .vintage = o->vintage,
            .in0 = e->npool,
            .nin = 1,
            .approx = o->qual != ALM_QUAL_NONE,
            .status = (o->status == 'F' || o->status == 'B') ? o->status : 0};
        obs_interval(o, &p);
        if (!pool_add(e, &idx[i], 1)) {
            free(idx);
            return nomem(e);
        }
        out->pt[out->n++] = p;
    }
    free(idx);
    return ALM_OK;
}

static char status_of(char a, char b)
{
    if (a == 'F' || b == 'F')
        return 'F';
    return a == 'B' || b == 'B' ? 'B' : 0;
}

/* The interval of x op y from the intervals of x and y. */
static void combine(enum dop op, const struct dpt *x, const struct dpt *y,
                    struct dpt *r)
{
    if (!bounded(x) || !bounded(y)) {
        unbounded(r);
        return;
    }
    if (op == D_ADD) {
        r->lo = x->lo + y->lo;
        r->hi = x->hi + y->hi;
        return;
    }
    if (op == D_SUB) {
        r->lo = x->lo - y->hi;
        r->hi = x->hi - y->lo;
        return;
    }
    if (op == D_DIV && y->lo <= 0 && y->hi >= 0) {
        unbounded(r);
        return;
    }
    double c[4];
    if (op == D_MUL) {
        c[0] = x->lo * y->lo, c[1] = x->lo * y->hi;
        c[2] = x->hi * y->lo, c[3] = x->hi * y->hi;
    } else {
        c[0] = x->lo / y->lo, c[1] = x->lo / y->hi;
        c[2] = x->hi / y->lo, c[3] = x->hi / y->hi;
    }
    r->lo = r->hi = c[0];
    for (int i = 1; i < 4; i++) {
        r->lo = fmin(r->lo, c[i]);
        r->hi = fmax(r->hi, c[i]);
    }
}

static bool apply_op(enum dop op, double x, double y, double *r)
{
    switch (op) {
    case D_ADD:
        *r = x + y;
        break;
    case D_SUB:
        *r = x - y;
        break;
    case D_MUL:
        *r = x * y;
        break;
    default:
        if (y == 0)
            return false;
        *r = x / y;
        break;
    }
    return isfinite(*r);
}

/* Appends cx op cy to out (room is there), unless it is undefined. */
static enum alm_status emit(struct ectx *e, enum dop op, const struct dpt *cx,
                            const struct dpt *cy, struct dval *out)
{
    struct dpt r = cx->nin ? *cx : *cy;
    if (!apply_op(op, cx->v, cy->v, &r.v))
        return ALM_OK;
    combine(op, cx, cy, &r);
    r.vintage = cx->vintage > cy->vintage ? cx->vintage : cy->vintage;
    r.approx = cx->approx || cy->approx;
    r.status = status_of(cx->status, cy->status);
    r.in0 = e->npool;
    r.nin = cx->nin + cy->nin;
    /* The pool may move while it grows: copy through indices. */
    for (size_t q = 0; q < cx->nin; q++)
        if (!pool_add(e, &e->pool[cx->in0 + q], 1))
            return nomem(e);
    for (size_t q = 0; q < cy->nin; q++)
        if (!pool_add(e, &e->pool[cy->in0 + q], 1))
            return nomem(e);
    out->pt[out->n++] = r;
    return ALM_OK;
}

/* x op y for two values of which at least one is a series: period by
 * period, on the periods both have. */
static enum alm_status binary(struct ectx *e, enum dop op, const struct dval *x,
                              const struct dval *y, struct dval *out)
{
    size_t cap = x->is_const ? y->n : x->n;
    out->pt = calloc(cap ? cap : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    struct dpt c = {.vintage = ALM_DATE_NONE};
    enum alm_status st = ALM_OK;
    if (x->is_const || y->is_const) {
        const struct dval *s = x->is_const ? y : x;
        c.v = c.lo = c.hi = x->is_const ? x->c : y->c;
        for (size_t i = 0; i < s->n && st == ALM_OK; i++)
            st = x->is_const ? emit(e, op, &c, &s->pt[i], out)
                             : emit(e, op, &s->pt[i], &c, out);
        return st;
    }
    size_t i = 0, j = 0;
    while (i < x->n && j < y->n && st == ALM_OK) {
        int cmp = alm_period_compare(&x->pt[i].period, &y->pt[j].period);
        if (cmp == 0)
            st = emit(e, op, &x->pt[i], &y->pt[j], out);
        if (cmp <= 0)
            i++;
        if (cmp >= 0)
            j++;
    }
    return st;
}

static int cmp_period(const struct alm_period *a, const struct alm_period *b)
{
    return alm_period_compare(a, b);
}

/* The point of s whose period is key, or NULL. */
static const struct dpt *find_point(const struct dval *s,
                                    const struct alm_period *key)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_period(&s->pt[mid].period, key);
        if (c == 0 && s->pt[mid].period.kind == key->kind &&
            s->pt[mid].period.day == key->day)
            return &s->pt[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* One value of tx through the transform layer: base b (NULL for log) and
 * the point x. False where it is undefined or has no base. */
static bool tx_value(enum alm_transform tx, char freq,
                     const struct alm_period *pb, double b,
                     const struct alm_period *px, double x, double *y)
{
    struct alm_point in[2], out[2];
    size_t n = 0, nout = 0;
    if (pb)
        in[n++] = (struct alm_point){*pb, b};
    in[n++] = (struct alm_point){*px, x};
    if (alm_transform_apply(tx, freq, in, n, out, &nout, NULL, NULL) !=
            ALM_OK ||
        nout == 0 || alm_period_compare(&out[nout - 1].period, px) != 0)
        return false;
    *y = out[nout - 1].value;
    return true;
}

static struct alm_period shift_years(const struct alm_period *p, int years)
{
    struct alm_period q = *p;
    q.m0 += 12L * years;
    q.m1 += 12L * years;
    return q;
}

static enum alm_status transform(struct ectx *e, enum alm_transform tx,
                                 char freq, const struct dval *s,
                                 struct dval *out)
{
    out->pt = calloc(s->n ? s->n : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    bool year_ago = tx == ALM_TX_CH1 || tx == ALM_TX_PC1;
    bool ratio = tx != ALM_TX_CHG && tx != ALM_TX_CH1;
    for (size_t i = 0; i < s->n; i++) {
        const struct dpt *x = &s->pt[i], *b = NULL;
        if (year_ago) {
            struct alm_period key = shift_years(&x->period, -1);
            b = find_point(s, &key);
        } else if (tx != ALM_TX_LOG && i > 0) {
            b = &s->pt[i - 1];
        }
        if (tx != ALM_TX_LOG && !b)
            continue;
        struct dpt r = *x;
        const struct alm_period *pb = b ? &b->period : NULL;
        double bv = b ? b->v : 0, blo = b ? b->lo : 0, bhi = b ? b->hi : 0;
        if (!tx_value(tx, freq, pb, bv, &x->period, x->v, &r.v))
            continue;
        bool ok = bounded(x) && (!b || bounded(b)) &&
                  (!ratio || (x->lo > 0 && (!b || blo > 0)));
        /* Every unit is increasing in x and decreasing in its base where
         * the values are positive: the interval's ends come from the
         * inputs' opposite ends. */
        if (!ok || !tx_value(tx, freq, pb, bhi, &x->period, x->lo, &r.lo) ||
            !tx_value(tx, freq, pb, blo, &x->period, x->hi, &r.hi))
            unbounded(&r);
        r.in0 = e->npool;
        r.nin = x->nin + (b ? b->nin : 0);
        size_t xin0 = x->in0, xn = x->nin;
        size_t bin0 = b ? b->in0 : 0, bn = b ? b->nin : 0;
        if (b) {
            r.vintage = x->vintage > b->vintage ? x->vintage : b->vintage;
            r.approx = x->approx || b->approx;
            r.status = status_of(x->status, b->status);
        }
        for (size_t q = 0; q < xn; q++)
            if (!pool_add(e, &e->pool[xin0 + q], 1))
                return nomem(e);
        for (size_t q = 0; q < bn; q++)
            if (!pool_add(e, &e->pool[bin0 + q], 1))
                return nomem(e);
        out->pt[out->n++] = r;
    }
    return ALM_OK;
}

static enum alm_status shift(struct ectx *e, int years, const struct dval *s,
                             struct dval *out)
{
    out->pt = calloc(s->n ? s->n : 1, sizeof *out->pt);
    if (!out->pt)
        return nomem(e);
    for (size_t i = 0; i < s->n; i++) {
        struct dpt r = s->pt[i];
        r.period = shift_years(&r.period, years);
        if (r.period.kind == ALM_PERIOD_DAY &&
            r.period.day > alm_days_in_month((int)(r.period.m0 / 12),
                                             (int)(r.period.m0 % 12) + 1))
            continue; /* a 29 February has no day a year away */
        out->pt[out->n++] = r;
    }
    return ALM_OK;
}

static void dval_release(struct dval *v)
{
    free(v->pt);
    *v = (struct dval){0};
}

static enum alm_status eval(struct ectx *e, const struct dform *f, int i,
                            struct dval *out)
{
    const struct dnode *n = &f->node[i];
    struct dval x = {0}, y = {0};
    enum alm_status st = ALM_OK;
    *out = (struct dval){0};
    switch (n->op) {
    case D_NUM:
        out->is_const = true;
        out->c = n->num;
        return ALM_OK;
    case D_IND:
        return eval_input(e, n->ind, out);
    default:
        break;
    }
    st = eval(e, f, n->a, &x);
    if (st == ALM_OK && n->b >= 0)
        st = eval(e, f, n->b, &y);
    if (st != ALM_OK)
        goto done;
    if (n->op == D_NEG) {
        if (x.is_const) {
            *out = x;
            out->c = -x.c;
            return ALM_OK;
        }
        for (size_t k = 0; k < x.n; k++) {
            double lo = x.pt[k].lo;
            x.pt[k].v = -x.pt[k].v;
            x.pt[k].lo = -x.pt[k].hi;
            x.pt[k].hi = -lo;
        }
        *out = x;
        return ALM_OK;
    }
    if (n->op == D_TX || n->op == D_SHIFT) {
        /* Validation made sure a function's argument names an indicator;
         * a constant argument is a constant result. */
        if (x.is_const) {
            *out = x;
            return ALM_OK;
        }
        st = n->op == D_TX ? transform(e, n->tx, e->freq, &x, out)
                           : shift(e, n->years, &x, out);
        goto done;
    }
    if (x.is_const && y.is_const) {
        out->is_const = true;
        if (!apply_op(n->op, x.c, y.c, &out->c))
            out->c = NAN;
        goto done;
    }
    st = binary(e, n->op, &x, &y, out);
done:
    dval_release(&x);
    dval_release(&y);
    return st;
}

/* Copies the computed points into out, each point's inputs without
 * repeats, pointing into out's own pool. */
static enum alm_status finish(struct ectx *e, const struct dval *v,
                              struct alm_dseries *out)
{
    out->pt = calloc(v->n ? v->n : 1, sizeof *out->pt);
    out->pool = malloc((e->npool ? e->npool : 1) * sizeof *out->pool);
    if (!out->pt || !out->pool) {
        alm_dseries_release(out);
        return nomem(e);
    }
    size_t used = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct dpt *p = &v->pt[i];
        struct alm_dpoint *q = &out->pt[i];
        size_t n0 = used;
        for (size_t k = 0; k < p->nin; k++) {
            size_t o = e->pool[p->in0 + k], j = n0;
            while (j < used && out->pool[j] != o)
                j++;
            if (j == used)
                out->pool[used++] = o;
        }
        *q = (struct alm_dpoint){.period = p->period,
                                 .value = p->v,
                                 .lo = p->lo,
                                 .hi = p->hi,
                                 .vintage = p->vintage,
                                 .approx = p->approx,
                                 .status = p->status,
                                 .nobs = used - n0};
        q->obs = out->pool + n0; /* the pool does not move from here on */
    }
    out->n = v->n;
    return ALM_OK;
}

enum alm_status alm_derive_series(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err)
{
    const struct dform *f = form_of(ds, ind);
    *out = (struct alm_dseries){0};
    if (!f)
        return alm_fail(err, ALM_EINPUT, "'%s' is not a derived indicator",
                        ind < ds->nind ? ds->ind[ind].id : "?");
    struct ectx e = {
        .ds = ds, .as_of = as_of, .freq = ds->ind[ind].freq, .err = err};
    struct dval v = {0};
    enum alm_status st = eval(&e, f, f->root, &v);
    if (st == ALM_OK)
        st = finish(&e, &v, out);
    dval_release(&v);
    free(e.pool);
    return st;
}

void alm_dseries_release(struct alm_dseries *s)
{
    free(s->pt);
    free(s->pool);
    *s = (struct alm_dseries){0};
}

/* True when the ;-list list[0..upto) already holds id[0..n). */
static bool listed(const char *list, size_t upto, const char *id, size_t n)
{
    const char *s = list;
    while (s && s < list + upto) {
        const char *end = memchr(s, ';', (size_t)(list + upto - s));
        size_t len = end ? (size_t)(end - s) : (size_t)(list + upto - s);
        if (len == n && memcmp(s, id, n) == 0)
            return true;
        s = end ? end + 1 : NULL;
    }
    return false;
}

void alm_dpoint_sources(const struct alm_dataset *ds,
                        const struct alm_dpoint *p, struct alm_buf *out)
{
    size_t start = out->len, first = 1;
    for (size_t i = 0; i < p->nobs; i++) {
        const char *s = ds->obs[p->obs[i]].source;
        while (*s) {
            const char *end = strchr(s, ';');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (n && !listed(out->s ? out->s + start : NULL, out->len - start,
                             s, n)) {
                if (!first)
                    alm_buf_putc(out, ';');
                alm_buf_add(out, s, n);
                first = 0;
            }
            s += n + (end != NULL);
        }
    }
}

void alm_dpoint_inputs(const struct alm_dataset *ds, const struct alm_dpoint *p,
                       struct alm_buf *out)
{
    for (size_t i = 0; i < p->nobs; i++) {
        const struct alm_obs *o = &ds->obs[p->obs[i]];
        char per[ALM_PERIOD_TEXT_MAX], vin[32] = "unknown";
        const char *own = alm_obs_cell(ds, o, "vintage");
        alm_period_format(&o->period, per, sizeof per);
        if (own[0])
            alm__copy(vin, sizeof vin, own);
        else if (o->vintage != ALM_DATE_NONE)
            alm_date_format(o->vintage, vin, sizeof vin);
        alm_buf_printf(out, "%s%s %s%s (%s, vintage %s, %s)", i ? "; " : "",
                       ds->ind[o->ind].id, alm_qualifier_text(o->qual),
                       o->value_text, per, vin,
                       o->source[0] ? o->source : "no source");
    }
}

enum alm_status alm_derive_points(const struct alm_dataset *ds, size_t ind,
                                  long as_of, struct alm_dseries *out,
                                  struct alm_error *err)
{
    *out = (struct alm_dseries){0};
    if (alm_derive_is(ds, ind))
        return alm_derive_series(ds, ind, as_of, out, err);
    struct ectx e = {
        .ds = ds, .as_of = as_of, .freq = ds->ind[ind].freq, .err = err};
    struct dval v = {0};
    enum alm_status st = eval_input(&e, ind, &v);
    if (st == ALM_OK)
        st = finish(&e, &v, out);
    dval_release(&v);
    free(e.pool);
    return st;
}

enum alm_status alm_derive_select(const struct alm_dataset *ds, size_t ind,
                                  long as_of, size_t **idx,
                                  struct alm_point **pt, size_t *n,
                                  struct alm_error *err)
{
    struct alm_dseries s = {0};
    *idx = NULL;
    *pt = NULL;
    *n = 0;
    enum alm_status st = alm_derive_series(ds, ind, as_of, &s, err);
    if (st != ALM_OK)
        return st;
    *pt = malloc((s.n ? s.n : 1) * sizeof **pt);
    if (!*pt) {
        alm_dseries_release(&s);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < s.n; i++)
        (*pt)[i] = (struct alm_point){s.pt[i].period, s.pt[i].value};
    *n = s.n;
    alm_dseries_release(&s);
    return ALM_OK;
}

/* Appends the observations of every recorded indicator that derived
 * indicator ind reaches (through other derived ones) to *v. */
static bool reach(const struct alm_dataset *ds, size_t ind, size_t **v,
                  size_t *n, size_t *cap, int depth)
{
    const struct dform *f = form_of(ds, ind);
    for (int i = 0; f && i < f->nnode && depth < 64; i++) {
        if (f->node[i].op != D_IND)
            continue;
        size_t k = f->node[i].ind;
        if (alm_derive_is(ds, k)) {
            if (!reach(ds, k, v, n, cap, depth + 1))
                return false;
            continue;
        }
        const size_t *rows;
        size_t m;
        alm_dataset_obs_of(ds, k, &rows, &m);
        if (*n + m > *cap) {
            size_t c = (*n + m) * 2 + 16;
            size_t *p = realloc(*v, c * sizeof *p);
            if (!p)
                return false;
            *v = p;
            *cap = c;
        }
        memcpy(*v + *n, rows, m * sizeof *rows);
        *n += m;
    }
    return true;
}

enum alm_status alm_derive_input_obs(const struct alm_dataset *ds, size_t ind,
                                     size_t **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!reach(ds, ind, out, n, &cap, 0)) {
        free(*out);
        *out = NULL;
        *n = 0;
        return ALM_ENOMEM;
    }
    return ALM_OK;
}

char *alm_derive_mark_title(char *title, const char *formula)
{
    struct alm_buf b = ALM_BUF_INIT;
    alm_buf_printf(&b, "%s (derived: %s)", title, formula ? formula : "");
    free(title);
    return alm_buf_detach(&b);
}

void alm_derive_link(struct alm_dataset *built, const struct alm_dataset *from)
{
    built->ix->origin = from;
}

const struct alm_dataset *alm_derive_origin(const struct alm_dataset *ds)
{
    return ds->ix && ds->ix->origin ? ds->ix->origin : ds;
}
