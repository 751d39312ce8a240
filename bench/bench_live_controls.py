"""What enforcing a live control costs a worker (issue 26): no-op job throughput and
CPU per job of ygmon's worker with no control set, against the same worker with a
queue limit, or a rate limit on the task, set high enough never to hold a job back
(so the figure is the cost of checking, not of waiting), on SQLite and Redis, in one
run. Rounds alternate the order of the sides; the median of each side is reported.

    .venv/bin/python -m bench live_controls
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.bench_jobs import KINDS, _ygmon
from bench.figure import Figure
from bench.redis_server import own_redis
from ygmon.jobs.registry import live_controls
from ygmon.jobs.runtime import JobRuntime

N = int(os.environ.get("YGMON_BENCH_JOBS", "3000"))
ROUNDS = int(os.environ.get("YGMON_BENCH_ROUNDS", "5"))
TARGET = 0.9
"""A queue limit that holds nothing back costs a check, not throughput (a limit once
counted the worker's own finished jobs, not yet written, as active, and its workers
slept a second at a time). A rate has no target: each start is written to its window,
and that cost per job is what its figure says."""


def _queue_limit(runtime: JobRuntime) -> None:
    live_controls.set_limit(runtime.registry.store, "maintenance", 64, "deployment", 0.0, "bench")


def _task_rate(runtime: JobRuntime) -> None:
    live_controls.set_rate(runtime.registry.store, "canary", 1_000_000, 0.0, "bench")


SIDES: dict[str, Callable[[JobRuntime], None] | None] = {
    "no control": None,
    "queue limit 64": _queue_limit,
    "rate 1,000,000/min": _task_rate,
}


def _measure(kind: str, where: str) -> list[Figure]:
    ns = "blc" + uuid.uuid4().hex[:6]
    for name, prepare in SIDES.items():  # warm-up: imports, scripts, the file's pages
        _ygmon(kind, where, f"{ns}w{len(name)}", min(N, 300), prepare)
    rates: dict[str, list[float]] = {name: [] for name in SIDES}
    cpus: dict[str, list[float]] = {name: [] for name in SIDES}
    for round_ in range(ROUNDS):
        order = list(SIDES.items())
        for name, prepare in order if round_ % 2 == 0 else reversed(order):
            rate, cpu = _ygmon(kind, where, f"{ns}{round_}{len(name)}", N, prepare)
            rates[name].append(rate)
            cpus[name].append(cpu * 1e6)
    base_rate = statistics.median(rates["no control"])
    base_cpu = statistics.median(cpus["no control"])
    figures = []
    for name in list(SIDES)[1:]:
        # A limit is checked against a counter the take reads anyway; a rate writes each
        # start (its moving window): that cost is its figure, with no target.
        limit = name.startswith("queue limit")
        figures.append(
            Figure(
                f"ygmon worker with a {name} (never reached), {kind}, N={N}, median of {ROUNDS}",
                statistics.median(rates[name]),
                "jobs/s",
                "no control",
                base_rate,
                target=f">= {TARGET}x no control" if limit else "",
                ok=statistics.median(rates[name]) >= TARGET * base_rate if limit else None,
            )
        )
        figures.append(
            Figure(
                f"  CPU per job with a {name}, {kind}",
                statistics.median(cpus[name]),
                "us",
                "no control",
                base_cpu,
            )
        )
    return figures


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            with contextlib.ExitStack() as stack:
                where = (
                    stack.enter_context(own_redis())
                    if kind == "redis"
                    else str(Path(tmp) / "live-controls.db")
                )
                figures += _measure(kind, where)
    return figures
