"""Creators, projects, licenses and blog posts: the platform's searchable content."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, TimestampMixin, enum_type
from ygmon.db.models.enums import BlogPostStatus, LicenseStatus, ProjectStatus


class Creator(IdMixin, TimestampMixin, Base):
    __tablename__ = "creators"

    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    stage_name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    specialties: Mapped[list[str]] = mapped_column(default=list)
    deleted_at: Mapped[datetime | None] = mapped_column()


class Project(IdMixin, TimestampMixin, Base):
    __tablename__ = "projects"

    brand_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus), default=ProjectStatus.DRAFT
    )
    budget_cents: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[datetime | None] = mapped_column()


class License(IdMixin, TimestampMixin, Base):
    __tablename__ = "licenses"

    ip_asset_id: Mapped[str] = mapped_column(
        ForeignKey("ip_assets.id", ondelete="CASCADE"), index=True
    )
    brand_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    project_id: Mapped[str | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    license_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[LicenseStatus] = mapped_column(
        enum_type(LicenseStatus), default=LicenseStatus.DRAFT
    )
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    scope: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column()


class BlogPost(IdMixin, TimestampMixin, Base):
    __tablename__ = "blog_posts"
    __table_args__ = (Index("ix_blog_posts_status_scheduled", "status", "scheduled_for"),)

    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    excerpt: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BlogPostStatus] = mapped_column(
        enum_type(BlogPostStatus), default=BlogPostStatus.DRAFT
    )
    scheduled_for: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column()
