"""Reads of an embedded SQLite database with the stdlib's sqlite3, no SQLAlchemy.

The terminal app's first screen asks the database only how many blog posts are
scheduled, and `ygmon status` only which revision it is at; SQLAlchemy's import alone
costs about twice a bare Textual app's whole start-up and several times the 50 ms
status budget. So an SQLite file already at the head revision is read here, and
everything else (Postgres, no file yet, a schema behind head, any error) answers None
for the SQLAlchemy path to migrate, count or report as it always did.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from ygmon.db import scheduled_posts as scheduled_posts_count
from ygmon.db.schema_head import HEAD_REVISION

T = TypeVar("T")

_PREFIXES = ("sqlite+aiosqlite:///", "sqlite:///")
_TIMEOUT_S = 10.0
"""As long as the SQLAlchemy engine waits on a busy SQLite file (SQLITE_BUSY_TIMEOUT_MS)."""


def sqlite_file(url: str) -> str | None:
    """The file of a plain SQLite database URL; None for anything sqlite3 should not
    open by itself (another dialect, in-memory, URL options)."""
    for prefix in _PREFIXES:
        if url.startswith(prefix):
            path = url[len(prefix) :]
            break
    else:
        return None
    if not path or "?" in path or path.startswith(":memory:"):
        return None
    return path


def _at_head(path: str, then: Callable[[sqlite3.Connection], T]) -> T | None:
    """`then` on a connection to `path`, or None unless the file exists and its schema
    is at HEAD_REVISION (or on any sqlite3 error)."""
    if not os.path.isfile(path):
        return None  # the SQLAlchemy path creates and migrates it
    try:
        conn = sqlite3.connect(path, timeout=_TIMEOUT_S)
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != HEAD_REVISION:
                return None
            return then(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def at_head(path: str) -> bool:
    """Whether the file exists with its schema at HEAD_REVISION."""
    return _at_head(path, lambda _conn: True) is True


def scheduled_posts(path: str) -> int | None:
    """What LocalMonitor.health() counts (scheduled, not deleted blog posts), or None
    unless `path` exists and its schema is at HEAD_REVISION."""

    return _at_head(path, scheduled_posts_count.count_sqlite)
