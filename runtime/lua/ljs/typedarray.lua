-- ljs.typedarray: ArrayBuffer, SharedArrayBuffer, DataView and the typed arrays, backed by FFI
-- memory.
--
-- A typed array keeps its element pointer, length, buffer and byte offset under the private
-- keys TA_PTR, TA_LEN, TA_BUF and TA_OFF, which no JS code can name: a raw string-keyed field
-- is overwritten by any store that bypasses __newindex (ta["len" + "gth"] = 1e9), and a bound
-- or pointer JS can write opens the process memory to it. A raw "length" copy stays for fast
-- reads; nothing that touches memory trusts it, and the stores JS can reach it by (R.setlength,
-- R.put, Object.assign) fail as node's getter-only length does. The metatable serves in-range
-- integer keys from TA_PTR, converts stored values the way JS does, ignores out-of-range stores
-- and sends other keys to the prototype chain, whose getters read byteOffset and buffer. The
-- typed array keeps its buffer alive and the buffer keeps the memory (or the foreign owner of
-- it) alive.
--
-- Detaching and resizing stay off the element paths: a buffer knows the views JS may reach it
-- through (BUF_VIEWS) and rewrites their pointer and length when it changes, so a view over a
-- detached or shrunk-away buffer has length 0 and its bounds check fails every access; such a
-- view also carries TA_BAD, which the methods test once per call.
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
require("ljs.array")

local type, rawget, rawset, getmetatable, setmetatable, select, tostring, pairs, next =
      type, rawget, rawset, getmetatable, setmetatable, select, tostring, pairs, next
local floor, ceil, min, max = math.floor, math.ceil, math.min, math.max
local sbyte = string.byte
local tobit = bit.tobit
local concat = table.concat
local fcast, fcopy, ffill = ffi.cast, ffi.copy, ffi.fill

local null, SHAPE, SLOW = R.null, R.SHAPE, R.SLOW
local tostr, tonum, numtostr, truthy, toint32 = R.tostr, R.tonum, R.numtostr, R.truthy, R.toint32
local type_error, throw_error, lookup, obj_newindex = R.type_error, R.throw_error, R.lookup, R.obj_newindex
local isobject, iscallable, is_constructor, get = R.isobject, R.iscallable, R.is_constructor, R.get
local sym_iterator, sym_species = R.sym_iterator, R.sym_species
local checkfn = R.array_checkfn
local msort_user, msort_num = R.array_msort_user, R.array_msort_num
local make_iterator = R.array_iterator
local ITER_KEYS, ITER_VALUES, ITER_ENTRIES = R.ITER_KEYS, R.ITER_VALUES, R.ITER_ENTRIES
local fast_iter = R.fast_iter

local u8ptr = ffi.typeof("uint8_t *")
local dblvla = ffi.typeof("double[?]")

local function range_error(msg) throw_error("RangeError", msg) end

-- (strings no JavaScript string can spell: a typed array's element access names them as
-- literals, constant keys of the trace where a key from an upvalue is looked up at every access)
local TA_PTR, TA_LEN, TA_BUF, TA_OFF = "\255tp", "\255tl", "\255tb", "\255to"
R.TA_PTR, R.TA_LEN, R.TA_BUF, R.TA_OFF = TA_PTR, TA_LEN, TA_BUF, TA_OFF
-- TA_FIX: the length a registered view was made with, false when it tracks its buffer's length;
-- TA_BAD: set while the view is out of bounds or its buffer detached
local TA_FIX, TA_BAD = {}, {}
local WEAK_K = {__mode = "k"}

-- ToIntegerOrInfinity
local function tointeger(v)
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v then return 0 end
  if v >= 0 then return floor(v) + 0 end   -- (-0 and -0.5 give 0, not -0)
  return 0 - floor(-v)
end

-- A relative index argument clamped into [0, n]; nil gives `default`.
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

-- ToIndex for lengths and offsets: a RangeError for negative or absurd values, whose message
-- is `msg`, followed by the value when `show` is set.
local function toindex(v, msg, show)
  local n = tointeger(v)
  if n < 0 or n > 9007199254740991 then range_error(show and msg .. tostr(v) or msg) end
  return n
end

-- SpeciesConstructor(o, default)
local function species_ctor(o, default)
  local C = get(o, "constructor")
  if C == nil then return default end
  if not isobject(C) then type_error("object.constructor is not an object") end
  local S = get(C, sym_species)
  if S == nil or S == null then return default end
  if is_constructor(S) then return S end
  type_error("object.constructor[Symbol.species] is not a constructor")
end

-- Is `this` the object `new` made for a constructor with prototype `proto`? The direct case
-- avoids R.constructing's chain walk, a short loop that keeps traces through `new` from forming.
-- Reflect.construct with another new.target hands over a fresh object of that target's
-- prototype: an empty table of an instance metatable (a plain call gets no `this` at all).
local function constructing(this, proto)
  if type(this) ~= "table" then return false end
  local mt = getmetatable(this)
  if mt == nil then return false end
  if mt.proto == proto then return true end
  if R.constructing(this, proto) then return true end   -- subclass instances
  return mt.proto ~= nil and next(this) == nil and isobject(this)
end

---------------------------------------------------------------------------------------------
-- ArrayBuffer and SharedArrayBuffer: the memory, its owner and its size under private keys (a
-- raw "byteLength" field could be overwritten by JS and would then widen every view made over
-- the buffer). A resizable buffer also has its maximum and the bytes allocated; detaching
-- keeps the memory alive for views made by other modules, which are not registered.
local BUF_PTR, BUF_OWNER, BUF_LEN = {}, {}, {}
local BUF_MAX, BUF_CAP, BUF_DET, BUF_VIEWS, BUF_OLD, BUF_SHARED = {}, {}, {}, {}, {}, {}

local ArrayBufferPrototype = R.newobj()
R.ArrayBufferPrototype = ArrayBufferPrototype
local ArrayBufferMT = R.protomt(ArrayBufferPrototype)
R.tag(ArrayBufferPrototype, "ArrayBuffer")
local SharedArrayBufferPrototype = R.newobj()
R.tag(SharedArrayBufferPrototype, "SharedArrayBuffer")

-- The sandbox refuses to make FFI memory at all (docs/sandbox.md).
local function refuse_in_sandbox()
  if R.sandboxed then
    type_error("ArrayBuffer, typed arrays, DataView and Buffer are not available in the LuaScript sandbox")
  end
end

-- Zero-filled memory of n bytes, allocated as doubles so every element type is aligned.
local function alloc_mem(n)
  refuse_in_sandbox()
  if n < 134217728 then return (dblvla(ceil(n / 8) + 1)) end
  local ok, mem = n <= 4294967296 and pcall(dblvla, ceil(n / 8) + 1)
  if not ok then range_error("Array buffer allocation failed") end
  return mem
end

local function init_buffer(b, n, maxlen)
  local mem = alloc_mem(n)
  rawset(b, BUF_LEN, n)
  rawset(b, BUF_PTR, fcast(u8ptr, mem))
  rawset(b, BUF_OWNER, mem)
  if maxlen then rawset(b, BUF_MAX, maxlen); rawset(b, BUF_CAP, n) end
  return b
end

local function new_buffer(n)
  return (init_buffer(setmetatable({}, ArrayBufferMT), n))
end

-- any buffer a view can be made over (SharedArrayBuffers included)
local function isbuffer(v)
  return type(v) == "table" and rawget(v, BUF_PTR) ~= nil
end
local function is_ab(v)
  return type(v) == "table" and rawget(v, BUF_PTR) ~= nil and not rawget(v, BUF_SHARED)
end
-- (the other modules take either kind of buffer as bytes; util.types tells them apart)
R.is_arraybuffer = isbuffer
function R.is_sharedarraybuffer(v) return isbuffer(v) and rawget(v, BUF_SHARED) == true end
function R.arraybuffer_detached(b) return rawget(b, BUF_DET) == true end

