-- ljs.promise: Promises, the microtask queue, timers and the event loop; async/await on coroutines.
local R = require("ljs.core")
require("ljs.iteration")   -- R.coresume
local null = R.null
local type, setmetatable, getmetatable, rawget, rawset = type, setmetatable, getmetatable, rawget, rawset
local cocreate, coresume, coyield, costatus, corunning = coroutine.create, R.coresume, coroutine.yield,
  coroutine.status, coroutine.running   -- R.coresume: resumes counted against deep nesting (iteration.lua)
local ffi = require("ffi")

---------------------------------------------------------------------------------------------
-- Microtasks: a ring of (fn, arg) pairs drained after every macrotask.
local mq, mhead, mtail = {}, 1, 0
local function enqueue(fn, a, b)
  mtail = mtail + 1
  mq[mtail] = {fn, a, b}
end
R.enqueue_microtask = enqueue

-- process.nextTick callbacks run before promise jobs, as node orders them: all ticks, then
-- all microtasks (ticks they queue wait for the next round), until both are empty.
local ticks, thead, ttail = {}, 1, 0
function R.enqueue_tick(fn, args)
  ttail = ttail + 1
  ticks[ttail] = {fn, args}
end

local function drain_microtasks()
  repeat
    while thead <= ttail do
      local t = ticks[thead]
      ticks[thead] = nil
      thead = thead + 1
      t[1](nil, R.unpack(t[2]))
    end
    thead, ttail = 1, 0
    while mhead <= mtail do
      local t = mq[mhead]
      mq[mhead] = nil
      mhead = mhead + 1
      t[1](t[2], t[3])
    end
    mhead, mtail = 1, 0
  until ttail == 0
end
R.drain_microtasks = drain_microtasks

---------------------------------------------------------------------------------------------
-- Promises
local PromisePrototype = R.newobj()
R.PromisePrototype = PromisePrototype
local PromiseMT = R.protomt(PromisePrototype)
local STATE, VALUE, REACTIONS, HANDLED = {}, {}, {}, {}
local unhandled = {}   -- rejected promises without handlers, checked after each macrotask

local function is_promise(v)
  return type(v) == "table" and rawget(v, STATE) ~= nil
end
R.is_promise = is_promise

function R.promise_state(p)
  local s = rawget(p, STATE)
  return s, rawget(p, VALUE)
end

local settle, resolve_promise

local function run_reaction(r, state, value)
  -- r = {onFulfilled, onRejected, derived promise}
  local handler
  if state == "fulfilled" then handler = r[1] else handler = r[2] end   -- (r[1] may be nil: catch)
  local derived = r[3]
  if handler == nil or handler == null or type(handler) ~= "function" then
    if derived then
      if state == "fulfilled" then resolve_promise(derived, value) else settle(derived, "rejected", value) end
    end
    return
  end
  local ok, res = R.try(handler, nil, value)
  if derived then
    if ok then resolve_promise(derived, res) else settle(derived, "rejected", R.caught(res)) end
  elseif not ok then
    error(res, 0)
  end
end

