"""The periodic schedule as data, and the last run of each periodic task, kept in the
registry's store (ygmon.jobs.registry.ops_records) so that "did the 09:00 digest run?" has an
answer long after its job left the registry's retention.

Every run of a periodic task is a run of its schedule, however it started: a scheduler
winning the task's slot (ygmon.jobs.huey.periodic_claims) records "schedule"; any other
enqueue of the task (ygmon.jobs.runtime.JobRuntime.enqueue) records the `trigger` it was
given: "catch-up" (a worker starting after missed slots), "late-events" (an hourly run
re-running an earlier period) or "manual" (an operator, `ygmon enqueue`, the demo). The
latest run of each trigger is kept, {"at", "jobId", "trigger"}, and a task's last run is
the latest of them.
`watching` records when a worker first ran the schedule: slots before it are not
missed runs, they are from before ygmon ran the schedule at all.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ygmon.jobs.registry import ops_records

KIND = "schedule-run"
"""Records written before runs were kept per trigger: {task: the last run}."""
TRIGGER_KIND = "schedule-run-trigger"
"""{"<task> <trigger>": the latest run of `task` started by `trigger`}."""
TRIGGERS = ("schedule", "catch-up", "late-events", "manual")
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


def periodic_names() -> frozenset[str]:
    return frozenset(p.task for p in periodic_tasks())


def record_run(store: Any, task: str, at: float, job_id: str, trigger: str) -> None:
    ops_records.put(
        store, TRIGGER_KIND, f"{task} {trigger}", {"at": at, "jobId": job_id, "trigger": trigger}
    )


def runs_by_trigger(store: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """{task: {trigger: {"at", "jobId", "trigger"}}}: the latest run of each trigger of
    every task that ran since records began."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    # Older records first: a run kept per trigger is never older than one kept per task.
    for task, run in ops_records.read_all(store, KIND).items():
        out.setdefault(task, {})[run.get("trigger") or "schedule"] = run
    for key, run in ops_records.read_all(store, TRIGGER_KIND).items():
        task, _, trigger = key.rpartition(" ")
        known = out.setdefault(task, {}).get(trigger)
        if known is None or float(run["at"]) >= float(known["at"]):
            out[task][trigger] = run
    return out


def note_watching(store: Any, at: float) -> None:
    """A worker runs the schedule from `at`; only the first such moment is kept."""
    ops_records.put(store, WATCH_KIND, WATCH_KEY, at, only_new=True)


def watching_since(store: Any) -> float | None:
    value = ops_records.read_all(store, WATCH_KIND).get(WATCH_KEY)
    return None if value is None else float(value)
