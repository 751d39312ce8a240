"""Creators, projects, licenses and blog posts: the platform's searchable content."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, SoftDeleteMixin, TimestampMixin, enum_type, ref_or_null
from ygmon.enums import BlogPostStatus, LicenseStatus, ProjectStatus


class Creator(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "creators"

    user_id: Mapped[str | None] = ref_or_null("users", unique=True)
    stage_name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    specialties: Mapped[list[str]] = mapped_column(default=list)


class Project(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "projects"

    brand_id: Mapped[str | None] = ref_or_null("users", index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus), default=ProjectStatus.DRAFT
    )
    budget_cents: Mapped[int | None] = mapped_column(Integer)


class License(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "licenses"

    ip_asset_id: Mapped[str] = mapped_column(
        ForeignKey("ip_assets.id", ondelete="CASCADE"), index=True
    )
    brand_id: Mapped[str | None] = ref_or_null("users")
    project_id: Mapped[str | None] = ref_or_null("projects")
    license_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[LicenseStatus] = mapped_column(
        enum_type(LicenseStatus), default=LicenseStatus.DRAFT
    )
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    scope: Mapped[str | None] = mapped_column(Text)


class BlogPost(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "blog_posts"
    __table_args__ = (Index("ix_blog_posts_status_scheduled", "status", "scheduled_for"),)

    author_id: Mapped[str | None] = ref_or_null("users")
    title: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    excerpt: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BlogPostStatus] = mapped_column(
        enum_type(BlogPostStatus), default=BlogPostStatus.DRAFT
    )
    scheduled_for: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
