#!/usr/bin/env bash
# Terminal control characters from data never reach a terminal: a title
# and a quote holding an OSC title sequence, BEL, a clear-screen sequence
# and a C1 control are shown escaped ("\x1B", "\u0085") by show, list,
# fit and track in their tables for people, kept exactly in CSV; and
# `add` refuses them in an option (tab and LF are allowed), changing
# nothing.
# Run by ctest as: controls.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"
rm -f "$ds/.almanac.lock"
evil=$'\e]0;owned\a\e[2J\xc2\x85'
shown='\x1B]0;owned\x07\x1B[2J\u0085' # how a table shows it, by hand
# The title of share and a quote of share hold it (written as a file
# would hold them: add refuses them, below).
sed -i "s/^share,Strategic/share,T${evil}T Strategic/" "$ds/indicators.csv"
sed -i "s/,revised\$/,Q${evil}Q revised/" "$ds/observations.csv"
check "the dataset is valid" "$bin" check -d "$ds"
no_control() { # no_control FILE: no byte ESC, BEL or C1 U+0085 in FILE
    ! LC_ALL=C grep -q $'[\e\a]\|\xc2\x85' "$1"
}
for cmd in "show share" "show share --vintages" "list" "fit share" "track"; do
    name=${cmd// /_}
    $bin $cmd -d "$ds" >"$work/$name.out" 2>"$work/$name.err"
    st=$?
    check "$cmd exits 0 ($(cat "$work/$name.err"))" [ $st = 0 ]
    check "$cmd: no control character on the terminal" no_control "$work/$name.out"
done
check "show: the title, escaped" grep -qF "T${shown}T Strategic" "$work/show_share.out"
check "show --vintages: the quote, escaped" grep -qF "Q${shown}Q revised" "$work/show_share_--vintages.out"
check "fit: the title, escaped" grep -qF "T${shown}T Strategic" "$work/fit_share.out"
# CSV is for programs: the text exactly.
"$bin" show share -d "$ds" --vintages --format csv >"$work/show.csv"
check "show --format csv: the quote exactly" grep -qF "Q${evil}Q revised" "$work/show.csv"
# add refuses them in any option; tab and LF are text.
cp -R "$ds" "$work/before"
for bad in $'\e[2J' $'\a' $'\r' $'\x7f' $'\xc2\x9b'; do
    "$bin" add -d "$ds" --indicator zones --period 2031 --value 1 --source xinhua \
        --quote "a${bad}b" >/dev/null 2>"$work/err"
    st=$?
    check "add --quote with $(printf %q "$bad"): exits 1 (got $st)" [ $st = 1 ]
    check "add --quote with $(printf %q "$bad"): says why ($(cat "$work/err"))" \
        grep -q -- "--quote: holds the control character U+00[0-9A-F][0-9A-F] at byte 2" "$work/err"
done
check "refused adds left the dataset as it was" \
    diff -r -x .almanac.lock "$work/before" "$ds"
"$bin" add -d "$ds" --indicator zones --period 2031 --value 1 --source xinhua \
    --quote $'a\tb\nc' >/dev/null 2>"$work/err"
st=$?
check "add --quote with a tab and a line break: exits 0 ($(cat "$work/err"))" [ $st = 0 ]
"$bin" show zones -d "$ds" >"$work/zones.out"
check "show: the tab and line break as spaces" grep -qF "a b c" "$work/zones.out"
finish
