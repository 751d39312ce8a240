"""seed_database on real SQLite files and a real Postgres: coverage, consistency, determinism."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ygmon.db import Database
from ygmon.db.base import Base
from ygmon.db.migrate import upgrade
from ygmon.db.models import (
    AnalyticsEvent,
    AssetType,
    BlogPost,
    BlogPostStatus,
    DailyMetric,
    DigestFrequency,
    HourlyMetric,
    IpAsset,
    MetricsAggregationJobsLog,
    MonthlyMetric,
    NotificationPreference,
    User,
    UserRole,
    WeeklyMetric,
)
from ygmon.demo import seed_database
from ygmon.monitor.schemas import preview_status

NOW = datetime(2026, 11, 29, 3, 10, 27, 512000, tzinfo=UTC)


async def test_seed_fills_every_kind_the_screens_show(database: Database) -> None:
    summary = await seed_database(database, now=NOW)
    assert summary.rows["analytics_events"] >= 2000
    async with database.reader() as s:
        roles = set((await s.scalars(select(User.role))).all())
        assert roles == set(UserRole)
        freqs = set((await s.scalars(select(NotificationPreference.digest_frequency))).all())
        assert freqs == set(DigestFrequency)

        # A monitor never shows what no job did: the demo seeds no run and no metric.
        assert (await s.scalars(select(MetricsAggregationJobsLog))).all() == []
        for model in (HourlyMetric, DailyMetric, WeeklyMetric, MonthlyMetric):
            assert (await s.scalars(select(model))).all() == []
        kinds = set((await s.scalars(select(AnalyticsEvent.event_type))).all())
        assert "asset.shared" in kinds, "an event type no rollup knows makes a PARTIAL run"

        events = (
            await s.execute(select(AnalyticsEvent.occurred_at, AnalyticsEvent.enriched_at))
        ).all()
        times = sorted(t for t, _ in events)
        assert times[0] >= NOW - timedelta(days=30) and times[-1] < NOW
        assert len({t.date() for t in times}) >= 30
        assert all(e is None for _, e in events), "the enrichment job enriches them"

        posts = (await s.scalars(select(BlogPost))).all()
        scheduled = [p for p in posts if p.status == BlogPostStatus.SCHEDULED]
        assert scheduled and all(
            NOW < p.scheduled_for < NOW + timedelta(hours=6) for p in scheduled
        )
        assert any(p.status == BlogPostStatus.PUBLISHED and p.published_at < NOW for p in posts)
        assert sum(1 for p in posts if p.deleted_at is not None) == 1


async def test_seed_assets_are_raw_uploads_with_no_job_output(database: Database) -> None:
    """The seed writes what an upload leaves; thumbnails and previews are the jobs'."""
    await seed_database(database, now=NOW)
    async with database.reader() as s:
        assets = (await s.scalars(select(IpAsset))).all()
    assert Counter(a.type for a in assets) == {AssetType.VIDEO: 5, AssetType.AUDIO: 5}
    for asset in assets:
        assert asset.metadata_ is None and asset.media_job_id is None
        assert asset.thumbnail_key is None and asset.preview_key is None
        assert preview_status(asset.preview_key, asset.metadata_) == "generating"
        assert asset.scan_status.value == "CLEAN" and asset.file_size > 0


async def _dump(url: str, *, seed: int) -> dict[str, list[tuple]]:
    db = Database(url)
    try:
        await upgrade(db)
        await seed_database(db, now=NOW, seed=seed)
        out = {}
        async with db.reader() as s:
            for table in Base.metadata.sorted_tables:
                rows = (await s.execute(select(table).order_by(*table.primary_key.columns))).all()
                out[table.name] = [tuple(r) for r in rows]
        return out
    finally:
        await db.dispose()


async def test_seed_is_deterministic_for_a_seed_and_a_clock(tmp_path) -> None:
    first = await _dump(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", seed=7)
    again = await _dump(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", seed=7)
    other = await _dump(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", seed=8)
    assert first == again
    assert first["users"] != other["users"]
    assert (
        sum(len(rows) for rows in first.values()) > 3000
    )  # no metric or log rows: jobs make those


async def test_seed_refuses_a_naive_clock(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        await upgrade(db)
        with pytest.raises(ValueError, match="aware"):
            await seed_database(db, now=NOW.replace(tzinfo=None))
        async with db.reader() as s:
            assert await s.scalar(select(func.count()).select_from(User)) == 0
    finally:
        await db.dispose()
