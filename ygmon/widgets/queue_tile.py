"""One queue on the overview: its counts and a sparkline of waiting+active jobs over polls."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline

from ygmon.monitor.schemas import QueueStats


def _counts(stats: QueueStats) -> str:
    return f"W{stats.waiting:,} A{stats.active:,} C{stats.completed:,} F{stats.failed:,}"


def _drawn(history: list[float]) -> list[float]:
    # A flat line of zeros would draw as full bars: an idle queue draws nothing.
    return list(history) if any(history) else []


class QueueTile(Vertical):
    def __init__(self, stats: QueueStats) -> None:
        super().__init__(id=f"tile-{stats.name}", classes="queue-tile")
        self.border_title = stats.name
        self._stats = stats
        self._history: list[float] = [float(stats.waiting + stats.active)]

    def compose(self) -> ComposeResult:
        yield Label(_counts(self._stats), classes="tile-counts")
        yield Sparkline(_drawn(self._history), classes="tile-spark")

    def on_mount(self) -> None:
        self.set_class(self._stats.failed > 0, "-failing")

    def show(self, stats: QueueStats) -> None:
        self._stats = stats
        self.query_one(".tile-counts", Label).update(_counts(stats))
        self.set_class(stats.failed > 0, "-failing")
        self._history = [*self._history, float(stats.waiting + stats.active)][-30:]
        self.query_one(Sparkline).data = _drawn(self._history)
