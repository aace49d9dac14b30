import ArgumentParser
import DataFiles
import Foundation
import NNGraph
import ONNXLoader
import Planting
import VNNLib

struct PlantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plant",
        abstract: "Generate benchmark instances with planted, hidden counterexamples (and matched clean ones).",
        discussion: """
            Takes a chain of dense layers and elementwise activations (MODEL, or a random one from --inputs/--width/--depth/\
            --outputs/--activation) and regions: the input boxes of --spec, or L-infinity balls of radius \
            --eps around the box centres of --spec, the samples of --data, or random points of --range, \
            with robustness of the predicted label. For every region whose property nnverify proves \
            unsat (--proof-timeout), writes --planted networks that equal the model except in a tiny \
            ball inside the box where the property is violated (expected sat, validated witness in \
            witnesses/) and --clean networks with the ball outside the box (expected unsat, kept only \
            when nnverify proves them). Output: DIR/onnx, DIR/vnnlib, DIR/witnesses, DIR/instances.csv, \
            DIR/expected.csv (appended to on later runs). See Docs/plant.md. Exit status 0, or 1 on bad \
            input or when no instance could be written.
            """)

    @Argument(help: "The model (ONNX file); omit it to plant into a random network (--inputs ...).")
    var model: String?

    @Option(help: "Output folder (created when missing; csv files are appended to).")
    var out: String

    @Option(help: "Random network: number of inputs.")
    var inputs: Int?
    @Option(help: "Random network: neurons per hidden layer.")
    var width: Int?
    @Option(help: "Random network: number of hidden layers.")
    var depth: Int?
    @Option(help: "Random network: number of outputs (classes).")
    var outputs: Int?
    @Option(help: ArgumentHelp("Random network: activation of the hidden layers.", valueName: "relu|sigmoid|tanh"))
    var activation: String?

    @Option(help: "Property (VNN-LIB): its input boxes are the regions (or, with --eps, their centres).")
    var spec: String?
    @Option(help: "Labelled data (.csv label,x0,..., .npy with --labels, .npz): L-infinity regions around the samples the model classifies correctly (needs --eps).")
    var data: String?
    @Option(help: "Labels for an .npy --data file.")
    var labels: String?
    @Option(help: "Radius of the L-infinity regions.")
    var eps: Double?
    @Option(help: "Number of regions from --data or random centres (default 5), or at most this many boxes of --spec.")
    var regions: Int?
    @Option(help: ArgumentHelp("Valid input range as LOW,HIGH, or 'none': clips the L-infinity boxes, bounds random centres and the clean bumps.", valueName: "low,high|none"))
    var range: String = "none"

    @Option(help: "Planted (expected sat) instances per region.")
    var planted: Int = 1
    @Option(help: "Clean (expected unsat) instances per region, each kept only when proven unsat.")
    var clean: Int = 1
    @Option(help: "Bump radius in every input (rounded down to a power of two); default: --radius-fraction of each box width.")
    var radius: Double?
    @Option(help: "Bump radius as a share of the box width along each input (rounded down to a power of two).")
    var radiusFraction: Double = 0.02
    @Option(help: "Margin of the planted violation at the bump centre (default 0.05 * max(1, max |output|)).")
    var margin: Double?
    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0
    @Option(help: "Per-instance timeout written to instances.csv (seconds).")
    var timeout: Double = 60
    @Option(help: "Time budget of each proof while generating: base property and clean instances (seconds).")
    var proofTimeout: Double = 30
    @Option(help: "File name prefix (default: the model's file name, or random-<shape>-s<seed>).")
    var name: String?

    func validate() throws {
        let randomOptions = [inputs, width, depth, outputs].contains { $0 != nil } || activation != nil
        if model != nil && randomOptions {
            throw ValidationError("give either MODEL or the random network options (--inputs, --width, --depth, --outputs, --activation), not both")
        }
        if model == nil && inputs == nil { throw ValidationError("give a MODEL (ONNX file) or --inputs N for a random network") }
        if let a = activation, ChainActivation(rawValue: a) == nil {
            throw ValidationError("--activation must be relu, sigmoid or tanh, got '\(a)'")
        }
        if data != nil && spec != nil { throw ValidationError("give --spec or --data, not both") }
        if labels != nil && data == nil { throw ValidationError("--labels goes with --data") }
        if data != nil && eps == nil { throw ValidationError("--data needs --eps (the radius of the regions)") }
        if spec == nil && data == nil && eps == nil {
            throw ValidationError("give a region: --spec FILE, --data FILE --eps E, or --eps E with a finite --range for random centres")
        }
        if let e = eps, !(e > 0 && e.isFinite) { throw ValidationError("--eps must be a positive number, got \(e)") }
        if let r = regions, r < 1 { throw ValidationError("--regions must be at least 1") }
        guard (0...1000).contains(planted), (0...1000).contains(clean), planted + clean >= 1 else {
            throw ValidationError("--planted and --clean must be between 0 and 1000 and ask for at least one instance")
        }
        if let r = regions, r > 100_000 { throw ValidationError("--regions must be at most 100000") }
        if let r = radius, !(r > 0 && r.isFinite) { throw ValidationError("--radius must be a positive number, got \(r)") }
        guard radiusFraction > 0, radiusFraction < 0.5 else { throw ValidationError("--radius-fraction must be in (0, 0.5), got \(radiusFraction)") }
        if let m = margin, !(m > 0 && m.isFinite) { throw ValidationError("--margin must be a positive number, got \(m)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard proofTimeout > 0, proofTimeout.isFinite else { throw ValidationError("--proof-timeout must be a positive number of seconds") }
        if let n = name, n.isEmpty || !n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) {
            throw ValidationError("--name may only hold letters, digits, '_', '.' and '-', got '\(n)'")
        }
        _ = try ValidRange.parse(range)
    }

    func run() throws {
        do {
            let (lo, hi) = try ValidRange.parse(range)
            let validRange = lo...hi
            let base = try baseNetwork()
            let network = try base.network()
            let regionList = try makeRegions(network: network, range: validRange)
            var options = PlantOptions(name: name ?? defaultName())
            options.seed = seed
            options.plantedPerRegion = planted
            options.cleanPerRegion = clean
            options.instanceTimeout = timeout
            options.proofTimeout = proofTimeout
            options.parameters.placement.radiusFraction = radiusFraction
            options.parameters.placement.radius = radius
            options.parameters.placement.range = validRange
            options.parameters.margin = margin
            Console.line("plant: \(base.inputSize) inputs, \(base.outputSize) outputs, \(base.hiddenLayerCount) hidden layers"
                         + " (\(base.isReLUNetwork ? "ReLU: bump embedded in the layers" : "bump as a parallel ReLU branch")); "
                         + "\(regionList.count) region\(regionList.count == 1 ? "" : "s")")
            let folder = try SuiteFolder(path: out)
            let outcomes = try PlantedSuite.generate(base: base, regions: regionList, options: options, folder: folder) { Console.line($0) }
            let rows = outcomes.flatMap(\.rows)
            let sat = rows.filter { $0.expected == "sat" }.count
            let used = outcomes.filter { !$0.rows.isEmpty }.count
            Console.line("wrote \(sat) planted (sat) and \(rows.count - sat) clean (unsat) instances for \(used) of \(outcomes.count) regions to \(out)")
            guard !rows.isEmpty else { throw CLIFailure(message: "no instance was written: every region was skipped (see above)") }
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }

    /// The base network: the model as a float32 chain, or a random one.
    func baseNetwork() throws -> LayerChain {
        if let model { return try LayerChain(network: try ONNXLoader.load(contentsOf: model)) }
        let shape = RandomNetworkShape(inputs: inputs ?? 0, width: width ?? 16, depth: depth ?? 2, outputs: outputs ?? 3,
                                       activation: ChainActivation(rawValue: activation ?? "relu") ?? .relu)
        return try LayerChain.random(shape, seed: seed)
    }

    /// The regions asked for (see the command's discussion).
    func makeRegions(network: Network, range: ClosedRange<Double>) throws -> [PlantingRegion] {
        if let spec {
            let property = try VNNLibParser.parse(contentsOf: spec)
            do {
                try property.checkCompatible(inputCount: network.inputSize, outputCount: network.outputSize)
            } catch let error as VNNLibError {
                throw PlantingError.unusableRegion(region: spec, reason: error.message)
            }
            let file = URL(fileURLWithPath: spec).lastPathComponent
            guard let eps else {
                if let r = regions, r < property.cases.count {
                    throw PlantingError.invalidOption(option: "--regions", reason: "\(file) has \(property.cases.count) input boxes; a property is used whole")
                }
                return [PlantingRegion(specification: property, label: file)]
            }
            let centres = PlantingRegion.boxCentres(property).prefix(regions ?? Int.max)
            return try centres.enumerated().map { k, c in
                try PlantingRegion.robustness(network: network, centre: c, eps: eps, range: range, label: "\(file) box \(k) centre")
            }
        }
        guard let eps else { throw PlantingError.invalidOption(option: "--eps", reason: "missing") }
        let wanted = regions ?? 5
        guard let data else {
            let centres = try PlantingRegion.randomCentres(count: wanted, inputSize: network.inputSize, range: range, seed: seed)
            return try centres.enumerated().map { k, c in
                try PlantingRegion.robustness(network: network, centre: c, eps: eps, range: range, label: "random point \(k)")
            }
        }
        let set = try LabelledDataReader.read(inputs: data, labels: labels)
        try set.validate(inputCount: network.inputSize, classCount: network.outputSize)
        var result = [PlantingRegion]()
        for (k, x) in set.inputs.enumerated() where result.count < wanted {
            let region = try PlantingRegion.robustness(network: network, centre: x, eps: eps, range: range,
                                                       label: "\(URL(fileURLWithPath: data).lastPathComponent) sample \(k) label \(set.labels[k])")
            if region.predictedLabel == set.labels[k] { result.append(region) }
        }
        guard !result.isEmpty else {
            throw PlantingError.unusableRegion(region: data, reason: "the model classifies none of the samples correctly")
        }
        return result
    }

    func defaultName() -> String {
        if let model {
            let stem = URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent
            let clean = String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) ? $0 : "_" })
            return clean.isEmpty ? "model" : clean
        }
        return "random-\(inputs ?? 0)x\(width ?? 16)x\(depth ?? 2)x\(outputs ?? 3)-\(activation ?? "relu")-s\(seed)"
    }
}
