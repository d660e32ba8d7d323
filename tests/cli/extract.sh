#!/usr/bin/env bash
# End-to-end tests of `almanac extract --into`: the seed documents into a
# new dataset that `check` accepts and whose report shows every figure with
# its quote; --map onto existing indicators; all or nothing (a failed write
# into a new folder leaves no folder, into an existing one changes nothing).
# Usage: extract.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
seeds=$src/../shared/seeds
export LC_ALL=C TZ=UTC
cd "$work" || exit 1

# The seeds into a folder that does not exist yet.
"$bin" extract "$seeds"/*.txt --into NEW >out 2>err
check_sh "[ $? -eq 0 ]" "extract --into NEW exits 0: $(cat err)"
# seeds-gold.csv has 7 observations and 2 targets (read by eye).
check_sh "grep -q 'added 7 observations, 2 targets' out" "counts: $(cat out)"
check_sh "[ \$(wc -l <NEW/observations.csv) -eq 8 ]" "7 observation rows"
check_sh "[ \$(wc -l <NEW/targets.csv) -eq 3 ]" "2 target rows"
check_sh "[ \$(wc -l <NEW/sources.csv) -eq 6 ]" "one source per document"
check_sh "grep -q 'no .date YYYY-MM-DD. line' err" "004 has no date line: warned"
"$bin" check -d NEW >check.out 2>&1
check_sh "[ $? -eq 0 ]" "check accepts the dataset: $(cat check.out)"

# Every figure is stored with its value and quote, and the report shows
# every quote.
"$bin" extract "$seeds"/*.txt --format csv >figures.csv 2>/dev/null
"$bin" report -d NEW -o r.html >/dev/null 2>report.err
st=$?
if [ $st -eq 3 ]; then
    echo "gnuplot missing: report part skipped"
else
    check_sh "[ $st -eq 0 ]" "report exits 0: $(cat report.err)"
    python3 - figures.csv NEW r.html <<'PY' && ok || fail "every figure with its quote"
import csv, html, sys
figs = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
rows = []
for name in ("observations.csv", "targets.csv"):
    rows += list(csv.DictReader(open(sys.argv[2] + "/" + name, encoding="utf-8")))
text = html.unescape(open(sys.argv[3], encoding="utf-8").read())
bad = 0
if len(figs) != 9:
    print("expected 9 figures, got", len(figs)); bad += 1
for f in figs:
    if not any(float(r["value"]) == float(f["value"]) and r["quote"] == f["quote"]
               and r["period"] == f["period"] for r in rows):
        print("not stored:", f["value"], f["period"]); bad += 1
    if f["quote"] not in text:
        print("quote not in the report:", f["quote"][:60]); bad += 1
sys.exit(1 if bad else 0)
PY
fi

# The same documents again: their sources exist, nothing is written.
cp -R NEW before
"$bin" extract "$seeds"/*.txt --into NEW >out2 2>err2
check_sh "[ $? -eq 1 ]" "a second extract into NEW fails"
check_sh "grep -q 'duplicate id' err2" "it says why: $(cat err2)"
check_sh "diff -r before NEW >/dev/null" "NEW is unchanged"

# A failed write into a new folder leaves no folder behind.
printf 'subject,indicator\nnational high-tech special zones,Not An Id\n' >bad-map.csv
"$bin" extract "$seeds"/002_*.txt --into NEW2 --map bad-map.csv >out3 2>err3
check_sh "[ $? -eq 1 ]" "a bad id in the map fails"
check_sh "[ ! -e NEW2 ]" "no NEW2 left behind"

# --map puts a subject's figures into an existing indicator.
"$bin" init MAPPED >/dev/null
printf 'id,title,unit,kind,frequency\nsei_share,Strategic emerging industries (share of GDP),%%,share,A\n' \
    >MAPPED/indicators.csv
printf 'subject,indicator\nstrategic emerging industries in China,sei_share\n' >map.csv
"$bin" extract "$seeds"/004_*.txt --into MAPPED --map map.csv >out4 2>err4
check_sh "[ $? -eq 0 ]" "extract --map exits 0: $(cat err4)"
check_sh "[ \$(grep -c '^sei_share,' MAPPED/observations.csv) -eq 2 ]" \
    "7.6 (2014) and >13 (2022) in sei_share"
check_sh "grep -q '^sei_share,2025,17,>=' MAPPED/targets.csv" "the 2025 target"
check_sh "[ \$(wc -l <MAPPED/indicators.csv) -eq 2 ]" "no indicator created"
"$bin" check -d MAPPED >/dev/null 2>&1
check_sh "[ $? -eq 0 ]" "check accepts MAPPED"

# The lexicon is data: $ALMANAC_LEXICON points to another folder, and a row
# added to units.csv makes a new noun countable.
printf 'date 2024-02-01\nThe plant made 12,500 widgets last year.\n' >widgets.txt
"$bin" extract widgets.txt --format csv >w1.csv 2>/dev/null
check_sh "[ \$(wc -l <w1.csv) -eq 1 ]" "no unit, no figure"
cp -R "$src/lexicon" lex
echo 'widgets,count,count,noun,flow' >>lex/units.csv
ALMANAC_LEXICON=$work/lex "$bin" extract widgets.txt --format csv >w2.csv
check_sh "grep -q '^widgets.txt,[0-9]*,12500,count,count,2023,' w2.csv" \
    "the added noun counts: $(cat w2.csv)"
ALMANAC_LEXICON=$work/missing "$bin" extract widgets.txt >/dev/null 2>w3.err
check_sh "[ $? -eq 1 ] && grep -q 'missing/scales.csv' w3.err" \
    "a missing lexicon is named: $(cat w3.err)"
# A quote a spreadsheet would run is neutralised in CSV output.
printf 'date 2024-02-01\n=HYPERLINK("x") sales rose 5%% in 2023.\n' >formula.txt
"$bin" extract formula.txt --format csv >f.csv
check_sh "grep -q \"'=HYPERLINK\" f.csv" "formula quote neutralised: $(cat f.csv)"

finish
