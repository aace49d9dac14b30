import Foundation
import VNNLib

/// What an attack tries to achieve at a point of its ``AttackRegion``.
public enum AttackGoal: Sendable, Equatable {
    /// Any class but `label` gets a strictly larger output (logit) than `label`.
    case untargeted(label: Int)
    /// Class `target` gets a strictly larger output than every other class.
    case targeted(label: Int, target: Int)
    /// The output lies in the unsafe set of a VNN-LIB case (see ``VNNLib/SpecCase/isViolated(by:)``).
    case specification(SpecCase)

    /// Whether the network output `y` achieves the goal. Outputs holding NaN never do.
    public func isAchieved(by y: [Double]) -> Bool {
        guard y.allSatisfy({ !$0.isNaN }) else { return false }
        switch self {
        case .untargeted(let label):
            guard y.indices.contains(label) else { return false }
            return y.indices.contains { $0 != label && y[$0] > y[label] }
        case .targeted(_, let target):
            guard y.indices.contains(target) else { return false }
            return y.indices.allSatisfy { $0 == target || y[target] > y[$0] }
        case .specification(let specCase):
            return specCase.isViolated(by: y)
        }
    }

    /// Throws unless the goal's classes exist among `outputCount` outputs (and differ when targeted).
    public func check(outputCount: Int) throws {
        switch self {
        case .untargeted(let label):
            guard (0..<outputCount).contains(label) else {
                throw AttackError.invalidInput("label \(label) is out of range: the model has \(outputCount) outputs (labels 0..<\(outputCount))")
            }
            guard outputCount >= 2 else { throw AttackError.invalidInput("a classifier needs at least 2 outputs, the model has \(outputCount)") }
        case .targeted(let label, let target):
            for (name, c) in [("label", label), ("target", target)] where !(0..<outputCount).contains(c) {
                throw AttackError.invalidInput("\(name) \(c) is out of range: the model has \(outputCount) outputs")
            }
            guard label != target else { throw AttackError.invalidInput("target class \(target) equals the true label") }
        case .specification(let specCase):
            for conj in specCase.disjuncts {
                for c in conj where c.coefficients.count != outputCount {
                    throw AttackError.sizeMismatch("the specification constrains \(c.coefficients.count) outputs, the model has \(outputCount)")
                }
            }
        }
    }
}

/// The function of the outputs an attack minimises.
public enum AttackLoss: Sendable, Equatable {
    /// Cross-entropy of the softmax of the outputs: maximised for the true label (untargeted),
    /// minimised for the target (targeted). For a specification goal it means ``margin(confidence:)`` 0.
    case crossEntropy
    /// Carlini–Wagner margin with confidence κ: untargeted `max(z_label − max_{j≠label} z_j, −κ)`,
    /// targeted `max(max_{j≠target} z_j − z_target, −κ)`, specification `max(margin, −κ)` with the
    /// violation margin of ``VNNLib/SpecCase/margin(_:)``. For a label goal and κ > 0 it is negative
    /// exactly when the goal is achieved; with κ = 0 it bottoms out at 0.
    case margin(confidence: Double)
}

extension AttackGoal {
    /// The loss and its (sub)gradient with respect to the outputs `y`.
    public func loss(_ y: [Double], _ kind: AttackLoss) -> (value: Double, gradient: [Double]) {
        var g = [Double](repeating: 0, count: y.count)
        switch (self, kind) {
        case (.specification(let specCase), .crossEntropy):
            let (m, gm) = specCase.marginGradient(y)
            return (m, gm)
        case (.specification(let specCase), .margin(let kappa)):
            let (m, gm) = specCase.marginGradient(y)
            return m > -kappa ? (m, gm) : (-kappa, g)
        case (.untargeted(let label), .margin(let kappa)):
            let other = argmax(y, excluding: label)
            let m = y[label] - y[other]
            guard m > -kappa else { return (-kappa, g) }
            g[label] = 1; g[other] = -1
            return (m, g)
        case (.targeted(_, let target), .margin(let kappa)):
            let other = argmax(y, excluding: target)
            let m = y[other] - y[target]
            guard m > -kappa else { return (-kappa, g) }
            g[target] = -1; g[other] = 1
            return (m, g)
        case (.untargeted(let label), .crossEntropy):
            let (ce, p) = crossEntropy(y, label)
            for j in y.indices { g[j] = -(p[j] - (j == label ? 1 : 0)) }
            return (-ce, g)
        case (.targeted(_, let target), .crossEntropy):
            let (ce, p) = crossEntropy(y, target)
            for j in y.indices { g[j] = p[j] - (j == target ? 1 : 0) }
            return (ce, g)
        }
    }
}

/// Index of the largest entry other than `excluded` (the first on ties).
func argmax(_ y: [Double], excluding excluded: Int) -> Int {
    var best = excluded == 0 ? 1 : 0
    for j in y.indices where j != excluded && y[j] > y[best] { best = j }
    return best
}

/// `−log softmax(y)[label]` and the softmax probabilities, computed stably.
func crossEntropy(_ y: [Double], _ label: Int) -> (Double, [Double]) {
    let top = y.max() ?? 0
    var p = y.map { exp($0 - top) }
    let sum = p.reduce(0, +)
    for j in p.indices { p[j] /= sum }
    return (log(sum) + top - y[label], p)
}
