"""seed_database: fill a migrated database with the demo's realistic, deterministic data.

Everything is relative to `now` and drawn from `seed`, so a frozen clock and a seed give
the same rows (ids included) on SQLite and Postgres. Media files are made first (their
sizes go into the rows); the rows are written in two transactions around the assets' import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from ygmon.db import Database
from ygmon.db.models import (
    AnalyticsEvent,
    BlogPost,
    Creator,
    IpAsset,
    License,
    Notification,
    NotificationPreference,
    Project,
    User,
)
from ygmon.demo.analytics import make_events
from ygmon.demo.assets import import_uploads, plan_assets
from ygmon.demo.content import make_blog_posts, make_licenses, make_projects
from ygmon.demo.context import SeedContext
from ygmon.demo.people import make_notifications, make_people

# Bulk inserts in chunks: asyncpg caps a statement at 32767 parameters.
CHUNK = 500


@dataclass(frozen=True)
class SeedSummary:
    """What seed_database wrote: rows per table, and the media files it made."""

    rows: dict[str, int]
    media_files: tuple[Path, ...] = field(default=())
    admin_email: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


async def seed_database(
    db: Database,
    *,
    now: datetime,
    seed: int = 7,
    media_dir: Path | None = None,
    enqueue: Callable[..., str] | None = None,
) -> SeedSummary:
    """Write the demo data into `db` (already migrated); returns what was written.

    With `media_dir`, real video/audio uploads are made there by ffmpeg and imported
    through the media pipeline's import path (which enqueues their thumbnail jobs on
    `enqueue`, when given); without it, the asset rows carry estimated sizes and keys
    only. Thumbnails and previews are never seeded: the worker makes them.
    """
    ctx = SeedContext(now=now, seed=seed, media_dir=media_dir)
    people = make_people(ctx)
    projects = make_projects(ctx, people)
    creator_ids = [c["id"] for c in people.creators]
    plan = plan_assets(ctx, creator_ids, [p["id"] for p in projects])
    assets = plan.rows
    licenses = make_licenses(ctx, people, projects, assets)
    posts = make_blog_posts(ctx, people)
    notifications = make_notifications(
        ctx, people, [a["title"] for a in assets], [p["title"] for p in projects]
    )
    events = make_events(ctx, people, assets, projects, licenses)
    # Parents before children: SQLite checks foreign keys row by row.
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (User, people.users),
        (Creator, people.creators),
        (NotificationPreference, people.preferences),
        (Project, projects),
        (IpAsset, [] if media_dir is not None else assets),
        (License, licenses),
        (BlogPost, posts),
        (Notification, notifications),
        (AnalyticsEvent, events),
    ]
    split = next(i for i, (model, _rows) in enumerate(tables) if model is IpAsset)
    await _insert(db, tables[:split])
    if media_dir is not None:
        # Through the import path, between the creators and projects they refer to and
        # the licenses and events that refer to them.
        await import_uploads(db, media_dir, plan, enqueue)
    await _insert(db, tables[split:])
    admin = next(u for u in people.users if u["role"] == "ADMIN")
    counts = {model.__tablename__: len(rows) for model, rows in tables}
    counts[IpAsset.__tablename__] = len(assets)
    return SeedSummary(
        rows=counts,
        media_files=tuple(plan.files),
        admin_email=admin["email"],
    )


async def _insert(db: Database, tables: list[tuple[Any, list[dict[str, Any]]]]) -> None:
    async with db.writer() as session:
        for model, rows in tables:
            columns = _column_names(model)
            for start in range(0, len(rows), CHUNK):
                chunk = [
                    {columns[k]: v for k, v in row.items()} for row in rows[start : start + CHUNK]
                ]
                await session.execute(model.__table__.insert(), chunk)


def _column_names(model: Any) -> dict[str, str]:
    """Attribute name to column name (`metadata_` is the `metadata` column): the rows are
    written through Core, whose executemany batches where the ORM's bulk path would not
    (it falls back to a statement per row when primary keys are given)."""
    return {attr.key: attr.columns[0].name for attr in inspect(model).column_attrs}
