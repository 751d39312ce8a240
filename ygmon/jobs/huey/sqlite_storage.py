"""Huey's SQLite storage whose enqueue and dequeue also write the job registry, in the
same transaction (the registry's tables live in the same file), with group commit of
enqueues and dequeues across the threads of a process."""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huey.storage import SqliteStorage

from ygmon.jobs.huey.enqueue_group import EnqueueGroup, PendingEnqueue, write_enqueues
from ygmon.jobs.huey.pending import Unreadable, take_pending
from ygmon.jobs.huey.revocations import PrefetchedRevocations
from ygmon.jobs.huey.schedule_handoff import take_schedule_entry
from ygmon.jobs.huey.sqlite_take import SqliteTakeControl

_Taken = tuple[bytes, Any, dict[str, bytes | None] | None]
"""An SQLite dequeue: the task's bytes, the task decoded, its revocation entries."""
Counts = dict[tuple[str, str], int]
"""The registry's counter changes of one transaction, per (queue, state)."""


@functools.cache
def _kv_read(n: int) -> str:
    """The read of a task's `n` revocation entries, built once (it runs every dequeue)."""
    return f"select key, value from kv where queue = ? and key in ({', '.join('?' * n)})"


@dataclass(frozen=True)
class SqliteHooks:
    """The registry's writes inside a dequeue's transaction (ygmon.jobs.huey.signals);
    see RegistrySqliteStorage's attributes of the same names."""

    on_unreadable: Unreadable
    on_dequeue: Callable[[Any, Any, Counts], None]
    before_commit: Callable[[Any], Callable[[], None] | None]
    control: SqliteTakeControl | None
    write_counts: Callable[[Any, Counts], None]


