-- ljs.collections: Map, Set, WeakMap, WeakSet.
--
-- A Map/Set keeps its entries in insertion order in parallel arrays keys[1..n] / vals[1..n]
-- and finds them through idx (hash key -> slot), so get/set/has/delete are O(1).
-- Deleting writes a tombstone (HOLE) into keys; the arrays are compacted when more than half
-- of the slots are holes. Live cursors (iterators, forEach, for…of) are kept in a weak set
-- and have their positions remapped by a compaction, so iteration sees entries added during
-- the loop and skips ones deleted before being reached, as JS specifies.
local R = require("ljs.core")
pcall(require, "ljs.iteration")   -- R.fast_iter, R.iter_result, R.IteratorPrototype when present

local type, rawget, rawset, getmetatable, setmetatable, next, pairs, tostring =
      type, rawget, rawset, getmetatable, setmetatable, next, pairs, tostring
local null, ArrayMT, ObjectMT, SHAPE = R.null, R.ArrayMT, R.ObjectMT, R.SHAPE
local isobject, type_error, method = R.isobject, R.type_error, R.method

-- Private keys and sentinels: tables, so no JS value can collide with them.
local MAP, SET, WMAP, WSET = {}, {}, {}, {}   -- instance field holding the state
local CURSOR = {}                              -- iterator object field holding its cursor
local HOLE = {}                                -- tombstone in keys[]
local NANKEY, UNDEFKEY = {}, {}                -- Lua tables cannot hold NaN or nil keys
local UNDEFVAL = {}                            -- stands for undefined in weak tables
local WEAKK = {__mode = "k"}

local fast_iter = R.fast_iter
if not fast_iter then fast_iter = setmetatable({}, WEAKK); R.fast_iter = fast_iter end

local RESULT_SHAPE = R.shape({"value", "done"})
local function iter_result(v, done)
  local f = R.iter_result
  if f then return f(v, done) end
  return setmetatable({value = v, done = done, ["\255"] = RESULT_SHAPE}, ObjectMT)
end

-- Values as V8 prints them in these messages.
local function describe(v)   -- receivers and entries: roughly ToString
  if type(v) == "table" and getmetatable(v) == R.SymbolMT then return tostring(v) end
  if R.isarray(v) then return "[object Array]" end
  if isobject(v) then return R.descr(v) end
  return R.tostr(v)
end

local function describe_callee(v)   -- "<type> <value> is not a function"
  local t = type(v)
  if v == nil then return "undefined" end
  if v == null then return "object null" end
  if t == "number" then return "number " .. R.numtostr(v) end
  if t == "string" then return 'string "' .. v .. '"' end
  if t == "boolean" then return "boolean " .. tostring(v) end
  if t == "table" and getmetatable(v) == R.SymbolMT then return "symbol" end
  return "object"
end

local function incompatible(name, this)
  type_error("Method " .. name .. " called on incompatible receiver " .. describe(this))
end

-- Internal state lives in a raw field under a private key; Object.freeze moves raw fields into
-- the object's slow table, so look there before rejecting the receiver.
local function moved_state(this, key, name)
  local slow = type(this) == "table" and rawget(this, R.SLOW)
  local d = slow and slow[key]
  if d and d.value then return d.value end
  incompatible(name, this)
end

local callable = R.iscallable

local function check_callback(cb)
  if not callable(cb) then type_error(describe_callee(cb) .. " is not a function") end
end

---------------------------------------------------------------------------------------------
-- Shared ordered-table machinery. State: {idx, keys, vals (nil for Set), n, size, curs}.
local function new_state(is_map)
  return {idx = {}, keys = {}, vals = is_map and {} or nil, n = 0, size = 0, curs = nil}
end

local function register(st, c)
  local curs = st.curs
  if not curs then curs = setmetatable({}, WEAKK); st.curs = curs end
  curs[c] = true
end

-- Squeeze out the holes; cursors keep pointing after the same live entry.
local function compact(st)
  local keys, vals, idx, n = st.keys, st.vals, st.idx, st.n
  local curs = st.curs
  local newpos = (curs and next(curs)) and {[0] = 0} or nil
  local w = 0
  for i = 1, n do
    local k = keys[i]
    if k ~= HOLE then
      w = w + 1
      if w ~= i then
        keys[w] = k
        if vals then vals[w] = vals[i] end
        local h = k
        if h == nil then h = UNDEFKEY elseif h ~= h then h = NANKEY end
        idx[h] = w
      end
    end
    if newpos then newpos[i] = w end
  end
  for i = w + 1, n do
    keys[i] = nil
    if vals then vals[i] = nil end
  end
  st.n = w
  if newpos then
    for c in pairs(curs) do c.pos = newpos[c.pos] or w end
  end
end

local function st_delete(st, k)
  local h = k
  if h == nil then h = UNDEFKEY elseif h ~= h then h = NANKEY end
  local idx = st.idx
  local i = idx[h]
  if not i then return false end
  idx[h] = nil
  local vals = st.vals
  if vals then vals[i] = nil end
  st.keys[i] = HOLE
  local size = st.size - 1
  st.size = size
  local holes = st.n - size
  if holes > 8 and holes > size then compact(st) end
  return true
