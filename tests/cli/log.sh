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
# the digest does. Same size, too: 283000 -> 283001.
"$bin" add -d "$ds" --indicator robots --period 2024 --value 290000 \
    --source xinhua >/dev/null &&
    sed -i 's/^robots,2023,283000,/robots,2023,283001,/' "$ds/observations.csv"
out=$("$bin" check -d "$ds" 2>&1)
is "check: exit status with a hand edit (a warning)" "$?" 0
has "check names the file edited by hand" "$out" \
    "warning: $ds/observations.csv: edited by hand since the last write"
is "check: only that file" "$(grep -c 'edited by hand' <<<"$out")" 1
# touch changes no byte: no warning.
sed -i 's/^robots,2023,283001,/robots,2023,283000,/' "$ds/observations.csv"
touch "$ds/targets.csv"
out=$("$bin" check -d "$ds" 2>&1)
is "check: bytes restored, touched file: no warning" \
    "$(grep -c 'edited by hand' <<<"$out")" 0
finish
