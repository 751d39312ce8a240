"""The banner over a screen's data: why the last poll failed, when the next try is and
how old the data shown is; the countdown and the age tick each second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.widgets import Static

from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import age


@dataclass(frozen=True)
class Failure:
    reason: Callable[[float], str]
    """The failure's text given the seconds until the next try (ygmon.tui.error_text)."""
    retry_at: datetime
    last_good_at: datetime | None
    clock: Callable[[], datetime]


class StatusBanner(Static):
    """Hidden while polls succeed; on failure shows the reason and the stale marker."""

    DEFAULT_CSS = """
    StatusBanner { display: none; height: auto; padding: 0 1; }
    StatusBanner.-error { display: block; background: $error-muted; color: $text; }
    """

    _failure: Failure | None = None

    def on_mount(self) -> None:
        tick_each_second(self, self._render_failure)

    def show_failure(self, failure: Failure) -> None:
        self._failure = failure
        self._render_failure()
        self.add_class("-error")

    def _render_failure(self) -> None:
        failure = self._failure
        if failure is None:
            return
        now = failure.clock()
        text = failure.reason(max(0.0, (failure.retry_at - now).total_seconds()))
        if failure.last_good_at is not None:
            text += f"\nSTALE: showing data from {age(failure.last_good_at, now)}"
        else:
            text += "\nNo data yet."
        self.update(text)

    def clear_failure(self) -> None:
        self._failure = None
        self.remove_class("-error")
        self.update("")
