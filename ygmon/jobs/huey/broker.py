"""Huey instances and the registry store from a profile's `broker_url`.

`sqlite:///PATH` gives Huey's SqliteHuey (the embedded default) and the registry's
tables in the same file; `redis://...` gives PriorityRedisHuey and the registry's keys
in the same Redis. Every Huey name and registry key starts with the profile's namespace
so deployments (and tests) can share one Redis.
"""

from __future__ import annotations

import collections
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from huey import PriorityRedisHuey, SqliteHuey
from huey.api import Huey
from huey.storage import PriorityRedisStorage, SqliteStorage

from ygmon.jobs.broker_url import broker_kind, sqlite_path
from ygmon.jobs.huey.enqueue_group import EnqueueGroup, PendingEnqueue, write_enqueues
from ygmon.jobs.huey.pause_gate import PausableDequeue
from ygmon.jobs.huey.periodic_claims import ClaimedPeriodic
from ygmon.jobs.huey.revocations import (
    DeferredRevocationDelete,
    PrefetchedRevocations,
    prefetched,
)
from ygmon.jobs.huey.schedule_handoff import ScheduleHandoff, take_schedule_entry
from ygmon.jobs.registry.store.redis.direct import DirectCalls
from ygmon.jobs.registry.store.redis.store import WAKE_KEEP, WAKE_SUFFIX

_pending = threading.local()
_emptied = threading.local()
"""Per consumer thread (Redis): the queue its last dequeue left empty."""

_Taken = tuple[bytes, Any, dict[str, bytes | None] | None]
"""An SQLite dequeue: the task's bytes, the task decoded, its revocation entries."""

Unreadable = Callable[[Any, bytes, Exception], None]
"""(cursor or None, task bytes, the error): a task this worker cannot read (a task name
it does not know, typically a newer producer's) was taken off the queue; the registry
records its job as failed (in the dequeue's transaction on SQLite)."""


def defer_to_enqueue(write: Callable[..., Any]) -> None:
    """Have the next storage enqueue of this thread run `write` in the same step.

    Huey emits SIGNAL_ENQUEUED just before it hands the task to its storage; deferring
    the registry write to that moment makes queue and registry change together (one
    SQLite transaction, one Redis script) instead of in two writes that could fall
    apart in a crash.
    """
    _pending.write = write


def header_for_enqueue(job_id: str, retries: int, class_revoke_key: str) -> None:
    """Redis: the header the next enqueue of this thread puts before Huey's payload."""
    _pending.header = f"{job_id}|{retries}\0{class_revoke_key}".encode()


def _take_pending() -> Callable[..., Any] | None:
    write = getattr(_pending, "write", None)
    _pending.write = None
    return write


