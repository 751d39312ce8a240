"""The Lua parts of the Redis registry that write wait and run times (see
ygmon.jobs.registry.store.latency_buckets) and queue depth.

The hash `lat:<step>:<start>` holds, per `queue|task|kind|`, n (samples), s (sum, ms),
m (max), h<i> (samples in run-time bucket i) and x (the samples, comma-separated, while
the bucket keeps them all); the sorted set `lat:<step>` lists the starts, for the
sweep. `depth:<step>:<start>` holds each queue's largest waiting count sampled in the
bucket, `depth:<step>` its starts. A batch sums its attempts per queue, task and minute
as the history does (HISTORY_LUA, whose HIST_STEPS and HIST_BOUNDS it uses).
"""

from __future__ import annotations

from ygmon.jobs.registry.store.latency_buckets import SAMPLE_CAP

LATENCY_LUA = (
    f"local LAT_CAP = {SAMPLE_CAP}\n"
    + """
local function lat_new() return {0, 0, -1, {}, {}} end
-- t: {n, sum, max, histogram, samples}
local function lat_add(t, ms)
  t[1] = t[1] + 1; t[2] = t[2] + ms
  if ms > t[3] then t[3] = ms end
  local bi = #HIST_BOUNDS
  for i = 1, bi do if ms <= HIST_BOUNDS[i] then bi = i - 1; break end end
  t[4][bi] = (t[4][bi] or 0) + 1
  -- Formatted only at the flush, and only for a bucket that still keeps its samples.
  if t[1] <= LAT_CAP then t[5][#t[5] + 1] = ms end
end
local function lat_merge(a, t)
  -- The samples stay only while the sum keeps them all, as in LatencyBucket.merge.
  if a[1] + t[1] <= LAT_CAP then
    for _, x in ipairs(t[5]) do a[5][#a[5] + 1] = x end
  end
  a[1] = a[1] + t[1]; a[2] = a[2] + t[2]
  if t[3] > a[3] then a[3] = t[3] end
  for i, c in pairs(t[4]) do a[4][i] = (a[4][i] or 0) + c end
end
local LAT_KINDS = {'wait', 'run'}
local function lat_flush(p, rows)
  local acc, seen = {}, {}
  for _, row in pairs(rows) do
    for _, step in ipairs(HIST_STEPS) do
      local start = string.format('%d', math.floor(row[2] / step) * step)
      local k = p .. 'lat:' .. step .. ':' .. start
      if not acc[k] then acc[k] = {}; seen[#seen + 1] = {p .. 'lat:' .. step, start} end
      for ki, kind in ipairs(LAT_KINDS) do
        local t = row[2 + ki]
        if t[1] > 0 then
          local f = row[1] .. kind .. '|'
          local a = acc[k][f]
          if not a then a = lat_new(); acc[k][f] = a end
          lat_merge(a, t)
        end
      end
    end
  end
  for k, fields in pairs(acc) do
    for f, a in pairs(fields) do
      local n = redis.call('HINCRBY', k, f .. 'n', a[1])
      redis.call('HINCRBYFLOAT', k, f .. 's', a[2])
      for i, c in pairs(a[4]) do redis.call('HINCRBY', k, f .. 'h' .. i, c) end
      local was = redis.call('HMGET', k, f .. 'm', f .. 'x')
      if a[3] > tonumber(was[1] or '-1') then redis.call('HSET', k, f .. 'm', a[3]) end
      if n <= LAT_CAP and #a[5] > 0 then
        local texts = {}
        for i, ms in ipairs(a[5]) do texts[i] = string.format('%.1f', ms) end
        local add = table.concat(texts, ',')
        if was[2] and was[2] ~= '' then add = was[2] .. ',' .. add end
        redis.call('HSET', k, f .. 'x', add)
      end
    end
  end
  for _, z in ipairs(seen) do redis.call('ZADD', z[1], z[2], z[2]) end
end
-- An attempt of `queue`/`task` due at `due`, taken at `started`, ended at `fin` (the
-- record's strings): its wait and run go to the minute it ended.
local function latency(p, batch, queue, task, due, started, fin)
  if not started or started == '' or not fin then return end
  local s, e = tonumber(started), tonumber(fin)
  local rows = batch and batch.lat or {}
  local minute = math.floor(e / 60) * 60
  local pre = queue .. '|' .. task .. '|'
  local key = pre .. minute
  local row = rows[key]
  if not row then
    row = {pre, minute, lat_new(), lat_new()}
    rows[key] = row
  end
  if due and due ~= '' then
    local w = (s - tonumber(due)) * 1000
    if w < 0 then w = 0 end
    lat_add(row[3], w)
  end
  local r = (e - s) * 1000
  if r < 0 then r = 0 end
  lat_add(row[4], r)
  if not batch then lat_flush(p, rows) end
end
"""
)

# ARGV: prefix, number of steps, then (step, bucket start) pairs, then (queue, waiting)
# pairs: each bucket keeps the largest count sampled in it.
DEPTH_LUA = """
local p, ns = ARGV[1], tonumber(ARGV[2])
for i = 0, ns - 1 do
  local step, start = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  local k = p .. 'depth:' .. step .. ':' .. start
  for j = 3 + 2 * ns, #ARGV, 2 do
    local was = tonumber(redis.call('HGET', k, ARGV[j]) or '-1')
    if tonumber(ARGV[j + 1]) > was then redis.call('HSET', k, ARGV[j], ARGV[j + 1]) end
  end
  redis.call('ZADD', p .. 'depth:' .. step, start, start)
end
return 1
"""
