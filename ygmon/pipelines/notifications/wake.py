"""Waking `notification-delivery` and the `email` sender: one job covers a burst, as one
pending index update covers a burst of writes (ygmon.pipelines.search.changes).

Every new notification's `notification_emails` row is written with it, held by the
delivery stage (ygmon.pipelines.notifications.delivery), and one delivery job decides
every held row; one sender job sends every due e-mail. So neither needs a job per
notification. Each of the two keeps a *marker* in its queue's Huey key-value store (the
broker's, so every producer and worker of a deployment shares it; `put_if_empty` is
atomic on SQLite and Redis alike):

- a producer (after its commit) sets it, only if absent, to a new job's id and the
  time, and enqueues that job; a producer that finds it set enqueues nothing and
  answers that job's id;
- the job keeps it while it runs passes over the rows, pausing LINGER between passes
  that found work (a stream of notifications arriving one by one is taken a few dozen
  at a time, by one job), and deletes it after a pass that found nothing; then it runs
  one last pass, which sees every row committed by a producer that found the marker.

A job that fails deletes the marker too (the next producer enqueues a new job; the
queue retries the failed one). A marker left by a job that never ran (its enqueue
lost, or its retries exhausted) is taken over after STALE_AFTER seconds; e-mail rows it
left held are claimed by a sender after the claim lease anyway (ygmon.pipelines.
notifications.immediate).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ygmon.pipelines.search.changes import runtime_of

if TYPE_CHECKING:
    from huey.api import Huey

    from ygmon.jobs.runtime import JobRuntime

Enqueue = Callable[..., str]
STALE_AFTER = 300.0
LINGER = 0.02


@dataclass(frozen=True)
class Collapsed:
    """One task whose bursts of requests collapse into one job (see the module)."""

    task: str
    queue: str
    key: str

    def _markers(self, runtime: JobRuntime) -> Huey:
        return runtime.hueys[self.queue]

    def _held(self, huey: Huey, now: float) -> str | None:
        """The marker's job id, unless there is none or it went stale."""
        value = huey.get(self.key, peek=True)
        if not value:
            return None
        job_id, _, stamp = str(value).partition(" ")
        try:
            fresh = float(stamp) + STALE_AFTER > now
        except ValueError:
            fresh = False
        return job_id if fresh else None

    def request(self, enqueue: Enqueue) -> str:
        """Make sure a job will look at the rows committed before this call: the id of
        the job that will (a new one, or the one holding the marker)."""
        from ygmon.jobs.runtime import new_job_id

        runtime = runtime_of(enqueue)
        if runtime is None:  # a bare callable: no marker to share, a job each
            return enqueue(self.task)
        huey = self._markers(runtime)
        # Read first: in a stream of requests the marker is held, and one read answers.
        held = self._held(huey, time.time())
        if held is not None:
            return held
        job_id = new_job_id()
        for _ in range(3):
            now = time.time()
            if huey.put_if_empty(self.key, f"{job_id} {now}"):
                break
            held = self._held(huey, now)
            if held is not None:
                return held
            if huey.get(self.key, peek=True) is not None:  # stale: take it over
                huey.put(self.key, f"{job_id} {now}")
                break
            # Deleted between the two calls (its job finished): set it again.
        try:
            return enqueue(self.task, job_id=job_id)
        except BaseException:
            huey.delete(self.key)
            raise

    def release(self, runtime: JobRuntime) -> None:
        self._markers(runtime).delete(self.key)

    async def drain(
        self,
        runtime: JobRuntime | None,
        step: Callable[[], Awaitable[int]],
        *,
        linger: float = LINGER,
    ) -> int:
        """The job's side: `step()` (one pass; how many rows it handled) until a pass
        finds nothing, pausing `linger` after each pass that found some; then the
        marker goes and one last pass runs. The total handled."""
        total = 0
        try:
            while (found := await step()) > 0:
                total += found
                await asyncio.sleep(linger)
        finally:
            if runtime is not None:
                self.release(runtime)
        return total + await step()


DELIVERY = Collapsed(
    "deliver-notification", "notification-delivery", "ygmon-notify:pending-delivery"
)
SENDER = Collapsed("send-notification-email", "email", "ygmon-notify:pending-sender")


def request_delivery(enqueue: Enqueue) -> str:
    """The delivery job that will decide the notifications committed so far."""
    return DELIVERY.request(enqueue)
