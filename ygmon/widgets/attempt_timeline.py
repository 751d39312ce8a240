"""A job's attempts as a timeline: one bar per attempt on a shared time axis, its queue
wait (from due to start) drawn light and its run (start to end) solid, to scale, with
the outcome, the two durations, the worker and the error beside and under it."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ygmon.job_models import Attempt

OUTCOME_STYLE = {
    "completed": "green",
    "failed": "red",
    "retried": "yellow",
    "stalled": "magenta",
    "interrupted": "magenta",
    "cancelled": "grey50",
}
_LABEL = 35
"""Columns right of the bar: outcome and durations."""


def _span(attempts: list[Attempt]) -> tuple[float, float]:
    times = [
        t.timestamp()
        for a in attempts
        for t in (a.due_at, a.started_at, a.finished_at)
        if t is not None
    ]
    return (min(times), max(times)) if times else (0.0, 0.0)


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 10:
        return f"{value:.2f}s"
    if value < 600:
        return f"{value:.0f}s"
    return f"{value / 60:.0f}m"


def timeline(attempts: list[Attempt], width: int) -> Text:
    """The timeline in `width` columns (two lines per attempt)."""
    text = Text()
    if not attempts:
        text.append("no finished attempt yet", style="dim")
        return text
    bar = max(10, width - _LABEL - 3)
    first, last = _span(attempts)
    scale = bar / (last - first) if last > first else 0.0

    def col(value: float | None) -> int | None:
        return None if value is None else min(bar, round((value - first) * scale))

    for i, a in enumerate(attempts, 1):
        due = col(a.due_at.timestamp() if a.due_at else None)
        start = col(a.started_at.timestamp() if a.started_at else None)
        end = col(a.finished_at.timestamp() if a.finished_at else None)
        start = start if start is not None else due
        due = due if due is not None else start
        style = OUTCOME_STYLE.get(a.outcome, "white")
        cells = [" "] * bar
        styles = [""] * bar
        if due is not None and start is not None:
            for c in range(due, max(due, start)):
                cells[min(c, bar - 1)], styles[min(c, bar - 1)] = "░", "grey50"
        if start is not None:
            stop = max(start + 1, end if end is not None else start + 1)
            for c in range(start, min(stop, bar)):
                cells[c], styles[c] = "█", style
        text.append(f"{a.number or i:>2} ")
        for cell, cell_style in zip(cells, styles, strict=True):
            text.append(cell, style=cell_style or None)
        label = (
            f" {a.outcome:<11} wait {_seconds(a.wait_seconds):>6} run {_seconds(a.run_seconds):>6}"
        )
        text.append(label[:_LABEL], style=style)
        where = f"{a.host} pid {a.pid}" if a.host and a.pid is not None else (a.worker_id or "-")
        under = f"   {where}" + (f"  {a.error}" if a.error else "")
        text.append("\n" + (under if len(under) <= width else under[: width - 1] + "…"))
        if i < len(attempts):
            text.append("\n")
    return text


class AttemptTimeline(Widget):
    """The timeline of the attempts given to `show`, redrawn to the widget's width."""

    DEFAULT_CSS = """
    AttemptTimeline { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._attempts: list[Attempt] = []

    def show(self, attempts: list[Attempt]) -> None:
        self._attempts = list(attempts)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, _viewport: Size, width: int) -> int:
        return max(1, 2 * len(self._attempts))

    def render(self) -> Text:
        return timeline(self._attempts, self.size.width)
