/* Errors: every library call returns an enum alm_status and, on failure,
 * fills a caller-owned struct alm_error with what went wrong and where.
 *
 * The struct has a fixed size, so reporting an error never allocates. The
 * first failure wins: alm_fail() and alm_error_locate() only fill slots that
 * are still empty, so the innermost, most precise message survives while
 * callers further out add the file, line and field. A NULL error pointer is
 * allowed everywhere and means "the caller does not want details". */
#ifndef ALMANAC_ERROR_H
#define ALMANAC_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum alm_status {
    ALM_OK = 0,
    ALM_ENOMEM,    /* out of memory */
    ALM_EIO,       /* a file could not be read or written */
    ALM_EINPUT,    /* bad data or a bad option value */
    ALM_EUSAGE,    /* bad command-line usage */
    ALM_EEXTERNAL, /* an external program (gnuplot) missing or failing */
    ALM_EBUG       /* an internal inconsistency */
};

struct alm_error {
    enum alm_status status;
    char file[256];     /* input file, "" if none */
    long line;          /* 1-based line where the record starts, 0 if none */
    char field[64];     /* column header or option name, "" if none */
    char msg[512];      /* what is wrong, lowercase, no full stop */
    const char *origin; /* "engine/csvio.c:212", for the debugger */
};

#define ALM_STR_(x) #x
#define ALM_STR(x)  ALM_STR_(x)

/* Fills err (if not NULL and still empty) with a printf-style message and
 * returns st, so that a failing function can `return alm_fail(...)`. Set a
 * breakpoint on alm__fail to stop at any error. */
#define alm_fail(err, st, ...)                                                 \
    alm__fail((err), (st), __FILE__ ":" ALM_STR(__LINE__), __VA_ARGS__)

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
enum alm_status
alm__fail(struct alm_error *err, enum alm_status st, const char *origin,
          const char *fmt, ...);

/* Prepares the library for use: switches off GSL's default error handler,
 * which would abort the process, so that every GSL failure comes back as a
 * status code. main() and every test main() call it first. */
void alm_init(void);

/* Resets err to "no error". */
void alm_error_clear(struct alm_error *err);

/* Adds a location to err: each of file (NULL to skip), line (0 to skip) and
 * field (NULL to skip) is written only where err has none yet. */
void alm_error_locate(struct alm_error *err, const char *file, long line,
                      const char *field);

/* Writes the one-line message "FILE:LINE: field 'F': MSG" (the parts that
 * are known) into out, which has room for size bytes. */
void alm_error_format(const struct alm_error *err, char *out, size_t size);

/* Copies text into out (size bytes) for use inside an error message:
 * control characters become \n, \t or \xHH, invalid UTF-8 bytes \xHH, and
 * long text is cut with "...". Returns out. */
char *alm_error_quote(const char *text, char *out, size_t size);

#endif
