"""The mail server's circuit breaker (pybreaker), its state shared by every worker.

With a Redis broker the state lives in Redis (pybreaker's CircuitRedisStorage, under
the profile's namespace); with the embedded SQLite broker it is a row of the broker's
file, so every worker process on the machine, and the health endpoint, read the same
state. After `mail_breaker_failures` consecutive failures the breaker opens; calls then
fail fast until `mail_breaker_reset` seconds have passed, when one trial call decides.
Each worker reads the shared state at most once a second while it is closed
(ygmon.mail.breaker_cache).
"""

from __future__ import annotations

import smtplib
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pybreaker

from ygmon.mail.breaker_cache import FreshForStorage

if TYPE_CHECKING:
    from ygmon.config import LocalProfile

CIRCUIT_OPEN = "mail server unavailable (circuit open)"
_TABLE = "ygmon_mail_breaker"


def _not_the_servers_fault(exc: BaseException) -> bool:
    """A refused recipient or a permanent (5xx) answer says the server is up; a missing
    password is ours to fix."""
    from ygmon.errors import ConfigError

    if isinstance(exc, smtplib.SMTPRecipientsRefused | ConfigError):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


class SqliteBreakerStorage(pybreaker.CircuitBreakerStorage):
    """pybreaker's storage as one row of a table in the SQLite broker's file.

    pybreaker reads the state before every call and resets the failure counter after
    every success: one connection is kept (opening one per read cost as much as the
    SMTP exchange), and a reset writes only when there is something to reset, so a
    healthy run reads and never takes the file's write lock.
    """

    def __init__(self, path: str, name: str) -> None:
        super().__init__(name)
        self._lock = threading.Lock()
        # The mailer's sends run on a helper thread; the lock keeps one user at a time.
        self._conn = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA busy_timeout=10000")
        with self._lock:
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS {_TABLE} (name TEXT PRIMARY KEY, state TEXT NOT NULL,"
                " fail_counter INTEGER NOT NULL, success_counter INTEGER NOT NULL, opened_at REAL)"
            )
            self._conn.execute(
                f"INSERT OR IGNORE INTO {_TABLE} VALUES (?, ?, 0, 0, NULL)",
                (name, pybreaker.STATE_CLOSED),
            )

    def _get(self, column: str) -> object:
        with self._lock:
            row = self._conn.execute(f"SELECT {column} FROM {_TABLE} WHERE name = ?", (self.name,))
            found = row.fetchone()
        return None if found is None else found[0]

    def _set(self, assignment: str, *params: object) -> None:
        with self._lock:
            self._conn.execute(
                f"UPDATE {_TABLE} SET {assignment} WHERE name = ?", (*params, self.name)
            )

    @property
    def state(self) -> str:
        return str(self._get("state") or pybreaker.STATE_CLOSED)

    @state.setter
    def state(self, state: str) -> None:
        self._set("state = ?", str(state))

    def increment_counter(self) -> None:
        self._set("fail_counter = fail_counter + 1")

    def reset_counter(self) -> None:
        if self.counter:
            self._set("fail_counter = 0")

    def increment_success_counter(self) -> None:
        self._set("success_counter = success_counter + 1")

    def reset_success_counter(self) -> None:
        if self.success_counter:
            self._set("success_counter = 0")

    @property
    def counter(self) -> int:
        return int(self._get("fail_counter") or 0)  # type: ignore[call-overload]

    @property
    def success_counter(self) -> int:
        return int(self._get("success_counter") or 0)  # type: ignore[call-overload]

    @property
    def opened_at(self) -> datetime | None:
        value = self._get("opened_at")
        return None if value is None else datetime.fromtimestamp(float(value), UTC)  # type: ignore[arg-type]

    @opened_at.setter
    def opened_at(self, now: datetime) -> None:
        self._set("opened_at = ?", now.timestamp())


def _storage(profile: LocalProfile) -> pybreaker.CircuitBreakerStorage:
    from ygmon.broker_url import broker_kind, sqlite_path

    name = f"{profile.namespace}:mail"
    if broker_kind(profile.broker_url) == "sqlite":
        return SqliteBreakerStorage(sqlite_path(profile.broker_url), name)
    import redis

    client = redis.Redis.from_url(profile.broker_url)
    return pybreaker.CircuitRedisStorage(pybreaker.STATE_CLOSED, client, namespace=name)


def open_breaker(profile: LocalProfile) -> pybreaker.CircuitBreaker:
    return pybreaker.CircuitBreaker(
        fail_max=profile.mail_breaker_failures,
        reset_timeout=profile.mail_breaker_reset,
        exclude=[_not_the_servers_fault],
        state_storage=FreshForStorage(_storage(profile)),
        name="mail",
    )


def shared_state(profile: LocalProfile) -> str:
    """The breaker's state as every worker sees it, read without writing anything (a
    breaker no worker has used yet is closed)."""
    from ygmon.broker_url import broker_kind, sqlite_path

    name = f"{profile.namespace}:mail"
    if broker_kind(profile.broker_url) == "sqlite":
        path = sqlite_path(profile.broker_url, create_parent=False)
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
                row = conn.execute(f"SELECT state FROM {_TABLE} WHERE name = ?", (name,))
                found = row.fetchone()
        except sqlite3.OperationalError:
            return pybreaker.STATE_CLOSED
        return pybreaker.STATE_CLOSED if found is None else str(found[0])
    import redis

    with redis.Redis.from_url(profile.broker_url) as client:
        value = client.get(f"{name}:{pybreaker.CircuitRedisStorage.BASE_NAMESPACE}:state")
    return pybreaker.STATE_CLOSED if value is None else value.decode()


def breaker_error(profile: LocalProfile) -> str | None:
    """CIRCUIT_OPEN while the shared breaker is open (or waiting on its trial call),
    else None. Only an SMTP profile has a breaker."""
    if profile.mail_backend != "smtp":
        return None
    return None if shared_state(profile) == pybreaker.STATE_CLOSED else CIRCUIT_OPEN