settle = function(p, state, value)
  if rawget(p, STATE) ~= "pending" then return end
  rawset(p, STATE, state)
  rawset(p, VALUE, value)
  local rs = rawget(p, REACTIONS)
  rawset(p, REACTIONS, nil)
  if state == "rejected" and not rawget(p, HANDLED) then unhandled[#unhandled + 1] = p end
  if rs then
    for i = 1, #rs do enqueue(function(r) run_reaction(r, state, value) end, rs[i]) end
  end
end

resolve_promise = function(p, v)
  if rawget(p, STATE) ~= "pending" then return end
  if v == p then settle(p, "rejected", R.make_error("TypeError", "Chaining cycle detected for promise #<Promise>")); return end
  if R.isobject(v) then
    local ok, th = pcall(function() return v["then"] end)
    if not ok then settle(p, "rejected", R.caught(th)); return end
    if type(th) == "function" then
      -- adopt the thenable's state in a later microtask, as JS does
      local called = false
      enqueue(function()
        local ok2, err = pcall(th, v,
          function(_, y) if not called then called = true; resolve_promise(p, y) end end,
          function(_, r) if not called then called = true; settle(p, "rejected", r) end end)
        if not ok2 and not called then called = true; settle(p, "rejected", R.caught(err)) end
      end)
      return
    end
  end
  settle(p, "fulfilled", v)
end

local function new_promise()
  return setmetatable({[STATE] = "pending"}, PromiseMT)
end
R.new_promise = new_promise
R.resolve_promise = resolve_promise
function R.reject_promise(p, e) settle(p, "rejected", e) end

local function add_reaction(p, onF, onR, derived)
  rawset(p, HANDLED, true)
  local r = {onF, onR, derived}
  local st = rawget(p, STATE)
  if st == "pending" then
    local rs = rawget(p, REACTIONS)
    if not rs then rs = {}; rawset(p, REACTIONS, rs) end
    rs[#rs + 1] = r
  else
    local v = rawget(p, VALUE)
    enqueue(function(rr) run_reaction(rr, st, v) end, r)
  end
end
R.promise_then = add_reaction

local Promise
Promise = function(this, executor)
  -- (an object that already is a promise: Promise.call(p, f), no construction)
  if not R.constructing(this, PromisePrototype) or rawget(this, STATE) ~= nil then
    R.type_error("Promise constructor cannot be invoked without 'new'")
  end
  if type(executor) ~= "function" then R.type_error("Promise resolver " .. R.tostr(executor) .. " is not a function") end
  rawset(this, STATE, "pending")
  local done = false
  -- the first parameter named J0_ makes them non-constructors (R.is_constructor) at no cost
  local function res(J0_, v) if not done then done = true; resolve_promise(this, v) end end
  local function rej(J0_, e) if not done then done = true; settle(this, "rejected", e) end end
  local ok, err = R.try(executor, nil, res, rej)
  if not ok then rej(nil, R.caught(err)) end
  return this
end
R.ctor("Promise", 1, Promise, PromisePrototype)
R.Promise = Promise

local function promise_resolve(v)
  if is_promise(v) then return v end
  local p = new_promise()
  resolve_promise(p, v)
  return p
end
R.promise_resolve = promise_resolve

-- NewPromiseCapability(C): a promise of constructor C with its resolve and reject functions.
-- The intrinsic Promise takes a direct path; subclasses and other constructors go through
-- `new C(executor)` as the spec requires.
local function new_capability(C)
  if C == Promise then
    local p = new_promise()
    return p, function(_, v) resolve_promise(p, v) end, function(_, e) settle(p, "rejected", e) end
  end
  if not R.is_constructor(C) then R.type_error(R.tostr(C) .. " is not a constructor") end
  local res, rej
  local executor = R.arrow(function(_, a, b)
    if res ~= nil or rej ~= nil then R.type_error("Promise executor has already been invoked with non-undefined arguments") end
    res, rej = a, b
  end, "", 2)
  local p = R.new(C, executor)
  if type(res) ~= "function" or type(rej) ~= "function" then
    R.type_error("Promise resolve or reject function is not callable")
  end
  return p, res, rej
end
R.new_capability = new_capability

local function species_ctor(o, default)
  local C = o.constructor
  if C == nil then return default end
  if not R.isobject(C) then R.type_error("The .constructor property is not an object") end
  local S = C[R.sym_species]
  if S == nil or S == null then return default end
  if R.is_constructor(S) then return S end
  R.type_error("object.constructor[Symbol.species] is not a constructor")
end

R.method(PromisePrototype, "then", 2, function(this, onF, onR)
  if not is_promise(this) then R.type_error("Method Promise.prototype.then called on incompatible receiver " .. R.tostr(this)) end
  local C = species_ctor(this, Promise)
  if C == Promise then
    local d = new_promise()
    add_reaction(this, onF, onR, d)
    return d
  end
  local d, res, rej = new_capability(C)
  add_reaction(this, function(_, v)
    if type(onF) ~= "function" then return res(nil, v) end
    return res(nil, onF(nil, v))
  end, function(_, e)
    if type(onR) ~= "function" then return rej(nil, e) end
    return res(nil, onR(nil, e))
  end, nil)
  return d
end)
R.method(PromisePrototype, "catch", 1, function(this, onR)
  return this["then"](this, nil, onR)
end)
-- V8's words: "number 1 is not a function", "object null is not a function"
local function not_callable(v)
  local t = R.typeof(v)
  local d = t
  if v == null then d = "object null"
  elseif t == "string" then d = 'string "' .. v .. '"'
  elseif t == "number" or t == "boolean" then d = t .. " " .. R.tostr(v) end
  R.type_error(d .. " is not a function")
end

-- Invoke(p, "then", a, b): a `then` that is not callable is a TypeError
local function invoke_then(p, a, b)
  local th = p["then"]
  -- an own `then` set to undefined is in the shape, not raw: the read above found the prototype's
  if type(p) == "table" and rawget(p, "then") == nil then
    local sh = rawget(p, R.SHAPE)
    if sh and sh.index["then"] then th = nil end
  end
  if type(th) ~= "function" and not R.iscallable(th) then not_callable(th) end
  return th(p, a, b)
end

-- PromiseResolve(C, x): x itself when it is a promise whose constructor is C
local function promise_resolve_c(C, x)
  if is_promise(x) and x.constructor == C then return x end
  if C == Promise then
    local p = new_promise()
    resolve_promise(p, x)
    return p
  end
  local p, res = new_capability(C)
  res(nil, x)
  return p
end

R.method(PromisePrototype, "finally", 1, function(this, f)
  if not R.isobject(this) then R.type_error("Method Promise.prototype.finally called on a non-object") end
  local C = species_ctor(this, Promise)
  if type(f) ~= "function" and not R.iscallable(f) then return invoke_then(this, f, f) end
  return invoke_then(this,
    R.arrow(function(_, v)
      return invoke_then(promise_resolve_c(C, f(nil)), R.arrow(function() return v end, "", 0))
    end, "", 1),
    R.arrow(function(_, e)
      return invoke_then(promise_resolve_c(C, f(nil)), R.arrow(function() R.throw(e) end, "", 0))
    end, "", 1))
end)
R.tag(PromisePrototype, "Promise")

R.method(Promise, "resolve", 1, function(C, v)
  if not R.isobject(C) then R.type_error("PromiseResolve called on non-object") end
  return promise_resolve_c(C, v)
end)
R.method(Promise, "reject", 1, function(C, e)
  if not R.isobject(C) then R.type_error("PromiseReject called on non-object") end
  if C == Promise then local p = new_promise(); settle(p, "rejected", e); return p end
  local p, _, rej = new_capability(C)
  rej(nil, e)
  return p
end)
R.method(Promise, "withResolvers", 0, function(C)
  local p, res, rej = new_capability(C)
  local o = R.newobj()
  o.promise = p
  o.resolve = res
  o.reject = rej
  return o
end)
R.method(Promise, "try", 1, function(C, f, ...)
  local p, res, rej = new_capability(C)
  local ok, r = pcall(f, nil, ...)
  if ok then res(nil, r) else rej(nil, R.caught(r)) end
  return p
end)

-- Promise.all / allSettled / any / race over the iteration protocol, calling C.resolve and each
-- promise's then as the spec does (subclasses and thenables observe these calls).
local function combinator(name, element)
  R.method(Promise, name, 1, function(C, iterable)
    if not R.isobject(C) then R.type_error("Promise." .. name .. " called on non-object") end
    local p, res, rej = new_capability(C)
    local it, done = nil, false
    local ok, err = pcall(function()
      local resolve_fn = C.resolve
      if type(resolve_fn) ~= "function" and not R.iscallable(resolve_fn) then R.type_error("Promise resolve is not a function") end
      it = R.get_iterator(iterable)
      local nxt = it.next
      local st = {values = R.pack(), remaining = 1, res = res, rej = rej, C = C}
      local index = 0
      while true do
        local r
        local ok2, e2 = pcall(function() r = nxt(it) end)
        if not ok2 then done = true; error(e2, 0) end
        if not R.isobject(r) then done = true; R.type_error("Iterator result " .. R.tostr(r) .. " is not an object") end
        local ok3, finished = pcall(function() return R.truthy(r.done) end)
        if not ok3 then done = true; error(finished, 0) end
        if finished then done = true; break end
        local ok4, v = pcall(function() return r.value end)
        if not ok4 then done = true; error(v, 0) end
        local values = st.values
        if name ~= "race" then values[index] = nil; rawset(values, "length", index + 1) end
        local nextp = resolve_fn(C, v)
        st.remaining = st.remaining + 1
        local onF, onR = element(st, index)
        invoke_then(nextp, onF, onR)
        index = index + 1
      end
      st.remaining = st.remaining - 1
      if st.remaining == 0 and name ~= "race" then
        if name == "any" then
          local e = R.new(R.G.AggregateError, st.values, "All promises were rejected")
          rej(nil, e)
        else
          res(nil, st.values)
        end
      end
    end)
    if not ok then
      if it and not done then
        -- IteratorClose for a throw: what return() does or throws is dropped
        pcall(function()
          local ret = it["return"]
          if ret ~= nil and ret ~= null then ret(it) end
        end)
      end
      rej(nil, R.caught(err))
    end
    return p
  end)
end

-- an element function runs once; later calls are ignored
local function once(f)
  local called = false
  return R.arrow(function(_, x)
    if called then return nil end
    called = true
    return f(x)
  end, "", 1)
end

local SETTLED_SHAPE_F = R.shape({"status", "value"})
local SETTLED_SHAPE_R = R.shape({"status", "reason"})
local function settle_one(st, i, x)
  st.values[i] = x
  st.remaining = st.remaining - 1
  if st.remaining == 0 then st.res(nil, st.values) end
end

combinator("all", function(st, i)
  return once(function(x) settle_one(st, i, x) end), st.rej
end)
combinator("allSettled", function(st, i)
  local done = false
  local f = R.arrow(function(_, x)
    if done then return end
    done = true
    settle_one(st, i, setmetatable({status = "fulfilled", value = x, ["\255"] = SETTLED_SHAPE_F}, R.ObjectMT))
  end, "", 1)
  local r = R.arrow(function(_, e)
    if done then return end
    done = true
    settle_one(st, i, setmetatable({status = "rejected", reason = e, ["\255"] = SETTLED_SHAPE_R}, R.ObjectMT))
  end, "", 1)
  return f, r
end)
combinator("race", function(st, i)
  return st.res, st.rej
end)
combinator("any", function(st, i)
  return st.res, once(function(e)
    st.values[i] = e
    st.remaining = st.remaining - 1
    if st.remaining == 0 then
      st.rej(nil, R.new(R.G.AggregateError, st.values, "All promises were rejected"))
    end
  end)
end)

---------------------------------------------------------------------------------------------
-- async functions: the body runs in a coroutine; await yields the awaited promise.
local AWAIT = {}

local function step(co, p, mode, v)
  local ok, a, b = coresume(co, mode, v)
  if not ok then
    settle(p, "rejected", R.caught(a))
    return
  end
  if costatus(co) == "dead" then
    resolve_promise(p, a)
    return
  end
  -- a == AWAIT, b = awaited value
  local awaited = promise_resolve(b)
  add_reaction(awaited,
    function(_, x) step(co, p, "next", x) end,
    function(_, e) step(co, p, "throw", e) end, nil)
end

function R.async(body, this)
  local p = new_promise()
  local co = cocreate(function(mode, v) return R.run_closing(body) end)
  step(co, p, "next", nil)
  return p
end

function R.await(v)
  local co, main = corunning()
  if co == nil or main then
    R.throw_error("SyntaxError", "await is only valid in async functions and the top level bodies of modules")
  end
  local mode, x = coyield(AWAIT, v)
  if mode == "throw" then R.throw(x) end
  return x
end

-- async generators: a queue of requests served by the body coroutine
local AsyncGenPrototype = R.newobj()
R.AsyncGenPrototype = AsyncGenPrototype
local AsyncGenMT = R.protomt(AsyncGenPrototype)

function R.asyncgen(body, this)
  -- every field raw from the start, so that none becomes a property JS code would enumerate
  return setmetatable({body = body, queue = {}, state = "start", busy = false, co = false}, AsyncGenMT)
end

local function agen_pump(g)
  if g.busy then return end
  local req = table.remove(g.queue, 1)
  if not req then return end
  local mode, v, p = req[1], req[2], req[3]
  if g.state == "done" then
    if mode == "throw" then settle(p, "rejected", v) else resolve_promise(p, R.iter_result(mode == "return" and v or nil, true)) end
    return agen_pump(g)
  end
  if g.state == "start" then
    if mode ~= "next" then
      g.state = "done"
      if mode == "throw" then settle(p, "rejected", v) else resolve_promise(p, R.iter_result(v, true)) end
      return agen_pump(g)
    end
    g.co = cocreate(function(m, x) return R.run_closing(g.body) end)
    g.state = "suspended"
  end
  g.busy = true
  local function resume(m, x)
    local ok, a, b = coresume(g.co, m, x)
    if not ok then
      g.state = "done"; g.busy = false
      if type(a) == "table" and getmetatable(a) == R.RETURN_MARK then resolve_promise(p, R.iter_result(a.value, true))
      else settle(p, "rejected", R.caught(a)) end
      return agen_pump(g)
    end
    if costatus(g.co) == "dead" then
      -- `return v` awaits v, and a rejection rejects the request
      g.state = "done"
      add_reaction(promise_resolve(a), function(_, y)
        g.busy = false
        resolve_promise(p, R.iter_result(y, true))
        agen_pump(g)
      end, function(_, e)
        g.busy = false
        settle(p, "rejected", e)
        agen_pump(g)
      end, nil)
      return
    end
    if a == AWAIT then
      add_reaction(promise_resolve(b), function(_, y) resume("next", y) end, function(_, e) resume("throw", e) end, nil)
      return
    end
    -- a yield: a is the yielded value (awaited first, as JS does)
    add_reaction(promise_resolve(a), function(_, y)
      g.busy = false
      resolve_promise(p, R.iter_result(y, false))
      agen_pump(g)
    end, function(_, e) resume("throw", e) end, nil)
  end
  resume(mode, v)
end

for _, m in ipairs({"next", "return", "throw"}) do
  R.method(AsyncGenPrototype, m, 1, function(this, v)
    local p = new_promise()
    this.queue[#this.queue + 1] = {m, v, p}
    agen_pump(this)
    return p
  end)
end
R.method(AsyncGenPrototype, R.sym_asyncIterator, 0, function(this) return this end)
R.tag(AsyncGenPrototype, "AsyncGenerator")

-- yield* in an async generator: the inner async iterator's results, each awaited (a sync
-- iterable's values are awaited too, as through CreateAsyncFromSyncIterator); requests made of
-- the outer generator go on to the inner iterator
local function async_iterator(v)
  local m = v ~= nil and v ~= null and v[R.sym_asyncIterator]
  if m ~= nil and m ~= null and m ~= false then
    local it = m(v)
    if not R.isobject(it) then R.type_error("Result of the Symbol.asyncIterator method is not an object") end
    return it, false
  end
  return R.get_iterator(v), true
end

local function awaited_result(r, sync)
  if not R.isobject(r) then R.type_error("Iterator result " .. R.tostr(r) .. " is not an object") end
  if sync then return R.truthy(r.done), R.await(r.value) end
  return R.truthy(r.done), r.value
end

function R.ayield_star(inner)
  local it, sync = async_iterator(inner)
  local mode, received = "next", nil
  while true do
    local r
    if mode == "next" then
      r = it.next(it, received)
    else
      local m = it[mode]
      if m == nil or m == null then
        if mode == "throw" then
          local ret = it["return"]
          if ret ~= nil and ret ~= null then
            local c = ret(it)
            if not sync then R.await(c) end
          end
          R.type_error("The iterator does not provide a 'throw' method")
        end
        error(setmetatable({value = received}, R.RETURN_MARK), 0)
      end
      r = m(it, received)
    end
    if not sync then r = R.await(r) end
    local done, value = awaited_result(r, sync)
    if done then
      if mode == "return" then error(setmetatable({value = value}, R.RETURN_MARK), 0) end
      return value
    end
    mode, received = coyield(value)
  end
end

-- for await (x of v): the async iterator's results, each awaited. The state (s) is what
-- R.iter_close closes after a loop left by break or return.
local function aiter_step(s, n)
  local it = s.ait
  s.done = true   -- (as in iteration.lua's protocol_step: a next() that fails is not closed)
  local r = R.await(it.next(it))
  if R.truthy(r.done) then return nil end
  local v = r.value
  s.done = false
  return n + 1, v
end

function R.aiter(v)
  local m = v[R.sym_asyncIterator]
  if m ~= nil and m ~= null then
    local s = {ait = m(v)}
    R.iter_track(s)
    return aiter_step, s, 0
  end
  -- a sync iterable: its values (the loop awaits each); closing closes the sync iterator
  local f, s, c = R.iter_open(v)
  return function(_, n)
    local val
    c, val = f(s, c)
    if c == nil then return nil end
    return n + 1, val
  end, s, 0
end

-- A module body with top-level await
function R.run_module_async(body, mod)
  local p = R.async(body)
  mod.promise = p
  return p
end

---------------------------------------------------------------------------------------------
-- Timers: ordered by due time, then by creation.
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } ljs_timespec;
  int clock_gettime(int clk, ljs_timespec *tp);
  int nanosleep(const ljs_timespec *req, ljs_timespec *rem);
]]
local ts = ffi.new("ljs_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
R.now_ms = now_ms
local start_ms = now_ms()
R.start_ms = start_ms

local function sleep_ms(ms)
  if ms <= 0 then return end
  local req = ffi.new("ljs_timespec")
  req.tv_sec = math.floor(ms / 1000)
  req.tv_nsec = math.floor((ms % 1000) * 1e6)
  ffi.C.nanosleep(req, nil)
end
R.sleep_ms = sleep_ms

local timers = {}          -- id -> timer
local heap = {}            -- array of timers sorted by (due, seq)
local seq = 0
local TimeoutPrototype = R.newobj()
local TimeoutMT = R.protomt(TimeoutPrototype)
R.method(TimeoutPrototype, "unref", 0, function(this) this._unref = true; return this end)
R.method(TimeoutPrototype, "ref", 0, function(this) this._unref = false; return this end)
R.method(TimeoutPrototype, "hasRef", 0, function(this) return not this._unref end)
R.method(TimeoutPrototype, R.sym_toPrimitive, 1, function(this) return rawget(this, "_id") end)
local refresh_timer   -- (below, where the heap's functions are)
R.method(TimeoutPrototype, "refresh", 0, function(this) return refresh_timer(this) end)

local function insert_timer(t)
  local i = #heap
  heap[i + 1] = t
  -- keep sorted: timers are few; insertion from the end is cheap for increasing due times
  while i >= 1 and (heap[i].due > t.due or (heap[i].due == t.due and heap[i].seq > t.seq)) do
    heap[i + 1] = heap[i]
    heap[i] = t
    i = i - 1
  end
end

-- timeout.refresh(): due again its delay from now, if it has not fired (or is an interval)
refresh_timer = function(t)
  if timers[rawget(t, "_id")] == t and t.due >= 0 then
    for i = 1, #heap do
      if heap[i] == t then table.remove(heap, i); break end
    end
    t.due = now_ms() + t.delay
    insert_timer(t)
  end
  return t
end

local function add_timer(fn, delay, args, interval, immediate)
  if type(fn) ~= "function" then
    -- node's ERR_INVALID_ARG_TYPE, with what was received (ljs.nodelib words it)
    local ok, N = pcall(function() require("ljs.nodelib"); return R.nodelib end)
    if ok and N and N.invalid_arg_type then R.throw(N.invalid_arg_type("callback", "Function", fn)) end
    R.type_error("The \"callback\" argument must be of type function")
  end
  delay = R.tonum(delay or 0)
  -- as node has it: outside 1..2^31-1 (NaN too) a delay is 1, and it counts in whole ms, so
  -- setTimeout(a, 2.9) fires before a later setTimeout(b, 2)
  if delay > 2147483647 then
    -- (node says so, once per timer, through process.emitWarning)
    local proc = R.process
    local emit = proc and proc.emitWarning
    if emit then
      emit(proc, R.numtostr(delay) .. " does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.",
           "TimeoutOverflowWarning")
    end
  end
  if not (delay >= 1 and delay <= 2147483647) then delay = 1 end
  delay = math.floor(delay)
  seq = seq + 1
  local t = setmetatable({}, TimeoutMT)
  rawset(t, "_id", seq)
  t.fn, t.args, t.delay, t.interval, t.seq = fn, args, delay, interval, seq
  t.due = immediate and -1 or (now_ms() + delay)
  timers[seq] = t
  insert_timer(t)
  return t
end

local function clear_timer(_, t)
  if t == nil or t == null then return end
  local id = type(t) == "table" and rawget(t, "_id") or t
  local tm = timers[id]
  if tm then
    timers[id] = nil
    tm.cancelled = true
  end
end

local G = R.G
R.hidden(G, "setTimeout", R.fn(function(_, fn, delay, ...) return add_timer(fn, delay, R.pack(...), false) end, "setTimeout", 2))
R.hidden(G, "setInterval", R.fn(function(_, fn, delay, ...) return add_timer(fn, delay, R.pack(...), true) end, "setInterval", 2))
R.hidden(G, "setImmediate", R.fn(function(_, fn, ...)
  return add_timer(fn, 0, R.pack(...), false, true)   -- runs before timers that are due
end, "setImmediate", 1))
-- for the runtime's own modules: what a program did to the global setImmediate does not matter
function R.set_immediate(fn) return add_timer(fn, 0, R.pack(), false, true) end
R.hidden(G, "clearTimeout", R.fn(clear_timer, "clearTimeout", 1))
R.hidden(G, "clearInterval", R.fn(clear_timer, "clearInterval", 1))
R.hidden(G, "clearImmediate", R.fn(clear_timer, "clearImmediate", 1))
R.hidden(G, "queueMicrotask", R.fn(function(_, fn)
  if type(fn) ~= "function" then
    -- node's ERR_INVALID_ARG_TYPE, with what was received (ljs.nodelib words it)
    local ok, N = pcall(function() require("ljs.nodelib"); return R.nodelib end)
    if ok and N and N.invalid_arg_type then R.throw(N.invalid_arg_type("callback", "Function", fn)) end
    R.type_error("The \"callback\" argument must be of type function")
  end
  enqueue(function() fn(nil) end)
end, "queueMicrotask", 1))

-- Reported when a rejection stays unhandled after the microtasks of a macrotask ran: to
-- process's "unhandledRejection" listeners where there are any, else as an uncaught error
-- (R.uncaught), after putting back the rest for the next check.
local function check_unhandled()
  if #unhandled == 0 then return end
  local list = unhandled
  unhandled = {}
  for i = 1, #list do
    local p = list[i]
    if not rawget(p, HANDLED) then
      rawset(p, HANDLED, true)
      if R.process_listening("unhandledRejection") > 0 then
        R.process_emit("unhandledRejection", rawget(p, VALUE), p)
      else
        for j = i + 1, #list do unhandled[#unhandled + 1] = list[j] end
        R.unhandled_rejection(rawget(p, VALUE))
      end
    end
  end
end

-- The microtasks, then the unhandled rejections; each again after a throw that process's
-- "uncaughtException" listeners took (R.run_task), until both ran to the end.
local function settle()
  repeat until R.run_task(drain_microtasks)
  repeat until R.run_task(check_unhandled)
end

---------------------------------------------------------------------------------------------
-- I/O sources: file descriptors the loop waits on (stdin, ljs.node_stdin). While there are any,
-- the loop waits with poll(2) instead of sleeping, until one is readable or the first timer is
-- due, in slices between which it checks R.interrupted (the sandbox's time limit and Ctrl-C: a
-- program waiting for input that never comes must still stop).
pcall(ffi.cdef, "struct ljs_pollfd { int fd; short events; short revents; };")
pcall(ffi.cdef, "int poll(struct ljs_pollfd *fds, unsigned long nfds, int timeout);")
local POLLIN = 1
local POLL_SLICE_MS = 50
local sources = {}   -- in the order added; each {fd =, fn =, ref =}
local pollfds, npollfds = nil, 0

-- Watch fd: fn() runs (through R.run_task, then the microtasks) each time it is readable or at
-- its end. src.ref = false: the source does not keep the loop running by itself.
function R.io_watch(fd, fn, ref)
  local src = {fd = fd, fn = fn, ref = ref ~= false}
  sources[#sources + 1] = src
  return src
end

function R.io_unwatch(src)
  for i = #sources, 1, -1 do
    if sources[i] == src then table.remove(sources, i) end
  end
end

local function source_live()
  for i = 1, #sources do if sources[i].ref then return true end end
  return false
end

local function timer_live()
  for i = 1, #heap do if not heap[i].cancelled and not heap[i]._unref then return true end end
  return false
end

-- Callbacks to run later in this turn, after the microtasks of the source callback that asked
-- (node reports a pipe's end in a callback of its own, right after the last data).
local followups = {}
function R.io_followup(fn) followups[#followups + 1] = fn end

local function watched(src)
  for i = 1, #sources do if sources[i] == src then return true end end
  return false
end

-- Wait until a source is readable, for at most ms (nil: as long as it takes), and run the
-- ready ones. A program's prompt may still sit in stdout's buffer: out with it before blocking.
local function wait_io(ms)
  local n = #sources
  if npollfds < n then pollfds, npollfds = ffi.new("struct ljs_pollfd[?]", n), n end
  for i = 1, n do
    local p = pollfds[i - 1]
    p.fd, p.events, p.revents = sources[i].fd, POLLIN, 0
  end
  local deadline = ms and now_ms() + (ms > 0 and ms or 0)
  if (ms == nil or ms > 0) and R.flush_out then R.flush_out() end
  while true do
    local slice = POLL_SLICE_MS
    if deadline then
      local left = deadline - now_ms()
      if left < slice then slice = left > 0 and math.ceil(left) or 0 end
    end
    local ready = ffi.C.poll(pollfds, n, slice)
    if ready > 0 then
      local due = {}
      for i = 1, n do if pollfds[i - 1].revents ~= 0 then due[#due + 1] = sources[i] end end
      for i = 1, #due do
        -- (a callback before it may have stopped watching this one)
        if watched(due[i]) then
          R.run_task(due[i].fn)
          settle()
        end
      end
      while #followups > 0 do
        R.run_task(table.remove(followups, 1))
        settle()
      end
      return
    end
    if R.interrupted then R.interrupted() end
    if deadline and now_ms() >= deadline then return end
    if ready < 0 and slice > 0 then sleep_ms(1) end   -- (EINTR; anything else must not spin)
  end
end

local function run_timer(t)
  for i = 1, #heap do
    if heap[i] == t then table.remove(heap, i) break end
  end
  if t.interval then
    t.due = math.max(t.due + t.delay, now_ms())
    seq = seq + 1
    t.seq = seq
    insert_timer(t)
  else
    timers[rawget(t, "_id")] = nil
  end
  R.run_task(t.fn, t, R.unpack(t.args))   -- (`this` is the Timeout: clearInterval(this) works)
  settle()
end

local function first_timer()
  while heap[1] and heap[1].cancelled do table.remove(heap, 1) end
  return heap[1]
end

-- the first timer that is not an immediate (those come first in the heap: due -1)
local function first_regular()
  for i = 1, #heap do
    local t = heap[i]
    if not t.cancelled and t.due >= 0 then return t end
  end
  return nil
end

-- The two phases of a turn of node's loop around the input: the timers due when it starts (an
-- immediate one of them queues waits for the check phase, after all of them), and the
-- immediates queued before the check phase starts. timers_phase says whether any ran.
local function timers_phase()
  local now = now_ms()
  local ran = false
  local t = first_regular()
  while t and t.due <= now do
    run_timer(t)
    ran = true
    t = first_regular()
  end
  return ran
end
local function check_phase()
  local last = seq
  local t = first_timer()
  while t and t.due < 0 and t.seq <= last do
    run_timer(t)
    t = first_timer()
  end
end

-- One turn of the loop while there are I/O sources, in node's order: the timers due now, then
-- the input (waiting for it until the next timer is due; not at all after timers ran, so that
-- neither timers nor input starve the other), then the immediates.
local function io_turn()
  local ran = timers_phase()
  local t = first_timer()
  if ran or (t and t.due < 0) then wait_io(0) else wait_io(t and t.due - now_ms() or nil) end
  check_phase()
end

-- Run until no microtask and no referenced timer or I/O source is left.
function R.run_event_loop()
  settle()
  while true do
    local t = first_timer()
    if #sources > 0 then
      if not source_live() and not (t and timer_live()) then break end
      io_turn()
    else
      if not t or not timer_live() then break end
      -- (no immediate waiting) sleep until the first timer is due. A signal ends nanosleep
      -- early (EINTR): sleep again. Through R: a sandbox sleeps in slices it can interrupt.
      local wait = t.due >= 0 and t.due - now_ms() or 0
      while wait > 0 do
        R.sleep_ms(wait)
        wait = t.due - now_ms()
      end
      timers_phase()
      check_phase()
    end
  end
end

-- Whether anything would keep the loop running: a job, a tick, a referenced timer, a live I/O
-- source (process's beforeExit listeners may schedule more work).
function R.loop_alive()
  if mtail >= mhead or ttail >= thead then return true end
  local t = first_timer()
  if t and timer_live() then return true end
  return #sources > 0 and source_live() and true or false
end

-- Forget the pending jobs, timers and unhandled rejections of a program that was stopped
-- (time limit, Ctrl-C, memory limit), so that the next one in this runtime starts clean.
function R.clear_event_loop()
  mq, mhead, mtail = {}, 1, 0
  ticks, thead, ttail = {}, 1, 0
  for k in pairs(timers) do timers[k] = nil end
  for i = #heap, 1, -1 do heap[i] = nil end
  unhandled = {}
  -- (an owner that asked to hear of it forgets it was watching)
  local list = sources
  sources = {}
  followups = {}
  for i = 1, #list do if list[i].dropped then list[i].dropped() end end
end

R.Promise = Promise
return R
