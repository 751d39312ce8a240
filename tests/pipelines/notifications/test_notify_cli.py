"""The commands on the embedded default: `ygmon notify` creates and enqueues, the
outbox receives what the workers send, `ygmon outbox` lists it, and `ygmon enqueue
digest daily` moves lastDailyRun in GET /api/admin/jobs/notifications/stats."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from notify_helpers import add_user, at
from servers import TEST_SECRET, Api, serve_on_loopback

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import DigestFrequency
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.pipelines.notifications.create import add_notification

EXE = str(Path(sys.executable).with_name("ygmon"))
QUEUES = ["notification-delivery", "email", "notification-digest"]


def ygmon(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    env["HOME"] = str(cwd)
    return subprocess.run(
        [EXE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


async def _seed(url: str) -> None:
    db = Database(url)
    await upgrade(db)
    await add_user(db, "now@x.test")
    for name in ("dee", "dan"):
        uid = await add_user(db, f"{name}@x.test", DigestFrequency.DAILY)
        async with db.writer() as session:
            add_notification(
                session,
                user_id=uid,
                kind="ROYALTY",
                title=f"Royalty for {name}",
                message="Paid.",
                now=at("2026-12-01T10:00:00"),
            )
    await db.dispose()


def test_notify_outbox_and_the_daily_digest_from_the_command_line(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'ygmon-queue.db'}",
        outbox_dir=str(tmp_path / "outbox"),
        jwt_secret=TEST_SECRET,
    )
    asyncio.run(_seed(profile.database_url))

    made = ygmon(
        tmp_path,
        "notify",
        "now@x.test",
        "--type",
        "payout",
        "--title",
        "Paid",
        "--message",
        "Your payout left.",
        "--priority",
        "high",
    )
    assert made.returncode == 0, made.stderr
    assert "delivered by job " in made.stdout and "(notification-delivery)" in made.stdout
    for bad, said in (
        (("nobody@x.test", "--type", "PAYOUT"), "no user has the e-mail address"),
        (("now@x.test", "--type", "PARTY"), "unknown notification type 'PARTY'"),
    ):
        refused = ygmon(tmp_path, "notify", *bad, "--title", "t", "--message", "m")
        assert refused.returncode != 0
        assert said in refused.stderr and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    empty = ygmon(tmp_path, "outbox").stdout.splitlines()
    assert empty[0].split() == ["DATE", "TO", "FILE", "SUBJECT"]
    assert empty[-1].startswith("0 messages")

    with (
        open_runtime(profile) as runtime,
        in_process_worker(profile, QUEUES, runtime=runtime),
        serve_on_loopback(profile) as (url, token),
    ):
        api = Api(url, token, profile)
        runtime.wait_idle(30, QUEUES)
        listed = ygmon(tmp_path, "outbox").stdout.splitlines()
        assert listed[-1].startswith("1 message in") and "now@x.test" in listed[1]

        before = api.get("/api/admin/jobs/notifications/stats").json()["data"]["digest"]
        assert "lastDailyRun" not in before and "nextDailyRun" in before
        queued = ygmon(tmp_path, "enqueue", "digest", "daily")
        assert queued.stdout.strip().endswith("enqueued on notification-digest"), queued.stderr
        runtime.wait_idle(30, QUEUES)
        after = api.get("/api/admin/jobs/notifications/stats").json()["data"]["digest"]
        assert after["lastDailyRun"] and "lastWeeklyRun" not in after

    lines = ygmon(tmp_path, "outbox").stdout.splitlines()
    assert lines[-1].startswith("3 messages in") and len(lines) == 5
    assert sum("Your daily digest: 1 unread notification" in line for line in lines) == 2
    wrong = ygmon(tmp_path, "enqueue", "digest", "monthly")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
