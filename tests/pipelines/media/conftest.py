"""Real media for the media pipeline's tests, made by ffmpeg from its test sources once
per session (in parallel, two at a time), and a migrated database, storage and job
runtime per test.

The sources: a 60 s 1080p video with sound (10 fps, a cheap encoder preset, and 6 s
encoded once then looped keep it to a second to make), a 15 s 4:3 video whose first
2 s are black, a 3-minute MP3 (18 s looped), a 5 s WAV, a PNG, and the hostile ones: a truncated MP4
(its index, written last, cut off), random bytes named .mp4, a zero-length file and an
MP3 named .mp4.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe
from ygmon.storage import LocalStorage

_Q = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
_X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]

SOURCES: dict[str, list[str]] = {
    # The two segments are looped ten times into long.mp4 and song.mp3 (stream copy):
    # encoding 60 s of 1080p and 3 minutes of MP3 took longer than the rest together.
    "segment.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=10:duration=6",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
        *_X264, "-crf", "35", "-c:a", "aac", "-b:a", "96k",
    ],
    "four_three.mp4": [
        "-f", "lavfi", "-i", "color=c=black:size=640x480:rate=15:duration=2",
        "-f", "lavfi", "-i", "testsrc=size=640x480:rate=15:duration=13",
        "-f", "lavfi", "-i", "sine=frequency=330:duration=15",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
        *_X264, "-c:a", "aac", "-b:a", "64k",
    ],
    "song_segment.mp3": [
        "-f", "lavfi", "-i", "sine=frequency=523:duration=18", "-c:a", "libmp3lame",
        "-b:a", "96k",
    ],
    "short.wav": ["-f", "lavfi", "-i", "sine=frequency=660:duration=5"],
    "picture.png": ["-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1"],
}  # fmt: skip


@dataclass(frozen=True)
class Sources:
    folder: Path

    def __getitem__(self, name: str) -> Path:
        return self.folder / name


def _loop_ten_times(segment: Path, whole: Path) -> None:
    cmd = [ffmpeg_exe(), *_Q, "-stream_loop", "9", "-i", str(segment), "-c", "copy", str(whole)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    segment.unlink()


def _make_hostile(folder: Path) -> None:
    whole = (folder / "four_three.mp4").read_bytes()  # moov last: no +faststart
    assert whole.find(b"moov") > whole.find(b"mdat")
    (folder / "truncated.mp4").write_bytes(whole[: len(whole) // 2])
    (folder / "random.mp4").write_bytes(random.Random(11).randbytes(200_000))
    (folder / "empty.mp4").write_bytes(b"")
    shutil.copyfile(folder / "song.mp3", folder / "song_named.mp4")


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    folder = tmp_path_factory.mktemp("media-sources")
    pending = list(SOURCES.items())
    running: list[tuple[str, subprocess.Popen[bytes]]] = []
    while pending or running:
        while pending and len(running) < 2:
            name, args = pending.pop(0)
            cmd = [ffmpeg_exe(), *_Q, *args, str(folder / name)]
            running.append((name, subprocess.Popen(cmd, stderr=subprocess.PIPE)))
        name, proc = running.pop(0)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name}: {err.decode()}"
    _loop_ten_times(folder / "segment.mp4", folder / "long.mp4")
    _loop_ten_times(folder / "song_segment.mp3", folder / "song.mp3")
    _make_hostile(folder)
    return Sources(folder)


@pytest.fixture
def profile(database_url: str, tmp_path: Path, namespace: str) -> LocalProfile:
    return LocalProfile(
        database_url=database_url,
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace=namespace,
        media_dir=str(tmp_path / "media"),
        jwt_secret="a-test-secret-of-at-least-32-bytes!!",
    )


@pytest.fixture
def sqlite_profile(sqlite_url: str, tmp_path: Path, namespace: str) -> LocalProfile:
    return LocalProfile(
        database_url=sqlite_url,
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace=namespace,
        media_dir=str(tmp_path / "media"),
        jwt_secret="a-test-secret-of-at-least-32-bytes!!",
    )


@pytest.fixture
def config(profile: LocalProfile, tmp_path: Path) -> Path:
    """A config file whose local profile is `profile`, for the command-line tests."""
    path = tmp_path / "ygmon.toml"
    lines = ["[profiles.local]"]
    for key in ("database_url", "broker_url", "namespace", "media_dir", "jwt_secret"):
        lines.append(f"{key} = {getattr(profile, key)!r}")
    path.write_text("\n".join(lines).replace("'", '"') + "\n")
    return path


@pytest.fixture
async def db(profile: LocalProfile) -> AsyncIterator[Database]:
    database = Database(profile.database_url)
    await upgrade(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def storage(profile: LocalProfile) -> LocalStorage:
    return LocalStorage(profile.media_dir)


@pytest.fixture
def runtime(profile: LocalProfile) -> Iterator[JobRuntime]:
    rt = open_runtime(profile)
    try:
        yield rt
    finally:
        rt.close()
