"""Operator tools over jobs (extension): job search, failures grouped by cause, and
bulk retry / discard of failed jobs with a dry run.

`?q=` (with `since` / `until`) on the job lists (`/failed`, `/queues/{q}/jobs`) goes
through `job_query` here too, so every list searches the same way.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ygmon.api.deps import monitor_of, ok, ok_page
from ygmon.api.models import (
    NOT_FOUND,
    PAGING,
    Envelope,
    PageEnvelope,
    extension,
    extension_get,
    extension_router,
    query_param,
)
from ygmon.api.params import QueryParams
from ygmon.api.request_body import Field, body_doc, json_body
from ygmon.monitor.job_search_schemas import (
    QUERY_MAX_CHARS,
    BulkResult,
    BulkSelection,
    FailureGroup,
    JobQuery,
    parse_time,
)
from ygmon.monitor.schemas import JobState, JobSummary

router = extension_router()
STATES = [s.value for s in JobState]
SEARCH_PARAMS = (
    query_param(
        "q",
        {"type": "string", "maxLength": QUERY_MAX_CHARS},
        "Words of the task, arguments or error, or a prefix or suffix of the job id",
    ),
    query_param("since", {"type": "string", "format": "date-time"}, "Changed at or after"),
    query_param("until", {"type": "string", "format": "date-time"}, "Changed at or before"),
    query_param("groupKey", {"type": "string"}, "Only the failed jobs of this failure group"),
)


def _time(q: QueryParams, name: str) -> datetime | None:
    value = q.raw.get(name)
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        q._issue(name, "invalid_string", "ISO 8601 date-time", f"'{value}'", "Invalid datetime")
        return None


def wants_search(q: QueryParams) -> bool:
    # An empty `q` (a cleared search box) lists; an empty time is an issue to report.
    return bool(q.raw.get("q")) or any(n in q.raw for n in ("since", "until", "groupKey"))


def job_query(q: QueryParams, queue: str | None, state: str | None) -> JobQuery:
    """The JobQuery of a job list's query string (after the list's own parameters)."""
    text = q.text("q", QUERY_MAX_CHARS) or ""
    since, until = _time(q, "since"), _time(q, "until")
    group = q.text("groupKey", 64)
    page, page_size = q.pages()
    q.check()
    return JobQuery(
        q=text,
        queue=queue,
        state=JobState(state) if state else None,
        group_key=group,
        since=since,
        until=until,
        page=page,
        page_size=page_size,
    )


@extension_get(
    router,
    "/job-search",
    PageEnvelope[JobSummary],
    NOT_FOUND,
    *SEARCH_PARAMS,
    query_param("queueName", {"type": "string"}, "Only this queue's jobs"),
    query_param("state", {"type": "string", "enum": STATES}, "Only jobs in this state"),
    *PAGING,
)
async def search_jobs(request: Request) -> Response:
    """Jobs of every queue (or one) matching the words, newest first."""
    q = QueryParams(request.query_params)
    queue = q.text("queueName", 100)
    state = q.choice("state", STATES)
    return ok_page(await monitor_of(request).search_jobs(job_query(q, queue, state)))


@extension_get(
    router,
    "/failed/groups",
    Envelope[list[FailureGroup]],
    NOT_FOUND,
    query_param("queueName", {"type": "string"}, "Only this queue"),
)
async def failure_groups(request: Request) -> JSONResponse:
    """Failed jobs grouped by exception type and normalised message, largest first."""
    q = QueryParams(request.query_params)
    queue = q.text("queueName", 100)
    q.check()
    return ok(await monitor_of(request).failure_groups(queue))


BULK_FIELDS = {
    "queueName": Field(str, max_length=100),
    "q": Field(str, max_length=QUERY_MAX_CHARS),
    "groupKey": Field(str, max_length=64),
    "limit": Field(int, minimum=1, maximum=10_000),
    "dryRun": Field(bool, required=True),
}


async def _selection(request: Request) -> tuple[BulkSelection, bool]:
    """The body `{queueName?, q?, groupKey?, limit?, dryRun}`, or the contract's 400."""
    body = await json_body(request, BULK_FIELDS)
    selection = BulkSelection(
        queue_name=body.get("queueName"),
        q=body.get("q"),
        group_key=body.get("groupKey"),
        limit=body.get("limit"),
    )
    return selection, body["dryRun"]


BULK_BODY = body_doc(
    {
        "queueName": {"type": "string", "maxLength": 100},
        "q": {"type": "string", "maxLength": QUERY_MAX_CHARS},
        "groupKey": {"type": "string", "maxLength": 64},
        "limit": {"type": "integer", "minimum": 1, "maximum": 10_000},
        "dryRun": {"type": "boolean"},
    },
    ["dryRun"],
)


def _bulk(action: str, doc: str) -> None:
    """`POST /bulk/{action}` (retry or discard) of the failed jobs the body selects."""

    async def endpoint(request: Request) -> JSONResponse:
        selection, dry_run = await _selection(request)
        monitor = monitor_of(request)
        run = monitor.bulk_retry if action == "retry" else monitor.bulk_discard
        return ok(await run(selection, dry_run))

    endpoint.__doc__ = doc
    router.add_api_route(
        f"/bulk/{action}",
        endpoint,
        methods=["POST"],
        name=f"bulk_{action}",
        responses=NOT_FOUND,
        response_model=Envelope[BulkResult],
        openapi_extra=extension(requestBody=BULK_BODY),
    )


_bulk("retry", "Retry every failed job the body selects (none: all); `dryRun` only counts them.")
_bulk(
    "discard",
    "Move every failed job the body selects to cancelled; `dryRun` only counts them.",
)
