"""RemoteMonitor maps every status of the API to the YgmonError a screen shows."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from servers import TEST_SECRET, remote_settings, serve_on_loopback, sqlite_profile

from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile
from ygmon.errors import (
    ForbiddenError,
    InvalidQueryError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
    UnavailableError,
)
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.remote import RemoteMonitor
from ygmon.monitor.schemas import LogQuery


@pytest.fixture
def profile(tmp_path: Path) -> LocalProfile:
    return sqlite_profile(tmp_path)


async def test_rate_limit_maps_to_rate_limited_with_retry_after(profile: LocalProfile) -> None:
    with serve_on_loopback(profile, per_minute=2) as (url, token):
        monitor = make_monitor(remote_settings(url, token))
        assert isinstance(monitor, RemoteMonitor)
        try:
            await monitor.queues()
            assert monitor.rate_limit == 2 and monitor.rate_remaining == 1
            await monitor.queues()
            assert monitor.rate_remaining == 0
            with pytest.raises(RateLimitedError) as info:
                await monitor.queues()
            assert 0 < info.value.retry_after <= 60
            assert "try again in" in info.value.message
        finally:
            await monitor.close()


async def test_auth_failures_map_to_unauthorized_and_forbidden(profile: LocalProfile) -> None:
    with serve_on_loopback(profile) as (url, _token):
        for token, error in (
            ("garbage", UnauthorizedError),
            (issue_token(TEST_SECRET, "ADMIN", "u", -5), UnauthorizedError),
            (issue_token(TEST_SECRET, "VIEWER", "u", 60), ForbiddenError),
        ):
            monitor = make_monitor(remote_settings(url, token))
            try:
                with pytest.raises(error):
                    await monitor.health()
            finally:
                await monitor.close()


async def test_invalid_query_keeps_the_details(profile: LocalProfile) -> None:
    with serve_on_loopback(profile) as (url, token):
        monitor = make_monitor(remote_settings(url, token))
        try:
            # LogQuery itself rejects page=0 on the client; a jobType longer than the
            # server's 64 characters is what only the server refuses.
            with pytest.raises(InvalidQueryError) as info:
                await monitor.aggregation_logs(LogQuery(job_type="x" * 65))
            assert info.value.details[0]["path"] == ["jobType"]
        finally:
            await monitor.close()


async def test_network_failures_and_5xx(profile: LocalProfile, tmp_path: Path) -> None:
    down = make_monitor(remote_settings("http://127.0.0.1:1", "t"))
    try:
        with pytest.raises(UnavailableError, match="cannot reach"):
            await down.queues()
    finally:
        await down.close()
    broken = profile.replace(broker_url="redis://127.0.0.1:1/0")
    with serve_on_loopback(broken) as (url, token):
        monitor = make_monitor(remote_settings(url, token))
        try:
            with pytest.raises(UnavailableError, match="cannot reach its broker or database"):
                await monitor.queues()
        finally:
            await monitor.close()
    (tmp_path / "bad.sqlite").write_bytes(b"not a database" * 100)
    corrupt = profile.replace(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bad.sqlite'}")
    with serve_on_loopback(corrupt) as (url, token):
        monitor = make_monitor(remote_settings(url, token))
        try:
            with pytest.raises(ServerError, match="500"):
                await monitor.aggregation_logs(LogQuery())
        finally:
            await monitor.close()


async def test_budget_keeps_the_lowest_remaining_of_a_window() -> None:
    """A poll's concurrent answers arrive out of order; the budget must not climb back."""
    monitor = make_monitor(remote_settings("http://127.0.0.1:1", "t"))
    assert isinstance(monitor, RemoteMonitor)

    def answer(remaining: int, reset: int) -> httpx.Response:
        headers = {
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
        }
        return httpx.Response(200, headers=headers)

    try:
        for remaining in (97, 99, 98):  # decremented 99, 98, 97; answered 97 first
            monitor.note_headers(answer(remaining, 1_700_000_060))
        assert monitor.rate_remaining == 97
        monitor.note_headers(answer(99, 1_700_000_120))  # a new window starts afresh
        assert monitor.rate_remaining == 99 and monitor.rate_limit == 100
    finally:
        await monitor.close()
