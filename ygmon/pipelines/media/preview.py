"""The preview job: the contract's 10 s video clip (1280x720, H.264 1000k, AAC,
+faststart) or 30 s MP3 (128k) from a representative point of the source.

It records `previewGenerated: false` and `previewLastAttempt` as it starts; ffmpeg
writes a temporary file beside the preview, which is probed (its real length goes into
`previewDuration`) and only then renamed over the preview, so a killed run, a crash or
a full disk never leaves half a file there, and an earlier good preview stays. On
failure the asset gets a short `previewError` and the job fails with ffmpeg's output
in its error, so that an admin can retry it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ygmon.db import Database
from ygmon.db.models import AssetType, IpAsset
from ygmon.errors import NotFoundError
from ygmon.pipelines.media import ffmpeg_run, metadata, recipes, source
from ygmon.pipelines.media.assets import locked_asset, media_prefix
from ygmon.pipelines.media.errors import InvalidMediaError, MediaError
from ygmon.pipelines.media.probe import probe

# A 10 s clip takes a couple of seconds on a laptop core; a minute is a broken file.
TIMEOUT = 120.0
EXT = {AssetType.VIDEO: "mp4", AssetType.AUDIO: "mp3"}


def preview_key(asset_id: str, kind: AssetType, prefix: str = "") -> str:
    return f"{prefix}previews/{asset_id}.{EXT[kind]}"


async def make_preview(
    db: Database,
    storage,
    asset_id: str,
    *,
    now: Callable[[], datetime],
    timeout: float = TIMEOUT,
) -> dict[str, Any]:
    started = now()
    async with db.writer() as session:
        asset = await session.get(IpAsset, asset_id)
        if asset is None:
            raise NotFoundError("Asset not found")
        source.usable(asset)
        asset.metadata_ = metadata.started(
            asset.metadata_, started, has_preview=bool(asset.preview_key)
        )
        kind, key_of_source = asset.type, asset.storage_key
    try:
        size, duration, key = _render(storage, asset, kind, timeout)
    except MediaError as exc:
        async with db.writer() as session:
            asset = await locked_asset(session, asset_id)
            asset.metadata_ = metadata.failed(
                asset.metadata_, started, exc.message, has_preview=bool(asset.preview_key)
            )
        raise
    async with db.writer() as session:
        asset = await locked_asset(session, asset_id)
        asset.preview_key = key
        asset.metadata_ = metadata.generated(started, now(), size, duration)
    return {
        "previewKey": key,
        "previewSize": size,
        "previewDuration": round(duration, 2),
        "source": key_of_source,
    }


def _render(storage, asset: IpAsset, kind: AssetType, timeout: float) -> tuple[int, float, str]:
    path, info = source.probed(storage, asset)
    length = recipes.VIDEO_CLIP if kind == AssetType.VIDEO else recipes.AUDIO_CLIP
    start = recipes.clip_start(info.duration, length)
    clip = recipes.Clip(start, length)
    key = preview_key(asset.id, kind, media_prefix(asset.storage_key))
    tmp = storage.temp_path(key)
    try:
        if kind == AssetType.VIDEO:
            stream = recipes.video_preview(path, tmp, clip, has_audio=info.audio is not None)
        else:
            stream = recipes.audio_preview(path, tmp, clip)
        ffmpeg_run.run(
            stream,
            timeout=timeout,
            message=f"Source file is not a valid {source.WORD[kind]}",
            root=storage.root,
        )
        try:
            made = probe(tmp)
        except InvalidMediaError as exc:
            raise MediaError("Preview file came out unreadable", exc.detail) from None
        if not made.duration or (kind == AssetType.VIDEO and made.video is None):
            raise MediaError(
                f"Source file is not a valid {source.WORD[kind]}", "the preview holds no frames"
            )
        size = storage.put_file(key, tmp)
    except OSError as exc:
        raise MediaError("Preview could not be stored", f"{exc.strerror}: {key}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return size, made.duration, key
