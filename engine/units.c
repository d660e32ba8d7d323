/* Units with their scale (units.h). */
#include <stdio.h>
#include <string.h>

#include <almanac/units.h>

#include "internal.h"

/* The scale words, as a unit may write them. */
static const struct {
    const char *word;
    double f;
} words[] = {
    {"k", 1e3},          {"thousand", 1e3}, {"thousands", 1e3},
    {"10k", 1e4},        {"mn", 1e6},       {"million", 1e6},
    {"millions", 1e6},   {"bn", 1e9},       {"billion", 1e9},
    {"billions", 1e9},   {"tn", 1e12},      {"trillion", 1e12},
    {"trillions", 1e12},
};

/* The Chinese scales, longest first. */
static const struct {
    const char *prefix;
    double f;
} cjk[] = {{"\xE4\xB8\x87\xE4\xBA\xBF", 1e12}, /* 万亿 */
           {"\xE4\xBA\xBF", 1e8},              /* 亿 */
           {"\xE4\xB8\x87", 1e4}};             /* 万 */

static double word_scale(const char *w, size_t len)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == len && strncmp(words[i].word, w, len) == 0)
            return words[i].f;
    return 0;
}

/* Copies s[0..len) into out without the spaces around it. */
static void trimmed(const char *s, size_t len, char *out, size_t size)
{
    while (len && *s == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    snprintf(out, size, "%.*s", (int)len, s);
}

void alm_unit_parse(const char *text, struct alm_unit *u)
{
    char t[ALM_UNIT_MAX];
    trimmed(text ? text : "", strlen(text ? text : ""), t, sizeof t);
    u->scale = 1;
    u->chinese = false;
    alm__copy(u->base, sizeof u->base, t);
    if (text && strlen(text) >= ALM_UNIT_MAX)
        return;
    for (size_t i = 0; i < sizeof cjk / sizeof cjk[0]; i++) {
        size_t n = strlen(cjk[i].prefix);
        if (strncmp(t, cjk[i].prefix, n) == 0) {
            u->scale = cjk[i].f;
            u->chinese = true;
            trimmed(t + n, strlen(t + n), u->base, sizeof u->base);
            return;
        }
    }
    size_t first = strcspn(t, " ");
    const char *last = strrchr(t, ' ');
    double f = word_scale(t, first);
    if (f > 0) {
        u->scale = f;
        trimmed(t + first, strlen(t + first), u->base, sizeof u->base);
    } else if (last && (f = word_scale(last + 1, strlen(last + 1))) > 0) {
        u->scale = f;
        trimmed(t, (size_t)(last - t), u->base, sizeof u->base);
    }
    u->chinese = (unsigned char)u->base[0] >= 0x80;
}

enum alm_status alm_unit_factor(const char *from, const char *to,
                                double *factor, struct alm_error *err)
{
    struct alm_unit a, b;
    alm_unit_parse(from, &a);
    alm_unit_parse(to, &b);
    if (strcmp(a.base, b.base) != 0) {
        char qa[80], qb[80];
        return alm_fail(err, ALM_EINPUT,
                        "cannot convert '%s' to '%s': they are not scales "
                        "of one unit (%s is in '%s', %s in '%s'); scales are "
                        "k, 10k, mn, bn, tn, 万, 亿 and 万亿",
                        alm_error_quote(from ? from : "", qa, sizeof qa),
                        alm_error_quote(to ? to : "", qb, sizeof qb),
                        from ? from : "", a.base, to ? to : "", b.base);
    }
    *factor = a.scale / b.scale;
    return ALM_OK;
}

/* Whether base is a currency code: three capital letters. */
static bool currency(const char *base)
{
    return strlen(base) == 3 && base[0] >= 'A' && base[0] <= 'Z' &&
           base[1] >= 'A' && base[1] <= 'Z' && base[2] >= 'A' && base[2] <= 'Z';
}

void alm_unit_readable(const char *unit, double big, double *divide, char *out,
                       size_t size)
{
    struct alm_unit u;
    alm_unit_parse(unit, &u);
    *divide = 1;
    snprintf(out, size, "%s", unit ? unit : "");
    /* Percentages, indices and other rates keep their scale. */
    if (strchr(u.base, '%') || strcmp(u.base, "pp") == 0 ||
        strcmp(u.base, "index") == 0 || strncmp(u.base, "ln(", 3) == 0 ||
        !(big > 0))
        return;
    double total = big * u.scale, f = 1;
    const char *w = NULL;
    if (u.chinese) {
        for (size_t i = 0; i < sizeof cjk / sizeof cjk[0] && !w; i++)
            if (total >= cjk[i].f) {
                f = cjk[i].f;
                w = cjk[i].prefix;
            }
    } else {
        static const struct {
            double from, f; /* shown from, as */
            const char *word, *code;
        } s[] = {{1e12, 1e12, "trillion", "tn"},
                 {1e9, 1e9, "billion", "bn"},
                 {1e6, 1e6, "million", "mn"},
                 {1e5, 1e3, "thousand", "k"}};
        for (size_t i = 0; i < sizeof s / sizeof s[0] && !w; i++)
            if (total >= s[i].from) {
                f = s[i].f;
                w = currency(u.base) ? s[i].code : s[i].word;
            }
    }
    if (f == u.scale)
        return; /* already readable: the unit as it is written */
    *divide = f / u.scale;
    if (!w)
        snprintf(out, size, "%s", u.base);
    else if (u.chinese)
        snprintf(out, size, "%s%s", w, u.base);
    else if (currency(u.base))
        snprintf(out, size, "%s %s", u.base, w);
    else
        snprintf(out, size, "%s%s%s", w, u.base[0] ? " " : "", u.base);
}
