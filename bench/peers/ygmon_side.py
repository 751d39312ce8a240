"""ygmon as the harness drives it: a `ygmon worker` process over a config file (the
profile written by bench/worker_process.py), jobs enqueued by bench/peers/ygmon_driver.py,
and what its registry says, read through the same runtime bench/bench_jobs.py uses."""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.bench_jobs import _wait_drained
from bench.peers import workers
from bench.worker_process import write_config
from ygmon.config import LocalProfile
from ygmon.jobs.runtime import open_runtime

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "maintenance"
"""The queue of ygmon's canary task."""


class Ygmon:
    name = "ygmon"
    layout = "1 process x {c} threads (ygmon worker --workers)"

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.ns = f"peers{uuid.uuid4().hex[:8]}"
        self.profile = LocalProfile(
            broker_url=url, namespace=self.ns, database_url=f"sqlite+aiosqlite:///{tmp}/app.db"
        )
        self.config = write_config(self.profile, tmp / f"{self.ns}.toml")
        self.runtime = open_runtime(self.profile)

    def argv(self, concurrency: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "ygmon.cli",
            "--config",
            str(self.config),
            "worker",
            "--queues",
            QUEUE,
            "--no-schedule",
            "--workers",
            str(concurrency),
        ]

    def env(self) -> dict[str, str]:
        return workers.peer_env(self.url)

    def drive(self, *args: object) -> dict[str, Any]:
        return workers.drive(
            sys.executable,
            ["-m", "bench.peers.ygmon_driver", str(self.config), *map(str, args)],
            self.env(),
            cwd=ROOT,
        )

    def start(self, concurrency: int) -> Any:
        return workers.start(self.argv(concurrency), self.env())

    def enqueue(self, *args: object) -> dict[str, Any]:
        return self.drive(*args)

    def mark(self) -> int:
        return self.completed_total()

    def wait_done(self, mark: int, n: int, seconds: float) -> None:
        """Until nothing waits or runs; then the history must count the n jobs."""
        self.drained(time.perf_counter() + seconds)
        done = self.completed_total() - mark
        if done != n:
            raise RuntimeError(f"ygmon's history counts {done} completed, not {n}")

    def latencies(self, n: int, seconds: float, sent: dict[str, Any]) -> list[float]:
        """Enqueue call -> start of the n jobs, the start by the registry's started_at."""
        self.drained(time.perf_counter() + seconds)
        calls = sent["calls"]
        rows = [r for r in self.jobs("completed", n + 200) if r["id"] in calls]
        return [float(r["started_at"]) - calls[r["id"]] for r in rows]  # type: ignore[arg-type]

    def running(self) -> int:
        """Jobs running now (the registry's active count; after a kill: those it
        interrupted, until ygmon finds them stalled)."""
        return self.counts().get("active", 0)

    def crash_finished(self) -> int:
        return self.crash_outcome(0)["finished"]

    def crash_outcome(self, n: int) -> dict[str, int]:
        """Of the n sleepers, by the registry: finished, run again after a stall, still
        waiting, running or failed (stuck), and absent from it (lost)."""
        sleepers = [
            r
            for state in ("completed", "waiting", "active", "failed")
            for r in self.jobs(state, n + 500)
            if '"seconds": 1' in str(r.get("kwargs"))
        ]
        finished = [r for r in sleepers if r["state"] == "completed"]
        again = [
            r
            for r in finished
            if int(r.get("stalled_count") or 0) or int(r.get("attempts_made") or 1) > 1
        ]
        stuck = len(sleepers) - len(finished)
        return {
            "finished": len(finished),
            "reran": len(again),
            "stuck": stuck,
            "lost": n - len(sleepers),
        }

    def counts(self) -> dict[str, int]:
        return {s: n for (q, s), n in self.runtime.registry.store.counts().items() if q == QUEUE}

    def drained(self, deadline: float) -> None:
        _wait_drained(self.runtime, deadline)

    def completed_total(self) -> int:
        """Completed jobs by the registry's history (its completed list keeps only the
        newest, by its retention)."""
        rows = self.runtime.registry.store.history_rows(60, 0, 2**40)
        return sum(b.completed for *_, b in rows)

    def jobs(self, state: str, n: int) -> list[dict[str, str | None]]:
        return self.runtime.registry.store.page(QUEUE, state, 0, n)[0]

    def close(self) -> None:
        self.runtime.close()
