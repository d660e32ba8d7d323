#!/usr/bin/env bash
# Hostile text: a dataset whose titles, units, publishers, locations,
# quotes, targets and an unknown column hold gnuplot commands (backquotes,
# system(), quotes that try to end a string, newlines that try to start a
# command, EOD), shell commands, HTML and script tags, Markdown links and
# images, CSV formula triggers (= + - @ tab CR at the start of a cell),
# printf formats, bidi controls and 60 KiB strings. Every command runs on
# it and exits 0; no command in the text runs (the files they would create
# do not exist afterwards); nothing is written outside the output folder;
# and the outputs show the text: CSV cells exact (formula triggers
# neutralised in exports, never numbers, kept by --raw), HTML and SVG
# well-formed with no script, handler or outside reference and the text in
# them once unescaped, Markdown escaped, the gnuplot script unable to run
# anything. Then ids that are paths are rejected, text over the limits is
# rejected with a message, and invalid UTF-8 is rejected cleanly, in files
# and in options.
# Run by ctest as: hostile.sh ALMANAC_BINARY SOURCE_DIR
. "$(dirname "$0")/lib.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
owned=/tmp/almanac-owned-$$
at_exit() { rm -rf "$owned"*; }
if ! command -v python3 >/dev/null; then
    echo "hostile.sh needs python3"
    exit 1
fi

ds=$work/ds
out=$work/out
run=$work/run # the working folder of every command: it must stay empty
mkdir -p "$out" "$run"

# The dataset, and hostile.json: every hostile string by name, for the
# checks below. Commands in the text would create $owned (absolute) or
# almanac-owned (relative to the working folder).
python3 - "$ds" "$owned" "$work/hostile.json" <<'PY'
import json, os, sys
d, owned, meta = sys.argv[1:4]
os.makedirs(d)
rel = "almanac-owned"
text = {
    "bq": "`touch %s` `touch %s`" % (owned, rel),
    "sys": 'system("touch %s")' % owned,
    "sq": "x'; system('touch %s'); print '" % owned,
    "dq": 'x"; system("touch %s"); print "' % owned,
    "nl": "line one\n!touch %s\nset output '%s.svg'\nEOD\nplot 1" % (owned, owned),
    "html": '<script>alert(1)</script><img src=x onerror="alert(2)"></title></svg>&amp;',
    "link": '<a href="javascript:alert(3)">x</a> [md](javascript:alert(4)) '
            '![i](http://evil.invalid/x.png) | pipe | **b** `code`',
    "shell": "$(touch %s); touch %s" % (owned, rel),
    "fmt": "%s%n%x%p {/Bold x}^2 _sub @ARG0 \\ back\\slash",
    "uni": "\u589e\u957f \U0001F680 \u202eRTL\u202c zero\u200bwidth",
    "eq": '=HYPERLINK("http://evil.invalid/","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(A1:A9)",
    "tab": "\tTAB first",
    "cr": "\rCR first",
}
long_text = ("long text " * 6000)[:60000]

def q(x):
    return '"' + x.replace('"', '""') + '"' if any(c in x for c in ',"\r\n') else x

def write(name, rows):
    with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
        for r in rows:
            f.write(",".join(q(x) for x in r) + "\n")

kinds = ["level", "share", "growth", "value", "index"]
ind = [["id", "title", "unit", "kind", "frequency", "scope", "notes"]]
obs = [["indicator", "period", "value", "qualifier", "status", "source",
        "vintage", "quote", "comment"]]
src = [["id", "title", "publisher", "date", "location"]]
tgt = [["indicator", "period", "value", "comparator", "qualifier", "baseline",
        "announced", "source", "quote"]]
ids = {}
for i, (k, t) in enumerate(text.items()):
    # Valid ids that look odd: dots, dashes, "..".
    iid = "h.%s" % k if i % 2 else "h-%s..x" % k
    ids[k] = iid
    kind = kinds[i % 5]
    src.append(["s-" + k, t, t, "2024-0%d-1%d" % (1 + i % 9, i % 10), t])
    ind.append([iid, t, t, kind, "A", t, t])
    for y in range(2015, 2024):
        v = round((y - 2010) * (1.5 + i / 10), 3)
        if kind == "growth":
            v = round(-v / 10, 3)  # negative numbers: never neutralised
        obs.append([iid, str(y), repr(v), "", "", "s-" + k, "2024-05-01",
                    t if y % 2 else long_text, t])
    up = kind != "growth"
    tgt.append([iid, "2030", "40" if up else "-5", ">=" if up else "<=", "",
                "", "", "s-" + k, t])
