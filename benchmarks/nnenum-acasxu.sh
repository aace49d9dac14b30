#!/usr/bin/env bash
# Side-by-side ACAS Xu timing against nnenum (github.com/stanleybak/nnenum, Stanley Bak's
# star-set enumeration verifier). nnenum is a peer tool run for comparison only, not a dependency of
# nnverify; none of its code is in this repository.
#
# For each instance row (onnx,vnnlib,timeout; paths relative to the csv's directory) it runs
#   $NNVERIFY_BIN verify ONNX VNNLIB --timeout T --quiet          (verdict from the exit code)
# and then, on the same instance,
#   $NNENUM_PY -m nnenum.nnenum ONNX VNNLIB T RESULTFILE            (as nnenum's vnncomp_scripts/run_instance.sh:
#                                                                    PYTHONPATH=$NNENUM_SRC/src,
#                                                                    OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1)
# alternating tool by tool, instance by instance, each timed by wall clock including process start.
# Both tools use every core by default (nnenum: one worker process per core). A run still alive at
# T + GRACE seconds (default 30) is killed and counted as timeout. Prints the machine, one line per
# instance (with the expected verdict from expected.csv beside the csv, or $EXPECTED) and a summary.
#
#   NNENUM_PY=/tmp/nnenum-venv/bin/python NNENUM_SRC=/tmp/nnenum-src \
#   NNVERIFY_BIN=.build/release/nnverify benchmarks/nnenum-acasxu.sh [instances.csv]
#
# nnenum is set up outside the repository (as measured in benchmarks/RESULTS.md, commit b18238f):
#   git clone <stanleybak/nnenum> /tmp/nnenum-src
#   python3 -m venv /tmp/nnenum-venv
#   /tmp/nnenum-venv/bin/pip install "numpy>=1.26,<2" "scipy>=1.11" "threadpoolctl>=3.1" \
#       "onnx>=1.15,<1.17" "onnxruntime==1.19.0" "skl2onnx>=1.16" swiglpk termcolor
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# paths given by the caller are taken from the caller's directory, the defaults from the repo root
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
NNENUM_PY=$(abspath "${NNENUM_PY:-/tmp/nnenum-venv/bin/python}")
NNENUM_SRC=$(abspath "${NNENUM_SRC:-/tmp/nnenum-src}")
NNVERIFY_BIN=$(abspath "${NNVERIFY_BIN:-$root/.build/release/nnverify}")
[ -n "${EXPECTED:-}" ] && EXPECTED=$(abspath "$EXPECTED")
csv=$(abspath "${1:-$root/../shared/benchmarks/acasxu/instances.csv}")
GRACE=${GRACE:-30}
cd "$root"

[ -f "$csv" ] || { echo "no instances csv: $csv" >&2; exit 1; }
csvdir=$(cd "$(dirname "$csv")" && pwd)
expected_csv=${EXPECTED:-$csvdir/expected.csv}

[ -x "$NNVERIFY_BIN" ] || { echo "no nnverify binary at $NNVERIFY_BIN (swift build -c release --product nnverify)" >&2; exit 1; }
[ -x "$NNENUM_PY" ] || { echo "no python at NNENUM_PY=$NNENUM_PY" >&2; exit 1; }
[ -f "$NNENUM_SRC/src/nnenum/nnenum.py" ] || { echo "no nnenum source at NNENUM_SRC=$NNENUM_SRC" >&2; exit 1; }
PYTHONPATH="$NNENUM_SRC/src" "$NNENUM_PY" -c 'import nnenum.nnenum' \
    || { echo "nnenum does not import with $NNENUM_PY" >&2; exit 1; }

# expected verdicts, keyed by "onnx,vnnlib" as written in the csv
declare -A expected=()
if [ -f "$expected_csv" ]; then
    while IFS=, read -r e_onnx e_vnnlib e_verdict _rest || [ -n "$e_onnx" ]; do
        e_verdict=${e_verdict%$'\r'}
        [ "$e_onnx" = onnx ] && continue
        [ -n "$e_onnx" ] && expected["$e_onnx,$e_vnnlib"]=$e_verdict
    done < "$expected_csv"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
