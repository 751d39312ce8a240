"""The thumbnail job: one JPEG of a video's most typical frame past its start (ffmpeg's
`thumbnail` filter over a few seconds a fifth in, so not a black intro), or the
waveform of an audio file. Done, it may open the preview gate (ygmon.pipelines.media.gate).

A failed thumbnail fails the pipeline: the asset's metadata gets the previewError
(no preview can follow), and the job fails so that it can be retried.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ygmon.db import Database
from ygmon.db.models import AssetType, IpAsset, ScanStatus
from ygmon.errors import NotFoundError
from ygmon.pipelines.media import ffmpeg_run, gate, metadata, recipes, source
from ygmon.pipelines.media.assets import locked_asset, media_prefix
from ygmon.pipelines.media.errors import MediaError
from ygmon.storage.local import LocalStorage

TIMEOUT = 60.0


def thumbnail_key(asset_id: str, prefix: str = "") -> str:
    return f"{prefix}thumbnails/{asset_id}.jpg"


async def make_thumbnail(
    db: Database,
    storage: LocalStorage,
    asset_id: str,
    enqueue: Callable[..., str],
    *,
    now: Callable[[], datetime],
    timeout: float = TIMEOUT,
) -> dict[str, Any]:
    async with db.reader() as session:
        asset = await session.get(IpAsset, asset_id)
        if asset is None:
            raise NotFoundError("Asset not found")
    if asset.scan_status == ScanStatus.INFECTED:
        return {"skipped": "infected"}
    started = now()
    key = thumbnail_key(asset_id, media_prefix(asset.storage_key))
    try:
        source.usable(asset)
        path, info = source.probed(storage, asset)
        tmp = storage.temp_path(key)
        try:
            if asset.type == AssetType.VIDEO:
                stream = recipes.video_thumbnail(path, tmp, info.duration)
            else:
                stream = recipes.audio_waveform(path, tmp)
            ffmpeg_run.run(
                stream,
                timeout=timeout,
                # ffmpeg's storage failures get their own sentence (ffmpeg_run): any other
                # failure is the source's.
                message=f"Source file is not a valid {source.WORD[asset.type]}",
                root=storage.root,
            )
            if tmp.stat().st_size == 0:
                raise MediaError(f"Source file is not a valid {source.WORD[asset.type]}")
            size = storage.put_file(key, tmp)
        finally:
            tmp.unlink(missing_ok=True)
    except MediaError as exc:
        await _failed(db, asset_id, started, exc.message)
        raise
    async with db.writer() as session:
        asset = await locked_asset(session, asset_id)
        was_open = gate.is_open(asset)
        asset.thumbnail_key = key
        job_id = gate.opened_by(asset, was_open=was_open)
    if job_id is not None:
        enqueue(gate.PREVIEW_TASK, job_id=job_id, asset_id=asset_id)
    return {"thumbnailKey": key, "size": size, "previewJob": job_id}


async def _failed(db: Database, asset_id: str, started: datetime, error: str) -> None:
    async with db.writer() as session:
        asset = await locked_asset(session, asset_id)
        asset.metadata_ = metadata.failed(
            metadata.started(asset.metadata_, started, has_preview=bool(asset.preview_key)),
            started,
            error,
            has_preview=bool(asset.preview_key),
        )
