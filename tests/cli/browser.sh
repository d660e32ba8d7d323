#!/usr/bin/env bash
# Renders the HTML report of the shipped dataset in headless Chromium and
# checks that it loads with no console error and requests nothing outside
# the file (every request is sent to a dead proxy, so one would fail
# loudly). Chromium missing is a failure, not a skip: CI installs it.
# Usage: browser.sh ALMANAC SOURCE_DIR
. "$(dirname "$0")/lib.sh"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "FAILED: chromium is not installed (apt-get install chromium)"
    echo "0 passed, 1 failed"
    exit 1
fi
"$bin" report -d "$src/datasets/china-2024" -o "$work/r.html" --to 2030 \
    2>/dev/null || fail "report"
run() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --proxy-server=127.0.0.1:9 \
        --enable-logging=stderr --v=1 "$@" "file://$work/r.html"
}
run --dump-dom >"$work/dom.html" 2>"$work/log" || fail "chromium ran"
grep -q '<h1>Indicators: china-2024</h1>' "$work/dom.html" && ok ||
    fail "the page loaded (title in the DOM)"
[ "$(grep -c '<svg' "$work/dom.html")" -ge 10 ] && ok || fail "charts in the DOM"
# Chromium logs every console message as CONSOLE and every request as
# NotifyBeforeURLRequest; its own background calls to Google's hosts are
# not the page's.
if grep -E 'CONSOLE' "$work/log"; then
    fail "console messages (above)"
else
    ok
fi
if grep -E 'NotifyBeforeURLRequest: ' "$work/log" |
    grep -vE 'NotifyBeforeURLRequest: (file:|data:|https?://[a-z0-9.-]*(google\.com|googleapis\.com|gstatic\.com)[/:])'; then
    fail "the page requested something outside itself (above)"
else
    ok
fi
run --screenshot="$work/shot.png" --window-size=1280,2000 \
    --hide-scrollbars >/dev/null 2>&1
[ -s "$work/shot.png" ] && ok || fail "screenshot"
[ -n "${REPORT_SCREENSHOT:-}" ] && cp "$work/shot.png" "$REPORT_SCREENSHOT"
finish
