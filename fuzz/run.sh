#!/usr/bin/env bash
# Fuzzing campaign driver for nnverify's readers (see fuzz/README.md).
#
#   fuzz/run.sh [--iterations N] [--seconds S] [--formats "vnnlib onnx csv npy npz"]
#               [--memory-mib M] [--per-input T] [--chunk C] [--seed S] [--binary PATH] [--debug]
#
# Builds nnverify-fuzz (release; --debug: the debug build `swift build` makes, slower per input but
# no extra compilation in CI) unless --binary is given, then fuzzes each format in turn, one
# process at a time, until N inputs were tried or S seconds passed for that format. Each harness run
# is a "chunk" of at most C inputs with its own seed (seeds 1, 2, 3, ... per format, unless --seed),
# under an explicit memory cap (ulimit -v, default 4096 MiB: an input that makes a reader allocate
# without bound dies here and counts as over-memory) and a wall-clock timeout. When a run crashes,
# hangs or runs out of memory, its input is kept in fuzz/failures/ and the next chunk starts with
# the next seed. Prints a summary table; exits 1 when anything failed.
set -u
cd "$(dirname "$0")/.."

iterations=200000
seconds=""
formats="vnnlib onnx csv npy npz"
memory_mib=4096
per_input=30
chunk=20000
chunk_seconds=120
first_seed=1
binary=""
configuration=release
while [ $# -gt 0 ]; do
    case "$1" in
        --iterations) iterations="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --formats) formats="$2"; shift 2 ;;
        --memory-mib) memory_mib="$2"; shift 2 ;;
        --per-input) per_input="$2"; shift 2 ;;
        --chunk) chunk="$2"; shift 2 ;;
        --seed) first_seed="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --debug) configuration=debug; shift ;;
        *) echo "fuzz/run.sh: unknown option $1" >&2; exit 64 ;;
    esac
done

if [ -z "$binary" ]; then
    swift build -c "$configuration" --product nnverify-fuzz >&2 || exit 1
    binary="$(swift build -c "$configuration" --show-bin-path)/nnverify-fuzz"
fi
[ -x "$binary" ] || { echo "fuzz/run.sh: no harness at $binary" >&2; exit 1; }

failures_root=fuzz/failures
mkdir -p "$failures_root"
# The input under test is rewritten for every parse: keep it in RAM when /dev/shm is there.
scratch_root="$failures_root"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch_root=$(mktemp -d /dev/shm/nnverify-fuzz.XXXXXX)
    trap 'rm -rf "$scratch_root"' EXIT
fi
summary="format|inputs tried|accepted|rejected|crashes|hangs|over-memory|failures|max s/input|peak RSS MiB"
status=0

for format in $formats; do
    dir="$failures_root/$format"
    scratch="$scratch_root/$format"
    mkdir -p "$dir" "$scratch"
    tried=0 accepted=0 rejected=0 crashes=0 hangs=0 overmem=0 failed=0 max_s=0 peak_kib=0
    seed=$first_seed
    start=$(date +%s)
    while [ "$tried" -lt "$iterations" ]; do
        elapsed=$(( $(date +%s) - start ))
        budget=$chunk_seconds
        if [ -n "$seconds" ]; then
            [ "$elapsed" -ge "$seconds" ] && break
            [ $(( seconds - elapsed )) -lt "$budget" ] && budget=$(( seconds - elapsed ))
        fi
        want=$(( iterations - tried )); [ "$want" -gt "$chunk" ] && want=$chunk
        log="$dir/run-s$seed.log"
        rm -f "$scratch"/current.*
        ( ulimit -v $(( memory_mib * 1024 )); exec timeout -k 5 $(( budget + 2 * per_input + 30 )) "$binary" "$format" \
            --corpus "fuzz/corpus/$format" --iterations "$want" --seed "$seed" --seconds "$budget" \
            --max-seconds-per-input "$per_input" --save-failures "$dir" --scratch "$scratch" ) > "$log" 2>&1
        code=$?
        result=$(grep '^RESULT ' "$log" | tail -1)
        if [ -n "$result" ]; then
            field() { echo "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
            tried=$(( tried + $(field inputs) )); accepted=$(( accepted + $(field accepted) ))
            rejected=$(( rejected + $(field rejected) )); failed=$(( failed + $(field failures) ))
            max_s=$(echo "$max_s $(field max_seconds)" | awk '{print ($2 > $1) ? $2 : $1}')
            kib=$(field peak_rss_kib); [ "$kib" -gt "$peak_kib" ] && peak_kib=$kib
            rm -f "$log"
        else
            # The run died: count the inputs it got through (from current.txt) and keep the input.
            index=$(sed -n 's/^format .* input \([0-9]*\)$/\1/p' "$scratch/current.txt" 2>/dev/null | head -1)
            tried=$(( tried + ${index:-0} + 1 ))
            if [ "$code" -eq 3 ]; then
                kind=hang; hangs=$(( hangs + 1 ))
            elif [ "$code" -eq 124 ] || [ "$code" -eq 137 ] && ! grep -q "allocate" "$log"; then
                kind=hang; hangs=$(( hangs + 1 ))
            elif grep -qiE "could not allocate|out of memory|cannot allocate|std::bad_alloc" "$log"; then
                kind=over-memory; overmem=$(( overmem + 1 ))
            else
                kind=crash; crashes=$(( crashes + 1 ))
            fi
            if [ "$code" -eq 3 ]; then
                rm -f "$scratch"/current.*  # the harness kept the input itself (hang-*)
            elif [ -f "$scratch/current.$format" ]; then
                mv "$scratch/current.$format" "$dir/$kind-$format-s$seed.$format"
                mv "$scratch/current.txt" "$dir/$kind-$format-s$seed.txt"
            fi
            echo "fuzz/run.sh: $format seed $seed: $kind (exit status $code); input kept in $dir/$kind-$format-s$seed.$format, log $log" >&2
        fi
        seed=$(( seed + 1 ))
    done
    summary="$summary
$format|$tried|$accepted|$rejected|$crashes|$hangs|$overmem|$failed|$max_s|$(( peak_kib / 1024 ))"
    [ $(( crashes + hangs + overmem + failed )) -gt 0 ] && status=1
    echo "fuzz/run.sh: $format done: $tried inputs in $(( $(date +%s) - start )) s" >&2
done

echo "$summary" | column -t -s '|'
exit $status
