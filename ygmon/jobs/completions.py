"""Write-behind of job completions: worker threads hand them over, a flusher thread
writes them in batches (one SQLite transaction per queue, one Redis pipeline).

Why: a no-op job costs Huey two storage writes (enqueue, dequeue); ygmon folds its
registry writes into those two, and batching the third (the completion) keeps the
worker near bare Huey's throughput. Safety: until its completion is written a job
stays `active`; if the process dies in that window (at most FLUSH_INTERVAL), the
stalled-job sweep runs it again and it completes once: at least once, never counted
twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from ygmon.errors import YgmonError

log = logging.getLogger("ygmon.jobs")

FLUSH_INTERVAL = 0.01
"""Seconds a completion may wait before it is written."""
BATCH = 256


class CompletionWriter:
    def __init__(self, write_batch: Callable[[str, list[dict[str, Any]]], None]) -> None:
        self._write_batch = write_batch
        self._lock = threading.Lock()
        self._items: list[tuple[str, dict[str, Any]]] = []
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def add(self, queue: str, move: dict[str, Any]) -> None:
        with self._lock:
            self._items.append((queue, move))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ygmon-completions", daemon=True
                )
                self._thread.start()
            if len(self._items) >= BATCH:
                self._wake.set()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(FLUSH_INTERVAL)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Write everything handed over so far (the flusher, shutdown and close call it)."""
        with self._lock:
            items, self._items = self._items, []
        by_queue: dict[str, list[dict[str, Any]]] = {}
        for queue, move in items:
            by_queue.setdefault(queue, []).append(move)
        for queue, moves in by_queue.items():
            try:
                self._write_batch(queue, moves)
            except YgmonError as exc:
                # The jobs stay active; the stalled-job sweep runs them again.
                log.error("job registry: %d completions not written: %s", len(moves), exc)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush()
