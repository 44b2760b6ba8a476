"""Benchmarks: one command each, printing a table. See README, section Benchmarks."""
