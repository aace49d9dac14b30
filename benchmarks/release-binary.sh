# Sourced by the benchmark scripts (from the repository root): sets $bin and $NNVERIFY_BIN to the release binary
# to measure — $NNVERIFY_BIN when set, else this tree's, set up and built here.
bin=${NNVERIFY_BIN:-}
if [ -z "$bin" ]; then
    ./scripts/setup.sh
    swift build -c release --product nnverify >/dev/null
    bin=$(swift build -c release --product nnverify --show-bin-path)/nnverify
fi
NNVERIFY_BIN=$bin
