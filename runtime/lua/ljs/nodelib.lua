-- ljs.nodelib: node's core modules `events`, `util`, `assert` and `path` (POSIX), the ones
-- pure-JavaScript programs require most, as built-in modules: require("events"),
-- require("node:util"), import assert from "assert", ... Each module's exports object is built
-- on its first require. Behaviour, messages and error codes follow node 20's lib/events.js,
-- lib/util.js, lib/assert.js, lib/internal/assert/assertion_error.js,
-- lib/internal/util/comparisons.js and lib/path.js.
local R = require("ljs.core")
local null, G = R.null, R.G
local type, rawget, rawset, getmetatable, select, pcall, tostring, tonumber =
      type, rawget, rawset, getmetatable, select, pcall, tostring, tonumber
local sbyte, ssub, sfind, srep, sgsub, smatch = string.byte, string.sub, string.find, string.rep, string.gsub, string.match
local concat = table.concat
local huge = math.huge
local unpack = unpack

local loaders = {}     -- module name -> function building its exports
local built = {}       -- module name -> exports, once built

---------------------------------------------------------------------------------------------
-- Helpers

local function typeof(v) return R.typeof(v) end
local function is_callable(v) return type(v) == "function" or R.typeof(v) == "function" end
-- typeof v === 'object' && v !== null
local function is_objtype(v) return v ~= null and R.typeof(v) == "object" end
local function isnan(v) return type(v) == "number" and v ~= v end

-- ===
local function strict_eq(a, b)
  if type(a) == "number" and type(b) == "number" then return a == b end
  return rawequal(a, b)
end

-- Object.is
local function object_is(a, b)
  if type(a) == "number" and type(b) == "number" then
    if a ~= a then return b ~= b end
    if a == 0 and b == 0 then return 1 / a == 1 / b end
    return a == b
  end
  return rawequal(a, b)
end

-- A built-in function: JS name and length, not a constructor.
local function builtin(name, len, f)
  R.fn(f, name, len)
  R.arrows[f] = true
  return f
end

local put = R.own_put

local function export(o, name, len, f)
  return put(o, name, builtin(name, len, f))
end

-- A JS object with keys in the order given: jsobject("a", 1, "b", 2)
local function jsobject(...)
  local o = R.newobj()
  for i = 1, select("#", ...), 2 do
    local k, v = select(i, ...)
    R.addkey(o, k)
    rawset(o, k, v)
  end
  return o
end

local symbol_for = R.symbol_for

local function inspect(v, opts) return R.inspect(v, opts) end

local function split(s, sep)
  local out, n, pos = {}, 0, 1
  while true do
    local a = sfind(s, sep, pos, true)
    n = n + 1
    if not a then out[n] = ssub(s, pos); break end
    out[n] = ssub(s, pos, a - 1)
    pos = a + #sep
  end
  return out, n
end

-- JS s.slice(0, n) in UTF-16 code units
local function u16prefix(s, n) return R.str_sub(s, 0, n) end

local function getproto_of(v)
  if type(v) == "function" then
    local fp = R.fprops[v]
    if fp == nil then return R.FunctionPrototype end
    local p = R.getproto(fp)
    if p == R.ObjectPrototype then return R.FunctionPrototype end
    return p
  end
  return R.getproto(v)
end

-- Object.prototype.isPrototypeOf: is `base` on the prototype chain of `v`?
local function on_chain(v, base)
  local p = getproto_of(v)
  local guard = 0
  while p ~= nil and p ~= null and guard < 10000 do
    if rawequal(p, base) then return true end
    p = getproto_of(p)
    guard = guard + 1
  end
  return false
end

local function is_error(v)
  return type(v) == "table" and (R.has_error_data(v) or R.is_error(v))
end

local function regexp_exec(rx, s)
  local exec = rx.exec
  if not is_callable(exec) then exec = rawget(R.RegExpPrototype, "exec") end
  local r = exec(rx, s)
  return r ~= nil and r ~= null
end

---------------------------------------------------------------------------------------------
-- node's internal errors: TypeError [ERR_INVALID_ARG_TYPE]: ..., with a `code`
local coded_protos = {}
local function coded_error(kind, code, msg)
  local e = R.make_error(kind, msg)
  local p = coded_protos[kind]
  if p == nil then
    p = R.newobj(R.getproto(e))
    R.method(p, "toString", 0, function(this)
      return R.tostr(this.name) .. " [" .. R.tostr(this.code) .. "]: " .. R.tostr(this.message)
    end)
    coded_protos[kind] = p
  end
  R.setproto(e, p)
  e.code = code
  local st = R.stack_lines and R.stack_lines(3) or ""
  R.set_error_stack(e, kind .. " [" .. code .. "]: " .. msg .. (st ~= "" and ("\n" .. st) or ""))
  return e
end

local function throw_coded(kind, code, msg) R.throw(coded_error(kind, code, msg)) end

-- node's AbortError, what an aborted events.once / events.on rejects with: an Error named
-- AbortError with code ABORT_ERR (own keys in that order) and the signal's reason as cause
local AbortErrorProto
local function abort_error(cause)
  if AbortErrorProto == nil then
    AbortErrorProto = R.newobj(R.ErrorPrototype)
    local ctor = R.fn(function(this) return this end, "AbortError", 0)
    rawset(R.fprop_table(ctor), "prototype", AbortErrorProto)
    rawset(AbortErrorProto, "constructor", ctor)
    R.note_hidden(AbortErrorProto, "constructor")
  end
  local msg = "The operation was aborted"
  local e = R.make_error("Error", msg)
  R.setproto(e, AbortErrorProto)
  R.addkey(e, "code"); rawset(e, "code", "ABORT_ERR")
  R.addkey(e, "name"); rawset(e, "name", "AbortError")
  R.defprop(e, "cause", {value = cause, writable = true, enumerable = false, configurable = true})
  local st = R.stack_lines and R.stack_lines(3) or ""
  R.set_error_stack(e, "AbortError: " .. msg .. (st ~= "" and ("\n" .. st) or ""))
  return e
end

local function specific_type(v)
  if v == null then return "null" end
  if v == nil then return "undefined" end
  local t = typeof(v)
  if t == "number" then
    if v == 0 then return 1 / v < 0 and "type number (-0)" or "type number (0)" end
    if v ~= v then return "type number (NaN)" end
    if v == huge then return "type number (Infinity)" end
    if v == -huge then return "type number (-Infinity)" end
    return "type number (" .. R.numtostr(v) .. ")"
  elseif t == "boolean" then
    return v and "type boolean (true)" or "type boolean (false)"
  elseif t == "symbol" then
    return "type symbol (" .. tostring(v) .. ")"
  elseif t == "function" then
    return "function " .. R.tostr(v.name)
  elseif t == "object" then
    local ok, c = pcall(function() return v.constructor end)
    if ok and c ~= nil and c ~= null and R.isobject(c) and R.has(c, "name") then
      return "an instance of " .. R.tostr(c.name)
    end
    return inspect(v, {depth = -1})
  elseif t == "string" then
    if R.strlen(v) > 28 then v = u16prefix(v, 25) .. "..." end
    if not sfind(v, "'", 1, true) then return "type string ('" .. v .. "')" end
    return "type string (" .. R.json_stringify(v) .. ")"
  end
  local s = inspect(v)
  if R.strlen(s) > 28 then s = u16prefix(s, 25) .. "..." end
  return "type " .. t .. " (" .. s .. ")"
end

local kTypes = {string = true, ["function"] = true, number = true, object = true, Function = true,
                Object = true, boolean = true, bigint = true, symbol = true}

local function format_list(list, word)
  local n = #list
  if n == 0 then return "" end
  if n == 1 then return list[1] end
  if n == 2 then return list[1] .. " " .. word .. " " .. list[2] end
  return concat(list, ", ", 1, n - 1) .. ", " .. word .. " " .. list[n]
end

