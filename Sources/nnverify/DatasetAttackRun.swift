import Attacks
import DataFiles
import Foundation
import LinearAlgebra
import NNGraph
import ONNXLoader

/// `nnverify attack MODEL --inputs FILE --eps E`: attack every correctly classified input, print
/// one line per input and the success rate.
struct DatasetAttackRun {
    let command: AttackCommand

    /// One input's result.
    struct Row {
        var index: Int
        var label: Int
        var predicted: Int
        var outcome: String
        var adversarial: Adversarial?
        var seconds: Double
    }

    func run(deadline: Date) throws {
        let start = Date()
        let network: Network
        var data: LabelledData
        do {
            network = try command.normalisation.apply(to: try ONNXLoader.load(contentsOf: command.model))
            data = try LabelledDataReader.read(inputs: command.inputs ?? "", labels: command.labels)
            try data.validate(inputCount: network.inputSize, classCount: network.outputSize)
            if let t = command.target, t >= network.outputSize {
                throw CLIFailure(message: "--target \(t) is out of range: the model has \(network.outputSize) outputs (classes 0..<\(network.outputSize))")
            }
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        if let limit = command.limit, limit < data.count {
            data.inputs = Array(data.inputs.prefix(limit))
            data.labels = Array(data.labels.prefix(limit))
        }
        let layout = try command.images.map { _ in
            try ImageLayout.resolve(option: command.imageShape, dataShape: data.sampleShape,
                                    networkShape: network.inputShape, inputCount: network.inputSize)
        }
        let (lo, hi) = try command.validRange()
        if case .carliniWagner = command.settings.attack, command.norm == .l2, !(lo.isFinite && hi.isFinite) {
            throw CLIFailure(message: "cw needs a bounded valid range (--range LOW,HIGH) with --norm l2")
        }
        let method = command.settings.attack
        let eps = command.eps ?? 0
        if !command.quiet {
            Console.line("attack \(method.name), \(command.norm.rawValue) eps \(eps), \(data.count) inputs from \(data.source)")
            Console.line("  input  label  predicted  outcome         Linf        L2   seconds")
        }
        var rows = [Row]()
        var batchStart = 0
        while batchStart < data.count {
            let batch = batchStart..<min(data.count, batchStart + command.batchSize)
            rows += try attack(batch, data: data, network: network, method: method, range: (lo, hi), deadline: deadline)
            for row in rows[batchStart...] where !command.quiet { Console.line(Self.format(row)) }
            batchStart = batch.upperBound
        }
        let summary = DatasetAttackSummary(rows: rows, seconds: Date().timeIntervalSince(start))
        Console.line(summary.text(method: method.name, norm: command.norm, eps: eps))
        if let path = command.results { try writeCSV(rows, to: path) }
        if let layout, let dir = command.images {
            var count = 0
            for row in rows {
                guard let a = row.adversarial else { continue }
                let region = try AttackRegion(around: data.inputs[row.index], norm: command.norm, epsilon: eps,
                                              validLower: [Double](repeating: lo, count: network.inputSize),
                                              validUpper: [Double](repeating: hi, count: network.inputSize))
                _ = try AdversarialImages.write(to: dir, stem: String(format: "input%05d", row.index), original: data.inputs[row.index],
                                                adversarial: a.input, layout: layout, range: AdversarialImages.displayRange(region))
                count += 1
            }
            Console.line("images: \(count * 3) PNG files in \(dir)")
        }
    }

    /// Classifies a batch, then attacks its correctly classified inputs as one batch.
    private func attack(_ batch: Range<Int>, data: LabelledData, network: Network, method: AttackMethod,
                        range: (Double, Double), deadline: Date) throws -> [Row] {
        let start = Date()
        let n = network.inputSize
        let clean = network.evaluate(Matrix(rowVectors: batch.map { data.inputs[$0] }))
        var rows = [Row]()
        var problems = [AttackProblem](), owners = [Int]()
        for (k, i) in batch.enumerated() {
            let y = clean.row(k)
            let predicted = y.indices.max { y[$0] < y[$1] } ?? 0
            var row = Row(index: i, label: data.labels[i], predicted: predicted, outcome: "", adversarial: nil, seconds: 0)
            let correct = AttackGoal.untargeted(label: data.labels[i]).isAchieved(by: y) == false
            if !correct {
                row.outcome = "misclassified"
            } else if let t = command.target, t == data.labels[i] {
                row.outcome = "skipped"
            } else {
                let region: AttackRegion
                do {
                    region = try AttackRegion(around: data.inputs[i], norm: command.norm, epsilon: command.eps ?? 0,
                                              validLower: [Double](repeating: range.0, count: n),
                                              validUpper: [Double](repeating: range.1, count: n))
                } catch {
                    throw CLIFailure(message: "\(data.source), sample \(i)\(data.lineNumbers.map { " (line \($0[i]))" } ?? ""): \(error); adjust --range")
                }
                let goal: AttackGoal = command.target.map { .targeted(label: data.labels[i], target: $0) } ?? .untargeted(label: data.labels[i])
                problems.append(AttackProblem(region: region, goal: goal))
                owners.append(rows.count)
            }
            rows.append(row)
        }
        let outcomes = Date() < deadline ? method.run(network, problems, deadline: deadline) : problems.map { _ in AttackOutcome() }
        let share = Date().timeIntervalSince(start) / Double(max(1, batch.count))
        for (k, outcome) in outcomes.enumerated() {
            let r = owners[k]
            rows[r].adversarial = outcome.adversarial
            rows[r].outcome = outcome.adversarial != nil ? "found" : (Date() >= deadline ? "timeout" : "not-found")
        }
        for r in rows.indices { rows[r].seconds = share }
        return rows
    }

    static func format(_ row: Row) -> String {
        let linf = row.adversarial.map { String(format: "%.6f", $0.linfDistance) } ?? "-"
        let l2 = row.adversarial.map { String(format: "%.6f", $0.l2Distance) } ?? "-"
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        return String(format: "  %5d  %5d  %9d  ", row.index, row.label, row.predicted) + pad(row.outcome, 13, left: true)
            + " " + pad(linf, 10) + " " + pad(l2, 9) + String(format: " %9.4f", row.seconds)
    }

    private func writeCSV(_ rows: [Row], to path: String) throws {
        var text = "index,label,predicted,outcome,linf,l2,seconds\n"
        for r in rows {
            let linf = r.adversarial.map { "\($0.linfDistance)" } ?? ""
            let l2 = r.adversarial.map { "\($0.l2Distance)" } ?? ""
            text += "\(r.index),\(r.label),\(r.predicted),\(r.outcome),\(linf),\(l2),\(r.seconds)\n"
        }
        try OutputFile.write(text, to: path)
    }
}
