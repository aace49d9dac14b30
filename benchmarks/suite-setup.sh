# Sourced by the benchmark scripts that compare runs of one suite: resolves SUITE to a folder (one of
# ../shared/benchmarks, or any folder with instances.csv) into $dir and $name, and builds this tree's
# release binary into $NNVERIFY_BIN unless it is set.
dir=../shared/benchmarks/$suite
[ -d "$dir" ] || dir=$suite
[ -f "$dir/instances.csv" ] || { echo "no instances.csv in $dir" >&2; exit 1; }
. benchmarks/release-binary.sh
name=$(basename "$dir")
mkdir -p benchmarks/out
