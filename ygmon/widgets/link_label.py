"""The header's word on the link to a remote server: "live" with the age of the last
event, "polling every N s", or "link down"; empty when each call asks its endpoint (a
local profile, a one-shot command) or while it connects.

The monitor's `link()` (ygmon.monitor.remote_live.LinkState) is read by duck type, so
this widget needs no import of the remote monitor.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Label


def link_text(link: Any) -> str:
    """The label's text for a LinkState (or None)."""
    mode = getattr(link, "mode", None)
    if mode == "live":
        age = link.last_event_age
        return "live" if age is None or age < 1 else f"live {age:.0f}s"
    if mode == "polling":
        return f"polling every {link.interval:g}s"
    if mode == "down":
        return "link down"
    return ""


class LinkLabel(Label):
    def show_link(self, link: Any) -> None:
        text = link_text(link)
        self.update(text)
        self.set_class(bool(text), "-shown")
        self.set_class(text == "link down", "-down")
