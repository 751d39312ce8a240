"""The schema revision this ygmon expects: the newest script in migrations/versions.

A constant, apart from ygmon.db.migrate, so a start-up check compares against it
without loading SQLAlchemy or Alembic; tests/db/test_schema.py keeps it equal to the
scripts' head.
"""

HEAD_REVISION = "0008"
