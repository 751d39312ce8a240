"""Health's blog backlog is one count, the same through a session (SQLite or Postgres)
and through sqlite3 on the embedded fast path."""

from __future__ import annotations

from datetime import UTC, datetime

from ygmon.db import Database, embedded, scheduled_posts
from ygmon.db import models as m

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _post(n: int, status: m.BlogPostStatus, deleted: bool = False) -> m.BlogPost:
    return m.BlogPost(
        id=f"b{n}",
        title=f"Post {n}",
        slug=f"post-{n}",
        content="Body",
        status=status,
        scheduled_for=T0,
        deleted_at=T0 if deleted else None,
    )


async def test_counts_scheduled_posts_that_are_not_deleted(
    database: Database, database_url: str
) -> None:
    async with database.writer() as session:
        session.add_all(
            [
                _post(1, m.BlogPostStatus.SCHEDULED),
                _post(2, m.BlogPostStatus.SCHEDULED),
                _post(3, m.BlogPostStatus.SCHEDULED, deleted=True),
                _post(4, m.BlogPostStatus.PUBLISHED),
                _post(5, m.BlogPostStatus.DRAFT),
            ]
        )
    async with database.reader() as session:
        assert await scheduled_posts.count(session) == 2
    path = embedded.sqlite_file(database_url)
    if path is not None:
        assert embedded.scheduled_posts(path) == 2
