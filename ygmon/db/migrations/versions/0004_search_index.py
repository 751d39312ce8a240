"""search index (issue 10)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Postgres: a weighted `search_vector` tsvector column on each searchable table with a
GIN index. SQLite: one FTS5 table per entity (porter unicode61), its rowid derived
from the entity's id. Both: the reindex checkpoint table. No triggers: the search jobs
write the index, because the jobs are what the contract monitors.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ygmon.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported: a migration must not change when the code does.
TABLES = {
    "asset": ("ip_assets", ("title", "tags", "description")),
    "creator": ("creators", ("stage_name", "specialties", "bio")),
    "project": ("projects", ("title", "description")),
    "license": ("licenses", ("asset_title", "license_type", "scope")),
    "blog_post": ("blog_posts", ("title", "excerpt", "content")),
}


def upgrade() -> None:
    op.create_table(
        "search_reindex_runs",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=True),
        sa.Column("last_id", sa.String(64), nullable=True),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("fixed", sa.JSON(), nullable=False),
        sa.Column("started_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_search_reindex_runs_finished_at", "search_reindex_runs", ["finished_at"])
    if op.get_context().dialect.name == "postgresql":
        for table, _fields in TABLES.values():
            op.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector")
            op.execute(f"CREATE INDEX ix_search_{table} ON {table} USING gin (search_vector)")
        return
    for name, (_table, fields) in TABLES.items():
        op.execute(
            f"CREATE VIRTUAL TABLE search_fts_{name} USING fts5("
            f"entity_id UNINDEXED, {', '.join(fields)}, tokenize='porter unicode61')"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table, _fields in TABLES.values():
            op.execute(f"DROP INDEX IF EXISTS ix_search_{table}")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    else:
        for name in TABLES:
            op.execute(f"DROP TABLE IF EXISTS search_fts_{name}")
    op.drop_index("ix_search_reindex_runs_finished_at", "search_reindex_runs")
    op.drop_table("search_reindex_runs")
