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

How workers apply them (ygmon.jobs.huey.control_gate, read at most every 0.5 s per
process, so a change reaches every worker within about a second and a half): each take
of a job checks them in the same atomic step as the take itself (the Redis activate
script, ygmon.jobs.registry.store.redis.take_lua; the SQLite dequeue's transaction,
ygmon.jobs.huey.sqlite_take):

- a limit of scope "deployment" counts the registry's active jobs of the queue; one of
  scope "host" counts those whose worker id starts with the taking worker's host (a
  worker id is `host:pid:suffix`, the host being `--host-name` or the machine's name).
  Running jobs are never stopped: a lowered limit holds once enough of them finished.
- a job of a paused task, or of a task whose rate is spent, met by a take is set aside
  ("held back", see held_back): off Huey's queue, its record still `waiting`, in its
  queue order; later takes start it once its task may start again, before any later
  job of the same task. A worker killed at any point loses none (the move is atomic).
- a rate-limited task's starts (every attempt) are kept for 60 seconds on the store's
  clock; a start is refused while there were `per_minute` in the last 60 s (a moving
  window), and its job is held back as a paused task's is. Starts are recorded only
  while the task has a rate: a rate set again within a minute of clearing the last does
  not count the starts made in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from ygmon.jobs.registry import ops_records
from ygmon.jobs.registry.snapshot import PAUSED_KIND

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
    return _controls(ops_records.read_kinds(store, (LIMIT_KIND, TASK_PAUSE_KIND, TASK_RATE_KIND)))


def _controls(records: dict[str, dict[str, Any]]) -> LiveControls:
    return LiveControls(
        {
            queue: QueueLimit(
                queue, int(r["limit"]), r.get("scope", "deployment"), r["at"], r.get("by")
            )
            for queue, r in records[LIMIT_KIND].items()
        },
        {
            task: TaskPause(task, float(r["at"]), r.get("by"))
            for task, r in records[TASK_PAUSE_KIND].items()
        },
        {
            task: TaskRate(task, int(r["perMinute"]), float(r["at"]), r.get("by"))
            for task, r in records[TASK_RATE_KIND].items()
        },
    )


class WorkerView(NamedTuple):
    """What a worker reads at once of the store (ygmon.jobs.huey.control_gate)."""

    paused_queues: frozenset[str]
    controls: LiveControls
    held: dict[tuple[str, str], int]


def read_for_workers(store: Any) -> WorkerView:
    """The paused queues, the live controls and the held-back counts, in two reads."""
    records = ops_records.read_kinds(
        store, (PAUSED_KIND, LIMIT_KIND, TASK_PAUSE_KIND, TASK_RATE_KIND)
    )
    return WorkerView(frozenset(records[PAUSED_KIND]), _controls(records), held_back(store))


def held_back(store: Any) -> dict[tuple[str, str], int]:
    """Jobs held back per (queue, task): set aside by a take because their task was
    paused or its rate spent, still `waiting` (and counted so) until a take starts them.
    A queue limit holds nothing aside: what it holds back are the queue's waiting jobs."""
    return store.held_counts()


def recent_starts(store: Any, tasks: Iterable[str], now: float) -> dict[str, int]:
    """Starts of each of `tasks` in the 60 seconds before `now` (the store's clock,
    ygmon.jobs.registry.job_registry.JobRegistry.now), as its rate limit counts them:
    recorded only while the task has a rate limit (0 otherwise)."""
    return store.recent_starts(tasks, now)


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
