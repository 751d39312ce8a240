"""Digests to a real SMTP server: exactly the unread notifications since the last
digest, for exactly the users who should get one, once per period, in batches."""

from __future__ import annotations

from datetime import timedelta

from notify_helpers import SmtpServer, add_user, at
from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import DigestFrequency, Notification, NotificationPreference, User
from ygmon.mail.smtp import SmtpMailer
from ygmon.pipelines.notifications.create import add_notification
from ygmon.pipelines.notifications.digest import period_start, run_digest

FROM = "ygmon <noreply@ygmon.test>"
NOW = at("2026-12-02T09:00:30")  # a Wednesday, just after the daily run's time


async def _note(db: Database, user_id: str, title: str, created: str, **fields: object) -> str:
    async with db.writer() as session:
        row = add_notification(
            session,
            user_id=user_id,
            kind=str(fields.pop("kind", "PROJECT")),
            title=title,
            message=f"{title} happened.",
            now=at(created),
        )
        for key, value in fields.items():
            setattr(row, key, value)
        await session.flush()
        return row.id


def test_periods_follow_the_schedules() -> None:
    assert period_start("daily", NOW) == at("2026-12-02T09:00:00")
    assert period_start("daily", at("2026-12-02T09:00:00")) == at("2026-12-02T09:00:00")
    assert period_start("daily", at("2026-12-02T08:59:59")) == at("2026-12-01T09:00:00")
    assert period_start("weekly", NOW) == at("2026-11-30T09:00:00")  # Monday


async def test_a_digest_holds_exactly_the_unread_since_the_last_one(
    database: Database, smtp: SmtpServer
) -> None:
    last = at("2026-12-01T09:00:05")
    ann = await add_user(database, "ann@x.test", DigestFrequency.DAILY, last_digest=last)
    await _note(database, ann, "Fresh one", "2026-12-01T12:00:00")
    await _note(database, ann, "Fresh two", "2026-12-02T08:00:00")
    await _note(database, ann, "Already read", "2026-12-01T13:00:00", read=True)
    await _note(database, ann, "Before last digest", "2026-12-01T08:00:00")
    await _note(
        database, ann, "Digested", "2026-12-01T14:00:00", digested_at=at("2026-12-01T15:00:00")
    )
    bob = await add_user(database, "bob@x.test", DigestFrequency.DAILY, types=["LICENSE"])
    await _note(database, bob, "A licence", "2026-12-01T10:00:00", kind="LICENSE")
    await _note(database, bob, "A project (type off)", "2026-12-01T10:00:00")
    cat = await add_user(database, "cat@x.test", DigestFrequency.DAILY)
    await _note(database, cat, "Read already", "2026-12-01T10:00:00", read=True)
    for email, freq, on in (
        ("wes@x.test", DigestFrequency.WEEKLY, True),
        ("imm@x.test", DigestFrequency.IMMEDIATE, True),
        ("nev@x.test", DigestFrequency.NEVER, True),
        ("off@x.test", DigestFrequency.DAILY, False),
    ):
        uid = await add_user(database, email, freq, email_enabled=on)
        await _note(database, uid, f"For {email}", "2026-12-01T10:00:00")

    mailer = SmtpMailer("127.0.0.1", smtp.port, security="none")
    try:
        report = await run_digest(
            database, mailer, "daily", job_id="j1", now=NOW, from_address=FROM
        )
        assert (report.users, report.sent, report.nothing_unread) == (3, 2, 1)
        got = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in smtp.sink.messages}
        assert set(got) == {"ann@x.test", "bob@x.test"}
        ann_text = got["ann@x.test"].get_body(("plain",)).get_content()
        assert "Fresh one" in ann_text and "Fresh two" in ann_text
        for absent in ("Already read", "Before last digest", "Digested"):
            assert absent not in ann_text
        bob_text = got["bob@x.test"].get_body(("plain",)).get_content()
        assert "A licence" in bob_text and "type off" not in bob_text
        assert got["ann@x.test"]["Subject"] == "Your daily digest: 2 unread notifications"
        assert (
            str(got["ann@x.test"]["Message-ID"]).strip()
            == f"<digest.daily.20261202T0900.{ann}@ygmon.test>"
        )

        # The same period again (a second run, or a retry): nothing more is sent.
        again = await run_digest(
            database,
            mailer,
            "daily",
            job_id="j2",
            now=NOW + timedelta(minutes=5),
            from_address=FROM,
        )
        assert (again.sent, again.already_sent) == (0, 2)
        assert len(smtp.sink.messages) == 2
    finally:
        mailer.close()

    async with database.reader() as session:
        prefs = {
            p.user_id: p for p in (await session.execute(select(NotificationPreference))).scalars()
        }
        notes = (await session.execute(select(Notification))).scalars().all()
    assert prefs[ann].last_digest_sent_at == NOW and prefs[bob].last_digest_sent_at == NOW
    assert prefs[cat].last_digest_sent_at is None
    digested = {n.title for n in notes if n.digested_at == NOW}
    assert digested == {"Fresh one", "Fresh two", "A licence"}


async def test_users_go_in_batches_of_fifty_with_progress(
    database: Database, smtp: SmtpServer
) -> None:
    async with database.writer() as session:  # one transaction: 120 users quickly
        session.add_all(User(id=f"u{i:03}", email=f"u{i:03}@x.test") for i in range(120))
        await session.flush()
        for i in range(120):
            session.add(NotificationPreference(user_id=f"u{i:03}", digest_frequency="WEEKLY"))
            if i % 3:
                add_notification(
                    session,
                    user_id=f"u{i:03}",
                    kind="SYSTEM",
                    title=f"Note {i}",
                    message="-",
                    now=at("2026-12-01T10:00:00"),
                )
    seen: list[float] = []
    mailer = SmtpMailer("127.0.0.1", smtp.port, security="none")
    try:
        report = await run_digest(
            database,
            mailer,
            "weekly",
            job_id="j",
            now=NOW,
            from_address=FROM,
            progress=seen.append,
        )
    finally:
        mailer.close()
    assert [round(p) for p in seen] == [42, 83, 100]
    assert (report.users, report.sent, report.nothing_unread) == (120, 80, 40)
    assert len(set(smtp.sink.ids())) == len(smtp.sink.messages) == 80
