#!/usr/bin/env bash
# The main job: build Almanac, then validate and list the shipped dataset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
dataset=${1:-datasets/china-2024}
build/engine/almanac check -d "$dataset"
build/engine/almanac list -d "$dataset"
