"""What a registry write hands the storage enqueue that follows it in the same thread.

Huey emits SIGNAL_ENQUEUED just before it hands the task to its storage: the signal
handler (ygmon.jobs.huey.signals) leaves its registry write here and the storage's
enqueue (sqlite_storage, redis_storage) takes it, so queue and registry change in one
step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_pending = threading.local()
Unreadable = Callable[[Any, bytes, Exception], None]
"""(cursor or None, task bytes, the error): a task this worker cannot read (a task name
it does not know, typically a newer producer's) was taken off the queue; the registry
records its job as failed (in the dequeue's transaction on SQLite)."""


def defer_to_enqueue(write: Callable[..., Any]) -> None:
    """Have the next storage enqueue of this thread run `write` in the same step.

    Huey emits SIGNAL_ENQUEUED just before it hands the task to its storage; deferring
    the registry write to that moment makes queue and registry change together (one
    SQLite transaction, one Redis script) instead of in two writes that could fall
    apart in a crash.
    """
    _pending.write = write


def header_for_enqueue(job_id: str, retries: int, class_revoke_key: str) -> None:
    """Redis: the header the next enqueue of this thread puts before Huey's payload."""
    _pending.header = f"{job_id}|{retries}\0{class_revoke_key}".encode()


def take_pending() -> Callable[..., Any] | None:
    write = getattr(_pending, "write", None)
    _pending.write = None
    return write


def pending_header() -> bytes | None:
    """Redis: the header left by header_for_enqueue, taken (None when there is none)."""
    header = getattr(_pending, "header", None)
    _pending.header = None
    return header
