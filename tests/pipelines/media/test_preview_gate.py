"""The gate: a preview job is enqueued once a video/audio asset is CLEAN and has its
thumbnail, whichever comes last, and never for PENDING, INFECTED or IMAGE assets.

The jobs are enqueued on a real runtime (SQLite broker) and read back from its
registry; nothing runs them here, the services are called directly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from ygmon.db.models import IpAsset, ScanStatus
from ygmon.errors import ConfigError
from ygmon.jobs.tasks import ENQUEUE_COMMANDS
from ygmon.pipelines.media.assets import import_file, record_scan
from ygmon.pipelines.media.thumbnail import make_thumbnail

QUEUE = "asset-preview-generation"


def now() -> datetime:
    return datetime.now(UTC)


def jobs(runtime, task: str) -> list[str]:
    rows, _total = runtime.registry.list_jobs(QUEUE, None, 0, 100)
    return sorted(job.id for job in rows if job.task == task)


async def _media_job(db, asset_id: str) -> str | None:
    async with db.reader() as s:
        return (await s.get(IpAsset, asset_id)).media_job_id


@pytest.mark.parametrize("order", ["scan-then-thumbnail", "thumbnail-then-scan", "clean-upload"])
async def test_the_gate_opens_once_on_the_later_event(db, storage, sources, runtime, order) -> None:
    scan = ScanStatus.CLEAN if order == "clean-upload" else ScanStatus.PENDING
    asset = await import_file(db, storage, sources["short.wav"], runtime.enqueue, scan=scan)
    assert jobs(runtime, "asset-thumbnail") == [asset.thumbnail_job]
    if order == "scan-then-thumbnail":
        assert await record_scan(db, asset.asset_id, ScanStatus.CLEAN, runtime.enqueue) is None
        assert jobs(runtime, "asset-preview") == []
    result = await make_thumbnail(db, storage, asset.asset_id, runtime.enqueue, now=now)
    if order == "thumbnail-then-scan":
        assert result["previewJob"] is None and jobs(runtime, "asset-preview") == []
        opened = await record_scan(db, asset.asset_id, ScanStatus.CLEAN, runtime.enqueue)
    else:
        opened = result["previewJob"]
    assert opened is not None
    assert jobs(runtime, "asset-preview") == [opened]
    assert await _media_job(db, asset.asset_id) == opened
    # Neither event again opens it again: a second scan, a re-run thumbnail.
    assert await record_scan(db, asset.asset_id, ScanStatus.CLEAN, runtime.enqueue) is None
    again = await make_thumbnail(db, storage, asset.asset_id, runtime.enqueue, now=now)
    assert again["previewJob"] is None
    assert jobs(runtime, "asset-preview") == [opened]


async def test_the_gate_never_opens_for_pending_infected_or_an_image(
    db, storage, sources, runtime
) -> None:
    # PENDING with its thumbnail; then the scanner says INFECTED.
    pending = await import_file(
        db, storage, sources["short.wav"], runtime.enqueue, scan=ScanStatus.PENDING
    )
    thumbnailed = await make_thumbnail(db, storage, pending.asset_id, runtime.enqueue, now=now)
    assert thumbnailed["previewJob"] is None
    assert await record_scan(db, pending.asset_id, ScanStatus.PENDING, runtime.enqueue) is None
    assert await record_scan(db, pending.asset_id, ScanStatus.INFECTED, runtime.enqueue) is None
    # An upload already INFECTED gets no thumbnail job, and one run anyway does nothing.
    infected = await import_file(
        db, storage, sources["short.wav"], runtime.enqueue, scan=ScanStatus.INFECTED
    )
    assert infected.thumbnail_job is None
    assert jobs(runtime, "asset-thumbnail") == [pending.thumbnail_job]
    result = await make_thumbnail(db, storage, infected.asset_id, runtime.enqueue, now=now)
    assert result == {"skipped": "infected"}
    # An image, scanned clean: no media job at all.
    image = await import_file(
        db, storage, sources["picture.png"], runtime.enqueue, scan=ScanStatus.PENDING
    )
    assert image.thumbnail_job is None
    assert await record_scan(db, image.asset_id, ScanStatus.CLEAN, runtime.enqueue) is None
    assert jobs(runtime, "asset-thumbnail") == [pending.thumbnail_job]
    assert jobs(runtime, "asset-preview") == []
    # Forcing one is refused for both.
    run = ENQUEUE_COMMANDS["preview"].run
    with pytest.raises(ConfigError, match="failed its virus scan"):
        await asyncio.to_thread(run, runtime, [infected.asset_id], None)
    with pytest.raises(ConfigError, match="not IMAGE"):
        await asyncio.to_thread(run, runtime, [image.asset_id], None)
    assert jobs(runtime, "asset-preview") == []


async def test_enqueue_preview_forces_one_for_a_pending_asset(
    db, storage, sources, runtime
) -> None:
    asset = await import_file(
        db, storage, sources["short.wav"], runtime.enqueue, scan=ScanStatus.PENDING
    )
    [(job_id, queue)] = await asyncio.to_thread(
        ENQUEUE_COMMANDS["preview"].run, runtime, [asset.asset_id], None
    )
    assert queue == QUEUE and jobs(runtime, "asset-preview") == [job_id]
    assert await _media_job(db, asset.asset_id) == job_id
    with pytest.raises(ConfigError, match="Asset not found"):
        await asyncio.to_thread(ENQUEUE_COMMANDS["preview"].run, runtime, ["nope"], None)
    with pytest.raises(ConfigError, match="expects one ASSET_ID"):
        await asyncio.to_thread(ENQUEUE_COMMANDS["preview"].run, runtime, [], None)
