"""Search through the Monitor: LocalMonitor and RemoteMonitor (a real `ygmon serve` on
loopback) give equal answers, and the API refuses bad parameters with a 400 and
answers hostile queries with results or nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from search_helpers import settle
from servers import local_settings, remote_settings, serve_on_loopback

from ygmon.config import LocalProfile
from ygmon.errors import ConfigError
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import WorkerProcess
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.protocol import Monitor
from ygmon.pipelines.search.content import ContentService


@pytest.fixture
async def served(
    search_profile: LocalProfile,
    runtime: JobRuntime,
    worker: WorkerProcess,
    content: ContentService,
) -> AsyncIterator[tuple[Monitor, Monitor, str, str]]:
    await content.create("creator", stage_name="Marigold Vance", bio="velvet voice")
    await content.create("project", title="Velvet season", description="autumn campaign")
    gone = await content.create("project", title="Velvet ghost", description="")
    await settle(runtime)
    async with content.database.writer() as session:  # behind the index's back
        from sqlalchemy import text

        await session.execute(text("DELETE FROM projects WHERE id = :id"), {"id": gone})
    runtime.enqueue("search-index-reindex")
    await settle(runtime)
    with serve_on_loopback(search_profile, per_minute=100_000) as (url, token):
        local = make_monitor(local_settings(search_profile))
        remote = make_monitor(remote_settings(url, token))
        try:
            yield local, remote, url, token
        finally:
            await local.close()
            await remote.close()


async def test_local_and_remote_search_agree(
    served: tuple[Monitor, Monitor, str, str], search_profile: LocalProfile
) -> None:
    local, remote, _url, _token = served
    for args in (("velvet",), ("velv", "project"), ("Marigold v", None, 1), ("x" * 10_000,)):
        mine, theirs = await local.search(*args), await remote.search(*args)  # type: ignore[arg-type]
        assert theirs.to_json() == mine.to_json(), args
    hits = (await local.search("velvet")).hits
    assert {h.entity for h in hits} == {"creator", "project"}
    assert len(hits) == 2  # the deleted project is gone
    overview, remote_overview = (
        await local.search_index_overview(),
        await remote.search_index_overview(),
    )
    assert remote_overview.to_json() == overview.to_json()
    assert overview.sizes == {"asset": 0, "creator": 1, "project": 1, "license": 0, "blog_post": 0}
    last = overview.last_full_reindex
    assert last is not None and last.finished_at is not None
    orphaned = 0 if search_profile.database_url.startswith("postgresql") else 1
    assert last.fixed["project"]["orphaned"] == orphaned and last.total_fixed == orphaned
    with pytest.raises(ConfigError):
        await remote.search("x", "song")
    await _api_checks_search_parameters(*served[2:])  # the same server: one start-up


async def _api_checks_search_parameters(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as client:
        bad = await client.get("/api/admin/jobs/search", params={"q": "x", "entity": "song"})
        assert bad.status_code == 400 and bad.json()["success"] is False
        bad = await client.get("/api/admin/jobs/search", params={"q": "x", "limit": "0"})
        assert bad.status_code == 400
        for q in ('"velvet', "NEAR(", "-", "*", "1; DROP TABLE projects", "v " * 5_000):
            ok = await client.get("/api/admin/jobs/search", params={"q": q})
            assert ok.status_code == 200 and ok.json()["success"] is True, q
        anonymous = await httpx.AsyncClient(base_url=url).get("/api/admin/jobs/search")
        assert anonymous.status_code == 401
