"""One read of the registry's live state (workers, their running jobs, the queues' counts
and pauses, the store's time) shared by the calls that ask for it at the same time.

A screen asks `health()`, `queues()` and `workers()` together (the Overview, the API's
live feed); read apart, a worker could turn gone or a job move between the reads, and
the health line would count one worker while the Workers panel lists another, or the
group line's served queues disagree with the live-worker count. Calls that start while a
read is under way share its answer, so one refresh shows one moment. A call that starts
after any other registry call (a pause, a retry) began reads again: an answer is never
older than what the caller did before asking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ygmon.jobs.registry.queue_pauses import Pause
from ygmon.monitor.schemas import QueueStats, WorkerInfo


@dataclass(frozen=True)
class RegistryMoment:
    workers: list[WorkerInfo]
    """As the registry lists them, not yet judged (ygmon.monitor.health.judged)."""
    store_now: float
    """The store's time of the read: heartbeats are judged by it."""
    running: dict[str, int]
    """Running jobs per worker id."""
    stats: list[QueueStats]
    """Every queue's counts, without their pause state."""
    paused: dict[str, Pause]


class SharedRead:
    """`get()`: the moment being read if it started after the last other call, else a
    new read. `other_call()` is told of every other registry call as it starts."""

    def __init__(self, read: Callable[[], Awaitable[RegistryMoment]]) -> None:
        self._read = read
        self._task: asyncio.Task[RegistryMoment] | None = None
        self._calls = 0
        self._started_at_call = -1

    def other_call(self) -> None:
        self._calls += 1

    async def get(self) -> RegistryMoment:
        task = self._task
        if task is None or task.done() or self._started_at_call != self._calls:
            task = self._task = asyncio.ensure_future(self._read())
            # Its failure is every caller's; retrieved here too, for when none is left.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._started_at_call = self._calls
        # Shielded: one caller cancelled (a screen left) must not fail the others' read.
        return await asyncio.shield(task)
