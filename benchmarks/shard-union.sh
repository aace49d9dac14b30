#!/usr/bin/env bash
# Checks that the union of `bench --shard I/N` runs (N = 1, 3, 7 by default) equals the unsharded run,
# instance for instance (verdicts, not times), on a shared suite at scaled timeouts, and reports how far
# past its deadline each instance ran (seconds - scaled timeout, loading included) over the unsharded run.
#
#   benchmarks/shard-union.sh SUITE [SCALE] [N ...]      e.g. benchmarks/shard-union.sh acasxu 0.05 1 3 7
#
# Needs ../shared/benchmarks/SUITE and a release build. Differences are listed with both runs' seconds: an
# instance solved near its deadline may time out in another run (timing), which is not a sharding error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suite=$root/../shared/benchmarks/$1; scale=${2:-0.05}; shift $(( $# >= 2 ? 2 : 1 ))
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(1 3 7)
bin=$root/.build/release/nnverify
work=$(mktemp -d)
csv=$suite/instances.csv
"$bin" bench "$csv" --expected "$suite/expected.csv" --timeout-scale "$scale" --results "$work/full.csv" > "$work/full.log" || true
tail -1 "$work/full.log"
key() { tail -n +2 "$1" | awk -F, '{print $1" "$2" "$3" "$4}' | sort; }
for n in "${counts[@]}"; do
    files=()
    for i in $(seq 1 "$n"); do
        "$bin" bench "$csv" --expected "$suite/expected.csv" --timeout-scale "$scale" --shard "$i/$n" \
            --results "$work/s${n}_$i.csv" > /dev/null || true
        files+=("$work/s${n}_$i.csv")
    done
    "$bin" merge "${files[@]}" --instances "$csv" --output "$work/m$n.csv" > "$work/m$n.log" || true
    differing=$(join -j1 <(key "$work/full.csv" | awk '{print $1"|"$2, $3, $4}' | sort) \
                         <(key "$work/m$n.csv" | awk '{print $1"|"$2, $3, $4}' | sort) | awk '$2 != $4')
    echo "N=$n: $(tail -1 "$work/m$n.log")"
    if [ -z "$differing" ]; then echo "N=$n: every verdict equals the unsharded run"; else
        echo "N=$n: differing verdicts (instance, unsharded verdict and seconds, sharded verdict and seconds):"; echo "$differing"; fi
done
# Deadline overshoot of the unsharded run: seconds beyond the scaled timeout (0 when finished in time).
join -t, <(awk -F, 'NR>0 {print $1"|"$2","$3}' "$csv" | sort) <(tail -n +2 "$work/full.csv" | awk -F, '{print $1"|"$2","$4}' | sort) \
    | awk -F, -v s="$scale" '{o = $3 - $2 * s; if (o < 0) o = 0; print o}' | sort -g > "$work/over.txt"
n=$(wc -l < "$work/over.txt"); p99=$(( (n * 99 + 99) / 100 ))
echo "deadline overshoot over $n instances: max $(tail -1 "$work/over.txt") s, p99 $(sed -n "${p99}p" "$work/over.txt") s (loading included)"
rm -rf "$work"
