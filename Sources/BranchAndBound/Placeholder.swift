// Placeholder; filled in by the BranchAndBound work.
