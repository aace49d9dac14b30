import Testing
import Verifier

@Suite struct MemorySizeTests {
    @Test func sizesParseWithBinarySuffixes() {
        #expect(MemorySize.parse("1000") == 1000)
        #expect(MemorySize.parse("1K") == 1024)
        #expect(MemorySize.parse("512M") == 512 << 20)
        #expect(MemorySize.parse("1.5g") == 3 << 29)
        #expect(MemorySize.parse("2GB") == 2 << 30)
        for bad in ["", "0", "-1G", "lots", "1X", "nan", "1e30"] { #expect(MemorySize.parse(bad) == nil, "\(bad)") }
    }

    @Test func theCapReachesEverySearch() {
        var options = VerifierOptions()
        options.queueMemoryBytes = 12345
        #expect(options.inputSplit.queueMemoryBytes == 12345)
        #expect(options.inputSplitFallback?.queueMemoryBytes == 12345)
        #expect(options.activationSplit.queueMemoryBytes == 12345)
        #expect(VerifierOptions.defaultQueueMemoryBytes > 0 && VerifierOptions.defaultQueueMemoryBytes <= 2_000_000_000)
    }
}
