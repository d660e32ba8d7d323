#!/usr/bin/env bash
# The manual pages against the program (man/README.md). For every --help
# text the pages define (MAN_DIR/units.txt, written by man/mangen.c):
#   - `almanac CMD [VERB] --help` prints exactly the text written from the
#     page (MAN_DIR/help/...), so the program says what the page says;
#   - the options the program's getopt table holds (the shared ones of
#     cli.c the command takes and its own struct cli_opt table, as
#     OPTDUMP, the program linked with tests/man/optdump.c, prints them)
#     are the options the page documents, each with a value or without
#     one as the page shows it: none undocumented, none that does not
#     exist.
# Then: every command of cli.h and of `almanac --help` has its page and
# the reverse; each page renders with groff -ww without a warning, with
# man -l, lexgrog reads its NAME, and mandoc -Tlint finds nothing when
# mandoc is installed.
# Last, mangen refuses a malformed page, naming the file and line.
# Usage: man.sh ALMANAC OPTDUMP MAN_DIR SOURCE_DIR MANGEN
set -u
bin=$1
optdump=$2
mandir=$3
src=$4
mangen=$5
export LC_ALL=C TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# The options of the program's table for "CMD [VERB]", one a line,
# "--name=" for one taking a value, without -h and --help.
program_options() {
    # shellcheck disable=SC2086
    "$optdump" $1 </dev/null | grep -vx -e '--help' -e '-h' | sort -u
}

# Compares the page's options ($2, words) with the program's ($3, lines)
# for "CMD [VERB]" ($1); prints each difference; fails when there is one.
compare_options() {
    local what=$1 page=$2 prog=$3 diffs
    diffs=$(diff <(printf '%s\n' $page | sort -u) <(printf '%s\n' "$prog") |
        sed -n 's/^< \(.*\)/documented in the page but not in the program: \1/p
                s/^> \(.*\)/in the program but not documented in the page: \1/p')
    [ -z "$diffs" ] && return 0
    printf '%s\n' "$diffs" | sed "s|^|almanac $what: |"
    return 1
}

[ -s "$mandir/units.txt" ] || fail "no $mandir/units.txt"
while IFS=$'\t' read -r help words options; do
    what=${words:-(almanac)}
    # --help equals the text written from the page.
    # shellcheck disable=SC2086
    "$bin" $words --help >"$work/help.out" 2>"$work/help.err"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$work/help.out" "$mandir/$help" &&
        [ ! -s "$work/help.err" ]; then
        ok
    else
        fail "almanac $words --help (exit $rc) differs from $help:"
        diff "$mandir/$help" "$work/help.out" | head -20
    fi
    [ -z "$words" ] && continue # almanac itself: no getopt table
    prog=$(program_options "$words")
    if [ -z "$prog" ]; then
        fail "$optdump $words printed no options"
    elif out=$(compare_options "$words" "$options" "$prog"); then
        ok
    else
        fail "$out"
    fi
done <"$mandir/units.txt"

# The comparison can fail: an option taken out of a page, or one added,
# or a flag documented as taking a value, is reported.
prog=$(program_options fit)
page=$(awk -F'\t' '$2 == "fit" { print $3 }' "$mandir/units.txt")
if compare_options fit "${page/ --to=/}" "$prog" >/dev/null; then
    fail "a page without fit's --to passes"
else ok; fi
if compare_options fit "$page --bogus" "$prog" >/dev/null; then
    fail "a page with a --bogus option passes"
else ok; fi
prog=$(program_options show)
page=$(awk -F'\t' '$2 == "show" { print $3 }' "$mandir/units.txt")
if compare_options show "${page/--vintages/--vintages=}" "$prog" >/dev/null; then
    fail "show --vintages documented with a value passes"
else ok; fi

# Every command has its page and is in `almanac --help`, and the reverse.
sed -n 's/^int cmd_\([a-z]*\)(int argc, char \*\*argv);$/\1/p' \
    "$src/engine/cli/cli.h" | sort >"$work/commands"
[ -s "$work/commands" ] || fail "no cmd_ declarations read from cli.h"
(cd "$mandir" && ls almanac-*.1) | sed 's/^almanac-\(.*\)\.1$/\1/' |
    sort >"$work/pages"
"$bin" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p' |
    sort >"$work/listed"
if cmp -s "$work/commands" "$work/pages"; then ok; else
    fail "commands of cli.h (<) and pages (>) differ:"
    diff "$work/commands" "$work/pages"
fi
if cmp -s "$work/commands" "$work/listed"; then ok; else
    fail "commands of cli.h (<) and of almanac --help (>) differ:"
    diff "$work/commands" "$work/listed"
fi

# Every page renders cleanly (man in a UTF-8 locale: the pages have
# Chinese words, which an ASCII terminal cannot show).
pages=$(cd "$mandir" && ls almanac*.[15])
[ "$(printf '%s\n' "$pages" | wc -l)" -eq $(($(wc -l <"$work/pages") + 2)) ] &&
    ok || fail "expected almanac.1, almanac.5 and a page per command: $pages"
for p in $pages; do
    f=$mandir/$p
    if command -v groff >/dev/null; then
        groff -man -Tutf8 -ww -z "$f" 2>"$work/groff.err"
        if [ $? -eq 0 ] && [ ! -s "$work/groff.err" ]; then ok; else
            fail "groff -ww $p: $(cat "$work/groff.err")"
        fi
    fi
    if command -v man >/dev/null; then
        name=${p%.*}
        LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" 2>"$work/man.err" >"$work/man.out"
        if [ ! -s "$work/man.err" ] && grep -q "^NAME" "$work/man.out" &&
            grep -q "^       $name - " "$work/man.out"; then ok; else
            fail "man -l $p: $(cat "$work/man.err")"
        fi
        # The rendered page is ASCII but for what the source has in
        # another script (almanac.5's Chinese words): no stray quotes.
        if grep -q $'\xe2\x80[\x98\x99\x9c\x9d]' "$work/man.out"; then
            fail "man -l $p: typographic quotes where the source has ASCII"
        else ok; fi
    fi
    if command -v lexgrog >/dev/null; then
        out=$(lexgrog "$f" 2>&1)
        case $out in
        *": \"${p%.*} - "*) ok ;;
        *) fail "lexgrog $p: $out" ;;
        esac
    fi
    if command -v mandoc >/dev/null; then
        out=$(mandoc -Tlint -W warning "$f" 2>&1)
        if [ -z "$out" ]; then ok; else fail "mandoc -Tlint $p: $out"; fi
    fi
