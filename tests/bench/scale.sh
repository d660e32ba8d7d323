#!/usr/bin/env bash
# Benchmark (not in CI): Almanac against R data.table (and pandas) on
# generated datasets (gen.py: S series x 30 annual periods), side by side.
#
# For each size (default 100000 and 1000000 series: 3M and 30M
# observations) it times, with /usr/bin/time -v (wall time, peak memory):
#   almanac fit -d DS --model linear --to 2029 --format csv -o FILE
#   the peer doing the same job (fread, grouped closed-form OLS with lm's
#   prediction intervals, fwrite): peer_datatable.R, peer_pandas.py
#   almanac import (the long CSV into a new dataset), check, list, export
#   data.table fread + fwrite of the same file (peer_io.R)
# checks that the projections agree with data.table's to 9 digits, and
# prints the ratios. Then import, check, list and export at 16,000 and
# 64,000 series, for linearity. Every command runs its ordinary code path.
#
# Usage: tests/bench/scale.sh [ALMANAC_BINARY] [SERIES...]
#   env: WORK (default /tmp/almanac-bench: datasets are kept there and
#   reused), PEERS (default "datatable pandas"), LINEAR=0 skips 16k/64k,
#   IO_SIZES (default: every size) the sizes at which import, check, list
#   and export run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/scripts/setup.sh" r-base-core r-cran-data.table python3-pandas \
    python3-scipy time >&2
bin=$(realpath "${1:-$root/build/engine/almanac}")
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
work=${WORK:-/tmp/almanac-bench}
peers=${PEERS:-datatable pandas}
mkdir -p "$work"
export LC_ALL=C TZ=UTC

# measure NAME CMD...: runs CMD, records "NAME wall_s peak_MB" in $work/times
measure() {
    local name=$1
    shift
    if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
        echo "scale.sh: '$name' failed:" >&2
        tail -5 "$work/stderr.txt" >&2
        exit 1
    fi
    local wall peak
    wall=$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
    peak=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")
    echo "$name $wall $peak" >>"$work/times"
    printf '  %-34s %8.2f s %7d MB\n' "$name" "$wall" "$peak" >&2
}

gen() { # gen S: the dataset of S series in $work/S (made once)
    [ -f "$work/$1/done" ] && return
    rm -rf "$work/$1"
    python3 "$here/gen.py" "$1" "$work/$1"
    touch "$work/$1/done"
}

# Reads the times file: t NAME -> wall, m NAME -> peak.
t() { awk -v n="$1" '$1 == n { print $2 }' "$work/times" | tail -1; }
m() { awk -v n="$1" '$1 == n { print $3 }' "$work/times" | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

: >"$work/times"
for s in "${sizes[@]}"; do
    obs=$((s * 30))
    echo "== $s series ($obs observations)" >&2
    gen "$s"
    d=$work/$s
    rm -rf "$d/imported"
    "$bin" init "$d/imported" >/dev/null
    cp "$d/ds/sources.csv" "$d/imported/sources.csv"
    measure "fit-$s" "$bin" fit -d "$d/ds" --model linear --to 2029 --format csv -o "$d/fit.csv"
    measure "dt-fit-$s" Rscript "$here/peer_datatable.R" "$d/long.csv" "$d/dt-fit.csv"
    Rscript "$here/compare.R" "$d/fit.csv" "$d/dt-fit.csv" 9 | tee "$d/agree.txt" >&2
    if [[ " $peers " == *" pandas "* ]]; then
        measure "pd-fit-$s" /usr/bin/python3 "$here/peer_pandas.py" "$d/long.csv" "$d/pd-fit.csv"
        Rscript "$here/compare.R" "$d/fit.csv" "$d/pd-fit.csv" 9 >&2 || true
    fi
    if [ -n "${IO_SIZES+set}" ] && [[ " $IO_SIZES " != *" $s "* ]]; then
        continue
    fi
    measure "dt-io-$s" Rscript "$here/peer_io.R" "$d/long.csv" "$d/dt-io.csv"
    measure "import-$s" "$bin" import -d "$d/imported" "$d/long.csv" --kind level
    measure "check-$s" "$bin" check -d "$d/ds"
    measure "list-$s" sh -c "'$bin' list -d '$d/ds' --format csv >'$d/list.csv'"
    measure "export-$s" "$bin" export -d "$d/ds" -o "$d/export.csv"
    rm -rf "$d/imported" "$d/dt-io.csv" "$d/export.csv" "$d/list.csv"
done
if [ "${LINEAR:-1}" = 1 ]; then
    for s in 16000 64000; do
        echo "== $s series (linearity)" >&2
        gen "$s"
        d=$work/$s
        rm -rf "$d/imported"
        "$bin" init "$d/imported" >/dev/null
        cp "$d/ds/sources.csv" "$d/imported/sources.csv"
        measure "import-$s" "$bin" import -d "$d/imported" "$d/long.csv" --kind level
        measure "check-$s" "$bin" check -d "$d/ds"
        measure "list-$s" sh -c "'$bin' list -d '$d/ds' --format csv >'$d/list.csv'"
        measure "export-$s" "$bin" export -d "$d/ds" -o "$d/export.csv"
        rm -rf "$d/imported"
    done
fi

# The table.
echo
echo "| step | series | observations | Almanac | peak | data.table | peak | time ratio | memory ratio | goal |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for s in "${sizes[@]}"; do
    obs=$((s * 30))
    echo "| fit --model linear | $s | $obs | $(t fit-$s) s | $(m fit-$s) MB | $(t dt-fit-$s) s | $(m dt-fit-$s) MB | $(ratio "$(t fit-$s)" "$(t dt-fit-$s)") | $(ratio "$(m fit-$s)" "$(m dt-fit-$s)") | ≤ 0.5, ≤ 0.5 |"
    for c in import check list export; do
        [ -n "$(t $c-$s)" ] || continue
        echo "| $c | $s | $obs | $(t $c-$s) s | $(m $c-$s) MB | $(t dt-io-$s) s (fread+fwrite) | $(m dt-io-$s) MB | $(ratio "$(t $c-$s)" "$(t dt-io-$s)") | $(ratio "$(m $c-$s)" "$(m dt-io-$s)") | ≤ 2 at 3M |"
    done
    if [[ " $peers " == *" pandas "* ]]; then
        echo "| pandas fit (peer) | $s | $obs | | | $(t pd-fit-$s) s | $(m pd-fit-$s) MB | | | |"
    fi
done
if [ ${#sizes[@]} -ge 2 ]; then
    a=${sizes[0]} b=${sizes[1]}
    echo
    echo "fit: $b series took $(ratio "$(t fit-$b)" "$(t fit-$a)")x the time of $a (goal ≤ 11x for 10x the data)"
fi
if [ "${LINEAR:-1}" = 1 ]; then
    for c in import check list export; do
        echo "$c: 64000 series took $(ratio "$(t $c-64000)" "$(t $c-16000)")x the time of 16000 (goal ≤ 5x)"
    done
fi
for s in "${sizes[@]}"; do
    echo "projections at $s series: $(cat "$work/$s/agree.txt")"
done
