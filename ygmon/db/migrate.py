"""Schema migrations: Alembic scripts ship inside the package and run programmatically.

Alembic is imported only when a migration runs: the TUI and `ygmon status` check the
revision on every start, and the check needs one SELECT, not Alembic's ~250 ms import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ygmon.db.engine import Database
from ygmon.db.schema_head import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def script_head_revision() -> str:
    """The head as Alembic reads it from the scripts (slow: loads every script)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        has_table = await conn.run_sync(
            lambda sync_conn: sync_conn.dialect.has_table(sync_conn, "alembic_version")
        )
        if not has_table:
            return None
        try:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:
            return None


async def upgrade(db: Database, revision: str = "head") -> str:
    """Apply migrations up to `revision` on `db`; returns the revision now in force."""
    from alembic import command

    def _run(sync_conn: Any) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with db.engine.execution_options(ygmon_sqlite_begin="IMMEDIATE").begin() as conn:
        await conn.run_sync(_run)
    return await current_revision(db) or ""


async def ensure_schema(db: Database) -> str:
    """Bring the database to the head revision when it is behind (first use included)."""
    if await current_revision(db) != HEAD_REVISION:
        return await upgrade(db)
    return HEAD_REVISION
