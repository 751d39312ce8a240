"""The bench's jobs as Dramatiq actors (its default middleware, Redis broker)."""

from __future__ import annotations

import os

import dramatiq
import marks
from dramatiq.brokers.redis import RedisBroker

dramatiq.set_broker(RedisBroker(url=os.environ["BENCH_REDIS_URL"]))
TASKS = {
    name: dramatiq.actor(actor_name=name)(getattr(marks, name))
    for name in ("noop", "stamp", "sleeper")
}


def enqueue(kind: str, *args: object) -> None:
    TASKS[kind].send(*args)


def held(r: object) -> int:
    """Messages not yet acknowledged: Dramatiq keeps each in the queue's .msgs hash
    until a worker acks it."""
    return r.hlen("dramatiq:default.msgs")  # type: ignore[attr-defined]
