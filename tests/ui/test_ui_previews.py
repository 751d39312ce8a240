"""The Previews screen and an asset's detail over previews made by real jobs: three
uploads (a video, an audio file, a corrupt "video") imported through the pipeline and
turned into thumbnails and previews by a real worker at a frozen clock; snapshots at
80x24 and 120x40, and Pilot tests pressing Enter, r and Escape."""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from pathlib import Path

import pytest
from conftest import NOW, build_app, frozen_clock, local_settings, make_profile
from pilot_helpers import keys_then_settle, settle, wait_until

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import IpAsset
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe
from ygmon.screens.asset_detail import AssetDetailScreen
from ygmon.screens.confirm_dialog import ConfirmDialog
from ygmon.screens.previews import COLUMNS, fitted
from ygmon.tui.ui_config import UiConfig
from ygmon.widgets.half_block_image import HalfBlockImage

SIZES = [(80, 24), (120, 40)]
QUEUE = "asset-preview-generation"


def _make_sources(folder: Path) -> dict[str, Path]:
    q = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i"]
    video, audio, bad = folder / "clip.mp4", folder / "tone.wav", folder / "broken.mp4"
    subprocess.run(
        [ffmpeg_exe(), *q, "testsrc2=size=480x270:rate=10:duration=4", *q[-3:],
         "sine=frequency=440:duration=4", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", str(video)],
        check=True, timeout=60,
    )  # fmt: skip
    subprocess.run([ffmpeg_exe(), *q, "sine=duration=6", str(audio)], check=True, timeout=60)
    bad.write_bytes(random.Random(3).randbytes(40_000))
    return {"video": video, "audio": audio, "bad": bad}


async def _import(profile: LocalProfile, sources: dict[str, Path], enqueue) -> None:
    from ygmon.pipelines.media import gate
    from ygmon.pipelines.media.assets import import_file
    from ygmon.storage import storage_for

    db = Database(profile.database_url)
    storage = storage_for(profile, signed=False)
    try:
        await upgrade(db)
        # Import refuses bytes that are no media: the broken upload is a video whose
        # stored file is damaged after its import, before its thumbnail job runs.
        broken = await import_file(db, storage, sources["video"], None, title="Broken upload")
        storage.path(broken.storage_key).write_bytes(sources["bad"].read_bytes())
        enqueue(gate.THUMBNAIL_TASK, job_id=broken.thumbnail_job, asset_id=broken.asset_id)
        await import_file(db, storage, sources["audio"], enqueue, title="Tone study")
        await import_file(db, storage, sources["video"], enqueue, title="Test pattern")
    finally:
        await db.dispose()


async def _states(profile: LocalProfile) -> list[tuple[bool, bool]]:
    from sqlalchemy import select

    db = Database(profile.database_url)
    try:
        async with db.reader() as s:
            rows = (await s.scalars(select(IpAsset))).all()
            return [
                (bool(a.preview_key), bool((a.metadata_ or {}).get("previewError"))) for a in rows
            ]
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def media_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    directory = tmp_path_factory.mktemp("ui-media")
    profile = make_profile(directory)
    sources = _make_sources(directory)
    with (
        open_runtime(profile, clock=frozen_clock) as rt,
        in_process_worker(profile, [QUEUE], runtime=rt, clock=frozen_clock),
    ):
        asyncio.run(_import(profile, sources, rt.enqueue))
        deadline = time.monotonic() + 60
        # Two previews made, the broken upload failed once (its retry waits 30 s).
        while sorted(asyncio.run(_states(profile))) != [
            (False, True),
            (True, False),
            (True, False),
        ]:
            assert time.monotonic() < deadline, asyncio.run(_states(profile))
            time.sleep(0.2)
    return profile


def _app(profile: LocalProfile):
    return build_app(local_settings(profile), UiConfig.frozen(NOW), target="local: media")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_previews_screen(snap_compare, media_profile, size) -> None:
    assert snap_compare(_app(media_profile), terminal_size=size, run_before=keys_then_settle("5"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_asset_detail_with_its_thumbnail(snap_compare, media_profile, size) -> None:
    assert snap_compare(
        _app(media_profile), terminal_size=size, run_before=keys_then_settle("5", "enter")
    )


async def test_enter_shows_the_thumbnail_and_r_retries_a_failed_preview(media_profile) -> None:
    app = _app(media_profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_then_settle("5", "enter")(pilot)
        screen = app.screen
        assert isinstance(screen, AssetDetailScreen)
        assert screen.asset.title == "Test pattern" and screen.asset.status == "ready"
        image = screen.query_one(HalfBlockImage)
        assert image.pixels is not None and image.pixels.width == 160
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)  # a ready preview: nothing to retry
        await keys_then_settle("escape", "down", "down")(pilot)
        selected = str(app.screen.query_one("#preview-selected").render())
        assert selected == "Broken upload: Source file is not a valid video  (r retries its job)"
        await keys_then_settle("enter")(pilot)
        failed = app.screen
        assert isinstance(failed, AssetDetailScreen) and failed.asset.status == "failed"
        text = str(failed.query_one("#asset-text").render())
        assert "Source file is not a valid video" in text
        assert failed.query_one(HalfBlockImage).pixels is None
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(app._notifications))
        # The job waits for its second attempt (30 s later): the registry says so, which
        # proves the retry reached the asset's own job on its queue.
        messages = [n.message for n in app._notifications]
        assert any("Cannot retry job" in m for m in messages), messages


def test_long_titles_and_errors_are_cut_to_the_width_with_an_ellipsis() -> None:
    title = "Morning birdsong, field recording at the lake"
    error = "Preview generation took longer than 120 s and was stopped"
    rows = [
        ("a", ("failed", "audio", title, "-", "-", error)),
        ("b", ("ready", "video", "Short", "10.0s", "1.5 MB", "ready")),
    ]
    [(_, failed), (_, ready)] = fitted(rows, 80)
    widths = [
        max(len(label), len(failed[i]), len(ready[i])) for i, (_, label) in enumerate(COLUMNS)
    ]
    assert sum(widths) + 2 * 6 <= 80
    assert failed[2].endswith("…") and title.startswith(failed[2][:-1]) and len(failed[2]) >= 16
    assert failed[5].endswith("…") and error.startswith(failed[5][:-1])
    assert ready[2:] == ("Short", "10.0s", "1.5 MB", "ready")
    # Wide enough: nothing is cut.
    assert fitted(rows, 160) == rows
