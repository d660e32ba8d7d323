#!/usr/bin/env bash
# Transformations through the commands (--transform, --frequency,
# --aggregate, --unit) on tests/cli/fixtures/tx, against FRED's formulas
# worked out by hand below (each expected figure with its arithmetic):
#   gdp   quarterly, CNY bn: 2022-Q1..2024-Q2 = 100 104 103 110 105 109 108
#         116 112 115 (n = 4 periods a year)
#   prod  monthly, 10k units: 2023-01..12 = 10 12 ... 32 (step 2); 2024-01
#         12, 2024-02 15 revised to 16 on 2024-06-15, 2024-03 18, 2024-04
#         20, no May, 2024-06 25
#   ytd   January-October cumulatives: 190 (2023), 217 (2024)
. "$(dirname "$0")/lib.sh"
ds=$work/ds
cp -R "$src/tests/cli/fixtures/tx" "$ds"

# series WHAT "ARGS" "PERIOD VALUE ...": the periods and values `show
# --format csv` prints for ARGS (shell words) equal the list, each value within a
# relative 1e-9 of the hand figure.
series() {
    local what=$1 args=$2 want=$3 got
    eval "set -- $args"
    got=$("$bin" show -d "$ds" "$@" --format csv 2>/dev/null |
        awk -F, 'NR > 1 { printf "%s %s ", $1, $2 }')
    if awk -v got="$got" -v want="$want" 'BEGIN {
        ng = split(got, g, " "); nw = split(want, w, " ")
        if (ng != nw) exit 1
        for (i = 1; i <= nw; i += 2) {
            if (g[i] != w[i]) exit 1
            d = g[i + 1] - w[i + 1]; if (d < 0) d = -d
            s = w[i + 1] < 0 ? -w[i + 1] : w[i + 1]
            if (d > 1e-9 * (s > 1 ? s : 1)) exit 1
        }
    }'; then ok; else fail "$what: got '$got', expected '$want'"; fi
}

# ---- units, quarterly ----------------------------------------------------
series "lin" "gdp --transform lin" \
    "2022-Q1 100 2022-Q2 104 2022-Q3 103 2022-Q4 110 2023-Q1 105 2023-Q2 109 2023-Q3 108 2023-Q4 116 2024-Q1 112 2024-Q2 115"
# chg: x_t - x_{t-1}: 104-100, 103-104, 110-103, 105-110, ...
series "chg" "gdp --transform chg" \
    "2022-Q2 4 2022-Q3 -1 2022-Q4 7 2023-Q1 -5 2023-Q2 4 2023-Q3 -1 2023-Q4 8 2024-Q1 -4 2024-Q2 3"
# ch1: x_t - x_{t-4}: 105-100, 109-104, 108-103, 116-110, 112-105, 115-109
series "ch1" "gdp --transform ch1" \
    "2023-Q1 5 2023-Q2 5 2023-Q3 5 2023-Q4 6 2024-Q1 7 2024-Q2 6"
# pch: (x_t/x_{t-1} - 1)*100: 4, (103/104-1)*100 = -0.961538461538,
# (110/103-1)*100 = 6.79611650485, (105/110-1)*100 = -4.54545454545,
# (109/105-1)*100 = 3.80952380952, (108/109-1)*100 = -0.917431192661,
# (116/108-1)*100 = 7.40740740741, (112/116-1)*100 = -3.44827586207,
# (115/112-1)*100 = 2.67857142857
series "pch" "gdp --transform pch" \
    "2022-Q2 4 2022-Q3 -0.961538461538 2022-Q4 6.79611650485 2023-Q1 -4.54545454545 2023-Q2 3.80952380952 2023-Q3 -0.917431192661 2023-Q4 7.40740740741 2024-Q1 -3.44827586207 2024-Q2 2.67857142857"
# pc1: (x_t/x_{t-4} - 1)*100: 5, (109/104-1)*100 = 4.80769230769,
# (108/103-1)*100 = 4.85436893204, (116/110-1)*100 = 5.45454545455,
# (112/105-1)*100 = 6.66666666667, (115/109-1)*100 = 5.50458715596
series "pc1" "gdp --transform pc1" \
    "2023-Q1 5 2023-Q2 4.80769230769 2023-Q3 4.85436893204 2023-Q4 5.45454545455 2024-Q1 6.66666666667 2024-Q2 5.50458715596"
