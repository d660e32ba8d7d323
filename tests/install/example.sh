#!/usr/bin/env bash
# tests/example/example.c built as a user of an installed Almanac would:
# cmake --install into a staging folder, then
#   cc example.c $(pkg-config --cflags --libs almanac)
# with PKG_CONFIG_PATH at the staged almanac.pc and its prefix redefined to
# the staging folder; run against the shared library on the installed
# dataset, it prints the fit and draws the chart.
# Run by ctest as: example.sh BUILD_DIR PREFIX LIBDIR SOURCE_DIR CC
# [EXTRA_CFLAGS]; exits 77 (skipped) without gnuplot.
set -u
build=$1
prefix=$2
libdir=$3
src=$4
cc=$5
extra=${6:-}
. "$(dirname "$0")/lib.sh"

DESTDIR=$work/stage cmake --install "$build" >"$work/install.log" 2>&1 ||
    fail "cmake --install: $(cat "$work/install.log")"
root=$work/stage$prefix
export PKG_CONFIG_PATH=$root/$libdir/pkgconfig
flags=$(pkg-config --define-variable=prefix="$root" --cflags --libs almanac 2>&1) &&
    ok || fail "pkg-config: $flags"
case " $flags " in
*" -I$root/include "*) ok ;;
*) fail "no staged include folder in: $flags" ;;
esac
# The static flags name the library's own dependencies.
static=$(pkg-config --define-variable=prefix="$root" --static --libs almanac)
case " $static " in
*" -lcsv "*" -lgsl "* | *" -lgsl "*" -lcsv "*) ok ;;
*) fail "pkg-config --static lacks -lcsv or -lgsl: $static" ;;
esac
# shellcheck disable=SC2086 # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror $extra -o "$work/example" \
    "$src/tests/example/example.c" $flags >"$work/cc.log" 2>&1 && ok ||
    fail "compiling the example: $(cat "$work/cc.log")"
# Dynamically linked, through the soname.
objdump -p "$work/example" | grep -q 'NEEDED *libalmanac\.so\.0$' && ok ||
    fail "the example does not link libalmanac.so.0"

ds=$root/share/almanac/datasets/china-2024
LD_LIBRARY_PATH=$root/$libdir "$work/example" "$ds" sei_va_share_gdp_pct \
    "$work/sei.svg" >"$work/out" 2>"$work/err" && ok ||
    fail "the example failed: $(cat "$work/err")"
# By hand: the latest vintage of each non-forecast figure, (2010, 3),
# (2014, 7.6), (2015, 8), (2022, 13), at mid-year; slope Sxy/Sxx =
# 60.5/74.75, mean 7.9 at 2015.25: 7.9 + 0.809365 * 9.75 = 15.7913 in 2025
# (the latest target's year). s^2 = 1.15345/2; half-width t(0.975, 2) =
# 4.302653 * s * sqrt(1 + 1/4 + 9.75^2/74.75) = 5.18883 (checked in
# Python: 15.7913 [10.6025, 20.9801]).
expect='sei_va_share_gdp_pct linear: 2025 15.7913 [10.6025, 20.9801]'
[ "$(cat "$work/out")" = "$expect" ] && ok ||
    fail "example printed '$(cat "$work/out")', expected '$expect'"
grep -q '<svg' "$work/sei.svg" && ok || fail "no SVG drawn"
grep -q 'sei_va_share_gdp_pct\|Strategic' "$work/sei.svg" && ok ||
    fail "the SVG does not name the indicator"
# A bad id is an error, exit 1, no file.
LD_LIBRARY_PATH=$root/$libdir "$work/example" "$ds" no_such_id "$work/x.svg" \
    >/dev/null 2>"$work/err2"
st=$?
[ $st = 1 ] && [ ! -e "$work/x.svg" ] && grep -q no_such_id "$work/err2" && ok ||
    fail "bad id: exit $st, $(cat "$work/err2")"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
