"""Fetching a signed media URL for RemoteMonitor: a plain GET with no Authorization
header (the signature is the permission, and the URL may point at a CDN that must not
see the admin's token)."""

from __future__ import annotations

import httpx

from ygmon.errors import UnavailableError

LIMIT = 2_000_000


async def fetch_media(url: str, timeout: float) -> bytes | None:
    """The file's bytes; None when the server says it has none (404, 403)."""
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(timeout)) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        raise UnavailableError(f"cannot fetch the thumbnail: {exc}") from exc
    if response.status_code in (403, 404):
        return None
    if response.status_code != 200:
        raise UnavailableError(f"cannot fetch the thumbnail: HTTP {response.status_code}")
    return response.content[:LIMIT]
