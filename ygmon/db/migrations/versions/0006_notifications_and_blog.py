"""notifications, e-mail and blog publishing (issue 12)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Claim rows of the e-mail senders (ygmon/db/models/deliveries.py): one per notification
e-mailed, one per (user, frequency, period) digest. Their unique keys are what makes a
second run of a delivery or digest send nothing twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import ygmon.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ygmon.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notification_emails",
        sa.Column("notification_id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_emails_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_emails")),
        sa.UniqueConstraint("notification_id", name=op.f("uq_notification_emails_notification_id")),
    )
    op.create_table(
        "notification_digests",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("period_start", UTC, nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column(
            "notification_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("notification_count", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_digests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digests")),
        sa.UniqueConstraint(
            "user_id",
            "frequency",
            "period_start",
            name=op.f("uq_notification_digests_user_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("notification_digests")
    op.drop_table("notification_emails")
