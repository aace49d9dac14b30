// Placeholder; filled in by the Benchmarking work.
