"""ygmon's database: SQLAlchemy 2 models, engines and migrations, one schema on SQLite
and Postgres.

The engine names load on first use (PEP 562), so importing a light submodule such as
ygmon.db.schema_head does not pull in SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ygmon.db.engine import Database, is_sqlite, make_engine

__all__ = ["Database", "is_sqlite", "make_engine"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ygmon.db import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'ygmon.db' has no attribute {name!r}")