done

# mangen stops the build on a malformed page: exit 1 and FILE:LINE.
wide=$(printf 'w%.0s' $(seq 1 60))
bad_page() { # NAME EXPECTED-MESSAGE TEXT
    printf '%s' "$3" >"$work/almanac-$1.1.txt"
    out=$("$mangen" 1 2000-01-01 "$work/out-$1" "$work/almanac-$1.1.txt" 2>&1)
    rc=$?
    case $rc:$out in
    "1:mangen: $2"*) ok ;;
    *) fail "mangen on the page '$1': exit $rc, '$out', expected '$2'" ;;
    esac
}
bad_page wide "almanac-wide.1.txt:3: line 4 of the --help text" \
    $'.page almanac-wide 1\n.summary s\n.usage\nalmanac wide [--a]\n.options\n--a\n    '"$wide"$'\n'
bad_page stray "almanac-stray.1.txt:3: text outside" \
    $'.page almanac-stray 1\n.summary s\nstray text\n'
bad_page synopsis "almanac-synopsis.1.txt:4: a synopsis line starts with 'almanac synopsis'" \
    $'.page almanac-synopsis 1\n.summary s\n.usage\nalmanac other\n'
bad_page commands "almanac-commands.1.txt:6: .commands: no page almanac-nope" \
    $'.page almanac-commands 1\n.summary s\n.usage\nalmanac commands\n.description\n.commands nope\n'
bad_page tab "almanac-tab.1.txt:2: a control character" \
    $'.page almanac-tab 1\n.summary\ts\n'
bad_page include "cannot open $work/none.txt" \
    $'.page almanac-include 1\n.summary s\n.section A\n.include none.txt\n'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
