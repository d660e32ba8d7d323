#!/usr/bin/env bash
# What sits at a file's name: a dataset from a tarball or a git clone may
# hold symbolic links and FIFOs, and an output name may be a device, a
# FIFO or a link. Almanac writes nothing outside the dataset, never
# follows a link at a temporary name, the journal or the lock, refuses a
# dataset file that is not a regular file (without waiting on a FIFO), and
# never replaces a non-regular file at -o: a device or a FIFO is written
# directly, a link is followed to what it names (README, "Outputs").
# Everything runs twice when run as root: as root, and as nobody (setpriv)
# with its files in a folder of its own under /tmp, since permissions
# change what open() does; as another user, once, saying why.
# Run by ctest as: files.sh ALMANAC_BINARY SOURCE_DIR
# (inner run: files.sh ALMANAC_BINARY FIXTURE_DIR --inner WORK)
set -u
export LC_ALL=C TZ=UTC

if [ "${3:-}" = --inner ]; then
    bin=$1
    fixture=$2
    work=$4
    fail_tag=$(id -un)
    . "$(dirname "$0")/lib.sh"
    files="indicators.csv observations.csv sources.csv targets.csv"
    fresh() { # fresh NAME: a copy of the fixture in $ds, $out the outside
        ds=$work/$1
        out=$work/$1.outside
        rm -rf "$ds" "$out"
        cp -R "$fixture" "$ds"
        rm -f "$ds/.almanac.lock"
    }
    regular() { # regular DS: the four files are regular files
        local f
        for f in $files; do
            [ -f "$1/$f" ] && [ ! -L "$1/$f" ] || return 1
        done
    }
    run() { # run ARGS...: almanac, at most 10 s, output in $work/out, err
        timeout 10 "$bin" "$@" >"$work/out" 2>"$work/err"
    }
    add=(--indicator zones --period 2025-01 --value 179 --source xinhua
        --quote "179 in January")

    # 1. Dangling links at the temporary names of a commit.
    for tmp in .observations.csv.almanac-tmp .almanac-journal.tmp; do
        fresh "tmplink${tmp:1:3}"
        ln -s "$out" "$ds/$tmp"
        run add -d "$ds" "${add[@]}"
        check "link at $tmp: add exits 0 ($(cat "$work/err"))" [ $? = 0 ]
        check "link at $tmp: nothing written at its target" [ ! -e "$out" ]
        check "link at $tmp: the files stay regular" regular "$ds"
        check "link at $tmp: the row is added" grep -q '179 in January' "$ds/observations.csv"
        check "link at $tmp: no debris" \
            [ -z "$(ls -A "$ds" | grep -E 'almanac-tmp|^\.almanac-journal')" ]
    done
    # 2. A dangling link at the lock: even a reader refuses it.
    for cmd in list add; do
        fresh "lock-$cmd"
        ln -s "$out" "$ds/.almanac.lock"
        if [ $cmd = list ]; then run list -d "$ds"; else run add -d "$ds" "${add[@]}"; fi
        st=$?
        check "link at the lock: $cmd exits 1 (got $st)" [ $st = 1 ]
        check "link at the lock: $cmd says so" grep -q "almanac.lock' is a symbolic link" "$work/err"
        check "link at the lock: $cmd creates nothing at its target" [ ! -e "$out" ]
    done
    # 3. A journal that is a link: not followed, the dataset left alone.
    fresh journal
    printf 'almanac-journal 1\nobservations.csv\nend\n' >"$work/journal.real"
    ln -s "$work/journal.real" "$ds/.almanac-journal"
    run list -d "$ds"
    check "link at the journal: list exits 1 (got $?)" [ $? != 0 ]
    check "link at the journal: says it is not a regular file" \
        grep -q "almanac-journal' is not a regular file" "$work/err"
    check "link at the journal: observations.csv untouched" \
        cmp -s "$fixture/observations.csv" "$ds/observations.csv"
    # ... nor a temporary file that is a link, named by a real journal.
    fresh journal-tmp
    cp "$fixture/observations.csv" "$out"
    ln -s "$out" "$ds/.observations.csv.almanac-tmp"
    printf 'almanac-journal 1\nobservations.csv\nend\n' >"$ds/.almanac-journal"
    run list -d "$ds"
    check "journal naming a link: list exits 1 (got $?)" [ $? != 0 ]
    check "journal naming a link: says so" \
        grep -q "observations.csv.almanac-tmp' is not a regular file" "$work/err"
    check "journal naming a link: observations.csv stays regular" regular "$ds"

    # 4. A dataset file that is a link or a FIFO: refused, at once.
    for f in $files; do
        fresh "link-$f"
        mv "$ds/$f" "$work/link-$f.real"
        ln -s "$work/link-$f.real" "$ds/$f"
        for cmd in check list add; do
            if [ $cmd = add ]; then run add -d "$ds" "${add[@]}"; else run $cmd -d "$ds"; fi
            st=$?
            check "link at $f: $cmd exits 1 (got $st)" [ $st = 1 ]
            check "link at $f: $cmd says so ($(head -n 1 "$work/err"))" \
                grep -q "$f' is a symbolic link: a dataset file must be a regular file" "$work/err"
        done
        check "link at $f: its target untouched" cmp -s "$fixture/$f" "$work/link-$f.real"
        fresh "fifo-$f"
        rm "$ds/$f"
        mkfifo "$ds/$f"
        for cmd in check list add; do
            if [ $cmd = add ]; then run add -d "$ds" "${add[@]}"; else run $cmd -d "$ds"; fi
            st=$?
            check "FIFO at $f: $cmd exits 1 at once (got $st)" [ $st = 1 ]
            check "FIFO at $f: $cmd says so ($(head -n 1 "$work/err"))" \
                grep -q "$f' is not a regular file" "$work/err"
        done
        check "FIFO at $f: still a FIFO" [ -p "$ds/$f" ]
    done

    # 5. Outputs. A FIFO at -o is written directly (a reader gets the
    # export) and stays a FIFO.
    fresh outputs
    "$bin" export -d "$ds" -o "$work/export.csv" 2>"$work/err"
    check "export to a file exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    mkfifo "$work/fifo"
    timeout 10 cat "$work/fifo" >"$work/fifo.got" &
    reader=$!
    run export -d "$ds" -o "$work/fifo"
    check "export to a FIFO exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    wait "$reader"
    check "export to a FIFO: the reader gets the export" cmp -s "$work/export.csv" "$work/fifo.got"
    check "export to a FIFO: still a FIFO" [ -p "$work/fifo" ]
    check "export to a FIFO: no temporary file" [ -z "$(ls -A "$work" | grep almanac-tmp)" ]
    # A device and a link to standard output (a pipe here). As root the
    # system's /dev/null and /dev/stdout are never the test's targets (a
    # regression would replace them): a device node made in the work
    # folder and a link of its own stand for them; another user cannot
    # replace /dev's files, so its run also tries the real ones.
    devices=("$work/stdout")
    ln -s /proc/self/fd/1 "$work/stdout"
    if [ "$(id -u)" = 0 ]; then
        mknod "$work/null" c 1 3
        null=$work/null
    else
        null=/dev/null
        devices+=(/dev/stdout)
    fi
    run export -d "$ds" -o "$null"
    check "export to $null exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    check "$null is still a device" [ -c "$null" ]
    for dev in "${devices[@]}"; do
        timeout 10 "$bin" export -d "$ds" -o "$dev" 2>"$work/err" | cat >"$work/stdout.got"
        check "export to $dev exits 0 ($(cat "$work/err"))" [ "${PIPESTATUS[0]}" = 0 ]
        check "export to $dev: the export is on standard output" \
            cmp -s "$work/export.csv" "$work/stdout.got"
        check "$dev is still a link" [ -L "$dev" ]
    done
    # A link to a regular file: followed, the link stays, its target is
    # the export.
    : >"$work/target.csv"
    ln -s "$work/target.csv" "$work/link.csv"
    run export -d "$ds" -o "$work/link.csv"
    check "export to a link exits 0 ($(cat "$work/err"))" [ $? = 0 ]
    check "export to a link: still a link" [ -L "$work/link.csv" ]
    check "export to a link: its target is the export" cmp -s "$work/export.csv" "$work/target.csv"
    # A dangling link: refused, nothing created.
    ln -s "$work/nowhere.csv" "$work/dangling.csv"
    run export -d "$ds" -o "$work/dangling.csv"
    st=$?
    check "export to a dangling link exits 1 (got $st)" [ $st = 1 ]
    check "export to a dangling link: says so ($(cat "$work/err"))" \
        grep -q "dangling.csv' is a symbolic link to nothing" "$work/err"
    check "export to a dangling link: nothing created" [ ! -e "$work/nowhere.csv" ]
    # A chart to a FIFO: drawn to a temporary file, then written through.
    if command -v gnuplot >/dev/null; then
        mkfifo "$work/chart.svg"
        timeout 20 cat "$work/chart.svg" >"$work/chart.got" &
        reader=$!
        timeout 20 "$bin" chart -d "$ds" zones -o "$work/chart.svg" >/dev/null 2>"$work/err"
        check "chart to a FIFO exits 0 ($(cat "$work/err"))" [ $? = 0 ]
        wait "$reader"
        check "chart to a FIFO: the reader gets an SVG" grep -q '</svg>' "$work/chart.got"
        check "chart to a FIFO: still a FIFO" [ -p "$work/chart.svg" ]
        check "chart to a FIFO: no temporary file" [ -z "$(ls -A "$work" | grep almanac-tmp)" ]
        # A name gnuplot cannot open as it is (a newline): drawn under a
        # safe temporary name, renamed, nothing left behind; and the
        # temporary file of a killed chart (its process gone) is removed
        # by the next chart drawn in that folder, a live one's kept.
        mkdir "$work/nl"
        : >"$work/nl/.almanac-chart-999999999-0.tmp"
        : >"$work/nl/.almanac-chart-1-0.tmp"
        timeout 20 "$bin" chart -d "$ds" zones -o "$work/nl/a"$'\n'"b.svg" 2>"$work/err"
        check "chart to a name with a newline exits 0 ($(cat "$work/err"))" [ $? = 0 ]
        check "chart to a name with a newline: the SVG is there" \
            grep -q '</svg>' "$work/nl/a"$'\n'"b.svg"
        check "chart: a dead process's temporary file removed, a live one's kept" \
            [ "$(ls -A "$work/nl" | grep -c almanac)" = 1 ] && [ -e "$work/nl/.almanac-chart-1-0.tmp" ]
        check "chart: nothing else in the folder" [ "$(ls -A "$work/nl" | wc -l)" = 3 ]
        # Write errors on standard output are not lost.
        timeout 20 "$bin" chart -d "$ds" zones -o - >/dev/full 2>"$work/err"
        check "chart -o - > /dev/full exits 1 (got $?)" [ $? = 1 ]
        check "chart -o - > /dev/full says so" grep -q 'cannot write to standard output' "$work/err"
    else
        echo "skipped: a chart to a FIFO (no gnuplot)"
    fi
    for cmd in check list export; do
        timeout 20 "$bin" $cmd -d "$ds" >/dev/full 2>"$work/err"
        check "$cmd > /dev/full exits 1 (got $?)" [ $? = 1 ]
        check "$cmd > /dev/full says so ($(cat "$work/err"))" \
            grep -q 'cannot write to standard output: No space left on device' "$work/err"
    done
    finish
    exit
fi

bin=$1
src=$2
top=$(mktemp -d /tmp/almanac-files.XXXXXX)
trap 'rm -rf "$top"' EXIT
chmod 755 "$top"
cp "$bin" "$top/almanac"
cp "$0" "$top/files.sh"
cp "$(dirname "$0")/lib.sh" "$top/lib.sh"
cp -R "$src/tests/cli/fixtures/small" "$top/fixture"
# The chart theme too: nobody may not reach the checkout (/root is 700).
cp -R "$src/plots" "$top/plots"
export ALMANAC_PLOTS=$top/plots
chmod -R a+rX "$top"
status=0
mkdir "$top/me"
bash "$top/files.sh" "$top/almanac" "$top/fixture" --inner "$top/me" || status=1
if [ "$(id -u)" != 0 ]; then
    echo "skipped: the run as nobody (not root, cannot change user)"
elif ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
    echo "skipped: the run as nobody (no setpriv or no nobody user)"
else
    mkdir -m 777 "$top/nobody"
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
        bash "$top/files.sh" "$top/almanac" "$top/fixture" --inner "$top/nobody" ||
        status=1
fi
exit $status
