#!/usr/bin/env bash
# Concurrent writers are serialised and readers never see a partial write:
# 20 `almanac add` started at once, twice (20 periods, then 20 vintages of
# one period), while readers run `list` and `export` in loops.
# Run by ctest as: concurrency.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
reader_pids=()
at_exit() {
    for p in "${reader_pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}

ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"
fixture_rows=$(($(wc -l <"$ds/observations.csv") - 1))
header=$(head -n 1 "$ds/observations.csv")

# A reader loops until the stop file appears. Every run must exit 0 and
# print a whole dataset: the export has the header, then between the
# fixture's rows and all 40 new ones, each row a complete line.
reader() { # reader N
    local n=$1 i=0 rows out=$work/reader$1
    while [ ! -e "$work/stop" ]; do
        i=$((i + 1))
        if ! "$bin" export -d "$ds" >"$out.csv" 2>"$out.err"; then
            echo "export run $i failed: $(cat "$out.err")" >>"$work/reader-errors"
            continue
        fi
        rows=$(($(wc -l <"$out.csv") - 1))
        if [ "$(head -n 1 "$out.csv")" != "$header" ] ||
            [ "$rows" -lt "$fixture_rows" ] ||
            [ "$rows" -gt $((fixture_rows + 40)) ] ||
            [ -n "$(tail -c 1 "$out.csv")" ]; then
            echo "export run $i saw a bad dataset ($rows rows)" >>"$work/reader-errors"
        fi
        if ! "$bin" list -d "$ds" --format csv >"$out.list" 2>"$out.err"; then
            echo "list run $i failed: $(cat "$out.err")" >>"$work/reader-errors"
        elif [ "$(wc -l <"$out.list")" != 4 ]; then
            echo "list run $i printed $(wc -l <"$out.list") lines" >>"$work/reader-errors"
        fi
        echo "$i" >"$out.count"
    done
}
for n in 1 2 3; do
    reader "$n" &
    reader_pids+=($!)
done

# writers CMD...: starts 20 adds at once; each gets its own period or
# vintage from the index i; then waits for all and counts failures.
run_writers() { # run_writers KIND
    local kind=$1 pids=() i
    for i in $(seq 1 20); do
        if [ "$kind" = periods ]; then
            # zones (frequency I): months 2025-01 .. 2026-08
            local m=$(((i - 1) % 12 + 1)) y=$((2025 + (i - 1) / 12))
            "$bin" add -d "$ds" --indicator zones \
                --period "$(printf '%d-%02d' "$y" "$m")" --value $((178 + i)) \
                --source xinhua >"$work/w$i.out" 2>"$work/w$i.err" &
        else
            # share 2023: vintages 2024-05-01 .. 2024-05-20
            "$bin" add -d "$ds" --indicator share --period 2023 \
                --value "13.$i" --source nbs-2024-03 \
                --vintage "$(printf '2024-05-%02d' "$i")" \
                >"$work/w$i.out" 2>"$work/w$i.err" &
        fi
        pids+=($!)
    done
    local bad=0
    for i in $(seq 1 20); do
        if ! wait "${pids[$((i - 1))]}"; then
            bad=$((bad + 1))
            echo "  writer $i: $(cat "$work/w$i.err")"
        fi
    done
    if [ "$bad" = 0 ]; then ok; else fail "$kind: $bad of 20 adds failed"; fi
}

# Let the readers start before the writers.
sleep 0.2
run_writers periods
run_writers vintages
sleep 0.2
touch "$work/stop"
for p in "${reader_pids[@]}"; do wait "$p"; done
reader_pids=()

# Exactly the 40 new rows, each once, and the fixture's rows untouched.
rows=$(($(wc -l <"$ds/observations.csv") - 1))
if [ "$rows" = $((fixture_rows + 40)) ]; then ok; else
    fail "observations.csv has $rows rows, expected $((fixture_rows + 40))"
fi
for i in $(seq 1 20); do
    m=$(((i - 1) % 12 + 1))
    y=$((2025 + (i - 1) / 12))
    printf 'zones,%d-%02d,%d,,,xinhua,,\n' "$y" "$m" $((178 + i))
    printf 'share,2023,13.%d,,,nbs-2024-03,2024-05-%02d,\n' "$i" "$i"
done | sort >"$work/want"

# The fixture's rows, as the first write rewrote them (export orders them
# by period).
"$bin" export -d "$src/tests/cli/fixtures/small" |
    tail -n +2 >"$work/fixture-rows"
tail -n +2 "$ds/observations.csv" >"$work/all-rows"
comm -13 <(sort "$work/fixture-rows") <(sort "$work/all-rows") >"$work/got"
if cmp -s "$work/want" "$work/got"; then ok; else
    fail "the new rows are not the 40 added ones"
    diff "$work/want" "$work/got" | head -10
fi
# The file stays grouped by indicator in the order of indicators.csv
# (README, "Row order"), each indicator's fixture rows first, unchanged and
# its new rows after them.
runs=$(cut -d, -f1 "$work/all-rows" | uniq | tr '\n' ' ')
is "grouped by indicator" "$runs" "share growth_janfeb zones "
bad=0
for id in share growth_janfeb zones; do
    n=$(grep -c "^$id," "$work/fixture-rows")
    if ! cmp -s <(grep "^$id," "$work/fixture-rows" | sort) \
        <(grep "^$id," "$work/all-rows" | head -n "$n" | sort); then
        bad=1
        echo "$id: its fixture rows are not first, as they were" >&2
    fi
done
if [ "$bad" = 0 ]; then ok; else fail "the fixture's rows changed"; fi

# The dataset is valid, and the latest vintage of share 2023 is the 20th.
if "$bin" check -d "$ds" >/dev/null 2>"$work/check.err"; then ok; else
    fail "check failed: $(cat "$work/check.err")"
fi
latest=$("$bin" show -d "$ds" share --format csv | grep '^2023,' | cut -d, -f2)
if [ "$latest" = 13.20 ]; then ok; else
    fail "show picks '$latest' for share 2023, expected 13.20"
fi

# No write left its temporary files, no journal remains.
left=$(cd "$ds" && ls -A | grep -E 'almanac-tmp|^\.almanac-journal')
if [ -z "$left" ]; then ok; else fail "left behind: $left"; fi

# The readers ran, and never saw anything wrong.
reads=0
for n in 1 2 3; do
    [ -f "$work/reader$n.count" ] && reads=$((reads + $(cat "$work/reader$n.count")))
done
if [ "$reads" -gt 0 ]; then ok; else fail "the readers never ran"; fi
if [ ! -s "$work/reader-errors" ]; then ok; else
    fail "readers saw errors:"
    head -n 10 "$work/reader-errors"
fi
echo "($reads reads during the writes)"

finish
