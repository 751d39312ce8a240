"""Waking `notification-delivery`: one pending delivery job covers a burst of new
notifications, as one pending index update covers a burst of writes (ygmon.pipelines.
search.changes).

Every new notification's `notification_emails` row is written with it, held by the
delivery stage (`AWAITING_DELIVERY`, ygmon.pipelines.notifications.delivery); one
delivery job decides every such row, so a job per notification is not needed. The
*pending* marker lives in the delivery queue's Huey key-value store (the broker's, so
every producer and worker of a deployment shares it; `put_if_empty` is atomic on SQLite
and Redis alike):

- set (only if absent) by the producer that enqueues a delivery job, to that job's id
  and the time;
- deleted by that job as it starts, before it reads the rows.

A producer that finds the marker set enqueues nothing and answers the pending job's id:
that job has not read the rows yet, so it will decide this notification too. A marker
left by a job that never started (its enqueue lost) is taken over after STALE_AFTER
seconds; rows it left held are claimed by a sender after the claim lease anyway
(ygmon.pipelines.notifications.immediate).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ygmon.jobs.runtime import new_job_id
from ygmon.pipelines.search.changes import runtime_of

if TYPE_CHECKING:
    from huey.api import Huey

    from ygmon.jobs.runtime import JobRuntime

Enqueue = Callable[..., str]
DELIVERY_TASK = "deliver-notification"
DELIVERY_QUEUE = "notification-delivery"
PENDING_KEY = "ygmon-notify:pending-delivery"
STALE_AFTER = 300.0


def _markers(runtime: JobRuntime) -> Huey:
    return runtime.hueys[DELIVERY_QUEUE]


def _held(huey: Huey, now: float) -> str | None:
    """The pending job's id, unless there is none or its marker went stale."""
    value = huey.get(PENDING_KEY, peek=True)
    if not value:
        return None
    job_id, _, stamp = str(value).partition(" ")
    try:
        fresh = float(stamp) + STALE_AFTER > now
    except ValueError:
        fresh = False
    return job_id if fresh else None


def request_delivery(enqueue: Enqueue) -> str:
    """Make sure a delivery job will look at the notifications committed before this
    call: the id of the job that will (a new one, or the one pending already)."""
    runtime = runtime_of(enqueue)
    if runtime is None:  # a bare callable: no marker to share, a job each
        return enqueue(DELIVERY_TASK)
    huey = _markers(runtime)
    for _ in range(3):
        now = time.time()
        job_id = new_job_id()
        if huey.put_if_empty(PENDING_KEY, f"{job_id} {now}"):
            break
        held = _held(huey, now)
        if held is not None:
            return held
        if huey.get(PENDING_KEY, peek=True) is not None:  # stale: take it over
            huey.put(PENDING_KEY, f"{job_id} {now}")
            break
        # Deleted between the two calls: its job started; try to set it again.
    else:
        job_id = new_job_id()
    try:
        return enqueue(DELIVERY_TASK, job_id=job_id)
    except BaseException:
        huey.delete(PENDING_KEY)
        raise


def delivery_starting(runtime: JobRuntime) -> None:
    """Called by a delivery job before it reads the rows: notifications committed
    after this need a new job."""
    _markers(runtime).delete(PENDING_KEY)