resolve() { case $1 in /*) echo "$1" ;; *) echo "$csvdir/$1" ;; esac; }

nnenum_commit=$(git -C "$NNENUM_SRC" rev-parse --short HEAD 2>/dev/null || echo "?")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nnverify: $NNVERIFY_BIN ($("$NNVERIFY_BIN" --version 2>/dev/null || echo '?'))"
echo "nnenum:   $NNENUM_SRC (commit $nnenum_commit), $("$NNENUM_PY" --version 2>&1), OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1"
echo "instances: $csv; expected: $([ -f "$expected_csv" ] && echo "$expected_csv" || echo none); kill after timeout + ${GRACE}s"
echo
printf '%-48s %-8s %8s   %-8s %8s   %-8s\n' instance nnverify secs nnenum secs expected

n=0
nv_solved=0 ne_solved=0 nv_wrong=0 ne_wrong=0
nv_total=0 ne_total=0 both_n=0 nv_both=0 ne_both=0

is_wrong() { # verdict expected
    { [ "$1" = sat ] && [ "$2" = unsat ]; } || { [ "$1" = unsat ] && [ "$2" = sat ]; }
}

while IFS=, read -r onnx vnnlib tmo _rest || [ -n "$onnx" ]; do
    tmo=${tmo%$'\r'}
    [ -z "$onnx" ] && continue
    [ "$onnx" = onnx ] && continue # header
    onnx_path=$(resolve "$onnx")
    vnnlib_path=$(resolve "$vnnlib")
    kill_after=$(awk -v t="$tmo" -v g="$GRACE" 'BEGIN { printf "%d", t + g + 0.999 }')
    n=$((n + 1))

    # nnverify: 0 unsat, 10 sat, 20 unknown/timeout (first stdout line says which), 1 error
    t0=$(now)
    rc=0
    timeout -k 5 "$kill_after" "$NNVERIFY_BIN" verify "$onnx_path" "$vnnlib_path" --timeout "$tmo" --quiet \
        > "$tmp/nv.out" 2> "$tmp/nv.err" < /dev/null || rc=$?
    t1=$(now)
    case $rc in
        0) nv=unsat ;;
        10) nv=sat ;;
        20) nv=$(head -n1 "$tmp/nv.out"); [ "$nv" = timeout ] || nv=unknown ;;
        124|137) nv=timeout ;;
        *) nv="error($rc)" ;;
    esac
    nv_secs=$(elapsed "$t0" "$t1")

    # nnenum: writes holds / violated / timeout / error / none to the result file
    rm -f "$tmp/ne.res"
    t0=$(now)
    rc=0
    PYTHONPATH="$NNENUM_SRC/src" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
        timeout -k 5 "$kill_after" "$NNENUM_PY" -m nnenum.nnenum "$onnx_path" "$vnnlib_path" "$tmo" "$tmp/ne.res" \
        > "$tmp/ne.out" 2>&1 < /dev/null || rc=$?
    t1=$(now)
    res=$(head -n1 "$tmp/ne.res" 2>/dev/null || true)
    case $res in
        holds) ne=unsat ;;
        violated) if grep -q 'seems UNSAFE' "$tmp/ne.out"; then ne='sat?'; else ne=sat; fi ;; # sat? = unconfirmed
        timeout) ne=timeout ;;
        *) if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then ne=timeout; else ne="error(${res:-rc=$rc})"; fi ;;
    esac
    ne_secs=$(elapsed "$t0" "$t1")

    exp=${expected["$onnx,$vnnlib"]:-?}
    name="$(basename "$onnx" .onnx | sed 's/^ACASXU_run2a_//; s/_batch_2000$//') $(basename "$vnnlib" .vnnlib)"
    printf '%-48s %-8s %8s   %-8s %8s   %-8s\n' "$name" "$nv" "$nv_secs" "$ne" "$ne_secs" "$exp"

    nv_total=$(awk -v a="$nv_total" -v b="$nv_secs" 'BEGIN { print a + b }')
    ne_total=$(awk -v a="$ne_total" -v b="$ne_secs" 'BEGIN { print a + b }')
    nv_ok=0 ne_ok=0
    case $nv in sat|unsat) nv_solved=$((nv_solved + 1)); nv_ok=1 ;; esac
    case $ne in sat|sat\?|unsat) ne_solved=$((ne_solved + 1)); ne_ok=1 ;; esac
    if is_wrong "$nv" "$exp"; then nv_wrong=$((nv_wrong + 1)); fi
    if is_wrong "${ne%\?}" "$exp"; then ne_wrong=$((ne_wrong + 1)); fi
    if [ $nv_ok = 1 ] && [ $ne_ok = 1 ]; then
        both_n=$((both_n + 1))
        nv_both=$(awk -v a="$nv_both" -v b="$nv_secs" 'BEGIN { print a + b }')
        ne_both=$(awk -v a="$ne_both" -v b="$ne_secs" 'BEGIN { print a + b }')
    fi
done < "$csv"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "instances: $n"
printf 'nnverify: solved %d/%d, wrong %d, total %.2f s\n' "$nv_solved" "$n" "$nv_wrong" "$nv_total"
printf 'nnenum:   solved %d/%d, wrong %d, total %.2f s\n' "$ne_solved" "$n" "$ne_wrong" "$ne_total"
echo "ratio nnenum/nnverify (total seconds): $(ratio "$ne_total" "$nv_total")"
printf 'solved by both: %d, nnverify %.2f s, nnenum %.2f s, ratio %s\n' \
    "$both_n" "$nv_both" "$ne_both" "$(ratio "$ne_both" "$nv_both")"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
