/* UTF-8 decoding and character widths (see utf8.h). */
#include <stdint.h>
#include <string.h>

#include <almanac/utf8.h>

#include "internal.h"

size_t alm_utf8_seq(const char *s, size_t avail, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    size_t need;
    unsigned min;
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (avail < need)
        return 0;
    unsigned v = c & (0x7Fu >> need);
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp)
        *cp = v;
    return need;
}

unsigned alm_utf8_decode(const char *s, size_t *len)
{
    /* A NUL ends the string and is no continuation byte, so the sequence
     * check stops at it: at most 4 bytes are ever looked at. */
    unsigned c = ALM_UTF8_BAD;
    size_t n = alm_utf8_seq(s, 4, &c);
    *len = n ? n : 1;
    return n ? c : ALM_UTF8_BAD;
}

bool alm_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Text is mostly ASCII: eight bytes at a time while it is. */
        uint64_t w;
        while (len - i >= 8 &&
               (memcpy(&w, s + i, 8), (w & UINT64_C(0x8080808080808080)) == 0))
            i += 8;
        if (i == len)
            break;
        size_t k = alm_utf8_seq(s + i, len - i, NULL);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

bool alm__utf8_valid(const char *s, size_t len)
{
    return alm_utf8_valid(s, len);
}

size_t alm_utf8_width(unsigned c)
{
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

size_t alm_utf8_text_width(const char *s)
{
    size_t w = 0, len;
    for (; *s; s += len)
        w += alm_utf8_width(alm_utf8_decode(s, &len));
    return w;
}
