import BranchAndBound

extension VerifierOptions {
    /// Where the run reports its stage and every search batch (for a live status line; nil: nowhere).
    /// Setting it hands the same object to every search (input split, its second attempt, activation
    /// split), so one snapshot describes the whole run.
    public var progress: SearchProgress? {
        get { inputSplit.progress }
        set {
            inputSplit.progress = newValue
            inputSplitFallback?.progress = newValue
            activationSplit.progress = newValue
        }
    }
}
