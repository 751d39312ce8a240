"""One asset as its detail screen shows it (extension `GET .../assets/{assetId}`):
its file, scan state, signed thumbnail and preview URLs, the contract's preview
metadata and status, and the media job a retry re-runs."""

from __future__ import annotations

from typing import Literal

from ygmon.monitor.schemas import AssetPreviewMetadata, CamelModel, PreviewStatus, Timestamp

MEDIA_QUEUE = "asset-preview-generation"


class AssetDetail(CamelModel):
    id: str
    type: Literal["IMAGE", "VIDEO", "AUDIO", "DOCUMENT", "THREE_D", "OTHER"]
    title: str
    mime_type: str | None
    file_size: int | None
    scan_status: Literal["PENDING", "CLEAN", "INFECTED"]
    thumbnail_url: str | None
    preview_url: str | None
    metadata: AssetPreviewMetadata | None
    status: PreviewStatus | None
    """None for assets that get no preview (not video or audio)."""
    media_job_id: str | None
    """The latest thumbnail or preview job, on `media_queue`."""
    media_queue: str = MEDIA_QUEUE
    created_at: Timestamp
