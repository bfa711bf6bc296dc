-- ljs.rt: the runtime that generated code receives as `J0`: core, built-ins, and the helpers
-- the compiler emits (one small function each).
require("ljs.jitguard")   -- first: the runtime's own loading must not leave its helpers uninlinable
local R = require("ljs.core")
local null, G, SHAPE, ObjectMT, ArrayMT = R.null, R.G, R.SHAPE, R.ObjectMT, R.ArrayMT
local type, rawget, rawset, getmetatable, setmetatable, select = type, rawget, rawset, getmetatable, setmetatable, select
local unpack = unpack

-- Output sinks; the host (CLI or Runtime) may replace them.
local stdout, stderr = io.stdout, io.stderr
R.write_out = R.write_out or function(s) stdout:write(s) end
R.write_err = R.write_err or function(s) stderr:write(s) end
-- before the event loop blocks waiting for input (a prompt written without a newline)
R.flush_out = R.flush_out or function() stdout:flush() end

-- t[i..j] as Lua values. unpack stops at LuaJIT's C stack limit (8,000 values); past it the
-- values are put together on the Lua stack, whose limit is about 65,000 slots (node takes about
-- 120,000 arguments). One generated function reads a block of CHUNK values and calls itself for
-- the rest, which lands right after them: the stack holds the values once, plus a frame per
-- block, where prepending blocks to varargs passed along held them two or three times (20,000
-- values were the most). A C function takes 64,000 values so; a Lua function with `...` half
-- of it, as `select("#", ...)` copies them.
local CHUNK = 200   -- (a Lua function has at most 250 registers)
local blocks
local loadstring = loadstring   -- (a sandbox takes it from the globals later)
local MAX_VALUES = 64000
local function unpack_range(t, i, j)
  if j - i < 7900 then return unpack(t, i, j) end
  if j - i >= MAX_VALUES then R.throw_error("RangeError", "Maximum call stack size exceeded") end
  if not blocks then
    local reads = {}
    for k = 0, CHUNK - 1 do reads[#reads + 1] = "t[i+" .. k .. "]" end
    blocks = loadstring("local unpack = ...\nlocal function blocks(t, i, j)\n  if j - i < 7900 then return unpack(t, i, j) end\n  return " ..
      table.concat(reads, ",") .. ", blocks(t, i + " .. CHUNK .. ", j)\nend\nreturn blocks", "=ljs.rt.unpack")(unpack)
  end
  return blocks(t, i, j)
end
R.unpack_range = unpack_range

-- a JS array spread into Lua values
function R.unpack(a)
  return unpack_range(a, 0, (rawget(a, "length") or 0) - 1)
end

-- f(x, ...v), the spread last: an array whose iteration is the built-in one passes its values
-- as they are, with no array built for the call
function R.spread(v)
  if R.walks_by_index(v) then
    return R.values_of(v, rawget(v, "length"))
  end
  local a = R.arr({}, 0)
  R.push_spread(a, v, v ~= nil and v ~= R.null and "Spread syntax requires ...iterable[Symbol.iterator] to be a function" or nil)
  return R.unpack(a)
end

-- o[name](...v) where v is an array of more than 4,096 values: a built-in that takes any number
-- of them (R.apply_array) takes them in blocks; anything else gets them all (the compiler asks
-- for push, unshift, max, min, fromCharCode and fromCodePoint)
function R.big_spread(v)
  return R.walks_by_index(v) and rawget(v, "length") > 4096
end
function R.spread_method(o, name, v)
  local f = o[name]
  local whole = R.apply_array[f]
  if whole then return whole(o, v) end
  return f(o, R.spread(v))
end

require("ljs.error")
require("ljs.iteration")
require("ljs.object")
require("ljs.promise")
local function try_require(name)
  local ok, err = pcall(require, name)
  if not ok and not tostring(err):find("module '" .. name .. "' not found", 1, true) then error(err, 0) end
end
-- node's util.inspect and util.format (ljs.inspect) load on first call, JSON on first use
R.lazy_functions("ljs.inspect", {"inspect", "format", "format_with_options", "format_array", "strwidth", "str_escape"})
R.lazy_functions("ljs.json", {"json_stringify", "json_parse"})
for _, m in ipairs({"ljs.string", "ljs.array", "ljs.bigint", "ljs.number", "ljs.math", "ljs.symbol",
                    "ljs.console", "ljs.uri", "ljs.proxy"}) do
  try_require(m)
end
R.array_values = rawget(R.ArrayPrototype, "values")
-- Array.prototype[Symbol.unscopables]: the names `with (array)` does not bring into scope
do
  local u = R.newobj(R.null)
  for _, k in ipairs({"at", "copyWithin", "entries", "fill", "find", "findIndex", "findLast",
                      "findLastIndex", "flat", "flatMap", "includes", "keys", "values", "toReversed",
                      "toSorted", "toSpliced"}) do
    u[k] = true
  end
  R.defprop(R.ArrayPrototype, R.sym_unscopables, {value = u, writable = false, enumerable = false, configurable = true})
end


-- f.apply(this, args) past the number of values a Lua call can take (see unpack_range), for
-- the built-ins that take any number of them: args[0..n-1] in blocks of 4,000, each block's
-- result combined with the ones before. Max and min take the result so far as a first argument.
local function in_blocks(args, each)
  local n = R.tonum(args.length)
  for i = 0, n - 1, 4000 do
    local m = math.min(4000, n - i)
    local block = {}
    for j = 1, m do block[j] = args[i + j - 1] end
    each(block, m)
  end
end
do
  local String, Math = rawget(G, "String"), rawget(G, "Math")
  for _, name in ipairs({"fromCodePoint", "fromCharCode"}) do
    local f = String and rawget(R.fprop_table(String), name)
    if f then
      R.apply_array[f] = function(this, args)
        local parts = {}
        in_blocks(args, function(block, m) parts[#parts + 1] = f(this, unpack(block, 1, m)) end)
        return table.concat(parts)
      end
    end
  end
  for _, name in ipairs({"max", "min"}) do
    local f = Math and rawget(Math, name)
    if f then
      R.apply_array[f] = function(this, args)
        local r = f(this)
        in_blocks(args, function(block, m) r = f(this, r, unpack(block, 1, m)) end)
        return r
      end
    end
  end
  for _, name in ipairs({"push", "unshift"}) do
    local f = rawget(R.ArrayPrototype, name)
    R.apply_array[f] = function(this, args)
      local r = f(this)
      local n = R.tonum(args.length)
      if name == "push" or n <= 4000 then
        in_blocks(args, function(block, m) r = f(this, unpack(block, 1, m)) end)
      else   -- unshift puts each block before the ones after it: the last block first
        local blocks = {}
        in_blocks(args, function(block, m) blocks[#blocks + 1] = {block, m} end)
        for i = #blocks, 1, -1 do r = f(this, unpack(blocks[i][1], 1, blocks[i][2])) end
      end
      return r
    end
  end
end

-- GeneratorFunction, AsyncFunction, AsyncGeneratorFunction: reachable as f.constructor
for _, kind in ipairs({"GeneratorFunction", "AsyncFunction", "AsyncGeneratorFunction"}) do
  local proto = setmetatable({}, R.protomt(R.FunctionPrototype))
  local ctor = R.fn(function() R.throw_error("EvalError", kind .. " constructor is not supported") end, kind, 1)
  rawset(R.fprop_table(ctor), "prototype", proto)
  rawset(proto, "constructor", ctor)
  R.tag(proto, kind)
  R.kind_protos[kind] = proto
end
rawset(R.kind_protos.GeneratorFunction, "prototype", R.GeneratorPrototype)

-- the constructors with a [Symbol.species] getter (ArrayBuffer's, RegExp's, Map's and Set's: their modules)
for _, name in ipairs({"Array", "Promise"}) do
  local C = rawget(G, name)
  if C then R.species(C) end
end

-- A nil slot is a hole only in arrays marked holey (see core.lua's HOLES).
function R.is_hole(a, i) return rawget(a, R.HOLES) ~= nil and rawget(a, i) == nil end

-- an array literal with elisions
function R.holey(a)
  rawset(a, R.HOLES, true)
  return a
end

---------------------------------------------------------------------------------------------
-- Helpers the compiler emits

-- A constructor's leading `this.k = v` run: a fresh, keyless object whose prototype chain has
-- no setters takes the run's whole shape now, and the compiler stores the values with rawset.
local SHAPE_KEY = R.SHAPE
local next = next
local HKEYS = R.HKEYS
function R.shape_init(o, s)
  -- (an object with non-enumerable keys, defined by a base constructor, may have one of s's)
  if type(o) ~= "table" or rawget(o, SHAPE_KEY) ~= nil or rawget(o, HKEYS) ~= nil then return false end
  local mt = getmetatable(o)
  -- (errors take their stores through obj_newindex, which keeps the stack's header in step)
  if mt == nil or mt.frozen or type(mt.__index) ~= "table" or mt.kind or mt.errors then return false end
  -- a direct instance of a branded class with no raw key yet (a base constructor may have
  -- stored hidden ones, as Error's does) takes the brand
  local b = s.brands
  b = b and b[mt]
  rawset(o, SHAPE_KEY, b and next(o) == nil and b or s)
  return true
end

-- The `this.k = v` run after super() in a derived constructor: the object has the base
-- constructor's keys already, so the run's final shape depends on them. The run's site (a table
-- per run, R.ext_site) keeps the transition it made last, from shape and metatable to shape, and
-- the next instance of the same classes takes it with one comparison. A metatable whose __index
-- is a table has no setters or read-only properties on its chain (core.lua's set_index), and
-- one that gets them later changes its __index; objects with accessors of their own, frozen
-- ones and proxies have metatables of their own.
local WEAK_VALUES = {__mode = "v"}
function R.ext_site() return setmetatable({}, WEAK_VALUES) end

local function ext_miss(o, s, site, from, mt)
  if mt == nil or type(mt.__index) ~= "table" or mt.kind or mt.errors or mt.frozen
      or rawget(o, HKEYS) ~= nil then
    return false
  end
  local to = from
  for i = 1, s.n do
    local k = s[i]
    if to.index[k] or rawget(o, k) ~= nil then return false end
    to = R.shape_step(to, k)
    if to == nil then return false end   -- (an owned shape, or one past the shared ones)
  end
  site.from, site.mt, site.to = from, mt, to
  rawset(o, SHAPE_KEY, to)
  return true
end

function R.shape_ext(o, s, site)
  if type(o) ~= "table" then return false end
  local from = rawget(o, SHAPE_KEY)
  if from == nil then return (R.shape_init(o, s)) end
  local mt = getmetatable(o)
  if from == site.from and mt == site.mt and type(mt.__index) == "table" and rawget(o, HKEYS) == nil then
    rawset(o, SHAPE_KEY, site.to)
    return true
  end
  return (ext_miss(o, s, site, from, mt))
end

-- The brand of class instances whose constructor's leading stores give them shape s: a shape
-- with the same keys and transitions, that only direct instances of the class carry (allocated
-- with it, or given it by shape_init) for as long as they have no other own key and keep their
-- prototype (see core.lua's unbrand).
-- (brands[mt] is weak, and nothing in the brand refers to mt: a class made and dropped again,
-- as a class expression in a function, leaves no metatable behind)
local WEAK_KEYS = {__mode = "k"}
function R.brand(proto, s)
  local mt = R.protomt(proto)
  local b = {n = s.n, index = s.index, trans = s.trans, brand = true, plain = s}
  for i = 1, s.n do b[i] = s[i] end
  local brands = s.brands
  if brands == nil then brands = setmetatable({}, WEAK_KEYS); s.brands = brands end
  brands[mt] = b
  return b
end

-- `this.m` for the call `this.m(...)` in a method of a class that defines m: a branded
-- instance's m is its prototype's own m; anything else looks it up.
function R.this_method(o, b, proto, k)
  if type(o) == "table" and rawget(o, SHAPE_KEY) == b then
    local f = rawget(proto, k)
    if type(f) == "function" then return f end
  end
  local f = o[k]
  if not R.iscallable(f) then R.type_error("this." .. k .. " is not a function") end
  return f
end

-- a string.buffer holding s, for strings a loop only appends to
local sbuf = require("string.buffer")
function R.strbuf(s)
  local b = sbuf.new()
  b:put(s)
  return b
end

-- Inlined array methods (a.map(x => ...)) take their loop only for plain arrays whose method is
-- still the built-in one.
local ArrayPrototype = R.ArrayPrototype
local builtin_methods = {}
function R.plain_array(a, name)
  return getmetatable(a) == ArrayMT and rawget(ArrayPrototype, name) == builtin_methods[name]
    and rawget(a, name) == nil   -- (an array's own a.map = … is what a.map(…) calls)
end
-- new Array(x) with the global Array: n holes, or the one element x when it is no number
local floor = math.floor
local tnew = require("table.new")
R.tnew = tnew
function R.new_array(n)
  if type(n) ~= "number" then return R.new(G.Array, n) end
  if n < 0 or n ~= floor(n) or n >= 4294967296 then R.throw_error("RangeError", "Invalid array length") end
  local t = setmetatable(tnew(n < 65536 and n or 65536, 1), ArrayMT)
  rawset(t, "length", n)
  if n > 0 then rawset(t, R.HOLES, true) end
  return t
end

function R.newarray(n, holey)
  local t = setmetatable(tnew(n, 1), ArrayMT)
  rawset(t, "length", n)
  if holey then rawset(t, R.HOLES, true) end
  return t
end
R.builtin_array_methods = builtin_methods
-- (the compiler's table constructor for new Array(n).fill(c) holds while this is true)
local builtin_fill = rawget(ArrayPrototype, "fill")
function R.builtin_fill()
  return rawget(ArrayPrototype, "fill") == builtin_fill
end
for _, m in ipairs({"forEach", "map", "filter", "some", "every", "find", "findIndex", "reduce"}) do
  builtin_methods[m] = rawget(ArrayPrototype, m)
end
-- String.prototype's methods that take a regex literal on the spot (ljs.regexp's R.re_arg),
-- as they were before any program ran
local builtin_string = {}
for _, m in ipairs({"replace", "replaceAll", "match", "search", "split"}) do
  builtin_string[m] = rawget(R.StringPrototype, m)
end
R.builtin_string_methods = builtin_string

-- Math.f(...) compiles to R.m_f(...) where the arguments are numbers and R.mx_f(...) where they
-- may not be. Both take Lua's function while Math.f is still the built-in (a program may replace it:
-- a polyfill, a mock), and otherwise call what Math.f now holds.
-- Each is loaded from source of its own: LuaJIT checks a call to a prototype made into one closure
-- by identity and folds the closure's upvalues to constants (one prototype made into many closures
-- would cost a guard per upvalue at every call). The chunk name has no "@" or "=", so a profile
-- counts the time to the calling line, as the built-in's own would be.
do
  local Math = rawget(G, "Math")
  local function math_call(name, ...)
    local f = Math[name]
    if not R.iscallable(f) then R.type_error("Math." .. name .. " is not a function") end
    return (f(Math, ...))
  end
  local FORMS = [[
local type, rawget, Math, name, lua_f, js_f, math_call = ...
return function(%s)
  if rawget(Math, name) == js_f then return (lua_f(%s)) end
  return (math_call(name, %s))
end, function(%s)
  if %s and rawget(Math, name) == js_f then return (lua_f(%s)) end
  return (math_call(name, %s))
end]]
  local guard = require("ljs.jitguard")
  local function fast_paths(name, params, lua_f)
    local numbers = string.gsub(string.gsub(params, "%w+", 'type(%0) == "number"'), ", ", " and ")
    local src = string.format(FORMS, params, params, params, params, numbers, params, params)
    local m, mx = assert(load(src, "Math." .. name))(type, rawget, Math, name, lua_f or math[name],
                                                     rawget(Math, name), math_call)
    return guard.adopt(m), guard.adopt(mx)
  end
  -- max and min of two numbers, as JavaScript has them: NaN wins, +0 > -0 (Lua's math.max
  -- and math.min do neither). Fixed parameters, unlike the built-ins' `...`: a trace cannot
  -- return from a vararg function to a frame below its start, so where the winner alternates
  -- the side traces of Math.max never compiled.
  local function max2(a, b)
    if a > b then return a elseif b > a then return b elseif a ~= a or b ~= b then return a + b end
    if a == 0 and 1 / a < 0 then return b end
    return a
  end
  local function min2(a, b)
    if a < b then return a elseif b < a then return b elseif a ~= a or b ~= b then return a + b end
    if a == 0 and 1 / a > 0 then return b end
    return a
  end
  if Math then
    for _, f in ipairs({"sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "floor", "ceil", "abs"}) do
      R["m_" .. f], R["mx_" .. f] = fast_paths(f, "x")
    end
    R.m_atan2, R.mx_atan2 = fast_paths("atan2", "y, x")
    R.m_max, R.mx_max = fast_paths("max", "a, b", max2)
    R.m_min, R.mx_min = fast_paths("min", "a, b", min2)
  end
end
-- o[k] = v that throws when it fails whatever the caller's mode: the stores of Object.assign,
-- of the stack setter and of strict code's assignments to globals
local obj_newindex = R.obj_newindex
function R.strict_put(o, k, v)
  -- a raw own key other than an array's length is a plain writable property, and a new string
  -- key of an extensible ordinary object whose chain holds only plain data (no setter or
  -- read-only property to meet) is added: neither store can fail, so skip the pcall
  if type(o) == "table" then
    if k ~= "length" and rawget(o, k) ~= nil then o[k] = v; return end
    local mt = getmetatable(o)
    if type(k) == "string" and k ~= "__proto__" and mt and mt.__newindex == obj_newindex
        and not mt.ownslow and not mt.frozen and (mt.__index == mt.proto or mt.proto == null) then
      o[k] = v
      return
    end
  end
  local was = R.strict
  R.strict = true
  local ok, err = pcall(R.put, o, k, v)
  R.strict = was
  if not ok then error(err, 0) end
end

-- `name = v` in strict code where no declaration binds name: only an existing global takes it
function R.strict_gset(k, v)
  local G = R.G
  if rawget(G, k) == nil and not R.has(G, k) then R.throw_error("ReferenceError", k .. " is not defined") end
  R.strict_put(G, k, v)
end

function R.this_before_super()
  R.throw_error("ReferenceError", "Must call super constructor in derived class before accessing 'this' or returning from derived constructor")
end

-- after a super() call in a constructor that may run a second one: was `this` bound already?
function R.super_bound(bound)
  if bound then R.throw_error("ReferenceError", "Super constructor may only be called once") end
  return true
end

-- (null by its metatable: a comparison with the object itself keeps LuaJIT from sinking the
-- allocation of an object literal passed to a destructuring parameter)
local NullMT = getmetatable(R.null)
-- key: the pattern's first static key; what: how V8 names the value (the expression, or true
-- for a pattern inside a pattern, whose value V8 reads as a property; a parameter's has none)
function R.destructurable(v, key, what)
  if v == nil or getmetatable(v) == NullMT then
    local s = v == nil and "undefined" or "null"
    if what == true then
      R.type_error("Cannot read properties of " .. s .. (key and " (reading '" .. key .. "')" or ""))
    end
    what = what or (v == nil and "undefined" or "object null")
    if key then R.type_error("Cannot destructure property '" .. key .. "' of '" .. what .. "' as it is " .. s .. ".") end
    R.type_error("Cannot destructure '" .. what .. "' as it is " .. s .. ".")
  end
end

function R.tdz(name) R.throw_error("ReferenceError", "Cannot access '" .. name .. "' before initialization") end
local TDZ = setmetatable({}, {__tostring = function() return "<uninitialized>" end})
R.TDZ = TDZ
function R.tdzcheck(v, name)
  if v == TDZ then R.tdz(name) end
  return v
end
function R.const_assign(name) R.type_error("Assignment to constant variable.") end

local ArgumentsMT = R.ArgumentsMT

-- A sloppy function's store to its parameter i: the element of its arguments object too, while
-- that is mapped (an own data property since the call, never deleted or redefined)
-- (element i is mapped when the call passed it, and no delete has given the object a shape of
-- its own since)
local function mapped(args, nargs, i)
  local s = rawget(args, SHAPE_KEY)
  local mt = getmetatable(args)
  return i < nargs and s and not s.owned and s.index[i] and (mt == ArgumentsMT or mt == R.ArgsLiteMT)
end
function R.argmap(args, nargs, i, v)
  if mapped(args, nargs, i) then rawset(args, i, v) end
end

-- ... and the other way: parameter i's value after a store to the arguments object, which
-- changed it while the element is still mapped
function R.argpull(args, nargs, i, cur)
  if mapped(args, nargs, i) then return rawget(args, i) end
  return cur
end

-- with (o) { ... }: the object (null and undefined have none), and whether it provides a name:
-- it has it, and its Symbol.unscopables does not hide it
function R.with_object(o)
  if o == nil or o == null then R.type_error("Cannot convert undefined or null to object") end
  return o
end
function R.with_has(o, k)
  if not R.isobject(o) then return R.get(o, k) ~= nil end
  if not R.has(o, k) then return false end
  local u = R.get(o, R.sym_unscopables)
  return not (R.isobject(u) and R.truthy(R.get(u, k)))
end

-- arguments.callee of a sloppy function that mentions it: the function calling this (a
-- statement, never a tail call), non-enumerable as in JavaScript
function R.set_callee(args)
  rawset(args, "callee", debug.getinfo(2, "f").func)
end
-- a strict function's arguments.callee: an accessor that throws (made only where the function
-- mentions `callee`)
local function poisoned()
  R.type_error("'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them")
end
R.fnames[poisoned], R.arrows[poisoned] = "", true
function R.strict_callee(args)
  R.defprop(R.args_full(args), "callee", {get = poisoned, set = poisoned, enumerable = false, configurable = false})
end

local classes = setmetatable({}, {__mode = "k"})
local class_bases = setmetatable({}, {__mode = "k"})

-- class C extends Base: the constructor function doubles as the class. keep is a table the
-- constructor holds as an upvalue: its runtime data is kept there (see R.keep).
function R.class(ctor, name, base, len, keep)
  if keep then R.keeps[ctor] = keep end
  R.fnames[ctor] = name
  R.fnlens[ctor] = len
  local fp = R.fprop_table(ctor)
  classes[ctor] = true
  R.fixed_proto[ctor] = true
  local proto
  if base ~= nil then
    if base == null then
      proto = setmetatable({}, R.protomt(null))
    else
      if not R.is_constructor(base) then R.type_error("Class extends value " .. R.tostr(base) .. " is not a constructor or null") end
      local bp = base.prototype
      proto = setmetatable({}, R.protomt(bp))
      R.setproto(fp, base)   -- statics inherit
      class_bases[ctor] = base
    end
  else
    proto = setmetatable({}, ObjectMT)
  end
  rawset(proto, "constructor", ctor)
  R.note_hidden(proto, "constructor")
  rawset(fp, "prototype", proto)
  return ctor
end

-- A class of a library module (node's stream, readline, zlib...): constructor f, its prototype
-- inheriting from parent_proto, its statics from the constructor parent when given. Unlike
-- R.class it leaves prototype writable, as node's function-made classes have it.
function R.library_class(name, len, f, parent_proto, parent)
  local proto = R.newobj(parent_proto)
  R.fn(f, name, len)
  rawset(R.fprop_table(f), "prototype", proto)
  rawset(proto, "constructor", f)
  R.note_hidden(proto, "constructor")
  if parent then R.setproto(R.fprop_table(f), parent) end
  return proto
end

function R.class_call(name)
  R.type_error("Class constructor " .. name .. " cannot be invoked without 'new'")
end

function R.is_class(f) return classes[f] == true end
function R.class_parent(f) return class_bases[f] end

local static_private
-- #m in o: private fields are own, private methods sit on the prototype
function R.has_private(o, key)
  if type(o) ~= "table" and type(o) ~= "function" or o == null then
    R.type_error("Cannot use 'in' operator to search for '" .. tostring(key) .. "' in " .. (o == nil and "undefined" or R.tostr(o)))
  end
  if type(o) == "function" then
    local v, d = static_private(o, key)
    return v ~= nil or d ~= nil
  end
  if rawget(o, key) ~= nil then return true end
  local ok = pcall(R.privget, o, key)
  return ok
end

function R.super_lookup(p, k, this)
  if type(p) == "function" then
    return (R.lookup(p, R.tokey(k), this))   -- (a static getter runs with the subclass as this)
  end
  if p == nil or p == null then return nil end
  return (R.lookup(p, R.tokey(k), this))
end

function R.super_set(this, home, k, v)
  k = R.tokey(k)
  local p = home
  while p ~= nil and p ~= null do
    local t = type(p) == "function" and R.fprops[p] or p
    if t == nil then break end
    local slow = rawget(t, R.SLOW)
    local d = slow and slow[k]
    if d then
      if d.set ~= nil then d.set(this, v); return end
      if d.get ~= nil then R.type_error("Cannot set property " .. R.keystr(k) .. " which has only a getter") end
      break
    end
    if rawget(t, k) ~= nil then break end
    p = R.getproto(t)
  end
  R.defdata(this, k, v)
end

-- class statics: a computed key cannot name "prototype" (a plain one is an early error)
local function static_target(target, key)
  if type(target) ~= "function" then return target end
  if key == "prototype" then R.type_error("Classes may not have a static property named 'prototype'") end
  return R.fprop_table(target)
end

function R.defmethod(target, key, f)
  target = static_target(target, key)
  if type(key) == "string" or type(key) == "number" then
    if not R.fnames[f] or R.fnames[f] == "" then R.fnames[f] = R.keystr(key) end
  end
  if rawget(target, key) == nil then R.note_hidden(target, key) else R.unbrand(target) end
  rawset(target, key, f)
end

function R.defaccessor(target, key, get, set, enumerable)
  target = static_target(target, key)
  R.defprop(target, key, {get = get, set = set, enumerable = enumerable, configurable = true})
end

-- CreateDataProperty: own, enumerable, writable; skips setters on the prototype chain
function R.defdata(o, k, v)
  if type(o) == "function" then o = R.fprop_table(o) end
  local mt = getmetatable(o)
  if mt and mt.kind == "array" and type(k) == "number" then o[k] = v; return end
  if mt and mt.ownslow and rawget(o, R.SLOW)[k] then R.defprop(o, k, {value = v, writable = true, enumerable = true, configurable = true}); return end
  R.addkey(o, k)
  rawset(o, k, v)
  if (k == "name" or k == "message") and mt and mt.errors then R.restack(o) end
end

-- Private fields live raw under their private-name key; an undefined field is stored as PNIL
-- so that having the field (the class's brand) can be told from not having it.
local PNIL = setmetatable({}, {__tostring = function() return "<undefined private>" end})
function R.defpriv(o, k, v)
  if type(o) == "function" then o = R.fprop_table(o) end
  if rawget(o, k) ~= nil then R.type_error("Cannot initialize " .. tostring(k) .. " twice on the same object") end
  if v == nil then v = PNIL end
  rawset(o, k, v)
end

-- A class's own static private member: its value, or the descriptor of an accessor (a subclass
-- inherits none of them).
function static_private(f, k)
  local t = R.fprops[f]
  if t == nil then return nil, nil end
  local slow = rawget(t, R.SLOW)
  return rawget(t, k), slow and slow[k]
end

-- The private method (m) or accessor descriptor (d) that o's prototype chain holds under k. The
-- first step is taken before the loop: a loop here would end the caller's trace.
local function private_member(p, k)
  local pt = type(p) == "function" and R.fprops[p] or p
  if pt == nil or pt == null then return nil, nil end
  local m = rawget(pt, k)
  if m ~= nil then return m, nil end
  local slow = rawget(pt, R.SLOW)
  local d = slow and slow[k]
  if d then return nil, d end
  p = R.getproto(pt)
  while p and p ~= null do
    pt = type(p) == "function" and R.fprops[p] or p
    if pt == nil then break end
    m = rawget(pt, k)
    if m ~= nil then return m, nil end
    slow = rawget(pt, R.SLOW)
    d = slow and slow[k]
    if d then return nil, d end
    p = R.getproto(pt)
  end
  return nil, nil
end

-- The error for o.#k where o has no such member, in node's words: a method or accessor is the
-- class's brand, so its message names the class; null and undefined fail as property reads do.
local function no_private(o, k, verb)
  local name = tostring(k)
  if o == nil or o == null then
    local what = o == nil and "undefined" or "null"
    if k.member then R.type_error("Cannot read properties of " .. what .. " (reading '" .. k.class .. "')") end
    if verb == "read" then R.type_error("Cannot read properties of " .. what .. " (reading '" .. name .. "')") end
    R.type_error("Cannot set properties of " .. what .. " (setting '" .. name .. "')")
  end
  if k.member then R.type_error("Receiver must be an instance of class " .. k.class) end
  R.type_error("Cannot " .. verb .. " private member " .. name .. (verb == "read" and " from" or " to")
    .. " an object whose class did not declare it")
end

local function private_accessor(d, k, kind)
  local f = d[kind]
  if f == nil then R.type_error("'" .. tostring(k) .. "' was defined without a " .. kind .. "ter") end
  return f
end

-- o.#x
function R.privget(o, k)
  if type(o) == "function" then
    local v, d = static_private(o, k)
    if v ~= nil then return v ~= PNIL and v or nil end
    if d then return (private_accessor(d, k, "get")(o)) end
    no_private(o, k, "read")
  end
  if type(o) ~= "table" or o == null then no_private(o, k, "read") end
  local v = rawget(o, k)
  if v ~= nil then
    if v == PNIL then return nil end
    return v
  end
  -- private methods and accessors sit on the prototype
  local p = R.getproto(o)
  local m, d = nil, nil
  if p then m, d = private_member(p, k) end
  if m ~= nil then return m end
  if d then return (private_accessor(d, k, "get")(o)) end
  no_private(o, k, "read")
end

-- o.#x = v
function R.privset(o, k, v)
  if type(o) == "function" then
    local old, d = static_private(o, k)
    if d then private_accessor(d, k, "set")(o, v); return end
    if type(old) == "function" then R.type_error("Private method '" .. tostring(k) .. "' is not writable") end
    if old == nil then no_private(o, k, "write") end
    rawset(R.fprops[o], k, v == nil and PNIL or v)
    return
  end
  if type(o) ~= "table" or o == null then no_private(o, k, "write") end
  if rawget(o, k) ~= nil then
    if v == nil then v = PNIL end
    rawset(o, k, v)
    return
  end
  local p = R.getproto(o)
  local m, d = nil, nil
  if p then m, d = private_member(p, k) end
  if d then private_accessor(d, k, "set")(o, v); return end
  if m ~= nil then R.type_error("Private method '" .. tostring(k) .. "' is not writable") end
  no_private(o, k, "write")
end

-- A private name: a table key no code can spell. member: a method or accessor (the class's
-- brand, which error messages name by the class's own name).
local private_mt = {__tostring = function(k) return k.desc end, private = true}
function R.private_name(desc, class, member)
  return setmetatable({desc = desc, class = class or "anonymous", member = member or false}, private_mt)
end


function R.set_literal_proto(o, p)
  if p == null or R.isobject(p) then R.setproto(o, p) end
end

-- {...src} where src has a shared shape of string keys and no accessors (as Object.keys lists
-- it) and the literal has no key yet: the new object takes src's raw values and its shape, which
-- is immutable, without a step per key
local listed_shape = R.listed_shape
local function spread_copy(o, src, s)
  local k1, k2, k3, k4, k5, k6, k7, k8 = s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]
  if k1 then rawset(o, k1, rawget(src, k1)) end
  if k2 then rawset(o, k2, rawget(src, k2)) end
  if k3 then rawset(o, k3, rawget(src, k3)) end
  if k4 then rawset(o, k4, rawget(src, k4)) end
  if k5 then rawset(o, k5, rawget(src, k5)) end
  if k6 then rawset(o, k6, rawget(src, k6)) end
  if k7 then rawset(o, k7, rawget(src, k7)) end
  if k8 then rawset(o, k8, rawget(src, k8)) end
  for i = 9, s.n do local k = s[i]; rawset(o, k, rawget(src, k)) end
  rawset(o, SHAPE, s)
end

-- A literal that starts with a spread ({...state, count: n}) is made here, its table sized for
-- src's keys, its shape and one more: filled one key at a time, an empty table grew its hash
-- part three times (st = {...st, count: st.count + 1}, 1M: 5.9 s -> 0.3, node 0.5)
local tnew = require("table.new")
function R.spread_obj(src)
  local s = listed_shape(src)
  if s then
    local o = setmetatable(tnew(0, s.n + 2), ObjectMT)
    spread_copy(o, src, s)
    return o
  end
  local o = setmetatable({}, ObjectMT)
  R.assign_spread(o, src)
  return o
end

-- {...src} after other keys or spreads
function R.assign_spread(o, src)
  if src == nil or src == null then return end
  -- (a literal's keys before the spread have given it a shape: no shape, no key)
  if getmetatable(o) == ObjectMT and rawget(o, SHAPE) == nil then
    local s = listed_shape(src)
    if s then spread_copy(o, src, s); return end
  end
  if type(src) == "string" then
    local n = R.strlen(src)
    for i = 0, n - 1 do R.defdata(o, i, src[i]) end
    return
  end
  if type(src) ~= "table" and type(src) ~= "function" then return end
  local ks, n = R.ownkeys(src, true)
  for i = 1, n do local k = ks[i]; R.defdata(o, k, src[k]) end
end

-- [...v] pieces
function R.push1(a, v)
  local n = rawget(a, "length")
  rawset(a, n, v)
  rawset(a, "length", n + 1)
end
-- why: V8's message naming v as written ([...o]: o is not iterable)
function R.push_spread(a, v, why)
  local n = rawget(a, "length")
  for _, x in R.iter(v, why) do rawset(a, n, x); n = n + 1 end
  rawset(a, "length", n)
end

-- numeric-for bounds for `i < n` etc. with integer starts: the last value the loop reaches
local ceil, floor = math.ceil, math.floor
local function bound_num(n)
  if type(n) ~= "number" then
    -- i < 5n compares the values (a BigInt past 2^53 rounds: no counter gets that far)
    if type(n) == "table" and getmetatable(n) == R.BigIntMT then return R.big.tonumber(n) end
    n = R.tonum(n)
  end
  return n
end
function R.lt_bound(n) n = bound_num(n); if n ~= n then return -1/0 end return ceil(n) - 1 end
function R.le_bound(n) n = bound_num(n); if n ~= n then return -1/0 end return (floor(n)) end
function R.gt_bound(n) n = bound_num(n); if n ~= n then return 1/0 end return floor(n) + 1 end
function R.ge_bound(n) n = bound_num(n); if n ~= n then return 1/0 end return (ceil(n)) end

-- exact limits for any number start: i < n is i <= (the double below n)
local ffi = require("ffi")
ffi.cdef("double nextafter(double x, double y);")
local nextafter = ffi.C.nextafter
function R.lt_limit(n) n = bound_num(n); if n ~= n then return -1/0 end return (nextafter(n, -1/0)) end
function R.le_limit(n) n = bound_num(n); if n ~= n then return -1/0 end return n end
function R.gt_limit(n) n = bound_num(n); if n ~= n then return 1/0 end return (nextafter(n, 1/0)) end
function R.ge_limit(n) n = bound_num(n); if n ~= n then return 1/0 end return n end

-- tagged template strings object: frozen array with .raw
function R.template_object(cooked, raw)
  local n = #raw   -- (a cooked string may be undefined)
  local c = {length = n}
  local r = {length = n}
  for i = 1, n do c[i - 1] = cooked[i]; r[i - 1] = raw[i] end
  setmetatable(c, ArrayMT)
  setmetatable(r, ArrayMT)
  R.freeze(r, "freeze")
  rawset(c, "raw", r)
  R.freeze(c, "freeze")
  return c
end

function R.new_target(this)
  if this == nil then return nil end
  local p = R.getproto(this)
  return p and rawget(p, "constructor")
end

---------------------------------------------------------------------------------------------
-- globalThis, process
R.hidden(G, "globalThis", G)
R.hidden(G, "global", G)   -- node's older name for it, which npm packages still read
R.tag(G, "global")         -- ("[object global]", as node's)
-- NaN, Infinity and undefined are constants of the global object
for _, name in ipairs({"NaN", "Infinity", "undefined"}) do
  local v = rawget(G, name)
  rawset(G, name, nil)
  R.defprop(G, name, {value = v, writable = false, enumerable = false, configurable = false})
end
local GMT = getmetatable(G)
-- a bare name that no scope declares: a global, or a ReferenceError
function R.global(name)
  local v = G[name]
  if v == nil and not R.has(G, name) then R.throw_error("ReferenceError", name .. " is not defined") end
  return v
end

-- `var name` at the top of a classic script: an own property of the global object, undefined
-- unless it already exists
function R.script_var(name)
  if not R.hasown(G, name) then R.addkey(G, name) end
end

local process = R.newobj()
R.hidden(G, "process", process)
R.process = process
process.argv = R.pack("luascript")
process.env = R.newobj()
process.platform = jit and (jit.os == "OSX" and "darwin" or jit.os:lower()) or "linux"
do
  local ffi = require("ffi")
  pcall(ffi.cdef, "int getpid(void);")
  local ok, pid = pcall(function() return ffi.C.getpid() end)
  process.pid = ok and tonumber(pid) or 0
end
process.exitCode = nil
process.versions = R.newobj()
process.versions.luajit = jit and jit.version or "LuaJIT"
R.method(process, "exit", 1, function(_, code)
  if code == nil then code = process.exitCode end
  error(setmetatable({code = R.tonum(code or 0)}, R.EXIT), 0)
end)
R.EXIT = {}
-- before a finally block runs for exception e: process.exit() (or a sandbox's stop) goes on out
function R.exiting(e)
  if type(e) == "table" and getmetatable(e) == R.EXIT then error(e, 0) end
  local gpu = R.gpu_open       -- (see R.caught)
  if gpu then gpu() end
end
R.method(process, "cwd", 0, function() return R.cwd or "." end)
R.method(process, "nextTick", 1, function(_, fn, ...)
  R.enqueue_tick(fn, R.pack(...))
end)
R.method(process, "hrtime", 1, function(_, prev)
  local ms = R.now_ms()
  local s = floor(ms / 1000)
  local ns = floor((ms - s * 1000) * 1e6)
  if prev ~= nil then
    s = s - prev[0]; ns = ns - prev[1]
    if ns < 0 then s = s - 1; ns = ns + 1e9 end
  end
  return setmetatable({[0] = s, ns, length = 2}, ArrayMT)
end)
R.method(process.hrtime, "bigint", 0, function() return floor(R.now_ms() * 1e6) end)
R.method(process, "memoryUsage", 0, function()
  local o = R.newobj()
  o.heapUsed = collectgarbage("count") * 1024
  o.rss = o.heapUsed
  return o
end)
-- process's events, as an EventEmitter's: listeners per name in the order added. "exit" and
-- "beforeExit" come from the host, "uncaughtException" and "unhandledRejection" from the event
-- loop (R.uncaught, promise.lua), any other name from process.emit.
local process_listeners = {}
local ONCE = {}   -- a once() wrapper -> the listener it wraps
local function listeners(event)
  local list = process_listeners[event]
  if not list then list = {}; process_listeners[event] = list end
  return list
end
local function listener_arg(fn)
  if type(fn) ~= "function" then   -- node's coded error, from node's library (loaded only now)
    require("ljs.nodelib")
    R.throw(R.nodelib.invalid_arg_type("listener", "Function", fn))
  end
  return fn
end
local function add(event, fn, first)
  local list = listeners(R.tokey(event))
  if first then table.insert(list, 1, fn) else list[#list + 1] = fn end
  return process
end
local function once_wrapper(event, fn)
  local w
  w = function(this, ...)
    R.process_off(event, w)
    return fn(this, ...)
  end
  ONCE[w] = fn
  return w
end
function R.process_off(event, fn)
  local list = process_listeners[event]
  if not list then return end
  for i = #list, 1, -1 do
    if list[i] == fn or ONCE[list[i]] == fn then table.remove(list, i) return end
  end
end
local function on(_, event, fn) return add(event, listener_arg(fn)) end
R.method(process, "on", 2, on)
R.method(process, "addListener", 2, on)
R.method(process, "prependListener", 2, function(_, event, fn) return add(event, listener_arg(fn), true) end)
R.method(process, "once", 2, function(_, event, fn)
  event = R.tokey(event)
  return add(event, once_wrapper(event, listener_arg(fn)))
end)
R.method(process, "prependOnceListener", 2, function(_, event, fn)
  event = R.tokey(event)
  return add(event, once_wrapper(event, listener_arg(fn)), true)
end)
local function off(_, event, fn)
  R.process_off(R.tokey(event), fn)
  return process
end
R.method(process, "off", 2, off)
R.method(process, "removeListener", 2, off)
R.method(process, "removeAllListeners", 1, function(_, event)
  if event == nil then process_listeners = {} else process_listeners[R.tokey(event)] = nil end
  return process
end)
R.method(process, "listeners", 1, function(_, event)
  local list, out = process_listeners[R.tokey(event)] or {}, {}
  for i = 1, #list do out[i] = ONCE[list[i]] or list[i] end
  return R.pack(unpack(out, 1, #list))
end)
R.method(process, "listenerCount", 1, function(_, event) return R.process_listening(R.tokey(event)) end)
R.method(process, "eventNames", 0, function()
  local names = {}
  for k, list in pairs(process_listeners) do if #list > 0 then names[#names + 1] = k end end
  return R.pack(unpack(names))
end)
local max_listeners = 10
R.method(process, "setMaxListeners", 1, function(_, n) max_listeners = n; return process end)
R.method(process, "getMaxListeners", 0, function() return max_listeners end)
function R.process_listening(event)
  local list = process_listeners[event]
  return list and #list or 0
end
-- true when some listener ran; a copy of the list, so that a listener removing itself (once)
-- does not make the next one skipped
function R.process_emit(event, ...)
  local list = process_listeners[event]
  if not list or #list == 0 then return false end
  local copy = {unpack(list)}
  for i = 1, #copy do copy[i](process, ...) end
  return true
end
R.method(process, "emit", 1, function(_, event, ...) return R.process_emit(R.tokey(event), ...) end)

-- A throw that reached the event loop (or the main module's top level): process's
-- "uncaughtException" listeners get it, with the origin node names, and the program goes on;
-- without listeners it ends the program. process.exit and the sandbox's stops pass through.
function R.uncaught(e)
  local origin = "uncaughtException"
  if type(e) == "table" then
    local mt = getmetatable(e)
    if mt == R.EXIT or mt == R.RETURN_MARK then error(e, 0) end
    if mt == R.UNCAUGHT then origin = "unhandledRejection" end
  end
  if R.process_listening("uncaughtException") == 0 then error(e, 0) end
  local v = origin == "unhandledRejection" and e.value or R.caught(e)
  local ok, thrown = pcall(R.process_emit, "uncaughtException", v, origin)
  if not ok then
    -- a listener that throws ends the program with node's exit code for it
    local mt = type(thrown) == "table" and getmetatable(thrown)
    if mt ~= R.EXIT and mt ~= R.RETURN_MARK then R.fatal_exit_code = 7 end
    error(thrown, 0)
  end
end
-- f(...) where a throw goes to R.uncaught: true when f returned. Always through pcall: f may
-- add the first listener itself.
function R.run_task(f, ...)
  local ok, e = R.try(f, ...)
  if not ok then R.uncaught(e) end
  return ok
end
-- write(chunk[, encoding][, callback]) as node's process.stdout and stderr take it: a string (in
-- the encoding), or the bytes of a Buffer, typed array or DataView as they are; the callback
-- runs after
local function stream_write(write)
  return function(_, chunk, enc, cb)
    if R.iscallable(enc) then enc, cb = nil, enc end
    if type(chunk) == "string" and (enc == nil or enc == "utf8" or enc == "utf-8") then
      write(chunk)
    else
      local B = require("ljs.node_buffer")
      if type(chunk) == "string" then
        write(B.encode(chunk, B.encoding_of(enc)))
      else
        local p, n = B.byte_view(chunk)
        if chunk == null then
          R.throw(R.nodelib.coded_error("TypeError", "ERR_STREAM_NULL_VALUES", "May not write null values to stream"))
        elseif p == nil or R.is_arraybuffer(chunk) then
          R.throw(R.nodelib.invalid_arg_type("chunk", {"string", "Buffer", "TypedArray", "DataView"}, chunk))
        end
        write(require("ffi").string(p, n))
      end
    end
    if R.iscallable(cb) then R.enqueue_tick(cb, R.pack()) end
    return true
  end
end
process.stdout = R.newobj()
R.method(process.stdout, "write", 1, stream_write(function(s) R.write_out(s) end))
process.stderr = R.newobj()
R.method(process.stderr, "write", 1, stream_write(function(s) R.write_err(s) end))
-- process.stdin is made on first read (ljs.node_stdin): a program that never reads it pays nothing
R.defprop(process, "stdin", {get = function() return require("ljs.node_stdin").stdin() end,
                             enumerable = true, configurable = true})

local performance = R.newobj()
R.hidden(G, "performance", performance)
local perf_now = R.method(performance, "now", 0, function() return R.now_ms() - R.start_ms end)
-- the wall-clock time performance.now() counts from, read once (Date loads on first use)
local time_origin
R.defprop(performance, "timeOrigin", {get = R.fn(function()
  time_origin = time_origin or (G.Date.now() - perf_now())
  return time_origin
end, "get timeOrigin", 0), enumerable = true, configurable = true})

-- mark, measure and the entry lists: entries are objects of PerformanceMark / PerformanceMeasure
-- with node's fields (name, entryType, startTime, duration, detail)
local entries = {}
local function entry_class(name)
  local proto = R.newobj()
  R.ctor(name, 0, function() R.type_error("Illegal constructor") end, proto)
  return R.protomt(proto)
end
local MarkMT, MeasureMT = entry_class("PerformanceMark"), entry_class("PerformanceMeasure")
local function entry(mt, name, kind, start, duration, detail)
  local e = setmetatable({}, mt)
  -- (a statement each: the keys' order is the order of the stores)
  e.name = name
  e.entryType = kind
  e.startTime = start
  e.duration = duration
  e.detail = detail == nil and R.null or detail
  entries[#entries + 1] = e
  return e
end
local function mark_time(name)
  for i = #entries, 1, -1 do
    local e = entries[i]
    if e.entryType == "mark" and e.name == name then return e.startTime end
  end
  R.throw_error("SyntaxError", 'The "' .. name .. '" performance mark has not been set')
end
R.method(performance, "mark", 2, function(_, name, opts)
  local start, detail = perf_now(), nil
  if R.isobject(opts) then
    if opts.startTime ~= nil then start = R.tonum(opts.startTime) end
    detail = opts.detail
  end
  return entry(MarkMT, R.tostr(name), "mark", start, 0, detail)
end)
R.method(performance, "measure", 3, function(_, name, a, b)
  local start, finish, detail = 0, perf_now(), nil
  if R.isobject(a) then
    detail = a.detail
    if a.start ~= nil then start = type(a.start) == "string" and mark_time(a.start) or R.tonum(a.start) end
    if a["end"] ~= nil then finish = type(a["end"]) == "string" and mark_time(a["end"]) or R.tonum(a["end"]) end
  else
    if a ~= nil then start = mark_time(R.tostr(a)) end
    if b ~= nil then finish = mark_time(R.tostr(b)) end
  end
  return entry(MeasureMT, R.tostr(name), "measure", start, finish - start, detail)
end)
local function listed(keep)
  local out = R.pack()
  for i = 1, #entries do if keep(entries[i]) then out[out.length] = entries[i] end end
  return out
end
R.method(performance, "getEntries", 0, function() return listed(function() return true end) end)
R.method(performance, "getEntriesByName", 2, function(_, name, kind)
  return listed(function(e) return e.name == name and (kind == nil or e.entryType == kind) end)
end)
R.method(performance, "getEntriesByType", 1, function(_, kind)
  return listed(function(e) return e.entryType == kind end)
end)
local function clearer(kind)
  return function(_, name)
    local kept = {}
    for i = 1, #entries do
      local e = entries[i]
      if not (e.entryType == kind and (name == nil or e.name == name)) then kept[#kept + 1] = e end
    end
    entries = kept
  end
end
R.method(performance, "clearMarks", 1, clearer("mark"))
R.method(performance, "clearMeasures", 1, clearer("measure"))

-- node's process additions (env, hrtime.bigint, versions, ...)
try_require("ljs.node_process")
-- loaded when the program first reads one of their globals (or requires node's buffer or url)
R.lazy_globals("ljs.webapi", {"DOMException", "atob", "btoa", "TextEncoder", "TextDecoder", "structuredClone",
                              "URL", "URLSearchParams"})
R.lazy_globals("ljs.webevents", {"Event", "EventTarget", "CustomEvent", "AbortController", "AbortSignal"})
R.lazy_globals("ljs.node_buffer", {"Buffer"})
R.lazy_globals("ljs.node_crypto", {"crypto"})
-- RegExp, Date, Map and Set too: the largest built-ins (a quarter of the heap), which the rest of
-- the runtime only asks about through guards (R.isregexp, R.date_value, R.coll_kind) until one exists
R.lazy_globals("ljs.regexp", {"RegExp"})
R.lazy_globals("ljs.date", {"Date"})
R.lazy_globals("ljs.json", {"JSON"})
R.lazy_globals("ljs.collections", {"Map", "Set", "WeakMap", "WeakSet"})
R.lazy_globals("ljs.weakref", {"WeakRef", "FinalizationRegistry"})
R.lazy_globals("ljs.intl", {"Intl"})
-- ArrayBuffer, DataView and the typed arrays: guarded the same way (R.typed_kind, R.is_arraybuffer);
-- what makes them from a host or another module requires ljs.typedarray first
R.lazy_globals("ljs.typedarray", {"ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray",
                                  "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array",
                                  "Float64Array", "BigInt64Array", "BigUint64Array"})
R.lazy_functions("ljs.regexp", {"re_lit_test", "re_lit_exec", "re_arg"})
-- a regular expression literal; ljs.regexp replaces this with its own on loading
R.regex = R.regex or function(source, flags)
  require("ljs.regexp")
  return R.regex(source, flags)
end

-- the console exists even before ljs.console provides node's formatting
if rawget(G, "console") == nil then
  local console = R.newobj()
  R.hidden(G, "console", console)
  local function line(...)
    local n = select("#", ...)
    local parts = {}
    for i = 1, n do local v = (select(i, ...)); parts[i] = R.inspect and (type(v) == "string" and v or R.inspect(v)) or R.tostr(v) end
    return table.concat(parts, " ") .. "\n"
  end
  R.method(console, "log", 0, function(_, ...) R.write_out(line(...)) end)
  R.method(console, "error", 0, function(_, ...) R.write_err(line(...)) end)
  R.method(console, "warn", 0, function(_, ...) R.write_err(line(...)) end)
  R.method(console, "info", 0, function(_, ...) R.write_out(line(...)) end)
end

-- Printed when a rejection is never handled; the host decides the exit code. A reason that is
-- no Error becomes node's UnhandledPromiseRejection error, which names it.
function R.unhandled_rejection(v)
  if not R.is_error(v) then
    local text = R.isobject(v) and R.descr(v) or R.tostr(v)
    local e = R.make_error("Error", "This error originated either by throwing inside of an async function " ..
      "without a catch block, or by rejecting a promise which was not handled with .catch(). The promise " ..
      'rejected with the reason "' .. text .. '".')
    e.name = "UnhandledPromiseRejection"
    e.code = "ERR_UNHANDLED_REJECTION"
    v = e
  end
  error(setmetatable({value = v, unhandled = true}, R.UNCAUGHT), 0)
end
R.UNCAUGHT = {}

---------------------------------------------------------------------------------------------
-- eval and the Function constructor: the host compiles source at run time. eval is always
-- indirect (global scope): a direct eval cannot see the caller's locals here.
local eval_count = 0
local function eval_source(src)
  if not R.host_eval then R.throw_error("EvalError", "eval is not available") end
  local lua, err = R.host_eval(src)
  if not lua then R.throw_error("SyntaxError", err or "invalid code") end
  eval_count = eval_count + 1
  local chunk, lerr = load(lua, "=eval#" .. eval_count)
  if not chunk then R.throw_error("SyntaxError", lerr) end
  local mod = R.new_record((R.cwd or ".") .. "/<eval>", R.cwd or ".")
  chunk(R, mod)
  local v = rawget(G, "__luascript_eval_result")
  rawset(G, "__luascript_eval_result", nil)
  return v
end
R.eval_source = eval_source

R.hidden(G, "eval", R.fn(function(_, src)
  if type(src) ~= "string" then return src end
  return eval_source(src)
end, "eval", 1))

local FunctionCtor
FunctionCtor = function(this, ...)
  local nt = R.fn_new_target(this)
  local n = select("#", ...)
  local params, body = {}, ""
  for i = 1, n - 1 do params[i] = R.tostr((select(i, ...))) end
  if n > 0 then body = R.tostr((select(n, ...))) end
  local src = "globalThis.__luascript_eval_result = (function anonymous(" .. table.concat(params, ",") ..
    "\n) {\n" .. body .. "\n});"
  local f = eval_source(src)
  -- constructed for a subclass (`class A extends Function`, through super()): the function is
  -- the instance, so it takes the subclass's prototype, which `this` was made with
  if nt ~= nil and nt ~= FunctionCtor then R.setproto(R.fprop_table(f), R.getproto(this)) end
  return f
end
R.fn(FunctionCtor, "Function", 1)
R.reads_new_target(FunctionCtor)
rawset(R.fprop_table(FunctionCtor), "prototype", R.FunctionPrototype)
rawset(R.FunctionPrototype, "constructor", FunctionCtor)
rawset(G, "Function", FunctionCtor)
rawset(R.FunctionPrototype, "name", "")
rawset(R.FunctionPrototype, "length", 0)

-- $262: the host hooks test262's harness uses
local host262 = R.newobj()
R.hidden(G, "$262", host262)
host262.global = G
R.method(host262, "evalScript", 1, function(_, src) return eval_source(R.tostr(src)) end)
R.method(host262, "gc", 0, function() collectgarbage() end)
R.method(host262, "detachArrayBuffer", 1, function(_, buf)
  if R.detach_buffer then return R.detach_buffer(buf) end
  R.type_error("detachArrayBuffer is not supported")
end)

---------------------------------------------------------------------------------------------
-- Modules: records are JS objects shaped as node's (id, path, exports, filename, loaded,
-- children, paths; parent and require on the prototype) with raw __filename, __dirname and the
-- module's own `require` function, which the compiled chunk reads. The host resolves and compiles.
local modules = R.newobj()   -- resolved path -> record; require.cache is this object
R.modules = modules
local builtin_modules = {}
R.builtin_modules = builtin_modules
builtin_modules.ternary = function() return require("ternary.init") end   -- ternary/*.lua, on first use
builtin_modules.gpu = function() return require("ljs.gpu").exports end   -- gpu.matmul, gpu.deviceInfo, ...
builtin_modules.openvino = function() return require("openvino.init") end   -- openvino/*.lua, on first use
builtin_modules["openvino-node"] = builtin_modules.openvino   -- its `addon` is the module itself

-- node's core modules: a name here that builtin_modules lacks loads as a module whose every
-- function throws when called, naming itself, so that a package that only touches it in some
-- code path still loads
local NODE_CORE = {}
for name in string.gmatch(require("ljs.node_core_names"), "%S+") do NODE_CORE[name] = true end
R.NODE_CORE = NODE_CORE
-- events, util, assert, path and the rest of ljs.nodelib register themselves when a program first
-- asks for a node core module: most programs never do, and each GC cycle sweeps what is loaded
setmetatable(builtin_modules, {__index = function(t, name)
  if not NODE_CORE[name] then return nil end
  setmetatable(t, nil)
  require("ljs.nodelib")
  return rawget(t, name)
end})

local function missing_function(modname, key)
  return R.fn(function()
    local e = R.make_error("Error", "LuaScript does not provide node's '" .. modname .. "' module (" ..
      modname .. "." .. key .. " was called)")
    e.code = "ERR_LUASCRIPT_UNSUPPORTED"
    R.throw(e)
  end, key, 0)
end

local function unsupported_module(modname)
  local handler = R.newobj()
  local fns = {}
  handler.get = R.fn(function(_, target, key, receiver)
    if type(key) ~= "string" or key == "then" or key == "__esModule" then return nil end
    if key == "default" then return receiver end
    local f = fns[key]
    if not f then f = missing_function(modname, key); fns[key] = f end
    return f
  end, "get", 3)
  return R.new2(G.Proxy, R.newobj(), handler)
end

local unsupported, unsupported_set = {}, {}
local function core_module(name)
  local b = builtin_modules[name]
  if b then return b() end
  if name == "process" then return G.process end
  if name == "console" then return G.console end
  local m = unsupported[name]
  if not m then
    m = unsupported_module(name)
    unsupported[name] = m
    unsupported_set[m] = true
  end
  return m
end

-- a node built-in by this specifier, or nil
local function builtin(spec)
  local b = builtin_modules[spec]
  if b then return b end
  local name = string.match(spec, "^node:(.*)$")
  if (name and name ~= "") or NODE_CORE[spec] then
    name = name or spec
    if builtin_modules[name] or NODE_CORE[name] then return function() return core_module(name) end end
    local e = R.make_error("Error", "No such built-in module: " .. spec)
    e.code = "ERR_UNKNOWN_BUILTIN_MODULE"
    R.throw(e)
  end
  return nil
end

local function dirname(path) return string.match(path, "^(.*)/[^/]*$") or "." end

-- node_modules folders from dir up to the root
local function node_modules_paths(dir)
  local out, n = R.pack(), 0
  while true do
    if not string.match(dir, "/node_modules$") then
      rawset(out, n, (dir == "/" and "" or dir) .. "/node_modules"); n = n + 1
    end
    local parent = string.match(dir, "^(.*)/[^/]*$")
    if parent == nil or parent == dir then break end
    if parent == "" then
      if dir == "/" then break end
      parent = "/"
    end
    dir = parent
  end
  rawset(out, "length", n)
  return out
end

local ModulePrototype = R.newobj()
R.defprop(ModulePrototype, "parent", {get = function(this)
  local p = type(this) == "table" and rawget(this, "__parent")
  if p == nil then return nil end
  return p or null
end, enumerable = false, configurable = true})
R.method(ModulePrototype, "require", 1, function(this, spec) return R.require_from(this, spec) end)

local main_module
local resolve_path

local function make_require(m)
  local req = R.fn(function(_, spec) return R.require_from(m, spec) end, "require", 1)
  local resolve = R.fn(function(_, spec, options)
    spec = R.tostr(spec)
    if builtin(spec) then return spec end
    local paths = type(options) == "table" and options ~= null and options.paths
    if type(paths) == "table" and paths ~= null then
      local last
      for i = 0, (paths.length or 0) - 1 do
        local ok, p = pcall(resolve_path, m, spec, "require", R.tostr(paths[i]))
        if ok then return p end
        last = p
      end
      if last then error(last, 0) end
    end
    return resolve_path(m, spec, "require")
  end, "resolve", 2)
  R.method(resolve, "paths", 1, function(_, spec)
    spec = R.tostr(spec)
    if builtin_modules[spec] or NODE_CORE[spec] or string.match(spec, "^node:") then return null end
    if string.match(spec, "^%.%.?/") or spec == "." or spec == ".." then return R.pack(rawget(m, "__dirname")) end
    return node_modules_paths(rawget(m, "__dirname"))
  end)
  local t = R.fprop_table(req)
  t.resolve = resolve
  R.defprop(req, "main", {get = function() return main_module end, enumerable = true, configurable = true})
  t.cache = modules
  return req
end

local function new_record(path, dir, parent)
  local m = R.newobj(ModulePrototype)
  m.id = path
  m.path = dir
  m.exports = R.newobj()
  m.filename = path
  m.loaded = false
  m.children = R.pack()
  m.paths = node_modules_paths(dir)
  rawset(m, "__filename", path)
  rawset(m, "__dirname", dir)
  rawset(m, "__parent", parent or false)
  rawset(m, "require", make_require(m))
  return m
end
R.new_record = new_record

-- the program's entry module: id ".", require.main
function R.new_main_record(path)
  local m = new_record(path, dirname(path))
  m.id = "."
  rawset(m, "main", true)
  main_module = m
  modules[path] = m
  return m
end

-- node:module: createRequire for ES modules that load CommonJS code, and the list of built-ins
builtin_modules.module = function()
  local m = R.newobj()
  R.method(m, "createRequire", 1, function(_, filename)
    local f = filename
    if type(f) == "table" and f ~= null then f = f.href end
    f = R.tostr(f)
    f = string.match(f, "^file://(.*)$") or f
    if string.sub(f, 1, 1) ~= "/" then
      local e = R.make_error("TypeError", "The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received " .. R.inspect(filename))
      e.code = "ERR_INVALID_ARG_VALUE"
      R.throw(e)
    end
    local dir = string.sub(f, -1) == "/" and string.sub(f, 1, -2) or dirname(f)
    return rawget(new_record(f, dir), "require")
  end)
  local names = {}
  for name in pairs(NODE_CORE) do names[#names + 1] = name end
  table.sort(names)
  m.builtinModules = R.pack(unpack(names))
  R.method(m, "isBuiltin", 1, function(_, name)
    name = R.tostr(name)
    return NODE_CORE[string.match(name, "^node:(.*)$") or name] == true
  end)
  return m
end

local function add_child(parent, child)
  local ch = rawget(parent, "children")
  if type(ch) ~= "table" or not R.isarray(ch) then return end
  local n = rawget(ch, "length") or 0
  for i = 0, n - 1 do if rawget(ch, i) == child then return end end
  rawset(ch, n, child)
  rawset(ch, "length", n + 1)
end

local function require_stack(mod)
  local out, seen = {}, {}
  while type(mod) == "table" and not seen[mod] do
    seen[mod] = true
    local f = rawget(mod, "__filename")
    if f then out[#out + 1] = "- " .. f end
    mod = rawget(mod, "__parent")
  end
  return out
end

-- host hooks: resolve(spec, from_dir, kind) -> path, or nil, message, code; load(path) -> chunk
local resolved = {}   -- kind .. dir .. spec -> path: as node's path cache, a require in a loop asks the host once
function resolve_path(mod, spec, kind, from_dir)
  local dir = from_dir or rawget(mod, "__dirname") or R.cwd or "."
  local key = kind .. "\0" .. dir .. "\0" .. spec
  local path = resolved[key]
  if path then return path end
  local err, code
  path, err, code = R.host_resolve(spec, dir, kind)
  if path then resolved[key] = path; return path end
  code = code or "MODULE_NOT_FOUND"
  local msg = err or ("Cannot find module '" .. spec .. "'")
  if code == "ERR_MODULE_NOT_FOUND" then msg = msg .. " imported from " .. (rawget(mod, "__filename") or dir) end
  local stack = code == "MODULE_NOT_FOUND" and require_stack(mod) or {}
  if #stack > 0 then msg = msg .. "\nRequire stack:\n" .. table.concat(stack, "\n") end
  local e = R.make_error("Error", msg)
  e.code = code
  if #stack > 0 then
    for i = 1, #stack do stack[i] = string.sub(stack[i], 3) end
    e.requireStack = R.pack(unpack(stack))
  end
  R.throw(e)
end

local function run_record(rec, path)
  if string.match(path, "%.json$") then
    local ok, v = pcall(G.JSON.parse, nil, R.host_read(path))
    if not ok then
      local e = R.caught(v)
      if R.is_error(e) then e.message = path .. ": " .. R.tostr(e.message) end
      error(v, 0)
    end
    rec.exports = v
    return
  end
  R.host_load(path)(R, rec)
end

-- `lua:NAME` imports Lua module NAME (a sandbox replaces this with a refusal)
R.lua_import = require

-- the record of spec imported by mod (nil for a built-in) and the module's exports
local function load(mod, spec, kind)
  spec = R.tostr(spec)
  local b = builtin(spec)
  if b then return nil, b() end
  if string.sub(spec, 1, 4) == "lua:" then return nil, R.lua_import(string.sub(spec, 5)) end
  local path = resolve_path(mod, spec, kind)
  local rec = rawget(modules, path)
  if rec then
    add_child(mod, rec)
    return rec, rec.exports
  end
  rec = new_record(path, dirname(path), mod)
  modules[path] = rec
  add_child(mod, rec)
  local ok, err = pcall(run_record, rec, path)
  if not ok then
    -- as node does: a module that threw is not cached, so requiring it again retries it
    if rawget(modules, path) == rec then R.delete(modules, path) end
    error(err, 0)
  end
  rec.loaded = true
  return rec, rec.exports
end

function R.require_from(mod, spec)
  local rec, exports = load(mod, spec, "require")
  if rec and rawget(rec, "esm") then
    -- require() of an ES module: its namespace, or what it exports as "module.exports" (node 20.19+)
    local v = exports["module.exports"]
    if v ~= nil then return v end
  end
  return exports
end

-- import: the module namespace; CommonJS modules get `default` = module.exports
local interop = setmetatable({}, {__mode = "k"})
local interop_ns = setmetatable({}, {__mode = "k"})   -- those namespace objects, for util.types
function R.is_interop_namespace(v) return interop_ns[v] == true end
function R.import(mod, spec)
  local rec, exp = load(mod, spec, "import")
  if rec and rawget(rec, "esm") then return exp end
  if type(exp) == "table" and exp ~= null and rawget(exp, "__esModule") then return exp end
  local ns = interop[exp or false]
  if ns then return ns end
  if unsupported_set[exp] then return exp end   -- its proxy serves any name and `default` itself
  ns = R.newobj()
  if R.isobject(exp) then
    -- a built-in's methods are often made non-enumerable here (R.method); node's are named exports
    local ks, n = R.ownkeys(exp, false, rec == nil)
    for i = 1, n do
      local k = ks[i]
      if k ~= "prototype" or type(exp) ~= "function" then ns[k] = exp[k] end
    end
  end
  ns.default = exp
  if exp ~= nil then interop[exp] = ns end
  interop_ns[ns] = true
  return ns
end

function R.dynamic_import(mod, spec)
  local ok, ns = pcall(R.import, mod, spec)
  local p = R.new_promise()
  if ok then R.resolve_promise(p, ns) else R.reject_promise(p, R.caught(ns)) end
  return p
end

-- import.meta: url, filename, dirname and resolve(), made on first use (few modules read it)
local URL_ESCAPE = "[%z\1-\32\127-\255\"#%%<>?`{}\\]"
local function file_url(path)
  return "file://" .. string.gsub(path, URL_ESCAPE, function(c) return string.format("%%%02X", string.byte(c)) end)
end

local function join_path(dir, rel)
  local parts = {}
  for seg in string.gmatch(string.sub(rel, 1, 1) == "/" and rel or (dir .. "/" .. rel), "[^/]+") do
    if seg == ".." then parts[#parts] = nil elseif seg ~= "." then parts[#parts + 1] = seg end
  end
  return "/" .. table.concat(parts, "/") .. (string.sub(rel, -1) == "/" and #parts > 0 and "/" or "")
end

-- import.meta.resolve(spec): a relative specifier is joined to the module's URL as URLs join
-- (no file needs to exist, as in node); a bare one is resolved like an import
local function meta_resolve(mod, spec)
  spec = R.tostr(spec)
  local dir = rawget(mod, "__dirname") or R.cwd or "."
  local first = string.sub(spec, 1, 1)
  if first == "." or first == "/" then
    local path, suffix = string.match(spec, "^([^?#]*)(.*)$")
    return file_url(join_path(dir, path)) .. suffix
  end
  local name = string.match(spec, "^node:(.*)$") or spec
  if NODE_CORE[name] then return "node:" .. name end
  return file_url(resolve_path(mod, spec, "import"))
end

local META = {}   -- the record's key for it: not a property JS code could see
function R.import_meta(mod)
  local meta = rawget(mod, META)
  if meta then return meta end
  meta = setmetatable({}, R.protomt(null))
  local file = rawget(mod, "__filename") or ""
  meta.dirname = rawget(mod, "__dirname")
  meta.filename = file
  meta.resolve = R.fn(function(_, spec) return meta_resolve(mod, spec) end, "resolve", 1)
  meta.url = file_url(file)
  rawset(mod, META, meta)
  return meta
end

-- ES module namespaces: the module writes plain values (and re-export getters) into a store;
-- the namespace object reads it, lists its keys sorted, and refuses writes.
local stores = setmetatable({}, {__mode = "k"})    -- store -> getters of re-exported names

local function store_get(store, getters, k)
  local v = rawget(store, k)
  if v == nil then
    local g = getters[k]
    if g then return g() end
  end
  return v
end

function R.esm_store(mod)
  local store, getters = {}, {}
  stores[store] = getters
  local function keys()
    local out, n = {}, 0
    for k in pairs(store) do if type(k) == "string" then n = n + 1; out[n] = k end end
    for k in pairs(getters) do if rawget(store, k) == nil then n = n + 1; out[n] = k end end
    table.sort(out)
    return out, n
  end
  local mt = {
    proto = null, kind = "namespace", frozen = true,
    __index = function(_, k)
      if k == R.sym_toStringTag then return "Module" end
      return store_get(store, getters, k)
    end,
    __newindex = function(_, k)
      R.type_error("Cannot assign to read only property '" .. R.keystr(k) .. "' of object '[object Module]'")
    end,
    enum_hook = function() return keys() end,
    ownkeys_hook = function(_, k) return rawget(store, k) ~= nil or getters[k] ~= nil end,
    desc_hook = function(_, k)
      if rawget(store, k) == nil and getters[k] == nil then return nil end
      return {value = store_get(store, getters, k), writable = true, enumerable = true, configurable = false}
    end,
  }
  mod.exports = setmetatable({}, mt)
  rawset(mod, "esm", true)
  return store
end

function R.export_star(exports, ns)
  local ks, n = R.ownkeys(ns)
  for i = 1, n do
    local k = ks[i]
    if k ~= "default" then R.reexport(exports, k, ns, k) end
  end
end

function R.reexport(exports, name, ns, key)
  local getters = stores[exports]
  if getters then getters[name] = function() return ns[key] end; return end
  R.defprop(exports, name, {get = function() return ns[key] end, enumerable = true, configurable = true})
end

return R
