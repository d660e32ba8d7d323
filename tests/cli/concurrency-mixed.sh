#!/usr/bin/env bash
# Many writers and readers on one dataset at once: 10 `add`, 10 `import`
# that each create an indicator with 50 rows (a commit of two files) and 5
# `import` that each append 20 rows to an existing indicator, all started
# together, while 4 readers loop over `export`, `fit`, `report`, `list`
# and `check`. No write may be lost, and no reader may see part of one:
# every import's rows appear all together or not at all, in the export
# and in the fit, and every read succeeds.
# Run by ctest as: concurrency-mixed.sh ALMANAC_BINARY SOURCE_DIR
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
total=$((fixture_rows + 10 + 10 * 50 + 5 * 20))

# The import files: batchB.csv creates indicator batchB (periods 1900 to
# 1949); zonesB.csv appends 20 months of zones (2040+B).
for b in $(seq 1 10); do
    {
        echo "indicator,period,value,source,quote"
        for y in $(seq 1900 1949); do echo "batch$b,$y,$((y - 1800 + b)),xinhua,batch $b"; done
    } >"$work/batch$b.csv"
done
for b in $(seq 1 5); do
    {
        echo "indicator,period,value,source,quote"
        for m in $(seq 1 20); do
            printf 'zones,%d-%02d,%d,xinhua,zones batch %d\n' $((2040 + b * 2 + (m - 1) / 12)) \
                $(((m - 1) % 12 + 1)) $((200 + m)) "$b"
        done
    } >"$work/zones$b.csv"
done

# reader N: loops until the stop file appears; every command must exit 0
# and every export and fit must show each batch whole or not at all.
reader() {
    local n=$1 i=0 out=$work/r$1 err
    while [ ! -e "$work/stop" ]; do
        i=$((i + 1))
        if ! "$bin" export -d "$ds" >"$out.csv" 2>"$out.err"; then
            echo "reader $n, export $i: $(cat "$out.err")" >>"$work/reader-errors"
        else
            err=$(awk -F, -v header="$header" -v min="$fixture_rows" -v max="$total" '
                NR == 1 { if ($0 != header) print "bad header"; next }
                $1 ~ /^batch/ { batch[$1]++ }
                $NF ~ /^zones batch / { zb[$NF]++ }
                END {
                    for (b in batch) if (batch[b] != 50) print b " has " batch[b] " rows"
                    for (z in zb) if (zb[z] != 20) print z " has " zb[z] " rows"
                    if (NR - 1 < min || NR - 1 > max) print NR - 1 " rows"
                }' "$out.csv")
            [ -n "$(tail -c 1 "$out.csv")" ] && err="$err; no final newline"
            [ -n "$err" ] && echo "reader $n, export $i: torn read: $err" >>"$work/reader-errors"
        fi
        if ! "$bin" fit -d "$ds" --format csv >"$out.fit" 2>"$out.err"; then
            echo "reader $n, fit $i: $(cat "$out.err")" >>"$work/reader-errors"
        else
            # Column 3 is n, the points fitted: a batch has 50 or is absent.
            err=$(awk -F, '$1 ~ /^batch/ && $3 != 50 { print $1 " fitted on " $3 " points" }' "$out.fit" | sort -u)
            [ -n "$err" ] && echo "reader $n, fit $i: torn read: $err" >>"$work/reader-errors"
        fi
        if ! "$bin" report -d "$ds" -o "$out.txt" >/dev/null 2>"$out.err"; then
            echo "reader $n, report $i: $(cat "$out.err")" >>"$work/reader-errors"
        fi
        if ! "$bin" list -d "$ds" --format csv >"$out.list" 2>"$out.err"; then
            echo "reader $n, list $i: $(cat "$out.err")" >>"$work/reader-errors"
        fi
        if ! "$bin" check -d "$ds" >/dev/null 2>"$out.err"; then
            echo "reader $n, check $i: $(cat "$out.err")" >>"$work/reader-errors"
        fi
        echo "$i" >"$out.count"
    done
}
for n in 1 2 3 4; do
    reader "$n" &
    reader_pids+=($!)
done
sleep 0.3

# All 25 writers at once.
pids=()
names=()
for i in $(seq 1 10); do
    "$bin" add -d "$ds" --indicator zones --period "$(printf '2030-%02d' "$i")" \
        --value $((180 + i)) --source xinhua --quote "add $i" \
        >"$work/w.add$i.out" 2>"$work/w.add$i.err" &
    pids+=($!)
    names+=("add$i")
    "$bin" import -d "$ds" "$work/batch$i.csv" >"$work/w.batch$i.out" 2>"$work/w.batch$i.err" &
    pids+=($!)
    names+=("batch$i")
done
for b in $(seq 1 5); do
    "$bin" import -d "$ds" "$work/zones$b.csv" >"$work/w.zones$b.out" 2>"$work/w.zones$b.err" &
    pids+=($!)
    names+=("zones$b")
done
bad=0
for k in "${!pids[@]}"; do
    if ! wait "${pids[$k]}"; then
        bad=$((bad + 1))
        echo "  writer ${names[$k]}: $(cat "$work/w.${names[$k]}.err")"
    fi
done
if [ "$bad" = 0 ]; then ok; else fail "$bad of 25 writers failed"; fi
sleep 0.3
touch "$work/stop"
for p in "${reader_pids[@]}"; do wait "$p"; done
reader_pids=()

# No lost write: every row once, the fixture's first.
rows=$(($(wc -l <"$ds/observations.csv") - 1))
if [ "$rows" = "$total" ]; then ok; else
    fail "observations.csv has $rows rows, expected $total"
fi
{
    for i in $(seq 1 10); do
        printf 'zones,2030-%02d,%d,,,xinhua,,add %d\n' "$i" $((180 + i)) "$i"
        tail -n +2 "$work/batch$i.csv" | awk -F, '{ print $1 "," $2 "," $3 ",,," $4 ",," $5 }'
    done
    for b in $(seq 1 5); do
        tail -n +2 "$work/zones$b.csv" | awk -F, '{ print $1 "," $2 "," $3 ",,," $4 ",," $5 }'
    done
} | sort >"$work/want"
tail -n +$((fixture_rows + 2)) "$ds/observations.csv" | sort >"$work/got"
if cmp -s "$work/want" "$work/got"; then ok; else
    fail "the new rows are not exactly the written ones"
    diff "$work/want" "$work/got" | head -n 6
fi
if [ "$(grep -c '^batch' "$ds/indicators.csv")" = 10 ]; then ok; else
    fail "indicators.csv has $(grep -c '^batch' "$ds/indicators.csv") batch indicators, expected 10"
fi
if "$bin" check -d "$ds" >/dev/null 2>"$work/check.err"; then ok; else
    fail "check failed: $(cat "$work/check.err")"
fi
left=$(cd "$ds" && ls -A | grep -E 'almanac-tmp|^\.almanac-journal')
if [ -z "$left" ]; then ok; else fail "left behind: $left"; fi

reads=0
for n in 1 2 3 4; do
    [ -f "$work/r$n.count" ] && reads=$((reads + $(cat "$work/r$n.count")))
done
if [ "$reads" -gt 0 ]; then ok; else fail "the readers never ran"; fi
if [ ! -s "$work/reader-errors" ]; then ok; else
    fail "readers saw errors or torn reads:"
    head -n 10 "$work/reader-errors"
fi
echo "($reads rounds of export, fit, report, list and check during the writes)"

finish
