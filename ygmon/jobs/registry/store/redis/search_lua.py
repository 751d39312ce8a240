"""The Lua scripts of the Redis job search index (see ygmon.jobs.registry.store.redis.search).

Keys under `<namespace>:ygmon:srch:`: `t:<word>` a sorted set of job ids (score: the
job's sort_at when indexed), `v` every indexed word (lexical order, for prefixes),
`ids` / `rids` every indexed id and its reverse (for id prefixes and suffixes),
`docs` a hash id -> "group<TAB>task<TAB>words" (what to take back when the job is
indexed again or removed), `groups` a hash group key -> exception type and message.
"""

from __future__ import annotations

WRITE_DOCS_LUA = """
local p = ARGV[1]
local docs = cjson.decode(ARGV[2])
local s = p .. 'srch:'
local function unindex(id)
  local old = redis.call('HGET', s .. 'docs', id)
  if not old then return end
  local words = string.match(old, '^[^\\t]*\\t[^\\t]*\\t(.*)$') or ''
  for w in string.gmatch(words, '%S+') do
    redis.call('ZREM', s .. 't:' .. w, id)
    if redis.call('EXISTS', s .. 't:' .. w) == 0 then redis.call('ZREM', s .. 'v', w) end
  end
end
for _, d in ipairs(docs) do
  -- {id, score, group, task, words (space-separated, distinct), exc type, message,
  --  id key (ygmon.jobs.registry.search_text.id_key)}
  local id, score = d[1], d[2]
  unindex(id)
  for w in string.gmatch(d[5], '%S+') do
    redis.call('ZADD', s .. 't:' .. w, score, id)
    redis.call('ZADD', s .. 'v', 0, w)
  end
  local low = d[8]
  redis.call('ZADD', s .. 'ids', 0, low .. '|' .. id)
  redis.call('ZADD', s .. 'rids', 0, string.reverse(low) .. '|' .. id)
  redis.call('HSET', s .. 'docs', id, d[3] .. '\\t' .. d[4] .. '\\t' .. d[5])
  if d[3] ~= '' then
    redis.call('HSETNX', s .. 'groups', d[3], d[6] .. '\\t' .. d[7])
    redis.call('HSET', s .. 'grp', id, d[3] .. '\\t' .. d[4])
  else
    redis.call('HDEL', s .. 'grp', id)
  end
end
return #docs
"""

# ARGV: prefix, [[id, its id key], ...]
PRUNE_LUA = """
local p = ARGV[1]
local s = p .. 'srch:'
local pairs_ = cjson.decode(ARGV[2])
local gone = 0
for _, pair in ipairs(pairs_) do
  local id, low = pair[1], pair[2]
  if redis.call('EXISTS', p .. 'job:' .. id) == 0 then
    local old = redis.call('HGET', s .. 'docs', id)
    if old then
      local words = string.match(old, '^[^\\t]*\\t[^\\t]*\\t(.*)$') or ''
      for w in string.gmatch(words, '%S+') do
        redis.call('ZREM', s .. 't:' .. w, id)
        if redis.call('EXISTS', s .. 't:' .. w) == 0 then redis.call('ZREM', s .. 'v', w) end
      end
      redis.call('HDEL', s .. 'docs', id)
      redis.call('HDEL', s .. 'grp', id)
    end
    redis.call('ZREM', s .. 'ids', low .. '|' .. id)
    redis.call('ZREM', s .. 'rids', string.reverse(low) .. '|' .. id)
    gone = gone + 1
  end
end
return gone
"""

# ARGV: prefix, cut, then pairs of (registry idx:<queue>:failed key, queue). Returns per
# failure group {key, count, first, last, queues (space-separated), tasks (same)} of
# the failed jobs failed at most at `cut`: counted where the ids are, so 100,000
# failures cost one reply of a few groups.
GROUP_COUNTS_LUA = """
local p, cut = ARGV[1], ARGV[2]
local s = p .. 'srch:'
local acc, order = {}, {}
for a = 3, #ARGV, 2 do
  local key, queue = ARGV[a], ARGV[a + 1]
  local pairs_ = redis.call('ZRANGEBYSCORE', key, '-inf', cut, 'WITHSCORES')
  for i = 1, #pairs_, 2 do
    local g = redis.call('HGET', s .. 'grp', pairs_[i])
    if g then
      local group, task = string.match(g, '^([^\\t]*)\\t(.*)$')
      local at = tonumber(pairs_[i + 1])
      local e = acc[group]
      if not e then
        e = {0, at, at, {}, {}}
        acc[group] = e
        order[#order + 1] = group
      end
      e[1] = e[1] + 1
      if at < e[2] then e[2] = at end
      if at > e[3] then e[3] = at end
      e[4][queue] = true
      e[5][task] = true
    end
  end
end
local out = {}
for _, group in ipairs(order) do
  local e = acc[group]
  local qs, ts = {}, {}
  for q in pairs(e[4]) do qs[#qs + 1] = q end
  for t in pairs(e[5]) do ts[#ts + 1] = t end
  out[#out + 1] = {group, e[1], string.format('%.6f', e[2]), string.format('%.6f', e[3]),
    table.concat(qs, ' '), table.concat(ts, ' ')}
end
return out
"""

