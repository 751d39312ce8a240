"""What a media file holds, read with PyAV (FFmpeg's libraries, shipped in its wheel):
imageio-ffmpeg ships ffmpeg without ffprobe, and parsing `ffmpeg -i`'s human output
would break with any change of its wording.

Only the file protocol is allowed, and playlist-like demuxers (HLS, concat) are
refused: a hostile "video" must not make ffmpeg read other files or the network.
Probing reads headers only (FFmpeg bounds it by its probesize), so it needs no timer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ygmon.pipelines.media.errors import InvalidMediaError

# Demuxers that open other files or URLs named inside the input.
_REFUSED_FORMATS = {"hls", "applehttp", "concat", "ffconcat", "dash", "tee", "image2"}
# Still images that FFmpeg reads as a one-frame "video".
IMAGE_CODECS = {"mjpeg", "png", "gif", "webp", "bmp", "tiff", "jpegls", "jpeg2000", "ljpeg"}
IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "gif", "webp_pipe", "bmp_pipe", "tiff_pipe"}


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

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    @property
    def is_still_image(self) -> bool:
        video = self.video
        names = set(self.format_name.split(","))
        return video is not None and (
            bool(names & IMAGE_FORMATS) or (video.codec in IMAGE_CODECS and self.audio is None)
        )


def probe(path: Path, *, what: str = "media") -> MediaInfo:
    """The file's format, duration and streams; InvalidMediaError when FFmpeg cannot
    read it ("Source file is not a valid video", with `what` the asset's kind)."""
    import av

    message = f"Source file is not a valid {what}"
    try:
        if path.stat().st_size == 0:
            raise InvalidMediaError(f"Source file is empty (not a valid {what})")
        with av.open(
            f"file:{path.absolute()}", options={"protocol_whitelist": "file"}, timeout=10.0
        ) as container:
            name = container.format.name
            if set(name.split(",")) & _REFUSED_FORMATS - IMAGE_FORMATS:
                raise InvalidMediaError(message, f"refused container format {name}")
            streams = tuple(_stream(s) for s in container.streams if s.type in ("video", "audio"))
            duration = container.duration / 1_000_000 if container.duration else None
            return MediaInfo(name, duration, container.bit_rate or None, streams)
    except InvalidMediaError:
        raise
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidMediaError(message, f"{type(exc).__name__}: {exc}") from None


def _stream(stream) -> StreamInfo:
    ctx = stream.codec_context
    if stream.type == "video":
        sar = stream.sample_aspect_ratio
        return StreamInfo(
            "video",
            ctx.name,
            ctx.bit_rate or stream.bit_rate or None,
            width=ctx.width,
            height=ctx.height,
            sar=(sar.numerator, sar.denominator) if sar else None,
        )
    return StreamInfo(
        "audio",
        ctx.name,
        ctx.bit_rate or stream.bit_rate or None,
        sample_rate=ctx.sample_rate,
        channels=ctx.channels,
    )


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
