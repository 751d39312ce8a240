"""One schema on SQLite and Postgres: migrations create it, every model round-trips,
and the migrations match the models exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, inspect, select, text, update

from ygmon.db import Database
from ygmon.db import models as m
from ygmon.db.base import Base
from ygmon.db.migrate import (
    current_revision,
    ensure_schema,
    head_revision,
    script_head_revision,
    upgrade,
)
from ygmon.db.search_schema import COMPARE_OPTS

T0 = datetime(2026, 11, 2, 9, 30, 15, 123000, tzinfo=UTC)


def _instances() -> list[Base]:
    admin = m.User(id="u-admin", email="admin@example.com", name="Ada", role=m.UserRole.ADMIN)
    creator_user = m.User(id="u-creator", email="c@example.com", role=m.UserRole.CREATOR)
    brand = m.User(id="u-brand", email="b@example.com", role=m.UserRole.BRAND, country="FR")
    creator = m.Creator(
        id="c1", user_id="u-creator", stage_name="Nova", bio="Synth", specialties=["music"]
    )
    project = m.Project(id="p1", brand_id="u-brand", title="Launch", status=m.ProjectStatus.ACTIVE)
    asset = m.IpAsset(
        id="a1",
        title="Clip",
        type=m.AssetType.VIDEO,
        storage_key="assets/a1.mp4",
        scan_status=m.ScanStatus.CLEAN,
        creator_id="c1",
        project_id="p1",
        tags=["night", "city"],
        metadata_={"previewGenerated": False, "previewLastAttempt": "2026-11-02T09:30:15.123Z"},
    )
    return [
        admin,
        creator_user,
        brand,
        creator,
        project,
        asset,
        m.License(
            id="l1",
            ip_asset_id="a1",
            brand_id="u-brand",
            project_id="p1",
            license_type="EXCLUSIVE",
            status=m.LicenseStatus.ACTIVE,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            fee_cents=120_000,
        ),
        m.BlogPost(
            id="b1",
            author_id="u-admin",
            title="Hello",
            slug="hello",
            content="Body",
            status=m.BlogPostStatus.SCHEDULED,
            scheduled_for=T0 + timedelta(hours=1),
        ),
        m.AnalyticsEvent(
            id="e1",
            event_type="asset_viewed",
            occurred_at=T0,
            actor_id="u-brand",
            ip_asset_id="a1",
            props={"source": "search"},
            device_type="desktop",
            enriched_at=T0,
        ),
        m.HourlyMetric(id="h1", hour=T0.replace(minute=0, second=0, microsecond=0), views=3),
        m.DailyMetric(id="d1", date=date(2026, 11, 2), ip_asset_id="a1", views=7, clicks=2),
        m.WeeklyMetric(id="w1", week_start=date(2026, 10, 26), views=40),
        m.MonthlyMetric(id="mo1", month_start=date(2026, 10, 1), views=160),
        m.AggregationCatchupClaim(
            id="c1", job_type="weekly", period_start=T0, claimed_by="host:1:abc", claimed_at=T0
        ),
        m.MetricsAggregationJobsLog(
            id="log1",
            job_type="daily",
            period_start_date=date(2026, 11, 1),
            period_end_date=date(2026, 11, 1),
            started_at=T0,
            completed_at=T0 + timedelta(seconds=2),
            status=m.AggregationJobStatus.PARTIAL,
            records_processed=120,
            records_created=10,
            records_updated=2,
            errors_count=1,
            duration_seconds=2.125,
            memory_used_mb=48,
            error_message="1 asset skipped",
            error_stack="Traceback ...",
            metadata_={"hourlyRuns": 24},
            created_at=T0,
        ),
        m.Notification(
            id="n1",
            user_id="u-creator",
            type="LICENSE",
            title="Licensed",
            message="Your clip was licensed",
            priority=m.NotificationPriority.HIGH,
        ),
        m.NotificationPreference(
            id="np1",
            user_id="u-creator",
            digest_frequency=m.DigestFrequency.WEEKLY,
            last_digest_sent_at=T0,
        ),
        m.NotificationEmail(
            id="ne1", notification_id="n1", message_id="<notification.n1@x>", claimed_by="j1"
        ),
        m.NotificationDigest(
            id="nd1",
            user_id="u-creator",
            frequency="WEEKLY",
            period_start=T0,
            message_id="<digest.weekly.x@x>",
            notification_ids=["n1"],
            notification_count=1,
            sent_at=T0,
        ),
        m.DigestRun(id="dr1", kind="weekly", period_start=T0, started_by="j1", started_at=T0),
        m.AuditEntry(
            id="au1",
            at=T0,
            actor="ada",
            actor_kind="local",
            address="203.0.113.9",
            action="retry",
            target="maintenance/bad-1",
            outcome="error",
            error="Job not found",
            finished_at=T0 + timedelta(seconds=1),
        ),
    ]


def _columns(obj: Base) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


async def test_every_model_round_trips(database: Database) -> None:
    written = _instances()
    assert {type(o).__tablename__ for o in written} == set(Base.metadata.tables) - {
        m.MetricsAggregationJobsLogCount.__tablename__  # written by triggers alone
    }, "every table needs an instance here"
    async with database.writer() as session:
        for obj in written:  # in foreign-key order: no relationship() tells the flush
            session.add(obj)
            await session.flush()
    expected = [_columns(o) for o in written]  # defaults (ids, timestamps) filled in
    async with database.reader() as session:
        for obj, want in zip(written, expected, strict=True):
            got = (await session.execute(select(type(obj)).filter_by(id=obj.id))).scalar_one()
            assert _columns(got) == want, type(obj).__name__
            for value in _columns(got).values():
                if isinstance(value, datetime):
                    assert value.tzinfo is not None, "timestamps read back aware"


async def test_migrations_match_models(database: Database) -> None:
    def diff(sync_conn: Any) -> list[Any]:
        # The search index is no model (ygmon/db/search_schema.py): left out here.
        opts = {"compare_type": True, **COMPARE_OPTS}
        ctx = MigrationContext.configure(sync_conn, opts=opts)
        return compare_metadata(ctx, Base.metadata)

    async with database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    assert await current_revision(database) == head_revision()


async def test_first_use_migrates_an_empty_database(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await current_revision(db) is None
        assert await ensure_schema(db) == head_revision()
        assert await ensure_schema(db) == head_revision()  # second call is a no-op
        async with db.reader() as session:
            count = await session.scalar(text("SELECT count(*) FROM metrics_aggregation_jobs_log"))
        assert count == 0
    finally:
        await db.dispose()


async def test_sqlite_runs_in_wal_with_a_busy_timeout(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        async with db.reader() as session:
            assert (await session.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await session.scalar(text("PRAGMA busy_timeout"))) >= 5000
    finally:
        await db.dispose()


def test_head_constant_names_the_newest_script() -> None:
    assert head_revision() == script_head_revision()


# --- the aggregation log's tally -------------------------------------------------------


def _run(n: int, job_type: str, status: m.AggregationJobStatus, day: int) -> m.Base:
    return m.MetricsAggregationJobsLog(
        id=f"run{n}",
        job_type=job_type,
        period_start_date=date(2026, 11, day),
        period_end_date=date(2026, 11, day + 1),
        started_at=T0 + timedelta(days=day, minutes=n),
        status=status,
    )


async def _tally_matches_log(database: Database) -> list[tuple[Any, ...]]:
    """The tally as the triggers left it; asserts it equals a count over the log."""
    Log, Tally = m.MetricsAggregationJobsLog, m.MetricsAggregationJobsLogCount
    key = (Log.job_type, Log.status, Log.period_start_date, Log.period_end_date)
    async with database.reader() as session:
        counted = (
            await session.execute(
                select(*key, func.count(), func.min(Log.started_at), func.max(Log.started_at))
                .group_by(*key)
                .order_by(*key)
            )
        ).all()
        tally = (
            await session.execute(
                select(
                    Tally.job_type,
                    Tally.status,
                    Tally.period_start_date,
                    Tally.period_end_date,
                    Tally.runs,
                    Tally.earliest_started_at,
                    Tally.latest_started_at,
                ).order_by(
                    Tally.job_type, Tally.status, Tally.period_start_date, Tally.period_end_date
                )
            )
        ).all()
    assert [r[:5] for r in tally] == [r[:5] for r in counted]
    for kept, exact in zip(tally, counted, strict=True):
        assert kept[5] <= exact[5] and kept[6] >= exact[6], "bounds enclose the runs"
    return tally


async def test_triggers_keep_the_aggregation_log_tally(database: Database) -> None:
    Log, Status = m.MetricsAggregationJobsLog, m.AggregationJobStatus
    async with database.writer() as session:
        session.add_all(
            [_run(i, ("daily", "weekly")[i % 2], Status.RUNNING, 1 + i % 3) for i in range(12)]
        )
    assert sum(r[4] for r in await _tally_matches_log(database)) == 12

    async with database.writer() as session:  # runs finish: RUNNING tallies empty out
        await session.execute(update(Log).values(status=Status.COMPLETED))
        await session.execute(
            update(Log).where(Log.id.in_(["run1", "run2"])).values(status=Status.FAILED)
        )
    tally = await _tally_matches_log(database)
    assert Status.RUNNING not in {r[1] for r in tally}

    async with database.writer() as session:  # other columns leave the tally alone
        await session.execute(update(Log).values(records_processed=7, errors_count=1))
        await session.execute(
            update(Log)
            .where(Log.id == "run3")
            .values(job_type="monthly", started_at=T0 + timedelta(days=30))
        )
    await _tally_matches_log(database)

    async with database.writer() as session:
        await session.execute(delete(Log).where(Log.job_type == "weekly"))
    assert sum(r[4] for r in await _tally_matches_log(database)) == 7

    async with database.writer() as session:
        await session.execute(delete(Log))
    assert await _tally_matches_log(database) == []


async def test_truncating_the_log_empties_the_tally(postgres_url: str) -> None:
    db = Database(postgres_url)
    try:
        await upgrade(db)
        async with db.writer() as session:
            session.add(_run(1, "daily", m.AggregationJobStatus.COMPLETED, 1))
        async with db.writer() as session:
            await session.execute(text("TRUNCATE metrics_aggregation_jobs_log"))
        assert await _tally_matches_log(db) == []
    finally:
        await db.dispose()


async def test_the_tally_migration_counts_the_runs_already_there(database_url: str) -> None:
    db = Database(database_url)
    try:
        await upgrade(db, "0001")
        async with db.writer() as session:
            session.add_all(
                [_run(i, "daily", m.AggregationJobStatus.COMPLETED, 1 + i % 2) for i in range(5)]
            )
        await upgrade(db)
        tally = await _tally_matches_log(db)
        assert [r[4] for r in tally] == [3, 2]
    finally:
        await db.dispose()
