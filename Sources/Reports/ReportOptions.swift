import Attacks
import DataFiles
import Foundation
import Verifier

/// Settings of a robustness report run.
public struct ReportOptions: Sendable {
    /// Perturbation radii, strictly ascending (see ``parseEpsilons(_:)``).
    public var epsilons: [Double]
    /// Norm of the perturbation. L2 balls are certified through their bounding L∞ box (sound, looser).
    public var norm: AttackNorm = .linf
    /// Valid input range applied to every input value (the ball is intersected with it); infinite
    /// bounds for no range.
    public var validLower: Double = 0
    public var validUpper: Double = 1
    /// Wall-clock budget in seconds for one (input, ε) pair: the attack may use half, the verifier the rest.
    public var timeoutPerInput: Double = 10
    /// The attack run before verification; nil skips it (the verifier still searches with PGD).
    public var attack: AttackMethod? = .pgd(PGDOptions())
    /// Settings of the verifier; `timeout` is replaced by what is left of ``timeoutPerInput``.
    public var verifier = VerifierOptions()
    /// When an (input, ε) pair stays unknown, larger radii of that input are not handed to the
    /// verifier (their verdict is unknown unless the attack falsifies them). Saves the time of
    /// verification runs that would almost surely time out too.
    public var skipVerificationAfterUnknown = true
    /// Inputs evaluated at once (each on its own thread; results are the same as with 1).
    public var jobs: Int = 1
    /// Image layout of one input for the HTML gallery; nil picks it from the data or model shape,
    /// and no gallery is drawn when neither looks like an image.
    public var imageShape: ImageShape?
    /// Also bound the local Lipschitz constant of the logit margins of every correctly classified
    /// input at every radius (`Sources/Lipschitz`, with ``lipschitzShare`` of ``timeoutPerInput`` more)
    /// and count the inputs it certifies (`min_j margin_j / L_j > ε`).
    public var lipschitz = false
    /// The Lipschitz bound's time, as a share of ``timeoutPerInput`` (on top of it).
    public var lipschitzShare = 0.25
    /// Also compute the IBP tightness per output (global, and local averaged over the inputs).
    public var tightness = false

    /// Settings with the given radii and defaults for the rest.
    public init(epsilons: [Double]) { self.epsilons = epsilons }

    /// Parses `0.01,0.02,0.03`: numbers >= 0, finite, no repeats; returned ascending.
    public static func parseEpsilons(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ReportError.invalidEpsilons(given: text, reason: "the list is empty")
        }
        var values = [Double]()
        for part in parts {
            guard let v = Double(part) else {
                throw ReportError.invalidEpsilons(given: text, reason: part.isEmpty ? "an entry is empty" : "'\(part)' is not a number")
            }
            guard v.isFinite, v >= 0 else { throw ReportError.invalidEpsilons(given: text, reason: "'\(part)' is not a finite number >= 0") }
            guard !values.contains(v) else { throw ReportError.invalidEpsilons(given: text, reason: "\(part) appears twice") }
            values.append(v)
        }
        return values.sorted()
    }

    /// Throws ``ReportError`` unless the settings are usable.
    public func validate() throws {
        guard !epsilons.isEmpty else { throw ReportError.invalidEpsilons(given: "", reason: "the list is empty") }
        for (k, e) in epsilons.enumerated() {
            guard e.isFinite, e >= 0 else { throw ReportError.invalidEpsilons(given: "\(e)", reason: "not a finite number >= 0") }
            if k > 0, !(epsilons[k - 1] < e) {
                throw ReportError.invalidEpsilons(given: epsilons.map { "\($0)" }.joined(separator: ","), reason: "radii must be strictly ascending")
            }
        }
        guard !validLower.isNaN, !validUpper.isNaN, validLower <= validUpper else {
            throw ReportError.invalidOption("the valid range must have lower <= upper, got [\(validLower), \(validUpper)]")
        }
        guard jobs >= 1 else { throw ReportError.invalidOption("jobs must be at least 1, got \(jobs)") }
        guard timeoutPerInput > 0, timeoutPerInput.isFinite else {
            throw ReportError.invalidOption("the timeout per input must be a positive number of seconds, got \(timeoutPerInput)")
        }
    }
}
