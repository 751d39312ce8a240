"""The bench's jobs on an RQ queue (RQ's defaults). Its worker forks a work horse per
job, so a count in the job's process would die with it: the harness counts RQ's own
finished-job registry instead, and the no-op is a bare function."""

from __future__ import annotations

import os

import marks
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry

connection = Redis.from_url(os.environ["BENCH_REDIS_URL"])
queue = Queue("bench", connection=connection)


def noop() -> None:
    pass


TASKS = {"noop": noop, "stamp": marks.stamp, "sleeper": marks.sleeper}


def enqueue(kind: str, *args: object) -> None:
    queue.enqueue(TASKS[kind], *args)


def held(r: object) -> int:
    """Jobs RQ still holds: queued, started (by a worker that may be dead), or moved to
    the failed registry as abandoned (which needs a manual requeue)."""
    started = StartedJobRegistry("bench", connection=connection).count
    return queue.count + started + FailedJobRegistry("bench", connection=connection).count


def fail() -> None:
    raise RuntimeError("job failed")