# pca: ((x_t/x_{t-1})^4 - 1)*100: 1.04^4 = 1.16985856 -> 16.985856;
# (103/104)^4 = 0.962089648 -> -3.79103521711; (110/103)^4 -> 30.0833886853;
# (105/110)^4 -> -16.979287617; (109/105)^4 -> 16.1311683918;
# (108/109)^4 -> -3.61953213601; (116/108)^4 -> 33.0873982248;
# (112/116)^4 -> -13.0959265129; (115/112)^4 -> 11.1525091118
series "pca" "gdp --transform pca" \
    "2022-Q2 16.985856 2022-Q3 -3.79103521711 2022-Q4 30.0833886853 2023-Q1 -16.979287617 2023-Q2 16.1311683918 2023-Q3 -3.61953213601 2023-Q4 33.0873982248 2024-Q1 -13.0959265129 2024-Q2 11.1525091118"
# cch: (ln x_t - ln x_{t-1})*100: ln 1.04 = 0.0392207131533 -> 3.92207131533,
# ln(103/104) -> -0.966191091174, ln(110/103) -> 6.57513775628,
# ln(105/110) -> -4.65200156349, ln(109/105) -> 3.73875320716,
# ln(108/109) -> -0.921665510492, ln(116/108) -> 7.14589639821,
# ln(112/116) -> -3.50913198113, ln(115/112) -> 2.64332570682
series "cch" "gdp --transform cch" \
    "2022-Q2 3.92207131533 2022-Q3 -0.966191091174 2022-Q4 6.57513775628 2023-Q1 -4.65200156349 2023-Q2 3.73875320716 2023-Q3 -0.921665510492 2023-Q4 7.14589639821 2024-Q1 -3.50913198113 2024-Q2 2.64332570682"
# cca: cch * 4
series "cca" "gdp --transform cca" \
    "2022-Q2 15.6882852613 2022-Q3 -3.86476436469 2022-Q4 26.3005510251 2023-Q1 -18.608006254 2023-Q2 14.9550128286 2023-Q3 -3.68666204197 2023-Q4 28.5835855929 2024-Q1 -14.0365279245 2024-Q2 10.5733028273"
# log: ln x_t: ln 100 = 4.60517018599, ln 104 = 4.64439089914, ...
series "log" "gdp --transform log" \
    "2022-Q1 4.60517018599 2022-Q2 4.64439089914 2022-Q3 4.63472898823 2022-Q4 4.70048036579 2023-Q1 4.65396035016 2023-Q2 4.69134788223 2023-Q3 4.68213122712 2023-Q4 4.75359019111 2024-Q1 4.7184988713 2024-Q2 4.74493212836"

# ---- aggregation, and the missing-period rule ------------------------------
# Quarters of prod: 2023-Q1 10+12+14 = 36 (avg 12, ends 14), Q2 16+18+20 =
# 54 (18, 20), Q3 22+24+26 = 72 (24, 26), Q4 28+30+32 = 90 (30, 32),
# 2024-Q1 12+16+18 = 46 (avg 15.3333333333, ends 18) with the revised
# February; 2024-Q2 has no May: left out, and said.
series "Q sum" "prod --frequency Q --aggregate sum" \
    "2023-Q1 36 2023-Q2 54 2023-Q3 72 2023-Q4 90 2024-Q1 46"
series "Q avg" "prod --frequency Q --aggregate avg" \
    "2023-Q1 12 2023-Q2 18 2023-Q3 24 2023-Q4 30 2024-Q1 15.3333333333"
series "Q avg by default" "prod --frequency Q" \
    "2023-Q1 12 2023-Q2 18 2023-Q3 24 2023-Q4 30 2024-Q1 15.3333333333"
series "Q eop" "prod --frequency Q --aggregate eop" \
    "2023-Q1 14 2023-Q2 20 2023-Q3 26 2023-Q4 32 2024-Q1 18"
# Years of prod: 2023 = 10+12+...+32 = 12*21 = 252, avg 21, ends 32; 2024
# lacks May and July to December.
series "A sum" "prod --frequency A --aggregate sum" "2023 252"
series "A avg" "prod --frequency A --aggregate avg" "2023 21"
series "A eop" "prod --frequency A --aggregate eop" "2023 32"
# Years of gdp from quarters: 2022 = 100+104+103+110 = 417 (avg 104.25,
# ends 110), 2023 = 105+109+108+116 = 438 (109.5, 116); 2024 has two.
series "Q to A sum" "gdp --frequency A --aggregate sum" "2022 417 2023 438"
series "Q to A avg" "gdp --frequency A --aggregate avg" "2022 104.25 2023 109.5"
series "Q to A eop" "gdp --frequency A --aggregate eop" "2022 110 2023 116"
# Aggregated, then transformed: (438/417 - 1)*100 = 5.03597122302
series "A sum pc1" "gdp --frequency A --aggregate sum --transform pc1" \
    "2023 5.03597122302"