-- ERR_INVALID_ARG_TYPE(name, expected types (a string or a list), actual value)
local function invalid_arg_type(name, expected, actual)
  if type(expected) == "string" then expected = {expected} end
  local msg = "The "
  if ssub(name, -9) == " argument" then
    msg = msg .. name .. " "
  else
    msg = msg .. '"' .. name .. '" ' .. (sfind(name, ".", 1, true) and "property" or "argument") .. " "
  end
  msg = msg .. "must be "
  local types, instances, other = {}, {}, {}
  for _, v in ipairs(expected) do
    if kTypes[v] then types[#types + 1] = v:lower()
    elseif smatch(v, "^[A-Z][a-zA-Z0-9]*$") then instances[#instances + 1] = v
    else other[#other + 1] = v end
  end
  if #instances > 0 then
    for i = 1, #types do
      if types[i] == "object" then table.remove(types, i); instances[#instances + 1] = "Object"; break end
    end
  end
  if #types > 0 then
    msg = msg .. (#types > 1 and "one of type " or "of type ") .. format_list(types, "or")
    if #instances > 0 or #other > 0 then msg = msg .. " or " end
  end
  if #instances > 0 then
    msg = msg .. "an instance of " .. format_list(instances, "or")
    if #other > 0 then msg = msg .. " or " end
  end
  if #other > 0 then
    if #other > 1 then
      msg = msg .. "one of " .. format_list(other, "or")
    else
      if other[1]:lower() ~= other[1] then msg = msg .. "an " end
      msg = msg .. other[1]
    end
  end
  msg = msg .. ". Received " .. specific_type(actual)
  return coded_error("TypeError", "ERR_INVALID_ARG_TYPE", msg)
end

local function validate_function(v, name)
  if not is_callable(v) then R.throw(invalid_arg_type(name, "Function", v)) end
end
local function validate_string(v, name)
  if type(v) ~= "string" then R.throw(invalid_arg_type(name, "string", v)) end
end
local function validate_object(v, name)
  if v == null or R.isarray(v) or typeof(v) ~= "object" then R.throw(invalid_arg_type(name, "Object", v)) end
end
local function validate_number(v, name, min)
  if type(v) ~= "number" then R.throw(invalid_arg_type(name, "number", v)) end
  if (min ~= nil and v < min) or v ~= v then
    throw_coded("RangeError", "ERR_OUT_OF_RANGE", 'The value of "' .. name .. '" is out of range. It must be >= ' ..
      R.numtostr(min) .. ". Received " .. inspect(v))
  end
end

-- node's addNumericalSeparator: 1_000_000
local function separated(s)
  local start = ssub(s, 1, 1) == "-" and 1 or 0
  local i, res = #s, ""
  while i >= start + 4 do
    res = "_" .. ssub(s, i - 2, i) .. res
    i = i - 3
  end
  return ssub(s, 1, i) .. res
end

-- ERR_OUT_OF_RANGE, with node's rendering of the received value (integers past 2^32 and
-- BigInts as 4_294_967_297)
local function out_of_range(name, range, v)
  local got
  if type(v) == "number" and v == math.floor(v) and (v > 4294967296 or v < -4294967296) and v - v == 0 then
    got = separated(R.numtostr(v))
  elseif R.big and R.big.is(v) then
    got = R.big.tostring(v)
    local lim = R.big.from_number(4294967296)
    if R.big.cmp(v, lim) > 0 or R.big.cmp(v, R.big.from_number(-4294967296)) < 0 then got = separated(got) end
    got = got .. "n"
  else
    got = inspect(v)
  end
  throw_coded("RangeError", "ERR_OUT_OF_RANGE",
    'The value of "' .. name .. '" is out of range. It must be ' .. range .. ". Received " .. got)
end

-- (R.is_abort_signal comes with ljs.webevents, which a program that made a signal loaded)
local function validate_abort_signal(v, name)
  if v ~= nil and not (R.is_abort_signal and R.is_abort_signal(v)) then
    R.throw(invalid_arg_type(name, "AbortSignal", v))
  end
end

---------------------------------------------------------------------------------------------
-- process warnings: "(node:PID) [CODE] Name: message" on stderr, from a later tick
local pid
local function getpid()
  if pid == nil then
    local p = R.process and rawget(R.process, "pid")
    if type(p) == "number" then
      pid = p
    else
      local ok, ffi = pcall(require, "ffi")
      if ok then
        pcall(ffi.cdef, "int getpid(void);")
        local ok2, v = pcall(function() return ffi.C.getpid() end)
        pid = ok2 and tonumber(v) or 0
      else
        pid = 0
      end
    end
  end
  return pid
end

local hint_shown = false
local function emit_warning(message, name, code)
  local proc = R.process
  if name == "DeprecationWarning" and proc and R.truthy(proc.noDeprecation) then return end
  local function write()
    local s = "(node:" .. R.numtostr(getpid()) .. ") " .. (code and ("[" .. code .. "] ") or "") .. name .. ": " .. message
    if not hint_shown then
      hint_shown = true
      s = s .. "\n(Use `node " .. (name == "DeprecationWarning" and "--trace-deprecation" or "--trace-warnings") ..
        " ...` to show where the warning was created)"
    end
    R.write_err(s .. "\n")
  end
  if R.enqueue_tick then R.enqueue_tick(write, R.pack()) else write() end
end

---------------------------------------------------------------------------------------------
-- Deep equality (node's lib/internal/util/comparisons.js)
local kNoIterator, kIsArray, kIsSet, kIsMap = 0, 1, 2, 3
local inner_deep_equal

local boxed_value
local objtostring_fn
local box_tags = {number = "[object Number]", string = "[object String]", boolean = "[object Boolean]"}
local function tag_of(v)
  -- plain objects and arrays (no own or inherited Symbol.toStringTag) without a call
  local mt = getmetatable(v)
  if (mt == R.ObjectMT or mt == R.ArrayMT) and rawget(v, R.sym_toStringTag) == nil
     and rawget(R.ObjectPrototype, R.sym_toStringTag) == nil
     and (mt == R.ObjectMT or rawget(R.ArrayPrototype, R.sym_toStringTag) == nil) then
    return mt == R.ObjectMT and "[object Object]" or "[object Array]"
  end
  objtostring_fn = objtostring_fn or rawget(R.ObjectPrototype, "toString")
  local t = objtostring_fn(v)
  if t == "[object Object]" then
    -- wrapper objects (new Number(1)) have their primitive's tag
    local b = boxed_value(v)
    if b ~= nil then return box_tags[type(b)] or t end
  end
  return t
end

local function is_date(v) return R.date_value ~= nil and R.date_value(v) ~= nil end
local function is_regexp(v) return R.isregexp ~= nil and R.isregexp(v) == true end
local function coll_kind(v) return R.coll_kind and R.coll_kind(v) end
local function coll_size(v) return R.coll_size and R.coll_size(v) end   -- (ljs.collections loads on first use)
local function is_map(v) return coll_kind(v) == "Map" end
local function is_set(v) return coll_kind(v) == "Set" end
local function typed_kind(v)
  if not R.typed_kind or type(v) ~= "table" then return nil end
  return R.typed_kind(v)
end
local function is_dataview(v) return R.dataview_state ~= nil and R.dataview_state(v) ~= nil end
local function is_view(v) return typed_kind(v) ~= nil or is_dataview(v) end
local function is_arraybuffer(v) return R.is_arraybuffer ~= nil and type(v) == "table" and R.is_arraybuffer(v) == true end
boxed_value = function(v)
  if type(v) ~= "table" then return nil end
  local p = R.PRIMVAL and rawget(v, R.PRIMVAL)
  if p == nil and R.STRDATA then p = rawget(v, R.STRDATA) end
  return p
end
local function is_boxed(v) return boxed_value(v) ~= nil end

-- own property k of an array (an undefined element of an array without holes is own)
local function arr_own(a, i)
  if rawget(a, i) ~= nil then return true end
  local slow = rawget(a, R.SLOW)
  if slow and slow[i] then return true end
  return rawget(a, R.HOLES) == nil and i < a.length
end

-- Object.prototype.propertyIsEnumerable
local function is_enum(o, k)
  if type(o) == "function" then o = R.fprops[o]; if o == nil then return false end end
  if type(o) ~= "table" or o == null then return false end
  local mt = getmetatable(o)
  if mt and mt.kind == "array" and type(k) == "number" then return arr_own(o, k) end
  local s = rawget(o, R.SHAPE)
  if s and s.index[k] then return true end
  if typed_kind(o) and type(k) == "number" then return k < o.length end
  if mt and (mt.desc_hook or mt.proxy) then
    local d = R.getdesc(o, k)
    return d ~= nil and d.enumerable == true
  end
  return false
end

-- Own enumerable keys: strings (integer keys as numbers) and, with `symbols`, symbols; with
-- `skip_indices` no array indices. Straight from the shape where there is one (the order does
-- not matter to the comparisons).
local function enum_keys(o, symbols, skip_indices)
  local mt = getmetatable(o)
  if type(o) == "table" and not (mt and mt.enum_hook) and not (mt and mt.kind == "array" and not skip_indices) then
    local out, m = {}, 0
    local s = rawget(o, R.SHAPE)
    if s then
      for i = 1, s.n do
        local k = s[i]
        local tk = type(k)
        if tk == "string" or (tk == "number" and not skip_indices) or (symbols and tk == "table") then
          m = m + 1; out[m] = k
        end
      end
    end
    return out, m
  end
  local ks, n = R.ownkeys(o, symbols)
  local out, m = {}, 0
  for i = 1, n do
    local k = ks[i]
    if not (skip_indices and type(k) == "number") then m = m + 1; out[m] = k end
  end
  return out, m
end

local function string_keys_count(o)
  local mt = getmetatable(o)
  if type(o) == "table" and not (mt and (mt.enum_hook or mt.kind == "array")) then
    local s = rawget(o, R.SHAPE)
    if not s then return 0 end
    local m = 0
    for i = 1, s.n do
      local tk = type(s[i])
      if tk == "string" or tk == "number" then m = m + 1 end
    end
    return m
  end
  local _, n = R.ownkeys(o)
  return n
end

local function enum_symbols(o)
  local ks, n = R.ownkeys(o, true)
  local out = {}
  for i = 1, n do
    local k = ks[i]
    if type(k) == "table" and getmetatable(k) == R.SymbolMT then out[#out + 1] = k end
  end
  return out
end

local function u8view(buf, off, len)
  return R.new(R.typed_ctors.Uint8Array, buf, off, len)
end

local function same_bytes(a, b)
  local n = a.length
  if n ~= b.length then return false end
  for i = 0, n - 1 do if a[i] ~= b[i] then return false end end
  return true
end

local function coll_entries(c)
  local keys, vals, n = {}, {}, 0
  local undef = R.coll_undefined
  for k, v in R.coll_each(c) do
    n = n + 1
    if k == undef then k = nil end
    if v == undef then v = nil end
    keys[n], vals[n] = k, v
  end
  return keys, vals, n
end

local function chas(c, k) return R.truthy(c:has(k)) end
local function cget(c, k) return c:get(k) end

local key_check, obj_equiv

local function set_has_equal(set, val2, strict, memo)
  local saved = memo.deleteFailures
  memo.deleteFailures = true
  for i = 1, set.n do
    local val1 = set[i]
    if inner_deep_equal(val1, val2, strict, memo) then
      table.remove(set, i); set.n = set.n - 1
      memo.deleteFailures = saved
      return true
    end
  end
  memo.deleteFailures = saved
  return false
end

-- node's findLooseMatchingPrimitives: "bool", v for a decided answer, else "alt", value
local function loose_alt(prim)
  local t = typeof(prim)
  if t == "undefined" then return "alt", null end
  if t == "object" then return "alt", nil end
  if t == "symbol" then return "bool", false end
  if t == "string" then
    if R.tonum(prim) ~= R.tonum(prim) then return "bool", false end
  elseif t == "number" then
    if prim ~= prim then return "bool", false end
  end
  return "bool", true
end

local function set_might_have_loose_prim(a, b, prim)
  local kind, alt = loose_alt(prim)
  if kind == "bool" then return alt end
  return chas(b, alt) and not chas(a, alt)
end

local function map_might_have_loose_prim(a, b, prim, item, memo)
  local kind, alt = loose_alt(prim)
  if kind == "bool" then return alt end
  local curB = cget(b, alt)
  if (curB == nil and not chas(b, alt)) or not inner_deep_equal(item, curB, false, memo) then return false end
  return not chas(a, alt) and inner_deep_equal(item, curB, false, memo)
end

local function set_equiv(a, b, strict, memo)
  local set = nil
  local keys, _, n = coll_entries(a)
  for i = 1, n do
    local val = keys[i]
    if not chas(b, val) then
      if not is_objtype(val) and (strict or not set_might_have_loose_prim(a, b, val)) then return false end
      if set == nil then
        if coll_size(b) == 1 then
          local bk = coll_entries(b)
          return inner_deep_equal(val, bk[1], strict, memo)
        end
        set = {n = 0}
      end
      set.n = set.n + 1; set[set.n] = val
    end
  end
  if set ~= nil then
    local bkeys, _, bn = coll_entries(b)
    for i = 1, bn do
      local val = bkeys[i]
      if is_objtype(val) then
        if not chas(a, val) and not set_has_equal(set, val, strict, memo) then return false end
      elseif not strict and not chas(a, val) and not set_has_equal(set, val, strict, memo) then
        return false
      end
    end
    return set.n == 0
  end
  return true
end

local function map_has_equal_entry(set, map, key2, item2, strict, memo)
  local saved = memo.deleteFailures
  memo.deleteFailures = true
  for i = 1, set.n do
    local key1 = set[i]
    if inner_deep_equal(key1, key2, strict, memo) and inner_deep_equal(cget(map, key1), item2, strict, memo) then
      table.remove(set, i); set.n = set.n - 1
      memo.deleteFailures = saved
      return true
    end
  end
  memo.deleteFailures = saved
  return false
end

local function map_equiv(a, b, strict, memo)
  local set = nil
  local keys, vals, n = coll_entries(a)
  for i = 1, n do
    local key, item1 = keys[i], vals[i]
    if is_objtype(key) then
      if set == nil then
        if coll_size(b) == 1 then
          local bk, bv = coll_entries(b)
          return inner_deep_equal(key, bk[1], strict, memo) and inner_deep_equal(item1, bv[1], strict, memo)
        end
        set = {n = 0}
      end
      set.n = set.n + 1; set[set.n] = key
    else
      local item2 = cget(b, key)
      if (item2 == nil and not chas(b, key)) or not inner_deep_equal(item1, item2, strict, memo) then
        if strict then return false end
        if not map_might_have_loose_prim(a, b, key, item1, memo) then return false end
        if set == nil then set = {n = 0} end
        set.n = set.n + 1; set[set.n] = key
      end
    end
  end
  if set ~= nil then
    local bkeys, bvals, bn = coll_entries(b)
    for i = 1, bn do
      local key, item = bkeys[i], bvals[i]
      if is_objtype(key) then
        if not map_has_equal_entry(set, a, key, item, strict, memo) then return false end
      elseif not strict and (not chas(a, key) or not inner_deep_equal(cget(a, key), item, strict, memo))
             and not map_has_equal_entry(set, a, key, item, strict, memo) then
        return false
      end
    end
    return set.n == 0
  end
  return true
end

obj_equiv = function(a, b, strict, keys, nkeys, memos, iteration)
  for i = 1, nkeys do
    local key = keys[i]
    if not inner_deep_equal(a[key], b[key], strict, memos) then return false end
  end
  if iteration == kIsArray then
    local len = a.length
    local i = 0
    while i < len do
      if arr_own(a, i) then
        if not arr_own(b, i) or not inner_deep_equal(a[i], b[i], strict, memos) then return false end
      elseif arr_own(b, i) then
        return false
      else
        -- sparse array: compare what Object.keys lists (node continues at the same index)
        local keysA, nA = R.ownkeys(a)
        while i < nA do
          local key = keysA[i + 1]
          if not R.hasown(b, key) or not inner_deep_equal(a[key], b[key], strict, memos) then return false end
          i = i + 1
        end
        return nA == string_keys_count(b)
      end
      i = i + 1
    end
  elseif iteration == kIsSet then
    if not set_equiv(a, b, strict, memos) then return false end
  elseif iteration == kIsMap then
    if not map_equiv(a, b, strict, memos) then return false end
  end
  return true
end

key_check = function(val1, val2, strict, memos, iteration, aKeys, nA)
  local array_like = aKeys ~= nil
  if aKeys == nil then aKeys, nA = enum_keys(val1, false) end
  for i = 1, nA do
    if not is_enum(val2, aKeys[i]) then return false end
  end
  if not array_like then
    if nA ~= string_keys_count(val2) then return false end
    if strict then
      local symA, symB = enum_symbols(val1), enum_symbols(val2)
      for i = 1, #symA do
        local key = symA[i]
        if not is_enum(val2, key) then return false end
        nA = nA + 1; aKeys[nA] = key
      end
      if #symA ~= #symB then return false end
    end
  end
  if nA == 0 and (iteration == kNoIterator or (iteration == kIsArray and val1.length == 0)
                  or coll_size(val1) == 0) then
    return true
  end
  if memos == nil then
    memos = {set = nil, a = val1, b = val2, deep = false, deleteFailures = false}
    return obj_equiv(val1, val2, strict, aKeys, nA, memos, iteration)
  end
  if memos.set == nil then
    if memos.deep == false then
      if rawequal(memos.a, val1) and rawequal(memos.b, val2) then return true end
      memos.c, memos.d = val1, val2
      memos.deep = true
      local result = obj_equiv(val1, val2, strict, aKeys, nA, memos, iteration)
      memos.deep = false
      return result
    end
    local set = {n = 0}
    for _, v in ipairs({memos.a, memos.b, memos.c, memos.d}) do
      if not set[v] then set[v] = true; set.n = set.n + 1 end
    end
    memos.set = set
  end
  local set = memos.set
  local original = set.n
  if not set[val1] then set[val1] = true; set.n = set.n + 1 end
  if not set[val2] then set[val2] = true; set.n = set.n + 1 end
  if original == set.n then return true end
  local eq = obj_equiv(val1, val2, strict, aKeys, nA, memos, iteration)
  if eq or memos.deleteFailures then
    if set[val1] then set[val1] = nil; set.n = set.n - 1 end
    if set[val2] then set[val2] = nil; set.n = set.n - 1 end
  end
  return eq
end

local function error_like(v) return R.has_error_data(v) or R.is_error(v) end

inner_deep_equal = function(val1, val2, strict, memos)
  if strict_eq(val1, val2) then
    return val1 ~= 0 or object_is(val1, val2) or not strict
  end
  if strict then
    if type(val1) == "number" then return isnan(val1) and isnan(val2) end
    if not is_objtype(val2) or not is_objtype(val1) or not rawequal(R.getproto(val1), R.getproto(val2)) then
      return false
    end
  else
    if not is_objtype(val1) then
      if not is_objtype(val2) then
        return R.eq(val1, val2) or (isnan(val1) and isnan(val2))
      end
      return false
    end
    if not is_objtype(val2) then return false end
  end
  local tag1, tag2 = tag_of(val1), tag_of(val2)
  if tag1 ~= tag2 then return false end

  if R.isarray(val1) then
    if not R.isarray(val2) or val1.length ~= val2.length then return false end
    local k1, n1 = enum_keys(val1, strict, true)
    local _, n2 = enum_keys(val2, strict, true)
    if n1 ~= n2 then return false end
    return key_check(val1, val2, strict, memos, kIsArray, k1, n1)
  elseif tag1 == "[object Object]" then
    return key_check(val1, val2, strict, memos, kNoIterator)
  elseif is_date(val1) then
    if not is_date(val2) or R.date_value(val1) ~= R.date_value(val2) then return false end
  elseif is_regexp(val1) then
    if not is_regexp(val2) or not (strict_eq(val1.source, val2.source) and strict_eq(val1.flags, val2.flags)
                                  and strict_eq(val1.lastIndex, val2.lastIndex)) then
      return false
    end
  elseif is_view(val1) then
    if typed_kind(val1) ~= typed_kind(val2) then return false end
    local kind = typed_kind(val1)
    if not strict and (kind == "Float32Array" or kind == "Float64Array") then
      if val1.byteLength ~= val2.byteLength then return false end
      for i = 0, val1.length - 1 do
        if val1[i] ~= val2[i] then return false end
      end
    else
      if val1.byteLength ~= val2.byteLength then return false end
      if not same_bytes(u8view(val1.buffer, val1.byteOffset, val1.byteLength),
                        u8view(val2.buffer, val2.byteOffset, val2.byteLength)) then
        return false
      end
    end
    local k1, n1 = enum_keys(val1, strict, true)
    local _, n2 = enum_keys(val2, strict, true)
    if n1 ~= n2 then return false end
    return key_check(val1, val2, strict, memos, kNoIterator, k1, n1)
  elseif is_set(val1) then
    if not is_set(val2) or coll_size(val1) ~= coll_size(val2) then return false end
    return key_check(val1, val2, strict, memos, kIsSet)
  elseif is_map(val1) then
    if not is_map(val2) or coll_size(val1) ~= coll_size(val2) then return false end
    return key_check(val1, val2, strict, memos, kIsMap)
  elseif is_arraybuffer(val1) then
    if not is_arraybuffer(val2) or val1.byteLength ~= val2.byteLength
       or not same_bytes(u8view(val1), u8view(val2)) then
      return false
    end
  elseif error_like(val1) then
    if not error_like(val2) then return false end
    local m1, n1, c1, e1 = is_enum(val1, "message"), is_enum(val1, "name"), is_enum(val1, "cause"), is_enum(val1, "errors")
    if m1 ~= is_enum(val2, "message") or (not m1 and not strict_eq(val1.message, val2.message))
       or n1 ~= is_enum(val2, "name") or (not n1 and not strict_eq(val1.name, val2.name))
       or c1 ~= is_enum(val2, "cause") or (not c1 and not inner_deep_equal(val1.cause, val2.cause, strict, memos))
       or e1 ~= is_enum(val2, "errors") or (not e1 and not inner_deep_equal(val1.errors, val2.errors, strict, memos)) then
      return false
    end
  elseif is_boxed(val1) then
    if not is_boxed(val2) or not object_is(boxed_value(val1), boxed_value(val2)) then return false end
  elseif R.isarray(val2) or is_view(val2) or is_set(val2) or is_map(val2) or is_date(val2) or is_regexp(val2)
         or is_arraybuffer(val2) or is_boxed(val2) or error_like(val2) then
    return false
  end
  return key_check(val1, val2, strict, memos, kNoIterator)
end

local function deep_equal(a, b) return inner_deep_equal(a, b, false) end
local function deep_strict_equal(a, b) return inner_deep_equal(a, b, true) end
R.deep_equal, R.deep_strict_equal = deep_equal, deep_strict_equal

---------------------------------------------------------------------------------------------
-- events
loaders.events = function()
  local EEProto = R.newobj()
  local kCapture = R.newsymbol("kCapture")
  local kShapeMode = R.newsymbol("shapeMode")
  local kErrorMonitor = R.newsymbol("events.errorMonitor")
  local kRejection = symbol_for("nodejs.rejection")
  local EventEmitter

  local function init(this, opts)
    if type(this) ~= "table" or this == null then
      R.type_error("Cannot read properties of " .. R.tostr(this) .. " (reading '_events')")
    end
    local ev = this._events
    local p = R.getproto(this)
    if ev == nil or (p ~= nil and p ~= null and rawequal(ev, p._events)) then
      this._events = R.newobj(null)
      this._eventsCount = 0
      this[kShapeMode] = false
    else
      this[kShapeMode] = true
    end
    local m = this._maxListeners
    this._maxListeners = R.truthy(m) and m or nil
    if opts ~= nil and opts ~= null and R.truthy(opts.captureRejections) then
      if type(opts.captureRejections) ~= "boolean" then
        R.throw(invalid_arg_type("options.captureRejections", "boolean", opts.captureRejections))
      end
      this[kCapture] = true
    else
      this[kCapture] = EEProto[kCapture]
    end
  end

  EventEmitter = function(this, opts)
    init(this, opts)
  end
  R.fn(EventEmitter, "EventEmitter", 1)
  local fp = R.fprop_table(EventEmitter)
  rawset(fp, "prototype", EEProto)
  rawset(EEProto, "constructor", EventEmitter)
  R.note_hidden(EEProto, "constructor")

  local function check_listener(l) validate_function(l, "listener") end

  local function get_max(that)
    local m = that._maxListeners
    if m == nil then return EventEmitter.defaultMaxListeners end
    return m
  end

  local function arr_push(a, v) local n = rawget(a, "length"); rawset(a, n, v); rawset(a, "length", n + 1) end
  local function arr_unshift(a, v)
    local n = rawget(a, "length")
    for i = n, 1, -1 do rawset(a, i, rawget(a, i - 1)) end
    rawset(a, 0, v); rawset(a, "length", n + 1)
  end
  local function arr_remove(a, pos)
    local n = rawget(a, "length")
    for i = pos, n - 2 do rawset(a, i, rawget(a, i + 1)) end
    rawset(a, n - 1, nil); rawset(a, "length", n - 1)
  end
  local function arr_copy(a)
    local n = a.length
    local t = {length = n}
    for i = 0, n - 1 do t[i] = a[i] end
    return setmetatable(t, R.ArrayMT)
  end
  local function is_list(v) return R.isarray(v) end

  local function add_listener(target, ev_type, listener, prepend)
    check_listener(listener)
    local events = target._events
    local existing
    if events == nil then
      events = R.newobj(null)
      target._events = events
      target._eventsCount = 0
    else
      if events.newListener ~= nil then
        local inner = listener.listener
        if inner == nil or inner == null then inner = listener end
        target:emit("newListener", ev_type, inner)
        events = target._events
      end
      existing = R.get(events, ev_type)
    end
    if existing == nil then
      R.put(events, ev_type, listener)
      target._eventsCount = target._eventsCount + 1
    else
      if not is_list(existing) then
        existing = prepend and R.pack(listener, existing) or R.pack(existing, listener)
        R.put(events, ev_type, existing)
      elseif prepend then
        arr_unshift(existing, listener)
      else
        arr_push(existing, listener)
      end
      local m = get_max(target)
      if type(m) == "number" and m > 0 and existing.length > m and not R.truthy(existing.warned) then
        existing.warned = true
        local what = type(ev_type) == "table" and tostring(ev_type) or R.tostr(ev_type)
        emit_warning("Possible EventEmitter memory leak detected. " .. R.numtostr(existing.length) .. " " .. what ..
          " listeners added to " .. inspect(target, {depth = -1}) .. ". MaxListeners is " .. R.numtostr(m) ..
          ". Use emitter.setMaxListeners() to increase limit", "MaxListenersExceededWarning")
      end
    end
    return target
  end

  local function once_wrap(target, ev_type, listener)
    local fired = false
    local wrapped
    wrapped = function(_, ...)
      if not fired then
        target:removeListener(ev_type, wrapped)
        fired = true
        return listener(target, ...)
      end
    end
    R.fn(wrapped, "bound onceWrapper", 0)
    R.arrows[wrapped] = true
    put(wrapped, "listener", listener)
    return wrapped
  end

  local function add_catch(that, promise, ev_type, args)
    if not R.truthy(that[kCapture]) then return end
    local ok, err = pcall(function()
      local th = promise["then"]
      if is_callable(th) then
        th(promise, nil, function(_, e)
          R.enqueue_tick(function()
            local handler = that[kRejection]
            if is_callable(handler) then
              handler(that, e, ev_type, R.unpack(args))
            else
              local prev = that[kCapture]
              that[kCapture] = false
              local ok2, e2 = pcall(function() that:emit("error", e) end)
              that[kCapture] = prev
              if not ok2 then error(e2, 0) end
            end
          end, R.pack())
        end)
      end
    end)
    if not ok then that:emit("error", R.caught(err)) end
  end

  local function emit(this, ev_type, ...)
    local do_error = ev_type == "error"
    local events = this._events
    if events ~= nil then
      if do_error and events[kErrorMonitor] ~= nil then this:emit(kErrorMonitor, ...) end
      do_error = do_error and events.error == nil
    elseif not do_error then
      return false
    end
    if do_error then
      local er = (...)
      if select("#", ...) > 0 and R.is_error(er) then R.throw(er) end
      local ok, s = pcall(inspect, er)
      if not ok then s = R.tostr(er) end
      local err = coded_error("Error", "ERR_UNHANDLED_ERROR", "Unhandled error. (" .. s .. ")")
      err.context = er
      R.throw(err)
    end
    local handler = R.get(events, ev_type)
    if handler == nil then return false end
    if not is_list(handler) then
      local result = handler(this, ...)
      if result ~= nil and result ~= null and this[kCapture] then add_catch(this, result, ev_type, R.pack(...)) end
    else
      -- a copy, as listeners added or removed meanwhile do not change this emit
      local len = rawget(handler, "length") or handler.length
      local listeners = {}
      for i = 1, len do listeners[i] = handler[i - 1] end
      for i = 1, len do
        local result = listeners[i](this, ...)
        if result ~= nil and result ~= null and this[kCapture] then add_catch(this, result, ev_type, R.pack(...)) end
      end
    end
    return true
  end

  local function remove_listener(this, ev_type, listener)
    check_listener(listener)
    local events = this._events
    if events == nil then return this end
    local list = R.get(events, ev_type)
    if list == nil then return this end
    if rawequal(list, listener) or (not is_list(list) and rawequal(list.listener, listener)) then
      this._eventsCount = this._eventsCount - 1
      if this._eventsCount == 0 then
        this._events = R.newobj(null)
      else
        R.delete(events, ev_type)
        if events.removeListener ~= nil then
          local l = list.listener
          if not R.truthy(l) then l = listener end
          this:emit("removeListener", ev_type, l)
        end
      end
    elseif is_list(list) then
      local position = -1
      for i = list.length - 1, 0, -1 do
        local li = list[i]
        if rawequal(li, listener) or rawequal(li.listener, listener) then position = i; break end
      end
      if position < 0 then return this end
      arr_remove(list, position)
      if list.length == 1 then R.put(events, ev_type, list[0]) end
      if events.removeListener ~= nil then this:emit("removeListener", ev_type, listener) end
    end
    return this
  end

  local function remove_all(this, ...)
    local events = this._events
    if events == nil then return this end
    local ev_type = (...)
    local given = select("#", ...) > 0
    if events.removeListener == nil then
      if not given then
        this._events = R.newobj(null)
        this._eventsCount = 0
      elseif R.get(events, ev_type) ~= nil then
        this._eventsCount = this._eventsCount - 1
        if this._eventsCount == 0 then this._events = R.newobj(null) else R.delete(events, ev_type) end
      end
      return this
    end
    if not given then
      local ks, n = R.ownkeys(events, true)
      for i = 1, n do
        local k = ks[i]
        if type(k) == "number" then k = R.numtostr(k) end
        if k ~= "removeListener" then this:removeAllListeners(k) end
      end
      this:removeAllListeners("removeListener")
      this._events = R.newobj(null)
      this._eventsCount = 0
      return this
    end
    local listeners = R.get(events, ev_type)
    if listeners ~= nil and not is_list(listeners) then
      this:removeListener(ev_type, listeners)
    elseif listeners ~= nil then
      for i = listeners.length - 1, 0, -1 do this:removeListener(ev_type, listeners[i]) end
    end
    return this
  end

  local function listeners_of(target, ev_type, unwrap)
    local events = target._events
    if events == nil then return R.pack() end
    local l = R.get(events, ev_type)
    if l == nil then return R.pack() end
    if not is_list(l) then
      if unwrap then
        local inner = l.listener
        return R.pack(R.truthy(inner) and inner or l)
      end
      return R.pack(l)
    end
    local out = arr_copy(l)
    if unwrap then
      for i = 0, out.length - 1 do
        local inner = out[i].listener
        if R.truthy(inner) then rawset(out, i, inner) end
      end
    end
    return out
  end

  local function listener_count(this, ev_type, listener)
    local events = this._events
    if events ~= nil then
      local l = R.get(events, ev_type)
      if l ~= nil and not is_list(l) then
        if listener ~= nil and listener ~= null then
          return (rawequal(listener, l) or rawequal(listener, l.listener)) and 1 or 0
        end
        return 1
      elseif l ~= nil then
        if listener ~= nil and listener ~= null then
          local matching = 0
          for i = 0, l.length - 1 do
            if rawequal(l[i], listener) or rawequal(l[i].listener, listener) then matching = matching + 1 end
          end
          return matching
        end
        return l.length
      end
    end
    return 0
  end

  -- prototype, in node's order (its methods are enumerable there, as plain assignments)
  R.addkey(EEProto, "_events")
  put(EEProto, "_eventsCount", 0)
  R.addkey(EEProto, "_maxListeners")
  rawset(EEProto, kCapture, false)   -- own, writable, not enumerable
  export(EEProto, "setMaxListeners", 1, function(this, n)
    validate_number(n, "setMaxListeners", 0)
    this._maxListeners = n
    return this
  end)
  export(EEProto, "getMaxListeners", 0, function(this) return get_max(this) end)
  export(EEProto, "emit", 1, emit)
  local addListener = export(EEProto, "addListener", 2, function(this, ev_type, listener)
    return add_listener(this, ev_type, listener, false)
  end)
  put(EEProto, "on", addListener)
  export(EEProto, "prependListener", 2, function(this, ev_type, listener)
    return add_listener(this, ev_type, listener, true)
  end)
  export(EEProto, "once", 2, function(this, ev_type, listener)
    check_listener(listener)
    this:on(ev_type, once_wrap(this, ev_type, listener))
    return this
  end)
  export(EEProto, "prependOnceListener", 2, function(this, ev_type, listener)
    check_listener(listener)
    this:prependListener(ev_type, once_wrap(this, ev_type, listener))
    return this
  end)
  local removeListener = export(EEProto, "removeListener", 2, remove_listener)
  put(EEProto, "off", removeListener)
  export(EEProto, "removeAllListeners", 1, remove_all)
  export(EEProto, "listeners", 1, function(this, ev_type) return listeners_of(this, ev_type, true) end)
  export(EEProto, "rawListeners", 1, function(this, ev_type) return listeners_of(this, ev_type, false) end)
  local listenerCount = export(EEProto, "listenerCount", 2, listener_count)
  export(EEProto, "eventNames", 0, function(this)
    local out = R.pack()
    local events = this._events
    if events == nil or not (type(this._eventsCount) == "number" and this._eventsCount > 0) then return out end
    local ks, n = R.ownkeys(events, true)
    local syms = {}
    for i = 1, n do   -- (names first, then symbols, as Reflect.ownKeys orders them)
      local k = ks[i]
      if type(k) == "number" then k = R.numtostr(k) end
      if type(k) == "table" then syms[#syms + 1] = k else arr_push(out, k) end
    end
    for i = 1, #syms do arr_push(out, syms[i]) end
    return out
  end)

  -- statics
  -- addAbortListener(signal, listener): listener runs once on abort, even after another
  -- listener stopped the event; at once (as a microtask) for a signal already aborted
  export(EventEmitter, "addAbortListener", 2, function(_, signal, listener)
    if signal == nil then R.throw(invalid_arg_type("signal", "AbortSignal", signal)) end
    validate_abort_signal(signal, "signal")
    validate_function(listener, "listener")
    local off
    if R.signal_aborted(signal) then
      R.enqueue_microtask(function() listener(nil) end)
    else
      off = R.on_abort(signal, listener)
    end
    local d = R.newobj(null)
    R.method(d, R.sym_dispose, 0, function() if off then off() end end)
    return d
  end)
  export(EventEmitter, "once", 3, function(_, emitter, name, options)
    if options ~= nil then validate_object(options, "options") end
    local signal = options ~= nil and options.signal or nil
    validate_abort_signal(signal, "options.signal")
    local p = R.new_promise()
    if signal ~= nil then
      local aborted, reason = R.signal_aborted(signal)
      if aborted then
        R.reject_promise(p, abort_error(reason))
        return p
      end
    end
    local resolver, error_listener, off_abort
    local is_target = not is_callable(emitter.on) and is_callable(emitter.addEventListener)
    error_listener = function(_, err)
      if is_callable(emitter.removeListener) then emitter:removeListener(name, resolver) end
      if off_abort then off_abort() end
      R.reject_promise(p, err)
    end
    resolver = function(_, ...)
      if is_callable(emitter.removeListener) then emitter:removeListener("error", error_listener) end
      if off_abort then off_abort() end
      R.resolve_promise(p, R.pack(...))
    end
    R.arrow(error_listener, "errorListener", 1)
    R.arrow(resolver, "resolver", 0)
    if is_callable(emitter.on) then
      emitter:once(name, resolver)
    elseif is_target then
      emitter:addEventListener(name, resolver, jsobject("once", true))
    else
      R.throw(invalid_arg_type("emitter", "EventEmitter", emitter))
    end
    if name ~= "error" and is_callable(emitter.once) then emitter:once("error", error_listener) end
    if signal ~= nil then
      off_abort = R.on_abort(signal, function()
        if is_target then
          emitter:removeEventListener(name, resolver)
        elseif is_callable(emitter.removeListener) then
          emitter:removeListener(name, resolver)
          emitter:removeListener("error", error_listener)
        end
        local _, reason = R.signal_aborted(signal)
        R.reject_promise(p, abort_error(reason))
      end)
    end
    return p
  end)
  R.fkinds[R.fprops[EventEmitter].once] = "AsyncFunction"
  -- on(emitter, event): an async iterator over the argument arrays of the events
  local AsyncIteratorProto = R.newobj()
  R.method(AsyncIteratorProto, R.sym_asyncIterator, 0, function(this) return this end)
  export(EventEmitter, "on", 2, function(_, emitter, event, options)
    if options ~= nil then validate_object(options, "options") end
    local signal = options ~= nil and options.signal or nil
    validate_abort_signal(signal, "options.signal")
    if signal ~= nil then
      local aborted, reason = R.signal_aborted(signal)
      if aborted then R.throw(abort_error(reason)) end
    end
    local off_abort
    local queue, qhead, qtail = {}, 1, 0         -- unconsumed event argument arrays
    local waiting, whead, wtail = {}, 1, 0       -- promises of next() calls not yet settled
    local pending_error = nil
    local finished = false
    local it = R.newobj(AsyncIteratorProto)
    local event_handler, error_handler
    local function resolved(v, done)
      local p = R.new_promise()
      R.resolve_promise(p, R.iter_result(v, done))
      return p
    end
    local function close()
      if is_callable(emitter.removeListener) then
        emitter:removeListener(event, event_handler)
        emitter:removeListener("error", error_handler)
      end
      if off_abort then off_abort(); off_abort = nil end
      finished = true
      while whead <= wtail do
        local p = waiting[whead]; waiting[whead] = nil; whead = whead + 1
        R.resolve_promise(p, R.iter_result(nil, true))
      end
      return resolved(nil, true)
    end
    event_handler = R.arrow(function(_, ...)
      local args = R.pack(...)
      if whead <= wtail then
        local p = waiting[whead]; waiting[whead] = nil; whead = whead + 1
        R.resolve_promise(p, R.iter_result(args, false))
      else
        qtail = qtail + 1; queue[qtail] = args
      end
    end, "eventHandler", 0)
    error_handler = R.arrow(function(_, err)
      if whead <= wtail then
        local p = waiting[whead]; waiting[whead] = nil; whead = whead + 1
        R.reject_promise(p, err)
      else
        pending_error = err
      end
      close()
    end, "errorHandler", 1)
    export(it, "next", 0, function()
      if qhead <= qtail then
        local v = queue[qhead]; queue[qhead] = nil; qhead = qhead + 1
        return resolved(v, false)
      end
      if pending_error ~= nil then
        local p = R.new_promise()
        R.reject_promise(p, pending_error)
        pending_error = nil
        return p
      end
      if finished then return resolved(nil, true) end
      local p = R.new_promise()
      wtail = wtail + 1; waiting[wtail] = p
      return p
    end)
    export(it, "return", 0, function() return close() end)
    export(it, "throw", 1, function(_, err)
      if not is_error(err) then R.throw(invalid_arg_type("EventEmitter.AsyncIterator", "Error", err)) end
      error_handler(nil, err)
    end)
    emitter:on(event, event_handler)
    if event ~= "error" then emitter:on("error", error_handler) end
    if signal ~= nil then
      off_abort = R.on_abort(signal, function()
        local _, reason = R.signal_aborted(signal)
        error_handler(nil, abort_error(reason))
      end)
    end
    return it
  end)
  export(EventEmitter, "getEventListeners", 2, function(_, emitter, name)
    if is_callable(emitter.listeners) then return emitter:listeners(name) end
    local l = R.event_target_listeners and R.event_target_listeners(emitter, name)
    return l or R.pack()
  end)
  export(EventEmitter, "getMaxListeners", 1, function(_, emitter)
    if is_callable(emitter.getMaxListeners) then return get_max(emitter) end
    if R.event_target_max and R.is_event_target(emitter) then
      return R.event_target_max(emitter) or EventEmitter.defaultMaxListeners
    end
    return 0
  end)
  put(EventEmitter, "EventEmitter", EventEmitter)
  put(EventEmitter, "usingDomains", false)
  put(EventEmitter, "captureRejectionSymbol", kRejection)
  R.defprop(R.fprop_table(EventEmitter), "captureRejections", {
    get = builtin("get", 0, function() return EEProto[kCapture] end),
    set = builtin("set", 1, function(_, v)
      if type(v) ~= "boolean" then R.throw(invalid_arg_type("EventEmitter.captureRejections", "boolean", v)) end
      EEProto[kCapture] = v
    end),
    enumerable = true, configurable = false})
  put(EventEmitter, "errorMonitor", kErrorMonitor)
  local default_max = 10
  R.defprop(R.fprop_table(EventEmitter), "defaultMaxListeners", {
    get = builtin("get", 0, function() return default_max end),
    set = builtin("set", 1, function(_, v)
      validate_number(v, "defaultMaxListeners", 0)
      default_max = v
    end),
    enumerable = true, configurable = false})
  export(EventEmitter, "setMaxListeners", 0, function(_, n, ...)
    if n == nil then n = default_max end
    validate_number(n, "setMaxListeners", 0)
    local k = select("#", ...)
    if k == 0 then default_max = n; return end
    for i = 1, k do
      local target = (select(i, ...))
      if is_objtype(target) and is_callable(target.setMaxListeners) then
        target:setMaxListeners(n)
      elseif R.is_event_target and R.is_event_target(target) then
        R.event_target_max(target, n)
      else
        R.throw(invalid_arg_type("eventTargets", {"EventEmitter", "EventTarget"}, target))
      end
    end
  end)
  put(EventEmitter, "init", R.fn(function(this, opts) init(this, opts) end, "", 1))
  put(EventEmitter, "listenerCount", R.fn(function(_, emitter, ev_type)
    if is_callable(emitter.listenerCount) then return emitter:listenerCount(ev_type) end
    return listenerCount(emitter, ev_type)
  end, "", 2))
  return EventEmitter
end

---------------------------------------------------------------------------------------------
-- util

-- util.inspect(value, opts) and the legacy inspect(value, showHidden, depth, colors)
local util_inspect = builtin("inspect", 2, function(_, value, opts, ...)
  local extra = select("#", ...)
  if extra > 0 or type(opts) == "boolean" then
    -- depth and colors first: an options object wins over them, as in node
    local o = R.newobj()
    local depth, colors = ...
    if depth ~= nil then o.depth = depth end
    if colors ~= nil then o.colors = colors end
    if type(opts) == "boolean" then
      o.showHidden = opts
    elseif R.isobject(opts) then
      local ks, n = R.ownkeys(opts)
      for i = 1, n do o[ks[i]] = opts[ks[i]] end
    end
    opts = o
  end
  return inspect(value, opts)
end)
-- custom [util.inspect.custom] functions receive this as their third argument
if R.inspect_fn == nil then R.inspect_fn = util_inspect end

loaders.util = function()
  local util = R.newobj()
  local sym_custom = R.sym_inspect_custom
  local kCustomPromisified = symbol_for("nodejs.util.promisify.custom")
  local Object = rawget(G, "Object")
  local setPrototypeOf = rawget(R.fprop_table(Object), "setPrototypeOf")

  export(util, "_extend", 2, function(_, target, source)
    if not is_objtype(source) then return target end
    local ks, n = R.ownkeys(source)
    for i = n, 1, -1 do R.put(target, ks[i], source[ks[i]]) end
    return target
  end)

  export(util, "callbackify", 1, function(_, original)
    validate_function(original, "original")
    local function on_rejected(reason, cb)
      if not R.truthy(reason) then
        local e = coded_error("Error", "ERR_FALSY_VALUE_REJECTION", "Promise was rejected with falsy value")
        e.reason = reason
        reason = e
      end
      return cb(nil, reason)
    end
    local f = function(this, ...)
      local n = select("#", ...)
      local args = {...}
      local cb = args[n]
      validate_function(cb, "last argument")
      local p = original(this, unpack(args, 1, n - 1))
      p["then"](p,
        R.arrow(function(_, ret) R.enqueue_tick(function() cb(this, null, ret) end, R.pack()) end, "", 1),
        R.arrow(function(_, rej) R.enqueue_tick(function() on_rejected(rej, function(_, e) return cb(this, e) end) end, R.pack()) end, "", 1))
    end
    local name = original.name
    R.fn(f, (type(name) == "string" and name or "") .. "Callbackified", R.function_length(original) + 1)
    return f
  end)

  local function debuglog(_, section)
    local enabled = false
    local env = R.process and R.process.env
    local spec = env and env.NODE_DEBUG
    if type(spec) == "string" and type(section) == "string" then
      local up = section:upper()
      for part in spec:gmatch("[^,%s]+") do
        local escaped = sgsub(part:upper(), "[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0")
        local pat = "^" .. sgsub(escaped, "%*", ".*") .. "$"
        if up:match(pat) then enabled = true end
      end
    end
    local logger = R.fn(function(_, ...)
      if enabled then
        R.write_err(R.tostr(section):upper() .. " " .. R.numtostr(getpid()) .. ": " .. R.format(...) .. "\n")
      end
    end, "debug", 0)
    put(logger, "enabled", enabled)
    return logger
  end
  export(util, "debug", 1, debuglog)
  export(util, "debuglog", 1, debuglog)

  local codes_warned = {}
  export(util, "deprecate", 3, function(_, fn, msg, code)
    if code ~= nil then validate_string(code, "code") end
    local warned = false
    local deprecated = function(this, ...)
      local proc = R.process
      if not (proc and R.truthy(proc.noDeprecation)) and not warned then
        warned = true
        -- through process.emitWarning, as node's: 'warning' listeners hear it, in turn with
        -- the program's own warnings
        local emit = proc and proc.emitWarning
        if code ~= nil then
          if not codes_warned[code] then
            codes_warned[code] = true
            if emit then emit(proc, R.tostr(msg), "DeprecationWarning", code)
            else emit_warning(R.tostr(msg), "DeprecationWarning", code) end
          end
        elseif emit then
          emit(proc, R.tostr(msg), "DeprecationWarning")
        else
          emit_warning(R.tostr(msg), "DeprecationWarning")
        end
      end
      return fn(this, ...)
    end
    R.fn(deprecated, "deprecated", 0)
    if type(fn) == "function" then
      R.setproto(R.fprop_table(deprecated), fn)
      local proto = fn.prototype
      if R.truthy(proto) then deprecated.prototype = proto end
    end
    return deprecated
  end)

  export(util, "format", 0, function(_, ...) return R.format(...) end)
  export(util, "formatWithOptions", 1, function(_, opts, ...)
    validate_object(opts, "inspectOptions")
    return R.format_with_options(opts, ...)
  end)
  export(util, "getSystemErrorMap", 0, function() return require("ljs.node_uv_errors").map() end)
  export(util, "getSystemErrorName", 1, function(_, err) return require("ljs.node_uv_errors").name(err) end)

  export(util, "inherits", 2, function(_, ctor, superCtor)
    if ctor == nil or ctor == null then R.throw(invalid_arg_type("ctor", "Function", ctor)) end
    if superCtor == nil or superCtor == null then R.throw(invalid_arg_type("superCtor", "Function", superCtor)) end
    local sp = superCtor.prototype
    if sp == nil then R.throw(invalid_arg_type("superCtor.prototype", "Object", sp)) end
    R.defprop(ctor, "super_", {value = superCtor, writable = true, enumerable = false, configurable = true})
    setPrototypeOf(Object, ctor.prototype, sp)
  end)

  put(util, "inspect", util_inspect)
  put(util_inspect, "custom", sym_custom)
  require("ljs.inspect")
  put(util_inspect, "colors", R.inspect_colors)
  put(util_inspect, "styles", R.inspect_styles)
  R.util_has_colors = true   -- (ljs.inspect reads them from util.inspect from now on)

  -- node's isNodeStream, isReadableStream, isWritableStream: duck typing (process.stdout and
  -- process.stderr, no EventEmitters here, count as streams)
  local function has_fn(o, k) return is_callable(R.get(o, k)) end
  local function is_node_stream(o)
    local p = R.process
    if p and (rawequal(o, rawget(p, "stdout")) or rawequal(o, rawget(p, "stderr"))) then return true end
    return R.truthy(R.get(o, "_readableState")) or R.truthy(R.get(o, "_writableState")) or
      (has_fn(o, "on") and (has_fn(o, "write") or has_fn(o, "pipe")))
  end
  local function is_web_stream(o)
    return (has_fn(o, "pipeThrough") and has_fn(o, "getReader") and has_fn(o, "cancel")) or
      (has_fn(o, "getWriter") and has_fn(o, "abort"))
  end
  local function style_code(c)
    if c == nil then return "" end
    return "\27[" .. R.tostr(c) .. "m"
  end
  -- util.styleText(format, text, {validateStream, stream}) as node 20.20 has it: colours only for
  -- a stream node's console would colour, except with an array of formats (node ignores the
  -- stream then)
  export(util, "styleText", 2, function(_, format, text, options)
    validate_string(text, "text")
    if options == null then
      R.throw_error("TypeError", "Cannot read properties of null (reading 'validateStream')")
    end
    local validate, stream = true, nil
    if R.isobject(options) then validate, stream = R.get(options, "validateStream"), R.get(options, "stream") end
    if validate == nil then validate = true end
    if type(validate) ~= "boolean" then R.throw(invalid_arg_type("options.validateStream", "boolean", validate)) end
    local skip = false
    if validate then
      if stream == nil then stream = R.process and rawget(R.process, "stdout") end
      if not (R.isobject(stream) and (is_node_stream(stream) or is_web_stream(stream))) then
        R.throw(invalid_arg_type("stream", {"ReadableStream", "WritableStream", "Stream"}, stream))
      end
      skip = not require("ljs.node_tty").should_colorize(stream)
    end
    local colors = R.get(util_inspect, "colors")
    local function codes(key)
      local c = R.get(colors, R.tokey(key))
      if c == nil or c == null then
        local names, n = R.ownkeys(colors)
        local allowed = {}
        for i = 1, n do allowed[i] = "'" .. R.tostr(names[i]) .. "'" end
        local got = inspect(key)
        if R.strlen(got) > 128 then got = u16prefix(got, 128) .. "..." end
        throw_coded("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'format' must be one of: " ..
          concat(allowed, ", ") .. ". Received " .. got)
      end
      if not R.isobject(c) then return "", "" end
      return style_code(R.get(c, 0)), style_code(R.get(c, 1))
    end
    if R.isarray(format) then
      local left, right = "", ""
      for i = 0, (rawget(format, "length") or 0) - 1 do
        local l, r = codes(format[i])
        left, right = left .. l, r .. right
      end
      return left .. text .. right
    end
    local l, r = codes(format)
    if skip then return text end
    return l .. text .. r
  end)

  export(util, "isArray", 1, function(_, v) return R.isarray(v) end)
  export(util, "isBoolean", 1, function(_, v) return type(v) == "boolean" end)
  -- (a Buffer exists only once ljs.node_buffer has loaded)
  export(util, "isBuffer", 1, function(_, v)
    local B = package.loaded["ljs.node_buffer"]
    return type(B) == "table" and B.is_buffer(v) == true
  end)
  export(util, "isDeepStrictEqual", 2, function(_, a, b) return deep_strict_equal(a, b) end)
  export(util, "isNull", 1, function(_, v) return v == null end)
  export(util, "isNullOrUndefined", 1, function(_, v) return v == null or v == nil end)
  export(util, "isNumber", 1, function(_, v) return type(v) == "number" end)
  export(util, "isString", 1, function(_, v) return type(v) == "string" end)
  export(util, "isSymbol", 1, function(_, v) return typeof(v) == "symbol" end)
  export(util, "isUndefined", 1, function(_, v) return v == nil end)
  export(util, "isRegExp", 1, function(_, v) return is_regexp(v) end)
  export(util, "isObject", 1, function(_, v) return is_objtype(v) end)
  export(util, "isDate", 1, function(_, v) return is_date(v) end)
  export(util, "isError", 1, function(_, v) return is_error(v) end)
  export(util, "isFunction", 1, function(_, v) return is_callable(v) end)
  export(util, "isPrimitive", 1, function(_, v) return v == null or (typeof(v) ~= "object" and typeof(v) ~= "function") end)
  -- "8 Mar 09:05:01 - message", in local time as node's Date getters give it
  local MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
  export(util, "log", 0, function(_, ...)
    local t = os.date("*t")
    local stamp = t.day .. " " .. MONTHS[t.month] .. " " .. string.format("%02d:%02d:%02d", t.hour, t.min, t.sec)
    local console = rawget(G, "console")
    console.log(console, "%s - %s", stamp, R.format(...))
  end)

  local promisify = export(util, "promisify", 1, function(_, original)
    validate_function(original, "original")
    -- setTimeout / setImmediate have promise forms (node's timers/promises)
    if rawequal(original, rawget(G, "setTimeout")) or rawequal(original, rawget(G, "setImmediate")) then
      local is_timeout = rawequal(original, rawget(G, "setTimeout"))
      return builtin(is_timeout and "setTimeout" or "setImmediate", 2, function(_, a, b)
        local p = R.new_promise()
        local resolve = R.arrow(function() R.resolve_promise(p, is_timeout and b or a) end, "", 0)
        if is_timeout then original(nil, resolve, a) else original(nil, resolve) end
        return p
      end)
    end
    local custom = original[kCustomPromisified]
    if R.truthy(custom) then
      validate_function(custom, "util.promisify.custom")
      R.defprop(custom, kCustomPromisified, {value = custom, enumerable = false, writable = false, configurable = true})
      return custom
    end
    local fn = function(this, ...)
      local p = R.new_promise()
      local n = select("#", ...)
      local args = {...}
      args[n + 1] = R.arrow(function(_, err, ...)
        if R.truthy(err) then R.reject_promise(p, err) else R.resolve_promise(p, (...)) end
      end, "", 2)
      local ok, e = pcall(original, this, unpack(args, 1, n + 1))
      if not ok then R.reject_promise(p, R.caught(e)) end
      return p
    end
    R.fn(fn, R.tostr(original.name), R.function_length(original))
    R.defprop(fn, kCustomPromisified, {value = fn, enumerable = false, writable = false, configurable = true})
    return fn
  end)
  put(promisify, "custom", kCustomPromisified)
  export(util, "stripVTControlCharacters", 1, function(_, s)
    validate_string(s, "str")
    s = sgsub(s, "\27%[[%d;?]*[ -/]*[@-~]", "")
    s = sgsub(s, "\194\155[%d;?]*[ -/]*[@-~]", "")
    s = sgsub(s, "\27%][^\7\27]*\7", "")
    s = sgsub(s, "\27%][^\7\27]*\27\\", "")
    return s
  end)
  export(util, "toUSVString", 1, function(_, s)
    require("ljs.webapi")
    return R.to_usv(R.tostr(s))
  end)
  -- a promise fulfilled (with the abort event) when the signal aborts; an async function in
  -- node, so bad arguments reject it
  local aborted = export(util, "aborted", 2, function(_, signal, resource)
    local p = R.new_promise()
    if not (R.is_abort_signal and R.is_abort_signal(signal)) then
      R.reject_promise(p, invalid_arg_type("signal", "AbortSignal", signal))
    elseif not is_objtype(resource) and typeof(resource) ~= "function" then
      R.reject_promise(p, invalid_arg_type("resource", "object", resource))
    elseif R.signal_aborted(signal) then
      R.resolve_promise(p, nil)
    else
      R.on_abort(signal, function(_, ev) R.resolve_promise(p, ev) end)
    end
    return p
  end)
  R.fkinds[aborted] = "AsyncFunction"

  local types = R.newobj()
  local function pred(name, f) export(types, name, 1, function(_, v) return f(v) == true end) end
  pred("isAnyArrayBuffer", is_arraybuffer)
  pred("isArrayBuffer", is_arraybuffer)
  pred("isArrayBufferView", is_view)
  pred("isAsyncFunction", function(v)
    local k = R.fkinds[v]; return k == "AsyncFunction" or k == "AsyncGeneratorFunction"
  end)
  pred("isBooleanObject", function(v) return type(boxed_value(v)) == "boolean" end)
  pred("isBoxedPrimitive", is_boxed)
  pred("isDataView", is_dataview)
  pred("isDate", is_date)
  pred("isGeneratorFunction", function(v)
    local k = R.fkinds[v]; return k == "GeneratorFunction" or k == "AsyncGeneratorFunction"
  end)
  pred("isGeneratorObject", function(v)
    return type(v) == "table" and (on_chain(v, R.GeneratorPrototype) or (R.AsyncGenPrototype ~= nil and on_chain(v, R.AsyncGenPrototype)))
  end)
  pred("isMap", is_map)
  pred("isMapIterator", function(v) return tag_of(v) == "[object Map Iterator]" end)
  pred("isNativeError", function(v) return R.has_error_data(v) end)
  pred("isNumberObject", function(v) return type(boxed_value(v)) == "number" end)
  pred("isPromise", function(v) return R.is_promise(v) end)
  pred("isProxy", function(v) return R.proxy_target ~= nil and R.proxy_target(v) ~= nil end)
  pred("isRegExp", is_regexp)
  pred("isSet", is_set)
  pred("isSetIterator", function(v) return tag_of(v) == "[object Set Iterator]" end)
  pred("isStringObject", function(v) return type(boxed_value(v)) == "string" end)
  pred("isSymbolObject", function(v) return typeof(boxed_value(v)) == "symbol" end)
  pred("isTypedArray", function(v) return typed_kind(v) ~= nil end)
  for _, k in ipairs({"Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "Int8Array", "Int16Array",
                      "Int32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"}) do
    pred("is" .. k, function(v) return typed_kind(v) == k end)
  end
  pred("isWeakMap", function(v) return coll_kind(v) == "WeakMap" end)
  pred("isWeakSet", function(v) return coll_kind(v) == "WeakSet" end)
  pred("isArgumentsObject", R.is_arguments)
  pred("isBigIntObject", function(v) return typeof(boxed_value(v)) == "bigint" end)
  pred("isModuleNamespaceObject", function(v)
    local mt = type(v) == "table" and getmetatable(v)
    return (mt and mt.kind == "namespace") or (R.is_interop_namespace ~= nil and R.is_interop_namespace(v))
  end)
  -- none of these exist here: no SharedArrayBuffer, no native externals, no crypto key objects
  for _, k in ipairs({"isSharedArrayBuffer", "isExternal", "isKeyObject", "isCryptoKey"}) do
    pred(k, function() return false end)
  end
  put(util, "types", types)
  -- (a file of its own, loaded on the first call: few programs parse arguments)
  export(util, "parseArgs", 0, function(_, config)
    return require("ljs.node_util_args").parse_args(nil, config)
  end)

  require("ljs.webapi")
  put(util, "TextDecoder", R.builtin_global("TextDecoder"))
  put(util, "TextEncoder", R.builtin_global("TextEncoder"))
  local mime = require("ljs.node_util_mime")
  put(util, "MIMEType", mime.MIMEType)
  put(util, "MIMEParams", mime.MIMEParams)
  return util
end
loaders["util/types"] = function() return R.builtin_modules.util().types end

---------------------------------------------------------------------------------------------
-- assert

local kReadableOperator = {
  deepStrictEqual = "Expected values to be strictly deep-equal:",
  strictEqual = "Expected values to be strictly equal:",
  strictEqualObject = 'Expected "actual" to be reference-equal to "expected":',
  deepEqual = "Expected values to be loosely deep-equal:",
  notDeepStrictEqual = 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual = 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject = 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual = 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical = "Values have same structure but are not reference-equal:",
  notDeepEqualUnequal = "Expected values not to be loosely deep-equal:",
}
local kMaxShortLength = 12

local function inspect_value(v)
  return inspect(v, {compact = false, customInspect = false, depth = 1000, maxArrayLength = huge,
                     showHidden = false, showProxy = false, sorted = true, getters = true})
end

local function ends_with_comma(s) return sbyte(s, -1) == 44 end

local function create_err_diff(actual, expected, operator, message)
  local other, res, endtxt = "", "", ""
  local skipped = false
  local actualInspected = inspect_value(actual)
  local actualLines = split(actualInspected, "\n")
  local expectedLines = split(inspect_value(expected), "\n")
  local i = 0
  local indicator = ""
  local function header(op) return R.truthy(message) and R.tostr(message) or kReadableOperator[op] end

  if operator == "strictEqual" and ((is_objtype(actual) and is_objtype(expected))
      or (typeof(actual) == "function" and typeof(expected) == "function")) then
    operator = "strictEqualObject"
  end

  if #actualLines == 1 and #expectedLines == 1 and actualLines[1] ~= expectedLines[1] then
    local actualRaw, expectedRaw = actualLines[1], expectedLines[1]
    local inputLength = R.strlen(actualRaw) + R.strlen(expectedRaw)
    if inputLength <= kMaxShortLength then
      if not is_objtype(actual) and not is_objtype(expected) and (actual ~= 0 or expected ~= 0) then
        return header(operator) .. "\n\n" .. actualLines[1] .. " !== " .. expectedLines[1] .. "\n"
      end
    elseif operator ~= "strictEqualObject" then
      if inputLength < 80 then
        local ua = R.utf16(actualRaw)
        local ub = R.utf16(expectedRaw)
        while ua[i] ~= nil and ua[i] == ub[i] do i = i + 1 end
        if i > 2 then
          indicator = "\n  " .. srep(" ", i) .. "^"
          i = 0
        end
      end
    end
  end

  -- drop the identical lines at the end
  local a, b = actualLines[#actualLines], expectedLines[#expectedLines]
  while a == b do
    if i < 3 then endtxt = "\n  " .. a .. endtxt else other = a end
    i = i + 1
    actualLines[#actualLines] = nil
    expectedLines[#expectedLines] = nil
    if #actualLines == 0 or #expectedLines == 0 then break end
    a, b = actualLines[#actualLines], expectedLines[#expectedLines]
  end

  local maxLines = math.max(#actualLines, #expectedLines)
  if maxLines == 0 then
    local lines = split(actualInspected, "\n")
    if #lines > 50 then
      lines[47] = "..."
      for j = #lines, 48, -1 do lines[j] = nil end
    end
    return kReadableOperator.notIdentical .. "\n\n" .. concat(lines, "\n") .. "\n"
  end

  if i >= 5 then
    endtxt = "\n..." .. endtxt
    skipped = true
  end
  if other ~= "" then
    endtxt = "\n  " .. other .. endtxt
    other = ""
  end

  local printedLines, identical = 0, 0
  local msg = header(operator) .. "\n+ actual - expected"
  local skippedMsg = " ... Lines skipped"
  -- before a differing line: the last identical ones (up to three, "..." past five), as node
  local function close_run(src)
    if identical > 2 then
      if identical > 3 then
        if identical > 4 then
          if identical == 5 then
            res = res .. "\n  " .. src[i - 2]
            printedLines = printedLines + 1
          else
            res = res .. "\n..."
            skipped = true
          end
        end
        res = res .. "\n  " .. src[i - 1]
        printedLines = printedLines + 1
      end
      res = res .. "\n  " .. src[i]
      printedLines = printedLines + 1
    end
    identical = 0
  end
  local lines, plusMinus, maxLength = actualLines, "+", #expectedLines
  if #actualLines < maxLines then
    lines, plusMinus, maxLength = expectedLines, "-", #actualLines
  end
  -- lines are 1-based here; `i` counts from 0 as in node
  for k = 0, maxLines - 1 do
    i = k
    if maxLength < i + 1 then
      close_run(lines)
      if lines == actualLines then
        res = res .. "\n" .. plusMinus .. " " .. lines[i + 1]
      else
        other = other .. "\n" .. plusMinus .. " " .. lines[i + 1]
      end
      printedLines = printedLines + 1
    else
      local expectedLine = expectedLines[i + 1]
      local actualLine = actualLines[i + 1]
      local diverging = actualLine ~= expectedLine and
        (not ends_with_comma(actualLine) or ssub(actualLine, 1, -2) ~= expectedLine)
      if diverging and ends_with_comma(expectedLine) and ssub(expectedLine, 1, -2) == actualLine then
        diverging = false
        actualLine = actualLine .. ","
      end
      if diverging then
        close_run(actualLines)
        res = res .. "\n+ " .. actualLine
        other = other .. "\n- " .. expectedLine
        printedLines = printedLines + 2
      else
        res = res .. other
        other = ""
        identical = identical + 1
        if identical <= 2 then
          res = res .. "\n  " .. actualLine
          printedLines = printedLines + 1
        end
      end
    end
    if printedLines > 50 and i < maxLines - 2 then
      return msg .. skippedMsg .. "\n" .. res .. "\n..." .. other .. "\n..."
    end
  end
  return msg .. (skipped and skippedMsg or "") .. "\n" .. res .. other .. endtxt .. indicator
end

local function add_ellipsis(s)
  local lines, n = split(s, "\n")
  if n > 10 then
    return concat(lines, "\n", 1, 10) .. "\n..."
  elseif R.strlen(s) > 512 then
    return R.str_sub(s, 512) .. "..."
  end
  return s
end

local function copy_error(src)
  local t = R.newobj(R.getproto(src))
  local ks, n = R.ownkeys(src, true)
  for i = 1, n do R.put(t, ks[i], src[ks[i]]) end
  R.defprop(t, "message", {value = src.message, writable = false, enumerable = false, configurable = false})
  return t
end

-- The text of the failing assert(...) call, as node shows for `assert(x)` with no message.
local source_cache = {}
local function read_source(path)
  local t = source_cache[path]
  if t == nil then
    local ok, text = false, nil
    if R.host_read then ok, text = pcall(R.host_read, path) end
    t = (ok and type(text) == "string") and text or false
    source_cache[path] = t
  end
  return t or nil
end

local function call_site()
  for level = 3, 40 do
    local info = debug.getinfo(level, "Sl")
    if not info then return nil end
    local src = info.source
    if R.linemaps[src] and info.currentline and info.currentline > 0 then
      local names = R.callnames[src]
      return ssub(src, 2), R.jsline(src, info.currentline), names and names[info.currentline]
    end
  end
end

-- from byte `start` of `text`, the call expression up to its closing parenthesis
local function call_extent(text, start)
  local p = sfind(text, "(", start, true)
  if not p then return nil end
  local depth, i, n = 0, p, #text
  while i <= n do
    local c = ssub(text, i, i)
    if c == "(" or c == "[" or c == "{" then depth = depth + 1
    elseif c == ")" or c == "]" or c == "}" then
      depth = depth - 1
      if depth == 0 then return ssub(text, start, i) end
    elseif c == "'" or c == '"' or c == "`" then
      i = i + 1
      while i <= n and ssub(text, i, i) ~= c do
        if ssub(text, i, i) == "\\" then i = i + 1 end
        i = i + 1
      end
    elseif c == "/" and ssub(text, i + 1, i + 1) == "/" then
      local e = sfind(text, "\n", i, true)
      if not e then return nil end
      i = e
    elseif c == "/" and ssub(text, i + 1, i + 1) == "*" then
      local _, e = sfind(text, "*/", i + 2, true)
      if not e then return nil end
      i = e
    end
    i = i + 1
  end
  return nil
end

local function falsy_message()
  local path, line, calls = call_site()
  if not path or not line then return nil end
  local text = read_source(path)
  if not text then return nil end
  -- byte offset of the start of the line
  local pos, l = 1, 1
  while l < line do
    local e = sfind(text, "\n", pos, true)
    if not e then return nil end
    pos = e + 1
    l = l + 1
  end
  local line_end = sfind(text, "\n", pos, true) or (#text + 1)
  local line_text = ssub(text, pos, line_end - 1)
  local candidates = {}
  if calls then
    for i = 1, #calls do
      local c = calls[i]
      local last = smatch(c, "([%w_$]+)$") or c
      if last == "ok" or last == "strict" or last:lower():find("assert", 1, true) then candidates[#candidates + 1] = c end
    end
  end
  if #candidates == 0 then candidates = {"assert.ok", "assert.strict", "assert", "ok"} end
  local best
  for _, c in ipairs(candidates) do
    local from = 1
    while true do
      local s = sfind(line_text, c, from, true)
      if not s then break end
      local before = s > 1 and ssub(line_text, s - 1, s - 1) or ""
      if not smatch(before, "[%w_$]") and smatch(ssub(line_text, s + #c), "^%s*%(") then
        if not best or s < best then best = s end
        break
      end
      from = s + 1
    end
  end
  if not best then return nil end
  local code = call_extent(text, pos + best - 1)
  if not code then return nil end
  code = sgsub(code, "[%z\1-\8\11\12\14-\31]", function(ch)
    local b = sbyte(ch)
    if b == 8 then return "\\b" elseif b == 12 then return "\\f" end
    return string.format("\\u%04x", b)
  end)
  local column = best - 1
  if sfind(code, "\n", 1, true) then
    local frames = split(code, "\n")
    local out = frames[1]
    for k = 2, #frames do
      local fr = frames[k]
      local p2 = 0
      while p2 < column do
        local ch = ssub(fr, p2 + 1, p2 + 1)
        if ch ~= " " and ch ~= "\t" then break end
        p2 = p2 + 1
      end
      out = out .. "\n  " .. ssub(fr, p2 + 1)
    end
    code = out
  end
  return "The expression evaluated to a falsy value:\n\n  " .. code .. "\n"
end

local assert_state = nil   -- AssertionError and friends, made on first use

local function build_assertion_error()
  local AEProto = R.newobj(R.ErrorPrototype)
  local AssertionError
  AssertionError = function(this, options)
    if not R.constructing(this, AEProto) then R.type_error("Class constructor AssertionError cannot be invoked without 'new'") end
    validate_object(options, "options")
    local message, operator = options.message, options.operator
    local actual, expected = options.actual, options.expected
    local msg
    if message ~= nil and message ~= null then
      if operator == "deepStrictEqual" or operator == "strictEqual" then
        msg = create_err_diff(actual, expected, operator, message)
      else
        msg = R.tostr(message)
      end
    else
      if is_objtype(actual) and is_objtype(expected) and R.has(actual, "stack") and R.is_error(actual)
         and R.has(expected, "stack") and R.is_error(expected) then
        actual, expected = copy_error(actual), copy_error(expected)
      end
      if operator == "deepStrictEqual" or operator == "strictEqual" then
        msg = create_err_diff(actual, expected, operator)
      elseif operator == "notDeepStrictEqual" or operator == "notStrictEqual" then
        local base = kReadableOperator[operator]
        local res = split(inspect_value(actual), "\n")
        if operator == "notStrictEqual" and (is_objtype(actual) or typeof(actual) == "function") then
          base = kReadableOperator.notStrictEqualObject
        end
        if #res > 50 then
          res[47] = "..."
          for j = #res, 48, -1 do res[j] = nil end
        end
        if #res == 1 then
          msg = base .. (R.strlen(res[1]) > 5 and "\n\n" or " ") .. res[1]
        else
          msg = base .. "\n\n" .. concat(res, "\n") .. "\n"
        end
      else
        local res = inspect_value(actual)
        local other = inspect_value(expected)
        local known = kReadableOperator[operator]
        if operator == "notDeepEqual" and res == other then
          res = known .. "\n\n" .. res
          if R.strlen(res) > 1024 then res = R.str_sub(res, 0, 1021) .. "..." end
          msg = res
        else
          if R.strlen(res) > 512 then res = R.str_sub(res, 0, 509) .. "..." end
          if R.strlen(other) > 512 then other = R.str_sub(other, 0, 509) .. "..." end
          if operator == "deepEqual" then
            res = known .. "\n\n" .. res .. "\n\nshould loosely deep-equal\n\n"
          else
            local newOp = type(operator) == "string" and kReadableOperator[operator .. "Unequal"]
            if newOp then
              res = newOp .. "\n\n" .. res .. "\n\nshould not loosely deep-equal\n\n"
            else
              other = " " .. R.tostr(operator) .. " " .. other
            end
          end
          msg = res .. other
        end
      end
    end
    -- Error's own initialisation (message), then node's own properties in its order
    local ErrorCtor = rawget(G, "Error")
    ErrorCtor(this, msg)
    this.generatedMessage = not R.truthy(message)
    rawset(this, "name", "AssertionError")
    R.note_hidden(this, "name")
    this.code = "ERR_ASSERTION"
    this.actual = actual
    this.expected = expected
    this.operator = operator
    local st = R.stack_lines and R.stack_lines(3) or ""
    R.set_error_stack(this, "AssertionError [ERR_ASSERTION]: " .. msg .. (st ~= "" and ("\n" .. st) or ""))
  end
  R.fn(AssertionError, "AssertionError", 1)
  rawset(R.fprop_table(AssertionError), "prototype", AEProto)
  rawset(AEProto, "constructor", AssertionError)
  R.note_hidden(AEProto, "constructor")
  R.setproto(R.fprop_table(AssertionError), rawget(G, "Error"))
  R.method(AEProto, "toString", 0, function(this)
    return R.tostr(this.name) .. " [" .. R.tostr(this.code) .. "]: " .. R.tostr(this.message)
  end)
  local custom = R.sym_inspect_custom
  R.method(AEProto, custom, 2, function(this, _, ctx)
    local tmpA, tmpE = this.actual, this.expected
    if type(tmpA) == "string" then this.actual = add_ellipsis(tmpA) end
    if type(tmpE) == "string" then this.expected = add_ellipsis(tmpE) end
    local opts = R.newobj()
    if R.isobject(ctx) then
      local ks, n = R.ownkeys(ctx)
      for i = 1, n do opts[ks[i]] = ctx[ks[i]] end
    end
    opts.customInspect = false
    opts.depth = 0
    local ok, result = pcall(inspect, this, opts)
    this.actual, this.expected = tmpA, tmpE
    if not ok then error(result, 0) end
    return result
  end)

  -- new Comparison(obj, keys, actual): the placeholders of a validation-object mismatch
  local CmpProto = R.newobj()
  local Comparison = R.fn(function() end, "Comparison", 3)
  rawset(R.fprop_table(Comparison), "prototype", CmpProto)
  rawset(CmpProto, "constructor", Comparison)
  R.note_hidden(CmpProto, "constructor")

  return {AssertionError = AssertionError, CmpProto = CmpProto}
end

local function assertion_error(...)
  return R.new(assert_state.AssertionError, jsobject(...))
end

loaders.assert = function()
  assert_state = assert_state or build_assertion_error()
  local AssertionError = assert_state.AssertionError
  local NO_EXCEPTION = {}

  local function inner_fail(actual, expected, message, operator)
    if is_error(message) then R.throw(message) end
    R.throw(assertion_error("actual", actual, "expected", expected, "message", message, "operator", operator))
  end

  local function inner_ok(n, value, message)
    if not R.truthy(value) then
      local generated = false
      if n == 0 then
        generated = true
        message = "No value argument passed to `assert.ok()`"
      elseif message == nil or message == null then
        generated = true
        message = falsy_message()
      elseif is_error(message) then
        R.throw(message)
      end
      local err = assertion_error("actual", value, "expected", true, "message", message, "operator", "==")
      err.generatedMessage = generated
      R.throw(err)
    end
  end

  local ok = builtin("ok", 0, function(_, ...) inner_ok(select("#", ...), ...) end)
  local assert = ok

  local function missing_args(n)
    if n < 2 then throw_coded("TypeError", "ERR_MISSING_ARGS", 'The "actual" and "expected" arguments must be specified') end
  end

  local fail_warned = false
  export(assert, "fail", 5, function(_, ...)
    local n = select("#", ...)
    local actual, expected, message, operator = ...
    local internal = false
    if (actual == nil or actual == null) and n <= 1 then
      internal = true
      message = "Failed"
    elseif n == 1 then
      message = actual
      actual = nil
    else
      if not fail_warned then
        fail_warned = true
        emit_warning("assert.fail() with more than one argument is deprecated. " ..
          "Please use assert.strictEqual() instead or only pass a message.", "DeprecationWarning", "DEP0094")
      end
      if n == 2 then operator = "!=" end
    end
    if is_error(message) then R.throw(message) end
    local err = assertion_error("actual", actual, "expected", expected, "operator", operator == nil and "fail" or operator,
                                "message", message)
    if internal then err.generatedMessage = true end
    R.throw(err)
  end)
  put(assert, "AssertionError", AssertionError)
  put(assert, "ok", ok)

  -- the two-value assertions: name, the test that must hold, operator reported when it fails
  local function loose_equal(a, b) return R.eq(a, b) or (isnan(a) and isnan(b)) end
  for _, c in ipairs({
    {"equal", loose_equal, true, "=="}, {"notEqual", loose_equal, false, "!="},
    {"deepEqual", deep_equal, true, "deepEqual"}, {"notDeepEqual", deep_equal, false, "notDeepEqual"},
    {"deepStrictEqual", deep_strict_equal, true, "deepStrictEqual"},
    {"notDeepStrictEqual", deep_strict_equal, false, "notDeepStrictEqual"},
    {"strictEqual", object_is, true, "strictEqual"}, {"notStrictEqual", object_is, false, "notStrictEqual"},
  }) do
    local name, test, want, operator = c[1], c[2], c[3], c[4]
    export(assert, name, 3, function(_, ...)
      missing_args(select("#", ...))
      local actual, expected, message = ...
      if (test(actual, expected) and true or false) ~= want then inner_fail(actual, expected, message, operator) end
    end)
  end

  local function make_comparison(obj, keys, n, actual)
    local o = R.newobj(assert_state.CmpProto)
    for i = 1, n do
      local key = keys[i]
      if R.has(obj, key) then
        if actual ~= nil and type(actual[key]) == "string" and is_regexp(obj[key]) and regexp_exec(obj[key], actual[key]) then
          R.put(o, key, actual[key])
        else
          R.put(o, key, obj[key])
        end
      end
    end
    return o
  end

  local function compare_exception_key(actual, expected, key, message, keys, n, fnname)
    if not R.has(actual, key) or not deep_strict_equal(actual[key], expected[key]) then
      if not R.truthy(message) then
        local a = make_comparison(actual, keys, n)
        local b = make_comparison(expected, keys, n, actual)
        local err = assertion_error("actual", a, "expected", b, "operator", "deepStrictEqual")
        err.actual = actual
        err.expected = expected
        err.operator = fnname
        R.throw(err)
      end
      inner_fail(actual, expected, message, fnname)
    end
  end

  local function expected_exception(actual, expected, message, fnname)
    local generated, throw_error = false, false
    if typeof(expected) ~= "function" then
      if is_regexp(expected) then
        local str = R.tostr(actual)
        if regexp_exec(expected, str) then return end
        if not R.truthy(message) then
          generated = true
          message = "The input did not match the regular expression " .. inspect(expected) .. ". Input:\n\n" .. inspect(str) .. "\n"
        end
        throw_error = true
      elseif not is_objtype(actual) then
        local err = assertion_error("actual", actual, "expected", expected, "message", message, "operator", "deepStrictEqual")
        err.operator = fnname
        R.throw(err)
      else
        local keys, n = R.ownkeys(expected)
        for i = 1, n do if type(keys[i]) == "number" then keys[i] = R.numtostr(keys[i]) end end
        if R.is_error(expected) then
          keys[n + 1], keys[n + 2] = "name", "message"
          n = n + 2
        elseif n == 0 then
          local ins = inspect(expected)
          if R.strlen(ins) > 128 then ins = R.str_sub(ins, 0, 128) .. "..." end
          throw_coded("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'error' may not be an empty object. Received " .. ins)
        end
        for i = 1, n do
          local key = keys[i]
          if not (type(actual[key]) == "string" and is_regexp(expected[key]) and regexp_exec(expected[key], actual[key])) then
            compare_exception_key(actual, expected, key, message, keys, n, fnname)
          end
        end
        return
      end
    elseif expected.prototype ~= nil and R.instanceof(actual, expected) then
      return
    elseif on_chain(expected, rawget(G, "Error")) then
      if not R.truthy(message) then
        generated = true
        message = 'The error is expected to be an instance of "' .. R.tostr(expected.name) .. '". Received '
        if is_error(actual) then
          local c = actual.constructor
          local name = (R.truthy(c) and R.truthy(c.name)) and c.name or actual.name
          if strict_eq(expected.name, name) then
            message = message .. "an error with identical name but a different prototype."
          else
            message = message .. '"' .. R.tostr(name) .. '"'
          end
          if R.truthy(actual.message) then
            message = message .. "\n\nError message:\n\n" .. R.tostr(actual.message)
          end
        else
          message = message .. '"' .. inspect(actual, {depth = -1}) .. '"'
        end
      end
      throw_error = true
    else
      local res = expected(R.newobj(), actual)
      if res ~= true then
        if not R.truthy(message) then
          generated = true
          local name = R.truthy(expected.name) and ('"' .. R.tostr(expected.name) .. '" ') or ""
          message = "The " .. name .. 'validation function is expected to return "true". Received ' .. inspect(res)
          if is_error(actual) then message = message .. "\n\nCaught error:\n\n" .. R.tostr(actual) end
        end
        throw_error = true
      end
    end
    if throw_error then
      local err = assertion_error("actual", actual, "expected", expected, "message", message, "operator", fnname)
      err.generatedMessage = generated
      R.throw(err)
    end
  end

  local ERROR_TYPES = {"Object", "Error", "Function", "RegExp"}

  -- `nargs` counts the arguments after the function: (error, message)
  local function expects_error(fnname, actual, nargs, err, message)
    if type(err) == "string" then
      if nargs == 2 then R.throw(invalid_arg_type("error", ERROR_TYPES, err)) end
      if is_objtype(actual) then
        if strict_eq(actual.message, err) then
          throw_coded("TypeError", "ERR_AMBIGUOUS_ARGUMENT", 'The "error/message" argument is ambiguous. The error message "' ..
            R.tostr(actual.message) .. '" is identical to the message.')
        end
      elseif strict_eq(actual, err) then
        throw_coded("TypeError", "ERR_AMBIGUOUS_ARGUMENT", 'The "error/message" argument is ambiguous. The error "' ..
          R.tostr(actual) .. '" is identical to the message.')
      end
      message = err
      err = nil
    elseif err ~= nil and err ~= null and typeof(err) ~= "object" and typeof(err) ~= "function" then
      R.throw(invalid_arg_type("error", ERROR_TYPES, err))
    end
    if actual == NO_EXCEPTION then
      local details = ""
      if R.truthy(err) and R.truthy(err.name) then details = details .. " (" .. R.tostr(err.name) .. ")" end
      details = details .. (R.truthy(message) and (": " .. R.tostr(message)) or ".")
      local fnType = fnname == "rejects" and "rejection" or "exception"
      inner_fail(nil, err, "Missing expected " .. fnType .. details, fnname)
    end
    if not R.truthy(err) then return end
    expected_exception(actual, err, message, fnname)
  end

  local function has_matching_error(actual, expected)
    if typeof(expected) ~= "function" then
      if is_regexp(expected) then return regexp_exec(expected, R.tostr(actual)) end
      R.throw(invalid_arg_type("expected", {"Function", "RegExp"}, expected))
    end
    if expected.prototype ~= nil and R.instanceof(actual, expected) then return true end
    if on_chain(expected, rawget(G, "Error")) then return false end
    return expected(R.newobj(), actual) == true
  end

  local function expects_no_error(fnname, actual, err, message)
    if actual == NO_EXCEPTION then return end
    if type(err) == "string" then message = err; err = nil end
    if not R.truthy(err) or has_matching_error(actual, err) then
      local details = R.truthy(message) and (": " .. R.tostr(message)) or "."
      local fnType = fnname == "doesNotReject" and "rejection" or "exception"
      local am = R.truthy(actual) and actual.message or actual
      inner_fail(actual, err, "Got unwanted " .. fnType .. details .. "\nActual message: \"" .. R.tostr(am) .. '"', fnname)
    end
    R.throw(actual)
  end

  local function get_actual(fn)
    validate_function(fn, "fn")
    local okc, e = pcall(fn, nil)
    if okc then return NO_EXCEPTION end
    return R.caught(e)
  end

  local function check_is_promise(v)
    return R.is_promise(v) or (is_objtype(v) and is_callable(v["then"]) and is_callable(v["catch"]))
  end

  -- the async forms: settle a new promise once `promiseFn` (or the promise) settles
  local function wait_then(promiseFn, finish)
    local P = R.new_promise()
    local okc, err = pcall(function()
      local result
      if is_callable(promiseFn) then
        result = promiseFn(nil)
        if not check_is_promise(result) then
          throw_coded("TypeError", "ERR_INVALID_RETURN_VALUE", 'Expected instance of Promise to be returned from the "promiseFn" function but got ' ..
            specific_type(result) .. ".")
        end
      elseif check_is_promise(promiseFn) then
        result = promiseFn
      else
        R.throw(invalid_arg_type("promiseFn", {"Function", "Promise"}, promiseFn))
      end
      local function done(actual)
        local ok2, e2 = pcall(finish, actual)
        if ok2 then R.resolve_promise(P, nil) else R.reject_promise(P, R.caught(e2)) end
      end
      R.promise_then(R.promise_resolve(result), function() done(NO_EXCEPTION) end, function(_, e) done(e) end)
    end)
    if not okc then R.reject_promise(P, R.caught(err)) end
    return P
  end

  export(assert, "throws", 1, function(_, fn, ...)
    expects_error("throws", get_actual(fn), select("#", ...), ...)
  end)
  local rejects = export(assert, "rejects", 1, function(_, promiseFn, ...)
    local n, a, b = select("#", ...), ...
    return wait_then(promiseFn, function(actual) expects_error("rejects", actual, n, a, b) end)
  end)
  R.fkinds[rejects] = "AsyncFunction"
  export(assert, "doesNotThrow", 1, function(_, fn, ...)
    expects_no_error("doesNotThrow", get_actual(fn), ...)
  end)
  local dnr = export(assert, "doesNotReject", 1, function(_, promiseFn, ...)
    local a, b = ...
    return wait_then(promiseFn, function(actual) expects_no_error("doesNotReject", actual, a, b) end)
  end)
  R.fkinds[dnr] = "AsyncFunction"

  export(assert, "ifError", 1, function(_, err)
    if err ~= nil and err ~= null then
      local message = "ifError got unwanted exception: "
      if is_objtype(err) and type(err.message) == "string" then
        if err.message == "" and R.truthy(err.constructor) then
          message = message .. R.tostr(err.constructor.name)
        else
          message = message .. err.message
        end
      else
        message = message .. inspect(err)
      end
      local newErr = assertion_error("actual", err, "expected", null, "operator", "ifError", "message", message)
      local origStack = is_objtype(err) and err.stack
      if type(origStack) == "string" then
        local s = sfind(origStack, "\n    at", 1, true)
        if s then
          local frames = ssub(origStack, s + 1)
          local head = R.tostr(newErr.stack)
          local firstAt = sfind(head, "\n    at", 1, true)
          if firstAt then head = ssub(head, 1, firstAt - 1) end
          R.set_error_stack(newErr, head .. "\n" .. frames)
        end
      end
      R.throw(newErr)
    end
  end)

  local function internal_match(str, regexp, message, fnname)
    if not is_regexp(regexp) then R.throw(invalid_arg_type("regexp", "RegExp", regexp)) end
    local match = fnname == "match"
    if type(str) ~= "string" or regexp_exec(regexp, str) ~= match then
      if is_error(message) then R.throw(message) end
      local generated = not R.truthy(message)
      if generated then
        if type(str) ~= "string" then
          message = 'The "string" argument must be of type string. Received type ' .. typeof(str) .. " (" .. inspect(str) .. ")"
        else
          message = (match and "The input did not match the regular expression "
                           or "The input was expected to not match the regular expression ") ..
                    inspect(regexp) .. ". Input:\n\n" .. inspect(str) .. "\n"
        end
      end
      local err = assertion_error("actual", str, "expected", regexp, "message", message, "operator", fnname)
      err.generatedMessage = generated
      R.throw(err)
    end
  end
  export(assert, "match", 3, function(_, str, regexp, message) internal_match(str, regexp, message, "match") end)
  export(assert, "doesNotMatch", 3, function(_, str, regexp, message) internal_match(str, regexp, message, "doesNotMatch") end)

  -- assert.strict: the same functions with the strict forms of equal & co.
  local strict = builtin("strict", 0, function(_, ...) inner_ok(select("#", ...), ...) end)
  local ks, n = R.ownkeys(assert)
  for i = 1, n do put(strict, ks[i], assert[ks[i]]) end
  put(strict, "equal", assert.strictEqual)
  put(strict, "deepEqual", assert.deepStrictEqual)
  put(strict, "notEqual", assert.notStrictEqual)
  put(strict, "notDeepEqual", assert.notDeepStrictEqual)
  put(assert, "strict", strict)
  put(strict, "strict", strict)
  return assert
end
loaders["assert/strict"] = function() return R.builtin_modules.assert().strict end

---------------------------------------------------------------------------------------------
-- path (POSIX)
local SLASH, DOT = 47, 46

local function last_slash(s)
  for i = #s, 1, -1 do if sbyte(s, i) == SLASH then return i - 1 end end
  return -1
end

-- Resolves . and .. elements in a path with directory names (node's normalizeString)
local function normalize_string(path, allow_above_root)
  local res = ""
  local last_seg_len = 0
  local lastslash = -1
  local dots = 0
  local code = 0
  local n = #path
  for i = 0, n do
    local stop = false
    if i < n then code = sbyte(path, i + 1)
    elseif code == SLASH then stop = true
    else code = SLASH end
    if stop then break end
    if code == SLASH then
      if lastslash == i - 1 or dots == 1 then
        -- NOOP
      elseif dots == 2 then
        local done = false
        if #res < 2 or last_seg_len ~= 2 or sbyte(res, -1) ~= DOT or sbyte(res, -2) ~= DOT then
          if #res > 2 then
            local idx = last_slash(res)
            if idx == -1 then
              res = ""; last_seg_len = 0
            else
              res = ssub(res, 1, idx)
              last_seg_len = #res - 1 - last_slash(res)
            end
            done = true
          elseif #res ~= 0 then
            res = ""; last_seg_len = 0
            done = true
          end
        end
        if not done and allow_above_root then
          res = #res > 0 and (res .. "/..") or ".."
          last_seg_len = 2
        end
      else
        if #res > 0 then res = res .. "/" .. ssub(path, lastslash + 2, i)
        else res = ssub(path, lastslash + 2, i) end
        last_seg_len = i - lastslash - 1
      end
      lastslash = i
      dots = 0
    elseif code == DOT and dots ~= -1 then
      dots = dots + 1
    else
      dots = -1
    end
  end
  return res
end

local function path_cwd()
  local proc = rawget(G, "process")
  if proc and is_callable(proc.cwd) then return R.tostr(proc:cwd()) end
  return R.cwd or "."
end

local function posix_resolve(n, args)
  local resolved = ""
  local absolute = false
  local i = n - 1
  while i >= -1 and not absolute do
    local path
    if i >= 0 then path = args[i + 1] else path = path_cwd() end
    validate_string(path, "paths[" .. i .. "]")
    if #path > 0 then
      resolved = path .. "/" .. resolved
      absolute = sbyte(path, 1) == SLASH
    end
    i = i - 1
  end
  resolved = normalize_string(resolved, not absolute)
  if absolute then return "/" .. resolved end
  return #resolved > 0 and resolved or "."
end

local function posix_normalize(path)
  validate_string(path, "path")
  if #path == 0 then return "." end
  local absolute = sbyte(path, 1) == SLASH
  local trailing = sbyte(path, -1) == SLASH
  path = normalize_string(path, not absolute)
  if #path == 0 then
    if absolute then return "/" end
    return trailing and "./" or "."
  end
  if trailing then path = path .. "/" end
  return absolute and ("/" .. path) or path
end

local function posix_relative(from, to)
  validate_string(from, "from")
  validate_string(to, "to")
  if from == to then return "" end
  from = posix_resolve(1, {from})
  to = posix_resolve(1, {to})
  if from == to then return "" end
  local fromStart, fromEnd = 1, #from
  local fromLen = fromEnd - fromStart
  local toStart = 1
  local toLen = #to - toStart
  local length = fromLen < toLen and fromLen or toLen
  local lastCommonSep = -1
  local i = 0
  while i < length do
    local fc = sbyte(from, fromStart + i + 1)
    if fc ~= sbyte(to, toStart + i + 1) then break
    elseif fc == SLASH then lastCommonSep = i end
    i = i + 1
  end
  if i == length then
    if toLen > length then
      if sbyte(to, toStart + i + 1) == SLASH then return ssub(to, toStart + i + 2) end
      if i == 0 then return ssub(to, toStart + i + 1) end
    elseif fromLen > length then
      if sbyte(from, fromStart + i + 1) == SLASH then lastCommonSep = i
      elseif i == 0 then lastCommonSep = 0 end
    end
  end
  local out = ""
  for j = fromStart + lastCommonSep + 1, fromEnd do
    if j == fromEnd or sbyte(from, j + 1) == SLASH then
      out = out .. (#out == 0 and ".." or "/..")
    end
  end
  return out .. ssub(to, toStart + lastCommonSep + 1)
end

local function posix_dirname(path)
  validate_string(path, "path")
  if #path == 0 then return "." end
  local hasRoot = sbyte(path, 1) == SLASH
  local e = -1
  local matchedSlash = true
  for i = #path - 1, 1, -1 do
    if sbyte(path, i + 1) == SLASH then
      if not matchedSlash then e = i; break end
    else
      matchedSlash = false
    end
  end
  if e == -1 then return hasRoot and "/" or "." end
  if hasRoot and e == 1 then return "//" end
  return ssub(path, 1, e)
end

local function posix_basename(path, suffix)
  if suffix ~= nil then validate_string(suffix, "ext") end
  validate_string(path, "path")
  local start, e = 0, -1
  local matchedSlash = true
  if suffix ~= nil and #suffix > 0 and #suffix <= #path then
    if suffix == path then return "" end
    local extIdx = #suffix - 1
    local firstNonSlashEnd = -1
    for i = #path - 1, 0, -1 do
      local code = sbyte(path, i + 1)
      if code == SLASH then
        if not matchedSlash then start = i + 1; break end
      else
        if firstNonSlashEnd == -1 then matchedSlash = false; firstNonSlashEnd = i + 1 end
        if extIdx >= 0 then
          if code == sbyte(suffix, extIdx + 1) then
            extIdx = extIdx - 1
            if extIdx == -1 then e = i end
          else
            extIdx = -1
            e = firstNonSlashEnd
          end
        end
      end
    end
    if start == e then e = firstNonSlashEnd
    elseif e == -1 then e = #path end
    return ssub(path, start + 1, e)
  end
  for i = #path - 1, 0, -1 do
    if sbyte(path, i + 1) == SLASH then
      if not matchedSlash then start = i + 1; break end
    elseif e == -1 then
      matchedSlash = false
      e = i + 1
    end
  end
  if e == -1 then return "" end
  return ssub(path, start + 1, e)
end

local function posix_extname(path)
  validate_string(path, "path")
  local startDot, startPart, e = -1, 0, -1
  local matchedSlash = true
  local preDotState = 0
  for i = #path - 1, 0, -1 do
    local code = sbyte(path, i + 1)
    if code == SLASH then
      if not matchedSlash then startPart = i + 1; break end
    else
      if e == -1 then matchedSlash = false; e = i + 1 end
      if code == DOT then
        if startDot == -1 then startDot = i
        elseif preDotState ~= 1 then preDotState = 1 end
      elseif startDot ~= -1 then
        preDotState = -1
      end
    end
  end
  if startDot == -1 or e == -1 or preDotState == 0 or
     (preDotState == 1 and startDot == e - 1 and startDot == startPart + 1) then
    return ""
  end
  return ssub(path, startDot + 1, e)
end

local function posix_parse(path)
  validate_string(path, "path")
  local root, dir, base, ext, name = "", "", "", "", ""
  if #path > 0 then
    local isAbsolute = sbyte(path, 1) == SLASH
    local start = 0
    if isAbsolute then root = "/"; start = 1 end
    local startDot, startPart, e = -1, 0, -1
    local matchedSlash = true
    local preDotState = 0
    for i = #path - 1, start, -1 do
      local code = sbyte(path, i + 1)
      if code == SLASH then
        if not matchedSlash then startPart = i + 1; break end
      else
        if e == -1 then matchedSlash = false; e = i + 1 end
        if code == DOT then
          if startDot == -1 then startDot = i
          elseif preDotState ~= 1 then preDotState = 1 end
        elseif startDot ~= -1 then
          preDotState = -1
        end
      end
    end
    if e ~= -1 then
      local s = (startPart == 0 and isAbsolute) and 1 or startPart
      if startDot == -1 or preDotState == 0 or
         (preDotState == 1 and startDot == e - 1 and startDot == startPart + 1) then
        base = ssub(path, s + 1, e); name = base
      else
        name = ssub(path, s + 1, startDot)
        base = ssub(path, s + 1, e)
        ext = ssub(path, startDot + 1, e)
      end
    end
    if startPart > 0 then dir = ssub(path, 1, startPart - 1)
    elseif isAbsolute then dir = "/" end
  end
  return jsobject("root", root, "dir", dir, "base", base, "ext", ext, "name", name)
end

local function posix_format(obj)
  validate_object(obj, "pathObject")
  local dir = obj.dir
  if not R.truthy(dir) then dir = obj.root end
  local base = obj.base
  if not R.truthy(base) then
    local nm = obj.name
    local ext = obj.ext
    local e = ""
    if R.truthy(ext) then
      local first = type(ext) == "string" and ssub(ext, 1, 1) or nil
      e = (first == "." and "" or ".") .. R.tostr(ext)
    end
    base = (R.truthy(nm) and R.tostr(nm) or "") .. e
  end
  if not R.truthy(dir) then return R.tostr(base) end
  if rawequal(dir, obj.root) then return R.tostr(dir) .. R.tostr(base) end
  return R.tostr(dir) .. "/" .. R.tostr(base)
end

loaders.path = function()
  local path = R.newobj()
  export(path, "resolve", 0, function(_, ...) return posix_resolve(select("#", ...), {...}) end)
  export(path, "normalize", 1, function(_, p) return posix_normalize(p) end)
  export(path, "isAbsolute", 1, function(_, p)
    validate_string(p, "path")
    return #p > 0 and sbyte(p, 1) == SLASH
  end)
  export(path, "join", 0, function(_, ...)
    local n = select("#", ...)
    if n == 0 then return "." end
    local joined
    for i = 1, n do
      local arg = (select(i, ...))
      validate_string(arg, "path")
      if #arg > 0 then
        if joined == nil then joined = arg else joined = joined .. "/" .. arg end
      end
    end
    if joined == nil then return "." end
    return posix_normalize(joined)
  end)
  export(path, "relative", 2, function(_, from, to) return posix_relative(from, to) end)
  export(path, "toNamespacedPath", 1, function(_, p) return p end)
  export(path, "dirname", 1, function(_, p) return posix_dirname(p) end)
  export(path, "basename", 2, function(_, p, suffix) return posix_basename(p, suffix) end)
  export(path, "extname", 1, function(_, p) return posix_extname(p) end)
  export(path, "format", 1, function(_, obj) return posix_format(obj) end)
  export(path, "parse", 1, function(_, p) return posix_parse(p) end)
  put(path, "sep", "/")
  put(path, "delimiter", ":")
  R.addkey(path, "win32")   -- undefined here: only the POSIX flavour exists
  put(path, "posix", path)
  put(path, "_makeLong", path.toNamespacedPath)
  return path
end
loaders["path/posix"] = function() return R.builtin_modules.path() end

---------------------------------------------------------------------------------------------
-- node core modules in files of their own (ljs/node_<name>.lua), and the helpers they share
-- with this file: node's coded errors, argument checks and process warnings.
R.nodelib = {
  coded_error = coded_error, throw_coded = throw_coded, invalid_arg_type = invalid_arg_type,
  specific_type = specific_type, emit_warning = emit_warning, export = export, put = put,
  jsobject = jsobject, builtin = builtin, validate_string = validate_string, abort_error = abort_error,
  validate_function = validate_function, validate_object = validate_object, out_of_range = out_of_range,
}
for name, file in pairs({
  buffer = "node_buffer", string_decoder = "node_string_decoder", url = "node_url",
  fs = "node_fs", os = "node_os", process = "node_process", crypto = "node_crypto",
  diagnostics_channel = "node_diagnostics_channel", tty = "node_tty", zlib = "node_zlib",
  child_process = "node_child_process",
}) do
  loaders[name] = function() return require("ljs." .. file).exports end
end
loaders["fs/promises"] = function() return R.builtin_modules.fs().promises end
loaders["timers/promises"] = function() return require("ljs.node_timers_promises").exports end
loaders.querystring = function() return require("ljs.node_url").querystring end
loaders.readline = function() return require("ljs.node_readline").exports end
loaders["readline/promises"] = function() return require("ljs.node_readline").promises end
loaders.stream = function() return require("ljs.node_stream").exports end
for _, k in ipairs({"promises", "consumers"}) do loaders["stream/" .. k] = function() return require("ljs.node_stream")[k] end end
-- the timer functions and the console are node's globals
loaders.timers = function()
  local t = R.newobj()
  for _, k in ipairs({"setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate"}) do
    put(t, k, rawget(G, k))
  end
  put(t, "promises", R.builtin_modules["timers/promises"]())
  return t
end
loaders.console = function() return rawget(G, "console") end
-- Modules a sandbox must not expose (they reach the file system, the environment or other
-- processes); "process.env" names the environment, which the global `process` carries.
R.unsafe_modules = {"fs", "fs/promises", "os", "child_process", "worker_threads", "cluster", "net",
                    "http", "https", "http2", "dgram", "dns", "tls", "inspector", "process.env"}

---------------------------------------------------------------------------------------------
-- Registration: R.builtin_modules[name] is a function returning the exports.
local function register(mods)
  for name, build in pairs(loaders) do
    if rawget(mods, name) == nil then   -- (rawget: rt.lua's index on mods loads this module)
      mods[name] = function()
        local m = built[name]
        if m == nil then
          m = build()
          built[name] = m
        end
        return m
      end
    end
  end
end

if R.builtin_modules then
  register(R.builtin_modules)
else
  -- loaded from rt.lua's module list, before rt.lua makes R.builtin_modules: register into it
  -- as soon as it is assigned
  local mt = getmetatable(R)
  if mt == nil then
    setmetatable(R, {__newindex = function(t, k, v)
      rawset(t, k, v)
      if k == "builtin_modules" and type(v) == "table" then
        setmetatable(t, nil)
        register(v)
      end
    end})
  end
end

return R
