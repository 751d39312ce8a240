"""Demo projects, licences and blog posts (some scheduled to publish in the next hours)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from ygmon.db.models import BlogPostStatus, LicenseStatus, ProjectStatus, UserRole
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext
from ygmon.demo.people import People


def make_projects(ctx: SeedContext, people: People) -> list[dict[str, Any]]:
    brands = people.ids(UserRole.BRAND)
    statuses = (
        ProjectStatus.ACTIVE,
        ProjectStatus.ACTIVE,
        ProjectStatus.DRAFT,
        ProjectStatus.COMPLETED,
        ProjectStatus.ACTIVE,
        ProjectStatus.ARCHIVED,
    )
    rows = []
    for (title, description), status in zip(words.PROJECT_TITLES, statuses, strict=True):
        created = ctx.ago(days=ctx.rng.uniform(5, 90))
        rows.append(
            {
                "id": ctx.new_id(),
                "brand_id": ctx.choice(brands),
                "title": title,
                "description": description,
                "status": status,
                "budget_cents": ctx.rng.randrange(150_000, 2_500_000, 5_000),
                "created_at": created,
                "updated_at": ctx.between(created, ctx.now),
            }
        )
    return rows


def make_licenses(
    ctx: SeedContext, people: People, projects: list[dict[str, Any]], assets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    brands = people.ids(UserRole.BRAND)
    today = ctx.now.date()
    plan = (
        (LicenseStatus.ACTIVE, -60, 305),
        (LicenseStatus.ACTIVE, -20, 345),
        (LicenseStatus.ACTIVE, -5, 25),
        (LicenseStatus.PENDING_APPROVAL, 3, 368),
        (LicenseStatus.PENDING_APPROVAL, 7, 97),
        (LicenseStatus.DRAFT, 14, 379),
        (LicenseStatus.EXPIRED, -400, -35),
        (LicenseStatus.TERMINATED, -90, 275),
        (LicenseStatus.ACTIVE, -1, 364),
        (LicenseStatus.ACTIVE, -200, 165),
    )
    rows = []
    for status, start, end in plan:
        asset = ctx.choice(assets)
        project = ctx.choice(projects)
        created = ctx.ago(days=max(1.0, -start + ctx.rng.uniform(1, 10)))
        rows.append(
            {
                "id": ctx.new_id(),
                "ip_asset_id": asset["id"],
                "brand_id": project["brand_id"] or ctx.choice(brands),
                "project_id": project["id"],
                "license_type": ctx.choice(("EXCLUSIVE", "NON_EXCLUSIVE", "NON_EXCLUSIVE")),
                "status": status,
                "start_date": today + timedelta(days=start),
                "end_date": today + timedelta(days=end),
                "fee_cents": ctx.rng.randrange(20_000, 800_000, 500),
                "scope": ctx.choice(
                    ("Worldwide, online", "North America, broadcast", "EU, social")
                ),
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def make_blog_posts(ctx: SeedContext, people: People) -> list[dict[str, Any]]:
    """Published posts over past weeks, three scheduled (in 1 and 2.5 minutes, so the
    every-minute publisher is seen at work, and in 5 hours), drafts, one archived and
    one soft-deleted."""
    authors = people.ids(UserRole.ADMIN) + people.ids(UserRole.CREATOR)[:2]
    # (status, scheduled in hours from now, published days ago, soft-deleted)
    plan = (
        (BlogPostStatus.PUBLISHED, None, 27.0, False),
        (BlogPostStatus.PUBLISHED, None, 19.0, False),
        (BlogPostStatus.PUBLISHED, None, 12.0, False),
        (BlogPostStatus.PUBLISHED, None, 6.0, False),
        (BlogPostStatus.PUBLISHED, None, 1.5, False),
        (BlogPostStatus.SCHEDULED, 1 / 60, None, False),
        (BlogPostStatus.SCHEDULED, 2.5 / 60, None, False),
        (BlogPostStatus.SCHEDULED, 5.0, None, False),
        (BlogPostStatus.DRAFT, None, None, False),
        (BlogPostStatus.DRAFT, None, None, False),
        (BlogPostStatus.ARCHIVED, None, 60.0, False),
        (BlogPostStatus.PUBLISHED, None, 9.0, True),
    )
    rows = []
    for title, (status, in_hours, published_days, deleted) in zip(
        words.BLOG_TITLES, plan, strict=True
    ):
        published = ctx.ago(days=published_days) if published_days is not None else None
        created = ctx.ago(days=(published_days or 0) + ctx.rng.uniform(0.5, 4))
        rows.append(
            {
                "id": ctx.new_id(),
                "author_id": ctx.choice(authors),
                "title": title,
                "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                "excerpt": f"{title}: what changed and what it means for you.",
                "content": f"# {title}\n\n" + "Lorem ipsum dolor sit amet. " * 40,
                "status": status,
                "scheduled_for": ctx.later(hours=in_hours) if in_hours is not None else None,
                "published_at": published,
                "deleted_at": ctx.ago(days=2) if deleted else None,
                "created_at": created,
                "updated_at": ctx.ago(days=2) if deleted else (published or created),
            }
        )
    return rows


# --- the search index: filled by the real search jobs --------------------------------

IMPORT_ASSETS = 300
"""Generated image assets the demo imports through the content service: one
search-index-bulk job, 50 per batch."""
IMPORT_PAUSE = 0.5
"""Seconds between the bulk job's batches, so its progress is there to watch."""
REINDEX_PAUSE = 0.2
REINDEX_DELAY = 20.0
"""The demo's full reindex waits for the bulk jobs to finish, so it checks their work
instead of racing them."""


