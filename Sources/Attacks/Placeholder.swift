// Placeholder; filled in by the Attacks work.
