"""What a list shows when it has nothing: what that means and what would fill it."""

from __future__ import annotations

from textual.widgets import Static


class EmptyState(Static):
    DEFAULT_CSS = """
    EmptyState { display: none; height: auto; padding: 1 2; color: $text-muted; }
    EmptyState.-shown { display: block; }
    """

    def set_shown(self, shown: bool) -> None:
        self.set_class(shown, "-shown")
