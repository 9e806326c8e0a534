import { queueScript } from './queue-script.js';

/** counts: {waiting, delayed, active, completed, failed}, one consistent snapshot. */
export const COUNTS = queueScript(
  'counts',
  `
return {redis.call('ZCARD', K_wait), redis.call('ZCARD', K_delayed), redis.call('ZCARD', K_active),
  redis.call('ZCARD', K_completed), redis.call('ZCARD', K_failed)}
`,
);

/**
 * list: ARGV = state, offset, limit, order ('asc' | 'desc'). Returns {id, fields, ...}.
 * Active jobs are ordered by startedAt, which their zset (lease expiry) is not: they are
 * few (bounded by total worker concurrency), so they are sorted here.
 */
export const LIST = queueScript(
  'list',
  `
local state, offset, limit, desc = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == 'desc'
local ids
if limit <= 0 then return {} end
if state == 'active' then
  local all = redis.call('ZRANGE', K_active, 0, -1)
  local rows = {}
  for i = 1, #all do
    local f = redis.call('HMGET', JP .. all[i], 'sa', 'ws')
    rows[i] = {all[i], tonumber(f[1]) or 0, tonumber(f[2]) or 0}
  end
  table.sort(rows, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[3] < b[3]
  end)
  ids = {}
  local n = #rows
  for i = offset + 1, math.min(n, offset + limit) do
    if desc then ids[#ids + 1] = rows[n - i + 1][1] else ids[#ids + 1] = rows[i][1] end
  end
else
  if desc then
    ids = redis.call('ZREVRANGE', STATE_KEY[state], offset, offset + limit - 1)
  else
    ids = redis.call('ZRANGE', STATE_KEY[state], offset, offset + limit - 1)
  end
end
local out = {}
for i = 1, #ids do
  out[#out + 1] = ids[i]
  out[#out + 1] = readJob(ids[i])
end
return out
`,
  'states',
  'read',
);

/** remove: ARGV = ids. Deletes the non-active ones (logs and owned dedup key too). */
export const REMOVE = queueScript(
  'remove',
  `
local removed = {}
for i = 1, #ARGV do
  local id = ARGV[i]
  local s = redis.call('HGET', JP .. id, 's')
  if s and s ~= 'active' then
    deleteJob(id, s, true)
    removed[#removed + 1] = id
  end
end
return removed
`,
  'delete',
);

/**
 * retry: ARGV = 'ids', id... | 'state', state, limit. Failed/completed → waiting with
 * attempts reset, at the job's original place in the order.
 */
export const RETRY = queueScript(
  'retry',
  `
local now = nowMs()
local picked = {}
if ARGV[1] == 'ids' then
  for i = 2, #ARGV do
    local s = redis.call('HGET', JP .. ARGV[i], 's')
    if s == 'failed' or s == 'completed' then picked[#picked + 1] = {ARGV[i], s} end
  end
else
  local limit = tonumber(ARGV[3])
  if limit > 0 then
    local ids = redis.call('ZRANGE', STATE_KEY[ARGV[2]], 0, limit - 1)
    for i = 1, #ids do picked[i] = {ids[i], ARGV[2]} end
  end
end
local out = {}
for i = 1, #picked do
  local id, s = picked[i][1], picked[i][2]
  local jk = JP .. id
  redis.call('ZREM', STATE_KEY[s], id)
  redis.call('HDEL', jk, 'er', 'rv', 'fa', 'cr')
  redis.call('HSET', jk, 's', 'waiting', 'am', 0, 'as', 0, 'st', 0, 'ra', now)
  redis.call('ZADD', K_wait, redis.call('HGET', jk, 'ws'), id)
  out[i] = id
end
if #out > 0 then wake() end
return out
`,
  'clock',
  'states',
  'wake',
);

/** promote: ARGV = 'ids', id... | 'limit', n. Delayed → waiting now. */
export const PROMOTE = queueScript(
  'promote',
  `
local now = nowMs()
local ids
if ARGV[1] == 'ids' then
  ids = {}
  for i = 2, #ARGV do
    if redis.call('HGET', JP .. ARGV[i], 's') == 'delayed' then ids[#ids + 1] = ARGV[i] end
  end
else
  local limit = tonumber(ARGV[2])
  if limit <= 0 then return {} end
  ids = redis.call('ZRANGE', K_delayed, 0, limit - 1)
end
for i = 1, #ids do
  local jk = JP .. ids[i]
  redis.call('ZREM', K_delayed, ids[i])
  redis.call('HSET', jk, 's', 'waiting', 'ra', now)
  redis.call('ZADD', K_wait, redis.call('HGET', jk, 'ws'), ids[i])
end
if #ids > 0 then wake() end
return ids
`,
  'clock',
  'wake',
);

