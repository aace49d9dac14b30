#!/usr/bin/env bash
# Optional coverage-guided fuzzing with libFuzzer (see fuzz/README.md).
#
#   fuzz/libfuzzer.sh FORMAT [libFuzzer flags...]     e.g. fuzz/libfuzzer.sh vnnlib -max_total_time=60
#
# Builds nnverify-fuzz with AddressSanitizer and SanitizerCoverage instrumentation (inline 8-bit
# counters, PC table and comparison tracing, what libFuzzer needs) into
# .build-libfuzzer-8bit/ and links libFuzzer's driver without its main (libclang_rt.fuzzer_no_main from
# the Swift toolchain); `nnverify-fuzz FORMAT --libfuzzer` then hands control to LLVMFuzzerRunDriver.
# A working copy of the seed corpus grows in fuzz/failures/libfuzzer/FORMAT/corpus; crashing inputs
# (and inputs the harness classifies as failures, which abort) land in fuzz/failures/libfuzzer/FORMAT/.
set -eu
cd "$(dirname "$0")/.."
format="${1:?usage: fuzz/libfuzzer.sh vnnlib|onnx|csv|npy|npz [libFuzzer flags...]}"
shift

swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
runtime=$(ls "$swift_bin"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)
[ -n "$runtime" ] || { echo "fuzz/libfuzzer.sh: libclang_rt.fuzzer_no_main not found in the Swift toolchain" >&2; exit 1; }

# Named after the instrumentation flags: objects built with other flags must not be reused.
scratch=.build-libfuzzer-8bit
swift build -c release --product nnverify-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xlinker --whole-archive -Xlinker "$runtime" -Xlinker --no-whole-archive -Xlinker --export-dynamic -Xlinker -lstdc++ >&2
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/nnverify-fuzz"

out="fuzz/failures/libfuzzer/$format"
mkdir -p "$out/corpus"
cp -n fuzz/corpus/"$format"/* "$out/corpus/" 2>/dev/null || true
NNVERIFY_FUZZ_SCRATCH="$out" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}" \
    exec "$binary" "$format" --libfuzzer -artifact_prefix="$out/" -rss_limit_mb=4096 -timeout=30 "$@" "$out/corpus"
