/** Lua for the two hot transitions shared by several scripts: add and lease. */
import { LEASED_FIELD_NAMES } from './fields.js';

/**
 * \`add\` of one job from 10 consecutive ARGV values at \`o + 1\` (see \`pushJobArgs\`): jobId idempotency,
 * then the dedup modes, then the insert. \`seq\` is the job's number from \`reserveSeqs\` (nil: take
 * one now). A waiting job enters the waiting zset at the next \`flushAdds\`, which every
 * script calling addJob runs before it returns. Returns status, id, replaced id.
 */
export const ADD_JOB = `
-- Waiting jobs this call added, as ZADD score/member pairs: one ZADD in flushAdds.
local addedWait = {}
local function flushAdds()
  if #addedWait == 0 then return end
  callList('ZADD', K_wait, addedWait)
  addedWait = {}
  wake()
end

-- One counter call for n jobs: their numbers are the result's last n. Nil when a custom
-- id of the batch is all digits: such an id lifts the counter, so each job must then
-- take its number after the previous job's lift (addJob does, given no seq).
local function reserveSeqs(a, from, n, stride)
  for i = 0, n - 1 do
    local id = a[from + i * stride]
    if id ~= '' and string.find(id, '^%d+$') then return nil end
  end
  return redis.call('INCRBY', K_ids, n) - n
end

local function addJob(now, a, o, seq)
  local id, packed, pri, lifo, delay = a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5]
  local keep, did, dttl, dext, drep = a[o + 6], a[o + 7], a[o + 8], a[o + 9], a[o + 10]
  -- Numbers are read and bounded before the first write: nothing after a write can
  -- fail, so a job is written whole or not at all, and the jobs after it in this call
  -- are not failed with it.
  local d = boundedInt(delay, MAXD)
  local ttl = boundedInt(dttl, MAXD)
  local ttlS = ttl > 0 and string.format('%d', ttl) or nil
  if id ~= '' and redis.call('EXISTS', JP .. id) == 1 then return 'duplicate', id, '' end
  local replaced = ''
  local dk
  if did ~= '' then
    dk = DP .. did
    local owner = redis.call('GET', dk)
    if owner then
      local ostate = redis.call('HGET', JP .. owner, 's')
      local pttl = redis.call('PTTL', dk)
      if pttl > 0 or ostate == 'waiting' or ostate == 'delayed' or ostate == 'active' then
        if drep == '1' and ostate == 'delayed' then
          deleteJob(owner, 'delayed', true)
          replaced = owner
        else
          if dext == '1' and ttlS and pttl > 0 then redis.call('PEXPIRE', dk, ttlS) end
          return 'deduplicated', owner, ''
        end
      end
    end
  end
  -- Every added job takes the next number of the queue's counter: the auto id, and
  -- the FIFO position. An all-digit custom id (core forbids them, direct callers might
  -- not) also lifts the counter past it, so no later auto id lands on it.
  if not seq then seq = redis.call('INCR', K_ids) end
  if id == '' then
    id = string.format('%d', seq)
  elseif #id < 16 and string.find(id, '^%d+$') and tonumber(id) > seq then
    redis.call('SET', K_ids, string.format('%d', tonumber(id)))
  end
  local score = waitScore(pri, lifo, seq)
  local nowS = msS(now)
  local state, runAt, runAtS = 'waiting', now, nowS
  if d > 0 then state, runAt, runAtS = 'delayed', now + d, string.format('%d', now + d) end
  local jk = JP .. id
  score = string.format('%d', score)
  if did ~= '' then
    redis.call('HSET', jk, 'i', packed, 's', state, 'ct', nowS, 'ra', runAtS, 'ws', score, 'k', keep, 'dd', did)
    if ttlS then redis.call('SET', dk, id, 'PX', ttlS) else redis.call('SET', dk, id) end
  else
    redis.call('HSET', jk, 'i', packed, 's', state, 'ct', nowS, 'ra', runAtS, 'ws', score, 'k', keep)
  end
  if state == 'delayed' then
    redis.call('ZADD', K_delayed, runAtS, id)
    delayedAdded(id, runAtS)
  else
    addedWait[#addedWait + 1] = score
    addedWait[#addedWait + 1] = id
  end
  if replaced ~= '' then return 'replaced', id, replaced end
  return 'added', id, ''
end
`;

