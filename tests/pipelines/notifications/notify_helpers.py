"""Helpers of the notification tests (imported by name: a module called conftest would
clash with the other test folders' when they run together): a real SMTP server on
loopback (aiosmtpd) that counts what it accepted, users with preferences, times."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from ygmon.db import Database
from ygmon.db.models import DigestFrequency, NotificationPreference, User


class SmtpSink:
    """aiosmtpd's handler: keeps every message it accepted; `hold_after(n)` makes the
    (n+1)th DATA wait, unanswered, until `release()` (then refuses it with a 451)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._hold_after: int | None = None
        self.holding = threading.Event()
        self._released = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._hold_after is not None and len(self.messages) >= self._hold_after:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def hold_after(self, count: int) -> None:
        self._hold_after = count

    def release(self) -> None:
        self._hold_after = None
        self._released.set()

    def ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]).strip() for m in self.messages]

    def to(self) -> list[str]:
        with self._lock:
            return [str(m["To"]) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.messages)} messages of {count}")
            time.sleep(0.02)


class SmtpServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sink = SmtpSink()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def smtp_settings(server: SmtpServer) -> dict[str, Any]:
    return {
        "mail_backend": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": "none",
        "mail_from": "ygmon <noreply@ygmon.test>",
        "mail_breaker_failures": 2,
        "mail_breaker_reset": 1.0,
    }


async def add_user(
    db: Database,
    email: str,
    frequency: DigestFrequency | None = DigestFrequency.IMMEDIATE,
    *,
    email_enabled: bool = True,
    types: list[str] | None = None,
    last_digest: datetime | None = None,
) -> str:
    """A user and, unless `frequency` is None, their preference row; the user's id."""
    async with db.writer() as session:
        user = User(email=email, name=email.split("@")[0].title())
        session.add(user)
        await session.flush()
        if frequency is not None:
            session.add(
                NotificationPreference(
                    user_id=user.id,
                    digest_frequency=frequency,
                    email_enabled=email_enabled,
                    enabled_types=types or [],
                    last_digest_sent_at=last_digest,
                )
            )
        return user.id


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
