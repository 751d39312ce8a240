"""Toasts that give way: Textual stacks every notification from the footer up, and a
burst of them (a bulk action's results, retries one after another) piled over the
header at 80x24. The app keeps as many as the terminal's height holds below the header,
the newest; an older one goes as a newer one comes."""

from __future__ import annotations

from textual.app import App
from textual.notifications import Notify

ROWS_PER_TOAST = 6
"""A two-line toast: its padding, its title and message, the gap above it."""
ROWS_KEPT = 4
"""The header, the footer and the rack's margins: never a toast's."""


class ToastLimit(App):
    def toasts_fitting(self) -> int:
        return max(1, (self.size.height - ROWS_KEPT) // ROWS_PER_TOAST)

    def on_notify(self, event: Notify) -> None:
        # Textual runs this before App._on_notify adds the new one: room is kept for it.
        # There is no public way to retire a toast early, so the oldest go through the
        # same call their timeout makes.
        older = [n for n in self._notifications if n is not event.notification]
        excess = len(older) - (self.toasts_fitting() - 1)
        for old in older[: max(0, excess)]:
            self._unnotify(old, refresh=False)
        if excess > 0:
            self._refresh_notifications()
