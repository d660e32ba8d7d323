/* Helpers shared by the library's modules; never installed, never included
 * by the CLI. Every module's .c includes this header last among its own
 * includes, so that banned.h applies to it. */
#ifndef ALMANAC_INTERNAL_H
#define ALMANAC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>

/* Returns a heap copy of s (NULL when out of memory); caller frees. */
char *alm__strdup(const char *s);

/* Returns a heap copy of the first n bytes of s plus a NUL; caller frees. */
char *alm__strndup(const char *s, size_t n);

/* Asks the kernel to back the n bytes at p, a large array just allocated,
 * with huge pages where it can (transparent huge pages, madvise): one page
 * fault per 2 MiB rather than per 4 KiB when the array is first written.
 * Only the whole huge pages inside [p, p + n) are advised, and nothing for
 * less than 4 MiB; a kernel without them ignores it. Returns p. */
void *alm__huge_pages(void *p, size_t n);

/* Grows the anonymous mapping p of old bytes to *n (or makes one when p
 * is NULL), in whole huge pages where it can, moving its pages rather
 * than copying them; *n is rounded up to the size mapped. NULL when out
 * of memory, or where the system has no mremap (use malloc there).
 * alm__map_free unmaps it. */
void *alm__map_grow(void *p, size_t old, size_t *n);
void alm__map_free(void *p, size_t n);

/* Returns true when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool alm__utf8_valid(const char *s, size_t len);

/* SHA-256 of a text given piece by piece (sha256.c): _new (NULL when out
 * of memory), _add each piece, _end writes the digest as alm_sha256_hex()
 * does and frees. */
struct alm__sha256;
struct alm__sha256 *alm__sha256_new(void);
void alm__sha256_add(struct alm__sha256 *h, const void *data, size_t len);
void alm__sha256_end(struct alm__sha256 *h, char out[65]);

/* Returns true when s matches the id grammar [a-z0-9][a-z0-9._-]* and is at
 * most 128 bytes long. */
bool alm__id_valid(const char *s);

/* Copies src into dst (size bytes), cutting it if needed; always
 * NUL-terminates when size > 0. */
void alm__copy(char *dst, size_t size, const char *src);

/* Parses a whole string as a finite decimal number: an optional sign,
 * digits with an optional '.', an optional exponent. Rejects spaces, hex,
 * "nan", "inf", thousands separators and the empty string. */
enum alm_status alm__parse_number(const char *s, double *out,
                                  struct alm_error *err);

/* Parses a whole string as a non-negative decimal integer that fits in an
 * int (used for option values such as --poly). */
enum alm_status alm__parse_int(const char *s, int *out, struct alm_error *err);

/* Checks CSV text as alm_table_parse() would read it, keeping no row (a
 * last guard on a file about to be written, at a fraction of the
 * memory). */
/* Writes the shortest form of x that reads back as x, as "%.{p}g" with
 * the fewest digits p (engine/dtoa.c), and returns true; false (out
 * untouched or partly written) for magnitudes outside [1e-6, 1e15), zero,
 * or an out too small. */
bool alm__shortest_fast(double x, char *out, size_t size);

/* Texts of at least bytes (8 MiB by default) have their rows parsed on
 * two threads; tests lower it to exercise the split. */
void alm__csv_split_min(size_t bytes);

enum alm_status alm__table_check(const char *data, size_t len, const char *name,
                                 struct alm_error *err);

/* Parses data[0..len), rows of a CSV text that start at a record boundary
 * on physical line line and have the columns of like (whose header is
 * copied: data holds no header), into a new table *out named as like; the
 * same checks and messages as alm_table_parse (dataset_stream.c reads
 * observations.csv so, a stretch at a time). */
struct alm_table;
enum alm_status alm__table_parse_rows(const char *data, size_t len,
                                      const struct alm_table *like, long line,
                                      struct alm_table **out,
                                      struct alm_error *err);

/* ---- id hash tables (idmap.c) ---- */

/* A hash table from NUL-terminated ids to indices. Keys are borrowed:
 * they must outlive the table. */
struct alm__idmap;

/* Creates a table sized for n entries (it grows past them). NULL when out
 * of memory. */
struct alm__idmap *alm__idmap_new(size_t n);

/* Frees m; NULL is a no-op. */
void alm__idmap_free(struct alm__idmap *m);

/* Returns the index stored for key, or -1 (also when m is NULL). */
long alm__idmap_find(const struct alm__idmap *m, const char *key);

/* Stores key -> val unless key is there already; *have gets the index
 * stored before, or -1 when key was new. */
enum alm_status alm__idmap_put(struct alm__idmap *m, const char *key,
                               size_t val, long *have);

/* The operation counter of stats.h: idmap probes, sort comparisons, rows
 * visited by selections. One per thread: a helper thread's count is added
 * to its caller's when it is joined (dataset_stream.c). */
extern _Thread_local unsigned long long alm__ops;

/* Reports progress to the callback of progress.h, if one is installed. */
void alm__progress(const char *what, size_t done, size_t total);

/* Work below this many units (bytes, rows) is too short to report. */
#define ALM__PROGRESS_MIN ((size_t)1 << 22)

struct alm_ols_ws;
/* With on, alm_ols_fit() on w solves straight lines by the refined QR as
 * every other model, not in closed form: for tests comparing the two. */
void alm__ols_refined_only(struct alm_ols_ws *w, bool on);

#include "banned.h"

#endif
