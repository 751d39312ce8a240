"""What the listing of live controls shows beside the records (ygmon.jobs.registry.
live_controls), read from what the registry keeps anyway: the waiting jobs of a paused
task. It is not on a job's path: the monitor reads it when it lists the controls, and
only for the queues of paused tasks (one page of each).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple


class Waiting(NamedTuple):
    per_task: Counter[str]
    """Waiting jobs per task, among those read."""
    whole: set[str]
    """The queues all of whose waiting jobs were read (their tasks' counts are exact)."""


def waiting_per_task(store: Any, queues: Iterable[str], scan: int) -> Waiting:
    """Each task's waiting jobs among the newest `scan` waiting jobs of each of `queues`."""
    per_task: Counter[str] = Counter()
    whole = set()
    for queue in sorted(set(queues)):
        rows, total = store.page(queue, "waiting", 0, scan)
        per_task.update(r["task"] for r in rows if r.get("task"))
        if total <= len(rows):
            whole.add(queue)
    return Waiting(per_task, whole)