end

local function st_clear(st)
  st.idx = {}
  st.keys = {}
  if st.vals then st.vals = {} end
  st.n = 0
  st.size = 0
  local curs = st.curs
  if curs then for c in pairs(curs) do c.pos = 0 end end
end

-- Advance cursor c to the next live slot; returns the slot or nil when done (and retires c).
local function advance(c)
  local st = c.st
  if not st then return nil end
  local keys, n, i = st.keys, st.n, c.pos + 1
  while i <= n and keys[i] == HOLE do i = i + 1 end
  if i > n then
    c.st = nil
    st.curs[c] = nil
    return nil
  end
  c.pos = i
  return i, st
end

local function entry(k, v)
  return setmetatable({[0] = k, v, length = 2}, ArrayMT)
end

-- Cursor kinds
local KEYS, VALUES, ENTRIES = 1, 2, 3

local function new_cursor(st, kind)
  local c = {st = st, pos = 0, kind = kind}
  register(st, c)
  return c
end

-- Lua generic-for step over a cursor: yields (slot, value) with the JS value for its kind.
local function step_keys(c)
  local i, st = advance(c)
  if i then return i, st.keys[i] end
end
local function step_values(c)
  local i, st = advance(c)
  if i then return i, (st.vals or st.keys)[i] end
end
local function step_entries(c)
  local i, st = advance(c)
  if i then local k = st.keys[i]; return i, entry(k, (st.vals or st.keys)[i]) end
end
local STEPS = {step_keys, step_values, step_entries}

---------------------------------------------------------------------------------------------
-- Iterator objects: %MapIteratorPrototype% and %SetIteratorPrototype%
local IteratorPrototype = R.IteratorPrototype or R.ObjectPrototype

-- The plain protocol over an iterator object (no closure: a trace cannot close upvalues).
local function protocol_step(o, n)
  local r = o.next(o)
  if not isobject(r) then type_error("Iterator result " .. describe(r) .. " is not an object") end
  if R.truthy(r.done) then return nil end
  return n + 1, r.value
end

local function make_iter_proto(tag)
  local proto = setmetatable({}, R.protomt(IteratorPrototype))
  local mt = R.protomt(proto)
  local name = tag .. " Iterator.prototype.next"
  method(proto, "next", 0, function(this)
    local c = type(this) == "table" and rawget(this, CURSOR)
    if not c then c = moved_state(this, CURSOR, name) end
    local i, st = advance(c)
    if not i then return iter_result(nil, true) end
    local kind = c.kind
    if kind == KEYS then return iter_result(st.keys[i], false) end
    local v = (st.vals or st.keys)[i]
    if kind == VALUES then return iter_result(v, false) end
    return iter_result(entry(st.keys[i], v), false)
  end)
  local self = method(proto, R.sym_iterator, 0, function(this) return this end)
  -- for…of over an iterator object walks its cursor directly (same observable order)
  fast_iter[self] = function(it)
    local c = rawget(it, CURSOR)
    if not c then local slow = rawget(it, R.SLOW); c = slow and slow[CURSOR] and slow[CURSOR].value end
    if c then return STEPS[c.kind], c, 0 end
    return protocol_step, it, 0   -- an object merely inheriting from the prototype
  end
  R.tag(proto, tag .. " Iterator")
  return proto, mt
end

local MapIteratorPrototype, MapIterMT = make_iter_proto("Map")
local SetIteratorPrototype, SetIterMT = make_iter_proto("Set")
R.MapIteratorPrototype, R.SetIteratorPrototype = MapIteratorPrototype, SetIteratorPrototype

-- What console.log shows of a Map or Set iterator: its label and what it has left, each as {value}
-- or {key, value, pair = true} (nil for anything else)
function R.iterator_preview(o)
  local c = type(o) == "table" and rawget(o, CURSOR)
  if not c then return nil end
  local label = "[" .. (getmetatable(o) == MapIterMT and "Map" or "Set") ..
    (c.kind == ENTRIES and " Entries]" or " Iterator]")
  local out, n, st = {}, 0, c.st
  for i = c.pos + 1, st and st.n or 0 do
    local k = st.keys[i]
    if k ~= HOLE then
      local v = (st.vals or st.keys)[i]
      n = n + 1
      out[n] = c.kind == KEYS and {k} or c.kind == VALUES and {v} or {k, v, pair = true}
    end
  end
  return label, out, n
end

