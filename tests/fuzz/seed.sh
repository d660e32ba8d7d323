#!/usr/bin/env bash
# Writes the seed inputs of every harness into corpus/NAME/seed-*: small
# files from ../shared/data (cut to 4 KiB), the CLI test cases and the
# shipped dataset. Run it once when adding a harness; fuzzing (scripts/
# fuzz.sh) then grows and minimises the corpus around the seeds.
# Usage: tests/fuzz/seed.sh [SHARED_DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${1:-$root/../shared/data}
cases=$root/tests/cli/cases
fixture=$root/tests/cli/fixtures/small
cut() { head -c 4096 "$1"; }
put() { # put HARNESS NAME: standard input to corpus/HARNESS/seed-NAME
    mkdir -p "$here/corpus/$1"
    cat >"$here/corpus/$1/seed-$2"

}
# joined DIR: the four files of a dataset folder, NUL-separated
# (tests/fuzz/dataset_input.h); a file DIR lacks comes from the fixture.
joined() {
    local f first=1
    for f in indicators observations sources targets; do
        [ $first = 1 ] || printf '\0'
        first=0
        if [ -f "$1/$f.csv" ]; then cut "$1/$f.csv"; else cat "$fixture/$f.csv"; fi
    done
}

# Tables: every kind of CSV the project meets.
for f in "$shared"/formats/*/*.csv "$shared"/real/*.csv "$shared"/nist-strd/*.csv \
    "$shared"/extract/*.csv; do
    [ -f "$f" ] && cut "$f" | put table "$(basename "$f")"
done
for f in "$fixture"/*.csv "$root"/datasets/china-2024/*.csv; do
    cut "$f" | put table "$(basename "$(dirname "$f")")-$(basename "$f")"
done
for d in "$cases"/*/files; do
    c=$(basename "$(dirname "$d")")
    find "$d" -type f -name '*.csv' | sort | while read -r f; do
        cut "$f" | put table "$c-$(basename "$f")"
    done
done

# Periods and dates, good and bad.
for p in 2024 2024-Q1 2024-Q4 2024-03 2024-03-26 2024-01/2024-02 2023-11 \
    2024-02-29 2023-02-29 0000 9999 9999-12-31 2024-13 2024-Q5 2024-00 \
    2024-01/2023-12 2024-01/2025-02 2024-1 24 2024-03-32 2024/2025 \
    2024-Q1/2024-Q2 '' ' 2024' 2024-W01 2024-03-26T00:00; do
    printf '%s' "$p" | put period "p-$(printf '%s' "$p" | tr -c 'a-zA-Z0-9-' '_')"
done

# Numbers and the option values.
for x in 7.6 -1e5 1e308 1e309 -0 0.1 nan inf 0x1p3 1,000 +.5 . 5. .5e 1e \
    '1 ' 95 99.99 100 0 poly:3 poly:9 poly: auto linear loglinear logistic \
    drift theil-sen 800x500 10x10 20001x10 x share level count growth index \
    value csv table svg png pdf txt report.html report.MD notes.txt =1+2 \
    @SUM -2 +1 '	tab'; do
    printf '%s' "$x" | put number "x-$(printf '%s' "$x" | tr -c 'a-zA-Z0-9.-' '_')"
done

# Datasets: the fixture, the shipped dataset, every case that brings files.
joined "$fixture" | put dataset fixture
joined "$root/datasets/china-2024" | put dataset china-2024
for d in "$cases"/*/files/ds; do
    [ -d "$d" ] && joined "$d" | put dataset "$(basename "$(dirname "$(dirname "$d")")")"
done
joined "$fixture" | put analysis fixture
joined "$root/datasets/china-2024" | put analysis china-2024

# Imports: the cases' import files and the real long-format history.
for f in "$cases"/*/files/in.csv "$cases"/*/stdin; do
    [ -f "$f" ] && cut "$f" | put import "$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
done
cut "$shared/real/china-history.csv" | put import china-history
"$root"/build/engine/almanac export -d "$fixture" 2>/dev/null | put import fixture-export ||
    true

# Regress: an options line "Y|X|POLY|FLAGS", then the CSV.
for f in "$shared"/nist-strd/*.csv; do
    b=$(basename "$f" .csv)
    case $b in
    certified*|r_lm_check) continue ;;
    Filip) opts='y|x|10|' ;;
    Pontius) opts='y|x|2|' ;;
    Wampler*) opts='y|x|5|' ;;
    NoInt*) opts='y|x||n' ;;
    *) opts='|||' ;;
    esac
    { echo "$opts"; cut "$f"; } | put regress "$b"
done
{ echo '||2|'; cut "$shared/real/china_ev_cars_iea2024_wide.csv"; } | put regress ev-wide

# Journals.
printf 'almanac-journal 1\nobservations.csv\nend\n' | put journal one
printf 'almanac-journal 1\nobservations.csv\nindicators.csv\nend\n' | put journal two
printf 'almanac-journal 1\nobservations.csv\n' | put journal damaged
printf 'almanac-journal 1\n../outside.csv\nend\n' | put journal outside
printf 'almanac-journal 1\n.hidden\nend\n' | put journal hidden
printf 'almanac-journal 1\nend\n' | put journal empty
echo "seed.sh: $(find "$here/corpus" -name "seed-*" | wc -l) seeds" >&2
