import Foundation

/// Runs the format's checks under libFuzzer's coverage-guided driver, when the binary was built
/// with coverage instrumentation and linked with `libclang_rt.fuzzer_no_main` (see
/// fuzz/libfuzzer.sh). `LLVMFuzzerRunDriver` is looked up at run time, so ordinary builds of the
/// harness link and run without libFuzzer and report that it is missing.
enum LibFuzzerEntry {
    typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    typealias Driver = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>, Callback) -> Int32

    /// The format and scratch file of the running session (libFuzzer's callback takes no context).
    nonisolated(unsafe) static var format = FuzzFormat.vnnlib
    nonisolated(unsafe) static var path = ""

    /// Hands control to libFuzzer with `arguments` (libFuzzer's own flags and corpus directories);
    /// returns libFuzzer's exit status, or nil when the binary has no libFuzzer driver.
    static func run(format: FuzzFormat, scratch: String, arguments: [String]) -> Int32? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "LLVMFuzzerRunDriver") else { return nil }
        let driver = unsafeBitCast(symbol, to: Driver.self)
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        Self.format = format
        Self.path = (scratch as NSString).appendingPathComponent("libfuzzer-current.\(format.fileExtension)")
        var argv: [UnsafeMutablePointer<CChar>?] = (["nnverify-fuzz"] + arguments).map { strdup($0) } + [nil]
        var argc = Int32(arguments.count + 1)
        return argv.withUnsafeMutableBufferPointer { buffer in
            var base = buffer.baseAddress
            return driver(&argc, &base, { data, size in
                let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
                guard (try? bytes.write(to: URL(fileURLWithPath: LibFuzzerEntry.path))) != nil else { return 0 }
                if case .failure(let why) = LibFuzzerEntry.format.check(path: LibFuzzerEntry.path) {
                    // libFuzzer keeps the input of a crashing run: make a failure one.
                    FileHandle.standardError.write(Data("nnverify-fuzz: FAILURE: \(why)\n".utf8))
                    abort()
                }
                return 0
            })
        }
    }
}
