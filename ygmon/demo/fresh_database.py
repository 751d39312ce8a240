"""The demo's database file: where it is, whether it already holds data, and wiping it.

The demo only ever creates a local SQLite file, and never writes into one that holds
data unless asked to with --force (then the file and its WAL are deleted first).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from ygmon.errors import ConfigError, YgmonError

# Tables the schema itself owns; rows there are not "data" a person would miss.
_BOOKKEEPING = {"alembic_version"}


class DatabaseNotEmptyError(YgmonError):
    """The demo was pointed at a database that already holds data (and no --force)."""

    title = "Database not empty"


def sqlite_path(url: str, profile_name: str) -> Path:
    """The file behind a SQLite URL; a ConfigError for anything else."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise ConfigError(
            f"config error: 'ygmon demo' creates a local SQLite database, and profile "
            f"'{profile_name}' uses {parsed.get_backend_name()} "
            f'(set database_url = "sqlite+aiosqlite:///./ygmon.db" or pick another profile)'
        )
    if not parsed.database or parsed.database == ":memory:":
        raise ConfigError(
            f"config error: 'ygmon demo' needs a SQLite file, and profile '{profile_name}' "
            "uses an in-memory database"
        )
    return Path(parsed.database)


_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def data_in(path: Path) -> str | None:
    """Why `path` counts as holding data (a one-line reason), or None when it is safe."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            names = [row[0] for row in conn.execute(query)]
            virtual = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
                )
            ]
            # An FTS5 table keeps bookkeeping rows in its shadow tables even when empty;
            # the virtual table itself says whether it holds anything.
            shadows = {f"{v}_{part}" for v in virtual for part in _FTS5_SHADOWS}
            for name in names:
                if name in _BOOKKEEPING or name in shadows:
                    continue
                quoted = name.replace('"', '""')
                if conn.execute(f'SELECT 1 FROM "{quoted}" LIMIT 1').fetchone():
                    return f"table {name} has rows"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"it is not an empty SQLite database ({exc})"
    return None


def wipe(path: Path) -> None:
    """Delete the database file and its journal files, so the demo starts from empty."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        candidate.unlink(missing_ok=True)


def embedded_broker_path(broker_url: str) -> Path | None:
    """The queue file of an embedded (sqlite:///PATH) broker; None for Redis and the like,
    which the demo never clears (other deployments may share it)."""
    parsed = make_url(broker_url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
