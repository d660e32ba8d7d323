#!/usr/bin/env bash
# almanac chart end to end: every output form, one gnuplot process for a
# folder of charts, --script redraws the same bytes without Almanac, and
# the failures (gnuplot missing, gnuplot failing, an unwritable output, a
# bad option) exit with SPEC.md's status, say why, and leave no file.
# Run by ctest as: chart.sh ALMANAC_BINARY SOURCE_DIR; exits 77 (skipped)
# without gnuplot.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null || {
    echo "gnuplot not found: skipped"
    exit 77
}
unset ALMANAC_GNUPLOT ALMANAC_PLOTS
# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk.
png_size() {
    local b
    b=($(od -An -tu1 -j16 -N8 "$1"))
    echo "$(((b[0] << 24) + (b[1] << 16) + (b[2] << 8) + b[3]))x$(((b[4] << 24) + (b[5] << 16) + (b[6] << 8) + b[7]))"
}
magic() { head -c "$2" "$1" | od -An -c | tr -d ' \n'; }
leftovers() { find "$work" -name '*.almanac-tmp*' | wc -l; }

ds=$work/ds
cp -R "$src/tests/cli/fixtures/small" "$ds"
cd "$work" || exit 1
a=(--as-of 2024-12-31)

# One PNG; nothing on standard output.
out=$("$bin" chart -d "$ds" share -o share.png "${a[@]}")
is "png status" $? 0
is "png stdout" "$out" ""
is "png magic" "$(magic share.png 4)" '211PNG'
is "png size" "$(png_size share.png)" 800x500

# Several ids into one file: a figure of panels, of the size asked.
"$bin" chart -d "$ds" share zones -o two.png --size 900x1000 "${a[@]}"
is "panels status" $? 0
is "panels size" "$(png_size two.png)" 900x1000

# A folder: one SVG per indicator, drawn by one gnuplot process.
cat >"$work/gp-log" <<EOF
#!/usr/bin/env bash
echo run >>"$work/gp-runs"
exec gnuplot "\$@"
EOF
chmod +x "$work/gp-log"
ALMANAC_GNUPLOT=$work/gp-log "$bin" chart -d "$ds" -o charts/ "${a[@]}"
is "folder status" $? 0
is "folder files" "$(cd charts && ls | tr '\n' ' ')" \
    "growth_janfeb.svg share.svg zones.svg "
is "one gnuplot" "$(wc -l <gp-runs)" 1
has "svg" "$(head -c 200 charts/share.svg)" '<svg'
"$bin" chart -d "$ds" share zones -o charts/ --type pdf "${a[@]}"
is "pdf magic" "$(magic charts/zones.pdf 5)" '%PDF-'

# Text: on standard output, no wider than the (default) terminal.
out=$("$bin" chart -d "$ds" share -o - "${a[@]}")
is "text status" $? 0
has "text title" "$out" "Strategic emerging industries' share of GDP"
is "text width" "$(echo "$out" | tr -d '\f' | sed 's/[\x80-\xbf]//g' | awk '{ if (length($0) > m) m = length($0) } END { print m <= 80 }')" 1
"$bin" chart -d "$ds" share -o share.txt "${a[@]}"
has "txt file" "$(cat share.txt)" "% of GDP"

# --script: the script alone redraws the same PNG, byte for byte.
"$bin" chart -d "$ds" share -o redraw.png --script redraw.gp "${a[@]}"
is "script status" $? 0
mv redraw.png first.png
gnuplot redraw.gp
is "script redraws" "$(cmp -s first.png redraw.png && echo same)" same
has "script inlines the theme" "$(cat redraw.gp)" "alm_band_alpha ="
is "script loads nothing" "$(grep -c '^load ' redraw.gp)" 0
# Alone, --script names the output after itself.
"$bin" chart -d "$ds" zones --script alone.gp --type svg "${a[@]}"
is "script alone" "$(ls alone.*)" "alone.gp"
gnuplot alone.gp
has "script alone draws" "$(head -c 200 alone.svg)" '<svg'

# gnuplot missing: exit 3, the package named, the old file kept.
echo old >keep.png
err=$(ALMANAC_GNUPLOT=/nonexistent/gnuplot "$bin" chart -d "$ds" share -o keep.png "${a[@]}" 2>&1)
is "missing status" $? 3
has "missing message" "$err" "gnuplot-nox"
is "missing keeps" "$(cat keep.png)" old
# gnuplot failing (a theme it cannot load): exit 3 with its message.
err=$(ALMANAC_PLOTS=/nonexistent "$bin" chart -d "$ds" share -o keep.png "${a[@]}" 2>&1)
is "failing status" $? 3
has "failing message" "$err" "gnuplot failed"
has "failing says why" "$err" "/nonexistent/theme.gp"
is "failing keeps" "$(cat keep.png)" old
# An output that cannot be written: exit 1, nothing written.
err=$("$bin" chart -d "$ds" share -o no/such/x.png "${a[@]}" 2>&1)
is "unwritable status" $? 1
has "unwritable message" "$err" "cannot write 'no/such/x.png'"
is "no temporary files" "$(leftovers)" 0

# Bad options.
"$bin" chart -d "$ds" share -o x.jpg "${a[@]}" 2>/dev/null
is "unknown extension" $? 1
"$bin" chart -d "$ds" share -o - --type png "${a[@]}" 2>/dev/null
is "image to stdout" $? 1
"$bin" chart -d "$ds" share -o x.png --size 800 "${a[@]}" 2>/dev/null
is "bad size" $? 1
"$bin" chart -d "$ds" share "${a[@]}" 2>/dev/null
is "no output" $? 2
"$bin" chart -d "$ds" nosuch -o x.png "${a[@]}" 2>/dev/null
is "unknown id" $? 1
is "nothing from bad options" "$(ls x.* 2>/dev/null | wc -l)" 0

finish
