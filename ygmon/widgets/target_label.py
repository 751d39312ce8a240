"""The header's backend target, shortened to the room it has rather than dropped.

A target reads "local: sqlite+aiosqlite:///./ygmon.db" or "remote: http://host:8000"
(ygmon.profile_targets.target_of). At 80 columns, beside the profile, the link label
and the refresh state, the whole of it rarely fits: the label then shows the longest of
its shorter forms that does (the database file name or the host, with the kind, then
without), and cuts the last with an ellipsis, so the header always says where it looks.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Label


def _where(address: str) -> list[str]:
    """Shorter names for a URL: host and port with its path's last part, then the host
    (a database file's folder and name when it has no host, then its name)."""
    try:
        parts = urlsplit(address)
        host, port = parts.hostname, parts.port
    except ValueError:
        return []
    path = [part for part in parts.path.split("/") if part not in ("", ".")]
    last = path[-1] if path else ""
    if not host:
        # A database file: its folder and name, then its name (two profiles' files
        # often share a name, rarely a folder too).
        return ["/".join(path[-2:]), last] if last else []
    at = f"{host}:{port}" if port else host
    return [f"{at}/{last}", at, host] if last else [at, host]


def target_forms(target: str) -> list[str]:
    """`target` and its shorter forms in the order the header tries them: the kind with
    ever shorter names of where it points, then those names alone."""
    kind, sep, address = target.partition(": ")
    forms = [target]
    if sep:
        names = _where(address)
        forms += [f"{kind}: {name}" for name in names] + names
    return list(dict.fromkeys(forms))


def fitted_target(target: str, width: int) -> str:
    """The first form of `target` within `width` cells, else the last cut with "…"."""
    forms = target_forms(target)
    for form in forms:
        if cell_len(form) <= width:
            return form
    shortest = forms[-1]
    return shortest[: max(0, width - 1)] + "…" if width > 1 else ""


class TargetLabel(Label):
    """A Label holding the whole target, showing the form that fits its width (1fr)."""

    _target = ""

    def show_target(self, target: str) -> None:
        self._target = target
        self.tooltip = target or None
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_region.width if self.size.width else len(self._target)
        self.update(Text(fitted_target(self._target, width), no_wrap=True))
