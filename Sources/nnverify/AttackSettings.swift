import ArgumentParser
import Attacks
import Verifier

/// The attack and its knobs, shared by the attack command's two modes.
struct AttackSettings: ParsableArguments {
    enum Method: String, ExpressibleByArgument, CaseIterable { case fgsm, pgd, cw }
    enum Loss: String, ExpressibleByArgument, CaseIterable { case ce, margin }

    @Option(help: "Attack: fgsm, pgd or cw (Carlini–Wagner L2).")
    var method: Method = .pgd

    @Option(help: ArgumentHelp("Loss for fgsm/pgd: ce (cross-entropy) or margin (CW margin with --confidence). Specifications always use their violation margin.", valueName: "ce|margin"))
    var loss: Loss = .ce

    @Option(help: "PGD: gradient steps per start (default 100); CW: Adam steps per binary-search step (default 1000).")
    var steps: Int?

    @Option(help: "PGD: starts per input, the first at the unperturbed input (or box centre), the rest random.")
    var restarts: Int = 5

    @Option(help: "PGD: first step as a fraction of epsilon.")
    var stepSize: Double = 0.25

    @Option(help: "PGD: last step as a fraction of epsilon (geometric decay from --step-size; equal for a constant step).")
    var finalStepSize: Double = 0.01

    @Option(help: "CW: binary-search steps over the constant c.")
    var binarySearchSteps: Int = 9

    @Option(help: "CW: Adam learning rate.")
    var learningRate: Double = 0.01

    @Option(help: "CW: first value of the constant c.")
    var initialConst: Double = 1e-3

    @Option(help: "CW and the margin loss: confidence kappa >= 0.")
    var confidence: Double = 0

    @Flag(inversion: .prefixedNo, help: "CW: stop a binary-search step early when the objective stalls.")
    var abortEarly: Bool = true

    @Option(help: "Seed of the random starts.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads.")
    var threads: Int = 2

    func validate() throws {
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
        guard restarts >= 1 else { throw ValidationError("--restarts must be at least 1") }
        guard stepSize > 0, stepSize.isFinite, finalStepSize > 0, finalStepSize.isFinite else {
            throw ValidationError("--step-size and --final-step-size must be positive numbers")
        }
        guard binarySearchSteps >= 1 else { throw ValidationError("--binary-search-steps must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard initialConst > 0, initialConst.isFinite else { throw ValidationError("--initial-const must be a positive number") }
        guard confidence >= 0, confidence.isFinite else { throw ValidationError("--confidence must be a number >= 0") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
    }

    /// The configured attack.
    var attack: AttackMethod {
        let attackLoss: AttackLoss = loss == .ce ? .crossEntropy : .margin(confidence: confidence)
        switch method {
        case .fgsm:
            return .fgsm(loss: attackLoss)
        case .pgd:
            var o = PGDOptions()
            o.steps = steps ?? o.steps
            o.restarts = restarts
            o.initialStep = stepSize
            o.finalStep = finalStepSize
            o.loss = attackLoss
            o.seed = seed
            o.threads = threads
            return .pgd(o)
        case .cw:
            var o = CarliniWagnerOptions()
            o.steps = steps ?? o.steps
            o.binarySearchSteps = binarySearchSteps
            o.learningRate = learningRate
            o.initialConstant = initialConst
            o.confidence = confidence
            o.abortEarly = abortEarly
            o.threads = threads
            return .carliniWagner(o)
        }
    }
}

extension AttackNorm: ExpressibleByArgument {}

extension VerificationMethod: ExpressibleByArgument {}
