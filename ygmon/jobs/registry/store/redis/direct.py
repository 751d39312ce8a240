"""The Redis calls a job makes on its way through (enqueue, the worker's wait, activate),
sent on a connection of the calling thread's own, past redis-py's per-command layers.

Why: each redis-py command takes a connection from the pool and polls its socket for
stray data (a syscall), runs its retry wrapper, its deprecation checks and its
observability counters, and gives the connection back; its packer checks each argument
in Python before handing them to hiredis. Measured in `bench jobs`, that was a fifth of
a no-op job's Python time, three calls a job. Here a thread keeps one connection of the
client's pool (so closing the pool closes it too) and sends each command, packed by
hiredis (a dependency of ygmon's), straight on it.

A dropped connection is reconnected on the next call. A command goes out again after a
connection error only when the caller says running it twice is harmless (`again`):
redis-py's retry would also repeat a script whose reply was lost, and the activate
script run twice would take a second task that no worker receives.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

import hiredis
import redis
from redis.exceptions import NoScriptError


class _Held:
    """A pool connection held by one thread; handed back when the thread is gone."""

    def __init__(self, pool: redis.ConnectionPool) -> None:
        self.pool = pool
        self.pid = os.getpid()
        self.conn = pool.get_connection()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # the pool may be gone at interpreter exit
            self.pool.release(self.conn)


class DirectCalls:
    """Commands and scripts on this thread's own connection of `client`'s pool."""

    def __init__(self, client: redis.Redis) -> None:
        self._pool = client.connection_pool
        self._local = threading.local()

    def _conn(self) -> Any:
        held = getattr(self._local, "held", None)
        if held is None or held.pid != os.getpid():
            held = self._local.held = _Held(self._pool)
        return held.conn

    def call(self, *args: Any, again: bool = False) -> Any:
        """The raw reply of one command. Raises redis.RedisError as redis-py would."""
        conn = self._conn()
        packed = [hiredis.pack_command(args)]
        try:
            conn.send_packed_command(packed)
            return conn.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            conn.disconnect()
            if not again:
                raise
        conn.send_packed_command(packed)
        return conn.read_response()


class DirectScript:
    """A Lua script run by EVALSHA through DirectCalls, loaded again when the server
    has lost it (a restart, SCRIPT FLUSH)."""

    def __init__(self, calls: DirectCalls, script: redis.commands.core.Script) -> None:
        self._calls = calls
        self._script = script

    def __call__(self, keys: list[Any], args: list[Any], *, again: bool = False) -> Any:
        try:
            return self._calls.call(
                "EVALSHA", self._script.sha, len(keys), *keys, *args, again=again
            )
        except NoScriptError:
            self._calls.call("SCRIPT", "LOAD", self._script.script, again=True)
            return self._calls.call(
                "EVALSHA", self._script.sha, len(keys), *keys, *args, again=again
            )
