-- ljs.node_diagnostics_channel: node's `diagnostics_channel`, named channels that libraries
-- publish to (lru-cache, undici, fastify) whether or not anything listens. Subscribers are
-- called in order with (message, name); one that throws does not stop the others: its error
-- is thrown again on the next tick, as node reports it.
local R = require("ljs.core")
require("ljs.nodelib")

local type, select, pcall, error, unpack, getmetatable = type, select, pcall, error, unpack, getmetatable
local G, null = R.G, R.null
local N = R.nodelib
local put, export, invalid_arg_type = N.put, N.export, N.invalid_arg_type

local M = {}
local channels = {}      -- name -> Channel (a channel lives as long as the program)
local subscribers = setmetatable({}, {__mode = "k"})   -- Channel -> Lua array of functions

local ChannelPrototype = R.newobj()
local Channel = R.ctor("Channel", 1, function(this)
  R.type_error("Illegal constructor")
end, ChannelPrototype)

local function check_name(name)
  if type(name) ~= "string" and not (type(name) == "table" and getmetatable(name) == R.SymbolMT) then
    R.throw(invalid_arg_type("channel", {"string", "symbol"}, name))
  end
end

local function packed(...) return {n = select("#", ...), ...} end

local function channel(name)
  check_name(name)
  local c = channels[name]
  if c == nil then
    c = setmetatable({}, R.protomt(ChannelPrototype))
    put(c, "name", name)
    subscribers[c] = {}
    channels[name] = c
  end
  return c
end

local function rethrow_later(e)
  rawget(G, "process").nextTick(nil, function() error(e, 0) end)
end

local function publish(c, message)
  local subs = subscribers[c]
  -- a copy: a subscriber may unsubscribe itself (or another) while the message goes round
  local n = #subs
  if n == 0 then return end
  local now = {unpack(subs, 1, n)}
  for i = 1, n do
    local ok, e = pcall(now[i], nil, message, rawget(c, "name"))
    if not ok then rethrow_later(e) end
  end
end

