"""Schema migrations: Alembic scripts ship inside the package and run programmatically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ygmon.db.engine import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


async def current_revision(db: Database) -> str | None:
    def _read(sync_conn: Any) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(_read)


async def upgrade(db: Database, revision: str = "head") -> str:
    """Apply migrations up to `revision` on `db`; returns the revision now in force."""

    def _run(sync_conn: Any) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with db.engine.execution_options(ygmon_sqlite_begin="IMMEDIATE").begin() as conn:
        await conn.run_sync(_run)
    return await current_revision(db) or ""


async def ensure_schema(db: Database) -> str:
    """Bring the database to the head revision when it is behind (first use included)."""
    if await current_revision(db) != head_revision():
        return await upgrade(db)
    return head_revision()
