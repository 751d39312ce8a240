"""Real media for the demo's uploads, made by ffmpeg from its test sources: originals
only (thumbnails and previews are the live worker's job, never the demo's).

Video is `testsrc2` with a sine track, audio a sine tone; among them a 60 s 1080p video
with sound and a 3-minute MP3. Files of 30 s or more are a tenth of their length
encoded once, then looped ten times by stream copy (10 fps and x264's ultrafast preset
kept the 60 s 1080p video at 5 CPU seconds; looped it takes half a second). Two runs
at a time; bit-exact flags and one encoder thread make the same inputs give the same
bytes, so seeded sizes are deterministic.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from pathlib import Path

from ygmon.errors import YgmonError
from ygmon.pipelines.media.ffmpeg_binary import ffmpeg_exe

PARALLEL = 2
_EXACT = ("-fflags", "+bitexact", "-map_metadata", "-1", "-flags", "+bitexact")
_QUIET = ("-hide_banner", "-nostdin", "-loglevel", "error", "-y")
_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads", "1")


@dataclass(frozen=True)
class MediaJob:
    """One ffmpeg run writing `path` (for a corrupt upload, then scrambled)."""

    path: Path
    args: tuple[str, ...] = ()
    corrupt_bytes: int = 0
    loops: int = 1
    """More than 1: `args` make one segment, played `loops` times into `path`."""

    @property
    def segment(self) -> Path:
        return self.path.with_name(f".{self.path.stem}.segment{self.path.suffix}")

    def commands(self) -> list[list[str]]:
        if self.loops == 1:
            return [[ffmpeg_exe(), *_QUIET, *self.args, *_EXACT, str(self.path)]]
        loop = ("-stream_loop", str(self.loops - 1), "-i", str(self.segment), "-c", "copy")
        return [
            [ffmpeg_exe(), *_QUIET, *self.args, *_EXACT, str(self.segment)],
            [ffmpeg_exe(), *_QUIET, *loop, *_EXACT, str(self.path)],
        ]


def _looped(seconds: int) -> tuple[int, int]:
    """(segment seconds, loops) for a file of `seconds`."""
    return (seconds // 10, 10) if seconds >= 30 and seconds % 10 == 0 else (seconds, 1)


def video_file(path: Path, *, seconds: int, size: str, rate: int, tone_hz: int) -> MediaJob:
    seconds, loops = _looped(seconds)
    args = (
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}",
        *_X264, "-crf", "32", "-c:a", "aac", "-b:a", "96k",
    )  # fmt: skip
    return MediaJob(path, args, loops=loops)


def audio_file(path: Path, *, seconds: int, tone_hz: int) -> MediaJob:
    seconds, loops = _looped(seconds)
    args = (
        "-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}",
        "-c:a", "libmp3lame", "-b:a", "128k",
    )  # fmt: skip
    return MediaJob(path, args, loops=loops)


def corrupt_file(path: Path, size: int = 60_000) -> MediaJob:
    """A broken upload: a real MP4 header (the import's allow-list passes it) over media
    data that no decoder reads, so its thumbnail job fails."""
    args = (
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=10:duration=3",
        *_X264, "-movflags", "+faststart",
    )  # fmt: skip
    return MediaJob(path, args, corrupt_bytes=size)


def _scramble_media_data(path: Path) -> None:
    data = bytearray(path.read_bytes())
    start = data.find(b"mdat") + 4
    data[start:] = random.Random(path.name).randbytes(len(data) - start)
    path.write_bytes(data)


async def _make(job: MediaJob, gate: asyncio.Semaphore) -> None:
    job.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        async with gate:
            for command in job.commands():
                proc = await asyncio.create_subprocess_exec(
                    *command,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.PIPE,
                )
                _, err = await proc.communicate()
                if proc.returncode != 0:
                    reason = err.decode(errors="replace").strip().splitlines()
                    raise YgmonError(
                        f"ffmpeg could not make {job.path.name}: "
                        f"{reason[-1] if reason else f'exit status {proc.returncode}'}"
                    )
        if job.corrupt_bytes:
            _scramble_media_data(job.path)
    finally:
        job.segment.unlink(missing_ok=True)


async def make_all(jobs: list[MediaJob]) -> None:
    gate = asyncio.Semaphore(PARALLEL)
    await asyncio.gather(*(_make(job, gate) for job in jobs))