-- The views of b JS can reach b through; a view is registered when it is made over a buffer
-- JS holds, or when it hands its buffer out (until then only the view itself uses it).
local function register(b, v)
  local vs = rawget(b, BUF_VIEWS)
  if not vs then vs = setmetatable({}, WEAK_K); rawset(b, BUF_VIEWS, vs) end
  vs[v] = true
end

-- Recompute a view's pointer and length after its buffer changed.
local function refresh(t)
  local info = getmetatable(t).tinfo
  if not info then return end   -- (a prototype change took its typed metatable away)
  local b, off, fix = rawget(t, TA_BUF), rawget(t, TA_OFF), rawget(t, TA_FIX)
  local len
  if not rawget(b, BUF_DET) then
    local bl = rawget(b, BUF_LEN)
    if fix == false then
      if off <= bl then len = floor((bl - off) / info.size) end
    elseif off + fix * info.size <= bl then
      len = fix
    end
  end
  rawset(t, TA_PTR, fcast(info.ptrct, rawget(b, BUF_PTR) + off))
  rawset(t, TA_LEN, len or 0)
  rawset(t, "length", len or 0)
  rawset(t, TA_BAD, (not len) or nil)
end
local dv_refresh   -- (DataView states, below)

local function buffer_changed(b)
  local vs = rawget(b, BUF_VIEWS)
  if not vs then return end
  for v in pairs(vs) do
    if rawget(v, TA_BUF) then refresh(v) else dv_refresh(v) end
  end
end

local function detach(b)
  if not is_ab(b) then type_error("Cannot detach " .. (isbuffer(b) and "a SharedArrayBuffer" or "a non-ArrayBuffer")) end
  rawset(b, BUF_DET, true)
  rawset(b, BUF_LEN, 0)
  buffer_changed(b)
end
function R.detach_buffer(b) detach(b) end

-- A new ArrayBuffer taking over b's memory; b is detached (structuredClone's transfer list).
function R.arraybuffer_transfer(b)
  if not is_ab(b) then type_error("Cannot transfer a non-ArrayBuffer") end
  if rawget(b, BUF_DET) then type_error("An ArrayBuffer is detached and could not be cloned.") end
  local nb = setmetatable({}, ArrayBufferMT)
  for _, k in pairs({BUF_PTR, BUF_OWNER, BUF_LEN, BUF_MAX, BUF_CAP, BUF_OLD}) do rawset(nb, k, rawget(b, k)) end
  detach(b)
  return nb
end

