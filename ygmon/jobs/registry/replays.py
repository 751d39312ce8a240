"""The links between a job and its replays (a new job of the same task, run with edited
arguments), kept in the registry's store (ygmon.jobs.registry.ops_records) so every
reader, on every host, sees them both ways.

Two records per replay: `replay-of` (new id -> {"of": old id, "at": epoch seconds})
and `replayed-as` (old id -> [new ids, oldest first]). They are not trimmed with the
jobs: a link is a few dozen bytes, and it still names the job after its record ages out.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ygmon.jobs.registry import ops_records

OF_KIND = "replay-of"
AS_KIND = "replayed-as"


class Links(NamedTuple):
    replay_of: str | None
    """The job this one replays, if it is a replay."""
    replayed_as: list[str]
    """The replays of this job, oldest first."""


def link(store: Any, new_id: str, old_id: str, at: float) -> None:
    """Record that `new_id` replays `old_id`."""
    ops_records.put(store, OF_KIND, new_id, {"of": old_id, "at": at})
    # Read, then written whole: two replays of one job in the same instant could keep
    # one of the two in this list (each still names its original through replay-of).
    earlier = ops_records.get(store, AS_KIND, old_id) or []
    ops_records.put(store, AS_KIND, old_id, [*earlier, new_id])


def links_of(store: Any, job_id: str) -> Links:
    of = ops_records.get(store, OF_KIND, job_id)
    return Links(of["of"] if of else None, list(ops_records.get(store, AS_KIND, job_id) or []))