def make_import_assets(ctx: SeedContext, creator_ids: list[str], n: int) -> list[dict[str, Any]]:
    """`n` image assets as a catalogue import would bring them: titles, tags, creators."""
    rows = []
    for i in range(n):
        subject = ctx.choice(words.VIDEO_TITLES + words.AUDIO_TITLES)
        tags = ctx.rng.sample(words.TAGS, 3)
        asset_id = ctx.new_id()
        rows.append(
            {
                "id": asset_id,
                "title": f"{subject} — still {i + 1:03d}",
                "description": f"Still frame from '{subject}', {', '.join(tags)}.",
                "tags": tags,
                "type": "IMAGE",
                "mime_type": "image/jpeg",
                "storage_key": f"imports/{asset_id}.jpg",
                "creator_id": ctx.choice(creator_ids) if creator_ids else None,
                "created_at": ctx.now,
                "updated_at": ctx.now,
            }
        )
    return rows


async def index_demo_content(
    database: Any, enqueue: Any, *, now: Any, seed: int = 7, imports: int = IMPORT_ASSETS
) -> int:
    """After the seed: hand what it wrote to the search jobs (one bulk job per type, as
    an import would), import `imports` generated assets through the content service,
    then enqueue one full reindex; returns how many jobs went onto the queues. Nothing
    here writes the index: the jobs do."""
    from sqlalchemy import select

    from ygmon.pipelines.search.content import MODELS, ContentService

    content = ContentService(database, enqueue)
    jobs = 0
    creators: list[str] = []
    for entity, model in MODELS.items():
        async with database.reader() as session:
            ids = list(await session.scalars(select(model.id).order_by(model.id)))
        if entity == "creator":
            creators = ids
        jobs += await content.imported(entity, ids)
    rows = make_import_assets(SeedContext(now=now, seed=seed + 1), creators, imports)
    if rows:
        await content.create_many("asset", rows, pause=IMPORT_PAUSE)
        jobs += 1
    enqueue("search-index-reindex", delay=REINDEX_DELAY, pause=REINDEX_PAUSE)
    return jobs + 1
