/* Import: detection, dispatch, the batch builder and the cell readers that
 * every format shares (import.h, import_internal.h). */
#include <almanac/import.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>
#include <almanac/period.h>

#include "import_internal.h"
#include "internal.h"

static const char *const format_names[] = {
    "auto", "long", "wide", "wdi", "fred", "sdmx", "jsonstat", "ecb", "nbs"};

const char *alm_import_format_name(enum alm_import_format f)
{
    return format_names[f];
}

enum alm_status alm_import_format_parse(const char *text,
                                        enum alm_import_format *out,
                                        struct alm_error *err)
{
    char q[80];
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(text, format_names[i]) == 0) {
            *out = (enum alm_import_format)i;
            return ALM_OK;
        }
    return alm_fail(err, ALM_EINPUT,
                    "unknown format '%s': expected auto, long, wide, wdi, "
                    "fred, sdmx, jsonstat, ecb or nbs",
                    alm_error_quote(text, q, sizeof q));
}

uint64_t alm__imp_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* ---- cells -------------------------------------------------------------- */

/* Returns the length of a space at s (ASCII space or tab, or a UTF-8
 * no-break space), or 0. */
static size_t space_at(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

char *alm__imp_trim(const char *s)
{
    size_t k;
    while ((k = space_at(s)) > 0)
        s += k;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                     (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
                      (unsigned char)s[n - 1] == 0xA0))) {
        n -= s[n - 1] == ' ' || s[n - 1] == '\t' ? 1 : 2;
    }
    return alm__strndup(s, n);
}

/* True for the texts R, spreadsheets and publishers write for a missing
 * value: empty, NA, NaN, #N/A, ".", "..", "...", ":" (also Eurostat's ": c"
 * with a flag). */
static bool is_missing(const char *t)
{
    static const char *const words[] = {"",  "NA", "NaN", "#N/A",
                                        ".", "..", "...", ":"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(t, words[i]) == 0)
            return true;
    return t[0] == ':' && t[1] == ' ';
}

/* Shifts the decimal point of the plain decimal text s (already checked
 * by alm__parse_number) by m places, writing the exact result into out
 * (size bytes) without leading or trailing zeros; returns false when s has
 * an exponent or out is too small. */
static bool shift_decimal(const char *s, int m, char *out, size_t size)
{
    char digits[400], res[520];
    size_t nd = 0, k = 0;
    long point = -1;
    const char *p = s;
    if (*p == '+' || *p == '-') {
        if (*p == '-')
            res[k++] = '-';
        p++;
    }
    for (; *p; p++) {
        if (*p == '.')
            point = (long)nd;
        else if (isdigit((unsigned char)*p) && nd < sizeof digits)
            digits[nd++] = *p;
        else
            return false;
    }
    if (point < 0)
        point = (long)nd;
    point += m; /* the value is 0.digits times ten to the power point */
    if (point > 300 || point < -300)
        return false;
    size_t int_start = k;
    for (long i = 0; i < point; i++)
        res[k++] = i < (long)nd ? digits[i] : '0';
    while (k - int_start > 1 && res[int_start] == '0') {
        memmove(res + int_start, res + int_start + 1, k - int_start - 1);
        k--;
    }
    if (k == int_start)
        res[k++] = '0';
    size_t point_at = k;
    res[k++] = '.';
    for (long i = point; i < 0; i++)
        res[k++] = '0';
    for (long i = point < 0 ? 0 : point; i < (long)nd; i++)
        res[k++] = digits[i];
    while (k > point_at + 1 && res[k - 1] == '0')
        k--;
    if (k == point_at + 1)
        k = point_at;
    res[k] = '\0';
    if (strcmp(res, "-0") == 0)
        alm__copy(res, sizeof res, "0");
    if (strlen(res) >= size)
        return false;
    alm__copy(out, size, res);
    return true;
}

/* Reads a value cell: 1 with the number's text in out (trimmed, a decimal
 * comma turned into a point, unit_mult applied), 0 for a missing value, -1
 * with e filled. */
