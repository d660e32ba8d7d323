#!/usr/bin/env bash
# check on the shipped dataset (issue 13, consistency warnings): every
# warning it prints, compared to the letter. Each was confirmed by reading
# the quotes in observations.csv: line 27, "12.89 million" (Global Times)
# is CAAM's "1288.8万辆" of line 26 rounded, yet the later vintage, the one
# analysis uses; line 36, NBS's 145.6% growth of January 2022 (line 35)
# revised to 152.5% by the Statistical Communique. The growth derived from
# NBS's units, (3680000 / 1456000 - 1) * 100 = 152.7, agrees with 152.5
# within the units' rounding (3.68 million is rounded to 10000): no
# warning. Line 3 is the unknown vintage. Then derived indicators through
# the commands.
. "$(dirname "$0")/lib.sh"

cp -R "$src/datasets/china-2024" "$work/china-2024"
cd "$work" || exit 1
out=$("$bin" check -d china-2024 2>"$work/err")
is "check exit status" "$?" 0
is "check summary" "$out" \
    "china-2024: 17 indicators, 60 observations, 59 sources, 4 targets; 3 warnings"
want='almanac: warning: china-2024/observations.csv:3: field '"'"'vintage'"'"': publication date unknown: the vintage is empty and so is the source'"'"'s date
almanac: warning: china-2024/observations.csv:27: nev_production_units_caam: analysis uses 12890000 (2024, vintage 2025-01-14, globaltimes-2025-01-14-nev-2024), which reads as 12888000 (2024, vintage 2025-01-13, jqman-2025-01-13-nev-2024) rounded to 10000: a less precise figure than the earlier one, unless it revises it
almanac: warning: china-2024/observations.csv:36: nev_production_yoy_pct_nbs: 145.6 (2021, vintage 2022-01-19, whtcotscb-2022-01-19-annual-data-2021) and 152.5 (2021, vintage 2022-11-17, victorzhang-2022-11-17-communique-2021) differ by more than their rounding: a later vintage from another publisher; analysis uses 152.5'
is "check warnings" "$(cat "$work/err")" "$want"

# A growth that disagrees: the same dataset with NBS's 2021 growth said
# to be 150.0 (149.95 to 150.05, below 152.317, the least the units
# allow) warns, naming both figures and the formula.
sed 's/^nev_production_yoy_pct_nbs,2021,152.5,/nev_production_yoy_pct_nbs,2021,150.0,/' \
    china-2024/observations.csv >"$work/o.csv" && cp "$work/o.csv" china-2024/observations.csv
"$bin" check -d china-2024 >/dev/null 2>"$work/err"
has "derived against published" "$(cat "$work/err")" \
    "china-2024/observations.csv:36: nev_production_yoy_pct_nbs_from_units 2021: 152.747 (152.317 to 153.178 by its inputs' rounding) against its same_as nev_production_yoy_pct_nbs 150.0 (2021, vintage 2022-11-17, victorzhang-2022-11-17-communique-2021): more than rounding apart; nev_production_yoy_pct_nbs_from_units = pc1(nev_production_units_nbs) of nev_production_units_nbs: 3680000 (2021, vintage 2022, hellenicshippingnews-xinhua-2022-industrial-decade); 1456000 (2020, vintage 2021-03-15, zol-2021-03-15-nev-2020)"

# A bad declaration is an error of check, at its file, line and field.
cp -R "$src/datasets/china-2024" "$work/bad"
sed 's/,pc1(nev_production_units_caam),$/,pc1(nev_production_units_cam),/' \
    "$src/datasets/china-2024/indicators.csv" >bad/indicators.csv
"$bin" check -d bad >/dev/null 2>"$work/err"
is "bad formula exit status" "$?" 1
has "bad formula message" "$(cat "$work/err")" \
    "almanac: bad/indicators.csv:18: field 'formula': unknown indicator 'nev_production_units_cam' in the formula: add it first (almanac indicator add)"

finish
