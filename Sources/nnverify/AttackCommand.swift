import ArgumentParser
import Attacks
import Foundation

struct AttackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attack",
        abstract: "Search for counterexamples with FGSM, PGD or Carlini–Wagner.",
        discussion: """
            Two modes. With a VNN-LIB file, attacks the property inside its input box and prints sat \
            (a counterexample, re-checked by concrete evaluation) or unknown/timeout; PGD repeats with \
            fresh random starts (doubling them each round) until it succeeds or --timeout passes. Exit \
            status 10 sat, 20 unknown/timeout, 1 bad input; --results writes a VNN-COMP result file. With --inputs (CSV rows \
            `label,x0,x1,...`, or .npy/.npz images with labels) and --eps, attacks every correctly \
            classified input inside the epsilon ball intersected with --range, prints one line per input \
            and the attack success rate; exit status 0, or 1 on bad input. Every adversarial input \
            reported is re-validated: inside the allowed set, and the recomputed output changes the \
            label (or reaches --target, or violates the property). --images DIR writes PNGs of the \
            original, the adversarial example and the magnified perturbation for image inputs.
            """)

    @Argument(help: "The model (ONNX file).")
    var model: String

    @Argument(help: "The property (VNN-LIB file); omit it when attacking a data set with --inputs.")
    var spec: String?

    @Option(help: "Labelled inputs: .csv (label,x0,x1,...), .npy (with --labels) or .npz (x/y arrays).")
    var inputs: String?

    @Option(help: "Labels for an .npy input file (.npy of integers).")
    var labels: String?

    @Option(help: "Perturbation radius for --inputs.")
    var eps: Double?

    @Option(help: "Norm of the perturbation for --inputs: linf or l2.")
    var norm: AttackNorm = .linf

    @Option(help: "Targeted attack on this class (--inputs); inputs of that class are skipped.")
    var target: Int?

    @Option(help: ArgumentHelp("Valid input range for --inputs as LOW,HIGH, or 'none'.", valueName: "low,high|none"))
    var range: String = "0,1"

    @Option(help: "Attack only the first N inputs.")
    var limit: Int?

    @Option(help: "Inputs attacked together as one batch.")
    var batchSize: Int = 32

    @Option(help: "Time budget in seconds for the whole run (default: 30 with a property, none with --inputs).")
    var timeout: Double?

    @Option(help: "With a property: VNN-COMP result file. With --inputs: per-input csv (index,label,predicted,outcome,linf,l2,seconds).")
    var results: String?

    @Option(help: "Write PNG images of each adversarial example to this folder (image inputs only).")
    var images: String?

    @Option(help: ArgumentHelp("Image layout of the input as C,H,W (C 1 or 3) when the model's input shape does not say.", valueName: "c,h,w"))
    var imageShape: String?

    @Flag(help: "With --inputs: print only the summary.")
    var quiet = false

    @OptionGroup(title: "Input normalisation (with --inputs)")
    var normalisation: NormalisationOptions

    @OptionGroup(title: "Attack settings")
    var settings: AttackSettings

    func validate() throws {
        guard (spec == nil) != (inputs == nil) else {
            throw ValidationError("give either a VNN-LIB property or --inputs, not both and not neither")
        }
        if spec != nil {
            for (name, given) in [("--eps", eps != nil), ("--labels", labels != nil), ("--target", target != nil), ("--limit", limit != nil),
                                  ("--mean", normalisation.mean != nil)] where given {
                throw ValidationError("\(name) applies to --inputs only; a property defines its own input box")
            }
        } else {
            guard let e = eps else { throw ValidationError("--inputs needs --eps (the perturbation radius)") }
            guard e >= 0, e.isFinite else { throw ValidationError("--eps must be a number >= 0, got \(e)") }
        }
        if let t = timeout, !(t > 0 && t.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let t = target, t < 0 { throw ValidationError("--target must be a class index >= 0") }
        _ = try validRange()
        if let s = imageShape { _ = try ImageLayout.parse(s) }
    }

    /// The valid input range as (low, high); infinite for 'none'.
    func validRange() throws -> (Double, Double) { try ValidRange.parse(range) }

    func run() throws {
        let budget = timeout ?? (spec != nil ? 30 : nil)
        let deadline = budget.map { Date().addingTimeInterval($0) } ?? .distantFuture
        if let spec {
            let code = try SpecAttackRun(command: self, specPath: spec).run(deadline: deadline)
            if code != 0 { throw ExitCode(code) }
        } else {
            try DatasetAttackRun(command: self).run(deadline: deadline)
        }
    }
}
