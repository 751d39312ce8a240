"""Endpoints the TUI needs beyond the contract, marked `x-ygmon-extension` in OpenAPI."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ygmon.api.deps import extension_reads, monitor_of, ok, ok_page
from ygmon.api.models import (
    ERRORS,
    NOT_FOUND,
    PAGING,
    QUERY_ERRORS,
    Envelope,
    PageEnvelope,
    extension_get,
    extension_router,
    query_param,
)
from ygmon.api.params import QueryParams
from ygmon.api.routes_job_ops import SEARCH_PARAMS, STATES, job_query, wants_search
from ygmon.monitor.schemas import (
    JobDetail,
    JobState,
    JobSummary,
    PreviewAsset,
    QueueStats,
    WorkerInfo,
)

router = extension_router()
PREVIEW_STATUSES = ["ready", "failed", "generating"]


extension_reads(
    router,
    (
        "/queues",
        lambda m: m.queues(),
        list[QueueStats],
        "Every queue's counts, in a fixed order.",
        QUERY_ERRORS,
    ),
    (
        "/workers",
        lambda m: m.workers(),
        list[WorkerInfo],
        "Worker processes whose heartbeat is registered, newest first, each `live`, "
        "`late` (two missed beats) or `gone` (no beat for worker_gone_after): `liveness`.",
        ERRORS,
    ),
)


@extension_get(router, "/failed", PageEnvelope[JobSummary], QUERY_ERRORS, *PAGING, *SEARCH_PARAMS)
async def failed_jobs(request: Request) -> Response:
    """Failed jobs across every queue, newest failure first; `q` searches them."""
    q = QueryParams(request.query_params)
    if wants_search(q):
        return ok_page(await monitor_of(request).search_jobs(job_query(q, None, "failed")))
    page, page_size = q.pages()
    q.check()
    return ok_page(await monitor_of(request).failed_jobs(page, page_size))


@extension_get(
    router,
    "/queues/{queueName}/jobs",
    PageEnvelope[JobSummary],
    NOT_FOUND,
    query_param("state", {"type": "string", "enum": STATES}, "Only jobs in this state"),
    *PAGING,
    *SEARCH_PARAMS,
)
async def jobs(request: Request, queueName: str) -> Response:
    """Jobs of one queue, newest first; `q` searches them."""
    q = QueryParams(request.query_params)
    state = q.choice("state", STATES)
    if wants_search(q):
        return ok_page(await monitor_of(request).search_jobs(job_query(q, queueName, state)))
    page, page_size = q.pages()
    q.check()
    result = await monitor_of(request).jobs(
        queueName, JobState(state) if state else None, page, page_size
    )
    return ok_page(result)


@extension_get(router, "/queues/{queueName}/jobs/{jobId}", Envelope[JobDetail], NOT_FOUND)
async def job(request: Request, queueName: str, jobId: str) -> JSONResponse:
    """One job with arguments, attempts, times, error and stack."""
    return ok(await monitor_of(request).job(queueName, jobId))


@extension_get(
    router,
    "/previews",
    PageEnvelope[PreviewAsset],
    QUERY_ERRORS,
    query_param("status", {"type": "string", "enum": PREVIEW_STATUSES}, "Preview status"),
    *PAGING,
)
async def previews(request: Request) -> Response:
    """Video and audio assets with their preview state, newest first."""
    q = QueryParams(request.query_params)
    status = q.choice("status", PREVIEW_STATUSES)
    page, page_size = q.pages()
    q.check()
    return ok_page(await monitor_of(request).previews(status, page, page_size))  # type: ignore[arg-type]
