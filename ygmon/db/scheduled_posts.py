"""The blog's backlog: how many posts wait for `blog-scheduled-publishing`.

Health's `blog.scheduledJobs` (docs/CONTRACT.md#health): posts SCHEDULED and not
deleted. One statement, run by the stdlib's sqlite3 on the embedded fast path (no
SQLAlchemy import, see ygmon.db.embedded) and by a SQLAlchemy session otherwise.
"""

from __future__ import annotations

import sqlite3
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
