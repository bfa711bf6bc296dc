-- ljs.core: the JavaScript value model on LuaJIT.
--
--   undefined  nil                 number  Lua double        string  Lua string (UTF-8)
--   null       the `null` table    boolean Lua boolean       symbol  table with SymbolMT
--   object     table; metatable = instance metatable of its prototype (see protomt)
--   array      table, elements at keys 0..length-1, raw field `length`, metatable ArrayMT
--   function   Lua function(this, ...); its JS properties live in `fprops[f]`
--
-- Own enumerable keys keep JS order through a shape stored at o[SHAPE]: shared, immutable
-- key lists linked by transitions (hidden classes), so objects built the same way share one.
-- Properties that are not plain writable data (accessors, read-only, frozen objects) live
-- in o[SLOW] and are served by metamethods; plain data stays raw so `o.k` is a table read.
local bit = require("bit")
local tobit, band, bor = bit.tobit, bit.band, bit.bor
local type, rawget, rawset, rawequal, getmetatable, setmetatable, select, next, tostring, tonumber, error, pcall =
      type, rawget, rawset, rawequal, getmetatable, setmetatable, select, next, tostring, tonumber, error, pcall
local floor, huge = math.floor, math.huge
-- C's fmod through the FFI, which a trace calls directly (math.fmod is not compiled)
local fmod = math.fmod
do
  local ok, ffi = pcall(require, "ffi")
  if ok and pcall(ffi.cdef, "double fmod(double, double);") then
    local C = ffi.C
    if pcall(function() return C.fmod end) then fmod = C.fmod end
  end
end
local sbyte, ssub, sfind, sformat = string.byte, string.sub, string.find, string.format
local NaN = 0/0

local R = {}
package.loaded["ljs.core"] = R   -- modules below require core while it is loading

-- Private keys: tables, so no JS string key can collide with them. Except the shape's key: the
-- one-byte string "\255", which no JS string holds (the runtime keeps every JS string well-formed
-- UTF-8, where byte 0xFF never occurs). A string key, so that in a table constructor
-- `{x = a, ["\255"] = S}` LuaJIT keeps it in the template: each object is a copy that already
-- has the slot, and the trace stores into it instead of inserting a key (NEWREF) per object.
local SHAPE = "\255"
local SLOW = setmetatable({}, {__tostring = function() return "<slow>" end})
local BOX = {}   -- metatable of boxed non-object throw values
-- Set on arrays whose nil slots are holes (elisions, new Array(n), gaps, delete); in arrays
-- without it a nil slot is an undefined element.
local HOLES = setmetatable({}, {__tostring = function() return "<holes>" end})
-- Definition order of non-enumerable keys (class methods, defineProperty), for
-- Object.getOwnPropertyNames and getOwnPropertySymbols; enumerable keys keep theirs in the shape.
-- order.at[i] is how many keys the shape had when the i-th was defined: where it goes among them.
local HKEYS = setmetatable({}, {__tostring = function() return "<hidden keys>" end})
R.HKEYS = HKEYS
-- A branded shape (R.brand) says more than its keys: that the object is a direct instance of one
-- class with no own keys but these, so `this.m()` may take m from the class's prototype without
-- looking (R.this_method). Anything that gives an object an own key outside the shape, or
-- another prototype, takes the brand off.
local function unbrand(o)
  local s = rawget(o, SHAPE)
  if s ~= nil and s.brand then rawset(o, SHAPE, s.plain) end
end
R.unbrand = unbrand
local function note_hidden(o, k)
  unbrand(o)
  local order = rawget(o, HKEYS)
  if order == nil then order = {at = {}}; rawset(o, HKEYS, order) end
  local i, s = #order + 1, rawget(o, SHAPE)
  order[i], order.at[i] = k, s and s.n or 0
end
R.note_hidden = note_hidden
R.SHAPE, R.SLOW, R.HOLES = SHAPE, SLOW, HOLES

-- Late-bound constructors of errors (filled by ljs.error).
local function throw_error(kind, msg)
  local make = R.make_error
  if make then error(make(kind, msg), 0) end
  error(kind .. ": " .. msg, 0)
end
R.throw_error = throw_error
local function type_error(msg) throw_error("TypeError", msg) end
R.type_error = type_error

---------------------------------------------------------------------------------------------
-- null
local NullMT = {}
local null = setmetatable({}, NullMT)
R.null = null
NullMT.__index = function(_, k) type_error("Cannot read properties of null (reading '" .. R.keystr(k) .. "')") end
NullMT.__newindex = function(_, k) type_error("Cannot set properties of null (setting '" .. R.keystr(k) .. "')") end
NullMT.__tostring = function() return "null" end
NullMT.__call = function() type_error(R.callee_at(null, "null") .. " is not a function") end

---------------------------------------------------------------------------------------------
-- Shapes: transition tree of key lists. A shape is {n=, [1..n]=keys, index={key->i}, trans={}}.
-- Shapes beyond MAXSHARED keys, or after a delete, become owned by one object and mutate in place.
local MAXSHARED = 48
-- strs: a shared shape's keys are all strings (no index or symbol), so that they are, in order,
-- what Object.keys and for…in list for an object without accessors or hidden keys
local ROOT = {n = 0, index = {}, trans = {}, strs = true}
R.ROOT = ROOT

local function extend(s, k)
  local n = s.n + 1
  local ns = {n = n, index = {}, trans = {}, strs = s.strs and type(k) == "string"}
  local idx = ns.index
  for i = 1, s.n do local key = s[i]; ns[i] = key; idx[key] = i end
  ns[n] = k; idx[k] = n
  s.trans[k] = ns
  return ns
end

