"""The activate script: take the next task of a Huey queue and mark its job active, in
one step, under the queue's ceilings and its tasks' live controls
(ygmon.jobs.registry.live_controls, given as TakeRules).

The member carries the job id, retries left and the task's class revocation key in a
header (see ygmon.jobs.huey.redis_storage), since Lua cannot read Huey's pickle. The
reply says how many tasks are left (the worker blocks on the wake-up list once none
is) and carries the task's two revocation entries from Huey's result hash (ARGV[5]),
which Huey would otherwise read in a round trip of its own just after.

Keys of the live controls, beside the registry's (`<namespace>:ygmon:`):
- `held:<queue>:<task>`: jobs of the task taken off Huey's queue while it was paused or
  its rate was spent, with their member and score unchanged (so they keep their order);
  their records stay `waiting`. `held` counts them per `queue|task`.
- `rate:<task>`: the task's starts of the last 60 seconds (score: the start, on the
  registry's clock), kept only while the task has a rate limit.
"""

from __future__ import annotations

from ygmon.jobs.registry.store.base import RATE_WINDOW
from ygmon.jobs.registry.store.redis.lua import MOVE_FN_LUA, WAKE_SUFFIX

LOOK = 100
"""Jobs a take sets aside at most before it answers -1 (look again at once): a long run
of a paused task's jobs at the head of the queue is set aside over several takes, none
of which blocks Redis for long."""

CONTROLS_LUA = (
    f"""
local RATE_WINDOW, LOOK = {RATE_WINDOW!r}, {LOOK}
"""
    + """
-- The job id, retries left and class revocation key (false when none) of a member.
local function header_of(member)
  local n = struct.unpack('>I2', string.sub(member, 9, 10))
  local header = string.sub(member, 11, 10 + n)
  local rt_key = false
  local z = string.find(header, '\\0', 1, true)
  if z then
    rt_key = string.sub(header, z + 1)
    header = string.sub(header, 1, z - 1)
  end
  local sep = string.find(header, '|[^|]*$')
  return string.sub(header, 1, sep - 1), tonumber(string.sub(header, sep + 1)), rt_key
end
-- Jobs of `queue` active on a host: their worker id starts with `host`.
local function host_active(p, queue, host)
  local n = 0
  for _, id in ipairs(redis.call('ZRANGE', p .. 'idx:' .. queue .. ':active', 0, -1)) do
    local w = redis.call('HGET', p .. 'job:' .. id, 'worker_id')
    if w and string.sub(w, 1, #host) == host then n = n + 1 end
  end
  return n
end
-- Queue order: the score (minus the priority), then Huey's 8-byte enqueue time (the
-- member's first bytes, compared as numbers: Lua compares strings by locale).
local function before(m1, s1, m2, s2)
  if s1 ~= s2 then return s1 < s2 end
  local a1, b1 = struct.unpack('>I4I4', m1)
  local a2, b2 = struct.unpack('>I4I4', m2)
  if a1 ~= a2 then return a1 < a2 end
  return b1 < b2
end
-- The next job a worker may start, taken off Huey's queue or a held set; the jobs of a
-- paused task, or of a task whose rate is spent, met on the way are held aside. Returns
-- member, record (HMGET READ), tasks left; false when none may start; -1 after LOOK
-- jobs held aside (more may follow).
local function pick(p, queue, qkey, ctl, now, woken)
  local paused, rates, room = {}, ctl['r'], {}
  for _, t in ipairs(ctl['p']) do paused[t] = true end
  local function has_room(t)
    local n = rates[t]
    if not n then return true end
    if room[t] == nil then
      local k = p .. 'rate:' .. t
      redis.call('ZREMRANGEBYSCORE', k, '-inf', now - RATE_WINDOW)
      room[t] = n - redis.call('ZCARD', k)
    end
    return room[t] > 0
  end
  local function held_key(t) return p .. 'held:' .. queue .. ':' .. t end
  local function eligible(t) return not paused[t] and has_room(t) end
  for _ = 1, LOOK do
    local best, score, from = nil, nil, nil
    local q = redis.call('ZRANGE', qkey, 0, 0, 'WITHSCORES')
    if #q > 0 then best, score = q[1], tonumber(q[2]) end
    for _, t in ipairs(ctl['h']) do
      if eligible(t) then
        local h = redis.call('ZRANGE', held_key(t), 0, 0, 'WITHSCORES')
        if #h > 0 and (not best or not before(best, score, h[1], tonumber(h[2]))) then
          best, score, from = h[1], tonumber(h[2]), t
        end
      end
    end
    if not best then return false end
    if from then
      redis.call('ZREM', held_key(from), best)
      if redis.call('HINCRBY', p .. 'held', queue .. '|' .. from, -1) <= 0 then
        redis.call('HDEL', p .. 'held', queue .. '|' .. from)
      end
    else
      redis.call('ZREM', qkey, best)
      -- One wake-up token per task taken off the queue (a worker that blocked took one).
      if woken then woken = false else redis.call('LPOP', qkey .. WAKE_SUFFIX) end
    end
    local id = header_of(best)
    local record = redis.call('HMGET', p .. 'job:' .. id, unpack(READ))
    local task = from or record[3]
    if task and not from and not eligible(task) then
      redis.call('ZADD', held_key(task), score, best)
      redis.call('HINCRBY', p .. 'held', queue .. '|' .. task, 1)
    else
      if task and rates[task] then
        local k = p .. 'rate:' .. task
        redis.call('ZADD', k, now, id .. '@' .. string.format('%.6f', now))
        redis.call('EXPIRE', k, 2 * RATE_WINDOW)
        room[task] = room[task] - 1
      end
      local left = redis.call('ZCARD', qkey)
      for _, t in ipairs(ctl['h']) do
        if eligible(t) then left = left + redis.call('ZCARD', held_key(t)) end
      end
      return best, record, left
    end
  end
  return -1
end
"""
)

