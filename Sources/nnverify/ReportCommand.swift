import ArgumentParser
import Attacks
import Benchmarking
import DataFiles
import Foundation
import NNGraph
import ONNXLoader
import Reports
import Verifier

/// `nnverify report`: robustness report of a model on labelled inputs at several radii, written as
/// JSON, Markdown, JUnit XML and HTML; the exit status gates CI on `--fail-under` thresholds.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a robustness report (JSON, Markdown, JUnit XML, HTML) and check accuracy thresholds.",
        discussion: """
            For every labelled input (CSV rows `label,x0,x1,...`, or .npy/.npz with labels) and every \
            radius in --eps: the clean prediction, an attack (validated counterexamples only), CROWN \
            bounds and the verifier on the ball intersected with --range, within --timeout-per-input \
            seconds per input and radius. Verdicts: certified, falsified, unknown, misclassified. \
            Writes report.json (schema: Docs/report-schema.md), report.md, junit.xml and report.html \
            into --out. Exit status 0 when every --fail-under threshold holds, 2 when one fails (the \
            message names it and the measured value), 1 on bad input.
            """)

    enum Attack: String, ExpressibleByArgument, CaseIterable { case pgd, fgsm, cw, none }

    @Argument(help: "The model (ONNX file); omit it with --instances.")
    var model: String?

    @Option(help: "Labelled inputs: .csv (label,x0,x1,...), .npy (with --labels) or .npz (x/y arrays).")
    var inputs: String?

    @Option(help: "Instead of a model and inputs: a VNN-COMP instance list (onnx,vnnlib,timeout per line); one verdict per instance.")
    var instances: String?

    @Option(help: "With --instances: multiply every instance timeout by this factor.")
    var timeoutScale: Double = 1

    @Option(help: ArgumentHelp("With --instances: report only shard I of N (1-based), partitioned as `bench --shard`.", valueName: "I/N"))
    var shard: String?

    @Option(help: "Labels for an .npy input file.")
    var labels: String?

    @Option(help: ArgumentHelp("Perturbation radii, comma-separated.", valueName: "e1,e2,..."))
    var eps: String?

    @Option(help: "Norm of the perturbation: linf or l2 (l2 is certified through its bounding box).")
    var norm: AttackNorm = .linf

    @Option(help: ArgumentHelp("Valid input range as LOW,HIGH, or 'none'.", valueName: "low,high|none"))
    var range: String = "0,1"

    @Option(help: "Seconds per input and radius (attack and verification together).")
    var timeoutPerInput: Double = 10

    @Option(help: "Attack before verification: pgd, fgsm, cw or none.")
    var attack: Attack = .pgd

    @Option(help: "Search after the bounds: auto, input-split, activation-split or milp.")
    var method: VerificationMethod = .automatic

    @Option(help: "Directory for report.json, report.md, junit.xml and report.html.")
    var out: String = "nnverify-report"

    @Option(help: ArgumentHelp("Thresholds METRIC@EPS=MIN, comma-separated or repeated; metrics clean, attack, certified, lipschitz; MIN is always a minimum share of the inputs, a fraction or a percentage (80%). lipschitz@EPS=MIN: at least MIN of the inputs are Lipschitz-certified at EPS (margin > L·EPS), not a maximum Lipschitz constant; it turns on --lipschitz.",
                               valueName: "metric@eps=min"))
    var failUnder: [String] = []

    @Option(help: "Inputs evaluated at once (each also uses up to two threads of its own).")
    var jobs: Int = 1

    @Option(help: "Evaluate only the first N inputs.")
    var limit: Int?

    @Option(help: ArgumentHelp("Image layout C,H,W for the HTML gallery when the data shape does not say.", valueName: "c,h,w"))
    var imageShape: String?

    @Option(help: "Seed of the attack's random starts.")
    var seed: UInt64 = 0

    @Flag(help: "Also bound the local Lipschitz constant of the margins per input and radius (a quarter of --timeout-per-input more) and report the Lipschitz-certified accuracy.")
    var lipschitz = false

    @Flag(help: "Also report the IBP tightness per output (global, and local averaged over the inputs).")
    var tightness = false

    @Flag(help: "Print no progress, only the summary.")
    var quiet = false

    @OptionGroup(title: "Input normalisation")
    var normalisation: NormalisationOptions

    func validate() throws {
        guard timeoutScale > 0, timeoutScale.isFinite else { throw ValidationError("--timeout-scale must be a positive number") }
        if instances != nil {
            guard model == nil, inputs == nil, eps == nil else {
                throw ValidationError("--instances names its own models and properties; drop MODEL, --inputs and --eps")
            }
            for t in failUnder { _ = try parse { try InstanceReport.parseThreshold(t) } }
            if let shard { _ = try parse { try Shard(parsing: shard) } }
            return
        }
        if shard != nil { throw ValidationError("--shard needs --instances") }
        guard model != nil, inputs != nil, let eps else {
            throw ValidationError("give MODEL.onnx --inputs DATA --eps E1,E2,... (or --instances instances.csv)")
        }
        let epsilons = try parse { try ReportOptions.parseEpsilons(eps) }
        for t in failUnder { _ = try parse { try Threshold.parseList(t, epsilons: epsilons) } }
        guard timeoutPerInput > 0, timeoutPerInput.isFinite else { throw ValidationError("--timeout-per-input must be a positive number of seconds") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
        _ = try validRange()
        if let s = imageShape { _ = try ImageLayout.parse(s) }
    }

    private func parse<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ValidationError("\(error)") }
    }

    func validRange() throws -> (Double, Double) { try ValidRange.parse(range) }

    func options() throws -> ReportOptions {
        var o = ReportOptions(epsilons: try ReportOptions.parseEpsilons(eps ?? ""))
        o.norm = norm
        (o.validLower, o.validUpper) = try validRange()
        o.timeoutPerInput = timeoutPerInput
        o.jobs = jobs
        o.verifier.method = method
        o.tightness = tightness
        o.lipschitz = lipschitz || failUnder.contains { $0.lowercased().contains("lipschitz@") }
        o.verifier.attack.seed = seed
        switch attack {
        case .none: o.attack = nil
        case .fgsm: o.attack = .fgsm(loss: .crossEntropy)
        case .pgd:
            var p = PGDOptions()
            p.seed = seed
            o.attack = .pgd(p)
        case .cw:
            guard o.validLower.isFinite, o.validUpper.isFinite else { throw CLIFailure(message: "--attack cw needs a bounded --range LOW,HIGH") }
            o.attack = .carliniWagner(CarliniWagnerOptions())
        }
        if let s = imageShape {
            let l = try ImageLayout.parse(s)
            o.imageShape = ImageShape(channels: l.channels, height: l.height, width: l.width)
        }
        return o
    }

    func run() throws {
        if let instances { return try InstanceReportRun.run(self, instanceList: instances) }
        guard let model, let inputs else { throw CLIFailure(message: "give MODEL.onnx and --inputs DATA") }
        let options = try options()
        let thresholds = try failUnder.flatMap { try Threshold.parseList($0, epsilons: options.epsilons) }
        let network: Network
        var data: LabelledData
        let runner: ReportRunner
        do {
            network = try normalisation.apply(to: try ONNXLoader.load(contentsOf: model))
            data = try LabelledDataReader.read(inputs: inputs, labels: labels)
            try data.validate(inputCount: network.inputSize, classCount: network.outputSize)
            runner = try ReportRunner(network: network, options: options)
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        if let limit, limit < data.count {
            data.inputs = Array(data.inputs.prefix(limit))
            data.labels = Array(data.labels.prefix(limit))
        }
        if let shape = options.imageShape, shape.channels * shape.height * shape.width != network.inputSize {
            throw CLIFailure(message: "--image-shape \(imageShape ?? "") holds \(shape.channels * shape.height * shape.width) values; the model takes \(network.inputSize)")
        }
        let progress = ProgressPrinter(quiet: quiet)
        var report: RobustnessReport
        do {
            report = try runner.run(data: data, modelPath: model) { progress.show($0) }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        progress.finish()
        report.check(thresholds)
        let paths: [String]
        do { paths = try ReportWriter.write(report, to: out) } catch { throw CLIFailure(message: "\(error)") }
        Console.line(ReportSummaryText.text(report))
        Console.line("wrote " + paths.joined(separator: ", "))
        let failed = report.thresholds.filter { !$0.passed }
        if !failed.isEmpty {
            for t in failed {
                FileHandle.standardError.write(Data("threshold failed: \(t.message)\n".utf8))
            }
            throw ExitCode(2)
        }
    }
}
