"""Hostile text in every place a client can put it (filters, queue names, job ids,
pagination) is rejected with the contract's body or is inert: it matches nothing,
changes nothing and never reaches SQL, the filesystem or a shell as code."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest
from servers import Api
from sqlalchemy import text

from ygmon.db import Database

BASE = "/api/admin/jobs"
HOSTILE = [
    "'; DROP TABLE metrics_aggregation_jobs_log; --",
    '" OR 1=1 --',
    "1) UNION SELECT secret FROM x --",
    "../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "$(touch /tmp/ygmon-pwned)",
    "`id`",
    "a|b;c&d>e",
    "%00",
    "*",
    "maintenance\nX-Injected: 1",
]


def _log_count(api: Api) -> int:
    async def count() -> int:
        db = Database(api.profile.database_url)
        try:
            async with db.reader() as session:
                rows = await session.execute(
                    text("SELECT count(*) FROM metrics_aggregation_jobs_log")
                )
                return rows.scalar_one()
        finally:
            await db.dispose()

    return asyncio.run(count())


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["jobType", "status", "startDate", "endDate", "page", "pageSize"])
def test_log_filters_reject_or_ignore_hostile_text(api: Api, name: str, value: str) -> None:
    response = api.get(f"{BASE}/aggregation/logs", params={name: value})
    assert response.status_code in (200, 400), response.text
    body = response.json()
    if response.status_code == 400:
        assert body["success"] is False and body["error"] == "Invalid query parameters"
    else:
        assert body["success"] is True and body["data"] == []


@pytest.mark.parametrize("value", HOSTILE)
def test_queue_names_and_job_ids_are_inert(api: Api, value: str) -> None:
    segment = quote(value, safe="")
    for method, path in (
        ("POST", f"{BASE}/{segment}/ok-1/retry"),
        ("POST", f"{BASE}/maintenance/{segment}/retry"),
        ("GET", f"{BASE}/queues/{segment}/jobs"),
        ("GET", f"{BASE}/queues/maintenance/jobs/{segment}"),
    ):
        response = api.request(method, path)
        assert response.status_code in (400, 404), (path, response.text)
        body = response.json()
        assert body["success"] is False and isinstance(body["error"], str)
        assert "Traceback" not in response.text and "X-Injected" not in response.headers


def test_hostile_requests_changed_nothing(api: Api) -> None:
    before = _log_count(api)
    listed = api.get(f"{BASE}/aggregation/logs").json()["pagination"]["total"]
    for value in HOSTILE:
        api.get(f"{BASE}/aggregation/logs", params={"jobType": value, "status": value})
        api.post(f"{BASE}/{quote(value, safe='')}/ok-1/retry")
    assert _log_count(api) == before
    assert api.get(f"{BASE}/aggregation/logs").json()["pagination"]["total"] == listed
