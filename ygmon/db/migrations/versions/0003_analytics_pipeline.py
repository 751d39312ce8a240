"""analytics pipeline (issue 9)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

- analytics_events: `received_at` (when an event arrived; late events are found by it,
  existing rows take their occurred_at) with an index, and no foreign key on
  ip_asset_id (raw intake keeps what the tracker sent; the rollups count an unknown
  asset as unattributable).
- metric tables: the unique key becomes (period, coalesce(ip_asset_id, '')) so the
  platform row (NULL asset) is unique and can be upserted; weekly and monthly rows gain
  growth_percent and daily_average.
- aggregation_catchup_claims: one row per caught-up (level, period).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import ygmon.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METRICS = (
    ("hourly_metrics", "hour", "uq_hourly_metrics_hour_asset"),
    ("daily_metrics", "date", "uq_daily_metrics_date_asset"),
    ("weekly_metrics", "week_start", "uq_weekly_metrics_week_asset"),
    ("monthly_metrics", "month_start", "uq_monthly_metrics_month_asset"),
)
ROLLUPS = ("weekly_metrics", "monthly_metrics")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "received_at",
                ygmon.db.base.UTCDateTime(timezone=True),
                server_default=sa.func.now(),
                nullable=False,
            )
        )
        batch_op.drop_constraint("fk_analytics_events_ip_asset_id_ip_assets", type_="foreignkey")
    op.execute("UPDATE analytics_events SET received_at = occurred_at")
    op.create_index("ix_analytics_events_received_at", "analytics_events", ["received_at"])
    for table, period, index in METRICS:
        op.drop_index(index, table_name=table)
        op.create_index(
            index, table, [sa.column(period), sa.text("coalesce(ip_asset_id, '')")], unique=True
        )
    for table in ROLLUPS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("growth_percent", sa.Float(), nullable=True))
            batch_op.add_column(sa.Column("daily_average", JSON, nullable=True))
    op.create_table(
        "aggregation_catchup_claims",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("job_type", sa.String(length=16), nullable=False),
        sa.Column("period_start", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=False),
        sa.Column("claimed_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregation_catchup_claims")),
    )
    op.create_index(
        "uq_aggregation_catchup_claims_period",
        "aggregation_catchup_claims",
        ["job_type", "period_start"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_aggregation_catchup_claims_period", table_name="aggregation_catchup_claims")
    op.drop_table("aggregation_catchup_claims")
    for table in ROLLUPS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("daily_average")
            batch_op.drop_column("growth_percent")
    for table, period, index in METRICS:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, [period, "ip_asset_id"], unique=True)
    op.drop_index("ix_analytics_events_received_at", table_name="analytics_events")
    # Events naming an asset that does not exist could not satisfy the key again.
    op.execute(
        "UPDATE analytics_events SET ip_asset_id = NULL WHERE ip_asset_id IS NOT NULL "
        "AND ip_asset_id NOT IN (SELECT id FROM ip_assets)"
    )
    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_analytics_events_ip_asset_id_ip_assets",
            "ip_assets",
            ["ip_asset_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_column("received_at")
