-- ljs.array: the Array constructor, Array.prototype and array iterators.
--
-- Arrays are tables {[0]=a, b, c, length=3} with an array-kind metatable (see ljs.core). A nil
-- slot below `length` is a hole; undefined elements are holes too (both are nil), so the
-- methods that skip holes in JS (forEach, map, filter, reduce, some, every, indexOf, sort's
-- placement) skip nil slots, and the ones that read holes as undefined (find, includes, join,
-- iterators) see nil. A callback that shortens the array makes the indices past its new length
-- holes for the rest of the loop, as they are in JS.
--
-- Every method first asks `isfast(this)`: a plain array whose elements are all raw table slots.
-- Those are worked on directly with rawget/rawset. Anything else (frozen arrays, arrays with
-- accessor elements, array-likes, strings, typed arrays passed through .call) is copied into a
-- plain array first; mutators then write the result back through ordinary property stores, so
-- read-only elements still throw as in JS.
local R = require("ljs.core")
local HOLES = R.HOLES

local type, rawget, rawset, getmetatable, setmetatable, select, error, pcall =
      type, rawget, rawset, getmetatable, setmetatable, select, error, pcall
local floor = math.floor
local concat = table.concat
local gmatch = string.gmatch

local tnew
do
  local ok, f = pcall(require, "table.new")
  tnew = ok and f or function() return {} end
end

local null, SHAPE, ArrayMT, ObjectMT = R.null, R.SHAPE, R.ArrayMT, R.ObjectMT
local tostr, tonum, numtostr, truthy, isobject = R.tostr, R.tonum, R.numtostr, R.truthy, R.isobject
local type_error, throw_error, isarray = R.type_error, R.throw_error, R.isarray
local sym_iterator = R.sym_iterator
local AP = R.ArrayPrototype
-- Array.prototype is an Array exotic object of length 0 (R.isarray knows it), with its methods in
-- an ordinary table: arrays find them through ArrayMT.__index, and an array's layout there would
-- cost every method lookup
R.hidden(AP, "length", 0)

-- Array.prototype inherits from Object.prototype (hasOwnProperty, toString fallbacks, ...).
if getmetatable(AP) == nil then R.setproto(AP, R.ObjectPrototype) end

-- The iteration module owns R.fast_iter and R.iter_result; load it when nobody has yet so that
-- our fast paths land in its table rather than in one it would replace.
if R.fast_iter == nil then pcall(require, "ljs.iteration") end
local fast_iter = R.fast_iter
if fast_iter == nil then
  fast_iter = setmetatable({}, {__mode = "k"})
  R.fast_iter = fast_iter
end

local RESULT_SHAPE = R.shape({"value", "done"})
local function iter_result_fallback(v, d)
  return (setmetatable({value = v, done = d, ["\255"] = RESULT_SHAPE}, ObjectMT))
end

---------------------------------------------------------------------------------------------
-- Helpers

-- A plain array: array-kind metatable and no slow (accessor / read-only / frozen) properties.
local function isfast(a)
  local mt = getmetatable(a)
  return mt ~= nil and mt.kind == "array" and not mt.ownslow and type(a) == "table"
end
R.array_isfast = isfast

-- A new array from a table already holding its elements at 0..n-1.
local function mkarr(t, n)
  rawset(t, "length", n)
  return (setmetatable(t, ArrayMT))
end

-- t (0..n-1), copied out of holey array a: its nil slots are holes too
local function keep_holes(t, n, a)
  if rawget(a, HOLES) then
    for i = 0, n - 1 do
      if t[i] == nil then t[HOLES] = true; break end
    end
  end
  return t
end

-- ToLength
local function tolength(v)
  if type(v) ~= "number" then v = tonum(v) end
  if not (v > 0) then return 0 end
  if v >= 9007199254740991 then return 9007199254740991 end
  return (floor(v))
end
R.tolength = tolength

-- ToIntegerOrInfinity
local function tointeger(v)
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v then return 0 end
  if v >= 0 then return (floor(v)) end
  return -floor(-v)
end

-- A relative index argument (slice, splice, fill, ...) clamped into [0, n]; nil gives `default`.
local function relindex(v, n, default)
  if v == nil then return default end
  local k = tointeger(v)
  if k < 0 then
    k = k + n
    if k < 0 then return 0 end
    return k
  end
  if k > n then return n end
  return k
end

-- A plain-array copy of an array-like `o` (what the generic methods work on).
local function snapshot(o, name)
  if o == nil or o == null then type_error("Array.prototype." .. name .. " called on null or undefined") end
  local t = type(o)
  local n = 0
  if t == "table" or t == "function" or t == "string" then n = tolength(o.length) end
  local a = tnew(n, 1)
  local holes, undef = false, false
  for i = 0, n - 1 do
    local v = o[i]
    a[i] = v
    if v == nil and t ~= "string" then
      if R.has(o, i) then undef = true else holes = true end
    end
  end
  -- an index the array-like lacks is a hole, which the hole-skipping methods pass over; one
  -- flag tells them apart from undefined elements, so an array-like with both keeps them all
  if holes and not undef then a[HOLES] = true end
  return (mkarr(a, n))
