#!/usr/bin/env bash
# A correction and a retraction round-trip: `correct` and `retract`
# append rows and rewrite none; `show --vintages` tells the whole story;
# `--as-of` before them sees the figures as published, after them the
# corrected state; and fit, track, chart and report, which select through
# the same code, print exactly what they print for a dataset typed
# correctly from the start (after) or for the dataset before the
# amendments (before). The projections are checked against a hand
# calculation too.
# Run by ctest as: correct.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"

# make DIR VALUE2021 [2024]: a dataset of one indicator, figures of
# 2019-2023 published 2024-01-15 by s1, with 2021's value given, and with
# "2024" a figure of 2024 published 2024-02-01 (the one retracted).
make() {
    "$bin" init "$1" --title "NEV" >/dev/null &&
        "$bin" indicator add -d "$1" --id nev --title "NEV output" \
            --unit units --kind level --frequency A >/dev/null &&
        "$bin" source add -d "$1" --id s1 --title S1 --publisher P \
            --date 2024-01-15 >/dev/null &&
        "$bin" target add -d "$1" --indicator nev --period 2026 --value 30 \
            --comparator '>=' >/dev/null || return 1
    for pv in 2019:10 2020:12 "2021:$2" 2022:17 2023:21; do
        "$bin" add -d "$1" --indicator nev --period "${pv%:*}" \
            --value "${pv#*:}" --source s1 >/dev/null || return 1
    done
    if [ "${3:-}" = 2024 ]; then
        "$bin" add -d "$1" --indicator nev --period 2024 --value 40 \
            --source s1 --vintage 2024-02-01 >/dev/null || return 1
    fi
}
a=$work/a
make "$a" 15 2024
is "dataset made" "$?" 0
cp -R "$a" "$work/before"
# 2021 was typed 15 for 14 (recorded 2024-03-01); the 2024 figure was
# never published (recorded 2024-03-05).
out=$("$bin" correct -d "$a" --indicator nev --period 2021 --value 14 \
    --note "typed 15 for 14" --recorded 2024-03-01)
is "correct: exit status" "$?" 0
is "correct: message" "$out" "corrected nev 2021 (vintage 2024-01-15) = 14"
out=$("$bin" retract -d "$a" --indicator nev --period 2024 \
    --note "never published" --recorded 2024-03-05)
is "retract: exit status" "$?" 0
is "retract: message" "$out" "retracted nev 2024 (vintage 2024-02-01), was 40"

# No row rewritten: the file before is the file after without its last
# two rows, but for the three new columns (named in the header, empty in
# each earlier row).
head -n -2 "$a/observations.csv" |
    sed '1s/,correction,recorded,note$//; 2,$s/,,,$//' >"$work/kept"
check_sh "cmp -s '$work/kept' '$work/before/observations.csv'" \
    "no earlier row rewritten"
is "the two new rows" "$(tail -n 2 "$a/observations.csv")" \
    "nev,2021,14,,,s1,2024-01-15,,correct,2024-03-01,typed 15 for 14
nev,2024,40,,,s1,2024-02-01,,retract,2024-03-05,never published"
is "log: the two writes" "$("$bin" log -d "$a" | tail -n 2 | cut -f2,3)" \
    "correct	1
retract	1"
out=$("$bin" check -d "$a" 2>&1)
is "check: exit status" "$?" 0
# 6 figures: the correction and the retraction amend two of them and are
# no observations of their own.
is "check: no warning, the figures counted" "$out" \
    "$a: 1 indicators, 6 observations, 1 sources, 1 targets; 0 warnings"

# The whole story, in CSV (as_of dropped).
"$bin" show -d "$a" nev --vintages --format csv | sed 's/,[^,]*$//' \
    >"$work/story"
printf '%s\n' "period,value,qualifier,status,vintage,source,quote,correction,recorded,reason" \
    "2019,10,,,2024-01-15,s1,,,," \
    "2020,12,,,2024-01-15,s1,,,," \
    "2021,15,,,2024-01-15,s1,,,," \
    "2021,14,,,2024-01-15,s1,,correct,2024-03-01,typed 15 for 14" \
    "2022,17,,,2024-01-15,s1,,,," \
    "2023,21,,,2024-01-15,s1,,,," \
    "2024,40,,,2024-02-01,s1,,,," \
    "2024,40,,,2024-02-01,s1,,retract,2024-03-05,never published" \
    >"$work/want"
check_sh "cmp -s '$work/want' '$work/story'" "show --vintages: the whole story"
# As of a day between: the correction, not yet the retraction.
"$bin" show -d "$a" nev --vintages --format csv --as-of 2024-03-02 |
    cut -d, -f2,8 | tr '\n' ' ' >"$work/mid"
is "show --vintages --as-of 2024-03-02" "$(cat "$work/mid")" \
    "value,correction 10, 12, 15, 14,correct 17, 21, 40, "
