import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Attacks

/// FGSM, PGD and Carlini–Wagner against answers known exactly: on a linear two-class model the
/// smallest L∞ change that flips the label is `margin/‖w‖₁` and the smallest L2 change `margin/‖w‖₂`.
@Suite struct AttackMethodTests {
    /// Outputs `(0, w·x + b)`: class 1 wins where `w·x + b > 0`.
    static func linearClassifier(_ w: [Double], _ b: Double) -> Network {
        let weight = Matrix(rowVectors: [[Double](repeating: 0, count: w.count), w])
        let node = Node(name: "fc", op: Affine(weight: weight, bias: [0, b]), inputs: [0], shape: [2])
        return try! Network(inputName: "x", inputShape: [w.count], outputName: "y", nodes: [node], output: 1)
    }

    static let w = [0.5, -1.0, 2.0, 0.25]
    static let origin = [0.1, 0.2, -0.3, 0.4]
    static let network = linearClassifier(w, 0.3)
    /// w·origin + b = 0.05 - 0.2 - 0.6 + 0.1 + 0.3 = -0.35: class 0 at the origin.
    static let margin = 0.35
    static let l1 = 3.75, l2 = (0.25 + 1 + 4 + 0.0625).squareRoot()

    static func problem(_ norm: AttackNorm, _ epsilon: Double) -> AttackProblem {
        let region = try! AttackRegion(around: origin, norm: norm, epsilon: epsilon,
                                       validLower: [Double](repeating: -1, count: 4), validUpper: [Double](repeating: 1, count: 4))
        return AttackProblem(region: region, goal: .untargeted(label: 0))
    }

    @Test(arguments: [AttackNorm.linf, .l2])
    func fgsmAndPGDSucceedExactlyAboveTheMinimalDistance(norm: AttackNorm) throws {
        let d = norm == .linf ? Self.margin / Self.l1 : Self.margin / Self.l2
        let above = [Self.problem(norm, 1.01 * d)], below = [Self.problem(norm, 0.99 * d)]
        for loss in [AttackLoss.crossEntropy, .margin(confidence: 0)] {
            let f = try #require(fgsm(Self.network, above, loss: loss)[0].adversarial)
            #expect(f.linfDistance <= 1.01 * d + 1e-12 || norm == .l2)
            #expect(fgsm(Self.network, below, loss: loss)[0].adversarial == nil)
            var options = PGDOptions()
            options.loss = loss
            let p = try #require(pgd(Self.network, above, options: options)[0].adversarial)
            #expect(try Self.network.evaluate(p.input)[1] > 0)
            #expect(pgd(Self.network, below, options: options)[0].adversarial == nil)
        }
    }

    @Test func carliniWagnerFindsNearlyTheMinimalL2Distance() throws {
        let outcome = carliniWagnerL2(Self.network, [Self.problem(.l2, .infinity)])[0]
        let a = try #require(outcome.adversarial)
        let exact = Self.margin / Self.l2
        #expect(a.l2Distance >= exact - 1e-9)
        #expect(a.l2Distance <= 1.05 * exact, "CW distance \(a.l2Distance), exact \(exact)")
        // Inside a ball smaller than the minimal distance nothing counts; the closest point is reported.
        let small = carliniWagnerL2(Self.network, [Self.problem(.l2, 0.9 * exact)])[0]
        #expect(small.adversarial == nil)
        #expect((small.closestOutsideBall ?? 0) > 0.9 * exact)
    }

    @Test func targetedAttacksReachTheTarget() throws {
        var rng = SeededGenerator(seed: 21)
        let net = RandomNetworks.mlp([6, 16, 4], activation: .relu, weightScale: 3, using: &rng)
        let origin = (0..<6).map { _ in rng.uniform(0.3, 0.7) }
        let y = try net.evaluate(origin)
        let label = y.indices.max { y[$0] < y[$1] }!
        let target = (label + 1) % 4
        let region = try AttackRegion(around: origin, norm: .linf, epsilon: 1, validLower: [Double](repeating: -5, count: 6),
                                      validUpper: [Double](repeating: 5, count: 6))
        let problem = AttackProblem(region: region, goal: .targeted(label: label, target: target))
        for outcome in [pgd(net, [problem])[0], carliniWagnerL2(net, [problem])[0]] {
            if let a = outcome.adversarial {
                #expect(a.output.indices.max { a.output[$0] < a.output[$1] } == target)
            }
        }
    }

