"""analytics pipeline (issue 9)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Reserved in the chain so the pipelines' schema changes land in a fixed order; the
pipeline's issue fills it in (upgrade and downgrade, on SQLite and Postgres).
"""

from collections.abc import Sequence

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
