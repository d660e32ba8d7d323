#!/usr/bin/env bash
# The documented limits (csvio.h, README "Limits"): a field of 64 KiB, a
# record of 1024 fields, a file of 4 GiB, an id of 128 bytes. At the
# limit the input is accepted; one byte, field or column beyond it, it is
# rejected with exit 1 and a message that names the file, the line and
# the limit, and the dataset does not change. A write that would make a
# dataset file exceed a limit is refused before anything is written.
# Run by ctest as: limits.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"
rm -f "$ds/.almanac.lock"
cp -R "$ds" "$work/before"
unchanged() {
    rm -f "$ds/.almanac.lock"
    diff -r "$work/before" "$ds" >/dev/null
}
run() { # run ARGS...: almanac; status in $st, messages in $work/err
    "$bin" "$@" >"$work/out" 2>"$work/err"
    st=$?
}
x() { head -c "$1" /dev/zero | tr '\0' x; }
# rejected WHAT PATTERN: the last run exited 1, said PATTERN, changed nothing
rejected() {
    check "$1: exits 1 (got $st)" [ "$st" = 1 ]
    check "$1: says why ($(head -c 200 "$work/err"))" grep -qE "$2" "$work/err"
    check "$1: the dataset is unchanged" unchanged
}

# A field: 65536 bytes pass, 65537 do not (import, add, a dataset file).
{
    echo "indicator,period,value,source,quote"
    echo "zones,2024-01,179,xinhua,$(x 65536)"
} >"$work/field-ok.csv"
{
    echo "indicator,period,value,source,quote"
    echo "zones,2024-01,179,xinhua,$(x 65537)"
} >"$work/field-over.csv"
run import -d "$ds" "$work/field-over.csv" --dry-run
rejected "a field of 65537 bytes" "field-over.csv:2: field 'quote': 65537 bytes long; the limit is 65536 bytes"
run import -d "$ds" "$work/field-ok.csv" --dry-run
check "a field of 65536 bytes is accepted ($(cat "$work/err"))" [ "$st" = 0 ]
run add -d "$ds" --indicator zones --period 2024-01 --value 179 --source xinhua --quote "$(x 65537)"
rejected "add --quote of 65537 bytes" "^almanac: --quote: 65537 bytes long; the limit is 65536 bytes"
cp "$ds/observations.csv" "$work/obs.csv"
echo "zones,2024-01,179,,,xinhua,,$(x 65537)" >>"$ds/observations.csv"
run check -d "$ds"
check "check of a field of 65537 bytes: exits 1" [ "$st" = 1 ]
check "... names the file and line ($(head -c 200 "$work/err"))" \
    grep -q "observations.csv:8: field 'quote': 65537 bytes long" "$work/err"
cp "$work/obs.csv" "$ds/observations.csv"

# Columns: 1024 fields in a record pass, 1025 do not; an import whose
# extra columns would take observations.csv past 1024 is refused.
cols() { # cols N: a header of N columns, the first three the required ones
    local i
    printf 'indicator,period,value'
    for i in $(seq 4 "$1"); do printf ',c%d' "$i"; done
    echo
    printf 'zones,2024-01,179'
    for i in $(seq 4 "$1"); do printf ','; done
    echo
}
cols 1025 >"$work/cols-over.csv"
run import -d "$ds" "$work/cols-over.csv" --dry-run
rejected "a record of 1025 fields" "cols-over.csv:1: more than 1024 fields in a record"
cols 1024 >"$work/cols-1024.csv"
run regress "$work/cols-1024.csv" --y value --x c4 2>/dev/null
check "a record of 1024 fields is read (regress says the column is empty, not the width)" \
    grep -qv "more than 1024" "$work/err"
run import -d "$ds" "$work/cols-1024.csv"
rejected "an import that would give observations.csv 1029 columns" \
    "the new observations.csv would have 1029 columns; the limit is 1024"

# A file: 4 GiB at most (a sparse file, so the test stays small).
truncate -s $((4 * 1024 * 1024 * 1024 + 1)) "$work/huge.csv"
run import -d "$ds" "$work/huge.csv"
rejected "an import file of 4 GiB + 1" "huge.csv' is larger than 4294967296 bytes"
cp "$ds/sources.csv" "$work/src.csv"
truncate -s $((4 * 1024 * 1024 * 1024 + 1)) "$ds/sources.csv"
run list -d "$ds"
check "list with a sources.csv of 4 GiB + 1: exits 1 (got $st)" [ "$st" = 1 ]
check "... says so ($(head -c 200 "$work/err"))" grep -q "sources.csv' is larger than 4294967296 bytes" "$work/err"
cp "$work/src.csv" "$ds/sources.csv"

# Ids: 128 bytes pass, 129 do not.
printf 'indicator,period,value,source\n%s,2024,1,xinhua\n' "$(x 128)" >"$work/id-ok.csv"
printf 'indicator,period,value,source\n%s,2024,1,xinhua\n' "$(x 129)" >"$work/id-over.csv"
run import -d "$ds" "$work/id-over.csv" --dry-run
rejected "an id of 129 bytes" "id-over.csv:2: field 'indicator': bad indicator id .*at most 128 bytes"
run import -d "$ds" "$work/id-ok.csv" --dry-run
check "an id of 128 bytes is accepted ($(cat "$work/err"))" [ "$st" = 0 ]

# Projections: at most 10000 periods ahead.
cp -R "$ds" "$work/ds2"
printf 'indicator,period,value,source\nday,2024-01-01,1,xinhua\nday,2024-01-02,2,xinhua\n' |
    "$bin" import -d "$work/ds2" - >/dev/null
run fit -d "$work/ds2" day --to 9999-12-31
check "fit 10000+ periods ahead: exits 1 (got $st)" [ "$st" = 1 ]
check "... names the limit ($(cat "$work/err"))" grep -q "more than 10000 periods" "$work/err"

finish
