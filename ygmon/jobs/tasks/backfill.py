"""The `backfill` task (on `maintenance`): one job that enqueues the runs of a backfill
(ygmon.monitor.backfill) oldest first, keeping at most `max_running` of them waiting or
running at once across every worker, and reports the share finished as its progress.

Delivery is at least once: a backfill job that runs again (its worker died) enqueues
its runs again, which is harmless since each aggregation run upserts its own period.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec

POLL_SECONDS = 0.2
"""How often the job reads the states of the runs it has under way."""
FINISHED = frozenset({"completed", "failed", "cancelled"})


def backfill(name: str, runs: list[dict[str, Any]], max_running: int = 2) -> dict[str, Any]:
    """Enqueue `runs` (each the keyword arguments of one job of task `name`) in order, at
    most `max_running` of them unfinished at a time; returns how each ended."""
    from ygmon.jobs.job_context import current_job

    ctx = current_job()
    store = ctx.runtime.registry.store
    pending = list(runs)
    live: list[str] = []
    jobs: list[str] = []
    ended: Counter[str] = Counter()
    while pending or live:
        still = []
        for job_id in live:
            record = store.get(job_id)
            state = "gone" if record is None else str(record["state"])
            if state in FINISHED or record is None:
                ended[state] += 1
            else:
                still.append(job_id)
        live = still
        while pending and len(live) < max(1, max_running):
            job_id = ctx.enqueue(name, **pending.pop(0))
            live.append(job_id)
            jobs.append(job_id)
        ctx.progress(100 * sum(ended.values()) / max(len(runs), 1))
        if live:
            time.sleep(POLL_SECONDS)
    return {"task": name, "runs": len(runs), "ended": dict(ended), "jobs": jobs}


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "backfill",
        "maintenance",
        backfill,
        "enqueue a backfill's runs oldest first, at most N at once",
    ),
)
ENQUEUE: tuple[EnqueueCommand, ...] = ()
