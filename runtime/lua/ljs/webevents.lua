-- ljs.webevents: the DOM event and abort globals node provides: Event, CustomEvent,
-- EventTarget, AbortController and AbortSignal (abort, timeout, any), as node 20 behaves,
-- error messages and codes and what util.inspect prints included.
--
-- An EventTarget here has no parent, so dispatch is one phase at the target: capture and
-- bubbles are recorded but change nothing. State lives in raw fields under private table keys
-- (as ljs.collections keeps its own), so JS code never sees it and subclasses made by
-- compiled `class X extends EventTarget` get it from super().
local R = require("ljs.core")
require("ljs.nodelib")   -- node's coded errors and process warnings
require("ljs.webapi")    -- DOMException, the abort reasons

local type, rawget, rawset, setmetatable, select, pcall, pairs, ipairs =
      type, rawget, rawset, setmetatable, select, pcall, pairs, ipairs
local floor = math.floor
local tremove = table.remove

local G, null = R.G, R.null
local tostr, truthy, type_error, isobject, callable = R.tostr, R.truthy, R.type_error, R.isobject, R.iscallable
local N = R.nodelib
local coded_error, invalid_arg_type, emit_warning = N.coded_error, N.invalid_arg_type, N.emit_warning

-- Private keys of the instance state
local EV, ET, SIG, CTL = {}, {}, {}, {}

local NONE, AT_TARGET = 0, 2

---------------------------------------------------------------------------------------------
-- Helpers

local state_of = R.private_state

local function throw_coded(kind, code, msg) R.throw(coded_error(kind, code, msg)) end

