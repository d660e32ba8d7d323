/* Progress of long work (reading a large file, checking its rows, fitting
 * many series), reported to a callback the program installs. The library
 * never prints: the CLI shows progress on standard error only when that is
 * a terminal, and nothing otherwise (pipes, files and tests see no
 * progress at all). */
#ifndef ALMANAC_PROGRESS_H
#define ALMANAC_PROGRESS_H

#include <stddef.h>

/* Receives what is being done ("reading ds/observations.csv"), how much is
 * done and the total, in units of the work (bytes, rows, series). A last
 * call with done == total ends each piece of work. */
typedef void (*alm_progress_fn)(void *ctx, const char *what, size_t done,
                                size_t total);

/* Installs fn (NULL: none, the default) for the whole process. Not
 * thread-safe: call it before any work starts. */
void alm_progress_set(alm_progress_fn fn, void *ctx);

#endif
