"""The topics of the live feed: what the screens poll, named, read and decoded in one place.

The server's stream (GET /api/admin/jobs/stream) and its batched snapshot send each
topic as the JSON its polled endpoint answers (`data` of the envelope); the remote
monitor keeps the latest value of each and answers the screens from it. `failedCount`
is the `pagination.total` of GET /failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ygmon.errors import YgmonError
from ygmon.job_history import History
from ygmon.monitor.queue_control_schemas import AlertState, ScheduleInfo
from ygmon.monitor.schemas import (
    AllWorkersHealth,
    NotificationJobStats,
    QueueStats,
    SearchIndexStats,
    WorkerInfo,
)
from ygmon.monitor.search_schemas import SearchIndexOverview

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor


@dataclass(frozen=True)
class Topic:
    name: str
    read: Callable[[Monitor], Awaitable[Any]]
    shape: TypeAdapter[Any]
    endpoint: str
    """The polled endpoint whose `data` this topic equals (tests compare them)."""

    def to_json(self, value: Any) -> Any:
        return self.shape.dump_python(value, mode="json", by_alias=True)

    def decode(self, data: Any) -> Any:
        return self.shape.validate_python(data)


async def _failed_count(monitor: Monitor) -> int:
    return (await monitor.failed_jobs(page=1, page_size=1)).pagination.total


TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic("health", lambda m: m.health(), TypeAdapter(AllWorkersHealth), "/health"),
        Topic("queues", lambda m: m.queues(), TypeAdapter(list[QueueStats]), "/queues"),
        Topic("workers", lambda m: m.workers(), TypeAdapter(list[WorkerInfo]), "/workers"),
        Topic(
            "notificationStats",
            lambda m: m.notification_stats(),
            TypeAdapter(NotificationJobStats),
            "/notifications/stats",
        ),
        Topic(
            "searchIndexStats",
            lambda m: m.search_index_stats(),
            TypeAdapter(SearchIndexStats),
            "/search-index/stats",
        ),
        Topic(
            "searchIndexOverview",
            lambda m: m.search_index_overview(),
            TypeAdapter(SearchIndexOverview),
            "/search-index/overview",
        ),
        Topic("history", lambda m: m.history(), TypeAdapter(History), "/history"),
        Topic("alerts", lambda m: m.alerts(), TypeAdapter(list[AlertState]), "/alerts"),
        Topic("schedules", lambda m: m.schedules(), TypeAdapter(list[ScheduleInfo]), "/schedules"),
        Topic("failedCount", _failed_count, TypeAdapter(int), "/failed"),
    )
}


async def read_topics(monitor: Monitor, names: list[str]) -> dict[str, Any]:
    """Each topic's JSON now, read concurrently; a topic whose read fails (a search
    index that cannot be reached) is left out, so one part cannot hide the others."""
    results = await asyncio.gather(
        *(TOPICS[n].read(monitor) for n in names), return_exceptions=True
    )
    out: dict[str, Any] = {}
    for name, result in zip(names, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, YgmonError):
                raise result
            continue
        out[name] = TOPICS[name].to_json(result)
    return out
