"""A thumbnail's JPEG bytes as a small grid of RGB pixels, for the half-block widget.

Decoded with PyAV (FFmpeg's decoders, already a dependency of the media pipeline) in
the screen's worker, never on the UI thread; scaled down to at most MAX_WIDTH x
MAX_HEIGHT so that the widget only ever samples a small grid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_WIDTH, MAX_HEIGHT = 160, 120


@dataclass(frozen=True)
class Pixels:
    width: int
    height: int
    rgb: bytes
    """Rows of width * 3 bytes, top to bottom."""

    def at(self, x: int, y: int) -> tuple[int, int, int]:
        i = (y * self.width + x) * 3
        return self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]


def decode(data: bytes) -> Pixels | None:
    """The picture in `data`, or None when it is not one PyAV can read."""
    import av

    try:
        with av.open(io.BytesIO(data)) as container:
            frame = next(container.decode(video=0))
    except (av.FFmpegError, StopIteration, ValueError):
        return None
    scale = min(1.0, MAX_WIDTH / frame.width, MAX_HEIGHT / frame.height)
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    rgb = frame.reformat(width=width, height=height, format="rgb24")
    plane = rgb.planes[0]
    raw = bytes(plane)
    rows = b"".join(
        raw[r * plane.line_size : r * plane.line_size + width * 3] for r in range(height)
    )
    return Pixels(width, height, rows)
