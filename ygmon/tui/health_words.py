"""How a group's health reads on a line: its worst queue, in a few words; and the order
workers are listed in (live first, gone last: ygmon.liveness)."""

from __future__ import annotations

from collections.abc import Mapping

from ygmon.liveness import GONE, LATE, LIVE
from ygmon.monitor.schemas import WorkerStatus

LIVENESS_ORDER = {LIVE: 0, LATE: 1, GONE: 2}


def _severity(status: WorkerStatus) -> int:
    if not status.is_running:
        return 4
    if status.error is not None and not status.paused:
        return 3
    if status.late:
        return 2
    return 1 if status.paused else 0


def queue_words(status: WorkerStatus) -> str:
    """A queue's state in a few words: "no live worker", "paused by ann, no live worker"."""
    paused = f"paused by {status.paused_by}" if status.paused_by else "paused"
    if not status.is_running:
        return f"{paused}, no live worker" if status.paused else "no live worker"
    if status.error is not None and not status.paused:
        return status.error
    if status.late:
        return "its worker is late"
    return paused if status.paused else "ok"


def worst_queue(workers: Mapping[str, WorkerStatus]) -> str | None:
    """ "email: no live worker" for the group's worst queue; None when each is ok or
    only paused with a live worker waiting (the line counts those)."""
    if not workers:
        return None
    name, status = max(workers.items(), key=lambda item: _severity(item[1]))
    return None if _severity(status) <= 1 else f"{name}: {queue_words(status)}"
