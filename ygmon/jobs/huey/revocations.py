"""Huey's revocation checks, folded into the storage steps ygmon already takes.

Before it runs a task, Huey reads the task's two revocation entries (by id, by task
class); after the run it deletes the first. Bare Huey spends a storage round trip on
each, per task: a Redis call, an SQLite transaction. Under ygmon the dequeue step reads
the entries along with the task (the activate script, the dequeue transaction), and the
delete after a successful run goes out with the job's completion. After a failure the
delete is written at once, before Huey may enqueue a retry, which must not find a
revocation placed while the failed attempt ran.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huey.api import Huey as _Huey
    from huey.storage import BaseStorage as _Storage
else:
    _Huey = object
    _Storage = object

_prefetched = threading.local()
"""Per consumer thread: the revocation entries read with the task it dequeued last."""
_running = threading.local()
"""Per consumer thread: the task it runs, and the delete Huey left to ygmon."""


def prefetched(entries: dict[str, bytes | None] | None) -> None:
    """Record the revocation entries (key -> Huey's raw value, None when absent) read
    with the task this thread dequeued; None when there are none to offer."""
    _prefetched.entries = entries


class PrefetchedRevocations(_Storage):
    """Storage mixin: Huey's first look at a task's revocation entries after this
    thread dequeued it is answered from what the dequeue read."""

    def peek_many(self, keys: list[str]) -> dict[str, bytes]:
        # BaseStorage.peek_many: answered from the dequeue's own read when it has one.
        seen = getattr(_prefetched, "entries", None)
        _prefetched.entries = None
        if seen is not None and len(keys) == len(seen) and all(map(seen.__contains__, keys)):
            return {k: v for k, v in seen.items() if v is not None}
        return super().peek_many(keys)


class DeferredRevocationDelete(_Huey):
    """Huey mixin: Huey's delete of a task's revocation entry after its run is left to
    the registry's post-execute hook (take_revoke_delete)."""

    def _execute(self, task: Any, timestamp: Any) -> Any:
        # Huey._execute: the revocation delete it does after a run is left to the
        # registry's post-execute hook, which writes it with the job's completion.
        _running.task = task
        _running.revoke_delete = None
        try:
            return super()._execute(task, timestamp)
        finally:
            _running.task = None
            key = take_revoke_delete()
            if key is not None:  # nobody took it along: delete it as Huey would
                self.storage.delete_data(key)

    def delete(self, key: str) -> bool:
        # Huey.delete: see _execute.
        task = getattr(_running, "task", None)
        # Only Huey's own delete once the task left flight; a task restoring itself
        # from inside its body still deletes right away.
        if task is not None and key == task.revoke_id and task not in self._tasks_in_flight:
            _running.revoke_delete = key
            return True
        return super().delete(key)


def take_revoke_delete() -> str | None:
    """The revocation entry of the task this thread just ran, whose delete Huey left to
    ygmon; the caller deletes it, now or with the job's completion."""
    key = getattr(_running, "revoke_delete", None)
    _running.revoke_delete = None
    return key
