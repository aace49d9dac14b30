// Placeholder; filled in by the ONNXProto work.