-- An owned shape (one object's alone) may hold false where a key was deleted: deleting leaves
-- its slot behind instead of moving the keys after it, which made a run of deletes quadratic.
-- Readers of a shape's keys go by their type, which skips those slots; own() compacts them.
local function own(s)
  local ns = {n = 0, index = {}, owned = true}
  local idx, n = ns.index, 0
  for i = 1, s.n do
    local key = s[i]
    if key ~= false then n = n + 1; ns[n] = key; idx[key] = n end
  end
  ns.n = n
  return ns
end
R.own_shape = own

-- The shared shape after s takes key k, or nil where shapes stop being shared.
function R.shape_step(s, k)
  if s.owned or s.n >= MAXSHARED then return nil end
  return s.trans[k] or extend(s, k)
end

-- Record key k as an own enumerable key of o (no-op when present).
local function addkey(o, k)
  local s = rawget(o, SHAPE) or ROOT
  if s.index[k] then return end
  if s.owned then
    local n = s.n + 1; s.n = n; s[n] = k; s.index[k] = n
  elseif s.n >= MAXSHARED then
    s = own(s); local n = s.n + 1; s.n = n; s[n] = k; s.index[k] = n
    rawset(o, SHAPE, s)
  else
    rawset(o, SHAPE, s.trans[k] or extend(s, k))
  end
end
R.addkey = addkey

-- o.k = v where nothing can be in the way (an object or function a built-in module is laying
-- out: no setter, not frozen, no array length): an own enumerable data property
function R.own_put(o, k, v)
  if type(o) == "function" then o = R.fprop_table(o) end
  addkey(o, k)
  rawset(o, k, v)
  return v
end

-- A built-in's private state kept under a table key of the object; Object.freeze moves raw
-- fields into the slow table, so look there too.
function R.private_state(o, key)
  if type(o) ~= "table" then return nil end
  local st = rawget(o, key)
  if st == nil then
    local slow = rawget(o, R.SLOW)
    local d = slow and slow[key]
    st = d and d.value
  end
  return st
end

local function dropkey(o, k)
  local s = rawget(o, SHAPE)
  if not s then return end
  local i = s.index[k]
  if not i then return end
  if not s.owned then s = own(s); rawset(o, SHAPE, s); i = s.index[k] end
  s.index[k] = nil
  if i == s.n then s[i] = nil; s.n = i - 1; return end
  s[i] = false
  local dead = (s.dead or 0) + 1
  if dead * 2 > s.n and dead > 8 then rawset(o, SHAPE, own(s)) else s.dead = dead end
end
R.dropkey = dropkey

-- The shared shape of an object whose keys it lists as Object.keys would (strings alone, no
-- accessors or hidden keys, no array or exotic kind); nil for any other object. Copies and key
-- lists of such an object go by the shape (Object.keys/assign, {...o}, {a, ...rest} = o).
function R.listed_shape(o)
  local s = type(o) == "table" and rawget(o, SHAPE)
  if s and s.strs and rawget(o, SLOW) == nil then
    local mt = getmetatable(o)
    if mt and mt.kind == nil and mt.enum_hook == nil then return s end
  end
end

-- A shape for an object literal's static keys, built once per literal site.
function R.shape(keys)
  local s = ROOT
  for i = 1, #keys do
    local k = keys[i]
    if not s.index[k] then
      if s.owned or s.n >= MAXSHARED then
        if not s.owned then s = own(s) end
        local n = s.n + 1; s.n = n; s[n] = k; s.index[k] = n
      else
        s = s.trans[k] or extend(s, k)
      end
    end
  end
  return s
end

---------------------------------------------------------------------------------------------
-- Prototypes and instance metatables.
-- Every object's metatable is the instance metatable of its prototype:
--   { __index = proto or lookup function, __newindex = store hook, proto = proto, kind = ... }
local ObjectPrototype = {}
local FunctionPrototype = {}
local ArrayPrototype = {}
R.ObjectPrototype, R.FunctionPrototype, R.ArrayPrototype = ObjectPrototype, FunctionPrototype, ArrayPrototype

-- proto -> instance metatable, weak both ways: the metatable refers to its proto, and LuaJIT has
-- no ephemerons, so with weak keys alone no prototype would ever be collected. The instances (and
-- compiled classes, which keep theirs in an upvalue) keep a metatable alive; one made again later
-- for the same proto differs only in identity, which nothing relies on (private metatables exist too).
local instmt = setmetatable({}, {__mode = "kv"})
local children = setmetatable({}, {__mode = "k"}) -- proto -> {metatables whose chain passes it}
local has_accessors = setmetatable({}, {__mode = "k"})  -- object -> true when o[SLOW] exists

local function getproto(o)
  local mt = getmetatable(o)
  if mt then return mt.proto end
end
R.getproto = getproto

-- One link of a lookup of k on behalf of receiver o: true and the value when the link decides
-- it (it has k, or ends the chain), else false, nil and the next link.
local function lookup_link(p, k, o)
  local fn
  if type(p) == "function" then
    -- statics inherited from a base class: its own properties live in fprops; past them comes
    -- the function's [[Prototype]] (Function.prototype unless set), not the table's default
    local t = R.fprops[p]
    if t == nil or k == "name" or k == "length" or k == "prototype" then return true, p[k] end
    fn, p = p, t
  end
  local v = rawget(p, k)
  if v ~= nil then return true, v end
  local slow = rawget(p, SLOW)
  if slow then
    local d = slow[k]
    if d then
      if d.get ~= nil or d.set ~= nil then
        local g = d.get
        if g == nil then return true, nil end
        return true, g(o)
      end
      return true, d.value
    end
  end
  if fn then return false, nil, R.fn_getproto(fn) end
  local mt = getmetatable(p)
  if not mt then return true, nil end
  if mt.proxy then return true, mt.get_recv(p, k, o) end   -- its get trap sees the receiver
  local idx = mt.__index
  if type(idx) == "function" and not mt.proto then return true, idx(p, k) end
  return false, nil, mt.proto
end

-- Look k up along the chain starting at object p, on behalf of receiver o. The first four links
-- are looked at without a loop: a trace that enters a loop in a called function aborts ("inner
-- loop in root trace"), and this is the path of every method call on a Map, a function, or an
-- instance of a class whose chain has accessors (200x slower than node through the loop).
local function lookup(p, k, o)
  if p == nil or p == null then return nil end
  local found, v
  found, v, p = lookup_link(p, k, o)
  if found then return v elseif p == nil or p == null then return nil end
  found, v, p = lookup_link(p, k, o)
  if found then return v elseif p == nil or p == null then return nil end
  found, v, p = lookup_link(p, k, o)
  if found then return v elseif p == nil or p == null then return nil end
  found, v, p = lookup_link(p, k, o)
  if found then return v end
  while p and p ~= null do
    found, v, p = lookup_link(p, k, o)
    if found then return v end
  end
  return nil
end
R.lookup = lookup

local function chain_has_slow(p)
  while p and p ~= null do
    if type(p) == "function" then return false end
    if rawget(p, SLOW) then return true end
    local pmt = getmetatable(p)
    if pmt and pmt.proxy then return true end   -- (its traps see the receiver: see lookup_link)
    p = getproto(p)
  end
  return false
end

-- Find a setter or a read-only property for k along o's chain; returns descriptor or nil.
-- (one link of it: true, and the descriptor and its holder if any, when the link decides; else
-- false, nil and the next link)
-- A proxy decides for the rest of the chain: its [[Set]], with the object as the receiver.
-- (made apart: a closure in slow_link would close upvalues at its every return, ending traces)
local function proxy_setter(pmt, p, k)
  return {set = function(o, v) pmt.set_recv(p, k, v, o) end}
end
local function slow_link(p, k)
  if type(p) == "function" then
    p = R.fprops[p]
    if p == nil then return true end
  end
  local pmt = getmetatable(p)
  if pmt and pmt.proxy then return true, proxy_setter(pmt, p, k), p end
  local slow = rawget(p, SLOW)
  if slow then local d = slow[k]; if d then return true, d, p end end
  if rawget(p, k) ~= nil then return true end
  return false, nil, getproto(p)
end
local function find_slow(p, k)   -- (three links unrolled, as in lookup)
  local done, d
  if p == nil or p == null then return nil end
  done, d, p = slow_link(p, k)
  if done then return d, p elseif p == nil or p == null then return nil end
  done, d, p = slow_link(p, k)
  if done then return d, p elseif p == nil or p == null then return nil end
  done, d, p = slow_link(p, k)
  if done then return d, p end
  while p and p ~= null do
    done, d, p = slow_link(p, k)
    if done then return d, p end
  end
end

R.find_slow = find_slow
local obj_newindex
local readonly_fail
local array_newindex

-- The __index of the instances of a prototype whose chain has accessors is loaded from source
-- of its own for each prototype: LuaJIT guards a metamethod by its function's prototype, so
-- that a loop reading p.v of instances of two such classes goes to a side trace at the read,
-- which links back to the loop. With one prototype made into a closure per class, the guard that
-- told them apart was the getter's identity deep inside the call, and the second class's side
-- trace, started there, ended in the interpreter at the metamethod's return: 35x slower.
local CHAIN_INDEX = [[
local lookup, p, rawget = ...
return function(o, k) return (lookup(p, k, o)) end, function(o, k)
  if k == "length" then return rawget(o, "length") end
  return (lookup(p, k, o))
end]]
local guard = require("ljs.jitguard")
local function chain_index(p, array)
  local plain, arr = assert(load(CHAIN_INDEX, "prototype chain"))(lookup, p, rawget)
  return guard.adopt(array and arr or plain)
end

local function set_index(mt)
  local p = mt.proto
  if chain_has_slow(p) and not mt.ownslow and type(p) == "table" then
    mt.__index = chain_index(p, mt.kind == "array")
  elseif chain_has_slow(p) or mt.ownslow then
    mt.__index = function(o, k)
      if mt.ownslow then
        local d = rawget(o, SLOW)[k]
        if d then
          if d.get ~= nil or d.set ~= nil then local g = d.get; if g == nil then return nil end; return g(o) end
          return d.value
        end
      end
      if mt.kind == "array" and k == "length" then return rawget(o, "length") end
      return lookup(p, k, o)
    end
  elseif type(p) == "function" then
    -- a class's statics inherit from its base class (a function): look up through its fprops
    mt.__index = function(o, k) return lookup(p, k, o) end
  else
    mt.__index = (p ~= null) and p or nil
  end
end

local function register_child(p, mt)
  while p and p ~= null and type(p) == "table" do
    local c = children[p]
    if not c then c = setmetatable({}, {__mode = "k"}); children[p] = c end
    c[mt] = true
    p = getproto(p)
  end
end

local function is_array_proto(p)
  while p and p ~= null and type(p) == "table" do
    if p == ArrayPrototype then return true end
    local pmt = getmetatable(p)
    if pmt and pmt.proxy then return false end   -- (its traps answer for `length` too)
    p = getproto(p)
  end
  return false
end

local function protomt(p)
  local mt = instmt[p]
  if mt then return mt end
  local kind = is_array_proto(p) and "array" or nil
  mt = {proto = p, kind = kind, __newindex = kind and array_newindex or obj_newindex}
  if p ~= null then register_child(p, mt) end
  set_index(mt)
  instmt[p] = mt
  return mt
end
R.protomt = protomt

-- After accessors or read-only properties appear on p, metatables whose chain passes p must
-- look up through the slow path.
local function refresh_children(p)
  local c = children[p]
  if c then for mt in pairs(c) do set_index(mt) end end
end

local ObjectMT = protomt(ObjectPrototype)
R.ObjectMT = ObjectMT
setmetatable(ObjectPrototype, protomt(null))
setmetatable(FunctionPrototype, ObjectMT)

local ArrayMT   -- set after array_newindex

function R.newobj(proto)
  return (setmetatable({}, protomt(proto or ObjectPrototype)))
end

-- Object literal with static keys: the compiler emits setmetatable({k=v,..., [SHAPE]=S}, ObjectMT)
-- directly; this helper serves dynamic construction.
function R.obj(t, s)
  t[SHAPE] = s
  return (setmetatable(t, ObjectMT))
end

function R.setproto(o, p)
  unbrand(o)
  local mt = getmetatable(o)
  if mt and (mt.ownslow or mt.arguments) then
    local nmt = {}
    for k, v in pairs(mt) do nmt[k] = v end
    nmt.proto = p; nmt.kind = is_array_proto(p) and not mt.arguments and "array" or mt.kind
    register_child(p, nmt)
    set_index(nmt)
    setmetatable(o, nmt)
  else
    setmetatable(o, protomt(p))
  end
  if children[o] then refresh_children(o) end
end

---------------------------------------------------------------------------------------------
-- Strict or sloppy code: a failed store or delete throws in the one and is dropped in the other.
-- Every chunk says first thing (R.code_mode) whether it is strict throughout, or on which lines
-- the strict functions of a sloppy file (class code, "use strict" functions) begin. Only a store
-- that fails asks, of the innermost frame of compiled code, so stores that succeed pay nothing.
local getinfo = debug.getinfo
local chunk_modes = {}   -- chunk name -> true | {[line where a strict function begins] = true}
-- chunk name -> {[line where a function begins] = {name, length, no prototype, kind}}
local chunk_fns = {}
function R.code_mode(m, fns)
  if m ~= true then
    local lines = {}
    for i = 1, #m do lines[m[i]] = true end
    m = lines
  end
  local source = getinfo(2, "S").source
  chunk_modes[source] = m
  chunk_fns[source] = fns
end
R.strict = false   -- true while the runtime's own stores must throw, whatever the code's mode;
                   -- "report" while Reflect.set turns a failure into false
local function strict_now()
  if R.strict then return true end
  for level = 3, 1e9 do
    local info = getinfo(level, "S")
    if info == nil then return true end   -- no compiled code on the stack (a host's call)
    local m = chunk_modes[info.source]
    if m ~= nil then return m == true or m[info.linedefined] == true end
  end
end
R.strict_now = strict_now

-- Stores to absent keys: find setters and read-only properties on the chain, else add the key.
-- Returns true when the caller must skip the store.
local STORE_FAILED = setmetatable({}, {__tostring = function() return "<store failed>" end})
R.STORE_FAILED = STORE_FAILED
local function strict_fail(msg)
  if R.strict == "report" then error(STORE_FAILED, 0) end
  if strict_now() then type_error(msg) end
  return true
end
R.strict_fail = strict_fail

local function getter_only(o, k)
  strict_fail("Cannot set property " .. R.keystr(k) .. " of " .. R.descr(o) .. " which has only a getter")
end

obj_newindex = function(o, k, v)
  local mt = getmetatable(o)
  if mt.ownslow then
    local d = rawget(o, SLOW)[k]
    if d then
      if d.set ~= nil or d.get ~= nil then
        if d.set == nil then getter_only(o, k); return end
        d.set(o, v); return
      end
      if not d.writable then readonly_fail(o, k); return end
      d.value = v
      if (k == "name" or k == "message") and mt.errors then R.restack(o) end
      return
    end
  end
  local p = mt.proto
  if p ~= null and mt.__index ~= p then   -- some level of the chain has slow properties
    local d = find_slow(p, k)
    if d then
      if d.set ~= nil or d.get ~= nil then
        if d.set == nil then getter_only(o, k); return end
        d.set(o, v); return
      end
      if not d.writable then readonly_fail(o, k); return end
    end
  end
  if mt.frozen then strict_fail("Cannot add property " .. R.keystr(k) .. ", object is not extensible"); return end
  if type(k) == "string" or type(k) == "number" then
    addkey(o, k)
  elseif type(k) == "table" and getmetatable(k) == R.SymbolMT then
    addkey(o, k)
    if k == R.sym_iterator and mt.kind == "array" then R.array_own_iter = true end
  end
  rawset(o, k, v)
  if (k == "name" or k == "message") and mt.errors then
    R.restack(o)
    if R.stack_pending(o) then
      -- a later store of it must reach restack too (a subclass's constructor naming the error
      -- again after its base's did): the property moves to the slow table, whose stores come here
      R.ensure_slow(o)[k] = {value = v, writable = true, enumerable = true, configurable = true}
      rawset(o, k, nil)
    end
  end
end
R.obj_newindex = obj_newindex
-- metatables made before obj_newindex existed
for _, mt in pairs(instmt) do if mt.__newindex == nil and mt.kind ~= "array" then mt.__newindex = obj_newindex end end

local function set_length(a, n)
  local len = rawget(a, "length") or 0
  if n < len then for i = n, len - 1 do rawset(a, i, nil) end end
  if n ~= len then rawset(a, HOLES, true) end   -- removed or added slots are holes
  rawset(a, "length", n)
end
R.set_length = set_length

array_newindex = function(a, k, v)
  if type(k) == "number" then
    if k >= 0 and k == floor(k) and k < 4294967295 then
      local mt = getmetatable(a)
      -- an accessor or a sealed element (Object.defineProperty, Object.seal) keeps its descriptor
      if mt.ownslow and rawget(a, SLOW)[k] then obj_newindex(a, k, v); return end
      if mt.frozen then strict_fail("Cannot add property " .. k .. ", object is not extensible"); return end
      local len = rawget(a, "length")
      if len == nil then   -- a length defined non-writable lives in the slow table
        local d = rawget(a, SLOW).length
        if k >= d.value then readonly_fail(a, "length"); return end
        rawset(a, k, v)
        return
      end
      if k >= len then
        if k > len then rawset(a, HOLES, true) end
        rawset(a, "length", k + 1)
      end
      rawset(a, k, v)
      return
    end
    k = R.numtostr(k)
  end
  if k == "length" then
    local n = R.tonum(v)
    if n ~= n or n < 0 or n ~= floor(n) or n >= 4294967296 then throw_error("RangeError", "Invalid array length") end
    local mt = getmetatable(a)
    local d = mt.ownslow and rawget(a, SLOW).length   -- a sealed or frozen array's
    if d then
      if not d.writable then readonly_fail(a, "length"); return end
      if n < d.value then strict_fail("Cannot delete property '" .. (d.value - 1) .. "' of [object Array]"); return end
      d.value = n; return
    end
    set_length(a, n); return
  end
  obj_newindex(a, k, v)
end
R.array_newindex = array_newindex

ArrayMT = protomt(ArrayPrototype)
R.ArrayMT = ArrayMT

-- Whether iterating v (for…of, destructuring, spread) walks an array by index: a plain array,
-- the built-in Array.prototype[Symbol.iterator] and no own one. Until some array gets an own
-- [Symbol.iterator] (R.array_own_iter, set where one is stored) the last is not looked up: a
-- lookup keyed by the symbol, a table, is one LuaJIT cannot fold, and an array it reads could
-- not be sunk (a Map's [k, v] entry destructured in the loop that made it).
R.array_own_iter = false
function R.walks_by_index(v)
  return getmetatable(v) == ArrayMT and rawget(ArrayPrototype, R.sym_iterator) == R.array_values
    and (not R.array_own_iter or rawget(v, R.sym_iterator) == nil)
end

-- a[k] = v for a k the compiler proves to be an array index. Below a plain array's length this
-- is what array_newindex would do, and rawset spares the trace a guard: LuaJIT guards the type
-- of the old value before every store into a table with a metatable, and to it true and false
-- are different types, so a loop that turns true into false (a sieve) left its trace each time.
local function aset(a, k, v)
  if getmetatable(a) == ArrayMT and k < rawget(a, "length") then rawset(a, k, v) else a[k] = v end
end
R.aset = aset

-- Array literal: the compiler emits setmetatable({[0]=a, b, c, length=3}, ArrayMT).
function R.arr(t, n)
  t.length = n
  return (setmetatable(t, ArrayMT))
end

-- An array from Lua varargs (rest parameters, arguments).
-- (R.pack, an array of varargs: ljs.varargs, loaded at the end of this file)

-- (Array.prototype is an array too, of length 0 (array.lua), but an ordinary table in its layout)
function R.isarray(v)
  if type(v) ~= "table" then return false end
  local mt = getmetatable(v)
  return mt ~= nil and mt.kind == "array" or v == ArrayPrototype
end

---------------------------------------------------------------------------------------------
-- Functions: Lua functions; their JS properties (prototype, name, statics) live in fprops.
--
-- A function's property table refers back to it (prototype.constructor), and LuaJIT's weak-keyed
-- tables are no ephemerons: an entry whose value reaches its key is never collected. So fprops
-- and newmt are weak both ways and what they hold is kept alive by the function's keep table
-- instead. A class constructor holds its keep table as an upvalue (the compiler passes it to
-- R.class), so a class made in a function goes with its last instance; any other function's
-- keep table is pinned to it from a weak-keyed table, which keeps it for good.
local fprops = setmetatable({}, {__mode = "kv"})
R.fprops = fprops
local keeps = setmetatable({}, {__mode = "kv"})   -- function -> its keep table
local pins = setmetatable({}, {__mode = "k"})     -- function without an upvalue for it -> same
local function keep(f)
  local k = keeps[f]
  if k == nil then k = {}; keeps[f] = k; pins[f] = k end
  return k
end
R.keep, R.keeps = keep, keeps
-- classes and built-in constructors: their prototype property is non-writable
local fixed_proto = setmetatable({}, {__mode = "k"})
R.fixed_proto = fixed_proto

-- A function's name, length, kind ("AsyncFunction", "GeneratorFunction", ...) and whether it
-- is no constructor (an arrow, a method, most built-ins): set by the runtime for its own
-- functions (R.fn, R.method), and read for a compiled one, the first time any is asked for,
-- from its chunk's table by the line where it begins (R.code_mode; "" and false where it has
-- none), which costs the making of a closure nothing.
local fnames, fnlens, arrows, fkinds
local NO_FACTS = {"", false, false, false}
local function learn(f, field)
  if type(f) ~= "function" then return nil end
  local d = getinfo(f, "S")
  local t = chunk_fns[d.source]
  local i = t and t[d.linedefined] or NO_FACTS
  if rawget(fnames, f) == nil then rawset(fnames, f, i[1]) end
  if rawget(fnlens, f) == nil then rawset(fnlens, f, i[2]) end
  if rawget(arrows, f) == nil then rawset(arrows, f, i[3]) end
  if rawget(fkinds, f) == nil then rawset(fkinds, f, i[4] or false) end
  return rawget(field, f)
end
local function facts() return setmetatable({}, {__mode = "k", __index = function(t, f) return learn(f, t) end}) end
fnames, fnlens, arrows, fkinds = facts(), facts(), facts(), facts()
R.fnames, R.fnlens, R.arrows, R.fkinds = fnames, fnlens, arrows, fkinds

local function fprop_table(f)
  local t = fprops[f]
  if not t then
    t = setmetatable({}, ObjectMT)   -- plain object holding the function's own properties
    fprops[f] = t
    keep(f).fprops = t
  end
  return t
end
R.fprop_table = fprop_table

local function function_length(f)
  local n = fnlens[f]
  if n then return n end
  local info = debug.getinfo(f, "u")
  n = info.nparams and info.nparams - 1 or 0
  if n < 0 then n = 0 end
  return n
end
R.function_length = function_length

-- Arrows (marked, or compiled inline with their first parameter J0_), async functions and bound
-- functions have no prototype property.
local function has_prototype(f)
  return not (arrows[f] or R.fkinds[f] == "AsyncFunction" or R.bound_targets[f]
              or debug.getlocal(f, 1) == "J0_")
end
R.has_prototype = has_prototype

local function make_prototype(f)
  local t = fprop_table(f)
  local p = rawget(t, "prototype")
  if p == nil and has_prototype(f) then
    p = setmetatable({}, ObjectMT)
    rawset(p, "constructor", f)  -- raw and out of the shape: non-enumerable
    note_hidden(p, "constructor")
    rawset(t, "prototype", p)
  end
  return p
end
R.make_prototype = make_prototype

-- A function's [[Prototype]]: its property table's, once set (Object.setPrototypeOf, a class
-- extending Function); before, Function.prototype or the one of its kind (%GeneratorFunction.prototype%...)
local function fn_getproto(f)
  local t = fprops[f]
  local p = t and getmetatable(t).proto
  if p == ObjectPrototype or p == nil then
    local kind = R.fkinds[f]
    p = kind and R.kind_protos[kind] or FunctionPrototype
  end
  return p
end
R.fn_getproto = fn_getproto

local FunctionMT = {proto = FunctionPrototype, kind = "function"}
FunctionMT.__index = function(f, k)
  local t = fprops[f]
  if t then
    local v = rawget(t, k)
    if v ~= nil then return v end
    -- an own accessor or defined property; the chain comes after the own name and length
    local slow = rawget(t, SLOW)
    local d = slow and slow[k]
    if d then
      if d.get == nil and d.set == nil then return d.value end
      return d.get and d.get(f)
    end
  end
  if k == "prototype" then return make_prototype(f) end
  -- name and length are non-writable, configurable own properties: deleting them leaves a marker
  if k == "name" and not (t and rawget(t, "__noname")) then return fnames[f] or "" end
  if k == "length" and not (t and rawget(t, "__nolength")) then return function_length(f) end
  return lookup(fn_getproto(f), k, f)
end
FunctionMT.__newindex = function(f, k, v)
  if k == "prototype" then
    if fixed_proto[f] then readonly_fail(f, k); return end
    fprop_table(f); rawset(fprops[f], "prototype", v); R.set_newmt(f, nil); return
  end
  local t = fprop_table(f)
  if (k == "name" or k == "length") and rawget(t, k) == nil and not rawget(t, k == "name" and "__noname" or "__nolength") then
    readonly_fail(f, k); return
  end
  local slow = rawget(t, SLOW)
  local d = slow and slow[k]
  if d and d.writable == false then readonly_fail(f, k); return end   -- (named after f, not t)
  t[k] = v
end
debug.setmetatable(print, FunctionMT)
R.FunctionMT = FunctionMT

R.kind_protos = {}
function R.fn(f, name, len, kind)
  fnames[f] = name
  if len then fnlens[f] = len end
  if kind then fkinds[f] = kind end
  return f
end
function R.arrow(f, name, len, kind)
  arrows[f] = true
  if kind then fkinds[f] = kind end
  if name then fnames[f] = name end
  if len then fnlens[f] = len end
  return f
end

---------------------------------------------------------------------------------------------
-- Symbols
local SymbolMT = {}
R.SymbolMT = SymbolMT
-- The name an anonymous function or method takes from a computed key ([k]() {}, [k]: () => 1):
-- a symbol's is its description in brackets.
local function key_name(k)
  if type(k) == "string" then return k end
  if type(k) == "table" and getmetatable(k) == SymbolMT then
    return k.description ~= nil and ("[" .. k.description .. "]") or ""
  end
  return R.tostr(k)
end
function R.named(f, k, prefix)
  local s = key_name(k)
  fnames[f] = prefix and prefix .. s or s
  return f
end
-- BigInts are interned tables with this metatable (ljs.bigint); 0n is BIG0, the one falsy BigInt
local BigIntMT = {}
local BIG0 = setmetatable({sign = 0}, BigIntMT)
R.BigIntMT, R.BIG0 = BigIntMT, BIG0
SymbolMT.__tostring = function(s) return "Symbol(" .. (s.description or "") .. ")" end
function R.newsymbol(desc) return setmetatable({description = desc}, SymbolMT) end
R.sym_iterator = R.newsymbol("Symbol.iterator")
R.sym_asyncIterator = R.newsymbol("Symbol.asyncIterator")
R.sym_hasInstance = R.newsymbol("Symbol.hasInstance")
R.sym_toPrimitive = R.newsymbol("Symbol.toPrimitive")
R.sym_toStringTag = R.newsymbol("Symbol.toStringTag")
R.sym_species = R.newsymbol("Symbol.species")
-- get [Symbol.species]() { return this } on constructor C
function R.species(C)
  local getter = R.fn(function(this) return this end, "get [Symbol.species]", 0)
  R.defprop(R.fprop_table(C), R.sym_species, {get = getter, enumerable = false, configurable = true})
end

---------------------------------------------------------------------------------------------
-- typeof, truthiness, equality
local function typeof(v)
  local t = type(v)
  if t == "table" then
    if v == null then return "object" end
    local mt = getmetatable(v)
    if mt == SymbolMT then return "symbol" end
    if mt == BigIntMT then return "bigint" end
    if mt and mt.callable then return "function" end
    return "object"
  elseif t == "nil" then return "undefined"
  elseif t == "cdata" or t == "userdata" then return "object"
  end
  return t   -- number, string, boolean, function
end
R.typeof = typeof

-- By type first: a trace knows the value's type, so the tests of the other types fold away (the
-- sentinels null and 0n are tables, which LuaJIT loads from upvalues at every use). rawequal for
-- them: a trace compares references, where `==` between two tables also checks the first one's
-- metatable for __eq.
local function truthy(v)
  local t = type(v)
  if t == "boolean" then return v end
  if t == "number" then return v ~= 0 and v == v end
  if t == "string" then return v ~= "" end
  if t == "table" then return not (rawequal(v, null) or rawequal(v, BIG0)) end
  return v ~= nil and v ~= 0 and v == v   -- functions, userdata; cdata as before (FFI's 0LL is falsy)
end
R.truthy = truthy
R.rawequal = rawequal   -- (compiled `===` between values that may be tables)
R.type = type           -- (as J0_type, which no JS variable named type can shadow)

---------------------------------------------------------------------------------------------
-- Conversions (ToNumber, ToString, ToPrimitive, ToPropertyKey)
local numconv  -- ljs.numconv, loaded lazily (it may require core)
local function numtostr(x)
  if x == floor(x) and x > -1e15 and x < 1e15 then
    if x == 0 then return "0" end
    -- (LuaJIT's own conversion, "%.14g", prints these exactly and is compiled inline)
    if x > -1e14 and x < 1e14 then return (tostring(x)) end
    return (sformat("%d", x))
  end
  numconv = numconv or require("ljs.numconv")
  return (numconv.tostring(x))
end
R.numtostr = numtostr

local toprim
local function tostr(v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return (numtostr(v)) end
  if t == "boolean" then return v and "true" or "false" end
  if t == "nil" then return "undefined" end
  if v == null then return "null" end
  if t == "table" then
    local mt = getmetatable(v)
    if mt == SymbolMT then type_error("Cannot convert a Symbol value to a string") end
    if mt == BigIntMT then return (R.big.tostring(v)) end
  end
  return (tostr(toprim(v, "string")))
end
R.tostr = tostr

-- An operand of a concatenation: ToString(v), except that an integer which Lua prints as JS does
-- stays a number. Lua's `..` then converts it inside the concatenation, where a trace writes its
-- digits straight into the result instead of interning a string for it first.
function R.catv(v)
  if type(v) == "number" and v == floor(v) and v > -1e14 and v < 1e14 and v ~= 0 then return v end
  return (tostr(v))
end

local function strtonum(s)
  local n = tonumber(s)
  -- Lua's tonumber accepts hex floats, "inf", trailing "e" forms and more; the exact rules live in numconv.
  if n and sfind(s, "^%s*[-+]?%d+%.?%d*%s*$") then return n end
  numconv = numconv or require("ljs.numconv")
  return (numconv.strtonum(s))
end
R.strtonum = strtonum

local function tonum(v)
  local t = type(v)
  if t == "number" then return v end
  if t == "string" then return (strtonum(v)) end
  if t == "boolean" then return v and 1 or 0 end
  if t == "nil" then return NaN end
  if v == null then return 0 end
  if t == "table" then
    local mt = getmetatable(v)
    if mt == SymbolMT then type_error("Cannot convert a Symbol value to a number") end
    if mt == BigIntMT then type_error("Cannot convert a BigInt value to a number") end
  end
  return (tonum(toprim(v, "number")))
end
R.tonum = tonum

-- null by its metatable: a trace that compares a table it allocated with another table cannot
-- sink the allocation (an iterator's {value, done} result)
local function isobject(v)
  local t = type(v)
  if t == "table" then
    local mt = getmetatable(v)
    return mt ~= NullMT and mt ~= SymbolMT and mt ~= BigIntMT
  end
  return t == "function" or t == "cdata"
end
R.isobject = isobject

local function callmethod(o, name)
  local f = o[name]
  if type(f) == "function" then
    local r = f(o)
    if not isobject(r) then return true, r end
  end
  return false
end

toprim = function(v, hint)
  if not isobject(v) then return v end
  local ex = v[R.sym_toPrimitive]
  if ex ~= nil and ex ~= null then
    local r = ex(v, hint or "default")
    if isobject(r) then type_error("Cannot convert object to primitive value") end
    return r
  end
  local ok, r
  if hint == "string" then
    ok, r = callmethod(v, "toString"); if ok then return r end
    ok, r = callmethod(v, "valueOf"); if ok then return r end
  else
    ok, r = callmethod(v, "valueOf"); if ok then return r end
    ok, r = callmethod(v, "toString"); if ok then return r end
  end
  type_error("Cannot convert object to primitive value")
end
R.toprim = toprim

-- Canonical form of a property key: array-index numbers stay numbers, numeric strings that
-- are array indices become numbers, other numbers become their JS string.
local function tokey(k)
  local t = type(k)
  if t == "string" then
    local b = sbyte(k, 1)
    if b and b >= 48 and b <= 57 then
      local n = tonumber(k)
      if n and n < 4294967295 and n == floor(n) and numtostr(n) == k then return n end
    end
    return k
  elseif t == "number" then
    if k >= 0 and k == floor(k) and k < 4294967295 then return k end
    return (numtostr(k))
  elseif t == "table" and getmetatable(k) == SymbolMT then
    return k
  end
  return (tokey(tostr(toprim(k, "string"))))
end
R.tokey = tokey
-- the key a number names: itself when it is an array index, else its string
function R.nkey(k)
  if tobit(k) == k and k >= 0 then return k end   -- (the common case: an integer below 2^31)
  if k >= 0 and k < 4294967295 and k == floor(k) then return k end
  return (numtostr(k))
end

function R.keystr(k)
  if type(k) == "table" and getmetatable(k) == SymbolMT then return (tostring(k)) end
  if type(k) == "number" then return (numtostr(k)) end
  return (tostring(k))
end

-- How V8 names an object in its messages: #<Point> by its constructor, [object Array], a
-- function by its source, [object Object] without a prototype. No user code runs.
function R.descr(o)
  local t = typeof(o)
  if t == "function" then return (R.FunctionPrototype.toString(o)) end
  if t ~= "object" then return t end
  if R.isarray(o) then return "[object Array]" end
  local p = R.getproto(o)
  if p == nil or p == null then return "[object Object]" end
  -- (V8 names the constructor only while toString is Object.prototype's)
  local ts, q = rawget(o, "toString"), p
  while ts == nil and q ~= nil and q ~= null and type(q) == "table" do
    ts = rawget(q, "toString")
    q = R.getproto(q)
  end
  if ts ~= nil and ts ~= rawget(R.ObjectPrototype, "toString") then return "[object Object]" end
  local c = rawget(p, "constructor")
  local name = type(c) == "function" and fnames[c]
  return "#<" .. (name and name ~= "" and name or "Object") .. ">"
end

-- the target in "Cannot assign to read only property 'k' of object '#<Object>'"
readonly_fail = function(o, k)
  local what = type(o) == "function" and "function" or "object"
  return strict_fail("Cannot assign to read only property '" .. R.keystr(k) .. "' of " .. what .. " '" .. R.descr(o) .. "'")
end
R.readonly_fail = readonly_fail

---------------------------------------------------------------------------------------------
-- Strings are WTF-8, where a lone surrogate code unit (s[i] of an astral character) is three
-- bytes of its own. Two halves put back together must become the character's four bytes, or
-- the string would differ from the original in ===, keys and output.
local function pair_halves(s)
  if not sfind(s, "\237[\160-\175][\128-\191]\237[\176-\191]") then return s end
  return (s:gsub("\237([\160-\175])([\128-\191])\237([\176-\191])([\128-\191])", function(a, b, c, d)
    local hi = 0xD000 + (a:byte() - 0x80) * 64 + (b:byte() - 0x80)
    local lo = 0xD000 + (c:byte() - 0x80) * 64 + (d:byte() - 0x80)
    return R.utf8_encode(0x10000 + (hi - 0xD800) * 1024 + (lo - 0xDC00))   -- (ljs.string's)
  end))
end
R.pair_halves = pair_halves

-- a string.buffer's text (the loops that only append to a string build it in one)
function R.buf_tostring(buf) return (pair_halves(buf:tostring())) end

-- a .. b of two strings, where a may end with a high surrogate and b start with a low one
local function cat(a, b)
  if sbyte(b, 1) == 237 and sbyte(a, -3) == 237 then return (pair_halves(a .. b)) end
  return a .. b
end
R.cat = cat
-- the same where b is a string or a number (catv's result: a number is no surrogate half)
function R.catp(a, b)
  if type(b) == "string" and sbyte(b, 1) == 237 and sbyte(a, -3) == 237 then return (pair_halves(a .. b)) end
  return a .. b
end

-- A string variable that closures or loops append to lives in a cell {buffer or false, value}
-- (transform/strings.py): `s += x` puts x in the buffer and a read of s makes the string once
-- per change (value false: not made yet). Below SB_MIN bytes an append is a plain `..` and no
-- buffer is made. The value is nil while a var is undefined, R.TDZ while a let is uninitialised.
local sbuf_new = require("string.buffer").new
local SB_MIN = 256
function R.sbnew(v) return {false, v} end
function R.sbread(c)
  local s = c[2]
  if s == false then s = pair_halves(c[1]:tostring()); c[2] = s end
  return s
end
function R.sbset(c, v) c[1] = false; c[2] = v end
-- s += v, v a string or a number that `..` writes as JavaScript does (R.catv)
local function sbput(c, v)
  local b = c[1]
  if b then b:put(v); c[2] = false; return end
  local s = c[2]
  if s == nil then s = "undefined" end
  if type(v) == "string" then s = cat(s, v) else s = s .. v end
  if #s >= SB_MIN then b = sbuf_new(); b:put(s); c[1] = b end
  c[2] = s
end
R.sbput = sbput
-- Before the right side of s += v runs (when it may run code that changes s): what s holds, its
-- buffer and that buffer's length or its string. A store gives s a new buffer, an append
-- lengthens it, so sbput_after sees either.
function R.sbmark(c)
  local b = c[1]
  if b then return b, #b end
  return c[2], false
end
function R.sbput_after(c, v, m, n)
  local b = c[1]
  if b and b == m and #b == n or not b and not n and c[2] == m then return (sbput(c, v)) end
  -- s changed while v ran: JavaScript adds v to the value s had before
  c[1] = false
  c[2] = n and pair_halves(m:tostring():sub(1, n)) or m
  return (sbput(c, v))
end

-- Operators whose JS meaning differs from Lua's
function R.add(a, b)
  local ta, tb = type(a), type(b)
  if ta == "number" and tb == "number" then return a + b end
  if ta == "string" and tb == "string" then return (cat(a, b)) end
  a, b = toprim(a), toprim(b)
  if type(a) == "string" or type(b) == "string" then return (cat(tostr(a), tostr(b))) end
  if getmetatable(a) == BigIntMT or getmetatable(b) == BigIntMT then return (R.bigint_op("add", a, b)) end
  return tonum(a) + tonum(b)
end

-- Loose equality (==).
local function eq(a, b)
  if a == b then return true end
  local ta, tb = type(a), type(b)
  if ta == tb then
    if ta == "table" and (a == null or b == null) then return false end
    return false
  end
  if a == nil or a == null then return b == nil or b == null end
  if b == nil or b == null then return false end
  if ta == "number" and tb == "string" then return a == strtonum(b) end
  if ta == "string" and tb == "number" then return strtonum(a) == b end
  if ta == "boolean" then return (eq(a and 1 or 0, b)) end
  if tb == "boolean" then return (eq(a, b and 1 or 0)) end
  if (ta == "number" or ta == "string" or (ta == "table" and getmetatable(a) == SymbolMT)) and isobject(b) then
    return (eq(a, toprim(b)))
  end
  if isobject(a) and (tb == "number" or tb == "string" or (tb == "table" and getmetatable(b) == SymbolMT)) then
    return (eq(toprim(a), b))
  end
  if getmetatable(a) == BigIntMT or getmetatable(b) == BigIntMT then
    if isobject(a) then return (eq(toprim(a), b)) end
    if isobject(b) then return (eq(a, toprim(b))) end
    if (ta == "table" and getmetatable(a) == SymbolMT) or (tb == "table" and getmetatable(b) == SymbolMT) then return false end
    return R.bigint_compare(a, b) == 0
  end
  return false
end
R.eq = eq

-- Relational comparison: numbers and strings compare natively; everything else converts.
local function cmp_prims(a, b)
  a, b = toprim(a, "number"), toprim(b, "number")
  if type(a) == "string" and type(b) == "string" then return a, b end
  if getmetatable(a) == BigIntMT or getmetatable(b) == BigIntMT then
    -- the comparison as two numbers that compare the same way (NaN when undefined)
    local c = R.bigint_compare(a, b)
    if c == nil then return NaN, NaN end
    return c, 0
  end
  return tonum(a), tonum(b)
end
function R.lt(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb and (ta == "number" or ta == "string") then return a < b end
  a, b = cmp_prims(a, b); return a < b
end
function R.le(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb and (ta == "number" or ta == "string") then return a <= b end
  a, b = cmp_prims(a, b)
  if a ~= a or b ~= b then return false end
  return a <= b
end
function R.gt(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb and (ta == "number" or ta == "string") then return a > b end
  a, b = cmp_prims(a, b); return a > b
end
function R.ge(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb and (ta == "number" or ta == "string") then return a >= b end
  a, b = cmp_prims(a, b)
  if a ~= a or b ~= b then return false end
  return a >= b
end

-- JS % : sign of the dividend, exact for ±Infinity, -0 and NaN.
-- ToNumeric on both operands of an arithmetic operator: numbers, or BigInts for R.bigint_op
local function numerics(a, b)
  -- the left operand converts completely (a Symbol throws) before the right one is touched
  a = toprim(a, "number")
  if getmetatable(a) ~= BigIntMT then a = tonum(a) end
  b = toprim(b, "number")
  if getmetatable(b) ~= BigIntMT then b = tonum(b) end
  return a, b, getmetatable(a) == BigIntMT or getmetatable(b) == BigIntMT
end
R.numerics = numerics

-- ToNumeric, and ++/-- (each applies ToNumeric first: a number, or a BigInt)
local function tonumeric(v)
  if type(v) == "number" then return v end
  v = toprim(v, "number")
  if getmetatable(v) == BigIntMT then return v end
  return (tonum(v))
end
R.tonumeric = tonumeric
function R.inc(v)
  if type(v) == "number" then return v + 1 end
  v = tonumeric(v)
  if type(v) == "number" then return v + 1 end
  return (R.bigint_op("add", v, R.big.ONE))
end
function R.dec(v)
  if type(v) == "number" then return v - 1 end
  v = tonumeric(v)
  if type(v) == "number" then return v - 1 end
  return (R.bigint_op("sub", v, R.big.ONE))
end

function R.mod(a, b)
  if type(a) ~= "number" or type(b) ~= "number" then
    local big
    a, b, big = numerics(a, b)
    if big then return (R.bigint_op("mod", a, b)) end
  end
  if b == huge or b == -huge then
    if a == huge or a == -huge then return NaN end
    return a
  end
  if b == 0 or a ~= a or b ~= b or a == huge or a == -huge then return NaN end
  -- Lua's a - floor(a/b)*b is exact for integers with |a| + |b| < 2^53; otherwise C's fmod,
  -- which is exact and has the dividend's sign as JS's % does
  if not (a == floor(a) and b == floor(b) and (a < 0 and -a or a) + (b < 0 and -b or b) < 9007199254740992) then
    return (fmod(a, b))
  end
  local r = a % b
  if r ~= 0 and (r < 0) ~= (a < 0) then r = r - b end
  if r == 0 and (a < 0 or (a == 0 and 1 / a < 0)) then return -0.0 end
  return r
end

function R.pow(a, b)
  if type(a) ~= "number" or type(b) ~= "number" then
    local big
    a, b, big = numerics(a, b)
    if big then return (R.bigint_op("pow", a, b)) end
  end
  if b ~= b then return NaN end
  if (a == 1 or a == -1) and (b == huge or b == -huge) then return NaN end
  return a ^ b
end

-- ToInt32 with a fast path for values that already are int32.
local function toint32(v)
  if type(v) ~= "number" then v = tonum(v) end
  local r = tobit(v)
  if r == v then return r end
  if v ~= v or v == huge or v == -huge then return 0 end
  v = (v >= 0) and floor(v) or -floor(-v)
  v = v % 4294967296
  if v >= 2147483648 then v = v - 4294967296 end
  return v
end
R.toint32 = toint32
local function touint32(v)
  local r = toint32(v)
  if r < 0 then return r + 4294967296 end
  return r
end
R.touint32 = touint32

-- Bitwise operators: int32 on numbers; a BigInt operand goes to ljs.bigint.
-- Helpers the compiled code calls return `(f(x))`, not `f(x)`: a root trace started at a
-- function's entry must return from that function, and one that tail-calls fails every time
-- it is recorded ("leaving loop in root trace"); after ten such tries LuaJIT blacklists the
-- function, and every trace that calls it aborts from then on.
local function int_op(name, f)
  return function(a, b)
    if type(a) ~= "number" or type(b) ~= "number" then
      local big
      a, b, big = numerics(a, b)
      if big then return (R.bigint_op(name, a, b)) end
    end
    return (f(a, b))
  end
end
R.bor = int_op("bor", function(a, b) return (bor(toint32(a), toint32(b))) end)
R.band = int_op("band", function(a, b) return (band(toint32(a), toint32(b))) end)
R.bxor = int_op("bxor", function(a, b) return (bit.bxor(toint32(a), toint32(b))) end)
R.shl = int_op("shl", function(a, b) return (bit.lshift(toint32(a), band(toint32(b), 31))) end)
R.sar = int_op("sar", function(a, b) return (bit.arshift(toint32(a), band(toint32(b), 31))) end)
function R.bnot(a)
  if type(a) ~= "number" then
    a = toprim(a, "number")
    if getmetatable(a) == BigIntMT then return (R.bigint_unop("bnot", a)) end
  end
  return (bit.bnot(toint32(a)))
end
R.shr = int_op("shr", function(a, b)
  local r = bit.rshift(toint32(a), band(toint32(b), 31))
  if r < 0 then return r + 4294967296 end
  return r
end)

-- Unary minus and plus on any value.
function R.neg(a)
  if type(a) ~= "number" then
    a = toprim(a, "number")
    if getmetatable(a) == BigIntMT then return (R.bigint_unop("neg", a)) end
    a = tonum(a)
  end
  return -a
end
R.pos = tonum

---------------------------------------------------------------------------------------------
-- Property access with computed keys

-- A typed array's length is a getter without a setter in JS. Its raw "length" field is only a
-- copy for reads (ljs.typedarray bounds memory by a private key), but it must not change either.
local function typed_length_store()
  strict_fail("Cannot set property length of [object Object] which has only a getter")
end
R.typed_length_store = typed_length_store

-- Own keys first: a raw key is always canonical (stores convert "5" to 5 and 1.5 to "1.5"), so
-- a hit needs no conversion of k, and a trace of it is the lookup alone.
local function get(o, k)
  if type(o) == "table" then
    local v = rawget(o, k)
    if v ~= nil then return v end
  end
  local tk = type(k)
  if tk == "string" then
    local b = sbyte(k, 1)
    if b and b <= 57 then k = tokey(k) elseif k == "__proto__" then return (R.proto_get(o)) end
  elseif tk ~= "number" or not (k >= 0 and k < 4294967295 and k == floor(k)) then
    k = tokey(k)   -- 1.5, -1, Infinity and NaN name the keys "1.5", "-1", "Infinity", "NaN"
    if k == "__proto__" then return (R.proto_get(o)) end
  end
  return o[k]
end
R.get = get

local function put(o, k, v)
  local tk = type(k)
  -- an index that holds a value is an own writable data property (frozen and sealed objects,
  -- accessors and read-only elements keep theirs in o[SLOW], not raw)
  if tk == "number" and type(o) == "table" and rawget(o, k) ~= nil then rawset(o, k, v); return v end
  if tk == "string" then
    local b = sbyte(k, 1)
    if b and b <= 57 then k = tokey(k) end
    if k == "__proto__" and type(o) == "table" and rawget(o, k) == nil then R.proto_set(o, v); return v end
    if k == "length" then
      local mt = getmetatable(o)
      if mt and mt.kind == "array" then array_newindex(o, "length", v); return v end
      if mt and mt.tinfo then typed_length_store(); return v end
    end
  elseif tk ~= "number" or not (k >= 0 and k < 4294967295 and k == floor(k)) then
    k = tokey(k)
  else
    aset(o, k, v)   -- an array index
    return v
  end
  o[k] = v
  return v
end
R.put = put

-- `o.length = v` for any o: arrays truncate or grow.
function R.setlength(o, v)
  local mt = getmetatable(o)
  if type(o) == "table" and mt and mt.kind == "array" then array_newindex(o, "length", v)
  elseif type(o) == "table" and mt and mt.tinfo then typed_length_store()
  else o.length = v end
  return v
end

-- delete o[k]
-- delete of a non-configurable property: false, or a TypeError in strict code
local function undeletable(o, k)
  strict_fail("Cannot delete property '" .. R.keystr(k) .. "' of " .. R.descr(o))
  return false
end

function R.delete(o, k)
  if type(o) ~= "table" and type(o) ~= "function" then return true end
  local orig = o
  local pmt = type(o) == "table" and getmetatable(o)
  if pmt and pmt.proxy then return pmt.delete(o, tokey(k)) end
  if type(o) == "function" then
    k = tokey(k)
    local t = fprop_table(o)
    if (k == "name" or k == "length") and rawget(t, k) == nil and not (rawget(t, SLOW) and rawget(t, SLOW)[k]) then
      rawset(t, k == "name" and "__noname" or "__nolength", true)
      return true
    end
    if k == "prototype" and has_prototype(o) then return undeletable(o, k) end   -- never configurable
    o = t
  end
  k = tokey(k)
  local slow = rawget(o, SLOW)
  if slow and slow[k] then
    if slow[k].configurable == false then return undeletable(orig, k) end
    slow[k] = nil
    dropkey(o, k)
    return true
  end
  local mt = getmetatable(o)
  -- (a non-extensible object's keys stay configurable: only sealing and freezing keep them)
  if mt and (mt.sealed and rawget(o, k) ~= nil or mt.nonconfig and mt.nonconfig[k]) then return undeletable(o, k) end
  if mt and mt.kind == "array" then
    if k == "length" then return undeletable(o, k) end
    if type(k) == "number" then rawset(o, HOLES, true) end
  end
  if k == "stack" and mt and mt.errors then R.stack_deleted(o) end
  rawset(o, k, nil)
  dropkey(o, k)
  return true
end

-- Own property test (data or accessor, enumerable or not).
local function hasown(o, k)
  local t = type(o)
  if t == "function" then
    local fp = fprops[o]
    if k == "name" or k == "length" then
      if fp and rawget(fp, k == "name" and "__noname" or "__nolength") then return (hasown(fp, k)) end
      return true
    end
    if k == "prototype" then return has_prototype(o) or fp ~= nil and rawget(fp, k) ~= nil end
    return fp ~= nil and hasown(fp, k)
  end
  if t == "string" then
    if k == "length" then return true end
    return type(k) == "number" and k < R.strlen(o)
  end
  if t ~= "table" then return false end
  if rawget(o, k) ~= nil then return true end
  local s = rawget(o, SHAPE)
  if s and s.index[k] then return true end
  if type(k) == "number" and not rawget(o, HOLES) then
    local mt = getmetatable(o)
    if mt and mt.kind == "array" and k < (rawget(o, "length") or 0) and k >= 0 and k == floor(k) then return true end
  end
  local slow = rawget(o, SLOW)
  if slow and slow[k] then return true end
  local mt = getmetatable(o)
  if mt and mt.ownkeys_hook then return (mt.ownkeys_hook(o, k)) end
  return false
end
R.hasown = hasown

-- k in o
function R.has(o, k)
  if not isobject(o) then type_error("Cannot use 'in' operator to search for '" .. tostr(k) .. "' in " .. tostr(o)) end
  k = tokey(k)
  local pmt = type(o) == "table" and getmetatable(o)
  if pmt and pmt.proxy then return (pmt.has(o, k)) end
  if hasown(o, k) then return true end
  local p
  if type(o) == "function" then p = fn_getproto(o) else p = getproto(o) end
  while p and p ~= null do
    local mt = type(p) == "table" and getmetatable(p)
    if mt and mt.proxy then return (mt.has(p, k)) end   -- a proxy on the chain answers for the rest
    if hasown(p, k) then return true end
    p = getproto(p)
  end
  return false
end

-- Own enumerable string keys in JS order: integer keys ascending, then insertion order.
function R.ownkeys(o, include_symbols, include_hidden)
  local out, n = {}, 0
  local t = type(o)
  if t == "function" then
    o = fprops[o]
    if not o then return out, 0 end
  elseif t == "string" then
    for i = 0, R.strlen(o) - 1 do n = n + 1; out[n] = i end
    return out, n
  elseif t ~= "table" then
    return out, 0
  end
  local mt = getmetatable(o)
  local ints, ni = nil, 0
  if mt and mt.kind == "array" then
    -- every index below length is an element, except the holes of holey arrays
    local len = rawget(o, "length") or (rawget(o, SLOW) and rawget(o, SLOW).length and rawget(o, SLOW).length.value) or 0
    local holey = rawget(o, HOLES)
    local slow = rawget(o, SLOW)
    for i = 0, len - 1 do
      if rawget(o, i) ~= nil or not holey or (slow and slow[i]) then n = n + 1; out[n] = i end
    end
  elseif mt and mt.enum_hook then
    return mt.enum_hook(o, include_symbols, include_hidden)
  end
  local s = rawget(o, SHAPE)
  if s then
    for i = 1, s.n do
      local k = s[i]
      if type(k) == "number" then
        if not (mt and mt.kind == "array") then ints = ints or {}; ni = ni + 1; ints[ni] = k end
      end
    end
    if ints then
      table.sort(ints)
      for i = 1, ni do n = n + 1; out[n] = ints[i] end
    end
    for i = 1, s.n do
      local k = s[i]
      local tk = type(k)
      if tk == "string" or (include_symbols and tk == "table") then n = n + 1; out[n] = k end
    end
  end
  if include_hidden then
    -- non-enumerable string keys: first those whose definition order is recorded (methods,
    -- defineProperty), then any others stored raw or in the slow table
    local seen = {[SHAPE] = true}
    for i = 1, n do seen[out[i]] = true end
    local order = rawget(o, HKEYS)
    if order then
      local slow = rawget(o, SLOW)
      local hk, hp, nh = {}, {}, 0
      for i = 1, #order do
        local k = order[i]
        if not seen[k] and type(k) == "string" and (rawget(o, k) ~= nil or (slow and slow[k])) then
          nh = nh + 1; hk[nh], hp[nh] = k, order.at[i] or 0; seen[k] = true
        end
      end
      if nh > 0 then
        -- the integer keys, then the shape's keys with each hidden one where it was defined
        local merged, m, h = {}, 0, 1
        for i = 1, n do if type(out[i]) == "number" then m = m + 1; merged[m] = out[i] end end
        for i = 1, s and s.n or 0 do
          while h <= nh and hp[h] < i do m = m + 1; merged[m] = hk[h]; h = h + 1 end
          local k = s[i]
          if type(k) == "string" or (include_symbols and type(k) == "table") then m = m + 1; merged[m] = k end
        end
        for j = h, nh do m = m + 1; merged[m] = hk[j] end
        out, n = merged, m
      end
    end
    -- the rest (the runtime's own raw or slow keys) sorted: their table order changes from one
    -- process to the next with LuaJIT's string hashes
    local rest, nr = {}, 0
    for k in next, o do
      if type(k) == "string" and not seen[k] and not (mt and mt.kind == "array" and k == "length") then
        nr = nr + 1; rest[nr] = k; seen[k] = true
      end
    end
    local slow = rawget(o, SLOW)
    if slow then for k in next, slow do if not seen[k] and type(k) == "string" then nr = nr + 1; rest[nr] = k end end end
    table.sort(rest)
    for i = 1, nr do n = n + 1; out[n] = rest[i] end
    if mt and mt.kind == "array" then   -- after the elements, before the named keys
      local at = n + 1
      while at > 1 and type(out[at - 1]) ~= "number" do at = at - 1 end
      table.insert(out, at, "length")
      n = n + 1
    end
    if not (mt and mt.kind == "array") then
      -- non-enumerable integer keys (class methods named [1]) go with the other integer keys
      local hidden_ints
      for k in next, o do
        if type(k) == "number" and not seen[k] then hidden_ints = hidden_ints or {}; hidden_ints[#hidden_ints + 1] = k end
      end
      if slow then for k in next, slow do
        if type(k) == "number" and not seen[k] then hidden_ints = hidden_ints or {}; hidden_ints[#hidden_ints + 1] = k end
      end end
      if hidden_ints then
        local rest, nr = {}, 0
        for i = 1, n do
          local k = out[i]
          if type(k) == "number" then hidden_ints[#hidden_ints + 1] = k else nr = nr + 1; rest[nr] = k end
        end
        table.sort(hidden_ints)
        out, n = hidden_ints, #hidden_ints
        for i = 1, nr do n = n + 1; out[n] = rest[i] end
      end
    end
  end
  return out, n
end

---------------------------------------------------------------------------------------------
-- Calls, construction, instanceof
-- Instance metatable per constructor, so `new C()` costs one table lookup; cleared when
-- C.prototype is replaced.
local newmt = setmetatable({}, {__mode = "kv"})
R.newmt = newmt
local function set_newmt(C, mt)   -- (held by keep(C), as fprops)
  newmt[C] = mt; keep(C).newmt = mt
end
R.set_newmt = set_newmt
-- Hash slots an instance of C ends up with (its keys and the shape), learnt from the first
-- construction, so that objects are allocated at their final size instead of growing.
local newsize = setmetatable({}, {__mode = "k"})
local tnew = require("table.new")

-- new.target of the functions that read it (the compiler marks them with R.reads_new_target):
-- the object `new` made for one, mapped to its constructor until the function takes it, first
-- thing (a call it makes with the same `this` is no construction). Such functions always
-- construct here, never through newmt, so other constructions pay nothing for it.
local new_targets = setmetatable({}, {__mode = "k"})
local nt_readers = setmetatable({}, {__mode = "k"})
R.nt_readers = nt_readers
function R.reads_new_target(f)
  nt_readers[f] = true
  return f
end
function R.fn_new_target(this)
  local t = new_targets[this]
  if t ~= nil then new_targets[this] = nil end
  return t
end
-- C(o, ...) as the constructor call of new.target `target`: through the registry when C reads
-- it (a class constructor finds it from o's prototype instead)
local function call_as_new(C, target, o, ...)
  if not nt_readers[C] then return C(o, ...) end
  new_targets[o] = target
  local r = C(o, ...)
  new_targets[o] = nil
  return r
end
R.call_as_new = call_as_new

-- Of the source texts of the calls on one line (R.callnames, from the source map's names), the
-- one that names `name`: the name itself, or where `dotted` a member chain ending in it; else the
-- only call on the line; else nil. (error.lua's "x is not a function" picks its callee so too.)
local function call_named(list, name, dotted)
  if name then
    for i = 1, #list do
      local t = list[i]
      if t == name or (dotted and t:sub(-#name - 1) == "." .. name) then return t end
    end
  end
  if #list == 1 then return list[1] end
end
R.call_named = call_named

-- The callee C as V8 names it in "X is not a constructor" (a function): its text at the call of
-- the innermost compiled frame, else `name`
local function callee_at(C, name)
  for level = 3, 12 do
    local info = getinfo(level, "Sl")
    if not info then break end
    local calls = R.callnames[info.source]
    if calls and R.linemaps[info.source] then
      local list = calls[info.currentline]
      return list and call_named(list, type(C) == "function" and fnames[C] or nil, true) or name
    end
  end
  return name
end
R.callee_at = callee_at
local function not_constructor(C, name) type_error(callee_at(C, name) .. " is not a constructor") end

local function construct_slow(C, ...)
  if type(C) == "table" then
    local pmt = getmetatable(C)
    if pmt and pmt.proxy and pmt.construct then return pmt.construct(C, ...) end
  end
  if type(C) ~= "function" then not_constructor(C, R.descr(C)) end
  if not R.is_constructor(C) then   -- arrows take a placeholder for `this`
    not_constructor(C, fnames[C] or "anonymous")
  end
  local fp = fprops[C]
  local hook = fp and rawget(fp, "__construct")
  if hook then return hook(C, ...) end
  local proto = C.prototype
  if not isobject(proto) then proto = ObjectPrototype end
  local mt = protomt(proto)
  local o = setmetatable({}, mt)
  if not nt_readers[C] then set_newmt(C, mt) end
  local r = call_as_new(C, C, o, ...)
  local sh = rawget(o, SHAPE)
  newsize[C] = (sh and sh.n or 0) + 1
  if r ~= nil and isobject(r) then return r end
  return o
end

-- `new C(...)` without the class's allocator
local function construct(C, ...)
  local mt = newmt[C]
  if mt == nil then return construct_slow(C, ...) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  local r = C(o, ...)
  if r == nil or r == o then return o end
  if isobject(r) then return r end
  return o
end
R.construct = construct

-- A class with an allocator (compiled for constructors that start with `this.k = v` stores)
-- keeps it in its instance metatable; mt.ctor tells it apart from functions that share the
-- prototype.
function R.set_alloc(C, mt, alloc)
  set_newmt(C, mt)
  mt.alloc, mt.ctor = alloc, C
end

function R.new(C, ...)
  local mt = newmt[C]
  if mt ~= nil and mt.ctor == C then return mt.alloc(...) end
  return construct(C, ...)
end

-- `new C(a, b)` with up to four arguments: no varargs, so the trace compiler keeps the call
local function finish(o, r)
  if r == nil or r == o or not isobject(r) then return o end
  return r
end
function R.new0(C)
  local mt = newmt[C]
  if mt == nil then return (construct_slow(C)) end
  if mt.ctor == C then return (mt.alloc()) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  return (finish(o, C(o)))
end
function R.new1(C, a)
  local mt = newmt[C]
  if mt == nil then return (construct_slow(C, a)) end
  if mt.ctor == C then return (mt.alloc(a)) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  return (finish(o, C(o, a)))
end
function R.new2(C, a, b)
  local mt = newmt[C]
  if mt == nil then return (construct_slow(C, a, b)) end
  if mt.ctor == C then return (mt.alloc(a, b)) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  return (finish(o, C(o, a, b)))
end
function R.new3(C, a, b, c)
  local mt = newmt[C]
  if mt == nil then return (construct_slow(C, a, b, c)) end
  if mt.ctor == C then return (mt.alloc(a, b, c)) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  return (finish(o, C(o, a, b, c)))
end
function R.new4(C, a, b, c, d)
  local mt = newmt[C]
  if mt == nil then return (construct_slow(C, a, b, c, d)) end
  if mt.ctor == C then return (mt.alloc(a, b, c, d)) end
  local o = setmetatable(tnew(0, newsize[C] or 4), mt)
  return (finish(o, C(o, a, b, c, d)))
end

R.bound_targets = setmetatable({}, {__mode = "k"})

-- Whether `new f()` is allowed: functions and classes, not arrows, methods, built-in
-- functions, generators or async functions.
function R.is_constructor(f)
  if type(f) ~= "function" then
    -- a proxy is one when its target is (its [[Construct]] traps or forwards)
    local mt = type(f) == "table" and getmetatable(f)
    return mt and mt.proxy and mt.target ~= nil and R.is_constructor(mt.target) or false
  end
  if arrows[f] or debug.getlocal(f, 1) == "J0_" then return false end
  if R.fkinds[f] then return false end
  return true
end

function R.instanceof(o, C)
  if not isobject(C) then type_error("Right-hand side of 'instanceof' is not an object") end
  local h = C[R.sym_hasInstance]
  if h ~= nil and h ~= null and h ~= R.default_hasinstance then return (truthy(h(C, o))) end
  if not R.iscallable(C) then type_error("Right-hand side of 'instanceof' is not callable") end
  while R.bound_targets[C] do C = R.bound_targets[C] end
  if not isobject(o) then return false end
  local proto = C.prototype
  if not isobject(proto) then
    type_error("Function has non-object prototype '" .. R.tostr(proto) .. "' in instanceof check")
  end
  -- the first links without a loop: a trace through a loop it has no trace of stops there
  -- ("inner loop in root trace"), and chains are short
  local p = R.proto_of(o)
  if p == proto then return true elseif p == nil or p == null then return false end
  p = R.proto_of(p)
  if p == proto then return true elseif p == nil or p == null then return false end
  p = R.proto_of(p)
  while p and p ~= null do
    if p == proto then return true end
    p = R.proto_of(p)
  end
  return false
end

-- [[GetPrototypeOf]] of any object, functions (whose chain classes set) included
function R.proto_of(o)
  if type(o) == "function" then return (fn_getproto(o)) end
  return (getproto(o))
end

-- Thrown values: objects are thrown as they are; other values in a box so that Lua's own
-- errors (strings) stay distinguishable from a JS `throw "text"`.
function R.throw(v)
  if type(v) == "table" and v ~= null and getmetatable(v) ~= SymbolMT then error(v, 0) end
  error(setmetatable({value = v}, BOX), 0)
end

-- The JS value of a caught Lua error. process.exit unwinds through every catch.
function R.caught(e)
  local gpu = R.gpu_open       -- arrays a kernel left on the device come home first (ljs.gpu)
  if gpu then gpu() end
  if type(e) == "table" then
    local mt = getmetatable(e)
    if mt == BOX then return e.value end
    if mt == R.EXIT then error(e, 0) end
    -- a generator's return(): unwinds through try/finally, never into a catch
    if mt == R.RETURN_MARK then error(e, 0) end
    return e
  end
  if R.lua_error_to_js then return (R.lua_error_to_js(e)) end
  return e
end
R.BOX = BOX

---------------------------------------------------------------------------------------------
-- Metatables for the primitive types, so `x.k` and `x:m()` work on any value.
local function nil_index(_, k) type_error("Cannot read properties of undefined (reading '" .. R.keystr(k) .. "')") end
local function nil_newindex(_, k) type_error("Cannot set properties of undefined (setting '" .. R.keystr(k) .. "')") end
local NilMT = {__index = nil_index, __newindex = nil_newindex}
R.NilMT = NilMT
debug.setmetatable(nil, NilMT)

-- Arithmetic on non-numbers (undefined, null, booleans, objects, non-numeric strings)
-- reaches these metamethods; they give JS's results instead of Lua errors.
local function arith(op, name)
  return function(a, b)
    local big
    a, b, big = R.numerics(a, b)
    if big then return R.bigint_op(name, a, b) end
    return op(a, b)
  end
end
local ArithOps = {
  __add = arith(function(a, b) return a + b end, "add"),
  __sub = arith(function(a, b) return a - b end, "sub"),
  __mul = arith(function(a, b) return a * b end, "mul"),
  __div = arith(function(a, b) return a / b end, "div"),
  __mod = arith(function(a, b) return R.mod(a, b) end, "mod"),
  __pow = arith(function(a, b) return R.pow(a, b) end, "pow"),
  __unm = function(a) return R.neg(a) end,
}
R.ArithOps = ArithOps
local function add_arith(mt) for k, v in pairs(ArithOps) do if mt[k] == nil then mt[k] = v end end end
R.add_arith = add_arith
add_arith(NilMT); add_arith(NullMT)
for _, mt in pairs(instmt) do add_arith(mt) end

-- instance metatables made later get the arithmetic metamethods too
local protomt0 = protomt
protomt = function(p)
  local mt = instmt[p]
  if mt then return mt end
  mt = protomt0(p)
  add_arith(mt)
  return mt
end
R.protomt = protomt
add_arith(FunctionMT)

-- Arguments objects are ordinary objects (Object.prototype, "[object Arguments]", no arrays)
-- whose elements sit raw at 0..n-1 as an array's do, so that reading them costs what reading
-- an array's does. Their own metatable only marks them.
local ArgumentsMT = {}
for k, v in pairs(ObjectMT) do ArgumentsMT[k] = v end
ArgumentsMT.arguments = true
register_child(ObjectPrototype, ArgumentsMT)
set_index(ArgumentsMT)
R.ArgumentsMT = ArgumentsMT
function R.is_arguments(v)
  if type(v) ~= "table" then return false end
  local mt = getmetatable(v)
  return mt ~= nil and mt.arguments == true
end

---------------------------------------------------------------------------------------------
-- Property descriptors
local function ensure_slow(o)
  local slow = rawget(o, SLOW)
  if slow then return slow end
  slow = {}
  unbrand(o)
  rawset(o, SLOW, slow)
  local mt = getmetatable(o)
  -- Give o a private metatable that checks its slow table.
  local nmt = {}
  for k, v in pairs(mt) do nmt[k] = v end
  nmt.ownslow = true
  if nmt.nonconfig then local c = {}; for k, v in pairs(nmt.nonconfig) do c[k] = v end; nmt.nonconfig = c end
  set_index(nmt)
  setmetatable(o, nmt)
  refresh_children(o)
  return slow
end
R.ensure_slow = ensure_slow

-- Define an own property from a descriptor table {value, writable, get, set, enumerable, configurable}
-- (fields may be nil: defaults are false / undefined, as Object.defineProperty treats them).
-- The getter of an accessor defined with neither (`{get: undefined}`): slow tables tell accessors
-- by a getter or setter, and descriptors show this one as undefined.
local NOGET = function() return nil end
R.NOGET = NOGET

function R.defprop(o, k, d)
  if type(o) == "function" then o = fprop_table(o) end
  if k == R.sym_iterator and R.isarray(o) then R.array_own_iter = true end
  local slow = rawget(o, SLOW)
  local existing = slow and slow[k]
  if (d.hasget or d.hasset) and d.get == nil and d.set == nil
      and not (existing and (existing.get ~= nil or existing.set ~= nil)) then
    d.get = NOGET
  end
  local raw = rawget(o, k)
  local enumerable = d.enumerable
  local is_acc = d.get ~= nil or d.set ~= nil
  if existing then
    if enumerable == nil then enumerable = existing.enumerable end
    if not is_acc and d.value == nil and d.writable == nil and (existing.get ~= nil or existing.set ~= nil) then
      is_acc = true
      d = {get = existing.get, set = existing.set, configurable = d.configurable}
    elseif is_acc then
      if d.get == nil and d.set ~= nil then d.get = existing.get end
      if d.set == nil and d.get ~= nil then d.set = existing.set end
    else
      if d.value == nil and d.hasvalue == nil then d.value = existing.value end
      if d.writable == nil then d.writable = existing.writable end
    end
    if d.configurable == nil then d.configurable = existing.configurable end
  elseif raw ~= nil or hasown(o, k) then
    -- an existing plain data property: writable, enumerable when in the shape, configurable
    if enumerable == nil then local s = rawget(o, SHAPE); enumerable = (s and s.index[k]) and true or false end
    if not is_acc then
      if d.value == nil and not d.hasvalue then d.value = raw end
      if d.writable == nil then d.writable = true end
    end
    if d.configurable == nil then
      local mt = getmetatable(o)
      d.configurable = not (mt and mt.nonconfig and mt.nonconfig[k])
    end
  end
  enumerable = enumerable and true or false
  if not enumerable and not existing and rawget(o, k) == nil and (type(k) == "string" or type(k) == "table") then
    note_hidden(o, k)
  end
  if not is_acc and d.writable and (d.configurable or d.configurable == nil) and not existing
      and (d.value ~= nil or enumerable) then
    -- plain writable data: stays raw (a non-enumerable undefined has no raw key or shape entry
    -- to be own by, so it takes the slow table)
    rawset(o, k, d.value)
    if enumerable then addkey(o, k) else dropkey(o, k) end
    if d.configurable == false or d.configurable == nil then
      local mt = getmetatable(o)
      if d.configurable == nil and raw == nil then
        -- defineProperty default: non-configurable
        slow = ensure_slow(o)
        rawset(o, k, nil)
        slow[k] = {value = d.value, writable = true, enumerable = enumerable, configurable = false}
      end
    end
    return o
  end
  slow = ensure_slow(o)
  rawset(o, k, nil)
  local nd = {enumerable = enumerable, configurable = d.configurable and true or false}
  if is_acc then
    nd.get, nd.set = d.get, d.set
  else
    nd.value = d.value; nd.writable = d.writable and true or false
  end
  slow[k] = nd
  if enumerable then addkey(o, k) else dropkey(o, k) end
  if getmetatable(o).kind == "array" and type(k) == "number" then
    local len = rawget(o, "length")
    if k >= len then rawset(o, "length", k + 1) end
  end
  return o
end

-- Descriptor of an own property, or nil.
function R.getdesc(o, k)
  if o == ObjectPrototype and k == "__proto__" and R.proto_accessor then
    return {get = R.proto_accessor.get, set = R.proto_accessor.set, enumerable = false, configurable = true, accessor = true}
  end
  if type(o) == "function" then
    local fp = fprops[o]
    if k == "name" and not (fp and (hasown(fp, "name") or rawget(fp, "__noname"))) then return {value = fnames[o] or "", writable = false, enumerable = false, configurable = true} end
    if k == "length" and not (fp and (hasown(fp, "length") or rawget(fp, "__nolength"))) then return {value = function_length(o), writable = false, enumerable = false, configurable = true} end
    if k == "prototype" and has_prototype(o) then return {value = o.prototype, writable = not fixed_proto[o], enumerable = false, configurable = false} end
    o = fprops[o]
    if not o then return nil end
  end
  if type(o) == "string" then
    if k == "length" then return {value = R.strlen(o), writable = false, enumerable = false, configurable = false} end
    if type(k) == "number" and k < R.strlen(o) then return {value = o[k], writable = false, enumerable = true, configurable = false} end
    return nil
  end
  if type(o) ~= "table" then return nil end
  if o == R.G then R.lazy_resolve(k) end
  local slow = rawget(o, SLOW)
  local d = slow and slow[k]
  if d then
    if d.get ~= nil or d.set ~= nil then
      return {get = d.get, set = d.set, enumerable = d.enumerable, configurable = d.configurable, accessor = true}
    end
    return {value = d.value, writable = d.writable, enumerable = d.enumerable, configurable = d.configurable}
  end
  local mt = getmetatable(o)
  if mt and mt.kind == "array" and k == "length" then
    return {value = rawget(o, "length"), writable = not mt.frozen, enumerable = false, configurable = false}
  end
  local v = rawget(o, k)
  local s = rawget(o, SHAPE)
  local en = (s and s.index[k]) and true or false
  if v == nil and not en then
    if mt and mt.desc_hook then return mt.desc_hook(o, k) end
    return nil
  end
  local frozen = mt and mt.frozen
  return {value = v, writable = not frozen, enumerable = en, configurable = not (frozen or (mt and mt.nonconfig and mt.nonconfig[k]))}
end

-- A frozen object's data properties can never change: reads find them in a table that is its
-- metatable's __index, which a trace reads like a prototype, where the slow __index function
-- took four lookups in descriptors (an `Object.freeze`d enum read in a loop, 4x). The rest
-- (accessors, the prototype chain) goes on to that function, with the object as receiver.
local function frozen_reads(o, mt, slow)
  local vals, index = {}, mt.__index
  for k, d in pairs(slow) do
    if d.get == nil and d.set == nil then vals[k] = d.value end
  end
  mt.__index = setmetatable(vals, {__index = function(_, k) return index(o, k) end})
end

-- Object.freeze / seal / preventExtensions
function R.freeze(o, level)
  if type(o) == "function" then o = fprop_table(o) end
  if type(o) ~= "table" or o == null then return o end
  local pmt = getmetatable(o)
  if pmt and pmt.proxy then return pmt.set_integrity(o, level) end
  local slow = ensure_slow(o)
  local mt = getmetatable(o)
  mt.frozen = true
  if level == "extensions" then return o end
  local keys = {}
  for k, v in next, o do
    -- private fields stay raw and writable: freezing reaches properties only
    local kmt = type(k) == "table" and getmetatable(k)
    if k ~= SHAPE and k ~= SLOW and not (kmt and kmt.private) then keys[k] = v end
  end
  for k, v in pairs(keys) do
    if not (mt.kind == "array" and k == "length") then
      local s = rawget(o, SHAPE)
      slow[k] = {value = v, writable = level == "seal", enumerable = (s and s.index[k]) and true or false, configurable = false}
      rawset(o, k, nil)
    end
  end
  for _, d in pairs(slow) do
    d.configurable = false
    if level ~= "seal" and d.get == nil and d.set == nil then d.writable = false end
  end
  mt.sealed = true
  if level ~= "seal" then mt.fully_frozen = true end
  -- an array's length stays readable through the slow __index (where a freeze before put it)
  if mt.kind == "array" and rawget(o, "length") ~= nil then
    slow.length = {value = rawget(o, "length"), writable = level == "seal", enumerable = false, configurable = false}
    rawset(o, "length", nil)
  end
  if level == "freeze" and mt.kind == nil and type(mt.__index) == "function" then frozen_reads(o, mt, slow) end
  return o
end

---------------------------------------------------------------------------------------------
-- IsCallable: Lua functions, and tables whose metatable says so (callable Proxies)
function R.iscallable(f)
  if type(f) == "function" then return true end
  if type(f) ~= "table" then return false end
  local mt = getmetatable(f)
  return mt ~= nil and mt.callable == true
end

-- Defining built-ins: every JS-callable Lua function takes `this` first.
local G = setmetatable({}, ObjectMT)   -- the global object (globalThis)
R.G = G

-- Globals of modules many programs never touch (the web APIs, Buffer, RegExp, Date, the collections,
-- the typed arrays: rt.lua lists them) are defined on first use. Every GC cycle of an allocating
-- program marks and sweeps the whole runtime, and these modules were more than half of it (see
-- docs/performance.md). Until its module loads, such a global is
-- an accessor in G's slow table: reading it loads the module, assigning it makes it a plain data
-- property without loading anything.
local lazy = {}   -- global name -> its pending accessor descriptor
local lazy_require = require
function R.lazy_globals(module, names)
  if package.loaded[module] then return end   -- (a host that required it before ljs.rt)
  for i = 1, #names do
    local name = names[i]
    R.defprop(G, name, {
      get = function() lazy_require(module); return rawget(G, name) end,
      set = function(_, v)
        local slow = rawget(G, SLOW)
        if v == nil then   -- still an own property: a data descriptor, where a raw nil is no key
          slow[name] = {value = nil, writable = true, enumerable = false, configurable = true}
        else
          slow[name] = nil
          rawset(G, name, v)
        end
      end,
      enumerable = false, configurable = true})
    lazy[name] = rawget(G, SLOW)[name]
  end
end
-- What getOwnPropertyDescriptor reports: the global's own descriptor, its module loaded first.
function R.lazy_resolve(k)
  local d = lazy[k]
  if d ~= nil and d == rawget(G, SLOW)[k] then d.get() end
end
-- Runtime functions (R.name) whose module loads on their first call: util.inspect's port
-- (ljs.inspect) is only needed once a program prints something other than strings.
local lazy_modules = {}
function R.lazy_functions(module, names)
  if package.loaded[module] then return end
  lazy_modules[#lazy_modules + 1] = module
  for i = 1, #names do
    local name = names[i]
    local function load_first(...)
      lazy_require(module)
      if R[name] == load_first then error(module .. " did not define R." .. name) end
      return R[name](...)
    end
    R[name] = load_first
  end
end
-- Every module still pending, loaded now (the sandbox loads them before it locks the runtime down).
function R.lazy_resolve_all()
  for name in next, lazy do R.lazy_resolve(name) end
  for i = 1, #lazy_modules do lazy_require(lazy_modules[i]) end
end
-- The lazily defined globals' own values, for the node modules that export them too
-- (require("url").URL) whatever the program did to the global meanwhile.
local lazy_defined = {}
function R.builtin_global(name) return lazy_defined[name] end
-- A module defining global `name`: over its pending accessor, not over what the program put
-- there (or deleted) meanwhile.
local function define_global(name, v)
  local d = lazy[name]
  if d ~= nil then
    lazy[name] = nil
    lazy_defined[name] = v
    local slow = rawget(G, SLOW)
    if slow[name] ~= d then return end
    slow[name] = nil
  end
  rawset(G, name, v)
end

-- A non-enumerable method: raw in the table, outside the shape.
function R.method(obj, name, len, f)
  fnames[f] = key_name(name)
  fnlens[f] = len
  arrows[f] = true      -- built-in methods are not constructors
  if type(obj) == "function" then obj = fprop_table(obj) end
  if obj == G then
    define_global(name, f)
  else
    -- the order they were made in is the order getOwnPropertyNames lists them (as in node)
    if rawget(obj, name) == nil then note_hidden(obj, name) else unbrand(obj) end
    rawset(obj, name, f)
  end
  return f
end

-- A constructor whose prototype object is `proto`, published as a global.
function R.ctor(name, len, f, proto)
  fnames[f] = name
  fnlens[f] = len
  local t = fprop_table(f)
  proto = proto or setmetatable({}, ObjectMT)
  rawset(t, "prototype", proto)
  fixed_proto[f] = true
  rawset(proto, "constructor", f)
  define_global(name, f)
  return f, proto
end

-- A class of a library module (not a global): constructor f, its prototype tagged with the
-- class name, and the instances' metatable.
function R.module_class(name, len, f)
  local proto = R.newobj()
  R.fn(f, name, len)
  rawset(fprop_table(f), "prototype", proto)
  rawset(proto, "constructor", f)
  R.tag(proto, name)
  return proto, R.protomt(proto)
end

-- A non-enumerable data property (globals, constants on constructors).
function R.hidden(obj, name, v)
  if type(obj) == "function" then obj = fprop_table(obj) end
  if obj == G then define_global(name, v); return v end
  unbrand(obj)
  rawset(obj, name, v)
  return v
end

-- A constant of a built-in (Math.PI, Number.MAX_VALUE): read-only, non-enumerable and
-- non-configurable. Reads go through the slow table; loops hoist them.
function R.constant(obj, name, v)
  R.defprop(obj, name, {value = v, writable = false, enumerable = false, configurable = false})
end

-- obj[Symbol.toStringTag] = name, as built-ins define it: read-only, non-enumerable, configurable.
function R.tag(obj, name)
  R.defprop(obj, R.sym_toStringTag, {value = name, writable = false, enumerable = false, configurable = true})
end

-- Is `this` an object that `new` made for constructor C (so C initialises it)?
function R.constructing(this, proto)
  if type(this) ~= "table" or this == null then return false end
  local p = getproto(this)
  if p == proto then return true end   -- (outside the loop, as in lookup: `new Map()` in a hot path)
  while p and p ~= null do
    if p == proto then return true end
    p = getproto(p)
  end
  return false
end

-- R.pack and R.arguments: a module of their own, loaded from source (see there)
package.loaded["ljs.core"] = R
require("ljs.varargs")

return R
