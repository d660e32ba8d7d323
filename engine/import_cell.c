/* Import's cell readers (import_internal.h): trimming, values (missing
 * markers, decimal commas, unit multipliers), statuses, and the
 * publishers' ways of writing a period (1995Q1, 2024-M03, 2024-W05,
 * 2024-S1, SDMX's 2024-A1, timestamps, the Chinese 2024年3月 and
 * 2024年第一季度) turned into SPEC's forms. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <almanac/period.h>

#include "import_internal.h"
#include "internal.h"

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

/* The trimmed span of s: its start, and its length to *n. */
static const char *trim_span(const char *s, size_t *n)
{
    size_t k;
    while ((k = space_at(s)) > 0)
        s += k;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                       (len >= 2 && (unsigned char)s[len - 2] == 0xC2 &&
                        (unsigned char)s[len - 1] == 0xA0))) {
        len -= s[len - 1] == ' ' || s[len - 1] == '\t' ? 1 : 2;
    }
    *n = len;
    return s;
}

char *alm__imp_trim(const char *s)
{
    size_t n;
    s = trim_span(s, &n);
    return alm__strndup(s, n);
}

char *alm__imp_trim_in(const char *s, char *buf, size_t size)
{
    size_t n;
    s = trim_span(s, &n);
    if (n >= size)
        return alm__strndup(s, n);
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

/* True for the texts R, spreadsheets and publishers write for a missing
 * value: empty, NA, NaN, #N/A, ".", "..", "...", ":" (also Eurostat's ": c"
 * with a flag). */
static bool is_missing(const char *t)
{
    static const char *const words[] = {"",  "NA", "NaN", "#N/A",
                                        ".", "..", "...", ":"};
    if (t[0] >= '0' && t[0] <= '9') /* no word starts with a digit */
        return false;
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
    char digs[400], res[520];
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
        else if (isdigit((unsigned char)*p) && nd < sizeof digs)
            digs[nd++] = *p;
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
        res[k++] = i < (long)nd ? digs[i] : '0';
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
        res[k++] = digs[i];
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

int alm__imp_value(struct imp *im, const char *raw, int unit_mult, char *out,
                   size_t size, struct alm_error *e)
{
    char q[120], small[ALM__IMP_SMALL];
    char *t = alm__imp_trim_in(raw, small, sizeof small);
    if (!t) {
        alm_fail(e, ALM_ENOMEM, "out of memory");
        return -1;
    }
    if (is_missing(t)) {
        alm__imp_trim_free(t, small);
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
    alm__imp_trim_free(t, small);
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

/* ---- periods ------------------------------------------------------------ */

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

/* The Chinese forms after "YYYY年" (s just past it) into buf: 2024年,
 * 2024年3月, 2024年第一季度, 2024年1-2月. buf stays empty for another. */
static void cn_period(int y, const char *s, char *buf, size_t size)
{
    int n = 0, m2 = 0;
    if (!*s) {
        snprintf(buf, size, "%04d", y);
    } else if (strncmp(s, "第", 3) == 0) {
        s += 3;
        for (int k = 0; k < 4; k++)
            if (strncmp(s, cn_quarters[k], 3) == 0 &&
                strcmp(s + 3, "季度") == 0)
                snprintf(buf, size, "%04d-Q%d", y, k + 1);
        if (!buf[0] && digits(&s, 1, &n) == 1 && strcmp(s, "季度") == 0)
            snprintf(buf, size, "%04d-Q%d", y, n);
    } else if (digits(&s, 2, &n) >= 1) {
        if (strcmp(s, "月") == 0)
            snprintf(buf, size, "%04d-%02d", y, n);
        else if (*s == '-' && (s++, digits(&s, 2, &m2) >= 1) &&
                 strcmp(s, "月") == 0)
            snprintf(buf, size, "%04d-%02d/%04d-%02d", y, n, y, m2);
    }
}

/* The publishers' forms after a four-digit year y (s just past it; t the
 * whole text) into buf, which holds t on entry, or is empty when t is in
 * a publisher's form that must parse here: 1995Q1, 2024-Q1, 2024-M03,
 * 2024M03, 2024-W05 (dated by its last day), 2024-S1 or -H1 (a span of
 * months), 2024-A1, a timestamp (its date). */
static void pub_period(int y, const char *s, const char *t, char *buf,
                       size_t size)
{
    int n = 0;
    if ((s[0] == 'Q' || s[0] == 'q') && isdigit((unsigned char)s[1]) && !s[2]) {
        snprintf(buf, size, "%04d-Q%c", y, s[1]); /* 1995Q1 */
    } else if (s[0] == '-' && (s[1] == 'Q' || s[1] == 'q') && s[2] && !s[3]) {
        snprintf(buf, size, "%04d-Q%c", y, s[2]);
    } else if ((s[0] == '-' && s[1] == 'M') || s[0] == 'M') {
        s += s[0] == '-' ? 2 : 1; /* 2024-M03, 2024M03 */
        if (digits(&s, 2, &n) == 2 && !*s)
            snprintf(buf, size, "%04d-%02d", y, n);
    } else if (s[0] == '-' && (s[1] == 'W' || s[1] == 'w')) {
        s += 2; /* ISO week: dated by its last day (SPEC: D) */
        if (!(digits(&s, 2, &n) >= 1 && !*s && iso_week_end(y, n, buf)))
            buf[0] = '\0';
    } else if (s[0] == '-' && (s[1] == 'S' || s[1] == 'H') &&
               (s[2] == '1' || s[2] == '2') && !s[3]) {
        /* Half-year: its span of months (SPEC has no half-year). */
        int h = s[2] - '0';
        snprintf(buf, size, "%04d-%02d/%04d-%02d", y, h * 6 - 5, y, h * 6);
    } else if (s[0] == '-' && s[1] == 'A' && s[2] == '1' && !s[3]) {
        snprintf(buf, size, "%04d", y); /* SDMX 2024-A1 */
    } else if (strlen(t) > 10 && t[10] == 'T') {
        buf[10] = '\0'; /* a timestamp from JSON-stat or SDMX: its date */
    }
}

enum alm_status alm__imp_period(const char *raw, char *out, bool *is_date,
                                struct alm_error *err)
{
    char q[120], buf[ALM_PERIOD_TEXT_MAX + 8], small[ALM__IMP_SMALL];
    char *t = alm__imp_trim_in(raw, small, sizeof small);
    if (!t)
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    const char *s = t;
    int y = 0;
    *is_date = false;
    /* By default the text goes to alm_period_parse as it is, so that its
     * messages name what is wrong; a publisher's form that does not parse
     * empties buf for the message listing the forms. */
    alm__copy(buf, sizeof buf, t);
    if (digits(&s, 4, &y) == 4) {
        if (strncmp(s, "年", 3) == 0 || s[0] == 'Q' || s[0] == 'q' ||
            s[0] == 'M' || (s[0] == '-' && s[1] && strchr("QqMWwSHA", s[1])))
            buf[0] = '\0';
        if (strncmp(s, "年", 3) == 0)
            cn_period(y, s + 3, buf, sizeof buf);
        else
            pub_period(y, s, t, buf, sizeof buf);
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
        /* A year of four digits is its own canonical text (%04ld). */
        if (p.kind == ALM_PERIOD_YEAR && strlen(buf) == 4 &&
            strspn(buf, "0123456789") == 4)
            memcpy(out, buf, 5);
        else
            alm_period_format(&p, out, ALM_PERIOD_TEXT_MAX);
        *is_date =
            p.kind == ALM_PERIOD_DAY && !strchr(t, 'W') && !strchr(t, 'w');
    }
    alm__imp_trim_free(t, small);
    return st;
}
