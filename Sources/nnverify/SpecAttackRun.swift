import Attacks
import Foundation
import Verifier

/// `nnverify attack MODEL SPEC`: attack every input box of the property, report sat or unknown.
struct SpecAttackRun {
    let command: AttackCommand
    let specPath: String

    /// Runs the attack and prints the outcome; returns the exit status.
    func run(deadline: Date) throws -> Int32 {
        let start = Date()
        let problem: VerificationProblem
        do {
            problem = try VerificationProblem(modelPath: command.model, specPath: specPath)
        } catch {
            try writeResults("error\n")
            throw CLIFailure(message: "\(error)")
        }
        let layout = try command.images.map { _ in
            try ImageLayout.resolve(option: command.imageShape, dataShape: nil, networkShape: problem.network.inputShape,
                                    inputCount: problem.network.inputSize)
        }
        let network = problem.network
        let problems = problem.specification.cases.map {
            AttackProblem(region: AttackRegion(box: $0.box), goal: .specification($0))
        }
        let method = command.settings.attack
        let outcomes = method.runUntilDeadline(network, problems, deadline: deadline)
        let seconds = Date().timeIntervalSince(start)
        let rejected = outcomes.reduce(0) { $0 + $1.rejected }
        let evaluations = outcomes.reduce(0) { $0 + $1.gradientEvaluations }
        for (i, outcome) in outcomes.enumerated() {
            guard let a = outcome.adversarial,
                  let witness = validateCounterexample(a.input, network: network, specification: problem.specification) else { continue }
            let result = VerificationResult(verdict: .sat, witness: witness, seconds: seconds, decidedBy: "attack (\(method.name))")
            print("sat")
            print(Summary.lines(result).joined(separator: "\n"))
            if problems.count > 1 { print("  input box: \(i + 1) of \(problems.count)") }
            print(String(format: "  distance from the box centre: Linf %.6g, L2 %.6g", a.linfDistance, a.l2Distance))
            print("  gradient evaluations: \(evaluations)")
            try writeResults(result.resultFileText)
            if let layout, let dir = command.images {
                let written = try AdversarialImages.write(to: dir, stem: "counterexample", original: problems[i].region.origin,
                                                          adversarial: a.input, layout: layout,
                                                          range: AdversarialImages.displayRange(problems[i].region))
                print("  images: " + written.joined(separator: ", "))
            }
            return Verdict.sat.exitCode
        }
        let verdict: Verdict = Date() >= deadline ? .timeout : .unknown
        print(verdict.rawValue)
        print("  attack: \(method.name), nothing found in \(problems.count) input box\(problems.count == 1 ? "" : "es")")
        print(String(format: "  time: %.3f s", seconds))
        print("  gradient evaluations: \(evaluations)")
        if rejected > 0 { print("  candidates rejected by validation: \(rejected)") }
        try writeResults(verdict.rawValue + "\n")
        return verdict.exitCode
    }

    private func writeResults(_ text: String) throws { try OutputFile.write(text, to: command.results) }
}
