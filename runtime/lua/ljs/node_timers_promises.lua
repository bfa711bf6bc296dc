-- ljs.node_timers_promises: node's timers/promises. setTimeout(delay, value, options) and
-- setImmediate(value, options) as promises, setInterval(delay, value, options) as an async
-- iterator, scheduler.wait(delay, options) and scheduler.yield(). options: signal (an abort
-- clears the timer and rejects with node's AbortError) and ref (false: the timer does not keep
-- the program running), on the globals' timers.
local R = require("ljs.core")
require("ljs.nodelib")
require("ljs.promise")

local type, rawget = type, rawget
local G, null = R.G, R.null
local N = R.nodelib
local invalid_arg_type, validate_object, abort_error, put = N.invalid_arg_type, N.validate_object, N.abort_error, N.put

local M = {exports = R.newobj()}
local exports = M.exports

local function timer_options(options)
  if options == nil then return nil, true end
  validate_object(options, "options")
  local signal, ref = options.signal, options.ref
  if signal ~= nil then
    if not (R.is_abort_signal and R.is_abort_signal(signal)) then
      R.throw(invalid_arg_type("options.signal", "AbortSignal", signal))
    end
  end
  if ref ~= nil and type(ref) ~= "boolean" then R.throw(invalid_arg_type("options.ref", "boolean", ref)) end
  return signal, ref ~= false
end

-- a promise settled by a timer that start(resolve) makes; an abort clears it
local function timer_promise(options, start, clear)
  local signal, ref = timer_options(options)
  local p = R.new_promise()
  if signal ~= nil then
    local aborted, reason = R.signal_aborted(signal)
    if aborted then
      R.reject_promise(p, abort_error(reason))
      return p
    end
  end
  local off
  local t = start(function(v)
    if off then off() end
    R.resolve_promise(p, v)
  end)
  if not ref then t:unref() end
  if signal ~= nil then
    off = R.on_abort(signal, function()
      clear(nil, t)
      local _, reason = R.signal_aborted(signal)
      R.reject_promise(p, abort_error(reason))
    end)
  end
  return p
end

local function set_timeout(_, delay, value, options)
  return timer_promise(options, function(done)
    return G.setTimeout(nil, R.arrow(function() done(value) end, "", 0), delay)
  end, G.clearTimeout)
end

local function set_immediate(_, value, options)
  return timer_promise(options, function(done)
    return G.setImmediate(nil, R.arrow(function() done(value) end, "", 0))
  end, G.clearImmediate)
end

local function iter_result(value, done)
  local r = R.newobj()
  put(r, "value", value)
  put(r, "done", done)
  return r
end

-- setInterval: each next() is the next tick; ticks nobody waited for are handed out at once,
-- one per next(), as node does. return() clears the interval.
local AsyncIteratorProto = R.newobj()
R.method(AsyncIteratorProto, R.sym_asyncIterator, 0, function(this) return this end)

local function set_interval(_, delay, value, options)
  local signal, ref = timer_options(options)
  local pending, waiting, finished, reason = 0, {}, false, nil
  local it = R.newobj(AsyncIteratorProto)
  local t, off
  local function finish()
    finished = true
    if t then G.clearInterval(nil, t) end
    if off then off() end
  end
  local function aborted()
    local _, why = R.signal_aborted(signal)
    reason = abort_error(why)
    finish()
    for i = 1, #waiting do R.reject_promise(waiting[i], reason) end
    waiting = {}
  end
  if signal ~= nil and R.signal_aborted(signal) then
    local _, why = R.signal_aborted(signal)
    reason, finished = abort_error(why), true
  else
    t = G.setInterval(nil, R.arrow(function()
      if #waiting > 0 then
        R.resolve_promise(table.remove(waiting, 1), iter_result(value, false))
      else
        pending = pending + 1
      end
    end, "", 0), delay)
    if not ref then t:unref() end
    if signal ~= nil then off = R.on_abort(signal, aborted) end
  end
  R.method(it, "next", 0, function()
    local p = R.new_promise()
    if reason then
      R.reject_promise(p, reason)
    elseif finished then
      R.resolve_promise(p, iter_result(nil, true))
    elseif pending > 0 then
      pending = pending - 1
      R.resolve_promise(p, iter_result(value, false))
    else
      waiting[#waiting + 1] = p
    end
    return p
  end)
  R.method(it, "return", 0, function()
    finish()
    for i = 1, #waiting do R.resolve_promise(waiting[i], iter_result(nil, true)) end
    waiting = {}
    local p = R.new_promise()
    R.resolve_promise(p, iter_result(nil, true))
    return p
  end)
  return it
end

R.method(exports, "setTimeout", 3, set_timeout)
R.method(exports, "setImmediate", 2, set_immediate)
R.method(exports, "setInterval", 3, set_interval)
local scheduler = R.newobj()
R.method(scheduler, "wait", 2, function(_, delay, options) return set_timeout(nil, delay, nil, options) end)
R.method(scheduler, "yield", 0, function() return set_immediate(nil) end)
put(exports, "scheduler", scheduler)
for _, k in ipairs({"setTimeout", "setImmediate", "setInterval"}) do R.addkey(exports, k) end

return M
