"""How a route reaches the app's monitor, and the JSON envelopes it answers with."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

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
