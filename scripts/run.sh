#!/usr/bin/env bash
# The main job: build Almanac, check the shipped dataset, and write its
# report (HTML, charts inline) to out/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
dataset=${1:-datasets/china-2024}
mkdir -p out
build/engine/almanac check -d "$dataset"
build/engine/almanac report -d "$dataset" -o out/report.html --to 2030
build/engine/almanac report -d "$dataset" -o - --to 2030
echo "The report is in $(pwd)/out/report.html"
