"""The demo's media files are real: ffmpeg decodes every one, and the rows match them."""

from __future__ import annotations

import re
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import AssetType, IpAsset
from ygmon.demo import seed_database
from ygmon.demo.ffmpeg_binary import ffmpeg_exe
from ygmon.monitor.schemas import preview_status

NOW = datetime(2026, 11, 29, 3, 10, tzinfo=UTC)


def _decode(path: Path) -> float:
    """Decode the whole file (an error fails the test); returns its duration in seconds."""
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-v",
            "info",
            "-i",
            str(path),
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert " error " not in proc.stderr.lower(), proc.stderr
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", proc.stderr).groups()
    return int(h) * 3600 + int(m) * 60 + float(s)


async def test_seeded_assets_point_at_real_decodable_media(tmp_path: Path) -> None:
    media_dir = tmp_path / "media"
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    try:
        await upgrade(db)
        started = time.perf_counter()
        summary = await seed_database(db, now=NOW, media_dir=media_dir)
        elapsed = time.perf_counter() - started
        async with db.reader() as s:
            assets = (await s.scalars(select(IpAsset))).all()
    finally:
        await db.dispose()
    assert elapsed < 5, f"seeding with media took {elapsed:.1f} s"
    assert summary.media_files and all(p.is_relative_to(media_dir) for p in summary.media_files)
    previews = 0
    for asset in assets:
        original = media_dir / asset.storage_key
        assert original.stat().st_size == asset.file_size > 0
        assert 1.5 < _decode(original) < 7
        if asset.type == AssetType.VIDEO:
            assert urlparse(asset.thumbnail_url).scheme == "file"
        if preview_status(asset.preview_url, asset.metadata_) != "ready":
            assert asset.preview_url is None
            continue
        preview = Path(unquote(urlparse(asset.preview_url).path))
        assert preview.is_relative_to(media_dir.absolute())
        assert preview.stat().st_size == asset.metadata_["previewSize"]
        assert abs(_decode(preview) - asset.metadata_["previewDuration"]) < 0.5
        previews += 1
    assert previews == 6


async def test_media_is_byte_identical_across_runs(tmp_path: Path) -> None:
    """Sizes go into the seeded rows, so the same inputs must give the same bytes."""
    from ygmon.demo import media

    outputs = []
    for run in ("a", "b"):
        job = media.video_asset(
            tmp_path / run / "v.mp4", seconds=2, tone_hz=440,
            thumbnail=tmp_path / run / "t.jpg", preview=tmp_path / run / "p.mp4",
        )  # fmt: skip
        await media.make_all([job])
        outputs.append([out.path.read_bytes() for out in job.outputs])
    assert outputs[0] == outputs[1]
    assert all(len(data) > 1000 for data in outputs[0])
