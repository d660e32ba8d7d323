#!/usr/bin/env bash
# Derived indicators through the commands (issue 15): a derived id taken
# as any other by show, list, fit, export, chart and report, --as-of
# exact through it, shown with its formula and its inputs' sources, and
# the declaration's errors. The figures are worked out by hand from the
# shipped units (observations.csv): NBS 1456000 (2020, vintage
# 2021-03-15) and 3680000 (2021, vintage "2022", whose last day is
# 2022-12-31): (3680000 / 1456000 - 1) * 100 = 152.74725274725273.
. "$(dirname "$0")/lib.sh"

ds=$src/datasets/china-2024
nbs=nev_production_yoy_pct_nbs_from_units
caam=nev_production_yoy_pct_caam_from_units

out=$("$bin" show -d "$ds" $nbs --as-of 2023-01-01 --format csv)
is "show --as-of after both units" "$out" \
    "period,value,qualifier,status,vintage,source,quote,as_of
2021,152.74725274725273,,,2022-12-31,hellenicshippingnews-xinhua-2022-industrial-decade;zol-2021-03-15-nev-2020,derived: pc1(nev_production_units_nbs),2023-01-01"
# Before the 2021 units were published there is no growth to derive.
out=$("$bin" show -d "$ds" $nbs --as-of 2022-06-01 --format csv)
is "show --as-of before them" "$out" "period,value,qualifier,status,vintage,source,quote,as_of"
out=$("$bin" show -d "$ds" $nbs)
has "show names the formula" "$out" \
    "$nbs: New energy vehicle production, growth derived from NBS production units (derived: pc1(nev_production_units_nbs)) (% y/y; growth, frequency A)"

out=$("$bin" list -d "$ds")
has "list marks it" "$out" "$nbs (derived)   2021"
out=$("$bin" list -d "$ds" --format csv)
has "list" "$out" \
    "$nbs,\"New energy vehicle production, growth derived from NBS production units (derived: pc1(nev_production_units_nbs))\",% y/y,growth,A,2021,152.74725274725273,,,2022-12-31,hellenicshippingnews-xinhua-2022-industrial-decade;zol-2021-03-15-nev-2020"

# CAAM: 2016 (517000 / 340471 - 1) * 100 = 51.84846873889406, ...
# 2019 (1242000 / 1270000 - 1) * 100 = -2.2047244094488216; the nine
# growths 2016-2024 sum to 502.05 (51.848 + 53.578 + 59.950 - 2.205 +
# 9.984 + 159.517 + 99.097 + 35.832 + 34.453), a mean of 55.78, which
# auto picks.
out=$("$bin" export -d "$ds" -o - | grep "^$caam,2019,")
is "export" "$out" \
    "$caam,2019,-2.2047244094488216,,,insideevs-2020-01-nev-2019;equalocean-2019-01-15-caam-2018,2020-01-31,derived: pc1(nev_production_units_caam),"
out=$("$bin" fit -d "$ds" $caam --to 2025)
has "fit" "$out" "mean 55.78"
# The whole dataset's CSV (the path that reads a stretch at a time) fits
# the derived series too, with the same mean of the nine growths.
out=$("$bin" fit -d "$ds" --to 2025 --format csv | grep "^$caam,")
is "fit, every indicator in CSV" "${out%%,2025.5,*}" \
    "$caam,mean,9,2025,55.783815886924245,-62.637546221409764,174.20517799525825,95"
check "chart" "$bin" chart -d "$ds" $caam -o "$work/c.svg"

# The report shows the derived NBS growth beside the published one:
# 152.5 (152.45 to 152.55) meets 152.317 to 153.178 (3675000 / 1456500
# and 3685000 / 1455500), so no flag.
"$bin" report -d "$ds" -o "$work/r.md" 2>/dev/null
has "report" "$(cat "$work/r.md")" \
    "| 2021 | 152.5 | victorzhang-2022-11-17-communique-2021, vintage 2022-11-17 | 152.747 | 152.317 to 153.178 | 0.247253 |  |"
# Its citation gives the computed figure in 6 digits (152.74725274725273
# above), not the 17 of its exact value.
has "report cites it in 6 digits" "$(cat "$work/r.md")" \
    "1. 2021: 152.747, published 2022-12-31."