-- Set a resizable buffer's length; memory past the capacity is reallocated, and the old block
-- stays with the buffer for the views that still point into it.
local function resize_buffer(b, n)
  local bl, cap = rawget(b, BUF_LEN), rawget(b, BUF_CAP)
  if n > cap then
    local ncap = min(max(n, cap * 2), rawget(b, BUF_MAX))
    local mem = alloc_mem(ncap)
    local p = fcast(u8ptr, mem)
    if bl > 0 then fcopy(p, rawget(b, BUF_PTR), bl) end
    local old = rawget(b, BUF_OLD) or {}
    old[#old + 1] = rawget(b, BUF_OWNER)
    rawset(b, BUF_OLD, old)
    rawset(b, BUF_PTR, p)
    rawset(b, BUF_OWNER, mem)
    rawset(b, BUF_CAP, ncap)
  elseif n > bl then
    ffill(rawget(b, BUF_PTR) + bl, n - bl, 0)   -- bytes shrunk away come back as zeros
  end
  rawset(b, BUF_LEN, n)
  buffer_changed(b)
end

-- byteLength and the options' maxByteLength (nil: a fixed-length buffer) of a new buffer
local function buffer_lengths(len, options)
  local n = toindex(len, "Invalid array buffer length")
  local maxlen
  if isobject(options) then
    local m = get(options, "maxByteLength")
    if m ~= nil then
      maxlen = toindex(m, "Invalid array buffer max length")
      if n > maxlen or maxlen > 4294967296 then range_error("Invalid array buffer max length") end
    end
  end
  return n, maxlen
end

local function ArrayBuffer(this, len, options)
  if not constructing(this, ArrayBufferPrototype) or rawget(this, BUF_PTR) ~= nil then
    type_error("Constructor ArrayBuffer requires 'new'")
  end
  return (init_buffer(this, buffer_lengths(len, options)))
end
R.ctor("ArrayBuffer", 1, ArrayBuffer, ArrayBufferPrototype)
R.species(ArrayBuffer)
R.ArrayBuffer = ArrayBuffer
R.new_arraybuffer = new_buffer
function R.arraybuffer_ptr(b) return (rawget(b, BUF_PTR)) end
-- what keeps the buffer's memory alive (ljs.gpu holds it while the memory is page-locked)
function R.arraybuffer_owner(b) return (rawget(b, BUF_OWNER)) end
function R.arraybuffer_len(b) return (rawget(b, BUF_LEN)) end

local function ab_check(this, name, shared)
  if not isbuffer(this) or (rawget(this, BUF_SHARED) or false) ~= shared then
    type_error("Method " .. name .. " called on incompatible receiver " .. R.descr(this))
  end
end

local function buffer_getters(proto, cname, shared)
  local function getter(key, f)
    local name = cname .. ".prototype." .. key
    R.defprop(proto, key, {get = R.fn(function(this)
      ab_check(this, "get " .. name, shared)
      return f(this)
    end, "get " .. key, 0), enumerable = false, configurable = true})
  end
  getter("byteLength", function(this) return rawget(this, BUF_LEN) end)
  getter("maxByteLength", function(this)
    if rawget(this, BUF_DET) then return 0 end
    return rawget(this, BUF_MAX) or rawget(this, BUF_LEN)
  end)
  getter(shared and "growable" or "resizable", function(this) return rawget(this, BUF_MAX) ~= nil end)
end
buffer_getters(ArrayBufferPrototype, "ArrayBuffer", false)

-- slice(start, end) of either kind of buffer: a new buffer from the species constructor
local function buffer_slice(this, s, e, cname, shared, default)
  local name = cname .. ".prototype.slice"
  ab_check(this, name, shared)
  if rawget(this, BUF_DET) then type_error("Cannot perform " .. name .. " on a detached ArrayBuffer") end
  local n = rawget(this, BUF_LEN)
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin > k and fin - k or 0
  local C = species_ctor(this, default)
  local b
  if C == default and not shared then
    b = new_buffer(m)
  else
    b = R.new(C, m)
    if not isbuffer(b) or (rawget(b, BUF_SHARED) or false) ~= shared then
      type_error("Method " .. name .. " called on incompatible receiver " .. R.descr(b))
    end
    if rawget(b, BUF_DET) then type_error("Cannot perform " .. name .. " on a detached ArrayBuffer") end
    if b == this then type_error(cname .. " subclass returned this from species constructor") end
    if rawget(b, BUF_LEN) < m then type_error("Derived " .. cname .. " constructor created a buffer which was too small") end
    if rawget(this, BUF_DET) then type_error("Cannot perform " .. name .. " on a detached ArrayBuffer") end
  end
  local cur = rawget(this, BUF_LEN)
  if k < cur then
    local count = min(m, cur - k)
    if count > 0 then fcopy(rawget(b, BUF_PTR), rawget(this, BUF_PTR) + k, count) end
  end
  return b
end

R.method(ArrayBufferPrototype, "slice", 2, function(this, s, e)
  return (buffer_slice(this, s, e, "ArrayBuffer", false, ArrayBuffer))
end)

R.method(ArrayBufferPrototype, "resize", 1, function(this, len)
  if not is_ab(this) or rawget(this, BUF_MAX) == nil then
    type_error("Method ArrayBuffer.prototype.resize called on incompatible receiver " .. R.descr(this))
  end
  local n = toindex(len, "ArrayBuffer.prototype.resize: Invalid length parameter")
  if rawget(this, BUF_DET) then type_error("Cannot perform ArrayBuffer.prototype.resize on a detached ArrayBuffer") end
  if n > rawget(this, BUF_MAX) then range_error("ArrayBuffer.prototype.resize: Invalid length parameter") end
  resize_buffer(this, n)
  return nil
end)

-- SharedArrayBuffer: the same memory, shared with nobody (this runtime has no threads)
local function SharedArrayBuffer(this, len, options)
  if not constructing(this, SharedArrayBufferPrototype) or rawget(this, BUF_PTR) ~= nil then
    type_error("Constructor SharedArrayBuffer requires 'new'")
  end
  init_buffer(this, buffer_lengths(len, options))
  rawset(this, BUF_SHARED, true)
  return this
end
R.ctor("SharedArrayBuffer", 1, SharedArrayBuffer, SharedArrayBufferPrototype)
R.species(SharedArrayBuffer)
buffer_getters(SharedArrayBufferPrototype, "SharedArrayBuffer", true)
R.method(SharedArrayBufferPrototype, "slice", 2, function(this, s, e)
  return (buffer_slice(this, s, e, "SharedArrayBuffer", true, SharedArrayBuffer))
end)
R.method(SharedArrayBufferPrototype, "grow", 1, function(this, len)
  if not isbuffer(this) or not rawget(this, BUF_SHARED) or rawget(this, BUF_MAX) == nil then
    type_error("Method SharedArrayBuffer.prototype.grow called on incompatible receiver " .. R.descr(this))
  end
  local n = toindex(len, "SharedArrayBuffer.prototype.grow: Invalid length parameter")
  if n > rawget(this, BUF_MAX) or n < rawget(this, BUF_LEN) then
    range_error("SharedArrayBuffer.prototype.grow: Invalid length parameter")
  end
  resize_buffer(this, n)
  return nil
end)

---------------------------------------------------------------------------------------------
-- Conversions applied on store. Integer kinds store ToInt32 of the value; the FFI store then
-- keeps the low bits of the element width, which is JS's modulo-2^n wrap.
local function conv_int(v)
  if type(v) == "number" then
    local r = tobit(v)
    if r == v then return r end
  end
  return (toint32(v))
end

-- Uint8Clamped: clamp to 0..255, round half to even; NaN stores 0.
local function conv_clamped(v)
  if type(v) ~= "number" then v = tonum(v) end
  if not (v > 0) then return 0 end
  if v >= 255 then return 255 end
  local f = floor(v)
  local d = v - f
  if d > 0.5 then return f + 1 end
  if d < 0.5 or f % 2 == 0 then return f end
  return f + 1
end

-- Floats: the FFI rounds doubles to single precision for float elements.
local function conv_float(v)
  if type(v) == "number" then return v end
  return (tonum(v))
end

---------------------------------------------------------------------------------------------
-- Kinds
local TypedArrayPrototype = R.newobj()
R.TypedArrayPrototype = TypedArrayPrototype

local KINDS = {
  {"Int8Array", "int8_t", 1, conv_int},
  {"Uint8Array", "uint8_t", 1, conv_int},
  {"Uint8ClampedArray", "uint8_t", 1, conv_clamped},
  {"Int16Array", "int16_t", 2, conv_int},
  {"Uint16Array", "uint16_t", 2, conv_int},
  {"Int32Array", "int32_t", 4, conv_int},
  {"Uint32Array", "uint32_t", 4, conv_int},
  {"Float32Array", "float", 4, conv_float},
  {"Float64Array", "double", 8, conv_float},
}
-- BigInt kinds: elements are int64 cdata in memory and BigInts in JS (read converts them)
local big = R.big
if big then
  local function conv_big(v) return big.to_uint64(big.tobig(v)) end
  KINDS[#KINDS + 1] = {"BigInt64Array", "int64_t", 8, conv_big, big.from_int64}
  KINDS[#KINDS + 1] = {"BigUint64Array", "uint64_t", 8, conv_big, big.from_int64}
end
local by_name = {}

-- The number a canonical numeric string key names, or nil: such keys ("1.5", "-0", "NaN",
-- "Infinity") are integer-indexed, so a typed array has no property under them and never
-- looks one up on its prototype. "-0" is a number but no index: it gives -1.
local function canon(k)
  if type(k) ~= "string" then return nil end
  local b = sbyte(k, 1)
  if b == nil or (b > 57 and b ~= 73 and b ~= 78) or (b < 48 and b ~= 45) then return nil end
  if k == "-0" then return -1 end
  local n = tonum(k)
  if numtostr(n) == k then return n end
  return nil
end

local function valid_index(o, k)
  if type(k) ~= "number" then
    k = canon(k)
    if k == nil then return false end
  end
  return k >= 0 and k < o[TA_LEN] and k == floor(k)
end

-- Own keys of a typed array: its indices, then expando properties.
local function typed_keys(o, include_symbols)
  local out, n = {}, 0
  for i = 0, o[TA_LEN] - 1 do n = n + 1; out[n] = i end
  local s = rawget(o, SHAPE)
  if s then
    for i = 1, s.n do
      local k = s[i]
      local tk = type(k)
      if tk == "string" or (include_symbols and tk == "table") then n = n + 1; out[n] = k end
    end
  end
  return out, n
end

local function typed_desc(o, k)
  if valid_index(o, k) then
    return {value = o[canon(k) or k], writable = true, enumerable = true, configurable = true}
  end
end

-- [[DefineOwnProperty]], [[Delete]] and [[HasProperty]] of integer-indexed keys, for the object
-- operations to call (true/false: handled; nil: an ordinary key)
local function typed_define(o, k, d)
  local n = type(k) == "number" and k or canon(k)
  if n == nil then return nil end
  if not valid_index(o, n) then return false end
  if d.configurable == false or d.enumerable == false or d.get ~= nil or d.set ~= nil or d.writable == false then
    return false
  end
  if d.value ~= nil or d.hasvalue then o[n] = d.value end
  return true
end
local function typed_delete(o, k)
  local n = type(k) == "number" and k or canon(k)
  if n == nil then return nil end
  return not valid_index(o, n)
end
local function typed_has(o, k)
  local n = type(k) == "number" and k or canon(k)
  if n == nil then return nil end
  return valid_index(o, n)
end

-- the typed array TypeError for a method called on a view whose buffer is detached or too short
local function detached_error(name)
  type_error("Cannot perform " .. name .. " on a detached ArrayBuffer")
end

local function store_for(conv)
  local function store(t, k, v)
    if type(k) == "number" then
      v = conv(v)   -- (converted first: valueOf may detach the buffer, and then nothing is stored)
      if k >= 0 and k < t["\255tl"] and k % 1 == 0 then t["\255tp"][k] = v end
      return   -- out-of-range and fractional indices are ignored
    end
    local n = canon(k)
    if n then return store(t, n, v) end
    obj_newindex(t, k, v)
  end
  return store
end

-- An own accessor or read-only property (defineProperty on the instance): found, and its value.
local function own_slow(t, k)
  local slow = rawget(t, SLOW)
  local d = slow and slow[k]
  if not d then return false end
  if d.get ~= nil or d.set ~= nil then
    if d.get == nil then return true, nil end
    return true, d.get(t)
  end
  return true, d.value
end

-- Instance metatable for typed arrays of kind `info` whose prototype is `proto` (the kind's
-- prototype, or a subclass's). Integer keys are served from memory without looking at the
-- prototype; `byteLength` is computed here (it is a getter in JS), which keeps the
-- prototypes free of accessors.
local function typed_mt(info, proto)
  local mts = info.mts
  local mt = mts[proto]
  if mt then return mt end
  local size = info.size
  local index
  if info.read then
    local read = info.read
    index = function(t, k)
      if type(k) == "number" then
        if k >= 0 and k < t["\255tl"] and k % 1 == 0 then return read(t["\255tp"][k]) end
        return nil
      end
      local n = canon(k)
      if n then return index(t, n) end
      local found, v = own_slow(t, k)
      if found then return v end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  elseif proto == info.proto then
    -- Method lookups on plain typed arrays: two raw reads cover the kind's prototype and
    -- %TypedArray%.prototype; the generic chain walk is left for misses.
    index = function(t, k)
      if type(k) == "number" then
        if k >= 0 and k < t["\255tl"] and k % 1 == 0 then return t["\255tp"][k] end
        return nil   -- integer-indexed: no prototype lookup
      end
      local n = canon(k)
      if n then return index(t, n) end
      local found, v = own_slow(t, k)
      if found then return v end
      v = rawget(proto, k)
      if v ~= nil then return v end
      local slow = rawget(proto, SLOW)
      if slow == nil or slow[k] == nil then
        v = rawget(TypedArrayPrototype, k)
        if v ~= nil then return v end
      end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  else
    index = function(t, k)
      if type(k) == "number" then
        if k >= 0 and k < t["\255tl"] and k % 1 == 0 then return t["\255tp"][k] end
        return nil
      end
      local n = canon(k)
      if n then return index(t, n) end
      local found, v = own_slow(t, k)
      if found then return v end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  end
  mt = {
    proto = proto, typed = info.name, tinfo = info,
    __index = index, __newindex = info.store,
    enum_hook = typed_keys, ownkeys_hook = valid_index, desc_hook = typed_desc,
    define_hook = typed_define, delete_hook = typed_delete, has_hook = typed_has,
  }
  R.add_arith(mt)
  mts[proto] = mt
  return mt
end

-- [[SetPrototypeOf]] for the object operations: the typed metatable of the new prototype (a
-- private copy where the instance has accessors of its own, as core's ensure_slow makes them).
function R.typed_setproto(o, p)
  local mt = getmetatable(o)
  local nmt = typed_mt(mt.tinfo, p)
  if mt.ownslow then
    local c = {}
    for k, v in pairs(nmt) do c[k] = v end
    c.ownslow, c.frozen, c.nonconfig = true, mt.frozen, mt.nonconfig
    nmt = c
  end
  setmetatable(o, nmt)
end

-- A typed array of kind `info` viewing `len` elements of buffer `buf` from byte `off`.
local function make(info, buf, off, len)
  refuse_in_sandbox()
  return (setmetatable({[TA_PTR] = fcast(info.ptrct, rawget(buf, BUF_PTR) + off), [TA_LEN] = len, length = len,
                        [TA_BUF] = buf, [TA_OFF] = off}, info.mt))
end

local function alloc(info, len)
  return (make(info, new_buffer(len * info.size), 0, len))
end

-- The kind of a typed array, or nil.
local function kind_of(v)
  if type(v) ~= "table" then return nil end
  local mt = getmetatable(v)
  return mt and mt.tinfo
end

function R.typed_kind(v)
  local info = kind_of(v)
  return info and info.name
end

-- ValidateTypedArray: the kind of `this`, which must be a typed array in bounds of a live buffer
local function validate(this, name)
  local info = kind_of(this)
  if not info then type_error("this is not a typed array.") end
  if rawget(this, TA_BAD) then detached_error(name) end
  return info
end

-- Element i (>= 0) of typed array t of kind info as a JS value, undefined past its length; read
-- without the metatable, which defining a property on the instance replaces.
local function el(t, info, i)
  if i < t[TA_LEN] then
    local read = info.read
    if read then return read(t[TA_PTR][i]) end
    return t[TA_PTR][i]
  end
end

-- The elements of a BigInt typed array as BigInts: a view that converts each on read.
local function elems(t, info)
  local ptr, read = t[TA_PTR], info.read
  return setmetatable({}, {__index = function(_, i) return read(ptr[i]) end})
end

-- Wrap foreign memory (the Python bridge hands NumPy data over this way, without copying).
-- `keepalive` is held by the buffer for as long as any view of it lives.
function R.typed_from_pointer(kind, ptr, length, keepalive)
  local info = by_name[kind]
  if not info then type_error("unknown typed array kind " .. tostring(kind)) end
  local b = setmetatable({[BUF_LEN] = length * info.size}, ArrayBufferMT)
  rawset(b, BUF_PTR, fcast(u8ptr, ptr))
  rawset(b, BUF_OWNER, keepalive or false)
  return (make(info, b, 0, length))
end

---------------------------------------------------------------------------------------------
-- Construction

local AP_values = rawget(R.ArrayPrototype, "values")
local AIP_next = R.ArrayIteratorPrototype and rawget(R.ArrayIteratorPrototype, "next")
local ta_values   -- %TypedArray%.prototype.values, below

-- GetMethod(v, @@iterator); strings iterate by code points even before the module that gives
-- them the method is loaded
local function string_iterator() end
local function iterator_method(v)
  local m = get(v, sym_iterator)
  if m == nil or m == null then
    if type(v) == "string" then return string_iterator end
    return nil
  end
  if not iscallable(m) then type_error(R.descr(m) .. " is not a function") end
  return m
end

-- The values iterating v with method m yields, in a table from 0, and their count. Plain arrays
-- and typed arrays iterated by the built-in methods are read directly.
local function iterate(v, m)
  if m == string_iterator then
    local a = R.array_from_list(v)
    local n = rawget(a, "length")
    local out = {}
    for i = 0, n - 1 do out[i] = rawget(a, i) end
    return out, n
  end
  local nextf = AIP_next and rawget(R.ArrayIteratorPrototype, "next")
  if nextf == AIP_next then
    if m == AP_values and R.array_isfast(v) then
      local n = rawget(v, "length")
      local out = {}
      for i = 0, n - 1 do out[i] = rawget(v, i) end
      return out, n
    end
    if m == ta_values and kind_of(v) and not rawget(v, TA_BAD) then
      local n = v[TA_LEN]
      local out = {}
      for i = 0, n - 1 do out[i] = v[i] end
      return out, n
    end
  end
  local it = m(v)
  if not isobject(it) then type_error("Result of the Symbol.iterator method is not an object") end
  nextf = get(it, "next")
  local out, n = {}, 0
  while true do
    local r = nextf(it)
    if not isobject(r) then type_error("Iterator result " .. tostr(r) .. " is not an object") end
    if truthy(get(r, "done")) then break end
    out[n] = get(r, "value")
    n = n + 1
  end
  return out, n
end

local tolength = R.tolength   -- (ljs.array)

local function same_content(a, b) return (a.read == nil) == (b.read == nil) end
local function mix_error() type_error("Cannot mix BigInt and other types, use explicit conversions") end

-- Copy n elements of typed array src into p[0..] converting element-wise, or byte-wise where
-- the bits stay the same.
local function copy_typed(p, info, src, n)
  local sinfo = getmetatable(src).tinfo
  if (sinfo.ctype == info.ctype and sinfo.conv == info.conv) or (sinfo.read and info.read) then
    fcopy(p, src[TA_PTR], n * info.size)
    return
  end
  local sp, conv = src[TA_PTR], info.conv
  for i = 0, n - 1 do p[i] = conv(sp[i]) end
end

-- new T(length | typedArray | iterable | array-like | buffer[, byteOffset[, length]]):
-- initialise `this` in place.
local function construct(info, this, a, b, c)
  local buf, off, len, fix = nil, 0, 0, nil
  if not isobject(a) then
    len = toindex(a, "Invalid typed array length: ", true)
    buf = new_buffer(len * info.size)
  elseif isbuffer(a) then
    buf = a
    local size = info.size
    off = tointeger(b)
    if off < 0 or off > 9007199254740991 then range_error("Start offset " .. tostr(b) .. " is outside the bounds of the buffer") end
    if off % size ~= 0 then range_error("start offset of " .. info.name .. " should be a multiple of " .. size) end
    if c ~= nil then len = toindex(c, "Invalid typed array length: ", true) end
    if rawget(a, BUF_DET) then detached_error("Construct") end
    local bl = rawget(a, BUF_LEN)
    if c == nil then
      if off > bl then range_error("Start offset " .. off .. " is outside the bounds of the buffer") end
      if rawget(a, BUF_MAX) then
        fix = false   -- tracks the buffer's length
        len = floor((bl - off) / size)
      else
        if bl % size ~= 0 then range_error("byte length of " .. info.name .. " should be a multiple of " .. size) end
        len = (bl - off) / size
      end
    elseif off + len * size > bl then
      range_error("Invalid typed array length: " .. len)
    end
    fix = fix == nil and len or fix
  elseif kind_of(a) then
    if rawget(a, TA_BAD) then detached_error("Construct") end
    if not same_content(info, getmetatable(a).tinfo) then mix_error() end
    len = a[TA_LEN]
    buf = new_buffer(len * info.size)
    copy_typed(fcast(info.ptrct, rawget(buf, BUF_PTR)), info, a, len)
  else
    local m = iterator_method(a)
    local vals
    if m ~= nil then
      vals, len = iterate(a, m)
    else
      len = tolength(get(a, "length"))
    end
    buf = new_buffer(len * info.size)
    local p, conv = fcast(info.ptrct, rawget(buf, BUF_PTR)), info.conv
    if vals then
      for i = 0, len - 1 do p[i] = conv(vals[i]) end
    elseif R.array_isfast(a) then
      for i = 0, len - 1 do p[i] = conv(rawget(a, i)) end
    else
      for i = 0, len - 1 do p[i] = conv(get(a, i)) end
    end
  end
  rawset(this, TA_PTR, fcast(info.ptrct, rawget(buf, BUF_PTR) + off))
  rawset(this, TA_LEN, len)
  rawset(this, "length", len)
  rawset(this, TA_BUF, buf)
  rawset(this, TA_OFF, off)
  if fix ~= nil then
    rawset(this, TA_FIX, fix)
    register(buf, this)
  end
  return this
end

-- TypedArrayCreateFromConstructor(C, args): a validated typed array from constructor C; a
-- single length argument must give at least that many elements.
local ctor_info = {}   -- built-in constructor -> its kind
local function create_from(name, C, n, b, c)
  local info = ctor_info[C]
  if info and b == nil then return alloc(info, n), info end
  local t
  if b == nil then t = R.new(C, n) else t = R.new(C, n, b, c) end
  info = kind_of(t)
  if not info then type_error("Method " .. name .. " called on incompatible receiver " .. R.descr(t)) end
  if rawget(t, TA_BAD) then detached_error("Construct") end
  if b == nil and t[TA_LEN] < n then type_error("Derived TypedArray constructor created an array which was too small") end
  return t, info
end

-- Does SpeciesConstructor(t) give t's own built-in constructor? (read without running getters:
-- a plain instance, the kind's prototype and constructor untouched, the built-in species getter)
local TypedArray, species_getter   -- (below)
local function default_species(t, info)
  if getmetatable(t) ~= info.mt or rawget(t, "constructor") ~= nil or rawget(info.proto, "constructor") ~= info.ctor then
    return false
  end
  local fp = R.fprops[info.ctor]
  local slow = rawget(fp, SLOW)
  if rawget(fp, sym_species) ~= nil or (slow and slow[sym_species]) then return false end
  slow = rawget(R.fprops[TypedArray], SLOW)
  local d = slow and slow[sym_species]
  return d ~= nil and d.get == species_getter
end

-- TypedArraySpeciesCreate(exemplar, args)
local function species_create(name, this, info, n, b, c)
  if b == nil and default_species(this, info) then return alloc(info, n), info end
  local C = species_ctor(this, info.ctor)
  local t, tinfo = create_from(name, C, n, b, c)
  if not same_content(info, tinfo) then mix_error() end
  return t, tinfo
end

---------------------------------------------------------------------------------------------
-- %TypedArray%.prototype

local function def(name, len, f) return (R.method(TypedArrayPrototype, name, len, f)) end
local P = "%TypedArray%.prototype."

def("at", 1, function(this, index)
  local info = validate(this, P .. "at")
  local n = this[TA_LEN]
  local k = tointeger(index)
  if k < 0 then k = k + n end
  if k < 0 or k >= n then return nil end
  return el(this, info, k)
end)

def("fill", 1, function(this, v, s, e)
  local info = validate(this, P .. "fill")
  local n = this[TA_LEN]
  v = info.conv(v)
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  if rawget(this, TA_BAD) then detached_error(P .. "fill") end
  fin = min(fin, this[TA_LEN])
  local p = this[TA_PTR]
  if info.size == 1 and fin > k then
    ffill(p + k, fin - k, v)   -- bytes: memset keeps the low 8 bits, like the store would
  else
    for i = k, fin - 1 do p[i] = v end
  end
  return this
end)

-- Store the values of array-like src into this[off..] (reads by index, in order).
local function set_from_arraylike(this, info, src, off)
  local n = this[TA_LEN]
  if src == nil or src == null then type_error("Cannot convert undefined or null to object") end
  local fast = R.array_isfast(src)
  local m = fast and rawget(src, "length") or tolength(get(src, "length"))
  if off == 1 / 0 or off + m > n then range_error("offset is out of bounds") end
  for i = 0, m - 1 do
    local v = fast and rawget(src, i) or get(src, i)
    this[off + i] = v
  end
end

def("set", 1, function(this, src, offset)
  local info = kind_of(this)
  if not info then type_error("this is not a typed array.") end
  local off = tointeger(offset)
  if off < 0 then range_error("offset is out of bounds") end
  if rawget(this, TA_BAD) then detached_error(P .. "set") end
  local n = this[TA_LEN]
  local sinfo = kind_of(src)
  if not sinfo then
    set_from_arraylike(this, info, src, off)
    return nil
  end
  if rawget(src, TA_BAD) then detached_error(P .. "set") end
  if not same_content(info, sinfo) then mix_error() end
  local m = src[TA_LEN]
  if off == 1 / 0 or off + m > n then range_error("offset is out of bounds") end
  local p = this[TA_PTR]
  local same_bits = (sinfo.ctype == info.ctype and sinfo.conv == info.conv) or (sinfo.read and info.read)
  if rawget(src, TA_BUF) == rawget(this, TA_BUF) and not same_bits then
    -- overlapping views of different kinds: read everything before writing
    local tmp, sp = {}, src[TA_PTR]
    for i = 0, m - 1 do tmp[i] = sp[i] end
    local conv = info.conv
    for i = 0, m - 1 do p[off + i] = conv(tmp[i]) end
  elseif rawget(src, TA_BUF) == rawget(this, TA_BUF) then
    local tmp = ffi.new("uint8_t[?]", m * info.size)
    fcopy(tmp, src[TA_PTR], m * info.size)
    fcopy(p + off, tmp, m * info.size)
  else
    copy_typed(p + off, info, src, m)
  end
  return nil
end)

def("subarray", 2, function(this, s, e)
  local info = kind_of(this)
  if not info then type_error("this is not a typed array.") end
  local buf = this[TA_BUF]   -- (not raw: a device array's metatable answers, or says why it cannot)
  local n = this[TA_LEN]
  local k = relindex(s, n, 0)
  local off = this[TA_OFF] + k * info.size
  register(buf, this)   -- the new view hands the buffer out
  if rawget(this, TA_FIX) == false and e == nil then
    return (species_create(P .. "subarray", this, info, buf, off))
  end
  local fin = relindex(e, n, n)
  local m = fin > k and fin - k or 0
  if default_species(this, info) and not rawget(buf, BUF_DET) and off + m * info.size <= rawget(buf, BUF_LEN) then
    local t = make(info, buf, off, m)
    rawset(t, TA_FIX, m)
    register(buf, t)
    return t
  end
  return (species_create(P .. "subarray", this, info, buf, off, m))
end)

def("slice", 2, function(this, s, e)
  local info = validate(this, P .. "slice")
  local n = this[TA_LEN]
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin > k and fin - k or 0
  local t, tinfo = species_create(P .. "slice", this, info, m)
  if m > 0 then
    if rawget(this, TA_BAD) then detached_error(P .. "slice") end
    fin = min(fin, this[TA_LEN])
    m = fin > k and fin - k or 0
    if tinfo == info then
      local size = info.size
      local src, dst = fcast(u8ptr, this[TA_PTR]) + k * size, fcast(u8ptr, t[TA_PTR])
      if rawget(t, TA_BUF) == rawget(this, TA_BUF) then
        for i = 0, m * size - 1 do dst[i] = src[i] end   -- byte by byte, as the spec copies
      else
        fcopy(dst, src, m * size)
      end
    else
      for i = 0, m - 1 do t[i] = el(this, info, k + i) end
    end
  end
  return t
end)

def("copyWithin", 2, function(this, target, s, e)
  local info = validate(this, P .. "copyWithin")
  local n = this[TA_LEN]
  local to, from, fin = relindex(target, n, 0), relindex(s, n, 0), relindex(e, n, n)
  local count = min(fin - from, n - to)
  if count > 0 then
    if rawget(this, TA_BAD) then detached_error(P .. "copyWithin") end
    local size = info.size
    local limit = this[TA_LEN] * size
    local tb, fb = to * size, from * size
    local cnt = min(count * size, limit - tb, limit - fb)   -- (a shrunk buffer copies less)
    local p = fcast(u8ptr, this[TA_PTR])
    if fb < tb and tb < fb + cnt then
      for i = cnt - 1, 0, -1 do p[tb + i] = p[fb + i] end
    else
      for i = 0, cnt - 1 do p[tb + i] = p[fb + i] end
    end
  end
  return this
end)

def("reverse", 0, function(this)
  local info = validate(this, P .. "reverse")
  local p = this[TA_PTR]
  local i, j = 0, this[TA_LEN] - 1
  while i < j do
    local x = p[i]
    p[i] = p[j]; p[j] = x
    i = i + 1; j = j - 1
  end
  return this
end)

-- Sort p[0..n-1] in place: numeric order, or by a JS comparator (stable either way). The
-- values go back through `store`, which ignores them once the buffer is detached.
local function sort_values(t, n, cmp)
  if n < 2 then return end
  local tmp = {}
  if cmp ~= nil then msort_user(t, tmp, 1, n, cmp) else msort_num(t, tmp, 1, n) end
end

local function check_comparator(cmp)
  if cmp ~= nil and not iscallable(cmp) then
    type_error("The comparison function must be either a function or undefined")
  end
end

def("sort", 1, function(this, cmp)
  check_comparator(cmp)
  local info = validate(this, P .. "sort")
  local n = this[TA_LEN]
  local t = {}
  for i = 1, n do t[i] = el(this, info, i - 1) end
  sort_values(t, n, cmp)
  for i = 1, n do this[i - 1] = t[i] end
  return this
end)

def("toSorted", 1, function(this, cmp)
  check_comparator(cmp)
  local info = validate(this, P .. "toSorted")
  local n = this[TA_LEN]
  local t = {}
  for i = 1, n do t[i] = el(this, info, i - 1) end
  sort_values(t, n, cmp)
  local r = alloc(info, n)
  for i = 1, n do r[i - 1] = t[i] end
  return r
end)

def("toReversed", 0, function(this)
  local info = validate(this, P .. "toReversed")
  local n, p = this[TA_LEN], this[TA_PTR]
  local t = alloc(info, n)
  local q = t[TA_PTR]
  for i = 0, n - 1 do q[i] = p[n - 1 - i] end
  return t
end)

def("with", 2, function(this, index, v)
  local info = validate(this, P .. "with")
  local n = this[TA_LEN]
  local k = tointeger(index)
  if k < 0 then k = k + n end
  v = info.conv(v)
  if not valid_index(this, k) then range_error("Invalid typed array index") end
  local t = alloc(info, n)
  for i = 0, n - 1 do t[i] = el(this, info, i) end
  t[TA_PTR][k] = v
  return t
end)

-- Callback methods: f(thisArg, element, index, typedArray); elements are read live, through
-- the metatable (undefined once the buffer is detached or shrunk).
def("forEach", 1, function(this, f, thisArg)
  local info = validate(this, P .. "forEach"); checkfn(f)
  for i = 0, this[TA_LEN] - 1 do f(thisArg, el(this, info, i), i, this) end
  return nil
end)

def("map", 1, function(this, f, thisArg)
  local info = validate(this, P .. "map"); checkfn(f)
  local n = this[TA_LEN]
  local t = species_create(P .. "map", this, info, n)
  for i = 0, n - 1 do t[i] = f(thisArg, el(this, info, i), i, this) end
  return t
end)

def("filter", 1, function(this, f, thisArg)
  local info = validate(this, P .. "filter"); checkfn(f)
  local kept, k = {}, 0
  for i = 0, this[TA_LEN] - 1 do
    local v = el(this, info, i)
    if truthy(f(thisArg, v, i, this)) then kept[k] = v; k = k + 1 end
  end
  local t = species_create(P .. "filter", this, info, k)
  for i = 0, k - 1 do t[i] = kept[i] end
  return t
end)

local function reducer(name, step)
  def(name, 1, function(this, f, ...)
    local info = validate(this, P .. name); checkfn(f)
    local n = this[TA_LEN]
    local i, last = 0, n - 1
    if step < 0 then i, last = n - 1, 0 end
    local acc
    if select("#", ...) > 0 then
      acc = ...
    else
      if n == 0 then type_error("Reduce of empty array with no initial value") end
      acc = el(this, info, i)
      i = i + step
    end
    for j = i, last, step do acc = f(nil, acc, el(this, info, j), j, this) end
    return acc
  end)
end
reducer("reduce", 1)
reducer("reduceRight", -1)

def("some", 1, function(this, f, thisArg)
  local info = validate(this, P .. "some"); checkfn(f)
  for i = 0, this[TA_LEN] - 1 do if truthy(f(thisArg, el(this, info, i), i, this)) then return true end end
  return false
end)

def("every", 1, function(this, f, thisArg)
  local info = validate(this, P .. "every"); checkfn(f)
  for i = 0, this[TA_LEN] - 1 do if not truthy(f(thisArg, el(this, info, i), i, this)) then return false end end
  return true
end)

local function finder(name, from_end, want_index)
  def(name, 1, function(this, f, thisArg)
    local info = validate(this, P .. name); checkfn(f)
    local n = this[TA_LEN]
    local a, b, s = 0, n - 1, 1
    if from_end then a, b, s = n - 1, 0, -1 end
    for i = a, b, s do
      local v = el(this, info, i)
      if truthy(f(thisArg, v, i, this)) then
        if want_index then return i end
        return v
      end
    end
    if want_index then return -1 end
    return nil
  end)
end
finder("find", false, false)
finder("findIndex", false, true)
finder("findLast", true, false)
finder("findLastIndex", true, true)

-- can x equal an element of a typed array of kind info?
local function searchable(info, x)
  if info.read then return big.is(x) end
  return type(x) == "number"
end

def("indexOf", 1, function(this, x, from)
  local info = validate(this, P .. "indexOf")
  local n = this[TA_LEN]
  if n == 0 then return -1 end
  local k = relindex(from, n, 0)
  if not searchable(info, x) then return -1 end
  -- (no user code runs from here on: the elements past the current length read undefined)
  local p = info.read and elems(this, info) or this[TA_PTR]
  for i = k, min(n, this[TA_LEN]) - 1 do
    if p[i] == x then return i end
  end
  return -1
end)

def("lastIndexOf", 1, function(this, x, ...)
  local info = validate(this, P .. "lastIndexOf")
  local n = this[TA_LEN]
  if n == 0 then return -1 end
  local k = n - 1
  if select("#", ...) > 0 then
    k = tointeger((...))
    if k == -1 / 0 then return -1 end
    if k < 0 then k = k + n elseif k > n - 1 then k = n - 1 end
  end
  if not searchable(info, x) then return -1 end
  local p = info.read and elems(this, info) or this[TA_PTR]
  for i = min(k, this[TA_LEN] - 1), 0, -1 do
    if p[i] == x then return i end
  end
  return -1
end)

def("includes", 1, function(this, x, from)
  local info = validate(this, P .. "includes")
  local n = this[TA_LEN]
  if n == 0 then return false end
  local k = relindex(from, n, 0)
  if x == nil then return max(k, this[TA_LEN]) < n end   -- only elements gone since then read undefined
  if not searchable(info, x) then return false end
  local p = info.read and elems(this, info) or this[TA_PTR]
  n = min(n, this[TA_LEN])
  if x ~= x then
    for i = k, n - 1 do local v = p[i]; if v ~= v then return true end end
  else
    for i = k, n - 1 do if p[i] == x then return true end end
  end
  return false
end)

local function join(this, info, n, sep)
  local buf = {}
  for i = 0, n - 1 do
    local v = el(this, info, i)
    buf[i + 1] = v == nil and "" or type(v) == "number" and numtostr(v) or tostr(v)
  end
  return (concat(buf, sep))
end

def("join", 1, function(this, sep)
  local info = validate(this, P .. "join")
  local n = this[TA_LEN]
  if sep == nil then sep = "," elseif type(sep) ~= "string" then sep = tostr(sep) end
  return (join(this, info, n, sep))
end)
R.hidden(TypedArrayPrototype, "toString", rawget(R.ArrayPrototype, "toString"))
def("toLocaleString", 0, function(this)
  local info = validate(this, P .. "toLocaleString")
  local buf = {}
  for i = 0, this[TA_LEN] - 1 do
    local v = el(this, info, i)
    if v == nil then
      buf[i + 1] = ""
    else
      local f = get(v, "toLocaleString")
      if not iscallable(f) then type_error(R.descr(f) .. " is not a function") end
      buf[i + 1] = tostr(f(v))
    end
  end
  return (concat(buf, ","))
end)

def("keys", 0, function(this) validate(this, P .. "keys"); return (make_iterator(this, ITER_KEYS)) end)
def("entries", 0, function(this) validate(this, P .. "entries"); return (make_iterator(this, ITER_ENTRIES)) end)
ta_values = def("values", 0, function(this) validate(this, P .. "values"); return (make_iterator(this, ITER_VALUES)) end)
R.hidden(TypedArrayPrototype, sym_iterator, ta_values)

-- for-of over a typed array: read ptr directly; the length cannot change.
local function typed_step(t, i)
  i = i + 1
  if i < t[TA_LEN] then return i, t[TA_PTR][i] end
end
local function big_step(t, i)   -- BigInt kinds convert each element
  i = i + 1
  if i < t[TA_LEN] then return i, t[i] end
end
fast_iter[ta_values] = function(t)
  return validate(t, P .. "values").read and big_step or typed_step, t, -1
end

---------------------------------------------------------------------------------------------
-- %TypedArray% and the constructors, one per kind, with BYTES_PER_ELEMENT.

TypedArray = R.fn(function() type_error("Abstract class TypedArray not directly constructable") end,
                        "TypedArray", 0)
rawset(R.fprop_table(TypedArray), "prototype", TypedArrayPrototype)
R.fixed_proto[TypedArray] = true
R.hidden(TypedArrayPrototype, "constructor", TypedArray)
R.TypedArray = TypedArray

-- The accessors the spec puts on %TypedArray%.prototype and %TypedArray%. Reads of length use
-- the instance's raw copy; byteOffset and buffer reach these getters.
local function getter(o, key, name, f)
  R.defprop(o, key, {get = R.fn(f, name, 0), enumerable = false, configurable = true})
end
local function accessor_check(this, key)
  local info = kind_of(this)
  if not info then type_error("Method get TypedArray.prototype." .. key .. " called on incompatible receiver " .. R.descr(this)) end
  return info
end
getter(TypedArrayPrototype, "length", "get length", function(this)
  accessor_check(this, "length")
  return this[TA_LEN]
end)
getter(TypedArrayPrototype, "byteOffset", "get byteOffset", function(this)
  accessor_check(this, "byteOffset")
  if rawget(this, TA_BAD) then return 0 end
  return this[TA_OFF]
end)
getter(TypedArrayPrototype, "byteLength", "get byteLength", function(this)
  return accessor_check(this, "byteLength").size * this[TA_LEN]
end)
getter(TypedArrayPrototype, "buffer", "get buffer", function(this)
  accessor_check(this, "buffer")
  local b = this[TA_BUF]
  if rawget(this, TA_FIX) == nil and rawget(this, TA_PTR) then
    rawset(this, TA_FIX, this[TA_LEN])
    register(b, this)
  end
  return b
end)
getter(TypedArrayPrototype, R.sym_toStringTag, "get [Symbol.toStringTag]", function(this)
  local info = kind_of(this)
  return info and info.name
end)
species_getter = function(this) return this end
getter(R.fprop_table(TypedArray), sym_species, "get [Symbol.species]", species_getter)

-- %TypedArray%.from(source[, mapfn[, thisArg]])
R.method(TypedArray, "from", 1, function(C, src, mapfn, thisArg)
  if not is_constructor(C) then type_error(R.descr(C) .. " is not a constructor") end
  if mapfn ~= nil then checkfn(mapfn) end
  local m = iterator_method(src)
  if m ~= nil then
    local vals, n = iterate(src, m)
    local t = create_from("%TypedArray%.from", C, n)
    for i = 0, n - 1 do
      local v = vals[i]
      if mapfn ~= nil then v = mapfn(thisArg, v, i) end
      t[i] = v
    end
    return t
  end
  if src == nil or src == null then type_error("Cannot convert undefined or null to object") end
  local n = tolength(get(src, "length"))
  local t = create_from("%TypedArray%.from", C, n)
  for i = 0, n - 1 do
    local v = get(src, i)
    if mapfn ~= nil then v = mapfn(thisArg, v, i) end
    t[i] = v
  end
  return t
end)

-- %TypedArray%.of(...items)
R.method(TypedArray, "of", 0, function(C, ...)
  local n = select("#", ...)
  if not is_constructor(C) then type_error(R.descr(C) .. " is not a constructor") end
  local t = create_from("%TypedArray%.of", C, n)
  for i = 0, n - 1 do t[i] = (select(i + 1, ...)) end
  return t
end)

-- name -> the built-in constructor, for the modules that make typed arrays (the global may be the
-- program's own by then, or not defined yet: it loads this module on first use)
local ctors = {}
R.typed_ctors = ctors

local function define_kind(spec)
  local name, ctype, size, conv, read = spec[1], spec[2], spec[3], spec[4], spec[5]
  local proto = setmetatable({}, R.protomt(TypedArrayPrototype))
  local info = {
    name = name, ctype = ctype, size = size, conv = conv, read = read, proto = proto,
    ptrct = ffi.typeof(ctype .. " *"), store = store_for(conv),
    mts = setmetatable({}, {__mode = "k"}),
  }
  info.mt = typed_mt(info, proto)
  by_name[name] = info

  local function ctor(this, a, b, c)
    if not constructing(this, proto) or rawget(this, TA_PTR) ~= nil then
      type_error("Constructor " .. name .. " requires 'new'")
    end
    local p = getmetatable(this).proto
    -- Reflect.construct gives Object.prototype for a new.target whose prototype is no object,
    -- where typed arrays take their kind's (other new.targets rarely are Object itself)
    if p == R.ObjectPrototype then p = proto end
    construct(info, this, a, b, c)
    -- a subclass instance keeps its own prototype
    setmetatable(this, p == proto and info.mt or typed_mt(info, p))
    return this
  end
  R.ctor(name, 3, ctor, proto)
  info.ctor = ctor
  ctor_info[ctor] = info
  ctors[name] = ctor
  R.constant(ctor, "BYTES_PER_ELEMENT", size)
  R.constant(proto, "BYTES_PER_ELEMENT", size)
  return ctor
end

for i = 1, #KINDS do
  local ctor = define_kind(KINDS[i])
  R.setproto(R.fprop_table(ctor), TypedArray)
end

---------------------------------------------------------------------------------------------
-- DataView: the view's memory, length, buffer and offset are kept in a weak table keyed by the
-- view object ({ptr = <uint8_t *>, len, buf, off, fix, bad}), so the instance itself has no own
-- keys and survives Object.freeze. The state is registered with the buffer like a typed array.
-- Multi-byte values go through an 8-byte scratch union, filled in the requested byte order.
local DataViewPrototype = R.newobj()
R.DataViewPrototype = DataViewPrototype
R.tag(DataViewPrototype, "DataView")
local DataViewMT = R.protomt(DataViewPrototype)
DataViewMT.dataview = true
local views = setmetatable({}, {__mode = "k"})

local function dataview_state(v)
  if type(v) ~= "table" then return nil end
  return views[v]
end
R.dataview_state = dataview_state

dv_refresh = function(st)
  local b = st.buf
  local bl, len = rawget(b, BUF_LEN), nil
  if not rawget(b, BUF_DET) then
    if st.fix == false then
      if st.off <= bl then len = bl - st.off end
    elseif st.off + st.fix <= bl then
      len = st.fix
    end
  end
  st.ptr = rawget(b, BUF_PTR) + st.off
  st.len = len or 0
  st.bad = not len
end

local function DataView(this, buffer, byteOffset, byteLength)
  if not constructing(this, DataViewPrototype) or views[this] ~= nil then
    type_error("Constructor DataView requires 'new'")
  end
  if not isbuffer(buffer) then type_error("First argument to DataView constructor must be an ArrayBuffer") end
  local off = tointeger(byteOffset)
  if off < 0 or off > 9007199254740991 then range_error("Start offset " .. numtostr(off) .. " is outside the bounds of the buffer") end
  if rawget(buffer, BUF_DET) then type_error("Cannot perform DataView constructor on a detached ArrayBuffer") end
  local bl = rawget(buffer, BUF_LEN)
  if off > bl then range_error("Start offset " .. numtostr(off) .. " is outside the bounds of the buffer") end
  local len, fix
  if byteLength == nil then
    len = bl - off
    fix = rawget(buffer, BUF_MAX) and false or len
  else
    len = tointeger(byteLength)
    if len < 0 or len > 9007199254740991 then range_error("Invalid DataView length " .. tostr(byteLength)) end
    if off + len > bl then range_error("Invalid DataView length " .. numtostr(len)) end
    fix = len
  end
  local st = {ptr = rawget(buffer, BUF_PTR) + off, len = len, buf = buffer, off = off, fix = fix, bad = false}
  views[this] = st
  register(buffer, st)
  return this
end
R.ctor("DataView", 1, DataView, DataViewPrototype)
R.DataView = DataView

local function dv_check(this, name)
  local st = type(this) == "table" and views[this]
  -- (V8 names every receiver undefined here, and the byteLength getter byte_length)
  if not st then type_error("Method " .. name .. " called on incompatible receiver undefined") end
  return st
end

local function dv_getter(key, field, v8_name)
  local name = "DataView.prototype." .. key
  local g = R.fn(function(this)
    local st = dv_check(this, "get DataView.prototype." .. (v8_name or key))
    if field ~= "buf" and st.bad then detached_error(name) end
    return st[field]
  end, "get " .. key, 0)
  R.defprop(DataViewPrototype, key, {get = g, enumerable = false, configurable = true})
end
dv_getter("buffer", "buf")
dv_getter("byteLength", "len", "byte_length")
dv_getter("byteOffset", "off")

local scratch = ffi.new([[union { uint8_t b[8]; int8_t i8; uint8_t u8; int16_t i16; uint16_t u16;
                                  int32_t i32; uint32_t u32; float f32; double f64;
                                  int64_t i64; uint64_t u64; }]])
local scratch_b = scratch.b
local NATIVE_LE = ffi.abi("le")

-- GetViewValue's index: ToIndex, with the DataView's RangeError
local function dv_index(v)
  local k
  if type(v) == "number" and v >= 0 and v == floor(v) then k = v else k = tointeger(v) end
  if k < 0 or k > 9007199254740991 then range_error("Offset is outside the bounds of the DataView") end
  return k
end

-- A DataView element moves between memory and scratch as one unaligned load or store of an
-- integer of its size (byte-swapped for the other byte order): byte loops here would each end
-- the trace of a loop around the call.
local WORD = {[2] = {ffi.typeof("uint16_t *"), "u16"}, [4] = {ffi.typeof("int32_t *"), "i32"},
              [8] = {ffi.typeof("uint64_t *"), "u64"}}
local bswap, rshift = bit.bswap, bit.rshift
local function swap16(x) return rshift(bswap(x), 16) end

local function dv_accessors(name, size, field, conv, read)
  local gname, sname = "DataView.prototype.get" .. name, "DataView.prototype.set" .. name
  local word = WORD[size]
  local wptr, wfield = word and word[1], word and word[2]
  local swap = size == 2 and swap16 or bswap
  R.method(DataViewPrototype, "get" .. name, 1, function(this, index, little)
    local st = dv_check(this, gname)
    local k = dv_index(index)
    local le = little ~= nil and truthy(little)
    if st.bad then detached_error(gname) end
    if k + size > st.len then range_error("Offset is outside the bounds of the DataView") end
    local p = st.ptr + k
    if size == 1 then
      scratch_b[0] = p[0]
    else
      local x = fcast(wptr, p)[0]
      if le ~= NATIVE_LE then x = swap(x) end
      scratch[wfield] = x
    end
    if read then return read(scratch[field]) end
    return scratch[field]
  end)
  R.method(DataViewPrototype, "set" .. name, 2, function(this, index, value, little)
    local st = dv_check(this, sname)
    local k = dv_index(index)
    local v = conv(value)
    local le = little ~= nil and truthy(little)
    if st.bad then detached_error(sname) end
    if k + size > st.len then range_error("Offset is outside the bounds of the DataView") end
    scratch[field] = v
    if v ~= v then   -- LuaJIT's NaN has its sign bit set; V8's, which node writes, does not
      local top = NATIVE_LE and size - 1 or 0
      scratch_b[top] = bit.band(scratch_b[top], 0x7f)
    end
    local p = st.ptr + k
    if size == 1 then
      p[0] = scratch_b[0]
    else
      local x = scratch[wfield]
      if le ~= NATIVE_LE then x = swap(x) end
      fcast(wptr, p)[0] = x
    end
    return nil
  end)
end
dv_accessors("Int8", 1, "i8", conv_int)
dv_accessors("Uint8", 1, "u8", conv_int)
dv_accessors("Int16", 2, "i16", conv_int)
dv_accessors("Uint16", 2, "u16", conv_int)
dv_accessors("Int32", 4, "i32", conv_int)
dv_accessors("Uint32", 4, "u32", conv_int)
dv_accessors("Float32", 4, "f32", conv_float)
dv_accessors("Float64", 8, "f64", conv_float)
if big then
  local function conv_big(v) return big.to_uint64(big.tobig(v)) end
  dv_accessors("BigInt64", 8, "i64", conv_big, big.from_int64)
  dv_accessors("BigUint64", 8, "u64", conv_big, big.from_int64)
end

-- console.log shows a DataView as node does: its byteLength, byteOffset and buffer, through
-- DataView.prototype[util.inspect.custom] (installed below, or by ljs.symbol where a host
-- required this module before the runtime); called on anything but a view
-- (such as the stand-in object below) it hands the value back for plain formatting.
function R.dataview_inspect(this)
  local st = type(this) == "table" and views[this]
  if not st then return this end
  local o = setmetatable({}, R.protomt(R.getproto(this)))
  for _, kv in ipairs({{"byteLength", st.len}, {"byteOffset", st.off}, {"buffer", st.buf}}) do
    rawset(o, kv[1], kv[2])
    R.addkey(o, kv[1])
  end
  return o
end

R.method(ArrayBuffer, "isView", 1, function(_, v)
  if kind_of(v) then return true end
  if type(v) ~= "table" then return false end
  if views[v] then return true end
  local mt = getmetatable(v)
  return (mt and mt.dataview) and true or false
end)

function R.dataview_inspect_install()
  rawset(DataViewPrototype, R.sym_inspect_custom, R.arrow(function(this) return R.dataview_inspect(this) end,
    "[nodejs.util.inspect.custom]", 2))
end
if R.sym_inspect_custom then R.dataview_inspect_install() end

return R
