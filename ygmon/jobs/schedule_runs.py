"""The periodic schedule as data, and the last run of each periodic task, kept in the
registry's store (ygmon.jobs.registry.ops_records) so that "did the 09:00 digest run?" has an
answer long after its job left the registry's retention.

A run is recorded when a scheduler wins a task's slot (ygmon.jobs.huey.periodic_claims) or
when an operator triggers the task: {"at", "jobId", "trigger": "schedule"|"manual"}.
`watching` records when a worker first ran the schedule: slots before it are not
missed runs, they are from before ygmon ran the schedule at all.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ygmon.jobs.registry import ops_records

KIND = "schedule-run"
WATCH_KIND = "schedule-watch"
WATCH_KEY = "since"


class Periodic(NamedTuple):
    task: str
    queue: str
    cron: str


def periodic_tasks() -> list[Periodic]:
    """Every periodic task the worker schedules, in queue order (ygmon.queues)."""
    from ygmon.jobs.tasks import RETENTION_CRON, TASKS
    from ygmon.queues import QUEUE_NAMES, queue_spec

    found = [
        Periodic(t.name, t.queue, dict(queue_spec(t.queue).schedules)[t.schedule])
        for t in TASKS.values()
        if t.schedule is not None
    ]
    found.append(Periodic("sweep-retention", "maintenance", RETENTION_CRON))
    return sorted(found, key=lambda p: QUEUE_NAMES.index(p.queue))


def record_run(store: Any, task: str, at: float, job_id: str, trigger: str) -> None:
    ops_records.put(store, KIND, task, {"at": at, "jobId": job_id, "trigger": trigger})


def last_runs(store: Any) -> dict[str, dict[str, Any]]:
    """{task: {"at", "jobId", "trigger"}} of every task that ran since records began."""
    return ops_records.read_all(store, KIND)


def note_watching(store: Any, at: float) -> None:
    """A worker runs the schedule from `at`; only the first such moment is kept."""
    ops_records.put(store, WATCH_KIND, WATCH_KEY, at, only_new=True)


def watching_since(store: Any) -> float | None:
    value = ops_records.read_all(store, WATCH_KIND).get(WATCH_KEY)
    return None if value is None else float(value)
