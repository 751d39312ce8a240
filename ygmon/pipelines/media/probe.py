"""What a media file holds, read with PyAV (FFmpeg's libraries, shipped in its wheel):
imageio-ffmpeg ships ffmpeg without ffprobe, and parsing `ffmpeg -i`'s human output
would break with any change of its wording.

Media is accepted by an allow-list (ALLOWED_FORMATS, and the codecs below): FFmpeg
reads far more than the platform serves, and some of it is no media at all (its `tty`
demuxer renders any text file as "ANSI art", `concat` and `hls` open the files and URLs
named inside). A deny-list misses whatever it forgot; this table names what gets in.
Only the file protocol is allowed. Probing reads headers only (FFmpeg bounds it by its
probesize), so it needs no timer.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from ygmon.pipelines.media.errors import InvalidMediaError

ALLOWED_FORMATS = {
    # FFmpeg's demuxer name: what the platform calls the container.
    "mov,mp4,m4a,3gp,3g2,mj2": "MP4/MOV/M4A",
    "matroska,webm": "Matroska/WebM",
    "avi": "AVI",
    "mpegts": "MPEG-TS",
    "mp3": "MP3",
    "wav": "WAV",
    "flac": "FLAC",
    "ogg": "Ogg",
    "aac": "AAC/ADTS",
    "png_pipe": "PNG",
    "jpeg_pipe": "JPEG",
    "gif": "GIF",
    "webp_pipe": "WebP",
}
IMAGE_FORMATS = {"png_pipe", "jpeg_pipe", "gif", "webp_pipe"}
VIDEO_CODECS = {
    "h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "mpeg2video", "mpeg1video", "theora",
    "mjpeg", "prores",
}  # fmt: skip
AUDIO_CODECS = {
    "aac", "mp3", "mp3float", "mp2", "mp2float", "flac", "vorbis", "opus", "alac", "ac3",
    "eac3", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_u8", "pcm_f32le", "pcm_s16be",
    "pcm_f64le", "pcm_alaw", "pcm_mulaw",
}  # fmt: skip
# Still images: the only video codecs an image format may carry.
IMAGE_CODECS = {"mjpeg", "png", "gif", "webp"}
_IMAGE_PIPES = {"mjpeg": "jpeg_pipe", "png": "png_pipe", "gif": "gif", "webp": "webp_pipe"}


@dataclass(frozen=True)
class StreamInfo:
    kind: str  # "video" | "audio"
    codec: str
    bit_rate: int | None = None
    width: int | None = None
    height: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    sar: tuple[int, int] | None = None


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    duration: float | None
    bit_rate: int | None
    streams: tuple[StreamInfo, ...] = field(default=())
    long_name: str = ""
    """FFmpeg's words for the format ("Tele-typewriter"), for a refusal's reason."""

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    @property
    def is_still_image(self) -> bool:
        return self.video is not None and self.format_name in IMAGE_FORMATS


def probe(path: Path, *, what: str = "media", name: str | None = None) -> MediaInfo:
    """The file's format, duration and streams; InvalidMediaError when it is not media
    the platform serves ("Source file is not a valid video", with `what` the asset's
    kind). `name` (the storage key) stands for the file in the error's detail, which
    reaches clients: never the server's path."""
    import av

    message = f"Source file is not a valid {what}"
    name = name or path.name
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InvalidMediaError(f"{name} is a directory")
        if not stat.S_ISREG(mode):
            raise InvalidMediaError(f"{name} is not a regular file")
        if path.stat().st_size == 0:
            raise InvalidMediaError(f"Source file is empty (not a valid {what})")
        info = _open(av, path, None)
        if info.format_name == "image2" and info.video and info.video.codec in _IMAGE_PIPES:
            # image2 (picked for names with digits) reads numbered sequences: read the one
            # file with its format's single-image demuxer instead.
            info = _open(av, path, _IMAGE_PIPES[info.video.codec])
    except InvalidMediaError:
        raise
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise InvalidMediaError(message, f"{name}: {reason}") from None
    refusal = refused(info)
    if refusal:
        raise InvalidMediaError(message, f"{name}: {refusal}")
    return info


def refused(info: MediaInfo) -> str | None:
    """Why the allow-list refuses `info` (naming what FFmpeg detected), or None."""
    if info.format_name not in ALLOWED_FORMATS:
        return f"detected {info.format_name} ({info.long_name}), not an allowed media format"
    codecs = IMAGE_CODECS if info.format_name in IMAGE_FORMATS else VIDEO_CODECS | AUDIO_CODECS
    if not any(s.codec in codecs for s in info.streams):
        found = ", ".join(f"{s.kind} {s.codec}" for s in info.streams) or "none"
        return f"no audio or video stream of an allowed codec in {info.format_name} ({found})"
    return None


def _open(av, path: Path, format_name: str | None) -> MediaInfo:
    with av.open(
        f"file:{path.absolute()}",
        format=format_name,
        options={"protocol_whitelist": "file"},
        timeout=10.0,
    ) as container:
        return _info(container)


def _info(container) -> MediaInfo:
    streams = tuple(_stream(s) for s in container.streams if s.type in ("video", "audio"))
    duration = container.duration / 1_000_000 if container.duration else None
    fmt = container.format
    return MediaInfo(
        fmt.name, duration, container.bit_rate or None, streams, fmt.long_name or fmt.name
    )


def _stream(stream) -> StreamInfo:
    ctx = stream.codec_context
    kind = "video" if stream.type == "video" else "audio"
    if kind == "video":
        sar = stream.sample_aspect_ratio
        sizes = {
            "width": ctx.width,
            "height": ctx.height,
            "sar": (sar.numerator, sar.denominator) if sar else None,
        }
    else:
        sizes = {"sample_rate": ctx.sample_rate, "channels": ctx.channels}
    return StreamInfo(kind, ctx.name, ctx.bit_rate or stream.bit_rate or None, **sizes)


def moov_before_mdat(path: Path) -> bool:
    """True when an MP4's index (moov) precedes its media data (mdat): `+faststart`,
    so a browser starts playing before the whole file arrived."""
    with path.open("rb") as fh:
        while header := fh.read(8):
            if len(header) < 8:
                return False
            size = int.from_bytes(header[:4], "big")
            kind = header[4:8]
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            if size == 1:
                size = int.from_bytes(fh.read(8), "big") - 8
            elif size < 8:
                return False
            fh.seek(size - 8, 1)
    return False
