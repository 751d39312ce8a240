"""What `ygmon demo` makes before anything runs: a fresh seeded database, its media and
the enqueued jobs, and the summary printed of them.

It creates the local profile's SQLite database (refusing one that holds data unless
--force, which starts from empty), migrates and seeds it and enqueues a mix of canary
jobs; the command (ygmon.commands.demo) then prints the summary and starts the live part
(ygmon.demo.live).
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ygmon.config import LocalProfile, Settings
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.reachability import checked
from ygmon.demo import SeedSummary, seed_database
from ygmon.demo.assets import KEY_PREFIX
from ygmon.demo.fresh_database import (
    DatabaseNotEmptyError,
    data_in,
    embedded_broker_path,
    sqlite_path,
    wipe,
)
from ygmon.demo.job_mix import DEMO_JOBS, enqueue_demo_jobs
from ygmon.demo.live import FIX_FILE_NAME
from ygmon.errors import YgmonError
from ygmon.profile_targets import local_profile, redact


@dataclass(frozen=True)
class DemoResult:
    database: Path
    summary: SeedSummary
    media_dir: Path
    seconds: float
    jobs: int
    fix_file: Path
    notifications: int = 0
    outbox: Path | None = None


def create_demo(settings: Settings, *, force: bool, seed: int = 7) -> DemoResult:
    """Everything but the worker and the app: database, seed data, media and jobs."""
    profile = local_profile(settings, "demo")
    path = sqlite_path(profile.database_url, settings.profile_name)
    reason = data_in(path)
    if reason and not force:
        raise DatabaseNotEmptyError(
            f"{path} already holds data ({reason}); "
            "'ygmon demo --force' replaces it with a fresh demo database"
        )
    try:
        wipe(path)
        broker = embedded_broker_path(profile.broker_url)
        if force and broker is not None:
            # Starting from empty includes the queues: old demo jobs would mix with the new.
            wipe(broker)
        media_dir = Path(profile.media_dir)
        # Only the demo's own media folder goes: other files under media_dir are not ours.
        shutil.rmtree(media_dir / KEY_PREFIX, ignore_errors=True)
        outbox = Path(profile.outbox_dir)
        if force:
            # The outbox holds only what ygmon "sent": a fresh demo starts it empty.
            for old in outbox.glob("*.eml"):
                old.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        summary = asyncio.run(_seed(profile, media_dir, seed))
        fix_file = media_dir / KEY_PREFIX / FIX_FILE_NAME
        jobs, notifications = _enqueue(profile, fix_file)
    except OSError as exc:
        raise YgmonError(f"cannot write the demo: {exc.strerror}: {exc.filename}") from None
    return DemoResult(
        path,
        summary,
        media_dir,
        time.perf_counter() - started,
        jobs,
        fix_file,
        notifications,
        outbox if profile.mail_backend == "outbox" else None,
    )


async def _seed(profile: LocalProfile, media_dir: Path, seed: int) -> SeedSummary:
    from ygmon.jobs.runtime import open_runtime

    db = Database(profile.database_url)
    try:
        await checked(db, upgrade(db))
        # The uploads' thumbnail jobs go on the queue as an upload's would.
        with open_runtime(profile) as runtime:
            return await seed_database(
                db, now=datetime.now(UTC), seed=seed, media_dir=media_dir,
                enqueue=runtime.enqueue,
            )  # fmt: skip
    finally:
        await db.dispose()


def _enqueue(profile: LocalProfile, fix_file: Path) -> tuple[int, int]:
    """How many canary jobs went onto the queues, and how many live notifications."""
    # Imported here: every `ygmon` command imports this module, few need Huey.
    from ygmon.demo.notify_live import create_live_notifications
    from ygmon.jobs.runtime import open_runtime

    async def notify(enqueue: Any) -> int:
        db = Database(profile.database_url)
        try:
            return await create_live_notifications(db, enqueue, datetime.now(UTC))
        finally:
            await db.dispose()

    with open_runtime(profile) as runtime:
        jobs = enqueue_demo_jobs(runtime, fix_file)
        # The rollups' backfill is the worker's catch-up of missed schedules at start.
        jobs.append(runtime.enqueue("enrich-events"))
        # The search index is the search jobs' output: the demo only hands them the rows.
        indexed = asyncio.run(_index_content(profile, runtime.enqueue))
        return len(jobs) + indexed, asyncio.run(notify(runtime.enqueue))


async def _index_content(profile: LocalProfile, enqueue: Callable[..., str]) -> int:
    from ygmon.demo.content import index_demo_content

    db = Database(profile.database_url)
    try:
        return await index_demo_content(db, enqueue, now=datetime.now(UTC))
    finally:
        await db.dispose()


def summary_lines(
    settings: Settings, result: DemoResult, fix_after: float | None = None
) -> list[tuple[str, str]]:
    """(topic, what) of what this demo set up: printed before the app opens and shown
    in the app's help (`?`), from the same result, so the two never differ. `fix_after`:
    seconds after which the live demo creates the fix file itself."""
    rows = result.summary.rows
    failing = sum(1 for job in DEMO_JOBS if job.fail)
    fixable = sum(1 for job in DEMO_JOBS if job.fixable)
    fixed_by = "" if fix_after is None else f"; the demo creates it {fix_after:g} s after start"
    where = (
        f"e-mails land in {result.outbox.absolute()} ('ygmon outbox' lists them)"
        if result.outbox is not None
        else f"e-mails go to {settings.profile.smtp_host}:{settings.profile.smtp_port}"  # type: ignore[union-attr]
    )
    return [
        (
            "demo database",
            f"{redact(settings.profile.database_url)}  ({result.database.absolute()})",
        ),
        (
            "seeded",
            f"{result.summary.total_rows:,} rows in {result.seconds:.1f} s: "
            f"{rows['users']} users, {rows['ip_assets']} video/audio assets, "
            f"{rows['analytics_events']:,} raw analytics events",
        ),
        (
            "analytics",
            "the worker enriches the events and catches up 30 days of rollups "
            "(watch the Logs screen fill in)",
        ),
        ("media", f"{len(result.summary.media_files)} files in {result.media_dir / KEY_PREFIX}"),
        (
            "jobs",
            f"{len(DEMO_JOBS)} canary jobs enqueued: {failing} will fail, "
            f"{fixable} fail until {result.fix_file} exists (then retry them){fixed_by}",
        ),
        (
            "search",
            f"{result.jobs - len(DEMO_JOBS) - 1} index jobs enqueued: the seeded "
            "content, an import of generated assets (bulk), a full reindex",
        ),
        ("notifications", f"{result.notifications} being delivered; {where}"),
        ("digests", "'ygmon enqueue digest daily' sends the DAILY users theirs now"),
        ("admin user", result.summary.admin_email),
    ]


def print_summary(lines: list[tuple[str, str]]) -> None:
    for topic, what in lines:
        print(f"{topic:<14} {what}")