ACTIVATE_LUA = (
    MOVE_FN_LUA
    + f"local WAKE_SUFFIX = '{WAKE_SUFFIX}'\n"
    + CONTROLS_LUA
    + """
-- ARGV: prefix, started_at, worker id, allowed states, Huey's result hash, woken ('' when
-- not), ceiling and queue ('' for none), host limit and host ('' for none), the per-task
-- rules (TakeRules.task_json, '' for none). Replies 0 while a ceiling is reached.
local p = ARGV[1]
if ARGV[7] ~= '' then
  local active = tonumber(redis.call('HGET', p .. 'counts', ARGV[8] .. '|active') or '0')
  if active >= tonumber(ARGV[7]) then return 0 end
end
if ARGV[9] ~= '' and host_active(p, ARGV[8], ARGV[10]) >= tonumber(ARGV[9]) then return 0 end
-- Started when taken, by the server's clock (the store's time, which every registry
-- time reads): a time the worker read before its call could precede the job's enqueue
-- by the call's delay on a loaded machine. ARGV[2] gives it instead (a test's clock).
local started = ARGV[2]
if started == '' then
  local t = redis.call('TIME')
  started = t[1] .. '.' .. string.format('%06d', tonumber(t[2]))
end
local member, now, left
if ARGV[11] == '' then
  local popped = redis.call('ZPOPMIN', KEYS[1])
  if #popped == 0 then return false end
  member = popped[1]
  -- The wake-up list holds about one token per waiting task; a worker that blocked took
  -- this task's token already.
  if ARGV[6] == '' then redis.call('LPOP', KEYS[1] .. WAKE_SUFFIX) end
  left = redis.call('ZCARD', KEYS[1])
else
  member, now, left = pick(p, ARGV[8], KEYS[1], cjson.decode(ARGV[11]), tonumber(started),
                           ARGV[6] ~= '')
  if not member or member == -1 then return member end
end
local id, retries, rt_key = header_of(member)
now = now or redis.call('HMGET', p .. 'job:' .. id, unpack(READ))
local allowed_n = tonumber(now[6] or '1')
local fields = {started_at = started, worker_id = ARGV[3], finished_at = cjson.null,
                attempts_made = tostring(math.max(1, allowed_n - retries))}
if ARGV[3] == '' then fields['worker_id'] = cjson.null end
move(p, id, 'active', ARGV[4], '', fields, nil, '', '', nil, now)
if not rt_key then return {member, left} end
local r_key = 'r:' .. id
local seen = redis.call('HMGET', ARGV[5], r_key, rt_key)
return {member, left, r_key, seen[1], rt_key, seen[2]}
"""
)
