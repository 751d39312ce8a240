"""Moving due tasks from Huey's schedule to its queue without a window to lose them.

Huey's scheduler takes the due tasks off the schedule in one step and enqueues each in
another, so a worker killed in between loses them, and the registry shows them
`delayed` for ever. Here reading the schedule leaves the tasks on it, and each task
leaves it in the same step (Redis script, SQLite transaction) that puts it on the queue
and moves its job to `waiting`. When two workers' schedulers read the same task, the
one whose step still finds it on the schedule enqueues it; the other's step does
nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huey.api import Huey as _Huey
else:
    _Huey = object

log = logging.getLogger("ygmon.jobs")

_handoff = threading.local()
"""Per thread: the schedule entry the storage enqueue under way must take off."""


def take_schedule_entry() -> Any:
    """The schedule entry (SQLite row id, Redis member) the current storage enqueue
    moves, or None for an enqueue from anywhere else."""
    entry = getattr(_handoff, "entry", None)
    _handoff.entry = None
    return entry


class ScheduleHandoff(_Huey):
    """Huey mixin over a storage with `due(ts)` -> [(entry, data)] (the due tasks, left
    on the schedule) and `drop_due(entry)`; its enqueue takes the entry off the
    schedule (take_schedule_entry) or, when it is gone already, does nothing."""

    _schedule_entries: dict[str, Any] | None = None
    """Where on the schedule each task its last read found lies, by task id."""

    def read_schedule(self, timestamp: Any = None) -> list[Any]:
        # Huey.read_schedule: the due tasks stay on the schedule until their enqueue
        # takes them off (in the same step), so a crash between the two loses none.
        if timestamp is None:
            timestamp = self._get_timestamp()
        entries: dict[str, Any] = {}
        tasks = []
        for entry, data in self.storage.due(timestamp):
            try:
                task = self.deserialize_task(data)
            except Exception:
                # As Huey does, drop what cannot be read rather than read it each second.
                log.exception("unreadable task on the schedule, dropped")
                self.storage.drop_due(entry)
                continue
            entries[task.id] = entry
            tasks.append(task)
        self._schedule_entries = entries
        return tasks

    def enqueue(self, task: Any) -> Any:
        # Huey.enqueue: a task read off the schedule carries its entry to the storage.
        entries = self._schedule_entries
        _handoff.entry = entries.pop(getattr(task, "id", None), None) if entries else None
        try:
            return super().enqueue(task)
        finally:
            _handoff.entry = None
