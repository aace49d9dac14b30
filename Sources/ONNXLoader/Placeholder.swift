// Placeholder; filled in by the ONNXLoader work.
