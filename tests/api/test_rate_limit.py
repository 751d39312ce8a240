"""100 requests a minute per admin user: the 101st gets 429 with Retry-After; counters
in memory for an SQLite broker and in Redis (under the namespace) for a Redis broker."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import redis
from servers import TEST_SECRET, admin_token, bearer, seed_database, serve_on_loopback

from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile

URL = "/api/admin/jobs/queues"


def _exhaust(base_url: str, token: str) -> list[httpx.Response]:
    with httpx.Client(base_url=base_url, headers=bearer(token), timeout=10) as client:
        return [client.get(URL) for _ in range(101)]


def _assert_limited(responses: list[httpx.Response]) -> None:
    # A window can roll over mid-run; the assertions hold within one minute's window.
    first = responses[0]
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "100"
    assert first.headers["X-RateLimit-Remaining"] == "99"
    assert [r.status_code for r in responses[:100]] == [200] * 100
    assert responses[99].headers["X-RateLimit-Remaining"] == "0"
    limited = responses[100]
    assert limited.status_code == 429
    assert limited.json() == {
        "success": False,
        "error": "Too many requests. Please try again later.",
    }
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert int(limited.headers["X-RateLimit-Reset"]) >= int(time.time())


def _window_has_room() -> None:
    # Fixed windows start on the minute: avoid starting 101 requests in its last seconds.
    left = 60 - time.time() % 60
    if left < 5:
        time.sleep(left + 0.1)


def test_101st_request_is_429_in_memory(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret=TEST_SECRET,
    )
    seed_database(profile.database_url)
    with serve_on_loopback(profile) as (base_url, token):
        _window_has_room()
        _assert_limited(_exhaust(base_url, token))
        # Per user: another admin still has its own budget.
        other = issue_token(TEST_SECRET, "ADMIN", "admin-2", 60)
        assert httpx.get(base_url + URL, headers=bearer(other)).status_code == 200


@pytest.mark.redis
def test_101st_request_is_429_with_redis_counters(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        broker_url=redis_url,
        namespace=namespace,
        jwt_secret=TEST_SECRET,
    )
    seed_database(profile.database_url)
    client = redis.Redis.from_url(redis_url)
    try:
        with serve_on_loopback(profile) as (base_url, token):
            _window_has_room()
            _assert_limited(_exhaust(base_url, token))
            keys = client.keys(f"{namespace}:ygmon:ratelimit*")
            assert keys, "the counter lives in Redis under the profile's namespace"
        # A second server on the same Redis shares the count: still limited.
        with serve_on_loopback(profile) as (base_url, _):
            again = httpx.get(base_url + URL, headers=bearer(admin_token(profile)))
            assert again.status_code == 429
    finally:
        for key in client.scan_iter(f"{namespace}:*"):
            client.delete(key)
        client.close()
