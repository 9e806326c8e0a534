import { JOB_FIELD_NAMES } from './fields.js';

/**
 * Lua helpers every kind of queue script may need: the clock, the meta hash, the
 * wake-up marker, field lists. Each constant is one library part (see queue-script.ts).
 */

/** Priority and FIFO/LIFO score constants, and the stored bounds (@mq/core storable.ts). */
export const CONSTS = `
local TWO31 = 2147483648
local TWO32 = 4294967296
local PMAX = 2097151
local MAXD = 8640000000000000
local MAXC = 2147483647

-- An argument or field as an integer in [0, max]: absent, unreadable, NaN or negative
-- is 0. Scripts read every number through this before their first write, so no later
-- command can fail on a number (string.format('%d') of 1e300 is garbage, SET PX of it
-- an error) after the script wrote something.
local function boundedInt(s, max)
  local n = tonumber(s)
  if not n or n ~= n or n <= 0 then return 0 end
  if n >= max then return max end
  return math.floor(n)
end
`;

/** The server clock in ms. */
export const CLOCK = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- redis.call formats every Lua number argument with %.17g (a microsecond each) but
-- copies strings: a timestamp written for every job of a batch is formatted once.
local msCache, msCacheS = nil, nil
local function msS(n)
  if n ~= msCache then msCache, msCacheS = n, string.format('%d', n) end
  return msCacheS
end
`;

/** Variadic commands over lists of any length. */
export const CALLS = `
-- One variadic command per chunk of 4000 list items: unpack is bounded by Lua's C
-- stack (8000), and one command per item would cost a redis.call each. head: the
-- key the command takes before the list, or nil.
local function callList(cmd, head, list)
  local n = #list
  for i = 1, n, 4000 do
    local j = math.min(i + 3999, n)
    if head then redis.call(cmd, head, unpack(list, i, j)) else redis.call(cmd, unpack(list, i, j)) end
  end
end
`;

/** The queue's meta hash: pause flag, limits, registration. */
export const META = `
-- Read once per call: every redis.call costs on top of its command, so scripts count
-- their calls. Fields: paused, rmax/rdur (rate limit), conc (concurrency limit), reg
-- (registered in the queue registry), nd (next due: the earliest delayed job's due time
-- or earlier, '' when no job is delayed, absent when unknown; see reserve).
local META = nil
local function meta()
  if not META then META = redis.call('HMGET', K_meta, 'paused', 'rmax', 'rdur', 'conc', 'reg', 'nd') end
  return META
end
local function isPaused()
  return meta()[1] == '1'
end

-- 1 when this write created the queue's meta hash: the caller then (re)registers the
-- queue in the cross-slot registry set, which a queue script cannot touch in Cluster.
local function markRegistered()
  if meta()[5] then return 0 end
  redis.call('HSET', K_meta, 'reg', 1)
  META[5] = '1'
  return 1
end
`;

/** The wake-up marker idle waiters block on. */
export const WAKE = `
-- Idle waiters block on the marker zset with BZPOPMIN. One member, so pushing it again
-- is free; at most one push per script call, none while paused.
local woke = false
local function wake()
  if not woke and not isPaused() then
    redis.call('ZADD', K_marker, 0, '0')
    woke = true
  end
end

-- Every write into the delayed zset calls this. A job that became the earliest lowers
-- the queue's next due time (meta nd) and changes when idle waiters must wake up.
local function delayedAdded(id, runAtS)
  local first = redis.call('ZRANGE', K_delayed, 0, 0)
  if first[1] == id then
    redis.call('HSET', K_meta, 'nd', runAtS)
    wake()
  end
end
`;

/** Time to the earliest delayed job. */
export const DUE = `
-- ms until the earliest delayed job is due (0 = due now), or -1 when there is none.
local function msToNextDelayed(now)
  local first = redis.call('ZRANGE', K_delayed, 0, 0, 'WITHSCORES')
  if first[2] == nil then return -1 end
  local ms = tonumber(first[2]) - now
  if ms < 0 then ms = 0 end
  return ms
end
`;

/** State name → zset key. */
export const STATES = `
local STATE_KEY = {waiting = K_wait, delayed = K_delayed, active = K_active, completed = K_completed, failed = K_failed}
`;

/** Reading a job record. */
export const READ = `
local JOB_FIELDS = {${JOB_FIELD_NAMES.map((f) => `'${f}'`).join(', ')}}
local function readJob(id)
  return redis.call('HMGET', JP .. id, unpack(JOB_FIELDS))
end
`;
