"""A server database that was never migrated is named as such, with the command to run,
locally and through the API (as a 503), instead of failing each query on a missing table."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from servers import TEST_SECRET, serve_on_loopback

from ygmon.config import LocalProfile
from ygmon.errors import SchemaBehindError
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.schemas import LogQuery


async def test_unmigrated_postgres_says_to_upgrade(postgres_url: str, tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=postgres_url,
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret=TEST_SECRET,
    )
    monitor = LocalMonitor(profile)
    try:
        with pytest.raises(SchemaBehindError, match=r"revision none .* run 'ygmon db upgrade'"):
            await monitor.aggregation_logs(LogQuery())
        # Health is the registry's: it answers, the blog group not healthy and saying why.
        blog = (await monitor.health()).groups["blog"]
        assert not blog.healthy
        assert "run 'ygmon db upgrade'" in (blog.scheduled_jobs_error or "")
    finally:
        await monitor.close()
    with serve_on_loopback(profile) as (url, token):
        response = httpx.get(
            f"{url}/api/admin/jobs/aggregation/logs",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 503
    assert response.json() == {"success": False, "error": "Service unavailable"}
