"""The monitor's database reads: aggregation logs and preview assets, with pagination.

Shared by LocalMonitor (hence the API) and bench/bench_api.py, so the bench times the very
query the API runs.

Aggregation logs take two statements. The first reads the tally the log's triggers keep
(ygmon/db/models/aggregation_log.py): the exact total of the filter, and bounds on the
`started_at` of the runs it matches. The second lists the page newest first between
those bounds, so a filter that matches only old runs (an `endDate` in the past) starts
its walk at its newest run rather than at the newest of all. It is a deferred join: the
ids of the page are found on an index alone, then only those rows are read, so OFFSET
skips index entries rather than whole rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db.models.aggregation_log import MetricsAggregationJobsLog as Log
from ygmon.db.models.aggregation_log import MetricsAggregationJobsLogCount as Tally
from ygmon.db.models.assets import IpAsset
from ygmon.enums import AssetType
from ygmon.monitor.schemas import (
    LogQuery,
    MetricsAggregationJobLog,
    Page,
    Pagination,
    PreviewAsset,
    PreviewStatus,
    page_of,
    preview_status,
)

# The bounds only have to enclose the runs. SQLite compares timestamps as text, and a
# row written outside SQLAlchemy may spell its timestamp without the microseconds
# (sorting it before a bound equal to it): a second of slack keeps such rows in.
_BOUND_SLACK = timedelta(seconds=1)


# Which of LogQuery's filters are set; the statements of each combination are built once.
_Shape = tuple[bool, bool, bool, bool]


def _shape(query: LogQuery) -> _Shape:
    return (
        query.job_type is not None,
        query.status is not None,
        query.start_date is not None,
        query.end_date is not None,
    )


def _log_filters(table: type[Log] | type[Tally], shape: _Shape) -> list[Any]:
    job_type, status, start_date, end_date = shape
    where: list[Any] = []
    if job_type:
        where.append(table.job_type == bindparam("job_type"))
    if status:
        where.append(table.status == bindparam("status"))
    if start_date:
        where.append(table.period_start_date >= bindparam("start_date"))
    if end_date:
        where.append(table.period_end_date <= bindparam("end_date"))
    return where


@cache
def log_statements(shape: _Shape) -> tuple[Select, Select]:
    """The tally and page statements of one combination of filters, with bound parameters
    named after LogQuery's fields plus `earliest`, `latest`, `offset` and `limit`.

    Built once per combination: composing a statement anew costs more than running it.
    The tally gives (total, earliest started_at, latest started_at) of the matching runs;
    the page lists them newest first, as plain rows (no ORM identities to track).
    """
    tally = select(
        func.coalesce(func.sum(Tally.runs), 0),
        func.min(Tally.earliest_started_at),
        func.max(Tally.latest_started_at),
    ).where(*_log_filters(Tally, shape))
    started = Log.started_at.type
    ids = (
        select(Log.id)
        .where(
            *_log_filters(Log, shape),
            Log.started_at.between(
                bindparam("earliest", type_=started), bindparam("latest", type_=started)
            ),
        )
        .order_by(Log.started_at.desc(), Log.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery()
    )
    log = Log.__table__
    page = (
        select(log)
        .join(ids, log.c.id == ids.c.id)
        .order_by(log.c.started_at.desc(), log.c.id.desc())
    )
    return tally, page


def log_parameters(query: LogQuery) -> dict[str, Any]:
    """The filter parameters of `query` for log_statements (unset filters are unused)."""
    return {
        "job_type": query.job_type,
        "status": query.status,
        "start_date": query.start_date,
        "end_date": query.end_date,
    }


def _log_model(row: dict[str, Any]) -> MetricsAggregationJobLog:
    if row["metadata"] is None:  # a JSON null, from a writer other than ygmon
        row["metadata"] = {}
    return MetricsAggregationJobLog.model_validate(row)


async def aggregation_logs(
    session: AsyncSession, query: LogQuery
) -> Page[MetricsAggregationJobLog]:
    tally, page = log_statements(_shape(query))
    params = log_parameters(query)
    total, earliest, latest = (await session.execute(tally, params)).one()
    data = []
    offset = (query.page - 1) * query.page_size
    if offset < total:
        params |= {
            "earliest": earliest - _BOUND_SLACK,
            "latest": latest + _BOUND_SLACK,
            "offset": offset,
            "limit": query.page_size,
        }
        result = await session.execute(page, params)
        # Plain dicts: pydantic reads a RowMapping through Mapping.get, five times slower.
        keys = list(result.keys())
        data = [_log_model(dict(zip(keys, row, strict=True))) for row in result]
    pagination = Pagination.of(query.page, query.page_size, total)
    return page_of(MetricsAggregationJobLog)(data=data, pagination=pagination)


def _preview_where(status: PreviewStatus | None) -> list[Any]:
    where: list[Any] = [
        IpAsset.type.in_([AssetType.VIDEO, AssetType.AUDIO]),
        IpAsset.deleted_at.is_(None),
    ]
    # Same rule as schemas.preview_status: a preview wins, then a non-empty previewError.
    has_url = func.coalesce(IpAsset.preview_key, "") != ""
    has_error = func.coalesce(IpAsset.metadata_["previewError"].as_string(), "") != ""
    if status == "ready":
        where.append(has_url)
    elif status == "failed":
        where += [~has_url, has_error]
    elif status == "generating":
        where += [~has_url, ~has_error]
    return where


async def previews(
    session: AsyncSession,
    status: PreviewStatus | None,
    page: int,
    page_size: int,
    url_of: Callable[[str], str] = str,
) -> Page[PreviewAsset]:
    """`url_of` renders a preview's storage key as its (signed) URL."""
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
            preview_url=url_of(a.preview_key) if a.preview_key else None,
            metadata=a.metadata_,
            status=preview_status(a.preview_key, a.metadata_),
        )
        for a in (await session.execute(stmt)).scalars()
    ]
    return page_of(PreviewAsset)(data=data, pagination=Pagination.of(page, page_size, total))
