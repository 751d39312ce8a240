"""The blog's backlog: how many posts wait for `blog-scheduled-publishing`.

Health's `blog.scheduledJobs` (docs/CONTRACT.md#health): posts SCHEDULED and not
deleted. One statement, run by the stdlib's sqlite3 on the embedded fast path (no
SQLAlchemy import, see ygmon.db.embedded) and by a SQLAlchemy session otherwise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ygmon.enums import BlogPostStatus

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

COUNT_SQL = "SELECT count(*) FROM blog_posts WHERE status = :status AND deleted_at IS NULL"
_PARAMS = {"status": BlogPostStatus.SCHEDULED.value}


def count_sqlite(conn: sqlite3.Connection) -> int:
    (n,) = conn.execute(COUNT_SQL, _PARAMS).fetchone()
    return int(n)


async def count(session: AsyncSession) -> int:
    from sqlalchemy import text

    return int((await session.execute(text(COUNT_SQL), _PARAMS)).scalar_one())


async def count_or_reason(counting: Awaitable[int]) -> tuple[int | None, str | None]:
    """`counting`'s count, or None and why it failed (a database out of reach, a schema
    without the table): health still answers from the registry, and the count shows
    as unknown with this reason, never as 0."""
    from sqlalchemy.exc import SQLAlchemyError

    from ygmon.errors import YgmonError

    try:
        return await counting, None
    except YgmonError as exc:
        reason = exc.message
    except SQLAlchemyError as exc:
        cause = str(getattr(exc, "orig", None) or exc).strip()
        reason = cause.splitlines()[0] if cause else type(exc).__name__
    return None, f"The scheduled posts could not be counted: {reason}"
