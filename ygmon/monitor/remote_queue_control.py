"""Pause, resume and schedules for RemoteMonitor: the routes of
ygmon.api.routes_queue_control, through the admin API (ygmon.monitor.admin_api). A
read-only profile refuses changes before sending them; a read-only server answers 403
with its reason, raised as ReadOnlyError."""

from __future__ import annotations

from dataclasses import dataclass

from ygmon.errors import ReadOnlyError
from ygmon.monitor.admin_api import AdminApi, segment
from ygmon.monitor.queue_control_schemas import QueuePause, ScheduleInfo, TriggerResult
from ygmon.monitor.schemas import JobSummary


@dataclass(eq=False)
class RemoteQueueControl:
    api: AdminApi
    read_only: bool

    def _refuse_if_read_only(self, action: str) -> None:
        if self.read_only:
            raise ReadOnlyError.refusing(action, "profile")

    async def pause_queue(self, queue: str) -> QueuePause:
        self._refuse_if_read_only("Pause")
        body = await self.api.request("POST", f"/queues/{segment(queue)}/pause")
        return QueuePause.model_validate(body["data"])

    async def resume_queue(self, queue: str) -> QueuePause:
        self._refuse_if_read_only("Resume")
        body = await self.api.request("POST", f"/queues/{segment(queue)}/resume")
        return QueuePause.model_validate(body["data"])

    async def oldest_waiting(self, queue: str) -> JobSummary | None:
        found = await self.api.get_data(f"/queues/{segment(queue)}/oldest-waiting")
        return None if found is None else JobSummary.model_validate(found)

    async def schedules(self) -> list[ScheduleInfo]:
        return [ScheduleInfo.model_validate(s) for s in await self.api.get_data("/schedules")]

    async def trigger_schedule(self, name: str) -> TriggerResult:
        self._refuse_if_read_only("Trigger")
        body = await self.api.request("POST", f"/schedules/{segment(name)}/trigger")
        return TriggerResult.model_validate(body["data"])
