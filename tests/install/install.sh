#!/usr/bin/env bash
# cmake --install into a DESTDIR staging folder: every file in its FHS
# place, the shared library's soname, and the installed binary running the
# installed dataset with the installed theme and lexicon (proved by marking
# the staged copies, then by taking them away), never the source tree's.
# Run by ctest as: install.sh BUILD_DIR PREFIX LIBDIR SOURCE_DIR; exits 77
# (skipped) without gnuplot.
set -u
build=$1
prefix=$2
libdir=$3
src=$4
. "$(dirname "$0")/lib.sh"
has() { if [ -e "$1" ]; then ok; else fail "not installed: $1"; fi; }

stage=$work/stage
DESTDIR=$stage cmake --install "$build" >"$work/install.log" 2>&1 ||
    fail "cmake --install: $(cat "$work/install.log")"
root=$stage$prefix
share=$root/share/almanac
bin=$root/bin/almanac
has "$bin"
has "$root/$libdir/libalmanac.a"
has "$root/$libdir/libalmanac.so"
has "$root/$libdir/libalmanac.so.0"
has "$root/$libdir/pkgconfig/almanac.pc"
has "$root/include/almanac/chart.h"
has "$root/include/almanac/dataset.h"
has "$share/plots/theme.gp"
has "$share/lexicon/units.csv"
has "$share/datasets/china-2024/indicators.csv"
has "$share/datasets/china-2024/README.md"
has "$root/share/doc/almanac/README.md"
has "$root/share/doc/almanac/HACKING.md"
has "$root/share/doc/almanac/LICENSE"
has "$root/share/bash-completion/completions/almanac"
# A manual page per command, almanac(1) and almanac(5), where man finds
# them.
for c in $("$build/engine/almanac" --help |
    sed -n '/^commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    has "$root/share/man/man1/almanac-$c.1.gz"
done
has "$root/share/man/man1/almanac.1.gz"
has "$root/share/man/man5/almanac.5.gz"
if command -v man >/dev/null; then
    found=$(MANPATH=$root/share/man man -w almanac-fit 2>&1)
    [ "$found" = "$root/share/man/man1/almanac-fit.1.gz" ] && ok ||
        fail "man -w almanac-fit: $found"
    found=$(MANPATH=$root/share/man man -w 5 almanac 2>&1)
    [ "$found" = "$root/share/man/man5/almanac.5.gz" ] && ok ||
        fail "man -w 5 almanac: $found"
    out=$(MANPATH=$root/share/man MANWIDTH=80 LC_ALL=C.UTF-8 man almanac-fit 2>&1)
    case $out in
    *"almanac-fit - fit and project indicators"*) ok ;;
    *) fail "man almanac-fit: $(printf '%s\n' "$out" | head -3)" ;;
    esac
fi
# The installed page is the page the build wrote.
zcmp "$root/share/man/man1/almanac-fit.1.gz" "$build/man/almanac-fit.1" &&
    ok || fail "the installed almanac-fit.1.gz is not build/man/almanac-fit.1"
# The soname names the major version only; the file the full one.
soname=$(objdump -p "$root/$libdir/libalmanac.so" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libalmanac.so.0 ] && ok || fail "soname '$soname'"
real=$(readlink -f "$root/$libdir/libalmanac.so")
case $real in
*/libalmanac.so.0.*.*) ok ;;
*) fail "libalmanac.so points to $real" ;;
esac
# The shared library exports the public API.
nm -D --defined-only "$root/$libdir/libalmanac.so" | grep -q ' T alm_dataset_read$' &&
    ok || fail "alm_dataset_read not exported by libalmanac.so"

# The main job on the installed dataset (a copy: the installed one is not
# the user's to write).
cp -r "$share/datasets/china-2024" "$work/ds"
"$bin" check -d "$work/ds" >"$work/check.out" 2>&1 && ok ||
    fail "check: $(cat "$work/check.out")"
printf '\n# staged theme %s\n' "$$" >>"$share/plots/theme.gp"
id=sei_va_share_gdp_pct
"$bin" chart -d "$work/ds" $id -o "$work/c.png" --script "$work/c.gp" \
    >"$work/chart.out" 2>&1 && ok || fail "chart: $(cat "$work/chart.out")"
[ "$(head -c 8 "$work/c.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
    ok || fail "c.png is not a PNG"
# --script copies the theme in: the staged one, with its mark.
grep -qx "# staged theme $$" "$work/c.gp" && ok ||
    fail "the chart did not use the installed theme"
"$bin" report -d "$work/ds" -o "$work/r.html" --to 2030 >"$work/report.out" 2>&1 &&
    ok || fail "report: $(cat "$work/report.out")"
grep -q '<svg' "$work/r.html" && ok || fail "the report has no chart"
# The lexicon: a noun added to the staged units.csv makes a figure countable
# (the source tree's does not count widgets); with the staged scales.csv
# taken away, the error names the staged file.
printf 'date 2024-02-01\nThe plant made 12,500 widgets last year.\n' >"$work/w.txt"
echo 'widgets,count,count,noun,flow' >>"$share/lexicon/units.csv"
"$bin" extract "$work/w.txt" --format csv >"$work/x.csv" 2>"$work/x.err" &&
    ok || fail "extract: $(cat "$work/x.err")"
grep -q '^[^,]*w.txt,[0-9]*,12500,count,count,2023,' "$work/x.csv" && ok ||
    fail "the installed lexicon was not used: $(cat "$work/x.csv")"
mv "$share/lexicon/scales.csv" "$work/scales.csv"
"$bin" extract "$work/w.txt" --format csv >/dev/null 2>"$work/x2.err"
st=$?
[ $st = 1 ] && ok || fail "extract without the lexicon exited $st"
grep -qF "$share/lexicon/scales.csv" "$work/x2.err" && ok ||
    fail "the error does not name the installed lexicon: $(cat "$work/x2.err")"
# The environment variables still come first.
mkdir -p "$work/theme"
printf '# env theme\n' >"$work/theme/theme.gp"
cat "$src/plots/theme.gp" >>"$work/theme/theme.gp"
ALMANAC_PLOTS=$work/theme "$bin" chart -d "$work/ds" $id -o "$work/e.png" \
    --script "$work/e.gp" >/dev/null 2>&1
grep -qx '# env theme' "$work/e.gp" && ok || fail "ALMANAC_PLOTS was not obeyed"

echo "$passed passed, $failed failed"
[ $failed = 0 ]
