"""Benchmarks behind ``make bench``: one run on one machine, figures printed as a table."""
