#!/usr/bin/env bash
# Recovery of a writer killed mid-commit (the protocol of engine/store.c):
# killed after the commit point (the journal exists), the next opener
# finishes the commit; killed before it (temporary files, no journal), the
# next opener removes the debris and the dataset is as before.
# Run by ctest as: recovery.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
fixture=$src/tests/cli/fixtures/small
journal='almanac-journal 1\nobservations.csv\nend\n'
new_row='zones,2024-06,185,,,xinhua,2024-07-01,185 as of June'

# fresh NAME: a copy of the fixture in $ds, and $new, the observations.csv
# a killed writer was committing (the fixture's plus one row).
fresh() {
    ds=$work/$1
    cp -R "$fixture" "$ds"
    new=$work/$1.new
    { cat "$fixture/observations.csv"; echo "$new_row"; } >"$new"
}
no_debris() { # no_debris: no journal, no temporary file in $ds
    [ -z "$(cd "$ds" && ls -A | grep -E 'almanac-tmp|^\.almanac-journal')" ]
}
run() { # run ARGS...: almanac with the output in $work/out, $work/err
    "$bin" "$@" >"$work/out" 2>"$work/err"
}

# 1. Killed after the commit point: `list` finishes the commit.
fresh after
cp "$new" "$ds/.observations.csv.almanac-tmp"
printf "$journal" >"$ds/.almanac-journal"
run list -d "$ds" --format csv
check "after: list exits 0 ($(cat "$work/err"))" [ $? = 0 ]
check "after: list shows the committed row" grep -q '^zones,.*,2024-06,185,' "$work/out"
check "after: observations.csv is the new content" cmp -s "$new" "$ds/observations.csv"
check "after: the journal and the temporary file are gone" no_debris
for f in indicators.csv sources.csv targets.csv; do
    check "after: $f untouched" cmp -s "$fixture/$f" "$ds/$f"
done

# 2. Killed before the commit point: no journal, only the temporary file.
fresh before
cp "$new" "$ds/.observations.csv.almanac-tmp"
run list -d "$ds" --format csv
check "before: list exits 0 ($(cat "$work/err"))" [ $? = 0 ]
check "before: list shows the old content" grep -q '^zones,.*,2023-11,178,' "$work/out"
check "before: observations.csv is the old content" \
    cmp -s "$fixture/observations.csv" "$ds/observations.csv"
check "before: the temporary file is gone" no_debris

# 3. Killed while writing the journal: a half-written .almanac-journal.tmp
# is not a commit.
fresh half
cp "$new" "$ds/.observations.csv.almanac-tmp"
printf 'almanac-journal 1\nobserv' >"$ds/.almanac-journal.tmp"
run check -d "$ds"
check "half journal: check exits 0" [ $? = 0 ]
check "half journal: old content" cmp -s "$fixture/observations.csv" "$ds/observations.csv"
check "half journal: debris removed" no_debris

# 4. A commit of two files (an import creating an indicator), killed after
# the commit point and after the first rename: the second one is finished,
# the first (its temporary file already gone) is left as renamed.
fresh two
{ cat "$fixture/indicators.csv"; echo 'pmi,pmi,,value,M,,'; } >"$work/ind.new"
{ cat "$fixture/observations.csv"; echo 'pmi,2024-02,49.1,,,nbs-2024-03,,'; } >"$new"
cp "$new" "$ds/observations.csv" # renamed before the kill
cp "$work/ind.new" "$ds/.indicators.csv.almanac-tmp"
printf 'almanac-journal 1\nobservations.csv\nindicators.csv\nend\n' >"$ds/.almanac-journal"
run show -d "$ds" pmi --format csv
check "two files: show exits 0 ($(cat "$work/err"))" [ $? = 0 ]
check "two files: the new indicator is there" grep -q '^2024-02,49.1,' "$work/out"
check "two files: indicators.csv is the new content" cmp -s "$work/ind.new" "$ds/indicators.csv"
check "two files: observations.csv is the new content" cmp -s "$new" "$ds/observations.csv"
check "two files: debris removed" no_debris