    @Test func specificationGoalsUseTheViolationMargin() throws {
        let net = SmallNetworks.twoReLU()
        let box = InputBox(lower: [0, 0], upper: [1, 1])
        let reachable = SmallNetworks.outputAtLeast(1.9, box: box).cases[0]
        let unreachable = SmallNetworks.outputAtLeast(2.1, box: box).cases[0]
        func problem(_ c: SpecCase) -> AttackProblem { AttackProblem(region: AttackRegion(box: c.box), goal: .specification(c)) }
        #expect(pgd(net, [problem(reachable)])[0].adversarial != nil)
        #expect(carliniWagnerL2(net, [problem(reachable)])[0].adversarial != nil)
        #expect(fgsm(net, [problem(reachable)])[0].adversarial != nil)  // the corner (1, 1)
        #expect(pgd(net, [problem(unreachable)])[0].adversarial == nil)
        #expect(carliniWagnerL2(net, [problem(unreachable)])[0].adversarial == nil)
    }

    /// On random networks every reported adversarial input re-validates: inside the region, goal
    /// achieved by a fresh evaluation; with one and two worker threads.
    @Test(arguments: [TestActivation.relu, .tanh, .sigmoid])
    func everyReportedAdversarialIsGenuine(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 31)
        var found = 0
        for trial in 0..<6 {
            let net = RandomNetworks.mlp([5, 12, 12, 3], activation: activation, extras: true, weightScale: 2, using: &rng)
            var problems = [AttackProblem]()
            for k in 0..<4 {
                let origin = (0..<5).map { _ in rng.uniform(0, 1) }
                let y = try net.evaluate(origin)
                let label = y.indices.max { y[$0] < y[$1] }!
                let norm: AttackNorm = k % 2 == 0 ? .linf : .l2
                let region = try AttackRegion(around: origin, norm: norm, epsilon: rng.uniform(0.05, 0.6),
                                              validLower: [Double](repeating: 0, count: 5), validUpper: [Double](repeating: 1, count: 5))
                problems.append(AttackProblem(region: region, goal: .untargeted(label: label)))
            }
            var pgdOptions = PGDOptions()
            pgdOptions.steps = 30
            pgdOptions.threads = trial % 2 + 1
            var cwOptions = CarliniWagnerOptions()
            cwOptions.steps = 100
            cwOptions.threads = trial % 2 + 1
            let all = fgsm(net, problems) + pgd(net, problems, options: pgdOptions) + carliniWagnerL2(net, problems, options: cwOptions)
            for (i, outcome) in all.enumerated() {
                #expect(outcome.rejected == 0)
                guard let a = outcome.adversarial else { continue }
                found += 1
                let problem = problems[i % problems.count]
                #expect(problem.region.contains(a.input))
                #expect(problem.goal.isAchieved(by: try net.evaluate(a.input)))
            }
        }
        #expect(found > 0, "no attack succeeded at all: the test would not exercise validation")
    }

    @Test func validationRejectsWrongCandidates() {
        let problem = Self.problem(.l2, 0.3)
        let net = Self.network
        let good = Self.origin.indices.map { Self.origin[$0] + 0.2 * Self.w[$0] / Self.l2 }
        #expect((try? validateAdversarial(good, network: net, problem: problem).get()) != nil)
        guard case .failure(.goalNotAchieved(let y)) = validateAdversarial(Self.origin, network: net, problem: problem) else {
            Issue.record("the unperturbed input was accepted as adversarial")
            return
        }
        #expect(abs(y[1] + Self.margin) < 1e-12)
        #expect(validateAdversarial([0, 0, 0], network: net, problem: problem) == .failure(.wrongSize(expected: 4, got: 3)))
        var nan = good
        nan[2] = .nan
        #expect(validateAdversarial(nan, network: net, problem: problem) == .failure(.notFinite(index: 2)))
        let far = Self.origin.indices.map { Self.origin[$0] + 0.5 * Self.w[$0] / Self.l2 }  // adversarial, in the box, 0.5 away
        #expect(validateAdversarial(far, network: net, problem: problem) == .failure(.outsideRegion(index: nil)))
        var outOfRange = good
        outOfRange[0] = 11
        #expect(validateAdversarial(outOfRange, network: net, problem: problem) == .failure(.outsideRegion(index: 0)))
    }
}
