#!/usr/bin/env bash
# Benchmark: Almanac's projections against R's forecast package, by
# backtest. Holds out the last HOLD (5) years of real annual series no one
# here wrote (the World Bank GDP file on the log scale and the annual
# series of R's datasets package, see series.R), fits the rest, projects
# the held-out years, and prints each method's mean MASE and 95% interval
# coverage on the same series as a Markdown table, with whether Almanac's
# auto meets the goals of issue 14.
#
# Usage: tests/bench/forecast/run.sh [ALMANAC_BINARY] [HOLD]
#   defaults: build/engine/almanac, 5
# Needs: r-base-core, r-cran-forecast (apt-get install them). About a
# minute, most of it auto.arima and ets.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(realpath "${1:-$root/build/engine/almanac}")
hold=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
Rscript "$here/series.R" "$work/ds" "$root/../shared/data/formats/worldbank-wdi" 2>/dev/null
"$bin" check -d "$work/ds" >/dev/null
mv "$work/ds/series.csv" "$work/series.csv"
for m in auto linear loglinear drift mean theil-sen; do
    "$bin" backtest -d "$work/ds" --hold "$hold" --model "$m" --format csv \
        -o "$work/almanac-$m.csv"
done
echo "Almanac auto chose, per series:"
"$bin" backtest -d "$work/ds" --hold "$hold" | sed -n '/^model /,$p'
echo
Rscript "$here/compare.R" "$work" "$hold" 2>/dev/null
