"""The topics of the live feed: what the screens poll, named, read and decoded in one place.

The server's stream (GET /api/admin/jobs/stream) and its batched snapshot send each
topic as the JSON its polled endpoint answers (`data` of the envelope); the remote
monitor keeps the latest value of each and answers the screens from it. `failedCount`
is the `pagination.total` of GET /failed.

A topic may carry the read's own clock (`clock`: the schedules' `checked_at`, the backend's
time when they were judged): it is no change of what the topic says (`steady` leaves it
out), and a copy held since the read moves it on by the time held (`rebase`), so a screen
reckoning the backend's time from it is not set back by the copy's age.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ygmon.job_history import History
from ygmon.monitor.live_control_schemas import LiveControls
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
    kind: Any
    """The type of the topic's value (a model, or a list of one)."""
    endpoint: str
    """The polled endpoint whose `data` this topic equals (tests compare them)."""
    clock: str | None = None
    """The attribute of each item (a list topic's) that holds the read's own time."""

    def steady(self, value: Any) -> Any:
        """The value without the read's clock: equal when it says the same."""
        if self.clock is None:
            return value
        return [item.model_copy(update={self.clock: _NO_TIME}) for item in value]

    def rebase(self, value: Any, seconds: float) -> Any:
        """The value held `seconds` since its read, its clock moved on by them (whole
        seconds: a copy younger than one is the read itself)."""
        if self.clock is None or seconds < 1:
            return value
        moved = timedelta(seconds=int(seconds))
        return [
            item.model_copy(update={self.clock: getattr(item, self.clock) + moved})
            for item in value
        ]

    def to_json(self, value: Any) -> Any:
        return _adapter(self.kind).dump_python(value, mode="json", by_alias=True)

    def decode(self, data: Any) -> Any:
        return _adapter(self.kind).validate_python(data)


@functools.cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    # Built at first use, not at import: building every topic's schema cost the app's
    # launch a tenth of its time before the first screen (bench tui).
    return TypeAdapter(kind)


_NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)


async def _failed_count(monitor: Monitor) -> int:
    return (await monitor.failed_jobs(page=1, page_size=1)).pagination.total


TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic("health", lambda m: m.health(), AllWorkersHealth, "/health"),
        Topic("queues", lambda m: m.queues(), list[QueueStats], "/queues"),
        Topic("workers", lambda m: m.workers(), list[WorkerInfo], "/workers"),
        Topic(
            "notificationStats",
            lambda m: m.notification_stats(),
            NotificationJobStats,
            "/notifications/stats",
        ),
        Topic(
            "searchIndexStats",
            lambda m: m.search_index_stats(),
            SearchIndexStats,
            "/search-index/stats",
        ),
        Topic(
            "searchIndexOverview",
            lambda m: m.search_index_overview(),
            SearchIndexOverview,
            "/search-index/overview",
        ),
        Topic("history", lambda m: m.history(), History, "/history"),
        Topic("alerts", lambda m: m.alerts(), list[AlertState], "/alerts"),
        Topic(
            "schedules",
            lambda m: m.schedules(),
            list[ScheduleInfo],
            "/schedules",
            clock="checked_at",
        ),
        Topic("failedCount", _failed_count, int, "/failed"),
        Topic("liveControls", lambda m: m.live_controls(), LiveControls, "/controls"),
    )
}
