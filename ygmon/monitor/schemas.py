"""The typed models of the contract, one set for the API server, its client and the UI.

Field names serialise in the contract's camelCase; timestamps as ISO 8601 UTC strings
with millisecond precision (what JavaScript's toISOString gives), and are truncated to
milliseconds on the way in too, so a value read locally equals the same value read
through the API.
"""

from __future__ import annotations

import enum
import math
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_serializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

from ygmon.enums import AggregationJobStatus
from ygmon.timestamps import iso, to_utc_ms

Timestamp = Annotated[
    datetime, AfterValidator(to_utc_ms), PlainSerializer(iso, return_type=str, when_used="json")
]


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        from_attributes=True,
        frozen=True,
    )

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape (camelCase, ISO strings)."""
        return self.model_dump(mode="json", by_alias=True)


class _OmitNone(CamelModel):
    """Optional fields the contract marks with `?` are left out, not sent as null."""

    @model_serializer(mode="wrap")
    def _drop_none(self, handler: Any) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


# --- queues and jobs -----------------------------------------------------------------


class JobState(enum.StrEnum):
    WAITING = "waiting"
    DELAYED = "delayed"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class QueueCounts(CamelModel):
    """The contract's `{waiting, active, completed, failed}` object."""

    waiting: int = 0
    active: int = 0
    completed: int = 0
    failed: int = 0


class QueueStats(QueueCounts):
    """One queue's counts (extension `GET /api/admin/jobs/queues`)."""

    name: str
    delayed: int = 0
    paused: bool = False
    """Its workers take no new job (ygmon.jobs.queue_pauses)."""
    paused_at: Timestamp | None = None

    @model_serializer(mode="wrap")
    def _pause_when_paused(self, handler: Any) -> dict[str, Any]:
        # Only a paused queue carries the two keys: the listing stays as it was.
        dumped = handler(self)
        if not self.paused:
            for key in ("paused", "pausedAt", "paused_at"):
                dumped.pop(key, None)
        return dumped

    def counts(self) -> QueueCounts:
        return QueueCounts(
            waiting=self.waiting, active=self.active, completed=self.completed, failed=self.failed
        )


class JobSummary(CamelModel):
    """One job as the lists show it."""

    id: str
    queue: str
    task: str
    state: JobState
    attempts_made: int = 0
    attempts_allowed: int = 1
    progress: int | None = None
    enqueued_at: Timestamp
    started_at: Timestamp | None = None
    finished_at: Timestamp | None = None
    worker_id: str | None = None
    error_message: str | None = None


class JobDetail(JobSummary):
    """One job with everything needed to understand or rerun it."""

    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    error_stack: str | None = None
    stalled_count: int = 0
    result: Any = None


class RetryResult(CamelModel):
    """The contract's RetryJobResponse `data`."""

    job_id: str
    status: str = "retried"


# --- health --------------------------------------------------------------------------


class WorkerStatus(_OmitNone):
    is_running: bool
    error: str | None = None
    paused: bool | None = None
    """True for a paused queue (an extension: absent otherwise)."""


class WorkerHealth(_OmitNone):
    healthy: bool
    workers: dict[str, WorkerStatus] | None = None
    scheduled_jobs: int | None = None


class AllWorkersHealth(CamelModel):
    """`data` of GET /api/admin/jobs/health: `healthy` beside one key per worker group."""

    healthy: bool
    groups: dict[str, WorkerHealth]

    @model_validator(mode="before")
    @classmethod
    def _unflatten(cls, data: Any) -> Any:
        if isinstance(data, dict) and "groups" not in data:
            return {
                "healthy": data.get("healthy"),
                "groups": {k: v for k, v in data.items() if k != "healthy"},
            }
        return data

    @model_serializer(mode="wrap")
    def _flatten(self, handler: Any) -> dict[str, Any]:
        dumped = handler(self)
        return {"healthy": dumped["healthy"], **dumped["groups"]}


class WorkerInfo(CamelModel):
    """A worker process as its heartbeat registered it."""

    id: str
    host: str
    pid: int
    queues: list[str]
    concurrency: int
    started_at: Timestamp
    last_heartbeat: Timestamp


# --- search index and notifications --------------------------------------------------


class SearchIndexStats(CamelModel):
    realtime: QueueCounts
    bulk: QueueCounts
    reindex: QueueCounts


class DigestRuns(_OmitNone):
    last_daily_run: Timestamp | None = None
    last_weekly_run: Timestamp | None = None
    next_daily_run: Timestamp | None = None
    next_weekly_run: Timestamp | None = None


class NotificationJobStats(CamelModel):
    delivery: QueueCounts
    digest: DigestRuns


# --- aggregation logs ----------------------------------------------------------------


class MetricsAggregationJobLog(CamelModel):
    id: str
    job_type: str
    period_start_date: date
    period_end_date: date
    started_at: Timestamp
    completed_at: Timestamp | None
    status: AggregationJobStatus
    records_processed: int
    records_created: int
    records_updated: int
    errors_count: int
    duration_seconds: float | None
    memory_used_mb: float | None
    error_message: str | None
    error_stack: str | None
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: Timestamp


class LogQuery(CamelModel):
    """Query of GET /api/admin/jobs/aggregation/logs, defaults as the contract."""

    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=100)
    job_type: str | None = None
    status: AggregationJobStatus | None = None
    start_date: date | None = None
    end_date: date | None = None


# --- previews ------------------------------------------------------------------------


PreviewStatus = Literal["ready", "failed", "generating"]


class AssetPreviewMetadata(_OmitNone):
    model_config = ConfigDict(extra="allow")

    preview_generated: bool | None = None
    preview_generated_at: Timestamp | None = None
    preview_error: str | None = None
    preview_last_attempt: Timestamp | None = None
    preview_size: int | None = None
    preview_duration: float | None = None


class PreviewAsset(CamelModel):
    """A video or audio asset and its preview clip (extension `GET .../previews`)."""

    id: str
    type: Literal["VIDEO", "AUDIO"]
    title: str
    preview_url: str | None
    metadata: AssetPreviewMetadata | None
    status: PreviewStatus


def preview_status(preview_url: str | None, metadata: dict[str, Any] | None) -> PreviewStatus:
    """The contract's AssetPreviewStatus logic: url wins, then an error, else generating."""
    if preview_url:
        return "ready"
    if metadata and metadata.get("previewError"):
        return "failed"
    return "generating"


# --- pagination ----------------------------------------------------------------------

T = TypeVar("T")


class Pagination(CamelModel):
    page: int
    page_size: int
    total: int
    total_pages: int

    @classmethod
    def of(cls, page: int, page_size: int, total: int) -> Pagination:
        return cls(
            page=page, page_size=page_size, total=total, total_pages=math.ceil(total / page_size)
        )


class Page(CamelModel, Generic[T]):
    data: list[T]
    pagination: Pagination
