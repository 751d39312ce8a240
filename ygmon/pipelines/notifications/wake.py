"""Waking `notification-delivery` and the `email` sender: one job covers a burst, as one
pending index update covers a burst of writes (ygmon.pipelines.search.changes).

Every new notification's `notification_emails` row is written with it, held by the
delivery stage (ygmon.pipelines.notifications.delivery), and one delivery job decides
every held row; one sender job sends every due e-mail. So neither needs a job per
notification. Each of the two keeps a *marker* among its queue's collapse markers
(ygmon.jobs.collapse, reached through the `enqueue` given:
ygmon.pipelines.producer.markers_of):

- a producer (after its commit) sets it, only if absent, to a new job's id and the
  time, and enqueues that job; a producer that finds it set enqueues nothing and
  answers that job's id;
- the job keeps it while it runs passes over the rows, pausing LINGER between passes
  that found work (a stream of notifications arriving one by one is taken a few dozen
  at a time, by one job), and deletes it after a pass that found nothing; then it runs
  one last pass, which sees every row committed by a producer that found the marker.

A job that fails deletes the marker too (the next producer enqueues a new job; the
queue retries the failed one). A marker left by a job that never ran (its enqueue
lost, or its retries exhausted) goes stale and is taken over; e-mail rows it
left held are claimed by a sender after the claim lease anyway (ygmon.pipelines.
notifications.immediate).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ygmon.job_ids import new_job_id
from ygmon.pipelines.producer import Enqueue, Markers, markers_of

LINGER = 0.02


@dataclass(frozen=True)
class Collapsed:
    """One task whose bursts of requests collapse into one job (see the module)."""

    task: str
    queue: str
    key: str

    def request(self, enqueue: Enqueue, new_id: Callable[[], str] = new_job_id) -> str:
        """Make sure a job will look at the rows committed before this call: the id of
        the job that will (a new one, made by `new_id`, or the one holding the marker)."""
        markers = markers_of(enqueue)
        if markers is None:  # a bare callable: no marker to share, a job each
            return enqueue(self.task)
        # Read first: in a stream of requests the marker is held, and one read answers.
        held = markers.holder(self.queue, self.key)
        if held is not None:
            return held
        job_id = new_id()
        held = markers.hold(self.queue, self.key, job_id, markers.now())
        if held is not None:
            return held
        try:
            return enqueue(self.task, job_id=job_id)
        except BaseException:
            markers.release(self.queue, self.key)
            raise

    async def drain(
        self,
        markers: Markers | None,
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
            if markers is not None:
                markers.release(self.queue, self.key)
        return total + await step()


DELIVERY = Collapsed(
    "deliver-notification", "notification-delivery", "ygmon-notify:pending-delivery"
)
SENDER = Collapsed("send-notification-email", "email", "ygmon-notify:pending-sender")


def request_delivery(enqueue: Enqueue) -> str:
    """The delivery job that will decide the notifications committed so far."""
    return DELIVERY.request(enqueue)
