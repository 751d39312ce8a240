"""How a route reaches the app's monitor, the JSON envelopes it answers with, and the
routes that only read one monitor value."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ygmon.api.models import ERRORS, Envelope, extension
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.schemas import CamelModel, Page


def monitor_of(request: Request) -> LocalMonitor:
    return request.app.state.monitor


def ok(data: Any) -> JSONResponse:
    if isinstance(data, CamelModel):
        data = data.to_json()
    elif isinstance(data, list):
        data = [d.to_json() for d in data]
    return JSONResponse({"success": True, "data": data})


def ok_page(page: Page[Any]) -> Response:
    # Pydantic writes the JSON itself: going through to_json() and JSONResponse's
    # json.dumps built the same fifty rows twice (dicts, then text).
    body = page.model_dump_json(by_alias=True).encode()
    return Response(b'{"success":true,' + body[1:], media_type="application/json")


def read_route(
    router: APIRouter,
    path: str,
    read: Callable[[LocalMonitor], Awaitable[Any]],
    model: Any,
    *,
    name: str,
    doc: str | None = None,
    responses: dict[int | str, dict[str, Any]] = ERRORS,
    openapi_extra: dict[str, Any] | None = None,
) -> None:
    """Add `GET path` answering `{success, data: read(monitor)}`, documented as `model`."""

    async def endpoint(request: Request) -> JSONResponse:
        return ok(await read(monitor_of(request)))

    endpoint.__doc__ = doc
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        name=name,
        responses=responses,
        response_model=Envelope[model],
        openapi_extra=openapi_extra,
    )


def extension_reads(router: APIRouter, *rows: tuple[str, Any, Any, str, Any]) -> None:
    """`read_route` for each (path, read, model, description, errors) of an extension,
    named after its path."""
    for path, read, model, doc, responses in rows:
        read_route(
            router,
            path,
            read,
            model,
            name=path.strip("/"),
            doc=doc,
            responses=responses,
            openapi_extra=extension(),
        )
