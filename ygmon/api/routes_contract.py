"""The contract's "Admin Job Monitoring" endpoints, paths and defaults as it states them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ygmon.api.deps import monitor_of, ok, ok_page, read_route
from ygmon.api.models import (
    NOT_FOUND,
    PAGING,
    QUERY_ERRORS,
    Envelope,
    HealthData,
    PageEnvelope,
    query_param,
)
from ygmon.api.params import QueryParams
from ygmon.api.request_body import NO_BODY
from ygmon.enums import AggregationJobStatus
from ygmon.monitor.schemas import (
    LogQuery,
    MetricsAggregationJobLog,
    NotificationJobStats,
    RetryResult,
    SearchIndexStats,
)

router = APIRouter(prefix="/api/admin/jobs", tags=["admin jobs"])
STATUSES = [s.value for s in AggregationJobStatus]
DATE = {"type": "string", "format": "date"}


read_route(
    router,
    "/health",
    lambda m: m.health(),
    HealthData,
    name="health",
    doc="Every worker group's health; `healthy` only when every group is.",
)


@router.get(
    "/aggregation/logs",
    responses=QUERY_ERRORS,
    response_model=PageEnvelope[MetricsAggregationJobLog],
    openapi_extra={
        "parameters": [
            *PAGING,
            query_param("jobType", {"type": "string", "maxLength": 64}, "daily | weekly | monthly"),
            query_param("status", {"type": "string", "enum": STATUSES}, "AggregationJobStatus"),
            query_param("startDate", DATE, "periodStartDate >= startDate"),
            query_param("endDate", DATE, "periodEndDate <= endDate"),
        ]
    },
)
async def aggregation_logs(request: Request) -> Response:
    """Aggregation runs, newest first, filtered and paginated."""
    q = QueryParams(request.query_params)
    page, size = q.pages()
    job_type = q.text("jobType")
    status = q.choice("status", STATUSES)
    start = q.day("startDate")
    end = q.day("endDate")
    q.check()
    query = LogQuery(
        page=page, page_size=size, job_type=job_type, status=status, start_date=start, end_date=end
    )
    return ok_page(await monitor_of(request).aggregation_logs(query))


read_route(
    router,
    "/search-index/stats",
    lambda m: m.search_index_stats(),
    SearchIndexStats,
    name="search_index_stats",
)
read_route(
    router,
    "/notifications/stats",
    lambda m: m.notification_stats(),
    NotificationJobStats,
    name="notification_stats",
)


@router.post(
    "/{queueName}/{jobId}/retry",
    dependencies=NO_BODY,
    responses={**NOT_FOUND, 400: {"description": "Cannot retry job"}},
    response_model=Envelope[RetryResult],
)
async def retry(request: Request, queueName: str, jobId: str) -> JSONResponse:
    """Enqueue a failed job again (403 on a read-only server)."""
    return ok(await monitor_of(request).retry(queueName, jobId))
