-- openvino.lib: the C API binding, loaded on first use, and what every other part needs: status
-- checks that raise JS errors, strings OpenVINO allocates, element types, shapes and classes.
local ffi = require("ffi")
local R = require("ljs.core")
local C = require("bindings.openvino")

local type, rawget, rawset, tostring = type, rawget, rawset, tostring
local fstring = ffi.string
local smatch = string.match   -- (a string's methods are JS's String.prototype here)

local M = {C = C}

ffi.cdef[[int setenv(const char *name, const char *value, int overwrite);]]

-- pip wheels keep libopenvino_c where dlopen does not look; the host (luascript.Runtime) knows the
-- installed wheels' library directories, so a missing library is searched there before giving up.
local loaded = false
function M.load()
  if loaded then return end
  local load = getmetatable(C).load
  if not pcall(load) then
    local dirs = R.host_library_dirs and R.host_library_dirs()
    if type(dirs) == "string" and dirs ~= "" then
      local cur = os.getenv("LUASCRIPT_LIBRARY_PATH")
      ffi.C.setenv("LUASCRIPT_LIBRARY_PATH", cur and cur ~= "" and (cur .. ":" .. dirs) or dirs, 1)
    end
    local ok, err = pcall(load)
    if not ok then R.throw_error("Error", tostring(err)) end
  end
  loaded = true
end

-- status code -> name (OK, GENERAL_ERROR, NOT_FOUND, ...)
local STATUS = {}
for _, name in ipairs({"OK", "GENERAL_ERROR", "NOT_IMPLEMENTED", "NETWORK_NOT_LOADED", "PARAMETER_MISMATCH",
  "NOT_FOUND", "OUT_OF_BOUNDS", "UNEXPECTED", "REQUEST_BUSY", "RESULT_NOT_READY", "NOT_ALLOCATED",
  "INFER_NOT_STARTED", "NETWORK_NOT_READ", "INFER_CANCELLED", "INVALID_C_PARAM", "UNKNOWN_C_ERROR",
  "NOT_IMPLEMENT_C_METHOD", "UNKNOW_EXCEPTION"}) do
  STATUS[C[name]] = name
end
M.STATUS = STATUS