# ARGV: prefix, scratch key prefix, terms [[raw id term or '', [[word, prefix 0/1]]]],
# filter keys (the registry's idx:<queue>:<state> keys to keep, [] for no filter),
# since, until ('-inf'/'+inf'), how many of the newest to return, tail ids to leave
# out, expansion cap. Returns {total, {id, score, id, score, ...}}. The index's own
# sets are never written: a term of one word reads its set as it is.
SEARCH_LUA = """
local p, tmp = ARGV[1], ARGV[2]
local s = p .. 'srch:'
local terms = cjson.decode(ARGV[3])
local filter = cjson.decode(ARGV[4])
local since, untl, want = ARGV[5], ARGV[6], tonumber(ARGV[7])
local tail = cjson.decode(ARGV[8])
local cap = tonumber(ARGV[9])
local made, n = {}, 0
-- unpack() inside an argument list gives one value: build the whole call instead.
local function combine(cmd, dest, keys, ...)
  local a = {cmd, dest, #keys}
  for _, k in ipairs(keys) do a[#a + 1] = k end
  for _, x in ipairs({...}) do a[#a + 1] = x end
  return redis.call(unpack(a))
end
local function scratch()
  n = n + 1
  local k = tmp .. n
  made[#made + 1] = k
  return k
end
local function expand(word, prefix)
  if prefix == 0 then return {s .. 't:' .. word} end
  local keys = {}
  for _, w in ipairs(redis.call('ZRANGEBYLEX', s .. 'v', '[' .. word, '[' .. word .. '\\255',
      'LIMIT', 0, cap)) do
    keys[#keys + 1] = s .. 't:' .. w
  end
  return keys
end
local function union(keys)
  if #keys == 1 then return keys[1] end
  local k = scratch()
  if #keys > 0 then combine('ZUNIONSTORE', k, keys, 'AGGREGATE', 'MAX') end
  return k
end
local function inter(keys)
  if #keys == 1 then return keys[1] end
  local k = scratch()
  combine('ZINTERSTORE', k, keys, 'AGGREGATE', 'MAX')
  return k
end
local function ids_into(k, zkey, lexkey)
  for _, m in ipairs(redis.call('ZRANGEBYLEX', zkey, '[' .. lexkey, '[' .. lexkey .. '\\255',
      'LIMIT', 0, cap)) do
    local id = string.match(m, '|(.*)$')
    local at = redis.call('HGET', p .. 'job:' .. id, 'sort_at')
    if at then redis.call('ZADD', k, at, id) end
  end
end
local term_keys = {}
for _, term in ipairs(terms) do
  local word_keys = {}
  for _, w in ipairs(term[2]) do word_keys[#word_keys + 1] = union(expand(w[1], w[2])) end
  local k = inter(word_keys)
  if term[1] ~= '' then
    local ids = scratch()
    ids_into(ids, s .. 'ids', term[1])
    ids_into(ids, s .. 'rids', string.reverse(term[1]))
    if redis.call('EXISTS', ids) == 1 then k = union({k, ids}) end
  end
  term_keys[#term_keys + 1] = k
end
local result = inter(term_keys)
if #filter > 0 then
  local parts = {}
  for _, key in ipairs(filter) do
    local k = scratch()
    -- The registry's index holds the live sort_at: take its score.
    combine('ZINTERSTORE', k, {result, key}, 'WEIGHTS', 0, 1)
    parts[#parts + 1] = k
  end
  result = union(parts)
end
-- The tail (read live by the caller) is left out: counted off, skipped in the page.
local skip, overlap = {}, 0
local lo, hi = tonumber(since) or -math.huge, tonumber(untl) or math.huge
if since == '-inf' then lo = -math.huge end
if untl == '+inf' then hi = math.huge end
for i = 1, #tail, 5000 do
  local scores = redis.call('ZMSCORE', result, unpack(tail, i, math.min(i + 4999, #tail)))
  for j, sc in ipairs(scores) do
    if sc then
      skip[tail[i + j - 1]] = true
      local v = tonumber(sc)
      if v >= lo and v <= hi then overlap = overlap + 1 end
    end
  end
end
local total = redis.call('ZCOUNT', result, since, untl) - overlap
local top = {}
if want > 0 then
  local got = redis.call('ZREVRANGEBYSCORE', result, untl, since, 'WITHSCORES', 'LIMIT', 0,
    want + overlap)
  for i = 1, #got, 2 do
    if not skip[got[i]] and #top < want * 2 then
      top[#top + 1] = got[i]; top[#top + 1] = got[i + 1]
    end
  end
end
for i = 1, #made, 500 do redis.call('DEL', unpack(made, i, math.min(i + 499, #made))) end
return {total, top}
"""