end

-- `this` itself when it is a plain array, else a plain copy.
local function view(this, name)
  if isfast(this) then return this end
  return (snapshot(this, name))
end

-- What the methods' stores and deletes throw on a non-extensible, sealed or frozen array, in
-- sloppy code too (their Set and DeletePropertyOrThrow always throw).
local function cannot_add(i) type_error("Cannot add property " .. i .. ", object is not extensible") end
local function cannot_delete(i) type_error("Cannot delete property '" .. i .. "' of [object Array]") end

-- Write the state of plain array `a` back into `o` through JS property stores, touching only
-- what changed (a mutator applied to a frozen array throws only if it changes something), or,
-- with `all`, storing every element `a` has, as sort does.
local function writeback(o, a, all)
  local n = rawget(a, "length")
  local old = tolength(o.length)
  local mt = getmetatable(o)
  local locked = type(o) == "table" and mt and mt.frozen   -- non-extensible, sealed or frozen
  if locked and n > old and not R.hasown(o, old) then
    cannot_add(old)
  end
  for i = 0, n - 1 do
    local v, w = rawget(a, i), o[i]
    if w ~= v and (w == w or v == v) or all and v ~= nil then   -- changed (NaN stays NaN)
      if locked then
        if mt.fully_frozen then type_error("Cannot assign to read only property '" .. i .. "' of object '" .. R.descr(o) .. "'") end
        if v == nil and mt.sealed then cannot_delete(i) end
        if w == nil and not R.hasown(o, i) then cannot_add(i) end
      end
      if v == nil then R.delete(o, i) else R.put(o, i, v) end
    end
  end
  for i = n, old - 1 do
    if o[i] ~= nil then
      if locked and mt.sealed then cannot_delete(i) end
      R.delete(o, i)
    end
  end
  if n ~= old then
    if mt and mt.fully_frozen then type_error("Cannot assign to read only property 'length' of object '[object Array]'") end
    R.put(o, "length", n)
  end
end

local function fn_descr(v)
  if type(v) == "string" then return v end
  if isarray(v) then return "[object Array]" end
  if isobject(v) then return (R.descr(v)) end
  return (tostr(v))
end

local iscallable = R.iscallable

local function checkfn(f)
  if type(f) ~= "function" and not iscallable(f) then type_error(fn_descr(f) .. " is not a function") end
end
R.array_checkfn = checkfn

local function def(name, len, f) return (R.method(AP, name, len, f)) end

-- A mutator: `impl(a, ...)` works on a plain array; other receivers go through a copy and a
-- write-back. impl returning its array means "return this".
local function mutator(name, len, impl, all)
  return (def(name, len, function(this, ...)
    if isfast(this) then return (impl(this, ...)) end
    local a = snapshot(this, name)
    local r = impl(a, ...)
    writeback(this, a, all and rawget(a, "length") >= 2)
    if r == a then return this end
    return r
  end))
end

---------------------------------------------------------------------------------------------
-- Stable merge sort over a 1-based Lua table t[lo..hi], one instance per comparison kind so
-- each comparison compiles to straight-line code (a shared comparator argument would make
-- every call site polymorphic). tmp is scratch space of the same size.
local SORT_SRC = [[
local floor, ult, ngt = ...
local function insertion(t, lo, hi, f)
  for i = lo + 1, hi do
    local x = t[i]
    local j = i - 1
    while j >= lo do
      local y = t[j]
      if not (GT(y, x)) then break end
      t[j + 1] = y
      j = j - 1
    end
    t[j + 1] = x
  end
end
local function msort(t, tmp, lo, hi, f)
  if hi - lo < 12 then return (insertion(t, lo, hi, f)) end
  local mid = lo + floor((hi - lo) / 2)
  msort(t, tmp, lo, mid, f)
  msort(t, tmp, mid + 1, hi, f)
  local x, y = t[mid], t[mid + 1]
  if not (GT(x, y)) then return end   -- halves already in order
  for i = lo, mid do tmp[i] = t[i] end
  local i, j, k = lo, mid + 1, lo
  while i <= mid and j <= hi do
    x, y = tmp[i], t[j]
    if GT(x, y) then t[k] = y; j = j + 1 else t[k] = x; i = i + 1 end
    k = k + 1
  end
  while i <= mid do t[k] = tmp[i]; i = i + 1; k = k + 1 end
end
return msort
]]

-- A user comparator says "y before x" when f(y, x), as a number, is < 0 (NaN counts as 0).
-- Asked that way round, as V8 asks it (the element being placed first), a comparator that is
-- not consistent, such as (a, b) => a > b, which is never negative, moves nothing here either.
local function ult(f, y, x)
  local r = f(nil, y, x)
  if type(r) ~= "number" then r = tonum(r) end
  return r < 0
end

-- Numeric order for typed arrays: -0 before +0, NaN last.
local function ngt(x, y)
  if x > y then return true end
  if x ~= x then return y == y end
  return x == 0 and y == 0 and 1 / x > 1 / y
