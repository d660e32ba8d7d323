#!/usr/bin/env bash
# check, list and export read observations.csv one indicator at a time
# when they can (engine/scan.c over engine/dataset_stream.c), and the
# dataset whole otherwise. Both ways give the same bytes: each dataset
# here (the goldens' datasets, the shipped one without its derived
# indicators, a generated one of several stretches with warnings) is
# compared with its copy whose observations.csv has its first two
# columns swapped, which the stream does not serve (rows are told apart
# at their first field), so that the copy is read whole.
# Run by ctest as: scan.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null; then
    echo "scan.sh needs python3"
    exit 1
fi

# swapped DIR: observations.csv of DIR with columns 1 and 2 swapped.
swapped() {
    python3 - "$1/observations.csv" <<'PY'
import csv, sys
p = sys.argv[1]
with open(p, newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
with open(p, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    for r in rows:
        if len(r) >= 2:
            r[0], r[1] = r[1], r[0]
        w.writerow(r)
PY
}

# The commands each dataset is tried with, one per line.
cmds='check -d ds
list -d ds
list -d ds --format csv
list -d ds --format json
list -d ds --as-of 2023-06-30
list -d ds --format csv --as-of 2024-01-01
export -d ds
export -d ds -o e.csv
export -d ds --raw
export -d ds --as-of 2023-06-30 -o e.csv
export -d ds --as-of 2024-03-01
export -d ds --projections
export -d ds --projections --as-of 2024-03-01 -o e.csv
export -d ds --projections --model auto --to 2030 --level 80'

# run_all DIR: runs every command in DIR (which holds ds), the Nth one's
# standard output, standard error and exit status, and its e.csv if it
# wrote one, going to DIR/N.out, DIR/N.err and DIR/N.csv. (One process
# per command: forks are what this test's time goes on.)
run_all() {
    local n=0 args
    cd "$1" || return
    while IFS= read -r args; do
        n=$((n + 1))
        eval "\"\$bin\" $args" >"$n.out" 2>"$n.err"
        echo "rc=$?" >>"$n.err"
        if [ -f e.csv ]; then mv e.csv "$n.csv"; fi
    done <<<"$cmds"
    cd - >/dev/null || return
}

# same NAME DS: every command in a's copy and b's (swapped) give the same
# standard output, standard error, exit status and file.
same() {
    local name=$1 ds=$2 n=0 bad="" args
    rm -rf "$work/a" "$work/b"
    mkdir -p "$work/a" "$work/b"
    cp -r "$ds" "$work/a/ds"
    cp -r "$ds" "$work/b/ds"
    swapped "$work/b/ds"
    run_all "$work/a"
    run_all "$work/b"
    if ! diff -rq -x ds "$work/a" "$work/b" >/dev/null; then
        while IFS= read -r args; do
            n=$((n + 1))
            for f in "$n.out" "$n.err" "$n.csv"; do
                if ! cmp -s "$work/a/$f" "$work/b/$f"; then
                    bad="$bad [$args]"
                    break
                fi
            done
        done <<<"$cmds"
        [ -n "$bad" ] || bad=" (files other than the commands' outputs)"
    fi
    if [ -z "$bad" ]; then ok; else fail "$name: differs:$bad"; fi
}

# (Not those whose CSV does not parse: python3 cannot copy them.)
for ds in "$src"/tests/cli/cases/*/files/ds; do
    case $ds in *unterminated*) continue ;; esac
    [ -f "$ds/observations.csv" ] && same "${ds#"$src"/tests/cli/cases/}" "$ds"
done

# The shipped dataset without its derived indicators (a formula or a
# same_as makes every command read whole).
mkdir -p "$work/china"
cp -r "$src/datasets/china-2024" "$work/china/ds"
python3 - "$work/china/ds/indicators.csv" <<'PY'
import csv, sys
p = sys.argv[1]
with open(p, newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
h = rows[0]
keep = [r for r in rows[1:] if not r[h.index('formula')]]
for r in keep:
    r[h.index('same_as')] = ''
with open(p, 'w', newline='', encoding='utf-8') as f:
    csv.writer(f, lineterminator='\n').writerows([h] + keep)
PY
rm -f "$work/china/ds/changes.log"
same "china-2024 without derived indicators" "$work/china/ds"
is "china-2024: its summary, streamed" \
    "$(cd "$work/china" && "$bin" check -d ds 2>/dev/null)" \
    "ds: 15 indicators, 60 observations, 59 sources, 4 targets; 3 warnings"
is "china-2024: its warnings, streamed" \
    "$(cd "$work/china" && "$bin" check -d ds 2>&1 >/dev/null | cut -c1-60)" \
    "almanac: warning: ds/observations.csv:3: field 'vintage': pu
almanac: warning: ds/observations.csv:27: nev_production_uni
almanac: warning: ds/observations.csv:36: nev_production_yoy"

# 3,000 series of 12 periods (over 1 MiB: several stretches), with
# warnings of every kind check gives on the stream: rows without a
# vintage (their source has no date), 12 periods with figures of one
# vintage from two sources (10 shown, then counted), a revision more
# than rounding apart, a stock that fell, and a formula trigger in a quote.
g=$work/gen/ds
mkdir -p "$work/gen"
"$bin" init "$g" >/dev/null
printf 'id,title,publisher,date,location\nsa,A,PA,2025-01-31,\nsb,B,PB,,\n' \
    >"$g/sources.csv"
awk -v d="$g" 'BEGIN {
    fi = d "/indicators.csv"
    fo = d "/observations.csv"
    print "id,title,unit,kind,frequency,scope,notes" > fi
    print "indicator,period,value,qualifier,status,source,vintage,quote,extra" > fo
    for (s = 0; s < 3000; s++) {
        id = sprintf("s%05d", s)
        print id ",Series " s ",units," (s == 7 ? "count,I" : "level,A") ",," > fi
        for (k = 0; k < 12; k++) {
            per = s == 7 ? sprintf("2024-%02d-01", k + 1) : 2000 + k
            v = s == 7 && k == 5 ? 50 : 100 + k
            src = s >= 2997 && k == 0 ? "sb" : "sa"
            q = s == 3 && k == 0 ? "=1+2" : ""
            printf("%s,%s,%d,,,%s,,%s,x%d\n", id, per, v, src, q, k) > fo
            if (s % 250 == 1 && k == 2)
                printf("%s,%s,%d,,,sb,2025-01-31,,\n", id, per, v) > fo
            if (s == 9 && k == 4)
                printf("%s,%s,%d,,,sa,2025-03-01,,\n", id, per, v + 7) > fo
        }
    }
}'
same "3,000 series with warnings" "$g"
# 36,000 rows, 12 more from sb, 1 revision; 14 warnings: 1 for the rows
# without a vintage (s02997-s02999's first, the first on line 2 + 2,997 *
# 12 + 13 = 35,979), 10 + 1 for the periods from two sources, the
# revision, the stock that fell.
out=$(cd "$work/gen" && "$bin" check -d ds 2>&1 >/dev/null)
is "generated: the summary" "$(cd "$work/gen" && "$bin" check -d ds 2>/dev/null)" \
    "ds: 3000 indicators, 36013 observations, 2 sources, 0 targets; 14 warnings"
is "generated: 14 warnings printed" "$(echo "$out" | wc -l)" 14
has "generated: rows without a vintage, counted" "$out" \
    "ds/observations.csv:35979: field 'vintage': publication date unknown for 3 rows"
has "generated: the periods past the tenth counted" "$out" \
    "2 more periods have figures of the same vintage from different sources"

finish
