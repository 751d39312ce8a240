"""One queue on the Overview, on one line: a label, its counts and sparklines of the
jobs it completed and failed per minute over the last hour (from the registry's
history, so they are full at launch and the same for every viewer).

A paused queue's label ends in "‖" and its line is styled `-paused`, its tooltip says
since when.

In the compact layout the label is a short name that tells the queue apart within its
worker group (the group's line is just above); the full name is the tooltip, and the
Queues screen (2) lists it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline

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


class QueueLine(Horizontal):
    def __init__(self, stats: QueueStats, compact: bool) -> None:
        super().__init__(id=f"line-{stats.name}", classes="queue-line")
        self.stats = stats
        self.compact = compact
        self.tooltip = stats.name
        self._points: tuple[list[int], list[int]] = ([], [])

    def compose(self) -> ComposeResult:
        yield Label(self._label(), classes="ql-name")
        yield Label(counts_text(self.stats), classes="ql-counts")
        yield Sparkline(_drawn(self._points[0]), classes="ql-done")
        yield Sparkline(_drawn(self._points[1]), classes="ql-failed")

    def _label(self) -> str:
        return label_of(self.stats.name, self.compact, self.stats.paused)

    def on_mount(self) -> None:
        self.set_class(self.stats.failed > 0, "-failing")
        self.set_class(self.stats.paused, "-paused")

    def show(self, stats: QueueStats) -> None:
        was_paused, self.stats = self.stats.paused, stats
        self.query_one(".ql-counts", Label).update(counts_text(stats))
        self.set_class(stats.failed > 0, "-failing")
        self.set_class(stats.paused, "-paused")
        if stats.paused != was_paused:
            self.query_one(".ql-name", Label).update(self._label())

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.query_one(".ql-name", Label).update(self._label())

    def show_history(self, completed: list[int], failed: list[int]) -> None:
        """Per-minute points, oldest first (kept until composed if not yet)."""
        self._points = (completed, failed)
        self.tooltip = (
            f"{self.stats.name}: {sum(completed):,} completed, {sum(failed):,} failed "
            "in the last hour"
        )
        for spark in self.query(Sparkline):
            points = completed if spark.has_class("ql-done") else failed
            spark.data = _drawn(points)