end

local function make_sort(gt)
  local src = SORT_SRC:gsub("GT%((%a), (%a)%)", function(a, b) return (gt:gsub("A", a):gsub("B", b)) end)
  return assert(loadstring(src, "=ljs.array.sort"))(floor, ult, ngt)
end
local msort_user = make_sort("ult(f, B, A)")   -- f: the JS comparator
local msort_str = make_sort("A > B")            -- all elements strings
local msort_key = make_sort("f[A] > f[B]")      -- elements are indices into key table f
local msort_num = make_sort("ngt(A, B)")        -- numbers, typed-array order
R.array_msort_user, R.array_msort_num = msort_user, msort_num

local function check_comparator(cmp)
  if cmp ~= nil and not iscallable(cmp) then
    type_error("The comparison function must be either a function or undefined")
  end
end

local function sort_impl(a, cmp)
  check_comparator(cmp)
  local n = rawget(a, "length")
  local t, m = tnew(n, 0), 0
  local allstr = true
  for i = 0, n - 1 do
    local v = rawget(a, i)
    if v ~= nil then
      m = m + 1; t[m] = v
      if type(v) ~= "string" then allstr = false end
    end
  end
  if m > 1 then
    if cmp ~= nil then
      msort_user(t, tnew(m, 0), 1, m, cmp)
    elseif allstr then
      msort_str(t, tnew(m, 0), 1, m)
    else
      -- default order compares ToString of each element: convert once, sort positions
      local keys, idx = tnew(m, 0), tnew(m, 0)
      for i = 1, m do keys[i] = tostr(t[i]); idx[i] = i end
      msort_key(idx, tnew(m, 0), 1, m, keys)
      for i = 1, m do rawset(a, i - 1, t[idx[i]]) end
      for i = m, n - 1 do rawset(a, i, nil) end
      return a
    end
  end
  -- undefined and holes go last
  for i = 1, m do rawset(a, i - 1, t[i]) end
  for i = m, n - 1 do rawset(a, i, nil) end
  return a
end

---------------------------------------------------------------------------------------------
-- Array iterators (keys / values / entries): JS objects with next(); the state lives under
-- private keys so no JS property can see or clash with it.
local IT_A, IT_I, IT_K = {}, {}, {}
local K_KEYS, K_VALUES, K_ENTRIES = 1, 2, 3

local ArrayIteratorPrototype = setmetatable({}, R.protomt(R.IteratorPrototype or R.ObjectPrototype))
R.ArrayIteratorPrototype = ArrayIteratorPrototype
local ArrayIteratorMT = R.protomt(ArrayIteratorPrototype)
R.tag(ArrayIteratorPrototype, "Array Iterator")

local function make_iterator(a, kind)
  return (setmetatable({[IT_A] = a, [IT_I] = 0, [IT_K] = kind}, ArrayIteratorMT))
end
-- Typed arrays share these iterators (ljs.typedarray).
R.array_iterator = make_iterator
R.ITER_KEYS, R.ITER_VALUES, R.ITER_ENTRIES = K_KEYS, K_VALUES, K_ENTRIES

local function pair(i, v)
  return (setmetatable({[0] = i, v, length = 2}, ArrayMT))
end

-- One step of an iterator object: the next (position, value), or nil when exhausted.
-- Length is re-read each step (JS sees elements pushed during iteration).
local function iterobj_step(it)
  local a = rawget(it, IT_A)
  if not a then return nil end
  local i = rawget(it, IT_I)
  local n = a.length
  if type(n) ~= "number" then n = tolength(n) end
  if i >= n then rawset(it, IT_A, false); return nil end
  rawset(it, IT_I, i + 1)
  local kind = rawget(it, IT_K)
  if kind == K_VALUES then return i + 1, a[i] end
  if kind == K_KEYS then return i + 1, i end
  return i + 1, pair(i, a[i])
end

R.method(ArrayIteratorPrototype, "next", 0, function(this)
  if type(this) ~= "table" or rawget(this, IT_I) == nil then
    type_error("next method called on incompatible receiver " .. fn_descr(this))
  end
  local make = R.iter_result or iter_result_fallback
  local c, v = iterobj_step(this)
  if c == nil then return (make(nil, true)) end
  return (make(v, false))
end)

local iterator_self = R.method(ArrayIteratorPrototype, sym_iterator, 0, function(this) return this end)

-- for-of over an iterator object: step it without making result objects. Anything else that
-- inherited this method goes through next().
local function protocol_step(it, c)
  local r = it:next()
  if not isobject(r) then type_error("Iterator result " .. tostr(r) .. " is not an object") end
  if truthy(r.done) then return nil end
  return c + 1, r.value
end
fast_iter[iterator_self] = function(it)
  if type(it) == "table" and rawget(it, IT_I) ~= nil then return iterobj_step, it, 0 end
  return protocol_step, it, 0
end

-- for-of over an array itself: index stepping, length re-read each step.
local function array_step(a, i)
  i = i + 1
  if i < rawget(a, "length") then return i, rawget(a, i) end