---------------------------------------------------------------------------------------------
-- Filling from an iterable without the iteration module: arrays, collections and strings.
local function each_value(iterable, f, a)
  if R.isarray(iterable) and (R.iter == nil or getmetatable(iterable) == ArrayMT) then
    for i = 0, (rawget(iterable, "length") or iterable.length) - 1 do f(a, iterable[i]) end
    return
  end
  if R.iter then
    for _, v in R.iter(iterable) do f(a, v) end
    return
  end
  -- no iteration module: the collections and strings we know
  if type(iterable) == "table" then
    local st = rawget(iterable, MAP) or rawget(iterable, SET)
    if st then
      local c = new_cursor(st, rawget(iterable, MAP) and ENTRIES or VALUES)
      for _, v in STEPS[c.kind], c, 0 do f(a, v) end
      return
    end
  elseif type(iterable) == "string" then
    for ch in string.gmatch(iterable, "[%z\1-\127\192-\255][\128-\191]*") do f(a, ch) end
    return
  end
  type_error(describe(iterable) .. " is not iterable")
end

-- The constructors' AddEntriesFromIterable / the Set constructor's loop: adder is the `set` /
-- `add` method looked up on the new object (the built-in one unless overridden); an abrupt
-- completion of the loop body (a non-object entry, a throwing entry getter or adder) closes
-- the iterator, one of next() does not.
local function add_one(target, adder, entries, v)
  if entries then
    if not isobject(v) then type_error("Iterator value " .. describe(v) .. " is not an entry object") end
    adder(target, v[0], v[1])
  else
    adder(target, v)
  end
end

local function protocol_state_step(st, n)
  local r = st.next(st.it)
  if not isobject(r) then type_error("Iterator result " .. describe(r) .. " is not an object") end
  if R.truthy(r.done) then st.done = true; return nil end
  return n + 1, r.value
end

-- R.iter, except that an array with an own [Symbol.iterator] is iterated through it.
local function open_iter(v)
  if type(v) == "table" and getmetatable(v) == ArrayMT and rawget(v, R.sym_iterator) ~= nil then
    local it = R.get_iterator(v)
    return protocol_state_step, {it = it, next = it.next}, 0
  end
  if type(v) ~= "string" and not R.isarray(v) then
    local m = R.get(v, R.sym_iterator)
    if m == nil or m == null or not R.iscallable(m) then type_error(R.builtin_not_iterable(v)) end
  end
  return R.iter(v)
end

local function fill_loop(target, adder, entries, f, s, ctl, prog)
  while true do
    prog[1] = false
    local v
    ctl, v = f(s, ctl)
    if ctl == nil then return end
    prog[1] = true
    add_one(target, adder, entries, v)
  end
end

-- Without the iteration module (kept apart: a closure here would make fill's returns close
-- upvalues, which a trace cannot do).
local function fill_plain(target, iterable, adder, entries)
  each_value(iterable, function(t, v) add_one(t, adder, entries, v) end, target)
end

local function fill(target, iterable, adder, entries)
  if R.iter == nil then return fill_plain(target, iterable, adder, entries) end
  -- arrays with the built-in iterator: by index, re-reading the length; nothing to close
  if R.walks_by_index(iterable) then
    local i = 0
    while i < rawget(iterable, "length") do
      add_one(target, adder, entries, iterable[i])
      i = i + 1
    end
    return
  end
  local f, s, ctl = open_iter(iterable)
  if type(s) ~= "table" or (rawget(s, "it") == nil and getmetatable(s) ~= R.GenMT) then
    -- the built-in collection and string iterators: no `return` to call, so no pcall either
    while true do
      local v
      ctl, v = f(s, ctl)
      if ctl == nil then return end
      add_one(target, adder, entries, v)
    end
  end
  local prog = {false}
  local ok, err = pcall(fill_loop, target, adder, entries, f, s, ctl, prog)
  if not ok then
    if prog[1] and R.iter_close then pcall(R.iter_close, s) end   -- the body's error wins
    error(err, 0)
  end
end

local function get_adder(this, name, what)
  local adder = this[name]
  if not callable(adder) then
    type_error("'" .. describe(adder) .. "' returned for property '" .. name .. "' of object '#<" .. what .. ">' is not a function")
  end
  return adder
end

---------------------------------------------------------------------------------------------
-- Map
local MapPrototype = setmetatable({}, ObjectMT)
R.MapPrototype = MapPrototype

local function map_state(this, name)
  local st = type(this) == "table" and rawget(this, MAP)
  if not st then st = moved_state(this, MAP, name) end
  return st
end

local function map_set(this, k, v)
  local st = type(this) == "table" and rawget(this, MAP)
  if not st then st = moved_state(this, MAP, "Map.prototype.set") end
  local h = k
  if k == nil then h = UNDEFKEY elseif k ~= k then h = NANKEY elseif k == 0 then k = 0; h = 0 end
  local idx = st.idx
  local i = idx[h]
  if i then
    st.vals[i] = v
  else
    i = st.n + 1
    st.n = i
    idx[h] = i
    st.keys[i] = k
    st.vals[i] = v
    st.size = st.size + 1
  end
  return this
end

local function Map(this, iterable)
  if not R.constructing(this, MapPrototype) then type_error("Constructor Map requires 'new'") end
  rawset(this, MAP, new_state(true))
  if iterable ~= nil and iterable ~= null then fill(this, iterable, get_adder(this, "set", "Map"), true) end
end
R.ctor("Map", 0, Map, MapPrototype)
R.species(Map)

