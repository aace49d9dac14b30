import Foundation
import LP
import Testing

/// GLPK prints to standard output unless every solve sets `msg_lev = GLP_MSG_OFF` (Debian's GLPK keeps
/// one terminal setting per thread). These tests redirect file descriptor 1 to a temporary file around
/// solves on several fresh threads and check that nothing but markers of our own arrives there.
///
/// Swift Testing also writes its progress to standard output, and other suites run meanwhile; its lines
/// all begin with a non-ASCII symbol (◇ ✔ ✘ ↳ …) and are dropped. GLPK's output is plain ASCII.
@Suite(.serialized) struct SilenceTests {
    /// Runs `body` with standard output redirected to a temporary file and returns what was written.
    static func capturingStandardOutput(_ body: () throws -> Void) throws -> String {
        var template = Array("/tmp/lptests-stdout-XXXXXX".utf8CString)
        let file = mkstemp(&template)
        try #require(file >= 0, "mkstemp failed")
        defer {
            close(file)
            unlink(template)
        }
        fflush(nil)
        let saved = dup(1)
        try #require(saved >= 0, "dup failed")
        try #require(dup2(file, 1) >= 0, "dup2 failed")
        var failure: (any Error)?
        do { try body() } catch { failure = error }
        fflush(nil)
        dup2(saved, 1)
        close(saved)
        if let failure { throw failure }

        lseek(file, 0, SEEK_SET)
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(file, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The captured lines, without Swift Testing's own progress lines.
    static func linesNotFromTheTestHarness(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            guard let first = line.unicodeScalars.first else { return true }
            return first.isASCII
        }
    }

    /// Problems that make a talkative GLPK print: optimal, infeasible, unbounded, MILP and time-limited.
    static func solveEverything() throws {
        _ = try randomCoveringLP(rows: 30, cols: 20, seed: 1).solve()
        _ = try randomKnapsack(items: 12, seed: 1).lp.solveMILP()
        var infeasible = LinearProgram(sense: .minimise)
        let x = infeasible.addVariable(objective: 1)
        infeasible.addConstraint([(x, 1)], upper: -1)
        _ = try infeasible.solve()
        _ = try infeasible.solveMILP()
        var unbounded = LinearProgram(sense: .maximise)
        unbounded.addVariable(objective: 1, isInteger: true)
        _ = try unbounded.solve()
        _ = try unbounded.solveMILP()
        _ = try TimeLimitTests.jeroslow(n: 25, sense: .minimise).solveMILP(timeLimitSeconds: 0.05)
    }

    @Test func captureSeesOurOwnOutput() throws {
        // Guards the test below: if the redirection were broken, "nothing captured" would prove nothing.
        let captured = try Self.capturingStandardOutput { print("marker") }
        #expect(Self.linesNotFromTheTestHarness(captured) == ["marker", ""])
    }

    @Test func solvesPrintNothingOnAnyThread() throws {
        let captured = try Self.capturingStandardOutput {
            print("before")
            try Self.solveEverything()
            // Fresh threads: each gets a new GLPK environment with GLPK's default (talkative) settings.
            let failures = ConcurrencyTests.Results()
            let done = DispatchSemaphore(value: 0)
            for t in 0..<3 {
                Thread {
                    failures.set(t, Result { try Self.solveEverything(); return .infeasible })
                    done.signal()
                }.start()
            }
            for _ in 0..<3 { done.wait() }
            for t in 0..<3 { _ = try failures.get(t)?.get() }
            print("after")
        }
        // Other suites run in the same process and may print while this captures standard output, so the
        // check looks for GLPK's own messages (its terminal output: banners, iteration logs, status lines)
        // rather than for silence of the whole process.
        let lines = Self.linesNotFromTheTestHarness(captured)
        #expect(lines.contains("before") && lines.contains("after"), "capture lost our markers: \(captured)")
        let fromGLPK = lines.filter(Self.looksLikeGLPKOutput)
        #expect(fromGLPK.isEmpty, "GLPK printed: \(fromGLPK)")
    }

    /// Whether a line has the form of GLPK terminal output (glpk-5.0 `glp_simplex`, `glp_intopt`, `glp_exact`
    /// and the presolvers): its banners and status lines, and the `*`/`+`/`|` iteration logs (`*    12: obj = …`).
    static func looksLikeGLPKOutput(_ line: Substring) -> Bool {
        let markers = ["GLPK", "glp_", "SOLUTION FOUND", "LP HAS NO", "PROBLEM HAS NO", "TIME LIMIT EXCEEDED",
                       "Preprocessing", "Scaling", "Constructing initial basis", "Long-step", "Integer optimization",
                       "Solving LP relaxation", "objective value", "rows, ", "columns, ", "non-zeros", "mip = ",
                       "obj = ", "infeas = ", "Gomory", "Cuts on level", "RELATIVE MIP GAP"]
        if markers.contains(where: { line.contains($0) }) { return true }
        let trimmed = line.drop(while: { $0 == " " })
        guard let first = trimmed.first, "*+|".contains(first) else { return false }
        return trimmed.dropFirst().drop(while: { $0 == " " }).first?.isNumber == true
    }

    @Test func glpkOutputIsRecognised() {
        // Guards the test above: real lines of a talkative glpk-5.0 run are recognised, ordinary ones are not.
        for line in ["GLPK Simplex Optimizer 5.0", "*     0: obj =   0.000000000e+00 inf =   3.000e+00 (3)",
                     "OPTIMAL LP SOLUTION FOUND", "+    12: mip =   1.500000000e+01 <=     tree is empty   0.0% (0; 3)",
                     "INTEGER OPTIMAL SOLUTION FOUND", "Integer optimization begins...", "30 rows, 20 columns, 600 non-zeros"] {
            #expect(Self.looksLikeGLPKOutput(Substring(line)), "\(line)")
        }
        for line in ["before", "after", "mnistfc 256x4: upper 2.4e4 lower 3.1", "trial 58 passed", ""] {
            #expect(!Self.looksLikeGLPKOutput(Substring(line)), "\(line)")
        }
    }
}
