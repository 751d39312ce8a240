"""Group commit of SQLite enqueues: an enqueue waiting for the queue's lock is written
by whichever transaction of the queue runs next (another enqueue's, a dequeue's), and
returns once that transaction has committed.

Why: on SQLite each commit is a sync of the WAL, and a no-op job's registry write
dirties three more pages than bare Huey's enqueue (its row, its index entry, the
queue's counter); in `bench jobs` the producer's commit was most of a job's cost. While
a worker thread holds the lock, the producer's enqueue now joins the worker's next
transaction, and an enqueue that gets the lock first takes tasks for the worker threads
blocked on it (as a dequeue does, see broker.RegistrySqliteStorage.take).

Safety: an enqueue returns only after the transaction holding it committed; if that
transaction rolls back, its enqueues go back to their callers, which write them in a
transaction of their own (and raise its error, if it fails too).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, eq=False)
class PendingEnqueue:
    """One enqueue waiting to be written: Huey's task row, the registry's write in the
    same transaction, and the schedule entry it moves from (if any)."""

    data: bytes
    priority: float | None
    write: Callable[[Any, dict], None] | None
    """(cursor, the transaction's counter changes): the registry's write."""
    entry: int | None
    done: bool = False


class EnqueueGroup:
    """The enqueues of one queue's storage waiting for its lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[PendingEnqueue] = []

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def add(self, item: PendingEnqueue) -> None:
        with self._lock:
            self._waiting.append(item)

    def claim(self) -> list[PendingEnqueue]:
        """Every enqueue waiting now, for the caller's transaction (under the queue's lock)."""
        with self._lock:
            items, self._waiting = self._waiting, []
        return items

    def give_back(self, items: list[PendingEnqueue]) -> None:
        """After a rollback: their callers write them again themselves, in order."""
        with self._lock:
            self._waiting[:0] = [item for item in items if not item.done]

    def withdraw(self, item: PendingEnqueue) -> None:
        """The caller gives up on `item` (its own transaction failed)."""
        with self._lock:
            if item in self._waiting:
                self._waiting.remove(item)


def write_enqueues(
    curs: Any, queue: str, to_blob: Callable[[bytes], Any], items: list, counts: dict
) -> None:
    """Huey's enqueue of each of `items` (and its registry write) in the transaction
    `curs`; the registry's counter changes may go to `counts`, which the transaction
    writes before it commits (RegistrySqliteStorage.write_counts)."""
    for item in items:
        if item.entry is not None:
            curs.execute("delete from schedule where id = ?", (item.entry,))
            if curs.rowcount != 1:
                continue  # another worker's scheduler moved it already
        curs.execute(
            "insert into task (queue, data, priority) values (?, ?, ?)",
            (queue, to_blob(item.data), item.priority or 0),
        )
        if item.write is not None:
            item.write(curs, counts)
