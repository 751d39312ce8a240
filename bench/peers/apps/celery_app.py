"""The bench's jobs as Celery tasks (Celery's defaults, Redis broker, no result backend);
BENCH_ACKS_LATE=1 turns on task_acks_late for the crash test."""

from __future__ import annotations

import os

import marks
from celery import Celery

app = Celery("bench", broker=os.environ["BENCH_REDIS_URL"])
app.conf.update(
    task_acks_late=os.environ.get("BENCH_ACKS_LATE") == "1",
    broker_connection_retry_on_startup=True,
)
TASKS = {name: app.task(name=name)(getattr(marks, name)) for name in ("noop", "stamp", "sleeper")}


def enqueue(kind: str, *args: object) -> None:
    TASKS[kind].delay(*args)


def held(r: object) -> int:
    """Messages the broker still holds: waiting, or taken and not acknowledged."""
    return r.llen("celery") + r.hlen("unacked")  # type: ignore[attr-defined]
