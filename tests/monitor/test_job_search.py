"""Job search and failure groups, the same over the local and the remote backend, on
the SQLite and the Redis registry (the `seeded` data of conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from servers import FAILED_JOBS, FIXED_NOW, OK_JOBS, bearer

from ygmon.errors import InvalidQueryError, NotFoundError
from ygmon.monitor.job_search_schemas import JobQuery
from ygmon.monitor.protocol import Monitor
from ygmon.monitor.schemas import JobState


async def _ids(monitor: Monitor, q: str, **filters: object) -> list[str]:
    page = await monitor.search_jobs(JobQuery(q=q, **filters))  # type: ignore[arg-type]
    assert page.pagination.total == len(page.data)
    return sorted(j.id for j in page.data)


async def test_search_finds_by_argument_error_word_and_id(monitor: Monitor) -> None:
    # An argument value (kwargs user="u2"), an error word, an id suffix and prefix.
    assert await _ids(monitor, "u2") == ["deliver-2"]
    assert await _ids(monitor, "asked") == sorted(FAILED_JOBS)
    assert await _ids(monitor, "ad-2") == ["bad-2"]
    assert await _ids(monitor, "deliv") == ["deliver-1", "deliver-2"]
    # The exception type from the stack, a task name, several words (all must match).
    assert await _ids(monitor, "RuntimeError") == sorted(FAILED_JOBS)
    assert await _ids(monitor, "test-index") == ["index-1"]
    assert await _ids(monitor, "canary fail") == sorted(FAILED_JOBS)
    assert await _ids(monitor, "nothing-like-this") == []
    assert await _ids(monitor, "--- !!") == []


async def test_search_filters_by_queue_state_and_time(monitor: Monitor) -> None:
    assert await _ids(monitor, "canary", state=JobState.COMPLETED) == sorted(OK_JOBS)
    assert await _ids(monitor, "canary", queue="notification-delivery") == []
    assert await _ids(monitor, "", queue="notification-delivery") == ["deliver-1", "deliver-2"]
    assert await _ids(monitor, "", state=JobState.FAILED) == sorted(FAILED_JOBS)
    # The seeded jobs ran twenty minutes before FIXED_NOW.
    assert await _ids(monitor, "canary", since=FIXED_NOW - timedelta(minutes=1)) == []
    assert len(await _ids(monitor, "canary", until=FIXED_NOW)) == 5
    page = await monitor.search_jobs(JobQuery(q="canary", page=2, page_size=2))
    assert page.pagination.total == 5 and page.pagination.total_pages == 3
    assert len(page.data) == 2


async def test_search_answers_the_same_on_both_backends(pair: tuple[Monitor, Monitor]) -> None:
    local, remote = pair
    for q in ("canary", "u1", "1", ""):
        query = JobQuery(q=q, page_size=100)
        assert (await local.search_jobs(query)) == (await remote.search_jobs(query))
    assert (await local.failure_groups()) == (await remote.failure_groups())


async def test_search_refuses_bad_input(monitor: Monitor) -> None:
    with pytest.raises(NotFoundError, match="Queue not found"):
        await monitor.search_jobs(JobQuery(q="x", queue="nope"))
    with pytest.raises(InvalidQueryError):
        await monitor.search_jobs(JobQuery(q="x" * 201))


async def test_failure_groups_count_every_failure(monitor: Monitor) -> None:
    groups = await monitor.failure_groups()
    failed = await monitor.failed_jobs()
    assert sum(g.count for g in groups) == failed.pagination.total == len(FAILED_JOBS)
    (group,) = groups
    assert group.exception_type == "RuntimeError"
    assert group.message == "canary asked to fail"
    assert group.queues == ["maintenance"] and group.tasks == ["canary"]
    assert group.first_seen <= group.last_seen
    assert await monitor.failure_groups("notification-delivery") == []


def test_job_lists_take_q_and_refuse_bad_queries(server: tuple[str, str]) -> None:
    base_url, token = server
    api = f"{base_url}/api/admin/jobs"

    def get(path: str, **params: str) -> httpx.Response:
        return httpx.get(api + path, params=params, headers=bearer(token), timeout=10)

    body = get("/failed", q="ad-1").json()
    assert [j["id"] for j in body["data"]] == ["bad-1"] and body["pagination"]["total"] == 1
    body = get("/queues/maintenance/jobs", q="canary", state="completed").json()
    assert sorted(j["id"] for j in body["data"]) == sorted(OK_JOBS)
    assert get("/job-search", q="u2").json()["data"][0]["id"] == "deliver-2"
    groups = get("/failed/groups").json()["data"]
    assert groups[0]["count"] == 2 and set(groups[0]) >= {"key", "exceptionType", "firstSeen"}
    for params in ({"q": "x" * 201}, {"since": "yesterday"}, {"q": "a", "page": "0"}):
        answer = get("/failed", **params)
        assert answer.status_code == 400, params
        assert answer.json()["error"] == "Invalid query parameters"
        assert answer.json()["details"][0]["path"]
    assert get("/job-search", queueName="nope", q="a").status_code == 404


async def test_a_group_lists_its_jobs(monitor: Monitor) -> None:
    (group,) = await monitor.failure_groups()
    page = await monitor.search_jobs(JobQuery(group_key=group.key))
    assert sorted(j.id for j in page.data) == sorted(FAILED_JOBS)
    assert page.pagination.total == group.count
    narrowed = await monitor.search_jobs(JobQuery(group_key=group.key, q="ad-2"))
    assert [j.id for j in narrowed.data] == ["bad-2"]
    assert (await monitor.search_jobs(JobQuery(group_key="000000000000"))).data == []
