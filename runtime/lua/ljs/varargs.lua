-- ljs.varargs: the runtime functions that take a call's arguments as they come or pass a list
-- of values on: a rest parameter's array (R.pack), the arguments object (R.arguments),
-- Function.prototype.call, the functions bind makes, super(...) (R.super_call), an array's
-- values as arguments (R.values_of).
--
-- Neither function copies with select(i, ...) in a loop, which LuaJIT does not compile at all
-- ("NYI: unsupported variant of FastFunc select"): up to 8 (4) values are copied unrolled, more
-- through a table.
local R = require("ljs.core")
local select, setmetatable = select, setmetatable
local tnew = require("table.new")
local ArrayMT, ArgumentsMT, SHAPE, sym_iterator = R.ArrayMT, R.ArgumentsMT, R.SHAPE, R.sym_iterator
local shape, own_shape = R.shape, R.own_shape

function R.pack(...)
  local n = select("#", ...)
  if n <= 8 then
    local a, b, c, d, e, f, g, h = ...
    return setmetatable({[0] = a, b, c, d, e, f, g, h, length = n}, ArrayMT)
  end
  local args, t = {...}, {length = n}
  for i = 1, n do t[i - 1] = args[i] end
  return setmetatable(t, ArrayMT)
end

-- The arguments object of a call. Its indices are the keys of its shape (one per count of
-- arguments); length, callee and Symbol.iterator are own keys outside it, not enumerable.
local arg_shapes = {}
local function arg_shape(n)
  local keys = {}
  for i = 1, n do keys[i] = i - 1 end
  local s = shape(keys)
  arg_shapes[n] = s
  return s
end

-- A function makes its arguments object before it knows whether it lets the object out. So it
-- makes all of it but its own Symbol.iterator, whose key (a table, not a string) keeps a trace
-- from sinking the allocation: a call that only reads arguments.length and arguments[i] then
-- allocates nothing. Every other use of `arguments` in the function passes it through
-- R.args_full first (the compiler sees to it), which adds the key and the ordinary metatable.
local ArgsLiteMT = {arguments = true}
ArgsLiteMT.__index = function(o, k)
  if k == sym_iterator then return R.array_values end
  local idx = ArgumentsMT.__index   -- (read at each call: set_index replaces it)
  if type(idx) == "function" then return idx(o, k) end
  if idx then return idx[k] end
end
R.ArgsLiteMT = ArgsLiteMT

function R.arguments(...)
  local n = select("#", ...)
  local s = arg_shapes[n] or arg_shape(n)
  if s.owned then s = own_shape(s) end   -- (past the shared shapes' size: each object its own)
  if n <= 4 then   -- (one table constructor: a template copy, which a trace can sink)
    local a, b, c, d = ...
    return setmetatable({[0] = a, b, c, d, length = n, ["\255"] = s}, ArgsLiteMT)   -- ("\255": SHAPE)
  end
  local t = tnew(n, 3)
  t.length, t[SHAPE] = n, s
  local args = {...}
  for i = 1, n do t[i - 1] = args[i] end
  return setmetatable(t, ArgsLiteMT)
end

function R.args_full(t)
  if getmetatable(t) == ArgsLiteMT then
    rawset(t, sym_iterator, R.array_values)
    setmetatable(t, ArgumentsMT)
  end
  return t
end

-- t[0..n-1] as values. Up to 6 are returned by name: a call taking unpack's results does not
-- form a looping trace on this LuaJIT (it ends in a "return" link, 40 ns a call), one taking
-- listed values does.
function R.values_of(t, n)
  if n <= 3 then
    if n == 3 then return t[0], t[1], t[2] end
    if n == 2 then return t[0], t[1] end
    if n == 1 then return t[0] end
    return
  elseif n <= 6 then
    if n == 4 then return t[0], t[1], t[2], t[3] end
    if n == 5 then return t[0], t[1], t[2], t[3], t[4] end
    return t[0], t[1], t[2], t[3], t[4], t[5]
  end
  return R.unpack_range(t, 0, n - 1)
end

function R.fn_call(f, this, ...)
  if not R.iscallable(f) then R.type_error("Function.prototype.call called on non-function") end
  return f(this, ...)
end

local unpack = unpack
-- The function bind makes: up to 3 bound arguments are upvalues, more are copied per call.
function R.bound_call(f, this, nb, a, b, c, ...)
  if nb == 0 then return function(_, ...) return f(this, ...) end end
  if nb == 1 then return function(_, ...) return f(this, a, ...) end end
  if nb == 2 then return function(_, ...) return f(this, a, b, ...) end end
  if nb == 3 then return function(_, ...) return f(this, a, b, c, ...) end end
  local pre = {a, b, c, ...}
  return function(_, ...)
    local n2 = select("#", ...)
    local all, rest = {}, {...}
    for i = 1, nb do all[i] = pre[i] end
    for i = 1, n2 do all[nb + i] = rest[i] end
    return f(this, unpack(all, 1, nb + n2))
  end
end

-- super(...args) in a derived constructor: the base constructs `this`, unless it returns an object
-- (class X extends null: V8 names the base and the class)
local function constructor_of(this) return this.constructor end
local function not_a_super_constructor(base, this)
  local ok, c = pcall(constructor_of, this)
  local name = ok and type(c) == "function" and R.fnames[c] or ""
  R.type_error("Super constructor " .. (base == R.null and "null" or R.tostr(base)) .. " of "
               .. (name ~= "" and name or "anonymous class") .. " is not a constructor")
end

-- (no closure in here: a function holding one closes upvalues at every return, which ends a
-- trace through it, and every derived construction passes here)
function R.super_call(base, this, ...)
  local r
  if type(base) ~= "function" and not R.iscallable(base) then not_a_super_constructor(base, this) end
  if R.nt_readers[base] then
    -- a function base that reads new.target: the class `this` was made for (found only then,
    -- as every derived construction passes here)
    r = R.call_as_new(base, R.new_target(this), this, ...)
  else
    r = base(this, ...)
  end
  if r ~= nil and R.isobject(r) and r ~= this then return r end
  return this
end

return R
