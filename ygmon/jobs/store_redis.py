"""The job registry in Redis, beside Huey's queues, kept as BullMQ keeps job state.

Keys (all under `<namespace>:ygmon:`): `job:<id>` a hash per job; `idx:<queue>:<state>`
sorted sets by list order; `counts` a hash `queue|state -> n`; `workers` a hash of
heartbeats; `last` a hash of last completion times. Each move is one Lua script, so the
record, the indexes and the counters change atomically. Beside each Huey queue key, a
`<queue key>.wake` list wakes idle workers (WAKE_SUFFIX).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

import redis

from ygmon.errors import UnavailableError
from ygmon.jobs.store import FIELDS, Retention

_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")

WAKE_SUFFIX = ".wake"
"""A Huey queue key plus this names its wake-up list: a token per enqueue, one taken per
task taken, which an idle worker blocks on instead of on the queue itself (see
broker.RegistryRedisStorage)."""
WAKE_KEEP = 64
"""Tokens kept at most: they wake blocked workers, and a worker that found tasks left
takes the next one without looking at the list. A stale token costs one empty look at
the queue."""

_DELETE_JOB_LUA = """
local function trim(p, queue, state, keep, min_time)
  local k = p .. 'idx:' .. queue .. ':' .. state
  local old = redis.call('ZCOUNT', k, '-inf', '(' .. min_time)
  local drop_n = math.max(old, redis.call('ZCARD', k) - keep)
  if drop_n <= 0 then return 0 end
  local ids = redis.call('ZRANGE', k, 0, drop_n - 1)
  for i = 1, #ids, 1000 do
    local keys = {}
    for j = i, math.min(i + 999, #ids) do keys[#keys + 1] = p .. 'job:' .. ids[j] end
    redis.call('DEL', unpack(keys))
  end
  redis.call('ZREMRANGEBYRANK', k, 0, #ids - 1)
  redis.call('HINCRBY', p .. 'counts', queue .. '|' .. state, -#ids)
  return #ids
end
"""

# `move` writes one job's change; given a `batch` table it leaves the counters, the
# last-finished times and the trims to `flush`, which writes each once per batch.
_MOVE_FN_LUA = (
    _DELETE_JOB_LUA
    + """
local function bump(p, batch, key, n)
  if batch then batch.counts[key] = (batch.counts[key] or 0) + n
  else redis.call('HINCRBY', p .. 'counts', key, n) end
end
local function move(p, id, to, allowed, sort_at, fields, create, keep, min_time, batch)
  local jk = p .. 'job:' .. id
  local now = redis.call('HMGET', jk, 'state', 'queue', 'task')
  local cur, queue, task = now[1], now[2], now[3]
  local created
  if not cur then
    if create == nil then return 0 end
    -- The new record's fields go out with the state below: one HSET, not two.
    created = {'id', id}
    for k, v in pairs(create) do
      if v ~= cjson.null then created[#created + 1] = k; created[#created + 1] = v end
    end
    queue, task = create['queue'], create['task']
  else
    if allowed ~= '' and not string.find(allowed, ',' .. cur .. ',', 1, true) then return 0 end
    redis.call('ZREM', p .. 'idx:' .. queue .. ':' .. cur, id)
    bump(p, batch, queue .. '|' .. cur, -1)
  end
  if sort_at == '' then
    sort_at = created and create['enqueued_at'] or redis.call('HGET', jk, 'enqueued_at')
  end
  local flat = created or {}
  flat[#flat + 1] = 'state'; flat[#flat + 1] = to
  flat[#flat + 1] = 'sort_at'; flat[#flat + 1] = sort_at
  local gone = {}
  for k, v in pairs(fields) do
    if v == cjson.null then gone[#gone + 1] = k
    else flat[#flat + 1] = k; flat[#flat + 1] = v end
  end
  if #gone > 0 then redis.call('HDEL', jk, unpack(gone)) end
  redis.call('HSET', jk, unpack(flat))
  redis.call('ZADD', p .. 'idx:' .. queue .. ':' .. to, sort_at, id)
  bump(p, batch, queue .. '|' .. to, 1)
  if to == 'completed' then
    if batch then
      batch.last[queue] = sort_at
      batch.last[queue .. '|' .. task] = sort_at
    else
      redis.call('HSET', p .. 'last', queue, sort_at, queue .. '|' .. task, sort_at)
    end
  end
  if keep ~= '' then
    if batch then batch.trims[queue .. '|' .. to] = {queue, to, tonumber(keep), min_time}
    else trim(p, queue, to, tonumber(keep), min_time) end
  end
  return 1
end
local function flush(p, batch)
  for key, n in pairs(batch.counts) do
    if n ~= 0 then redis.call('HINCRBY', p .. 'counts', key, n) end
  end
  local last = {}
  for key, at in pairs(batch.last) do last[#last + 1] = key; last[#last + 1] = at end
  if #last > 0 then redis.call('HSET', p .. 'last', unpack(last)) end
  for _, t in pairs(batch.trims) do trim(p, t[1], t[2], t[3], t[4]) end
end
"""
)

_MOVE_LUA = (
    _MOVE_FN_LUA
    + f"local WAKE_SUFFIX, WAKE_KEEP = '{WAKE_SUFFIX}', {WAKE_KEEP}\n"
    + """
-- A task due on Huey's schedule moves from there only if it is still there.
if ARGV[13] and redis.call('ZREM', ARGV[13], ARGV[14]) == 0 then return 0 end
if ARGV[10] then
  redis.call('ZADD', ARGV[10], ARGV[12], ARGV[11])
  redis.call('LPUSH', ARGV[10] .. WAKE_SUFFIX, '1')
  redis.call('LTRIM', ARGV[10] .. WAKE_SUFFIX, 0, WAKE_KEEP - 1)
end
local create = nil
if ARGV[7] ~= '' then create = cjson.decode(ARGV[7]) end
local fields = {}
if ARGV[6] ~= '' then fields = cjson.decode(ARGV[6]) end
return move(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], fields, create,
            ARGV[8], ARGV[9], nil)
"""
)

# Several moves in one script run: ARGV[1] is the prefix, ARGV[2] a JSON list of
# [id, to, allowed, sort_at, fields, keep, min_time(, hash, field to delete from it)].
# The trims use the batch's last retention per queue and state (its newest cut-off).
_MOVE_MANY_LUA = (
    _MOVE_FN_LUA
    + """
local batch = {counts = {}, last = {}, trims = {}}
local huey = {}
local done = 0
for _, m in ipairs(cjson.decode(ARGV[2])) do
  done = done + move(ARGV[1], m[1], m[2], m[3], m[4], m[5], nil, m[6], m[7], batch)
  if m[9] then
    huey[m[8]] = huey[m[8]] or {}
    table.insert(huey[m[8]], m[9])
  end
end
flush(ARGV[1], batch)
for hash, gone in pairs(huey) do
  -- In slices: Lua's unpack stops at a few thousand values.
  for i = 1, #gone, 1000 do redis.call('HDEL', hash, unpack(gone, i, math.min(i + 999, #gone))) end
end
return done
"""
)

# Take the next task of a Huey queue and mark its job active, in one step, and say how
# many tasks are left (the worker blocks on the wake-up list once none is): the member
# carries the job id, retries left and the task's class revocation key in a header (see
# ygmon.jobs.broker.RegistryRedisStorage), since Lua cannot read Huey's pickle. The
# reply also carries the task's two revocation entries from Huey's result hash (ARGV[5]),
# which Huey would otherwise read in a round trip of its own just after.
_ACTIVATE_LUA = (
    _MOVE_FN_LUA
    + f"local WAKE_SUFFIX = '{WAKE_SUFFIX}'\n"
    + """
local p = ARGV[1]
if ARGV[7] ~= '' then
  local active = tonumber(redis.call('HGET', p .. 'counts', ARGV[8] .. '|active') or '0')
  if active >= tonumber(ARGV[7]) then return 0 end
end
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
local member = popped[1]
-- The wake-up list holds about one token per waiting task; a worker that blocked took
-- this task's token already.
if ARGV[6] == '' then redis.call('LPOP', KEYS[1] .. WAKE_SUFFIX) end
local left = redis.call('ZCARD', KEYS[1])
local n = struct.unpack('>I2', string.sub(member, 9, 10))
local header = string.sub(member, 11, 10 + n)
local rt_key = false
local z = string.find(header, '\\0', 1, true)
if z then
  rt_key = string.sub(header, z + 1)
  header = string.sub(header, 1, z - 1)
end
local sep = string.find(header, '|[^|]*$')
local id = string.sub(header, 1, sep - 1)
local retries = tonumber(string.sub(header, sep + 1))
local allowed_n = tonumber(redis.call('HGET', p .. 'job:' .. id, 'attempts_allowed') or '1')
local fields = {started_at = ARGV[2], worker_id = ARGV[3], finished_at = cjson.null,
                attempts_made = tostring(math.max(1, allowed_n - retries))}
if ARGV[3] == '' then fields['worker_id'] = cjson.null end
move(p, id, 'active', ARGV[4], '', fields, nil, '', '', nil)
if not rt_key then return {member, left} end
local r_key = 'r:' .. id
local seen = redis.call('HMGET', ARGV[5], r_key, rt_key)
return {member, left, r_key, seen[1], rt_key, seen[2]}
"""
)

_TRIM_LUA = _DELETE_JOB_LUA + "return trim(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5])"


def _allowed(states: Iterable[str] | None) -> str:
    """The scripts' form of a set of states a move may start from ('' for any)."""
    return "" if states is None else _allowed_text(frozenset(states))


@functools.cache
def _allowed_text(states: frozenset[str]) -> str:
    return "," + ",".join(sorted(states)) + ","


class RedisRegistryStore:
    def __init__(self, url: str, namespace: str) -> None:
        self.url = url
        self.p = f"{namespace}:ygmon:"
        self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=10)
        self._move = self.r.register_script(_MOVE_LUA)
        self._trim = self.r.register_script(_TRIM_LUA)
        self._activate = self.r.register_script(_ACTIVATE_LUA)
        self._move_many = self.r.register_script(_MOVE_MANY_LUA)

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
        that member off the schedule (see ygmon.jobs.schedule_handoff)."""
        args = self._move_args(
            job_id, to_state, fields, allowed_from, create, sort_at, retention, enqueue
        )
        if enqueue is not None and from_schedule is not None:
            args.extend(from_schedule)
        try:
            return bool(self._move(args=args))
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def _move_args(
        self,
        job_id: str,
        to_state: str,
        fields: Mapping[str, str | None],
        allowed_from: frozenset[str] | None = None,
        create: Mapping[str, str | None] | None = None,
        sort_at: float | None = None,
        retention: Retention | None = None,
        enqueue: tuple[str, bytes, float] | None = None,
    ) -> list[object]:
        return [
            self.p,
            job_id,
            to_state,
            _allowed(allowed_from),
            "" if sort_at is None else repr(sort_at),
            json.dumps(fields) if fields else "",
            json.dumps(create) if create is not None else "",
            "" if retention is None else retention.keep,
            "" if retention is None else repr(retention.min_time),
            *(enqueue or ()),
        ]

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
        started_at: float,
        worker_id: str | None,
        woken: bool = False,
        ceiling: tuple[str, int] | None = None,
    ) -> list[Any] | int | None:
        """Pop the next member of Huey's queue `queue_key` and mark its job active: None
        when the queue is empty, else [member, tasks left] and, when the member names
        its class revocation key, [id key, its entry, class key, its entry] of Huey's
        result hash `result_key` (an entry is None when absent). `woken`: the caller
        took a token off the queue's wake-up list for this (else the script takes one).
        `ceiling=(queue, n)`: take nothing, and answer 0, while n jobs of the registry's
        `queue` are active."""
        try:
            return self._activate(
                keys=[queue_key],
                args=[
                    self.p,
                    repr(started_at),
                    worker_id or "",
                    ",waiting,delayed,",
                    result_key,
                    "1" if woken else "",
                    *((str(ceiling[1]), ceiling[0]) if ceiling else ("", "")),
                ],
                client=conn,
            )
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def trim(self, queue: str, state: str, retention: Retention) -> int:
        try:
            return int(
                self._trim(args=[self.p, queue, state, retention.keep, repr(retention.min_time)])
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

    def counts(self) -> dict[tuple[str, str], int]:
        try:
            raw = self.r.hgetall(self.p + "counts")
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        out = {}
        for key, n in raw.items():
            queue, _, state = key.partition("|")
            out[(queue, state)] = int(n)
        return out

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

    def beat(self, worker: Mapping[str, str]) -> None:
        try:
            self.r.hset(self.p + "workers", worker["id"], json.dumps(dict(worker)))
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def remove_worker(self, worker_id: str) -> None:
        try:
            self.r.hdel(self.p + "workers", worker_id)
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def workers(self) -> list[dict[str, str]]:
        try:
            return [json.loads(v) for v in self.r.hvals(self.p + "workers")]
        except redis.RedisError as exc:
            raise self._fail(exc) from None

    def last_finished(self, key: str) -> float | None:
        try:
            value = self.r.hget(self.p + "last", key)
        except redis.RedisError as exc:
            raise self._fail(exc) from None
        return float(value) if value is not None else None

    def close(self) -> None:
        self.r.close()
