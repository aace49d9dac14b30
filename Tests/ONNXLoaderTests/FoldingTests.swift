import Foundation
import NNGraph
import ONNXLoader
import Testing

/// Load-time simplification: exporter shape subgraphs and constant arithmetic vanish, rearrangements of
/// computed tensors become exact Selection nodes (or none), and what cannot be folded is refused with the
/// node's name. (Every fixture here is also checked against onnxruntime by ``FixtureModelTests``.)
@Suite("ONNX loader folds shape subgraphs and constants")
struct FoldingTests {
    private func kinds(_ file: String) throws -> [String] {
        try ONNXLoader.load(contentsOf: Fixtures.path(file)).nodes.map(\.op.kind)
    }

    @Test func thereAreFixturesForEveryFoldingFeature() throws {
        let files = Set(try FixtureReferences.load().map(\.file))
        for name in ["flatten_idiom_op11", "flatten_idiom_op13", "flatten_idiom_op17", "slice_attributes_op9",
                     "slice_inputs_op13", "split_op11", "split_op13", "split_op18", "squeeze_unsqueeze_op11",
                     "squeeze_unsqueeze_op13", "shape_subgraph", "constant_math", "clip_attributes_op9",
                     "computed_rearrangements", "shared_linear_value", "pytorch_shape_ops_op11", "pytorch_shape_ops_op13",
                     "pytorch_shape_ops_op17"] {
            #expect(files.contains(name + ".onnx"), "missing fixture \(name)")
        }
    }