class RegistrySqliteStorage(PrefetchedRevocations, SqliteStorage):
    """Huey's SQLite storage whose enqueue and dequeue also write the job registry,
    in the same transaction (the registry's tables live in the same file)."""

    decode: Callable[[bytes], Any] | None = None
    """Huey's deserialize_task: a dequeue decodes its task once, for both the registry
    and the consumer (see _SqliteHuey.dequeue)."""
    on_dequeue: Callable[[Any, Any], None] | None = None
    """(cursor, decoded task): marks the job active in the dequeue's transaction: a
    worker killed between taking a task and running it still leaves the job `active`,
    so the stalled-job sweep finds it."""
    before_commit: Callable[[Any], Callable[[], None] | None] | None = None
    """(cursor) -> undo or None: writes in the dequeue's transaction whatever else is
    due (batched completions), so it costs no commit of its own; `undo` takes them back
    if the transaction rolls back."""
    revoke_keys: Callable[[Any], list[str]] | None = None
    """Huey's _revoke_keys: a dequeue reads a task's revocation entries in its own
    transaction (see ygmon.jobs.huey.revocations)."""
    on_unreadable: Unreadable | None = None
    free_slots: Callable[[Any], int] | None = None
    """(cursor) -> how many more of this queue's jobs may be active now, read in the
    dequeue's transaction; None when the queue has no ceiling (QueueSpec.max_concurrency)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handed: collections.deque[_Taken] = collections.deque()
        self._wanting = 0
        """Threads of this process blocked in `take` for the lock."""
        self._wanting_lock = threading.Lock()
        self._enqueues = EnqueueGroup()
        """Enqueues waiting for the lock, written by the next transaction to run."""

    def enqueue(self, data: bytes, priority: float | None = None) -> None:
        item = PendingEnqueue(data, priority, _take_pending(), take_schedule_entry())
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
        try:
            curs.execute(self.begin_sql)
            enqueues = self._enqueues.claim()
            write_enqueues(curs, self.name, self.to_blob, enqueues)
            # Completions first: a finished job no longer holds a slot of the ceiling.
            if self.before_commit is not None:
                undo = self.before_commit(curs)
            if n > 0 and self.free_slots is not None:
                n = min(n, self.free_slots(curs))
            rows = (
                curs.execute(
                    "select id, data from task where queue = ? order by priority desc, id limit ?",
                    (self.name, n),
                ).fetchall()
                if n > 0
                else []
            )
            taken = []
            for task_id, blob in rows:
                curs.execute("delete from task where id = ?", (task_id,))
                if curs.rowcount != 1:
                    continue
                data = bytes(blob)
                try:
                    task = None if self.decode is None else self.decode(data)
                except Exception as exc:
                    # Left on the queue, it would fail every dequeue of it for good.
                    if self.on_unreadable is None:
                        raise
                    self.on_unreadable(curs, data, exc)
                    continue
                if self.on_dequeue is not None:
                    self.on_dequeue(curs, task)
                taken.append((data, task, self._revocations(curs, task)))
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

    def _revocations(self, curs: Any, task: Any) -> dict[str, bytes | None] | None:
        if task is None or self.revoke_keys is None:
            return None
        keys = self.revoke_keys(task)
        rows = curs.execute(
            f"select key, value from kv where queue = ? and key in ({','.join('?' * len(keys))})",
            (self.name, *keys),
        ).fetchall()
        return dict.fromkeys(keys) | {key: bytes(value) for key, value in rows}


class RegistryRedisStorage(PrefetchedRevocations, PriorityRedisStorage):
    """Huey's priority Redis storage whose enqueue runs the registry's script, which
    adds the task to the queue and records the job in one atomic step, and whose
    dequeue pops the task and marks its job active in one script too.

    A member is Huey's 8-byte timestamp (FIFO within a priority), then a 2-byte length
    and a header `job id|retries left\0class revocation key` the scripts read, then
    Huey's payload.
    """

    activate: Callable[[Any, str, str, bool], list[Any] | int | None] | None = None
    """(conn, queue key, result key, woken) -> store_redis.activate's reply: the
    registry's atomic pop-and-mark-active."""
    on_unreadable: Unreadable | None = None

    def enqueue(self, data: bytes, priority: float | None = None) -> None:
        write = _take_pending()
        header = getattr(_pending, "header", None) or b"|0"
        _pending.header = None
        score = 0 if priority is None else -priority
        member = (
            struct.pack(">Q", int(time.time() * 1e6))
            + struct.pack(">H", len(header))
            + header
            + data
        )
        entry = take_schedule_entry()
        if write is not None:
            # The script pushes the wake token too, and takes `entry` off the schedule
            # (or, when another worker's scheduler did, does nothing).
            scheduled = None if entry is None else (self.schedule_key, entry)
            write(self.queue_key, member, score, scheduled)
            return
        if entry is not None and not self.conn.zrem(self.schedule_key, entry):
            return
        wake = self.queue_key + WAKE_SUFFIX
        pipe = self.conn.pipeline()
        pipe.zadd(self.queue_key, {member: score})
        pipe.lpush(wake, b"1")
        pipe.ltrim(wake, 0, WAKE_KEEP - 1)
        pipe.execute()

    def dequeue(self) -> bytes | None:
        # An idle worker blocks on the wake-up list, never on the queue: a blocking pop
        # of the queue would hold the task outside both the queue and `active` until the
        # activate script ran, and a worker killed in between would lose it. The task
        # leaves the queue only inside the script, already marked active. A worker that
        # saw the queue empty goes to the list straight away, so a queue fed slower than
        # it drains costs two calls per task (wait, take), not three.
        if self.activate is None:
            raise RuntimeError("RegistryRedisStorage needs its activate hook")
        prefetched(None)
        woken = False
        if self.blocking and getattr(_emptied, "queue", None) == self.queue_key:
            # On a timeout, look anyway: tokens are capped, and this costs one call a second.
            woken = (
                self._direct().call(
                    "BLPOP", self.queue_key + WAKE_SUFFIX, self.read_timeout, again=True
                )
                is not None
            )
        reply = self.activate(self.conn, self.queue_key, self.result_key, woken)
        if reply == 0:  # the queue's ceiling is reached: wait, as an idle worker would
            _emptied.queue = None
            time.sleep(self.read_timeout)
            return None
        _emptied.queue = self.queue_key if reply is None or reply[1] == 0 else None
        if reply is None:
            return None
        member = reply[0]
        if len(reply) == 6:
            prefetched({reply[2].decode(): reply[3], reply[4].decode(): reply[5]})
        (n,) = struct.unpack(">H", member[8:10])
        return member[10 + n :]

    def _direct(self) -> DirectCalls:
        direct = self.__dict__.get("_direct_calls")
        if direct is None:
            direct = self.__dict__["_direct_calls"] = DirectCalls(self.conn)
        return direct

    def due(self, ts: Any) -> list[tuple[bytes, bytes]]:
        """The tasks due by `ts` as (schedule member, data), left on the schedule."""
        members = self.conn.zrangebyscore(self.schedule_key, "-inf", self.convert_ts(ts))
        return [(m, m) for m in members]

    def drop_due(self, entry: bytes) -> None:
        self.conn.zrem(self.schedule_key, entry)

    def enqueued_items(self, limit: int | None = None) -> list[bytes]:
        items = self.conn.zrange(self.queue_key, 0, limit - 1 if limit else -1)
        return [m[10 + struct.unpack(">H", m[8:10])[0] :] for m in items]


