#!/usr/bin/env bash
# End-to-end tests of `almanac report`: every indicator, target and source
# appears; text from data is escaped; the HTML references nothing outside
# itself; the same input gives the same bytes; Markdown writes its charts.
# Usage: report.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
export LC_ALL=C TZ=UTC

ds=$src/datasets/china-2024
"$bin" report -d "$ds" -o "$work/r.html" --to 2030 2>"$work/err" ||
    fail "report exits 0: $(cat "$work/err")"
html=$work/r.html

# Every indicator has a section, every target a status, every source a
# citation (titles as the HTML escapes them).
while IFS= read -r id; do
    check_sh "grep -q 'id=\"$id\"' '$html'" "section for $id"
done < <(tail -n +2 "$ds/indicators.csv" | cut -d, -f1)
ntargets=$(($(wc -l <"$ds/targets.csv") - 1))
check_sh "[ \$(grep -o '<h3>Target: ' '$html' | wc -l) -eq $ntargets ]" \
    "one target heading per target"
python3 - "$ds/sources.csv" "$html" <<'PY' && ok || fail "every source title is cited"
import csv, html, sys
text = html.unescape(open(sys.argv[2], encoding="utf-8").read())
missing = [r["title"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
           if r["title"] not in text]
if missing:
    print("missing:", missing[:3])
    sys.exit(1)
PY
check_sh "grep -q 'Figures as published by <strong>2025-12-31</strong>' '$html'" \
    "the as-of date is stated"
check_sh "[ \$(grep -c '<svg' '$html') -ge 10 ]" "charts are inline SVG"

# Nothing outside the file: no scripts, links, images, frames or imports.
check_sh "! grep -Eiq '<script|<link|<img|<iframe|<object|<embed|@import|url\\((https?:)?//|src=\"|href=\"(https?:)?//' '$html'" \
    "no external reference"

# Deterministic: the same bytes twice.
"$bin" report -d "$ds" -o "$work/r2.html" --to 2030 2>/dev/null
check_sh "cmp -s '$html' '$work/r2.html'" "same dataset, same bytes"

# Hostile text: a title that is markup, a quote with every special
# character, a unit with quotes.
cp -R "$src/tests/cli/fixtures/small" "$work/h"
python3 - "$work/h" <<'PY'
import sys
d = sys.argv[1]
p = d + "/indicators.csv"
s = open(p).read().replace("Strategic emerging industries' share of GDP",
                           "<script>alert(1)</script> & <b>bold</b>")
open(p, "w").write(s)
p = d + "/observations.csv"
s = open(p).read().replace("over 13 percent in 2022",
                           "\"\"<img src=x onerror=alert(2)>\"\" 'q' & `id`")
open(p, "w").write(s)
PY
"$bin" check -d "$work/h" >/dev/null 2>&1 || fail "hostile fixture is valid"
"$bin" report -d "$work/h" -o "$work/h.html" 2>/dev/null || fail "hostile report"
check_sh "! grep -q '<script' '$work/h.html'" "no script tag from data"
check_sh "! grep -q '<img' '$work/h.html'" "no img tag from data"
check_sh "grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;' '$work/h.html'" \
    "the title shows as text"
check_sh "grep -q '&quot;&lt;img src=x onerror=alert(2)&gt;&quot; &#39;q&#39; &amp; \`id\`' '$work/h.html'" \
    "the quote shows as text"

# Markdown: charts as PNG beside the file; text escaped.
"$bin" report -d "$work/h" -o "$work/h.md" 2>/dev/null || fail "markdown report"
check_sh "[ -f '$work/h_files/share.png' ]" "markdown chart written"
check_sh "[ \"\$(head -c 8 '$work/h_files/share.png' | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ]" \
    "markdown chart is a PNG"
check_sh "grep -q '](h_files/share.png)' '$work/h.md'" "markdown links its chart"
check_sh "! grep -q '<script' '$work/h.md'" "markdown escapes markup"

# Text to standard output; an unknown extension is an error naming -o.
"$bin" report -d "$work/h" -o - >"$work/h.txt" 2>/dev/null || fail "text report"
check_sh "grep -q '^share ' '$work/h.txt'" "text summary lists indicators"
"$bin" report -d "$work/h" -o "$work/h.doc" 2>"$work/err"
check_sh "[ \$? -eq 1 ] && grep -q -- '-o: cannot tell the report format' '$work/err'" \
    "unknown extension"
check_sh "[ ! -e '$work/h.doc' ]" "nothing written on error"

finish
