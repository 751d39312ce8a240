"""One log line per outage instead of a traceback per poll.

While Redis or the database is unreachable, every consumer thread of a worker fails its
dequeue each poll and Huey logs each failure with its traceback: a dozen tracebacks a
second that bury the one line an operator needs. This filter turns a record caused by
a connection failure into a single line naming the failure, and drops the repeats of
that line for QUIET_SECONDS.
"""

from __future__ import annotations

import logging
import socket
import time

QUIET_SECONDS = 30.0


def _is_outage(exc: BaseException) -> bool:
    from ygmon.errors import UnavailableError

    if isinstance(exc, UnavailableError | ConnectionError | TimeoutError | socket.gaierror):
        return True
    try:
        import redis

        if isinstance(exc, redis.ConnectionError | redis.TimeoutError | redis.BusyLoadingError):
            return True
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    name = type(exc).__name__
    # asyncpg and SQLAlchemy: the server went away or refuses connections.
    return name in {"ConnectionDoesNotExistError", "CannotConnectNowError", "InterfaceError"} or (
        name == "OperationalError" and "connect" in str(exc).lower()
    )


class OutageFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        exc = record.exc_info[1]
        if not _is_outage(exc):
            return True
        line = f"{record.getMessage()}: {type(exc).__name__}: {exc} (retrying)"
        key = f"{record.name}|{type(exc).__name__}"
        now = time.monotonic()
        if now - self._last.get(key, -QUIET_SECONDS) < QUIET_SECONDS:
            return False
        self._last[key] = now
        record.msg, record.args = line, ()
        record.exc_info = record.exc_text = None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Filter every handler of `logger` (default: the root logger)."""
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(OutageFilter())
