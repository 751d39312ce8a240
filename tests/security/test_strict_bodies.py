"""Strict request bodies, on SQLite and Postgres: `dryRun` that is not a JSON boolean
(null, a string, a number) or given twice is a 400 naming the field and changes no job;
unknown fields and bodies for POSTs that take none are 400s; a 1 MiB body is a 413
that the server answers without holding it, and a 100,000-deep array a 400."""

from __future__ import annotations

from pathlib import Path

import httpx
import psutil
import pytest
from servers import Api, bearer, seeded_profile
from servers import serve_subprocess as serve_command

from ygmon.api.request_limits import MAX_BODY_BYTES

BASE = "/api/admin/jobs"
JSON = {"Content-Type": "application/json"}


def _failed_ids(api: Api) -> list[str]:
    body = api.get(f"{BASE}/failed").json()
    return sorted(job["id"] for job in body["data"])


def _assert_400_naming(response: httpx.Response, field: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["success"] is False and body["error"] == "Invalid query parameters"
    assert [field] in [issue["path"] for issue in body["details"]], body


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"dryRun": null}', "dryRun"),
        (b'{"dryRun": "false"}', "dryRun"),
        (b'{"dryRun": 0}', "dryRun"),
        (b'{"dryRun": true, "dryRun": false}', "dryRun"),
        (b'{"dryRun": false, "queueName": null}', "queueName"),
        (b'{"dryRun": false, "limit": 1.5}', "limit"),
        (b'{"dryRun": false, "limit": true}', "limit"),
        (b'{"dryRun": false, "q": "a\\u0000b"}', "q"),
        (b'{"dryRun": false, "groupKey": "\\ud800"}', "groupKey"),
    ],
)
def test_a_bulk_body_of_the_wrong_type_is_a_400_and_changes_no_job(
    backend_api: Api, raw: bytes, field: str
) -> None:
    before = _failed_ids(backend_api)
    assert before, "the seed has failed jobs"
    for action in ("discard", "retry"):
        response = backend_api.post(f"{BASE}/bulk/{action}", content=raw, headers=JSON)
        _assert_400_naming(response, field)
    assert _failed_ids(backend_api) == before


def test_unknown_fields_and_non_objects_are_refused(backend_api: Api) -> None:
    before = _failed_ids(backend_api)
    extra = {"dryRun": False, "everything": True}
    refused = backend_api.post(f"{BASE}/bulk/discard", json=extra)
    _assert_400_naming(refused, "everything")
    for raw in (b"[]", b'"x"', b"null", b"not json", b"\xff\xfe"):
        _assert_400_naming(
            backend_api.post(f"{BASE}/bulk/discard", content=raw, headers=JSON), "body"
        )
    # POSTs that take no body take nothing else either.
    _assert_400_naming(
        backend_api.post(f"{BASE}/queues/maintenance/pause", json={"dryRun": True}), "dryRun"
    )
    _assert_400_naming(backend_api.post(f"{BASE}/maintenance/bad-1/retry", content=b"[1]"), "body")
    assert _failed_ids(backend_api) == before
    assert backend_api.post(f"{BASE}/bulk/discard", json={"dryRun": True}).status_code == 200


def test_a_100000_deep_array_is_a_400(backend_api: Api) -> None:
    response = backend_api.post(f"{BASE}/bulk/discard", content=b"[" * 100_000, headers=JSON)
    _assert_400_naming(response, "body")
    assert "nested" in response.json()["details"][0]["message"]
    # Brackets inside strings are text, not nesting.
    text = {"dryRun": True, "q": "[" * 200}
    assert backend_api.post(f"{BASE}/bulk/discard", json=text).status_code == 200


def _peak_rss(base_url: str) -> int:
    """The highest resident size the `ygmon serve` on that port has had (VmHWM)."""
    port = base_url.rsplit(":", 1)[1]
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "serve" in cmdline and port in cmdline:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no ygmon serve on port {port}")


def test_a_1_mib_body_is_a_413_without_the_server_holding_it(tmp_path) -> None:
    profile = seeded_profile(tmp_path)
    with serve_command(profile) as (base_url, token):
        url = base_url + f"{BASE}/bulk/discard"
        headers = {**bearer(token), **JSON}
        body = b'{"dryRun": true, "q": "' + b"a" * (1024 * 1024) + b'"}'
        with httpx.Client(timeout=30) as client:
            for _ in range(3):  # warm: imports, pools, first-request caches
                client.post(url, content=b'{"dryRun": true}', headers=headers)
            before = _peak_rss(base_url)
            codes = []
            for _ in range(5):
                try:
                    response = client.post(url, content=body, headers=headers)
                except httpx.TransportError:  # the server may close before reading it all
                    continue
                codes.append(response.status_code)
                assert response.json() == {"success": False, "error": "Request body too large"}
        grown = _peak_rss(base_url) - before
        assert codes and set(codes) == {413}
        assert grown < 5 * 1024 * 1024, f"server grew {grown / 1e6:.1f} MB"
        just_fits = b'{"dryRun": true, "q": "' + b"a" * (MAX_BODY_BYTES - 100) + b'"}'
        response = httpx.post(url, content=just_fits, headers=headers, timeout=30)
        assert response.status_code == 400  # within the cap: q's own limit speaks
        assert response.json()["details"][0]["path"] == ["q"]
