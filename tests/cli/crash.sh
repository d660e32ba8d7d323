#!/usr/bin/env bash
# Crash safety of writes (SPEC.md, "Writes"): whatever stops a write, the
# dataset is exactly as before or exactly as after, `check` passes and no
# temporary file is left.
#  1. `almanac import` of 50,000 rows (50 new indicators: a commit of two
#     files) killed with SIGKILL 50 times, at delays spread over its run;
#  2. `almanac add` on that large dataset, killed the same way;
#  3. the disk full: a file-size limit (ulimit -f, SIGXFSZ ignored) makes
#     writes fail with EFBIG; then a small tmpfs (ENOSPC), where mounting
#     is allowed;
#  4. a read-only folder: a read-only bind mount (EROFS) where mounting is
#     allowed, and a folder without write permission for an unprivileged
#     user (EACCES).
# Run by ctest as: crash.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
files="indicators.csv observations.csv sources.csv targets.csv"
kills=${CRASH_KILLS:-50}

# snapshot DS DEST: the dataset's four files.
snapshot() {
    mkdir -p "$2"
    for f in $files; do cp "$1/$f" "$2/$f"; done
}
same() { # same DS SNAPSHOT: the four files are byte for byte the snapshot's
    local f
    for f in $files; do cmp -s "$1/$f" "$2/$f" || return 1; done
}
no_debris() { # no_debris DIR: no temporary file of a write, no journal
    [ -z "$(cd "$1" && ls -A | grep -E 'almanac-tmp|^\.almanac-journal')" ]
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The large import: 50 indicators of 1000 years each.
awk 'BEGIN {
    print "indicator,period,value,source,quote"
    for (i = 0; i < 50; i++)
        for (y = 1000; y < 2000; y++)
            printf "big%02d,%d,%d.%d,xinhua,\"row %d, indicator %d\"\n",
                i, y, y * 3 + i, i % 10, y, i
}' >"$work/big.csv"

base=$work/base
cp -R "$src/tests/cli/fixtures/small" "$base"
snapshot "$base" "$work/import.before"

# The state after a whole import, and how long it takes.
cp -R "$base" "$work/ref"
t0=$(now_ms)
"$bin" import -d "$work/ref" "$work/big.csv" >/dev/null 2>"$work/err"
st=$?
check "reference import exits 0 ($(cat "$work/err"))" [ "$st" = 0 ]
import_ms=$(($(now_ms) - t0))
snapshot "$work/ref" "$work/import.after"

