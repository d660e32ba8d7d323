#!/usr/bin/env bash
# Fuzzes every parser: builds the libFuzzer harnesses of tests/fuzz/ with
# clang (ASan + UBSan) in build-fuzz/, then runs each for SECONDS seconds
# (default 60), JOBS at a time (default: the number of cores), starting
# from its saved corpus (tests/fuzz/corpus/NAME) and every past crash
# (tests/fuzz/crashes/NAME). Prints a line of libFuzzer's final figures
# per harness (seconds, inputs run, coverage) and appends it to $STATS
# (default build-fuzz/fuzz-stats.tsv; tests/fuzz/stats.tsv is the
# project's record of its campaigns). A crash, leak, timeout or broken property is
# copied to tests/fuzz/crashes/NAME/ (commit it with the fix: ctest
# replays it from then on) and fails the run.
# With MERGE=1 the corpus grown is minimised back into
# tests/fuzz/corpus/NAME (review the size before committing).
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}
scripts/setup.sh clang libclang-rt-14-dev >&2
CC=clang cmake -S . -B "$build" -DALMANAC_FUZZ=ON -DALMANAC_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzzers >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    names=($(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//'))
fi
out=$root/$build/fuzz-out
mkdir -p "$out"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
export LC_ALL=C TZ=UTC

# Longest input per harness: whole datasets need more room than a period.
max_len() {
    case $1 in
    period | number) echo 64 ;;
    journal) echo 512 ;;
    analysis) echo 4096 ;;
    *) echo 16384 ;;
    esac
}

run_one() { # run_one NAME: fuzzes one harness; status 0 when nothing found
    local name=$1 work=$out/$1
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp tests/fuzz/corpus/"$name"/* "$work/corpus/" 2>/dev/null || true
    local rc=0
    "$root/$build/tests/fuzz/fuzz_$name" "$work/corpus" "tests/fuzz/crashes/$name" \
        -max_total_time="$seconds" -timeout=25 -report_slow_units=25 \
        -rss_limit_mb=2048 \
        -max_len="$(max_len "$name")" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || rc=$?
    local execs cov ft done_line
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$work/log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
    local found
    # Crashes, leaks, timeouts (over 25 s) and out-of-memory inputs.
    found=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$name" "$seconds" \
        "${execs:-0}" "${cov:-?}" "${ft:-?}" "$found" >"$work/stats"
    if [ "$found" != 0 ] || [ "$rc" != 0 ]; then
        mkdir -p "tests/fuzz/crashes/$name"
        cp "$work"/artifacts/{crash,leak,timeout,oom}-* "tests/fuzz/crashes/$name/" 2>/dev/null || true
        echo "fuzz $name: FOUND a problem (exit $rc); input saved in tests/fuzz/crashes/$name/" >&2
        grep -E 'ERROR|SUMMARY|property failed|runtime error' "$work/log" | head -5 >&2
        return 1
    fi
    if [ "${MERGE:-0}" = 1 ]; then
        rm -rf "$work/merged"
        mkdir -p "$work/merged"
        "$root/$build/tests/fuzz/fuzz_$name" -merge=1 -max_len="$(max_len "$name")" \
            "$work/merged" "$work/corpus" >"$work/merge.log" 2>&1
        rm -f tests/fuzz/corpus/"$name"/*
        cp "$work"/merged/* "tests/fuzz/corpus/$name/"
    fi
    return 0
}

pids=()
for name in "${names[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
    run_one "$name" &
    pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=1; done
printf 'date\tharness\tseconds\texecs\tcov\tft\tfound\n'
for name in "${names[@]}"; do
    cat "$out/$name/stats"
    cat "$out/$name/stats" >>"${STATS:-$root/$build/fuzz-stats.tsv}"
done
exit $bad
