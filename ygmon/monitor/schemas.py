"""The typed models of the contract, one set for the API server, its client and the UI,
on ygmon.job_models' CamelModel (camelCase fields, millisecond ISO timestamps): the
job, queue and worker models live there, below the registry that answers in them."""

from __future__ import annotations

import functools
import math
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import (
    ConfigDict,
    Field,
    model_serializer,
    model_validator,
)

from ygmon.enums import AggregationJobStatus

# The job models sit below the registry and the monitor both; the rest of ygmon reads
# them from here, beside the other contract models.
from ygmon.job_models import CamelModel, QueueCounts, Timestamp
from ygmon.job_models import JobDetail as JobDetail
from ygmon.job_models import JobState as JobState
from ygmon.job_models import JobSummary as JobSummary
from ygmon.job_models import QueueStats as QueueStats
from ygmon.job_models import WorkerInfo as WorkerInfo


class _OmitNone(CamelModel):
    """Optional fields the contract marks with `?` are left out, not sent as null."""

    # Not annotated: OpenAPI then documents the model's fields, not "an object".
    @model_serializer(mode="wrap")
    def _drop_none(self, handler: Any):
        return {k: v for k, v in handler(self).items() if v is not None}


# --- queues and jobs -----------------------------------------------------------------


class RetryResult(CamelModel):
    """The contract's RetryJobResponse `data`."""

    job_id: str
    status: str = "retried"


# --- health --------------------------------------------------------------------------


_EXTENSION = {"x-ygmon-extension": True}


class WorkerStatus(_OmitNone):
    """One queue's entry (the contract's "worker") in a group's health; the fields
    after `error` are ygmon's extensions, absent when they do not apply."""

    is_running: bool
    error: str | None = None
    paused: bool | None = Field(None, json_schema_extra=_EXTENSION)
    """True for a paused queue."""
    paused_at: Timestamp | None = Field(None, json_schema_extra=_EXTENSION)
    paused_by: str | None = Field(None, json_schema_extra=_EXTENSION)
    late: bool | None = Field(None, json_schema_extra=_EXTENSION)
    """True when only late workers (ygmon.liveness) serve it."""


class WorkerHealth(_OmitNone):
    healthy: bool
    workers: dict[str, WorkerStatus] | None = None
    scheduled_jobs: int | None = None
    scheduled_jobs_error: str | None = Field(None, json_schema_extra=_EXTENSION)
    """On `blog`, instead of `scheduled_jobs`: why the backend could not count them."""


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


# --- search index and notifications --------------------------------------------------


class SearchIndexStats(CamelModel):
    realtime: QueueCounts
    bulk: QueueCounts
    reindex: QueueCounts


RunTime = Timestamp | None
"""When a digest ran or will run; absent (left out) when unknown."""


class DigestRuns(_OmitNone):
    last_daily_run: RunTime = None
    last_weekly_run: RunTime = None
    next_daily_run: RunTime = None
    next_weekly_run: RunTime = None


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

    def period_text(self, year: bool = True) -> str:
        """The run's period as people name it: its first and last days, or an hourly
        run's hour (its days alone read the same for every hour of a day). The hour is
        the one the pipeline records in the run's metadata (`periodStart`, UTC)."""
        day = "%Y-%m-%d" if year else "%m-%d"
        start = self.metadata.get("periodStart") if self.job_type == "hourly" else None
        try:
            hour = datetime.fromisoformat(start) if isinstance(start, str) else None
        except ValueError:
            hour = None
        if hour is not None:
            return hour.strftime(f"{day} %H:%M")
        return f"{self.period_start_date.strftime(day)}..{self.period_end_date.strftime(day)}"


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


@functools.cache
def page_of(item: type[T]) -> type[Page[T]]:
    """Page[item], built at its first use and held from then on.

    Held: pydantic keeps a parametrised generic only while something holds it, and
    builds it anew, schema and all, otherwise (about a millisecond a call). At first
    use: parametrising at import built Page's schema before the app's first screen."""
    return Page[item]  # type: ignore[valid-type]
