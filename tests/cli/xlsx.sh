#!/usr/bin/env bash
# .xlsx workbooks (export, fit, track -o FILE.xlsx), opened with Python's
# openpyxl (python3-openpyxl) and compared cell by cell with the CSV the
# same command writes: a number equals the CSV text read as a number (to
# the 15-16 significant digits a workbook keeps a double in), a date
# YYYY-MM-DD is a date cell formatted yyyy-mm-dd, other text is the same
# string, an empty CSV cell is a blank; the header row is bold and frozen
# and every column has a width; text starting with = + - @ from the data
# is a string cell, never a formula.
# Usage: xlsx.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
cp -R "$src/tests/cli/fixtures/small" ds

py=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    fail "no python3 with openpyxl (apt-get install python3-openpyxl)"
    finish
    exit
fi

# Text a spreadsheet would run, in a quote and a source-free field.
"$bin" add -d ds --indicator share --period 2023 --value 14.1 \
    --quote '=HYPERLINK("http://x.invalid","y")' >/dev/null 2>err ||
    fail "add: $(cat err)"

# compare WHAT BOOK SHEET CSV
compare() {
    if "$py" - "$2" "$3" "$4" >"$1.err" 2>&1 <<'PY'; then ok; else fail "$1: $(cat "$1.err")"; fi
import csv, datetime, sys
import openpyxl
book, sheet, csvf = sys.argv[1:4]
wb = openpyxl.load_workbook(book)
ws = wb[sheet]
rows = list(csv.reader(open(csvf, newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
if header[-1] == "as_of":
    header, body = header[:-1], [r[:-1] for r in body]
bad = []
got = [[c for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row,
                                            max_col=len(header))]
if [c.value for c in got[0]] != header:
    bad.append("header %s, CSV %s" % ([c.value for c in got[0]], header))
if not all(c.font.b for c in got[0]):
    bad.append("header not bold")
if ws.freeze_panes != "A2":
    bad.append("frozen at %r, not A2" % ws.freeze_panes)
for j in range(len(header)):
    letter = openpyxl.utils.get_column_letter(j + 1)
    if not ws.column_dimensions[letter].width:
        bad.append("column %s has no width" % letter)
if ws.max_row - 1 != len(body):
    bad.append("%d rows, CSV %d" % (ws.max_row - 1, len(body)))
for i, r in enumerate(body):
    for j, text in enumerate(r):
        c = got[i + 1][j]
        v = c.value
        where = "%s%d (%s)" % (openpyxl.utils.get_column_letter(j + 1), i + 2, header[j])
        if c.data_type == "f":
            bad.append("%s: a formula %r" % (where, v))
        if text == "":
            if v is not None:
                bad.append("%s: %r for an empty cell" % (where, v))
        elif isinstance(v, datetime.datetime):
            if v.strftime("%Y-%m-%d") != text or c.number_format != "yyyy-mm-dd":
                bad.append("%s: date %r (%s) for %r" % (where, v, c.number_format, text))
        elif isinstance(v, (int, float)):
            x = float(text)
            if abs(v - x) > 1e-15 * abs(x):
                bad.append("%s: %r for %r" % (where, v, text))
        elif v != text:
            bad.append("%s: %r for %r" % (where, v, text))
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
PY
}

# A cell that must be a number, a date, or a string.
cell_is() {
    local what=$1 book=$2 sheet=$3 ref=$4 kind=$5
    check_sh "\"$py\" -c '
import datetime, sys, openpyxl
c = openpyxl.load_workbook(\"$book\")[\"$sheet\"][\"$ref\"]
ok = {\"number\": isinstance(c.value, (int, float)) and c.data_type == \"n\",
      \"date\": isinstance(c.value, datetime.datetime),
      \"string\": c.data_type == \"s\"}[\"$kind\"]
sys.exit(0 if ok else 1)'" "$what: $sheet!$ref is a $kind"
}

"$bin" export -d ds -o all.xlsx 2>err || fail "export -o .xlsx: $(cat err)"
"$bin" export -d ds --raw >obs.csv
"$bin" fit -d ds --format csv >fit.csv
"$bin" track -d ds --format csv >track.csv
compare export.observations all.xlsx observations obs.csv
compare export.projections all.xlsx projections fit.csv
compare export.targets all.xlsx targets track.csv
cell_is "value" all.xlsx observations C2 number
cell_is "vintage" all.xlsx observations G2 date
cell_is "period 2014" all.xlsx observations B2 string
check_sh "\"$py\" -c '
import openpyxl
ws = openpyxl.load_workbook(\"all.xlsx\")[\"observations\"]
q = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str) and c.value.startswith(\"=HYPERLINK\")]
assert q and all(c.data_type == \"s\" for c in q), q'" \
    "a quote starting with = is a string cell"

"$bin" fit -d ds share --model linear --to 2027 -o fit.xlsx 2>err ||
    fail "fit -o .xlsx: $(cat err)"
"$bin" fit -d ds share --model linear --to 2027 --format csv >fit1.csv
compare fit fit.xlsx projections fit1.csv
"$bin" track -d ds --level 80 -o track.XLSX 2>err ||
    fail "track -o .XLSX: $(cat err)"
"$bin" track -d ds --level 80 --format csv >track1.csv
compare track track.XLSX targets track1.csv

# Nothing half-written: a folder that does not exist is an error, and no
# temporary file is left.
"$bin" export -d ds -o missing/x.xlsx 2>err
check_sh "[ $? -eq 1 ]" "export -o missing/x.xlsx exits 1"
has "the error names the file" "$(cat err)" "missing/x.xlsx"
check_sh "! ls -a | grep -q almanac-tmp" "no temporary file left"
"$bin" list -d ds -o x.xlsx 2>err
has "list cannot write .xlsx" "$(cat err)" "cannot write .xlsx files"

finish
