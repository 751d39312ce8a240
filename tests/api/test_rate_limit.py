"""100 requests a minute per admin user: the 101st gets 429 with Retry-After; counters
in memory for an SQLite broker and in Redis (under the namespace) for a Redis broker."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import redis
from servers import (
    TEST_SECRET,
    admin_token,
    bearer,
    delete_namespace,
    serve_on_loopback,
    sqlite_profile,
)

from ygmon.api.auth import issue_token

URL = "/api/admin/jobs/queues"


def _exhaust(base_url: str, token: str) -> list[httpx.Response]:
    with httpx.Client(base_url=base_url, headers=bearer(token), timeout=10) as client:
        return [client.get(URL) for _ in range(101)]


def _assert_limited(responses: list[httpx.Response]) -> None:
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


def test_101st_request_is_429_in_memory(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path)
    with serve_on_loopback(profile) as (base_url, token):
        _assert_limited(_exhaust(base_url, token))
        # Per user: another admin still has its own budget.
        other = issue_token(TEST_SECRET, "ADMIN", "admin-2", 60)
        assert httpx.get(base_url + URL, headers=bearer(other)).status_code == 200


@pytest.mark.redis
def test_101st_request_is_429_with_redis_counters(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    profile = sqlite_profile(tmp_path, broker_url=redis_url, namespace=namespace)
    client = redis.Redis.from_url(redis_url)
    try:
        with serve_on_loopback(profile) as (base_url, token):
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


def _until_second(low: float, high: float) -> None:
    """Wait until the wall clock's second within its minute lies in [low, high)."""
    while not low <= time.time() % 60 < high:
        time.sleep(0.05)


@pytest.mark.redis
@pytest.mark.xdist_group("sleepy-b")
def test_no_window_boundary_lets_more_than_100_through(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    """100 requests, then 5 more just past the minute's boundary: a fixed window would
    take all 105 (its counter starts again on the minute); a moving one takes 100."""
    memory = sqlite_profile(tmp_path)
    shared = memory.replace(broker_url=redis_url, namespace=namespace)
    try:
        with serve_on_loopback(memory) as (first, token), serve_on_loopback(shared) as (second, _):
            # Start 2 to 45 s into a minute: the 100 land in that minute, and less than
            # 60 s before the 5 sent just past its end (so a moving window still holds them).
            _until_second(2, 45)
            codes = {b: [r.status_code for r in _exhaust(b, token)[:100]] for b in (first, second)}
            _until_second(0.2, 2)  # the next minute has begun
            with httpx.Client(headers=bearer(token), timeout=10) as client:
                for base in (first, second):
                    codes[base] += [client.get(base + URL).status_code for _ in range(5)]
        for base, seen in codes.items():
            assert seen.count(200) <= 100, (base, seen.count(200))
            assert seen[-5:] == [429] * 5, base
    finally:
        delete_namespace(redis_url, namespace)


def test_a_refused_token_spends_its_address_budget_not_its_subject_s(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path)
    viewer = issue_token(TEST_SECRET, "VIEWER", "admin-1", 600)
    with (
        serve_on_loopback(profile) as (base_url, admin),
        httpx.Client(base_url=base_url, timeout=10) as client,
    ):
        refused = [client.get(URL, headers=bearer(viewer)).status_code for _ in range(101)]
        assert refused[:100] == [403] * 100 and refused[100] == 429
        # The address's budget is spent (an anonymous request is limited too)...
        assert client.get(URL).status_code == 429
        # ...the admin it named still has all of its own.
        served = client.get(URL, headers=bearer(admin))
        assert served.status_code == 200
        assert served.headers["X-RateLimit-Remaining"] == "99"