# The same month is the quarter's month: M stays M.
series "M as is" "prod --frequency M --transform chg" \
    "2023-02 2 2023-03 2 2023-04 2 2023-05 2 2023-06 2 2023-07 2 2023-08 2 2023-09 2 2023-10 2 2023-11 2 2023-12 2 2024-01 -20 2024-02 4 2024-03 2 2024-04 2"

err=$("$bin" show -d "$ds" prod --frequency Q --aggregate sum 2>&1 >/dev/null)
is "missing month said" "$err" "almanac show: prod: Robot production, quarterly sum (10k units): 1 quarter with a sub-period missing, not aggregated"
err=$("$bin" show -d "$ds" prod --frequency A --transform pc1 2>&1 >/dev/null)
is "missing year said" "$err" "almanac show: prod: Robot production, annual average, percent change from a year ago (%): 1 year with a sub-period missing, not aggregated; 1 period without the figure the formula compares with"

# A partial-year cumulative is compared with the same months a year
# before: (217/190 - 1)*100 = 14.2105263158; never aggregated to a year.
series "span pc1" "ytd --transform pc1" "2024-01/2024-10 14.2105263158"
out=$("$bin" show -d "$ds" ytd --frequency A 2>&1)
is "span not aggregated: status" "$?" 1
is "span not aggregated" "$out" "almanac: --frequency: ytd is a partial-year (span) series: it cannot be given at frequency A (monthly series aggregate to Q or A, quarterly ones to A; partial-year cumulatives, days and irregular dates are never aggregated)"

# ---- --as-of: each vintage transformed from what was known then ------------
# As of 2024-05-31 February was still 15: 2024-Q1 = 12+15+18 = 45, and
# pc1 = (45/36 - 1)*100 = 25; after the revision (46/36 - 1)*100 =
# 27.7777777778; before 2024-05-15 there is no 2024 figure at all.
series "as-of before revision" \
    "prod --frequency Q --aggregate sum --transform pc1 --as-of 2024-05-31" \
    "2024-Q1 25"
series "as-of after revision" \
    "prod --frequency Q --aggregate sum --transform pc1 --as-of 2024-06-30" \
    "2024-Q1 27.7777777778"
series "as-of before release" \
    "prod --frequency Q --aggregate sum --transform pc1 --as-of 2024-04-30" ""
# Every vintage of the transformed figure, with its date.
vint=$("$bin" show -d "$ds" prod --frequency Q --aggregate sum --transform pc1 --vintages --format csv 2>/dev/null |
    awk -F, 'NR > 1 { printf "%s %s %s;", $1, $2, $5 }')
is "vintages" "$vint" "2024-Q1 25 2024-05-15;2024-Q1 27.777777777777768 2024-06-15;"

# ---- corrections and retractions of the figures a point came from ----------
ds2=$work/ds2
cp -R "$src/tests/cli/fixtures/tx" "$ds2"
"$bin" correct -d "$ds2" --indicator gdp --period 2023-Q1 --value 106 \
    --note "typed 105 for 106" --recorded 2024-09-01 >/dev/null 2>&1
"$bin" retract -d "$ds2" --indicator gdp --period 2022-Q1 \
    --note "never published" --recorded 2024-10-01 >/dev/null 2>&1
# series2 WHAT AS-OF WANT: as series, on ds2, for gdp --transform pc1.
series2() {
    local got
    got=$("$bin" show -d "$ds2" gdp --transform pc1 --as-of "$2" --format csv 2>/dev/null |
        awk -F, 'NR > 1 && $1 == "2023-Q1" { print $2 }')
    is "$1" "$got" "$3"
}
# Before the correction (105/100 - 1)*100 = 5; after it (106/100 - 1)*100
# = 6 (5.000000000000004 and 6.000000000000005 in doubles); after the
# retraction of 2022-Q1, 2023-Q1 has no year-ago figure: no pc1 at all.
series2 "before the correction" 2024-08-31 5.000000000000004
series2 "after the correction" 2024-09-30 6.000000000000005
series2 "after the retraction" 2024-10-31 ""
out=$("$bin" show -d "$ds2" gdp --transform pc1 --vintages --format csv 2>/dev/null |
    awk -F, 'NR > 1 && $1 == "2023-Q1" { printf "%s %s %s;", $2, $5, $9 }')
