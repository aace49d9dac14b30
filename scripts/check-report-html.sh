#!/usr/bin/env bash
# Renders a robustness report (report.html from `nnverify report`) in headless Chromium and checks that
# the page loads, has the accuracy chart and the counterexample gallery, and renders to a screenshot.
# Not part of `swift test` (it needs a browser): install one with `apt-get install chromium`.
#
#   scripts/check-report-html.sh REPORT_DIR_OR_HTML [SCREENSHOT.png]
#
# Exit status 0 when every check passes, 1 otherwise (the failed check is printed).
set -euo pipefail

target=${1:?usage: check-report-html.sh REPORT_DIR_OR_HTML [SCREENSHOT.png]}
[ -d "$target" ] && target="$target/report.html"
[ -f "$target" ] || { echo "check-report-html: no such file: $target" >&2; exit 1; }
html=$(cd "$(dirname "$target")" && pwd)/$(basename "$target")
shot=${2:-$(dirname "$html")/report-screenshot.png}

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
[ -n "$browser" ] || { echo "check-report-html: no chromium found; install it with 'apt-get install chromium'" >&2; exit 1; }

fail() { echo "check-report-html: FAILED: $*" >&2; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
       --user-data-dir="$(mktemp -d)")
# No network is needed: block it, so a page that fetches anything shows up as a console error.
flags+=(--host-resolver-rules="MAP * ~NOTFOUND")

# Self-contained: no external resources in the file itself.
if grep -Eio '(src|href)="(https?:)?//[^"]*"|<link[^>]*>|<script[^>]*src=|url\(' "$html" >&2; then
    fail "the page refers to external resources (above)"
fi

log=$(mktemp)
dom=$(timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$html" 2>"$log") \
    || fail "chromium could not load $html (see $log)"
if grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$log" >/dev/null; then
    grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$log" >&2
    fail "the page logged errors"
fi
grep -q 'id="accuracy-chart"' <<<"$dom" || fail "no accuracy chart (svg#accuracy-chart) in the rendered page"
series=$(grep -o '<polyline class="series"' <<<"$dom" | wc -l)
[ "$series" -eq 3 ] || fail "the chart has $series lines, expected 3 (clean, attack-robust, certified)"
grep -q 'id="per-class"' <<<"$dom" || fail "no per-class table"
if grep -q 'id="gallery" class="gallery"' <<<"$dom"; then
    images=$(grep -o 'src="data:image/png;base64,' <<<"$dom" | wc -l)
    [ "$images" -ge 3 ] || fail "the gallery has $images images"
    echo "check-report-html: gallery with $images images"
else
    echo "check-report-html: no gallery (inputs are not images, or nothing was falsified)"
fi
timeout 120 "$browser" "${flags[@]}" --window-size=1150,2000 --screenshot="$shot" "file://$html" >/dev/null 2>&1 \
    || fail "chromium could not take a screenshot"
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || fail "the screenshot $shot is only $size bytes (blank page?)"
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$shot is not a PNG"
echo "check-report-html: OK ($browser; chart with 3 series; screenshot $shot, $size bytes)"
