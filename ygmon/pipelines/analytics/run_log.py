"""The metrics_aggregation_jobs_log row of one run: RUNNING, committed before the work
starts (so the Logs screen shows the run in progress), then its outcome; and the meter
that measures a run (its seconds and its peak RSS growth)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psutil
from sqlalchemy import update

from ygmon.db import Database
from ygmon.db.base import new_id
from ygmon.db.models import AggregationJobStatus, MetricsAggregationJobsLog
from ygmon.pipelines.analytics.periods import Period

MB = 1024 * 1024
SAMPLE_EVERY = 0.02


class PeakRss:
    """Samples this process's RSS while open: `growth_mb` is the peak above the start.

    A thread samples because the peak of a statement's run is inside the database
    driver, where no Python code of ours runs to look."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._start = self._peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True, name="peak-rss")

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, self._process.memory_info().rss)

    @property
    def growth_mb(self) -> int:
        return round((self._peak - self._start) / MB)


@dataclass
class Measured:
    """What a meter read over one run (filled in when the run ends)."""

    seconds: float = 0.0
    memory_mb: int = 0


Meter = Callable[[], AbstractContextManager[Measured]]
"""Opens the measurement of one run. The real one is `measure`; a test that needs
repeatable log rows (a snapshot of the Logs screen) passes one with fixed readings."""


@contextmanager
def measure() -> Iterator[Measured]:
    """The run's wall seconds (a monotonic clock) and its peak RSS growth."""
    out = Measured()
    started = time.perf_counter()
    rss = PeakRss()
    try:
        with rss:
            yield out
    finally:
        out.seconds = round(time.perf_counter() - started, 3)
        out.memory_mb = rss.growth_mb


@dataclass
class RunRecord:
    """What a run writes into its log row at the end."""

    status: AggregationJobStatus = AggregationJobStatus.COMPLETED
    processed: int = 0
    created: int = 0
    updated: int = 0
    errors: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)
    error_message: str | None = None
    error_stack: str | None = None


async def open_run(
    db: Database, period: Period, started_at: datetime, metadata: dict[str, Any]
) -> str:
    """Insert and commit the RUNNING row; returns its id."""
    log_id = new_id()
    async with db.writer() as session:
        session.add(
            MetricsAggregationJobsLog(
                id=log_id,
                job_type=period.level.value,
                period_start_date=period.first_day,
                period_end_date=period.last_day,
                started_at=started_at,
                status=AggregationJobStatus.RUNNING,
                metadata_=metadata,
                created_at=started_at,
            )
        )
    return log_id


async def close_run(
    db: Database,
    log_id: str,
    record: RunRecord,
    *,
    completed_at: datetime,
    measured: Measured,
) -> None:
    async with db.writer() as session:
        await session.execute(
            update(MetricsAggregationJobsLog)
            .where(MetricsAggregationJobsLog.id == log_id)
            .values(
                status=record.status,
                completed_at=completed_at,
                records_processed=record.processed,
                records_created=record.created,
                records_updated=record.updated,
                errors_count=record.errors,
                duration_seconds=measured.seconds,
                memory_used_mb=measured.memory_mb,
                error_message=record.error_message,
                error_stack=record.error_stack,
                metadata_=record.metadata,
            )
        )
