/* The versions of the libraries and programs Almanac runs with, for
 * `almanac --version` and bug reports. */
#ifndef ALMANAC_VERSION_H
#define ALMANAC_VERSION_H

#include <almanac/buf.h>

/* Appends a line per library and program: "GSL 2.7.1", "libcsv 3.0.3",
 * "jansson 2.14", "libxlsxwriter 1.1.4", "gnuplot 5.4 patchlevel 4" (the
 * gnuplot charts would run, or "gnuplot not found"). GSL's, jansson's and
 * libxlsxwriter's are those of the libraries loaded (gsl_version,
 * jansson_version_str(), lxw_version()); libcsv has no
 * run-time version, so its line is the header built against, marked
 * "(built with)". */
enum alm_status alm_versions(struct alm_buf *out);

#endif
