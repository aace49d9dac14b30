import LP
import NNGraph

/// Why an LP or MILP over a network could not be built or solved. Infeasible programs are results,
/// not errors (an empty branch-and-bound leaf); these are bad input or solver failures.
public enum LPBoundsError: Error, Equatable, CustomStringConvertible {
    /// Node `node` (operator `kind`) is neither a ``LinearOperator`` nor an ``ElementwiseActivation``,
    /// so it has no LP encoding.
    case unsupportedOperator(node: String, kind: String)
    /// The MILP encoding needs a piecewise-linear network; node `node` applies `kind` (e.g. Sigmoid).
    case notPiecewiseLinear(node: String, kind: String)
    /// The input box does not match the network: `expected` input values, `got` box entries, or a
    /// bound is NaN/infinite, or `lower > upper` at `index`.
    case invalidBox(reason: String)
    /// Bounds given for `value` have `got` columns where the value has `expected` neurons, or lack row `row`.
    case invalidBounds(value: ValueID, reason: String)
    /// A split names a value or neuron that does not exist or does not feed a piecewise-linear activation.
    case invalidSplit(NeuronSplit, reason: String)
    /// An objective row has `got` coefficients; the network has `expected` outputs.
    case invalidObjective(row: Int, expected: Int, got: Int)
    /// Input constraint `row` has `got` coefficients; the network has `expected` inputs.
    case invalidInputConstraint(row: Int, expected: Int, got: Int)
    /// A ReLU input neuron has an infinite (or beyond ±1e12) bound, so no big-M encoding exists.
    case unboundedNeuron(value: ValueID, neuron: Int, node: String)
    /// The LP wrapper rejected the program or GLPK failed; `context` says which program.
    case solver(LPError, context: String)

    /// One line: which program, what was wrong, what was expected.
    public var description: String {
        switch self {
        case .unsupportedOperator(let node, let kind):
            return "LP encoding: node '\(node)' applies \(kind), which is neither linear nor an elementwise activation"
        case .notPiecewiseLinear(let node, let kind):
            return "MILP encoding: node '\(node)' applies \(kind); the exact MILP needs a piecewise-linear "
                + "network (linear operators and piecewise-linear activations only)"
        case .invalidBox(let reason):
            return "LP encoding: invalid input box: \(reason)"
        case .invalidBounds(let value, let reason):
            return "LP encoding: invalid bounds for value \(value): \(reason)"
        case .invalidSplit(let split, let reason):
            return "LP encoding: invalid split \(split): \(reason)"
        case .invalidObjective(let row, let expected, let got):
            return "LP encoding: objective row \(row) has \(got) coefficients; the network has \(expected) outputs"
        case .invalidInputConstraint(let row, let expected, let got):
            return "LP encoding: input constraint \(row) has \(got) coefficients; the network has \(expected) inputs"
        case .unboundedNeuron(let value, let neuron, let node):
            return "MILP encoding: neuron \(neuron) of value \(value) (input of '\(node)') has no finite bounds "
                + "within ±1e12, so it has no big-M encoding"
        case .solver(let error, let context):
            return "\(context): \(error)"
        }
    }
}
