#!/usr/bin/env bash
# Runs one CLI golden case: tests/cli/cases/NAME/ holds
#   args             the command line after "almanac" (shell words)
#   fixture          optional: which tests/cli/fixtures/ folder to copy to
#                    ./ds first (default: small; "none" for no dataset)
#   files/           optional: files copied into the work folder (they may
#                    replace fixture files, as files/ds/observations.csv)
#   stdin            optional: standard input
#   expected.stdout, expected.stderr, expected.status
#   expected.files/  optional: files the work folder must hold afterwards,
#                    byte for byte (expected.files/ds/observations.csv is
#                    the dataset's file after the command; out.csv a file
#                    written with -o out.csv)
# The command runs in a fresh work folder. When the status is not 0 the
# dataset must be byte for byte as before. No temporary file of a write
# (*.almanac-tmp*, .almanac-journal*) may remain. UPDATE_GOLDEN=1 rewrites the
# expected files (review the diff before committing).
set -u
bin=$1
case_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fixture=small
[ -f "$case_dir/fixture" ] && fixture=$(cat "$case_dir/fixture")
if [ "$fixture" != none ]; then
    cp -R "$here/fixtures/$fixture" "$work/ds"
fi
[ -d "$case_dir/files" ] && cp -R "$case_dir/files/." "$work/"
[ -d "$work/ds" ] && cp -R "$work/ds" "$work/.before"

stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin="$case_dir/stdin"
eval "set -- $(cat "$case_dir/args")"
(cd "$work" && LC_ALL=C TZ=UTC "$bin" "$@" <"$stdin" >"$work/.stdout" 2>"$work/.stderr")
status=$?

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/.stdout" "$case_dir/expected.stdout"
    cp "$work/.stderr" "$case_dir/expected.stderr"
    echo "$status" >"$case_dir/expected.status"
fi

fail=0
diff -u "$case_dir/expected.stdout" "$work/.stdout" || fail=1
diff -u "$case_dir/expected.stderr" "$work/.stderr" || fail=1
want=$(cat "$case_dir/expected.status")
if [ "$status" != "$want" ]; then
    echo "exit status $status, expected $want"
    fail=1
fi
if [ -d "$case_dir/expected.files" ]; then
    while IFS= read -r f; do
        if [ "${UPDATE_GOLDEN:-0}" = 1 ] && [ -f "$work/$f" ]; then
            cp "$work/$f" "$case_dir/expected.files/$f"
        fi
        if [ ! -f "$work/$f" ]; then
            echo "$f: not written"
            fail=1
        elif ! cmp -s "$case_dir/expected.files/$f" "$work/$f"; then
            diff -u "$case_dir/expected.files/$f" "$work/$f" || true
            echo "$f: differs from expected.files/$f"
            fail=1
        fi
    done < <(cd "$case_dir/expected.files" && find . -type f | sed 's|^\./||' | sort)
fi
# Whatever the status, no write may leave its temporary files behind.
leftovers=$(cd "$work" && find . \( -name '*.almanac-tmp*' -o \
    -name '.almanac-journal*' \) -print)
if [ -n "$leftovers" ]; then
    echo "temporary files left behind:" $leftovers
    fail=1
fi
if [ "$status" != 0 ] && [ -d "$work/.before" ]; then
    # Lock files may appear; nothing else may change.
    rm -f "$work/ds/.almanac.lock" "$work/.before/.almanac.lock"
    if ! diff -r "$work/.before" "$work/ds"; then
        echo "the dataset changed although the command failed"
        fail=1
    fi
fi
exit $fail
