#!/usr/bin/env bash
# fit reads observations.csv one indicator at a time and writes its CSV
# to -o FILE as it goes (engine/dataset_stream.c); a dataset it cannot
# stream (rows not grouped by indicator) and any problem make it read the
# dataset whole instead. Either way the output is the same bytes, and a
# problem the same message as before, with no output file left.
# Run by ctest as: fit-stream.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$work/ds
"$bin" init "$ds" >/dev/null
cp "$src/tests/cli/fixtures/small/sources.csv" "$ds/" 2>/dev/null
# 3,000 series of 30 years (3 MB: several stretches of 1 MiB), grouped by
# indicator in the order of indicators.csv, as an import writes them.
awk 'BEGIN {
    print "id,title,unit,kind,frequency,scope,notes" > "'"$ds"'/indicators.csv"
    print "indicator,period,value,qualifier,status,source,vintage,quote" \
        > "'"$ds"'/observations.csv"
    for (s = 0; s < 3000; s++) {
        id = sprintf("s%07d", s)
        print id ",Series " s ",units,level,A,," > "'"$ds"'/indicators.csv"
        for (k = 0; k < 30; k++)
            printf "%s,%d,%.3f,,,,%s,\n", id, 1994 + k,
                100 + (s % 97) + k * (s % 7) + (k * s) % 13 / 10,
                k == 29 && s == 1234 ? "2025-02-01" : "2025-01-31" \
                > "'"$ds"'/observations.csv"
    }
}'
"$bin" fit -d "$ds" --model linear --to 2029 --format csv >"$work/stdout.csv"
is "fit to standard output" "$?" 0
"$bin" fit -d "$ds" --model linear --to 2029 -o "$work/fit.csv"
is "fit -o fit.csv" "$?" 0
check "the file is the text of standard output" cmp -s "$work/stdout.csv" "$work/fit.csv"
is "18,000 rows and the header" "$(wc -l <"$work/fit.csv")" 18001
# The latest vintage is on a row of the 1,235th series: every row says so.
is "every row as of the latest vintage" \
    "$(cut -d, -f15 "$work/fit.csv" | sort | uniq -c | tr -s ' ')" \
    " 18000 2025-02-01
 1 as_of"
"$bin" fit -d "$ds" --model linear --to 2029 --as-of 2025-01-31 -o "$work/asof.csv"
"$bin" fit -d "$ds" --model linear --to 2029 --as-of 2025-01-31 --format csv \
    >"$work/asof-stdout.csv"
check "--as-of: the file is the text of standard output" \
    cmp -s "$work/asof.csv" "$work/asof-stdout.csv"
has "--as-of 2025-01-31 on the rows" "$(sed -n 2p "$work/asof.csv")" ",2025-01-31"
"$bin" fit -d "$ds" s0000002 s0000001 s0000002 --model linear --to 2029 \
    -o "$work/named.csv"
is "named series, in their order" "$(cut -d, -f1 "$work/named.csv" | uniq | tr '\n' ' ')" \
    "indicator s0000002 s0000001 s0000002 "

# The same rows, one series moved to the end of the file: read whole,
# the same output.
cp -r "$ds" "$work/moved"
{ head -1 "$ds/observations.csv"; grep -v '^s0000007,' "$ds/observations.csv" | tail -n +2
  grep '^s0000007,' "$ds/observations.csv"; } >"$work/moved/observations.csv"
"$bin" fit -d "$work/moved" --model linear --to 2029 -o "$work/moved.csv"
check "not grouped, read whole: the same output" cmp -s "$work/fit.csv" "$work/moved.csv"

# A bad row on the last line: the message of the whole read, exit 1, the
# old output untouched, no temporary file left.
cp -r "$ds" "$work/bad"
echo "s0000042,2030,-5,,,,2025-01-31," >>"$work/bad/observations.csv"
cp "$work/fit.csv" "$work/keep.csv"
"$bin" fit -d "$work/bad" --model linear --to 2029 -o "$work/keep.csv" 2>"$work/err"
is "a bad row: exit 1" "$?" 1
has "the message names file, line and field" "$(cat "$work/err")" \
    "observations.csv:90002: field 'value': a level cannot be negative, got -5"
check "the old output is untouched" cmp -s "$work/fit.csv" "$work/keep.csv"
is "no temporary file left" "$(ls -A "$work" | grep -c almanac-tmp)" 0
# A duplicate within its series, and a row of an unknown indicator in the
# middle of the file: the whole read's messages.
cp -r "$ds" "$work/dup"
sed -i '98p' "$work/dup/observations.csv"
"$bin" fit -d "$work/dup" --model linear --to 2029 -o "$work/dup.csv" 2>"$work/err"
is "a duplicate: exit 1" "$?" 1
is "a duplicate: the message" "$(cat "$work/err")" \
    "almanac: $work/dup/observations.csv:99: duplicate observation: s0000003 2000 from '' with this vintage is already on line 98 of $work/dup/observations.csv"
cp -r "$ds" "$work/unknown"
sed -i '45000a zzz,2000,5,,,,2025-01-31,' "$work/unknown/observations.csv"
"$bin" fit -d "$work/unknown" --model linear --to 2029 -o "$work/unknown.csv" 2>"$work/err"
is "an unknown indicator: exit 1" "$?" 1
has "an unknown indicator: the message" "$(cat "$work/err")" \
    "observations.csv:45001: field 'indicator': unknown indicator 'zzz'"
check_sh '[ ! -e "$work/dup.csv" ] && [ ! -e "$work/unknown.csv" ]' "nothing written"
"$bin" fit -d "$ds" --model linear --to 2029 -o "$work/no/such/dir/f.csv" 2>"$work/err"
is "an output folder that does not exist: exit" "$?" 1
has "it says so" "$(cat "$work/err")" "no/such/dir/f.csv"
finish
