"""LocalMonitor: the Monitor over this machine's database and job registry (opened as
ygmon.monitor.local_storages says).

The operator tools are parts LocalMonitor holds (ygmon.monitor.operator_parts): the
audit trail, job operations, queue control, live control and alerts, each given this
monitor through the narrow protocol of what it uses (ygmon.monitor.local_access,
ygmon.monitor.alerts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ygmon.config import LocalProfile
from ygmon.db import embedded, scheduled_posts
from ygmon.errors import NotFoundError, ReadOnlyError
from ygmon.job_history import HistoryWindow
from ygmon.job_latency import LatencyShare, check_share
from ygmon.jobs.registry import queue_pauses
from ygmon.monitor.alerts import Alerts
from ygmon.monitor.audit import AuditTrail, audited
from ygmon.monitor.coverage_schemas import DEFAULT_PERIODS, check_coverage_query
from ygmon.monitor.health import build_health, judged, mail_errors
from ygmon.monitor.job_ops import LocalJobOps
from ygmon.monitor.live_control import LocalLiveControl
from ygmon.monitor.local_storages import LocalStorages
from ygmon.monitor.operator_parts import OperatorParts
from ygmon.monitor.queue_control import LocalQueueControl, paused_stats
from ygmon.monitor.registry_moment import RegistryMoment, SharedRead
from ygmon.monitor.schemas import (
    AllWorkersHealth,
    DigestRuns,
    JobDetail,
    JobState,
    JobSummary,
    LogQuery,
    MetricsAggregationJobLog,
    NotificationJobStats,
    Page,
    Pagination,
    PreviewAsset,
    PreviewStatus,
    QueueStats,
    RetryResult,
    SearchIndexStats,
    WorkerInfo,
    page_of,
)
from ygmon.queues import DIGEST_SCHEDULES, QUEUES_BY_NAME, next_run

if TYPE_CHECKING:
    from ygmon.jobs.registry.job_registry import JobRegistry
    from ygmon.jobs.runtime import JobRuntime
    from ygmon.monitor.asset_schemas import AssetDetail
    from ygmon.monitor.backfill_schemas import BackfillPlan, BackfillRequest
    from ygmon.monitor.coverage_schemas import AggregationCoverage
    from ygmon.monitor.replay_schemas import ReplayResult
    from ygmon.monitor.search_schemas import SearchIndexOverview, SearchResults
    from ygmon.storage.signing import Signer

T = TypeVar("T")

# SQLAlchemy, the models and Huey are imported where first used: the Overview's polls
# need none of them on an embedded database (ygmon.db.embedded), and together they
# cost the terminal app about three times a bare Textual app's start-up.


DIGEST_QUEUE = "notification-digest"
# The digest pipeline registers one task per frequency under these names; the registry
# keeps the last finish time per queue and task.
DIGEST_TASKS = {"daily": "digest-daily", "weekly": "digest-weekly"}


def unknown_queue(queue: str) -> NotFoundError:
    return NotFoundError("Queue not found")


def _window_answer(name: str) -> Callable[..., Awaitable[Any]]:
    """The method that answers Monitor's `name` (history, latency) with the registry's
    answer of that name over a window: one queue (checked, as every local method checks
    one) or all."""

    async def answer(
        self: LocalMonitor,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> Any:
        if queue is not None and queue not in QUEUES_BY_NAME:
            raise unknown_queue(queue)
        read = HistoryWindow(window)
        return await self.in_registry(lambda r: getattr(r, name)(read, queue, task))

    answer.__name__ = name
    return answer


class LocalMonitor(LocalStorages, OperatorParts):
    SUPPORTS_LOCAL_WORKER = True
    READS_ARE_FREE = True

    def __init__(
        self,
        profile: LocalProfile,
        clock: Callable[[], datetime] | None = None,
        *,
        read_only: bool | None = None,
    ) -> None:
        LocalStorages.__init__(self, profile, clock)
        self.read_only = profile.read_only if read_only is None else read_only
        self.SUPPORTS_RETRY = not self.read_only
        self._embedded_path = embedded.sqlite_file(profile.database_url)
        self._signer: Signer | None = None
        self._moment = SharedRead(self._read_moment)
        self.audit_trail = AuditTrail(self, self.now)
        OperatorParts.__init__(
            self,
            job_ops=LocalJobOps(self, self.audit_trail, self.read_only),
            queue_control=LocalQueueControl(
                self, self.audit_trail, self.read_only, profile.schedule_grace
            ),
            live_control=LocalLiveControl(self, self.audit_trail, self.read_only),
            audit=self.audit_trail,
            alert_checks=Alerts(self, profile.alerts, self.now, profile.slo),
        )

    # --- the Monitor protocol -----------------------------------------------------

    async def in_registry(self, call: Callable[[JobRegistry], T]) -> T:
        self._moment.other_call()
        return await super().in_registry(call)

    async def in_runtime(self, call: Callable[[JobRuntime], T]) -> T:
        self._moment.other_call()
        return await super().in_runtime(call)

    async def _read_moment(self) -> RegistryMoment:
        """Workers, running jobs, counts and pauses in one read (ygmon.monitor.registry_moment)."""

        def read(r: JobRegistry) -> RegistryMoment:
            return RegistryMoment(
                r.workers(),
                r.now(),
                r.running_per_worker(),
                r.queue_stats(),
                queue_pauses.paused_queues(r.store),
            )

        return await self._in_thread(lambda: read(self._open_reader()))

    async def health(self) -> AllWorkersHealth:
        moment = await self._moment.get()
        workers = self._judged(moment)
        errors = mail_errors(self.profile)
        posts, why = None, None
        if self._embedded_path is not None:
            posts = await asyncio.to_thread(embedded.scheduled_posts, self._embedded_path)
        if posts is None:
            posts, why = await scheduled_posts.count_or_reason(self.read(scheduled_posts.count))
        return build_health(workers, posts, errors, moment.paused, why)

    async def queues(self) -> list[QueueStats]:
        moment = await self._moment.get()
        return paused_stats(moment.stats, moment.paused)

    async def workers(self) -> list[WorkerInfo]:
        return self._judged(await self._moment.get())

    def _judged(self, moment: RegistryMoment) -> list[WorkerInfo]:
        # Heartbeats carry the store's time (ygmon.jobs.registry.clock): judge them by it,
        # not by this host's clock.
        at = datetime.fromtimestamp(moment.store_now, UTC)
        return [
            w.model_copy(update={"running": moment.running.get(w.id, 0)})
            for w in judged(moment.workers, at, self.profile)
        ]

    async def _counts(self, names: list[str]) -> dict[str, QueueStats]:
        stats = {q.name: q for q in await self.queues()}
        return {n: stats.get(n, QueueStats(name=n)) for n in names}

    async def search_index_stats(self) -> SearchIndexStats:
        c = await self._counts(["search-index-update", "search-index-bulk", "search-index-reindex"])
        return SearchIndexStats(
            realtime=c["search-index-update"].counts(),
            bulk=c["search-index-bulk"].counts(),
            reindex=c["search-index-reindex"].counts(),
        )

    async def notification_stats(self) -> NotificationJobStats:
        delivery = (await self._counts(["notification-delivery"]))["notification-delivery"]
        last = await self.in_registry(
            lambda r: {k: r.last_finished(DIGEST_QUEUE, t) for k, t in DIGEST_TASKS.items()}
        )
        now = self.now()
        return NotificationJobStats(
            delivery=delivery.counts(),
            digest=DigestRuns(
                last_daily_run=last["daily"],
                last_weekly_run=last["weekly"],
                next_daily_run=next_run(DIGEST_SCHEDULES["daily"], now),
                next_weekly_run=next_run(DIGEST_SCHEDULES["weekly"], now),
            ),
        )

    async def aggregation_logs(self, query: LogQuery) -> Page[MetricsAggregationJobLog]:
        from ygmon.monitor import queries

        return await self.read(lambda s: queries.aggregation_logs(s, query))

    async def aggregation_coverage(
        self, level: str | None = None, periods: int = DEFAULT_PERIODS
    ) -> AggregationCoverage:
        from ygmon.monitor.coverage import aggregation_coverage

        chosen = check_coverage_query(level, periods)
        now = self.now()
        return await self.read(lambda s: aggregation_coverage(s, now, chosen, periods))

    async def jobs(
        self, queue: str, state: JobState | None = None, page: int = 1, page_size: int = 50
    ) -> Page[JobSummary]:
        if queue not in QUEUES_BY_NAME:
            raise unknown_queue(queue)
        rows, total = await self.in_registry(
            lambda r: r.list_jobs(queue, state, (page - 1) * page_size, page_size)
        )
        return page_of(JobSummary)(data=rows, pagination=Pagination.of(page, page_size, total))

    history = _window_answer("history")
    """Monitor.history: JobRegistry.history of the queue (or all) over the window."""
    latency = _window_answer("latency")
    """Monitor.latency: JobRegistry.latency of the queue (or all) over the window."""

    async def latency_share(
        self, queue: str, kind: str, over_ms: float, minutes: int
    ) -> LatencyShare:
        if queue not in QUEUES_BY_NAME:
            raise unknown_queue(queue)
        check_share(kind, over_ms, minutes)
        return await self.in_registry(lambda r: r.latency_share(queue, kind, over_ms, minutes))

    async def failed_jobs(self, page: int = 1, page_size: int = 50) -> Page[JobSummary]:
        rows, total = await self.in_registry(
            lambda r: r.list_jobs(None, JobState.FAILED, (page - 1) * page_size, page_size)
        )
        return page_of(JobSummary)(data=rows, pagination=Pagination.of(page, page_size, total))

    async def job(self, queue: str, job_id: str) -> JobDetail:
        from ygmon.jobs.registry import replays

        detail, links = await self.in_registry(
            lambda r: (r.get_job(job_id), replays.links_of(r.store, job_id))
        )
        if detail.queue != queue:
            raise NotFoundError("Job not found")
        if links.replay_of or links.replayed_as:
            detail = detail.model_copy(update=links._asdict())
        return detail

    async def previews(
        self, status: PreviewStatus | None = None, page: int = 1, page_size: int = 50
    ) -> Page[PreviewAsset]:
        from ygmon.monitor import queries

        url_of = self.media_url
        return await self.read(lambda s: queries.previews(s, status, page, page_size, url_of))

    def media_signer(self) -> Signer:
        """The profile's media URL signer (ygmon.storage.signing.Signer)."""
        if self._signer is None:
            from ygmon.storage.factory import signer_for

            self._signer = signer_for(self.profile)
        return self._signer

    def media_url(self, key: str) -> str:
        """The signed URL of a storage key, valid from this monitor's clock."""
        return self.media_signer().url(key, now=self.now().timestamp())

    async def asset(self, asset_id: str) -> AssetDetail:
        from ygmon.monitor import asset_queries

        return await self.read(lambda s: asset_queries.asset(s, asset_id, self.media_url))

    async def asset_thumbnail(self, asset_id: str) -> bytes | None:
        from ygmon.monitor import asset_queries

        key = await self.read(lambda s: asset_queries.thumbnail_key(s, asset_id))
        return await asyncio.to_thread(asset_queries.read_media, self.profile, key)

    @audited("retry")
    async def retry(self, queue: str, job_id: str) -> RetryResult:
        if self.read_only:
            raise ReadOnlyError.refusing("Retry")
        detail = await self.in_runtime(lambda rt: rt.registry.retry(queue, job_id))
        return RetryResult(job_id=detail.id)

    async def replay(
        self, queue: str, job_id: str, kwargs: dict[str, Any] | None, dry_run: bool = False
    ) -> ReplayResult:
        from ygmon.monitor.replay import replay_in, replay_target

        def work() -> Awaitable[ReplayResult]:
            if self.read_only and not dry_run:
                raise ReadOnlyError.refusing("Replay")
            return self.in_runtime(lambda rt: replay_in(rt, queue, job_id, kwargs, dry_run))

        if dry_run:  # changes nothing: answered in read-only mode too, and not recorded
            return await work()
        return await self.audit_trail.run_audited(
            "replay",
            replay_target(queue, job_id),
            work,
            done_target=lambda result: replay_target(queue, job_id, result),
        )

    async def backfill(self, request: BackfillRequest, dry_run: bool = True) -> BackfillPlan:
        from ygmon.monitor import backfill as planning

        cap = request.max_running or self.profile.backfill_max_running

        async def work() -> BackfillPlan:
            if self.read_only and not dry_run:
                raise ReadOnlyError.refusing("Backfill")
            now = self.now()
            planned = await self.read(lambda s: planning.plan(s, request, now, cap))
            if dry_run or not planned.to_run:
                return planned.model_copy(update={"dry_run": dry_run})
            runs = [
                planning.run_arguments(planned.level, s) for s in planned.slots if s.action == "run"
            ]
            job_id = await self.in_runtime(
                lambda rt: rt.enqueue("backfill", name=request.name, runs=runs, max_running=cap)
            )
            return planned.model_copy(update={"dry_run": False, "job_id": job_id})

        if dry_run:  # reads only: answered in read-only mode too, and not recorded
            return await work()
        return await self.audit_trail.run_audited(
            "backfill",
            planning.target(request),
            work,
            done_target=lambda result: planning.target(request, result),
        )

    async def search(self, query: str, entity: str | None = None, limit: int = 20) -> SearchResults:
        from ygmon.db.reachability import checked
        from ygmon.monitor.search import run_search

        db = await self.database()
        return await checked(db, run_search(db, query, entity, limit))

    async def search_index_overview(self) -> SearchIndexOverview:
        from ygmon.db.reachability import checked
        from ygmon.monitor.search import index_overview

        db = await self.database()
        return await checked(db, index_overview(db))
