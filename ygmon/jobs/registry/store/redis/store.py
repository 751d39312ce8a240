"""The job registry in Redis, beside Huey's queues, kept as BullMQ keeps job state.

Keys (all under `<namespace>:ygmon:`): `job:<id>` a hash per job; `idx:<queue>:<state>`
sorted sets by list order; `counts` a hash `queue|state -> n`; `workers` a hash of
heartbeats; `last` a hash of last completion times; `held:*` and `rate:*` the live
controls' held-back jobs and rate windows (take_lua). Each move is one Lua script, so
the record, the indexes and the counters change atomically. Beside each Huey queue key,
a `<queue key>.wake` list wakes idle workers (WAKE_SUFFIX).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

import redis

from ygmon.errors import UnavailableError
from ygmon.jobs.registry.store.base import FIELDS, Retention, TakeRules
from ygmon.jobs.registry.store.redis.claims import RedisClaims
from ygmon.jobs.registry.store.redis.controls import RedisControls
from ygmon.jobs.registry.store.redis.counters import RedisCounters
from ygmon.jobs.registry.store.redis.direct import DirectCalls, DirectScript
from ygmon.jobs.registry.store.redis.history import RedisHistory
from ygmon.jobs.registry.store.redis.latency import RedisLatency
from ygmon.jobs.registry.store.redis.latency_lua import DEPTH_LUA
from ygmon.jobs.registry.store.redis.lua import (
    ATTEMPTS_SUFFIX,
    MOVE_LUA,
    MOVE_MANY_LUA,
    TRIM_HISTORY_LUA,
    TRIM_LUA,
    WAKE_KEEP,
    WAKE_SUFFIX,
)
from ygmon.jobs.registry.store.redis.take_lua import ACTIVATE_LUA
from ygmon.jobs.registry.store.redis.workers import RedisWorkers

__all__ = ["WAKE_KEEP", "WAKE_SUFFIX", "RedisRegistryStore"]

_NO_RULES = TakeRules()
_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")


def _allowed(states: Iterable[str] | None) -> str:
    """The scripts' form of a set of states a move may start from ('' for any)."""
    return "" if states is None else _allowed_text(frozenset(states))


@functools.cache
def _allowed_text(states: frozenset[str]) -> str:
    return "," + ",".join(sorted(states)) + ","


