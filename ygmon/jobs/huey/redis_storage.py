"""Huey's priority Redis storage whose enqueue and dequeue run the registry's scripts
(ygmon.jobs.registry.store.redis), so a task and its job move in one atomic step."""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from huey.storage import PriorityRedisStorage

from ygmon.jobs.huey.pending import Unreadable, pending_header, take_pending
from ygmon.jobs.huey.revocations import PrefetchedRevocations, prefetched
from ygmon.jobs.huey.schedule_handoff import take_schedule_entry
from ygmon.jobs.registry.store.redis.direct import DirectCalls
from ygmon.jobs.registry.store.redis.store import WAKE_KEEP, WAKE_SUFFIX

_emptied = threading.local()
"""Per consumer thread: the queue its last dequeue left empty."""

CEILING_WAIT = 0.2
"""Seconds a worker waits before it looks again at a queue whose ceiling is reached."""

Activate = Callable[[Any, str, str, bool], list[Any] | int | None]


class RegistryRedisStorage(PrefetchedRevocations, PriorityRedisStorage):
    """Huey's priority Redis storage whose enqueue runs the registry's script, which
    adds the task to the queue and records the job in one atomic step, and whose
    dequeue pops the task and marks its job active in one script too.

    A member is Huey's 8-byte timestamp (FIFO within a priority), then a 2-byte length
    and a header `job id|retries left\0class revocation key` the scripts read, then
    Huey's payload.
    """

    activate: Activate | None = None
    """(conn, queue key, result key, woken) -> store_redis.activate's reply: the
    registry's atomic pop-and-mark-active."""
    on_unreadable: Unreadable | None = None

    def attach(self, activate: Activate, on_unreadable: Unreadable) -> None:
        """Wire the registry's scripts in: Huey makes its storage in its own constructor,
        before the runtime's registry writes exist for it."""
        self.activate = activate
        self.on_unreadable = on_unreadable

    def enqueue(self, data: bytes, priority: float | None = None) -> None:
        write = take_pending()
        header = pending_header() or b"|0"
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
        if reply == 0:
            # The queue's ceiling (or live limit) is reached: look again shortly. Not
            # a whole read_timeout: a slot freed meanwhile would stay empty that long.
            _emptied.queue = None
            time.sleep(CEILING_WAIT)
            return None
        if reply == -1:  # jobs were set aside (live controls) and more may follow: look again
            _emptied.queue = None
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
