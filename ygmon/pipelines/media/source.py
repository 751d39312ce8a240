"""The checks every media job makes of its asset and source file before ffmpeg runs:
the file is probed again against the allow-list (ygmon.pipelines.media.probe), since
it may have changed since its import. Errors name the storage key, never a path."""

from __future__ import annotations

from pathlib import Path

from ygmon.db.models import AssetType, IpAsset, ScanStatus
from ygmon.pipelines.media.errors import InvalidMediaError, MediaError
from ygmon.pipelines.media.probe import MediaInfo, probe
from ygmon.storage.base import InvalidKeyError
from ygmon.storage.local import LocalStorage

WORD = {AssetType.VIDEO: "video", AssetType.AUDIO: "audio file"}


def usable(asset: IpAsset) -> None:
    if asset.scan_status == ScanStatus.INFECTED:
        raise MediaError("Asset failed its virus scan: no preview is made")
    if asset.type not in WORD:
        raise MediaError(f"Previews are made for video and audio, not {asset.type.value}")


def probed(storage: LocalStorage, asset: IpAsset) -> tuple[Path, MediaInfo]:
    """The source's path and probe; InvalidMediaError when it is not media of its type."""
    word = WORD[asset.type]
    try:
        path = storage.path(asset.storage_key)
    except InvalidKeyError as exc:
        raise MediaError("Source file is missing", str(exc)) from None
    if not path.exists():
        raise MediaError("Source file is missing", asset.storage_key)
    info = probe(path, what=word, name=asset.storage_key)
    if asset.type == AssetType.VIDEO and (info.video is None or info.is_still_image):
        raise InvalidMediaError(f"Source file is not a valid {word}", "no video stream")
    if asset.type == AssetType.AUDIO and info.audio is None:
        raise InvalidMediaError(f"Source file is not a valid {word}", "no audio stream")
    return path, info
