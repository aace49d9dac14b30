// swift-tools-version:6.0
import PackageDescription

// One target per layer of the pipeline (see Docs/architecture.md). C libraries sit behind one
// shim target each (CBLAS, CGLPK) and are used by one Swift wrapper each (LinearAlgebra, LP);
// CMalloc gives the command line glibc's mallopt.
let package = Package(
    name: "nnverify",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnverify", targets: ["nnverify"]),
        .executable(name: "nnverify-fuzz", targets: ["nnverify-fuzz"]),
        .library(name: "NNVerify", targets: ["Verifier"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),
        .target(name: "LP", dependencies: ["CGLPK"]),
        .target(name: "NNGraph", dependencies: ["LinearAlgebra"]),
        .target(
            name: "ONNXProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "ONNXLoader", dependencies: ["NNGraph", "ONNXProto"]),
        .target(name: "VNNLib"),
        .target(name: "DataFiles", dependencies: ["CZlib"]),
        .target(name: "Bounds", dependencies: ["NNGraph", "LinearAlgebra"]),
        .target(name: "LPBounds", dependencies: ["Bounds", "LP", "LinearAlgebra", "NNGraph", "VNNLib"]),
        .target(name: "Attacks", dependencies: ["LinearAlgebra", "NNGraph", "VNNLib"]),
        .target(name: "BranchAndBound", dependencies: ["Attacks", "Bounds", "LPBounds", "NNGraph", "VNNLib"]),
        .target(
            name: "Verifier",
            dependencies: ["Attacks", "BranchAndBound", "Bounds", "LPBounds", "NNGraph", "ONNXLoader", "ONNXProto", "VNNLib",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "Lipschitz", dependencies: ["Attacks", "Bounds", "LinearAlgebra", "NNGraph"]),
        .target(name: "Benchmarking", dependencies: ["Verifier"]),
        .target(
            name: "Reports",
            dependencies: ["Attacks", "Bounds", "DataFiles", "LinearAlgebra", "Lipschitz", "NNGraph", "Verifier", "VNNLib"]),
        .target(name: "Planting", dependencies: ["Benchmarking", "LinearAlgebra", "NNGraph", "ONNXLoader", "ONNXProto", "VNNLib", "Verifier"]),
        .target(name: "Splitting", dependencies: ["Benchmarking", "BranchAndBound", "NNGraph", "ONNXLoader", "Planting", "VNNLib", "Verifier"]),
        .executableTarget(
            name: "nnverify-fuzz",
            dependencies: [
                "DataFiles", "NNGraph", "ONNXLoader", "ONNXProto", "VNNLib",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/FuzzHarness"),
        .executableTarget(
            name: "nnverify",
            dependencies: [
                "Attacks", "Benchmarking", "BranchAndBound", "CMalloc", "DataFiles", "LinearAlgebra", "Lipschitz", "NNGraph", "ONNXLoader", "Planting", "Reports",
                "Splitting", "Verifier", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "TestSupport", dependencies: ["Bounds", "LP", "NNGraph", "VNNLib"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "LPTests", dependencies: ["LP", "TestSupport"]),
        .testTarget(name: "NNGraphTests", dependencies: ["NNGraph", "TestSupport"]),
        .testTarget(name: "ONNXLoaderTests", dependencies: ["ONNXLoader", "TestSupport"]),
        .testTarget(name: "VNNLibTests", dependencies: ["VNNLib", "TestSupport"]),
        .testTarget(name: "DataFilesTests", dependencies: ["DataFiles", "TestSupport"]),
        .testTarget(name: "BoundsTests", dependencies: ["Bounds", "TestSupport"]),
        .testTarget(name: "LPBoundsTests", dependencies: ["Bounds", "LP", "LPBounds", "LinearAlgebra", "NNGraph", "TestSupport", "VNNLib"]),
        .testTarget(name: "AttacksTests", dependencies: ["Attacks", "TestSupport"]),
        .testTarget(name: "BranchAndBoundTests", dependencies: ["BranchAndBound", "TestSupport"]),
        .testTarget(name: "VerifierTests", dependencies: ["Bounds", "BranchAndBound", "ONNXProto", "Verifier", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "DataFiles", "ONNXLoader", "TestSupport"]),
        .testTarget(name: "LipschitzTests", dependencies: ["Lipschitz", "Bounds", "LP", "NNGraph", "TestSupport", "VNNLib"]),
        .testTarget(name: "BenchmarkingTests", dependencies: ["Benchmarking", "Verifier", "TestSupport"]),
        .testTarget(name: "PlantingTests", dependencies: ["Planting", "Benchmarking", "BranchAndBound", "ONNXLoader", "Verifier", "TestSupport"]),
        .testTarget(name: "SplittingTests", dependencies: ["Splitting", "BranchAndBound", "Verifier", "VNNLib", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
