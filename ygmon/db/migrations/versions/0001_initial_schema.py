"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import ygmon.db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "metrics_aggregation_jobs_log",
        sa.Column("job_type", sa.String(length=16), nullable=False),
        sa.Column("period_start_date", sa.Date(), nullable=False),
        sa.Column("period_end_date", sa.Date(), nullable=False),
        sa.Column("started_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "RUNNING",
                "COMPLETED",
                "FAILED",
                "PARTIAL",
                name="aggregationjobstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("records_processed", sa.Integer(), nullable=False),
        sa.Column("records_created", sa.Integer(), nullable=False),
        sa.Column("records_updated", sa.Integer(), nullable=False),
        sa.Column("errors_count", sa.Integer(), nullable=False),
        sa.Column(
            "duration_seconds", sa.Numeric(precision=12, scale=3, asdecimal=False), nullable=True
        ),
        sa.Column("memory_used_mb", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("error_stack", sa.Text(), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metrics_aggregation_jobs_log")),
    )
    with op.batch_alter_table("metrics_aggregation_jobs_log", schema=None) as batch_op:
        batch_op.create_index("ix_agg_log_period_end", ["period_end_date"], unique=False)
        batch_op.create_index("ix_agg_log_period_start", ["period_start_date"], unique=False)
        batch_op.create_index("ix_agg_log_started", ["started_at", "id"], unique=False)
        batch_op.create_index(
            "ix_agg_log_status_started", ["status", "started_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_agg_log_type_started", ["job_type", "started_at", "id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "ADMIN", "CREATOR", "BRAND", "VIEWER", name="userrole", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "blog_posts",
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "SCHEDULED",
                "PUBLISHED",
                "ARCHIVED",
                name="blogpoststatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("scheduled_for", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_blog_posts_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blog_posts")),
        sa.UniqueConstraint("slug", name=op.f("uq_blog_posts_slug")),
    )
    with op.batch_alter_table("blog_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_blog_posts_status_scheduled", ["status", "scheduled_for"], unique=False
        )

    op.create_table(
        "creators",
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("stage_name", sa.String(length=200), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column(
            "specialties",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("deleted_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_creators_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creators")),
        sa.UniqueConstraint("user_id", name=op.f("uq_creators_user_id")),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column(
            "digest_frequency",
            sa.Enum(
                "IMMEDIATE",
                "DAILY",
                "WEEKLY",
                "NEVER",
                name="digestfrequency",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("email_enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "enabled_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("last_digest_sent_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", name=op.f("uq_notification_preferences_user_id")),
    )
    op.create_table(
        "notifications",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("action_url", sa.String(length=512), nullable=True),
        sa.Column(
            "priority",
            sa.Enum(
                "LOW",
                "MEDIUM",
                "HIGH",
                "URGENT",
                name="notificationpriority",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("read_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("digested_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_user_created", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("brand_id", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "ACTIVE",
                "COMPLETED",
                "ARCHIVED",
                name="projectstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("budget_cents", sa.Integer(), nullable=True),
        sa.Column("deleted_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["users.id"], name=op.f("fk_projects_brand_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "ip_assets",
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "type",
            sa.Enum(
                "IMAGE",
                "VIDEO",
                "AUDIO",
                "DOCUMENT",
                "THREE_D",
                "OTHER",
                name="assettype",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column(
            "scan_status",
            sa.Enum(
                "PENDING",
                "SCANNING",
                "CLEAN",
                "INFECTED",
                "ERROR",
                name="scanstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("thumbnail_url", sa.String(length=512), nullable=True),
        sa.Column("preview_url", sa.String(length=512), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("creator_id", sa.String(length=32), nullable=True),
        sa.Column("project_id", sa.String(length=32), nullable=True),
        sa.Column("deleted_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_ip_assets_creator_id_creators"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_ip_assets_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ip_assets")),
    )
    with op.batch_alter_table("ip_assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ip_assets_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ip_assets_project_id"), ["project_id"], unique=False)
        batch_op.create_index("ix_ip_assets_type_created", ["type", "created_at"], unique=False)

    op.create_table(
        "daily_metrics",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip_asset_id", sa.String(length=32), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("unique_visitors", sa.Integer(), nullable=False),
        sa.Column("engagement_seconds", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), nullable=False),
        sa.Column(
            "breakdown",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_daily_metrics_ip_asset_id_ip_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_metrics")),
    )
    with op.batch_alter_table("daily_metrics", schema=None) as batch_op:
        batch_op.create_index("uq_daily_metrics_date_asset", ["date", "ip_asset_id"], unique=True)

    op.create_table(
        "hourly_metrics",
        sa.Column("hour", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip_asset_id", sa.String(length=32), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("unique_visitors", sa.Integer(), nullable=False),
        sa.Column("engagement_seconds", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), nullable=False),
        sa.Column(
            "breakdown",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_hourly_metrics_ip_asset_id_ip_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hourly_metrics")),
    )
    with op.batch_alter_table("hourly_metrics", schema=None) as batch_op:
        batch_op.create_index("uq_hourly_metrics_hour_asset", ["hour", "ip_asset_id"], unique=True)

    op.create_table(
        "licenses",
        sa.Column("ip_asset_id", sa.String(length=32), nullable=False),
        sa.Column("brand_id", sa.String(length=32), nullable=True),
        sa.Column("project_id", sa.String(length=32), nullable=True),
        sa.Column("license_type", sa.String(length=32), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PENDING_APPROVAL",
                "ACTIVE",
                "EXPIRED",
                "TERMINATED",
                name="licensestatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("fee_cents", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("deleted_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["users.id"], name=op.f("fk_licenses_brand_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_licenses_ip_asset_id_ip_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_licenses_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licenses")),
    )
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licenses_ip_asset_id"), ["ip_asset_id"], unique=False)

    op.create_table(
        "monthly_metrics",
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip_asset_id", sa.String(length=32), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("unique_visitors", sa.Integer(), nullable=False),
        sa.Column("engagement_seconds", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), nullable=False),
        sa.Column(
            "breakdown",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_monthly_metrics_ip_asset_id_ip_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_metrics")),
    )
    with op.batch_alter_table("monthly_metrics", schema=None) as batch_op:
        batch_op.create_index(
            "uq_monthly_metrics_month_asset", ["month_start", "ip_asset_id"], unique=True
        )

    op.create_table(
        "weekly_metrics",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip_asset_id", sa.String(length=32), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("unique_visitors", sa.Integer(), nullable=False),
        sa.Column("engagement_seconds", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), nullable=False),
        sa.Column(
            "breakdown",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_weekly_metrics_ip_asset_id_ip_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_metrics")),
    )
    with op.batch_alter_table("weekly_metrics", schema=None) as batch_op:
        batch_op.create_index(
            "uq_weekly_metrics_week_asset", ["week_start", "ip_asset_id"], unique=True
        )

    op.create_table(
        "analytics_events",
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("ip_asset_id", sa.String(length=32), nullable=True),
        sa.Column("project_id", sa.String(length=32), nullable=True),
        sa.Column("license_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("referrer", sa.String(length=512), nullable=True),
        sa.Column(
            "props",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("user_role", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("device_type", sa.String(length=16), nullable=True),
        sa.Column("browser", sa.String(length=64), nullable=True),
        sa.Column("os", sa.String(length=64), nullable=True),
        sa.Column("enriched_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_analytics_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ip_asset_id"],
            ["ip_assets.id"],
            name=op.f("fk_analytics_events_ip_asset_id_ip_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["license_id"],
            ["licenses.id"],
            name=op.f("fk_analytics_events_license_id_licenses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_analytics_events_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_events")),
    )
    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analytics_events_ip_asset_id"), ["ip_asset_id"], unique=False
        )
        batch_op.create_index("ix_analytics_events_occurred_at", ["occurred_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.drop_index("ix_analytics_events_occurred_at")
        batch_op.drop_index(batch_op.f("ix_analytics_events_ip_asset_id"))

    op.drop_table("analytics_events")
    with op.batch_alter_table("weekly_metrics", schema=None) as batch_op:
        batch_op.drop_index("uq_weekly_metrics_week_asset")

    op.drop_table("weekly_metrics")
    with op.batch_alter_table("monthly_metrics", schema=None) as batch_op:
        batch_op.drop_index("uq_monthly_metrics_month_asset")

    op.drop_table("monthly_metrics")
    with op.batch_alter_table("licenses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licenses_ip_asset_id"))

    op.drop_table("licenses")
    with op.batch_alter_table("hourly_metrics", schema=None) as batch_op:
        batch_op.drop_index("uq_hourly_metrics_hour_asset")

    op.drop_table("hourly_metrics")
    with op.batch_alter_table("daily_metrics", schema=None) as batch_op:
        batch_op.drop_index("uq_daily_metrics_date_asset")

    op.drop_table("daily_metrics")
    with op.batch_alter_table("ip_assets", schema=None) as batch_op:
        batch_op.drop_index("ix_ip_assets_type_created")
        batch_op.drop_index(batch_op.f("ix_ip_assets_project_id"))
        batch_op.drop_index(batch_op.f("ix_ip_assets_creator_id"))

    op.drop_table("ip_assets")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_brand_id"))

    op.drop_table("projects")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_created")

    op.drop_table("notifications")
    op.drop_table("notification_preferences")
    op.drop_table("creators")
    with op.batch_alter_table("blog_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_blog_posts_status_scheduled")

    op.drop_table("blog_posts")
    op.drop_table("users")
    with op.batch_alter_table("metrics_aggregation_jobs_log", schema=None) as batch_op:
        batch_op.drop_index("ix_agg_log_type_started")
        batch_op.drop_index("ix_agg_log_status_started")
        batch_op.drop_index("ix_agg_log_started")
        batch_op.drop_index("ix_agg_log_period_start")
        batch_op.drop_index("ix_agg_log_period_end")

    op.drop_table("metrics_aggregation_jobs_log")
