"""The monitor's reads of one asset: its detail (URLs rendered from the storage keys
the database keeps) and its thumbnail's bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db.models.assets import IpAsset
from ygmon.enums import AssetType
from ygmon.errors import NotFoundError
from ygmon.monitor.asset_schemas import AssetDetail
from ygmon.monitor.schemas import preview_status

if TYPE_CHECKING:
    from ygmon.config import LocalProfile

THUMBNAIL_LIMIT = 2_000_000


async def _get(session: AsyncSession, asset_id: str) -> IpAsset:
    asset = await session.get(IpAsset, asset_id)
    if asset is None or asset.deleted_at is not None:
        raise NotFoundError("Asset not found")
    return asset


async def asset(session: AsyncSession, asset_id: str, url_of: Callable[[str], str]) -> AssetDetail:
    a = await _get(session, asset_id)
    media = a.type in (AssetType.VIDEO, AssetType.AUDIO)
    return AssetDetail(
        id=a.id,
        type=a.type.value,
        title=a.title,
        mime_type=a.mime_type,
        file_size=a.file_size,
        scan_status=a.scan_status.value,
        thumbnail_url=url_of(a.thumbnail_key) if a.thumbnail_key else None,
        preview_url=url_of(a.preview_key) if a.preview_key else None,
        metadata=a.metadata_,
        status=preview_status(a.preview_key, a.metadata_) if media else None,
        media_job_id=a.media_job_id,
        created_at=a.created_at,
    )


async def thumbnail_key(session: AsyncSession, asset_id: str) -> str | None:
    return (await _get(session, asset_id)).thumbnail_key


def read_media(profile: LocalProfile, key: str | None) -> bytes | None:
    """A stored file's bytes (a thumbnail: small), or None when there is none."""
    if key is None:
        return None
    from ygmon.storage import LocalStorage

    try:
        with LocalStorage(profile.media_dir).open(key) as fh:
            return fh.read(THUMBNAIL_LIMIT)
    except (OSError, ValueError):
        return None
