import { queueScript } from './queue-script.js';

/** Fields per job in the `add` script's ARGV (see `addJob` in lib.ts). */
export const ADD_FIELDS = 10;
/** Fields per outcome in the `settle` script's ARGV. */
export const SETTLE_FIELDS = 5;

/**
 * add: ARGV = n, then n × 10 job fields. Returns {registered, status, id, replacedId, ...}.
 */
export const ADD = queueScript(
  'add',
  `
local now = nowMs()
local n = tonumber(ARGV[1])
local out = {markRegistered()}
local base = reserveSeqs(ARGV, 2, n, ${ADD_FIELDS})
for i = 0, n - 1 do
  local st, id, rep = addJob(now, ARGV, 1 + i * ${ADD_FIELDS}, base and base + i + 1)
  out[#out + 1] = st
  out[#out + 1] = id
  out[#out + 1] = rep
end
flushAdds()
return out
`,
  'clock',
  'meta',
  'add',
);

/** reserve: ARGV = workerId, max, leaseMs, tokenBase. Returns the reserve reply (lib.ts). */
export const RESERVE = queueScript(
  'reserve',
  `
return reserve(nowMs(), ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], true)
`,
  'clock',
  'reserve',
);

/**
 * settle: ARGV = n, n × (kind, id, token, x, y), then workerId ('' = no next reserve),
 * max, leaseMs, tokenBase. Kinds: c completed (x result, y '1' if present), f failed
 * (x error), r retry (x runAt, y error), x released. Returns {{1|0, ...}, reserveReply?}.
 */
export const SETTLE = queueScript(
  'settle',
  `
local now = nowMs()
local n = tonumber(ARGV[1])
local res = {}
local applied = 0
-- Leases ended by this call leave the active zset in one ZREM after the loop (nothing
-- in the loop reads that zset).
local settled = {}
for i = 0, n - 1 do
  local o = 1 + i * ${SETTLE_FIELDS}
  local kind, id, token, x, y = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 4], ARGV[o + 5]
  local jk = JP .. id
  -- A finish needs the first four fields only (fewer fields, less to convert).
  local f
  if kind == 'c' or kind == 'f' then
    f = redis.call('HMGET', jk, 'tk', 'dd', 'k', 'am')
  else
    f = redis.call('HMGET', jk, 'tk', 'dd', 'k', 'am', 'ws', 'psa', 'as')
  end
  if f[1] ~= token or token == '' then
    res[i + 1] = 0
  else
    res[i + 1] = 1
    applied = applied + 1
    settled[applied] = id
    local made = f[4] and string.format('%d', tonumber(f[4]) + 1) or '1'
    if kind == 'c' then
      if y == '1' then
        finish(id, jk, 'completed', now, f[2], keepOf(f[3], 'completed'), {'am', made, 'rv', x, 'tk', ''})
      else
        finish(id, jk, 'completed', now, f[2], keepOf(f[3], 'completed'), {'am', made, 'tk', ''})
      end
    elseif kind == 'f' then
      finish(id, jk, 'failed', now, f[2], keepOf(f[3], 'failed'), {'am', made, 'er', y, 'tk', ''})
    elseif kind == 'r' then
      if tonumber(x) <= now then
        redis.call('HSET', jk, 's', 'waiting', 'ra', x, 'er', y, 'am', made, 'tk', '')
        redis.call('ZADD', K_wait, f[5], id)
        wake()
      else
        redis.call('HSET', jk, 's', 'delayed', 'ra', x, 'er', y, 'am', made, 'tk', '')
        redis.call('ZADD', K_delayed, x, id)
        delayedAdded(id, x)
      end
    else
      local started = string.format('%d', (tonumber(f[7]) or 1) - 1)
      if f[6] and f[6] ~= '' then
        redis.call('HSET', jk, 's', 'waiting', 'as', started, 'sa', f[6], 'tk', '')
      else
        redis.call('HSET', jk, 's', 'waiting', 'as', started, 'tk', '')
        redis.call('HDEL', jk, 'sa')
      end
      redis.call('ZADD', K_wait, f[5], id)
      wake()
    end
  end
end
if applied > 0 then callList('ZREM', K_active, settled) end
flushRetention(now)
-- A freed slot matters to idle workers only under a global concurrency limit.
if applied > 0 and meta()[4] then wake() end
local p = 2 + n * ${SETTLE_FIELDS}
if ARGV[p] ~= '' then
  return {res, reserve(now, ARGV[p], tonumber(ARGV[p + 1]), tonumber(ARGV[p + 2]), ARGV[p + 3], false)}
end
return {res}
`,
  'clock',
  'finish',
  'wake',
  'reserve',
);

/** extend: ARGV = leaseMs, then (id, token) pairs. Returns 0 lost / 1 extended / 2 cancelled each. */
export const EXTEND = queueScript(
  'extend',
  `
local expS = string.format('%d', nowMs() + tonumber(ARGV[1]))
local res = {}
local za = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local jk = JP .. id
  local f = redis.call('HMGET', jk, 'tk', 'cr')
  if f[1] == ARGV[i + 1] and f[1] ~= '' then
    redis.call('HSET', jk, 'le', expS)
    za[#za + 1] = expS
    za[#za + 1] = id
    if f[2] == '1' then res[#res + 1] = 2 else res[#res + 1] = 1 end
  else
    res[#res + 1] = 0
  end
end
callList('ZADD', K_active, za)
return res
`,
  'clock',
  'calls',
);

/**
 * recoverExpired: ARGV = maxStalls, limit, stalled error (JSON). Returns {recovered ids},
 * {failed ids}.
 */
export const RECOVER = queueScript(
  'recover',
  `
local now = nowMs()
local maxStalls = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', K_active, '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[2]))
local recovered, failed = {}, {}
for i = 1, #ids do
  local id = ids[i]
  local jk = JP .. id
  redis.call('ZREM', K_active, id)
  local f = redis.call('HMGET', jk, 'st', 'dd', 'k', 'ws')
  local stalls = (tonumber(f[1]) or 0) + 1
  if stalls > maxStalls then
    finish(id, jk, 'failed', now, f[2], keepOf(f[3], 'failed'), {'st', stalls, 'er', ARGV[3], 'tk', ''})
    failed[#failed + 1] = id
  else
    redis.call('HSET', jk, 's', 'waiting', 'st', stalls, 'tk', '')
    redis.call('ZADD', K_wait, f[4], id)
    recovered[#recovered + 1] = id
  end
end
flushRetention(now)
if #recovered > 0 or (#failed > 0 and meta()[4]) then wake() end
return {recovered, failed}
`,
  'clock',
  'finish',
  'wake',
);

/**
 * nextDue (for idle waits): ms until the earliest delayed job is due, 0 if one is due,
 * -1 if none or the queue is paused (a paused queue promotes nothing, so a due job must
 * not wake waiters in a loop; resume pushes the marker).
 */
export const NEXT_DUE = queueScript(
  'nextDue',
  `
if isPaused() then return -1 end
return msToNextDelayed(nowMs())
`,
  'meta',
  'due',
  'clock',
);
