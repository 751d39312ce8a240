"""What counts as a database the demo may (re)create, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.demo.fresh_database import data_in, embedded_broker_path, sqlite_path, wipe
from ygmon.errors import ConfigError


async def test_a_migrated_empty_database_is_safe_and_one_row_is_not(tmp_path: Path) -> None:
    # A newcomer who ran `ygmon status` first has an empty, migrated database.
    path = tmp_path / "ygmon.db"
    assert data_in(path) is None
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db)
    finally:
        await db.dispose()
    assert data_in(path) is None
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO users (id, email, role, created_at, updated_at) "
                     "VALUES ('u1', 'a@b.c', 'VIEWER', '2026-01-01', '2026-01-01')")  # fmt: skip
    assert data_in(path) == "table users has rows"
    wipe(path)
    assert not path.exists() and not path.with_name("ygmon.db-wal").exists()


def test_a_file_that_is_not_sqlite_counts_as_data(tmp_path: Path) -> None:
    path = tmp_path / "ygmon.db"
    path.write_text("not a database\n" * 100)
    assert "not an empty SQLite database" in data_in(path)


def test_only_a_sqlite_file_can_hold_the_demo() -> None:
    assert sqlite_path("sqlite+aiosqlite:///./x/ygmon.db", "local") == Path("./x/ygmon.db")
    with pytest.raises(ConfigError, match=r"creates a local SQLite database.*postgresql"):
        sqlite_path("postgresql+asyncpg://u@h/db", "prod")
    with pytest.raises(ConfigError, match="in-memory"):
        sqlite_path("sqlite+aiosqlite:///:memory:", "local")


def test_only_an_embedded_broker_is_ever_cleared() -> None:
    assert embedded_broker_path("sqlite:///./ygmon-queue.db") == Path("./ygmon-queue.db")
    assert embedded_broker_path("redis://127.0.0.1:6379/0") is None
