import NNGraph
import VNNLib

/// Checks a candidate counterexample by concrete evaluation: the input must have the network's
/// size, be finite, lie inside the input region of a specification case (no tolerance), and the
/// network's output there must satisfy every constraint of one of that case's disjuncts.
/// Returns the witness (input and recomputed output) or nil.
public func validateCounterexample(_ x: [Double], network: Network, specification: Specification) -> Witness? {
    guard x.count == network.inputSize, x.allSatisfy(\.isFinite),
          let y = try? network.evaluate(x), y.allSatisfy(\.isFinite) else { return nil }
    for specCase in specification.cases where specCase.contains(x) && specCase.isViolated(by: y) {
        return Witness(input: x, output: y)
    }
    return nil
}