# indicator list prints the table as it is: the formula, not figures.
out=$("$bin" indicator list -d "$ds" --format csv | grep "^$nbs,")
has "indicator list" "$out" ",pc1(nev_production_units_nbs),nev_production_yoy_pct_nbs"

# Declared by command; its figures are never recorded.
"$bin" init "$work/d" >/dev/null
"$bin" source add -d "$work/d" --id s --title S --publisher P --date 2024-01-01 >/dev/null
"$bin" indicator add -d "$work/d" --id a --title A --unit CNY --kind level --frequency A >/dev/null
"$bin" indicator add -d "$work/d" --id b --title B --unit CNY --kind level --frequency A >/dev/null
check "indicator add --formula" "$bin" indicator add -d "$work/d" --id sh \
    --title Share --unit % --kind share --frequency A --formula '100 * a / b'
err=$("$bin" add -d "$work/d" --indicator sh --period 2023 --value 5 --source s 2>&1)
is "add to a derived indicator" "$?" 1
has "add to a derived indicator: message" "$err" "'sh' is derived"
err=$("$bin" indicator add -d "$work/d" --id x --title X --unit % --kind growth \
    --frequency A --formula 'pc1(c)' 2>&1)
has "unknown input" "$err" "almanac: --formula: unknown indicator 'c' in the formula"
"$bin" add -d "$work/d" --indicator a --period 2023 --value 3 --source s >/dev/null
"$bin" add -d "$work/d" --indicator b --period 2023 --value 12 --source s >/dev/null
out=$("$bin" show -d "$work/d" sh --format csv | tail -1)
is "a share of two levels (100 * 3 / 12)" "$out" "2023,25,,,2024-01-01,s,derived: 100 * a / b,2024-01-01"
# An export's rows of a derived indicator import back as present (they
# are computed); a row of one written by hand is refused.
"$bin" export -d "$work/d" -o "$work/all.csv" 2>/dev/null
grep -E '^(indicator|sh),' "$work/all.csv" >"$work/e.csv"
out=$("$bin" import -d "$work/d" "$work/e.csv" 2>&1)
has "import of an export skips the derived rows" "$out" \
    "1 observation already in the dataset from this file"
printf 'indicator,period,value,source\nsh,2025,5,s\n' >"$work/h.csv"
err=$("$bin" import -d "$work/d" "$work/h.csv" 2>&1)
is "import of a derived figure: status" "$?" 1
has "import of a derived figure: message" "$err" \
    "h.csv:2: field 'indicator': 'sh' is derived (its formula is in indicators.csv)"

# A correction of an input (recorded 2024-06-01) changes the derived
# figure from that day on: 100 * 6 / 12 = 50 after, 25 before.
"$bin" correct -d "$work/d" --indicator a --period 2023 --value 6 \
    --note "misread" --recorded 2024-06-01 >/dev/null
out=$("$bin" show -d "$work/d" sh --as-of 2024-03-01 --format csv | tail -1)
is "before the correction" "$out" "2023,25,,,2024-01-01,s,derived: 100 * a / b,2024-03-01"
out=$("$bin" show -d "$work/d" sh --as-of 2024-07-01 --format csv | tail -1)
is "after the correction" "$out" "2023,50,,,2024-06-01,s,derived: 100 * a / b,2024-07-01"

# A share above 100 cannot be recorded: said, with the formula.
"$bin" add -d "$work/d" --indicator a --period 2024 --value 13 --source s >/dev/null
"$bin" add -d "$work/d" --indicator b --period 2024 --value 12 --source s >/dev/null
err=$("$bin" show -d "$work/d" sh 2>&1)
is "a share above 100: status" "$?" 1
has "a share above 100: message" "$err" \
    "indicators.csv:4: field 'formula': derived indicator 'sh': 100 * a / b gives 108.33333333333333 for 2024, which a share cannot be"
err=$("$bin" check -d "$work/d" 2>&1)
is "check: a share above 100: status" "$?" 1
has "check: a share above 100: message" "$err" \
    "indicators.csv:4: field 'formula': derived indicator 'sh': 100 * a / b gives 108.33333333333333 for 2024"

finish