write("indicators.csv", ind)
write("observations.csv", obs)
write("sources.csv", src)
write("targets.csv", tgt)
json.dump({"text": text, "ids": ids, "long": long_text}, open(meta, "w"))
PY
ids=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["ids"].values()))' "$work/hostile.json")
cp -R "$ds" "$work/ds.before"

# almanac ARGS...: runs in $run; output in $work/stdout, $work/stderr.
almanac() {
    (cd "$run" && "$bin" "$@" >"$work/stdout" 2>"$work/stderr")
}
runs() { # runs NAME ARGS...: the command exits 0; keeps its output as out/NAME
    local name=$1
    shift
    almanac "$@"
    local st=$?
    check "$name: exits 0 (got $st: $(head -c 300 "$work/stderr"))" [ "$st" = 0 ]
    cp "$work/stdout" "$out/$name.stdout"
}

runs check check -d "$ds"
runs list list -d "$ds"
runs list.csv list -d "$ds" --format csv
for id in $ids; do
    runs "show.$id" show -d "$ds" "$id" --vintages
    runs "show.$id.csv" show -d "$ds" "$id" --vintages --format csv
done
runs fit fit -d "$ds"
runs fit.csv fit -d "$ds" --format csv --to 2030
runs track track -d "$ds"
runs track.csv track -d "$ds" --method unsd --format csv
runs export export -d "$ds" -o "$out/long.csv"
runs export.raw export -d "$ds" --raw -o "$out/raw.csv"
runs export.wide export -d "$ds" --layout wide -o "$out/wide.csv"
runs export.proj export -d "$ds" --projections --to 2030 -o "$out/proj.csv"
runs report.html report -d "$ds" -o "$out/r.html" --to 2030
runs report.md report -d "$ds" -o "$out/r.md" --to 2030
runs report.txt report -d "$ds" -o "$out/r.txt" --to 2030
runs report.title report -d "$ds" -o "$out/t.html" --no-charts \
    --title "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["text"]["html"])' "$work/hostile.json")"
gnuplot=1
if ! command -v "${ALMANAC_GNUPLOT:-gnuplot}" >/dev/null; then
    gnuplot=0
    echo "skipped: charts (no gnuplot)"
fi
if [ "$gnuplot" = 1 ]; then
    runs chart.svg chart -d "$ds" $ids -o "$out/all.svg"
    runs chart.dir chart -d "$ds" $ids -o "$out/dir/"
    runs chart.png chart -d "$ds" h.sys h-nl..x -o "$out/two.png"
    runs chart.pdf chart -d "$ds" h.html -o "$out/one.pdf"
    runs chart.text chart -d "$ds" h-bq..x h-sq..x -o -
    runs chart.script chart -d "$ds" $ids -o "$out/s.svg" --script "$out/s.gp"
fi

# No command ran: the files they would have made do not exist, the
# working folder is empty, the dataset unchanged.
check "no command in the text ran ($(ls -d "$owned"* 2>/dev/null))" \
    [ -z "$(ls -d "$owned"* 2>/dev/null)" ]
check "nothing written in the working folder ($(ls -A "$run"))" [ -z "$(ls -A "$run")" ]
rm -f "$ds/.almanac.lock"
check "the dataset is unchanged" diff -r "$work/ds.before" "$ds"

# Everything else with python: the outputs show the text, safely.
python3 - "$work" "$gnuplot" <<'PY'
import csv, html, html.parser, io, json, os, re, sys
import xml.etree.ElementTree as ET
work, gnuplot = sys.argv[1], sys.argv[2] == "1"
out = os.path.join(work, "out")
meta = json.load(open(os.path.join(work, "hostile.json")))
text, ids = meta["text"], meta["ids"]
passed = failed = 0

def check(what, cond):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

def norm(s):  # line breaks and tabs may become spaces; runs of space one
    return re.sub(r"\s+", " ", s).strip()

def read(name):  # newline="": a CR inside a cell is data
    return open(os.path.join(out, name), encoding="utf-8", newline="").read()

def rows(name):
    return list(csv.DictReader(io.StringIO(read(name), newline="")))

# Nothing outside the output folder's expected files.
want = {"long.csv", "raw.csv", "wide.csv", "proj.csv", "r.html", "r.md",
        "r.txt", "t.html"}
if gnuplot:
    want |= {"all.svg", "dir", "two.png", "one.pdf", "s.svg", "s.gp"}
made = {f for f in os.listdir(out) if not f.endswith(".stdout")}
extra = made - want - {f for f in made if f.startswith("r_files")}
check("only the expected outputs were written: extra %s, missing %s"
      % (sorted(extra), sorted(want - made)), not extra and want <= made)

