"""The one rule of what a worker's heartbeat says, and of whether a queue can make progress.

A worker beats every HEARTBEAT_INTERVAL. It is *live* while its last beat is recent,
*late* once two beats are missing (a busy or frozen process: it may still come back),
and *gone* once its beat is older than the profile's `worker_gone_after` (default 6 s,
so a SIGKILLed worker's group turns not-healthy within 8 s, its last beat being at most
one interval old when it died). Gone is only what health and the screens say: another
worker takes a dead worker's jobs back after `stalled_after` (30 s), a deliberately
longer wait, since a job run twice costs more than a health line that is red a few
seconds early. A worker whose jobs may be taken back is gone whatever `worker_gone_after`
says.

A queue makes progress when a worker that is not gone serves it and it is not paused.
Paused is its own state: healthy while a live worker waits to resume it, not healthy
when none does (resuming it would not run anything). A queue no live worker serves is
not healthy, paused or not.

Health, the Overview, the Workers panel, the Worker screen, `ygmon status` and the API
all judge by these functions; plain Python, so `ygmon status` can use them in its 50 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ygmon.timestamps import iso, to_utc_ms

HEARTBEAT_INTERVAL = 2.0
"""Seconds between two heartbeats (at most; a third of stalled_after when that is short)."""
LATE_AFTER = 2 * HEARTBEAT_INTERVAL
"""A beat older than this has missed two heartbeats: the worker is late."""
DEFAULT_GONE_AFTER = 6.0
"""The default `worker_gone_after`: three missed heartbeats."""
GONE_LISTED_FOR = 600.0
"""Seconds a gone worker's record stays listed (dimmed, with its last beat) after its
jobs were taken back, so an admin sees what disappeared; then the sweep forgets it."""

LIVE, LATE, GONE = "live", "late", "gone"

NO_WORKER = "no live worker runs this queue"


def liveness(beat_age: float, gone_after: float, stalled_after: float) -> str:
    """LIVE, LATE or GONE for a worker whose last beat is `beat_age` seconds old."""
    if beat_age > min(gone_after, stalled_after):
        return GONE
    return LATE if beat_age > LATE_AFTER else LIVE


def beat_words(state: str, beat_age: float) -> str:
    """How a worker's liveness reads on every screen and in `ygmon status`."""
    seconds = max(0, round(beat_age))
    age = f"{seconds}s" if seconds < 120 else f"{seconds // 60}m"
    if state == LIVE:
        return f"beat {age} ago"
    return f"{state.upper()}, last beat {age} ago"


def paused_words(at: float | None, by: str | None) -> str:
    """ "paused since 14:02:07 UTC, by alice"."""
    since = (
        f" since {datetime.fromtimestamp(at, UTC).strftime('%Y-%m-%d %H:%M:%S')} UTC"
        if at is not None
        else ""
    )
    return f"paused{since}, by {by or 'an operator'}"


def queue_status(
    served_by: Sequence[str],
    pause: tuple[float | None, str | None] | None,
    error: str | None,
) -> dict[str, Any]:
    """One queue's health entry in the contract's JSON shape (with ygmon's extensions),
    given the liveness of each worker serving it, its pause (at, by) and its error."""
    running = any(s != GONE for s in served_by)
    status: dict[str, Any] = {"isRunning": running}
    if pause is not None:
        words = paused_words(*pause)
        status["error"] = words if running else f"{words}; {NO_WORKER}"
        status.update(paused=True, ok=running)
        if pause[0] is not None:
            status["pausedAt"] = iso(to_utc_ms(datetime.fromtimestamp(pause[0], UTC)))
        if pause[1] is not None:
            status["pausedBy"] = pause[1]
    elif not running:
        status.update(error=NO_WORKER, ok=False)
    else:
        status.update(ok=error is None)
        if error is not None:
            status["error"] = error
    if running and all(s != LIVE for s in served_by):
        status["late"] = True
    return status


def health_document(
    groups: Mapping[str, Sequence[str]],
    workers: Iterable[tuple[Sequence[str], str]],
    pauses: Mapping[str, tuple[float | None, str | None]],
    errors: Mapping[str, str],
    scheduled_jobs: int | None,
    scheduled_jobs_error: str | None = None,
) -> dict[str, Any]:
    """GET /api/admin/jobs/health's `data` from (queues, liveness) of each worker."""
    served: dict[str, list[str]] = {}
    for queues, state in workers:
        for queue in queues:
            served.setdefault(queue, []).append(state)
    doc: dict[str, Any] = {}
    for group, queues in groups.items():
        statuses = {
            q: queue_status(served.get(q, []), pauses.get(q), errors.get(q)) for q in queues
        }
        progress = [s.pop("ok") for s in statuses.values()]
        entry: dict[str, Any] = {"healthy": all(progress), "workers": statuses}
        if group == "blog" and scheduled_jobs is not None:
            entry["scheduledJobs"] = scheduled_jobs
        elif group == "blog" and scheduled_jobs_error:
            # A count that could not be read is absent, never 0; this says why. Posts
            # the database cannot count are posts no worker can publish: not healthy.
            entry["scheduledJobsError"] = scheduled_jobs_error
            entry["healthy"] = False
        doc[group] = entry
    return {"healthy": all(g["healthy"] for g in doc.values()), **doc}
