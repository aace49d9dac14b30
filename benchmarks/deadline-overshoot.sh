#!/usr/bin/env bash
# How far past its deadline `nnverify verify` runs, over every instance of the shared suites: each instance
# is one `verify` process with its timeout scaled (and capped), timed from process start to exit.
#
#   benchmarks/deadline-overshoot.sh [SCALE] [CAP] [SUITE ...]    e.g. benchmarks/deadline-overshoot.sh 0.02 3
#
# SCALE (default 0.02) multiplies the csv timeouts, CAP (default 3 s) caps them, so most instances reach their
# deadline; SUITE defaults to every folder of ../shared/benchmarks. Per instance it writes a tab-separated row:
# suite, onnx, vnnlib, timeout, wall seconds, search seconds (verify's own `time:`, which starts after loading),
# verdict, load average, CPU seconds of the process (user + system, all threads), CPU seconds after the deadline
# (used after process start + timeout, which is before the search's deadline); then per suite and overall the maximum and the 99th percentile of
#   overshoot = wall - timeout              (what a harness sees: loading and exit included)
#   search overshoot = search - timeout     (the searches' own lateness: the part a deadline check controls)
#   load = wall - search                    (process start, model and spec loading, witness output, exit)
# and every instance whose search overshoot exceeds 1 s. Rows go to $OUT (default benchmarks/out/overshoot.tsv);
# ONLY=REGEX keeps the instances whose "onnx,vnnlib" csv fields match (to re-run a few alone);
# SUMMARY_OF=FILE prints the summary of rows written earlier (e.g. several runs concatenated) and runs nothing.
#   CPU after the deadline                 (what the process computed past its deadline, exit included)
# `verify` never sleeps (some thread of it always computes), so on an idle machine the time it runs past the
# deadline is at most the CPU time it uses past it. On a loaded machine this tells load from lateness: a process
# that ended 10 s past its deadline having computed 0.3 s after it waited for a core for the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-0.02}; cap=${2:-3}; shift $(( $# >= 2 ? 2 : $# ))
shared=../shared/benchmarks
suites=("$@"); [ ${#suites[@]} -gt 0 ] || suites=($(ls "$shared"))
out=${SUMMARY_OF:-${OUT:-benchmarks/out/overshoot.tsv}}
if [ -n "${SUMMARY_OF:-}" ]; then suites=($(cut -f1 "$out" | uniq)); else
source benchmarks/release-binary.sh
mkdir -p "$(dirname "$out")"
: > "$out"
echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg); scale $scale, cap $cap s"
for suite in "${suites[@]}"; do
    dir=$shared/$suite
    [ -f "$dir/instances.csv" ] || continue
    while IFS=, read -r onnx vnnlib timeout; do
        [ -n "$onnx" ] || continue
        [ -z "${ONLY:-}" ] || [[ "$onnx,$vnnlib" =~ $ONLY ]] || continue
        t=$(awk -v t="$timeout" -v s="$scale" -v c="$cap" 'BEGIN {t = t * s; if (t > c) t = c; printf "%.3f", t}')
        start=$(date +%s.%N)
        /usr/bin/time -f "%U %S" -o "$out.cpu" "$bin" verify "$dir/$onnx" "$dir/${vnnlib//[$'\r']}" --timeout "$t" \
            > "$out.stdout" 2>/dev/null </dev/null &
        timer=$!
        # The search's deadline is `t` after its start, which follows loading: at start + t it has not passed
        # yet, so the CPU time used from then on bounds the computing done after the deadline from above.
        sleep "$t"
        ticks=$(awk '{print $14 + $15}' "/proc/$(pgrep -P "$timer" | head -1)/stat" 2>/dev/null || true)
        wait "$timer" || true
        end=$(date +%s.%N)
        text=$(cat "$out.stdout")
        cpu=$(awk 'NF == 2 {printf "%.3f", $1 + $2}' "$out.cpu")
        after=$(awk -v c="$cpu" -v k="${ticks:-}" -v hz="$(getconf CLK_TCK)" 'BEGIN {a = k == "" ? 0 : c - k / hz; printf "%.3f", a < 0 ? 0 : a}')
        verdict=$(head -1 <<< "$text")
        search=$(sed -n 's/^  time: \([0-9.]*\) s$/\1/p' <<< "$text" | head -1)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$suite" "$onnx" "${vnnlib//[$'\r']}" "$t" \
            "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')" "${search:-NA}" "${verdict:-none}" \
            "$(cut -d' ' -f1 /proc/loadavg)" "${cpu:-NA}" "${after:-NA}" >> "$out"
    done < "$dir/instances.csv"
done
fi
stat() {  # stdin: numbers; prints "max p99"
    sort -g | awk '{v[NR] = $1} END {if (NR == 0) {print "NA NA"; exit}
                                      k = int((NR * 99 + 99) / 100); if (k < 1) k = 1; printf "%6.2f %6.2f", v[NR], v[k]}'
}
summary() {  # $1: label, stdin: rows
    local rows; rows=$(cat)
    [ -n "$rows" ] || return 0
    local n hit
    n=$(wc -l <<< "$rows")
    hit=$(awk -F'\t' '$5 >= $4 - 0.05' <<< "$rows" | wc -l)
    read -r omax o99 <<< "$(awk -F'\t' '{o = $5 - $4; print (o < 0 ? 0 : o)}' <<< "$rows" | stat)"
    read -r smax s99 <<< "$(awk -F'\t' '$6 != "NA" {o = $6 - $4; print (o < 0 ? 0 : o)}' <<< "$rows" | stat)"
    read -r lmax l99 <<< "$(awk -F'\t' '$6 != "NA" {print $5 - $6}' <<< "$rows" | stat)"
    read -r cmax c99 <<< "$(awk -F'\t' '$10 != "" && $10 != "NA" {print $10}' <<< "$rows" | stat)"
    printf '%-16s %4d instances, %4d at the deadline | overshoot max %s p99 %s | search overshoot max %s p99 %s | load max %s p99 %s | CPU after deadline max %s p99 %s\n' \
        "$1" "$n" "$hit" "$omax" "$o99" "$smax" "$s99" "$lmax" "$l99" "$cmax" "$c99"
}
for suite in "${suites[@]}"; do grep -P "^$suite\t" "$out" | summary "$suite" || true; done
summary "all" < "$out"
echo "search overshoot above 1 s (suite, onnx, vnnlib, timeout, wall, search, verdict, load average, CPU seconds, CPU after deadline):"
awk -F'\t' '$6 != "NA" && $6 - $4 > 1' "$out"
echo "no search time reported (crash or error):"
awk -F'\t' '$6 == "NA"' "$out"
