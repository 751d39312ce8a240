"""What the Queues screen says of the live controls (ygmon.monitor.live_control_schemas):
the Active cell of a limited queue, and one line per limit, paused task and rate with
what it holds back. Pure functions of the monitor's answers, tested without a terminal.

A queue's ceiling is its limit across the deployment, or its limit per host times the
hosts whose workers (live or late, not gone) serve the queue. It holds jobs back while
its active jobs have reached the ceiling and jobs wait.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ygmon.monitor.live_control_schemas import LimitState, LiveControls, TaskControl
from ygmon.monitor.schemas import QueueStats, WorkerInfo
from ygmon.tui.formatting import age, count


def hosts_serving(workers: list[WorkerInfo]) -> dict[str, int]:
    """Each queue's hosts with a worker that is not gone serving it."""
    hosts: dict[str, set[str]] = defaultdict(set)
    for worker in workers:
        if worker.liveness != "gone":
            for queue in worker.queues:
                hosts[queue].add(worker.host)
    return {queue: len(found) for queue, found in hosts.items()}


def ceiling(limit: LimitState, hosts: int) -> int | None:
    """The most of the queue's jobs the limit lets run now (None: no host serves a
    per-host limit, or no limit)."""
    if limit.limit is None:
        return None
    if limit.scope == "host":
        return limit.limit * hosts if hosts else None
    return limit.limit


def held_back(stats: QueueStats, most: int | None) -> int:
    """The waiting jobs the limit holds back: all of them once active reached `most`."""
    return stats.waiting if most is not None and stats.active >= most else 0


def active_cell(stats: QueueStats, limit: LimitState | None, hosts: int) -> str:
    """'3', or '2/4' (active of the ceiling) for a limited queue ('2/4h' per host while
    no host serves it)."""
    if limit is None or limit.limit is None:
        return count(stats.active)
    most = ceiling(limit, hosts)
    return f"{count(stats.active)}/{limit.limit}h" if most is None else f"{stats.active}/{most}"


def limit_line(limit: LimitState, stats: QueueStats | None, hosts: int) -> str:
    plural = "" if hosts == 1 else "s"
    scope = "across hosts" if limit.scope == "deployment" else f"per host ({hosts} host{plural})"
    line = f"limit   {limit.queue} ≤ {limit.limit} active {scope}"
    if stats is None:
        return line
    line = f"{line}: {count(stats.active)} active"
    held = held_back(stats, ceiling(limit, hosts))
    return f"{line}, {count(held)} waiting held back" if held else line


def paused_line(task: TaskControl, now: datetime) -> str:
    by = f" by {task.paused_by}" if task.paused_by else ""
    line = f"paused  {task.task} ({task.queue}) {age(task.paused_at, now)}{by}"
    if task.waiting is None:
        return line
    waiting = count(task.waiting) if task.waiting_exact else f"≥{count(task.waiting)}"
    return f"{line}: {waiting} waiting"


def rate_line(task: TaskControl) -> str:
    line = f"rate    {task.task} ≤ {task.per_minute}/min"
    if task.last_minute is None:
        return line
    return f"{line}: {count(task.last_minute)} started in the last minute"


def control_lines(
    controls: LiveControls,
    stats: dict[str, QueueStats],
    hosts: dict[str, int],
    now: datetime,
) -> list[str]:
    """One line per limit, then per paused task, then per rate."""
    lines = [
        limit_line(lim, stats.get(lim.queue), hosts.get(lim.queue, 0)) for lim in controls.limits
    ]
    lines += [paused_line(t, now) for t in controls.tasks if t.paused]
    lines += [rate_line(t) for t in controls.tasks if t.per_minute is not None]
    return lines
