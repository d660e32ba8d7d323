#!/usr/bin/env bash
# What a killed or failed command leaves behind: gnuplot dies with a
# killed almanac (it would go on drawing into a temporary file); the
# temporary folder of a killed HTML report (/tmp/almanac-report-PID-*) is
# removed by the next HTML report; a Markdown report that fails leaves no
# charts folder it made without its .md; a chart gnuplot cannot draw
# leaves a note in the report, not a failed report. A stand-in gnuplot
# ($ALMANAC_GNUPLOT) that records its process id and sleeps plays the
# slow or failing drawing.
# Run by ctest as: debris.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$src/tests/cli/fixtures/small
cat >"$work/slow-gnuplot" <<SH
#!/bin/sh
echo \$\$ >"$work/gnuplot.pid"
exec sleep 60
SH
chmod +x "$work/slow-gnuplot"
alive() { kill -0 "$1" 2>/dev/null; }

# 1. almanac killed while gnuplot draws: gnuplot dies too.
ALMANAC_GNUPLOT=$work/slow-gnuplot "$bin" chart -d "$ds" zones -o "$work/c.svg" \
    >/dev/null 2>&1 &
almanac=$!
for _ in $(seq 100); do [ -s "$work/gnuplot.pid" ] && break; sleep 0.1; done
gp=$(cat "$work/gnuplot.pid" 2>/dev/null)
check "the stand-in gnuplot started" [ -n "$gp" ]
kill -KILL "$almanac"
wait "$almanac" 2>/dev/null
for _ in $(seq 50); do alive "$gp" || break; sleep 0.1; done
check "gnuplot died with the killed almanac" eval '! alive "$gp"'
alive "$gp" && kill -KILL "$gp"
# ... and the chart's temporary file is removed by the next chart there.
check "the killed chart left its temporary file" \
    [ -n "$(ls -A "$work" | grep '^\.almanac-chart-')" ]
if command -v gnuplot >/dev/null; then
    "$bin" chart -d "$ds" zones -o "$work/c.svg" 2>"$work/err"
    check "the next chart exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    check "the next chart removed it" [ -z "$(ls -A "$work" | grep '^\.almanac-chart-')" ]
else
    echo "skipped: the next chart (no gnuplot)"
fi

# 2. A killed HTML report's temporary folder goes with the next report.
rm -f "$work/gnuplot.pid"
ALMANAC_GNUPLOT=$work/slow-gnuplot "$bin" report -d "$ds" -o "$work/r.html" \
    >/dev/null 2>&1 &
almanac=$!
for _ in $(seq 100); do [ -s "$work/gnuplot.pid" ] && break; sleep 0.1; done
gp=$(cat "$work/gnuplot.pid" 2>/dev/null)
left=$(ls -d /tmp/almanac-report-"$almanac"-* 2>/dev/null)
check "the killed report had its temporary folder" [ -n "$left" ]
kill -KILL "$almanac"
wait "$almanac" 2>/dev/null
for _ in $(seq 50); do alive "$gp" || break; sleep 0.1; done
check "report: gnuplot died with the killed almanac" eval '! alive "$gp"'
check "the killed report left its folder" [ -n "$left" ] && [ -d "$left" ]
if command -v gnuplot >/dev/null; then
    "$bin" report -d "$ds" -o "$work/r.html" 2>"$work/err"
    check "the next report exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    check "the next report removed the killed one's folder" [ ! -e "$left" ]
else
    echo "skipped: the next report (no gnuplot)"
fi

# 3. A Markdown report that fails removes the charts folder it made, and
# keeps one that was there.
ALMANAC_GNUPLOT=$work/no-such-gnuplot "$bin" report -d "$ds" -o "$work/m.md" \
    >/dev/null 2>"$work/err"
st=$?
check "a report without gnuplot fails (got $st)" [ $st = 3 ]
check "... leaving neither m.md nor m_files/" [ ! -e "$work/m.md" ] && [ ! -e "$work/m_files" ]
mkdir "$work/k_files"
: >"$work/k_files/mine.txt"
ALMANAC_GNUPLOT=$work/no-such-gnuplot "$bin" report -d "$ds" -o "$work/k.md" \
    >/dev/null 2>"$work/err"
check "... and keeping a charts folder that was there" [ -e "$work/k_files/mine.txt" ]

# 4. One chart gnuplot cannot draw does not lose the report: a stand-in
# gnuplot fails on any script that draws zones (as gnuplot did on a value
# near DBL_MAX: "undefined variable: nan") and runs the real one on the
# others; the report is written, zones's chart replaced by a note.
if command -v gnuplot >/dev/null; then
    cat >"$work/picky-gnuplot" <<'SH'
#!/bin/sh
script=$(cat)
case $script in
*"high-tech zones"*) echo 'line 3: undefined variable: nan' >&2; exit 1 ;;
esac
printf '%s\n' "$script" | exec gnuplot "$@"
SH
    chmod +x "$work/picky-gnuplot"
    for fmt in html md; do
        ALMANAC_GNUPLOT=$work/picky-gnuplot "$bin" report -d "$ds" \
            -o "$work/p.$fmt" >/dev/null 2>"$work/err"
        st=$?
        check "report .$fmt with one chart gnuplot fails on exits 0 ($(cat "$work/err"))" [ $st = 0 ]
        check "report .$fmt: zones has a note instead of its chart" \
            grep -q 'No chart: gnuplot failed: .*undefined variable: nan' "$work/p.$fmt"
    done
    check "report .html: the other charts are there" [ "$(grep -c '<svg' "$work/p.html")" -ge 2 ]
    check "report .md: the other charts are there" \
        [ -s "$work/p_files/share.png" ] && [ ! -e "$work/p_files/zones.png" ]
else
    echo "skipped: a chart gnuplot cannot draw (no gnuplot)"
fi

finish
