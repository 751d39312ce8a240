"""IP assets: uploaded media, their virus-scan state, thumbnail and preview clip."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, SoftDeleteMixin, TimestampMixin, enum_type, ref_or_null
from ygmon.enums import AssetType, ScanStatus


class IpAsset(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "ip_assets"
    __table_args__ = (Index("ix_ip_assets_type_created", "type", "created_at"),)

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    type: Mapped[AssetType] = mapped_column(enum_type(AssetType))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(512))
    scan_status: Mapped[ScanStatus] = mapped_column(
        enum_type(ScanStatus), default=ScanStatus.PENDING
    )
    # Storage keys (ygmon.storage); the contract's previewUrl is rendered from
    # preview_key when read, as a signed URL.
    thumbnail_key: Mapped[str | None] = mapped_column(String(512))
    preview_key: Mapped[str | None] = mapped_column(String(512))
    media_job_id: Mapped[str | None] = mapped_column(String(64))
    """The asset's latest thumbnail or preview job (what a retry re-runs)."""
    # The contract's AssetPreviewMetadata lives here (previewGenerated, previewError, ...).
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")
    creator_id: Mapped[str | None] = ref_or_null("creators", index=True)
    project_id: Mapped[str | None] = ref_or_null("projects", index=True)
