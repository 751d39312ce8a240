"""Every auth failure of the contract: missing, malformed, expired, wrongly signed and
`alg: none` tokens get 401; a valid non-admin token gets 403; bodies exact."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from servers import TEST_SECRET, Api

from ygmon.api.auth import issue_token

UNAUTHORIZED = {"success": False, "error": "Unauthorized"}
FORBIDDEN = {"success": False, "error": "Forbidden: Admin access required"}
PATHS = [
    ("GET", "/api/admin/jobs/health"),
    ("GET", "/api/admin/jobs/aggregation/logs"),
    ("GET", "/api/admin/jobs/search-index/stats"),
    ("GET", "/api/admin/jobs/notifications/stats"),
    ("POST", "/api/admin/jobs/maintenance/bad-1/retry"),
    ("GET", "/api/admin/jobs/queues"),
    ("GET", "/api/admin/jobs/failed"),
    ("GET", "/api/admin/jobs/queues/maintenance/jobs"),
    ("GET", "/api/admin/jobs/queues/maintenance/jobs/bad-1"),
    ("GET", "/api/admin/jobs/previews"),
]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**extra: object) -> dict:
    now = int(time.time())
    return {"sub": "u1", "role": "ADMIN", "iat": now, "exp": now + 600, **extra}


BAD_TOKENS = {
    "malformed": "not-a-jwt",
    "garbage_segments": "a.b.c",
    "expired": jwt.encode(_claims(exp=int(time.time()) - 10), TEST_SECRET, algorithm="HS256"),
    "wrong_signature": jwt.encode(_claims(), "another-secret-" + "x" * 32, algorithm="HS256"),
    "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}.",
    "hs512": jwt.encode(_claims(), TEST_SECRET * 2, algorithm="HS512"),
    "no_exp": jwt.encode({"sub": "u1", "role": "ADMIN"}, TEST_SECRET, algorithm="HS256"),
    "no_role": jwt.encode({"sub": "u1", "exp": int(time.time()) + 60}, TEST_SECRET, "HS256"),
}


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_missing_token_is_401_everywhere(api: Api, method: str, path: str) -> None:
    response = api.request(method, path, token=None)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response.headers["X-RateLimit-Limit"]


@pytest.mark.parametrize("name", list(BAD_TOKENS))
def test_bad_tokens_are_401(api: Api, name: str) -> None:
    response = api.get("/api/admin/jobs/health", token=BAD_TOKENS[name])
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_basic_scheme_is_401(api: Api) -> None:
    response = api.get(
        "/api/admin/jobs/queues", token=None, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert response.status_code == 401 and response.json() == UNAUTHORIZED


@pytest.mark.parametrize("role", ["CREATOR", "BRAND", "VIEWER"])
@pytest.mark.parametrize(("method", "path"), PATHS[:2] + PATHS[4:6])
def test_non_admin_is_403(api: Api, role: str, method: str, path: str) -> None:
    token = issue_token(TEST_SECRET, role, "someone", 60)
    response = api.request(method, path, token=token)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


def test_admin_token_from_issue_token_works(api: Api) -> None:
    token = issue_token(TEST_SECRET, "ADMIN", "another-admin", 60)
    response = api.get("/api/admin/jobs/health", token=token)
    assert response.status_code == 200 and response.json()["success"] is True
