"""The ffmpeg command of each output, built with ffmpeg-python: the contract's preview
clips (video: 10 s, 1280x720, H.264 at 1000k with AAC, +faststart; audio: 30 s of MP3
at 128k) and the thumbnails (a representative frame of a video, a waveform of audio).

Inputs and outputs are given as `file:` URLs of absolute paths: a name can then never
read as an option (no leading '-') nor as another protocol (`concat:`, `http:`), and
only the file protocol is allowed on input. Input seeking (`-ss` before `-i`) jumps
to the clip's start through the container's index, so the cost of a preview does not
grow with the length of its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

VIDEO_CLIP = 10.0
AUDIO_CLIP = 30.0
WIDTH, HEIGHT = 1280, 720
VIDEO_BITRATE = "1000k"
VIDEO_AUDIO_BITRATE = "128k"  # not stated by the contract: the audio preview's rate
AUDIO_BITRATE = "128k"
THUMB_WIDTH = 480
WAVE_SIZE = "640x240"
# The thumbnail filter picks the most typical frame of this many seconds of video.
THUMB_WINDOW = 4.0


def _file(path: Path) -> str:
    return f"file:{path.absolute()}"


def clip_start(duration: float | None, clip: float) -> float:
    """Where a clip starts: a tenth into the source (past intros and title cards), at
    most a minute in, never so late that the clip would end early; 0 for a source
    no longer than the clip."""
    if not duration or duration <= clip:
        return 0.0
    return round(min(duration - clip, duration * 0.1, 60.0), 3)


def thumb_start(duration: float | None) -> float:
    """Where the thumbnail's window starts: a fifth into the video (a black intro or a
    fade-in comes first), at most 30 s in, leaving the window inside the video."""
    if not duration:
        return 0.0
    return round(max(0.0, min(duration * 0.2, 30.0, duration - THUMB_WINDOW)), 3)


@dataclass(frozen=True)
class Clip:
    start: float
    length: float


def video_preview(source: Path, out: Path, clip: Clip, *, has_audio: bool) -> Any:
    src = ffmpeg.input(_file(source), ss=clip.start, t=clip.length, protocol_whitelist="file")
    video = (
        src.video.filter("scale", WIDTH, HEIGHT, force_original_aspect_ratio="decrease")
        .filter("pad", WIDTH, HEIGHT, "(ow-iw)/2", "(oh-ih)/2")
        .filter("setsar", 1)
        .filter("format", "yuv420p")
    )
    streams = [video, src.audio] if has_audio else [video]
    audio = {"acodec": "aac", "audio_bitrate": VIDEO_AUDIO_BITRATE, "ac": 2} if has_audio else {}
    return ffmpeg.output(
        *streams,
        _file(out),
        format="mp4",
        vcodec="libx264",
        preset="veryfast",
        # One encoder thread: x264's threaded rate control makes different bytes each run,
        # and a re-run of a job should give the same file. The queue runs two jobs at
        # once, which keeps the cores busy anyway.
        threads=1,
        video_bitrate=VIDEO_BITRATE,
        # Constant bitrate: a plain average undershoots simple pictures by a third; the
        # contract's clips are 1000k, which the CDN and the player's buffer expect.
        minrate=VIDEO_BITRATE,
        maxrate=VIDEO_BITRATE,
        **{"x264-params": "nal-hrd=cbr"},
        bufsize="2000k",
        movflags="+faststart",
        map_metadata=-1,
        **audio,
    )


def audio_preview(source: Path, out: Path, clip: Clip) -> Any:
    src = ffmpeg.input(_file(source), ss=clip.start, t=clip.length, protocol_whitelist="file")
    return ffmpeg.output(
        src.audio,
        _file(out),
        format="mp3",
        acodec="libmp3lame",
        audio_bitrate=AUDIO_BITRATE,
        map_metadata=-1,
    )


def video_thumbnail(source: Path, out: Path, duration: float | None) -> Any:
    src = ffmpeg.input(
        _file(source), ss=thumb_start(duration), t=THUMB_WINDOW, protocol_whitelist="file"
    )
    frame = src.video.filter("thumbnail", 50).filter("scale", THUMB_WIDTH, -2).filter("setsar", 1)
    return ffmpeg.output(
        frame, _file(out), format="image2", vcodec="mjpeg", frames=1, q=3, update=1
    )


def audio_waveform(source: Path, out: Path) -> Any:
    src = ffmpeg.input(_file(source), t=600, protocol_whitelist="file")
    wave = src.audio.filter("showwavespic", s=WAVE_SIZE, colors="0x4fc3f7", split_channels=0)
    # showwavespic draws on transparency; JPEG has none, so lay it on a dark ground.
    ground = ffmpeg.input(f"color=c=0x1e1e2e:s={WAVE_SIZE}", f="lavfi")
    picture = ffmpeg.overlay(ground, wave, shortest=1).filter("format", "yuvj420p")
    return ffmpeg.output(
        picture, _file(out), format="image2", vcodec="mjpeg", frames=1, q=3, update=1
    )
