"""The Lua scripts of the Redis registry: each move of a job is one script run, so its
record, its indexes and the counters change atomically.

`move` writes one job's change; given a `batch` table it leaves the counters, the
last-finished times, the history and the trims to `flush`, which writes each once per
batch. The scripts are assembled from these parts by ygmon.jobs.registry.store.redis.store.
"""

from __future__ import annotations

from ygmon.jobs.registry.store.buckets import RUNTIME_BOUNDS_MS, STEPS
from ygmon.jobs.registry.store.redis.latency_lua import LATENCY_LUA

WAKE_SUFFIX = ".wake"
"""A Huey queue key plus this names its wake-up list: a token per enqueue, one taken per
task taken, which an idle worker blocks on instead of on the queue itself (see
broker.RegistryRedisStorage)."""
WAKE_KEEP = 64
"""Tokens kept at most: they wake blocked workers, and a worker that found tasks left
takes the next one without looking at the list. A stale token costs one empty look at
the queue."""

ATTEMPTS_SUFFIX = ":att"
"""`job:<id>` plus this names the list of the job's finished attempts (JSON objects, see
ygmon.jobs.registry.store.base.ATTEMPT); a trim deletes it with the record."""

DELETE_JOB_LUA = (
    f"local ATTEMPTS_SUFFIX = '{ATTEMPTS_SUFFIX}'\n"
    + """
local function trim(p, queue, state, keep, min_time)
  local k = p .. 'idx:' .. queue .. ':' .. state
  local old = redis.call('ZCOUNT', k, '-inf', '(' .. min_time)
  local drop_n = math.max(old, redis.call('ZCARD', k) - keep)
  if drop_n <= 0 then return 0 end
  local ids = redis.call('ZRANGE', k, 0, drop_n - 1)
  for i = 1, #ids, 1000 do
    local keys = {}
    for j = i, math.min(i + 999, #ids) do
      keys[#keys + 1] = p .. 'job:' .. ids[j]
      keys[#keys + 1] = p .. 'job:' .. ids[j] .. ATTEMPTS_SUFFIX
    end
    redis.call('DEL', unpack(keys))
  end
  redis.call('ZREMRANGEBYRANK', k, 0, #ids - 1)
  redis.call('HINCRBY', p .. 'counts', queue .. '|' .. state, -#ids)
  return #ids
end
"""
)


# History buckets (see ygmon.jobs.registry.store.buckets): the hash `hist:<step>:<start>` holds, per
# `queue|task|`, c (completed), f (failed), s (run-time sum, ms), m (max), h<i> (run
# times in bucket i); the sorted set `hist:<step>` lists the starts, for the sweep.
# A batch sums its jobs per queue, task and minute (one table row each: a job costs a
# lookup and a few additions, no string building); the flush derives every step's
# bucket from those rows and writes each field once.
HISTORY_LUA = (
    "local HIST_STEPS = {" + ", ".join(map(str, STEPS)) + "}\n"
    "local HIST_BOUNDS = {"
    + ", ".join(map(str, RUNTIME_BOUNDS_MS))
    + "}\n"
    + """
local function hist_flush(p, rows)
  local inc, hmax, seen = {}, {}, {}
  for _, row in pairs(rows) do
    local f, minute = row[1], row[2]
    for _, step in ipairs(HIST_STEPS) do
      local start = string.format('%d', math.floor(minute / step) * step)
      local k = p .. 'hist:' .. step .. ':' .. start
      local t = inc[k]
      if not t then
        t = {}; inc[k] = t; hmax[k] = {}
        seen[#seen + 1] = {p .. 'hist:' .. step, start}
      end
      t[f .. 'c'] = (t[f .. 'c'] or 0) + row[3]
      t[f .. 'f'] = (t[f .. 'f'] or 0) + row[4]
      if row[6] >= 0 then
        t[f .. 's'] = (t[f .. 's'] or 0) + row[5]
        local m = hmax[k]
        if not m[f .. 'm'] or row[6] > m[f .. 'm'] then m[f .. 'm'] = row[6] end
        for i, n in pairs(row[7]) do t[f .. 'h' .. i] = (t[f .. 'h' .. i] or 0) + n end
      end
    end
  end
  for k, t in pairs(inc) do
    for field, n in pairs(t) do
      if n ~= 0 then
        if string.sub(field, -2) == '|s' then redis.call('HINCRBYFLOAT', k, field, n)
        else redis.call('HINCRBY', k, field, n) end
      end
    end
    for field, ms in pairs(hmax[k]) do
      local was = tonumber(redis.call('HGET', k, field) or '-1')
      if ms > was then redis.call('HSET', k, field, ms) end
    end
  end
  for _, z in ipairs(seen) do redis.call('ZADD', z[1], z[2], z[2]) end
end
local function history(p, batch, queue, task, to, started, fin)
  local rows = batch and batch.hist or {}
  local minute = math.floor(fin / 60) * 60
  local key = queue .. '|' .. task .. '|' .. minute
  local row = rows[key]
  if not row then
    -- {field prefix, minute, completed, failed, run-time sum, max (-1: none), histogram}
    row = {queue .. '|' .. task .. '|', minute, 0, 0, 0, -1, {}}
    rows[key] = row
  end
  if to == 'completed' then row[3] = row[3] + 1 else row[4] = row[4] + 1 end
  if started and started ~= '' then
    local ms = (fin - tonumber(started)) * 1000
    if ms < 0 then ms = 0 end
    local bi = #HIST_BOUNDS
    for i = 1, bi do if ms <= HIST_BOUNDS[i] then bi = i - 1; break end end
    row[5] = row[5] + ms
    if ms > row[6] then row[6] = ms end
    row[7][bi] = (row[7][bi] or 0) + 1
  end
  if not batch then hist_flush(p, rows) end
end
"""
)