local function invalid_this(what)
  throw_coded("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type ' .. what)
end

local function missing_args(msg) throw_coded("TypeError", "ERR_MISSING_ARGS", msg) end

local function not_constructed(name)
  type_error("Class constructor " .. name .. " cannot be invoked without 'new'")
end

-- A class whose instances compiled subclasses can extend; `[class X]` when printed.
local function class(name, len, f, base)
  R.class(f, name, base, len)
  R.hidden(G, name, f)
  local proto = rawget(R.fprop_table(f), "prototype")
  R.tag(proto, name)
  return f, proto
end

-- Accessors and methods on the prototypes: enumerable or not, as node has them.
local function accessor(proto, name, get, set, enumerable)
  local d = {get = R.fn(get, "get " .. name, 0), enumerable = enumerable ~= false, configurable = true}
  if set then d.set = R.fn(set, "set " .. name, 1) end
  R.defprop(proto, name, d)
end

local function method(proto, name, len, f, enumerable)
  R.method(proto, name, len, f)
  if enumerable ~= false then R.addkey(proto, name) end
  return f
end

local function array_of(list, n)
  local a = R.pack()
  for i = 1, n do a[i - 1] = list[i] end
  return a
end

-- An error thrown by a listener must not stop the others: node reports it as uncaught from a
-- later tick. process.exit() and the like unwind at once (R.caught rethrows them).
local function report_later(e)
  local v = R.caught(e)
  R.enqueue_tick(function() R.throw(v) end, R.pack())
end

-- The options object node's inspect hooks pass on: the same, one level less deep.
local function deeper(opts)
  local o = R.newobj()
  if isobject(opts) then
    local ks, n = R.ownkeys(opts)
    for i = 1, n do R.defdata(o, ks[i], R.get(opts, ks[i])) end
    local d = R.get(opts, "depth")
    if type(d) == "number" then R.defdata(o, "depth", d - 1) end
  end
  return o
end

local function plain(...)
  local o = R.newobj()
  for i = 1, select("#", ...), 2 do
    local k, v = select(i, ...)
    R.defdata(o, k, v)
  end
  return o
end

local function ctor_name(this, default)
  local ok, c = pcall(R.get, this, "constructor")
  if ok and callable(c) then
    local n = R.get(c, "name")
    if type(n) == "string" and n ~= "" then return n end
  end
  return default
end

local function inspect_hook(proto, f)
  R.method(proto, R.sym_inspect_custom, 2, f)
end

---------------------------------------------------------------------------------------------
-- Event

local function event_state(this)
  local st = state_of(this, EV)
  if not st then invalid_this("Event") end
  return st
end

local function init_event(this, ev_type, options)
  -- (node's validateObject: null passes, functions and arrays do not)
  if options ~= nil and options ~= null and (R.typeof(options) ~= "object" or R.isarray(options)) then
    R.throw(invalid_arg_type("options", "object", options))
  end
  local st = {
    type = tostr(ev_type), bubbles = false, cancelable = false, composed = false,
    ts = R.now_ms() - R.start_ms, phase = NONE, target = null, current = null,
    prevented = false, stop = false, stop_now = false, dispatching = false,
    trusted = false,
  }
  if options ~= nil and options ~= null then
    st.bubbles = truthy(R.get(options, "bubbles"))
    st.cancelable = truthy(R.get(options, "cancelable"))
    st.composed = truthy(R.get(options, "composed"))
  end
  rawset(this, EV, st)
  return st
end

local EventCtor, EventPrototype
local function Event(this, ...)
  if not R.constructing(this, EventPrototype) then not_constructed("Event") end
  if select("#", ...) == 0 then missing_args('The "type" argument must be specified') end
  local ev_type, options = ...
  init_event(this, ev_type, options)
end
EventCtor, EventPrototype = class("Event", 1, Event)

for i, name in ipairs({"NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"}) do
  R.defprop(EventCtor, name, {value = i - 1, writable = false, enumerable = true, configurable = false})
end

-- An event the runtime makes (an AbortSignal's "abort"): trusted, as node marks it.
local function new_event(ev_type, trusted)
  local e = setmetatable({}, R.protomt(EventPrototype))
  init_event(e, ev_type, nil).trusted = trusted
  return e
end

method(EventPrototype, "initEvent", 1, function(this, ...)
  local st = event_state(this)
  if select("#", ...) == 0 then missing_args('The "type" argument must be specified') end
  local ev_type, bubbles, cancelable = ...
  if st.dispatching then return end
  st.type = tostr(ev_type)
  st.bubbles, st.cancelable = truthy(bubbles), truthy(cancelable)
end)
method(EventPrototype, "stopImmediatePropagation", 0, function(this)
  local st = event_state(this)
  st.stop, st.stop_now = true, true
end)
method(EventPrototype, "preventDefault", 0, function(this)
  local st = event_state(this)
  if st.cancelable then st.prevented = true end
end)
accessor(EventPrototype, "target", function(this) return event_state(this).target end)
accessor(EventPrototype, "currentTarget", function(this) return event_state(this).current end)
accessor(EventPrototype, "srcElement", function(this) return event_state(this).target end)
accessor(EventPrototype, "type", function(this) return event_state(this).type end)
accessor(EventPrototype, "cancelable", function(this) return event_state(this).cancelable end)
accessor(EventPrototype, "defaultPrevented", function(this)
  local st = event_state(this)
  return st.cancelable and st.prevented
end)
accessor(EventPrototype, "timeStamp", function(this) return event_state(this).ts end)
method(EventPrototype, "composedPath", 0, function(this)
  local st = event_state(this)
  if st.dispatching then return array_of({st.current}, 1) end
  return R.pack()
end)
-- (node has no setter: assigning returnValue changes nothing)
accessor(EventPrototype, "returnValue", function(this)
  local st = event_state(this)
  return not (st.cancelable and st.prevented)
end)
accessor(EventPrototype, "bubbles", function(this) return event_state(this).bubbles end)
accessor(EventPrototype, "composed", function(this) return event_state(this).composed end)
accessor(EventPrototype, "eventPhase", function(this) return event_state(this).phase end)
accessor(EventPrototype, "cancelBubble", function(this) return event_state(this).stop end, function(this, v)
  local st = event_state(this)
  if truthy(v) then st.stop = true end
end)
method(EventPrototype, "stopPropagation", 0, function(this) event_state(this).stop = true end)
accessor(EventPrototype, "isTrusted", function(this) return event_state(this).trusted end)

-- Event { type: 'x', defaultPrevented: false, cancelable: false, timeStamp: 12.3 }; past the
-- depth limit only the name
inspect_hook(EventPrototype, function(this, depth, opts)
  local st = state_of(this, EV)
  if not st then return this end
  local name = ctor_name(this, "Event")
  if type(depth) == "number" and depth < 0 then return name end
  return name .. " " .. R.inspect(plain("type", st.type, "defaultPrevented", st.cancelable and st.prevented,
    "cancelable", st.cancelable, "timeStamp", st.ts), deeper(opts))
end)

---------------------------------------------------------------------------------------------
-- CustomEvent

local function CustomEvent(this, ...)
  if not R.constructing(this, EventPrototype) then not_constructed("CustomEvent") end
  if select("#", ...) == 0 then missing_args('The "type" argument must be specified') end
  local ev_type, options = ...
  local st = init_event(this, ev_type, options)
  local detail = null
  if options ~= nil and options ~= null then
    detail = R.get(options, "detail")
    if detail == nil then detail = null end
  end
  st.custom, st.detail = true, detail
end
local _, CustomEventPrototype = class("CustomEvent", 1, CustomEvent, EventCtor)

accessor(CustomEventPrototype, "detail", function(this)
  local st = state_of(this, EV)
  if not (st and st.custom) then invalid_this("CustomEvent") end
  return st.detail
end)

---------------------------------------------------------------------------------------------
-- EventTarget
--
-- A target's listeners: lists[type] is a doubly linked list ({first, last}) of records {cb,
-- capture, once, passive, resist, removed, prev, next, list, signal}, in the order they were
-- added. Dispatch follows the links as node does: it takes a record's successor before calling
-- it, and a removed record keeps the successor it had, so a listener added during a dispatch
-- runs in it when it lands after the one being called's successor, and one removed is skipped.

local function target_state(this)
  local st = state_of(this, ET)
  if not st then invalid_this("EventTarget") end
  return st
end

local function init_target(this)
  local st = {lists = {}}
  rawset(this, ET, st)
  return st
end

local signal_state

local function remove_record(rec)
  if rec.removed then return end
  rec.removed = true
  local list, prev, nxt = rec.list, rec.prev, rec.next
  if prev then prev.next = nxt else list.first = nxt end
  if nxt then nxt.prev = prev else list.last = prev end
  local sst = rec.signal
  if sst and sst.removers then sst.removers[rec] = nil end
end

local function find_record(list, cb, capture)
  local rec = list and list.first
  while rec do
    if rec.cb == cb and rec.capture == capture then return rec end
    rec = rec.next
  end
  return nil
end

-- Adds cb unless the same callback is there with the same capture flag; a signal already
-- aborted means it is never added, a later abort removes it.
local function add_record(st, ev_type, cb, capture, once, passive, signal, resist)
  local list = st.lists[ev_type]
  if list == nil then
    list = {}
    st.lists[ev_type] = list
  end
  if find_record(list, cb, capture) then return nil end
  local sst = signal and signal_state(signal)
  if sst and sst.aborted then return nil end
  local rec = {cb = cb, capture = capture, once = once, passive = passive, resist = resist, list = list}
  local last = list.last
  rec.prev = last
  if last then last.next = rec else list.first = rec end
  list.last = rec
  if sst then
    rec.signal = sst
    local removers = sst.removers
    if removers == nil then
      removers = {}
      sst.removers = removers
    end
    removers[rec] = true
  end
  return rec
end

-- handleEvent read at each dispatch; an object without one is skipped, as node does
local function call_listener(cb, target, event)
  if type(cb) == "function" then return cb(target, event) end
  if callable(cb) then return cb(target, event) end
  local h = R.get(cb, "handleEvent")
  if h == nil then return end
  if not callable(h) then
    type_error("Function.prototype.apply was called on " .. tostr(h) .. ", which is " ..
      (R.typeof(h) == "object" and "an object" or "a " .. R.typeof(h)) .. " and not a function")
  end
  return h(cb, event)
end

-- The event's flags stay as listeners left them (node clears none of them between
-- dispatches), and node 20 lets a passive listener cancel too.
local function dispatch(target, st, event, est)
  if est.dispatching then
    throw_coded("Error", "ERR_EVENT_RECURSION", 'The event "' .. est.type .. '" is already being dispatched')
  end
  est.dispatching, est.target, est.current, est.phase = true, target, target, AT_TARGET
  local list = st.lists[est.type]
  local rec = list and list.first
  while rec do
    local nxt = rec.next
    if not rec.removed and (not est.stop_now or rec.resist) then
      if rec.once then remove_record(rec) end
      local ok, e = pcall(call_listener, rec.cb, target, event)
      if not ok then report_later(e) end
    end
    rec = nxt
  end
  est.dispatching, est.current, est.phase = false, null, NONE
  return not (est.cancelable and est.prevented)
end

-- addEventListener's options: a boolean is the capture flag
local function listener_options(options)
  if options == nil or options == null then return false, false, false, nil end
  if type(options) == "boolean" then return options, false, false, nil end
  if not isobject(options) then R.throw(invalid_arg_type("options", "object", options)) end
  local capture = truthy(R.get(options, "capture"))
  local once = truthy(R.get(options, "once"))
  local passive = truthy(R.get(options, "passive"))
  local signal = R.get(options, "signal")
  if signal ~= nil and not state_of(signal, SIG) then
    R.throw(invalid_arg_type("options.signal", "AbortSignal", signal))
  end
  return capture, once, passive, signal
end

local EventTargetCtor, EventTargetPrototype
local function EventTarget(this)
  if not R.constructing(this, EventTargetPrototype) then not_constructed("EventTarget") end
  init_target(this)
end
EventTargetCtor, EventTargetPrototype = class("EventTarget", 0, EventTarget)

method(EventTargetPrototype, "addEventListener", 2, function(this, ...)
  local st = target_state(this)
  if select("#", ...) < 2 then missing_args('The "type" and "listener" arguments must be specified') end
  local ev_type, listener, options = ...
  local capture, once, passive, signal = listener_options(options)
  if listener == nil or listener == null then
    emit_warning("addEventListener called with " .. (listener == nil and "undefined" or "null") ..
      " which has no effect.", "AddEventListenerArgumentTypeWarning")
    return
  end
  if not (callable(listener) or isobject(listener)) then
    R.throw(invalid_arg_type("listener", "EventListener", listener))
  end
  add_record(st, tostr(ev_type), listener, capture, once, passive, signal, false)
end)

method(EventTargetPrototype, "removeEventListener", 2, function(this, ...)
  local st = target_state(this)
  if select("#", ...) < 2 then missing_args('The "type" and "listener" arguments must be specified') end
  local ev_type, listener, options = ...
  -- node 20 reads the flag only from an options object: `true` here removes the listener
  -- added without capture
  local capture = isobject(options) and truthy(R.get(options, "capture"))
  local rec = find_record(st.lists[tostr(ev_type)], listener, capture)
  if rec then remove_record(rec) end
end)

method(EventTargetPrototype, "dispatchEvent", 1, function(this, ...)
  local st = target_state(this)
  if select("#", ...) == 0 then missing_args('The "event" argument must be specified') end
  local event = ...
  local est = state_of(event, EV)
  if not est then R.throw(invalid_arg_type("event", "Event", event)) end
  return dispatch(this, st, event, est)
end)

inspect_hook(EventTargetPrototype, function(this, depth)
  if not state_of(this, ET) then return this end
  local name = ctor_name(this, "EventTarget")
  if type(depth) == "number" and depth < 0 then return name end
  return name .. " {}"
end)

-- Event handler attributes (onabort): the handler takes its listener's place when first set,
-- keeps it when replaced, and loses it when set to null or undefined.
local function handler_attribute(proto, ev_type, check)
  local name = "on" .. ev_type
  accessor(proto, name, function(this)
    local h = check(this).handlers
    local rec = h and h[ev_type]
    if rec == nil or rec.removed then return null end
    return rec.handler
  end, function(this, v)
    local tst = check(this)
    local h = tst.handlers
    if h == nil then
      h = {}
      tst.handlers = h
    end
    local rec = h[ev_type]
    if v == nil or v == null then
      if rec then remove_record(rec) end
      h[ev_type] = nil
      return
    end
    if rec and not rec.removed then rec.handler = v; return end
    -- (a fresh function: never a duplicate, so always added)
    rec = add_record(tst, ev_type, function(target, event)
      local f = rec.handler
      if callable(f) then return f(target, event) end
    end, false, false, false, nil, false)
    rec.handler = v
    h[ev_type] = rec
  end)
end

---------------------------------------------------------------------------------------------
-- AbortSignal

signal_state = function(o) return state_of(o, SIG) end

local function signal_check(this)
  local st = state_of(this, SIG)
  if not st then invalid_this("AbortSignal") end
  return st
end

local AbortSignalPrototype

local function new_signal()
  local s = setmetatable({}, R.protomt(AbortSignalPrototype))
  init_target(s)
  local st = {aborted = false, reason = nil, target = s}
  rawset(s, SIG, st)
  return s, st
end

local DOMException = R.builtin_global("DOMException") or rawget(G, "DOMException")
local function dom_exception(message, name) return R.new(DOMException, message, name) end

-- Abort: the listeners tied to this signal go (the spec's abort algorithms), then its "abort"
-- event, then the signals AbortSignal.any made from it (in that order in node 20).
local abort_signal
abort_signal = function(st, reason)
  if st.aborted then return end
  st.aborted = true
  if reason == nil then reason = dom_exception("This operation was aborted", "AbortError") end
  st.reason = reason
  local removers = st.removers
  st.removers = nil
  if removers then
    for rec in pairs(removers) do rec.signal = nil; remove_record(rec) end
  end
  local s = st.target
  local ev = new_event("abort", true)
  dispatch(s, state_of(s, ET), ev, rawget(ev, EV))
  local deps = st.deps
  st.deps = nil
  if deps then
    for i = 1, #deps do abort_signal(deps[i], reason) end
  end
  -- a dependent aborted through one source leaves the lists of the others
  local sources = st.sources
  st.sources = nil
  if sources then
    for i = 1, #sources do
      local list = sources[i].deps
      if list then
        for j = #list, 1, -1 do
          if list[j] == st then tremove(list, j) end
        end
      end
    end
  end
end

local function AbortSignal(this)
  if this == nil then not_constructed("AbortSignal") end
  throw_coded("TypeError", "ERR_ILLEGAL_CONSTRUCTOR", "Illegal constructor")
end
local AbortSignalCtor
AbortSignalCtor, AbortSignalPrototype = class("AbortSignal", 0, AbortSignal, EventTargetCtor)

accessor(AbortSignalPrototype, "aborted", function(this) return signal_check(this).aborted end)
accessor(AbortSignalPrototype, "reason", function(this) return signal_check(this).reason end, nil, false)
method(AbortSignalPrototype, "throwIfAborted", 0, function(this)
  local st = signal_check(this)
  if st.aborted then R.throw(st.reason) end
end, false)
handler_attribute(AbortSignalPrototype, "abort", function(this)
  signal_check(this)
  return state_of(this, ET)
end)

R.method(AbortSignalCtor, "abort", 0, function(_, reason)
  local s, st = new_signal()
  abort_signal(st, reason)
  return s
end)

local set_timeout = rawget(G, "setTimeout")
local UINT32_MAX = 4294967295

R.method(AbortSignalCtor, "timeout", 1, function(_, delay)
  if type(delay) ~= "number" then R.throw(invalid_arg_type("delay", "number", delay)) end
  local range
  if delay ~= floor(delay) then range = "an integer"
  elseif delay < 0 or delay > UINT32_MAX then range = ">= 0 && <= " .. UINT32_MAX end
  if range then N.out_of_range("delay", range, delay) end
  local s, st = new_signal()
  local timer = set_timeout(nil, function()
    abort_signal(st, dom_exception("The operation was aborted due to timeout", "TimeoutError"))
  end, delay)
  -- the timer alone does not keep the program running
  timer:unref()
  return s
end)

R.method(AbortSignalCtor, "any", 1, function(_, signals)
  if not R.isarray(signals) then R.throw(invalid_arg_type("signals", "Array", signals)) end
  local n = rawget(signals, "length")
  local sts = {}
  for i = 0, n - 1 do
    local v = signals[i]
    local sst = state_of(v, SIG)
    if not sst then R.throw(invalid_arg_type("signals[" .. i .. "]", "AbortSignal", v)) end
    sts[i + 1] = sst
  end
  local s, st = new_signal()
  for i = 1, n do
    if sts[i].aborted then
      st.aborted, st.reason = true, sts[i].reason
      return s
    end
  end
  st.sources = sts
  for i = 1, n do
    local deps = sts[i].deps
    if deps == nil then
      deps = {}
      sts[i].deps = deps
    end
    deps[#deps + 1] = st
  end
  return s
end)

-- AbortSignal { aborted: false }; past the depth limit [AbortSignal]
inspect_hook(AbortSignalPrototype, function(this, depth, opts)
  local st = state_of(this, SIG)
  if not st then return this end
  local name = ctor_name(this, "AbortSignal")
  if type(depth) == "number" and depth < 0 then return "[" .. name .. "]" end
  return name .. " " .. R.inspect(plain("aborted", st.aborted), deeper(opts))
end)

---------------------------------------------------------------------------------------------
-- AbortController

local AbortControllerPrototype

local function controller_signal(this)
  local s = state_of(this, CTL)
  if not s then type_error("Cannot read private member #signal from an object whose class did not declare it") end
  return s
end

local function AbortController(this)
  if not R.constructing(this, AbortControllerPrototype) then not_constructed("AbortController") end
  rawset(this, CTL, (new_signal()))
end
AbortControllerPrototype = select(2, class("AbortController", 0, AbortController))

accessor(AbortControllerPrototype, "signal", function(this) return controller_signal(this) end)
method(AbortControllerPrototype, "abort", 0, function(this, reason)
  abort_signal(signal_state(controller_signal(this)), reason)
end)

inspect_hook(AbortControllerPrototype, function(this, depth, opts)
  local s = state_of(this, CTL)
  if not s then return this end
  local name = ctor_name(this, "AbortController")
  if type(depth) == "number" and depth < 0 then return name .. " {}" end
  return name .. " " .. R.inspect(plain("signal", s), deeper(opts))
end)

---------------------------------------------------------------------------------------------
-- For node's events module (once, on, addAbortListener, getEventListeners)

function R.is_abort_signal(v) return state_of(v, SIG) ~= nil end
function R.signal_aborted(v)
  local st = state_of(v, SIG)
  return st.aborted, st.reason
end
-- fn(signal, event) once on abort, even after a listener stopped the event's propagation;
-- returns the function that takes it off again
function R.on_abort(signal, fn)
  local st = state_of(signal, ET)
  local rec = add_record(st, "abort", fn, false, true, false, nil, true)
  return function() if rec then remove_record(rec) end end
end
function R.is_event_target(v) return state_of(v, ET) ~= nil end
-- events.setMaxListeners(n, target) / getMaxListeners(target): kept, not enforced (nil: the
-- default)
function R.event_target_max(target, n)
  local st = state_of(target, ET)
  if n ~= nil then st.max = n end
  return st.max
end
-- the listeners of an EventTarget for `ev_type` (nil for other objects)
function R.event_target_listeners(target, ev_type)
  local st = state_of(target, ET)
  if not st then return nil end
  local list = st.lists[tostr(ev_type)]
  local out, n = {}, 0
  local rec = list and list.first
  while rec do
    n = n + 1
    out[n] = rec.handler or rec.cb
    rec = rec.next
  end
  return array_of(out, n)
end

return R
