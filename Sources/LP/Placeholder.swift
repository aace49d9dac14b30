// Placeholder; filled in by the LP work.
