"""Hostile uploads fail cleanly: a short previewError, a failed job, no file at the
preview path; a killed ffmpeg run and a full disk keep the earlier good preview."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from processes import small_tmpfs
from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import AssetType, IpAsset
from ygmon.pipelines.media import ffmpeg_run, recipes
from ygmon.pipelines.media.assets import import_file
from ygmon.pipelines.media.errors import FfmpegTimeoutError, InvalidMediaError, MediaError
from ygmon.pipelines.media.preview import make_preview, preview_key
from ygmon.pipelines.media.recipes import Clip
from ygmon.pipelines.media.thumbnail import make_thumbnail
from ygmon.storage import LocalStorage


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def now() -> datetime:
    return datetime.now(UTC)


def _no_enqueue(task: str, **kwargs) -> str:
    return "none"


async def _asset(db: Database, asset_id: str) -> IpAsset:
    async with db.reader() as s:
        return await s.get(IpAsset, asset_id)


def _leftovers(storage: LocalStorage) -> list[str]:
    return sorted(p.name for p in storage.root.rglob(".*"))


@pytest.mark.parametrize(
    ("name", "kind", "error"),
    [
        ("truncated.mp4", AssetType.VIDEO, "Source file is not a valid video"),
        ("random.mp4", AssetType.VIDEO, "Source file is not a valid video"),
        ("empty.mp4", AssetType.VIDEO, "Source file is empty (not a valid video)"),
        ("song_named.mp4", AssetType.VIDEO, "Source file is not a valid video"),
        ("random.mp4", AssetType.AUDIO, "Source file is not a valid audio file"),
    ],
)
async def test_a_hostile_source_fails_both_jobs_with_a_short_error(
    db, storage, sources, name: str, kind: AssetType, error: str
) -> None:
    # Import refuses these files (test_media_allow_list): they reach a job when the
    # stored original changes after its import.
    good = "four_three.mp4" if kind == AssetType.VIDEO else "short.wav"
    imported = await import_file(db, storage, sources[good], _no_enqueue, kind=kind)
    shutil.copyfile(sources[name], storage.path(imported.storage_key))
    with pytest.raises(MediaError) as thumb:
        await make_thumbnail(db, storage, imported.asset_id, _no_enqueue, now=now)
    assert thumb.value.message == error
    asset = await _asset(db, imported.asset_id)
    assert asset.metadata_["previewError"] == error
    assert asset.metadata_["previewGenerated"] is False
    assert asset.thumbnail_key is None
    with pytest.raises(MediaError) as prev:
        await make_preview(db, storage, imported.asset_id, now=now)
    assert prev.value.message == error
    # ffmpeg's or FFmpeg's own words stay in the job's error, not in the asset's.
    assert str(prev.value).startswith(error)
    asset = await _asset(db, imported.asset_id)
    assert asset.preview_key is None and asset.metadata_["previewError"] == error
    assert "\n" not in asset.metadata_["previewError"]
    assert not storage.path(preview_key(asset.id, kind)).exists()
    assert _leftovers(storage) == []


@pytest.mark.parametrize("name", ["random.mp4", "empty.mp4"])
async def test_import_refuses_what_is_not_media_without_a_type(db, storage, sources, name) -> None:
    with pytest.raises(InvalidMediaError, match=r"^\S+ is not a video, audio or image file"):
        await import_file(db, storage, sources[name], _no_enqueue)
    async with db.reader() as s:
        assert (await s.scalars(select(IpAsset))).all() == []
    assert not (storage.root / "originals").exists() or not any(
        (storage.root / "originals").iterdir()
    )


async def test_type_comes_from_the_content_not_the_name(db, storage, sources) -> None:
    imported = await import_file(db, storage, sources["song_named.mp4"], _no_enqueue)
    assert imported.type == AssetType.AUDIO
    picture = await import_file(db, storage, sources["picture.png"], _no_enqueue)
    assert picture.type == AssetType.IMAGE


async def _good_preview(db, storage, source: Path) -> tuple[str, bytes, dict]:
    imported = await import_file(db, storage, source, _no_enqueue)
    await make_preview(db, storage, imported.asset_id, now=now)
    asset = await _asset(db, imported.asset_id)
    return asset.id, storage.path(asset.preview_key).read_bytes(), asset.metadata_


async def test_a_killed_ffmpeg_run_keeps_the_old_preview(db, storage, sources) -> None:
    first = await import_file(db, storage, sources["four_three.mp4"], _no_enqueue)
    with pytest.raises(FfmpegTimeoutError):
        await make_preview(db, storage, first.asset_id, now=now, timeout=0.3)
    assert not storage.path(preview_key(first.asset_id, AssetType.VIDEO)).exists()
    assert (await _asset(db, first.asset_id)).preview_key is None
    assert _leftovers(storage) == []
    asset_id, before, meta = await _good_preview(db, storage, sources["four_three.mp4"])
    with pytest.raises(FfmpegTimeoutError):
        await make_preview(db, storage, asset_id, now=now, timeout=0.3)
    asset = await _asset(db, asset_id)
    assert storage.path(asset.preview_key).read_bytes() == before
    assert asset.metadata_["previewError"].startswith("Preview generation took longer than")
    assert asset.metadata_["previewSize"] == meta["previewSize"] == len(before)
    assert _leftovers(storage) == []
    out = subprocess.run(["pgrep", "-f", str(storage.root)], capture_output=True, text=True)
    assert out.stdout == "", "the killed ffmpeg is still running"


@pytest.fixture
def small_previews_disk(storage: LocalStorage):
    """previews/ on a 120 KiB tmpfs: room for one 5 s preview (80 KB), not two."""
    with small_tmpfs(storage.root / "previews", "120k") as folder:
        yield folder


async def test_a_full_disk_keeps_the_old_preview(db, storage, sources, small_previews_disk) -> None:
    asset_id, before, _meta = await _good_preview(db, storage, sources["short.wav"])
    with pytest.raises(MediaError) as failure:
        await make_preview(db, storage, asset_id, now=now)
    assert failure.value.message == "Preview could not be stored: the media disk is full"
    assert "No space left on device" in str(failure.value)  # ffmpeg's words: the job's error
    asset = await _asset(db, asset_id)
    assert storage.path(asset.preview_key).read_bytes() == before
    assert asset.metadata_["previewError"] == failure.value.message
    assert sorted(os.listdir(small_previews_disk)) == [Path(asset.preview_key).name]


async def test_no_user_string_reaches_ffmpeg_as_an_option(db, storage, sources, tmp_path) -> None:
    hostile = tmp_path / "-f lavfi -i concat:a|b.wav"
    hostile.write_bytes(sources["short.wav"].read_bytes())
    imported = await import_file(db, storage, hostile, _no_enqueue, title="-i /etc/passwd")
    # The stored file is named by the asset's id; the name and the title stay data.
    assert re.fullmatch(r"originals/[0-9a-f]{32}\.wav", imported.storage_key)
    asset = await _asset(db, imported.asset_id)
    assert asset.title == "-i /etc/passwd"
    args = ffmpeg_run.command(
        recipes.audio_preview(storage.path(asset.storage_key), tmp_path / "o.mp3", Clip(0, 5))
    )
    files = [a for a in args if "originals/" in a or a.endswith("o.mp3")]
    assert files == [f"file:{storage.path(asset.storage_key)}", f"file:{tmp_path / 'o.mp3'}"]
    assert not any("passwd" in a or "lavfi" in a for a in args)
    await make_preview(db, storage, imported.asset_id, now=now)
    assert (await _asset(db, imported.asset_id)).metadata_["previewGenerated"] is True
