"""`blog-scheduled-publishing`: every minute, publish the posts whose time has passed.

Each post is published by a conditional UPDATE (... WHERE status = 'SCHEDULED'), so of
two workers running at once exactly one changes a given post; that one writes the
author's notification in the same transaction, then (after commit) enqueues the
notification's delivery and the post's search-index update. A worker killed between
that commit and the enqueues leaves the in-app notification without its e-mail and
the index to the next reindex; the post itself is published once either way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from ygmon.db import Database
from ygmon.db.models import BlogPost, BlogPostStatus
from ygmon.pipelines.notifications.create import add_notification, enqueue_delivery
from ygmon.pipelines.search.changes import index_changed


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return (
        BlogPost.status == BlogPostStatus.SCHEDULED,
        BlogPost.scheduled_for <= now,
        BlogPost.deleted_at.is_(None),
    )


async def publish_due_posts(
    db: Database, enqueue: Callable[..., str], now: datetime
) -> dict[str, Any]:
    """Publish every due post this run wins; the job's result."""
    async with db.reader() as session:
        due = (
            (
                await session.execute(
                    select(BlogPost.id).where(*_due(now)).order_by(BlogPost.scheduled_for)
                )
            )
            .scalars()
            .all()
        )
    published: list[str] = []
    notifications: list[str] = []
    for post_id in due:
        async with db.writer() as session:
            result = await session.execute(
                update(BlogPost)
                .where(BlogPost.id == post_id, *_due(now))
                .values(status=BlogPostStatus.PUBLISHED, published_at=now, updated_at=now)
                .returning(BlogPost.author_id, BlogPost.title, BlogPost.slug)
            )
            won = result.first()
            if won is None:
                continue  # another worker published it first
            author_id, title, slug = won
            note = None
            if author_id is not None:
                note = add_notification(
                    session,
                    user_id=author_id,
                    kind="BLOG",
                    title=f"Your post “{title}” is published",
                    message=f"“{title}” went live at {now:%Y-%m-%d %H:%M} UTC as scheduled.",
                    action_url=f"/blog/{slug}",
                    data={"postId": post_id},
                    now=now,
                )
                await session.flush()
        published.append(post_id)
        if note is not None:
            enqueue_delivery(enqueue)  # a pending delivery job covers the next ones too
            notifications.append(note.id)
        index_changed(enqueue, "blog_post", post_id)
    return {"published": published, "notified": len(notifications), "due": len(due)}
