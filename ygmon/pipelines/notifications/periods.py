"""The period a digest run belongs to: its schedule's fire time at or before the run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cronsim import CronSim

from ygmon.queues import DIGEST_SCHEDULES


def period_start(kind: str, now: datetime) -> datetime:
    """The fire time of schedule `kind` ('daily'/'weekly') at or before `now`."""
    # A second's slack: a run fired at 09:00:00 exactly belongs to that 09:00.
    after = now.astimezone(UTC) + timedelta(seconds=1)
    return next(CronSim(DIGEST_SCHEDULES[kind], after, reverse=True)).astimezone(UTC)
