#!/usr/bin/env bash
# Round trip: the long export of a dataset, imported into a new dataset that
# has the same indicators, sources and targets, exports to the same bytes.
# Run by ctest as: roundtrip.sh ALMANAC_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
passed=0
failed=0
ok() {
    passed=$((passed + 1))
}
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
# expect STATUS CMD...: runs CMD, checks its exit status.
expect() {
    local want=$1
    shift
    "$@" >"$work/.out" 2>"$work/.err"
    local got=$?
    if [ "$got" = "$want" ]; then
        ok
    else
        fail "$* exited $got, expected $want"
        sed 's/^/    /' "$work/.err"
    fi
}
same() { # same FILE1 FILE2 WHAT
    if cmp -s "$1" "$2"; then
        ok
    else
        fail "$3"
        diff -u "$1" "$2" | head -20
    fi
}

roundtrip() { # roundtrip NAME DATASET_DIR
    local name=$1 ds=$2 new=$work/$1-new
    expect 0 "$bin" check -d "$ds"
    expect 0 "$bin" export -d "$ds" --layout long -o "$work/$name-1.csv"
    expect 0 "$bin" init "$new"
    cp "$ds/indicators.csv" "$ds/sources.csv" "$ds/targets.csv" "$new/"
    expect 0 "$bin" import -d "$new" "$work/$name-1.csv"
    expect 0 "$bin" export -d "$new" --layout long -o "$work/$name-2.csv"
    same "$work/$name-1.csv" "$work/$name-2.csv" \
        "$name: the long export changed through export, import, export"
    # The new dataset is valid and holds as many of everything.
    expect 0 "$bin" check -d "$new"
    "$bin" check -d "$ds" 2>/dev/null | sed 's/^[^:]*: //' >"$work/$name-c1"
    "$bin" check -d "$new" 2>/dev/null | sed 's/^[^:]*: //' >"$work/$name-c2"
    same "$work/$name-c1" "$work/$name-c2" "$name: check counts differ"
    # Import writes observations and indicators only: targets untouched.
    same "$ds/targets.csv" "$new/targets.csv" "$name: targets.csv changed"
    same "$ds/sources.csv" "$new/sources.csv" "$name: sources.csv changed"
    # What analysis sees is the same, today and at an earlier date.
    for as_of in "" 2023-06-30; do
        local opt=()
        [ -n "$as_of" ] && opt=(--as-of "$as_of")
        "$bin" export -d "$ds" --layout wide "${opt[@]}" >"$work/$name-w1"
        "$bin" export -d "$new" --layout wide "${opt[@]}" >"$work/$name-w2"
        same "$work/$name-w1" "$work/$name-w2" \
            "$name: wide export ${as_of:-latest} differs"
        "$bin" list -d "$ds" --format csv "${opt[@]}" >"$work/$name-l1"
        "$bin" list -d "$new" --format csv "${opt[@]}" >"$work/$name-l2"
        same "$work/$name-l1" "$work/$name-l2" \
            "$name: list ${as_of:-latest} differs"
    done
    # Importing the same figures again is all duplicates: refused, and the
    # dataset is left as it was.
    cp -R "$new" "$work/$name-before"
    expect 1 "$bin" import -d "$new" "$work/$name-1.csv"
    if grep -q "duplicate observation" "$work/.err"; then ok; else
        fail "$name: second import did not report a duplicate"
    fi
    rm -f "$new/.almanac.lock" "$work/$name-before/.almanac.lock"
    if diff -r "$work/$name-before" "$new" >/dev/null; then ok; else
        fail "$name: a refused import changed the dataset"
    fi
}

roundtrip china "$src/datasets/china-2024"
roundtrip small "$src/tests/cli/fixtures/small"

# The shipped dataset is valid (warnings allowed).
expect 0 "$bin" check -d "$src/datasets/china-2024"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
