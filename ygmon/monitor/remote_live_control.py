"""Live control for RemoteMonitor: the routes of ygmon.api.routes_live_control, through
the admin API (ygmon.monitor.admin_api). The listing is a topic of the server's stream
(ygmon.monitor.live_topics), read as RemoteMonitor reads every topic. A read-only
profile refuses changes before sending them; a read-only server answers 403 with its
reason, raised as ReadOnlyError."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ygmon.errors import ReadOnlyError
from ygmon.monitor.admin_api import AdminApi, Json, segment
from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl


@dataclass(eq=False)
class RemoteLiveControl:
    api: AdminApi
    read_only: bool
    held: Callable[[str], Awaitable[Any]]
    """A live topic by name: from the stream's copy, else from its endpoint."""

    async def _send(self, action: str, method: str, path: str, body: Json = None) -> Json:
        if self.read_only:
            raise ReadOnlyError.refusing(action, "profile")
        return (await self.api.request(method, path, json=body))["data"]

    async def live_controls(self) -> LiveControls:
        return await self.held("liveControls")

    async def set_queue_limit(
        self, queue: str, limit: int, scope: str = "deployment"
    ) -> LimitState:
        body = {"limit": limit, "scope": scope}
        data = await self._send("Limit", "PUT", f"/queues/{segment(queue)}/limit", body)
        return LimitState.model_validate(data)

    async def clear_queue_limit(self, queue: str) -> LimitState:
        data = await self._send("Clear limit", "DELETE", f"/queues/{segment(queue)}/limit")
        return LimitState.model_validate(data)

    async def _task(self, action: str, method: str, task: str, tail: str, body: Json = None):
        data = await self._send(action, method, f"/tasks/{segment(task)}/{tail}", body)
        return TaskControl.model_validate(data)

    async def pause_task(self, task: str) -> TaskControl:
        return await self._task("Pause task", "POST", task, "pause")

    async def resume_task(self, task: str) -> TaskControl:
        return await self._task("Resume task", "POST", task, "resume")

    async def set_task_rate(self, task: str, per_minute: int) -> TaskControl:
        return await self._task("Rate", "PUT", task, "rate", {"perMinute": per_minute})

    async def clear_task_rate(self, task: str) -> TaskControl:
        return await self._task("Clear rate", "DELETE", task, "rate")
