"""`ygmon assets import|scan` and `ygmon enqueue preview` as a developer runs them, then
a real worker turning the imports into thumbnails and previews."""

from __future__ import annotations

import asyncio
import contextlib
import io
import subprocess
from pathlib import Path

import pytest
from processes import run_ygmon
from sqlalchemy import select

from ygmon.cli import main
from ygmon.db.models import IpAsset
from ygmon.jobs.worker import in_process_worker


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


async def ygmon(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The same command line through `ygmon.cli.main` in this process (a thread: the
    commands run their own event loop): a Python start-up per command cost seconds."""

    def call() -> subprocess.CompletedProcess[str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--config", str(config), *args])
        return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())

    return await asyncio.to_thread(call)


async def test_import_scan_and_a_worker_make_previews(profile, db, config, sources) -> None:
    # Once as a developer types it; the other commands run in this process.
    out = run_ygmon(config, "assets", "import", str(sources["short.wav"]), "--title", "Tone")
    assert out.returncode == 0, out.stderr
    audio_id, kind, name, *_ = out.stdout.split()
    assert (kind, name) == ("AUDIO", "short.wav") and "thumbnail job" in out.stdout
    out = await ygmon(
        config, "assets", "import", "--scan", "pending", str(sources["four_three.mp4"])
    )
    assert out.returncode == 0, out.stderr
    video_id = out.stdout.split()[0]
    refused = await ygmon(config, "assets", "import", str(sources["random.mp4"]))
    assert refused.returncode == 2
    assert refused.stderr == (
        "ygmon: assets import: random.mp4 is not a video, audio or image file the platform "
        "serves: Invalid data found when processing input (give --type document or other "
        "to store it anyway)\n"
    )
    with in_process_worker(profile, queues=["asset-preview-generation"], workers=2) as worker:
        worker.runtime.wait_idle(timeout=60, queues=["asset-preview-generation"])
        async with db.reader() as s:
            video = await s.get(IpAsset, video_id)
            assert video.thumbnail_key and video.preview_key is None  # PENDING: gate shut
        scanned = await ygmon(config, "assets", "scan", video_id, "clean")
        assert scanned.returncode == 0 and "preview job" in scanned.stdout
        worker.runtime.wait_idle(timeout=60, queues=["asset-preview-generation"])
    async with db.reader() as s:
        assets = {a.id: a for a in (await s.scalars(select(IpAsset))).all()}
    assert assets[audio_id].title == "Tone" and assets[audio_id].preview_key
    assert assets[video_id].metadata_["previewGenerated"] is True
    assert len(assets) == 2
    # --type video never stores what is not media; --type document stores it unprobed.
    forced = await ygmon(config, "assets", "import", "--type", "video", str(sources["random.mp4"]))
    assert forced.returncode == 2 and forced.stdout == ""
    kept = await ygmon(config, "assets", "import", "--type", "document", str(sources["random.mp4"]))
    assert kept.returncode == 0 and " DOCUMENT " in kept.stdout
    again = await ygmon(config, "enqueue", "preview", video_id)
    assert again.returncode == 0 and "enqueued on asset-preview-generation" in again.stdout
    missing = await ygmon(config, "assets", "scan", "nope", "clean")
    assert (missing.returncode, missing.stderr) == (2, "ygmon: assets scan: asset nope not found\n")
