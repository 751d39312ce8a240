"""The monitor's database reads: aggregation logs and preview assets, with pagination.

Shared by LocalMonitor (hence the API) and bench/bench_api.py, so the bench times the very
query the API runs. Deep pages use a deferred join: the ids of the page are found on the
(started_at, id) indexes alone, then only those 50 rows are read, so OFFSET skips index
entries rather than whole rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db.models.aggregation_log import MetricsAggregationJobsLog as Log
from ygmon.db.models.assets import IpAsset
from ygmon.db.models.enums import AssetType
from ygmon.monitor.schemas import (
    LogQuery,
    MetricsAggregationJobLog,
    Page,
    Pagination,
    PreviewAsset,
    PreviewStatus,
    preview_status,
)


def _log_filters(query: LogQuery) -> list[Any]:
    where: list[Any] = []
    if query.job_type is not None:
        where.append(Log.job_type == query.job_type)
    if query.status is not None:
        where.append(Log.status == query.status)
    if query.start_date is not None:
        where.append(Log.period_start_date >= query.start_date)
    if query.end_date is not None:
        where.append(Log.period_end_date <= query.end_date)
    return where


def log_page_statements(query: LogQuery) -> tuple[Select, Select]:
    """The count and the page statements of one logs query (newest run first)."""
    where = _log_filters(query)
    count = select(func.count()).select_from(Log).where(*where)
    ids = (
        select(Log.id)
        .where(*where)
        .order_by(Log.started_at.desc(), Log.id.desc())
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
        .subquery()
    )
    rows = select(Log).join(ids, Log.id == ids.c.id).order_by(Log.started_at.desc(), Log.id.desc())
    return count, rows


def _log_model(row: Log) -> MetricsAggregationJobLog:
    return MetricsAggregationJobLog(
        id=row.id,
        job_type=row.job_type,
        period_start_date=row.period_start_date,
        period_end_date=row.period_end_date,
        started_at=row.started_at,
        completed_at=row.completed_at,
        status=row.status,
        records_processed=row.records_processed,
        records_created=row.records_created,
        records_updated=row.records_updated,
        errors_count=row.errors_count,
        duration_seconds=row.duration_seconds,
        memory_used_mb=row.memory_used_mb,
        error_message=row.error_message,
        error_stack=row.error_stack,
        metadata=row.metadata_ or {},
        created_at=row.created_at,
    )


async def aggregation_logs(
    session: AsyncSession, query: LogQuery
) -> Page[MetricsAggregationJobLog]:
    count, rows = log_page_statements(query)
    total = (await session.execute(count)).scalar_one()
    data = []
    if (query.page - 1) * query.page_size < total:
        data = [_log_model(r) for r in (await session.execute(rows)).scalars()]
    return Page[MetricsAggregationJobLog](
        data=data, pagination=Pagination.of(query.page, query.page_size, total)
    )


def _preview_where(status: PreviewStatus | None) -> list[Any]:
    where: list[Any] = [
        IpAsset.type.in_([AssetType.VIDEO, AssetType.AUDIO]),
        IpAsset.deleted_at.is_(None),
    ]
    # Same rule as schemas.preview_status: a url wins, then a non-empty previewError.
    has_url = func.coalesce(IpAsset.preview_url, "") != ""
    has_error = func.coalesce(IpAsset.metadata_["previewError"].as_string(), "") != ""
    if status == "ready":
        where.append(has_url)
    elif status == "failed":
        where += [~has_url, has_error]
    elif status == "generating":
        where += [~has_url, ~has_error]
    return where


async def previews(
    session: AsyncSession, status: PreviewStatus | None, page: int, page_size: int
) -> Page[PreviewAsset]:
    where = _preview_where(status)
    total = (
        await session.execute(select(func.count()).select_from(IpAsset).where(*where))
    ).scalar_one()
    stmt = (
        select(IpAsset)
        .where(*where)
        .order_by(IpAsset.created_at.desc(), IpAsset.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    data = [
        PreviewAsset(
            id=a.id,
            type=a.type.value,
            title=a.title,
            preview_url=a.preview_url,
            metadata=a.metadata_,
            status=preview_status(a.preview_url, a.metadata_),
        )
        for a in (await session.execute(stmt)).scalars()
    ]
    return Page[PreviewAsset](data=data, pagination=Pagination.of(page, page_size, total))
