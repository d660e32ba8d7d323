# The prelude of the install tests (sourced after their arguments are
# read): skipped (exit 77) without gnuplot, a work folder removed on exit,
# the C locale and UTC, none of Almanac's environment overrides, and the
# counters of ok and fail, which the test prints at its end.
command -v gnuplot >/dev/null || {
    echo "gnuplot not found: skipped"
    exit 77
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
unset ALMANAC_PLOTS ALMANAC_LEXICON ALMANAC_GNUPLOT ALMANAC_DATASET
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
