"""A picture drawn with half blocks: each cell is '▀' with the upper pixel as its
foreground and the lower as its background, so a cell shows two square-ish pixels.
Works in every terminal with colour, over SSH too (no Sixel or Kitty graphics).

The picture is fitted into the widget's size keeping its aspect ratio (nearest
neighbour: a thumbnail at terminal resolution gains nothing from filtering).
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ygmon.widgets.thumbnail_pixels import Pixels

UPPER_HALF = "\u2580"


class HalfBlockImage(Widget):
    DEFAULT_CSS = """
    HalfBlockImage { width: 1fr; height: 1fr; }
    """

    def __init__(self, pixels: Pixels | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pixels = pixels
        self._cache: tuple[tuple[int, int], list[Strip]] | None = None

    @property
    def pixels(self) -> Pixels | None:
        return self._pixels

    def set_pixels(self, pixels: Pixels | None) -> None:
        if pixels != self._pixels:
            self._pixels = pixels
            self._cache = None
            self.refresh()

    def _fit(self, cols: int, rows: int) -> tuple[int, int]:
        """The picture's size in cells (width, height) inside cols x rows."""
        p = self._pixels
        assert p is not None
        scale = min(cols / p.width, (rows * 2) / p.height)
        return max(1, int(p.width * scale)), max(1, int(p.height * scale / 2))

    def _strips(self, cols: int, rows: int) -> list[Strip]:
        if self._cache and self._cache[0] == (cols, rows):
            return self._cache[1]
        strips: list[Strip] = []
        p = self._pixels
        if p is not None and cols > 0 and rows > 0:
            width, height = self._fit(cols, rows)
            left = (cols - width) // 2
            for row in range(height):
                top_y = min(p.height - 1, (row * 2) * p.height // (height * 2))
                low_y = min(p.height - 1, (row * 2 + 1) * p.height // (height * 2))
                segments = [Segment(" " * left)] if left else []
                for col in range(width):
                    x = min(p.width - 1, col * p.width // width)
                    style = Style(
                        color=Color.from_rgb(*p.at(x, top_y)),
                        bgcolor=Color.from_rgb(*p.at(x, low_y)),
                    )
                    segments.append(Segment(UPPER_HALF, style))
                strips.append(Strip(segments, left + width))
        self._cache = ((cols, rows), strips)
        return strips

    def render_line(self, y: int) -> Strip:
        size = self.content_size
        strips = self._strips(size.width, size.height)
        if y < len(strips):
            return strips[y].extend_cell_length(size.width)
        return Strip.blank(size.width)
