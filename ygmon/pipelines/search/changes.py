"""Change capture: the one call every writer of a searchable row makes after its write.

`index_changed(enqueue, entity, entity_id)` enqueues that entity's
`search-index-update`, collapsing bursts. Two small markers per entity live in the
update queue's collapse markers (ygmon.jobs.collapse, reached through the `enqueue`
given: ygmon.pipelines.producer.markers_of):

- *pending*: set (atomically, only if absent) by the writer that enqueues a job, and
  deleted by that job as it starts, before it reads the row. A writer that finds it
  set enqueues nothing: the pending job has not read the row yet, so it will index
  this write too.
- *started*: when the entity's last update job started. A job enqueued within
  COLLAPSE_WINDOW of it is delayed to the window's end, so a burst of writes while a
  job runs collapses into one more job rather than one per poll of the worker.

So N updates of one entity within a second run at most two jobs, and a lone change
(an idle worker) is indexed at once. A marker left by a job that never started (its
enqueue lost) goes stale and is taken over (ygmon.jobs.collapse.STALE_AFTER).
"""

from __future__ import annotations

from typing import Any

from ygmon.pipelines.producer import Enqueue, Markers, markers_of
from ygmon.pipelines.search.entities import entity

UPDATE_TASK = "search-index-update"
BULK_TASK = "search-index-bulk"
UPDATE_QUEUE = "search-index-update"
COLLAPSE_WINDOW = 1.0
MARKER_PREFIX = "ygmon-search:"


def pending_key(entity_name: str, entity_id: str) -> str:
    return f"{MARKER_PREFIX}pending:{entity_name}:{entity_id}"


def started_key(entity_name: str, entity_id: str) -> str:
    return f"{MARKER_PREFIX}started:{entity_name}:{entity_id}"


def index_changed(enqueue: Enqueue, entity_name: str, entity_id: str, **_: Any) -> str | None:
    """Enqueue the index update of one entity after its write committed; the job id,
    or None when a pending update already covers this write."""
    entity(entity_name)  # ConfigError for a name that is not searchable
    markers = markers_of(enqueue)
    if markers is None:  # a bare callable: no markers to share, no collapse
        return enqueue(UPDATE_TASK, entity=entity_name, entity_id=entity_id)
    now = markers.now()
    started = markers.stamped(UPDATE_QUEUE, started_key(entity_name, entity_id)) or 0.0
    due = max(now, started + COLLAPSE_WINDOW)
    key = pending_key(entity_name, entity_id)
    if markers.hold(UPDATE_QUEUE, key, "", due) is not None:
        return None
    try:
        return enqueue(
            UPDATE_TASK,
            entity=entity_name,
            entity_id=entity_id,
            delay=(due - now) if due - now > 0.01 else None,
        )
    except BaseException:
        markers.release(UPDATE_QUEUE, key)
        raise


def update_starting(markers: Markers, entity_name: str, entity_id: str) -> None:
    """Called by the update job before it reads the row: later writes need a new job."""
    markers.stamp(UPDATE_QUEUE, started_key(entity_name, entity_id))
    markers.release(UPDATE_QUEUE, pending_key(entity_name, entity_id))


def bulk_changed(
    enqueue: Enqueue, entity_name: str, ids: list[str], *, pause: float = 0.0
) -> str | None:
    """Enqueue one bulk index job for many new or changed rows of one type."""
    entity(entity_name)
    if not ids:
        return None
    extra = {"pause": pause} if pause else {}
    return enqueue(BULK_TASK, entity=entity_name, ids=list(ids), **extra)


def prune_markers(markers: Markers) -> int:
    """Drop `started` markers past the collapse window (they only delay a job while
    fresh); the weekly reindex calls this. How many went."""
    return markers.prune(UPDATE_QUEUE, f"{MARKER_PREFIX}started:", markers.now() - COLLAPSE_WINDOW)
