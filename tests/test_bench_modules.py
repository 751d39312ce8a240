"""`make bench` runs every bench/bench_*.py module's `run()`: a module the benches share
named that way (bench_job_log.py, bench_redis.py were) stopped `make bench` with an
AttributeError before it reached the later benches."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.__main__ import bench_modules


def test_every_module_make_bench_runs_has_a_run() -> None:
    names = bench_modules()
    assert "bench_jobs" in names and "bench_tui" in names
    missing = [
        n
        for n in names
        if not callable(getattr(importlib.import_module(f"bench.{n}"), "run", None))
    ]
    assert missing == []
