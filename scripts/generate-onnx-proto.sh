#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from the onnx.proto shipped in the pip `onnx` package.
#
# Needs: protoc (Debian's protobuf-compiler, 3.21.x), python3 with `onnx` installed, Swift and git.
# Builds protoc-gen-swift from swift-protobuf $SWIFT_PROTOBUF_VERSION (the version Package.swift uses)
# in a temporary folder (about 2 minutes), unless PROTOC_GEN_SWIFT names an existing binary.
# The SwiftProtobuf build plugin is deliberately not used: it compiles protobuf's C++ sources on every
# clean build.
#
# Usage: scripts/generate-onnx-proto.sh            (from anywhere inside the repository)
#        PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift scripts/generate-onnx-proto.sh
set -euo pipefail

SWIFT_PROTOBUF_VERSION="${SWIFT_PROTOBUF_VERSION:-1.39.0}"
SWIFT_PROTOBUF_URL="${SWIFT_PROTOBUF_URL:-https://github.com/apple/swift-protobuf.git}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$repo_root/Sources/ONNXProto"

command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
onnx_dir="$(python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')" \
    || { echo "error: python3 cannot import onnx (pip install onnx)" >&2; exit 1; }
[ -f "$onnx_dir/onnx.proto" ] || { echo "error: $onnx_dir/onnx.proto not found" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
    echo "building protoc-gen-swift $SWIFT_PROTOBUF_VERSION ..."
    git clone --quiet --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" "$SWIFT_PROTOBUF_URL" "$work/swift-protobuf" 2>/dev/null
    (cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift >/dev/null)
    plugin="$(cd "$work/swift-protobuf" && swift build -c release --show-bin-path)/protoc-gen-swift"
fi
[ -x "$plugin" ] || { echo "error: protoc-gen-swift not executable: $plugin" >&2; exit 1; }

# protoc names the output after the .proto file; copy it so the include path holds only onnx.proto.
mkdir -p "$work/proto" "$work/out"
cp "$onnx_dir/onnx.proto" "$work/proto/onnx.proto"
protoc --plugin=protoc-gen-swift="$plugin" \
       --proto_path="$work/proto" \
       --swift_opt=Visibility=Public \
       --swift_out="$work/out" \
       "$work/proto/onnx.proto"
cp "$work/out/onnx.pb.swift" "$out_dir/onnx.pb.swift"
echo "wrote $out_dir/onnx.pb.swift ($(wc -c <"$out_dir/onnx.pb.swift") bytes) from onnx $(python3 -c 'import onnx; print(onnx.__version__)'), protoc $(protoc --version | cut -d' ' -f2), swift-protobuf $SWIFT_PROTOBUF_VERSION"
