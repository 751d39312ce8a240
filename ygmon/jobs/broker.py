"""Huey instances and the registry store from a profile's `broker_url`.

`sqlite:///PATH` gives Huey's SqliteHuey (the embedded default) and the registry's
tables in the same file; `redis://...` gives PriorityRedisHuey and the registry's keys
in the same Redis. Every Huey name and registry key starts with the profile's namespace
so deployments (and tests) can share one Redis.
"""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from huey import PriorityRedisHuey, SqliteHuey
from huey.api import Huey
from huey.storage import PriorityRedisStorage, SqliteStorage

from ygmon.jobs.broker_url import broker_kind, sqlite_path
from ygmon.jobs.store import RegistryStore

_pending = threading.local()


def defer_to_enqueue(write: Callable[..., Any]) -> None:
    """Have the next storage enqueue of this thread run `write` in the same step.

    Huey emits SIGNAL_ENQUEUED just before it hands the task to its storage; deferring
    the registry write to that moment makes queue and registry change together (one
    SQLite transaction, one Redis script) instead of in two writes that could fall
    apart in a crash.
    """
    _pending.write = write


def header_for_enqueue(job_id: str, retries: int) -> None:
    """Redis: the header the next enqueue of this thread puts before Huey's payload."""
    _pending.header = f"{job_id}|{retries}".encode()


def _take_pending() -> Callable[..., Any] | None:
    write = getattr(_pending, "write", None)
    _pending.write = None
    return write


class RegistrySqliteStorage(SqliteStorage):
    """Huey's SQLite storage whose enqueue and dequeue also write the job registry,
    in the same transaction (the registry's tables live in the same file)."""

    on_dequeue: Callable[[Any, bytes], None] | None = None
    """Marks the job active in the dequeue's transaction: a worker killed between
    taking a task and running it still leaves the job `active`, so the stalled-job
    sweep finds it."""

    def enqueue(self, data: bytes, priority: float | None = None) -> None:
        write = _take_pending()
        with self.db(commit=True) as curs:
            curs.execute(
                "insert into task (queue, data, priority) values (?, ?, ?)",
                (self.name, self.to_blob(data), priority or 0),
            )
            if write is not None:
                write(curs)

    def dequeue(self) -> bytes | None:
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        with self.db(commit=True) as curs:
            curs.execute(
                "select id, data from task where queue = ? order by priority desc, id limit 1",
                (self.name,),
            )
            row = curs.fetchone()
            if row is None:
                return None
            curs.execute("delete from task where id = ?", (row[0],))
            if curs.rowcount != 1:
                return None
            data = bytes(row[1])
            if self.on_dequeue is not None:
                self.on_dequeue(curs, data)
            return data


class RegistryRedisStorage(PriorityRedisStorage):
    """Huey's priority Redis storage whose enqueue runs the registry's script, which
    adds the task to the queue and records the job in one atomic step, and whose
    dequeue pops the task and marks its job active in one script too.

    A member is Huey's 8-byte timestamp (FIFO within a priority), then a 2-byte length
    and a header `job id|retries left` the scripts read, then Huey's payload.
    """

    activate: Callable[[Any, str, bytes | None], bytes | None] | None = None
    """(conn, queue key, member or None) -> member: the registry's activation."""

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
        if write is not None:
            write(self.queue_key, member, score)
        else:
            self.conn.zadd(self.queue_key, {member: score})

    def dequeue(self) -> bytes | None:
        if self.activate is None:
            raise RuntimeError("RegistryRedisStorage needs its activate hook")
        member = self.activate(self.conn, self.queue_key, None)
        if member is None and self.blocking:
            try:
                _, member, _ = self.conn.bzpopmin(self.queue_key, timeout=self.read_timeout)
            except (TimeoutError, TypeError, IndexError):
                return None
            member = self.activate(self.conn, self.queue_key, member)
        if member is None:
            return None
        (n,) = struct.unpack(">H", member[8:10])
        return member[10 + n :]

    def enqueued_items(self, limit: int | None = None) -> list[bytes]:
        items = self.conn.zrange(self.queue_key, 0, limit - 1 if limit else -1)
        return [m[10 + struct.unpack(">H", m[8:10])[0] :] for m in items]


class _SqliteHuey(SqliteHuey):
    storage_class = RegistrySqliteStorage


class _RedisHuey(PriorityRedisHuey):
    storage_class = RegistryRedisStorage


def huey_name(namespace: str, queue: str) -> str:
    # Redis storage keeps only [A-Za-z0-9_] of a name; '_' keeps queues apart.
    return f"{namespace}_{queue.replace('-', '_')}"


def make_huey(url: str, namespace: str, queue: str) -> Huey:
    """One Huey instance serves one queue. Results live in the registry, not in Huey."""
    name = huey_name(namespace, queue)
    if broker_kind(url) == "sqlite":
        return _SqliteHuey(name, filename=sqlite_path(url), results=False, utc=True, timeout=30)
    return _RedisHuey(name, url=url, results=False, utc=True, read_timeout=1)


def make_store(url: str, namespace: str) -> RegistryStore:
    if broker_kind(url) == "sqlite":
        from ygmon.jobs.store_sqlite import SqliteRegistryStore

        return SqliteRegistryStore(sqlite_path(url), namespace)
    from ygmon.jobs.store_redis import RedisRegistryStore

    return RedisRegistryStore(url, namespace)
