"""The operator tools of the Monitor protocol, passed to the parts a monitor holds.

LocalMonitor and RemoteMonitor each hold one object per part of ygmon.monitor.protocol
(job operations, queue control, live control, the audit log, alerts), built over what
that part needs of them; the calls are passed on here, once for both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ygmon.monitor.audit_schemas import AuditRecord
    from ygmon.monitor.job_search_schemas import BulkResult, BulkSelection, FailureGroup, JobQuery
    from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl
    from ygmon.monitor.protocol import (
        AlertReading,
        AuditReading,
        JobOperations,
        LiveControlOperations,
        QueueOperations,
    )
    from ygmon.monitor.queue_control_schemas import (
        AlertState,
        QueuePause,
        ScheduleInfo,
        TriggerResult,
    )
    from ygmon.monitor.schemas import JobSummary, Page


class OperatorParts:
    def __init__(
        self,
        job_ops: JobOperations,
        queue_control: QueueOperations,
        live_control: LiveControlOperations,
        audit: AuditReading,
        alert_checks: AlertReading,
    ) -> None:
        self.job_ops = job_ops
        self.queue_control = queue_control
        self.live_control = live_control
        self.audit = audit
        self.alert_checks = alert_checks

    async def search_jobs(self, query: JobQuery) -> Page[JobSummary]:
        return await self.job_ops.search_jobs(query)

    async def failure_groups(self, queue: str | None = None) -> list[FailureGroup]:
        return await self.job_ops.failure_groups(queue)

    async def bulk_retry(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self.job_ops.bulk_retry(selection, dry_run)

    async def bulk_discard(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self.job_ops.bulk_discard(selection, dry_run)

    async def pause_queue(self, queue: str) -> QueuePause:
        return await self.queue_control.pause_queue(queue)

    async def resume_queue(self, queue: str) -> QueuePause:
        return await self.queue_control.resume_queue(queue)

    async def oldest_waiting(self, queue: str) -> JobSummary | None:
        return await self.queue_control.oldest_waiting(queue)

    async def schedules(self) -> list[ScheduleInfo]:
        return await self.queue_control.schedules()

    async def trigger_schedule(self, name: str) -> TriggerResult:
        return await self.queue_control.trigger_schedule(name)

    async def live_controls(self) -> LiveControls:
        return await self.live_control.live_controls()

    async def set_queue_limit(
        self, queue: str, limit: int, scope: str = "deployment"
    ) -> LimitState:
        return await self.live_control.set_queue_limit(queue, limit, scope)

    async def clear_queue_limit(self, queue: str) -> LimitState:
        return await self.live_control.clear_queue_limit(queue)

    async def pause_task(self, task: str) -> TaskControl:
        return await self.live_control.pause_task(task)

    async def resume_task(self, task: str) -> TaskControl:
        return await self.live_control.resume_task(task)

    async def set_task_rate(self, task: str, per_minute: int) -> TaskControl:
        return await self.live_control.set_task_rate(task, per_minute)

    async def clear_task_rate(self, task: str) -> TaskControl:
        return await self.live_control.clear_task_rate(task)

    async def audit_log(self, page: int = 1, page_size: int = 50) -> Page[AuditRecord]:
        return await self.audit.audit_log(page, page_size)

    async def alerts(self) -> list[AlertState]:
        return await self.alert_checks.alerts()
