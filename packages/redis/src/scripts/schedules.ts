import { ADD_FIELDS } from './jobs.js';
import { queueScript } from './queue-script.js';

/**
 * Schedule hash fields: spec (JSON), tpl (JSON), paused ('1'/'0'), next (absent = null),
 * lastRun, lastFired, runs, created, updated, and the drift figures maxDrift (absent until a
 * tick), late (absent = 0) and driftSince (absent = never reset). The `scheds` zset indexes
 * ids by createdAt.
 */

/**
 * upsertSchedule: ARGV = id, spec, tpl, paused, next ('' = null), created, updated, runs,
 * lastRun (''), lastFired (''). An existing record keeps runs, lastRun, lastFired and
 * created, and its next run when its spec is the same text (specs are written as
 * canonical JSON) and it fired more often than the writer read. Returns the
 * registration flag.
 */
export const UPSERT_SCHEDULE = queueScript(
  'upsertSchedule',
  `
local sk = SP .. ARGV[1]
local prev = redis.call('HMGET', sk, 'spec', 'runs')
local existed = prev[1] ~= false
redis.call('HSET', sk, 'spec', ARGV[2], 'tpl', ARGV[3], 'paused', ARGV[4], 'updated', ARGV[7])
-- A tick fired since the writer read the schedule: its plan must not go back.
if not (prev[1] == ARGV[2] and tonumber(prev[2] or '0') > tonumber(ARGV[8])) then
  if ARGV[5] == '' then redis.call('HDEL', sk, 'next') else redis.call('HSET', sk, 'next', ARGV[5]) end
end
if not existed then
  redis.call('HSET', sk, 'created', ARGV[6], 'runs', ARGV[8])
  if ARGV[9] ~= '' then redis.call('HSET', sk, 'lastRun', ARGV[9]) end
  if ARGV[10] ~= '' then redis.call('HSET', sk, 'lastFired', ARGV[10]) end
  redis.call('ZADD', K_scheds, ARGV[6], ARGV[1])
end
return markRegistered()
`,
  'meta',
);

/** removeSchedule: ARGV = id. 1 if it existed. */
export const REMOVE_SCHEDULE = queueScript(
  'removeSchedule',
  `
redis.call('ZREM', K_scheds, ARGV[1])
return redis.call('DEL', SP .. ARGV[1])
`,
);

/** pauseSchedule: ARGV = id, '1' | '0'. 1 if it exists. */
export const PAUSE_SCHEDULE = queueScript(
  'pauseSchedule',
  `
local sk = SP .. ARGV[1]
if redis.call('EXISTS', sk) == 0 then return 0 end
redis.call('HSET', sk, 'paused', ARGV[2])
return 1
`,
);

/** listSchedules: {id, HGETALL, id, HGETALL, ...} oldest first; ARGV[1] = one id or ''. */
export const LIST_SCHEDULES = queueScript(
  'listSchedules',
  `
local ids
if ARGV[1] ~= '' then ids = {ARGV[1]} else ids = redis.call('ZRANGE', K_scheds, 0, -1) end
local out = {}
for i = 1, #ids do
  local h = redis.call('HGETALL', SP .. ids[i])
  if #h > 0 then
    out[#out + 1] = ids[i]
    out[#out + 1] = h
  end
end
return out
`,
);

/**
 * fire: the compare-and-set that makes a tick fire once. ARGV = id, expectedRunAt,
 * nextRunAt ('' = null), firedAt, lateAfterMs, then the job's 10 add fields (none: a
 * skipped tick). A tick that applies (fired or skipped) raises maxDrift and may count
 * as late.
 * Only when the record exists, is not paused and expects this tick: adds the job and
 * advances the record, in this one atomic script. Returns {'fired', jobId ('' when
 * skipped), registered} or {'stale'}.
 */
export const FIRE = queueScript(
  'fire',
  `
local sk = SP .. ARGV[1]
local f = redis.call('HMGET', sk, 'paused', 'next')
if f[1] == false or f[1] == '1' or f[2] == false or tonumber(f[2]) ~= tonumber(ARGV[2]) then
  return {'stale'}
end
if ARGV[3] == '' then redis.call('HDEL', sk, 'next') else redis.call('HSET', sk, 'next', ARGV[3]) end
local drift = tonumber(ARGV[4]) - tonumber(ARGV[2])
local maxDrift = tonumber(redis.call('HGET', sk, 'maxDrift') or '')
if not maxDrift or drift > maxDrift then redis.call('HSET', sk, 'maxDrift', string.format('%d', drift)) end
if drift > tonumber(ARGV[5]) then redis.call('HINCRBY', sk, 'late', 1) end
-- No job: a missed tick being skipped, which only moves nextRunAt.
if #ARGV <= 5 then return {'fired', '', 0} end
local _, id = addJob(nowMs(), ARGV, 5)
flushAdds()
redis.call('HSET', sk, 'lastRun', ARGV[2], 'lastFired', ARGV[4])
redis.call('HINCRBY', sk, 'runs', 1)
return {'fired', id, markRegistered()}
`,
  'clock',
  'meta',
  'add',
);

/** resetDrift: ARGV = id, now. 1 if the schedule exists. */
export const RESET_DRIFT = queueScript(
  'resetDrift',
  `
local sk = SP .. ARGV[1]
if redis.call('EXISTS', sk) == 0 then return 0 end
redis.call('HDEL', sk, 'maxDrift', 'late')
redis.call('HSET', sk, 'driftSince', ARGV[2])
return 1
`,
);

/** Fields per job in `fire`'s ARGV after its 5 own values. */
export const FIRE_JOB_FIELDS = ADD_FIELDS;
