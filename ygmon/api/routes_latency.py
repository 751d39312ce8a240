"""The queue latency endpoints (extensions, marked `x-ygmon-extension` in OpenAPI): wait
and run percentiles per queue and task with depth and throughput over a window, and
the share of slow waits or runs over the last minutes (what a latency target's burn
rate reads)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.issues import issue
from ygmon.api.models import NOT_FOUND, Envelope, extension_get, extension_router, query_param
from ygmon.api.params import QueryParams
from ygmon.api.window_query import WINDOW_PARAMS, window_query
from ygmon.errors import InvalidQueryError
from ygmon.job_latency import LATENCY_KINDS, MAX_SHARE_MINUTES, Latency, LatencyShare

router = extension_router()


def _required(param: dict[str, Any]) -> dict[str, Any]:
    return {**param, "required": True}


@extension_get(router, "/latency", Envelope[Latency], NOT_FOUND, *WINDOW_PARAMS)
async def latency(request: Request) -> JSONResponse:
    """p50 / p95 / p99 of wait and run per queue and task (exact, or estimated from
    buckets), and each queue's depth and throughput per step, oldest first."""
    return ok(await monitor_of(request).latency(*window_query(request)))


@extension_get(
    router,
    "/latency/share",
    Envelope[LatencyShare],
    NOT_FOUND,
    _required(query_param("queue", {"type": "string"}, "The queue")),
    _required(query_param("kind", {"type": "string", "enum": list(LATENCY_KINDS)}, "wait or run")),
    _required(query_param("overMs", {"type": "number", "exclusiveMinimum": 0}, "Threshold, ms")),
    query_param(
        "minutes",
        {"type": "integer", "minimum": 1, "maximum": MAX_SHARE_MINUTES, "default": 5},
        "The last minutes read (the current one included)",
    ),
)
async def latency_share(request: Request) -> JSONResponse:
    """How many of the queue's waits (or runs) of the last minutes took longer than
    `overMs`, of how many."""
    q = QueryParams(request.query_params)
    queue = q.text("queue", 100)
    kind = q.choice("kind", LATENCY_KINDS)
    over_ms = q.number("overMs", 0)
    minutes = q.integer("minutes", 5, 1, MAX_SHARE_MINUTES)
    named = {i["path"][0] for i in q.issues}
    for name, value, expected in (
        ("queue", queue, "string"),
        ("kind", kind, "string"),
        ("overMs", over_ms, "number"),
    ):
        if value is None and name not in named:
            q.issues.append(issue(name, "invalid_type", expected, "undefined", "Required"))
    q.check()
    if queue is None or kind is None or over_ms is None:  # q.check raised already
        raise InvalidQueryError(q.issues)
    return ok(await monitor_of(request).latency_share(queue, kind, over_ms, minutes))
