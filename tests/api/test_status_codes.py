"""Every status code of the contract's tables, with its exact body, over real HTTP."""

from __future__ import annotations

import pytest
from servers import FAILED_JOBS, LOG_ROWS, Api

BASE = "/api/admin/jobs"


def test_health_200_shape(api: Api) -> None:
    body = api.get(f"{BASE}/health").json()
    assert body["success"] is True
    data = body["data"]
    assert data["healthy"] is False
    assert set(data) == {
        "healthy",
        "email",
        "blog",
        "notifications",
        "search",
        "analytics",
        "previews",
        "maintenance",
    }
    assert data["blog"]["scheduledJobs"] == 2
    assert data["email"]["workers"]["email"] == {
        "isRunning": False,
        "error": "no live worker runs this queue",
    }


def test_logs_default_pagination(api: Api) -> None:
    body = api.get(f"{BASE}/aggregation/logs").json()
    assert body["success"] is True
    assert body["pagination"] == {"page": 1, "pageSize": 50, "total": LOG_ROWS, "totalPages": 1}
    first = body["data"][0]
    assert set(first) == {
        "id",
        "jobType",
        "periodStartDate",
        "periodEndDate",
        "startedAt",
        "completedAt",
        "status",
        "recordsProcessed",
        "recordsCreated",
        "recordsUpdated",
        "errorsCount",
        "durationSeconds",
        "memoryUsedMb",
        "errorMessage",
        "errorStack",
        "metadata",
        "createdAt",
    }
    assert first["startedAt"].endswith("Z") and first["periodStartDate"].count("-") == 2


def test_logs_filters(api: Api) -> None:
    body = api.get(
        f"{BASE}/aggregation/logs",
        params={"jobType": "daily", "status": "COMPLETED", "pageSize": 2, "page": 2},
    ).json()
    assert body["pagination"]["pageSize"] == 2 and body["pagination"]["page"] == 2
    assert all(r["jobType"] == "daily" and r["status"] == "COMPLETED" for r in body["data"])
    dated = api.get(
        f"{BASE}/aggregation/logs", params={"startDate": "2026-01-10", "endDate": "2026-01-12"}
    ).json()
    assert [r["periodEndDate"] for r in dated["data"]] == ["2026-01-12", "2026-01-11"]


def test_stats_endpoints_200(api: Api) -> None:
    search = api.get(f"{BASE}/search-index/stats").json()["data"]
    assert search["realtime"] == {"waiting": 1, "active": 0, "completed": 0, "failed": 0}
    notif = api.get(f"{BASE}/notifications/stats").json()["data"]
    assert notif["delivery"]["waiting"] == 2
    assert notif["digest"] == {
        "nextDailyRun": "2026-03-05T09:00:00.000Z",
        "nextWeeklyRun": "2026-03-09T09:00:00.000Z",
    }


def test_page_abc_is_the_contracts_400(api: Api) -> None:
    response = api.get(f"{BASE}/aggregation/logs", params={"page": "abc"})
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": "Invalid query parameters",
        "details": [
            {
                "code": "invalid_type",
                "expected": "number",
                "received": "string",
                "path": ["page"],
                "message": "Expected number, received string",
            }
        ],
    }