/**
 * The lease grant shared by \`reserve\` and \`settle(next)\`. Returns {limitedForMs | -1,
 * now, id, token, LEASED_FIELD_NAMES values, id, token, values, ...}.
 * Each job costs two commands (read the record, write the lease); the lease expiries
 * go into the active zset in one command for the batch. \`chain\`: wake the next idle
 * worker when the batch is full.
 */
export const RESERVE = `
local function reserve(now, workerId, max, leaseMs, tokenBase, chain)
  local m = meta()
  if m[1] == '1' then return {-1, now} end
  -- Promote due delayed jobs. meta nd saves a look at the delayed zset per call: only
  -- this recomputes it, every other writer can only lower it (delayedAdded) or leave it
  -- early (removals), so a due job is never missed.
  if m[6] ~= '' and (not m[6] or tonumber(m[6]) <= now) then
    promoteDue(now)
    local first = redis.call('ZRANGE', K_delayed, 0, 0, 'WITHSCORES')
    -- (A queue nothing was ever added to keeps no meta hash: a reserve writes none.)
    if first[2] or m[5] then redis.call('HSET', K_meta, 'nd', first[2] or '') end
  end
  local n = max
  local limitMs = -1
  if m[4] then
    local room = tonumber(m[4]) - redis.call('ZCARD', K_active)
    if room < n then
      n = room
      limitMs = 50
    end
  end
  if m[2] then
    local room = tonumber(m[2]) - tonumber(redis.call('GET', K_rl) or '0')
    if room < n then
      n = room
      local ttl = redis.call('PTTL', K_rl)
      if ttl < 1 then ttl = 1 end
      if ttl > limitMs then limitMs = ttl end
    end
  end
  local out = {-1, now}
  local cnt = 0
  if n > 0 then
    local popped = redis.call('ZPOPMIN', K_wait, string.format('%d', n))
    cnt = #popped / 2
    local nowS, expS = msS(now), string.format('%d', now + leaseMs)
    local za = {}
    for i = 1, cnt do
      local id = popped[2 * i - 1]
      local jk = JP .. id
      local token = tokenBase .. i
      -- LEASED_FIELD_NAMES positions: 5 as, 11 sa.
      local f = redis.call('HMGET', jk, ${LEASED_FIELD_NAMES.map((f) => `'${f}'`).join(', ')})
      -- Numbers passed to redis.call are formatted with %.17g; %d is far cheaper.
      -- A first attempt (the common case) has no count to raise and no start to keep:
      -- psa is written only when sa exists, so a psa is never older than the sa it saves.
      -- (Numbers passed to redis.call are formatted with %.17g; %d is far cheaper.)
      local started = f[5] and string.format('%d', tonumber(f[5]) + 1) or '1'
      if f[11] then
        redis.call('HSET', jk, 's', 'active', 'as', started, 'sa', nowS, 'wk', workerId, 'le', expS,
          'tk', token, 'psa', f[11])
      else
        redis.call('HSET', jk, 's', 'active', 'as', started, 'sa', nowS, 'wk', workerId, 'le', expS,
          'tk', token)
      end
      za[2 * i - 1] = expS
      za[2 * i] = id
      f[5] = started
      out[3 * i] = id
      out[3 * i + 1] = token
      out[3 * i + 2] = f
    end
    if cnt > 0 then callList('ZADD', K_active, za) end
    if m[2] and cnt > 0 and redis.call('INCRBY', K_rl, cnt) == cnt then
      redis.call('PEXPIRE', K_rl, m[3])
    end
  end
  if limitMs >= 0 then
    -- A limit cut the grant: report it only if it held work back.
    if redis.call('ZCARD', K_wait) > 0 then out[1] = limitMs end
  elseif chain and cnt > 0 and cnt == n then
    -- A full batch: work is probably left, so wake the next idle worker (spuriously,
    -- at worst, when exactly n were left; cheaper than counting on every call). Only
    -- a worker's own reserve chains: the one in a settle call is a busy worker's, and
    -- the workers it could wake were woken by the add or by an earlier link.
    wake()
  end
  return out
end
`;