# Each computed figure, then its retraction when 2022-Q1 was withdrawn.
is "the story of a computed figure" "$out" "5.000000000000004 2024-08-01 ;5.000000000000004 2024-08-01 2024-10-01;6.000000000000005 2024-09-01 ;6.000000000000005 2024-09-01 2024-10-01;"

# ---- the options in every command -------------------------------------------
# fit: the series fitted is the transformed one (6 points of pc1).
out=$("$bin" fit -d "$ds" gdp --transform pc1 --format csv 2>/dev/null)
has "fit on pc1" "$out" ",6,"
out=$("$bin" fit -d "$ds" gdp --transform pc1 2>/dev/null)
has "fit title" "$out" "gdp: Output, percent change from a year ago (%)"
# export: the wide layout of two transformed series.
out=$("$bin" export -d "$ds" --layout wide --frequency A --aggregate sum 2>/dev/null)
has "export wide header" "$out" "period,prod,gdp"
has "export wide 2022" "$out" "2022,,417"
has "export wide 2023" "$out" "2023,252,438"
err=$("$bin" export -d "$ds" --frequency A 2>&1 >/dev/null)
has "export says what it left out" "$err" "ytd: left out: ytd is a partial-year (span) series"
# report: the transformed series, titled by what was done.
"$bin" report -d "$ds" -o "$work/r.md" --no-charts --transform pc1 2>/dev/null
has "report title" "$(cat "$work/r.md")" "Output, percent change from a year ago"
has "report unit" "$(cat "$work/r.md")" "5.505 %"
has "report says what was done" "$(cat "$work/r.md")" "Figures computed by Almanac from the published ones: percent change from a year ago; per vintage, as of each date."
# track: a target is in the indicator's unit and at its frequency.
out=$("$bin" track -d "$ds" gdp --transform pc1 2>&1)
is "track transform: status" "$?" 1
is "track transform refused" "$out" "almanac: --transform: the target of gdp for 2025-Q4 is in its own unit (CNY bn), not in %, the unit of --transform pc1: track gdp without --transform, or declare the transformed series as an indicator with its own targets"
out=$("$bin" track -d "$ds" gdp --frequency A 2>&1)
is "track frequency refused" "$out" "almanac: --frequency: the target of gdp for 2025-Q4 is not a period of frequency A: track gdp at its own frequency Q"
out=$("$bin" track -d "$ds" gdp --frequency Q --format csv 2>&1)
has "track at its own frequency" "$out" "gdp,2025-Q4,130,>="

# ---- --unit: another scale of the same unit -----------------------------------
# 104 CNY bn = 0.104 CNY tn; 2023's 252 (10k units) = 2,520,000 units =
# 2.52 million units; the target of 130 CNY bn is 0.13 CNY tn.
series "unit CNY tn" "gdp --unit 'CNY tn'" \
    "2022-Q1 0.1 2022-Q2 0.104 2022-Q3 0.103 2022-Q4 0.11 2023-Q1 0.105 2023-Q2 0.109 2023-Q3 0.108 2023-Q4 0.116 2024-Q1 0.112 2024-Q2 0.115"
series "unit after aggregation" \
    "prod --frequency A --aggregate sum --unit 'million units'" "2023 2.52"
