"""The history endpoint keeps the API's rules: an extension in the OpenAPI document,
the guard's auth, zod-like issues for a bad window, 404 for an unknown queue."""

from __future__ import annotations

import httpx
from servers import bearer


def test_history_is_a_marked_extension(server: tuple[str, str]) -> None:
    base_url, _ = server
    doc = httpx.get(base_url + "/openapi.json", timeout=10).json()
    op = doc["paths"]["/api/admin/jobs/history"]["get"]
    assert op["x-ygmon-extension"] is True and "extension" in op["tags"]
    assert [p["name"] for p in op["parameters"]] == ["window", "queue", "task"]


def test_history_rejects_what_the_other_endpoints_reject(server: tuple[str, str]) -> None:
    base_url, token = server
    url = base_url + "/api/admin/jobs/history"
    assert httpx.get(url, timeout=10).status_code == 401
    bad = httpx.get(url, params={"window": "2h"}, headers=bearer(token), timeout=10)
    assert bad.status_code == 400
    (issue,) = bad.json()["details"]
    assert issue["path"] == ["window"] and issue["code"] == "invalid_enum_value"
    missing = httpx.get(url, params={"queue": "nope"}, headers=bearer(token), timeout=10)
    assert missing.status_code == 404 and missing.json()["error"] == "Queue not found"
    good = httpx.get(url, params={"window": "30d"}, headers=bearer(token), timeout=10)
    assert good.status_code == 200 and good.json()["data"]["stepSeconds"] == 3600


def test_latency_endpoints_are_marked_extensions_and_check_their_input(
    server: tuple[str, str],
) -> None:
    base_url, token = server
    doc = httpx.get(base_url + "/openapi.json", timeout=10).json()
    for path in ("/api/admin/jobs/latency", "/api/admin/jobs/latency/share"):
        assert doc["paths"][path]["get"]["x-ygmon-extension"] is True
    url = base_url + "/api/admin/jobs/latency/share"
    assert httpx.get(url, timeout=10).status_code == 401
    bad = httpx.get(url, params={"kind": "nap", "overMs": "-1"}, headers=bearer(token), timeout=10)
    assert bad.status_code == 400
    assert sorted(i["path"][0] for i in bad.json()["details"]) == ["kind", "overMs", "queue"]
    missing = httpx.get(
        url, params={"queue": "nope", "kind": "wait", "overMs": "30000"}, headers=bearer(token),
        timeout=10,
    )  # fmt: skip
    assert missing.status_code == 404 and missing.json()["error"] == "Queue not found"
    good = httpx.get(
        base_url + "/api/admin/jobs/latency", params={"window": "24h"}, headers=bearer(token),
        timeout=10,
    )  # fmt: skip
    assert good.status_code == 200 and good.json()["data"]["stepSeconds"] == 3600