method(MapPrototype, "get", 1, function(this, k)
  local st = type(this) == "table" and rawget(this, MAP)
  if not st then st = moved_state(this, MAP, "Map.prototype.get") end
  if k == nil then k = UNDEFKEY elseif k ~= k then k = NANKEY end
  local i = st.idx[k]
  if i then return st.vals[i] end
  return nil
end)
method(MapPrototype, "set", 2, map_set)
local map_has = method(MapPrototype, "has", 1, function(this, k)
  local st = type(this) == "table" and rawget(this, MAP)
  if not st then st = moved_state(this, MAP, "Map.prototype.has") end
  if k == nil then k = UNDEFKEY elseif k ~= k then k = NANKEY end
  return st.idx[k] ~= nil
end)
method(MapPrototype, "delete", 1, function(this, k)
  return st_delete(map_state(this, "Map.prototype.delete"), k)
end)
method(MapPrototype, "clear", 0, function(this)
  st_clear(map_state(this, "Map.prototype.clear"))
end)
method(MapPrototype, "forEach", 1, function(this, cb, thisArg)
  local st = map_state(this, "Map.prototype.forEach")
  check_callback(cb)
  local c = new_cursor(st, ENTRIES)
  while true do
    local i = advance(c)
    if not i then break end
    cb(thisArg, st.vals[i], st.keys[i], this)
  end
end)
local map_size = function(this)
  return map_state(this, "get Map.prototype.size").size
end
R.fnames[map_size] = "get size"
R.defprop(MapPrototype, "size", {get = map_size, configurable = true})

local function map_iter_method(name, kind)
  local full = "Map.prototype." .. name
  local f = method(MapPrototype, name, 0, function(this)
    local c = new_cursor(map_state(this, full), kind)
    return setmetatable({[CURSOR] = c}, MapIterMT)
  end)
  local step = STEPS[kind]
  fast_iter[f] = function(m)
    return step, new_cursor(map_state(m, full), kind), 0
  end
  return f
end
local map_keys = map_iter_method("keys", KEYS)
map_iter_method("values", VALUES)
local map_entries = map_iter_method("entries", ENTRIES)
rawset(MapPrototype, R.sym_iterator, map_entries)
R.tag(MapPrototype, "Map")

---------------------------------------------------------------------------------------------
-- Set
local SetPrototype = setmetatable({}, ObjectMT)
R.SetPrototype = SetPrototype

local function set_state(this, name)
  local st = type(this) == "table" and rawget(this, SET)
  if not st then st = moved_state(this, SET, name) end
  return st
end

local function hkey(k)
  if k == nil then return UNDEFKEY elseif k ~= k then return NANKEY end
  return k
end

-- Append k (canonical: -0 already made +0) when absent.
local function st_add(st, k)
  local h = hkey(k)
  local idx = st.idx
  if idx[h] == nil then
    local i = st.n + 1
    st.n = i
    idx[h] = i
    st.keys[i] = k
    st.size = st.size + 1
  end
end

local function set_add(this, k)
  local st = type(this) == "table" and rawget(this, SET)
  if not st then st = moved_state(this, SET, "Set.prototype.add") end
  if k == 0 then k = 0 end   -- -0 is stored as +0
  st_add(st, k)
  return this
end

local function Set(this, iterable)
  if not R.constructing(this, SetPrototype) then type_error("Constructor Set requires 'new'") end
  rawset(this, SET, new_state(false))
  if iterable ~= nil and iterable ~= null then fill(this, iterable, get_adder(this, "add", "Set"), false) end
end
R.ctor("Set", 0, Set, SetPrototype)
R.species(Set)

method(SetPrototype, "add", 1, set_add)
local set_has = method(SetPrototype, "has", 1, function(this, k)
  local st = type(this) == "table" and rawget(this, SET)
  if not st then st = moved_state(this, SET, "Set.prototype.has") end
  if k == nil then k = UNDEFKEY elseif k ~= k then k = NANKEY end
  return st.idx[k] ~= nil
end)
method(SetPrototype, "delete", 1, function(this, k)
  return st_delete(set_state(this, "Set.prototype.delete"), k)
end)
method(SetPrototype, "clear", 0, function(this)
  st_clear(set_state(this, "Set.prototype.clear"))
end)
method(SetPrototype, "forEach", 1, function(this, cb, thisArg)
  local st = set_state(this, "Set.prototype.forEach")
  check_callback(cb)
  local c = new_cursor(st, VALUES)
  while true do
    local i = advance(c)
    if not i then break end
    local k = st.keys[i]
    cb(thisArg, k, k, this)
  end
end)
local set_size = function(this)
  return set_state(this, "get Set.prototype.size").size
end
R.fnames[set_size] = "get size"
R.defprop(SetPrototype, "size", {get = set_size, configurable = true})

local function set_iter_method(name, kind)
  local full = "Set.prototype." .. name
  local f = method(SetPrototype, name, 0, function(this)
    local c = new_cursor(set_state(this, full), kind)
    return setmetatable({[CURSOR] = c}, SetIterMT)
  end)
  local step = STEPS[kind]
  fast_iter[f] = function(s)
    return step, new_cursor(set_state(s, full), kind), 0
  end
  return f
