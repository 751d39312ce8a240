"""One queue on the Overview, on one line: a label, its counts and sparklines of the
jobs it completed and failed per minute over the last hour (from the registry's
history, so they are full at launch and the same for every viewer).

A paused queue's label ends in "‖" and its line is styled `-paused`, its tooltip says
since when.

In the compact layout the label is a short name that tells the queue apart within its
worker group (the group's line is just above); the full name is the tooltip, and the
Queues screen (2) lists it.

The line is one widget that draws its four parts (name, counts, two sparklines) itself:
as a row of four widgets, the Overview's thirteen lines were 52 more widgets to mount,
style and lay out before its first paint. The parts' styles are component classes in
app.tcss; the sparklines are Textual's own renderable, sized as 2fr and 1fr would size
them.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.renderables.sparkline import Sparkline
from textual.widget import Widget

from ygmon.monitor.schemas import QueueStats

SHORT_NAMES = {
    "notification-delivery": "delivery",
    "notification-digest": "digest",
    "analytics-enrichment": "enrichment",
    "metrics-aggregation": "aggregation",
    "weekly-metrics-rollup": "weekly rollup",
    "monthly-metrics-rollup": "monthly rollup",
    "search-index-update": "index update",
    "search-index-bulk": "index bulk",
    "search-index-reindex": "full reindex",
    "asset-preview-generation": "preview gen",
    "email": "email",
    "blog-scheduled-publishing": "publishing",
    "maintenance": "maintenance",
}
"""Short and unambiguous beside their group's name; any other queue shows its own."""
SHORT_WIDTH = 14
FULL_WIDTH = 26


def label_of(name: str, compact: bool, paused: bool = False) -> str:
    width = SHORT_WIDTH if compact else FULL_WIDTH
    label = SHORT_NAMES.get(name, name) if compact else name
    if paused:
        width -= 2
    if len(label) > width:
        label = label[: width - 1] + "…"
    return f"{label} ‖" if paused else label


def counts_text(stats: QueueStats) -> str:
    return f"{stats.waiting:>6,} {stats.active:>4,} {_n(stats.completed):>6} {_n(stats.failed):>5}"


def _n(value: int) -> str:
    """A count in at most six characters (1.2M past a million)."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 100_000:
        return f"{value // 1000}k"
    return f"{value:,}"


def _drawn(points: list[int]) -> list[float]:
    # A flat line of zeros would draw as full bars: nothing drawn means nothing ran.
    return [float(p) for p in points] if any(points) else []


COUNTS_WIDTH = 25
"""Columns of counts_text() and the space after it."""


class QueueLine(Widget):
    """One queue's line; `-failing` and `-paused` restyle its counts and its name."""

    COMPONENT_CLASSES = {
        "queue-line--name",
        "queue-line--counts",
        "queue-line--done-max",
        "queue-line--done-min",
        "queue-line--failed-max",
        "queue-line--failed-min",
    }

    def __init__(self, stats: QueueStats, compact: bool) -> None:
        super().__init__(id=f"line-{stats.name}")
        self.stats = stats
        self.compact = compact
        self.tooltip = stats.name
        self._points: tuple[list[int], list[int]] = ([], [])

    @property
    def counts(self) -> str:
        """The counts as the line shows them."""
        return counts_text(self.stats)

    def _label(self) -> str:
        return label_of(self.stats.name, self.compact, self.stats.paused)

    def on_mount(self) -> None:
        self.set_class(self.stats.failed > 0, "-failing")
        self.set_class(self.stats.paused, "-paused")

    def show(self, stats: QueueStats) -> None:
        if stats == self.stats:
            return
        self.stats = stats
        self.set_class(stats.failed > 0, "-failing")
        self.set_class(stats.paused, "-paused")
        self.refresh()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.refresh()

    def show_history(self, completed: list[int], failed: list[int]) -> None:
        """Per-minute points, oldest first."""
        if (completed, failed) == self._points:
            return
        self._points = (completed, failed)
        self.tooltip = (
            f"{self.stats.name}: {sum(completed):,} completed, {sum(failed):,} failed "
            "in the last hour"
        )
        self.refresh()

    def render(self) -> Text:
        name_width = (SHORT_WIDTH if self.compact else FULL_WIDTH) + 1
        # What 2fr and 1fr get of the rest, a column's margin before each (Textual
        # floors the fractions' running sum).
        rest = max(0, self.size.width - name_width - COUNTS_WIDTH - 2)
        done_width = 2 * rest // 3
        line = Text(no_wrap=True, overflow="crop", end="")
        line.append(
            self._label().ljust(name_width),
            self.get_component_rich_style("queue-line--name", partial=True),
        )
        line.append(
            self.counts.ljust(COUNTS_WIDTH),
            self.get_component_rich_style("queue-line--counts", partial=True),
        )
        for part, points, width in (
            ("done", self._points[0], done_width),
            ("failed", self._points[1], rest - done_width),
        ):
            line.append(" ")
            line.append_text(self._sparkline(part, points, width))
        return line

    def _sparkline(self, part: str, points: list[int], width: int) -> Text:
        if width <= 0:
            return Text()
        _, base = self.background_colors
        low = base + self.get_component_styles(f"queue-line--{part}-min").color
        high = base + self.get_component_styles(f"queue-line--{part}-max").color
        drawn = Sparkline(
            _drawn(points),
            width=width,
            height=1,
            min_color=low.rich_color,
            max_color=high.rich_color,
        )
        segments = self.app.console.render(drawn, self.app.console.options.update_width(width))
        return Text.assemble(*((s.text, s.style) for s in Segment.filter_control(segments)))
