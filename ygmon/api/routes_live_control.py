"""Live control (extension): a queue's concurrency limit, a paused task and a task's
rate limit, changed while the workers run (docs/CONTRACT.md#live-control).

- `GET /controls`: the queues with a limit and every task with its pause and rate;
- `PUT /queues/{queueName}/limit` with `{limit, scope?}`, `DELETE` it to clear;
- `POST /tasks/{name}/pause`, `POST /tasks/{name}/resume`;
- `PUT /tasks/{name}/rate` with `{perMinute}`, `DELETE` it to clear.

Bodies are strict (ygmon.api.request_body); the bounds and the scope are the monitor's
to check (ygmon.monitor.live_control_schemas), so a local and a remote caller get the
same 400. ADMIN only like every route; a read-only server answers 403 and records it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import extension_reads, monitor_of, ok
from ygmon.api.models import ERRORS, NOT_FOUND, Envelope, extension, extension_router
from ygmon.api.request_body import NO_BODY, Field, body_doc, json_body
from ygmon.monitor.live_control_schemas import SCOPES, LimitState, LiveControls, TaskControl
from ygmon.monitor.local import LocalMonitor
from ygmon.queues import MAX_LIMIT, MAX_RATE

router = extension_router()

LIMIT_FIELDS = {"limit": Field(int, required=True), "scope": Field(str, max_length=10)}
LIMIT_BODY = body_doc(
    {
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        "scope": {"type": "string", "enum": list(SCOPES), "default": "deployment"},
    },
    ["limit"],
)
RATE_FIELDS = {"perMinute": Field(int, required=True)}
RATE_BODY = body_doc(
    {"perMinute": {"type": "integer", "minimum": 1, "maximum": MAX_RATE}}, ["perMinute"]
)

extension_reads(
    router,
    (
        "/controls",
        lambda m: m.live_controls(),
        LiveControls,
        "The queues with a concurrency limit, and every task with its pause and rate limit "
        "(a paused task's waiting jobs, a rate-limited task's runs of the last minute).",
        ERRORS,
    ),
)

Act = Callable[[LocalMonitor, str, dict[str, Any]], Awaitable[Any]]


def _control(
    method: str,
    path: str,
    act: Act,
    model: type,
    doc: str,
    fields: dict[str, Field] | None = None,
    body: dict[str, Any] | None = None,
) -> None:
    """`method path` answering `act(monitor, name, body)`: a strict body when `fields`
    are given, else none. The path's one parameter is declared by the endpoint's
    signature, so OpenAPI documents it: `queueName` of a queue, `name` of a task."""

    async def answer(request: Request, name: str) -> JSONResponse:
        given = await json_body(request, fields) if fields is not None else {}
        return ok(await act(monitor_of(request), name, given))

    async def of_queue(request: Request, queueName: str) -> JSONResponse:
        return await answer(request, queueName)

    async def of_task(request: Request, name: str) -> JSONResponse:
        return await answer(request, name)

    endpoint = of_queue if path.startswith("/queues/") else of_task
    endpoint.__doc__ = doc
    router.add_api_route(
        path,
        endpoint,
        methods=[method],
        name=f"{method.lower()}_{path.strip('/').replace('/', '_')}",
        dependencies=[] if fields is not None else NO_BODY,
        responses=NOT_FOUND,
        response_model=Envelope[model],
        openapi_extra=extension(**({"requestBody": body} if body is not None else {})),
    )


_control(
    "PUT",
    "/queues/{queueName}/limit",
    lambda m, queue, b: m.set_queue_limit(queue, b["limit"], b.get("scope", "deployment")),
    LimitState,
    "Set a queue's concurrency limit: at most `limit` of its jobs active at once across "
    "the deployment (`scope` deployment, the default) or on each host (`host`).",
    LIMIT_FIELDS,
    LIMIT_BODY,
)
_control(
    "DELETE",
    "/queues/{queueName}/limit",
    lambda m, queue, _b: m.clear_queue_limit(queue),
    LimitState,
    "Clear a queue's concurrency limit: its own concurrency applies again.",
)
_control(
    "POST",
    "/tasks/{name}/pause",
    lambda m, task, _b: m.pause_task(task),
    TaskControl,
    "Pause a task: its jobs wait, on every host, while its queue's other tasks run.",
)
_control(
    "POST",
    "/tasks/{name}/resume",
    lambda m, task, _b: m.resume_task(task),
    TaskControl,
    "Resume a paused task.",
)
_control(
    "PUT",
    "/tasks/{name}/rate",
    lambda m, task, b: m.set_task_rate(task, b["perMinute"]),
    TaskControl,
    "Set a task's rate limit: at most `perMinute` starts in any minute across the deployment.",
    RATE_FIELDS,
    RATE_BODY,
)
_control(
    "DELETE",
    "/tasks/{name}/rate",
    lambda m, task, _b: m.clear_task_rate(task),
    TaskControl,
    "Clear a task's rate limit.",
)
