#!/usr/bin/env bash
# Two-network VNN-LIB 2.0 properties on ACAS Xu, decided twice (default pipeline and exact MILP):
#  - eps-equivalence of a network and its pruned copy (nnverify prune: weights below THRESHOLD zeroed),
#    |Y_f[0] - Y_g[0]| > EPS on the property-3 box with the inputs tied;
#  - monotonicity in input 3 (own speed): X_g[3] >= X_f[3], other inputs tied, Y_g[0] < Y_f[0] - MARGIN.
# Competition files are not committed: models are read from ../shared/benchmarks/acasxu, pruned copies
# and queries go to OUT (default a temporary folder). Every sat prints its float32 check line.
# Usage: benchmarks/two-network.sh [NETWORKS...]   (default: 1_1 1_9 2_3 3_3 4_5)
# Env: THRESHOLD (0.05), EPS (0.05), MARGIN (0.0), TIMEOUT (60), OUT, NNVERIFY_BIN (skip the release build),
#      MILP=0 (skip the MILP column), COMPARE=NAME (also run each query with NNVERIFY_ABLATE=NAME, e.g.
#      crown-couplings, and print its verdict and time beside the default's), BASE_BIN=PATH (also run each
#      query with another build, e.g. main's, in the same run), ONLY=monotone|equiv (one kind of query).
#      Times in s, domains bounded in d.
set -uo pipefail
cd "$(dirname "$0")/.."
acas=../shared/benchmarks/acasxu/onnx
[ -d "$acas" ] || { echo "two-network: $acas not found (the shared benchmarks are needed)" >&2; exit 1; }
source benchmarks/release-binary.sh
threshold=${THRESHOLD:-0.05} eps=${EPS:-0.05} margin=${MARGIN:-0.0} timeout=${TIMEOUT:-60}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
nets=("$@"); [ ${#nets[@]} -gt 0 ] || nets=(1_1 1_9 2_3 3_3 4_5)

box='(assert (>= X_f[0] -0.303531156)) (assert (<= X_f[0] -0.298552812))
(assert (>= X_f[1] -0.009549297)) (assert (<= X_f[1] 0.009549297))
(assert (>= X_f[2] 0.493380324)) (assert (<= X_f[2] 0.5))
(assert (>= X_f[3] 0.3)) (assert (<= X_f[3] 0.5))
(assert (>= X_f[4] 0.3)) (assert (<= X_f[4] 0.5))'

header() {  # $1: relation of g ("" or "(equal-to f)")
    cat <<Q
(vnnlib-version <2.0>)
(declare-network f (declare-input X_f float32 [1,1,1,5]) (declare-output Y_f float32 [1,5]))
(declare-network g $1 (declare-input X_g float32 [1,1,1,5]) (declare-output Y_g float32 [1,5]))
Q
}

seconds() { grep -h "^  time:" "$1" 2>/dev/null | head -1 | awk '{print $2}'; }
domains() { grep -h "^  domains bounded:" "$1" 2>/dev/null | head -1 | awk '{print $3}'; }

run() {  # $1 label, $2 query, remaining: --network args
    local label=$1 query=$2; shift 2
    local a m="-" c="" ct=""
    a=$("$bin" verify "$query" "$@" --timeout "$timeout" 2>"$out/$label.auto.err" | head -1)
    if [ "${MILP:-1}" != 0 ]; then
        m=$("$bin" verify "$query" "$@" --timeout "$timeout" --method milp 2>"$out/$label.milp.err" | head -1)
    fi
    if [ -n "${COMPARE:-}" ]; then  # the same query with the components in $COMPARE ablated, in the same run
        c=$(NNVERIFY_ABLATE=$COMPARE "$bin" verify "$query" "$@" --timeout "$timeout" 2>"$out/$label.ablated.err" | head -1)
        ct="$(seconds "$out/$label.ablated.err")s $(domains "$out/$label.ablated.err")d"
    fi
    local base="" bt=""
    if [ -n "${BASE_BIN:-}" ]; then  # the same query with another build (e.g. main's), in the same run
        base=$("$BASE_BIN" verify "$query" "$@" --timeout "$timeout" 2>"$out/$label.base.err" | head -1)
        bt="$(seconds "$out/$label.base.err")s $(domains "$out/$label.base.err")d"
    fi
    local f32; f32=$(grep -h "float32 check" "$out/$label.auto.err" "$out/$label.milp.err" 2>/dev/null | sed -E 's/.*check: *([a-z0-9-]+).*/\1/' | sort | uniq -c | tr '\n' ' ')
    a=${a:-error} m=${m:-error}
    local agree=yes
    if [[ $a =~ ^(sat|unsat)$ && $m =~ ^(sat|unsat)$ && $a != "$m" ]]; then agree=NO; fi
    if [[ -n "${COMPARE:-}" && $a =~ ^(sat|unsat)$ && ${c:-} =~ ^(sat|unsat)$ && $a != "$c" ]]; then agree=NO; fi
    if [[ -n "${BASE_BIN:-}" && $a =~ ^(sat|unsat)$ && ${base:-} =~ ^(sat|unsat)$ && $a != "$base" ]]; then agree=NO; fi
    printf '%-28s auto %-9s %8ss %6sd  milp %-9s agree %-3s float32 %s' "$label" "$a" "$(seconds "$out/$label.auto.err")" \
        "$(domains "$out/$label.auto.err")" "$m" "$agree" "$f32"
    if [ -n "${COMPARE:-}" ]; then printf ' | without %s: %-9s %s' "$COMPARE" "${c:-error}" "$ct"; fi
    if [ -n "${BASE_BIN:-}" ]; then printf ' | base: %-9s %s' "${base:-error}" "$bt"; fi
    printf '\n'
}

for n in "${nets[@]}"; do
    model=$acas/ACASXU_run2a_${n}_batch_2000.onnx
    pruned=$out/pruned_${n}.onnx
    "$bin" prune "$model" --threshold "$threshold" --out "$pruned" >"$out/prune_$n.txt" || { echo "prune $n failed"; continue; }
    { header "(isomorphic-to f)"; echo "$box"
      for i in 0 1 2 3 4; do echo "(assert (== X_g[0,0,0,$i] X_f[0,0,0,$i]))"; done
      echo "(assert (or (> (- Y_f[0,0] Y_g[0,0]) $eps) (> (- Y_g[0,0] Y_f[0,0]) $eps)))"; } \
        | sed 's/X_f\[\([0-9]\)\]/X_f[0,0,0,\1]/g' >"$out/equiv_$n.vnnlib"
    [ "${ONLY:-equiv}" = equiv ] && run "equiv_${n} ($(cut -d' ' -f3-5 "$out/prune_$n.txt"))" "$out/equiv_$n.vnnlib" --network f="$model" --network g="$pruned"
    { header "(equal-to f)"; echo "$box"
      for i in 0 1 2 4; do echo "(assert (== X_g[0,0,0,$i] X_f[0,0,0,$i]))"; done
      echo "(assert (>= X_g[0,0,0,3] X_f[0,0,0,3])) (assert (<= X_g[0,0,0,3] 0.5))"
      echo "(assert (< Y_g[0,0] (- Y_f[0,0] $margin)))"; } \
        | sed 's/X_f\[\([0-9]\)\]/X_f[0,0,0,\1]/g' >"$out/monotone_$n.vnnlib"
    [ "${ONLY:-monotone}" = monotone ] && run "monotone_${n}" "$out/monotone_$n.vnnlib" --network f="$model"
done
echo "two-network: queries, pruned models and logs in $out"