# CSV exports. Formula triggers: = + - @ tab CR at the start of a text
# cell that is not a number.
def is_number(s):
    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s) is not None

def neutral(s):
    # README "Outputs": "'"s then a formula get one more "'".
    t = s.lstrip("'")
    return "'" + s if t and t[0] in "=+-@\t\r" and not is_number(t) else s

obs = list(csv.DictReader(open(os.path.join(work, "ds", "observations.csv"),
                               encoding="utf-8", newline="")))
raw, lng = rows("raw.csv"), rows("long.csv")
check("export rows: %d raw, %d long, %d in the dataset" % (len(raw), len(lng), len(obs)),
      len(raw) == len(obs) == len(lng))
key = lambda r: (r["indicator"], r["period"])
by = {key(r): r for r in obs}
bad_raw = bad_long = bad_num = 0
for r in raw:
    o = by[key(r)]
    if r["quote"] != o["quote"] or r["comment"] != o["comment"] or r["value"] != o["value"]:
        bad_raw += 1
for r in lng:
    o = by[key(r)]
    if r["quote"] != neutral(o["quote"]) or r["comment"] != neutral(o["comment"]):
        bad_long += 1
    if r["value"] != o["value"]:
        bad_num += 1
check("--raw keeps every cell as it is (%d differ)" % bad_raw, bad_raw == 0)
check("export neutralises formula triggers in text cells (%d wrong)" % bad_long, bad_long == 0)
check("export never touches numbers, negative ones included (%d changed)" % bad_num,
      bad_num == 0 and any(r["value"].startswith("-") for r in lng))
check("export neutralised something", any(r["quote"].startswith("'=") for r in lng))
wide = rows("wide.csv")
check("wide export: every id is a column", all(i in wide[0] for i in ids.values()))
check("wide export: negative numbers untouched",
      any(v.startswith("-") for r in wide for v in r.values()))
proj = rows("proj.csv")
check("projections export: has projected rows",
      any(r.get("type") == "projection" for r in proj))

# list, show, fit, track: the text is there, exactly in CSV.
for k, iid in ids.items():
    s = list(csv.DictReader(io.StringIO(read("show.%s.csv.stdout" % iid), newline="")))
    quotes = {r["quote"] for r in s}
    check("show --format csv %s: the quote comes back exactly (guarded)" % iid,
          neutral(text[k]) in quotes)
    check("show %s: the quote is shown" % iid,
          norm(text[k])[:40] in norm(read("show.%s.stdout" % iid)))
lst = list(csv.DictReader(io.StringIO(read("list.csv.stdout"), newline="")))
titles = {r["title"] for r in lst}
check("list --format csv: every title exactly (guarded)",
      all(neutral(t) in titles for t in text.values()))
check("fit names every indicator", all(i in read("fit.stdout") for i in ids.values()))
check("track names every indicator", all(i in read("track.stdout") for i in ids.values()))

# HTML: well-formed enough to parse, no script, no handler, no outside
# reference, and every title there once unescaped.
class Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.bad, self.data = set(), [], []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in ("script", "iframe", "object", "embed", "img", "link", "base", "form"):
            self.bad.append(tag)
        for a, v in attrs:
            v = v or ""
            if a.startswith("on") or "javascript:" in v.lower() or \
               (a in ("href", "src", "xlink:href") and not v.startswith(("#", "data:"))):
                self.bad.append("%s %s=%r" % (tag, a, v[:40]))
    def handle_data(self, d):
        self.data.append(d)

for name in ("r.html", "t.html"):
    doc = read(name)
    s = Scan()
    s.feed(doc)
    check("%s: no script, handler or outside reference: %s" % (name, s.bad[:3]), not s.bad)
    body = norm(" ".join(s.data))
    missing = [k for k, t in text.items() if norm(t) not in body]
    if name == "r.html":
        check("r.html: every hostile title is shown (missing %s)" % missing, not missing)
check("t.html: the hostile --title is shown as text",
      norm(text["html"]) in norm(html.unescape(read("t.html"))) and "<script>" not in read("t.html"))

# Markdown: no raw HTML, links or images from data; the text once
# unescaped.
md = read("r.md")
check("r.md: no raw HTML from data", "<script" not in md and "<img" not in md and "<a " not in md)
check("r.md: no link or image from data",
      not re.search(r"(?<!\\)\]\((?:javascript|https?):", md))
unmd = norm(html.unescape(re.sub(r"\\(.)", r"\1", md)))
missing = [k for k, t in text.items() if norm(t) not in unmd]
check("r.md: every hostile title is shown (missing %s)" % missing, not missing)
txt = norm(read("r.txt"))
missing = [k for k, t in text.items() if norm(t)[:30] not in txt]
check("r.txt: every hostile title is shown (missing %s)" % missing, not missing)

