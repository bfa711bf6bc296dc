-- openvino.tensor: ov.Tensor. A tensor made from a typed array of its element type wraps that
-- array's memory (ov_tensor_create_from_host_ptr) and keeps the array alive; `tensor.data` is a
-- typed array over the tensor's memory that keeps the tensor alive.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.typedarray")
local lib = require("openvino.lib")

local C, check = lib.C, lib.check
local type, rawget, rawset, setmetatable, tonumber = type, rawget, rawset, setmetatable, tonumber
local null = R.null

local TPTR, KEEP, VIEW = {}, {}, {}   -- private keys: the ov_tensor_t*, what its memory belongs to, data view

local tensorpp = ffi.typeof("ov_tensor_t *[1]")
local voidpp, sizep = ffi.typeof("void *[1]"), ffi.typeof("size_t[1]")
local elemp, shapebox = ffi.typeof("ov_element_type_e[1]"), ffi.typeof("ov_shape_t")
local box, vbox, nbox, ebox = tensorpp(), voidpp(), sizep(), elemp()

local proto, mt   -- set below, once the constructor exists

-- The JS object around an ov_tensor_t* this side owns (freed by the collector).
local function wrap(ptr, keep, obj)
  obj = obj or setmetatable({}, mt)
  rawset(obj, TPTR, ffi.gc(ptr, C.ov_tensor_free))
  rawset(obj, KEEP, keep or false)
  return obj
end

local function is_tensor(v) return type(v) == "table" and rawget(v, TPTR) ~= nil end

local handle = lib.handle_reader(TPTR, "Tensor")

local function element_of(p)
  check(C.ov_tensor_get_element_type(p, ebox), "Tensor.getElementType")
  local info = lib.element_by_enum[tonumber(ebox[0])]
  if not info then   -- (u4, f8e4m3, string, ...: outputs of models only)
    R.throw_error("TypeError", "Tensor: element type #" .. tonumber(ebox[0]) .. " is not supported here")
  end
  return info
end

local function size_of(p)
  check(C.ov_tensor_get_size(p, nbox), "Tensor.getSize")
  return tonumber(nbox[0])
end

local function data_ptr(p)
  check(C.ov_tensor_data(p, vbox), "Tensor.data")
  return vbox[0]
end

local big = R.big
local RANGE = {i64 = {-2 ^ 63, 2 ^ 63}, u64 = {0, 2 ^ 64}}

-- Copy array-like `a` into the n elements at p. 64-bit integer elements take BigInts (wrapped to
-- 64 bits, as a BigInt64Array stores them) or integral numbers within the type's range.
local function fill(info, p, a, n, what)
  local len = R.tonum(R.get(a, "length"))
  if len ~= n then
    R.throw_error("RangeError", what .. ": " .. n .. " elements expected, got " .. len)
  end
  local ep = ffi.cast(info.ptrct, p)
  local range = RANGE[info.name]
  if range then
    local lo, hi = range[1], range[2]
    for i = 0, n - 1 do
      local v = R.get(a, i)
      if big.is(v) then
        ep[i] = big.to_uint64(v)
      else
        v = R.tonum(v)
        if v ~= math.floor(v) or v < lo or v >= hi then   -- (NaN fails the first test)
          R.throw_error("RangeError", what .. ": element " .. i .. " is " .. R.tostr(v) ..
                        ", not an integer in the range of " .. info.name)
        end
        ep[i] = v
      end
    end
    return
  end
  local isbool = info.name == "boolean"
  for i = 0, n - 1 do
    local v = R.get(a, i)
    if isbool then v = R.truthy(v) and 1 or 0 else v = R.tonum(v) end
    ep[i] = v
  end
end

local function Tensor(this, etype, shape, data)
  if not R.constructing(this, proto) then R.throw_error("TypeError", "Class constructor Tensor cannot be invoked without 'new'") end
  local info = lib.element_info(etype)
  lib.load()
  local s, n = lib.to_shape(shape, "new Tensor")
  local kind = R.typed_kind(data)
  if data == nil or data == null then
    check(C.ov_tensor_create(info.enum, s, box), "new Tensor")
    return wrap(box[0], false, this)
  end
  if kind and kind == info.kind then
    -- the typed array's own memory: no copy
    local len = rawget(data, R.TA_LEN)
    if len ~= n then
      R.throw_error("RangeError", "new Tensor: shape " .. "[" .. R.tostr(shape) .. "]" ..
                    " holds " .. n .. " elements, the " .. kind .. " has " .. len)
    end
    check(C.ov_tensor_create_from_host_ptr(info.enum, s, rawget(data, R.TA_PTR), box), "new Tensor")
    return wrap(box[0], data, this)
  end
  if R.isarray(data) then
    check(C.ov_tensor_create(info.enum, s, box), "new Tensor")
    wrap(box[0], false, this)
    fill(info, data_ptr(box[0]), data, n, "new Tensor")
    return this
  end
  R.throw_error("TypeError", "new Tensor: element type " .. info.name .. " needs a " .. info.kind ..
                " or an array of " .. (RANGE[info.name] and "integers or BigInts" or "numbers") .. ", got " ..
                (kind or R.typeof(data)))
end

-- tensor.data: a typed array over the tensor's memory (BigInt64Array/BigUint64Array for i64/u64)
local function get_data(this)
  local p = handle(this, "Tensor.data")
  local view = rawget(this, VIEW)
  if view then return view end
  local info, n, ptr = element_of(p), size_of(p), data_ptr(p)
  view = R.typed_from_pointer(info.kind, ptr, n, this)
  rawset(this, VIEW, view)
  return view
end
proto, mt = lib.class("Tensor", 3, Tensor)

lib.getter(proto, "data", get_data)
R.method(proto, "getData", 0, get_data)

local function get_shape(this)
  local s = shapebox()
  check(C.ov_tensor_get_shape(handle(this, "Tensor.getShape"), s), "Tensor.getShape")
  local a = lib.from_shape(s)
  C.ov_shape_free(s)
  return a
end
R.method(proto, "getShape", 0, get_shape)

R.method(proto, "setShape", 1, function(this, shape)
  local p = handle(this, "Tensor.setShape")
  local s = lib.to_shape(shape, "Tensor.setShape")
  check(C.ov_tensor_set_shape(p, s), "Tensor.setShape")
  rawset(this, VIEW, nil)   -- the memory may have moved
end)

R.method(proto, "getElementType", 0, function(this)
  return element_of(handle(this, "Tensor.getElementType")).name
end)

R.method(proto, "getSize", 0, function(this) return size_of(handle(this, "Tensor.getSize")) end)

R.method(proto, "getByteSize", 0, function(this)
  check(C.ov_tensor_get_byte_size(handle(this, "Tensor.getByteSize"), nbox), "Tensor.getByteSize")
  return tonumber(nbox[0])
end)

lib.inspect_as(proto, "Tensor", function(this)
  local p = handle(this)
  return lib.plain({"elementType", "shape"}, {element_of(p).name, get_shape(this)})
end)

return {Tensor = Tensor, is_tensor = is_tensor, wrap = wrap, handle = handle, element_of = element_of}
