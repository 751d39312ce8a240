"""Asset rows the way the platform's upload makes them: `import_file` stores a file and
writes its row; `record_scan` records the virus scanner's verdict (the scanner itself
is outside ygmon). Both then call the search index's change hook and, for video and
audio, start the thumbnail or open the preview gate."""

from __future__ import annotations

import mimetypes
import re
import shutil
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import AssetType, IpAsset, ScanStatus
from ygmon.errors import NotFoundError
from ygmon.job_ids import new_job_id
from ygmon.pipelines.media import gate
from ygmon.pipelines.media.errors import InvalidMediaError
from ygmon.pipelines.media.probe import MediaInfo, probe
from ygmon.pipelines.search.changes import index_changed
from ygmon.storage.local import LocalStorage

Enqueue = Callable[..., str]

_MIME = {
    "mp3": "audio/mpeg",
    "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
    "matroska,webm": "video/webm",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "avi": "video/x-msvideo",
}
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
# Types whose files the worker renders with FFmpeg: stored only if the allow-list passes.
_PROBED = (AssetType.VIDEO, AssetType.AUDIO, AssetType.IMAGE)


@dataclass(frozen=True)
class Imported:
    asset_id: str
    type: AssetType
    storage_key: str
    file_size: int
    thumbnail_job: str | None


def media_prefix(storage_key: str) -> str:
    """The folder an asset's derived files go beside its original: "demo/" for
    "demo/originals/x.mp4", "" for "originals/x.mp4"."""
    head, sep, _ = storage_key.rpartition("originals/")
    return head if sep and (not head or head.endswith("/")) else ""


def detect_type(info: MediaInfo) -> AssetType:
    if info.is_still_image:
        return AssetType.IMAGE
    if info.video is not None:
        return AssetType.VIDEO
    if info.audio is not None:
        return AssetType.AUDIO
    raise InvalidMediaError("no video or audio stream")


def _mime(info: MediaInfo | None, kind: AssetType, source: Path) -> str | None:
    guessed = mimetypes.guess_type(source.name)[0]
    if info is None:
        return guessed
    if info.format_name == "mov,mp4,m4a,3gp,3g2,mj2" and kind == AssetType.AUDIO:
        return "audio/mp4"
    if kind == AssetType.IMAGE:
        return guessed if guessed and guessed.startswith("image/") else None
    return _MIME.get(info.format_name, guessed)


async def import_file(
    db: Database,
    storage: LocalStorage,
    source: Path,
    enqueue: Enqueue | None,
    *,
    kind: AssetType | None = None,
    title: str | None = None,
    scan: ScanStatus = ScanStatus.CLEAN,
    creator_id: str | None = None,
    asset_id: str | None = None,
    key_prefix: str = "",
    fields: dict[str, Any] | None = None,
) -> Imported:
    """Store `source` as a new asset. Its type comes from the content unless `kind`
    says; a file that is not media and has no `kind` raises InvalidMediaError.

    `enqueue` None imports without jobs (a seed that no worker will run). `asset_id`,
    `key_prefix` (e.g. "demo/": the demo's files stay in their own folder) and `fields`
    (other IpAsset columns: description, tags, project_id, created_at) are for seeds.
    """
    asset_id = asset_id or uuid.uuid4().hex
    suffix = source.suffix.lower()
    key = f"{key_prefix}originals/{asset_id}{suffix if _SUFFIX.match(suffix) else ''}"
    tmp = storage.temp_path(key)
    try:
        # The copy is what gets probed and stored: a file changed between a probe of
        # the source and its copy would slip past the check.
        _copy(source, tmp)
        info, kind = _checked(tmp, source.name, kind)
        size = storage.put_file(key, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    thumb_job = new_job_id() if kind in gate.MEDIA_TYPES and scan != ScanStatus.INFECTED else None
    row: dict[str, Any] = {"tags": [], **(fields or {})}
    asset = IpAsset(
        id=asset_id,
        title=(title or source.stem)[:255],
        type=kind,
        mime_type=_mime(info, kind, source),
        file_size=size,
        storage_key=key,
        scan_status=scan,
        media_job_id=thumb_job,
        creator_id=creator_id,
        **row,
    )
    try:
        async with db.writer() as session:
            session.add(asset)
    except BaseException:
        storage.delete(key)
        raise
    if enqueue is not None:
        index_changed(enqueue, "asset", asset_id)
    if thumb_job is not None and enqueue is not None:
        enqueue(gate.THUMBNAIL_TASK, job_id=thumb_job, asset_id=asset_id)
    return Imported(asset_id, kind, key, size, thumb_job)


def _copy(source: Path, tmp: Path) -> None:
    try:
        mode = source.stat().st_mode
    except FileNotFoundError:
        raise InvalidMediaError(f"{source.name}: no such file") from None
    if stat.S_ISDIR(mode):
        raise InvalidMediaError(f"{source.name} is a directory")
    if not stat.S_ISREG(mode):
        raise InvalidMediaError(f"{source.name} is not a regular file")
    shutil.copyfile(source, tmp)


def _checked(copy: Path, name: str, kind: AssetType | None) -> tuple[MediaInfo | None, AssetType]:
    """The stored copy's probe and type. Media (detected, or a `kind` of video, audio or
    image) must pass the allow-list; another `kind` (a document) is stored unprobed."""
    if kind is not None and kind not in _PROBED:
        return None, kind
    try:
        info = probe(copy, name=name)
    except InvalidMediaError as exc:
        reason = exc.detail.removeprefix(f"{name}: ") if exc.detail else exc.message
        hint = "" if kind else " (give --type document or other to store it anyway)"
        raise InvalidMediaError(
            f"{name} is not a video, audio or image file the platform serves: {reason}{hint}"
        ) from None
    if kind is None:
        try:
            kind = detect_type(info)
        except InvalidMediaError:
            raise InvalidMediaError(
                f"{name} holds no video or audio (give --type to store it anyway)"
            ) from None
    return info, kind


async def locked_asset(session, asset_id: str) -> IpAsset:
    asset = (
        await session.scalars(select(IpAsset).where(IpAsset.id == asset_id).with_for_update())
    ).one_or_none()
    if asset is None:
        raise NotFoundError("Asset not found")
    return asset


async def record_scan(
    db: Database, asset_id: str, status: ScanStatus, enqueue: Enqueue
) -> str | None:
    """Set the asset's scan status; the preview job enqueued when it opened the gate."""
    async with db.writer() as session:
        asset = await locked_asset(session, asset_id)
        was_open = gate.is_open(asset)
        asset.scan_status = status
        job_id = gate.opened_by(asset, was_open=was_open)
    index_changed(enqueue, "asset", asset_id)
    if job_id is not None:
        enqueue(gate.PREVIEW_TASK, job_id=job_id, asset_id=asset_id)
    return job_id
