#!/usr/bin/env bash
# How far past its deadline `nnverify verify` runs, over every instance of the shared suites: each instance
# is one `verify` process with its timeout scaled (and capped), timed from process start to exit.
#
#   benchmarks/deadline-overshoot.sh [SCALE] [CAP] [SUITE ...]    e.g. benchmarks/deadline-overshoot.sh 0.02 3
#
# SCALE (default 0.02) multiplies the csv timeouts, CAP (default 3 s) caps them, so most instances reach their
# deadline; SUITE defaults to every folder of ../shared/benchmarks. Per instance it writes a tab-separated row:
# suite, onnx, vnnlib, timeout, wall seconds, search seconds (verify's own `time:`, which starts after loading),
# verdict, load average; then per suite and overall the maximum and the 99th percentile of
#   overshoot = wall - timeout              (what a harness sees: loading and exit included)
#   search overshoot = search - timeout     (the searches' own lateness: the part a deadline check controls)
#   load = wall - search                    (process start, model and spec loading, witness output, exit)
# and every instance whose search overshoot exceeds 1 s. Rows go to $OUT (default benchmarks/out/overshoot.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-0.02}; cap=${2:-3}; shift $(( $# >= 2 ? 2 : $# ))
shared=../shared/benchmarks
suites=("$@"); [ ${#suites[@]} -gt 0 ] || suites=($(ls "$shared"))
source benchmarks/release-binary.sh
out=${OUT:-benchmarks/out/overshoot.tsv}
mkdir -p "$(dirname "$out")"
: > "$out"
echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg); scale $scale, cap $cap s"
for suite in "${suites[@]}"; do
    dir=$shared/$suite
    [ -f "$dir/instances.csv" ] || continue
    while IFS=, read -r onnx vnnlib timeout; do
        [ -n "$onnx" ] || continue
        t=$(awk -v t="$timeout" -v s="$scale" -v c="$cap" 'BEGIN {t = t * s; if (t > c) t = c; printf "%.3f", t}')
        start=$(date +%s.%N)
        text=$("$bin" verify "$dir/$onnx" "$dir/${vnnlib//[$'\r']}" --timeout "$t" 2>/dev/null </dev/null) || true
        end=$(date +%s.%N)
        verdict=$(head -1 <<< "$text")
        search=$(sed -n 's/^  time: \([0-9.]*\) s$/\1/p' <<< "$text" | head -1)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$suite" "$onnx" "${vnnlib//[$'\r']}" "$t" \
            "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')" "${search:-NA}" "${verdict:-none}" \
            "$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
    done < "$dir/instances.csv"
done
summary() {  # $1: label, stdin: rows
    awk -F'\t' -v label="$1" '
        function pct(a, n, p,   k) { k = int((n * p + 99) / 100); if (k < 1) k = 1; return a[k] }
        { o = $5 - $4; if (o < 0) o = 0; w[++n] = o
          if ($6 != "NA") { s = $6 - $4; if (s < 0) s = 0; q[++m] = s; l[m] = $5 - $6 }
          if ($5 >= $4 - 0.05) hit++ }
        END {
            if (n == 0) exit
            asort(w); asort(q); asort(l)
            printf "%-16s %4d instances, %4d at the deadline | overshoot max %6.2f p99 %6.2f | search overshoot max %6.2f p99 %6.2f | load max %6.2f p99 %6.2f\n",
                label, n, hit, w[n], pct(w, n, 99), q[m], pct(q, m, 99), l[m], pct(l, m, 99)
        }'
}
for suite in "${suites[@]}"; do grep -P "^$suite\t" "$out" | summary "$suite" || true; done
summary "all" < "$out"
echo "search overshoot above 1 s (suite, onnx, vnnlib, timeout, wall, search, verdict, load average):"
awk -F'\t' '$6 != "NA" && $6 - $4 > 1' "$out"
echo "no search time reported (crash or error):"
awk -F'\t' '$6 == "NA"' "$out"
