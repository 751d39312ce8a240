"""Write-behind of job completions: worker threads hand them over and they are written
in batches, one transaction (or Redis pipeline) per queue.

Why: a no-op job costs Huey two storage writes (enqueue, dequeue); ygmon folds its
registry writes into those two, and batching the third (the completion) keeps the
worker near bare Huey's throughput. On SQLite a batch rides on the queue's next dequeue
(`take`, in that dequeue's transaction), so completions cost no commit of their own
while the queue is busy; the flusher thread writes whatever no dequeue took. Safety:
until its completion is written a job stays `active`; if the process dies in that window
(a twentieth of a second or so), the stalled-job sweep runs it again and it completes
once: at least once, never counted twice. A batch the registry refuses (Redis or the
SQLite file unreachable) is kept and written once it answers again: the worker is alive,
so no sweep would ever run those jobs again, and dropping them would leave them
`active` for good.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from ygmon.errors import YgmonError

log = logging.getLogger("ygmon.jobs")

FLUSH_INTERVAL = 0.01
"""Seconds between two rounds of the flusher when dequeues take the batches (SQLite)."""
WRITE_INTERVAL = 0.05
"""Seconds between two rounds of the flusher when it writes everything handed over
(Redis): each round is one script per queue whatever its size, and rounds of a handful
of jobs cost more Python per job than the job's own enqueue."""
BATCH = 256
TAKE_AT = 32
TAKE_AFTER = 0.05
"""A dequeue takes its queue's completions along once TAKE_AT wait, or the oldest has
waited TAKE_AFTER seconds: each batch dirties a few pages (index ends, counters, the
last-finished times, the trim) whatever its size, so batches of a handful cost a page
or more per job, and batches of 32 a fraction of one."""


class CompletionWriter:
    def __init__(
        self,
        write_batch: Callable[[str, list[dict[str, Any]]], None],
        *,
        piggyback: bool = False,
    ) -> None:
        """`piggyback`: dequeues `take` batches, so the flusher leaves a queue's
        completions to them a little past TAKE_AFTER (a queue nobody dequeues from any
        more); otherwise it writes everything each WRITE_INTERVAL."""
        self._write_batch = write_batch
        self._idle_after = TAKE_AFTER + FLUSH_INTERVAL if piggyback else 0.0
        self._interval = FLUSH_INTERVAL if piggyback else WRITE_INTERVAL
        self._lock = threading.Lock()
        self._items: dict[str, list[dict[str, Any]]] = {}
        self._since: dict[str, float] = {}
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._failing_since: float | None = None
        """When writes started to fail (None while they succeed): one log line an outage."""

    def add(self, queue: str, move: dict[str, Any]) -> None:
        with self._lock:
            items = self._items.setdefault(queue, [])
            if not items:
                self._since[queue] = time.monotonic()
            items.append(move)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ygmon-completions", daemon=True
                )
                self._thread.start()
            if len(items) >= BATCH:
                self._wake.set()

    def take(self, queue: str) -> list[dict[str, Any]]:
        """The completions of `queue` when a batch is due (TAKE_AT of them, or the oldest
        has waited TAKE_AFTER); the caller writes them or hands them back."""
        with self._lock:
            items = self._items.get(queue)
            if not items or (
                len(items) < TAKE_AT and time.monotonic() - self._since[queue] < TAKE_AFTER
            ):
                return []
            self._items[queue] = []
            return items

    def give_back(self, queue: str, moves: list[dict[str, Any]]) -> None:
        """Return what `take` gave when writing it failed; the flusher tries again."""
        self._keep(queue, moves)
        self._wake.set()

    def _keep(self, queue: str, moves: list[dict[str, Any]]) -> None:
        with self._lock:
            items = self._items.setdefault(queue, [])
            if not items:
                self._since[queue] = time.monotonic() - self._idle_after
            items[:0] = moves

    def _run(self) -> None:
        while not self._closed:
            # While the registry is unreachable, retry once a second, not each round.
            self._wake.wait(self._interval if self._failing_since is None else 1.0)
            self._wake.clear()
            self._flush(time.monotonic() - self._idle_after)

    def flush(self) -> None:
        """Write everything handed over so far (shutdown and close call it)."""
        self._flush(None)

    def flush_queue(self, queue: str) -> bool:
        """Write `queue`'s completions handed over so far, now; False when there were
        none (or writing them failed: the flusher tries again). Until written, those
        jobs count as active, so a take refused by the queue's ceiling calls this."""
        with self._lock:
            moves = self._items.get(queue)
            if not moves:
                return False
            self._items[queue] = []
        try:
            self._write_batch(queue, moves)
        except YgmonError:
            self.give_back(queue, moves)
            return False
        return True

    def _flush(self, older_than: float | None) -> None:
        with self._lock:
            due = {
                queue: items
                for queue, items in self._items.items()
                if items
                and (older_than is None or self._since[queue] <= older_than or len(items) >= BATCH)
            }
            for queue in due:
                self._items[queue] = []
        for queue, moves in due.items():
            try:
                self._write_batch(queue, moves)
            except YgmonError as exc:
                if self._failing_since is None:
                    self._failing_since = time.monotonic()
                    log.error("job registry: completions kept until it answers: %s", exc)
                self._keep(queue, moves)
            else:
                if self._failing_since is not None:
                    log.warning(
                        "job registry: answering again after %.0f s; kept completions written",
                        time.monotonic() - self._failing_since,
                    )
                    self._failing_since = None

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush()
        with self._lock:
            left = sum(len(items) for items in self._items.values())
            self._items.clear()
        if left:
            # The worker leaves the registry on the way out, so the sweep of another
            # runs these jobs again once the registry answers.
            log.error("job registry: %d completions not written at shutdown", left)