static int read_value(struct imp *im, const char *raw, int unit_mult, char *out,
                      size_t size, struct alm_error *e)
{
    char q[120];
    char *t = alm__imp_trim(raw);
    if (!t) {
        alm_fail(e, ALM_ENOMEM, "out of memory");
        return -1;
    }
    if (is_missing(t)) {
        free(t);
        return 0;
    }
    int rc = -1;
    char *comma = strchr(t, ',');
    char *dot = strchr(t, '.');
    /* Spaces or apostrophes between digits: "1 234", "1'234". */
    bool inner_space = false;
    if (strchr(t, ' ') || strstr(t, "\xC2\xA0") || strchr(t, '\'')) {
        inner_space = true;
        for (const char *c = t; *c && inner_space; c++)
            inner_space = strchr("0123456789 '.,+-\xC2\xA0", *c) != NULL;
    }
    char want = im->spec->decimal ? im->spec->decimal : im->decimal;
    if (inner_space || (comma && dot) || (comma && strchr(comma + 1, ',')) ||
        (dot && strchr(dot + 1, '.') && comma == NULL && want == ',')) {
        alm_fail(e, ALM_EINPUT,
                 "'%s': thousands separators are not numbers: remove them "
                 "or use --decimal",
                 alm_error_quote(t, q, sizeof q));
        goto done;
    }
    if (comma) {
        if (want == '.') {
            alm_fail(e, ALM_EINPUT,
                     "'%s' has a comma: thousands separators are not "
                     "numbers (remove them); for a decimal comma use "
                     "--decimal ','",
                     alm_error_quote(t, q, sizeof q));
            goto done;
        }
        *comma = '.';
        if (!im->spec->decimal)
            im->decimal = ',';
    } else if (dot && want == ',') {
        alm_fail(e, ALM_EINPUT,
                 "'%s' has a decimal point but the file uses a decimal "
                 "comma: thousands separators are not numbers; remove them "
                 "or use --decimal",
                 alm_error_quote(t, q, sizeof q));
        goto done;
    } else if (dot && !im->spec->decimal) {
        im->decimal = '.';
    }
    double x;
    if (alm__parse_number(t, &x, e) != ALM_OK)
        goto done;
    if (unit_mult) {
        if (!shift_decimal(t, unit_mult, out, size)) {
            alm_fail(e, ALM_EINPUT, "cannot apply UNIT_MULT %d to '%s'",
                     unit_mult, alm_error_quote(t, q, sizeof q));
            goto done;
        }
    } else if (strlen(t) >= size) {
        alm_fail(e, ALM_EINPUT, "a number of %zu characters is too long",
                 strlen(t));
        goto done;
    } else {
        alm__copy(out, size, t);
    }
    rc = 1;
done:
    free(t);
    return rc;
}

char alm__imp_status(const char *code)
{
    if (!code || !*code)
        return 0;
    /* One code (SDMX's CL_OBS_STATUS) or several Eurostat flags ("bep"):
     * a break wins, then provisional, estimated, forecast, normal. */
    static const char order[] = "BPEF";
    for (const char *o = order; *o; o++)
        for (const char *p = code; *p; p++) {
            char c = (char)toupper((unsigned char)*p);
            if (c == 'S' || c == 'I')
                c = 'E'; /* Eurostat estimate, SDMX imputed */
            if (c == *o)
                return c;
        }
    return strcasecmp(code, "A") == 0 ? 'A' : 0;
}

static const char *const cn_quarters[] = {"一", "二", "三", "四"};

/* Parses the digits at *s (at most max of them) into *v; returns how many
 * were read. */
