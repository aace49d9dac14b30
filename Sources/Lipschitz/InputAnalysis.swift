import Bounds
import Foundation
import LinearAlgebra
import NNGraph

/// Which scalar outputs get a Lipschitz bound.
public enum OutputSelection: Sendable, Equatable, CustomStringConvertible {
    /// Each logit margin `y_p − y_j` against the class `p` predicted at the region's origin.
    case margin
    /// Each listed output `y_i` on its own.
    case outputs([Int])
    /// Every output on its own.
    case all

    /// `margin`, `all`, or comma-separated output indices.
    public static func parse(_ text: String) throws -> OutputSelection {
        switch text.lowercased() {
        case "margin": return .margin
        case "all": return .all
        default:
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
                throw LipschitzError.invalidObjective("--outputs must be 'margin', 'all' or output indices like 0,3, got '\(text)'")
            }
            return .outputs(parts.map { $0! })
        }
    }

    public var description: String {
        switch self {
        case .margin: return "margin"
        case .all: return "all"
        case .outputs(let o): return o.map(String.init).joined(separator: ",")
        }
    }

    /// Objective rows and their names for a network with `count` outputs and predicted class `p`.
    func rows(outputCount count: Int, predicted p: Int) throws -> [(name: String, c: [Double])] {
        func unit(_ i: Int) -> [Double] { var c = [Double](repeating: 0, count: count); c[i] = 1; return c }
        switch self {
        case .all: return (0..<count).map { ("y\($0)", unit($0)) }
        case .outputs(let list):
            for i in list where i >= count {
                throw LipschitzError.invalidObjective("output \(i) does not exist: the model has \(count) outputs")
            }
            return list.map { ("y\($0)", unit($0)) }
        case .margin:
            guard count >= 2 else { throw LipschitzError.invalidObjective("margins need at least 2 outputs, the model has \(count)") }
            return (0..<count).filter { $0 != p }.map { j in
                var c = unit(p)
                c[j] = -1
                return ("y\(p)-y\(j)", c)
            }
        }
    }
}

/// The Lipschitz bounds of one objective row over a region (one entry of `lipschitz.json`).
public struct RowLipschitz: Codable, Sendable, Equatable {
    public var objective: String
    public var upper: Double
    public var initialUpper: Double
    public var lower: Double
    public var global: Double
    /// For margins: a certified lower bound of the margin at the origin (interval evaluation).
    public var marginAtOrigin: Double?
    public var domains: Int
    public var complete: Bool
}

/// The Lipschitz bounds of the selected outputs over one input's region.
public struct InputLipschitz: Codable, Sendable, Equatable {
    public var index: Int
    public var label: Int?
    public var predicted: Int
    /// Over all rows: the largest certified upper bound, lower bound, global bound and first-pass bound.
    public var upper: Double
    public var lower: Double
    public var global: Double
    public var initialUpper: Double
    /// With margins and a correct prediction: `min(eps, min_j margin_j / upper_j)`, certified (0 when a
    /// margin is not positive); nil otherwise.
    public var certifiedRadius: Double?
    public var unstableNeurons: Int
    public var seconds: Double
    public var rows: [RowLipschitz]

    /// `upper / lower` (how far the certified bound may be from the true constant).
    public var gap: Double { lower > 0 ? upper / lower : .infinity }
}

extension LocalLipschitz {
    /// Bounds the selected outputs over `region`; with margins, also the Lipschitz-certified radius:
    /// for `‖x − origin‖ < margin_j/L_j` inside the region, `margin_j(x) ≥ margin_j(origin) − L_j‖x − origin‖ > 0`
    /// (mean value theorem along the segment, which stays in the convex region), so the predicted
    /// class cannot change. It can only certify, never falsify.
    public func analyse(region: LipschitzRegion, index: Int, label: Int?, selection: OutputSelection,
                        options: LipschitzOptions = LipschitzOptions(), deadline: Date? = nil) throws -> InputLipschitz {
        let start = Date()
        guard region.dimension == network.inputSize else {
            throw LipschitzError.invalidRegion("the input has \(region.dimension) values, the network takes \(network.inputSize)")
        }
        let y = network.evaluate(Matrix(rows: 1, cols: region.dimension, data: region.origin)).data
        let predicted = y.indices.max { y[$0] < y[$1] } ?? 0
        let rows = try selection.rows(outputCount: network.outputSize, predicted: predicted)
        let (bounds, unstable) = try self.bounds(objectives: rows.map(\.c), region: region, options: options, deadline: deadline)
        // Certified output intervals at the origin (IBP of the point, rounding included).
        let point = IntervalMatrix(lower: Matrix(rows: 1, cols: region.dimension, data: region.origin),
                                   upper: Matrix(rows: 1, cols: region.dimension, data: region.origin))
        let out = intervalBounds(network, input: point)[network.output]
        var results = [RowLipschitz]()
        var radius: Double? = (selection == .margin && (label == nil || label == predicted)) ? region.certifiableRadius : nil
        for (k, row) in rows.enumerated() {
            let b = bounds[k]
            var margin: Double?
            if selection == .margin, let j = row.c.firstIndex(of: -1) {
                margin = (out.lower.data[predicted] - out.upper.data[j]).nextDown
                if let r = radius {
                    let m = margin!
                    radius = m <= 0 ? 0 : min(r, (m / b.upper).nextDown)
                }
            }
            results.append(RowLipschitz(objective: row.name, upper: b.upper, initialUpper: b.initialUpper, lower: b.lower,
                                        global: b.global, marginAtOrigin: margin, domains: b.domains, complete: b.complete))
        }
        return InputLipschitz(index: index, label: label, predicted: predicted,
                              upper: results.map(\.upper).max() ?? 0, lower: results.map(\.lower).max() ?? 0,
                              global: results.map(\.global).max() ?? 0, initialUpper: results.map(\.initialUpper).max() ?? 0,
                              certifiedRadius: radius.map { max(0, $0) }, unstableNeurons: unstable,
                              seconds: Date().timeIntervalSince(start), rows: results)
    }
}
