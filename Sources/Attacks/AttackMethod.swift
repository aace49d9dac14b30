import Foundation
import NNGraph

/// An attack with its settings, so that callers (the CLI, reports) can choose one at run time.
public enum AttackMethod: Sendable, Equatable {
    case fgsm(loss: AttackLoss)
    case pgd(PGDOptions)
    case carliniWagner(CarliniWagnerOptions)

    /// Short name: `fgsm`, `pgd` or `cw`.
    public var name: String {
        switch self {
        case .fgsm: return "fgsm"
        case .pgd: return "pgd"
        case .carliniWagner: return "cw"
        }
    }

    /// Runs the attack on every problem (one batch); every adversarial input returned is validated.
    public func run(_ network: Network, _ problems: [AttackProblem], deadline: Date = .distantFuture) -> [AttackOutcome] {
        switch self {
        case .fgsm(let loss): return Attacks.fgsm(network, problems, loss: loss)
        case .pgd(let options): return Attacks.pgd(network, problems, options: options, deadline: deadline)
        case .carliniWagner(let options): return carliniWagnerL2(network, problems, options: options, deadline: deadline)
        }
    }

    /// Like ``run(_:_:deadline:)``, but PGD keeps going until every problem has an adversarial
    /// input or the deadline passes: round `k` uses a fresh seed and `2^k` times the restarts (at
    /// most 4096 per problem). FGSM and Carlini–Wagner are deterministic and run once.
    public func runUntilDeadline(_ network: Network, _ problems: [AttackProblem], deadline: Date) -> [AttackOutcome] {
        guard case .pgd(var options) = self else { return run(network, problems, deadline: deadline) }
        var results = Attacks.pgd(network, problems, options: options, deadline: deadline)
        var round: UInt64 = 1
        while Date() < deadline {
            let open = problems.indices.filter { results[$0].adversarial == nil }
            if open.isEmpty { break }
            options.seed = options.seed &+ 0x5851_F42D_4C95_7F2D &* round
            options.restarts = min(4096, options.restarts * 2)
            let more = Attacks.pgd(network, open.map { problems[$0] }, options: options, deadline: deadline)
            for (k, p) in open.enumerated() {
                results[p].gradientEvaluations += more[k].gradientEvaluations
                results[p].rejected += more[k].rejected
                results[p].adversarial = more[k].adversarial
            }
            round += 1
        }
        return results
    }
}
