#!/usr/bin/env bash
# Attacks alone on the sat instances of benchmark suites: for every instance whose expected verdict
# is sat, runs `nnverify attack MODEL SPEC --method M` (release build) for each method and records
# whether a validated counterexample was found and how long it took.
#   benchmarks/attacks.sh [--timeout S] [--methods "fgsm pgd cw"] [SUITE ...]   (default: acasxu eran dist_shift)
# Suites are folders of ../shared/benchmarks (or paths) with expected.csv (onnx,vnnlib,expected).
# Per-instance rows go to benchmarks/out/attacks-<suite>.csv (not committed); the table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
timeout=30
methods="fgsm pgd cw"
suites=()
while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) timeout=$2; shift 2 ;;
        --methods) methods=$2; shift 2 ;;
        *) suites+=("$1"); shift ;;
    esac
done
[ ${#suites[@]} -gt 0 ] || suites=(acasxu eran dist_shift)
. benchmarks/release-binary.sh   # $bin: NNVERIFY_BIN, or this tree built in release mode
mkdir -p benchmarks/out
calc() { awk "BEGIN { print $* }"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "attack timeout per instance: ${timeout} s; methods: $methods"
printf '%-16s %-6s %5s %6s %12s %14s\n' suite method sat found "total s" "s per found"
for suite in "${suites[@]}"; do
    dir=../shared/benchmarks/$suite
    [ -d "$dir" ] || dir=$suite
    if [ ! -f "$dir/expected.csv" ]; then echo "skip $suite: no $dir/expected.csv (../shared absent?)" >&2; continue; fi
    name=$(basename "$dir")
    out=benchmarks/out/attacks-$name.csv
    echo "suite,method,onnx,vnnlib,verdict,seconds" > "$out"
    mapfile -t rows < <(awk -F, 'NR > 1 && $3 == "sat" { print $1 "," $2 }' "$dir/expected.csv")
    for method in $methods; do
        found=0; total=0; found_time=0
        for row in "${rows[@]}"; do
            onnx=${row%%,*}; spec=${row#*,}
            start=$(date +%s.%N)
            set +e
            "$bin" attack "$dir/$onnx" "$dir/$spec" --method "$method" --timeout "$timeout" >/dev/null 2>&1
            code=$?
            set -e
            seconds=$(calc "$(date +%s.%N) - $start")
            verdict=unknown
            if [ $code -eq 10 ]; then verdict=sat; found=$((found + 1)); found_time=$(calc "$found_time + $seconds"); fi
            if [ $code -eq 1 ]; then verdict=error; fi
            total=$(calc "$total + $seconds")
            echo "$name,$method,$onnx,$spec,$verdict,$seconds" >> "$out"
        done
        per=-; [ $found -gt 0 ] && per=$(calc "$found_time / $found")
        printf '%-16s %-6s %5d %6d %12.2f %14s\n' "$name" "$method" "${#rows[@]}" "$found" "$total" "$per"
    done
    echo "  missed (pgd):"; awk -F, '$2 == "pgd" && $5 != "sat" { print "    " $3 " " $4 }' "$out"
done
