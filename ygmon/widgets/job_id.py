"""Job ids on screen: cut to the part that tells jobs apart, copied whole.

ygmon's ids are UUIDv7s in 32 hex digits: the first twelve are the millisecond the
job was made, so jobs enqueued together share them; the tail is random. A cut id
therefore shows the tail. The copy key puts the whole id in the clipboard with OSC 52
(Textual's copy_to_clipboard), which terminals honour over SSH too.
"""

from __future__ import annotations

import re

from textual.app import App

SHORT = 12
_UUID7 = re.compile(r"[0-9a-f]{12}7[0-9a-f]{19}")


def short_id(job_id: str) -> str:
    """At most SHORT characters that tell `job_id` from its neighbours."""
    plain = job_id.replace("-", "").lower()
    if _UUID7.fullmatch(plain):
        return "…" + plain[-(SHORT - 1) :]
    if len(job_id) <= SHORT:
        return job_id
    return job_id[: SHORT // 2 - 1] + "…" + job_id[-(SHORT // 2) :]


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
