/// Field-aware mutations of labelled CSV files: non-finite and out-of-range numbers, bad labels,
/// rows with extra or missing fields, very wide or very many rows, headers, comments, BOMs and
/// line-ending changes.
enum CSVMutations {
    static let hostileFields = [
        "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e308", "4.9e-324", "1e-400", "-0",
        "99999999999999999999999999999999", "0x1p3", "1,5", "\"1\"", "", " ", "1e", ".", "-", "+.e1", "3.5", "-2",
        "2147483648", "1e10", "label", "#", "\u{FEFF}1", "é", "\u{0}",
    ]

    static func mutate(_ input: [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> ([UInt8], [String]) {
        guard !rng.oneIn(6) else { return ByteMutations.mutate(input, other: other, &rng) }
        var rows = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !rows.isEmpty else { return ByteMutations.mutate(input, other: other, &rng) }
        var log: [String] = []
        var lineEnding = "\n"
        var prefix = ""
        for _ in 0..<(1 + rng.below(3)) {
            let r = rng.below(rows.count)
            switch rng.below(9) {
            case 0, 1, 2:
                guard !rows[r].isEmpty else { continue }
                let f = rng.below(rows[r].count), value = rng.pick(hostileFields)
                rows[r][f] = value
                log.append("row \(r) field \(f) = \(value.debugDescription)")
            case 3:
                rows[r].append(rng.pick(["0", "1.5", "", "nan"]))
                log.append("row \(r): extra field")
            case 4:
                if !rows[r].isEmpty { rows[r].removeLast() }
                log.append("row \(r): field removed")
            case 5:
                let width = rng.oneIn(8) ? 100_000 : rng.pick([100, 1_000, 10_000])
                rows[r] = ["1"] + [String](repeating: "0.5", count: width)
                log.append("row \(r): \(width) fields")
            case 6:
                // At most about a million fields in all, so inputs stay a few MB.
                let copies = min(rng.oneIn(8) ? 5_000 : rng.pick([2, 10, 100]), 1_000_000 / max(1, rows[r].count))
                rows.insert(contentsOf: [[String]](repeating: rows[r], count: copies), at: r)
                log.append("row \(r) x\(copies)")
            case 7:
                let header = rng.pick([["label", "x0"], ["# comment"], [""], ["", "", ""], ["\u{FEFF}label"]])
                rows.insert(header, at: r)
                log.append("insert row \(header) at \(r)")
            default:
                if rng.oneIn(2) { lineEnding = rng.pick(["\r\n", "\r", "\n\n"]) } else { prefix = "\u{FEFF}" }
                log.append("line ending \(lineEnding.debugDescription), prefix \(prefix.debugDescription)")
            }
        }
        var bytes = Array((prefix + rows.map { $0.joined(separator: ",") }.joined(separator: lineEnding)).utf8)
        if rng.oneIn(5) {
            let (mutated, more) = ByteMutations.mutate(bytes, other: other, &rng)
            bytes = mutated
            log += more
        }
        return (bytes, log)
    }
}
