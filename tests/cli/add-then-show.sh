#!/usr/bin/env bash
# A revision is a new vintage: after `add`, `show --vintages` lists both
# figures, `show` picks the newer one, and `--as-of` before the revision
# picks the older one. Nothing is overwritten.
# Run by ctest as: add-then-show.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"
# row PERIOD ARGS...: the CSV row of PERIOD printed by `show ARGS`, without
# the as_of column.
row() {
    local p=$1
    shift
    "$bin" show -d "$ds" "$@" --format csv | grep "^$p," | sed 's/,[^,]*$//'
}

# The fixture: share 2022 is ">13" from nbs-2023;seed-004, vintage empty,
# so the date of nbs-2023 (2023-02-28).
is "before: latest 2022" "$(row 2022 share)" \
    "2022,13,>,,2023-02-28,nbs-2023;seed-004,over 13 percent in 2022"

# The revision: 13.24, provisional, published 2024-02-29.
"$bin" add -d "$ds" --indicator share --period 2022 --value 13.24 \
    --status P --source nbs-2023 --vintage 2024-02-29 \
    --quote "13.24 percent, revised" >"$work/out" 2>&1
is "add exit status" "$?" 0
is "add message" "$(cat "$work/out")" "added share 2022 = 13.24"

# Both vintages, oldest first (no correction, recorded or reason: the
# last three columns before as_of are empty).
"$bin" show -d "$ds" share --vintages --format csv --as-of 2024-12-31 |
    grep '^2022,' | sed 's/,[^,]*$//' >"$work/vintages"
printf '%s\n' "2022,13,>,,2023-02-28,nbs-2023;seed-004,over 13 percent in 2022,,," \
    "2022,13.24,,P,2024-02-29,nbs-2023,\"13.24 percent, revised\",,," >"$work/want"
if cmp -s "$work/want" "$work/vintages"; then ok; else
    fail "show --vintages does not list both vintages"
    diff "$work/want" "$work/vintages"
fi
# The table form lists them too.
n=$("$bin" show -d "$ds" share --vintages --as-of 2024-12-31 | grep -c '^  2022 ')
is "show --vintages (table): rows of 2022" "$n" 2

# Latest: the revision, by default (the latest vintage in the dataset,
# 2024-03-18) and at any date from its publication on.
revised="2022,13.24,,P,2024-02-29,nbs-2023,\"13.24 percent, revised\""
is "show (default as-of)" "$(row 2022 share)" "$revised"
is "show --as-of 2024-02-29" "$(row 2022 share --as-of 2024-02-29)" "$revised"
is "show --as-of 2030" "$(row 2022 share --as-of 2030)" "$revised"
# Before the revision: the older figure.
older="2022,13,>,,2023-02-28,nbs-2023;seed-004,over 13 percent in 2022"
is "show --as-of 2024-02-28" "$(row 2022 share --as-of 2024-02-28)" "$older"
is "show --as-of 2023-12" "$(row 2022 share --as-of 2023-12)" "$older"
is "show --as-of 2023" "$(row 2022 share --as-of 2023)" "$older"
# Before either: no 2022 at all.
is "show --as-of 2023-02-27" "$(row 2022 share --as-of 2023-02-27)" ""

# list agrees: latest share is the revision, and earlier the older one.
is "list" "$("$bin" list -d "$ds" --format csv | grep '^share,' | cut -d, -f6-10)" \
    "2022,13.24,,P,2024-02-29"
is "list --as-of 2024-01" \
    "$("$bin" list -d "$ds" --format csv --as-of 2024-01 | grep '^share,' | cut -d, -f6-10)" \
    "2022,13,>,,2023-02-28"

# The same figure again (same source, same vintage) is a duplicate: refused,
# and the dataset is unchanged. The revision went in after share's other
# four rows (lines 2-5; README, "Row order"), so on line 6.
cp "$ds/observations.csv" "$work/obs-before"
"$bin" add -d "$ds" --indicator share --period 2022 --value 13.24 \
    --source nbs-2023 --vintage 2024-02-29 >"$work/out" 2>&1
is "duplicate add exit status" "$?" 1
is "duplicate add message" "$(cat "$work/out")" \
    "almanac: duplicate observation: share 2022 from 'nbs-2023' with this vintage is already on line 6 of $ds/observations.csv"
if cmp -s "$work/obs-before" "$ds/observations.csv"; then ok; else
    fail "a refused add changed observations.csv"
fi

# A vintage given as a month (2024-03: its last day, 2024-03-31) sorts after
# 2024-02-29 and is the latest from 2024-03-31 on.
"$bin" add -d "$ds" --indicator share --period 2022 --value 13.3 \
    --source nbs-2024-03 --vintage 2024-03 >/dev/null 2>&1
is "add with a month vintage" "$?" 0
is "show --as-of 2024-03-30" "$(row 2022 share --as-of 2024-03-30 | cut -d, -f2)" 13.24
is "show --as-of 2024-03-31" "$(row 2022 share --as-of 2024-03-31 | cut -d, -f2)" 13.3
is "vintages of 2022" "$(row 2022 share --vintages --as-of 2030 | cut -d, -f2 | tr '\n' ' ')" \
    "13 13.24 13.3 "

# Nothing was overwritten: every row of the fixture is still there.
"$bin" export -d "$src/tests/cli/fixtures/small" | tail -n +2 | sort >"$work/f"
"$bin" export -d "$ds" | tail -n +2 | sort >"$work/d"
if [ -z "$(comm -23 "$work/f" "$work/d")" ]; then ok; else
    fail "rows of the fixture are gone"
fi
"$bin" check -d "$ds" >/dev/null 2>&1
is "check" "$?" 0

finish
