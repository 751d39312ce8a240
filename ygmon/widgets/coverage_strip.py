"""The coverage strip of the Logs screen: a cell per day of the last 30, coloured by
what the daily rollup of that day did (aggregated, partial, stale, failed, running,
missing), with a legend. Left/Right move along it; Enter asks for that day's runs."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ygmon.monitor.coverage_schemas import CoveragePeriod, CoverageState

# A glyph as well as a colour, so a state reads without colour too.
CELLS = {
    CoverageState.AGGREGATED: ("█", "green"),
    CoverageState.PARTIAL: ("▓", "yellow"),
    CoverageState.STALE: ("▒", "cyan"),
    CoverageState.FAILED: ("✕", "bold red"),
    CoverageState.RUNNING: ("◌", "magenta"),
    CoverageState.MISSING: ("·", "bright_black"),
}
LEGEND = (
    (CoverageState.AGGREGATED, "ok"),
    (CoverageState.PARTIAL, "partial"),
    (CoverageState.STALE, "stale"),
    (CoverageState.FAILED, "failed"),
    (CoverageState.MISSING, "missing"),
)


class CoverageStrip(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1)", "Earlier day", show=False),
        Binding("right", "move(1)", "Later day", show=False),
        Binding("enter", "choose", "Filter to day", show=False),
    ]

    cursor: reactive[int] = reactive(-1)

    class Chosen(Message):
        """Enter on a cell: show the runs of this day."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.periods: list[CoveragePeriod] = []

    def show(self, periods: list[CoveragePeriod]) -> None:
        self.periods = periods
        if self.cursor < 0 or self.cursor >= len(periods):
            self.cursor = len(periods) - 1
        self.refresh()

    def render(self) -> Text:
        line = Text("daily ")
        for i, period in enumerate(self.periods):
            glyph, style = CELLS[period.state]
            if i == self.cursor and self.has_focus:
                style += " reverse"
            line.append(glyph, style)
        if self.periods:
            chosen = self.periods[max(self.cursor, 0)]
            line.append(f" {chosen.period_start_date:%m-%d} {chosen.state.value}")
        legend = Text("      ")
        for state, name in LEGEND:
            glyph, style = CELLS[state]
            legend.append(glyph, style)
            legend.append(f" {name}  ", "dim")
        legend.append("←/→ Enter: that day", "dim")
        return line + Text("\n") + legend

    def action_move(self, step: int) -> None:
        if self.periods:
            self.cursor = min(max(0, self.cursor + step), len(self.periods) - 1)

    def action_choose(self) -> None:
        if self.periods and self.cursor >= 0:
            self.post_message(self.Chosen(self.periods[self.cursor].period_start_date))

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
