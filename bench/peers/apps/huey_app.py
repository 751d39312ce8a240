"""The bench's jobs as bare Huey tasks (RedisHuey's defaults)."""

from __future__ import annotations

import os

import marks
from huey import RedisHuey

huey = RedisHuey("bench", url=os.environ["BENCH_REDIS_URL"])
TASKS = {name: huey.task(name=name)(getattr(marks, name)) for name in ("noop", "stamp", "sleeper")}


def enqueue(kind: str, *args: object) -> None:
    TASKS[kind](*args)


def held(r: object) -> int:
    """Messages still in Huey's queue (Huey never acknowledges a message it took)."""
    return huey.pending_count()