class RedisRegistryStore(
    RedisCounters, RedisWorkers, RedisHistory, RedisLatency, RedisClaims, RedisControls
):
    def __init__(self, url: str, namespace: str) -> None:
        self.url = url
        self.p = f"{namespace}:ygmon:"
        self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=10)
        self._move = self.r.register_script(MOVE_LUA)
        self._trim = self.r.register_script(TRIM_LUA)
        self._activate = self.r.register_script(ACTIVATE_LUA)
        self._move_many = self.r.register_script(MOVE_MANY_LUA)
        self._trim_history = self.r.register_script(TRIM_HISTORY_LUA)
        self._depth = self.r.register_script(DEPTH_LUA)
        # The per-job scripts go out on each thread's own connection (redis_direct).
        self._move_direct = DirectScript(DirectCalls(self.r), self._move)
        self._activate_direct: dict[int, DirectScript] = {}
        """Per client of Huey's (its raw bytes): the activate script on it."""

    def _fail(self, exc: Exception) -> UnavailableError:
        return UnavailableError(f"cannot reach the job registry in Redis: {exc}")

    def ping(self) -> None:
        try:
            self.r.ping()
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def move(
        self,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        *,
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
        retention: Retention | None = None,
        writer: object = None,
        enqueue: tuple[str, bytes, float] | None = None,
        from_schedule: tuple[str, bytes] | None = None,
    ) -> bool:
        """See RegistryStore.move. `enqueue=(huey queue key, member, score)` also adds
        the task to Huey's queue in the same script, whatever the move decided;
        `from_schedule=(huey schedule key, member)` makes all of it depend on taking
        that member off the schedule (see ygmon.jobs.huey.schedule_handoff)."""
        args: list[object] = [
            self.p,
            job_id,
            to_state,
            _allowed(allowed_from),
            "" if sort_at is None else repr(sort_at),
            json.dumps(fields) if fields else "",
            "" if retention is None else retention.keep,
            "" if retention is None else repr(retention.min_time),
            *(enqueue or ("", "", "")),
            *(from_schedule if enqueue is not None and from_schedule else ("", "")),
        ]
        if create is not None:
            # The script's create is the pairs after its 13 fixed arguments.
            for key, value in create.items():
                if value is not None:
                    args += (key, value)
        try:
            # Twice is harmless: the record's state check refuses the second.
            return bool(self._move_direct([], args, again=True))
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def move_many(self, moves: list[dict[str, Any]], writer: object = None) -> None:
        """Several `move`s of existing jobs (keyword dicts, no `create`) in one script;
        a move's `huey_delete=(hash, field)` deletes that field of Huey's too."""
        batch = []
        for m in moves:
            allowed_from, sort_at, retention = (
                m.get("allowed_from"),
                m.get("sort_at"),
                m.get("retention"),
            )
            batch.append(
                [
                    m["job_id"],
                    m["to_state"],
                    _allowed(allowed_from) if allowed_from else "",
                    "" if sort_at is None else repr(sort_at),
                    dict(m.get("fields") or {}),
                    "" if retention is None else str(retention.keep),
                    "" if retention is None else repr(retention.min_time),
                    *(m.get("huey_delete") or ()),
                ]
            )
        try:
            self._move_many(args=[self.p, json.dumps(batch)])
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def activate(
        self,
        conn: redis.Redis,
        queue_key: str,
        result_key: str,
        started_at: float | None,
        worker_id: str | None,
        woken: bool = False,
        queue: str = "",
        rules: TakeRules | None = None,
    ) -> list[Any] | int | None:
        """Take the next job of Huey's queue `queue_key` (the registry's `queue`) and mark
        it active: None when none may start, else [member, tasks left] and, when the
        member names its class revocation key, [id key, its entry, class key, its entry]
        of Huey's result hash `result_key` (an entry is None when absent). `woken`: the
        caller took a token off the queue's wake-up list for this (else the script takes
        one). Under `rules` (see TakeRules and take_lua): 0 while a ceiling is reached,
        -1 when the take set jobs aside and more may follow (look again at once). The
        job starts at `started_at`, or (None) at the server's time when the script
        takes it."""
        direct = self._activate_direct.get(id(conn))
        if direct is None:
            direct = self._activate_direct[id(conn)] = DirectScript(
                DirectCalls(conn), self._activate
            )
        rules = rules or _NO_RULES
        try:
            return direct(
                [queue_key],
                [
                    self.p,
                    "" if started_at is None else repr(started_at),
                    worker_id or "",
                    ",waiting,delayed,",
                    result_key,
                    "1" if woken else "",
                    "" if rules.ceiling is None else str(rules.ceiling),
                    queue,
                    "" if rules.host_limit is None else str(rules.host_limit),
                    rules.host,
                    rules.task_json,
                ],
            )
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def set_fields(self, job_id: str, fields: Mapping[str, str | None]) -> None:
        key = self.p + "job:" + job_id
        try:
            pipe = self.r.pipeline()
            setting = {k: v for k, v in fields.items() if v is not None}
            if setting:
                pipe.hset(key, mapping=setting)
            dropping = [k for k, v in fields.items() if v is None]
            if dropping:
                pipe.hdel(key, *dropping)
            pipe.execute()
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def get(self, job_id: str) -> dict[str, str | None] | None:
        try:
            data = self.r.hgetall(self.p + "job:" + job_id)
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return {f: data.get(f) for f in FIELDS} if data else None

    def attempts(self, job_id: str) -> list[str]:
        try:
            return self.r.lrange(self.p + "job:" + job_id + ATTEMPTS_SUFFIX, 0, -1)
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def _ranges(
        self, queue: str | None, state: str, counts: Mapping[tuple[str, str], int]
    ) -> list[str]:
        """The per-queue index keys holding `state` jobs (of `queue`, or of every queue).

        There is no all-queues index: keeping one cost two more writes per state change,
        and the counters say which of the few queues to merge."""
        queues = (
            [queue]
            if queue is not None
            else [q for (q, s), n in counts.items() if s == state and n > 0]
        )
        return [f"{self.p}idx:{q}:{state}" for q in queues]

    def page(
        self, queue: str | None, state: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, str | None]], int]:
        # Totals from the counters; rows from the first offset+limit entries of each
        # queue's index per state, merged (a page, never a scan).
        states = [state] if state is not None else list(_STATES)
        try:
            counts = self.counts()
            total = sum(
                n for (q, s), n in counts.items() if s in states and (queue is None or q == queue)
            )
            pipe = self.r.pipeline()
            for s in states:
                for key in self._ranges(queue, s, counts):
                    pipe.zrevrange(key, 0, offset + limit - 1, withscores=True)
            merged = sorted(
                (pair for chunk in pipe.execute() for pair in chunk),
                key=lambda pair: pair[1],
                reverse=True,
            )[offset : offset + limit]
            pipe = self.r.pipeline()
            for job_id, _ in merged:
                pipe.hgetall(self.p + "job:" + job_id)
            rows = pipe.execute()
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return [{f: d.get(f) for f in FIELDS} for d in rows if d], total

    def ids_in(self, queue: str | None, state: str, limit: int) -> list[str]:
        try:
            pipe = self.r.pipeline()
            for key in self._ranges(queue, state, self.counts()):
                pipe.zrange(key, 0, limit - 1, withscores=True)
            pairs = [pair for chunk in pipe.execute() for pair in chunk]
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return [job_id for job_id, _ in sorted(pairs, key=lambda pair: pair[1])[:limit]]

    def close(self) -> None:
        self.r.close()
