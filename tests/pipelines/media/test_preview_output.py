"""Every preview and thumbnail is probed: length, size, codecs, bitrate, faststart,
padding; the asset's metadata matches the probe, key for key."""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import av
import pytest

from ygmon.db import Database
from ygmon.db.models import AssetType, IpAsset
from ygmon.monitor.schemas import AssetPreviewMetadata
from ygmon.pipelines.media import metadata
from ygmon.pipelines.media.assets import import_file
from ygmon.pipelines.media.preview import make_preview
from ygmon.pipelines.media.probe import moov_before_mdat, probe
from ygmon.pipelines.media.thumbnail import make_thumbnail
from ygmon.storage import LocalStorage
from ygmon.timestamps import iso


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    # ffmpeg's work does not depend on the database: the gate tests cover Postgres.
    return sqlite_url


MP3_DECODER = "mp3float"  # PyAV names a stream's codec by FFmpeg's decoder of it


def now() -> datetime:
    return datetime.now(UTC)


def _no_enqueue(task: str, **kwargs) -> str:
    return "none"


async def _asset(db: Database, asset_id: str) -> IpAsset:
    async with db.reader() as s:
        return await s.get(IpAsset, asset_id)


async def _made(db: Database, storage: LocalStorage, source: Path) -> IpAsset:
    imported = await import_file(db, storage, source, _no_enqueue)
    await make_thumbnail(db, storage, imported.asset_id, _no_enqueue, now=now)
    await make_preview(db, storage, imported.asset_id, now=now)
    return await _asset(db, imported.asset_id)


def _within(value: float, target: float, share: float = 0.25) -> bool:
    return abs(value - target) <= target * share


def _check_metadata(asset: IpAsset, path: Path) -> None:
    meta = asset.metadata_
    assert set(meta) <= set(metadata.KEYS)
    model = AssetPreviewMetadata.model_validate(meta)
    assert model.preview_generated is True and model.preview_error is None
    assert meta["previewSize"] == path.stat().st_size
    assert abs(meta["previewDuration"] - probe(path).duration) < 0.01
    assert model.preview_generated_at >= model.preview_last_attempt


def _gray(image: Path, skip: int = 0) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of luma bytes) of frame `skip` of a picture or video."""
    with av.open(str(image)) as c:
        frame = next(itertools.islice(c.decode(video=0), skip, None))
        gray = frame.reformat(format="gray")
    plane, w = gray.planes[0], gray.width
    data = bytes(plane)
    return (
        w,
        gray.height,
        [data[r * plane.line_size : r * plane.line_size + w] for r in range(gray.height)],
    )


def _mean_luma(image: Path, skip: int = 0) -> float:
    w, h, rows = _gray(image, skip)
    return sum(sum(r) for r in rows) / (w * h)


async def test_a_long_1080p_video_gives_a_10s_720p_h264_clip(db, storage, sources) -> None:
    asset = await _made(db, storage, sources["long.mp4"])
    assert asset.type == AssetType.VIDEO and asset.mime_type == "video/mp4"
    path = storage.path(asset.preview_key)
    info = probe(path)
    assert abs(info.duration - 10) < 0.3
    assert (info.video.codec, info.video.width, info.video.height) == ("h264", 1280, 720)
    assert info.video.sar == (1, 1)
    assert info.audio.codec == "aac"
    assert _within(info.video.bit_rate, 1_000_000)
    assert moov_before_mdat(path)
    _check_metadata(asset, path)
    thumb = probe(storage.path(asset.thumbnail_key))
    assert thumb.video.codec == "mjpeg" and thumb.video.width == 480


class _Watcher(threading.Thread):
    """Reads the asset's committed metadata from the SQLite file every 10 ms while the
    job runs (the job blocks the test's loop in ffmpeg), noting each state seen while
    ffmpeg's temporary file was in the previews folder."""

    def __init__(self, database_url: str, asset_id: str, previews: Path) -> None:
        super().__init__(daemon=True)
        self.path = database_url.removeprefix("sqlite+aiosqlite:///")
        self.asset_id, self.previews = asset_id, previews
        self.seen: list[dict] = []
        self.done = threading.Event()

    def run(self) -> None:
        with sqlite3.connect(self.path) as conn:
            while not self.done.wait(0.01):
                (raw,) = conn.execute(
                    "select metadata from ip_assets where id = ?", (self.asset_id,)
                ).fetchone()
                if self.previews.is_dir() and any(self.previews.glob(".*.part.*")):
                    self.seen.append(json.loads(raw) if raw else {})


async def test_a_4_3_video_is_padded_and_its_thumbnail_skips_the_black_intro(
    db, storage, sources, sqlite_url
) -> None:
    imported = await import_file(db, storage, sources["four_three.mp4"], _no_enqueue)
    await make_thumbnail(db, storage, imported.asset_id, _no_enqueue, now=now)
    watcher = _Watcher(sqlite_url, imported.asset_id, storage.root / "previews")
    watcher.start()
    started = now()
    try:
        await make_preview(db, storage, imported.asset_id, now=lambda: started)
    finally:
        watcher.done.set()
        watcher.join()
    # While ffmpeg ran, the asset already said so: generating, since the job's start.
    assert watcher.seen and all(
        m == {"previewGenerated": False, "previewLastAttempt": iso(started)} for m in watcher.seen
    )
    asset = await _asset(db, imported.asset_id)
    path = storage.path(asset.preview_key)
    info = probe(path)
    assert (info.video.width, info.video.height) == (1280, 720)
    assert abs(info.duration - 10) < 0.3
    assert _within(info.video.bit_rate, 1_000_000)
    assert moov_before_mdat(path)
    # 640x480 fits 1280x720 as 960x720: 160 px of black on each side.
    _w, _h, rows = _gray(path, skip=20)
    middle = rows[360]
    assert max(middle[:150]) < 24 and max(middle[-150:]) < 24
    assert sum(middle[200:1080]) / 880 > 40
    _check_metadata(asset, path)
    assert _mean_luma(storage.path(asset.thumbnail_key)) > 40


async def test_a_3_minute_mp3_gives_a_30s_128k_mp3_and_a_waveform(db, storage, sources) -> None:
    asset = await _made(db, storage, sources["song.mp3"])
    assert asset.type == AssetType.AUDIO and asset.mime_type == "audio/mpeg"
    path = storage.path(asset.preview_key)
    info = probe(path)
    assert (info.format_name, info.audio.codec, info.video) == ("mp3", MP3_DECODER, None)
    assert abs(info.duration - 30) < 0.3
    assert _within(info.audio.bit_rate, 128_000)
    _check_metadata(asset, path)
    wave = probe(storage.path(asset.thumbnail_key))
    assert (wave.video.width, wave.video.height) == (640, 240)


async def test_a_source_shorter_than_the_clip_gives_a_clip_of_its_length(
    db, storage, sources
) -> None:
    asset = await _made(db, storage, sources["short.wav"])
    assert asset.type == AssetType.AUDIO
    path = storage.path(asset.preview_key)
    info = probe(path)
    assert (info.format_name, info.audio.codec, info.video) == ("mp3", MP3_DECODER, None)
    assert abs(info.duration - 5) < 0.2
    assert _within(info.audio.bit_rate, 128_000)
    _check_metadata(asset, path)