# show (no --vintages): default as-of is the latest date, 2024-03-05.
is "show: corrected state" \
    "$("$bin" show -d "$a" nev --format csv | cut -d, -f1,2,8 | tr '\n' ' ')" \
    "period,value,as_of 2019,10,2024-03-05 2020,12,2024-03-05 2021,14,2024-03-05 2022,17,2024-03-05 2023,21,2024-03-05 "
is "show --as-of 2024-02-29: as published" \
    "$("$bin" show -d "$a" nev --format csv --as-of 2024-02-29 | cut -d, -f2 | tr '\n' ' ')" \
    "value 10 12 15 17 21 40 "

# fit by hand, linear on t = 2019.5..2023.5: after, y = 10 12 14 17 21,
# mean 14.8, slope sum((t - 2021.5) y) / 10 = 27/10 = 2.7: 2024 is
# 14.8 + 3 * 2.7 = 22.9. As of 2024-01-31 (before the 2024 figure and the
# correction), y = 10 12 15 17 21: mean 15, slope 2.7, 2024 is 23.1.
value_2024() {
    "$bin" fit -d "$1" nev --model linear --to 2026 --format csv \
        --as-of "$2" | awk -F, '$4 == 2024 { print $5 }'
}
check_sh "awk 'BEGIN { exit !($(value_2024 "$a" 2024-03-10) - 22.9 < 1e-9 && 22.9 - $(value_2024 "$a" 2024-03-10) < 1e-9) }'" \
    "fit after: 2024 is 22.9 (by hand)"
check_sh "awk 'BEGIN { exit !($(value_2024 "$a" 2024-01-31) - 23.1 < 1e-9 && 23.1 - $(value_2024 "$a" 2024-01-31) < 1e-9) }'" \
    "fit before: 2024 is 23.1 (by hand)"

# Every analysis of the amended dataset equals that of a dataset typed
# right from the start (after), and that of the dataset before the
# amendments (before). Each runs in its own folder, so that outputs name
# the same files.
make "$work/right" 14
is "right dataset made" "$?" 0
run_all() { # DIR AS_OF OUT: fit, track, chart script and report of DIR
    mkdir -p "$3" && (
        cd "$3" &&
            "$bin" fit -d "$1" --model linear --to 2026 --as-of "$2" >fit.txt &&
            "$bin" track -d "$1" --model linear --as-of "$2" >track.txt &&
            "$bin" chart -d "$1" nev -o chart.svg --script chart.gp \
                --model linear --as-of "$2" &&
            "$bin" report -d "$1" -o report.txt --model linear \
                --as-of "$2" --no-charts 2>/dev/null
    )
}
run_all "$a" 2024-03-10 "$work/out-a-after" &&
    run_all "$work/right" 2024-03-10 "$work/out-right"
is "analyses after: ran" "$?" 0
run_all "$a" 2024-02-15 "$work/out-a-before" &&
    run_all "$work/before" 2024-02-15 "$work/out-before"
is "analyses before: ran" "$?" 0
for f in fit.txt track.txt chart.gp report.txt; do
    check_sh "cmp -s '$work/out-a-after/$f' '$work/out-right/$f'" \
        "$f after the amendments: as if typed right"
    check_sh "cmp -s '$work/out-a-before/$f' '$work/out-before/$f'" \
        "$f as of before them: as published"
    # And the two states differ, so that the comparisons above could fail.
    check_sh "! cmp -s '$work/out-a-after/$f' '$work/out-a-before/$f'" \
        "$f before and after differ"
done

# export (long) keeps every row, amendments too: imported into an empty
# copy of the tables, the story and the corrected state are the same.
"$bin" export -d "$a" -o "$work/all.csv"
mkdir "$work/re" && cp "$a/indicators.csv" "$a/sources.csv" \
    "$a/targets.csv" "$work/re/" &&
    head -n 1 "$work/before/observations.csv" >"$work/re/observations.csv"
"$bin" import -d "$work/re" "$work/all.csv" >/dev/null
is "export, import: exit status" "$?" 0
check_sh "cmp -s <(\"$bin\" show -d '$a' nev --vintages --format csv) <(\"$bin\" show -d '$work/re' nev --vintages --format csv)" \
    "export, import: the same story"

# Refusals leave the dataset as it was.
cp "$a/observations.csv" "$work/obs.kept"
"$bin" correct -d "$a" --indicator nev --period 2024 --value 41 \
    --note x --recorded 2024-03-06 2>"$work/err"
is "correct a retracted figure: exit status" "$?" 1
is "correct a retracted figure: message" "$(cat "$work/err")" \
    "almanac: --vintage: nev 2024 with vintage 2024-02-01 was retracted: a retracted figure is not corrected again"
"$bin" correct -d "$a" --indicator nev --period 2018 --value 8 --note x \
    2>"$work/err"
is "correct a missing figure: exit status" "$?" 1
is "correct a missing figure: message" "$(cat "$work/err")" \
    "almanac: --period: no figure of nev for 2018: 'almanac show -d $a nev --vintages' lists its figures"
check_sh "cmp -s '$a/observations.csv' '$work/obs.kept'" \
    "refusals: observations.csv unchanged"
finish
