"""The job history endpoint (an extension, marked `x-ygmon-extension` in OpenAPI):
completed and failed jobs and run times per queue and task over a window."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import NOT_FOUND, Envelope, extension_get, extension_router, query_param
from ygmon.api.params import QueryParams
from ygmon.job_history import History, HistoryWindow

router = extension_router()
WINDOWS = [w.value for w in HistoryWindow]


@extension_get(
    router,
    "/history",
    Envelope[History],
    NOT_FOUND,
    query_param(
        "window",
        {"type": "string", "enum": WINDOWS, "default": "1h"},
        "1h: per minute; 24h and 30d: per hour",
    ),
    query_param("queue", {"type": "string"}, "Only this queue"),
    query_param("task", {"type": "string"}, "Only this task"),
)
async def history(request: Request) -> JSONResponse:
    """Completed and failed jobs per step, with run-time sum, max and distribution,
    per queue and task; one point per step, oldest first."""
    q = QueryParams(request.query_params)
    window = q.choice("window", WINDOWS) or HistoryWindow.HOUR.value
    queue = q.text("queue", 100)
    task = q.text("task", 200)
    q.check()
    return ok(await monitor_of(request).history(queue, task, HistoryWindow(window)))
