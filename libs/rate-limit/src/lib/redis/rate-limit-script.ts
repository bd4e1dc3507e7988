/**
 * The one server-side script of the Redis ledger, loaded once (SCRIPT LOAD) and run with EVALSHA. Every
 * decision happens inside it, atomically, on Redis's clock (TIME): no two processes ever decide on
 * different views or clocks. Same semantics as the in-memory and SQLite ledgers (ledger-decisions.ts).
 *
 * Keys of one broker share the hash tag of KEYS[1] (`<prefix>:{<broker>}`), so they live in one slot:
 *   :meta        hash   epoch (changes when Redis lost the data), fence (no grants before), seq (tickets)
 *   :g:<rule>    zset   member "<leaseId>:<weight>:<priority 1/0>", score = free time (ms), +inf while held
 *   :leases      hash   held lease -> "<owner>|<priority>|<rule>,<weight>,<windowMs>;..."
 *   :owners      zset   owner -> liveness expiry (ms)
 *   :owned:<o>   set    held leases of owner o
 *   :tickets     hash   ticket -> "<owner>|<priority 1/0>|<seq>|<expiresAt>|<rule>,<rule>..."
 *   :wake        pub/sub channel: budget released or a waiter left the queue
 * Every key expires (keyTtlMs, renewed by every call that touches it and by heartbeats).
 *
 * ARGV: op, owner, ownerTtlMs, keyTtlMs, fenceMs, then per op (times are returned as strings: Redis
 * would truncate Lua numbers to integers).
 */
