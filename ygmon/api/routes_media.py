"""`GET /media/{key}?expires=..&signature=..`: the media folder, for signed URLs only.

Outside /api/admin/jobs and its bearer auth: a `<video src=previewUrl>` sends no
Authorization header, so the URL's HMAC (ygmon.storage.signing) is the permission.
Anything unsigned, expired or tampered with gets 403, a key outside the storage's
rules or its root 404, and nothing lists a folder. Starlette's FileResponse answers
Range requests (206, multipart ranges, 416), so a browser's player can seek.
"""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from ygmon.api.deps import monitor_of
from ygmon.storage.base import InvalidKeyError

router = APIRouter(include_in_schema=False)
# Signed URLs live an hour or two: let browsers and CDNs keep the bytes that long.
CACHE = "private, max-age=3600"


def _refused(status: int) -> Response:
    text = "Forbidden" if status == 403 else "Not found"
    return PlainTextResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


@router.api_route("/media/{key:path}", methods=["GET", "HEAD"])
async def media(request: Request, key: str) -> Response:
    monitor = monitor_of(request)
    signer = monitor.media_signer()
    query = request.query_params
    now = monitor.now().timestamp()
    if not signer.valid(key, query.get("expires"), query.get("signature"), now=now):
        return _refused(403)
    from ygmon.storage import LocalStorage

    try:
        path = LocalStorage(monitor.profile.media_dir).path(key)
    except InvalidKeyError:
        return _refused(404)
    if not path.is_file():
        return _refused(404)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(
        path,
        media_type=kind,
        headers={"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"},
    )
