/* Reading a dataset one indicator at a time (dataset_stream.c), private to
 * the library: the small tables whole, observations.csv a stretch of whole
 * series at a time, parsed on one thread while the other uses the stretch
 * before, so that memory is bounded by the stretch (and the longest
 * series), not by the file.
 *
 * It serves files whose rows are grouped by indicator in the order of
 * indicators.csv, as every write keeps a grouped file (alm__commit_tables,
 * README "Row order"); a file edited by hand, or appended to by an older
 * Almanac, may hold anything. Any file it cannot serve,
 * and any problem at all (a row that does not validate, a duplicate, a
 * file that does not parse, lack of memory), gives up: the caller then
 * reads the whole dataset with alm_dataset_open(), which reports every
 * problem exactly as every command does, with the same message, file,
 * line and field. Reading on after a problem cannot tell which problem the
 * whole read reports first, so nothing is reported from here. */
#ifndef ALMANAC_DATASET_STREAM_H
#define ALMANAC_DATASET_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>

struct alm__stream;

/* Called for every indicator k of ds in the order of indicators.csv, once
 * ds->obs holds its observations (alm_dataset_obs_of, alm_dataset_series
 * work on ds for k only, until the next call). Anything but ALM_OK stops
 * the stream. */
typedef enum alm_status (*alm__stream_fn)(void *ctx, struct alm_dataset *ds,
                                          size_t k);

/* Opens the dataset in dir under its shared lock: reads and validates its
 * indicators, sources, targets and about.csv, and the header of
 * observations.csv. ALM_OK with *out to run, or another status when it
 * gives up (see above). */
enum alm_status alm__stream_open(const char *dir, struct alm__stream **out);

/* The dataset being read: indicators, sources, targets, ds->latest so
 * far; its observations are those of the indicator of the last call. */
struct alm_dataset *alm__stream_dataset(struct alm__stream *s);

/* Reads observations.csv to its end, calling fn for every indicator.
 * ALM_OK, else what fn returned, or ALM_EINPUT when the stream gives up. */
enum alm_status alm__stream_run(struct alm__stream *s, alm__stream_fn fn,
                                void *ctx);

/* The same work on two threads besides the caller's: each takes the next
 * stretch, parses and validates it, and calls fn for each of its
 * indicators (every indicator k, in the order of indicators.csv within a
 * stretch) on a view of the dataset of its own (the indicators, sources
 * and targets shared, read only; the observations of k only) with its own
 * ctx (ctxs[0] or ctxs[1]): fn must touch nothing else that the other
 * thread may touch. What fn appends to out is the stretch's output:
 * emit(ectx, out, n) receives each stretch's, n indicators, on the
 * calling thread, in the order of the file. ds->latest so far, in a view,
 * is that of some stretches before and the stretch itself (a date not
 * later than the sequential run's). After the run, ds->latest is the
 * whole file's. Gives up as alm__stream_run does. */
struct alm_buf;
typedef enum alm_status (*alm__stream_pfn)(void *ctx, struct alm_dataset *ds,
                                           size_t k, struct alm_buf *out);
typedef enum alm_status (*alm__stream_emit)(void *ctx, struct alm_buf *out,
                                            size_t n);
enum alm_status alm__stream_run_parallel(struct alm__stream *s,
                                         alm__stream_pfn fn, void *const ctxs[],
                                         alm__stream_emit emit, void *ectx);

/* Releases the lock and everything but the dataset, which the caller
 * then owns (alm_dataset_free); *ds may be NULL to free it too. */
void alm__stream_close(struct alm__stream *s, struct alm_dataset **ds);

/* For tests: the size of a stretch (default 1 MiB), and the most rows of
 * observations.csv held at once since the process started. */
void alm__stream_stretch(size_t bytes);
extern size_t alm__stream_rows_max;

/* observations.csv's header: a table of its columns, without rows (added
 * for the commands of scan.h, which write it before any row comes). */
const struct alm_table *alm__stream_header(const struct alm__stream *s);

#endif
