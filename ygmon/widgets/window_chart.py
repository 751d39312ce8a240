"""The chart under a Metrics table: a title, one labelled sparkline a series over the
window, and the axis from the window's start to now. Metrics' runs and failures and its
latency view's depth and throughput are drawn by the same layout."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Sparkline

from ygmon.job_history import HistoryWindow
from ygmon.widgets.empty_state import EmptyState


def compose_window_chart(prefix: str, series: list[tuple[str, str]]) -> ComposeResult:
    """`#{prefix}-chart` with `#{prefix}-chart-title`, a row `#{prefix}-{key}-row` per
    (key, label) of `series` holding `#{prefix}-{key}`, and the axis
    `#{prefix}-axis` whose start label `#{prefix}-axis-start` the screen sets."""
    with Vertical(id=f"{prefix}-chart"):
        yield Label("", id=f"{prefix}-chart-title")
        for key, label in series:
            with Horizontal(classes="chart-row", id=f"{prefix}-{key}-row"):
                yield Label(label, classes="chart-label", id=f"{prefix}-{key}-label")
                yield Sparkline([], id=f"{prefix}-{key}")
        with Horizontal(classes="chart-axis", id=f"{prefix}-axis"):
            yield Label("", classes="axis-start", id=f"{prefix}-axis-start")
            yield Label("now")


def show_window(
    view: Widget, prefix: str, window: HistoryWindow, nothing: str, empty: bool
) -> None:
    """Tell `view`'s chart and empty state the window of a new answer: the axis starts
    `window` ago, and the empty state, shown when the answer is `empty`, says `nothing`
    (a template of `{window}`)."""
    view.query_one(f"#{prefix}-axis-start", Label).update(f"{window.value} ago")
    state = view.query_one(EmptyState)
    state.update(nothing.format(window=window.value))
    state.set_shown(empty)
