"""The Lua scripts of ``RedisStateStore``: each is one atomic step on the shared state.

``COMMIT`` takes, after the prefix, the run id and the worker's staging hash, the ids to commit:
it moves each one staged there (ten values, see ``redis_store._staged_value``) into the store
and out of the staging hash, and skips a story stored at the same or a later version, so
committing twice writes once. It returns how many it wrote and the ids it took.

Keys: Redis asks a script to name every key it touches in ``KEYS``. These scripts do not: they
get the store's prefix and build the names inside, and some from what they read there (a
story's stored content hash and signature kind say which ``hash:`` and ``sig:`` entries a new
version replaces). Declaring those would mean reading them first, in another round trip, and a
commit that another worker's commit can overtake between the read and the script: the
atomicity the script exists for. On one Redis server (with replicas or not) undeclared keys are
fine: the script still runs alone. On Redis Cluster they would live in other slots, so the
store (and the workers' frontier, whose lease scripts do the same with worker names) refuses a
cluster when it opens (``redis_connection.refuse_cluster``) instead of failing mid-commit.
"""

from __future__ import annotations

from typing import Final

COMMIT: Final = """
local p, run_id, staging = ARGV[1], ARGV[2], ARGV[3]
-- A staged story is its ten values as netstrings ("<bytes>:<value>"): the signature is binary.
local function values(packed)
  local out, pos = {}, 1
  while pos <= #packed do
    local colon = string.find(packed, ':', pos, true)
    local n = tonumber(string.sub(packed, pos, colon - 1))
    out[#out + 1] = string.sub(packed, colon + 1, colon + n)
    pos = colon + n + 1
  end
  return out
end
local written, taken, newest_at, newest_id = 0, {}, nil, nil
for i = 4, #ARGV do
  local packed = redis.call('HGET', staging, ARGV[i])
  if packed then
    redis.call('HDEL', staging, ARGV[i])
    taken[#taken + 1] = ARGV[i]
    local v = values(packed)
    local id, doc, chash, pub, score = v[1], v[2], v[3], v[4], v[5]
    local kind, sig, version, dup, first = v[6], v[7], tonumber(v[8]), v[9], v[10]
    local old = redis.call('GET', p .. ':story:' .. id)
    local skip = false
    if old then
      local stored = cjson.decode(old)
      if tonumber(stored['version']) >= version then
        skip = true
      else
        redis.call('HDEL', p .. ':hash:' .. stored['content_hash'], id)
        local old_kind = stored['signature_kind']
        if old_kind ~= cjson.null and old_kind ~= nil then
          redis.call('HDEL', p .. ':sig:' .. old_kind, id)
          redis.call('ZREM', p .. ':sigtime:' .. old_kind, id)
        end
      end
    end
    if not skip then
      redis.call('SET', p .. ':story:' .. id, doc)
      redis.call('HSET', p .. ':hash:' .. chash, id, first)
      redis.call('HSET', p .. ':published', id, pub)
      redis.call('ZADD', p .. ':by_published', score, id)
      if kind ~= '' then
        redis.call('HSET', p .. ':sig:' .. kind, id, first .. '\\n' .. sig)
        redis.call('ZADD', p .. ':sigtime:' .. kind, score, id)
      end
      if version > 1 then redis.call('SADD', p .. ':revised', id) end
      if dup == '1' then redis.call('SADD', p .. ':duplicates', id)
      else redis.call('SREM', p .. ':duplicates', id) end
      written = written + 1
      if newest_at == nil or pub > newest_at or (pub == newest_at and id > newest_id) then
        newest_at, newest_id = pub, id
      end
    end
  end
end
local raw = redis.call('HGET', p .. ':runs', run_id)
if written > 0 and raw then
  local run = cjson.decode(raw)
  run['stories_committed'] = run['stories_committed'] + written
  local current = run['newest_published_at']
  if current == cjson.null or current < newest_at then
    run['newest_published_at'] = newest_at
    run['newest_story_id'] = newest_id
  end
  redis.call('HSET', p .. ':runs', run_id, cjson.encode(run))
end
return {written, taken}
"""

TOUCH: Final = """
local p, seen = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local key = p .. ':story:' .. ARGV[i]
  local raw = redis.call('GET', key)
  if raw then
    local story = cjson.decode(raw)
    story['last_seen'] = seen
    redis.call('SET', key, cjson.encode(story))
  end
end
return 1
"""

# ARGV[5..]: the sections whose listing walk the run completed; each one's stop-when-seen point
# (``walks``: section -> the run and when it finished) moves to this run unless a later run's is
# there already.
FINISH_RUN: Final = """
local p, run_id, finished, status = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local raw = redis.call('HGET', p .. ':runs', run_id)
if not raw then return 0 end
local run = cjson.decode(raw)
run['finished_at'], run['status'] = finished, status
local doc = cjson.encode(run)
redis.call('HSET', p .. ':runs', run_id, doc)
redis.call('SREM', p .. ':running', run_id)
if status == 'ok' then
  local last = redis.call('GET', p .. ':last_ok')
  if not last or cjson.decode(last)['finished_at'] <= finished then
    redis.call('SET', p .. ':last_ok', doc)
  end
end
for i = 5, #ARGV do
  local walk = redis.call('HGET', p .. ':walks', ARGV[i])
  if not walk or cjson.decode(walk)['finished_at'] <= finished then
    redis.call('HSET', p .. ':walks', ARGV[i],
               cjson.encode({run_id = run_id, finished_at = finished}))
  end
end
return 1
"""

GET: Final = """
local raw = redis.call('GET', KEYS[1] .. ':story:' .. ARGV[1])
if not raw then return false end
local kind = cjson.decode(raw)['signature_kind']
if kind == cjson.null or kind == nil then return {raw} end
return {raw, redis.call('HGET', KEYS[1] .. ':sig:' .. kind, ARGV[1])}
"""

# A story read now: ``GET``'s answer (false when not stored) and its content hash's stored ids.
LOOKUP: Final = """
local p, id = KEYS[1], ARGV[1]
local raw = redis.call('GET', p .. ':story:' .. id)
local signature = false
if raw then
  local kind = cjson.decode(raw)['signature_kind']
  if kind ~= cjson.null and kind ~= nil then
    signature = redis.call('HGET', p .. ':sig:' .. kind, id)
  end
end
return {raw, signature, redis.call('HGETALL', p .. ':hash:' .. ARGV[2])}
"""
