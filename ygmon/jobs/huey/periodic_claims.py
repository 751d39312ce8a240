"""One periodic run per scheduled minute, however many workers run the schedule, on
the store's clock rather than each host's.

Huey enqueues every periodic task that is due in the minute its own clock reads, in
every consumer that runs the schedule: two workers would run each schedule twice, and
a worker whose clock is an hour fast would run the 10:00 job at 09:00. Here Huey's
timestamps come from the registry's store clock (ygmon.jobs.registry.clock) and each due
task first claims its (task, minute) slot in the store: the first claim wins, the
others' enqueue nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from huey.consumer import Scheduler

if TYPE_CHECKING:
    from huey.api import Huey as _Huey
else:
    _Huey = object

CLAIM_TTL = 6 * 3600.0
"""Seconds a slot stays claimed: far longer than any two schedulers' disagreement."""

CHECK_SECONDS = 10
"""How often the schedule is read. Huey reads it once a minute, so a run may start up to
a minute late; with claims a more frequent read cannot run a slot twice."""


class PeriodicHooks(Protocol):
    """What the runtime lends (ygmon.jobs.huey.broker.QueueHooks)."""

    claim: Callable[[str, float], bool] | None
    store_now: Callable[[], float] | None
    on_periodic: Callable[[Any, float], None] | None
    """(task, slot as epoch seconds): a slot this scheduler won (ygmon.jobs.schedule_runs)."""


class ClaimedPeriodic(_Huey):
    """Huey mixin over the runtime's `hooks`: the store's clock, and a claim per slot."""

    hooks: PeriodicHooks

    def _get_timestamp(self) -> datetime:
        # Huey._get_timestamp: the store's clock instead of this host's.
        store_now = self.hooks.store_now
        if store_now is None:
            return super()._get_timestamp()
        # Huey runs with utc=True: naive datetimes in UTC.
        return datetime.fromtimestamp(store_now(), UTC).replace(tzinfo=None)

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        # Huey.read_periodic: only the due tasks whose slot this scheduler claimed first.
        if timestamp is None:
            timestamp = self._get_timestamp()
        due = super().read_periodic(timestamp)
        claim, on_periodic = self.hooks.claim, self.hooks.on_periodic
        if claim is None:
            return due
        slot = timestamp.strftime("%Y-%m-%dT%H:%M")
        won = [task for task in due if claim(f"periodic:{task.name}:{slot}", CLAIM_TTL)]
        if won and on_periodic is not None:
            at = timestamp.replace(second=0, microsecond=0, tzinfo=UTC).timestamp()
            for task in won:
                on_periodic(task, at)
        return won


class FrequentScheduler(Scheduler):
    """Huey's scheduler, reading the periodic schedule every CHECK_SECONDS."""

    periodic_task_seconds = CHECK_SECONDS
