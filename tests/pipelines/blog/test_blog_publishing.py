"""Scheduled publishing: with two workers running the publisher at once, every post
whose time has passed is published exactly once and its author notified once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.models import BlogPost, BlogPostStatus, Notification, NotificationEmail, User
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.local import LocalMonitor
from ygmon.pipelines.notifications.delivery import AWAITING_DELIVERY

QUEUE = "blog-scheduled-publishing"
DUE = 30


async def _seed(url: str, now: datetime) -> str:
    db = Database(url)
    async with db.writer() as session:
        author = User(email="author@x.test", name="Author")
        session.add(author)
        await session.flush()
        for i in range(DUE + 2):
            session.add(
                BlogPost(
                    author_id=author.id,
                    title=f"Post {i}",
                    slug=f"post-{i}",
                    status=BlogPostStatus.SCHEDULED,
                    # Two of them are due only in an hour.
                    scheduled_for=now + (timedelta(hours=1) if i >= DUE else -timedelta(minutes=i)),
                )
            )
    await db.dispose()
    return author.id


async def _state(url: str) -> tuple[list[BlogPost], list[Notification]]:
    db = Database(url)
    async with db.reader() as session:
        posts = list((await session.execute(select(BlogPost))).scalars())
        notes = list((await session.execute(select(Notification))).scalars())
    await db.dispose()
    return posts, notes


async def _scheduled(profile: LocalProfile) -> int | None:
    monitor = LocalMonitor(profile)
    try:
        return (await monitor.health()).groups["blog"].scheduled_jobs
    finally:
        await monitor.close()


async def _held_emails(url: str) -> set[str]:
    db = Database(url)
    async with db.reader() as session:
        rows = await session.execute(
            select(NotificationEmail.notification_id).where(
                NotificationEmail.claimed_by == AWAITING_DELIVERY
            )
        )
        held = set(rows.scalars())
    await db.dispose()
    return held


def test_two_workers_publish_each_due_post_once(blog_profile: LocalProfile) -> None:
    now = datetime.now(UTC)
    author = asyncio.run(_seed(blog_profile.database_url, now))
    assert asyncio.run(_scheduled(blog_profile)) == DUE + 2
    with open_runtime(blog_profile) as one, open_runtime(blog_profile) as two:
        jobs = [one.enqueue("publish-scheduled-posts") for _ in range(2)]
        with (
            in_process_worker(blog_profile, [QUEUE], runtime=one),
            in_process_worker(blog_profile, [QUEUE], runtime=two),
        ):
            one.wait_idle(30, [QUEUE])
        details = [one.registry.get_job(j) for j in jobs]
        results = [d.result for d in details]
        deliveries = one.registry.counts("notification-delivery").waiting

    published = [p for r in results for p in r["published"]]
    # A result lists what its last attempt published: an earlier attempt that failed
    # half-way would hide its posts, so its attempts are named if the count is off.
    tried = [(a.outcome, a.error) for d in details for a in d.attempts]
    assert len(published) == len(set(published)) == DUE, tried
    posts, notes = asyncio.run(_state(blog_profile.database_url))
    by_status = {p.slug: p for p in posts if p.status == BlogPostStatus.PUBLISHED}
    assert len(by_status) == DUE and all(p.published_at is not None for p in by_status.values())
    assert {n.data["postId"] for n in notes} == set(published)
    assert len(notes) == DUE and {n.user_id for n in notes} == {author}
    assert {n.type for n in notes} == {"BLOG"}
    # Every author notification waits for its delivery: its e-mail row is held for it,
    # and one pending delivery job covers them all (ygmon.pipelines.notifications.wake).
    assert deliveries == 1
    held = asyncio.run(_held_emails(blog_profile.database_url))
    assert held == {n.id for n in notes}
    assert asyncio.run(_scheduled(blog_profile)) == 2
