-- ljs.iteration: the iteration protocol (for…of, spread, destructuring), for…in, generators.
local R = require("ljs.core")
local null, SHAPE, ObjectMT, ArrayMT = R.null, R.SHAPE, R.ObjectMT, R.ArrayMT
local sym_iterator, walks_by_index = R.sym_iterator, R.walks_by_index
local type, rawget, rawset, getmetatable, setmetatable = type, rawget, rawset, getmetatable, setmetatable
local cocreate, coresume, coyield, costatus, corunning = coroutine.create, coroutine.resume, coroutine.yield,
  coroutine.status, coroutine.running

-- Every resume nests a LuaJIT VM frame on the C stack and each coroutine has a Lua stack of
-- its own, so recursion through generators or async functions (function* g() { yield* g() })
-- never meets Lua's "stack overflow": it ran off the C stack (a segfault near 100,000 levels
-- on an 8 MiB stack). Count the nesting and fail like node (~5,000 levels for generators).
local MAX_RESUME_DEPTH = 7000
local resume_depth = 0
local raw_resume = coresume
local function resume_counted(co, mode, v)
  if resume_depth >= MAX_RESUME_DEPTH then
    return false, R.make_error("RangeError", "Maximum call stack size exceeded")
  end
  resume_depth = resume_depth + 1
  local ok, a, b = raw_resume(co, mode, v)
  resume_depth = resume_depth - 1
  return ok, a, b
end
R.coresume = resume_counted
coresume = resume_counted

local fast_iter = setmetatable({}, {__mode = "k"})
R.fast_iter = fast_iter

local RESULT_SHAPE = R.shape({"value", "done"})
local function iter_result(value, done)
  return setmetatable({value = value, done = done, ["\255"] = RESULT_SHAPE}, ObjectMT)
end
R.iter_result = iter_result

-- Arrays iterate by index, re-reading the length each step as JS does.
local function array_step(a, i)
  i = i + 1
  if i < rawget(a, "length") then return i, rawget(a, i) end
end

-- Generic protocol: call next() until done.
-- (done when next() throws, or its result is no object or throws from done or value: such an
-- iterator is not closed. No store comes before the call: a trace then checks which next()
-- it calls against the state at the loop's start, and where a loop that ran before recorded
-- an earlier closure, the side trace for this one forms a loop of its own. Set before the call,
-- done put that check after the store, and every step went from the loop's trace through the
-- side traces back to its start, 30x slower.)
local function protocol_step(state, n)
  local ok, r = pcall(state.next, state.it)
  if not ok then state.done = true; error(r, 0) end
  if not R.isobject(r) then state.done = true; R.type_error("Iterator result " .. R.tostr(r) .. " is not an object") end
  local d, v
  if type(r) == "table" then d, v = rawget(r, "done"), rawget(r, "value") end
  if d == nil then state.done = true; d = r.done; state.done = false end   -- (a getter, inherited)
  if R.truthy(d) then state.done = true; return nil end
  if v == nil then state.done = true; v = r.value; state.done = false end
  return n + 1, v
end

-- (why: the message naming the value as the program wrote it, from compiled for…of loops)
local function get_iterator(v, why)
  local m = v[sym_iterator]
  if m == nil or m == null or not R.iscallable(m) then
    R.type_error(why or (R.typeof(v) == "object" and "object is not iterable" or (R.tostr(v) .. " is not iterable")))
  end
  local it = m(v)
  if not R.isobject(it) then R.type_error("Result of the Symbol.iterator method is not an object") end
  return it
end
R.get_iterator = get_iterator

-- for (x of v): a Lua generic-for triple yielding (control, value)
function R.iter(v, why)
  if walks_by_index(v) then return array_step, v, -1 end
  if v == nil or v == null then R.type_error(why or (R.tostr(v) .. " is not iterable")) end
  local m = v[sym_iterator]
  local fast = m and fast_iter[m]
  if fast then return fast(v) end
  local it = get_iterator(v, why)
  local nxt = it.next
  return protocol_step, {it = it, next = nxt}, 0
end