class _SqliteHuey(ClaimedPeriodic, ScheduleHandoff, DeferredRevocationDelete, SqliteHuey):
    storage_class = RegistrySqliteStorage

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage.decode = self.deserialize_task
        self.storage.revoke_keys = self._revoke_keys

    def dequeue(self) -> Any:
        prefetched(None)
        taken = self.storage.take()
        if taken is None:
            return None
        prefetched(taken[2])
        return taken[1]


class _RedisHuey(ClaimedPeriodic, ScheduleHandoff, DeferredRevocationDelete, PriorityRedisHuey):
    storage_class = RegistryRedisStorage

    def dequeue(self) -> Any:
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            return self.deserialize_task(data)
        except Exception as exc:
            # Huey would log it and drop the task, leaving its job `active` for good.
            if self.storage.on_unreadable is None:
                raise
            self.storage.on_unreadable(None, data, exc)
            return None


class _PausableSqliteHuey(PausableDequeue, _SqliteHuey):
    """The SQLite Huey whose dequeue a pause stops (ygmon.jobs.huey.pause_gate)."""


class _PausableRedisHuey(PausableDequeue, _RedisHuey):
    """The Redis Huey whose dequeue a pause stops (ygmon.jobs.huey.pause_gate)."""


def huey_name(namespace: str, queue: str) -> str:
    # Redis storage keeps only [A-Za-z0-9_] of a name; '_' keeps queues apart.
    return f"{namespace}_{queue.replace('-', '_')}"


def make_huey(url: str, namespace: str, queue: str) -> Huey:
    """One Huey instance serves one queue. Results live in the registry, not in Huey."""
    name = huey_name(namespace, queue)
    if broker_kind(url) == "sqlite":
        return _PausableSqliteHuey(
            name, filename=sqlite_path(url), results=False, utc=True, timeout=30
        )
    return _PausableRedisHuey(name, url=url, results=False, utc=True, read_timeout=1)
