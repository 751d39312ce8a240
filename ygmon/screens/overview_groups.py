"""The Overview's lines per worker group: the group's health line (its mark, the
queues a live worker serves, its worst queue) and the head over its queues' columns."""

from __future__ import annotations

from rich.markup import escape

from ygmon.monitor.schemas import WorkerHealth
from ygmon.tui.health_words import worst_queue


def queues_head(compact: bool) -> str:
    """The dim line over the queues naming their columns (short names when compact)."""
    name = "  " + "queue".ljust(15 if compact else 27)
    counts = f"{'wait':>6} {'act':>4} {'done':>6} {'fail':>5}"
    return f"[dim]{name}{counts}  completed · failed per min, 1h[/dim]"


GROUP_LINE_ROOM = 76
"""Columns a compact group line may take (80 less the margins): beyond, it is cut."""


def group_line(
    group: str, status: WorkerHealth | None, summary: str | None = None, compact: bool = False
) -> str:
    """The group's line, with its worst queue's state; compact (or with `summary`), a
    shorter served count, and the summary after when it fits."""
    if status is None:
        return f"[b]{group}[/b]"
    workers = status.workers or {}
    served = sum(1 for s in workers.values() if s.is_running)
    paused = sum(1 for s in workers.values() if s.paused)
    worst = worst_queue(workers)
    # The worst queue's words name a pause already: the count would say it twice.
    held = f" · {paused} paused" if paused and not (worst and "paused" in worst) else ""
    said = f" · {worst}" if worst else ""
    mark = "ok  " if status.healthy else "DOWN"
    short = compact or summary is not None
    served_words = "served" if short else "queues served by a live worker"
    plain = f"{mark} {group}  {served}/{len(workers)} {served_words}{held}{said}"
    if summary is not None and (not compact or len(plain) + 3 + len(summary) <= GROUP_LINE_ROOM):
        plain += f" · {summary}"
    # Bold the mark and the group's name; the rest is escaped text.
    head = f"{mark} {group}"
    return f"[b]{mark}[/b] [b]{group}[/b]" + escape(plain[len(head) :])