-- The open for…of loops of each coroutine whose iterators must be closed when the loop is left
-- early: by break or return (the compiled code calls iter_close), by an exception (R.try, at the
-- catch that ends it), or by the generator being closed from outside (R.generator).
local tracked = setmetatable({}, {__mode = "k"})   -- coroutine -> stack of iteration states
local MAIN = {}   -- the key of the main thread, for which coroutine.running() gives nil
local ntracked = 0   -- how many loops all coroutines have tracked (those of a collected coroutine
                     -- stay counted): at 0, R.try skips coroutine.running(), which ends a trace
local function running() return corunning() or MAIN end
local GenMT
local function closeable(s)
  if type(s) ~= "table" then return false end
  local mt = getmetatable(s)
  return mt == GenMT or mt == nil and (rawget(s, "it") ~= nil or rawget(s, "ait") ~= nil)
end
local function track(s)
  local co = running()
  local st = tracked[co]
  if not st then st = {}; tracked[co] = st end
  st[#st + 1] = s
  ntracked = ntracked + 1
end
R.iter_track = track
local function untrack(s)
  local st = tracked[running()]
  if not st then return end
  for i = #st, 1, -1 do
    if st[i] == s then table.remove(st, i); ntracked = ntracked - 1; return end
  end
end

-- for…of's R.iter
local iter = R.iter
function R.iter_open(v, why)
  local f, s, c = iter(v, why)
  if closeable(s) then track(s) end
  return f, s, c
end

-- After a for…of loop: close an unfinished iterator (a loop left early), and forget the loop.
local function close(s)
  if type(s) ~= "table" or getmetatable(s) == ArrayMT then return end
  untrack(s)
  local ait = rawget(s, "ait")
  if ait ~= nil then   -- for await (R.aiter): the async iterator's return(), awaited
    if s.done then return end
    s.done = true
    local ret = ait["return"]
    if ret ~= nil and ret ~= null then
      local r = R.await(ret(ait))
      if type(r) ~= "table" or r == null then
        R.type_error("Iterator result " .. R.tostr(r) .. " is not an object")
      end
    end
    return
  end
  if getmetatable(s) == GenMT then
    if s.state == "suspended" then s["return"](s) end
    return
  end
  if s.it and not s.done then
    s.done = true
    local ret = s.it["return"]
    if ret ~= nil and ret ~= null and not R.isobject(ret(s.it)) then
      R.type_error("Iterator result is not an object")
    end
  end
end
R.iter_close = close

-- Close the loops opened above depth d in this coroutine, innermost first: an exception left
-- them. Their errors are dropped, the exception goes on.
local function unwind(d)
  local st = tracked[running()]
  if not st then return end
  for i = #st, d + 1, -1 do   -- (close untracks the top entry, the one it closes)
    if st[i] ~= nil then
      pcall(close, st[i])
      if st[i] ~= nil then st[i] = nil; ntracked = ntracked - 1 end
    end
  end
end
R.iter_unwind = unwind

-- pcall for a catch of JS exceptions (try statements, promise jobs, tasks): what it catches
-- first closes the iterators of the for…of loops it left.
local function try(f, ...)
  local d = 0
  if ntracked > 0 then
    local st = tracked[running()]
    d = st and #st or 0
  end
  local ok, a, b = pcall(f, ...)
  if not ok and ntracked > 0 then unwind(d) end
  return ok, a, b
end
R.try = try

-- The body of a coroutine (an async function's, an async generator's): an exception that ends
-- it first closes its open loops.
function R.run_closing(body)
  local ok, r = pcall(body)
  if not ok then unwind(0); error(r, 0) end
  return r
end

-- Destructuring [a, b] = v: the first n values as a 0-based table (arrays are used as they are).
-- `[a, b] = [x, y]` compiled to plain locals (assignment.py's assign_from_literal) asks first
-- whether a program replaced the arrays' iterator; then the literal's n values go through it.
function R.array_iter_replaced()
  return rawget(R.ArrayPrototype, sym_iterator) ~= R.array_values
end
local unpack = unpack
function R.iterate_values(n, ...)
  local got = R.destr_iter(R.pack(...), n)
  return unpack(got, 0, n - 1)
end

-- one step of iteration (f, s, c) into out[i]; the next control value, nil when done
local function take(out, i, f, s, c)
  local val
  c, val = f(s, c)
  if c ~= nil then out[i] = val; out.length = i + 1 end
  return c
end

-- V8's words where a built-in (or a pattern with nothing to name) finds no iterator
local function builtin_not_iterable(v)
  local t = R.typeof(v)
  if v == null then t = "object null" elseif t == "number" or t == "boolean" then t = t .. " " .. R.tostr(v) end
  return t .. " is not iterable (cannot read property Symbol(Symbol.iterator))"
end
R.builtin_not_iterable = builtin_not_iterable

-- why: the message naming the value as written (a declaration's pattern), else V8's built-in one
function R.destr_iter(v, n, why)
  if walks_by_index(v) then return v end
  local out, i = {length = 0}, 0
  if v == nil or v == null then R.type_error(why or builtin_not_iterable(v)) end
  local m = v[sym_iterator]
  if m == nil or m == null or not R.iscallable(m) then R.type_error(why or builtin_not_iterable(v)) end
  if n == 0 then
    local it = get_iterator(v)
    local ret = it["return"]
    if ret ~= nil and ret ~= null then ret(it) end
    return out
  end
  local f, s, c = R.iter(v)
  if n <= 4 and n >= 1 then   -- unrolled: a loop here would abort the trace of a loop around it
    c = take(out, 0, f, s, c)
    if c ~= nil and n > 1 then c = take(out, 1, f, s, c) end
    if c ~= nil and n > 2 then c = take(out, 2, f, s, c) end
    if c ~= nil and n > 3 then c = take(out, 3, f, s, c) end
    if c ~= nil and closeable(s) then R.iter_close(s) end   -- (n taken, the iterator not done)
    return setmetatable(out, ArrayMT)
  end
  while true do
    local val
    c, val = f(s, c)
    if c == nil then break end
    out[i] = val
    i = i + 1
    if n >= 0 and i >= n then R.iter_close(s); break end
  end
  out.length = i
  return setmetatable(out, ArrayMT)
end

-- [...rest] of a destructured array from index i
function R.arrrest(a, i)
  local m = (rawget(a, "length") or 0) - i
  if m <= 4 then   -- (unrolled: a loop here would abort the trace of the loop around it)
    if m <= 0 then return setmetatable({length = 0}, ArrayMT) end
    local b, c, d
    if m > 1 then b = a[i + 1] end
    if m > 2 then c = a[i + 2] end
    if m > 3 then d = a[i + 3] end
    return setmetatable({[0] = a[i], b, c, d, length = m}, ArrayMT)
  end
  local out = {length = 0}
  local n = rawget(a, "length") or 0
  local k = 0
  for j = i, n - 1 do out[k] = a[j]; k = k + 1 end
  out.length = k
  return setmetatable(out, ArrayMT)
end

-- {...rest} of a destructured object without the listed keys. From an object with a shared
-- shape of string keys and no accessors (as Object.keys lists it) and up to three keys taken,
-- the rest gets the other raw values and the shared shape of its keys, without a table of keys
-- or a store through __newindex per key (1M `const {a, ...rest} = {a, b, c}`: 2,529 -> 643 ms).
local shape_step, ROOT = R.shape_step, R.ROOT
local listed_shape = R.listed_shape
-- (the taken keys compared as they are: string keys only, as a computed 1.5 names "1.5")
local function str_or_nil(k) return k == nil or type(k) == "string" end
local function rest_shape(o, used)
  if #used > 3 or not (str_or_nil(used[1]) and str_or_nil(used[2]) and str_or_nil(used[3])) then
    return nil
  end
  return (listed_shape(o))
end
-- (up to 8 keys without a loop, which would get a trace of its own before the caller's loop)
local function rest_key(out, ns, o, k, u1, u2, u3)
  if k and k ~= u1 and k ~= u2 and k ~= u3 then
    rawset(out, k, rawget(o, k))
    return (shape_step(ns, k))
  end
  return ns
end
function R.objrest(o, used)
  local s = rest_shape(o, used)
  if s then
    local u1, u2, u3 = used[1], used[2], used[3]
    local out, ns = setmetatable({}, ObjectMT), ROOT
    if s.n <= 8 then
      ns = rest_key(out, ns, o, s[1], u1, u2, u3)
      ns = rest_key(out, ns, o, s[2], u1, u2, u3)
      ns = rest_key(out, ns, o, s[3], u1, u2, u3)
      ns = rest_key(out, ns, o, s[4], u1, u2, u3)
      ns = rest_key(out, ns, o, s[5], u1, u2, u3)
      ns = rest_key(out, ns, o, s[6], u1, u2, u3)
      ns = rest_key(out, ns, o, s[7], u1, u2, u3)
      ns = rest_key(out, ns, o, s[8], u1, u2, u3)
    else
      for i = 1, s.n do ns = rest_key(out, ns, o, s[i], u1, u2, u3) end
    end
    if ns ~= ROOT then rawset(out, SHAPE, ns) end
    return out
  end
  local skip = {}
  for i = 1, #used do skip[R.tokey(used[i])] = true end
  local out = R.newobj()
  local keys, n = R.ownkeys(o, true)
  for i = 1, n do
    local k = keys[i]
    if not skip[k] then out[k] = o[k] end
  end
  return out
end

-- for…in lists an inherited key unless an object before it in the chain has the key, enumerable
-- or not
local function shadowed(below, nbelow, k)
  for j = 1, nbelow do if R.hasown(below[j], k) then return true end end
  return false
end

-- for (k in o): enumerable string keys, own then inherited, each once
-- for…in over a plain object whose shared shape holds strings alone, with nothing enumerable
-- on Object.prototype: the shape is the list of keys (shared shapes never change), and the loop
-- makes no table of keys and no closure, which a trace could not compile.
local function forin_shape(st, i)
  i = i + 1
  local s = st[2]
  if i > s.n then return nil end
  local o, k = st[1], s[i]
  -- a key the loop deleted is skipped (deleting moved the object off the shape)
  if rawget(o, SHAPE) ~= s and not R.has(o, k) then return forin_shape(st, i) end
  return i, k
end

-- the keys listed at the start of the loop, skipping those deleted since (st: {o, keys, n})
local function forin_keys(st, i)
  local o, keys = st[1], st[2]
  while true do
    i = i + 1
    if i > st[3] then return nil end
    local k = keys[i]
    if type(o) ~= "table" or R.has(o, k) then return i, k end
  end
end
local function no_keys() return nil end

-- (R.forin makes no closure: a function that does cannot be compiled through its returns,
-- LuaJIT's UCLO, and the loop around it would run interpreted)
local SLOW, ObjectPrototype = R.SLOW, R.ObjectPrototype
function R.forin(o)
  if type(o) == "table" and getmetatable(o) == ObjectMT and rawget(o, SLOW) == nil then
    local s, ps = rawget(o, SHAPE), rawget(ObjectPrototype, SHAPE)
    if s and s.strs and (ps == nil or ps.n == 0) then return forin_shape, {o, s}, 0 end
  end
  if o == nil or o == null then return no_keys, nil, nil end
  if type(o) ~= "table" and type(o) ~= "function" and type(o) ~= "string" then return no_keys end
  local keys, n = {}, 0
  local seen = {}
  local cur = o
  local below, nbelow = {}, 0
  while cur ~= nil and cur ~= null do
    local ks, kn = R.ownkeys(cur)
    for i = 1, kn do
      local k = ks[i]
      if not seen[k] then
        seen[k] = true
        if nbelow == 0 or not shadowed(below, nbelow, k) then
          n = n + 1
          keys[n] = type(k) == "number" and R.numtostr(k) or k
        end
      end
    end
    if type(cur) == "string" then break end
    nbelow = nbelow + 1
    below[nbelow] = cur
    cur = type(cur) == "function" and R.FunctionPrototype or R.getproto(cur)
    if cur == R.ObjectPrototype then
      -- Object.prototype's built-ins are non-enumerable; user additions are in its shape
      local ks2, kn2 = R.ownkeys(cur)
      for i = 1, kn2 do
        local k = ks2[i]
        if not seen[k] then seen[k] = true; if not shadowed(below, nbelow, k) then n = n + 1; keys[n] = k end end
      end
      break
    end
  end
  return forin_keys, {o, keys, n}, 0
end

---------------------------------------------------------------------------------------------
-- Generators: the body runs in a coroutine; yield passes values out, next(v) passes v in.
local GeneratorPrototype = R.newobj()
R.GeneratorPrototype = GeneratorPrototype
local DONE = {}
local RETURN = {}   -- marker for gen.return(v) delivered into the coroutine

local function gen_resume(g, mode, v)
  local co = g.co
  if g.state == "done" then
    if mode == "throw" then R.throw(v) end
    return iter_result(mode == "return" and v or nil, true)
  end
  if g.state == "running" then R.type_error("Generator is already running") end
  if g.state == "start" and mode ~= "next" then
    g.state = "done"
    if mode == "throw" then R.throw(v) end
    return iter_result(v, true)
  end
  g.state = "running"
  local ok, a, b = coresume(co, mode, v)
  if not ok then
    g.state = "done"
    error(a, 0)
  end
  if costatus(co) == "dead" then
    g.state = "done"
    return iter_result(a, true)
  end
  g.state = "suspended"
  return iter_result(a, false)
end

local function make_generator(body, this)
  -- (raw fields: no property of the generator object that JS code would enumerate)
  local g = setmetatable({state = "start"}, GenMT)
  rawset(g, "co", cocreate(function(mode, v)
    return body()
  end))
  return g
end
R.generator = make_generator

-- yield inside the generator body: returns the value passed to next()
function R.yield(v)
  local mode, x = coyield(v)
  if mode == "throw" then R.throw(x) end
  if mode == "return" then error(setmetatable({value = x}, RETURN), 0) end
  return x
end

function R.yield_star(inner)
  local it = get_iterator(inner)
  local nxt = it.next
  local received = nil
  local mode = "next"
  while true do
    local r
    if mode == "next" then
      r = nxt(it, received)
    elseif mode == "throw" then
      local th = it.throw
      if th == nil or th == null then R.type_error("The iterator does not provide a 'throw' method") end
      r = th(it, received)
    else
      local rt = it["return"]
      if rt == nil or rt == null then error(setmetatable({value = received}, RETURN), 0) end
      r = rt(it, received)
      if R.truthy(r.done) then error(setmetatable({value = r.value}, RETURN), 0) end
    end
    if R.truthy(r.done) then return r.value end
    mode, received = coyield(r.value)
  end
end

GenMT = R.protomt(GeneratorPrototype)
R.GenMT = GenMT
R.method(GeneratorPrototype, "next", 1, function(this, v) return gen_resume(this, "next", v) end)
R.method(GeneratorPrototype, "return", 1, function(this, v)
  if this.state == "suspended" then
    -- run finally blocks: resume with a return marker that unwinds the body
    this.state = "running"
    local ok, a = coresume(this.co, "return", v)
    this.state = "done"
    if not ok then
      if type(a) == "table" and getmetatable(a) == RETURN then return iter_result(a.value, true) end
      error(a, 0)
    end
    if costatus(this.co) ~= "dead" then this.state = "suspended"; return iter_result(a, false) end
    return iter_result(a, true)
  end
  return gen_resume(this, "return", v)
end)
R.method(GeneratorPrototype, "throw", 1, function(this, v) return gen_resume(this, "throw", v) end)
R.method(GeneratorPrototype, sym_iterator, 0, function(this) return this end)
R.tag(GeneratorPrototype, "Generator")
R.RETURN_MARK = RETURN

-- A generator's own body running out with a return marker means done with that value.
local gen_body_wrap = make_generator
R.generator = function(body, this)
  return gen_body_wrap(function()
    local ok, r = pcall(body)
    unwind(0)
    if ok then return r end
    if type(r) == "table" and getmetatable(r) == RETURN then return r.value end
    error(r, 0)
  end, this)
end

-- fast path for for…of over generators
-- (gen_resume's "next" for a generator that can run, without a result object per step)
local function gen_step(gen, n)
  local state = gen.state
  if state ~= "suspended" and state ~= "start" then
    local r = gen_resume(gen, "next", nil)
    if r.done then return nil end
    return n + 1, r.value
  end
  local co = gen.co
  gen.state = "running"
  local ok, a = coresume(co, "next", nil)
  if not ok then gen.state = "done"; error(a, 0) end
  if costatus(co) == "dead" then gen.state = "done"; return nil end
  gen.state = "suspended"
  return n + 1, a
end
fast_iter[rawget(GeneratorPrototype, sym_iterator)] = function(g)
  if getmetatable(g) ~= GenMT then return protocol_step, {it = g, next = g.next}, 0 end
  return gen_step, g, 0
end

-- Iterator objects made by built-ins: a JS object with next() over a Lua step function.
local IteratorPrototype = R.newobj()
R.IteratorPrototype = IteratorPrototype
R.method(IteratorPrototype, sym_iterator, 0, function(this) return this end)
R.setproto(GeneratorPrototype, IteratorPrototype)

return R
