"""Small helpers of the fault tests (not in conftest.py: test modules import them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime
from ygmon.queues import QUEUE_NAMES


def queues_except(*names: str) -> str:
    return ",".join(q for q in QUEUE_NAMES if q not in names)


def wait_until(
    check: Callable[[], object],
    timeout: float,
    what: str,
    step: float = 0.1,
    detail: Callable[[], object] | None = None,
) -> float:
    """Poll `check` until it is truthy; returns the seconds it took, or fails naming
    `what` (and what `detail()` says of the state then)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            said = f": {detail()}" if detail else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{said}")
        time.sleep(step)
    return time.monotonic() - started


class Producer:
    """Enqueues canary jobs at a steady rate on a thread, as an API or a cron would:
    `accepted` holds the ids whose enqueue returned, `refused` counts those that raised
    (the producer was told; those are not enqueued jobs)."""

    def __init__(self, runtime: JobRuntime, every: float = 0.02, seconds: float = 0.01) -> None:
        import threading

        self.runtime = runtime
        self.every = every
        self.seconds = seconds
        self.accepted: list[str] = []
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-producer", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.accepted.append(self.runtime.enqueue("canary", seconds=self.seconds))
            except Exception:  # every refusal counts, whatever its type
                self.refused += 1

    def __enter__(self) -> Producer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)


def fault_profile(
    database_url: str, broker_url: str, namespace: str, tmp_path: Path
) -> LocalProfile:
    """The profile the fault tests' workers, API and TUI share: the default settings
    (stalled_after, gone_after, heartbeats), so the fault table (docs/OPERATIONS.md)
    states what users run; only a worker's stop is quicker, which no row measures."""
    return LocalProfile(
        database_url=database_url,
        broker_url=broker_url,
        namespace=namespace,
        shutdown_grace=2.0,
        media_dir=str(tmp_path / "media"),
    )


UNAVAILABLE = {"success": False, "error": "Service unavailable"}
"""The contract's 503 body."""
