"""Real small media files for the demo assets, made by ffmpeg from its test sources.

One ffmpeg run per asset writes all of its files from one generated source: the
original (a few seconds of `testsrc` video at 320x240 with a sine track, or sine audio),
a thumbnail for video, and for ready assets the preview by the contract's recipe
(video: up to 10 s at 1280x720, 1000k; audio: up to 30 s of MP3 at 128k). One process
per asset keeps the whole demo's media well under a second or two. Bit-exact flags and
one encoder thread make the same inputs give the same bytes, so the sizes written into
the seeded rows are deterministic.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from ygmon.demo.ffmpeg_binary import ffmpeg_exe
from ygmon.errors import YgmonError

# Two encoders at a time: enough to hide process start-up, gentle on a 2-core laptop.
PARALLEL = 2
_EXACT = ("-fflags", "+bitexact", "-map_metadata", "-1")
_EXACT_V = ("-flags:v", "+bitexact")
_EXACT_A = ("-flags:a", "+bitexact")
_QUIET = ("-hide_banner", "-nostdin", "-loglevel", "error", "-y")
_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads", "1")


@dataclass(frozen=True)
class MediaOutput:
    path: Path
    args: tuple[str, ...]
    """ffmpeg's options for this output (they precede its path on the command line)."""


@dataclass(frozen=True)
class MediaJob:
    """One ffmpeg run: its inputs, and every file it writes from them."""

    inputs: tuple[str, ...]
    outputs: tuple[MediaOutput, ...]

    def command(self) -> list[str]:
        cmd = [ffmpeg_exe(), *_QUIET, *self.inputs]
        for out in self.outputs:
            cmd += [*out.args, *_EXACT, str(out.path)]
        return cmd


def video_asset(
    original: Path,
    *,
    seconds: int,
    tone_hz: int,
    thumbnail: Path | None = None,
    preview: Path | None = None,
) -> MediaJob:
    inputs = (
        "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=15:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}",
    )  # fmt: skip
    av = ("-map", "0:v", "-map", "1:a")
    outputs = [
        MediaOutput(original, (*av, *_X264, *_EXACT_V, "-c:a", "aac", "-b:a", "64k", *_EXACT_A))
    ]
    if thumbnail is not None:
        outputs.append(MediaOutput(thumbnail, ("-map", "0:v", "-frames:v", "1", *_EXACT_V)))
    if preview is not None:
        scaled = ("-t", "10", "-vf", "scale=1280:720", *_X264, "-b:v", "1000k", *_EXACT_V)
        audio = ("-c:a", "aac", "-b:a", "128k", *_EXACT_A)
        outputs.append(MediaOutput(preview, (*av, *scaled, *audio)))
    return MediaJob(inputs, tuple(outputs))


def audio_asset(
    original: Path, *, seconds: int, tone_hz: int, preview: Path | None = None
) -> MediaJob:
    inputs = ("-f", "lavfi", "-i", f"sine=frequency={tone_hz}:duration={seconds}")
    outputs = [MediaOutput(original, ("-c:a", "libmp3lame", "-b:a", "96k", *_EXACT_A))]
    if preview is not None:
        outputs.append(
            MediaOutput(preview, ("-t", "30", "-c:a", "libmp3lame", "-b:a", "128k", *_EXACT_A))
        )
    return MediaJob(inputs, tuple(outputs))


async def _make(job: MediaJob, gate: asyncio.Semaphore) -> None:
    for out in job.outputs:
        out.path.parent.mkdir(parents=True, exist_ok=True)
    async with gate:
        proc = await asyncio.create_subprocess_exec(
            *job.command(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await proc.communicate()
    if proc.returncode != 0:
        reason = err.decode(errors="replace").strip().splitlines()
        raise YgmonError(
            f"ffmpeg could not make {job.outputs[0].path.name}: "
            f"{reason[-1] if reason else f'exit status {proc.returncode}'}"
        )


async def make_all(jobs: list[MediaJob]) -> None:
    gate = asyncio.Semaphore(PARALLEL)
    await asyncio.gather(*(_make(job, gate) for job in jobs))