# gnuplot: the script can run nothing (see tests/fuzz/fuzz_analysis.c).
def gp_safe(s):
    state, start = "code", True
    i = 0
    while i < len(s):
        c = s[i]
        if state == "code":
            if c == "`" or (start and c == "!") or s.startswith("system", i):
                return "%r at %d" % (s[max(0, i - 20):i + 20], i)
            state = {"'": "sq", '"': "dq", "#": "comment"}.get(c, "code")
        elif state == "sq":
            if c == "'" and s[i + 1:i + 2] == "'":
                i += 1
            elif c == "'":
                state = "code"
            elif c == "\n":
                return "newline in a string at %d" % i
        elif state == "dq":
            if c in "`\n":
                return "%r in a double-quoted string at %d" % (c, i)
            if c == "\\":
                i += 1
            elif c == '"':
                state = "code"
        elif c == "\n":
            state = "code"
        start = c == "\n" or (start and c in " \t")
        i += 1
    return None

if gnuplot:
    gp = read("s.gp")
    problem = None
    # The theme is loaded or inlined: check only from the first chart on.
    problem = gp_safe(gp[gp.index("# ---- chart 1 ----"):]) if "# ---- chart 1 ----" in gp else gp_safe(gp)
    check("the gnuplot script can run nothing: %s" % problem, problem is None)
    for name in ["all.svg"] + ["dir/%s.svg" % i for i in ids.values()]:
        try:
            root = ET.parse(os.path.join(out, name)).getroot()
        except Exception as e:
            check("%s is well-formed XML: %s" % (name, e), False)
            continue
        bad = [el.tag for el in root.iter() if el.tag.split("}")[-1] in
               ("script", "foreignObject", "iframe")]
        bad += ["%s@%s" % (el.tag, a) for el in root.iter() for a in el.attrib
                if a.split("}")[-1].startswith("on")]
        check("%s: no script or handler: %s" % (name, bad[:3]), not bad)
    alltext = norm(" ".join(t for el in ET.parse(os.path.join(out, "all.svg")).getroot().iter()
                            for t in [el.text or ""]))
    shown = [k for k, t in text.items() if norm(t)[:12] in alltext]
    check("all.svg shows the hostile titles (%d of %d found)" % (len(shown), len(text)),
          len(shown) >= len(text) - 2)
    files = sorted(os.listdir(os.path.join(out, "dir")))
    check("chart -o DIR/ writes ID.svg for each id and nothing else: %s" % files[:4],
          files == sorted(i + ".svg" for i in ids.values()))
