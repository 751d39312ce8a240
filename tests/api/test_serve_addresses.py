"""`ygmon serve` and the addresses it is reached by: media URLs point where the
request went (`--port`, a host name) when no media_base_url is set, and
X-Forwarded-For is believed only from the peers in `trusted_proxies`."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from servers import bearer, fixed_clock, seeded_profile, serve_subprocess

from ygmon.config import LocalProfile

BASE = "/api/admin/jobs"
FORGED = "203.0.113.9"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    profile = seeded_profile(tmp_path_factory.mktemp("addresses"), clock=fixed_clock)
    preview = Path(profile.media_dir) / "previews" / "a.mp4"
    preview.parent.mkdir(parents=True, exist_ok=True)
    preview.write_bytes(b"not really an mp4, but bytes to serve")
    return profile


def test_media_urls_point_at_the_port_and_host_the_request_reached(profile) -> None:
    assert profile.media_base_url is None and profile.serve_port == 8420
    with serve_subprocess(profile) as (base_url, token):
        port = base_url.rsplit(":", 1)[1]
        assert port != "8420"
        for host in ("127.0.0.1", "localhost"):
            api = f"http://{host}:{port}"
            asset = httpx.get(f"{api}{BASE}/assets/a-video-ready", headers=bearer(token)).json()
            url = asset["data"]["previewUrl"]
            assert url.startswith(f"{api}/media/previews/a.mp4?"), url
            fetched = httpx.get(url, timeout=10)
            assert fetched.status_code == 200
            assert fetched.content == b"not really an mp4, but bytes to serve"
        # A Host header that is no host name is not echoed into URLs.
        odd = httpx.get(
            f"{base_url}{BASE}/previews",
            headers={**bearer(token), "Host": "evil.example/<x>"},
            timeout=10,
        )
        urls = [a["previewUrl"] for a in odd.json()["data"] if a["previewUrl"]]
        assert urls and all(u.startswith(f"http://127.0.0.1:{port}/media/") for u in urls)


def _paused_from(base_url: str, token: str, queue: str) -> str | None:
    headers = {**bearer(token), "X-Forwarded-For": FORGED}
    response = httpx.post(f"{base_url}{BASE}/queues/{queue}/pause", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    records = httpx.get(f"{base_url}{BASE}/audit", headers=bearer(token), timeout=10).json()
    return next(r["address"] for r in records["data"] if r["target"] == queue)


def test_a_forged_x_forwarded_for_is_not_recorded(profile) -> None:
    assert profile.trusted_proxies == ()
    with serve_subprocess(profile) as (base_url, token):
        assert _paused_from(base_url, token, "search-index-update") == "127.0.0.1"


def test_a_listed_proxy_s_x_forwarded_for_is_recorded(profile) -> None:
    behind_proxy = profile.replace(trusted_proxies=["127.0.0.1"])
    with serve_subprocess(behind_proxy) as (base_url, token):
        assert _paused_from(base_url, token, "notification-delivery") == FORGED
