"""Every bad input is a 4xx, on SQLite and Postgres alike: a NUL byte in any path or
query parameter of any route is a 400 (Postgres refused it with a 500, and a paused
queue's audit row with a 503), a token whose subject no database stores is a 401, a
signed URL's expiry in non-ASCII digits is a 403, and no 4xx logs a traceback."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import jwt
import pytest
from servers import TEST_SECRET, Api, bearer

BASE = "/api/admin/jobs"
NUL = "a\x00b"
VALID_PATH = {"queueName": "maintenance", "jobId": "ok-1", "assetId": "a-image", "name": "x"}


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """Records of the server's loggers (uvicorn's do not reach the root logger)."""
    caplog.set_level(logging.INFO)
    uvicorn = logging.getLogger("uvicorn")
    uvicorn.addHandler(caplog.handler)
    try:
        yield caplog.records
    finally:
        uvicorn.removeHandler(caplog.handler)


SERVER_LOGGERS = ("uvicorn", "ygmon.api", "fastapi", "starlette")


def _no_traceback(records: list[logging.LogRecord]) -> None:
    for record in records:
        if not record.name.startswith(SERVER_LOGGERS):
            continue  # e.g. the seed's worker, still logging its canaries' failures
        assert record.exc_info is None, record.getMessage()
        assert "Traceback" not in record.getMessage()


def _operations(api: Api) -> list[tuple[str, str, dict]]:
    doc = httpx.get(api.base_url + "/openapi.json", timeout=10).json()
    return [
        (method.upper(), path, op)
        for path, ops in doc["paths"].items()
        if path.startswith(BASE)
        for method, op in ops.items()
    ]


def _url(path: str, nul_in: str | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return quote(NUL if name == nul_in else VALID_PATH[name], safe="")

    return re.sub(r"\{(\w+)\}", value, path)


def test_a_nul_in_any_path_or_query_parameter_is_a_400(backend_api: Api, logged) -> None:
    checked = 0
    for method, path, op in _operations(backend_api):
        body = {"dryRun": True} if "requestBody" in op else None
        for name in re.findall(r"\{(\w+)\}", path):
            response = backend_api.request(method, _url(path, name), json=body)
            assert response.status_code == 400, (method, path, name, response.text)
            assert response.json()["error"] == "Invalid query parameters"
            checked += 1
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            response = backend_api.request(
                method, _url(path), params={param["name"]: NUL}, json=body
            )
            assert response.status_code == 400, (method, path, param["name"], response.text)
            assert [param["name"]] in [i["path"] for i in response.json()["details"]]
            checked += 1
    assert checked > 40
    _no_traceback(logged)


def test_pausing_a_queue_named_with_a_nul_is_a_400_and_writes_nothing(backend_api: Api) -> None:
    before = backend_api.get(f"{BASE}/audit").json()["pagination"]["total"]
    response = backend_api.post(f"{BASE}/queues/a%00b/pause")
    assert response.status_code == 400, response.text
    assert backend_api.get(f"{BASE}/audit").json()["pagination"]["total"] == before


def test_a_subject_no_database_stores_is_a_401(backend_api: Api) -> None:
    for subject in ("admin\x00", "x" * 256):
        claims = {"sub": subject, "role": "ADMIN", "exp": int(time.time()) + 60}
        token = jwt.encode(claims, TEST_SECRET, algorithm="HS256")
        response = httpx.post(
            backend_api.base_url + f"{BASE}/queues/maintenance/pause",
            headers=bearer(token),
            timeout=10,
        )
        assert response.status_code == 401, response.text


@pytest.mark.parametrize("expires", ["²", "١٢٣", "12345678901234", "-1", " 1"])
def test_a_signed_url_expiry_in_other_digits_is_a_403_without_a_traceback(
    backend_api: Api, logged, expires: str
) -> None:
    for _ in range(3):
        response = httpx.get(
            backend_api.base_url + "/media/a",
            params={"expires": expires, "signature": "x"},
            timeout=10,
        )
        assert response.status_code == 403, response.text
    _no_traceback(logged)
