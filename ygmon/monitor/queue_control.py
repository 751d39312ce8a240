"""Pause, resume and schedules for LocalMonitor: the registry's pause and schedule-run
records (ygmon.jobs.registry.queue_pauses, ygmon.jobs.schedule_runs) as Monitor answers. Each
mutating method is one action, recorded by the audit trail and refused on a read-only
backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ygmon.errors import NotFoundError, ReadOnlyError
from ygmon.jobs import schedule_runs
from ygmon.jobs.registry import queue_pauses
from ygmon.monitor.audit import ActionRecorder, audited, current_actor
from ygmon.monitor.local_access import RuntimeAccess
from ygmon.monitor.queue_control_schemas import QueuePause, ScheduleInfo, TriggerResult
from ygmon.monitor.schemas import JobSummary, QueueStats
from ygmon.queues import QUEUES_BY_NAME

if TYPE_CHECKING:
    from ygmon.jobs.registry.job_registry import JobRegistry


def actor_name() -> str:
    """Who pauses, as the audit log names them: the token's subject through the API,
    else the OS user and the SSH client's address when there is one."""
    actor = current_actor()
    return f"{actor.subject}@{actor.address}" if actor.address else actor.subject


def as_pause(queue: str, pause: queue_pauses.Pause | None) -> QueuePause:
    if pause is None:
        return QueuePause(queue=queue, paused=False)
    return QueuePause(
        queue=queue,
        paused=True,
        paused_at=datetime.fromtimestamp(pause.at, UTC),
        paused_by=pause.by,
    )


def paused_stats(
    stats: list[QueueStats], paused: dict[str, queue_pauses.Pause]
) -> list[QueueStats]:
    """The queues' counts with the pause state of those in `paused`."""
    if not paused:
        return stats
    # Validated, not copied: the pause time is cut to milliseconds as every timestamp is.
    return [
        QueueStats.model_validate(
            {**s.model_dump(), "paused": True, "paused_at": paused[s.name].at}
        )
        if s.name in paused
        else s
        for s in stats
    ]


@dataclass(eq=False)
class LocalQueueControl:
    """Mutating calls are recorded by `audit_trail`; `read_only` refuses them;
    `schedule_grace` is the profile's (seconds a run may be late before it is missed)."""

    registry: RuntimeAccess
    audit_trail: ActionRecorder
    read_only: bool
    schedule_grace: float

    def _known_queue(self, queue: str) -> None:
        if queue not in QUEUES_BY_NAME:
            raise NotFoundError("Queue not found")

    @audited("pause")
    async def pause_queue(self, queue: str) -> QueuePause:
        if self.read_only:
            raise ReadOnlyError.refusing("Pause")
        self._known_queue(queue)
        actor = actor_name()
        pause = await self.registry.in_registry(
            lambda r: queue_pauses.pause(r.store, queue, r.now(), actor)
        )
        return as_pause(queue, pause)

    @audited("resume")
    async def resume_queue(self, queue: str) -> QueuePause:
        if self.read_only:
            raise ReadOnlyError.refusing("Resume")
        self._known_queue(queue)
        await self.registry.in_registry(lambda r: queue_pauses.resume(r.store, queue))
        return as_pause(queue, None)

    async def oldest_waiting(self, queue: str) -> JobSummary | None:
        """The job of `queue` that has waited longest (one index read, however many
        wait), or None."""
        self._known_queue(queue)

        def read(r: JobRegistry) -> JobSummary | None:
            ids = r.store.ids_in(queue, "waiting", 1)
            return r.get_job(ids[0]) if ids else None

        found = await self.registry.in_registry(read)
        return None if found is None else JobSummary.model_validate(found.model_dump())

    async def schedules(self) -> list[ScheduleInfo]:
        from ygmon.monitor.schedules import schedule_infos

        periodics = schedule_runs.periodic_tasks()

        def read(r: JobRegistry) -> list[ScheduleInfo]:
            # The store's clock, as heartbeats are judged (ygmon.jobs.registry.clock).
            now = datetime.fromtimestamp(r.now(), UTC)
            runs = schedule_runs.runs_by_trigger(r.store)
            jobs = {}
            for by_trigger in runs.values():
                for run in by_trigger.values():
                    record = r.store.get(run.get("jobId") or "")
                    if record is not None:
                        jobs[record["id"]] = (record["state"], record.get("error_message"))
            return schedule_infos(
                periodics,
                runs,
                jobs,
                schedule_runs.watching_since(r.store),
                set(queue_pauses.paused_queues(r.store)),
                now,
                self.schedule_grace,
            )

        return await self.registry.in_registry(read)

    @audited("trigger")
    async def trigger_schedule(self, name: str) -> TriggerResult:
        """Enqueue periodic task `name` now, as its schedule would (no arguments)."""
        if self.read_only:
            raise ReadOnlyError.refusing("Trigger")
        periodic = {p.task: p for p in schedule_runs.periodic_tasks()}.get(name)
        if periodic is None:
            raise NotFoundError("Schedule not found")

        # The runtime records the run (trigger "manual") as it enqueues it.
        job_id = await self.registry.in_runtime(lambda runtime: runtime.enqueue(name))
        return TriggerResult(name=name, queue=periodic.queue, job_id=job_id)
