"""Notifications against bare SMTP loops, both measured in one run to the same aiosmtpd.

(a) 1,000 immediate notifications, from `create_notification` (the service every caller
    uses) to the SMTP server's acceptance of the last e-mail, through a real worker
    running `notification-delivery` and `email` on the local default (SQLite database and
    broker) in its own process, as deployed, against a bare loop sending the same 1,000
    messages, built beforehand, over one SMTP connection. Target: at most 3x.
(b) the daily digest of 10,000 DAILY users with 5 unread notifications each (the
    `run_digest` service on SQLite, as the worker's task calls it), against a bare loop
    that builds and sends the same 10,000 messages over one connection. Target: at
    most 2x.

    .venv/bin/python -m bench notifications
    YGMON_BENCH_NOTIFICATIONS=200 YGMON_BENCH_DIGEST_USERS=500 .venv/bin/python -m bench notif
"""

from __future__ import annotations

import asyncio
import os
import smtplib
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import update

from bench.figure import Figure
from bench.smtp_sink import SinkProcess
from bench.worker_process import ygmon_worker
from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import DigestFrequency, Notification, NotificationPreference, User
from ygmon.jobs.runtime import open_runtime
from ygmon.mail.smtp import SmtpMailer
from ygmon.pipelines.notifications.create import (
    NewNotification,
    create_notification,
    create_notifications,
)
from ygmon.pipelines.notifications.digest import period_start, run_digest
from ygmon.pipelines.notifications.render import digest_email, notification_email

NOTIFICATIONS = int(os.environ.get("YGMON_BENCH_NOTIFICATIONS", "1000"))
DIGEST_USERS = int(os.environ.get("YGMON_BENCH_DIGEST_USERS", "10000"))
PER_USER = 5
ROUNDS = int(os.environ.get("YGMON_BENCH_ROUNDS", "3"))
KINDS = tuple(os.environ.get("YGMON_BENCH_KINDS", "sqlite,postgres").split(","))
"""Storage of (a): the local default (SQLite database and broker), Postgres + Redis."""
STORAGE = {"sqlite": "SQLite", "postgres": "Postgres + Redis"}
REDIS_URL = os.environ.get("YGMON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
IMMEDIATE_USERS = 100
FROM = "ygmon <noreply@ygmon.bench>"
NOW = datetime(2026, 12, 2, 9, 0, 30, tzinfo=UTC)
QUEUES = ["notification-delivery", "email"]


def _bare_send(sink: SinkProcess, messages: Iterable[EmailMessage], count: int) -> float:
    """Seconds to send `messages` over one SMTP connection, until the server took all."""
    sink.expect(count)
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", sink.port) as conn:
        for message in messages:
            conn.send_message(message)
    return sink.wait() - started


async def _seed_users(db: Database, count: int, frequency: DigestFrequency) -> list[User]:
    users = [User(id=f"u{i:05}", email=f"u{i:05}@bench.test", name=f"U {i}") for i in range(count)]
    async with db.writer() as session:
        session.add_all(users)
        await session.flush()
        session.add_all(
            NotificationPreference(user_id=u.id, digest_frequency=frequency) for u in users
        )
    return users


# --- (a) immediate --------------------------------------------------------------------


def _immediate_messages(users: list[User]) -> list[EmailMessage]:
    out = []
    for i in range(NOTIFICATIONS):
        user = users[i % len(users)]
        note = Notification(
            id=uuid.uuid4().hex,
            type="PAYOUT",
            title=f"Payout {i} sent",
            message=f"Your payout number {i} left the bank.",
            action_url=f"/payouts/{i}",
        )
        out.append(
            notification_email(
                note, to_email=user.email, to_name=user.name, from_address=FROM, now=NOW
            )
        )
    return out


def _new(i: int, users: list[User]) -> NewNotification:
    return NewNotification(
        user_id=users[i % len(users)].id,
        kind="PAYOUT",
        title=f"Payout {i} sent",
        message=f"Your payout number {i} left the bank.",
        action_url=f"/payouts/{i}",
    )


async def _create_all(profile: LocalProfile, enqueue: Any, users: list[User], bulk: bool) -> None:
    """One create_notification per notification (as events arrive one by one), or one
    create_notifications call for all of them (a broadcast)."""
    db = Database(profile.database_url)
    try:
        if bulk:
            await create_notifications(db, enqueue, [_new(i, users) for i in range(NOTIFICATIONS)])
            return
        for i in range(NOTIFICATIONS):
            await create_notification(db, enqueue, **_new(i, users))
    finally:
        await db.dispose()


def _figure(name: str, took: list[float], baseline: str, bare: list[float], most: float) -> Figure:
    """The best round of each side (the machine is shared: the best is the least
    disturbed), the rounds in the name."""
    rounds = ", ".join(f"{t:.2f}/{b:.2f}" for t, b in zip(took, bare, strict=True))
    return Figure(
        f"{name} [rounds measured/bare s: {rounds}]",
        min(took),
        "s",
        baseline_name=baseline,
        baseline_value=min(bare),
        target=f"<= {most:g}x",
        ok=min(took) <= most * min(bare),
    )


@contextmanager
def _storage(root: Path, kind: str) -> Iterator[tuple[str, str, str]]:
    """(database URL, broker URL, namespace): the local default's two SQLite files, or a
    fresh Postgres database and a Redis namespace, both removed afterwards."""
    namespace = f"b{uuid.uuid4().hex[:8]}"
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{root / 'a.db'}", f"sqlite:///{root / 'a-queue.db'}", namespace
        return
    import redis

    from bench.postgres_db import fresh_database

    try:
        with fresh_database() as database:
            yield database, REDIS_URL, namespace
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"*{namespace}*", count=10_000))
        for i in range(0, len(keys), 10_000):
            client.delete(*keys[i : i + 10_000])


