"""What the pause gate costs a worker (ygmon.jobs.huey.control_gate): every dequeue asks it
whether its queue is paused, and it reads the paused set (with the live controls) at
most every 0.5 s.

Figures: the gate's answer per call beside a bare set lookup, and the CPU time a real
in-process worker spends per job draining SQLite canaries with the gate beside the same
worker without it, in the same run. CPU time, not wall time: on a machine shared with
other work, wall-clock drains of the same code differ by 2x from one run to the next.

Each round drains once with the gate and once without, one right after the other, and
the figure is the median of the rounds' ratios. The gate's answer is about a ten-
thousandth of a job's CPU, while two drains of the same code differ by a few percent:
the ratio of two separate medians of 1,000-job drains read 0.98x to 1.07x on one
checkout, so a 5% target needs rounds long and many enough, compared pairwise.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
import timeit
from pathlib import Path

from bench.figure import Figure
from ygmon.config import LocalProfile
from ygmon.jobs.huey.control_gate import ControlGate
from ygmon.jobs.registry.queue_pauses import paused_queues
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker

JOBS = 2000
ROUNDS = 9


def _per_call() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        profile = LocalProfile(broker_url=f"sqlite:///{Path(tmp) / 'queue.db'}")
        with open_runtime(profile) as runtime:
            gate = ControlGate(runtime.registry.store, {}, lambda: None)
            gate.paused("email")
            n = 200_000
            gated = timeit.timeit(lambda: gate.paused("maintenance"), number=n) / n
            bare_set = frozenset({"email"})
            bare = timeit.timeit(lambda: "maintenance" in bare_set, number=n) / n
    return gated * 1e9, bare * 1e9


def _drain(gated: bool) -> float:
    """Process CPU microseconds per job of one worker (2 threads on `maintenance`)
    draining SQLite."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = LocalProfile(broker_url=f"sqlite:///{Path(tmp) / 'queue.db'}")
        with open_runtime(profile) as runtime:
            # The table exists in both arms (as it does after a deployment's first read
            # of it): creating it changes the file's schema once, which every open
            # connection then pays for, and that is not the per-job cost measured here.
            paused_queues(runtime.registry.store)
            if not gated:
                for huey in runtime.hueys.values():
                    huey.hooks = dataclasses.replace(huey.hooks, gate=None)
                    # The take's live controls too (no ceiling on `maintenance` to lose).
                    huey.storage.control = None
            for _ in range(JOBS):
                runtime.enqueue("canary")
            started = time.process_time()
            with in_process_worker(profile, ["maintenance"], runtime=runtime):
                runtime.wait_idle(120, queues=["maintenance"])
            return (time.process_time() - started) / JOBS * 1e6


def run() -> list[Figure]:
    gated_ns, bare_ns = _per_call()
    with_gate, without = [], []
    for i in range(ROUNDS):
        # Alternating which goes first: a later drain of a round runs on a warmer cache.
        for gated in (i % 2 == 0, i % 2 == 1):
            (with_gate if gated else without).append(_drain(gated))
    ratio = statistics.median(g / b for g, b in zip(with_gate, without, strict=True))
    return [
        Figure("pause gate answer per dequeue", gated_ns, "ns", "bare set lookup", bare_ns),
        Figure(
            f"SQLite worker CPU per job, with the pause gate (median of {ROUNDS} rounds'"
            f" ratios: {ratio:.3f}x)",
            statistics.median(with_gate),
            "us",
            "the same worker without it",
            statistics.median(without),
            target="<= 1.05x",
            ok=ratio <= 1.05,
        ),
    ]
