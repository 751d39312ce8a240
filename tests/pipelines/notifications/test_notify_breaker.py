"""With the SMTP server stopped the shared circuit breaker opens and health says so;
the e-mail jobs fail fast and retry on the queue's backoff, and once the server is back
every notification is delivered exactly once, as the server counts them."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
from notify_helpers import SmtpServer, add_user

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.mail.breaker import CIRCUIT_OPEN
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.schemas import AllWorkersHealth
from ygmon.pipelines.notifications.create import create_notification

QUEUES = ["notification-delivery", "email"]


def _health(profile: LocalProfile) -> AllWorkersHealth:
    async def read() -> AllWorkersHealth:
        monitor = LocalMonitor(profile)
        try:
            return await monitor.health()
        finally:
            await monitor.close()

    return asyncio.run(read())


def _errors(runtime: JobRuntime) -> list[str]:
    rows, _ = runtime.registry.list_jobs("email", None, 0, 50)
    return [r.error_message or "" for r in rows]


def _seed_one_failure_at_a_time(
    profile: LocalProfile, runtime: JobRuntime, count: int
) -> list[str]:
    """A notification at a time, each once the e-mail jobs so far have failed: each wakes
    its own sender (one waiting would take them all), so the failures add up to an open
    breaker within seconds rather than on the queue's retries."""

    async def seed() -> list[str]:
        db = Database(profile.database_url)
        made = []
        try:
            for i in range(count):
                uid = await add_user(db, f"user{i}@x.test")
                nid, _ = await create_notification(
                    db, runtime.enqueue, user_id=uid, kind="PAYOUT", title=f"Payout {i}",
                    message="Paid.",
                )  # fmt: skip
                made.append(nid)
                deadline = time.monotonic() + 20
                while sum(bool(e) for e in _errors(runtime)) <= i:
                    assert time.monotonic() < deadline, _errors(runtime)
                    await asyncio.sleep(0.02)
        finally:
            await db.dispose()
        return made

    return asyncio.run(seed())


@pytest.mark.xdist_group("sleepy-a")
def test_the_breaker_opens_while_smtp_is_down_and_every_mail_goes_once_it_returns(
    mail_profile: LocalProfile, smtp: SmtpServer
) -> None:
    smtp.stop()
    with (
        open_runtime(mail_profile) as runtime,
        in_process_worker(mail_profile, QUEUES, workers=2, runtime=runtime),
    ):
        made = _seed_one_failure_at_a_time(mail_profile, runtime, 4)
        assert any("circuit open" in e for e in _errors(runtime)), _errors(runtime)
        health = _health(mail_profile)
        email = health.groups["email"]
        assert email.workers is not None
        assert email.workers["email"].is_running is True
        assert email.workers["email"].error == CIRCUIT_OPEN
        assert email.healthy is False and health.healthy is False
        assert smtp.sink.messages == []

        smtp.start()  # the jobs' retries (10 s on) find the breaker ready for a trial
        runtime.wait_idle(60, QUEUES)
        # Senders claim every due e-mail, so fewer jobs than e-mails; none failed for good.
        stats = runtime.registry.counts("email")
        assert stats.completed >= 1 and stats.failed == 0
        assert _health(mail_profile).groups["email"].healthy is True

    counted = Counter(smtp.sink.ids())
    assert counted == Counter(f"<notification.{n}@ygmon.test>" for n in made)


def test_without_smtp_health_has_no_breaker_and_never_loads_it() -> None:
    """The outbox (the default) has no circuit breaker: health reads nothing of one and
    does not import pybreaker, which imports redis (tens of ms of an app's first read)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ygmon.config import LocalProfile\n"
        "from ygmon.monitor.health import mail_errors\n"
        "print(mail_errors(LocalProfile(mail_backend='outbox')), 'pybreaker' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["{}", "False"], done.stdout
