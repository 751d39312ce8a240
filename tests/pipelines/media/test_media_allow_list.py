"""Media intake by allow-list: text passed off as media (FFmpeg's `tty` demuxer would
draw it into a thumbnail), subtitles and playlists are refused at import with the
format FFmpeg detected, and nothing is stored; the worker probes again before FFmpeg
runs, and the errors a client sees name storage keys, never the server's paths."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_assets_cli import ygmon

from ygmon.db.models import AssetType, IpAsset
from ygmon.pipelines.media.assets import import_file
from ygmon.pipelines.media.errors import InvalidMediaError, MediaError
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe
from ygmon.pipelines.media.preview import make_preview
from ygmon.pipelines.media.thumbnail import make_thumbnail

NOTES = "\n".join(f"line {i}: notes about the licence deal" for i in range(200)) + "\n"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def _no_enqueue(task: str, **kwargs) -> str:
    return "none"


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "notes.txt").write_text(NOTES)
    (folder / "release.nfo").write_text(NOTES)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "clip.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nhello\n")
    return {p.name: p for p in folder.iterdir()}


async def _nothing_stored(db, storage) -> None:
    async with db.reader() as s:
        assert await s.scalar(select(func.count()).select_from(IpAsset)) == 0
    stored = [p for p in storage.root.rglob("*") if p.is_file()] if storage.root.exists() else []
    assert stored == []


@pytest.mark.parametrize(
    ("name", "detected"),
    [
        ("notes.txt", "detected tty (Tele-typewriter)"),
        ("release.nfo", "detected tty (Tele-typewriter)"),
        ("passwd.txt", "detected tty (Tele-typewriter)"),
        ("clip.srt", "detected srt (SubRip subtitle)"),
    ],
)
@pytest.mark.parametrize("kind", [None, AssetType.VIDEO])
async def test_text_passed_off_as_media_is_refused_and_nothing_stored(
    db, storage, hostile, name: str, detected: str, kind: AssetType | None
) -> None:
    with pytest.raises(InvalidMediaError) as refused:
        await import_file(db, storage, hostile[name], _no_enqueue, kind=kind)
    message = refused.value.message
    assert message.startswith(f"{name} is not a video, audio or image file")
    assert detected in message and "\n" not in message
    await _nothing_stored(db, storage)


async def test_the_command_refuses_text_in_one_line_and_specials_by_name(
    db, storage, config: Path, hostile
) -> None:
    out = await ygmon(config, "assets", "import", str(hostile["notes.txt"]))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "detected tty (Tele-typewriter)" in out.stderr
    folder = await ygmon(config, "assets", "import", str(hostile["notes.txt"].parent))
    assert (folder.returncode, folder.stderr.strip()) == (
        2,
        f"ygmon: assets import: {hostile['notes.txt'].parent} is a directory",
    )
    device = await ygmon(config, "assets", "import", os.devnull)
    assert device.returncode == 2
    assert device.stderr.strip() == f"ygmon: assets import: {os.devnull} is not a regular file"
    await _nothing_stored(db, storage)


async def test_the_platform_s_image_formats_are_accepted(db, storage, tmp_path: Path) -> None:
    make = [ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48"]
    for name in ("p.jpg", "p.gif", "p.webp"):
        subprocess.run([*make, "-frames:v", "1", str(tmp_path / name)], check=True, timeout=60)
        imported = await import_file(db, storage, tmp_path / name, _no_enqueue)
        assert imported.type == AssetType.IMAGE, name


async def test_the_worker_probes_again_and_names_keys_not_paths(db, storage, sources) -> None:
    imported = await import_file(db, storage, sources["short.wav"], _no_enqueue)
    # The stored original changes after its import (a restore, a hand edit).
    storage.path(imported.storage_key).write_text(NOTES)
    with pytest.raises(MediaError) as thumb:
        await make_thumbnail(db, storage, imported.asset_id, _no_enqueue, now=_now)
    assert thumb.value.message == "Source file is not a valid audio file"
    job_error = str(thumb.value)
    assert job_error.startswith(f"{thumb.value.message}\n{imported.storage_key}: ")
    assert str(storage.root) not in job_error and "file:" not in job_error
    storage.path(imported.storage_key).unlink()
    with pytest.raises(MediaError) as missing:
        await make_preview(db, storage, imported.asset_id, now=_now)
    assert str(missing.value) == f"Source file is missing\n{imported.storage_key}"


async def test_ffmpeg_s_own_words_name_keys_not_paths(db, storage, sources) -> None:
    imported = await import_file(db, storage, sources["four_three.mp4"], _no_enqueue)
    whole = storage.path(imported.storage_key).read_bytes()
    # Still an MP4 with an H.264 stream to the probe; its frames are cut off.
    storage.path(imported.storage_key).write_bytes(whole[: len(whole) * 3 // 4])
    try:
        await make_preview(db, storage, imported.asset_id, now=_now)
    except MediaError as exc:
        assert str(storage.root) not in str(exc), str(exc)
