"""The preview gate: a video or audio asset gets its preview job once it is CLEAN and
has its thumbnail, whichever of the two comes last, and never otherwise.

Each of the two events runs `opened_by` inside the writer transaction that records it,
with the asset row locked (BEGIN IMMEDIATE on SQLite, FOR UPDATE on Postgres), so two
events landing at once are seen one after the other: exactly the later one opens it.
The job id is chosen and kept on the asset (media_job_id) before the commit; the job
is enqueued only after the commit, so it never reads the asset before the event.
"""

from __future__ import annotations

from ygmon.db.models import AssetType, IpAsset, ScanStatus
from ygmon.job_ids import new_job_id

PREVIEW_TASK = "asset-preview"
THUMBNAIL_TASK = "asset-thumbnail"
MEDIA_TYPES = (AssetType.VIDEO, AssetType.AUDIO)


def is_open(asset: IpAsset) -> bool:
    return (
        asset.type in MEDIA_TYPES
        and asset.scan_status == ScanStatus.CLEAN
        and bool(asset.thumbnail_key)
        and asset.deleted_at is None
    )


def opened_by(asset: IpAsset, *, was_open: bool) -> str | None:
    """After an event changed `asset` (locked, in the event's transaction): the job id
    of the preview to enqueue once committed, or None. Records it on the asset."""
    if was_open or not is_open(asset):
        return None
    job_id = new_job_id()
    asset.media_job_id = job_id
    return job_id