-- An Error whose message has the status name and OpenVINO's own message; `code` holds the name.
local function fail(status, what)
  status = tonumber(status)
  local name = STATUS[status] or ("status " .. status)
  local msg = C.ov_get_last_err_msg()
  msg = msg ~= nil and fstring(msg) or ""
  -- keep OpenVINO's explanation, drop the source locations it wraps around it
  local lines = {}
  for line in string.gmatch(msg, "[^\n]+") do
    if not smatch(line, "^Exception from [^ ]+:%d+:$") and not smatch(line, "^Check '.*' failed at [^ ]+:%d+:$") then
      line = string.gsub(line, "^Exception from [^ ]+:%d+:%s*", "")
      lines[#lines + 1] = smatch(line, "^%s*(.-)%s*$")
    end
  end
  msg = table.concat(lines, " ")
  local e = R.make_error("Error", what .. ": " .. name .. (msg ~= "" and (": " .. msg) or ""))
  e.code = name
  R.throw(e)
end
M.fail = fail

function M.check(status, what)
  if status ~= 0 then fail(status, what) end
end

-- A string OpenVINO allocated (char **out), copied and freed.
local charpp = ffi.typeof("char *[1]")
function M.take_string(fn, what, ...)
  local out = charpp()
  local args = {...}
  args[#args + 1] = out
  local st = fn(unpack(args))
  if st ~= 0 then fail(st, what) end
  local s = fstring(out[0])
  C.ov_free(out[0])
  return s
end

---------------------------------------------------------------------------------------------
-- Element types: JS name -> {C enum value, typed array kind}; i64/u64 use BigInt64Array /
-- BigUint64Array, as openvino-node does.
local ELEMENTS = {
  {"f32", C.F32, "Float32Array", "float"},
  {"f64", C.F64, "Float64Array", "double"},
  {"f16", C.F16, "Uint16Array", "uint16_t"},    -- raw IEEE half bits
  {"bf16", C.BF16, "Uint16Array", "uint16_t"},  -- raw bfloat16 bits
  {"i64", C.I64, "BigInt64Array", "int64_t"},
  {"u64", C.U64, "BigUint64Array", "uint64_t"},
  {"i32", C.I32, "Int32Array", "int32_t"},
  {"u32", C.U32, "Uint32Array", "uint32_t"},
  {"i16", C.I16, "Int16Array", "int16_t"},
  {"u16", C.U16, "Uint16Array", "uint16_t"},
  {"i8", C.I8, "Int8Array", "int8_t"},
  {"u8", C.U8, "Uint8Array", "uint8_t"},
  {"boolean", C.OV_BOOLEAN, "Uint8Array", "uint8_t"},
}
local by_name, by_enum = {}, {}
for _, e in ipairs(ELEMENTS) do
  local info = {name = e[1], enum = e[2], kind = e[3], ctype = e[4], size = ffi.sizeof(e[4]),
                ptrct = ffi.typeof(e[4] .. " *")}
  by_name[e[1]] = info
  by_enum[e[2]] = info
end
M.ELEMENTS, M.element_by_enum = ELEMENTS, by_enum

-- ov.element: element.f32 === "f32"; element types are passed and returned as these names.
local element = R.newobj()
for _, e in ipairs(ELEMENTS) do rawset(element, e[1], e[1]); R.addkey(element, e[1]) end
M.element = element

function M.element_info(v)
  local info = by_name[v]
  if not info then
    local known = {}
    for _, e in ipairs(ELEMENTS) do known[#known + 1] = e[1] end
    R.throw_error("TypeError", "unknown element type " .. R.tostr(v) .. " (known: " .. table.concat(known, ", ") .. ")")
  end
  return info
end

---------------------------------------------------------------------------------------------
-- Shapes

-- A JS array of non-negative integers -> ov_shape_t (freed by the collector), element count.
local shape_t, i64vla = ffi.typeof("ov_shape_t"), ffi.typeof("int64_t[?]")
function M.to_shape(a, what)
  if not R.isarray(a) then R.throw_error("TypeError", what .. ": shape must be an array of integers") end
  local n = rawget(a, "length")
  local dims, count = i64vla(n > 0 and n or 1), 1
  for i = 0, n - 1 do
    local d = rawget(a, i)
    if type(d) ~= "number" or d < 0 or d ~= math.floor(d) then
      R.throw_error("TypeError", what .. ": shape dimension " .. i .. " is " .. R.tostr(d) .. ", not a non-negative integer")
    end
    dims[i] = d
    count = count * d
  end
  local s = shape_t()
  M.check(C.ov_shape_create(n, dims, s), what)
  return ffi.gc(s, C.ov_shape_free), count
end

-- ov_shape_t -> JS array
function M.from_shape(s)
  local n = tonumber(s.rank)
  local a = {length = n}
  for i = 0, n - 1 do a[i] = tonumber(s.dims[i]) end
  return setmetatable(a, R.ArrayMT)
end

---------------------------------------------------------------------------------------------
M.class = R.module_class

-- A reader of the C handle that objects of class `name` keep under `key`: f(o, what) returns it,
-- or throws "what: expected an ov.Name".
function M.handle_reader(key, name)
  return function(o, what)
    local p = type(o) == "table" and rawget(o, key)
    if not p then R.throw_error("TypeError", (what or name) .. ": expected an ov." .. name) end
    return p
  end
end

-- A class whose objects only OpenVINO calls make (`new` is a TypeError saying where they come
-- from): proto, instance metatable and the reader of their handle.
function M.factory_class(name, key, origin)
  local article = string.match(name, "^[AEIOU]") and "an " or "a "
  local proto, mt = M.class(name, 0, function()
    R.throw_error("TypeError", article .. name .. " comes from " .. origin .. ", not from new")
  end)
  return proto, mt, M.handle_reader(key, name)
end

function M.getter(proto, name, get)
  R.defprop(proto, name, {get = R.fn(get, "get " .. name, 0), enumerable = false, configurable = true})
end

-- console.log shows `Name { k: v, ... }` from the fields that `fields(this)` returns
function M.inspect_as(proto, name, fields)
  local sym = R.sym_inspect_custom
  if not sym then return end
  R.method(proto, sym, 3, function(this, _, _, inspect)
    return name .. " " .. R.tostr(inspect(nil, fields(this)))
  end)
end

function M.plain(keys, values)
  local o = R.newobj()
  for i = 1, #keys do rawset(o, keys[i], values[i]); R.addkey(o, keys[i]) end
  return o
end

-- Config objects {KEY: value} -> flat list of C strings key1, value1, key2, value2, ...
function M.config_pairs(cfg, what)
  local out = {}
  if cfg == nil or cfg == R.null then return out end
  if type(cfg) ~= "table" then R.throw_error("TypeError", what .. ": config must be an object") end
  local keys, n = R.ownkeys(cfg)
  for i = 1, n do
    local k = keys[i]
    local v = R.get(cfg, k)
    if type(v) == "boolean" then v = v and "YES" or "NO" else v = R.tostr(v) end
    out[#out + 1] = R.tostr(k)
    out[#out + 1] = v
  end
  return out
end

-- A property value as text -> number when it is an integer, else the text
function M.property_value(s)
  if smatch(s, "^%-?%d+$") then return tonumber(s) end
  return s
end

return M