# crash_loop NAME BEFORE AFTER MS CMD...: runs CMD (with @DS@ standing for
# a fresh copy of the dataset BEFORE) $kills times, killing it with
# SIGKILL after i/$kills of 1.2 times MS milliseconds; after each, `check`
# must pass and the dataset must equal the snapshot BEFORE or AFTER.
crash_loop() {
    local name=$1 before=$2 after=$3 ms=$4
    shift 4
    local i delay ds st n_before=0 n_after=0 n_done=0 bad=0 args a
    for i in $(seq 1 "$kills"); do
        ds=$work/$name.$i
        rm -rf "$ds"
        cp -R "$work/$name.base" "$ds"
        args=()
        for a in "$@"; do args+=("${a//@DS@/$ds}"); done
        delay=$(awk -v i="$i" -v n="$kills" -v ms="$ms" \
            'BEGIN { printf "%.3f", i / n * ms * 1.2 / 1000 }')
        # In a subshell, so that bash does not report the killed job.
        (timeout -s KILL "$delay" "$bin" "${args[@]}" >/dev/null; exit $?) 2>/dev/null
        st=$?
        if ! "$bin" check -d "$ds" >/dev/null 2>"$work/check.err"; then
            bad=$((bad + 1))
            echo "  $name kill $i (after ${delay}s, status $st): check failed: $(head -n 2 "$work/check.err")"
        elif same "$ds" "$before"; then
            n_before=$((n_before + 1))
            if [ "$st" = 0 ]; then
                bad=$((bad + 1))
                echo "  $name kill $i: exit 0 but the dataset is as before"
            fi
        elif same "$ds" "$after"; then
            if [ "$st" = 0 ]; then n_done=$((n_done + 1)); else n_after=$((n_after + 1)); fi
        else
            bad=$((bad + 1))
            echo "  $name kill $i (after ${delay}s, status $st): neither before nor after"
            diff <(cat "$before"/*.csv) <(cat "$ds"/*.csv) | head -n 4
        fi
        if ! no_debris "$ds"; then
            bad=$((bad + 1))
            echo "  $name kill $i: temporary files left after check"
        fi
        rm -rf "$ds"
    done
    echo "$name: $kills kills over $((ms * 12 / 10)) ms: $n_before as before," \
        "$n_after killed after the commit point, $n_done completed"
    check "$name: every kill left the dataset before or after, and valid" [ "$bad" = 0 ]
    check "$name: some kills came before the commit point" [ "$n_before" -gt 0 ]
}

# 1. import, killed.
cp -R "$base" "$work/import.base"
crash_loop import "$work/import.before" "$work/import.after" "$import_ms" \
    import -d @DS@ "$work/big.csv"

# 2. add on the large dataset, killed.
cp -R "$work/ref" "$work/add.base"
rm -f "$work/add.base/.almanac.lock"
cp -R "$work/add.base" "$work/addref"
t0=$(now_ms)
"$bin" add -d "$work/addref" --indicator zones --period 2025-01 --value 179 \
    --source xinhua --quote "179 in January" >/dev/null 2>"$work/err"
st=$?
check "reference add exits 0 ($(cat "$work/err"))" [ "$st" = 0 ]
add_ms=$(($(now_ms) - t0))
snapshot "$work/addref" "$work/add.after"
crash_loop add "$work/import.after" "$work/add.after" "$add_ms" \
    add -d @DS@ --indicator zones --period 2025-01 --value 179 \
    --source xinhua --quote "179 in January"

# 3a. The disk full: a file-size limit (KiB). SIGXFSZ is ignored, as a
# daemon or a shell with `trap '' XFSZ` would, so write() fails with
# EFBIG; the default action of the signal would kill the process instead,
# which section 1 covers.
limited() { # limited KIB ARGS...: almanac under a file-size limit
    local kib=$1
    shift
    (
        trap '' XFSZ
        ulimit -f "$kib"
        exec "$bin" "$@"
    )
}
# full NAME KIB BEFORE ARGS...: the command fails with EFBIG, exit 1, says
# so, leaves the dataset $ds as BEFORE, no temporary file, check passes.
full() {
    local name=$1 kib=$2 before=$3
    shift 3
    limited "$kib" "$@" >"$work/out" 2>"$work/err"
    local st=$?
    check "$name: exits 1 (got $st: $(cat "$work/err"))" [ "$st" = 1 ]
    check "$name: says the file is too large" grep -q 'File too large' "$work/err"
    check "$name: the dataset is unchanged" same "$ds" "$before"
    check "$name: no temporary file left" no_debris "$ds"
    check "$name: check passes" "$bin" check -d "$ds" >/dev/null 2>&1
}
obs_kib=$(($(wc -c <"$work/import.after/observations.csv") / 1024))
ds=$work/efbig
cp -R "$base" "$ds"
full "efbig import at 64 KiB" 64 "$work/import.before" import -d "$ds" "$work/big.csv"
full "efbig import 1 KiB short" $((obs_kib - 1)) "$work/import.before" \
    import -d "$ds" "$work/big.csv"
limited $((obs_kib * 2)) import -d "$ds" "$work/big.csv" >/dev/null 2>"$work/err"
st=$?
check "efbig: import under a limit it fits exits 0 ($(cat "$work/err"))" [ "$st" = 0 ]
check "efbig: ... and gives the dataset after" same "$ds" "$work/import.after"
full "efbig add" 1000 "$work/import.after" add -d "$ds" --indicator zones \
    --period 2025-01 --value 179 --source xinhua
# Outputs: nothing is written, not even part of a file.
limited 100 export -d "$ds" -o "$work/export.csv" >/dev/null 2>"$work/err"
st=$?
check "efbig export: exits 1 ($(cat "$work/err"))" [ "$st" = 1 ]
check "efbig export: no output file" [ ! -e "$work/export.csv" ]
check "efbig export: no temporary file" \
    [ -z "$(ls -A "$work" | grep -E 'almanac-tmp')" ]

# 3b. A small tmpfs: ENOSPC. Mounting needs a mount namespace (root, or
# user namespaces); without one this part is skipped, saying why.
# in_namespace SCRIPT: runs bash SCRIPT in a private mount namespace, with
# $bin, $work and $base exported; its exit status says whether mounting
# worked (77: not allowed).
export bin work base
in_namespace() {
    unshare -m --propagation private bash -c "$1" 2>"$work/ns.err"
}
can_mount=0
if command -v unshare >/dev/null &&
    in_namespace 'mkdir -p "$work/probe" && mount -t tmpfs -o size=64k tmpfs "$work/probe"'; then
    can_mount=1
else
    echo "skipped: tmpfs and read-only bind mounts (cannot mount here: $(head -c 200 "$work/ns.err"))"
fi
if [ "$can_mount" = 1 ]; then
    # The dataset alone fits; the import's new files do not.
    in_namespace '
        mkdir -p "$work/tmpfs" && mount -t tmpfs -o size=1m tmpfs "$work/tmpfs" &&
        cp -R "$base" "$work/tmpfs/ds" &&
        { "$bin" import -d "$work/tmpfs/ds" "$work/big.csv"; echo $? >"$work/tmpfs.status"; } \
            2>"$work/tmpfs.err" >/dev/null
        "$bin" check -d "$work/tmpfs/ds" >/dev/null 2>&1; echo $? >"$work/tmpfs.check"
        cp -R "$work/tmpfs/ds" "$work/tmpfs.ds"'
    ds=$work/tmpfs.ds
    check "enospc import: exits 1 ($(cat "$work/tmpfs.err"))" [ "$(cat "$work/tmpfs.status")" = 1 ]
    check "enospc import: says the disk is full" grep -q 'No space left' "$work/tmpfs.err"
    check "enospc import: the dataset is unchanged" same "$ds" "$work/import.before"
    check "enospc import: no temporary file left" no_debris "$ds"
    check "enospc import: check passes" [ "$(cat "$work/tmpfs.check")" = 0 ]
    # The large dataset fills most of the tmpfs: add cannot write its copy.
    size=$(($(du -sk "$work/ref" | cut -f1) + 600))
    in_namespace '
        mkdir -p "$work/tmpfs2" && mount -t tmpfs -o size='"$size"'k tmpfs "$work/tmpfs2" &&
        cp -R "$work/ref" "$work/tmpfs2/ds" &&
        { "$bin" add -d "$work/tmpfs2/ds" --indicator zones --period 2025-01 \
            --value 179 --source xinhua; echo $? >"$work/tmpfs2.status"; } \
            2>"$work/tmpfs2.err" >/dev/null
        "$bin" check -d "$work/tmpfs2/ds" >/dev/null 2>&1; echo $? >"$work/tmpfs2.check"
        cp -R "$work/tmpfs2/ds" "$work/tmpfs2.ds"'
    ds=$work/tmpfs2.ds
    check "enospc add: exits 1 ($(cat "$work/tmpfs2.err"))" [ "$(cat "$work/tmpfs2.status")" = 1 ]
    check "enospc add: says the disk is full" grep -q 'No space left' "$work/tmpfs2.err"
    check "enospc add: the dataset is unchanged" same "$ds" "$work/import.after"
    check "enospc add: no temporary file left" no_debris "$ds"
    check "enospc add: check passes" [ "$(cat "$work/tmpfs2.check")" = 0 ]
fi

# 4a. A read-only bind mount (EROFS): writers fail and change nothing,
# readers work.
ro_checks() { # ro_checks NAME DS BEFORE: reads $work/ro.* results
    local name=$1 ds=$2 before=$3 w
    for w in add import; do
        check "$name $w: exits 1 ($(cat "$work/ro.$w.err"))" [ "$(cat "$work/ro.$w.status")" = 1 ]
        check "$name $w: names the reason" \
            grep -qE 'Read-only file system|Permission denied' "$work/ro.$w.err"
    done
    for r in list check export; do
        check "$name $r: a reader works ($(cat "$work/ro.$r.err"))" [ "$(cat "$work/ro.$r.status")" = 0 ]
    done
    check "$name: the dataset is unchanged" same "$ds" "$before"
    check "$name: no temporary file left" no_debris "$ds"
}
ro_script='
    ds=$1
    run() { # run NAME ARGS...
        local name=$1; shift
        "$bin" "$@" >"$work/ro.$name.out" 2>"$work/ro.$name.err"
        echo $? >"$work/ro.$name.status"
    }
    run add add -d "$ds" --indicator zones --period 2025-01 --value 179 --source xinhua
    run import import -d "$ds" "$work/big.csv"
    run list list -d "$ds"
    run check check -d "$ds"
    run export export -d "$ds" -o "$work/ro-export.csv"'
if [ "$can_mount" = 1 ]; then
    ds=$work/robind
    cp -R "$base" "$ds"
    rm -f "$ds/.almanac.lock"
    in_namespace 'mount --bind "$work/robind" "$work/robind" &&
        mount -o remount,bind,ro "$work/robind" && set -- "$work/robind" &&
        '"$ro_script"
    ro_checks "read-only mount" "$ds" "$work/import.before"
fi

# 4b. A folder its user may not write (EACCES). Root ignores permissions,
# so as root the commands run as nobody (setpriv); the lock file exists
# and is writable, so that the write fails at the new files, not the lock.
# Everything nobody needs (the binary, the dataset, the import file, a
# folder for results) is copied to a folder of its own under /tmp, since
# the checkout and $work may sit where nobody cannot go (/root is 700).
ro=$(mktemp -d /tmp/almanac-crash-ro.XXXXXX)
trap 'chmod -R u+w "$ro" 2>/dev/null; rm -rf "$work" "$ro"' EXIT
chmod 755 "$ro"
cp "$bin" "$ro/almanac"
chmod 755 "$ro/almanac"
cp "$work/big.csv" "$ro/big.csv"
chmod 644 "$ro/big.csv"
as_user=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
        if ! "${as_user[@]}" "$ro/almanac" --version >"$work/nobody.err" 2>&1; then
            as_user=(skip)
            echo "skipped: read-only folder by permissions (nobody cannot run" \
                "$ro/almanac: $(head -c 200 "$work/nobody.err"))"
        fi
    else
        as_user=(skip)
        echo "skipped: read-only folder by permissions (root, and no setpriv or nobody user)"
    fi
fi
if [ "${as_user[0]:-}" != skip ]; then
    ds=$ro/roperm
    cp -R "$base" "$ds"
    : >"$ds/.almanac.lock"
    chmod 666 "$ds/.almanac.lock"
    chmod 555 "$ds"
    # Results go to a folder the user may write.
    mkdir -p "$ro/out"
    chmod 777 "$ro/out"
    "${as_user[@]}" env bin="$ro/almanac" work="$ro/out" big="$ro/big.csv" \
        bash -c "$(sed 's|"\$work/big.csv"|"$big"|' <<<"$ro_script")" _ "$ds"
    mv "$ro"/out/ro.* "$work/"
    ro_checks "read-only folder" "$ds" "$work/import.before"
    chmod 755 "$ds"
fi

finish