export const RATE_LIMIT_SCRIPT = `
local base = KEYS[1]
local op = ARGV[1]
local owner = ARGV[2]
local ownerTtl = tonumber(ARGV[3])
local keyTtl = tonumber(ARGV[4])
local fenceMs = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local META = base .. ':meta'
local LEASES = base .. ':leases'
local OWNERS = base .. ':owners'
local TICKETS = base .. ':tickets'
local WAKE = base .. ':wake'
local function fmt(x) return string.format('%.3f', x) end
local function G(rule) return base .. ':g:' .. rule end
local function OWNED(o) return base .. ':owned:' .. o end

local epoch = redis.call('HGET', META, 'epoch')
if not epoch then
  -- A fresh ledger, or one that lost its data: grants made before may still be in their windows.
  -- Nothing is granted until every live process has had a heartbeat to put its grants back.
  epoch = t[1] .. '.' .. t[2]
  redis.call('HSET', META, 'epoch', epoch, 'fence', fmt(now + fenceMs), 'seq', '0')
end
redis.call('PEXPIRE', META, 86400000)
local fence = tonumber(redis.call('HGET', META, 'fence') or '0')

local function parse_lease(rec)
  local leaseOwner, prio, parts = string.match(rec, '^(.-)|(%d)|(.*)$')
  return leaseOwner, prio, parts
end

local function count_lease(leaseId, at)
  local rec = redis.call('HGET', LEASES, leaseId)
  if not rec then return end
  local leaseOwner, prio, parts = parse_lease(rec)
  for rule, weight, window in string.gmatch(parts, '([^,;]+),([^,;]+),([^,;]+)') do
    local member = leaseId .. ':' .. weight .. ':' .. prio
    local freeAt = at + tonumber(window)
    if freeAt > now then
      redis.call('ZADD', G(rule), fmt(freeAt), member)
    else
      redis.call('ZREM', G(rule), member)
    end
  end
  redis.call('HDEL', LEASES, leaseId)
  redis.call('SREM', OWNED(leaseOwner), leaseId)
end

local function drop_lease(leaseId)
  local rec = redis.call('HGET', LEASES, leaseId)
  if not rec then return end
  local leaseOwner, prio, parts = parse_lease(rec)
  for rule, weight in string.gmatch(parts, '([^,;]+),([^,;]+),[^,;]+') do
    redis.call('ZREM', G(rule), leaseId .. ':' .. weight .. ':' .. prio)
  end
  redis.call('HDEL', LEASES, leaseId)
  redis.call('SREM', OWNED(leaseOwner), leaseId)
end

-- This owner is alive; the held grants of owners that stopped beating count as answered when they lapsed.
redis.call('ZADD', OWNERS, fmt(now + ownerTtl), owner)
local lapsed = redis.call('ZRANGEBYSCORE', OWNERS, '-inf', fmt(now), 'WITHSCORES')
for i = 1, #lapsed, 2 do
  local o = lapsed[i]
  local expiresAt = tonumber(lapsed[i + 1])
  for _, leaseId in ipairs(redis.call('SMEMBERS', OWNED(o))) do count_lease(leaseId, expiresAt) end
  redis.call('DEL', OWNED(o))
  redis.call('ZREM', OWNERS, o)
end
for _, key in ipairs({ LEASES, OWNERS, TICKETS, OWNED(owner) }) do redis.call('PEXPIRE', key, keyTtl) end

local function usage(rule)
  local key = G(rule)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', fmt(now))
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local used, held, prioUsed, counted = 0, 0, 0, {}
  for i = 1, #entries, 2 do
    local w, p = string.match(entries[i], ':(%d+):(%d)$')
    w = tonumber(w)
    used = used + w
    if p == '1' then prioUsed = prioUsed + w end
    if entries[i + 1] == 'inf' then
      held = held + w
    else
      counted[#counted + 1] = { w, tonumber(entries[i + 1]), p == '1' }
    end
  end
  return used, held, prioUsed, counted
end

-- A priority grant needs used + weight <= limit; a standard one also leaves the unused part of the
-- reserve free (sliding-window-log.ts, fits).
local function fits(limit, used, prioUsed, weight, priority, reserved)
  local keptFree = 0
  if priority ~= '1' then keptFree = math.max(0, reserved - prioUsed) end
  return used + weight + keptFree <= limit
end

-- Earliest time the weight fits; nil when only a release of a held grant can help.
local function room_at(c, priority)
  local used, held, prioUsed, counted = usage(c.rule)
  if fits(c.limit, used, prioUsed, c.weight, priority, c.reserved) then return now end
  for _, g in ipairs(counted) do
    used = used - g[1]
    if g[3] then prioUsed = prioUsed - g[1] end
    if fits(c.limit, used, prioUsed, c.weight, priority, c.reserved) then return g[2] end
  end
  return nil
end

local function live_tickets()
  local list = {}
  local raw = redis.call('HGETALL', TICKETS)
  for i = 1, #raw, 2 do
    local o, prio, seq, exp, rules = string.match(raw[i + 1], '^(.-)|(%d)|(%d+)|([^|]+)|(.*)$')
    if tonumber(exp) <= now then
      redis.call('HDEL', TICKETS, raw[i])
    else
      list[#list + 1] = { id = raw[i], priority = prio, seq = tonumber(seq), rules = rules }
    end
  end
  return list
end

local function wake_waiters()
  if redis.call('HLEN', TICKETS) > 0 then redis.call('PUBLISH', WAKE, '1') end
end

local function read_costs(from)
  local n = tonumber(ARGV[from])
  local costs = {}
  for i = 0, n - 1 do
    local at = from + 1 + i * 5
    costs[#costs + 1] = {
      rule = ARGV[at], weight = tonumber(ARGV[at + 1]), limit = tonumber(ARGV[at + 2]),
      reserved = tonumber(ARGV[at + 3]), window = ARGV[at + 4],
    }
  end
  return costs
end

local function earliest(costs, priority)
  local at = now
  for _, c in ipairs(costs) do
    local r = room_at(c, priority)
    if r == nil then return nil end
    if r > at then at = r end
  end
  return at
end

if op == 'take' then
  local leaseId, ticketId, priority, ticketTtl = ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9])
  local costs = read_costs(10)
  local tickets = live_tickets()
  local mine = nil
  for _, tk in ipairs(tickets) do if tk.id == ticketId then mine = tk end end
  local mySeq = mine and mine.seq or math.huge
  local blocked = now < fence
  for _, tk in ipairs(tickets) do
    if not blocked and tk.id ~= ticketId and ((tk.priority == '1' and priority == '0') or (tk.priority == priority and tk.seq < mySeq)) then
      for rule in string.gmatch(tk.rules, '[^,]+') do
        for _, c in ipairs(costs) do if c.rule == rule then blocked = true end end
      end
    end
  end
  local at = earliest(costs, priority)
  if not blocked and at == now then
    local parts = {}
    for _, c in ipairs(costs) do
      redis.call('ZADD', G(c.rule), '+inf', leaseId .. ':' .. c.weight .. ':' .. priority)
      redis.call('PEXPIRE', G(c.rule), keyTtl)
      parts[#parts + 1] = c.rule .. ',' .. c.weight .. ',' .. c.window
    end
    redis.call('HSET', LEASES, leaseId, owner .. '|' .. priority .. '|' .. table.concat(parts, ';'))
    redis.call('SADD', OWNED(owner), leaseId)
    redis.call('PEXPIRE', OWNED(owner), keyTtl)
    if mine then
      redis.call('HDEL', TICKETS, ticketId)
      wake_waiters()
    end
    return { 1, '', fmt(now), epoch }
  end
  local expiresAt = fmt(now + ticketTtl)
  if mine then
    redis.call('HSET', TICKETS, ticketId, owner .. '|' .. priority .. '|' .. mine.seq .. '|' .. expiresAt .. '|' .. mine.rules)
  else
    local seq = redis.call('HINCRBY', META, 'seq', 1)
    local rules = {}
    for _, c in ipairs(costs) do rules[#rules + 1] = c.rule end
    redis.call('HSET', TICKETS, ticketId, owner .. '|' .. priority .. '|' .. seq .. '|' .. expiresAt .. '|' .. table.concat(rules, ','))
  end
  local retry = ''
  if now < fence then
    retry = fmt(fence)
  elseif not blocked and at ~= nil then
    retry = fmt(at)
  end
  return { 0, retry, fmt(now), epoch }
elseif op == 'complete' then
  if ARGV[7] == 'answered' then count_lease(ARGV[6], now) else drop_lease(ARGV[6]) end
  wake_waiters()
  return { fmt(now), epoch }
elseif op == 'drop' then
  if redis.call('HDEL', TICKETS, ARGV[6]) > 0 then wake_waiters() end
  return { fmt(now), epoch }
elseif op == 'heartbeat' then
  local out = { fmt(now), epoch }
  for i = 6, #ARGV do
    local used, held, prioUsed = usage(ARGV[i])
    redis.call('PEXPIRE', G(ARGV[i]), keyTtl)
    out[#out + 1] = tostring(used)
    out[#out + 1] = tostring(held)
    out[#out + 1] = tostring(prioUsed)
  end
  return out
elseif op == 'restore' then
  for _, grant in ipairs(cjson.decode(ARGV[6])) do
    local parts = {}
    local prio = grant.priority == 'priority' and '1' or '0'
    for _, c in ipairs(grant.costs) do
      local member = grant.leaseId .. ':' .. c.weight .. ':' .. prio
      if grant.answeredAt == nil or grant.answeredAt == cjson.null then
        redis.call('ZADD', G(c.ruleId), 'NX', '+inf', member)
      elseif grant.answeredAt + c.windowMs > now then
        redis.call('ZADD', G(c.ruleId), 'NX', fmt(grant.answeredAt + c.windowMs), member)
      end
      redis.call('PEXPIRE', G(c.ruleId), keyTtl)
      parts[#parts + 1] = c.ruleId .. ',' .. c.weight .. ',' .. c.windowMs
    end
    if grant.answeredAt == nil or grant.answeredAt == cjson.null then
      redis.call('HSETNX', LEASES, grant.leaseId, owner .. '|' .. prio .. '|' .. table.concat(parts, ';'))
      redis.call('SADD', OWNED(owner), grant.leaseId)
    end
  end
  return { fmt(now), epoch }
elseif op == 'estimate' then
  local at = earliest(read_costs(7), ARGV[6])
  if at == nil then return { fmt(now), epoch, '' } end
  return { fmt(now), epoch, fmt(at - now) }
end
return redis.error_reply('unknown rate-limit ledger operation ' .. tostring(op))
`;
