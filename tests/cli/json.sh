#!/usr/bin/env bash
# --format json on every command that prints a table: the output parses
# with `python3 -m json.tool`, and round-trips the values of the same
# command's CSV output, cell by cell: a JSON number equals the CSV text read
# as a number, null is an empty CSV cell, a string is the CSV text; the
# keys of each row are the CSV header, in order; the CSV's as_of column is
# the header object's as_of. Columns of figures must be JSON numbers, and
# columns of periods and ids JSON strings (a period "2022" is not a
# number). Usage: json.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
cp -R "$src/tests/cli/fixtures/small" ds

# compare WHAT CSV JSON NUMBERS TEXTS [HEADER_KEY=VALUE...]: NUMBERS and
# TEXTS are comma-separated column names that must be numbers (where not
# null) and strings (where not null).
compare() {
    local what=$1 csvf=$2 jsonf=$3 numbers=$4 texts=$5
    shift 5
    if ! python3 -m json.tool "$jsonf" >/dev/null 2>"$what.err"; then
        fail "$what: json.tool: $(cat "$what.err")"
        return
    fi
    ok
    if python3 - "$csvf" "$jsonf" "$numbers" "$texts" "$@" >"$what.err" 2>&1 <<'PY'; then ok; else fail "$what: $(cat "$what.err")"; fi
import csv, json, sys
csvf, jsonf, numbers, texts = sys.argv[1:5]
want_head = dict(a.split("=", 1) for a in sys.argv[5:])
numbers = set(filter(None, numbers.split(",")))
texts = set(filter(None, texts.split(",")))
rows = list(csv.reader(open(csvf, newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
doc = json.load(open(jsonf, encoding="utf-8"))
head, jrows = doc["header"], doc["rows"]
bad = []
for k, v in want_head.items():
    got = head.get(k)
    if str(got) != v:
        bad.append("header %s: %r, expected %r" % (k, got, v))
if "as_of" in header and header[-1] == "as_of":
    for r in body:
        if r[-1] != head.get("as_of"):
            bad.append("as_of %r vs header %r" % (r[-1], head.get("as_of")))
    header, body = header[:-1], [r[:-1] for r in body]
if len(jrows) != len(body):
    bad.append("%d rows, CSV has %d" % (len(jrows), len(body)))
seen = set()
for i, (r, j) in enumerate(zip(body, jrows)):
    if list(j.keys()) != header:
        bad.append("row %d keys %s, CSV header %s" % (i, list(j.keys()), header))
        continue
    for name, cell in zip(header, r):
        v = j[name]
        if cell == "":
            if v is not None:
                bad.append("row %d %s: %r for an empty cell" % (i, name, v))
        elif isinstance(v, bool) or v is None:
            bad.append("row %d %s: %r for %r" % (i, name, v, cell))
        elif isinstance(v, (int, float)):
            if float(cell) != float(v):
                bad.append("row %d %s: %r for %r" % (i, name, v, cell))
            if name in texts:
                bad.append("row %d %s: a number, expected a string" % (i, name))
            seen.add(name)
        elif v != cell:
            bad.append("row %d %s: %r for %r" % (i, name, v, cell))
        elif name in numbers:
            bad.append("row %d %s: the string %r, expected a number" % (i, name, v))
missing = numbers - seen
if body and missing:
    bad.append("no number seen in " + ",".join(sorted(missing)))
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
PY
}

# run NAME ARGS...: the command's CSV (NAME.csv) and JSON (NAME.json).
run() {
    local name=$1
    shift
    "$bin" "$@" --format csv >"$name.csv" 2>"$name.err" ||
        fail "$name: csv: $(cat "$name.err")"
    "$bin" "$@" --format json >"$name.json" 2>"$name.err" ||
        fail "$name: json: $(cat "$name.err")"
}

run list list -d ds --as-of 2024-03-18
compare list list.csv list.json value period,indicator,vintage \
    table=list as_of=2024-03-18
run show show -d ds share --vintages --as-of 2024-03-18
compare show show.csv show.json value period table=show as_of=2024-03-18
run fit fit -d ds share --model linear --to 2026 --level 80
compare fit fit.csv fit.json value,lower,upper,n,level,t period,indicator \
    table=fit model=linear level=80
run track track -d ds
compare track track.csv track.json \
    target,ratio,observed_cagr,projected,lower,upper,level,probability \
    target_period,latest_period,baseline table=track model=auto level=95

printf 'y,x\n1,1\n3,2\n2,3\n5,4\n' >xy.csv
run regress regress xy.csv
compare regress regress.csv regress.json estimate,std_error term table=regress
check_sh "! grep -q as_of regress.json" "regress JSON has no as-of date"

printf 'date 2024-03-18\nIn 2023 output grew 5.2 percent.\n' >doc.txt
run extract extract doc.txt
compare extract extract.csv extract.json offset,value period table=extract

# export: JSON is raw (no formula guard), so against --raw CSV.
for layout in long wide; do
    "$bin" export -d ds --layout $layout --raw --projections --to 2026 \
        >"export-$layout.csv"
    "$bin" export -d ds --layout $layout --projections --to 2026 \
        -o "export-$layout.json" 2>err || fail "export -o .json: $(cat err)"
done
compare export-long export-long.csv export-long.json value,lower,upper \
    period,indicator table=export model=auto level=95 as_of=2024-03-18
compare export-wide export-wide.csv export-wide.json share,share:lower \
    period,share:model table=export model=auto level=95

# -o FILE.json without --format writes JSON; --format wins over -o.
"$bin" list -d ds -o implied.json
check_sh "python3 -m json.tool implied.json >/dev/null" \
    "list -o x.json writes JSON"
"$bin" list -d ds --format csv -o forced.json
check_sh "head -1 forced.json | grep -q '^indicator,title'" \
    "--format csv -o x.json writes CSV"

# A formula from data stays text, unguarded: JSON is read by programs.
printf 'y,=1+1\n1,2\n2,3\n3,5\n' >formula.csv
"$bin" regress formula.csv --format json >formula.json 2>err
is "regress JSON keeps the term '=1+1' as a string" \
    "$(python3 -c 'import json; print(json.load(open("formula.json"))["rows"][1]["term"])')" "=1+1"

finish
