"""The Overview's summary line when compact (below 100x30): the schedule and workers
panels give way there, so the one line carries their gist, the workers (how many live,
the latest beat) and the soonest next run, cut to the terminal's width so none of it
falls off the edge."""

from __future__ import annotations

from datetime import datetime

from rich.markup import escape
from rich.text import Text

from ygmon.liveness import GONE
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.monitor.schemas import WorkerInfo
from ygmon.tui.formatting import age

MARGINS = 4
"""The Overview's padding and the summary's own: what the line may not use."""


def workers_gist(workers: list[WorkerInfo], now: datetime, beat: bool = True) -> str:
    """'2 live workers, beat 1s ago' (the freshest beat; without it when `beat` is
    False); 'no live worker'."""
    live = [w for w in workers if w.liveness != GONE]
    if not live:
        return "no live worker"
    text = f"{len(live)} live worker{'' if len(live) == 1 else 's'}"
    if beat:
        text += f", beat {age(max(w.last_heartbeat for w in live), now)}"
    return text


def short_name(name: str) -> str:
    """A schedule's name in two words when it has more: its first and last
    ("publish-scheduled-posts" -> "publish posts"), with a space, so it reads as a
    gist and is not taken for a task name to type."""
    words = name.split("-")
    return name if len(words) <= 2 else f"{words[0]} {words[-1]}"


def compact_summary(
    health: str,
    workers: list[WorkerInfo],
    schedules: list[ScheduleInfo],
    now: datetime,
    schedule_now: datetime,
    width: int,
) -> str:
    """`health` (markup), the workers' gist and the soonest next run, in `width` less
    the margins. What gives way first: the schedule's full name for its short form,
    then the beat, and only then is the short form cut."""
    room = width - MARGINS
    soonest = min(schedules, key=lambda s: (s.next_run_at, s.name)) if schedules else None
    text = health
    for beat in (True, False):
        text = f"{health} · {escape(workers_gist(workers, now, beat))}"
        if soonest is None:
            if Text.from_markup(text).cell_len <= room:
                break
            continue
        when = age(soonest.next_run_at, schedule_now)
        left = room - Text.from_markup(text).cell_len - len(f" · next  {when}")
        name = next((n for n in (soonest.name, short_name(soonest.name)) if len(n) <= left), None)
        if name is None:
            if beat:
                continue  # drop the beat rather than cut the next run's name
            name = short_name(soonest.name)
            name = name[: max(4, left) - 1] + "…"
        return f"{text} · next {escape(name)} {when}"
    return text
