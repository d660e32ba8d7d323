#!/usr/bin/env bash
# Round trip: the long export of a dataset, imported into a new dataset that
# has the same indicators, sources and targets, exports to the same bytes.
# Run by ctest as: roundtrip.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
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

# Texts a spreadsheet would run as formulas: the export guards them with a
# leading "'" and the import takes exactly that guard off, so the texts
# come back as they were, even one that starts with "'" itself.
ds=$work/formulas
cp -R "$src/tests/cli/fixtures/small" "$ds"
rm -f "$ds/.almanac.lock"
quotes=("-3% on a year" "=1+1" "'=1+1" "''@SUM(A1)" "'plain" "+x" "-5")
for i in "${!quotes[@]}"; do
    expect 0 "$bin" add -d "$ds" --indicator zones --period "$((2030 + i))" \
        --value 1 --source xinhua --quote "${quotes[$i]}"
done
roundtrip formulas "$ds"
# (The export sorts rows: compare the rows, not their order; no cell of
# this dataset holds a newline.)
sort "$ds/observations.csv" >"$work/formulas-obs-1"
sort "$work/formulas-new/observations.csv" >"$work/formulas-obs-2"
same "$work/formulas-obs-1" "$work/formulas-obs-2" \
    "formulas: every row of observations.csv comes back as it was"
# The guarded cells as written, by hand: a guard before a formula, one
# more before a guarded text, none before a number or plain text.
"$bin" export -d "$ds" -o "$work/formulas.csv"
for cell in ",'-3% on a year" ",'=1+1" ",''=1+1" ",'''@SUM(A1)" ",'plain" ",'+x" ",-5"; do
    if grep -qF -- "$cell" "$work/formulas.csv"; then ok; else
        fail "formulas: the export lacks $cell"
    fi
done
# list and show --format csv follow the same rule.
sed -i 's/^zones,National high-tech zones,/zones,=1+1 zones,/' "$ds/indicators.csv"
"$bin" list -d "$ds" --format csv >"$work/list.csv" 2>"$work/.err"
if grep -qF ",'=1+1 zones," "$work/list.csv"; then ok; else fail "list --format csv: no guard"; fi
"$bin" show -d "$ds" zones --format csv >"$work/show.csv" 2>"$work/.err"
if grep -qF ",'=1+1," "$work/show.csv" && grep -qF ",''=1+1" "$work/show.csv" &&
    grep -qF ",'-3% on a year" "$work/show.csv"; then ok; else
    fail "show --format csv: not guarded as export is"
    head -n 3 "$work/show.csv"
fi

# The shipped dataset is valid (warnings allowed).
expect 0 "$bin" check -d "$src/datasets/china-2024"

finish
