"""Media URLs where the API is: with no `media_base_url` configured, the preview and
thumbnail URLs of a request's answer point at the scheme, host and port that request
reached (`ygmon serve --port`, a host name, a proxy the server trusts for its scheme),
not at the profile's serve_host:serve_port."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from ygmon.storage.signing import request_base_url

# A name or IPv4 address, or a bracketed IPv6 one, and an optional port: a Host header
# that is anything else is ignored for the server's own address.
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")


def base_of(scope: Scope) -> str:
    """`scheme://host[:port]/media` of the request in `scope`."""
    scheme = "https" if scope.get("scheme") == "https" else "http"
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
    if not _HOST.fullmatch(host):
        address, port = scope.get("server") or ("127.0.0.1", 80)
        host = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    return f"{scheme}://{host}{scope.get('root_path', '')}/media"


class MediaBase:
    """ASGI middleware setting ygmon.storage.signing.request_base_url per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = request_base_url.set(base_of(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            request_base_url.reset(token)
