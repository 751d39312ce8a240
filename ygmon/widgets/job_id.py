"""Job ids on screen: whole where they fit, else cut to the part that tells jobs apart;
copied whole.

ygmon's ids are UUIDv7s in 32 hex digits: the first twelve are the millisecond the
job was made, so jobs enqueued together share them; the tail is random. A cut id
therefore shows its tail, and every id is cut that one way (an id of another form too),
so a column never mixes two styles. The copy key puts the whole id in the clipboard with
OSC 52 (Textual's copy_to_clipboard), which terminals honour over SSH too.
"""

from __future__ import annotations

from textual.app import App

SHORT = 12
"""Cells of a cut id: an ellipsis and the last eleven characters."""


def cut_id(job_id: str, width: int = SHORT) -> str:
    """`job_id` whole if it fits `width` cells, else "…" and its tail."""
    if len(job_id) <= width:
        return job_id
    return "…" + job_id[-(max(width, 2) - 1) :]


def short_id(job_id: str) -> str:
    """At most SHORT characters that tell `job_id` from its neighbours."""
    return cut_id(job_id, SHORT)


def confirm_code(job_id: str) -> str:
    """What an operator types to confirm an action on one job: the tail its short id
    shows (a UUIDv7's last eleven hex digits), or the whole of a short id."""
    short = short_id(job_id)
    if short.startswith("…"):
        return short[1:]
    return job_id if len(job_id) <= SHORT else job_id[-(SHORT - 1) :]


def copy_id(app: App, job_id: str | None) -> None:
    """The whole id to the clipboard, and a word saying so."""
    if not job_id:
        app.notify("No job is selected.", severity="warning")
        return
    app.copy_to_clipboard(job_id)
    app.notify(f"Copied job id {job_id}", title="Clipboard")
