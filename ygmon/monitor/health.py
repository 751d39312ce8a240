"""Worker health per worker group, built from the registry's worker heartbeats by the
one rule of ygmon.liveness: a queue is running while a worker that is not gone serves
it, healthy while it can make progress (running, not failing; paused with a live worker
waiting to resume it), and a group is healthy when each of its queues is. A running
queue may still report an error (the e-mail workers while the mail server's circuit
breaker is open): it counts as running, with that error, and its group is unhealthy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ygmon.config import LocalProfile
from ygmon.jobs.registry.queue_pauses import Pause
from ygmon.liveness import health_document, liveness
from ygmon.monitor.schemas import AllWorkersHealth, WorkerInfo
from ygmon.queues import WORKER_GROUPS


def judged(workers: list[WorkerInfo], now: datetime, profile: LocalProfile) -> list[WorkerInfo]:
    """The workers with their liveness at `now` (the store's clock)."""
    return [
        w.model_copy(
            update={
                "liveness": liveness(
                    (now - w.last_heartbeat).total_seconds(),
                    profile.worker_gone_after,
                    profile.stalled_after,
                )
            }
        )
        for w in workers
    ]


def build_health(
    workers: list[WorkerInfo],
    scheduled_jobs: int | None,
    queue_errors: Mapping[str, str] | None = None,
    paused: Mapping[str, Pause] | None = None,
    scheduled_jobs_error: str | None = None,
) -> AllWorkersHealth:
    """Health of judged workers (see `judged`), the queues' pauses and errors."""
    doc = health_document(
        WORKER_GROUPS,
        [(w.queues, w.liveness) for w in workers],
        {q: (p.at, p.by) for q, p in (paused or {}).items()},
        queue_errors or {},
        scheduled_jobs,
        scheduled_jobs_error,
    )
    return AllWorkersHealth.model_validate(doc)


def mail_errors(profile: LocalProfile) -> dict[str, str]:
    """{"email": error} while the mail server's shared circuit breaker is open."""
    if profile.mail_backend != "smtp":
        # Only SMTP has a breaker; its module brings pybreaker, which imports redis
        # (tens of ms of every local app's first health read).
        return {}
    from ygmon.mail.breaker import breaker_error

    error = breaker_error(profile)
    return {} if error is None else {"email": error}