end
local set_values = set_iter_method("values", VALUES)
rawset(SetPrototype, "keys", set_values)      -- Set.prototype.keys === values
set_iter_method("entries", ENTRIES)
rawset(SetPrototype, R.sym_iterator, set_values)
R.tag(SetPrototype, "Set")

---------------------------------------------------------------------------------------------
-- ES2025 Set methods (union, intersection, ...) over a set-like argument, and Map.groupBy,
-- Map.prototype.getOrInsert / getOrInsertComputed. They follow the spec's steps so that the
-- calls they make on the argument (size, has, keys, next) happen in its order.
local SetMT, MapMT = R.protomt(SetPrototype), R.protomt(MapPrototype)
local truthy = R.truthy

-- SetDataHas over a state
local function st_has(st, k)
  return st.idx[hkey(k)] ~= nil
end

-- A compacted copy of a Set's state.
local function st_copy(st)
  local keys, n = st.keys, st.n
  local nkeys, nidx, w = {}, {}, 0
  for i = 1, n do
    local k = keys[i]
    if k ~= HOLE then
      w = w + 1
      nkeys[w] = k
      nidx[hkey(k)] = w
    end
  end
  return {idx = nidx, keys = nkeys, n = w, size = w, curs = nil}
end

-- A new %Set% (never a subclass instance) holding state st.
local function set_from_state(st)
  local o = setmetatable({}, SetMT)
  rawset(o, SET, st)
  return o
end

local function retire(c)
  local st = c.st
  if st then
    c.st = nil
    if st.curs then st.curs[c] = nil end
  end
end

-- GetSetRecord(obj): returns obj, size (ToIntegerOrInfinity of ToNumber(size)), has, keys.
local function get_set_record(obj)
  if not isobject(obj) then type_error(describe(obj) .. " is not an object") end
  local raw = obj.size
  local num = R.tonum(raw)
  if num ~= num then type_error("The 'size' property of a set-like object must be a number, got " .. describe(raw)) end
  local int = num >= 0 and math.floor(num) or math.ceil(num)   -- ±Infinity stay; -0.5 gives -0
  if int < 0 then R.throw_error("RangeError", "'" .. R.numtostr(num) .. "' is an invalid size") end
  local has = obj.has
  if not callable(has) then type_error("The 'has' property of a set-like object must be a function") end
  local keys = obj.keys
  if not callable(keys) then type_error("The 'keys' property of a set-like object must be a function") end
  return obj, int, has, keys
end