/**
 * clean: ARGV = state, graceMs, limit. Removes jobs at or before now - graceMs (inclusive,
 * see `QueueAdmin.clean`). Finished jobs by finishedAt (their zset order);
 * waiting/delayed by createdAt, which no index orders: a full pass over that zset (an
 * operator action, never on the hot path).
 */
export const CLEAN = queueScript(
  'clean',
  `
local state, cutoff, limit = ARGV[1], nowMs() - tonumber(ARGV[2]), tonumber(ARGV[3])
if limit <= 0 then return {} end
local zkey = STATE_KEY[state]
local ids = {}
if state == 'completed' or state == 'failed' then
  ids = redis.call('ZRANGEBYSCORE', zkey, '-inf', cutoff, 'LIMIT', 0, limit)
  for i = 1, #ids do deleteJob(ids[i], state, false) end
  return ids
end
local rows = {}
local total = redis.call('ZCARD', zkey)
for from = 0, total - 1, 1000 do
  local chunk = redis.call('ZRANGE', zkey, from, from + 999)
  for i = 1, #chunk do
    local f = redis.call('HMGET', JP .. chunk[i], 'ct', 'ws')
    local ct = tonumber(f[1])
    if ct and ct <= cutoff then rows[#rows + 1] = {chunk[i], ct, tonumber(f[2]) or 0} end
  end
end
table.sort(rows, function(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[3] < b[3]
end)
for i = 1, math.min(limit, #rows) do
  ids[i] = rows[i][1]
  deleteJob(ids[i], state, true)
end
return ids
`,
  'clock',
  'delete',
);

/**
 * applyRetention: ARGV = state ('completed' | 'failed'), offset, limit. Examines up to
 * `limit` jobs of the state from the oldest (skipping `offset`) and removes those whose
 * own policy (the k field, as encodeKeep writes it) says so: "age:count", -1 = unset, ''
 * keeps all. Returns {examined, id...}.
 */
export const APPLY_RETENTION = queueScript(
  'applyRetention',
  `
local state, offset, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if limit <= 0 then return {0} end
local zkey = STATE_KEY[state]
local now = nowMs()
local total = redis.call('ZCARD', zkey)
local page = redis.call('ZRANGE', zkey, offset, offset + limit - 1, 'WITHSCORES')
local out = {#page / 2}
for i = 1, #page, 2 do
  local id, fa = page[i], tonumber(page[i + 1])
  local keep = keepOf(redis.call('HGET', JP .. id, 'k'), state)
  local age, count = string.match(keep, '^(-?%d+):(-?%d+)$')
  -- Older jobs go first, so removing them never changes how many finished after this one.
  local newer = total - 1 - (offset + (i - 1) / 2)
  if age then
    age, count = tonumber(age), tonumber(count)
    if (age >= 0 and fa < now - age) or (count >= 0 and newer >= count) then
      deleteJob(id, state, false)
      out[#out + 1] = id
    end
  end
end
return out
`,
  'clock',
  'finish',
);

/**
 * drain: ARGV = includeDelayed ('1'/'0'), chunk. Deletes up to `chunk` waiting (then
 * delayed) jobs per call; the caller repeats until fewer come back, so a huge queue
 * never blocks the server in one long script.
 */
export const DRAIN = queueScript(
  'drain',
  `
local chunk = tonumber(ARGV[2])
local n = 0
local states = {'waiting'}
if ARGV[1] == '1' then states[2] = 'delayed' end
for _, state in ipairs(states) do
  if n < chunk then
    local ids = redis.call('ZRANGE', STATE_KEY[state], 0, chunk - n - 1)
    for i = 1, #ids do deleteJob(ids[i], nil, true) end
    if #ids > 0 then redis.call('ZREM', STATE_KEY[state], unpack(ids)) end
    n = n + #ids
  end
end
return n
`,
  'delete',
);

/** activeCount (obliterate's guard): ZCARD active. */
export const ACTIVE_COUNT = queueScript('activeCount', `return redis.call('ZCARD', K_active)`);

/** setPaused: ARGV = '1' | '0'. Returns the registration flag; resume wakes idle workers. */
export const SET_PAUSED = queueScript(
  'setPaused',
  `
local reg = markRegistered()
if ARGV[1] == '1' then
  redis.call('HSET', K_meta, 'paused', '1')
else
  redis.call('HDEL', K_meta, 'paused')
  META[1] = false
  if redis.call('ZCARD', K_wait) > 0 or redis.call('ZCARD', K_delayed) > 0 then wake() end
end
return reg
`,
  'meta',
  'wake',
);

/**
 * setLimits: ARGV = rate mode ('keep' | 'clear' | 'set'), max, duration, concurrency
 * mode, n. A looser limit may make held-back jobs reservable, so idle workers wake.
 */
