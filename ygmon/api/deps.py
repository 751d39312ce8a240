"""How a route reaches the app's monitor, and the JSON envelopes it answers with."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

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


def ok_page(page: Page[Any]) -> JSONResponse:
    dumped = page.to_json()
    return JSONResponse({"success": True, **dumped})
