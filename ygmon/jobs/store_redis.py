"""The job registry in Redis, beside Huey's queues, kept as BullMQ keeps job state.

Keys (all under `<namespace>:ygmon:`): `job:<id>` a hash per job; `idx:<queue>:<state>`
sorted sets by list order; `counts` a hash `queue|state -> n`; `workers` a hash of
heartbeats; `last` a hash of last completion times. Each move is one Lua script, so the
record, the indexes and the counters change atomically.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import redis

from ygmon.errors import UnavailableError
from ygmon.jobs.store import FIELDS, Retention

_STATES = ("waiting", "delayed", "active", "completed", "failed", "cancelled")

_DELETE_JOB_LUA = """
local function drop(p, id, queue, state)
  redis.call('DEL', p .. 'job:' .. id)
  redis.call('ZREM', p .. 'idx:' .. queue .. ':' .. state, id)
  redis.call('HINCRBY', p .. 'counts', queue .. '|' .. state, -1)
end
local function trim(p, queue, state, keep, min_time)
  local k = p .. 'idx:' .. queue .. ':' .. state
  local old = redis.call('ZCOUNT', k, '-inf', '(' .. min_time)
  local drop_n = math.max(old, redis.call('ZCARD', k) - keep)
  if drop_n <= 0 then return 0 end
  local ids = redis.call('ZRANGE', k, 0, drop_n - 1)
  for _, id in ipairs(ids) do drop(p, id, queue, state) end
  return #ids
end
"""

_MOVE_FN_LUA = (
    _DELETE_JOB_LUA
    + """
local function move(p, id, to, allowed, sort_at, fields, create, keep, min_time)
  local jk = p .. 'job:' .. id
  local cur = redis.call('HGET', jk, 'state')
  local queue
  local created
  if not cur then
    if create == nil then return 0 end
    -- The new record's fields go out with the state below: one HSET, not two.
    created = {'id', id}
    for k, v in pairs(create) do
      if v ~= cjson.null then created[#created + 1] = k; created[#created + 1] = v end
    end
    queue = create['queue']
  else
    if allowed ~= '' and not string.find(allowed, ',' .. cur .. ',', 1, true) then return 0 end
    queue = redis.call('HGET', jk, 'queue')
    redis.call('ZREM', p .. 'idx:' .. queue .. ':' .. cur, id)
    redis.call('HINCRBY', p .. 'counts', queue .. '|' .. cur, -1)
  end
  if sort_at == '' then
    sort_at = created and create['enqueued_at'] or redis.call('HGET', jk, 'enqueued_at')
  end
  local flat = created or {}
  flat[#flat + 1] = 'state'; flat[#flat + 1] = to
  flat[#flat + 1] = 'sort_at'; flat[#flat + 1] = sort_at
  for k, v in pairs(fields) do
    if v == cjson.null then redis.call('HDEL', jk, k)
    else flat[#flat + 1] = k; flat[#flat + 1] = v end
  end
  redis.call('HSET', jk, unpack(flat))
  redis.call('ZADD', p .. 'idx:' .. queue .. ':' .. to, sort_at, id)
  redis.call('HINCRBY', p .. 'counts', queue .. '|' .. to, 1)
  if to == 'completed' then
    local task = redis.call('HGET', jk, 'task')
    redis.call('HSET', p .. 'last', queue, sort_at, queue .. '|' .. task, sort_at)
  end
  if keep ~= '' then trim(p, queue, to, tonumber(keep), min_time) end
  return 1
end
"""
)

_MOVE_LUA = (
    _MOVE_FN_LUA
    + """
if ARGV[10] then redis.call('ZADD', ARGV[10], ARGV[12], ARGV[11]) end
local create = nil
if ARGV[7] ~= '' then create = cjson.decode(ARGV[7]) end
return move(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], cjson.decode(ARGV[6]), create,
            ARGV[8], ARGV[9])
"""
)

# Several moves in one script run: ARGV[1] is the prefix, ARGV[2] a JSON list of
# [id, to, allowed, sort_at, fields, keep, min_time].
_MOVE_MANY_LUA = (
    _MOVE_FN_LUA
    + """
local done = 0
for _, m in ipairs(cjson.decode(ARGV[2])) do
  done = done + move(ARGV[1], m[1], m[2], m[3], m[4], m[5], nil, m[6], m[7])
end
return done
"""
)

# Take the next task of a Huey queue (or the member given) and mark its job active, in
# one step: the member carries the job id and retries left in a header (see
# ygmon.jobs.broker.RegistryRedisStorage), since Lua cannot read Huey's pickle.
_ACTIVATE_LUA = (
    _MOVE_FN_LUA
    + """
local member = ARGV[5]
if member == '' then
  local popped = redis.call('ZPOPMIN', KEYS[1])
  if #popped == 0 then return false end
  member = popped[1]
end
local n = struct.unpack('>I2', string.sub(member, 9, 10))
local header = string.sub(member, 11, 10 + n)
local sep = string.find(header, '|[^|]*$')
local id = string.sub(header, 1, sep - 1)
local retries = tonumber(string.sub(header, sep + 1))
local p = ARGV[1]
local allowed_n = tonumber(redis.call('HGET', p .. 'job:' .. id, 'attempts_allowed') or '1')
local fields = {started_at = ARGV[2], worker_id = ARGV[3],
                attempts_made = tostring(math.max(1, allowed_n - retries))}
if ARGV[3] == '' then fields['worker_id'] = cjson.null end
redis.call('HDEL', p .. 'job:' .. id, 'finished_at')
move(p, id, 'active', ARGV[4], '', fields, nil, '', '')
return member
"""
)

_TRIM_LUA = _DELETE_JOB_LUA + "return trim(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5])"


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
    ) -> bool:
        """See RegistryStore.move. `enqueue=(huey queue key, member, score)` also adds
        the task to Huey's queue in the same script, whatever the move decided."""
        args = self._move_args(
            job_id, to_state, fields, allowed_from, create, sort_at, retention, enqueue
        )
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
        allowed = "," + ",".join(sorted(allowed_from)) + "," if allowed_from is not None else ""
        return [
            self.p,
            job_id,
            to_state,
            allowed,
            "" if sort_at is None else repr(sort_at),
            json.dumps(dict(fields)),
            json.dumps(dict(create)) if create is not None else "",
            "" if retention is None else retention.keep,
            "" if retention is None else repr(retention.min_time),
            *(enqueue or ()),
        ]

    def move_many(self, moves: list[dict[str, Any]], writer: object = None) -> None:
        """Several `move`s of existing jobs (keyword dicts, no `create`) in one script."""
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
                    "," + ",".join(sorted(allowed_from)) + "," if allowed_from else "",
                    "" if sort_at is None else repr(sort_at),
                    dict(m.get("fields") or {}),
                    "" if retention is None else str(retention.keep),
                    "" if retention is None else repr(retention.min_time),
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
        member: bytes | None,
        started_at: float,
        worker_id: str | None,
    ) -> bytes | None:
        """Pop the next member of Huey's queue `queue_key` (or take `member`, already
        popped) and mark its job active; the member, or None when the queue is empty."""
        try:
            return self._activate(
                keys=[queue_key],
                args=[
                    self.p,
                    repr(started_at),
                    worker_id or "",
                    ",waiting,delayed,",
                    member or b"",
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
