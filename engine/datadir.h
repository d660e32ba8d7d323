/* Where the shipped data files (the gnuplot theme, the lexicon) are found. */
#ifndef ALMANAC_DATADIR_H
#define ALMANAC_DATADIR_H

#include <stddef.h>

/* Writes to out the folder sub (e.g. "plots") of Almanac's data, the first
 * of: $env when set and not empty; PREFIX/share/almanac/sub for the prefix
 * the running program sits in (its folder's parent, so a staged or
 * relocated install finds its own files); src_dir (the source tree at
 * build time, so a build-tree program uses its own files before an
 * installed copy of another version); the configured install prefix's
 * share/almanac/sub; else src_dir. A candidate counts when the file probe
 * inside it is readable. */
void alm__data_dir(const char *env, const char *sub, const char *probe,
                   const char *src_dir, char *out, size_t size);

#endif
