#!/usr/bin/env bash
# almanac --version names the libraries and programs it runs with, each
# checked against what the system itself says: GSL against gsl-config,
# jansson and Nettle against pkg-config, gnuplot against `gnuplot --version` (or a
# stand-in named by $ALMANAC_GNUPLOT, and "not found" for none).
# Usage: version.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

out=$("$bin" --version)
check_sh "[ $? -eq 0 ]" "--version exits 0"
is "first line" "$(printf '%s\n' "$out" | sed -n 1p)" \
    "almanac $(sed -n 's/^project(almanac VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
if command -v gsl-config >/dev/null; then
    has "GSL" "$out" "GSL $(gsl-config --version)"
fi
has "jansson" "$out" "jansson $(pkg-config --modversion jansson)"
has "libcsv" "$out" "libcsv 3."
has "Nettle" "$out" "Nettle $(pkg-config --modversion nettle | cut -d. -f1,2)"
if v=$(dpkg-query -W -f '${Version}' libxlsxwriter4 2>/dev/null) && [ -n "$v" ]; then
    has "libxlsxwriter" "$out" "libxlsxwriter ${v%%-*}"
fi
if command -v gnuplot >/dev/null; then
    has "gnuplot" "$out" "$(gnuplot --version | head -1)"
fi

printf '#!/bin/sh\necho "gnuplot 9.9 patchlevel 7"\n' >fake-gnuplot
chmod +x fake-gnuplot
has "the gnuplot of ALMANAC_GNUPLOT" \
    "$(ALMANAC_GNUPLOT=$work/fake-gnuplot "$bin" --version)" \
    "gnuplot 9.9 patchlevel 7"
has "no gnuplot" "$(ALMANAC_GNUPLOT=$work/none "$bin" --version)" \
    "gnuplot not found"
has "no gnuplot on PATH" "$(PATH=/nonexistent "$bin" --version)" \
    "gnuplot not found"

finish
