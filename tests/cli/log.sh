#!/usr/bin/env bash
# The change log: every write appends one line (time, command, rows, the
# SHA-256 of the four files after it); `log` prints it; `check` warns,
# naming the file, when a file no longer has the last line's digest, even
# for a hand edit made within the same second as the write; a failed
# write logs nothing. Digests are checked against coreutils' sha256sum.
# Run by ctest as: log.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"

# Before any write: no log, no warning about hand edits.
is "log of a dataset never written" "$("$bin" log -d "$ds")" ""
"$bin" indicator add -d "$ds" --id robots --title Robots --unit units \
    --kind level --frequency A >/dev/null
"$bin" add -d "$ds" --indicator robots --period 2023 --value 283000 \
    --source xinhua >/dev/null
"$bin" target add -d "$ds" --indicator robots --period 2025 --value 500000 \
    --comparator '>=' >/dev/null
"$bin" log -d "$ds" >"$work/log"
is "log: one line per write" "$(wc -l <"$work/log")" 3
is "log: commands and rows" "$(cut -f2,3 "$work/log" | tr '\t\n' ':|')" \
    "indicator add:1|add:1|target add:1|"
check_sh "cut -f1 '$work/log' | grep -qxE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'" \
    "log: the time is UTC ISO 8601"
# The last line's digests are the files' own.
want=""
for f in indicators.csv observations.csv sources.csv targets.csv; do
    want="$want${want:+ }$f:$(sha256sum <"$ds/$f" | cut -d' ' -f1)"
done
is "log: digests of the files after the last write" \
    "$(tail -n 1 "$work/log" | cut -f4)" "$want"
# The first line's observations digest is the file before add.
check_sh "[ \"\$(head -n 1 '$work/log' | grep -o 'observations.csv:[0-9a-f]*')\" = \"observations.csv:\$(sha256sum <'$src/tests/cli/fixtures/small/observations.csv' | cut -d' ' -f1)\" ]" \
    "log: an unchanged file keeps its digest"

out=$("$bin" check -d "$ds" 2>&1)
is "check after commands: no hand edit" "$(grep -c 'edited by hand' <<<"$out")" 0

# A failed write logs nothing.
"$bin" add -d "$ds" --indicator robots --period 2024 --value -1 2>/dev/null
is "failed add: exit status" "$?" 1
is "failed add: log unchanged" "$("$bin" log -d "$ds" | wc -l)" 3

# A hand edit in the same second as a write: the time stamp cannot tell,
# the digest does. Same size, same modification time (put back from a
# copy made with cp -p), too: 283000 -> 28300N at try N, so that a try
# after one that missed the second still changes a byte of what the add
# wrote. The edit's second is checked against the log line's time; on a
# slow machine the pair is tried again until both fall in one second.
same=no
for try in 1 2 3 4 5; do
    "$bin" add -d "$ds" --indicator robots --period "203$try" --value 290000 \
        --source xinhua >/dev/null &&
        cp -p "$ds/observations.csv" "$work/obs.ref" &&
        sed -i "s/^robots,2023,28300[0-9],/robots,2023,28300$try,/" \
            "$ds/observations.csv" &&
        touch -r "$work/obs.ref" "$ds/observations.csv"
    edited=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    if [ "$edited" = "$("$bin" log -d "$ds" | tail -n 1 | cut -f1)" ]; then
        same=yes
        break
    fi
done
is "hand edit in the same second as the last write" "$same" yes
is "hand edit: same size" "$(stat -c %s "$ds/observations.csv")" \
    "$(stat -c %s "$work/obs.ref")"
is "hand edit: same modification time" "$(stat -c %Y "$ds/observations.csv")" \
    "$(stat -c %Y "$work/obs.ref")"
out=$("$bin" check -d "$ds" 2>&1)
is "check: exit status with a hand edit (a warning)" "$?" 0
has "check names the file edited by hand" "$out" \
    "warning: $ds/observations.csv: edited by hand since the last write"
is "check: only that file" "$(grep -c 'edited by hand' <<<"$out")" 1
# touch changes no byte: no warning.
# (the add of try N wrote the figure the try before left: 28300(N-1)).
sed -i "s/^robots,2023,28300$try,/robots,2023,28300$((try - 1)),/" "$ds/observations.csv"
touch "$ds/targets.csv"
out=$("$bin" check -d "$ds" 2>&1)
is "check: bytes restored, touched file: no warning" \
    "$(grep -c 'edited by hand' <<<"$out")" 0

# about.csv: 'about' writes it, logged; its digest is in the line, and a
# hand edit of it is named as the tables' are.
"$bin" about -d "$ds" --title "Robots and zones" >/dev/null
is "about: logged" "$("$bin" log -d "$ds" | tail -n 1 | cut -f2,3)" "about	1"
is "about: digest of about.csv" \
    "$("$bin" log -d "$ds" | tail -n 1 | grep -o 'about.csv:[0-9a-f]*')" \
    "about.csv:$(sha256sum <"$ds/about.csv" | cut -d' ' -f1)"
is "about: title shown" "$("$bin" about -d "$ds")" "title: Robots and zones"
out=$("$bin" check -d "$ds" 2>&1)
is "check after about: no hand edit" "$(grep -c 'edited by hand' <<<"$out")" 0
sed -i 's/Robots and zones/Robots/' "$ds/about.csv"
out=$("$bin" check -d "$ds" 2>&1)
has "check names about.csv edited by hand" "$out" \
    "warning: $ds/about.csv: edited by hand since the last write"
# A later write records about.csv as it is then: no warning after it.
"$bin" add -d "$ds" --indicator robots --period 2040 --value 1 \
    --source xinhua >/dev/null
out=$("$bin" check -d "$ds" 2>&1)
is "a write after a hand edit: digests current" \
    "$(grep -c 'edited by hand' <<<"$out")" 0

# A dataset without changes.log is not checked, and check says nothing
# about it (README: the log starts with the first write).
cp -R "$src/tests/cli/fixtures/small" "$work/nolog"
out=$("$bin" check -d "$work/nolog" 2>&1)
is "no log: check passes" "$?" 0
is "no log: no warning" "$out" \
    "$work/nolog: 3 indicators, 6 observations, 4 sources, 1 targets; 0 warnings"
# A log whose last line is not a write's cannot be checked: a warning.
echo "not a line of the log" >>"$ds/changes.log"
out=$("$bin" check -d "$ds" 2>&1)
has "check: a broken last line of the log" "$out" \
    "warning: $ds/changes.log: its last line is not a write's"
finish
