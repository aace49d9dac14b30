import Testing
import TestSupport
import VNNLib
@testable import Attacks

@Suite struct AttackGoalTests {
    @Test func successNeedsAStrictlyLargerOutput() {
        #expect(AttackGoal.untargeted(label: 0).isAchieved(by: [1, 2, 0]))
        #expect(!AttackGoal.untargeted(label: 0).isAchieved(by: [2, 2, 0]))  // a tie is not a change of label
        #expect(AttackGoal.targeted(label: 0, target: 2).isAchieved(by: [1, 2, 3]))
        #expect(!AttackGoal.targeted(label: 0, target: 2).isAchieved(by: [1, 3, 3]))
        #expect(!AttackGoal.untargeted(label: 0).isAchieved(by: [.nan, 2, 0]))
    }

    @Test func classesAreCheckedAgainstTheModel() {
        #expect(throws: AttackError.self) { try AttackGoal.untargeted(label: 3).check(outputCount: 3) }
        #expect(throws: AttackError.self) { try AttackGoal.untargeted(label: -1).check(outputCount: 3) }
        #expect(throws: AttackError.self) { try AttackGoal.targeted(label: 1, target: 1).check(outputCount: 3) }
        #expect((try? AttackGoal.targeted(label: 1, target: 2).check(outputCount: 3)) != nil)
    }

    static let goals: [AttackGoal] = [
        .untargeted(label: 1), .targeted(label: 1, target: 3),
        .specification(SpecCase(box: InputBox(lower: [0], upper: [1]), disjuncts: [
            [LinearConstraint(coefficients: [1, -1, 0, 0.5], constant: 0.2)],
            [LinearConstraint(coefficients: [0, 1, -2, 0], constant: -0.1), LinearConstraint(coefficients: [0, 0, 1, -1], constant: 0)],
        ])),
    ]

    @Test(arguments: [AttackLoss.crossEntropy, .margin(confidence: 0), .margin(confidence: 0.5)])
    func lossGradientsMatchFiniteDifferences(loss: AttackLoss) {
        var rng = SeededGenerator(seed: 11)
        for goal in Self.goals {
            for _ in 0..<50 {
                let y = (0..<4).map { _ in rng.uniform(-3, 3) }
                let (_, g) = goal.loss(y, loss)
                for j in 0..<4 {
                    var up = y, down = y
                    up[j] += 1e-6; down[j] -= 1e-6
                    let numeric = (goal.loss(up, loss).value - goal.loss(down, loss).value) / 2e-6
                    // Skip points where the max/min switches inside the difference step (a kink).
                    let kink = abs(goal.loss(up, loss).value - goal.loss(y, loss).value - (goal.loss(y, loss).value - goal.loss(down, loss).value)) > 1e-9
                    if !kink { #expect(abs(g[j] - numeric) < 1e-6 * max(1, abs(numeric)), "\(goal) \(loss) d/dy\(j)") }
                }
            }
        }
    }

    @Test func marginIsNegativeExactlyWhenTheGoalHolds() {
        var rng = SeededGenerator(seed: 12)
        for goal in Self.goals.prefix(2) {
            for _ in 0..<200 {
                let y = (0..<4).map { _ in rng.uniform(-3, 3) }
                #expect((goal.loss(y, .margin(confidence: 0.5)).value < 0) == goal.isAchieved(by: y))
            }
        }
    }

    @Test func crossEntropyIsStableForLargeLogits() {
        let (value, g) = AttackGoal.targeted(label: 0, target: 1).loss([1000, 0, -1000], .crossEntropy)
        #expect(abs(value - 1000) < 1e-9)
        #expect(g.allSatisfy { $0.isFinite })
    }
}