    @Test("the flatten idiom leaves no node", arguments: ["flatten_idiom_op11", "flatten_idiom_op13", "flatten_idiom_op17"])
    func flattenIdiomVanishes(_ stem: String) throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(stem + ".onnx"))
        #expect(network.inputShape == [1, 2, 3, 2], "symbolic batch counts as 1")
        #expect(network.nodes.map(\.op.kind) == ["Relu", "Affine"])
        #expect(network.nodes[0].shape == [1, 12], "Relu takes the reshaped shape")
    }

    @Test func shapeSubgraphsAndConstantMathFoldIntoOneShift() throws {
        // x + (a constant computed by 16 and 40 ONNX nodes): one elementwise affine map.
        #expect(try kinds("shape_subgraph.onnx") == ["ElementwiseAffine"])
        #expect(try kinds("constant_math.onnx") == ["ElementwiseAffine"])
        #expect(try kinds("clip_attributes_op9.onnx") == ["ElementwiseAffine"])
    }

    @Test func squeezeAndUnsqueezeAddNoNodes() throws {
        #expect(try kinds("squeeze_unsqueeze_op11.onnx") == ["Affine"])
        #expect(try kinds("squeeze_unsqueeze_op13.onnx") == ["Affine"])
    }

    @Test func consecutiveSlicesBecomeOneSelection() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("slice_attributes_op9.onnx"))
        #expect(network.nodes.map(\.op.kind) == ["Selection", "Relu"])
        let selection = try #require(network.nodes[0].op as? Selection)
        // x[:, 1:3, 2:5] of a [1, 4, 6] input.
        #expect(selection.indices == [8, 9, 10, 14, 15, 16])
    }

    @Test func negativeStepsSelectInReverse() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("slice_inputs_op13.onnx"))
        let selection = try #require(network.nodes.compactMap { $0.op as? Selection }.first)
        // x[:, 4::-2, ::-1] of a [1, 5, 6] input: rows 4, 2, 0, columns reversed.
        #expect(Array(selection.indices.prefix(7)) == [29, 28, 27, 26, 25, 24, 17])
        #expect(selection.indices.count == 18)
    }

    @Test func splitPartsAreSelections() throws {
        for stem in ["split_op11", "split_op13", "split_op18"] {
            let k = try kinds(stem + ".onnx")
            #expect(k.filter { $0 == "Selection" }.count == (stem == "split_op18" ? 3 : 2), "\(stem): \(k)")
            #expect(k.allSatisfy { ["Selection", "Concatenation", "ElementwiseAffine"].contains($0) }, "\(stem): \(k)")
        }
    }

    @Test func rearrangementsOfComputedTensorsAreExactLinearNodes() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("computed_rearrangements.onnx"))
        let allowed: Set<String> = ["Affine", "Selection", "Concatenation", "ElementwiseAffine", "Relu"]
        #expect(network.nodes.allSatisfy { allowed.contains($0.op.kind) }, "\(network.nodes.map(\.op.kind))")
        // Gather of a Gather is one Selection; masked fill is an elementwise map.
        #expect(network.nodes.contains { $0.op.kind == "ElementwiseAffine" })
        #expect(network.nodes.last?.shape == [1, 24])
    }

    @Test("PyTorch's shape subgraphs vanish", arguments: ["pytorch_shape_ops_op11", "pytorch_shape_ops_op13", "pytorch_shape_ops_op17"])
    func pytorchExportLeavesOnlyLinearNodes(_ stem: String) throws {
        // view(x.size(0), -1), split + cat, unsqueeze + expand, reshape(z.shape[0], -1) and an arange mask
        // around Conv, Relu and two Linear layers (see scripts/onnx_pytorch_fixtures.py).
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(stem + ".onnx"))
        #expect(network.inputShape == [1, 2, 4, 6])
        let k = network.nodes.map(\.op.kind)
        #expect(k.first == "Convolution" && k.last == "Affine", "\(k)")
        let allowed: Set<String> = ["Convolution", "Relu", "Selection", "Affine", "Concatenation", "ElementwiseAffine"]
        #expect(k.allSatisfy { allowed.contains($0) }, "\(k)")
    }

    @Test func aValueReadByAnEarlierNodeIsNotChangedInPlace() throws {
        // MatMul -> Relu and MatMul -> Mul(2): the Mul gets its own node (folding it into the Affine would
        // change what the Relu reads; the values are checked against onnxruntime by FixtureModelTests).
        #expect(try kinds("shared_linear_value.onnx") == ["Affine", "Relu", "ElementwiseAffine", "LinearCombination"])
    }

    // MARK: errors

    /// Loads `name`, expecting an ``ONNXError`` whose text contains every fragment.
    @discardableResult
    private func expectError(_ name: String, _ fragments: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) -> ONNXError? {
        do {
            _ = try ONNXLoader.load(contentsOf: Fixtures.path(name))
            Issue.record("\(name) loaded without error", sourceLocation: sourceLocation)
        } catch let error as ONNXError {
            for fragment in fragments {
                #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)", sourceLocation: sourceLocation)
            }
            return error
        } catch {
            Issue.record("\(name): not an ONNXError: \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func comparisonOfAComputedTensorFeedingWhere() {
        // The condition would be computed: refused where it is made, naming the node and its input.
        let error = expectError("bad_where_computed_condition.onnx",
                                ["node 'greater_mask' (Greater)", "not supported", "computed tensor", "input #1, 'x'",
                                 "only evaluated at load time"])
        guard case .unsupportedNode? = error else { Issue.record("expected unsupportedNode, got \(String(describing: error))"); return }
    }

    @Test func equalOnAComputedTensor() {
        expectError("bad_equal_computed.onnx", ["node 'equal_computed' (Equal)", "not supported", "computed tensor"])
    }

    @Test func gatherIndexOutOfRange() {
        let error = expectError("bad_gather_index.onnx", ["node 'gather_out_of_range' (Gather)", "index 5", "out of range",
                                                           "axis 1 of length 3"])
        guard case .invalidNode? = error else { Issue.record("expected invalidNode, got \(String(describing: error))"); return }
    }

    @Test func sliceWithStepZero() {
        expectError("bad_slice_step_zero.onnx", ["node 'slice_step_zero' (Slice)", "step 0"])
    }
}
