"""ygmon beside what a team would pick instead, in one run on the same Redis (issue 27):
bare Huey, Celery (+ Flower), RQ (+ rq-dashboard) and Dramatiq, each installed by the
bench into its own virtual environment under .bench-venvs/ (pinned in
bench/peers/venvs.py; made once, about 2 minutes, then reused).

1. throughput: N no-op jobs enqueued then drained, best of 3, with CPU per job;
2. latency: 1,000 jobs enqueued one every 5 ms, enqueue -> start p50 / p99, best of 3;
3. crash: SIGKILL to a worker running 50 one-second jobs, then the worker restarted:
   how many ran again, were lost, or are stuck (Celery with acks_late off and on);
4. the monitor over a million finished jobs: its first page of failed jobs and its
   queue counts (bench/peers/monitors.py says how each store is filled);
5. the worker's peak memory over the throughput rounds.

Redis: YGMON_BENCH_PEERS_REDIS (default redis://127.0.0.1:6379), databases 10-15 only,
each flushed before and after use (the test suites use 0). Sizes for iterating:

    .venv/bin/python -m bench peers
    YGMON_BENCH_PEERS_JOBS=500 YGMON_BENCH_PEERS_LATENCY=100 YGMON_BENCH_PEERS_STORE=20000 \
      YGMON_BENCH_PEERS_FIGURES=1,2 .venv/bin/python -m bench peers
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figure import Figure
from bench.peers import figures, monitors, table, venvs, workers
from bench.peers.sides import PeerSide
from bench.peers.ygmon_side import Ygmon

N = int(os.environ.get("YGMON_BENCH_PEERS_JOBS", "10000"))
LATENCY_JOBS = int(os.environ.get("YGMON_BENCH_PEERS_LATENCY", "1000"))
STORE = int(os.environ.get("YGMON_BENCH_PEERS_STORE", "1000000"))
ROUNDS = int(os.environ.get("YGMON_BENCH_PEERS_ROUNDS", "3"))
FIGURES = set(os.environ.get("YGMON_BENCH_PEERS_FIGURES", "1,2,3,4").split(","))
REDIS = os.environ.get("YGMON_BENCH_PEERS_REDIS", "redis://127.0.0.1:6379").rstrip("/")
EVERY = 0.005
CRASH_WINDOW = 75.0
"""Seconds after the restart a job has to run again before it counts as stuck: 2.5
times ygmon's default stalled_after (30 s), past Dramatiq's 60 s heartbeat timeout."""


def _db(n: int) -> str:
    return f"{REDIS}/{n}"


def _sides(url: str, tmp: Path) -> list[Any]:
    return [
        Ygmon(url, tmp),
        *(PeerSide(workers.PEERS[k], url) for k in ("huey", "celery", "rq", "dramatiq")),
    ]


def _each(results: dict[str, dict[str, Any]], key: str, tmp: Path, measure: Any) -> None:
    for side in _sides(_db(15), tmp):
        monitors.flush(_db(15))
        try:
            results.setdefault(side.name, {})[key] = part = measure(side)
            print(f"  {side.name} {key}: {part}", flush=True)
        finally:
            side.close()
            monitors.flush(_db(15))


def _crash(results: dict[str, dict[str, Any]], tmp: Path) -> None:
    celery = workers.PEERS["celery"]
    scenarios = [
        ("ygmon", "crash", Ygmon(_db(10), tmp)),
        ("bare Huey", "crash", PeerSide(workers.PEERS["huey"], _db(11))),
        ("Celery", "crash acks_late off", PeerSide(celery, _db(12))),
        ("Celery", "crash acks_late on", PeerSide(celery, _db(13), {"BENCH_ACKS_LATE": "1"})),
        ("RQ", "crash", PeerSide(workers.PEERS["rq"], _db(14))),
        ("Dramatiq", "crash", PeerSide(workers.PEERS["dramatiq"], _db(15))),
    ]
    states = []
    for db, (_, _, side) in zip(range(10, 16), scenarios, strict=True):
        monitors.flush(_db(db))
        states.append(figures.crash_kill(side))
    for db, (name, key, side), state in zip(range(10, 16), scenarios, states, strict=True):
        try:
            results.setdefault(name, {})[key] = part = figures.crash_judge(
                side, state, CRASH_WINDOW
            )
            print(f"  {name} {key}: {part}", flush=True)
        finally:
            side.close()
            monitors.flush(_db(db))


def _monitors(results: dict[str, dict[str, Any]], tmp: Path) -> None:
    url = _db(15)
    for name, measure in (
        ("ygmon", lambda: monitors.ygmon_monitor(url, tmp, STORE)),
        ("RQ", lambda: monitors.rq_monitor(url, STORE)),
        ("Celery", lambda: monitors.flower_monitor(url, STORE)),
    ):
        monitors.flush(url)
        try:
            results.setdefault(name, {})["monitor"] = part = measure()
            print(f"  {name} monitor: {part}", flush=True)
        except RuntimeError as exc:
            # One monitor failing must not cost the run's other figures.
            print(f"  {name} monitor FAILED: {exc}", flush=True)
        finally:
            monitors.flush(url)


def run() -> list[Figure]:
    started = time.perf_counter()
    made = venvs.ensure()
    print(
        f"  environments: {'made in ' + format(made, '.0f') + ' s' if made else 'reused'} "
        f"({venvs.versions()}); load {workers.load()}",
        flush=True,
    )
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "1" in FIGURES:
            _each(results, "throughput", tmp, lambda s: figures.throughput(s, N, ROUNDS))
        if "2" in FIGURES:
            _each(
                results, "latency", tmp, lambda s: figures.latency(s, LATENCY_JOBS, EVERY, ROUNDS)
            )
        if "3" in FIGURES:
            _crash(results, tmp)
        if "4" in FIGURES:
            _monitors(results, tmp)
    layout = "; ".join(
        f"{p.name}: {p.layout.format(c=workers.CONCURRENCY)}" for p in workers.PEERS.values()
    )
    print(
        f"\n  {N:,} no-op jobs, {LATENCY_JOBS:,} paced every {EVERY * 1000:g} ms, "
        f"{STORE:,} jobs in the monitors' stores; best of {ROUNDS}; "
        f"@ = 1-min load; whole run {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    print(f"  workers: ygmon: {Ygmon.layout.format(c=workers.CONCURRENCY)}; {layout}")
    print("\n" + "\n".join("  " + line for line in table.render(results).splitlines()))
    for name, got in results.items():
        if "monitor" in got:
            print(
                f"  {table.MONITOR[name]} shows: {got['monitor']['shows']} "
                f"(filled in {got['monitor']['fill_s']:.0f} s)"
            )
    print(flush=True)
    return table.goals(results)
