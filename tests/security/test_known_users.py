"""Where the platform issues the tokens for its own users (`require_known_users`), a
token outlives neither its user nor their ADMIN role: a deleted user gets 401 and a
demoted one 403 even though their token is still signed and unexpired."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from servers import TEST_SECRET, bearer, seeded_profile, serve_on_loopback
from sqlalchemy import delete

from ygmon.api.auth import issue_token
from ygmon.db import Database
from ygmon.db.models import User
from ygmon.enums import UserRole

HEALTH = "/api/admin/jobs/health"
UNAUTHORIZED = {"success": False, "error": "Unauthorized"}
FORBIDDEN = {"success": False, "error": "Forbidden: Admin access required"}


async def _users(url: str) -> dict[str, str]:
    db = Database(url)
    async with db.writer() as session:
        made = {}
        for name, role in (("admin", UserRole.ADMIN), ("gone", UserRole.ADMIN),
                           ("demoted", UserRole.VIEWER)):  # fmt: skip
            user = User(email=f"{name}@x.test", name=name, role=role)
            session.add(user)
            await session.flush()
            made[name] = user.id
    await db.dispose()
    return made


async def _delete(url: str, user_id: str) -> None:
    db = Database(url)
    async with db.writer() as session:
        await session.execute(delete(User).where(User.id == user_id))
    await db.dispose()


def test_deleted_and_demoted_users_are_refused_with_known_users(tmp_path: Path) -> None:
    profile = seeded_profile(tmp_path).replace(require_known_users=True)
    users = asyncio.run(_users(profile.database_url))
    tokens = {name: issue_token(TEST_SECRET, "ADMIN", uid, 600) for name, uid in users.items()}
    asyncio.run(_delete(profile.database_url, users["gone"]))
    tokens["operator"] = issue_token(TEST_SECRET, "ADMIN", "admin-1", 600)  # no such user
    with serve_on_loopback(profile) as (base, _token):

        def get(name: str) -> httpx.Response:
            return httpx.get(base + HEALTH, headers=bearer(tokens[name]))

        assert get("admin").status_code == 200
        for name, status, body in (
            ("gone", 401, UNAUTHORIZED),
            ("operator", 401, UNAUTHORIZED),
            ("demoted", 403, FORBIDDEN),
        ):
            response = get(name)
            assert (response.status_code, response.json()) == (status, body), name


def test_without_known_users_an_operators_token_is_enough(tmp_path: Path) -> None:
    profile = seeded_profile(tmp_path)
    assert profile.require_known_users is False
    with serve_on_loopback(profile) as (base, _token):
        token = issue_token(TEST_SECRET, "ADMIN", "admin-1", 600)
        assert httpx.get(base + HEALTH, headers=bearer(token)).status_code == 200
