import ArgumentParser
import Foundation
import Lipschitz

extension InputNorm: ExpressibleByArgument {}
extension JacobianRelaxation: ExpressibleByArgument {}

/// `nnverify lipschitz`: certified local Lipschitz bounds over eps-balls of labelled inputs or over the
/// input boxes of a VNN-LIB property.
struct LipschitzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lipschitz",
        abstract: "Certified local Lipschitz bounds (and Lipschitz-certified radii) over input regions.",
        discussion: """
            For every input (--inputs with --eps: the ball intersected with --range; or every input box \
            of a VNN-LIB property) and every selected scalar output (--outputs: the logit margins \
            against the predicted class, 'all', or indices i,j): a certified upper bound of the local \
            Lipschitz constant in the dual of --norm (linf input -> l1 of the gradient), tightened by \
            branch-and-bound within --timeout-per-input; a lower bound (the gradient's dual norm at \
            a point of the region found by gradient-norm ascent); and the naive global bound (product \
            of operator norms). With margins, the Lipschitz-certified radius min_j margin_j/L_j (capped \
            at eps) certifies the prediction. Supports linear operators, piecewise-linear activations \
            and Sigmoid/Tanh/Erf/Softsign; other operators are refused by name. --out DIR writes \
            lipschitz.json (schema: Docs/lipschitz.md). Exit status 0, or 1 on bad input. With \
            --monotone IN:OUT: per region 'proven' (the partial derivative has the sign everywhere), \
            'violated' (two points differing only in input IN, checked by evaluation) or 'unknown'; exit \
            status 0 when every region is proven, 10 when one is violated, 20 otherwise.
            """)

    @Argument(help: "The model (ONNX file).")
    var model: String

    @Argument(help: "A property (VNN-LIB file) whose input boxes are the regions; omit it with --inputs.")
    var spec: String?

    @Option(help: "Labelled inputs: .csv (label,x0,x1,...), .npy (with --labels) or .npz (x/y arrays).")
    var inputs: String?

    @Option(help: "Labels for an .npy input file (.npy of integers).")
    var labels: String?

    @Option(help: "Radius of the region around each input (with --inputs).")
    var eps: Double?

    @Option(help: "Input norm: linf, l2 or l1 (the bound is on the gradient's dual norm: l1, l2, linf).")
    var norm: InputNorm = .linf

    @Option(help: ArgumentHelp("Outputs to bound: margin (default with --inputs), all (default with a property), or indices.", valueName: "margin|all|i,j"))
    var outputs: String?

    @Option(help: ArgumentHelp("Valid input range for --inputs as LOW,HIGH, or 'none'.", valueName: "low,high|none"))
    var range: String = "0,1"

    @Option(help: "Seconds per input for pre-activation bounds, the lower-bound search and branch-and-bound (shared by its outputs; the first bound of each output always completes).")
    var timeoutPerInput: Double = 5

    @Option(help: "Subdomains per output at most (1 turns branch-and-bound off).")
    var maxDomains: Int = 4000

    @Option(help: ArgumentHelp("How each subdomain's Jacobian is bounded: 'linear' (linear bound propagation through the gradient graph, Shi et al. 2022, intersected with the interval pass) or 'interval' (interval arithmetic only, faster per domain, loose on deep networks).", valueName: "linear|interval"))
    var jacobianBounds: JacobianRelaxation = .linear

    @Option(help: "Bound only the first N inputs.")
    var limit: Int?

    @Option(help: "Write lipschitz.json into this folder.")
    var out: String?

    @Option(help: ArgumentHelp("Instead of Lipschitz bounds: prove that output OUT does not decrease (or, with ':decreasing', does not increase) in input IN over each region, or find two points that violate it.", valueName: "IN:OUT[:increasing|decreasing]"))
    var monotone: String?

    @OptionGroup(title: "Input normalisation (with --inputs)")
    var normalisation: NormalisationOptions

    func validate() throws {
        guard (spec == nil) != (inputs == nil) else {
            throw ValidationError("give either a VNN-LIB property or --inputs, not both and not neither")
        }
        if spec != nil {
            for (name, given) in [("--eps", eps != nil), ("--labels", labels != nil), ("--limit", limit != nil),
                                  ("--mean", normalisation.mean != nil)] where given {
                throw ValidationError("\(name) applies to --inputs only; a property defines its own input boxes")
            }
        } else {
            guard let e = eps else { throw ValidationError("--inputs needs --eps (the radius of the region)") }
            guard e >= 0, e.isFinite else { throw ValidationError("--eps must be a number >= 0, got \(e)") }
        }
        guard timeoutPerInput > 0, timeoutPerInput.isFinite else { throw ValidationError("--timeout-per-input must be a positive number of seconds") }
        guard maxDomains >= 1 else { throw ValidationError("--max-domains must be at least 1") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
        _ = try ValidRange.parse(range)
        do { _ = try selection() } catch { throw ValidationError("\(error)") }
        _ = try monotoneQuery()
    }

    /// The parsed --monotone query, or nil.
    func monotoneQuery() throws -> (input: Int, output: Int, direction: MonotoneDirection)? {
        guard let text = monotone else { return nil }
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 2 || parts.count == 3, let i = Int(parts[0]), let o = Int(parts[1]), i >= 0, o >= 0,
              let direction = parts.count == 3 ? MonotoneDirection(rawValue: parts[2]) : .increasing else {
            throw ValidationError("--monotone must be IN:OUT or IN:OUT:increasing|decreasing with indices >= 0, got '\(text)'")
        }
        return (i, o, direction)
    }

    func selection() throws -> OutputSelection {
        try outputs.map(OutputSelection.parse) ?? (spec == nil ? .margin : .all)
    }

    func options() -> LipschitzOptions {
        var o = LipschitzOptions()
        o.branching.maxDomains = maxDomains
        o.branching.relaxation = jacobianBounds
        return o
    }

    func run() throws {
        if let query = try monotoneQuery() {
            let code = try LipschitzRun(command: self).runMonotone(query)
            if code != 0 { throw ExitCode(code) }
        } else {
            try LipschitzRun(command: self).run()
        }
    }
}
