/** Lua helpers that order, delete, finish and promote jobs (library parts). */

/** The waiting-order score. */
export const ORDER = `
-- Score in the waiting zset: priority band (higher priority = lower band), then within
-- the band LIFO jobs below 2^31 (newest lowest) and FIFO jobs above it (oldest lowest).
-- seq is the job's number from the queue's add counter (shared with auto ids, so an
-- add costs one counter call); LIFO jobs also take a number from a falling counter.
local function waitScore(pri, lifo, seq)
  local p = tonumber(pri) or 0
  if p > PMAX then p = PMAX elseif p < 0 then p = 0 end
  local within
  if lifo == '1' then
    within = TWO31 - redis.call('HINCRBY', K_meta, 'lseq', 1)
  else
    within = TWO31 + seq % TWO31
  end
  return (PMAX - math.floor(p)) * TWO32 + within
end
`;

/** Deleting jobs and releasing dedup keys. */
export const DELETE = `
-- Drops the dedup key job id owns: always when forced (an operator removed the job),
-- else only a ttl-less key (a ttl key keeps throttling after its owner is gone).
local function dedupRelease(id, dd, force)
  if not dd then return end
  local dk = DP .. dd
  if redis.call('GET', dk) == id and (force or redis.call('PTTL', dk) == -1) then
    redis.call('DEL', dk)
  end
end

-- Deletes the records and logs of ids[from], ids[from + stride], ... up to ids[to].
local function delJobs(ids, from, to, stride)
  local keys = {}
  for i = from, to, stride do
    keys[#keys + 1] = JP .. ids[i]
    keys[#keys + 1] = LP .. ids[i]
  end
  callList('DEL', nil, keys)
end

-- Deletes a job, its logs and (see dedupRelease) its dedup key; state = its zset or nil.
local function deleteJob(id, state, forceDedup)
  local jk = JP .. id
  if state then redis.call('ZREM', STATE_KEY[state], id) end
  dedupRelease(id, redis.call('HGET', jk, 'dd'), forceDedup)
  redis.call('DEL', jk, LP .. id)
end
`;

/** Finishing jobs and retention. */
export const FINISH = `
-- Retention runs once per (state, policy) at the end of a script call, not once per
-- job: a batch of 100 completions trims the completed zset once. A finished job owns
-- no ttl-less dedup key any more (finish released it), so trimming is a plain DEL.
local keepQueue = {}
local function trimAge(zkey, cutoff)
  local old = redis.call('ZRANGEBYSCORE', zkey, '-inf', '(' .. cutoff, 'LIMIT', 0, 1000)
  if #old > 0 then
    delJobs(old, 1, #old, 1)
    redis.call('ZREM', zkey, unpack(old))
  end
end
local function trimFinished(zkey, enc, now)
  local age, count = string.match(enc, '^([^:]*):([^:]*)$')
  age = tonumber(age)
  count = tonumber(count)
  -- Runs after the finish writes: it must not fail. A policy it cannot read (written
  -- by an older version as "1e+300:-1", say) keeps the jobs; huge limits are bounded.
  if not age or not count or age ~= age or count ~= count then return end
  if age > MAXD then age = MAXD elseif age >= 0 then age = math.floor(age) end
  if count > MAXC then count = MAXC elseif count > 0 then count = math.floor(count) end
  if count <= 0 then
    if age >= 0 then trimAge(zkey, now - age) end
    return
  end
  -- The oldest (size - count + 1): the excess over \`count\` plus the oldest survivor,
  -- whose score tells whether the age rule has anything to do. Empty below \`count\`.
  local r = redis.call('ZRANGE', zkey, 0, string.format('%d', -count), 'WITHSCORES')
  local excess = #r / 2 - 1
  if excess > 0 then
    delJobs(r, 1, 2 * excess - 1, 2)
    redis.call('ZREMRANGEBYRANK', zkey, 0, string.format('%d', excess - 1))
  end
  if age >= 0 and (#r == 0 or tonumber(r[#r]) < now - age) then trimAge(zkey, now - age) end
end
-- Finished jobs enter their zset here, in one ZADD per state, before retention looks.
local finished = {completed = {}, failed = {}}
local function flushRetention(now)
  for _, state in ipairs({'completed', 'failed'}) do
    local za = finished[state]
    if #za > 0 then
      callList('ZADD', STATE_KEY[state], za)
      finished[state] = {}
    end
  end
  for i = 1, #keepQueue do trimFinished(keepQueue[i][1], keepQueue[i][2], now) end
  keepQueue = {}
end

-- The retention policy of a finished state from the job's k field ("complete|fail").
local function keepOf(k, state)
  if not k then return '' end
  local c, f = string.match(k, '^([^|]*)|(.*)$')
  if state == 'completed' then return c or '' end
  return f or ''
end

-- Moves a job (out of its zset, lease cleared) to completed or failed: \`set\` holds
-- extra HSET field/value pairs. A policy keeping no job ("age:0") deletes it at once;
-- others are queued for flushRetention, which every caller runs before returning.
local function finish(id, jk, state, now, dd, keep, set)
  dedupRelease(id, dd, false)
  if keep and string.sub(keep, -2) == ':0' then
    redis.call('DEL', jk, LP .. id)
    return
  end
  set[#set + 1] = 's'
  set[#set + 1] = state
  local nowS = msS(now)
  set[#set + 1] = 'fa'
  set[#set + 1] = nowS
  redis.call('HSET', jk, unpack(set))
  local za = finished[state]
  za[#za + 1] = nowS
  za[#za + 1] = id
  local zkey = STATE_KEY[state]
  if keep and keep ~= '' then
    local last = keepQueue[#keepQueue]
    if not last or last[1] ~= zkey or last[2] ~= keep then keepQueue[#keepQueue + 1] = {zkey, keep} end
  end
end
`;

/** Promotion of due delayed jobs. */
export const PROMOTE = `
-- Due delayed jobs back to waiting at their original place (bounded per call).
local function promoteDue(now)
  local due = redis.call('ZRANGEBYSCORE', K_delayed, '-inf', now, 'LIMIT', 0, 1000)
  local n = #due
  if n == 0 then return 0 end
  local za = {}
  for i = 1, n do
    local jk = JP .. due[i]
    za[#za + 1] = redis.call('HGET', jk, 'ws')
    za[#za + 1] = due[i]
    redis.call('HSET', jk, 's', 'waiting')
  end
  redis.call('ZADD', K_wait, unpack(za))
  redis.call('ZREM', K_delayed, unpack(due))
  return n
end
`;
