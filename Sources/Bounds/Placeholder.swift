// Placeholder; filled in by the Bounds work.
