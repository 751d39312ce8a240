"""Who a token names, as the database knows them: the role a platform user holds now.

A JWT stays valid until it expires, whatever happens to its user meanwhile. With a
profile's `require_known_users` on (a deployment whose tokens the platform issues for
its own users), the API asks this before each request: a user deleted since the token
was issued gets 401, one no longer ADMIN gets 403. Answers are kept for CACHE_SECONDS,
so the check costs one indexed read per user and interval, not one per request.
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db.models import User
from ygmon.monitor.local_access import SessionReader

CACHE_SECONDS = 10.0


class UserRoles:
    def __init__(self, read: SessionReader) -> None:
        """`read`: LocalMonitor.read."""
        self._read = read
        self._cache: dict[str, tuple[float, str | None]] = {}

    async def role_of(self, user_id: str) -> str | None:
        """The user's role now, or None when the database holds no such user."""
        cached = self._cache.get(user_id)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]

        async def work(session: AsyncSession) -> str | None:
            role = await session.scalar(select(User.role).where(User.id == user_id))
            return None if role is None else str(getattr(role, "value", role))

        role = await self._read(work)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[user_id] = (time.monotonic(), role)
        return role