local function subscribe(c, fn)
  if type(fn) ~= "function" then
    R.throw(invalid_arg_type("subscription", "Function", fn))
  end
  local subs = subscribers[c]
  subs[#subs + 1] = fn
end

local function unsubscribe(c, fn)
  local subs = subscribers[c]
  for i = 1, #subs do
    if subs[i] == fn then table.remove(subs, i); return true end
  end
  return false
end

local function has_subscribers(c) return #subscribers[c] > 0 end

R.defaccessor(ChannelPrototype, "hasSubscribers", function(this) return has_subscribers(this) end, nil, false)
R.method(ChannelPrototype, "publish", 1, function(this, message) publish(this, message) end)
R.method(ChannelPrototype, "subscribe", 1, function(this, fn) subscribe(this, fn) end)
R.method(ChannelPrototype, "unsubscribe", 1, function(this, fn) return unsubscribe(this, fn) end)
-- runStores(data, fn, thisArg, ...args): no AsyncLocalStorage here, so no store to bind; the
-- message goes out and fn runs
R.method(ChannelPrototype, "runStores", 2, function(this, data, fn, thisArg, ...)
  publish(this, data)
  return fn(thisArg, ...)
end)

local dc = R.newobj()
export(dc, "channel", 1, function(_, name) return channel(name) end)
export(dc, "hasSubscribers", 1, function(_, name)
  check_name(name)
  local c = channels[name]
  return c ~= nil and has_subscribers(c)
end)
export(dc, "subscribe", 2, function(_, name, fn) subscribe(channel(name), fn) end)
export(dc, "unsubscribe", 2, function(_, name, fn)
  check_name(name)
  local c = channels[name]
  return c ~= nil and unsubscribe(c, fn)
end)
put(dc, "Channel", Channel)

---------------------------------------------------------------------------------------------
-- tracingChannel(name): five channels, tracing:<name>:start, end, asyncStart, asyncEnd, error
local EVENTS = {"start", "end", "asyncStart", "asyncEnd", "error"}
local TracingPrototype = R.newobj()

local function tracing_channel(_, spec)
  local t = setmetatable({}, R.protomt(TracingPrototype))
  for _, ev in ipairs(EVENTS) do
    local c
    if type(spec) == "string" then
      c = channel("tracing:" .. spec .. ":" .. ev)
    elseif R.isobject(spec) then
      c = R.get(spec, ev)
      if type(c) ~= "table" or subscribers[c] == nil then
        R.throw(invalid_arg_type("channels." .. ev, "Channel", c))
      end
    else
      R.throw(invalid_arg_type("nameOrChannels", {"string", "object", "TracingChannel"}, spec))
    end
    put(t, ev .. "Channel", c)
  end
  return t
end
export(dc, "tracingChannel", 1, tracing_channel)

local function each(t, handlers, f)
  local all = true
  for _, ev in ipairs(EVENTS) do
    local h = R.isobject(handlers) and R.get(handlers, ev)
    if h ~= nil and h ~= null and h ~= false then
      if not f(rawget(t, ev .. "Channel"), h) then all = false end
    end
  end
  return all
end

R.defaccessor(TracingPrototype, "hasSubscribers", function(this)
  for _, ev in ipairs(EVENTS) do
    if has_subscribers(rawget(this, ev .. "Channel")) then return true end
  end
  return false
end, nil, false)
R.method(TracingPrototype, "subscribe", 1, function(this, handlers)
  each(this, handlers, function(c, h) subscribe(c, h); return true end)
end)
R.method(TracingPrototype, "unsubscribe", 1, function(this, handlers)
  return each(this, handlers, unsubscribe)
end)

local function ch(t, ev) return rawget(t, ev .. "Channel") end

-- fn(thisArg, ...) between start and end; a throw also goes to error, with context.error set
R.method(TracingPrototype, "traceSync", 1, function(this, fn, context, thisArg, ...)
  context = context == nil and R.newobj() or context
  publish(ch(this, "start"), context)
  local res = packed(pcall(fn, thisArg, ...))
  if not res[1] then
    local e = R.caught(res[2])
    R.put(context, "error", e)
    publish(ch(this, "error"), context)
    publish(ch(this, "end"), context)
    error(res[2], 0)
  end
  R.put(context, "result", res[2])
  publish(ch(this, "end"), context)
  return unpack(res, 2, res.n)
end)

-- fn's promise: asyncStart and asyncEnd when it settles, error first when it rejects
R.method(TracingPrototype, "tracePromise", 1, function(this, fn, context, thisArg, ...)
  context = context == nil and R.newobj() or context
  publish(ch(this, "start"), context)
  local ok, p = pcall(fn, thisArg, ...)
  if not ok then
    R.put(context, "error", R.caught(p))
    publish(ch(this, "error"), context)
    publish(ch(this, "end"), context)
    error(p, 0)
  end
  if not R.isobject(p) or type(R.get(p, "then")) ~= "function" then
    p = G.Promise.resolve(G.Promise, p)
  end
  local function settled(field, value, failed)
    R.put(context, field, value)
    if failed then publish(ch(this, "error"), context) end
    publish(ch(this, "asyncStart"), context)
    publish(ch(this, "asyncEnd"), context)
  end
  local out = R.get(p, "then")(p, function(_, v)
    settled("result", v)
    return v
  end, function(_, e)
    settled("error", e, true)
    R.throw(e)
  end)
  publish(ch(this, "end"), context)
  return out
end)

-- fn with a callback at argument `position` (-1: the last): the callback's call is asyncStart
-- to asyncEnd, an error argument goes to error
R.method(TracingPrototype, "traceCallback", 1, function(this, fn, position, context, thisArg, ...)
  context = context == nil and R.newobj() or context
  local args = {...}
  local n = select("#", ...)
  local at = (position == nil and -1 or position)
  at = at < 0 and n + at + 1 or at + 1
  local cb = args[at]
  if type(cb) ~= "function" then
    R.throw(invalid_arg_type("callback", "Function", cb))
  end
  args[at] = function(cbthis, err, res, ...)
    if err ~= nil and err ~= null then
      R.put(context, "error", err)
      publish(ch(this, "error"), context)
    else
      R.put(context, "result", res)
    end
    publish(ch(this, "asyncStart"), context)
    local r = packed(pcall(cb, cbthis, err, res, ...))
    publish(ch(this, "asyncEnd"), context)
    if not r[1] then error(r[2], 0) end
    return unpack(r, 2, r.n)
  end
  publish(ch(this, "start"), context)
  local r = packed(pcall(fn, thisArg, unpack(args, 1, n)))
  if not r[1] then
    R.put(context, "error", R.caught(r[2]))
    publish(ch(this, "error"), context)
  end
  publish(ch(this, "end"), context)
  if not r[1] then error(r[2], 0) end
  return unpack(r, 2, r.n)
end)

M.exports = dc
return M
