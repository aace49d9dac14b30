import DataFiles
import Foundation

/// The counterexample gallery of the HTML report: original, adversarial and perturbation images as
/// inline base64 PNGs (no external files).
enum HTMLGallery {
    /// At most this many counterexamples are drawn (the smallest radius first, then by input).
    static let limit = 24

    /// The gallery section, or a note when the inputs are not images or nothing was falsified.
    static func section(_ report: RobustnessReport) -> String {
        let falsified = report.results.filter { $0.counterexample != nil }
        guard let shape = report.galleryShape else {
            return "<p class=\"note\">The inputs are not images (sample shape \(report.sampleShape.map(String.init).joined(separator: "x"))); no gallery.</p>"
        }
        guard !falsified.isEmpty else { return "<p class=\"note\" id=\"gallery\">No counterexamples were found.</p>" }
        // One entry per input: the smallest radius at which it was falsified.
        var seen = Set<Int>()
        var picks = [InputResult]()
        for r in falsified.sorted(by: { ($0.epsilon, $0.index) < ($1.epsilon, $1.index) }) where !seen.contains(r.index) {
            seen.insert(r.index)
            picks.append(r)
        }
        let range = displayRange(report)
        var cells = [String]()
        for r in picks.prefix(limit) {
            guard let original = report.originals[r.index], let c = r.counterexample,
                  let images = try? pngs(original: original, adversarial: c.input, shape: shape, range: range) else { continue }
            cells.append("""
                <figure class="example">
                <div class="images">\(images.map { "<img alt=\"\($0.0)\" title=\"\($0.0)\" src=\"data:image/png;base64,\($0.1)\">" }.joined())</div>
                <figcaption>input \(r.index): label \(r.label) → \(c.predicted) at ε=\(format(r.epsilon))<br>L∞ \(format(c.linfDistance)), L2 \(format(c.l2Distance))</figcaption>
                </figure>
                """)
        }
        let more = picks.count > limit ? "<p class=\"note\">\(picks.count - limit) more falsified inputs are listed in report.json.</p>" : ""
        return "<p class=\"note\">Each example: original, adversarial, perturbation (magnified; grey = unchanged).</p>\n<div id=\"gallery\" class=\"gallery\">\n"
            + cells.joined(separator: "\n") + "\n</div>\n" + more
    }

    /// The value range shown as black to white: the valid range when finite, else the data's range.
    static func displayRange(_ report: RobustnessReport) -> ClosedRange<Double> {
        let o = report.options
        if o.validLower.isFinite, o.validUpper.isFinite, o.validLower < o.validUpper { return o.validLower...o.validUpper }
        let values = report.originals.values.flatMap { $0 }
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        return lo < hi ? lo...hi : (lo - 1)...(lo + 1)
    }

    /// The three images, upscaled to about 96 pixels, as (name, base64 PNG).
    static func pngs(original: [Double], adversarial: [Double], shape: ImageShape, range: ClosedRange<Double>) throws -> [(String, String)] {
        let clamp = { (v: [Double]) in v.map { min(max($0, range.lowerBound), range.upperBound) } }
        let factor = max(1, 96 / max(1, min(shape.height, shape.width)))
        let images = [
            ("original", try PNGImage(chw: clamp(original), channels: shape.channels, height: shape.height, width: shape.width, range: range)),
            ("adversarial", try PNGImage(chw: clamp(adversarial), channels: shape.channels, height: shape.height, width: shape.width, range: range)),
            ("perturbation", try PNGImage.perturbation(original: original, adversarial: adversarial, channels: shape.channels,
                                                       height: shape.height, width: shape.width)),
        ]
        return try images.map { ($0.0, try PNGImage.upscaled($0.1, factor: factor).pngData().base64EncodedString()) }
    }
}
