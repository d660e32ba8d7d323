#!/usr/bin/env bash
# completions/almanac.bash driven as bash drives it: the function that
# `complete -p almanac` names is called with COMP_WORDS/COMP_CWORD set as
# for the typed line, and COMPREPLY is compared with what was expected
# (read by eye from `almanac --help`, the commands' --help texts and the
# datasets' indicators.csv).
# Run by ctest as: completion.sh ALMANAC_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
unset ALMANAC_DATASET
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
# The program as "almanac" on the PATH, as once installed.
mkdir "$work/bin"
ln -s "$bin" "$work/bin/almanac"
PATH=$work/bin:$PATH
# shellcheck source=../../completions/almanac.bash
source "$src/completions/almanac.bash"
func=$(complete -p almanac | sed -n 's/.*-F \([^ ]*\) almanac$/\1/p')
[ -n "$func" ] && ok || fail "complete -p almanac: $(complete -p almanac)"

# The completions of a line typed up to its end (the last word is the one
# completed; a line ending in a space completes an empty word), one a line
# and sorted.
completions() {
    local line=$1
    read -r -a COMP_WORDS <<<"$line"
    [ "${line: -1}" = " " ] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    "$func" almanac "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    [ ${#COMPREPLY[@]} = 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
is() {
    local got
    got=$(completions "$1" | tr '\n' ' ')
    [ "$got" = "$2" ] && ok || fail "'$1': got '$got', expected '$2'"
}

ds=$src/datasets/china-2024
# Commands.
is "almanac fi" "fit "
is "almanac e" "export extract "
is "almanac re" "regress report retract "
is "almanac -d $ds ch" "chart check "
# The curation nouns (a command whose name fills the column), their verbs
# and each verb's own options.
is "almanac in" "indicator init "
is "almanac indicator " "--help add list set "
is "almanac target " "--help add list "
is "almanac indicator add --fr" "--frequency "
is "almanac -d $ds source set --pu" "--publisher "
# Options of the command being typed, and only of it.
is "almanac chart --ty" "--type "
is "almanac fit --mo" "--model "
is "almanac export --pro" "--projections "
is "almanac fit --vin" ""
is "almanac show --vin" "--vintages "
# (import takes --dataset too, which its --help now lists with the others)
is "almanac import --d" "--dataset --decimal --delimiter --dry-run "
# Values of options.
is "almanac fit --model lo" "logistic loglinear "
is "almanac chart --type p" "pdf png "
is "almanac export --layout " "long wide "
is "almanac track --method e" "eurostat "
is "almanac show --transform pc" "pc1 pca pch "
is "almanac export --aggregate " "avg eop sum "
is "almanac chart --with" "--with-level "
# Ids of the dataset given by -d, of $ALMANAC_DATASET, of the current folder.
is "almanac show -d $ds sei_" "sei_va_share_gdp_pct sei_va_share_gdp_pct_zhou "
is "almanac fit -d $ds htm" "htm_va_yoy_pct htm_va_yoy_pct_janfeb "
is "almanac chart sei_va_share_gdp_pct -d $ds national_" \
    "national_adv_mfg_clusters_count national_hitech_zones_count "
is "almanac add -d $ds --indicator nev_production_units_" \
    "nev_production_units_caam nev_production_units_catarc nev_production_units_janfeb nev_production_units_miit nev_production_units_nbs "
ALMANAC_DATASET=$ds is "almanac fit shanghai" "shanghai_future_industry_scale_cny "
cd "$ds" || exit 1
is "almanac show charg" "charging_piles_production_yoy_pct_janfeb "
cd "$work" || exit 1
# A quoted field over several lines: its inner lines are not ids.
mkdir "$work/ds"
printf 'id,title,unit,kind,frequency,scope,notes\na_one,A,%%,share,A,,"two\nb_fake, lines"\nb_two,B,%%,share,A,,\n' \
    >"$work/ds/indicators.csv"
is "almanac show -d $work/ds " "a_one b_two "
is "almanac show -d $work/ds b" "b_two "
# No dataset there: no ids, no error.
is "almanac show -d $work/none " ""

echo "$passed passed, $failed failed"
[ $failed = 0 ]
