"""The local monitor on the same change feed as the server's stream: the live topics
(ygmon.monitor.live_topics) read at most once per interval (ygmon.monitor.change_feed)
and every screen, the alert watch and the status bar answered from that one read, as the
remote monitor answers them from its copy of the stream. Local and remote screens so see
the same thing: values as fresh as the feed's interval, the schedules' clock moved on.

What is not a topic (a job list, a job, a log page, a search) is read as before, and so
is a topic whose last read failed, so its error reaches the screen.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ygmon.job_history import History, HistoryWindow
from ygmon.monitor import schemas
from ygmon.monitor.change_feed import READ_EVERY, ChangeFeed
from ygmon.monitor.job_search_schemas import BulkResult, BulkSelection
from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.queue_control_schemas import (
    AlertState,
    QueuePause,
    ScheduleInfo,
    TriggerResult,
)
from ygmon.monitor.search_schemas import SearchIndexOverview

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor

T = TypeVar("T")


class _Direct:
    """The monitor's own reads past its feed, for the feed to read a topic with: the
    topic's own method is LocalMonitor's, while what it asks in turn (health asks for
    the workers) goes through the feed, so one read serves both."""

    def __init__(self, monitor: LiveLocalMonitor) -> None:
        self._monitor = monitor

    def __getattr__(self, name: str) -> Any:
        return getattr(super(LiveLocalMonitor, self._monitor), name)


class LiveLocalMonitor(LocalMonitor):
    _finished: int | None = None
    """Jobs finished at the last read of the queues: when it moves, the feed forgets its reads."""

    @functools.cached_property
    def feed(self) -> ChangeFeed:
        # Every topic each interval: a local read is cheap enough not to hold the slower
        # ones back as the server does for its many viewers.
        direct = cast("Monitor", _Direct(self))
        return ChangeFeed(direct, READ_EVERY, slow_every=READ_EVERY, keep_log=False)

    async def _held(self, topic: str, direct: Callable[[], Awaitable[Any]]) -> Any:
        await self.feed.fresh([topic])
        held = self.feed.value(topic)
        return await direct() if held is None else held

    def read_anew(self) -> None:
        """The next ask of every topic reads the backend (ctrl+r: the user wants now)."""
        self.feed.forget()

    async def _acted(self, action: Awaitable[T]) -> T:
        """An action of this monitor's: what it changed shows at the next read, not
        up to an interval later."""
        try:
            return await action
        finally:
            self.feed.forget()

    async def retry(self, queue: str, job_id: str) -> schemas.RetryResult:
        return await self._acted(super().retry(queue, job_id))

    async def bulk_retry(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._acted(super().bulk_retry(selection, dry_run))

    async def bulk_discard(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        return await self._acted(super().bulk_discard(selection, dry_run))

    async def pause_queue(self, queue: str) -> QueuePause:
        return await self._acted(super().pause_queue(queue))

    async def resume_queue(self, queue: str) -> QueuePause:
        return await self._acted(super().resume_queue(queue))

    async def trigger_schedule(self, name: str) -> TriggerResult:
        return await self._acted(super().trigger_schedule(name))

    async def set_queue_limit(
        self, queue: str, limit: int, scope: str = "deployment"
    ) -> LimitState:
        return await self._acted(super().set_queue_limit(queue, limit, scope))

    async def clear_queue_limit(self, queue: str) -> LimitState:
        return await self._acted(super().clear_queue_limit(queue))

    async def pause_task(self, task: str) -> TaskControl:
        return await self._acted(super().pause_task(task))

    async def resume_task(self, task: str) -> TaskControl:
        return await self._acted(super().resume_task(task))

    async def set_task_rate(self, task: str, per_minute: int) -> TaskControl:
        return await self._acted(super().set_task_rate(task, per_minute))

    async def clear_task_rate(self, task: str) -> TaskControl:
        return await self._acted(super().clear_task_rate(task))

    async def live_controls(self) -> LiveControls:
        return await self._held("liveControls", super().live_controls)

    async def health(self) -> schemas.AllWorkersHealth:
        return await self._held("health", super().health)

    async def queues(self) -> list[schemas.QueueStats]:
        found = await self._held("queues", super().queues)
        finished = sum(q.completed + q.failed for q in found)
        if self._finished is not None and finished != self._finished:
            # A job finished: what jobs write (the index, the stats, the history) may have
            # changed since those topics were read, so a screen that reads them now, as
            # the Overview does the index once a search job finished, gets a new read.
            self.feed.forget(keep=frozenset({"queues"}))
        self._finished = finished
        return found

    async def workers(self) -> list[schemas.WorkerInfo]:
        return await self._held("workers", super().workers)

    async def search_index_stats(self) -> schemas.SearchIndexStats:
        return await self._held("searchIndexStats", super().search_index_stats)

    async def notification_stats(self) -> schemas.NotificationJobStats:
        return await self._held("notificationStats", super().notification_stats)

    async def search_index_overview(self) -> SearchIndexOverview:
        return await self._held("searchIndexOverview", super().search_index_overview)

    async def schedules(self) -> list[ScheduleInfo]:
        return await self._held("schedules", super().schedules)

    async def alerts(self) -> list[AlertState]:
        return await self._held("alerts", super().alerts)

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History:
        if queue is None and task is None and window == HistoryWindow.HOUR:
            return await self._held("history", super().history)
        return await super().history(queue, task, window)
