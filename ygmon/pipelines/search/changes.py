"""Change capture: the one call every writer of a searchable row makes after its write.

`index_changed(enqueue, entity, entity_id)` enqueues that entity's
`search-index-update`, collapsing bursts. Two small markers per entity live in the
update queue's Huey key-value store (the broker's, so every producer and worker of a
deployment shares them, on SQLite and Redis alike; `put_if_empty` is atomic on both):

- *pending*: set (atomically, only if absent) by the writer that enqueues a job, and
  deleted by that job as it starts, before it reads the row. A writer that finds it
  set enqueues nothing: the pending job has not read the row yet, so it will index
  this write too.
- *started*: when the entity's last update job started. A job enqueued within
  COLLAPSE_WINDOW of it is delayed to the window's end, so a burst of writes while a
  job runs collapses into one more job rather than one per poll of the worker.

So N updates of one entity within a second run at most two jobs, and a lone change
(an idle worker) is indexed at once. A marker left by a job that never started (its
enqueue lost) is taken over after STALE_AFTER seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ygmon.pipelines.search.entities import entity

if TYPE_CHECKING:
    from huey.api import Huey

    from ygmon.jobs.runtime import JobRuntime

Enqueue = Callable[..., str]
"""JobRuntime.enqueue or JobContext.enqueue."""

UPDATE_TASK = "search-index-update"
BULK_TASK = "search-index-bulk"
UPDATE_QUEUE = "search-index-update"
COLLAPSE_WINDOW = 1.0
STALE_AFTER = 300.0
MARKER_PREFIX = "ygmon-search:"


def pending_key(entity_name: str, entity_id: str) -> str:
    return f"{MARKER_PREFIX}pending:{entity_name}:{entity_id}"


def started_key(entity_name: str, entity_id: str) -> str:
    return f"{MARKER_PREFIX}started:{entity_name}:{entity_id}"


def runtime_of(enqueue: Enqueue) -> JobRuntime | None:
    """The runtime behind a bound JobRuntime.enqueue or JobContext.enqueue."""
    owner = getattr(enqueue, "__self__", None)
    owner = getattr(owner, "runtime", owner)
    return owner if hasattr(owner, "hueys") else None


def markers(runtime: JobRuntime) -> Huey:
    return runtime.hueys[UPDATE_QUEUE]


def index_changed(enqueue: Enqueue, entity_name: str, entity_id: str, **_: Any) -> str | None:
    """Enqueue the index update of one entity after its write committed; the job id,
    or None when a pending update already covers this write."""
    entity(entity_name)  # ConfigError for a name that is not searchable
    runtime = runtime_of(enqueue)
    if runtime is None:  # a bare callable: no markers to share, no collapse
        return enqueue(UPDATE_TASK, entity=entity_name, entity_id=entity_id)
    huey = markers(runtime)
    now = time.time()
    started = huey.get(started_key(entity_name, entity_id), peek=True) or 0.0
    due = max(now, float(started) + COLLAPSE_WINDOW)
    key = pending_key(entity_name, entity_id)
    if not huey.put_if_empty(key, due):
        held = huey.get(key, peek=True)
        if held is not None and float(held) + STALE_AFTER > now:
            return None
        huey.put(key, due)
    try:
        return enqueue(
            UPDATE_TASK,
            entity=entity_name,
            entity_id=entity_id,
            delay=(due - now) if due - now > 0.01 else None,
        )
    except BaseException:
        huey.delete(key)
        raise


def update_starting(runtime: JobRuntime, entity_name: str, entity_id: str) -> None:
    """Called by the update job before it reads the row: later writes need a new job."""
    huey = markers(runtime)
    huey.put(started_key(entity_name, entity_id), time.time())
    huey.delete(pending_key(entity_name, entity_id))


def bulk_changed(
    enqueue: Enqueue, entity_name: str, ids: list[str], *, pause: float = 0.0
) -> str | None:
    """Enqueue one bulk index job for many new or changed rows of one type."""
    entity(entity_name)
    if not ids:
        return None
    extra = {"pause": pause} if pause else {}
    return enqueue(BULK_TASK, entity=entity_name, ids=list(ids), **extra)


def prune_markers(runtime: JobRuntime) -> int:
    """Drop `started` markers past the collapse window (they only delay a job while
    fresh); the weekly reindex calls this. How many went."""
    storage = markers(runtime).storage
    cutoff = time.time() - COLLAPSE_WINDOW
    serializer = markers(runtime).serializer
    gone = 0
    for key, raw in list(storage.result_items().items()):
        name = key.decode() if isinstance(key, bytes) else key
        if not name.startswith(f"{MARKER_PREFIX}started:"):
            continue
        try:
            stale = float(serializer.deserialize(raw)) < cutoff
        except Exception:
            stale = True
        if stale and storage.delete_data(key):
            gone += 1
    return gone
