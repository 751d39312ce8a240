"""Forged, confused, stale and early tokens never pass the guard, and the signing
secret never leaves the server: not in an error body, the OpenAPI document or a log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time

import jwt
import pytest
from servers import TEST_SECRET, Api

UNAUTHORIZED = {"success": False, "error": "Unauthorized"}
FORBIDDEN = {"success": False, "error": "Forbidden: Admin access required"}
HEALTH = "/api/admin/jobs/health"
# What an attacker would use as the HMAC key in an RS/HS confusion: the server's
# "public key". ygmon has none, so any PEM text stands in for it.
PUBLIC_KEY_PEM = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEd7qVQ9Hqg7ZJgTQ0bN0b0rQ4h0V1\n"
    "-----END PUBLIC KEY-----\n"
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _forge(header: dict, claims: dict, key: bytes) -> str:
    """A JWT with any header, HMAC-SHA256-signed with `key`, built by hand so that no
    library refuses to make the token an attacker would send."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _claims(**extra: object) -> dict:
    now = int(time.time())
    return {"sub": "u1", "role": "ADMIN", "iat": now, "exp": now + 600, **extra}


def _tampered() -> str:
    # A VIEWER token whose payload is rewritten to ADMIN, signature kept.
    viewer = jwt.encode(_claims(role="VIEWER"), TEST_SECRET, algorithm="HS256")
    header, _payload, signature = viewer.split(".")
    return f"{header}.{_b64(json.dumps(_claims()).encode())}.{signature}"


REFUSED = {
    "alg_none_no_signature": _forge({"alg": "none", "typ": "JWT"}, _claims(), b"").rpartition(".")[
        0
    ]
    + ".",
    "alg_none_uppercase": _forge({"alg": "NONE", "typ": "JWT"}, _claims(), b""),
    "rs256_header_hmac_with_public_key": _forge(
        {"alg": "RS256", "typ": "JWT"}, _claims(), PUBLIC_KEY_PEM.encode()
    ),
    "hs256_with_public_key_as_secret": _forge(
        {"alg": "HS256", "typ": "JWT"}, _claims(), PUBLIC_KEY_PEM.encode()
    ),
    "rs256_header_real_secret": _forge(
        {"alg": "RS256", "typ": "JWT"}, _claims(), TEST_SECRET.encode()
    ),
    "expired": jwt.encode(_claims(exp=int(time.time()) - 30), TEST_SECRET, algorithm="HS256"),
    "not_yet_valid": jwt.encode(
        _claims(nbf=int(time.time()) + 3600), TEST_SECRET, algorithm="HS256"
    ),
    "tampered_payload": _tampered(),
    "missing_role": jwt.encode(
        {"sub": "u1", "exp": int(time.time()) + 600}, TEST_SECRET, algorithm="HS256"
    ),
    "role_not_a_string": jwt.encode(_claims(role=["ADMIN"]), TEST_SECRET, algorithm="HS256"),
    "missing_subject": jwt.encode(
        {"role": "ADMIN", "exp": int(time.time()) + 600}, TEST_SECRET, algorithm="HS256"
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_forged_or_invalid_token_is_401(api: Api, name: str) -> None:
    token = REFUSED[name]
    response = api.get(HEALTH, token=None, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, name
    assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize("role", ["SUPERADMIN", "admin", "Admin", "", "ADMIN "])
def test_unknown_or_misspelt_role_is_403(api: Api, role: str) -> None:
    token = jwt.encode(_claims(role=role), TEST_SECRET, algorithm="HS256")
    response = api.get(HEALTH, token=token)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


def test_the_secret_is_in_no_error_body_and_not_in_openapi(api: Api) -> None:
    bodies = [
        api.get(HEALTH, token=REFUSED["tampered_payload"]).text,
        api.get("/api/admin/jobs/aggregation/logs?page=zero").text,
        api.post("/api/admin/jobs/no-such-queue/x/retry").text,
        api.get("/api/admin/jobs/does-not-exist").text,
        api.get("/openapi.json", token=None).text,
    ]
    for body in bodies:
        assert TEST_SECRET not in body
        assert TEST_SECRET[:16] not in body


def test_the_secret_is_never_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("tampered_payload", "expired", "rs256_header_real_secret"):
        api.get(HEALTH, token=REFUSED[name])
    api.get("/api/admin/jobs/aggregation/logs?pageSize=-1")
    api.get(HEALTH)
    assert caplog.records, "the server logged nothing: the check would prove nothing"
    for record in caplog.records:
        assert TEST_SECRET not in record.getMessage()
