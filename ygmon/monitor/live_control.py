"""Live control for LocalMonitor: a queue's concurrency limit, a paused task and a
task's rate limit (the registry's records, ygmon.jobs.registry.live_controls) as
Monitor answers. Each change is one action, recorded by the audit trail and refused on
a read-only backend, as pausing a queue is (ygmon.monitor.queue_control).

A task is one a worker runs (ygmon.jobs.tasks, and the periodic retention sweep); any
other name is NotFoundError("Task not found"), a queue outside ygmon.queues
NotFoundError("Queue not found").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from ygmon.errors import NotFoundError, ReadOnlyError
from ygmon.jobs.registry import live_control_reads, live_controls
from ygmon.monitor.audit import ActionRecorder, audited
from ygmon.monitor.live_control_schemas import (
    WAITING_SCAN,
    LimitState,
    LiveControls,
    TaskControl,
    check_limit,
    check_rate,
)
from ygmon.monitor.local_access import RegistryAccess
from ygmon.monitor.queue_control import actor_name
from ygmon.queues import QUEUE_NAMES, QUEUES_BY_NAME

if TYPE_CHECKING:
    from ygmon.jobs.registry.job_registry import JobRegistry


def registered_tasks() -> dict[str, str]:
    """{task: its queue} of every task a worker runs, in queue order, then by name."""
    from ygmon.jobs.schedule_runs import periodic_tasks
    from ygmon.jobs.tasks import TASKS

    found = {t.name: t.queue for t in TASKS.values()}
    found.update((p.task, p.queue) for p in periodic_tasks())
    return dict(sorted(found.items(), key=lambda item: (QUEUE_NAMES.index(item[1]), item[0])))


def _time(at: float | None) -> datetime | None:
    return None if at is None else datetime.fromtimestamp(at, UTC)


def limit_state(queue: str, limit: live_controls.QueueLimit | None) -> LimitState:
    if limit is None:
        return LimitState(queue=queue)
    return LimitState(
        queue=queue, limit=limit.limit, scope=limit.scope, set_at=_time(limit.at), set_by=limit.by
    )


def task_control(task: str, queue: str, controls: live_controls.LiveControls) -> TaskControl:
    """`task`'s pause and rate, without the listing's counts."""
    pause = controls.paused_tasks.get(task)
    rate = controls.rates.get(task)
    return TaskControl(
        task=task,
        queue=queue,
        paused=pause is not None,
        paused_at=_time(pause and pause.at),
        paused_by=pause and pause.by,
        per_minute=rate and rate.per_minute,
        rate_set_at=_time(rate and rate.at),
        rate_set_by=rate and rate.by,
    )


Change = Callable[["JobRegistry", str], Any]
"""What a task action writes: (registry, task) -> anything."""


@dataclass(eq=False)
class LocalLiveControl:
    """Changes are recorded by `audit_trail`; `read_only` refuses them."""

    registry: RegistryAccess
    audit_trail: ActionRecorder
    read_only: bool

    def _refuse_if_read_only(self, action: str) -> None:
        if self.read_only:
            raise ReadOnlyError.refusing(action)

    async def live_controls(self) -> LiveControls:
        tasks = registered_tasks()

        def read(r: JobRegistry) -> tuple[Any, ...]:
            controls = live_controls.read_controls(r.store)
            held = {tasks[t] for t in controls.paused_tasks if t in tasks}
            waiting = live_control_reads.waiting_per_task(r.store, held, WAITING_SCAN)
            started = live_controls.recent_starts(r.store, controls.rates, r.now())
            return controls, waiting, started

        controls, waiting, started = await self.registry.in_registry(read)
        rows = []
        for task, queue in tasks.items():
            row = task_control(task, queue, controls)
            counts: dict[str, Any] = {}
            if row.paused:
                counts["waiting"] = waiting.per_task.get(task, 0)
                counts["waiting_exact"] = queue in waiting.whole
            if row.per_minute is not None:
                counts["last_minute"] = started.get(task, 0)
            rows.append(row.model_copy(update=counts) if counts else row)
        return LiveControls(
            limits=[
                limit_state(q, controls.limits[q]) for q in QUEUE_NAMES if q in controls.limits
            ],
            tasks=rows,
        )

    def _known_queue(self, queue: str) -> None:
        if queue not in QUEUES_BY_NAME:
            raise NotFoundError("Queue not found")

    @audited("limit")
    async def set_queue_limit(
        self, queue: str, limit: int, scope: str = "deployment"
    ) -> LimitState:
        self._refuse_if_read_only("Limit")
        self._known_queue(queue)
        check_limit(limit, scope)
        actor, chosen = actor_name(), cast("live_controls.Scope", scope)
        found = await self.registry.in_registry(
            lambda r: live_controls.set_limit(r.store, queue, limit, chosen, r.now(), actor)
        )
        return limit_state(queue, found)

    @audited("clear-limit")
    async def clear_queue_limit(self, queue: str) -> LimitState:
        self._refuse_if_read_only("Clear limit")
        self._known_queue(queue)
        await self.registry.in_registry(lambda r: live_controls.clear_limit(r.store, queue))
        return limit_state(queue, None)

    async def _task_action(
        self, action: str, task: str, change: Change, check: Callable[[], None] | None = None
    ) -> TaskControl:
        """Refused when read-only, NotFoundError for an unknown task, then `check()`
        (a value's bounds), then `change` written and the task's controls read back."""
        self._refuse_if_read_only(action)
        queue = registered_tasks().get(task)
        if queue is None:
            raise NotFoundError("Task not found")
        if check is not None:
            check()

        def act(r: JobRegistry) -> live_controls.LiveControls:
            change(r, task)
            return live_controls.read_controls(r.store)

        return task_control(task, queue, await self.registry.in_registry(act))

    @audited("pause-task")
    async def pause_task(self, task: str) -> TaskControl:
        actor = actor_name()
        return await self._task_action(
            "Pause task", task, lambda r, t: live_controls.pause_task(r.store, t, r.now(), actor)
        )

    @audited("resume-task")
    async def resume_task(self, task: str) -> TaskControl:
        return await self._task_action(
            "Resume task", task, lambda r, t: live_controls.resume_task(r.store, t)
        )

    @audited("rate")
    async def set_task_rate(self, task: str, per_minute: int) -> TaskControl:
        actor = actor_name()
        return await self._task_action(
            "Rate",
            task,
            lambda r, t: live_controls.set_rate(r.store, t, per_minute, r.now(), actor),
            lambda: check_rate(per_minute),
        )

    @audited("clear-rate")
    async def clear_task_rate(self, task: str) -> TaskControl:
        return await self._task_action(
            "Clear rate", task, lambda r, t: live_controls.clear_rate(r.store, t)
        )
