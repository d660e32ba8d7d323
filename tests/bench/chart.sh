#!/usr/bin/env bash
# Benchmark: N charts drawn by one gnuplot process (`almanac chart -o DIR/`)
# against one almanac and one gnuplot process per chart, on a generated
# dataset of N indicators. Uses hyperfine when it is installed
# (apt-get install hyperfine), else bash's time; writes the result to
# tests/bench/results/chart-N.md (or OUT).
#
# Usage: tests/bench/chart.sh [ALMANAC_BINARY] [N] [OUT]
#   defaults: build/engine/almanac, 100, tests/bench/results/chart-N.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/build/engine/almanac}")
n=${2:-100}
out=${3:-$here/results/chart-$n.md}
command -v gnuplot >/dev/null || {
    echo "chart.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2
    exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC

# A dataset of n indicators, ten annual figures each, a target for every
# third one: enough for a trend, a band and a label on every chart.
ds=$work/ds
mkdir -p "$ds"
{
    echo "id,title,unit,kind,frequency"
    for i in $(seq 1 "$n"); do echo "ind$i,Indicator number $i,% of GDP,share,A"; done
} >"$ds/indicators.csv"
echo "id,title,publisher,date" >"$ds/sources.csv"
echo "src,Bench source,Bench office,2025-01-31" >>"$ds/sources.csv"
awk -v n="$n" 'BEGIN {
    print "indicator,period,value,source"
    srand(1)
    for (i = 1; i <= n; i++)
        for (y = 2014; y <= 2023; y++)
            printf "ind%d,%d,%.1f,src\n", i, y, 5 + (y - 2014) * (0.4 + i % 7 / 10) + rand()
}' >"$ds/observations.csv"
awk -v n="$n" 'BEGIN {
    print "indicator,period,value,comparator"
    for (i = 1; i <= n; i += 3) printf "ind%d,2028,%d,>=\n", i, 12 + i % 5
}' >"$ds/targets.csv"
"$bin" check -d "$ds" >/dev/null

one="'$bin' chart -d '$ds' -o '$work/one/' --type png"
each="for i in \$(seq 1 $n); do '$bin' chart -d '$ds' ind\$i -o '$work/each/ind'\$i.png || exit 1; done"
mkdir -p "$work/each" "$(dirname "$out")"

{
    echo "# $n charts: one gnuplot process against one per chart"
    echo
    echo "Machine: $(nproc) cores, $(uname -sr); $(gnuplot --version)."
    echo "Command: \`tests/bench/chart.sh ALMANAC_BINARY $n\`; each chart is"
    echo "a 800x500 PNG of ten annual figures with a trend, a band and (one"
    echo "in three) a target."
    echo
} >"$out"
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs 3 --export-markdown "$work/table.md" \
        -n "one process, $n charts (almanac chart -o DIR/)" "$one" \
        -n "$n processes, one chart each" "$each"
    cat "$work/table.md" >>"$out"
else
    t() {
        local start end
        start=$(date +%s.%N)
        bash -c "$1" >/dev/null
        end=$(date +%s.%N)
        echo "$end - $start" | bc
    }
    a=$(t "$one")
    b=$(t "$each")
    {
        echo "| Command | Time [s] |"
        echo "|:---|---:|"
        echo "| one process, $n charts (almanac chart -o DIR/) | $a |"
        echo "| $n processes, one chart each | $b |"
        echo
        echo "(bash timing, one run each: hyperfine was not installed)"
    } >>"$out"
fi
echo "chart.sh: wrote $out" >&2
cat "$out"