export const SET_LIMITS = queueScript(
  'setLimits',
  `
if ARGV[1] == 'clear' then
  redis.call('HDEL', K_meta, 'rmax', 'rdur')
  redis.call('DEL', K_rl)
elseif ARGV[1] == 'set' then
  redis.call('HSET', K_meta, 'rmax', ARGV[2], 'rdur', ARGV[3])
end
if ARGV[4] == 'clear' then
  redis.call('HDEL', K_meta, 'conc')
elseif ARGV[4] == 'set' then
  redis.call('HSET', K_meta, 'conc', ARGV[5])
end
local reg = markRegistered()
if redis.call('ZCARD', K_wait) > 0 then wake() end
return reg
`,
  'meta',
  'wake',
);

/** setProgress: ARGV = id, token, progress. 1 if the token holds the job. */
export const SET_PROGRESS = queueScript(
  'setProgress',
  `
local jk = JP .. ARGV[1]
if ARGV[2] == '' or redis.call('HGET', jk, 'tk') ~= ARGV[2] then return 0 end
redis.call('HSET', jk, 'pg', ARGV[3])
return 1
`,
);

/** addLog: ARGV = id, token, line, keep. 1 if the token holds the job. */
export const ADD_LOG = queueScript(
  'addLog',
  `
if ARGV[2] == '' or redis.call('HGET', JP .. ARGV[1], 'tk') ~= ARGV[2] then return 0 end
local lk = LP .. ARGV[1]
redis.call('RPUSH', lk, ARGV[3])
local keep = tonumber(ARGV[4])
if keep <= 0 then redis.call('DEL', lk) else redis.call('LTRIM', lk, -keep, -1) end
return 1
`,
);

/** dedupOwner: ARGV = dedupId. The owner id if the key is live, else nil. */
export const DEDUP_OWNER = queueScript(
  'dedupOwner',
  `
local dk = DP .. ARGV[1]
local owner = redis.call('GET', dk)
if not owner then return false end
if redis.call('PTTL', dk) > 0 then return owner end
local s = redis.call('HGET', JP .. owner, 's')
if s == 'waiting' or s == 'delayed' or s == 'active' then return owner end
return false
`,
);

/** removeDedup: ARGV = dedupId. 1 if the key was live (an expired key counts as gone). */
export const REMOVE_DEDUP = queueScript(
  'removeDedup',
  `
local dk = DP .. ARGV[1]
local owner = redis.call('GET', dk)
if not owner then return 0 end
local live = redis.call('PTTL', dk) > 0
if not live then
  local s = redis.call('HGET', JP .. owner, 's')
  live = s == 'waiting' or s == 'delayed' or s == 'active'
end
redis.call('DEL', dk)
if live then return 1 end
return 0
`,
);

/**
 * cancel: ARGV = id, cancelled error (JSON). Returns 'cancelled' | 'signalled' |
 * 'not-cancellable'.
 */
export const CANCEL = queueScript(
  'cancel',
  `
local id = ARGV[1]
local jk = JP .. id
local f = redis.call('HMGET', jk, 's', 'dd', 'k')
local s = f[1]
if s == 'active' then
  redis.call('HSET', jk, 'cr', '1')
  return 'signalled'
end
if s ~= 'waiting' and s ~= 'delayed' then return 'not-cancellable' end
redis.call('ZREM', STATE_KEY[s], id)
local now = nowMs()
finish(id, jk, 'failed', now, f[2], keepOf(f[3], 'failed'), {'er', ARGV[2]})
flushRetention(now)
return 'cancelled'
`,
  'clock',
  'finish',
);

/**
 * updateData: ARGV = id, prefix, payload. `prefix` is the job's packed record up to its
 * payload (see packJob), as the caller read it: matching it fences the write to the
 * same job (name and options), and the state check to a queued one. Returns {'updated'},
 * {'not-found'}, {'not-updatable', state} or {'changed'} (the record was replaced
 * since the caller read it).
 */
export const UPDATE_DATA = queueScript(
  'updateData',
  `
local jk = JP .. ARGV[1]
local f = redis.call('HMGET', jk, 's', 'i')
if not f[1] or not f[2] then return {'not-found'} end
if f[1] ~= 'waiting' and f[1] ~= 'delayed' then return {'not-updatable', f[1]} end
local prefix = ARGV[2]
if string.sub(f[2], 1, #prefix) ~= prefix then return {'changed'} end
redis.call('HSET', jk, 'i', prefix .. ARGV[3])
return {'updated'}
`,
);

/** hasData (listQueues): 1 if the queue holds jobs, schedules or a pause flag. */
export const HAS_DATA = queueScript(
  'hasData',
  `
if redis.call('EXISTS', K_wait, K_delayed, K_active, K_completed, K_failed, K_scheds) > 0 then return 1 end
if isPaused() then return 1 end
return 0
`,
  'meta',
);