end
local function generic_step(a, i)
  i = i + 1
  local n = a.length
  if type(n) ~= "number" then n = tolength(n) end
  if i < n then return i, a[i] end
end

---------------------------------------------------------------------------------------------
-- Collecting iterables (Array.from, typed array constructors)

-- The @@iterator method of v, or nil.
local function iterator_method(v)
  local t = type(v)
  if t == "table" then
    if v == null then return nil end
  elseif t ~= "string" and t ~= "function" then
    return nil
  end
  local m = v[sym_iterator]
  if m == null then return nil end
  return m
end

-- A new plain array holding the values that iterating v with method m yields.
local function collect(v, m)
  if isfast(v) and m == rawget(AP, "values") then
    local n = rawget(v, "length")
    local a = tnew(n, 1)
    for i = 0, n - 1 do a[i] = rawget(v, i) end
    return (mkarr(a, n))
  end
  local f, s, c
  local fi = fast_iter[m]
  if fi then
    f, s, c = fi(v)
  elseif R.iter then
    f, s, c = R.iter(v)
  else
    local it = m(v)
    if not isobject(it) then type_error("Result of the Symbol.iterator method is not an object") end
    f, s, c = protocol_step, it, 0
  end
  local a, k = {}, 0
  for _, x in f, s, c do a[k] = x; k = k + 1 end
  return (mkarr(a, k))
end

-- Code points of a UTF-8 string (string iteration when no string module provides it).
local function string_chars(s)
  local a, k = {}, 0
  for ch in gmatch(s, "[%z\1-\127\192-\255][\128-\191]*") do a[k] = ch; k = k + 1 end
  return (mkarr(a, k))
end

-- Values of an iterable or array-like as a fresh plain array.
local function to_list(items)
  if items == nil or items == null then
    type_error((items == nil and "undefined" or "object null") .. " is not iterable (cannot read property Symbol(Symbol.iterator))")
  end
  local m = iterator_method(items)
  if m ~= nil then
    if not R.iscallable(m) then
      type_error("%Array%.from requires that the property of the first argument, items[Symbol.iterator], when exists, be a function")
    end
    return (collect(items, m))
  end
  if type(items) == "string" then return (string_chars(items)) end
  local a = snapshot(items, "from")
  rawset(a, HOLES, nil)   -- a missing index is read as undefined
  return a
end
R.array_from_list = to_list

---------------------------------------------------------------------------------------------
-- The constructor

