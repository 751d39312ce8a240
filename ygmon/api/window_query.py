"""The query of the endpoints that read a window of the registry's buckets (/history,
/latency): `window`, `queue` and `task`, documented and read the same way by both."""

from __future__ import annotations

from fastapi import Request

from ygmon.api.models import query_param
from ygmon.api.params import QueryParams
from ygmon.job_history import HistoryWindow

WINDOWS = [w.value for w in HistoryWindow]
WINDOW_PARAMS = (
    query_param(
        "window",
        {"type": "string", "enum": WINDOWS, "default": "1h"},
        "1h: per minute; 24h and 30d: per hour",
    ),
    query_param("queue", {"type": "string"}, "Only this queue"),
    query_param("task", {"type": "string"}, "Only this task"),
)
"""The three as OpenAPI documents them, for `extension_get`."""


def window_query(request: Request) -> tuple[str | None, str | None, HistoryWindow]:
    """(queue, task, window) of the request, or the contract's 400 naming every bad one."""
    q = QueryParams(request.query_params)
    window = q.choice("window", WINDOWS) or HistoryWindow.HOUR.value
    queue = q.text("queue", 100)
    task = q.text("task", 200)
    q.check()
    return queue, task, HistoryWindow(window)
