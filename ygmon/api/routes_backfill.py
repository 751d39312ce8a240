"""Backfill a periodic task with a preview (extension): `POST
/api/admin/jobs/schedules/{name}/backfill`, beside the schedule's trigger.

The body is `{from, to, mode?, maxRunning?, dryRun}` (days as YYYY-MM-DD, both
included; mode missing | failed | all, default missing; maxRunning 1-50, default the
server's `backfill_max_running`). A dry run lists each period of the range with its
coverage state and what the backfill would do; a real one starts the job that runs
them. ADMIN only like every route; a read-only server answers 403 and records it.
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok
from ygmon.api.issues import issue
from ygmon.api.models import NOT_FOUND, Envelope, extension, extension_router
from ygmon.api.request_body import Field, body_doc, json_body
from ygmon.errors import InvalidQueryError
from ygmon.monitor.backfill_schemas import BackfillMode, BackfillPlan, BackfillRequest

router = extension_router()
MODES = [m.value for m in BackfillMode]

FIELDS = {
    "from": Field(str, required=True, max_length=10),
    "to": Field(str, required=True, max_length=10),
    "mode": Field(str, max_length=10),
    "maxRunning": Field(int, minimum=1, maximum=50),
    "dryRun": Field(bool, required=True),
}
BODY = body_doc(
    {
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "mode": {"type": "string", "enum": MODES},
        "maxRunning": {"type": "integer", "minimum": 1, "maximum": 50},
        "dryRun": {"type": "boolean"},
    },
    ["from", "to", "dryRun"],
)


def _request(name: str, body: dict) -> BackfillRequest:
    issues = []
    days: dict[str, date] = {}
    for key in ("from", "to"):
        try:
            days[key] = date.fromisoformat(body[key])
        except ValueError:
            issues.append(issue(key, "invalid_string", "YYYY-MM-DD", "string", "Invalid date"))
    mode = body.get("mode", "missing")
    if mode not in MODES:
        issues.append(
            issue("mode", "invalid_enum_value", " | ".join(MODES), "string", "Invalid mode")
        )
    if issues:
        raise InvalidQueryError(issues)
    return BackfillRequest(
        name=name,
        first=days["from"],
        last=days["to"],
        mode=BackfillMode(mode),
        max_running=body.get("maxRunning"),
    )


@router.post(
    "/schedules/{name}/backfill",
    responses=NOT_FOUND,
    response_model=Envelope[BackfillPlan],
    openapi_extra=extension(requestBody=BODY),
)
async def backfill(request: Request, name: str) -> JSONResponse:
    """Re-run a periodic task's periods over a range (missing, failed or all), oldest
    first, at most `maxRunning` at once; `dryRun` lists them without running."""
    body = await json_body(request, FIELDS)
    return ok(await monitor_of(request).backfill(_request(name, body), body["dryRun"]))