# `move` writes one job's change; given a `batch` table it leaves the counters, the
# last-finished times and the trims to `flush`, which writes each once per batch.
MOVE_FN_LUA = (
    DELETE_JOB_LUA
    + HISTORY_LUA
    + LATENCY_LUA
    + """
local function bump(p, batch, key, n)
  if batch then batch.counts[key] = (batch.counts[key] or 0) + n
  else redis.call('HINCRBY', p .. 'counts', key, n) end
end
-- The fields `move` reads of a record, in one HMGET (`now` when the caller read it):
-- the move's own, the enqueue time (the default order), the attempts (activate), and
-- those a move may clear, so that clearing a field the record lacks costs nothing.
local READ = {'state', 'queue', 'task', 'started_at', 'enqueued_at', 'attempts_allowed',
              'finished_at', 'worker_id', 'error_message', 'error_stack', 'due_at',
              'attempts_made'}
local CLEARS = {finished_at = 7, worker_id = 8, error_message = 9, error_stack = 10}
local function move(p, id, to, allowed, sort_at, fields, create, keep, min_time, batch, now)
  local jk = p .. 'job:' .. id
  now = now or redis.call('HMGET', jk, unpack(READ))
  local cur, queue, task, started = now[1], now[2], now[3], now[4]
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
    sort_at = created and create['enqueued_at'] or now[5]
  end
  local closed = fields['attempt']
  if closed then
    fields['attempt'] = nil
    if cur == 'active' then
      -- The attempt this move ends, completed by what the running record knows.
      local e = cjson.decode(closed)
      -- Times stay the record's strings: cjson would round numbers to 14 digits.
      e['start'] = started or nil; e['worker'] = now[8] or nil; e['due'] = now[11] or nil
      e['n'] = now[12] or nil
      redis.call('RPUSH', jk .. ATTEMPTS_SUFFIX, cjson.encode(e))
      latency(p, batch, queue, task, now[11], started, e['end'])
    end
  end
  local flat = created or {}
  flat[#flat + 1] = 'state'; flat[#flat + 1] = to
  flat[#flat + 1] = 'sort_at'; flat[#flat + 1] = sort_at
  local gone = {}
  for k, v in pairs(fields) do
    if v == cjson.null then
      local at = CLEARS[k]
      if not created and (not at or now[at]) then gone[#gone + 1] = k end
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
  if to == 'completed' or to == 'failed' then
    history(p, batch, queue, task, to, cur and started, tonumber(sort_at))
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
  hist_flush(p, batch.hist)
  lat_flush(p, batch.lat)
  for _, t in pairs(batch.trims) do trim(p, t[1], t[2], t[3], t[4]) end
end
"""
)

MOVE_LUA = (
    MOVE_FN_LUA
    + f"local WAKE_SUFFIX, WAKE_KEEP = '{WAKE_SUFFIX}', {WAKE_KEEP}\n"
    + """
-- ARGV: prefix, id, to, allowed, sort_at, fields (JSON, '' for none), keep, min_time,
-- Huey's queue key, member, score ('' when not enqueueing), schedule key, member ('' when
-- not from the schedule), then the record to create as field, value pairs (none: no
-- create). Flat pairs rather than JSON: decoding it was a tenth of the script.
-- A task due on Huey's schedule moves from there only if it is still there.
if ARGV[12] ~= '' and redis.call('ZREM', ARGV[12], ARGV[13]) == 0 then return 0 end
if ARGV[9] ~= '' then
  redis.call('ZADD', ARGV[9], ARGV[11], ARGV[10])
  if redis.call('LPUSH', ARGV[9] .. WAKE_SUFFIX, '1') > WAKE_KEEP then
    redis.call('LTRIM', ARGV[9] .. WAKE_SUFFIX, 0, WAKE_KEEP - 1)
  end
end
local create = nil
if #ARGV > 13 then
  create = {}
  for i = 14, #ARGV, 2 do create[ARGV[i]] = ARGV[i + 1] end
end
local fields = {}
if ARGV[6] ~= '' then fields = cjson.decode(ARGV[6]) end
return move(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], fields, create,
            ARGV[7], ARGV[8], nil)
"""
)

# Several moves in one script run: ARGV[1] is the prefix, ARGV[2] a JSON list of
# [id, to, allowed, sort_at, fields, keep, min_time(, hash, field to delete from it)].
# The trims use the batch's last retention per queue and state (its newest cut-off).
MOVE_MANY_LUA = (
    MOVE_FN_LUA
    + """
local batch = {counts = {}, last = {}, trims = {}, hist = {}, lat = {}}
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

TRIM_LUA = DELETE_JOB_LUA + "return trim(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5])"

# The retention sweep's cut of the history (or the latency or depth buckets): ARGV[1]
# the keys' prefix (`<prefix>hist:`), then (step, cut-off) pairs; buckets of a step
# starting before its cut-off go.
TRIM_HISTORY_LUA = """
local gone = 0
for i = 2, #ARGV, 2 do
  local idx = ARGV[1] .. ARGV[i]
  local starts = redis.call('ZRANGEBYSCORE', idx, '-inf', '(' .. ARGV[i + 1])
  for _, start in ipairs(starts) do redis.call('DEL', idx .. ':' .. start) end
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', '(' .. ARGV[i + 1])
  gone = gone + #starts
end
return gone
"""
