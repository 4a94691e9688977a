"""Benchmarks (`make bench`): measured side by side in one run, figures printed as a table."""
