"""A full disk: small real filesystems (tmpfs) filled to the last byte while a job writes
an .eml into the outbox and a log row into the SQLite database. The job fails with a
message that says the disk is full, earlier files and rows stay, nothing half-written is
left behind, and the next run after space returns succeeds. (The preview's case, with
the old preview kept, is tests/pipelines/media/test_hostile_files.py.)"""

from __future__ import annotations

import asyncio
import errno
import time
from pathlib import Path

import pytest
from fault_helpers import wait_until
from fault_record import observe
from processes import small_tmpfs
from sqlalchemy import func, select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import MetricsAggregationJobsLog, NotificationPreference, User
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.pipelines.notifications.create import create_notification

pytestmark = pytest.mark.timeout(120)

QUEUES = ["notification-delivery", "email", "metrics-aggregation"]


def fill(disk: Path) -> Path:
    """Write a filler file until the filesystem has no byte left; returns it."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        chunk = b"\0" * 65536
        while True:
            try:
                out.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
        for size in (4096, 512, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    return filler


async def _seed(db: Database) -> str:
    await upgrade(db)
    async with db.writer() as session:
        user = User(email="full@x.test", name="Full")
        session.add(user)
        await session.flush()
        session.add(NotificationPreference(user_id=user.id, email_enabled=True))
        return user.id


async def _log_rows(db: Database) -> list[str]:
    async with db.reader() as session:
        rows = await session.execute(
            select(MetricsAggregationJobsLog.status).order_by(MetricsAggregationJobsLog.id)
        )
        return [str(getattr(s, "value", s)) for s in rows.scalars()]


async def _count(db: Database) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(MetricsAggregationJobsLog))


def _finished_with(runtime, job_id: str) -> tuple[str, str]:
    record = runtime.registry.store.get(job_id) or {}
    return record.get("state") or "", record.get("error_message") or ""


@pytest.mark.xdist_group("sleepy-b")
async def test_a_full_disk_fails_the_job_cleanly_and_the_next_run_succeeds(
    tmp_path: Path, namespace: str
) -> None:
    with (
        small_tmpfs(tmp_path / "files", "2m") as files,
        small_tmpfs(tmp_path / "data", "8m") as data,
    ):
        outbox = files / "outbox"
        profile = LocalProfile(
            database_url=f"sqlite+aiosqlite:///{data / 'ygmon.db'}",
            broker_url=f"sqlite:///{tmp_path / 'queue.db'}",  # the registry has room
            namespace=namespace,
            outbox_dir=str(outbox),
            media_dir=str(files / "media"),
        )
        db = Database(profile.database_url)
        user_id = await _seed(db)
        runtime = open_runtime(profile)
        try:
            with in_process_worker(profile, QUEUES, runtime=runtime):

                async def notify(title: str) -> str:
                    _, job_id = await create_notification(
                        db, runtime.enqueue, user_id=user_id, kind="PAYOUT",
                        title=title, message="Paid.",
                    )  # fmt: skip
                    return job_id

                def until(job_id: str, state: str, timeout: float = 30) -> str:
                    wait_until(
                        lambda: (
                            _finished_with(runtime, job_id)[0] == state
                            or (state == "error" and _finished_with(runtime, job_id)[1])
                        ),
                        timeout,
                        f"job {job_id} to be {state}",
                        detail=lambda: _finished_with(runtime, job_id),
                    )
                    return _finished_with(runtime, job_id)[1]

                def email_job(seen: set[str]) -> str:
                    """The e-mail job the delivery enqueued (on the `email` queue)."""
                    found: list[str] = []

                    def new() -> bool:
                        jobs = runtime.registry.list_jobs("email", None, 0, 50)[0]
                        found[:] = [j.id for j in jobs if j.id not in seen]
                        return bool(found)

                    wait_until(new, 30, "the e-mail job")
                    seen.add(found[0])
                    return found[0]

                seen: set[str] = set()
                # Earlier work, written while there was room.
                await asyncio.to_thread(until, await notify("before"), "completed")
                await asyncio.to_thread(until, email_job(seen), "completed")
                await asyncio.to_thread(until, _daily(runtime), "completed")
                earlier_mail = sorted(p.name for p in outbox.iterdir())
                assert len(earlier_mail) == 1 and earlier_mail[0].endswith(".eml")
                assert await _log_rows(db) == ["COMPLETED"]

                # The outbox's disk fills: the e-mail job fails and says why.
                filler = fill(files)
                await notify("while full")
                mail_job = await asyncio.to_thread(email_job, seen)
                mail_error = await asyncio.to_thread(until, mail_job, "error")
                assert "No space left on device" in mail_error, mail_error
                assert sorted(p.name for p in outbox.iterdir()) == earlier_mail  # no .tmp
                filler.unlink()
                await asyncio.to_thread(until, mail_job, "completed", 60)  # its retry
                mails = sorted(p.name for p in outbox.iterdir())
                assert len(mails) == 2 and all(m.endswith(".eml") for m in mails)

                # The database's disk fills: the rollup fails and no row is half-written.
                filler = fill(data)
                log_job = _daily(runtime)
                log_error = await asyncio.to_thread(until, log_job, "error")
                assert "full" in log_error.lower(), log_error
                filler.unlink()
                assert await _log_rows(db) == ["COMPLETED"]
                again = _daily(runtime)
                await asyncio.to_thread(until, again, "completed")
                rows = await _log_rows(db)
                assert rows[0] == "COMPLETED" and rows[-1] == "COMPLETED", rows
                assert "RUNNING" not in rows, rows
        finally:
            runtime.close()
            await db.dispose()
    observe(
        "disk-full",
        f"outbox full: the e-mail job failed with '{_short(mail_error)}', the earlier .eml "
        f"stayed, no temporary file was left, its retry delivered once space returned; "
        f"database full: the rollup failed with '{_short(log_error)}', the earlier log row "
        "stayed, the next run logged COMPLETED",
    )


def _daily(runtime) -> str:
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    return runtime.enqueue("aggregate-daily", date=day)


def _short(error: str) -> str:
    line = error.strip().splitlines()[0] if error.strip() else ""
    return line[:90].replace("'", "")
