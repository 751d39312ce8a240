"""The rate limit holds per user across two `ygmon serve` processes sharing Redis, and
re-signing the token (a new `iat`, `exp` or `jti`) does not buy a fresh budget."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import jwt
import pytest
from servers import TEST_SECRET, bearer, delete_namespace, seed_database, serve_subprocess

from ygmon.config import LocalProfile

URL = "/api/admin/jobs/queues"


def _token(n: int) -> str:
    now = int(time.time())
    claims = {
        "sub": "admin-7",
        "role": "ADMIN",
        "iat": now - n,
        "exp": now + 600 + n,
        "jti": str(n),
    }
    return jwt.encode(claims, TEST_SECRET, algorithm="HS256")


@pytest.mark.redis
def test_two_servers_share_one_budget_whatever_the_iat(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        broker_url=redis_url,
        namespace=namespace,
        jwt_secret=TEST_SECRET,
    )
    seed_database(profile.database_url)
    try:
        with serve_subprocess(profile) as (first, _), serve_subprocess(profile) as (second, _):
            codes = []
            with httpx.Client(timeout=10) as a, httpx.Client(timeout=10) as b:
                for n in range(101):
                    client, base = (a, first) if n % 2 == 0 else (b, second)
                    codes.append(client.get(base + URL, headers=bearer(_token(n))).status_code)
            assert codes[:100] == [200] * 100
            assert codes[100] == 429
            # Another admin is not limited by the first one's use.
            other = jwt.encode(
                {"sub": "admin-8", "role": "ADMIN", "exp": int(time.time()) + 60},
                TEST_SECRET,
                algorithm="HS256",
            )
            assert httpx.get(second + URL, headers=bearer(other), timeout=10).status_code == 200
    finally:
        delete_namespace(redis_url, namespace)
