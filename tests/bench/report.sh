#!/usr/bin/env bash
# Benchmark: the HTML report of N indicators (ten annual figures each, a
# target for every third), and the same fits and projections done by R
# (lm + predict with prediction intervals, the work of `almanac fit`)
# as the peer, run in the same session. Uses hyperfine; writes the result
# to tests/bench/results/report-N.md (or OUT).
#
# Usage: tests/bench/report.sh [ALMANAC_BINARY] [N] [OUT]
#   defaults: build/engine/almanac, 200, tests/bench/results/report-N.md
# Needs: hyperfine, gnuplot-nox, r-base-core (apt-get install them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/build/engine/almanac}")
n=${2:-200}
out=${3:-$here/results/report-$n.md}
for tool in hyperfine gnuplot Rscript; do
    command -v "$tool" >/dev/null || {
        echo "report.sh: $tool not found" >&2
        exit 1
    }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
ds=$work/ds
"$bin" init "$ds" >/dev/null
{
    echo "id,title,unit,kind,frequency"
    for i in $(seq 1 "$n"); do echo "ind$i,Indicator number $i,% of GDP,share,A"; done
} >"$ds/indicators.csv"
echo "id,title,publisher,date" >"$ds/sources.csv"
echo "s,Generated release,Benchmark,2025-01-31" >>"$ds/sources.csv"
{
    echo "indicator,period,value,source"
    for i in $(seq 1 "$n"); do
        for y in $(seq 2015 2024); do
            # A trend with a wobble that differs per indicator.
            v=$(( 5 + (i % 7) + (y - 2015) * (1 + i % 3) + ((i * y) % 5) ))
            echo "ind$i,$y,$v.5,s"
        done
    done
} >"$ds/observations.csv"
{
    echo "indicator,period,value,comparator"
    for i in $(seq 3 3 "$n"); do echo "ind$i,2030,60,>="; done
} >"$ds/targets.csv"
"$bin" check -d "$ds" >/dev/null

# The peer: R fitting each series and predicting 2025..2030 with
# prediction intervals, as `almanac fit --model linear` does.
"$bin" export -d "$ds" -o "$work/long.csv"
cat >"$work/fit.R" <<'R'
d <- read.csv(commandArgs(TRUE)[1])
d$t <- d$period + 0.5
new <- data.frame(t = 2025:2030 + 0.5)
for (id in unique(d$indicator)) {
  s <- d[d$indicator == id, ]
  p <- predict(lm(value ~ t, data = s), new, interval = "prediction")
}
R
hyperfine --warmup 1 --runs 5 --export-markdown "$work/times.md" \
    -n "almanac report (.html, $n charts)" \
    "$bin report -d $ds -o $work/r.html --to 2030" \
    -n "almanac report (.txt, no charts)" \
    "$bin report -d $ds -o $work/r.txt --to 2030" \
    -n "almanac fit --model linear ($n series)" \
    "$bin fit -d $ds --model linear --to 2030 --format csv -o $work/f.csv" \
    -n "R lm + predict ($n series)" \
    "Rscript $work/fit.R $work/long.csv" >/dev/null
{
    echo "# Report benchmark: $n indicators"
    echo
    echo "Run on $(nproc) cores with \`tests/bench/report.sh $n\`."
    echo
    cat "$work/times.md"
} >"$out"
cat "$out"
