-- ljs.varargs: the runtime functions that take a call's arguments as they come, a rest
-- parameter's array (R.pack) and the arguments object (R.arguments).
--
-- This module always loads from source, never from the runtime's cached bytecode (see
-- luascript/runtime.py): LuaJIT compiles a call into a vararg function that passes its `...` on
-- into a trace that goes back to the interpreter on every call when the function was loaded from
-- string.dump bytecode. Measured here: 3 million calls of `(...xs) => xs.length` took 0.003 s
-- from source and 1.2 s from bytecode. Neither function copies with select(i, ...) in a loop
-- either, which LuaJIT does not compile at all ("NYI: unsupported variant of FastFunc select"):
-- up to 8 (4) values are copied unrolled, more through a table.
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
function R.arguments(...)
  local n = select("#", ...)
  local s = arg_shapes[n] or arg_shape(n)
  if s.owned then s = own_shape(s) end   -- (past the shared shapes' size: each object its own)
  local t = tnew(n, 4)
  t.length, t[SHAPE], t[sym_iterator] = n, s, R.array_values
  if n <= 4 then
    local a, b, c, d = ...
    if n > 0 then t[0] = a end
    if n > 1 then t[1] = b end
    if n > 2 then t[2] = c end
    if n > 3 then t[3] = d end
  else
    local args = {...}
    for i = 1, n do t[i - 1] = args[i] end
  end
  return setmetatable(t, ArgumentsMT)
end

return R
