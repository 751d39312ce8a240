"""ygmon's database: SQLAlchemy 2 models, engines and migrations, one schema on SQLite
and Postgres."""

from ygmon.db.engine import Database, is_sqlite, make_engine

__all__ = ["Database", "is_sqlite", "make_engine"]
