"""audit log of operator actions (issue 14)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

One row per action that changes something (retry, bulk retry and discard, pause,
resume, trigger, worker start and stop from the app): who (JWT subject or OS user),
from where, what, when and the outcome. Read newest first, hence the index on `at`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ygmon.db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ygmon.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