local function Array(this, ...)
  local a = this
  local mt = getmetatable(this)
  -- `new Array` (or a subclass's super call) hands us an empty array-kind object to fill in
  if type(this) ~= "table" or mt == nil or mt.kind ~= "array" or (rawget(this, "length") or 0) ~= 0 then
    a = nil
  end
  local argc = select("#", ...)
  if argc == 1 then
    local n = ...
    if type(n) == "number" then
      if n < 0 or n ~= floor(n) or n >= 4294967296 then throw_error("RangeError", "Invalid array length") end
      if a == nil then a = mkarr(tnew(n < 1024 and n or 1024, 1), n) else rawset(a, "length", n) end
      if n > 0 then rawset(a, HOLES, true) end
      return a
    end
  end
  if a == nil then a = tnew(argc, 1); setmetatable(a, ArrayMT) end
  for i = 1, argc do rawset(a, i - 1, (select(i, ...))) end
  rawset(a, "length", argc)
  return a
end
R.ctor("Array", 1, Array, AP)
R.Array = Array

R.method(Array, "isArray", 1, function(_, v)
  local mt = type(v) == "table" and getmetatable(v)
  while mt and mt.proxy do v = mt.target; mt = type(v) == "table" and getmetatable(v) end   -- a proxy of an array is one
  return (isarray(v))
end)

R.method(Array, "of", 0, function(_, ...)
  local n = select("#", ...)
  local a = tnew(n, 1)
  for i = 1, n do a[i - 1] = (select(i, ...)) end
  return (mkarr(a, n))
end)

-- With mapfn, each value is mapped as it is read (the iterator's next step comes after the
-- call, and an exception in mapfn closes the iterator), as the spec's loop does.
R.method(Array, "from", 1, function(_, items, mapfn, thisArg)
  if mapfn == nil then return to_list(items) end
  checkfn(mapfn)
  if items ~= nil and items ~= null and iterator_method(items) ~= nil then
    local f, s, c = R.iter(items)
    local a, k = {}, 0
    for _, x in f, s, c do
      local ok, v = pcall(mapfn, thisArg, x, k)
      if not ok then pcall(R.iter_close, s); error(v, 0) end
      a[k] = v
      k = k + 1
    end
    return (mkarr(a, k))
  end
  local a = to_list(items)
  for i = 0, rawget(a, "length") - 1 do rawset(a, i, mapfn(thisArg, rawget(a, i), i)) end
  return a
end)

---------------------------------------------------------------------------------------------
-- Adding and removing at the ends

def("push", 1, function(this, ...)
  local mt = getmetatable(this)
  if mt and mt.kind == "array" and not mt.ownslow then
    local n = rawget(this, "length")
    local c = select("#", ...)
    if c == 1 then   -- the hot case
      rawset(this, n, (...))
      n = n + 1
      rawset(this, "length", n)
      return n
    end
    if c > 8 then   -- select(i, ...) copies the rest: quadratic for a spread of a big array
      local args = {...}
      for i = 1, c do rawset(this, n, args[i]); n = n + 1 end
    else
      for i = 1, c do rawset(this, n, (select(i, ...))); n = n + 1 end
    end
    rawset(this, "length", n)
    return n
  end
  if this == nil or this == null then type_error("Array.prototype.push called on null or undefined") end
  local n = tolength(this.length)
  if select("#", ...) > 0 and type(this) == "table" and mt and mt.frozen and not R.hasown(this, n) then
    cannot_add(n)   -- thrown in sloppy code too
  end
  local ld = select("#", ...) > 0 and mt and mt.kind == "array" and mt.ownslow and rawget(this, R.SLOW).length
  if ld and not ld.writable then   -- (so is a length defined read-only)
    type_error("Cannot assign to read only property 'length' of object '[object Array]'")
  end
  for i = 1, select("#", ...) do R.put(this, n, (select(i, ...))); n = n + 1 end
  R.put(this, "length", n)
  return n
end)

def("pop", 0, function(this)
  if isfast(this) then
    local n = rawget(this, "length")
    if n == 0 then return nil end
    n = n - 1
    local v = rawget(this, n)
    rawset(this, n, nil)
    rawset(this, "length", n)
    return v
  end
  if this == nil or this == null then type_error("Array.prototype.pop called on null or undefined") end
  local n = tolength(this.length)
  if n == 0 then R.put(this, "length", 0); return nil end
  local mt = getmetatable(this)
  if type(this) == "table" and mt and mt.sealed then cannot_delete(n - 1) end
  local v = this[n - 1]
  R.delete(this, n - 1)
  R.put(this, "length", n - 1)
  return v
end)

mutator("shift", 0, function(a)
  local n = rawget(a, "length")
  if n == 0 then return nil end
  local v = rawget(a, 0)
  for i = 1, n - 1 do rawset(a, i - 1, rawget(a, i)) end
  rawset(a, n - 1, nil)
  rawset(a, "length", n - 1)
  return v
end)

mutator("unshift", 1, function(a, ...)
  local n = rawget(a, "length")
  local c = select("#", ...)
  if c == 0 then return n end
  for i = n - 1, 0, -1 do rawset(a, i + c, rawget(a, i)) end
  for i = 1, c do rawset(a, i - 1, (select(i, ...))) end
  rawset(a, "length", n + c)
  return n + c
end)

-- splice on a plain array; also serves toSpliced on a copy.
local function splice_impl(a, ...)
  local n = rawget(a, "length")
  local argc = select("#", ...)
  local start = relindex((...), n, 0)
  local dc
  if argc == 0 then
    dc = 0
  elseif argc == 1 then
    dc = n - start
  else
    dc = tointeger((select(2, ...)))
    if dc < 0 then dc = 0 elseif dc > n - start then dc = n - start end
  end
  local ic = argc > 2 and argc - 2 or 0
  local removed = tnew(dc, 1)
  for i = 0, dc - 1 do removed[i] = rawget(a, start + i) end
  keep_holes(removed, dc, a)
  local delta = ic - dc
  if delta < 0 then
    for i = start + dc, n - 1 do rawset(a, i + delta, rawget(a, i)) end
    for i = n + delta, n - 1 do rawset(a, i, nil) end
  elseif delta > 0 then
    for i = n - 1, start + dc, -1 do rawset(a, i + delta, rawget(a, i)) end
  end
  for j = 1, ic do rawset(a, start + j - 1, (select(j + 2, ...))) end
  rawset(a, "length", n + delta)
  return (mkarr(removed, dc))
end
mutator("splice", 2, splice_impl)

---------------------------------------------------------------------------------------------
-- Reordering and filling

local function reverse_impl(a)
  local n = rawget(a, "length")
  local i, j = 0, n - 1
  while i < j do
    local x, y = rawget(a, i), rawget(a, j)
    rawset(a, i, y); rawset(a, j, x)
    i = i + 1; j = j - 1
  end
  return a
end
-- sort and reverse store every element back, changed or not (a frozen array throws even when
-- in order), except that V8 leaves an array of fewer than 2 elements alone
mutator("reverse", 0, reverse_impl, true)
mutator("sort", 1, sort_impl, true)

mutator("fill", 1, function(a, v, s, e)
  local n = rawget(a, "length")
  local from, to = relindex(s, n, 0), relindex(e, n, n)
  for i = from, to - 1 do rawset(a, i, v) end
  if from == 0 and to >= n then rawset(a, HOLES, nil) end   -- every slot is now an element
  return a
end)

mutator("copyWithin", 2, function(a, target, s, e)
  local n = rawget(a, "length")
  local to, from, fin = relindex(target, n, 0), relindex(s, n, 0), relindex(e, n, n)
  local count = fin - from
  if n - to < count then count = n - to end
  if count <= 0 then return a end
  if from < to and to < from + count then
    for i = count - 1, 0, -1 do rawset(a, to + i, rawget(a, from + i)) end
  else
    for i = 0, count - 1 do rawset(a, to + i, rawget(a, from + i)) end
  end
  return a
end)

---------------------------------------------------------------------------------------------
-- Copying

-- A plain copy of elements 0..n-1 (holes stay nil).
local function copy(a)
  local n = rawget(a, "length")
  local r = tnew(n, 1)
  for i = 0, n - 1 do r[i] = rawget(a, i) end
  return (mkarr(r, n))
end

def("slice", 2, function(this, s, e)
  local a = view(this, "slice")
  local n = rawget(a, "length")
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin - k
  if m < 0 then m = 0 end
  local r = tnew(m, 1)
  for i = 0, m - 1 do r[i] = rawget(a, k + i) end
  return (mkarr(keep_holes(r, m, a), m))
end)

-- Append x to r at k (spreading arrays, holes kept); returns the next free index.
local function concat_add(r, k, x)
  -- Symbol.isConcatSpreadable decides; by default arrays spread and other values do not
  local spread = isarray(x)
  local sym = R.sym_isConcatSpreadable
  if sym and (type(x) == "table" and x ~= null or type(x) == "function") then
    local s = x[sym]
    if s ~= nil then spread = R.truthy(s) end
  end
  if not spread then r[k] = x; return k + 1 end
  if not isarray(x) then
    local m = R.tonum(x.length)
    for i = 0, m - 1 do r[k + i] = x[i] end
    return k + m
  end
  local b = view(x, "concat")
  local m = rawget(b, "length")
  if rawget(b, HOLES) then r[HOLES] = true end
  for i = 0, m - 1 do r[k + i] = rawget(b, i) end
  return k + m
end

def("concat", 1, function(this, ...)
  if this == nil or this == null then type_error("Array.prototype.concat called on null or undefined") end
  local r = {}
  local k = concat_add(r, 0, this)
  for j = 1, select("#", ...) do k = concat_add(r, k, (select(j, ...))) end
  return (mkarr(r, k))
end)

local function flatten_into(r, k, a, depth)
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if v ~= nil or rawget(a, HOLES) == nil then
      if depth > 0 and isarray(v) then
        k = flatten_into(r, k, view(v, "flat"), depth - 1)
      else
        r[k] = v
        k = k + 1
      end
    end
  end
  return k
end

def("flat", 0, function(this, depth)
  local a = view(this, "flat")
  local d = 1
  if depth ~= nil then d = tointeger(depth) end
  local r = {}
  return (mkarr(r, flatten_into(r, 0, a, d)))
end)

def("flatMap", 1, function(this, f, thisArg)
  local a = view(this, "flatMap")
  checkfn(f)
  local r, k = {}, 0
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length") then
      local x = f(thisArg, v, i, this)
      if isarray(x) then k = flatten_into(r, k, view(x, "flatMap"), 0) else r[k] = x; k = k + 1 end
    end
  end
  return (mkarr(r, k))
end)

def("toReversed", 0, function(this) return (reverse_impl(copy(view(this, "toReversed")))) end)
def("toSorted", 1, function(this, cmp)
  check_comparator(cmp)
  return (sort_impl(copy(view(this, "toSorted")), cmp))
end)
def("toSpliced", 2, function(this, ...)
  local a = copy(view(this, "toSpliced"))
  splice_impl(a, ...)
  return a
end)
def("with", 2, function(this, index, v)
  local a = copy(view(this, "with"))
  local n = rawget(a, "length")
  local k = tointeger(index)
  if k < 0 then k = k + n end
  if k < 0 or k >= n then throw_error("RangeError", "Invalid index : " .. tostr(index)) end
  rawset(a, k, v)
  return a
end)

---------------------------------------------------------------------------------------------
-- Iterating with callbacks: f(thisArg, element, index, array). The length is read once; the
-- elements are read live, so changes made by the callback are seen.

def("forEach", 1, function(this, f, thisArg)
  local a = view(this, "forEach")
  checkfn(f)
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length") then f(thisArg, v, i, this) end
  end
  return nil   -- JS calls yield exactly one value, even as the last argument of another call
end)

-- ArraySpeciesCreate: a subclass's map/filter/slice/flat/flatMap return instances of the subclass
local function species_result(this, r)
  if type(this) ~= "table" or getmetatable(this) == ArrayMT or not R.isarray(this) then return r end
  local C = this.constructor
  if R.isobject(C) and C ~= R.G.Array then
    local S = C[R.sym_species]
    if S == null then S = nil end
    if S ~= nil and S ~= R.G.Array then
      local o = R.new(S, 0)
      local n = rawget(r, "length")
      for i = 0, n - 1 do R.put(o, i, rawget(r, i)) end
      R.put(o, "length", n)
      return o
    end
  end
  return r
end
R.species_result = species_result

def("map", 1, function(this, f, thisArg)
  local a = view(this, "map")
  checkfn(f)
  local n = rawget(a, "length")
  local r = tnew(n, 1)
  for i = 0, n - 1 do
    local v = rawget(a, i)
    if v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length") then r[i] = f(thisArg, v, i, this) end
  end
  if rawget(a, HOLES) or rawget(a, "length") < n then r[HOLES] = true end
  return (mkarr(r, n))
end)

def("filter", 1, function(this, f, thisArg)
  local a = view(this, "filter")
  checkfn(f)
  local r, k = {}, 0
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if (v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length")) and truthy(f(thisArg, v, i, this)) then r[k] = v; k = k + 1 end
  end
  return (mkarr(r, k))
end)

def("some", 1, function(this, f, thisArg)
  local a = view(this, "some")
  checkfn(f)
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if (v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length")) and truthy(f(thisArg, v, i, this)) then return true end
  end
  return false
end)

def("every", 1, function(this, f, thisArg)
  local a = view(this, "every")
  checkfn(f)
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if (v ~= nil or rawget(a, HOLES) == nil and i < rawget(a, "length")) and not truthy(f(thisArg, v, i, this)) then return false end
  end
  return true
end)

-- find family: holes are visited as undefined.
def("find", 1, function(this, f, thisArg)
  local a = view(this, "find")
  checkfn(f)
  for i = 0, rawget(a, "length") - 1 do
    local v = rawget(a, i)
    if truthy(f(thisArg, v, i, this)) then return v end
  end
  return nil
end)

def("findIndex", 1, function(this, f, thisArg)
  local a = view(this, "findIndex")
  checkfn(f)
  for i = 0, rawget(a, "length") - 1 do
    if truthy(f(thisArg, rawget(a, i), i, this)) then return i end
  end
  return -1
end)

def("findLast", 1, function(this, f, thisArg)
  local a = view(this, "findLast")
  checkfn(f)
  for i = rawget(a, "length") - 1, 0, -1 do
    local v = rawget(a, i)
    if truthy(f(thisArg, v, i, this)) then return v end
  end
  return nil
end)

def("findLastIndex", 1, function(this, f, thisArg)
  local a = view(this, "findLastIndex")
  checkfn(f)
  for i = rawget(a, "length") - 1, 0, -1 do
    if truthy(f(thisArg, rawget(a, i), i, this)) then return i end
  end
  return -1
end)

-- reduce(f[, initial]): "no initial value" is told by the argument count, as in JS.
def("reduce", 1, function(this, f, ...)
  local a = view(this, "reduce")
  checkfn(f)
  local n = rawget(a, "length")
  local i, acc = 0, nil
  if select("#", ...) > 0 then
    acc = ...
  else
    while i < n and rawget(a, i) == nil do i = i + 1 end
    if i >= n then type_error("Reduce of empty array with no initial value") end
    acc = rawget(a, i)
    i = i + 1
  end
  for j = i, n - 1 do
    local v = rawget(a, j)
    if v ~= nil or rawget(a, HOLES) == nil and j < rawget(a, "length") then acc = f(nil, acc, v, j, this) end
  end
  return acc
end)

def("reduceRight", 1, function(this, f, ...)
  local a = view(this, "reduceRight")
  checkfn(f)
  local i, acc = rawget(a, "length") - 1, nil
  if select("#", ...) > 0 then
    acc = ...
  else
    while i >= 0 and rawget(a, i) == nil do i = i - 1 end
    if i < 0 then type_error("Reduce of empty array with no initial value") end
    acc = rawget(a, i)
    i = i - 1
  end
  for j = i, 0, -1 do
    local v = rawget(a, j)
    if v ~= nil or rawget(a, HOLES) == nil and j < rawget(a, "length") then acc = f(nil, acc, v, j, this) end
  end
  return acc
end)

---------------------------------------------------------------------------------------------
-- Searching

def("at", 1, function(this, index)
  local a = view(this, "at")
  local n = rawget(a, "length")
  local k = tointeger(index)
  if k < 0 then k = k + n end
  if k < 0 or k >= n then return nil end
  return (rawget(a, k))
end)

-- Strict equality (===): Lua's == on numbers, strings and identities, NaN unequal.
def("indexOf", 1, function(this, x, from)
  local a = view(this, "indexOf")
  local n = rawget(a, "length")
  local k = relindex(from, n, 0)
  if x == nil then
    -- undefined elements are found, holes are skipped
    if rawget(a, HOLES) then return -1 end
    for i = k, n - 1 do if rawget(a, i) == nil then return i end end
    return -1
  end
  for i = k, n - 1 do
    if rawget(a, i) == x then return i end
  end
  return -1
end)

def("lastIndexOf", 1, function(this, x, ...)
  local a = view(this, "lastIndexOf")
  local n = rawget(a, "length")
  if n == 0 or x == nil and rawget(a, HOLES) then return -1 end   -- holes are skipped
  local k = n - 1
  if select("#", ...) > 0 then
    k = tointeger((...))
    if k < 0 then k = k + n elseif k > n - 1 then k = n - 1 end
  end
  for i = k, 0, -1 do
    if rawget(a, i) == x then return i end
  end
  return -1
end)

-- SameValueZero: NaN finds NaN; holes count as undefined.
def("includes", 1, function(this, x, from)
  local a = view(this, "includes")
  local n = rawget(a, "length")
  if n == 0 then return false end   -- before fromIndex is converted, as in the spec
  local k = relindex(from, n, 0)
  if x ~= x then
    for i = k, n - 1 do local v = rawget(a, i); if v ~= v then return true end end
  else
    for i = k, n - 1 do if rawget(a, i) == x then return true end end
  end
  return false
end)

---------------------------------------------------------------------------------------------
-- Joining. An array that (indirectly) contains itself joins as "" at the inner occurrence.
local joining = setmetatable({}, {__mode = "k"})

local function elemstr(v, this)
  local tv = type(v)
  if tv == "string" then return v end
  if tv == "number" then return (numtostr(v)) end
  if v == nil or v == null then return "" end
  if tv == "boolean" then return v and "true" or "false" end
  -- objects can run user code (toString), which may throw: drop the cycle mark first
  local ok, s = pcall(tostr, v)
  if not ok then joining[this] = nil; error(s, 0) end
  return s
end

local function join(a, sep, this)
  local n = rawget(a, "length")
  if n == 0 or joining[this] then return "" end
  joining[this] = true
  local s
  if n == 1 then
    s = elemstr(rawget(a, 0), this)
  else
    local buf = tnew(n, 0)
    for i = 0, n - 1 do buf[i + 1] = elemstr(rawget(a, i), this) end
    s = concat(buf, sep)
  end
  joining[this] = nil
  return s
end
R.array_join = join

def("join", 1, function(this, sep)
  local a = view(this, "join")
  if sep == nil then sep = "," elseif type(sep) ~= "string" then sep = tostr(sep) end
  return (R.pair_halves(join(a, sep, this)))
end)

def("toString", 0, function(this)
  if isfast(this) then return (join(this, ",", this)) end
  if this == nil or this == null then type_error("Cannot convert undefined or null to object") end
  local j = (type(this) == "table" or type(this) == "string") and this.join
  if iscallable(j) then return (j(this)) end
  local ots = rawget(R.ObjectPrototype, "toString")
  if ots then return (ots(this)) end
  return "[object Array]"
end)

-- Every element's own toLocaleString, given the locales and options; numbers and BigInts
-- through their prototypes' (grouped digits, as in node), other primitives as strings.
def("toLocaleString", 0, function(this, locales, options)
  local a = view(this, "toLocaleString")
  local n = rawget(a, "length")
  local buf = tnew(n, 0)
  for i = 0, n - 1 do
    local v = rawget(a, i)
    local f
    if v == nil or v == null then
      buf[i + 1] = ""
    else
      if isobject(v) then
        f = v.toLocaleString
      elseif type(v) == "number" then
        f = R.NumberPrototype and R.NumberPrototype.toLocaleString
      elseif getmetatable(v) == R.BigIntMT then
        f = R.BigIntPrototype and R.BigIntPrototype.toLocaleString
      end
      if iscallable(f) then buf[i + 1] = tostr(f(v, locales, options)) else buf[i + 1] = tostr(v) end
    end
  end
  return (concat(buf, ","))
end)

---------------------------------------------------------------------------------------------
-- Iterator methods

def("keys", 0, function(this)
  if this == nil or this == null then type_error("Array.prototype.keys called on null or undefined") end
  return (make_iterator(this, K_KEYS))
end)
def("entries", 0, function(this)
  if this == nil or this == null then type_error("Array.prototype.entries called on null or undefined") end
  return (make_iterator(this, K_ENTRIES))
end)
local values = def("values", 0, function(this)
  if this == nil or this == null then type_error("Array.prototype.values called on null or undefined") end
  return (make_iterator(this, K_VALUES))
end)
rawset(AP, sym_iterator, values)
R.array_values = values

fast_iter[values] = function(a)
  if isfast(a) then return array_step, a, -1 end
  if a == nil or a == null then type_error(tostr(a) .. " is not iterable") end
  return generic_step, a, -1
end

-- Array.from / Array.of called on a subclass construct the subclass
for _, name in ipairs({"from", "of"}) do
  local t = R.fprop_table(R.G.Array)
  local f = rawget(t, name)
  R.method(R.G.Array, name, R.fnlens[f], function(C, ...)
    local r = f(C, ...)
    if C == nil or C == R.G.Array or not R.is_constructor(C) then return r end
    local o = R.new(C, 0)
    local n = rawget(r, "length")
    for i = 0, n - 1 do R.put(o, i, rawget(r, i)) end
    R.put(o, "length", n)
    return o
  end)
end

-- map, filter, slice, flat and flatMap of subclass instances go through the species
for _, name in ipairs({"map", "filter", "slice", "flat", "flatMap"}) do
  local f = rawget(AP, name)
  rawset(AP, name, R.method(AP, name, R.fnlens[f], function(this, ...)
    return (species_result(this, f(this, ...)))
  end))
end

return R
