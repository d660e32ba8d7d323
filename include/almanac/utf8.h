/* UTF-8: one strict decoder for every module that walks text by
 * character (the error quoter, the aligned tables, the chart's text
 * wrapping), and the widths a terminal gives characters. A bottom module:
 * it depends on nothing but the C library.
 *
 * Strict means RFC 3629: no overlong form, no surrogate (U+D800-DFFF), nothing
 * above U+10FFFF, no truncated sequence. A byte that does not start a valid
 * sequence decodes as ALM_UTF8_BAD, one byte long, so that a walk always
 * advances and never reads past the end. */
#ifndef ALMANAC_UTF8_H
#define ALMANAC_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* What a byte that starts no valid sequence decodes as: U+FFFD, the
 * replacement character. */
#define ALM_UTF8_BAD 0xFFFDu

/* The length (1 to 4) of the valid sequence at s, which has avail >= 1
 * bytes, storing its code point in *cp (may be NULL); 0 when the bytes
 * there are not valid UTF-8. */
size_t alm_utf8_seq(const char *s, size_t avail, unsigned *cp);

/* Decodes the character at s, a NUL-terminated string not at its end,
 * storing its length in *len: ALM_UTF8_BAD with *len 1 for a byte that
 * starts no valid sequence. */
unsigned alm_utf8_decode(const char *s, size_t *len);

/* Whether s[0..len) is valid UTF-8 (NUL bytes included). */
bool alm_utf8_valid(const char *s, size_t len);

/* The columns a terminal gives code point c: 2 for East Asian wide
 * characters, else 1. */
size_t alm_utf8_width(unsigned c);

/* The columns of a NUL-terminated string: the sum of its characters'. */
size_t alm_utf8_text_width(const char *s);

#endif
