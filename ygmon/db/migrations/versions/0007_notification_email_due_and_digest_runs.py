"""notification e-mails due, digest runs (issue 12)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A delivery writes the notification's `notification_emails` row unclaimed and unsent; a
sender job on the `email` queue claims the due rows in batches (sent_at IS NULL), which
without this index would read every row ever sent. `notification_digest_runs` holds a
row per digest period a run started, so a worker that was down over a digest's
schedule catches it up on start, once across workers starting together.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ygmon.db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ygmon.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notification_digest_runs",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", UTC, nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digest_runs")),
        sa.UniqueConstraint("kind", "period_start", name=op.f("uq_notification_digest_runs_kind")),
    )
    op.create_index(
        op.f("ix_notification_emails_sent_at"), "notification_emails", ["sent_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("notification_digest_runs")
    op.drop_index(op.f("ix_notification_emails_sent_at"), table_name="notification_emails")
