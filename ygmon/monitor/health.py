"""Worker health per worker group, built from the registry's worker heartbeats.

A queue "is running" when a worker whose heartbeat is fresher than the profile's
stalled_after serves it; a group is healthy when each of its queues is running, and
the whole is healthy only when every group is. A running queue may still report an
error (the e-mail workers while the mail server's circuit breaker is open): it counts
as running, with that error, and its group is unhealthy. A paused queue is paused,
not down: its status says so (`paused`, and an error naming the pause) whether or not
a worker serves it, and it leaves its group healthy, since nothing is broken.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from ygmon.config import LocalProfile
from ygmon.monitor.schemas import AllWorkersHealth, WorkerHealth, WorkerInfo, WorkerStatus
from ygmon.queues import GROUP_NAMES, WORKER_GROUPS

NO_WORKER = "no live worker runs this queue"
PAUSED = "paused: its workers take no new job until it is resumed"


def build_health(
    workers: list[WorkerInfo],
    now: datetime,
    stalled_after: float,
    scheduled_jobs: int,
    queue_errors: Mapping[str, str] | None = None,
    paused: Collection[str] = (),
) -> AllWorkersHealth:
    errors = queue_errors or {}
    live: set[str] = set()
    for w in workers:
        if (now - w.last_heartbeat).total_seconds() <= stalled_after:
            live.update(w.queues)
    groups: dict[str, WorkerHealth] = {}
    for group in GROUP_NAMES:
        statuses = {
            queue: WorkerStatus(is_running=queue in live, error=PAUSED, paused=True)
            if queue in paused
            else WorkerStatus(
                is_running=queue in live, error=errors.get(queue) if queue in live else NO_WORKER
            )
            for queue in WORKER_GROUPS[group]
        }
        healthy = all(s.paused or (s.is_running and s.error is None) for s in statuses.values())
        groups[group] = WorkerHealth(
            healthy=healthy,
            workers=statuses,
            scheduled_jobs=scheduled_jobs if group == "blog" else None,
        )
    return AllWorkersHealth(healthy=all(g.healthy for g in groups.values()), groups=groups)


def mail_errors(profile: LocalProfile) -> dict[str, str]:
    """{"email": error} while the mail server's shared circuit breaker is open."""
    from ygmon.mail.breaker import breaker_error

    error = breaker_error(profile)
    return {} if error is None else {"email": error}