static int digits(const char **s, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && isdigit((unsigned char)**s)) {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

/* Writes the date of the last day (Sunday) of ISO week w of year y. */
static bool iso_week_end(int y, int w, char *out)
{
    /* Jan 4 is always in week 1; its weekday (Mon = 0) gives week 1's
     * Monday. */
    long jan4 = alm_days_from_civil(y, 1, 4);
    long wd = ((jan4 + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
    long monday = jan4 - wd;
    long last_week = 52;
    long dec28 = alm_days_from_civil(y, 12, 28); /* always in the last week */
    last_week = (dec28 - monday) / 7 + 1;
    if (w < 1 || w > last_week)
        return false;
    alm_date_format(monday + 7L * (w - 1) + 6, out, 11);
    return true;
}

enum alm_status alm__imp_period(const char *raw, char *out, bool *is_date,
                                struct alm_error *err)
{
    char q[120], buf[ALM_PERIOD_TEXT_MAX + 8];
    char *t = alm__imp_trim(raw);
    if (!t)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    const char *s = t;
    int y = 0, n = 0;
    *is_date = false;
    /* By default the text goes to alm_period_parse as it is, so that its
     * messages name what is wrong; a publisher's form that does not parse
     * empties buf for the message listing the forms. */
    alm__copy(buf, sizeof buf, t);
    if (digits(&s, 4, &y) == 4) {
        if (strncmp(s, "年", 3) == 0 || s[0] == 'Q' || s[0] == 'q' ||
            s[0] == 'M' || (s[0] == '-' && s[1] && strchr("QqMWwSHA", s[1])))
            buf[0] = '\0';
        if (strncmp(s, "年", 3) == 0) {
            /* 2024年, 2024年3月, 2024年第一季度, 2024年1-2月 */
            s += 3;
            if (!*s) {
                snprintf(buf, sizeof buf, "%04d", y);
            } else if (strncmp(s, "第", 3) == 0) {
                s += 3;
                for (int k = 0; k < 4; k++)
                    if (strncmp(s, cn_quarters[k], 3) == 0 &&
                        strcmp(s + 3, "季度") == 0)
                        snprintf(buf, sizeof buf, "%04d-Q%d", y, k + 1);
                if (!buf[0] && digits(&s, 1, &n) == 1 && strcmp(s, "季度") == 0)
                    snprintf(buf, sizeof buf, "%04d-Q%d", y, n);
            } else if (digits(&s, 2, &n) >= 1) {
                int m2 = 0;
                if (strcmp(s, "月") == 0)
                    snprintf(buf, sizeof buf, "%04d-%02d", y, n);
                else if (*s == '-' && (s++, digits(&s, 2, &m2) >= 1) &&
                         strcmp(s, "月") == 0)
                    snprintf(buf, sizeof buf, "%04d-%02d/%04d-%02d", y, n, y,
                             m2);
            }
        } else if ((s[0] == 'Q' || s[0] == 'q') &&
                   isdigit((unsigned char)s[1]) && !s[2]) {
            snprintf(buf, sizeof buf, "%04d-Q%c", y, s[1]); /* 1995Q1 */
        } else if (s[0] == '-' && (s[1] == 'Q' || s[1] == 'q') && s[2] &&
                   !s[3]) {
            snprintf(buf, sizeof buf, "%04d-Q%c", y, s[2]);
        } else if ((s[0] == '-' && s[1] == 'M') || s[0] == 'M') {
            s += s[0] == '-' ? 2 : 1; /* 2024-M03, 2024M03 */
            if (digits(&s, 2, &n) == 2 && !*s)
                snprintf(buf, sizeof buf, "%04d-%02d", y, n);
        } else if (s[0] == '-' && (s[1] == 'W' || s[1] == 'w')) {
            s += 2; /* ISO week: dated by its last day (SPEC: D) */
            if (digits(&s, 2, &n) >= 1 && !*s && iso_week_end(y, n, buf))
                *is_date = false;
            else
                buf[0] = '\0';
        } else if (s[0] == '-' && (s[1] == 'S' || s[1] == 'H') &&
                   (s[2] == '1' || s[2] == '2') && !s[3]) {
            /* Half-year: its span of months (SPEC has no half-year). */
            int h = s[2] - '0';
            snprintf(buf, sizeof buf, "%04d-%02d/%04d-%02d", y, h * 6 - 5, y,
                     h * 6);
        } else if (s[0] == '-' && s[1] == 'A' && s[2] == '1' && !s[3]) {
            snprintf(buf, sizeof buf, "%04d", y); /* SDMX 2024-A1 */
        } else if (strlen(t) > 10 && t[10] == 'T') {
            buf[10] = '\0'; /* a timestamp from JSON-stat or SDMX: its date */
        }
    }
    struct alm_period p;
    enum alm_status st = ALM_OK;
    if (buf[0] && alm_period_parse(buf, &p, err) != ALM_OK) {
        st = ALM_EINPUT;
    } else if (!buf[0]) {
        st = alm_fail(err, ALM_EINPUT,
                      "'%s' is not a period: expected 2024, 2024-Q1 (or "
                      "2024Q1), 2024-03 (or 2024-M03), 2024-03-31, "
                      "2024-W05, 2024-S1, 2024年3月 or 2024年第一季度",
                      alm_error_quote(t, q, sizeof q));
    } else {
        alm_period_format(&p, out, ALM_PERIOD_TEXT_MAX);
        *is_date =
            p.kind == ALM_PERIOD_DAY && !strchr(t, 'W') && !strchr(t, 'w');
    }
    free(t);
    return st;
}

/* ---- the builder -------------------------------------------------------- */

/* Appends the id part of a publisher's code to b: lower-cased, characters
 * outside [a-z0-9_-] turned to '-'. */
static enum alm_status add_part(struct alm_buf *b, const char *part)
{
    for (const char *p = part; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (!(isalnum((unsigned char)c) || c == '_' || c == '-') ||
            (unsigned char)*p >= 0x80)
            c = '-';
        if (alm_buf_putc(b, c) != ALM_OK)
            return ALM_ENOMEM;
    }
    return ALM_OK;
}

static long find_series(const struct imp *im, const char *id, size_t *slot)
{
    if (!im->nslots)
        return -1;
    size_t h = (size_t)alm__imp_hash(ALM_IMP_HASH0, id, strlen(id));
    for (size_t i = h % im->nslots;; i = (i + 1) % im->nslots) {
        if (!im->slots[i]) {
            *slot = i;
            return -1;
        }
        if (strcmp(im->ser[im->slots[i] - 1].id, id) == 0)
            return (long)im->slots[i] - 1;
    }
}

static enum alm_status grow_slots(struct imp *im)
{
    size_t n = im->nslots ? im->nslots * 2 : 64;
    size_t *s = calloc(n, sizeof *s);
    if (!s)
        return ALM_ENOMEM;
    free(im->slots);
    im->slots = s;
    im->nslots = n;
    for (size_t k = 0; k < im->nser; k++) {
        size_t slot = 0;
        find_series(im, im->ser[k].id, &slot);
        im->slots[slot] = k + 1;
    }
    return ALM_OK;
}

long alm__imp_series(struct imp *im, const char *const *parts, size_t n,
                     bool verbatim, const char *title, const char *unit,
                     char freq, long line)
{
    struct alm_buf id = ALM_BUF_INIT, key = ALM_BUF_INIT;
    char q[200], q2[200];
    long k = -1;
    for (size_t i = 0; i < n; i++) {
        if ((i && (alm_buf_putc(&id, '.') != ALM_OK ||
                   alm_buf_putc(&key, '\037') != ALM_OK)) ||
            alm_buf_puts(&key, parts[i]) != ALM_OK ||
            (verbatim ? alm_buf_puts(&id, parts[i])
                      : add_part(&id, parts[i])) != ALM_OK)
            goto nomem;
    }
    if (!id.s && alm_buf_puts(&id, "") != ALM_OK)
        goto nomem;
    if (!key.s && alm_buf_puts(&key, "") != ALM_OK)
        goto nomem;
    if (!verbatim && (!alm__id_valid(id.s))) {
        /* Too long, or no letter to start with: keep what fits of the first
         * part and name the rest by a hash of the whole key. */
        char tail[24];
        snprintf(
            tail, sizeof tail, "%016llx",
            (unsigned long long)alm__imp_hash(ALM_IMP_HASH0, key.s, key.len));
        alm_buf_reset(&id);
        for (size_t i = 0; i < n && i < 2; i++) {
            struct alm_buf part = ALM_BUF_INIT;
            if (add_part(&part, parts[i]) != ALM_OK) {
                alm_buf_release(&part);
                goto nomem;
            }
            bool fits = part.s && part.len > 0 && part.len < 48 &&
                        alm__id_valid(part.s);
            if (fits && (alm_buf_puts(&id, part.s) != ALM_OK ||
                         alm_buf_putc(&id, '.') != ALM_OK)) {
                alm_buf_release(&part);
                goto nomem;
            }
            alm_buf_release(&part);
            if (!fits)
                break;
        }
        if (alm_buf_puts(&id, tail) != ALM_OK)
            goto nomem;
    }
    size_t slot = 0;
    k = find_series(im, id.s, &slot);
    if (k >= 0) {
        if (strcmp(im->ser[k].key, key.s) != 0) {
            alm_fail(im->err, ALM_EINPUT,
                     "two series get the id '%s': '%s' and '%s'; import "
                     "them into separate datasets or rename one",
                     id.s, alm_error_quote(im->ser[k].key, q, sizeof q),
                     alm_error_quote(key.s, q2, sizeof q2));
            for (char *c = im->err->msg; *c; c++)
                if (*c == '\037')
                    *c = ' ';
            alm_error_locate(im->err, im->name, line, NULL);
            k = -1;
        }
        goto out;
    }
    if (im->nser == im->capser) {
        size_t cap = im->capser ? 2 * im->capser : 16;
        struct imp_series *p = realloc(im->ser, cap * sizeof *p);
        if (!p)
            goto nomem;
        im->ser = p;
        im->capser = cap;
    }
    if ((im->nser + 1) * 2 > im->nslots) {
        if (grow_slots(im) != ALM_OK)
            goto nomem;
        find_series(im, id.s, &slot);
    }
    struct imp_series *s = &im->ser[im->nser];
    memset(s, 0, sizeof *s);
    s->title = alm__strdup(title ? title : "");
    s->unit = alm__strdup(unit ? unit : "");
    s->freq = freq;
    if (!s->title || !s->unit) {
        free(s->title);
        free(s->unit);
        goto nomem;
    }
    s->id = alm_buf_detach(&id);
    s->key = alm_buf_detach(&key);
    im->slots[slot] = im->nser + 1;
    k = (long)im->nser++;
out:
    alm_buf_release(&id);
    alm_buf_release(&key);
    return k;
nomem:
    alm_buf_release(&id);
    alm_buf_release(&key);
    alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return -1;
}

bool alm__imp_problem(struct imp *im)
{
    const struct alm_problem_sink *rep = im->spec->report;
    if (!rep || im->nproblems >= 100 || im->err->status != ALM_EINPUT)
        return false;
    /* One problem is the load's error; from the second on, each is
     * reported as it is found and the load's error is a count. */
    if (++im->nproblems == 1) {
        im->first = *im->err;
    } else {
        if (im->nproblems == 2)
            rep->fn(rep->ctx, &im->first, false);
        rep->fn(rep->ctx, im->err, false);
    }
    alm_error_clear(im->err);
    return true;
}

int alm__imp_obs(struct imp *im, long s, const char *period, const char *value,
                 const char *status, int unit_mult, long line,
                 const char *pfield, const char *vfield)
{
    char vtext[512], ptext[ALM_PERIOD_TEXT_MAX];
    struct alm_error e;
    alm_error_clear(&e);
    int rc = read_value(im, value, unit_mult, vtext, sizeof vtext, &e);
    if (rc < 0) {
        alm_fail(im->err, e.status, "%s", e.msg);
        alm_error_locate(im->err, im->name, line, vfield);
        return alm__imp_problem(im) ? 0 : -1;
    }
    bool is_date;
    if (alm__imp_period(period, ptext, &is_date, &e) != ALM_OK) {
        alm_fail(im->err, e.status, "%s", e.msg);
        alm_error_locate(im->err, im->name, line, pfield);
        return alm__imp_problem(im) ? 0 : -1;
    }
    if (rc == 0) {
        im->b->skipped++;
        return 0;
    }
    struct alm_table *t = im->b->obs;
    if (t->nrows == im->caprows) {
        size_t cap = im->caprows ? 2 * im->caprows : 256;
        size_t *rs = realloc(im->row_ser, cap * sizeof *rs);
        if (!rs)
            goto nomem;
        im->row_ser = rs;
        unsigned char *rd = realloc(im->row_date, cap);
        if (!rd)
            goto nomem;
        im->row_date = rd;
        im->caprows = cap;
    }
    char st[2] = {alm__imp_status(status), '\0'};
    size_t r = t->nrows;
    if (alm_table_add_row(t, line) != ALM_OK ||
        alm_table_set(t, r, 0, im->ser[s].id) != ALM_OK ||
        alm_table_set(t, r, 1, ptext) != ALM_OK ||
        alm_table_set(t, r, 2, vtext) != ALM_OK ||
        alm_table_set(t, r, 3, st) != ALM_OK)
        goto nomem;
    im->row_ser[r] = (size_t)s;
    im->row_date[r] = is_date;
    im->ser[s].nobs++;
    return 1;
nomem:
    alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return -1;
}

enum alm_status alm__imp_source(struct imp *im, const char *title,
                                const char *publisher, const char *date)
{
    char **slots[] = {&im->title, &im->publisher, &im->date};
    const char *v[] = {title, publisher, date};
    for (size_t i = 0; i < 3; i++) {
        if (!v[i])
            continue;
        char *c = alm__imp_trim(v[i]);
        if (!c)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
        free(*slots[i]);
        *slots[i] = c;
    }
    return ALM_OK;
}

/* ---- finishing: dates onto periods, indicators, the source -------------- */

/* The frequency of a series dated by days, from the dates themselves:
 * every date the first (FRED) or the last (ECB) day of its month, a year
 * apart in January or December: A; three months apart on quarter
 * boundaries: Q; else M; anything else is D. */
static char infer_date_freq(struct imp *im, const size_t *rows, size_t nr)
{
    const struct alm_table *t = im->b->obs;
    bool first = true, last = true, jan = true, dec = true, qs = true,
         qe = true;
    long prev = -1, mingap = -1;
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) {
        size_t r = rows[i];
        if (!im->row_date[r])
            continue;
        int y, m, d;
        if (sscanf(alm_table_cell(t, r, 1), "%d-%d-%d", &y, &m, &d) != 3)
            return 'D';
        n++;
        first = first && d == 1;
        last = last && d == alm_days_in_month(y, m);
        jan = jan && m == 1;
        dec = dec && m == 12;
        qs = qs && (m - 1) % 3 == 0;
        qe = qe && m % 3 == 0;
        long mo = (long)y * 12 + m - 1;
        if (prev >= 0) {
            long gap = mo > prev ? mo - prev : prev - mo;
            if (mingap < 0 || gap < mingap)
                mingap = gap;
        }
        prev = mo;
    }
    if (n < 2 || mingap <= 0 || !(first || last))
        return 'D';
    if ((first && jan) || (last && dec))
        return mingap >= 12 ? 'A' : 'D';
    if ((first && qs) || (last && qe))
        return mingap >= 3 ? 'Q' : 'M';
    return 'M';
}

/* Maps the dates of series s onto periods of frequency f. */
static enum alm_status map_dates(struct imp *im, const size_t *rows, size_t nr,
                                 char f)
{
    struct alm_table *t = im->b->obs;
    char prev[ALM_PERIOD_TEXT_MAX] = "", prev_date[16] = "";
    for (size_t i = 0; i < nr; i++) {
        size_t r = rows[i];
        if (!im->row_date[r])
            continue;
        int y, m, d;
        char out[ALM_PERIOD_TEXT_MAX];
        if (sscanf(alm_table_cell(t, r, 1), "%d-%d-%d", &y, &m, &d) != 3)
            continue;
        if (f == 'A')
            snprintf(out, sizeof out, "%04d", y);
        else if (f == 'Q')
            snprintf(out, sizeof out, "%04d-Q%d", y, (m - 1) / 3 + 1);
        else if (f == 'M')
            snprintf(out, sizeof out, "%04d-%02d", y, m);
        else
            continue;
        /* Two dates of one period (daily data read as months): import
         * does not aggregate. */
        if (strcmp(out, prev) == 0) {
            alm_fail(im->err, ALM_EINPUT,
                     "dates %s and %s both fall in %s: the data is finer "
                     "than frequency %c; leave --frequency out to keep them",
                     prev_date, alm_table_cell(t, r, 1), out, f);
            alm_error_locate(im->err, im->name, t->lines[r], NULL);
            return ALM_EINPUT;
        }
        alm__copy(prev, sizeof prev, out);
        alm__copy(prev_date, sizeof prev_date, alm_table_cell(t, r, 1));
        if (alm_table_set(t, r, 1, out) != ALM_OK)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    return ALM_OK;
}

/* Decides each series' frequency, maps dates onto periods, checks that
 * every period fits --frequency. */
static enum alm_status settle_periods(struct imp *im)
{
    struct alm_table *t = im->b->obs;
    char want = im->spec->frequency;
    /* The rows of each series, in file order: start[s] .. start[s + 1]
     * of rows (a counting sort, so that large files stay linear). */
    size_t *start = calloc(im->nser + 1, sizeof *start);
    size_t *rows = malloc((t->nrows ? t->nrows : 1) * sizeof *rows);
    if (!start || !rows) {
        free(start);
        free(rows);
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < t->nrows; r++)
        start[im->row_ser[r] + 1]++;
    for (size_t s = 0; s < im->nser; s++)
        start[s + 1] += start[s];
    for (size_t r = 0; r < t->nrows; r++)
        rows[start[im->row_ser[r]]++] = r;
    for (size_t s = im->nser; s > 0; s--)
        start[s] = start[s - 1];
    start[0] = 0;
    enum alm_status st = ALM_OK;
    for (size_t s = 0; s < im->nser && st == ALM_OK; s++) {
        const size_t *sr = rows + start[s];
        size_t nr = start[s + 1] - start[s];
        bool dates = false;
        for (size_t i = 0; i < nr && !dates; i++)
            dates = im->row_date[sr[i]];
        char f = want ? want : im->ser[s].freq;
        if (f == 'W')
            f = 'D';
        if (dates && !f)
            f = infer_date_freq(im, sr, nr);
        if (dates)
            st = map_dates(im, sr, nr, f);
    }
    free(start);
    free(rows);
    if (st != ALM_OK)
        return st;
    /* Each series' letter: the one its periods share (the dataset infers
     * it for a mix); a format's own letter that disagrees with the periods
     * (an SDMX FREQ of "W" written as days) gives way to the periods. */
    char *seen = calloc(im->nser ? im->nser : 1, 1);
    if (!seen)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    for (size_t r = 0; r < t->nrows; r++) {
        struct alm_period p;
        if (alm_period_parse(alm_table_cell(t, r, 1), &p, NULL) != ALM_OK)
            continue;
        char g = alm_period_freq(&p);
        size_t k = im->row_ser[r];
        seen[k] = !seen[k] ? g : seen[k] == g ? g : '?';
    }
    for (size_t k = 0; k < im->nser; k++)
        im->ser[k].freq = want ? want : seen[k] && seen[k] != '?' ? seen[k] : 0;
    free(seen);
    for (size_t r = 0; r < t->nrows; r++) {
        struct alm_period p;
        const char *text = alm_table_cell(t, r, 1);
        if (alm_period_parse(text, &p, NULL) != ALM_OK)
            continue;
        char g = alm_period_freq(&p);
        if (want && g != want) {
            char q[60];
            alm_fail(im->err, ALM_EINPUT,
                     "period '%s' has frequency %c, but --frequency is %c: "
                     "leave --frequency out or give the frequency of the "
                     "file",
                     alm_error_quote(text, q, sizeof q), g, want);
            alm_error_locate(im->err, im->name, t->lines[r], "period");
            return ALM_EINPUT;
        }
    }
    return ALM_OK;
}

static int cmp_period_text(const char *a, const char *b)
{
    struct alm_period pa, pb;
    if (alm_period_parse(a, &pa, NULL) != ALM_OK ||
        alm_period_parse(b, &pb, NULL) != ALM_OK)
        return strcmp(a, b);
    return alm_period_compare(&pa, &pb);
}

/* Builds b->ind, b->series and the source from the series. */
static enum alm_status finish(struct imp *im, const char *data, size_t len)
{
    struct alm_import_batch *b = im->b;
    static const char *const icols[] = {"id", "title", "unit", "kind",
                                        "frequency"};
    b->ind = alm_table_new(b->obs->name, 5, icols);
    b->series = calloc(im->nser ? im->nser : 1, sizeof *b->series);
    if (!b->ind || !b->series)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    /* First and last period of each series. */
    const char **first = calloc(im->nser ? im->nser : 1, sizeof *first);
    const char **last = calloc(im->nser ? im->nser : 1, sizeof *last);
    if (!first || !last) {
        free(first);
        free(last);
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < b->obs->nrows; r++) {
        size_t s = im->row_ser[r];
        const char *p = alm_table_cell(b->obs, r, 1);
        if (!first[s] || cmp_period_text(p, first[s]) < 0)
            first[s] = p;
        if (!last[s] || cmp_period_text(p, last[s]) > 0)
            last[s] = p;
    }
    enum alm_status st = ALM_OK;
    for (size_t s = 0; s < im->nser && st == ALM_OK; s++) {
        struct imp_series *in = &im->ser[s];
        if (!in->nobs)
            continue;
        struct alm_import_series *o = &b->series[b->nseries++];
        char f[2] = {in->freq, '\0'};
        o->id = alm__strdup(in->id);
        o->title = alm__strdup(in->title[0] ? in->title : in->id);
        o->unit = alm__strdup(in->unit);
        o->freq = in->freq;
        o->nobs = in->nobs;
        o->first = alm__strdup(first[s]);
        o->last = alm__strdup(last[s]);
        size_t r = b->ind->nrows;
        if (!o->id || !o->title || !o->unit || !o->first || !o->last ||
            alm_table_add_row(b->ind, 0) != ALM_OK ||
            alm_table_set(b->ind, r, 0, in->id) != ALM_OK ||
            alm_table_set(b->ind, r, 1, in->title) != ALM_OK ||
            alm_table_set(b->ind, r, 2, in->unit) != ALM_OK ||
            alm_table_set(b->ind, r, 4, f) != ALM_OK)
            st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    free(first);
    free(last);
    if (st != ALM_OK || !im->uses_source)
        return st;
    /* The source: a hash of the content (and of --vintage, which makes it
     * another publication), dated by the file or --vintage. */
    uint64_t h = alm__imp_hash(ALM_IMP_HASH0, data, len);
    if (im->spec->vintage)
        h = alm__imp_hash(h, im->spec->vintage, strlen(im->spec->vintage));
    char id[64];
    snprintf(id, sizeof id, "%s.%016llx", alm_import_format_name(im->format),
             (unsigned long long)h);
    const char *base = strrchr(im->name, '/');
    base = base ? base + 1 : im->name;
    b->source[0] = alm__strdup(id);
    b->source[1] = alm__strdup(im->title && im->title[0] ? im->title : base);
    b->source[2] = alm__strdup(im->publisher ? im->publisher : "");
    b->source[3] = alm__strdup(im->spec->vintage ? im->spec->vintage
                               : im->date        ? im->date
                                                 : "");
    for (size_t i = 0; i < 4; i++)
        if (!b->source[i])
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    /* Rows without a source of their own name the file's. */
    long cs = alm_table_col(b->obs, "source");
    for (size_t r = 0; r < b->obs->nrows; r++)
        if (!alm_table_cell(b->obs, r, cs)[0] &&
            alm_table_set(b->obs, r, (size_t)cs, id) != ALM_OK)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

void alm_import_batch_free(struct alm_import_batch *b)
{
    if (!b)
        return;
    alm_table_free(b->obs);
    alm_table_free(b->ind);
    for (size_t i = 0; i < 4; i++)
        free(b->source[i]);
    for (size_t i = 0; i < b->nseries; i++) {
        free(b->series[i].id);
        free(b->series[i].title);
        free(b->series[i].unit);
        free(b->series[i].first);
        free(b->series[i].last);
    }
    free(b->series);
    free(b);
}

static void imp_release(struct imp *im)
{
    for (size_t i = 0; i < im->nser; i++) {
        free(im->ser[i].id);
        free(im->ser[i].key);
        free(im->ser[i].title);
        free(im->ser[i].unit);
    }
    free(im->ser);
    free(im->slots);
    free(im->row_ser);
    free(im->row_date);
    free(im->title);
    free(im->publisher);
    free(im->date);
}

/* ---- detection and dispatch --------------------------------------------- */

/* Picks the delimiter of CSV text: the one of ',', ';', TAB that the first
 * lines hold most often outside quotes (a comma when none). */
static char sniff_delimiter(const char *data, size_t len)
{
    size_t counts[3] = {0, 0, 0};
    static const char cand[] = ",;\t";
    bool inq = false;
    int lines = 0;
    for (size_t i = 0; i < len && lines < 20; i++) {
        char c = data[i];
        if (c == '"')
            inq = !inq;
        else if (c == '\n' && !inq)
            lines++;
        else if (!inq)
            for (int k = 0; k < 3; k++)
                if (c == cand[k])
                    counts[k]++;
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cand[best];
}

/* Appends "; this looks like a X file: use --format x" to err's message. */
static void add_hint(struct alm_error *err, enum alm_import_format seen)
{
    static const char *const what[] = {
        "",         "long-format", "wide",      "World Bank",
        "FRED",     "SDMX-CSV",    "JSON-stat", "ECB data portal",
        "NBS China"};
    if (!err)
        return;
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n,
             "; this looks like a %s file: use --format %s", what[seen],
             alm_import_format_name(seen));
}

/* The position and byte of the first invalid UTF-8 sequence, for the
 * message about a file in another encoding. */
static long bad_utf8_line(const char *data, size_t len)
{
    long line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || data[i] == '\n') {
            if (!alm__utf8_valid(data + start, i - start))
                return line;
            line++;
            start = i + 1;
        }
    }
    return 0;
}

static bool looks_like_json(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    return i < len && (data[i] == '{' || data[i] == '[');
}

enum alm_status alm_import_parse(const char *data, size_t len, const char *name,
                                 const char *dir,
                                 const struct alm_import_spec *spec,
                                 struct alm_import_batch **out,
                                 struct alm_error *err)
{
    struct alm_error local;
    alm_error_clear(&local);
    struct alm_error *e = err ? err : &local;
    struct imp im = {0};
    struct alm_buf conv = ALM_BUF_INIT;
    const char *raw = data;
    size_t rawlen = len;
    enum alm_status st = ALM_OK;
    static const char *const ocols[] = {"indicator", "period", "value",
                                        "status", "source"};
    im.spec = spec;
    im.name = name;
    im.dir = dir;
    im.err = e;
    im.b = calloc(1, sizeof *im.b);
    if (!im.b || !(im.b->obs = alm_table_new(name, 5, ocols))) {
        st = alm_fail(e, ALM_ENOMEM, "out of memory");
        goto fail;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        long line = 1;
        for (const char *c = data; c < nul; c++)
            line += *c == '\n';
        st = alm_fail(e, ALM_EINPUT,
                      "NUL byte in the file: it is not text (a UTF-16 file "
                      "must be converted first: iconv -f UTF-16 -t UTF-8)");
        alm_error_locate(e, name, line, NULL);
        goto fail;
    }
    if (!alm__utf8_valid(data, len)) {
        long line = bad_utf8_line(data, len);
        if (alm__imp_gbk_to_utf8(data, len, &conv, NULL) == ALM_OK &&
            (spec->format == ALM_IMPORT_NBS ||
             (spec->format == ALM_IMPORT_AUTO &&
              strncmp(conv.s, "数据库", 9) == 0))) {
            data = conv.s;
            len = conv.len;
        } else {
            st = alm_fail(e, ALM_EINPUT,
                          "invalid UTF-8: convert the file first (iconv -f "
                          "ENCODING -t UTF-8), or, for a GBK export of the "
                          "National Bureau of Statistics, use --format nbs");
            alm_error_locate(e, name, line, NULL);
            goto fail;
        }
    }
    enum alm_import_format seen, f = spec->format;
    char delim = spec->delimiter;
    if (looks_like_json(data, len)) {
        seen = ALM_IMPORT_JSONSTAT;
    } else {
        if (!delim)
            delim = sniff_delimiter(data, len);
        seen = alm__imp_detect_csv(data, len, delim, name);
    }
    if (f == ALM_IMPORT_AUTO)
        f = seen;
    im.format = f;
    im.b->format = f;
    if (spec->decimal)
        im.decimal = spec->decimal;
    else if (delim == ';')
        im.decimal = 0; /* decided by the first number */
    else
        im.decimal = '.';
    if (f == ALM_IMPORT_JSONSTAT)
        st = alm__imp_read_jsonstat(&im, data, len);
    else if (f == ALM_IMPORT_NBS)
        st = alm__imp_read_nbs(&im, data, len, delim ? delim : ',');
    else if (looks_like_json(data, len)) {
        st = alm_fail(e, ALM_EINPUT, "this is JSON, not CSV");
        alm_error_locate(e, name, 1, NULL);
    } else
        st = alm__imp_read_csv(&im, data, len, delim, f);
    if (st == ALM_OK && im.nproblems == 1) {
        *e = im.first;
        st = ALM_EINPUT;
    } else if (st == ALM_OK && im.nproblems) {
        st = alm_fail(e, ALM_EINPUT,
                      "%zu cells or rows cannot be read%s: nothing written",
                      im.nproblems,
                      im.nproblems >= 100 ? " (the first 100 shown)" : "");
        alm_error_locate(e, name, 0, NULL);
    }
    if (st != ALM_OK && seen != f && seen != ALM_IMPORT_LONG &&
        seen != ALM_IMPORT_WIDE)
        add_hint(e, seen);
    if (st == ALM_OK)
        st = settle_periods(&im);
    if (st == ALM_OK)
        st = finish(&im, raw, rawlen);
    if (st != ALM_OK)
        goto fail;
    imp_release(&im);
    alm_buf_release(&conv);
    *out = im.b;
    return ALM_OK;
fail:
    imp_release(&im);
    alm_buf_release(&conv);
    alm_import_batch_free(im.b);
    return st != ALM_OK ? st : ALM_EINPUT;
}

enum alm_status alm_import_load(const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_batch **out,
                                struct alm_error *err)
{
    struct alm_buf b = ALM_BUF_INIT;
    enum alm_status st = alm_file_read(path, ALM_CSV_FILE_MAX, &b, err);
    bool is_stdin = strcmp(path, "-") == 0;
    char *dir = NULL;
    if (st == ALM_OK && !is_stdin) {
        const char *slash = strrchr(path, '/');
        dir = slash ? alm__strndup(path, (size_t)(slash - path) + 1)
                    : alm__strdup("");
        if (!dir)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    if (st == ALM_OK)
        st = alm_import_parse(b.s, b.len, is_stdin ? "<stdin>" : path, dir,
                              spec, out, err);
    free(dir);
    alm_buf_release(&b);
    return st;
}

enum alm_status alm_import_file(const char *dir, const char *path,
                                const struct alm_import_spec *spec,
                                struct alm_import_summary *sum,
                                struct alm_import_batch **batch,
                                struct alm_error *err)
{
    struct alm_import_batch *b = NULL;
    enum alm_status st = alm_import_load(path, spec, &b, err);
    if (st != ALM_OK)
        return st;
    struct alm_import_opts io = {
        .kind = spec->kind,
        .vintage = spec->vintage,
        .dry_run = spec->dry_run,
        .indicators = b->ind,
        .source = b->source[0] ? (const char *const *)b->source : NULL,
        .skip_present = true,
        .unguard = b->format == ALM_IMPORT_LONG,
    };
    struct alm_import_result res = {0, 0, 0, 0};
    st = alm_dataset_import(dir, b->obs, &io, &res, err);
    if (st == ALM_OK && sum) {
        sum->format = b->format;
        sum->series = b->nseries;
        sum->observations = b->obs->nrows;
        sum->skipped = b->skipped;
        sum->appended = res.observations;
        sum->present = res.present;
        sum->indicators = res.indicators;
        sum->sources = res.sources;
    }
    if (st == ALM_OK && batch)
        *batch = b;
    else
        alm_import_batch_free(b);
    return st;
}
