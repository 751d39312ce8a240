"""What RemoteMonitor's parts (job operations, queue control, the audit log) need of its
HTTP client: calls to the admin REST API whose failures are already YgmonErrors, and the
full URL of a path for messages. RemoteMonitor is that client.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

BASE = "/api/admin/jobs"

Json = Any
"""A decoded JSON body: its shape is the route's, validated by the caller's model."""


class AdminApi(Protocol):
    def url(self, path: str) -> str:
        """The full URL of `path` below the admin API's base, as messages name it."""
        ...

    async def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, json: Json = None
    ) -> Json:
        """The JSON body of a 200 answer; every other outcome raises a YgmonError."""
        ...

    async def get_data(self, path: str, params: dict[str, Any] | None = None) -> Json:
        """The `data` of a GET."""
        ...

    async def get_page(self, path: str, params: dict[str, Any]) -> dict[str, Json]:
        """The `data` and `pagination` of a paginated GET."""
        ...


def segment(value: str) -> str:
    """One URL path segment, so a job id cannot climb the path."""
    return quote(value, safe="")
