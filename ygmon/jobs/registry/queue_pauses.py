"""Paused queues, kept in the registry's store (ygmon.jobs.registry.ops_records) so a pause holds
for every worker on every host and across restarts.

A paused queue still takes new jobs (they wait); its workers take none until it is
resumed, and the jobs already running finish. A record is {"at": epoch seconds,
"by": who paused it}.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ygmon.jobs.registry import ops_records
from ygmon.jobs.registry.snapshot import PAUSED_KIND as KIND


class Pause(NamedTuple):
    queue: str
    at: float
    """When it was paused (the store's clock, epoch seconds)."""
    by: str | None


def paused_queues(store: Any) -> dict[str, Pause]:
    """Every paused queue of the store's namespace."""
    return {
        queue: Pause(queue, float(record["at"]), record.get("by"))
        for queue, record in ops_records.read_all(store, KIND).items()
    }


def pause(store: Any, queue: str, at: float, by: str | None) -> Pause:
    """Pause `queue`; pausing a paused queue keeps its first pause (time and author)."""
    ops_records.put(store, KIND, queue, {"at": at, "by": by}, only_new=True)
    return paused_queues(store)[queue]


def resume(store: Any, queue: str) -> bool:
    """Resume `queue`; False when it was not paused."""
    return ops_records.delete(store, KIND, queue)
