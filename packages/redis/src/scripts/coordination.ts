import { script } from '../script-runner.js';

/**
 * Scripts outside any queue: locks (KEYS[1] = the lock) and the worker registry
 * (KEYS[1] = expiry index, KEYS[2] = entry). Both registry keys share the `{workers}`
 * tag, so they stay in one Cluster slot.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** acquire: ARGV = owner, ttlMs. Free or expired (Redis expired it) → take; held by owner → refresh. */
export const LOCK_ACQUIRE = script(
  'lockAcquire',
  `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`,
);

/** renew: ARGV = owner, ttlMs. Only the holder. */
export const LOCK_RENEW = script(
  'lockRenew',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
);

/** release: ARGV = owner. Only the holder. */
export const LOCK_RELEASE = script(
  'lockRelease',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);

/** heartbeat: ARGV = id, info (JSON), ttlMs. Stores "lastSeen|info" with a TTL. */
export const WORKER_HEARTBEAT = script(
  'workerHeartbeat',
  `${NOW}
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[2], now .. '|' .. ARGV[2], 'PX', ttl)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
return 1
`,
);

/** list: KEYS[1] = index; ARGV[1] = entry key prefix. Returns the live "lastSeen|info" values. */
export const WORKER_LIST = script(
  'workerList',
  `${NOW}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local out = {}
for i = 1, #ids do
  local v = redis.call('GET', ARGV[1] .. ids[i])
  if v then out[#out + 1] = v end
end
return out
`,
);
