"""Which alerts just started firing, and the desktop notification that says so.

The app checks the profile's alert rules every ALERT_EVERY seconds (and whenever the
Alerts screen polls); an alert that was quiet (or unseen) and now fires rings the
terminal bell and sends an OSC 9 notification (`ESC ] 9 ; text BEL`, shown by iTerm2,
kitty, WezTerm, Windows Terminal and others; the rest ignore it).
"""

from __future__ import annotations

import re

from ygmon.monitor.queue_control_schemas import AlertState

ALERT_EVERY = 30.0
"""Seconds between two checks of the rules in the background (each check is a few
reads; a remote API allows 100 requests a minute)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def osc9(text: str) -> str:
    """The OSC 9 sequence for `text`, with control characters (which could end or
    extend the sequence) taken out."""
    return f"\x1b]9;{_CONTROL.sub(' ', text)[:200]}\x07"


class AlertWatch:
    """Remembers which alerts fired at the last check."""

    def __init__(self) -> None:
        self.firing: list[AlertState] = []
        self._keys: set[str] = set()

    def update(self, states: list[AlertState]) -> list[AlertState]:
        """Take a check's states; returns the alerts that started firing with it."""
        firing = [s for s in states if s.firing]
        started = [s for s in firing if s.key not in self._keys]
        self.firing = firing
        self._keys = {s.key for s in firing}
        return started


def notification_text(started: list[AlertState]) -> str:
    first = started[0]
    more = f" (+{len(started) - 1} more)" if len(started) > 1 else ""
    return f"ygmon alert: {first.kind.replace('_', ' ')} {first.subject}: {first.message}{more}"
