/**
 * The Redis ledger's Lua scripts. Each runs atomically in Redis, so a claim's checks and its
 * decrement are one step. Per sale, four keys share a hash tag (one cluster slot):
 *   {sale}      hash: quantity remaining reserved sold limit starts ends closed window price
 *   {sale}:b    hash: buyer id -> units held (reserved or bought)
 *   {sale}:k    hash: buyer:key -> reservation id (idempotency)
 *   {sale}:r    hash: reservation id -> "buyer|quantity|state|expiresMs|key|createdMs", state h(eld) s(old) r(eleased)
 * Times come from the caller (`deps.clock`), never from Redis, so tests can move them.
 */

/** KEYS sale, buyers, keys, res. ARGV buyer, key, quantity, nowMs, newId. */
export const CLAIM = `
local s = redis.call('HMGET', KEYS[1], 'remaining', 'limit', 'starts', 'ends', 'closed', 'window', 'price')
if not s[1] then return {'missing'} end
local buyer, key, qty, now, id = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local bk = buyer .. ':' .. key
local prior = redis.call('HGET', KEYS[3], bk)
if prior then return {'replay', prior, redis.call('HGET', KEYS[4], prior) or '', s[7]} end
if s[5] == '1' then return {'refused', 'FLASH_SALE_ENDED'} end
local starts = tonumber(s[3])
if starts < 0 or now < starts then return {'refused', 'FLASH_SALE_NOT_STARTED'} end
if now >= tonumber(s[4]) then return {'refused', 'FLASH_SALE_ENDED'} end
local remaining = tonumber(s[1])
if remaining == 0 then return {'refused', 'FLASH_SALE_SOLD_OUT', 0} end
local limit = tonumber(s[2])
local held = tonumber(redis.call('HGET', KEYS[2], buyer) or '0')
if held + qty > limit then return {'refused', 'FLASH_SALE_LIMIT_EXCEEDED', limit, held} end
if remaining < qty then return {'refused', 'FLASH_SALE_INSUFFICIENT_STOCK', remaining} end
local expires = now + tonumber(s[6])
redis.call('HINCRBY', KEYS[1], 'remaining', -qty)
redis.call('HINCRBY', KEYS[1], 'reserved', qty)
redis.call('HINCRBY', KEYS[2], buyer, qty)
redis.call('HSET', KEYS[3], bk, id)
redis.call('HSET', KEYS[4], id, buyer .. '|' .. qty .. '|h|' .. expires .. '|' .. key .. '|' .. now)
return {'ok', id, tostring(expires), s[7]}
`;

/**
 * Moves one reservation to a state, adjusting the counters by the difference. With `expect`,
 * only from that state (settling: held to sold or released, exactly once). A reservation the
 * ledger lacks counts as released; with its fields given it is created (reconciliation).
 * KEYS sale, buyers, keys, res. ARGV id, target, expect, buyer, quantity, expiresMs, key, createdMs.
 * Answers {outcome, previous state, remaining, reserved, sold, quantity}.
 */
export const SET_STATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
local id, target, expect = ARGV[1], ARGV[2], ARGV[3]
local rec = redis.call('HGET', KEYS[4], id)
local f = {}
if rec then
  for part in string.gmatch(rec, '[^|]+') do f[#f + 1] = part end
else
  if ARGV[4] == '' then return {'unknown'} end
  f = {ARGV[4], ARGV[5], 'r', ARGV[6], ARGV[7], ARGV[8]}
end
local state = f[3]
local function counts(outcome)
  local c = redis.call('HMGET', KEYS[1], 'remaining', 'reserved', 'sold', 'quantity')
  return {outcome, state, c[1], c[2], c[3], c[4]}
end
if expect ~= '' and state ~= expect then return counts('skipped') end
if state == target then return counts('same') end
local buyer, qty = f[1], tonumber(f[2])
local function add(st, sign)
  if st == 'h' then
    redis.call('HINCRBY', KEYS[1], 'reserved', sign * qty)
    redis.call('HINCRBY', KEYS[2], buyer, sign * qty)
  elseif st == 's' then
    redis.call('HINCRBY', KEYS[1], 'sold', sign * qty)
    redis.call('HINCRBY', KEYS[2], buyer, sign * qty)
  else
    redis.call('HINCRBY', KEYS[1], 'remaining', sign * qty)
  end
end
add(state, -1)
add(target, 1)
f[3] = target
redis.call('HSET', KEYS[4], id, table.concat(f, '|'))
redis.call('HSETNX', KEYS[3], buyer .. ':' .. f[5], id)
return counts('moved')
`;

/**
 * Loads a sale from the database's state, only if Redis does not have it (first claim, or Redis
 * restarted empty). One script, so no claim ever sees half a sale.
 * KEYS sale, buyers, keys, res. ARGV quantity limit starts ends closed window price remaining
 * reserved sold nBuyers [buyer held]... nRes [id record buyerKey]...
 */
export const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('HSET', KEYS[1], 'quantity', ARGV[1], 'limit', ARGV[2], 'starts', ARGV[3], 'ends', ARGV[4], 'closed', ARGV[5],
  'window', ARGV[6], 'price', ARGV[7], 'remaining', ARGV[8], 'reserved', ARGV[9], 'sold', ARGV[10])
local i = 11
local nb = tonumber(ARGV[i]); i = i + 1
for _ = 1, nb do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
local nr = tonumber(ARGV[i]); i = i + 1
for _ = 1, nr do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[3], ARGV[i + 2], ARGV[i])
  i = i + 3
end
return 'loaded'
`;

/** Updates a loaded sale's window; a sale not loaded picks its terms up when it loads. KEYS sale. ARGV limit starts ends closed window price. */
export const TERMS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'limit', ARGV[1], 'starts', ARGV[2], 'ends', ARGV[3], 'closed', ARGV[4], 'window', ARGV[5], 'price', ARGV[6])
return 1
`;

/** A reservation record as the Redis ledger keeps it. */
export interface RedisRecord {
  buyerId: string;
  quantity: number;
  state: 'h' | 's' | 'r';
  expiresMs: number;
  key: string;
  createdMs: number;
}

export function parseRecord(text: string | null | undefined): RedisRecord | null {
  const f = (text ?? '').split('|');
  if (f.length !== 6 || !['h', 's', 'r'].includes(f[2]!)) return null;
  return { buyerId: f[0]!, quantity: Number(f[1]), state: f[2] as RedisRecord['state'], expiresMs: Number(f[3]), key: f[4]!, createdMs: Number(f[5]) };
}

