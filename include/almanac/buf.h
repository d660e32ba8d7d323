/* A growable byte buffer, always NUL-terminated (in the manner of git's
 * strbuf). A struct alm_buf is caller-owned: initialise it with
 * ALM_BUF_INIT, release it with alm_buf_release(), or take its bytes with
 * alm_buf_detach().
 *
 * The buffer remembers its failure, as a FILE does with ferror(): when an
 * append runs out of memory the buffer is marked failed, keeps what it held
 * before, and ignores every later append. A writer therefore appends
 * without checking and asks once at the end, with alm_buf_status() or
 * alm_buf_check(), which also says what was being written. Appending
 * functions still return ALM_OK or ALM_ENOMEM (ALM_ENOMEM on a failed
 * buffer) for callers that prefer to stop at once. */
#ifndef ALMANAC_BUF_H
#define ALMANAC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include <almanac/error.h>

struct alm_buf {
    char *s;    /* the bytes, NUL-terminated; never NULL after a write */
    size_t len; /* bytes in s, not counting the NUL */
    size_t cap; /* bytes allocated */
    int failed; /* an append ran out of memory: later appends do nothing */
};

#define ALM_BUF_INIT                                                           \
    {                                                                          \
        NULL, 0, 0, 0                                                          \
    }

/* Appends len bytes of data. */
enum alm_status alm_buf_add(struct alm_buf *b, const void *data, size_t len);

/* Appends a NUL-terminated string. */
enum alm_status alm_buf_puts(struct alm_buf *b, const char *s);

/* Appends one byte. */
enum alm_status alm_buf_putc(struct alm_buf *b, char c);

/* Appends printf-style formatted text. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
enum alm_status
alm_buf_printf(struct alm_buf *b, const char *fmt, ...);

/* Appends printf-style formatted text from a va_list. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
enum alm_status
alm_buf_vprintf(struct alm_buf *b, const char *fmt, va_list ap);

/* Appends a double in the shortest form that reads back as the same double
 * ("7.6", "80", "1e+20", "0.1"), with no exponent from 10^-4 to 10^17 (80
 * is "80", never "8e+01"); non-finite values are written as "nan",
 * "inf". */
enum alm_status alm_buf_add_double(struct alm_buf *b, double x);

/* ALM_ENOMEM when an append to b has failed since it was initialised or
 * last reset, else ALM_OK. */
enum alm_status alm_buf_status(const struct alm_buf *b);

/* Like alm_buf_status(), and on failure also fails err with "out of memory
 * writing WHAT" (what: "the chart script", ...). */
enum alm_status alm_buf_check(const struct alm_buf *b, struct alm_error *err,
                              const char *what);

/* Marks b failed, as an append that ran out of memory would: for a writer
 * whose own allocation failed while it wrote into b. */
void alm_buf_mark_failed(struct alm_buf *b);

/* Empties the buffer, keeping its memory, and clears its failure. */
void alm_buf_reset(struct alm_buf *b);

/* Frees the bytes and resets b to ALM_BUF_INIT. */
void alm_buf_release(struct alm_buf *b);

/* Returns the bytes (an empty string if nothing was written; NULL when
 * out of memory, or when an append had failed) and resets b. The caller frees
 * the result with free(). */
char *alm_buf_detach(struct alm_buf *b);

/* Writes the shortest round-trip form of x into out (at least 32 bytes), as
 * alm_buf_add_double() does. */
void alm_format_double(double x, char *out, size_t size);

#endif
