import ArgumentParser
import Attacks
import DataFiles
import Foundation

/// How a flat input vector maps to an image: C×H×W, C in {1, 3}.
struct ImageLayout: Equatable {
    let channels: Int
    let height: Int
    let width: Int

    /// Parses `C,H,W`.
    static func parse(_ text: String) throws -> ImageLayout {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let c = parts[0], let h = parts[1], let w = parts[2], h > 0, w > 0, c == 1 || c == 3 else {
            throw ValidationError("--image-shape must be C,H,W with C = 1 or 3 and positive H, W (e.g. 1,28,28), got '\(text)'")
        }
        return ImageLayout(channels: c, height: h, width: w)
    }

    /// The layout from `--image-shape`, else from the data's sample shape, else from the model's
    /// input shape (leading 1s dropped): C×H×W with C in {1, 3}, or H×W as one channel.
    static func resolve(option: String?, dataShape: [Int]?, networkShape: [Int], inputCount: Int) throws -> ImageLayout {
        if let option {
            let layout = try parse(option)
            guard layout.channels * layout.height * layout.width == inputCount else {
                throw CLIFailure(message: "--image-shape \(option) holds \(layout.channels * layout.height * layout.width) values; the model takes \(inputCount)")
            }
            return layout
        }
        for shape in [dataShape, networkShape].compactMap({ $0 }) {
            var dims = shape
            while dims.count > 3, dims.first == 1 { dims.removeFirst() }
            if dims.count == 3, dims[0] == 1 || dims[0] == 3 { return ImageLayout(channels: dims[0], height: dims[1], width: dims[2]) }
            if dims.count == 2, dims.allSatisfy({ $0 > 1 }) { return ImageLayout(channels: 1, height: dims[0], width: dims[1]) }
        }
        let shown = (dataShape ?? networkShape).map(String.init).joined(separator: "x")
        throw CLIFailure(message: "--images needs image inputs (C x H x W with C = 1 or 3), but the input shape is \(shown); give --image-shape C,H,W if the values are an image")
    }
}

/// Writes the original, adversarial and perturbation images of one example.
enum AdversarialImages {
    /// The pixel value range shown as black to white: the region's box where finite, else [0, 1].
    static func displayRange(_ region: AttackRegion) -> ClosedRange<Double> {
        let lo = region.lower.min() ?? 0, hi = region.upper.max() ?? 1
        if lo.isFinite, hi.isFinite, lo < hi {
            // An L∞ region's box is the clipped ball; show the whole valid range of the data instead.
            return min(lo, 0)...max(hi, 1)
        }
        return 0...1
    }

    /// Writes `<stem>_original.png`, `<stem>_adversarial.png` and `<stem>_perturbation.png` into
    /// `directory` (created if needed), scaled up so that small images stay visible. Returns the paths.
    static func write(to directory: String, stem: String, original: [Double], adversarial: [Double],
                      layout: ImageLayout, range: ClosedRange<Double>) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let factor = max(1, 112 / max(1, min(layout.height, layout.width)))
            let images = [
                ("original", try PNGImage(chw: original, channels: layout.channels, height: layout.height, width: layout.width, range: range)),
                ("adversarial", try PNGImage(chw: adversarial, channels: layout.channels, height: layout.height, width: layout.width, range: range)),
                ("perturbation", try PNGImage.perturbation(original: original, adversarial: adversarial, channels: layout.channels,
                                                           height: layout.height, width: layout.width)),
            ]
            var paths = [String]()
            for (name, image) in images {
                let path = (directory as NSString).appendingPathComponent("\(stem)_\(name).png")
                try PNGImage.upscaled(image, factor: factor).write(to: path)
                paths.append(path)
            }
            return paths
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "cannot write images to '\(directory)': \(error)")
        }
    }
}
