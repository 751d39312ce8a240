"""ygmon's benchmarks: each `bench_*.py` module measures a figure against its baseline."""
