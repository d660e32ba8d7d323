#!/usr/bin/env bash
# Builds Almanac and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh valgrind python3 python3-openpyxl chromium man-db mandoc
scripts/build.sh >/dev/null
cd build
LC_ALL=C TZ=UTC ctest --output-on-failure -j"$(nproc)"
