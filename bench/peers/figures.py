"""Figures 1, 2, 3 and 5 of issue 27, each run over every side (ygmon and the peers)
in turn: throughput and CPU per job, enqueue -> start latency, what a SIGKILL of the
worker costs, and the worker's peak memory."""

from __future__ import annotations

import signal
import statistics
import time
from typing import Any

from bench.peers import workers
from bench.peers.sides import wait_running

ONE_ROUND = 60.0
"""A side whose first throughput round took longer than this many seconds runs only
that one (RQ forks a process per job: 10,000 jobs take minutes), so the whole bench
stays within its 15 minutes; the table marks it."""
WARMUP = 100
"""No-op jobs run before any round: the worker is up, its imports and scripts loaded."""


def _warm(side: Any) -> None:
    mark = side.mark()
    side.enqueue("noop", WARMUP)
    side.wait_done(mark, WARMUP, 120)


def throughput(side: Any, n: int, rounds: int) -> dict[str, Any]:
    """Best of `rounds` enqueue-then-drain runs of n no-op jobs; CPU per job of that
    best round (the worker's process tree plus the enqueuing process; the shared Redis
    server's CPU serves other clients too, so it is left out); the tree's peak RSS."""
    proc = side.start(workers.CONCURRENCY)
    watch = workers.Watch(proc.pid)
    try:
        _warm(side)
        runs = []
        for _ in range(rounds):
            if runs and n / runs[0][0] > ONE_ROUND:
                break
            mark, cpu = side.mark(), watch.cpu()
            sent = side.enqueue("noop", n)
            side.wait_done(mark, n, 600)
            elapsed = time.time() - sent["t0"]
            cpu_per_job = (watch.cpu() - cpu + sent["cpu"]) / n
            runs.append((n / elapsed, cpu_per_job, workers.load(), sent["t1"] - sent["t0"]))
    finally:
        workers.stop(proc)
        watch.close()
    best = max(runs)
    return {
        "jobs_s": best[0],
        "cpu_us": best[1] * 1e6,
        "load": best[2],
        "peak_mb": watch.peak / 2**20,
        "rounds": len(runs),
        "enqueue_s": best[3],
    }


def latency(side: Any, n: int, every: float, rounds: int) -> dict[str, Any]:
    """n jobs enqueued one every `every` seconds; enqueue -> start p50 and p99 in ms,
    the round of lowest p99 of `rounds`."""
    proc = side.start(workers.CONCURRENCY)
    try:
        _warm(side)
        runs = []
        for _ in range(rounds):
            sent = side.enqueue("paced", n, every)
            values = sorted(side.latencies(n, 120, sent))
            if len(values) < n:
                raise RuntimeError(f"{side.name}: {len(values)} of {n} jobs started")
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            runs.append((p99 * 1000, statistics.median(values) * 1000, workers.load()))
    finally:
        workers.stop(proc)
    best = min(runs)
    return {"p99_ms": best[0], "p50_ms": best[1], "load": best[2]}


CRASH_JOBS = 50
CRASH_SECONDS = 1.0


def crash_kill(side: Any) -> dict[str, Any]:
    """A worker with a slot per job, 50 one-second jobs, SIGKILL to its whole process
    tree once all 50 run at once (or the first finished, or 10 s passed), then the
    same worker started again. `running` is how many the kill interrupted (the others
    had finished). Returns the restarted worker, to be judged later by crash_judge."""
    proc = side.start(CRASH_JOBS)
    try:
        _warm(side)
        side.enqueue("sleep", CRASH_JOBS, CRASH_SECONDS)
        wait_running(side, CRASH_JOBS, 10)
    finally:
        workers.stop(proc, signal.SIGKILL)
    running = side.running()
    return {"running": running, "proc": side.start(CRASH_JOBS), "restarted": time.monotonic()}


def crash_judge(side: Any, state: dict[str, Any], window: float) -> dict[str, Any]:
    """After up to `window` seconds from the restart (sooner once all 50 finished):
    finished, run again, stuck, lost."""
    deadline = state["restarted"] + window
    while time.monotonic() < deadline:
        if side.crash_finished() >= CRASH_JOBS:
            break
        time.sleep(0.5)
    outcome = side.crash_outcome(CRASH_JOBS)
    workers.stop(state["proc"])
    return {
        **outcome,
        "running": state["running"],
        "load": workers.load(),
        "after_s": time.monotonic() - state["restarted"],
    }