@pytest.mark.parametrize(
    ("path", "params", "code", "field"),
    [
        ("/aggregation/logs", {"page": "0"}, "too_small", "page"),
        ("/aggregation/logs", {"pageSize": "101"}, "too_big", "pageSize"),
        ("/aggregation/logs", {"pageSize": "2.5"}, "invalid_type", "pageSize"),
        ("/aggregation/logs", {"status": "DONE"}, "invalid_enum_value", "status"),
        ("/aggregation/logs", {"startDate": "yesterday"}, "invalid_string", "startDate"),
        ("/aggregation/logs", {"endDate": "2026-02-30"}, "invalid_string", "endDate"),
        ("/queues/maintenance/jobs", {"state": "sleeping"}, "invalid_enum_value", "state"),
        ("/failed", {"page": "-1"}, "too_small", "page"),
        ("/previews", {"status": "done"}, "invalid_enum_value", "status"),
    ],
)
def test_invalid_queries_are_400(api: Api, path: str, params: dict, code: str, field: str) -> None:
    response = api.get(BASE + path, params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["error"] == "Invalid query parameters"
    (issue,) = body["details"]
    assert issue["code"] == code and issue["path"] == [field]
    assert {"code", "expected", "received", "path", "message"} <= set(issue)


def test_all_issues_reported_at_once(api: Api) -> None:
    body = api.get(f"{BASE}/aggregation/logs", params={"page": "x", "status": "NO"}).json()
    assert [d["path"] for d in body["details"]] == [["page"], ["status"]]


def test_retry_404_and_400(api: Api) -> None:
    missing = api.post(f"{BASE}/maintenance/no-such-job/retry")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Job not found"}
    wrong_queue = api.post(f"{BASE}/email/{FAILED_JOBS[0]}/retry")
    assert wrong_queue.status_code == 404
    completed = api.post(f"{BASE}/maintenance/ok-1/retry")
    assert completed.status_code == 400
    assert completed.json() == {"success": False, "error": "Cannot retry job"}


def test_extensions_200_and_404(api: Api) -> None:
    queues = api.get(f"{BASE}/queues").json()["data"]
    assert queues[0]["name"] == "notification-delivery"
    assert set(queues[0]) == {"name", "waiting", "active", "completed", "failed", "delayed"}
    jobs = api.get(f"{BASE}/queues/maintenance/jobs", params={"state": "failed"}).json()
    assert jobs["pagination"]["total"] == 2
    job = api.get(f"{BASE}/queues/maintenance/jobs/{FAILED_JOBS[0]}").json()["data"]
    assert job["kwargs"] == {"fail": True} and "errorStack" in job
    # Its attempts (a ygmon extension of the job detail), in the API's camelCase.
    last = job["attempts"][-1]
    assert {"dueAt", "startedAt", "finishedAt", "waitSeconds", "runSeconds", "host", "pid"} <= set(
        last
    )
    assert (last["outcome"], last["logCut"]) == ("failed", 0) and "failing" in last["log"]
    assert last["finishedAt"].endswith("Z") and "dueAt" in job
    failed = api.get(f"{BASE}/failed", params={"pageSize": 1}).json()
    assert failed["pagination"] == {"page": 1, "pageSize": 1, "total": 2, "totalPages": 2}
    previews = api.get(f"{BASE}/previews", params={"status": "ready"}).json()
    assert {p["id"] for p in previews["data"]} == {"a-video-ready", "a-audio-ready"}
    assert set(previews["data"][0]) == {"id", "type", "title", "previewUrl", "metadata", "status"}
    assert api.get(f"{BASE}/queues/nope/jobs").json() == {
        "success": False,
        "error": "Queue not found",
    }
    assert api.get(f"{BASE}/queues/maintenance/jobs/nope").status_code == 404


def test_rate_limit_headers_on_every_response(api: Api) -> None:
    for response in (
        api.get(f"{BASE}/health"),
        api.get(f"{BASE}/aggregation/logs", params={"page": "x"}),
        api.get(f"{BASE}/health", token=None),
        api.post(f"{BASE}/maintenance/nope/retry"),
    ):
        for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            assert header in response.headers
        assert int(response.headers["X-RateLimit-Reset"]) > 1_600_000_000


def test_openapi_marks_extensions(api: Api) -> None:
    doc = httpx_get_json(api.base_url + "/openapi.json")
    paths = doc["paths"]
    for path in (
        "/queues",
        "/failed",
        "/queues/{queueName}/jobs",
        "/previews",
        "/queues/{queueName}/jobs/{jobId}",
    ):
        assert paths[BASE + path]["get"]["x-ygmon-extension"] is True
    for path in ("/health", "/aggregation/logs", "/search-index/stats", "/notifications/stats"):
        assert "x-ygmon-extension" not in paths[BASE + path]["get"]


def httpx_get_json(url: str) -> dict:
    import httpx

    return httpx.get(url, timeout=10).json()