out=$("$bin" show -d "$ds" gdp --unit 'CNY tn' --format csv 2>/dev/null | sed -n 3p)
is "converted exactly" "$out" "2022-Q2,0.104,,,2024-08-01,s3,,2024-11-15"
out=$("$bin" show -d "$ds" gdp --unit 'CNY tn' 2>/dev/null | head -1)
is "unit shown" "$out" "gdp: Output (CNY tn; level, frequency Q)"
out=$("$bin" track -d "$ds" gdp --unit 'CNY tn' --format csv 2>/dev/null | cut -d, -f1-4 | tail -1)
is "target converted" "$out" "gdp,2025-Q4,0.13,>="
out=$("$bin" show -d "$ds" gdp --unit 'USD bn' 2>&1)
is "unit of another base: status" "$?" 1
is "unit of another base" "$out" "almanac: --unit: gdp: cannot convert 'CNY bn' to 'USD bn': they are not scales of one unit (CNY bn is in 'CNY', USD bn in 'USD'); scales are k, 10k, mn, bn, tn, 万, 亿 and 万亿"
out=$("$bin" show -d "$ds" gdp --transform pc1 --unit 'CNY' 2>&1)
has "a rate has no scale" "$out" "cannot convert '%' to 'CNY'"
# ---- chart: a level and its growth on two axes ---------------------------------
"$bin" chart -d "$ds" gdp --transform pc1 --with-level --script "$work/two.gp" 2>/dev/null
check_sh "grep -q 'axes x1y2 with linespoints' '$work/two.gp'" "with-level: level on the right axis"
check_sh "grep -q \"'level: CNY bn, right axis'\" '$work/two.gp'" "with-level: the level's unit"
check_sh "grep -q \"'Output, percent change from a year ago'\" '$work/two.gp'" "with-level: the growth's title"
# The level of a quarterly sum of months, beside its growth: 2023-Q1 36
# (10k units) = 360,000 units, drawn as 360 at the readable scale,
# thousand units.
"$bin" chart -d "$ds" prod --frequency Q --aggregate sum --transform pc1 --with-level --script "$work/prod.gp" 2>/dev/null
check_sh "grep -q '^2023.125 360$' '$work/prod.gp'" "with-level: the aggregated level"
check_sh "grep -q \"'level: thousand units, right axis'\" '$work/prod.gp'" "with-level: a readable scale"
out=$("$bin" chart -d "$ds" gdp --with-level -o - 2>&1)
is "with-level alone: status" "$?" 1
is "with-level alone" "$out" "almanac: --with-level: draws a series' level beside its transformation: give --transform too (pc1, pch, ...)"

# ---- bad values list the valid ones ------------------------------------------
for c in fit track chart export report show; do
    a=""
    [ "$c" = show ] && a=gdp
    [ "$c" = chart ] || [ "$c" = report ] && a="$a -o -"
    # shellcheck disable=SC2086
    out=$("$bin" $c -d "$ds" $a --transform pct 2>&1)
    is "$c --transform pct: status" "$?" 1
    is "$c --transform pct" "$out" "almanac: --transform: unknown transformation 'pct': expected lin, chg, ch1, pch, pc1, pca, cch, cca or log"
    # shellcheck disable=SC2086
    out=$("$bin" $c -d "$ds" $a --frequency W 2>&1)
    is "$c --frequency W" "$out" "almanac: --frequency: unknown frequency 'W': expected A (annual), Q (quarterly) or M (monthly)"
    # shellcheck disable=SC2086
    out=$("$bin" $c -d "$ds" $a --frequency A --aggregate median 2>&1)
    is "$c --aggregate median" "$out" "almanac: --aggregate: unknown aggregation 'median': expected avg, sum or eop"
done
out=$("$bin" show -d "$ds" gdp --aggregate sum 2>&1)
is "aggregate without frequency" "$out" "almanac: --aggregate: --aggregate says how to reach a lower frequency: give it with --frequency Q or A"
out=$("$bin" show -d "$ds" gdp --frequency M 2>&1)
is "quarterly to monthly" "$out" "almanac: --frequency: gdp is a quarterly series: it cannot be given at frequency M (monthly series aggregate to Q or A, quarterly ones to A; partial-year cumulatives, days and irregular dates are never aggregated)"

# The pipeline's notes, one per indicator, are listed ten times, then
# counted: 12 annual series of two figures each leave 12 notes (no year
# before the first figure), so 10 lines and "2 more".
many=$work/many
mkdir -p "$many"
cp "$ds/sources.csv" "$many/"
awk 'BEGIN {
    print "id,title,unit,kind,frequency" > "'"$many"'/indicators.csv"
    print "indicator,period,value,qualifier,status,source,vintage,quote" > "'"$many"'/observations.csv"
    for (i = 0; i < 12; i++) {
        printf "a%02d,A%02d,units,level,A\n", i, i > "'"$many"'/indicators.csv"
        printf "a%02d,2022,10,,,s1,2024-01-20,\na%02d,2023,11,,,s1,2024-01-20,\n", i, i > "'"$many"'/observations.csv"
    }
}'
head -n 1 "$ds/targets.csv" >"$many/targets.csv"
err=$("$bin" export -d "$many" --transform pc1 -o "$work/many.csv" 2>&1)
is "notes listed ten times" "$(printf '%s\n' "$err" | grep -c '^almanac export: a[0-9][0-9]: ')" 10
has "then counted" "$err" "almanac export: and 2 more indicators with a note like these (name an indicator to see its own)"

# Nothing is ever written to the dataset.
check "dataset unchanged" diff -r -x .almanac.lock "$src/tests/cli/fixtures/tx" "$ds"
finish
