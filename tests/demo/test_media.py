"""The demo's uploads are real media, imported through the pipeline's import path; a
real worker then makes every thumbnail and preview, and the corrupt upload fails."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import AssetType, IpAsset
from ygmon.demo import seed_database
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import preview_status
from ygmon.pipelines.media.probe import probe

NOW = datetime(2026, 11, 29, 3, 10, tzinfo=UTC)
QUEUE = "asset-preview-generation"


async def _assets(db: Database) -> list[IpAsset]:
    async with db.reader() as s:
        return list((await s.scalars(select(IpAsset))).all())


async def test_demo_uploads_go_through_the_import_path_and_a_worker_makes_previews(
    tmp_path: Path,
) -> None:
    media_dir = tmp_path / "media"
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        media_dir=str(media_dir),
    )
    db = Database(profile.database_url)
    try:
        await upgrade(db)
        with open_runtime(profile) as runtime:
            summary = await seed_database(db, now=NOW, media_dir=media_dir, enqueue=runtime.enqueue)
            rows, _ = runtime.registry.list_jobs(QUEUE, None, 0, 100)
            assert sorted(j.task for j in rows) == ["asset-thumbnail"] * 10
        assets = await _assets(db)
        assert len(summary.media_files) == 10
        durations = {}
        for asset in assets:
            original = media_dir / asset.storage_key
            assert asset.storage_key.startswith("demo/originals/")
            assert original.stat().st_size == asset.file_size > 0
            assert asset.metadata_ is None and asset.preview_key is None
            if "broke on its way" not in asset.description:
                durations[asset.id] = probe(original).duration
        long_video = max(
            (a for a in assets if a.type == AssetType.VIDEO), key=lambda a: durations.get(a.id, 0)
        )
        info = probe(media_dir / long_video.storage_key)
        assert (info.video.width, info.video.height, round(info.duration)) == (1920, 1080, 60)
        assert info.audio is not None
        assert round(max(durations[a.id] for a in assets if a.type == AssetType.AUDIO)) == 180

        with in_process_worker(profile, [QUEUE], workers=2):
            deadline = time.monotonic() + 150
            while True:
                states = sorted(
                    preview_status(a.preview_key, a.metadata_) for a in await _assets(db)
                )
                if states == ["failed"] + ["ready"] * 9:
                    break
                assert time.monotonic() < deadline, states
                await asyncio.sleep(0.5)
        for asset in await _assets(db):
            if asset.preview_key is None:
                assert asset.metadata_["previewError"] == "Source file is not a valid video"
                continue
            clip = probe(media_dir / asset.preview_key)
            limit = 10 if asset.type == AssetType.VIDEO else 30
            assert abs(clip.duration - min(limit, durations[asset.id])) < 0.3
            assert asset.preview_key.startswith("demo/previews/")
            assert asset.thumbnail_key.startswith("demo/thumbnails/")
    finally:
        await db.dispose()
