"""Live control of how much runs, kept in the registry's store beside the paused queues
(ygmon.jobs.registry.ops_records), so every worker on every host reads the same
settings within a poll or two and they outlive any process:

- a queue's concurrency limit: at most N of its jobs active across the deployment
  (`scope` "deployment") or on each host (`scope` "host"), lowering the queue's own
  concurrency while workers run, without a restart (never lifting the queue's fixed
  ceiling, QueueSpec.max_concurrency);
- a paused task: its jobs wait, while the other tasks of its queue run;
- a task's rate limit: at most N starts a minute across the deployment.

A record is JSON with "at" (the store's clock, epoch seconds) and "by" (who set it).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from ygmon.jobs.registry import ops_records

LIMIT_KIND = "queue-limit"
TASK_PAUSE_KIND = "task-paused"
TASK_RATE_KIND = "task-rate"

Scope = Literal["deployment", "host"]
SCOPES: tuple[Scope, ...] = ("deployment", "host")


class QueueLimit(NamedTuple):
    queue: str
    limit: int
    """At most this many of the queue's jobs active at once (>= 1)."""
    scope: Scope
    at: float
    by: str | None


class TaskPause(NamedTuple):
    task: str
    at: float
    by: str | None


class TaskRate(NamedTuple):
    task: str
    per_minute: int
    """At most this many starts of the task in any 60 seconds (>= 1)."""
    at: float
    by: str | None


class LiveControls(NamedTuple):
    """Every live control of a namespace, read together."""

    limits: dict[str, QueueLimit]
    paused_tasks: dict[str, TaskPause]
    rates: dict[str, TaskRate]

    @property
    def empty(self) -> bool:
        return not (self.limits or self.paused_tasks or self.rates)


NO_CONTROLS = LiveControls({}, {}, {})


def read_controls(store: Any) -> LiveControls:
    """The namespace's live controls (UnavailableError when the store cannot answer)."""
    return LiveControls(
        {
            queue: QueueLimit(
                queue, int(r["limit"]), r.get("scope", "deployment"), r["at"], r.get("by")
            )
            for queue, r in ops_records.read_all(store, LIMIT_KIND).items()
        },
        {
            task: TaskPause(task, float(r["at"]), r.get("by"))
            for task, r in ops_records.read_all(store, TASK_PAUSE_KIND).items()
        },
        {
            task: TaskRate(task, int(r["perMinute"]), float(r["at"]), r.get("by"))
            for task, r in ops_records.read_all(store, TASK_RATE_KIND).items()
        },
    )


def set_limit(
    store: Any, queue: str, limit: int, scope: Scope, at: float, by: str | None
) -> QueueLimit:
    """Set (or change) `queue`'s concurrency limit."""
    if limit < 1:
        raise ValueError("a concurrency limit is at least 1")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    ops_records.put(store, LIMIT_KIND, queue, {"limit": limit, "scope": scope, "at": at, "by": by})
    return QueueLimit(queue, limit, scope, at, by)


def clear_limit(store: Any, queue: str) -> bool:
    """Drop `queue`'s limit (its own concurrency applies again); False when it had none."""
    return ops_records.delete(store, LIMIT_KIND, queue)


def pause_task(store: Any, task: str, at: float, by: str | None) -> TaskPause:
    """Pause `task`; pausing a paused task keeps its first pause (time and author)."""
    ops_records.put(store, TASK_PAUSE_KIND, task, {"at": at, "by": by}, only_new=True)
    record = ops_records.get(store, TASK_PAUSE_KIND, task)
    return TaskPause(task, float(record["at"]), record.get("by"))


def resume_task(store: Any, task: str) -> bool:
    """Resume `task`; False when it was not paused."""
    return ops_records.delete(store, TASK_PAUSE_KIND, task)


def set_rate(store: Any, task: str, per_minute: int, at: float, by: str | None) -> TaskRate:
    """Set (or change) `task`'s rate limit."""
    if per_minute < 1:
        raise ValueError("a rate limit is at least 1 start a minute")
    ops_records.put(store, TASK_RATE_KIND, task, {"perMinute": per_minute, "at": at, "by": by})
    return TaskRate(task, per_minute, at, by)


def clear_rate(store: Any, task: str) -> bool:
    """Drop `task`'s rate limit; False when it had none."""
    return ops_records.delete(store, TASK_RATE_KIND, task)
