"""Ages that tick: a widget keeps the timestamps it was shown and renders its ages again
each second from them and the app's clock ("beat 3s ago", "retrying in 8s", "showing
data from 8s ago"). A tick reads nothing from the backend, so it costs a re-render of
text, never a request.

A backend's own timestamps (a schedule's next run, read against the backend's clock)
tick from the moment they were read: `BackendTime` adds the time elapsed on the app's
clock since then, so an age stays relative to the backend's clock yet moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.timer import Timer
from textual.widget import Widget

TICK_SECONDS = 1.0


def tick_each_second(widget: Widget, render: Callable[[], None]) -> Timer:
    """Call `render` each second while `widget` is on the screen in front. Started in
    `on_mount`; the timer dies with the widget."""

    def tick() -> None:
        if widget.is_attached and widget.screen.is_current:
            render()

    return widget.set_interval(TICK_SECONDS, tick, name="age-tick")


@dataclass(frozen=True)
class BackendTime:
    """The backend's time `backend_at`, read when the app's clock said `read_at`."""

    backend_at: datetime
    read_at: datetime

    def now(self, app_now: datetime) -> datetime:
        """The backend's time now, as the app's clock has moved since the read."""
        return self.backend_at + (app_now - self.read_at)
