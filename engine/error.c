/* Errors: filling, locating and formatting struct alm_error. error sits at
 * the bottom of the library, so that any module may fail through it: it
 * calls no module above it (util.c's helpers call it, never the
 * reverse). */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include <almanac/error.h>
#include <almanac/utf8.h>

#include "internal.h"

enum alm_status alm__fail(struct alm_error *err, enum alm_status st,
                          const char *origin, const char *fmt, ...)
{
    if (!err || err->status != ALM_OK)
        return st;
    err->status = st;
    err->origin = origin;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return st;
}

void alm_init(void)
{
    gsl_set_error_handler_off();
}

void alm_error_clear(struct alm_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void alm_error_locate(struct alm_error *err, const char *file, long line,
                      const char *field)
{
    if (!err)
        return;
    if (file && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", file);
    if (line > 0 && err->line == 0)
        err->line = line;
    if (field && !err->field[0])
        snprintf(err->field, sizeof err->field, "%s", field);
}

void alm_error_format(const struct alm_error *err, char *out, size_t size)
{
    size_t n = 0;
    int w;
    if (size == 0)
        return;
    out[0] = '\0';
    if (err->file[0]) {
        if (err->line > 0)
            w = snprintf(out, size, "%s:%ld: ", err->file, err->line);
        else
            w = snprintf(out, size, "%s: ", err->file);
        n = w > 0 ? (size_t)w : 0;
    }
    if (n < size && err->field[0]) {
        /* An option ("--y") is named as it is, a column as a field.
         * cppcheck assumes out may hold err->field, wrongly. */
        /* cppcheck-suppress knownConditionTrueFalse */
        if (err->field[0] == '-')
            w = snprintf(out + n, size - n, "%s: ", err->field);
        else
            w = snprintf(out + n, size - n, "field '%s': ", err->field);
        n += w > 0 ? (size_t)w : 0;
    }
    if (n < size)
        snprintf(out + n, size - n, "%s", err->msg[0] ? err->msg : "error");
}

char *alm_error_quote(const char *text, char *out, size_t size)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t n = 0, i = 0;
    const size_t room = size > 4 ? size - 4 : 0; /* keep space for "..." */
    if (size < 8) {
        if (size > 0)
            out[0] = '\0';
        return out;
    }
    while (i < len && n < room) {
        char esc[8] = "";
        size_t k = alm_utf8_seq(text + i, len - i, NULL);
        if (p[i] == '\n')
            memcpy(esc, "\\n", 3);
        else if (p[i] == '\t')
            memcpy(esc, "\\t", 3);
        else if (k == 0 || p[i] < 0x20 || p[i] == 0x7F)
            snprintf(esc, sizeof esc, "\\x%02X", p[i]);
        if (esc[0]) {
            size_t e = strlen(esc);
            if (n + e > room)
                break;
            memcpy(out + n, esc, e);
            n += e;
            i++;
            continue;
        }
        if (n + k > room)
            break;
        memcpy(out + n, p + i, k);
        n += k;
        i += k;
    }
    if (i < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}
