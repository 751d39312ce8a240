"""LocalMonitor: the Monitor over this machine's database and job registry.

The database is read with async SQLAlchemy; the registry is synchronous (it also runs in
Huey's worker threads), so its calls go through asyncio.to_thread. Both are opened on
first use, and a storage that cannot be reached becomes UnavailableError.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ygmon.config import LocalProfile
from ygmon.db import embedded, scheduled_posts
from ygmon.db.schema_head import HEAD_REVISION
from ygmon.errors import (
    NotFoundError,
    ReadOnlyError,
    SchemaBehindError,
    UnavailableError,
    YgmonError,
)
from ygmon.jobs import queue_pauses
from ygmon.jobs.queues import DIGEST_SCHEDULES, QUEUES_BY_NAME, next_run
from ygmon.monitor.alerts import AlertsMixin
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.audit import AuditTrail, audited
from ygmon.monitor.coverage_schemas import (
    DEFAULT_PERIODS,
    AggregationCoverage,
    check_coverage_query,
)
from ygmon.monitor.health import build_health, mail_errors
from ygmon.monitor.history import History, HistoryWindow
from ygmon.monitor.job_ops import LocalJobOps
from ygmon.monitor.queue_control import LocalQueueControl, with_pauses
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
)
from ygmon.monitor.search_schemas import SearchIndexOverview, SearchResults

if TYPE_CHECKING:
    from ygmon.db import Database

# SQLAlchemy, the models and Huey are imported where first used: the Overview's polls
# need none of them on an embedded database (ygmon.db.embedded), and together they
# cost the terminal app about three times a bare Textual app's start-up.

T = TypeVar("T")
# Held here: pydantic rebuilds a parametrized generic, schema and all, whenever its
# cache entry has been collected (about a millisecond a call).
JobPage = Page[JobSummary]

DIGEST_QUEUE = "notification-digest"
# The digest pipeline registers one task per frequency under these names; the registry
# keeps the last finish time per queue and task.
DIGEST_TASKS = {"daily": "digest-daily", "weekly": "digest-weekly"}


def unknown_queue(queue: str) -> NotFoundError:
    return NotFoundError("Queue not found")


def redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


class LocalMonitor(AuditTrail, LocalQueueControl, LocalJobOps, AlertsMixin):
    SUPPORTS_LOCAL_WORKER = True

    def __init__(
        self,
        profile: LocalProfile,
        clock: Callable[[], datetime] | None = None,
        *,
        read_only: bool | None = None,
    ) -> None:
        self.profile = profile
        self.clock = clock
        self.read_only = profile.read_only if read_only is None else read_only
        self.SUPPORTS_RETRY = not self.read_only
        self._db: Database | None = None
        self._db_lock = asyncio.Lock()
        self._runtime: Any = None
        self._runtime_lock = threading.Lock()
        self._reader: Any = None
        self._reader_lock = threading.Lock()
        self._embedded_path = embedded.sqlite_file(profile.database_url)
        self._signer: Any = None

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    # --- the two storages ---------------------------------------------------------

    async def database(self) -> Database:
        from ygmon.db import Database, is_sqlite
        from ygmon.db.migrate import current_revision, ensure_schema
        from ygmon.db.reachability import checked

        async with self._db_lock:
            if self._db is None:
                db = Database(self.profile.database_url)
                if is_sqlite(self.profile.database_url):
                    # The embedded default migrates itself on first use.
                    await checked(db, ensure_schema(db))
                else:
                    # Migrating a server database is a deliberate act: say so, rather
                    # than fail every query on a missing table.
                    revision = await checked(db, current_revision(db))
                    if revision != HEAD_REVISION:
                        await db.dispose()
                        raise SchemaBehindError(
                            f"the database {redact(self.profile.database_url)} is at revision "
                            f"{revision or 'none'} and ygmon reads {HEAD_REVISION}: "
                            "run 'ygmon db upgrade'"
                        )
                self._db = db
            return self._db

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(session)` in a read session; an unreachable database becomes
        UnavailableError (for readers beside the monitor, e.g. the API's user check)."""
        return await self._read(work)

    async def _read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        from ygmon.db.reachability import checked

        db = await self.database()

        async def run() -> T:
            async with db.reader() as session:
                return await work(session)

        return await checked(db, run())

    def _open_runtime(self) -> Any:
        with self._runtime_lock:
            if self._runtime is None:
                from ygmon.jobs.runtime import open_runtime

                self._runtime = open_runtime(self.profile, clock=self.clock)
            return self._runtime

    def _open_reader(self) -> Any:
        """The registry over its store alone, for reads: Huey loads only when a retry
        needs the runtime to put a job back."""
        with self._reader_lock:
            if self._reader is None:
                from ygmon.jobs.broker_url import make_store
                from ygmon.jobs.registry import JobRegistry

                store = make_store(self.profile.broker_url, self.profile.namespace)
                self._reader = JobRegistry(
                    store, lambda record: self._open_runtime()._requeue(record), self.clock
                )
            return self._reader

    async def _registry(self, call: Callable[[Any], T], *, runtime: bool = False) -> T:
        def work() -> T:
            try:
                return call(self._open_runtime().registry if runtime else self._open_reader())
            except YgmonError:
                raise
            except (OSError, sqlite3.Error) as exc:
                raise UnavailableError(f"cannot reach the job registry: {exc}") from exc
            except Exception as exc:
                if type(exc).__module__.startswith("redis"):
                    raise UnavailableError(f"cannot reach the job registry: {exc}") from exc
                raise

        return await asyncio.to_thread(work)

    # --- the Monitor protocol -----------------------------------------------------

    async def health(self) -> AllWorkersHealth:
        workers = await self.workers()
        # Heartbeats carry the store's time (ygmon.jobs.store_clock): judge them by it,
        # not by this host's clock.
        errors, stamp, paused = await self._registry(
            lambda registry: (
                mail_errors(self.profile),
                registry.now(),
                set(queue_pauses.paused_queues(registry.store)),
            )
        )
        now = datetime.fromtimestamp(stamp, UTC)
        if self._embedded_path is not None:
            posts = await asyncio.to_thread(embedded.scheduled_posts, self._embedded_path)
            if posts is not None:
                return build_health(workers, now, self.profile.stalled_after, posts, errors, paused)

        posts = await self._read(scheduled_posts.count)
        return build_health(workers, now, self.profile.stalled_after, posts, errors, paused)

    async def queues(self) -> list[QueueStats]:
        return await self._registry(lambda r: with_pauses(r.queue_stats(), r.store))

    async def workers(self) -> list[WorkerInfo]:
        return await self._registry(lambda r: r.workers())

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
        last = await self._registry(
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

        return await self._read(lambda s: queries.aggregation_logs(s, query))

    async def aggregation_coverage(
        self, level: str | None = None, periods: int = DEFAULT_PERIODS
    ) -> AggregationCoverage:
        from ygmon.monitor.coverage import aggregation_coverage

        chosen = check_coverage_query(level, periods)
        now = self.now()
        return await self._read(lambda s: aggregation_coverage(s, now, chosen, periods))

    async def jobs(
        self, queue: str, state: JobState | None = None, page: int = 1, page_size: int = 50
    ) -> Page[JobSummary]:
        if queue not in QUEUES_BY_NAME:
            raise unknown_queue(queue)
        rows, total = await self._registry(
            lambda r: r.list_jobs(queue, state, (page - 1) * page_size, page_size)
        )
        return JobPage(data=rows, pagination=Pagination.of(page, page_size, total))

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History:
        if queue is not None and queue not in QUEUES_BY_NAME:
            raise unknown_queue(queue)
        return await self._registry(lambda r: r.history(HistoryWindow(window), queue, task))

    async def failed_jobs(self, page: int = 1, page_size: int = 50) -> Page[JobSummary]:
        rows, total = await self._registry(
            lambda r: r.list_jobs(None, JobState.FAILED, (page - 1) * page_size, page_size)
        )
        return JobPage(data=rows, pagination=Pagination.of(page, page_size, total))

    async def job(self, queue: str, job_id: str) -> JobDetail:
        detail = await self._registry(lambda r: r.get_job(job_id))
        if detail.queue != queue:
            raise NotFoundError("Job not found")
        return detail

    async def previews(
        self, status: PreviewStatus | None = None, page: int = 1, page_size: int = 50
    ) -> Page[PreviewAsset]:
        from ygmon.monitor import queries

        url_of = self.media_url
        return await self._read(lambda s: queries.previews(s, status, page, page_size, url_of))

    def media_signer(self) -> Any:
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

        return await self._read(lambda s: asset_queries.asset(s, asset_id, self.media_url))

    async def asset_thumbnail(self, asset_id: str) -> bytes | None:
        from ygmon.monitor import asset_queries

        key = await self._read(lambda s: asset_queries.thumbnail_key(s, asset_id))
        return await asyncio.to_thread(asset_queries.read_media, self.profile, key)

    @audited("retry")
    async def retry(self, queue: str, job_id: str) -> RetryResult:
        if self.read_only:
            raise ReadOnlyError.refusing("Retry")
        detail = await self._registry(lambda r: r.retry(queue, job_id), runtime=True)
        return RetryResult(job_id=detail.id)

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

    async def close(self) -> None:
        if self._db is not None:
            await self._db.dispose()
            self._db = None
        runtime, self._runtime = self._runtime, None
        if runtime is not None:
            await asyncio.to_thread(runtime.close)
        reader, self._reader = self._reader, None
        if reader is not None:
            await asyncio.to_thread(reader.close)