def _mail_profile(urls: tuple[str, str, str], port: int) -> LocalProfile:
    return LocalProfile(
        database_url=urls[0],
        broker_url=urls[1],
        namespace=urls[2],
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from=FROM,
    )


def _immediate(root: Path, sink: SinkProcess, kind: str) -> Iterator[Figure]:
    with _storage(root, kind) as urls:
        yield from _immediate_on(root, sink, _mail_profile(urls, sink.port), kind)


def _immediate_on(
    root: Path, sink: SinkProcess, profile: LocalProfile, kind: str
) -> Iterator[Figure]:

    async def seed() -> list[User]:
        db = Database(profile.database_url)
        try:
            await upgrade(db)
            return await _seed_users(db, IMMEDIATE_USERS, DigestFrequency.IMMEDIATE)
        finally:
            await db.dispose()

    users = asyncio.run(seed())
    messages = _immediate_messages(users)
    bare: list[float] = []
    took: dict[bool, list[float]] = {False: [], True: []}
    with (
        open_runtime(profile) as runtime,
        ygmon_worker(
            profile, root / f"a-{kind}.toml", "--no-schedule", "--queues", ",".join(QUEUES)
        ),
    ):
        for _ in range(ROUNDS):  # alternated, so every side sees the same machine
            bare.append(_bare_send(sink, messages, NOTIFICATIONS))
            for bulk in (False, True):
                sink.expect(NOTIFICATIONS)
                started = time.monotonic()
                asyncio.run(_create_all(profile, runtime.enqueue, users, bulk))
                took[bulk].append(sink.wait() - started)
                runtime.wait_idle(60, QUEUES)
        senders = runtime.registry.counts("email").completed / (2 * ROUNDS)
    for bulk in (False, True):
        how = "created in one call" if bulk else "created one by one"
        yield _figure(
            f"{NOTIFICATIONS:,} immediate notifications on {STORAGE[kind]}, {how}, to SMTP"
            f" acceptance (~{senders:.0f} sender jobs a round)",
            took[bulk],
            f"bare loop, {NOTIFICATIONS:,} messages over one SMTP connection",
            bare,
            3,
        )


# --- (b) digest -----------------------------------------------------------------------


async def _seed_digest(db: Database) -> list[tuple[User, list[Notification]]]:
    users = await _seed_users(db, DIGEST_USERS, DigestFrequency.DAILY)
    out = []
    async with db.writer() as session:
        for n, user in enumerate(users):
            notes = [
                Notification(
                    id=f"n{n:05}{k}",
                    user_id=user.id,
                    type="ROYALTY",
                    title=f"Royalty {k} for {user.name}",
                    message=f"A royalty of {k + 1}.00 was credited.",
                    action_url=f"/royalties/{n}/{k}",
                    created_at=datetime(2026, 12, 1, 10, k, tzinfo=UTC),
                    updated_at=datetime(2026, 12, 1, 10, k, tzinfo=UTC),
                )
                for k in range(PER_USER)
            ]
            session.add_all(notes)
            out.append((user, notes))
    return out


def _digest_messages(seeded: list[tuple[User, list[Notification]]]) -> Iterator[EmailMessage]:
    period = period_start("daily", NOW)
    for user, notes in seeded:
        yield digest_email(
            notes,
            frequency="DAILY",
            period=period,
            user_id=user.id,
            to_email=user.email,
            to_name=user.name,
            from_address=FROM,
            now=NOW,
        )


async def _unread_again(db: Database) -> None:
    """Undo a digest run's marks, so the next round (a later day) sends them all again."""
    async with db.writer() as session:
        await session.execute(update(Notification.__table__).values(digested_at=None))
        await session.execute(
            update(NotificationPreference.__table__).values(last_digest_sent_at=None)
        )


def _digest(root: Path, sink: SinkProcess) -> Iterator[Figure]:
    url = f"sqlite+aiosqlite:///{root / 'b.db'}"

    async def measure() -> tuple[list[float], list[float]]:
        db = Database(url)
        bare, took = [], []
        try:
            await upgrade(db)
            seeded = await _seed_digest(db)
            for day in range(ROUNDS):
                # The bare loop builds each message as it goes, as the digest does.
                bare.append(_bare_send(sink, _digest_messages(seeded), DIGEST_USERS))
                await _unread_again(db)
                sink.expect(DIGEST_USERS)
                mailer = SmtpMailer("127.0.0.1", sink.port, security="none")
                started = time.monotonic()
                try:
                    report = await run_digest(
                        db,
                        mailer,
                        "daily",
                        job_id=f"bench-{day}",
                        now=NOW + timedelta(days=day),
                        from_address=FROM,
                    )
                finally:
                    mailer.close()
                took.append(sink.wait() - started)
                if report.sent != DIGEST_USERS:
                    raise RuntimeError(f"the digest sent {report.sent} of {DIGEST_USERS}")
            return took, bare
        finally:
            await db.dispose()

    took, bare = asyncio.run(measure())
    yield _figure(
        f"daily digest, {DIGEST_USERS:,} users x {PER_USER} unread",
        took,
        f"bare loop building and sending {DIGEST_USERS:,} messages",
        bare,
        2,
    )


def run() -> Iterator[Figure]:
    sink = SinkProcess()
    try:
        with tempfile.TemporaryDirectory(prefix="ygmon-bench-notify-") as where:
            root = Path(where)
            for kind in KINDS:
                yield from _immediate(root, sink, kind)
            yield from _digest(root, sink)
    finally:
        sink.close()
