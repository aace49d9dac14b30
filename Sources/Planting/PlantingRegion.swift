import NNGraph
import VNNLib

/// An input region with its property: the unplanted problem a planted suite is built on. The
/// specification describes the unsafe set, as in VNN-LIB; the suite requires it to be proven
/// unsat on the base network before planting.
public struct PlantingRegion: Sendable, Equatable {
    /// The property (one or more input boxes, each with an output DNF).
    public var specification: Specification
    /// A short name for messages, e.g. `prop_3.vnnlib` or `sample 12 (label 4), eps 0.01`.
    public var label: String
    /// For a robustness region: the label the network predicts at the centre.
    public var predictedLabel: Int?

    /// A region from a VNN-LIB specification as given.
    public init(specification: Specification, label: String, predictedLabel: Int? = nil) {
        self.specification = specification
        self.label = label
        self.predictedLabel = predictedLabel
    }

    /// L∞ robustness at `centre`: the box `[centre − eps, centre + eps] ∩ range`, and the unsafe set
    /// "some `Y_j >= Y_label`" (one disjunct per `j != label`) for the label `network` predicts at
    /// `centre` (the first maximal output).
    ///
    /// - Throws: ``PlantingError`` when the sizes disagree, `eps` is not positive and finite, the centre
    ///   is not finite or lies outside `range`, or the network has fewer than two outputs.
    public static func robustness(network: Network, centre: [Double], eps: Double, range: ClosedRange<Double>,
                                  label: String) throws -> PlantingRegion {
        guard centre.count == network.inputSize else {
            throw PlantingError.unusableRegion(region: label, reason: "the point has \(centre.count) values; the model takes \(network.inputSize)")
        }
        guard eps > 0, eps.isFinite else {
            throw PlantingError.invalidOption(option: "--eps", reason: "must be a positive finite radius, got \(eps)")
        }
        guard centre.allSatisfy({ $0.isFinite && range.contains($0) }) else {
            throw PlantingError.unusableRegion(region: label, reason: "the point has values that are not finite or lie outside the valid range \(range)")
        }
        let y = try network.evaluate(centre)
        guard y.count >= 2, y.allSatisfy(\.isFinite) else {
            throw PlantingError.unusableRegion(region: label, reason: "robustness needs at least two finite outputs, got \(y)")
        }
        var predicted = 0
        for j in y.indices where y[j] > y[predicted] { predicted = j }
        let box = InputBox(lower: centre.map { max($0 - eps, range.lowerBound) }, upper: centre.map { min($0 + eps, range.upperBound) })
        let disjuncts: [[LinearConstraint]] = y.indices.filter { $0 != predicted }.map { j in
            var c = [Double](repeating: 0, count: y.count)
            c[predicted] = 1
            c[j] = -1
            return [LinearConstraint(coefficients: c, constant: 0)]
        }
        let spec = Specification(inputCount: centre.count, outputCount: y.count, cases: [SpecCase(box: box, disjuncts: disjuncts)])
        return PlantingRegion(specification: spec, label: "\(label) (predicted \(predicted)), eps \(eps)", predictedLabel: predicted)
    }

    /// The centre of every input box of `specification` (for L∞ regions around them).
    public static func boxCentres(_ specification: Specification) -> [[Double]] {
        specification.cases.map { c in zip(c.box.lower, c.box.upper).map { 0.5 * ($0 + $1) } }
    }

    /// `count` points drawn uniformly (seeded) from `range` in every coordinate, rounded to float32.
    /// - Throws: ``PlantingError/invalidOption(option:reason:)`` when the range is not finite.
    public static func randomCentres(count: Int, inputSize: Int, range: ClosedRange<Double>, seed: UInt64) throws -> [[Double]] {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else {
            throw PlantingError.invalidOption(option: "--range", reason: "random centres need a finite range LOW,HIGH")
        }
        var rng = PlantingRandom(seed: seed, path: [0x6365_6E74])
        return (0..<count).map { _ in
            (0..<inputSize).map { _ in
                let x = rng.uniform(range.lowerBound, range.upperBound)
                return Float32Values.inside(x, low: range.lowerBound, high: range.upperBound) ?? x
            }
        }
    }
}