print("python checks: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
check "the outputs show the text, safely (python checks above)" [ $? = 0 ]

# Ids that are paths or break the grammar are rejected, by import and by
# check, and are never used as file names.
for bad in '../x' 'a/b' "$owned" 'A' '.x' 'x y' 'x,y' '-x' "$(printf 'x%.0s' $(seq 1 129))"; do
    python3 -c 'import csv,sys; w=csv.writer(sys.stdout, lineterminator="\n"); w.writerow(["indicator","period","value","source"]); w.writerow([sys.argv[1],"2024","1","s-eq"])' "$bad" >"$work/bad-id.csv"
    almanac import -d "$ds" "$work/bad-id.csv"
    st=$?
    check "import of id '${bad:0:20}': exits 1 (got $st)" [ "$st" = 1 ]
    check "import of id '${bad:0:20}': says the id is bad ($(cat "$work/stderr"))" \
        grep -q "bad indicator id" "$work/stderr"
    almanac show -d "$ds" -- "$bad"
    st=$?
    check "show '${bad:0:20}': exits 1 (got $st)" [ "$st" = 1 ]
    if [ "$gnuplot" = 1 ]; then
        almanac chart -d "$ds" -o "$out/baddir/" -- "$bad"
        st=$?
        check "chart -o DIR/ '${bad:0:20}': exits 1 (got $st)" [ "$st" = 1 ]
    fi
done
check "no file named after a bad id" [ -z "$(ls -A "$out/baddir" 2>/dev/null)" ]
check "nothing written outside ($(ls -d "$owned"* "$work/x" 2>/dev/null))" \
    [ -z "$(ls -d "$owned"* "$work/x" "$work/a" 2>/dev/null)" ]
cp -R "$ds" "$work/ds.badid"
printf '../evil,Evil,u,value,A,,\n' >>"$work/ds.badid/indicators.csv"
almanac check -d "$work/ds.badid"
st=$?
check "check: a path as an id is an error (got $st)" [ "$st" = 1 ]
check "check: names the bad id ($(cat "$work/stderr"))" grep -q "bad id '../evil'" "$work/stderr"
rm -f "$ds/.almanac.lock"
check "the dataset is unchanged after the rejected imports" diff -r "$work/ds.before" "$ds"

# Over the limits: a field of 70,000 bytes, by import and by add.
python3 -c 'print("indicator,period,value,source,quote"); print("h.sys,2030,1,s-eq," + "x" * 70000)' >"$work/long.csv"
almanac import -d "$ds" "$work/long.csv"
st=$?
check "import of a 70,000-byte quote: exits 1 (got $st)" [ "$st" = 1 ]
check "... and names the limit ($(cat "$work/stderr"))" grep -q "the limit is 65536 bytes" "$work/stderr"
almanac add -d "$ds" --indicator h.sys --period 2030 --value 1 --source s-eq \
    --quote "$(head -c 70000 /dev/zero | tr '\0' x)"
st=$?
check "add of a 70,000-byte --quote: exits 1 (got $st)" [ "$st" = 1 ]
check "... and names the option ($(cat "$work/stderr"))" grep -q "^almanac: --quote: 70000 bytes" "$work/stderr"

# Invalid UTF-8: in a file, every command stops with the file and line; in
# an option, the message shows the bytes escaped; nothing crashes.
cp -R "$work/ds.before" "$work/ds.utf8"
printf 'h.sys,2030,1,,,s-eq,2024-05-01,bad \xff\xfe byte,\n' >>"$work/ds.utf8/observations.csv"
line=$(wc -l <"$work/ds.utf8/observations.csv")
for cmd in check list "show h.sys" fit track export "report -o $out/u.html" \
    "chart h.sys -o $out/u.svg"; do
    almanac $cmd -d "$work/ds.utf8"
    st=$?
    check "invalid UTF-8 in a file, $cmd: exits 1 (got $st)" [ "$st" = 1 ]
    check "invalid UTF-8 in a file, $cmd: names the line ($(head -c 200 "$work/stderr"))" \
        grep -q "observations.csv:$line: invalid UTF-8" "$work/stderr"
done
almanac show -d "$ds" $'h.\xff\xfe'
st=$?
check "show of an invalid UTF-8 id: exits 1 (got $st)" [ "$st" = 1 ]
check "... and shows the bytes escaped ($(cat "$work/stderr"))" grep -q 'h.\\xFF\\xFE' "$work/stderr"
almanac report -d "$ds" -o "$out/u.html" --no-charts --title $'bad \xff title'
st=$?
check "report --title in invalid UTF-8: exits 1 (got $st)" [ "$st" = 1 ]
check "... naming the option ($(cat "$work/stderr"))" grep -q "^almanac: --title: invalid UTF-8" "$work/stderr"
# A title cut to fit, and a folder name that is not UTF-8: the report
# stays valid UTF-8.
cp -R "$work/ds.before" "$work/"$'ds\xff'
almanac report -d "$work/"$'ds\xff' -o "$out/u2.html" --no-charts \
    --title "$(printf '%.0s\xe5\xa2\x9e' $(seq 1 150))"
st=$?
check "report with a 450-byte title: exits 0 (got $st)" [ "$st" = 0 ]
almanac report -d "$work/"$'ds\xff' -o "$out/u3.html" --no-charts
st=$?
check "report of a folder whose name is not UTF-8: exits 0 (got $st)" [ "$st" = 0 ]
check "... both reports are valid UTF-8" python3 -c '
import sys
for f in sys.argv[1:]:
    open(f, "rb").read().decode("utf-8")' "$out/u2.html" "$out/u3.html"
almanac add -d "$ds" --indicator h.sys --period 2030 --value 1 --source s-eq --quote $'bad \xff'
st=$?
check "add of an invalid UTF-8 --quote: exits 1 (got $st)" [ "$st" = 1 ]
printf 'indicator,period,value,source\nh.sys,2030,1,s-eq\nh\xff,2031,1,s-eq\n' >"$work/utf8.csv"
almanac import -d "$ds" "$work/utf8.csv"
st=$?
check "import of invalid UTF-8: exits 1 (got $st)" [ "$st" = 1 ]
check "... and names the line ($(cat "$work/stderr"))" grep -q "utf8.csv:3: invalid UTF-8" "$work/stderr"
rm -f "$ds/.almanac.lock"
check "the dataset is unchanged after the rejected writes" diff -r "$work/ds.before" "$ds"
check "still no command in the text ran" [ -z "$(ls -d "$owned"* 2>/dev/null)" ]

finish
