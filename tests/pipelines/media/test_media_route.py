"""`ygmon serve` serves /media for signed URLs only, with HTTP range requests; the
URLs come from the API's own previewUrl / thumbnailUrl, made from real jobs' output."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import pytest
from servers import bearer, serve_on_loopback

from ygmon.pipelines.media.assets import import_file
from ygmon.pipelines.media.preview import make_preview
from ygmon.pipelines.media.thumbnail import make_thumbnail
from ygmon.storage.factory import signer_for

CDN = "https://cdn.example.test/media"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
async def served(profile, db, storage, sources):
    profile = profile.replace(media_base_url=CDN)
    asset = await import_file(db, storage, sources["short.wav"], lambda *a, **k: "x")
    await make_thumbnail(db, storage, asset.asset_id, lambda *a, **k: "x", now=now)
    await make_preview(db, storage, asset.asset_id, now=now)
    with serve_on_loopback(profile) as (base, token):
        yield profile, storage, asset.asset_id, base, token


def _local(base: str, url: str) -> str:
    """The CDN's URL as the CDN forwards it to `ygmon serve`: same path and query."""
    assert url.startswith(CDN + "/")
    parts = urlsplit(url)
    return f"{base}{parts.path}?{parts.query}"


async def test_preview_url_serves_the_preview_with_range_requests(served) -> None:
    _profile, storage, asset_id, base, token = served
    async with httpx.AsyncClient(timeout=10) as client:
        page = (await client.get(f"{base}/api/admin/jobs/previews", headers=bearer(token))).json()
        [row] = page["data"]
        assert row["status"] == "ready"
        url = _local(base, row["previewUrl"])
        body = storage.path(f"previews/{asset_id}.mp3").read_bytes()
        whole = await client.get(url)
        assert whole.status_code == 200 and whole.content == body
        assert whole.headers["accept-ranges"] == "bytes"
        assert whole.headers["content-type"] == "audio/mpeg"
        part = await client.get(url, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == body[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(body)}"
        tail = await client.get(url, headers={"Range": "bytes=-50"})
        assert tail.status_code == 206 and tail.content == body[-50:]
        beyond = await client.get(url, headers={"Range": f"bytes={len(body) + 10}-"})
        assert beyond.status_code == 416
        head = await client.head(url)
        assert head.status_code == 200 and int(head.headers["content-length"]) == len(body)
        detail = await client.get(f"{base}/api/admin/jobs/assets/{asset_id}", headers=bearer(token))
        thumb = await client.get(_local(base, detail.json()["data"]["thumbnailUrl"]))
        assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"  # a JPEG
        # No bearer token is needed, and one is not enough without the signature.
        bare = url.split("?")[0]
        assert (await client.get(bare, headers=bearer(token))).status_code == 403


def _mac(profile, key: str, expires: int) -> str:
    from ygmon.storage.secret import signing_secret

    media_key = hmac.new(
        signing_secret(profile).encode(), b"ygmon-media-url-v1", hashlib.sha256
    ).digest()
    return hmac.new(media_key, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


async def test_media_refuses_unsigned_expired_tampered_and_escaping_urls(served, tmp_path) -> None:
    profile, storage, asset_id, base, _token = served
    key = f"previews/{asset_id}.mp3"
    good = _local(base, signer_for(profile).url(key))
    later = int(time.time()) + 3600
    past = int(time.time()) - 10
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, storage.root / "previews" / "link.txt")
    refused = {
        "unsigned": (f"{base}/media/{key}", 403),
        "expired": (f"{base}/media/{key}?expires={past}&signature={_mac(profile, key, past)}", 403),
        "tampered": (good[:-1] + ("0" if good[-1] != "0" else "1"), 403),
        "other key": (good.replace(".mp3", ".mp4"), 403),
        "longer expiry": (good.replace("expires=", "expires=1"), 403),
        "climbing": (
            f"{base}/media/previews/%2e%2e/%2e%2e/ygmon.db?expires={later}"
            f"&signature={_mac(profile, 'previews/../../ygmon.db', later)}",
            403,
        ),
        "symlink out": (
            f"{base}/media/previews/link.txt?expires={later}"
            f"&signature={_mac(profile, 'previews/link.txt', later)}",
            404,
        ),
        "missing": (
            f"{base}/media/previews/nope.mp3?expires={later}"
            f"&signature={_mac(profile, 'previews/nope.mp3', later)}",
            404,
        ),
        "folder": (
            f"{base}/media/previews?expires={later}&signature={_mac(profile, 'previews', later)}",
            404,
        ),
    }
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(good)).status_code == 200
        for name, (url, status) in refused.items():
            response = await client.get(url)
            assert response.status_code == status, name
            assert b"secret" not in response.content and len(response.content) < 20, name
