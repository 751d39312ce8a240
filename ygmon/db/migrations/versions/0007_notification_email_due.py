"""notification e-mails due: an index for the sender's claim step (issue 12)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A delivery writes the notification's `notification_emails` row unclaimed and unsent; a
sender job on the `email` queue claims the due rows in batches (sent_at IS NULL), which
without this index would read every row ever sent.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_notification_emails_sent_at"), "notification_emails", ["sent_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_notification_emails_sent_at"), table_name="notification_emails")
