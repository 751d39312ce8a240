"""A worker that was down over the digests' schedule runs each missed digest once on
start, with two workers starting together still once; a fresh deployment runs none.
The clock is frozen at Wednesday noon: the daily 09:00 and Monday's weekly were missed."""

from __future__ import annotations

import asyncio
import threading

from notify_helpers import SmtpServer, add_user, at

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.models import DigestFrequency
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import WorkerProcess
from ygmon.pipelines.notifications.catch_up import missed_period, record_run
from ygmon.pipelines.notifications.create import add_notification

FROZEN = at("2026-12-02T12:00:00")
QUEUE = "notification-digest"


async def _seed(url: str) -> None:
    db = Database(url)
    try:
        assert await missed_period(db, "daily", FROZEN) is None  # nothing ran: fresh
        # Digests ran before the outage: yesterday's daily, the weekly of the week before.
        await record_run(db, "daily", at("2026-12-01T09:00:00"), "old-job", FROZEN)
        await record_run(db, "weekly", at("2026-11-23T09:00:00"), "old-job", FROZEN)
        for email, frequency in (("dee@x.test", "DAILY"), ("wes@x.test", "WEEKLY")):
            uid = await add_user(db, email, DigestFrequency(frequency))
            async with db.writer() as session:
                add_notification(
                    session,
                    user_id=uid,
                    kind="SYSTEM",
                    title=f"While you were away, {email}",
                    message="-",
                    now=at("2026-12-01T10:00:00"),
                )
    finally:
        await db.dispose()


def _start_together(profile: LocalProfile, count: int) -> list[WorkerProcess]:
    workers = [
        WorkerProcess(profile, [QUEUE], clock=lambda: FROZEN, periodic=True) for _ in range(count)
    ]
    barrier = threading.Barrier(count)

    def start(worker: WorkerProcess) -> None:
        barrier.wait()
        worker.start()

    threads = [threading.Thread(target=start, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return workers


def test_missed_digests_run_once_when_two_workers_start_together(
    mail_profile: LocalProfile, smtp: SmtpServer
) -> None:
    asyncio.run(_seed(mail_profile.database_url))
    with open_runtime(mail_profile, clock=lambda: FROZEN) as runtime:
        workers = _start_together(mail_profile, 2)
        try:
            runtime.wait_idle(30, [QUEUE])
        finally:
            for worker in workers:
                worker.stop(2)
        jobs, _ = runtime.registry.list_jobs(QUEUE, None, 0, 20)
        periods = sorted((j.task, runtime.registry.get_job(j.id).kwargs["period"]) for j in jobs)
        assert periods == [
            ("digest-daily", "2026-12-02T09:00:00+00:00"),
            ("digest-weekly", "2026-11-30T09:00:00+00:00"),
        ]
        assert sorted(smtp.sink.to()) == ["Dee <dee@x.test>", "Wes <wes@x.test>"]

        # A worker starting again later finds both periods run: nothing more.
        for worker in _start_together(mail_profile, 1):
            worker.stop(2)
        assert runtime.registry.list_jobs(QUEUE, None, 0, 20)[1] == 2