-- The state of a genuine Set or Map whose has and keys are the built-in ones (and whose
-- iterators' next is too): then the calls the spec makes on it have no observable effect, and
-- its entries are read directly (a cursor walks them exactly as its keys iterator would).
local set_iter_next = rawget(SetIteratorPrototype, "next")
local map_iter_next = rawget(MapIteratorPrototype, "next")
local function native_state(obj, has, keys)
  if type(obj) ~= "table" then return nil end
  local st = rawget(obj, SET)
  if st then
    if has == set_has and keys == set_values and rawget(SetIteratorPrototype, "next") == set_iter_next then return st, SetIterMT end
    return nil
  end
  st = rawget(obj, MAP)
  if st and has == map_has and keys == map_keys and rawget(MapIteratorPrototype, "next") == map_iter_next then
    return st, MapIterMT
  end
  return nil
end

-- GetIteratorFromMethod(obj, keys): the iterator and its next method.
local function keys_iterator(obj, keys)
  local it = keys(obj)
  if not isobject(it) then type_error("The result of 'keys' " .. describe(it) .. " is not an object") end
  local nxt = it.next
  if not callable(nxt) then type_error(describe_callee(nxt) .. " is not a function") end
  return it, nxt
end

-- IteratorStepValue: (true, value) or false when done.
local function step_value(it, nxt)
  local r = nxt(it)
  if not isobject(r) then type_error("Iterator result " .. describe(r) .. " is not an object") end
  if truthy(r.done) then return false end
  return true, r.value
end

-- IteratorClose(iter, normal completion)
local function close_iterator(it)
  local ret = it["return"]
  if ret == nil or ret == null then return end
  if not callable(ret) then type_error(describe_callee(ret) .. " is not a function") end
  local r = ret(it)
  if not isobject(r) then type_error("Iterator result " .. describe(r) .. " is not an object") end
end

-- Closing a native walk: its iterator object, made now, may have inherited a `return`.
local function close_native(c, itmt)
  retire(c)
  close_iterator(setmetatable({[CURSOR] = c}, itmt))
end

-- The keys of the argument in its iterator's order: calls f(res, v, st) for each.
local function each_key(obj, keys, ost, f, res, st)
  if ost then
    local c = new_cursor(ost, KEYS)
    while true do
      local i = advance(c)
      if not i then break end
      f(res, ost.keys[i], st)
    end
    return
  end
  local it, nxt = keys_iterator(obj, keys)
  while true do
    local more, v = step_value(it, nxt)
    if not more then break end
    f(res, v, st)
  end
end

local function union_step(res, v)
  if v == 0 then v = 0 end
  st_add(res, v)
end
method(SetPrototype, "union", 1, function(this, other)
  local st = set_state(this, "Set.prototype.union")
  local obj, _, has, keys = get_set_record(other)
  local ost = native_state(obj, has, keys)
  if ost then
    local res = st_copy(st)
    each_key(obj, keys, ost, union_step, res)
    return set_from_state(res)
  end
  local it, nxt = keys_iterator(obj, keys)
  local res = st_copy(st)   -- after keys(): it may have changed this set
  while true do
    local more, v = step_value(it, nxt)
    if not more then break end
    union_step(res, v)
  end
  return set_from_state(res)
end)

local function intersection_step(res, v, st)
  if v == 0 then v = 0 end
  if st_has(st, v) then st_add(res, v) end
end
method(SetPrototype, "intersection", 1, function(this, other)
  local st = set_state(this, "Set.prototype.intersection")
  local obj, size, has, keys = get_set_record(other)
  local ost = native_state(obj, has, keys)
  local res = new_state(false)
  if st.size <= size then
    local c = new_cursor(st, KEYS)
    while true do
      local i = advance(c)
      if not i then break end
      local e = st.keys[i]
      local inother
      if ost then inother = st_has(ost, e) else inother = truthy(has(obj, e)) end
      if inother then st_add(res, e) end
    end
  else
    each_key(obj, keys, ost, intersection_step, res, st)
  end
  return set_from_state(res)
end)

local function difference_step(res, v)
  if v == 0 then v = 0 end
  st_delete(res, v)
end
method(SetPrototype, "difference", 1, function(this, other)
  local st = set_state(this, "Set.prototype.difference")
  local obj, size, has, keys = get_set_record(other)
  local ost = native_state(obj, has, keys)
  local res = st_copy(st)
  if st.size <= size then
    -- every element of the copy is asked about once, in order
    local list, n = res.keys, res.n
    res = new_state(false)
    for i = 1, n do
      local e = list[i]
      local inother
      if ost then inother = st_has(ost, e) else inother = truthy(has(obj, e)) end
      if not inother then st_add(res, e) end
    end
  else
    each_key(obj, keys, ost, difference_step, res)
  end
  return set_from_state(res)
end)

local function symdiff_step(res, v, st)
  if v == 0 then v = 0 end
  local in_result = st_has(res, v)
  if st_has(st, v) then
    if in_result then st_delete(res, v) end
  elseif not in_result then
    st_add(res, v)
  end
end
method(SetPrototype, "symmetricDifference", 1, function(this, other)
  local st = set_state(this, "Set.prototype.symmetricDifference")
  local obj, _, has, keys = get_set_record(other)
  local ost = native_state(obj, has, keys)
  if ost then
    local res = st_copy(st)
    each_key(obj, keys, ost, symdiff_step, res, st)
    return set_from_state(res)
  end
  local it, nxt = keys_iterator(obj, keys)
  local res = st_copy(st)   -- after keys(): it may have changed this set
  while true do
    local more, v = step_value(it, nxt)
    if not more then break end
    symdiff_step(res, v, st)
  end
  return set_from_state(res)
end)

method(SetPrototype, "isSubsetOf", 1, function(this, other)
  local st = set_state(this, "Set.prototype.isSubsetOf")
  local obj, size, has, keys = get_set_record(other)
  if st.size > size then return false end
  local ost = native_state(obj, has, keys)
  local c = new_cursor(st, KEYS)
  while true do
    local i = advance(c)
    if not i then break end
    local e = st.keys[i]
    local inother
    if ost then inother = st_has(ost, e) else inother = truthy(has(obj, e)) end
    if not inother then retire(c); return false end
  end
  return true
end)

-- Whether some key of the argument is (want == true) or is not (want == false) in st; a
-- walk that stops early closes the argument's iterator.
local function any_key(obj, keys, ost, itmt, st, want)
  if ost then
    local c = new_cursor(ost, KEYS)
    while true do
      local i = advance(c)
      if not i then return false end
      if st_has(st, ost.keys[i]) == want then close_native(c, itmt); return true end
    end
  end
  local it, nxt = keys_iterator(obj, keys)
  while true do
    local more, v = step_value(it, nxt)
    if not more then return false end
    if st_has(st, v) == want then close_iterator(it); return true end
  end
end

method(SetPrototype, "isSupersetOf", 1, function(this, other)
  local st = set_state(this, "Set.prototype.isSupersetOf")
  local obj, size, has, keys = get_set_record(other)
  if st.size < size then return false end
  local ost, itmt = native_state(obj, has, keys)
  return not any_key(obj, keys, ost, itmt, st, false)
end)

method(SetPrototype, "isDisjointFrom", 1, function(this, other)
  local st = set_state(this, "Set.prototype.isDisjointFrom")
  local obj, size, has, keys = get_set_record(other)
  local ost, itmt = native_state(obj, has, keys)
  if st.size <= size then
    local c = new_cursor(st, KEYS)
    while true do
      local i = advance(c)
      if not i then break end
      local e = st.keys[i]
      local inother
      if ost then inother = st_has(ost, e) else inother = truthy(has(obj, e)) end
      if inother then retire(c); return false end
    end
    return true
  end
  return not any_key(obj, keys, ost, itmt, st, true)
end)

-- Map.groupBy(items, callbackfn): a Map from each callback result (-0 as +0) to the array of
-- the items that produced it, keys in first-seen order.
method(Map, "groupBy", 2, function(_, items, cb)
  if items == nil or items == null then type_error("Map.groupBy called on " .. R.tostr(items)) end
  check_callback(cb)
  local groups = new_state(true)
  local idx, gkeys, gvals = groups.idx, groups.keys, groups.vals
  local k = 0
  local f, s, ctl = open_iter(items)
  -- only iterators with a `return` need closing (built-in ones have none)
  local closable = type(s) == "table" and (rawget(s, "it") ~= nil or getmetatable(s) == R.GenMT)
  while true do
    local v
    ctl, v = f(s, ctl)
    if ctl == nil then break end
    local key
    if closable then
      local ok
      ok, key = pcall(cb, nil, v, k)
      if not ok then
        pcall(R.iter_close, s)   -- IfAbruptCloseIterator: the callback's error wins
        error(key, 0)
      end
    else
      key = cb(nil, v, k)
    end
    if key == 0 then key = 0 end
    local h = hkey(key)
    local i = idx[h]
    local g
    if i then
      g = gvals[i]
    else
      g = setmetatable({length = 0}, ArrayMT)
      i = groups.n + 1
      groups.n = i
      groups.size = i
      idx[h] = i
      gkeys[i] = key
      gvals[i] = g
    end
    local len = rawget(g, "length")
    rawset(g, len, v)
    rawset(g, "length", len + 1)
    k = k + 1
  end
  local m = setmetatable({}, MapMT)
  rawset(m, MAP, groups)
  return m
end)

method(MapPrototype, "getOrInsert", 2, function(this, k, v)
  local st = map_state(this, "Map.prototype.getOrInsert")
  if k == 0 then k = 0 end
  local h = hkey(k)
  local i = st.idx[h]
  if i then return st.vals[i] end
  i = st.n + 1
  st.n = i
  st.idx[h] = i
  st.keys[i] = k
  st.vals[i] = v
  st.size = st.size + 1
  return v
end)

method(MapPrototype, "getOrInsertComputed", 2, function(this, k, cb)
  local st = map_state(this, "Map.prototype.getOrInsertComputed")
  check_callback(cb)
  if k == 0 then k = 0 end
  local h = hkey(k)
  local i = st.idx[h]
  if i then return st.vals[i] end
  local v = cb(nil, k)
  -- the callback may have added the key (or cleared or compacted the map): look again
  i = st.idx[h]
  if i then st.vals[i] = v; return v end
  i = st.n + 1
  st.n = i
  st.idx[h] = i
  st.keys[i] = k
  st.vals[i] = v
  st.size = st.size + 1
  return v
end)

---------------------------------------------------------------------------------------------
-- WeakMap / WeakSet: weak-keyed Lua tables keyed by the object itself. LuaJIT has no
-- ephemerons, so an entry whose value refers back to its key is never collected.
local WeakMapPrototype = setmetatable({}, ObjectMT)
local WeakSetPrototype = setmetatable({}, ObjectMT)
R.WeakMapPrototype, R.WeakSetPrototype = WeakMapPrototype, WeakSetPrototype

local function wm_table(this, name)
  local t = type(this) == "table" and rawget(this, WMAP)
  if not t then t = moved_state(this, WMAP, name) end
  return t
end
local function ws_table(this, name)
  local t = type(this) == "table" and rawget(this, WSET)
  if not t then t = moved_state(this, WSET, name) end
  return t
end

-- CanBeHeldWeakly: objects and symbols that are not in the Symbol.for registry.
local key_for   -- the original Symbol.keyFor, found on first use (ljs.symbol may load later)
local function can_be_held_weakly(v)
  if isobject(v) then return true end
  if type(v) == "table" and getmetatable(v) == R.SymbolMT then
    if key_for == nil then
      local Sym = rawget(R.G, "Symbol")
      local fp = Sym and R.fprops[Sym]
      key_for = fp and rawget(fp, "keyFor") or false
    end
    return not key_for or key_for(nil, v) == nil
  end
  return false
end
R.can_be_held_weakly = can_be_held_weakly

local function wm_set(this, k, v)
  local t = wm_table(this, "WeakMap.prototype.set")
  if not can_be_held_weakly(k) then type_error("Invalid value used as weak map key") end
  if v == nil then v = UNDEFVAL end
  t[k] = v
  return this
end

local function ws_add(this, k)
  local t = ws_table(this, "WeakSet.prototype.add")
  if not can_be_held_weakly(k) then type_error("Invalid value used in weak set") end
  t[k] = true
  return this
end

local function WeakMap(this, iterable)
  if not R.constructing(this, WeakMapPrototype) then type_error("Constructor WeakMap requires 'new'") end
  rawset(this, WMAP, setmetatable({}, WEAKK))
  if iterable ~= nil and iterable ~= null then fill(this, iterable, get_adder(this, "set", "WeakMap"), true) end
end
R.ctor("WeakMap", 0, WeakMap, WeakMapPrototype)

method(WeakMapPrototype, "get", 1, function(this, k)
  local t = wm_table(this, "WeakMap.prototype.get")
  if k == nil then return nil end
  local v = t[k]
  if v == UNDEFVAL then return nil end
  return v
end)
method(WeakMapPrototype, "set", 2, wm_set)
method(WeakMapPrototype, "has", 1, function(this, k)
  local t = wm_table(this, "WeakMap.prototype.has")
  return k ~= nil and t[k] ~= nil
end)
method(WeakMapPrototype, "delete", 1, function(this, k)
  local t = wm_table(this, "WeakMap.prototype.delete")
  if k == nil or t[k] == nil then return false end
  t[k] = nil
  return true
end)
method(WeakMapPrototype, "getOrInsert", 2, function(this, k, v)
  local t = wm_table(this, "WeakMap.prototype.getOrInsert")
  if not can_be_held_weakly(k) then type_error("Invalid value used as weak map key") end
  local old = t[k]
  if old ~= nil then
    if old == UNDEFVAL then return nil end
    return old
  end
  if v == nil then t[k] = UNDEFVAL else t[k] = v end
  return v
end)
method(WeakMapPrototype, "getOrInsertComputed", 2, function(this, k, cb)
  local t = wm_table(this, "WeakMap.prototype.getOrInsertComputed")
  if not can_be_held_weakly(k) then type_error("Invalid value used as weak map key") end
  check_callback(cb)
  local old = t[k]
  if old ~= nil then
    if old == UNDEFVAL then return nil end
    return old
  end
  local v = cb(nil, k)
  if v == nil then t[k] = UNDEFVAL else t[k] = v end
  return v
end)
R.tag(WeakMapPrototype, "WeakMap")

local function WeakSet(this, iterable)
  if not R.constructing(this, WeakSetPrototype) then type_error("Constructor WeakSet requires 'new'") end
  rawset(this, WSET, setmetatable({}, WEAKK))
  if iterable ~= nil and iterable ~= null then fill(this, iterable, get_adder(this, "add", "WeakSet"), false) end
end
R.ctor("WeakSet", 0, WeakSet, WeakSetPrototype)

method(WeakSetPrototype, "add", 1, ws_add)
method(WeakSetPrototype, "has", 1, function(this, k)
  local t = ws_table(this, "WeakSet.prototype.has")
  return k ~= nil and t[k] ~= nil
end)
method(WeakSetPrototype, "delete", 1, function(this, k)
  local t = ws_table(this, "WeakSet.prototype.delete")
  if k == nil or t[k] == nil then return false end
  t[k] = nil
  return true
end)
R.tag(WeakSetPrototype, "WeakSet")

---------------------------------------------------------------------------------------------
-- Hooks for console.log / util.inspect

-- "Map" / "Set" / "WeakMap" / "WeakSet" for collections, else nil.
local state_of = R.private_state

function R.coll_kind(o)
  if type(o) ~= "table" then return nil end
  if state_of(o, MAP) then return "Map" end
  if state_of(o, SET) then return "Set" end
  if state_of(o, WMAP) then return "WeakMap" end
  if state_of(o, WSET) then return "WeakSet" end
  return nil
end

-- Lua iterator over (key, value) in insertion order (value = key for a Set). An undefined key
-- would end a generic for, so it is passed as R.coll_undefined; the weak kinds iterate in no
-- particular order.
local COLL_UNDEF = setmetatable({}, {__tostring = function() return "undefined" end})
R.coll_undefined = COLL_UNDEF
function R.coll_each(o)
  local st = type(o) == "table" and (state_of(o, MAP) or state_of(o, SET))
  if st then
    local c = new_cursor(st, ENTRIES)
    return function()
      local i = advance(c)
      if not i then return nil end
      local k = st.keys[i]
      if k == nil then k = COLL_UNDEF end
      if st.vals then return k, st.vals[i] end
      return k, k
    end
  end
  local t = type(o) == "table" and (state_of(o, WMAP) or state_of(o, WSET))
  if t then
    local is_set = state_of(o, WSET) ~= nil
    local k = nil
    return function()
      local v
      k, v = next(t, k)
      if k == nil then return nil end
      if is_set then return k, k end
      if v == UNDEFVAL then v = nil end
      return k, v
    end
  end
  return function() return nil end
end

-- Entry count of a Map or Set (nil for other values).
function R.coll_size(o)
  local st = type(o) == "table" and (state_of(o, MAP) or state_of(o, SET))
  return st and st.size or nil
end

return R
