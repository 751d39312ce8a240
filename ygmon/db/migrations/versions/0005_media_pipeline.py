"""media pipeline (issue 11): asset thumbnail and preview keys, the asset's media job

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The database keeps storage keys, not URLs: a signed URL expires, and where it points
(`ygmon serve` or a CDN) is the reader's setting. So thumbnail_url and preview_url
become thumbnail_key and preview_key, renamed in place (RENAME COLUMN exists on
Postgres and on SQLite since 3.25, and keeps the table, its indexes and any trigger
another migration put on it; a batch copy would drop SQLite's triggers).
media_job_id is the asset's latest thumbnail or preview job, which the terminal app
retries.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENAMES = (("thumbnail_url", "thumbnail_key"), ("preview_url", "preview_key"))


def upgrade() -> None:
    for old, new in RENAMES:
        op.execute(f"ALTER TABLE ip_assets RENAME COLUMN {old} TO {new}")
    op.add_column("ip_assets", sa.Column("media_job_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # DROP COLUMN directly (SQLite 3.35+), not through a batch copy, for the same reason.
    op.execute("ALTER TABLE ip_assets DROP COLUMN media_job_id")
    for old, new in RENAMES:
        op.execute(f"ALTER TABLE ip_assets RENAME COLUMN {new} TO {old}")
