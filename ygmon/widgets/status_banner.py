"""The banner over a screen's data: why the last poll failed and how old the data shown is."""

from __future__ import annotations

from textual.widgets import Static


class StatusBanner(Static):
    """Hidden while polls succeed; on failure shows the reason and the stale marker."""

    DEFAULT_CSS = """
    StatusBanner { display: none; height: auto; padding: 0 1; }
    StatusBanner.-error { display: block; background: $error-muted; color: $text; }
    """

    def show_failure(self, reason: str, stale_age: str | None) -> None:
        text = reason
        if stale_age is not None:
            text += f"\nSTALE: showing data from {stale_age}"
        else:
            text += "\nNo data yet."
        self.update(text)
        self.add_class("-error")

    def clear_failure(self) -> None:
        self.remove_class("-error")
        self.update("")