class RegistrySqliteStorage(PrefetchedRevocations, SqliteStorage):
    """Huey's SQLite storage whose enqueue and dequeue also write the job registry,
    in the same transaction (the registry's tables live in the same file)."""

    decode: Callable[[bytes], Any] | None = None
    """Huey's deserialize_task: a dequeue decodes its task once, for both the registry
    and the consumer (see _SqliteHuey.dequeue)."""
    on_dequeue: Callable[[Any, Any, Counts], None] | None = None
    """(cursor, decoded task, counts): marks the job active in the dequeue's
    transaction: a worker killed between taking a task and running it still leaves the
    job `active`, so the stalled-job sweep finds it. Its counter changes may go to
    `counts` (see write_counts)."""
    write_counts: Callable[[Any, Counts], None] | None = None
    """(cursor, counts): the counter changes the transaction's enqueues and takes
    gathered, in one statement just before it commits: a transaction typically holds
    an enqueue and a take, whose changes of `waiting` cancel out."""
    before_commit: Callable[[Any], Callable[[], None] | None] | None = None
    """(cursor) -> undo or None: writes in the dequeue's transaction whatever else is
    due (batched completions), so it costs no commit of its own; `undo` takes them back
    if the transaction rolls back."""
    revoke_keys: Callable[[Any], list[str]] | None = None
    """Huey's _revoke_keys: a dequeue reads a task's revocation entries in its own
    transaction (see ygmon.jobs.huey.revocations)."""
    on_unreadable: Unreadable | None = None
    control: SqliteTakeControl | None = None
    """The queue's ceilings and its tasks' live controls, applied in the dequeue's
    transaction (ygmon.jobs.huey.sqlite_take)."""

    def __init__(
        self,
        *args: Any,
        decode: Callable[[bytes], Any] | None = None,
        revoke_keys: Callable[[Any], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.decode = decode
        self.revoke_keys = revoke_keys
        self._handed: collections.deque[_Taken] = collections.deque()
        self._wanting = 0
        """Threads of this process blocked in `take` for the lock."""
        self._wanting_lock = threading.Lock()
        self._enqueues = EnqueueGroup()
        """Enqueues waiting for the lock, written by the next transaction to run."""
        self._counts: Counts = {}
        """The counter changes of the transaction under way (see write_counts)."""

    def attach(self, hooks: SqliteHooks) -> None:
        """Wire the registry's writes in: Huey makes its storage in its own constructor,
        before the runtime's registry writes exist for it."""
        self.on_unreadable = hooks.on_unreadable
        self.on_dequeue = hooks.on_dequeue
        self.before_commit = hooks.before_commit
        self.control = hooks.control
        self.write_counts = hooks.write_counts

    def enqueue(self, data: bytes, priority: float | None = None) -> None:
        item = PendingEnqueue(data, priority, take_pending(), take_schedule_entry())
        self._enqueues.add(item)
        with self.lock:
            if item.done:  # another thread's transaction wrote it
                return
            with self._wanting_lock:
                # Tasks for the worker threads blocked on the lock, not yet handed one.
                wanting = max(0, self._wanting - len(self._handed))
            try:
                self._handed.extend(self._take_in(self.conn, wanting))
            except Exception:
                self._enqueues.withdraw(item)
                raise

    def due(self, ts: Any) -> list[tuple[int, bytes]]:
        """The tasks due by `ts` as (schedule row id, data), left on the schedule."""
        rows = self.sql(
            "select id, data from schedule where queue = ? and timestamp <= ? "
            "order by timestamp, id",
            (self.name, ts.timestamp()),
            results=True,
        )
        return [(row_id, bytes(data)) for row_id, data in rows]

    def drop_due(self, entry: int) -> None:
        self.sql("delete from schedule where id = ?", (entry,), commit=True)

    def dequeue(self) -> bytes | None:
        taken = self.take()
        return None if taken is None else taken[0]

    def take(self) -> _Taken | None:
        """Dequeue: (the task's bytes, the task decoded when `decode` is set, its
        revocation entries when `revoke_keys` is set too) or None.

        Group commit: when other threads of this process wait to dequeue too, one
        transaction takes a task for each of them (each marked active like any other)
        and hands them over as they get the lock, so they skip a commit of their own.
        Nothing is taken for a thread that is not already asking, so a task never
        waits in this process for a thread to come free.
        """
        with self._wanting_lock:
            self._wanting += 1
        with self.lock:
            # Counted only until it holds the lock: whoever is still counted then is
            # blocked right here, and checks the hand-over first thing.
            with self._wanting_lock:
                self._wanting -= 1
                others = self._wanting
            if self._handed:
                return self._handed.popleft()
            conn = self.conn
            if (
                not self._enqueues
                and not conn.execute(
                    "select 1 from task where queue = ? limit 1", (self.name,)
                ).fetchone()
                and (self.control is None or not self.control.ready())
            ):
                return None
            taken = self._take_in(conn, 1 + others)
            if not taken:
                return None
            self._handed.extend(taken[1:])
            return taken[0]

    def _take_in(self, conn: Any, n: int) -> list[_Taken]:
        """Up to `n` tasks out of the queue and into `active`, in one transaction that
        also writes the enqueues waiting for the lock (ygmon.jobs.huey.enqueue_group)."""
        curs = conn.cursor()
        undo = None
        enqueues = []
        # Read by _take_row; the transaction holds the lock, so it is the only one.
        self._counts = counts = {}
        try:
            curs.execute(self.begin_sql)
            enqueues = self._enqueues.claim()
            write_enqueues(curs, self.name, self.to_blob, enqueues, counts)
            # Completions first: a finished job no longer holds a slot of the ceiling.
            if self.before_commit is not None:
                undo = self.before_commit(curs)
            taken = self._take_rows(curs, n) if n > 0 else []
            if counts:  # only the hooks attach() set write_counts with add to it
                self.write_counts(curs, counts)  # type: ignore[misc]
            conn.commit()
        except Exception:
            conn.rollback()
            if undo is not None:
                undo()
            self._enqueues.give_back(enqueues)
            raise
        finally:
            curs.close()
        for item in enqueues:
            item.done = True
        return taken

    def _take_rows(self, curs: Any, n: int) -> list[_Taken]:
        """Up to `n` tasks taken in the transaction `curs`: under the queue's live
        controls when it has any, else the first `n` in queue order."""
        control = self.control
        if control is not None:
            rules = control.rules()
            n = control.slots(curs, rules, n)
            if n > 0 and rules.per_task:
                return control.take(curs, rules, n, self._take_row)
        if n <= 0:
            return []
        rows = curs.execute(
            "select id, data from task where queue = ? order by priority desc, id limit ?",
            (self.name, n),
        ).fetchall()
        taken = []
        for task_id, blob in rows:
            curs.execute("delete from task where id = ?", (task_id,))
            if curs.rowcount != 1:
                continue
            got = self._take_row(curs, bytes(blob), None)
            if got is not None:
                taken.append(got)
        return taken

    def _take_row(
        self, curs: Any, data: bytes, admit: Callable[[Any], bool] | None
    ) -> _Taken | None:
        """One task off the queue (already deleted from it) into `active`; None when
        it cannot be read (its job fails) or `admit(task)` sets it aside."""
        try:
            task = None if self.decode is None else self.decode(data)
        except Exception as exc:
            # Left on the queue, it would fail every dequeue of it for good.
            if self.on_unreadable is None:
                raise
            self.on_unreadable(curs, data, exc)
            return None
        if admit is not None and task is not None and not admit(task):
            return None
        if self.on_dequeue is not None:
            self.on_dequeue(curs, task, self._counts)
        return (data, task, self._revocations(curs, task))

    def _revocations(self, curs: Any, task: Any) -> dict[str, bytes | None] | None:
        if task is None or self.revoke_keys is None:
            return None
        keys = self.revoke_keys(task)
        rows = curs.execute(_kv_read(len(keys)), (self.name, *keys)).fetchall()
        return dict.fromkeys(keys) | {key: bytes(value) for key, value in rows}
