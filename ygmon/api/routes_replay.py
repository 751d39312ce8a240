"""Replay a finished job with edited arguments (extension): `POST
/api/admin/jobs/{queueName}/{jobId}/replay`, beside the contract's retry.

The body is `{kwargs?, dryRun?}`: `kwargs` (an object; none: the job's own) are the
new job's keyword arguments, checked against the task's declared ones (a 400 naming
each bad one, nothing enqueued); `dryRun` only checks. ADMIN only like every route
(ygmon.api.guard); a read-only server answers 403 with its reason and records it.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.models import NOT_FOUND, Envelope, extension, extension_router
from ygmon.api.request_body import Field, body_doc, json_body
from ygmon.monitor.replay_schemas import ReplayResult

router = extension_router()

REPLAY_FIELDS = {"kwargs": Field(dict), "dryRun": Field(bool)}
REPLAY_BODY = body_doc(
    {
        "kwargs": {"type": "object"},
        "dryRun": {"type": "boolean"},
    },
    [],
)


@router.post(
    "/{queueName}/{jobId}/replay",
    responses={**NOT_FOUND, 400: {"description": "Invalid arguments, or cannot replay job"}},
    response_model=Envelope[ReplayResult],
    openapi_extra=extension(requestBody=REPLAY_BODY),
)
async def replay(request: Request, queueName: str, jobId: str) -> JSONResponse:
    """Run a finished job again as a new job with `kwargs`, linked to it both ways."""
    body = await json_body(request, REPLAY_FIELDS)
    result = await monitor_of(request).replay(
        queueName, jobId, body.get("kwargs"), body.get("dryRun", False)
    )
    return ok(result)
