"""Pause, resume and schedules for RemoteMonitor (a mixin): the routes of
ygmon.api.routes_queue_control. A read-only profile refuses changes before sending
them; a read-only server answers 403 with its reason, raised as ReadOnlyError."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ygmon.errors import ReadOnlyError
from ygmon.monitor.queue_control_schemas import QueuePause, ScheduleInfo, TriggerResult
from ygmon.monitor.schemas import JobSummary


def _seg(value: str) -> str:
    return quote(value, safe="")


class RemoteQueueControl:
    """Needs RemoteMonitor's `profile`, `_request` and `_data`."""

    profile: Any
    _request: Any
    _data: Any

    def now(self) -> datetime:
        return datetime.now(UTC)

    def _refuse_if_read_only(self, action: str) -> None:
        if self.profile.read_only:
            raise ReadOnlyError.refusing(action, "profile")

    async def pause_queue(self, queue: str) -> QueuePause:
        self._refuse_if_read_only("Pause")
        body = await self._request("POST", f"/queues/{_seg(queue)}/pause")
        return QueuePause.model_validate(body["data"])

    async def resume_queue(self, queue: str) -> QueuePause:
        self._refuse_if_read_only("Resume")
        body = await self._request("POST", f"/queues/{_seg(queue)}/resume")
        return QueuePause.model_validate(body["data"])

    async def oldest_waiting(self, queue: str) -> JobSummary | None:
        found = await self._data(f"/queues/{_seg(queue)}/oldest-waiting")
        return None if found is None else JobSummary.model_validate(found)

    async def schedules(self) -> list[ScheduleInfo]:
        return [ScheduleInfo.model_validate(s) for s in await self._data("/schedules")]

    async def trigger_schedule(self, name: str) -> TriggerResult:
        self._refuse_if_read_only("Trigger")
        body = await self._request("POST", f"/schedules/{_seg(name)}/trigger")
        return TriggerResult.model_validate(body["data"])
