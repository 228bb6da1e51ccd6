"""Benchmarks for the fake and the adapter: `python -m bench.run` (or `make bench`)."""
