/**
 * The Lua scripts behind RedisSlots (redis-slots.ts). Each window of a bucket is one sorted set:
 * a member per call, scored with the time its slot is free again (Redis' clock, in ms). A call
 * in flight is scored with the end of its lease (the longest it can take plus the window), a
 * completed call with its completion plus the window. Entries past their score are dropped, so
 * the set's size is the number of calls the window still holds, and a key expires only once
 * every entry in it is past: an idle bucket's expiry loses nothing.
 *
 * The epoch key names the generation of that state. A FLUSHALL, a restart without persistence or
 * an eviction loses it; whoever notices writes a new epoch, and every replica then writes back
 * the entries it holds (see RedisSlots), before anyone takes a slot in the new epoch (it opens
 * after a short settling time).
 */

/** Redis' clock, not each replica's, decides when a slot is due. */
const NOW_MS =
  "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

/** A key lives until its latest entry is past, plus the margin: an idle bucket expires empty. */
const FIT_TTL = `
local function fit_ttl(key, margin)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', key, math.max(1, tonumber(last[2]) - now + margin)) end
end`;

/**
 * Takes one slot of every window, all or none.
 * KEYS: the epoch key, then one sorted set per window.
 * ARGV: known epoch, ticket, lease ms, key margin ms (keys outlive their last entry by it),
 * recheck ms, then per window: count, window ms, fail fast (1 for daily windows: an empty one
 * refuses at once), and a ticket of ours that must still be there ("" for none; its absence
 * means the window's state was lost).
 * A full window whose every slot is held by a call in flight frees none before one window from
 * now (a call that completes gives its slot back one window later) unless a call is cancelled
 * unsent: the caller looks again after a window or `recheck`, whichever is sooner, then gets
 * the exact time. A waiting call costs a few scripts, not one per poll.
 * Returns {"ok", now}, {"wait", ms}, {"full", window index, ms until a slot frees},
 * {"epoch"} (the epoch changed or is gone) or {"lost"}.
 */
export const TAKE = `${NOW_MS}${FIT_TTL}
local epoch = redis.call('GET', KEYS[1])
if epoch ~= ARGV[1] then return {'epoch'} end
local opens = tonumber(string.match(epoch, '|(%d+)$') or '0')
if now < opens then return {'wait', opens - now} end
local ticket, lease, margin, recheck = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local wait = 0
for i = 2, #KEYS do
  local at = 6 + (i - 2) * 4
  local count, window, fail_fast, mine =
    tonumber(ARGV[at]), tonumber(ARGV[at + 1]), ARGV[at + 2] == '1', ARGV[at + 3]
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if mine ~= '' and not redis.call('ZSCORE', KEYS[i], mine) then return {'lost'} end
  if redis.call('ZCARD', KEYS[i]) >= count then
    local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local frees = tonumber(first[2]) - now
    if fail_fast then return {'full', i - 1, frees} end
    -- Held by a call in flight: no slot frees before one window from now.
    if frees > window then frees = math.min(window, recheck) end
    if frees > wait then wait = frees end
  end
end
if wait > 0 then return {'wait', wait} end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now + lease, ticket)
  fit_ttl(KEYS[i], margin)
end
return {'ok', now}`;

/**
 * The call completed: each slot comes back one window from now.
 * KEYS: the window sets. ARGV: ticket, key margin ms, then each window's ms. Returns now.
 */
export const COMPLETE = `${NOW_MS}${FIT_TTL}
for i = 1, #KEYS do
  local window = tonumber(ARGV[i + 2])
  redis.call('ZADD', KEYS[i], now + window, ARGV[1])
  fit_ttl(KEYS[i], tonumber(ARGV[2]))
end
return now`;

/** The call was never sent: its slots come back at once. KEYS: the window sets. ARGV: ticket. */
export const CANCEL = `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1`;

/**
 * Writes back entries a replica holds, after their window's state was lost.
 * KEYS[1]: a window set. ARGV: key margin ms, then score, ticket, score, ticket, ... Returns now.
 */
export const RESTORE = `${NOW_MS}${FIT_TTL}
for i = 2, #ARGV, 2 do
  if tonumber(ARGV[i]) > now then redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
fit_ttl(KEYS[1], tonumber(ARGV[1]))
return now`;

/**
 * Starts a new epoch unless someone already has. KEYS[1]: the epoch key. ARGV: the epoch the
 * caller knows ("" if none), a new id, settling ms. Returns the epoch now in force:
 * "<id>|<ms when it opens>".
 */
export const RENEW_EPOCH = `${NOW_MS}
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return current end
local value = ARGV[2] .. '|' .. (now + tonumber(ARGV[3]))
redis.call('SET', KEYS[1], value)
return value`;
