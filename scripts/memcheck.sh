#!/usr/bin/env bash
# The whole test suite under valgrind memcheck, no leak allowed: a Debug
# build without sanitizers in build-memcheck/, then
#  1. `ctest -T memcheck` on the C test programs (unit, cert and the fuzz
#     corpus replays): valgrind runs each, and a definite or indirect leak
#     or any memory error fails it (MEMORYCHECK_COMMAND_OPTIONS);
#  2. the CLI tests with almanac itself under valgrind (tests/memcheck.cmake
#     puts a valgrind wrapper in the place of the binary), except those
#     labelled no-memcheck (tests/CMakeLists.txt says why);
#  3. every valgrind report of step 2 must be empty.
# Usage: scripts/memcheck.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh valgrind python3 >&2
dir=${BUILD_DIR:-build-memcheck}
opts="--leak-check=full --errors-for-leak-kinds=definite,indirect"
opts="$opts --show-leak-kinds=definite,indirect --error-exitcode=1 --track-origins=yes"
BUILD_DIR=$dir BUILD_TYPE=Debug scripts/build.sh -DALMANAC_SANITIZE=OFF \
    -DALMANAC_MEMCHECK=ON "-DMEMORYCHECK_COMMAND_OPTIONS=$opts" >/dev/null
logs=$dir/valgrind-logs
rm -rf "$logs" "$dir/Testing/Temporary"/MemoryChecker.*
mkdir -p "$logs"
cd "$dir"
export LC_ALL=C TZ=UTC
status=0
echo "== memcheck: the C test programs" >&2
ctest -T memcheck -R '^(unit|cert|fuzz)\.' --output-on-failure -j"$(nproc)" ||
    status=1
echo "== memcheck: the CLI tests, almanac under valgrind" >&2
ctest -R '^cli\.' -LE no-memcheck --output-on-failure -j"$(nproc)" || status=1
cd - >/dev/null
reports=$(find "$logs" -type f -size +0 | sort)
n=$(find "$logs" -type f | wc -l)
if [ -n "$reports" ]; then
    echo "memcheck: valgrind found problems in almanac:" >&2
    for r in $reports; do
        echo "---- $r" >&2
        head -n 60 "$r" >&2
    done
    status=1
fi
echo "memcheck: $n almanac runs under valgrind, $(echo "$reports" | grep -c . || true) with a report" >&2
exit $status
