"""The platform's queues (docs/CONTRACT.md#queues), ygmon's `maintenance`, their cron maths.

Each queue carries what the contract states; where it says "not stated" the choice made
here is written beside it. Concurrency is the production figure; the local default
caps it with ygmon.config.LOCAL_MAX_CONCURRENCY (see ygmon.jobs.worker.concurrency_for).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from ygmon.errors import ConfigError


class QueueSpec(NamedTuple):
    # A NamedTuple, not a dataclass: `ygmon status` reads this module and cannot spare
    # the ~20 ms the dataclasses module costs to import.

    name: str
    group: str
    """The worker group of GET /api/admin/jobs/health this queue counts under."""
    concurrency: int
    attempts: int
    backoff_delay: float = 0.0
    """Seconds before the first retry (0: at once)."""
    backoff_exponential: bool = False
    """Double the delay after each failed attempt (Huey's retry_backoff=2)."""
    priority: int = 0
    """Higher runs first (docs/CONTRACT.md#priorities, high to low)."""
    schedules: tuple[tuple[str, str], ...] = ()
    """(schedule name, cron in UTC) of a periodic queue."""
    max_concurrency: int | None = None
    """A ceiling no configuration may lift, across every worker of the deployment (the
    full reindex never runs twice at once): a worker takes a task of the queue only while
    fewer of its jobs are active in the registry, checked in the same atomic step."""

    @property
    def retries(self) -> int:
        return self.attempts - 1

    @property
    def retry_backoff(self) -> float:
        return 2.0 if self.backoff_exponential else 0.0


DIGEST_SCHEDULES: dict[str, str] = {"daily": "0 9 * * *", "weekly": "0 9 * * 1"}
"""The notification digests' schedules (the notification-digest queue's)."""

# Priorities, high to low (docs/CONTRACT.md#priorities): notification delivery, search index
# updates, analytics enrichment, digests, aggregation, full reindex. Queues it does not
# rank sit in between at 0 (e-mail, blog, previews: "low priority" gets -10).
QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("notification-delivery", "notifications", 10, 3, 2, True, priority=60),
    # Digests: concurrency not stated; one at a time so a user never gets two.
    QueueSpec(
        "notification-digest", "notifications", 1, 2, 60, False, 30, tuple(DIGEST_SCHEDULES.items())
    ),
    QueueSpec("analytics-enrichment", "analytics", 5, 3, 5, True, priority=40),
    # "hourly (minute not stated)": minute 0; the daily run follows the hourly one.
    QueueSpec("metrics-aggregation", "analytics", 1, 3, 60, True, 20, (("hourly", "0 * * * *"),)),
    QueueSpec(
        "weekly-metrics-rollup", "analytics", 1, 3, 120, True, 20, (("weekly", "0 4 * * 1"),)
    ),
    QueueSpec(
        "monthly-metrics-rollup", "analytics", 1, 3, 180, True, 20, (("monthly", "0 5 2 * *"),)
    ),
    QueueSpec("search-index-update", "search", 20, 3, 5, True, priority=50),
    # Bulk: backoff not stated; exponential from 5 s like the real-time updates.
    QueueSpec("search-index-bulk", "search", 5, 3, 5, True, priority=45),
    # Reindex: retry delay not stated; 60 s, and never two at once (max_concurrency).
    QueueSpec(
        "search-index-reindex",
        "search",
        1,
        2,
        60,
        priority=10,
        schedules=(("weekly", "0 3 * * 0"),),
        max_concurrency=1,
    ),
    # Previews: attempts not stated; ffmpeg failures are mostly bad input, so 2 tries.
    QueueSpec("asset-preview-generation", "previews", 2, 2, 30, priority=-10),
    # E-mail: not stated; 3 attempts, exponential from 10 s (SMTP hiccups), 5 senders.
    QueueSpec("email", "email", 5, 3, 10, True),
    QueueSpec("blog-scheduled-publishing", "blog", 1, 1, schedules=(("minutely", "* * * * *"),)),
    # ygmon's own: canary probes, retention and stalled-job sweeps. One attempt: a
    # failed canary must show as failed, not be hidden by a retry.
    QueueSpec("maintenance", "maintenance", 2, 1),
)

QUEUE_NAMES: tuple[str, ...] = tuple(q.name for q in QUEUES)
QUEUES_BY_NAME: dict[str, QueueSpec] = {q.name: q for q in QUEUES}

# The bounds of live control (ygmon.jobs.registry.live_controls), checked by every
# backend and by the command line while it parses.
MAX_LIMIT = 1000
"""The most jobs of one queue a live concurrency limit may let run at once: past it a
limit is a typo (a queue's own concurrency is a few dozen at most)."""
MAX_RATE = 60_000
"""The most starts a minute a task's rate limit may allow (a thousand a second)."""

# Worker groups of the health endpoint, in the contract's display order.
GROUP_NAMES: tuple[str, ...] = (
    "email",
    "blog",
    "notifications",
    "search",
    "analytics",
    "previews",
    "maintenance",
)
WORKER_GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(q.name for q in QUEUES if q.group == group) for group in GROUP_NAMES
}


def queue_spec(name: str) -> QueueSpec:
    """The queue `name`, or ConfigError naming the known ones."""
    try:
        return QUEUES_BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown queue '{name}' (queues: {', '.join(QUEUE_NAMES)})") from None


def schedule(queue: str, name: str) -> str:
    """The cron expression of schedule `name` of `queue` (e.g. digest 'daily')."""
    return dict(queue_spec(queue).schedules)[name]


def next_run(schedule_cron: str, after: datetime) -> datetime:
    """The first time strictly after `after` that `schedule_cron` fires, in UTC."""
    # Imported here: `ygmon status` reads this module only for the queue names.
    from cronsim import CronSim

    if after.tzinfo is None:
        after = after.replace(tzinfo=UTC)
    return next(CronSim(schedule_cron, after.astimezone(UTC))).astimezone(UTC)