# 5. A writer finishes the killed commit first, then appends its own row.
fresh writer
cp "$new" "$ds/.observations.csv.almanac-tmp"
printf "$journal" >"$ds/.almanac-journal"
run add -d "$ds" --indicator zones --period 2024-07 --value 186 --source xinhua
check "writer: add exits 0 ($(cat "$work/err"))" [ $? = 0 ]
check "writer: both rows are there" \
    [ "$(grep -c -E '^zones,2024-0[67],18[56],' "$ds/observations.csv")" = 2 ]
check "writer: debris removed" no_debris
run check -d "$ds"
check "writer: check exits 0" [ $? = 0 ]

# 6. Many readers find the same journal at once: each must wait its turn,
# none may fail, and all see the new content. Readers that upgraded their
# shared lock in place deadlocked (EDEADLK: "Resource deadlock avoided").
# readers ROUND [HOLD]: 12 `list` at once; with HOLD, another process holds
# a shared lock on the folder until all of them have started, so that they
# all meet the journal together (the race, made certain).
bad=0
readers() {
    local round=$1 hold=${2:-} i pids=() holder=
    fresh "readers$round"
    cp "$new" "$ds/.observations.csv.almanac-tmp"
    printf "$journal" >"$ds/.almanac-journal"
    if [ -n "$hold" ]; then
        python3 -c '
import fcntl, os, sys, time
f = open(sys.argv[1], "a+")
fcntl.lockf(f, fcntl.LOCK_SH)
open(sys.argv[2], "w").close()
time.sleep(1.5)
' "$ds/.almanac.lock" "$work/held" &
        holder=$!
        while [ ! -e "$work/held" ]; do sleep 0.05; done
        rm -f "$work/held"
    fi
    for i in $(seq 1 12); do
        "$bin" list -d "$ds" --format csv >"$work/r$i.out" 2>"$work/r$i.err" &
        pids+=($!)
    done
    for i in $(seq 1 12); do
        if ! wait "${pids[$((i - 1))]}" ||
            ! grep -q ',2024-06,185,' "$work/r$i.out"; then
            bad=$((bad + 1))
            [ "$bad" -le 3 ] && echo "  round $round, reader $i: $(cat "$work/r$i.err")"
        fi
    done
    [ -n "$holder" ] && wait "$holder"
    cmp -s "$new" "$ds/observations.csv" && no_debris || bad=$((bad + 1))
    rm -rf "$ds"
}
if command -v python3 >/dev/null; then
    readers held hold
    check "readers behind a held lock: $bad of 12 failed or saw the old content" \
        [ "$bad" = 0 ]
else
    echo "skipped: readers behind a held lock (no python3)"
fi
bad=0
for round in $(seq 1 10); do readers "$round"; done
check "readers: $bad of 120 reads failed or saw the old content" [ "$bad" = 0 ]

# 7. A damaged journal (no "end" line) is never trusted: the command fails,
# says so, and changes nothing.
fresh damaged
cp "$new" "$ds/.observations.csv.almanac-tmp"
printf 'almanac-journal 1\nobservations.csv\n' >"$ds/.almanac-journal"
cp -R "$ds" "$work/damaged.before"
run list -d "$ds"
check "damaged: list exits 1" [ $? = 1 ]
check "damaged: the message says so ($(cat "$work/err"))" \
    grep -q "^almanac: '.*/\.almanac-journal' is damaged" "$work/err"
rm -f "$ds/.almanac.lock" "$work/damaged.before/.almanac.lock"
check "damaged: nothing changed" diff -r "$work/damaged.before" "$ds"

# 8. A journal naming a file outside the folder is refused.
fresh outside
printf 'almanac-journal 1\n../outside.csv\nend\n' >"$ds/.almanac-journal"
echo 'do not move' >"$work/.outside.csv.almanac-tmp"
run list -d "$ds"
check "outside: list exits 1" [ $? = 1 ]
check "outside: the message names the journal ($(cat "$work/err"))" \
    grep -q "^almanac: '.*/\.almanac-journal' names a bad file" "$work/err"
check "outside: nothing was moved" [ ! -e "$work/outside.csv" ]

finish
