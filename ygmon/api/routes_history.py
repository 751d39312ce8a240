"""The job history endpoint (an extension, marked `x-ygmon-extension` in OpenAPI):
completed and failed jobs and run times per queue and task over a window."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import NOT_FOUND, Envelope, extension_get, extension_router
from ygmon.api.window_query import WINDOW_PARAMS, window_query
from ygmon.job_history import History

router = extension_router()


@extension_get(router, "/history", Envelope[History], NOT_FOUND, *WINDOW_PARAMS)
async def history(request: Request) -> JSONResponse:
    """Completed and failed jobs per step, with run-time sum, max and distribution,
    per queue and task; one point per step, oldest first."""
    return ok(await monitor_of(request).history(*window_query(request)))
