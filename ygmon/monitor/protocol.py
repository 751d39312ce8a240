"""The Monitor protocol: everything the UI and the CLI may ask of a backend.

Two implementations return the same typed models: LocalMonitor reads the database and
the job registry; RemoteMonitor calls the admin REST API. Optional abilities are
class-level flags, and every failure is a YgmonError (ygmon.errors).

The operator tools are declared in five parts (JobOperations, QueueOperations,
LiveControlOperations, AuditReading, AlertReading): each monitor holds one object per
part and passes those calls to it (ygmon.monitor.operator_parts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ygmon.job_history import HistoryWindow
from ygmon.monitor.coverage_schemas import DEFAULT_PERIODS

if TYPE_CHECKING:
    from ygmon.job_history import History
    from ygmon.job_latency import Latency, LatencyShare
    from ygmon.monitor.asset_schemas import AssetDetail
    from ygmon.monitor.audit_schemas import AuditRecord
    from ygmon.monitor.backfill_schemas import BackfillPlan, BackfillRequest
    from ygmon.monitor.coverage_schemas import AggregationCoverage
    from ygmon.monitor.job_search_schemas import BulkResult, BulkSelection, FailureGroup, JobQuery
    from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl
    from ygmon.monitor.queue_control_schemas import (
        AlertState,
        QueuePause,
        ScheduleInfo,
        TriggerResult,
    )
    from ygmon.monitor.replay_schemas import ReplayResult
    from ygmon.monitor.schemas import (
        AllWorkersHealth,
        JobDetail,
        JobState,
        JobSummary,
        LogQuery,
        MetricsAggregationJobLog,
        NotificationJobStats,
        Page,
        PreviewAsset,
        PreviewStatus,
        QueueStats,
        RetryResult,
        SearchIndexStats,
        WorkerInfo,
    )
    from ygmon.monitor.search_schemas import SearchIndexOverview, SearchResults


class JobOperations(Protocol):
    """The operator's tools over jobs: search, failures grouped by cause, bulk actions."""

    async def search_jobs(self, query: JobQuery) -> Page[JobSummary]:
        """Jobs matching `query` (ygmon.monitor.job_search_schemas), newest first;
        NotFoundError("Queue not found") for an unknown queue."""
        ...

    async def failure_groups(self, queue: str | None = None) -> list[FailureGroup]:
        """Failed jobs grouped by exception type and normalised message, largest first."""
        ...

    async def bulk_retry(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        """Retry the failed jobs `selection` names (a dry run only counts them);
        ReadOnlyError on a read-only backend unless `dry_run`."""
        ...

    async def bulk_discard(self, selection: BulkSelection, dry_run: bool) -> BulkResult:
        """Move the failed jobs `selection` names to cancelled (as bulk_retry)."""
        ...


class QueueOperations(Protocol):
    """Pause and resume a queue, its oldest waiting job, the periodic tasks."""

    async def pause_queue(self, queue: str) -> QueuePause:
        """Stop the queue's workers taking new jobs, on every host, until resumed
        (running jobs finish); NotFoundError("Queue not found"), ReadOnlyError."""
        ...

    async def resume_queue(self, queue: str) -> QueuePause: ...

    async def oldest_waiting(self, queue: str) -> JobSummary | None:
        """The job of `queue` that has waited longest, or None; NotFoundError."""
        ...

    async def schedules(self) -> list[ScheduleInfo]:
        """Every periodic task: cron, last run and outcome, next run, missed runs."""
        ...

    async def trigger_schedule(self, name: str) -> TriggerResult:
        """Enqueue periodic task `name` now, as its schedule would; ReadOnlyError,
        NotFoundError("Schedule not found")."""
        ...


class LiveControlOperations(Protocol):
    """How much runs, changed while workers run (ygmon.jobs.registry.live_controls):
    a queue's concurrency limit, a paused task, a task's rate limit. Every change is
    one audited action; ReadOnlyError on a read-only backend, NotFoundError("Queue not
    found") / ("Task not found") for a name no worker runs, InvalidQueryError naming
    the field (`limit`, `scope`, `perMinute`) for a value out of bounds
    (ygmon.monitor.live_control_schemas)."""

    async def live_controls(self) -> LiveControls:
        """The queues with a limit and every task with its pause and rate, with the
        waiting jobs of each paused task and the last minute's runs of each rate-limited
        one."""
        ...

    async def set_queue_limit(
        self, queue: str, limit: int, scope: str = "deployment"
    ) -> LimitState:
        """At most `limit` of the queue's jobs active across the deployment (scope
        "deployment") or on each host ("host")."""
        ...

    async def clear_queue_limit(self, queue: str) -> LimitState: ...

    async def pause_task(self, task: str) -> TaskControl:
        """The task's jobs wait, on every host, while its queue's other tasks run."""
        ...

    async def resume_task(self, task: str) -> TaskControl: ...

    async def set_task_rate(self, task: str, per_minute: int) -> TaskControl:
        """At most `per_minute` starts of the task in any minute across the deployment."""
        ...

    async def clear_task_rate(self, task: str) -> TaskControl: ...


class AuditReading(Protocol):
    async def audit_log(self, page: int = 1, page_size: int = 50) -> Page[AuditRecord]:
        """Recorded operator actions, newest first (ygmon.monitor.audit)."""
        ...


class AlertReading(Protocol):
    async def alerts(self) -> list[AlertState]:
        """The profile's alert rules (ygmon.alert_config) applied now, firing or not."""
        ...


@runtime_checkable
class Monitor(
    JobOperations, QueueOperations, LiveControlOperations, AuditReading, AlertReading, Protocol
):
    SUPPORTS_RETRY: bool
    """False on a read-only backend: retry() raises ReadOnlyError, the UI says why."""
    SUPPORTS_LOCAL_WORKER: bool
    """True when this machine runs the jobs, so the UI may start a worker."""
    READS_ARE_FREE: bool
    """True when a read costs no request against an API's rate limit, so the UI may
    read ahead of the user (ygmon.tui.warm_up); a remote backend's reads are budgeted."""

    async def health(self) -> AllWorkersHealth: ...

    async def queues(self) -> list[QueueStats]: ...

    async def workers(self) -> list[WorkerInfo]: ...

    async def search_index_stats(self) -> SearchIndexStats: ...

    async def notification_stats(self) -> NotificationJobStats: ...

    async def aggregation_logs(self, query: LogQuery) -> Page[MetricsAggregationJobLog]: ...

    async def aggregation_coverage(
        self, level: str | None = None, periods: int = DEFAULT_PERIODS
    ) -> AggregationCoverage:
        """The last `periods` closed periods of `level` (default: every level):
        aggregated, partial, failed, stale, running or missing (ygmon.monitor.coverage)."""
        ...

    async def jobs(
        self, queue: str, state: JobState | None = None, page: int = 1, page_size: int = 50
    ) -> Page[JobSummary]:
        """Jobs of one queue, newest first; `state=None` means every state."""
        ...

    async def failed_jobs(self, page: int = 1, page_size: int = 50) -> Page[JobSummary]:
        """Failed jobs across every queue, newest failure first."""
        ...

    async def job(self, queue: str, job_id: str) -> JobDetail: ...

    async def previews(
        self, status: PreviewStatus | None = None, page: int = 1, page_size: int = 50
    ) -> Page[PreviewAsset]: ...

    async def asset(self, asset_id: str) -> AssetDetail:
        """One asset with its signed media URLs; NotFoundError("Asset not found")."""
        ...

    async def asset_thumbnail(self, asset_id: str) -> bytes | None:
        """The asset's thumbnail JPEG, or None when it has none (yet)."""
        ...

    async def retry(self, queue: str, job_id: str) -> RetryResult: ...

    async def replay(
        self, queue: str, job_id: str, kwargs: dict[str, Any] | None, dry_run: bool = False
    ) -> ReplayResult:
        """Run a finished job again as a new job of its task, with `kwargs` (None: its
        own), linked to it both ways and recorded as one action; InvalidQueryError
        naming each argument the task does not declare or of the wrong type (nothing
        is enqueued), CannotRetryError for a job still waiting or running, ReadOnlyError
        (a dry run only checks, and is answered in read-only mode too)."""
        ...

    async def backfill(self, request: BackfillRequest, dry_run: bool = True) -> BackfillPlan:
        """Each period of the request's range with its coverage state and whether the
        mode runs it; unless `dry_run`, one `backfill` job that enqueues those runs
        oldest first, at most max_running at once (one audit record). NotFoundError
        for a task not keyed by a logged period, InvalidQueryError, ReadOnlyError."""
        ...

    async def history(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> History:
        """Completed and failed jobs and run times per queue and task over `window`
        (ygmon.job_history); NotFoundError("Queue not found") for an unknown queue."""
        ...

    async def latency(
        self,
        queue: str | None = None,
        task: str | None = None,
        window: HistoryWindow = HistoryWindow.HOUR,
    ) -> Latency:
        """Wait and run percentiles per queue and task, and each queue's depth and
        throughput per step, over `window` (ygmon.job_latency); NotFoundError("Queue not
        found") for an unknown queue."""
        ...

    async def latency_share(
        self, queue: str, kind: str, over_ms: float, minutes: int
    ) -> LatencyShare:
        """`queue`'s waits (kind "wait") or runs ("run") of the last `minutes` (1 to
        1440) and how many took longer than `over_ms`: what a latency target's burn
        rate reads. NotFoundError("Queue not found") for an unknown queue."""
        ...

    async def search(self, query: str, entity: str | None = None, limit: int = 20) -> SearchResults:
        """Ranked hits of the search index (a query with no word: no hits)."""
        ...

    async def search_index_overview(self) -> SearchIndexOverview:
        """Index size per entity and the last full reindex."""
        ...

    async def close(self) -> None: ...
