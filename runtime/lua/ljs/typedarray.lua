-- ljs.typedarray: ArrayBuffer and the typed arrays, backed by FFI memory.
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
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
require("ljs.array")

local type, rawget, rawset, getmetatable, setmetatable, select, tostring =
      type, rawget, rawset, getmetatable, setmetatable, select, tostring
local floor, ceil = math.floor, math.ceil
local tobit = bit.tobit
local concat = table.concat
local fcast, fcopy, ffill = ffi.cast, ffi.copy, ffi.fill

local null, SHAPE, SLOW = R.null, R.SHAPE, R.SLOW
local tostr, tonum, numtostr, truthy, toint32 = R.tostr, R.tonum, R.numtostr, R.truthy, R.toint32
local type_error, throw_error, lookup, obj_newindex = R.type_error, R.throw_error, R.lookup, R.obj_newindex
local sym_iterator = R.sym_iterator
local checkfn = R.array_checkfn
local msort_user, msort_num = R.array_msort_user, R.array_msort_num
local make_iterator = R.array_iterator
local ITER_KEYS, ITER_VALUES, ITER_ENTRIES = R.ITER_KEYS, R.ITER_VALUES, R.ITER_ENTRIES
local fast_iter = R.fast_iter

local u8ptr = ffi.typeof("uint8_t *")
local dblvla = ffi.typeof("double[?]")

local function range_error(msg) throw_error("RangeError", msg) end

local TA_PTR, TA_LEN, TA_BUF, TA_OFF = {}, {}, {}, {}
R.TA_PTR, R.TA_LEN, R.TA_BUF, R.TA_OFF = TA_PTR, TA_LEN, TA_BUF, TA_OFF

-- ToIntegerOrInfinity
local function tointeger(v)
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v then return 0 end
  if v >= 0 then return (floor(v)) end
  return -floor(-v)
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

---------------------------------------------------------------------------------------------
-- ArrayBuffer: the memory, its owner and its size under private keys (a raw "byteLength"
-- field could be overwritten by JS and would then widen every view made over the buffer).
local BUF_PTR, BUF_OWNER, BUF_LEN = {}, {}, {}

local ArrayBufferPrototype = R.newobj()
R.ArrayBufferPrototype = ArrayBufferPrototype
local ArrayBufferMT = R.protomt(ArrayBufferPrototype)
R.tag(ArrayBufferPrototype, "ArrayBuffer")

-- The sandbox refuses to make FFI memory at all (docs/sandbox.md).
local function refuse_in_sandbox()
  if R.sandboxed then
    type_error("ArrayBuffer, typed arrays, DataView and Buffer are not available in the LuaScript sandbox")
  end
end

-- Zero-filled memory of n bytes, allocated as doubles so every element type is aligned.
local function init_buffer(b, n)
  refuse_in_sandbox()
  local mem = dblvla(ceil(n / 8) + 1)
  rawset(b, BUF_LEN, n)
  rawset(b, BUF_PTR, fcast(u8ptr, mem))
  rawset(b, BUF_OWNER, mem)
  return b
end

local function new_buffer(n)
  return (init_buffer(setmetatable({}, ArrayBufferMT), n))
end

local function isbuffer(v)
  return type(v) == "table" and rawget(v, BUF_PTR) ~= nil
end
R.is_arraybuffer = isbuffer

-- ToIndex for lengths and offsets: a RangeError for negative or absurd values, whose message
-- is `msg`, followed by the value when `show` is set.
local function toindex(v, msg, show)
  local n = tointeger(v)
  if n < 0 or n > 9007199254740991 then range_error(show and msg .. tostr(v) or msg) end
  return n
end

-- Is `this` the object `new` made for a constructor with prototype `proto`? The direct case
-- avoids R.constructing's chain walk, a short loop that keeps traces through `new` from forming.
local function constructing(this, proto)
  if type(this) ~= "table" then return false end
  local mt = getmetatable(this)
  if mt == nil then return false end
  if mt.proto == proto then return true end
  return R.constructing(this, proto)   -- subclass instances
end

local function ArrayBuffer(this, len)
  if not constructing(this, ArrayBufferPrototype) or rawget(this, BUF_PTR) ~= nil then
    type_error("Constructor ArrayBuffer requires 'new'")
  end
  return (init_buffer(this, toindex(len, "Invalid array buffer length")))
end
R.ctor("ArrayBuffer", 1, ArrayBuffer, ArrayBufferPrototype)
R.species(ArrayBuffer)
R.ArrayBuffer = ArrayBuffer
R.new_arraybuffer = new_buffer
function R.arraybuffer_ptr(b) return (rawget(b, BUF_PTR)) end
-- what keeps the buffer's memory alive (ljs.gpu holds it while the memory is page-locked)
function R.arraybuffer_owner(b) return (rawget(b, BUF_OWNER)) end
function R.arraybuffer_len(b) return (rawget(b, BUF_LEN)) end
R.defprop(ArrayBufferPrototype, "byteLength", {get = R.fn(function(this)
  if not isbuffer(this) then type_error("Method ArrayBuffer.prototype.byteLength called on incompatible receiver " .. R.descr(this)) end
  return rawget(this, BUF_LEN)
end, "get byteLength", 0), enumerable = false, configurable = true})

R.method(ArrayBufferPrototype, "slice", 2, function(this, s, e)
  if not isbuffer(this) then type_error("Method ArrayBuffer.prototype.slice called on incompatible receiver " .. R.descr(this)) end
  local n = rawget(this, BUF_LEN)
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin > k and fin - k or 0
  local b = new_buffer(m)
  if m > 0 then fcopy(rawget(b, BUF_PTR), rawget(this, BUF_PTR) + k, m) end
  return b
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

local function valid_index(o, k)
  return type(k) == "number" and k >= 0 and k < o[TA_LEN] and k == floor(k)
end

-- element k of typed array t as a JS value
local function element(t, k)
  local read = getmetatable(t).tinfo.read
  if read then return read(t[TA_PTR][k]) end
  return t[TA_PTR][k]
end

-- The elements of typed array t as JS values: its pointer, or for BigInt kinds a view that
-- converts int64 elements to BigInts on read (and BigInts back on write).
local function converting_view(ptr, read)
  return setmetatable({}, {
    __index = function(_, i) return read(ptr[i]) end,
    __newindex = function(_, i, v) ptr[i] = R.big.is(v) and R.big.to_uint64(v) or v end,
  })
end
-- (the closures live in their own function: a function that makes closures and returns early
-- ends its trace at the upvalue close, and the number kinds pass here in hot loops)
local function elems(t)
  local read = getmetatable(t).tinfo.read
  if not read then return t[TA_PTR] end
  return converting_view(t[TA_PTR], read)
end

local function typed_desc(o, k)
  if valid_index(o, k) then return {value = element(o, k), writable = true, enumerable = true, configurable = true} end
end

local function store_for(conv)
  return function(t, k, v)
    if type(k) == "number" then
      if k >= 0 and k < t[TA_LEN] and k == floor(k) then t[TA_PTR][k] = conv(v) end
      return   -- out-of-range and fractional indices are ignored
    end
    obj_newindex(t, k, v)
  end
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
        if k >= 0 and k < t[TA_LEN] and k == floor(k) then return read(t[TA_PTR][k]) end
        return nil
      end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  elseif proto == info.proto then
    -- Method lookups on plain typed arrays: two raw reads cover the kind's prototype and
    -- %TypedArray%.prototype; the generic chain walk is left for misses.
    index = function(t, k)
      if type(k) == "number" then
        if k >= 0 and k < t[TA_LEN] and k == floor(k) then return t[TA_PTR][k] end
        return nil   -- integer-indexed: no prototype lookup
      end
      local v = rawget(proto, k)
      if v ~= nil then return v end
      if rawget(proto, SLOW) == nil then
        v = rawget(TypedArrayPrototype, k)
        if v ~= nil then return v end
      end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  else
    index = function(t, k)
      if type(k) == "number" then
        if k >= 0 and k < t[TA_LEN] and k == floor(k) then return t[TA_PTR][k] end
        return nil
      end
      if k == "byteLength" then return t[TA_LEN] * size end
      return (lookup(proto, k, t))
    end
  end
  mt = {
    proto = proto, typed = info.name, tinfo = info,
    __index = index, __newindex = info.store,
    enum_hook = typed_keys, ownkeys_hook = valid_index, desc_hook = typed_desc,
  }
  R.add_arith(mt)
  mts[proto] = mt
  return mt
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

local function check(this)
  local info = kind_of(this)
  if not info then type_error("this is not a typed array.") end
  return info
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

-- Store the values of plain array a into p[0..n-1], converting each.
local function fill_from_array(p, conv, a, n)
  for i = 0, n - 1 do p[i] = conv(rawget(a, i)) end
end

-- Copy src (a typed array) into p[0..] converting element-wise, or byte-wise for equal kinds.
local function copy_typed(p, info, src, n)
  local sinfo = getmetatable(src).tinfo
  if sinfo.ctype == info.ctype and sinfo.conv == info.conv then
    fcopy(p, src[TA_PTR], n * info.size)
    return
  end
  local sp, conv = src[TA_PTR], info.conv
  for i = 0, n - 1 do p[i] = conv(sp[i]) end
end

-- new T(length | typedArray | iterable | array-like | buffer[, byteOffset[, length]]):
-- initialise `this` in place.
local function construct(info, this, a, b, c)
  local t = type(a)
  local buf, off, len = nil, 0, 0
  if t == "table" and a ~= null and isbuffer(a) then
    buf = a
    local size, bl = info.size, rawget(a, BUF_LEN)
    off = tointeger(b)
    if off < 0 then range_error("Start offset " .. tostr(b) .. " is outside the bounds of the buffer") end
    if off % size ~= 0 then range_error("start offset of " .. info.name .. " should be a multiple of " .. size) end
    if c == nil then
      if bl % size ~= 0 then range_error("byte length of " .. info.name .. " should be a multiple of " .. size) end
      if off > bl then range_error("Start offset " .. off .. " is outside the bounds of the buffer") end
      len = (bl - off) / size
    else
      len = toindex(c, "Invalid typed array length: ", true)
      if off + len * size > bl then range_error("Invalid typed array length: " .. len) end
    end
  elseif (t == "table" and a ~= null) or t == "function" then
    -- another typed array is copied as it is; anything else through iteration or as array-like
    local src = kind_of(a) and a or R.array_from_list(a)
    len = src == a and src[TA_LEN] or rawget(src, "length")
    buf = new_buffer(len * info.size)
    local p = fcast(info.ptrct, rawget(buf, BUF_PTR))
    if src == a then copy_typed(p, info, src, len) else fill_from_array(p, info.conv, src, len) end
  elseif a ~= nil then
    len = toindex(a, "Invalid typed array length: ", true)
    buf = new_buffer(len * info.size)
  else
    buf = new_buffer(0)
  end
  rawset(this, TA_PTR, fcast(info.ptrct, rawget(buf, BUF_PTR) + off))
  rawset(this, TA_LEN, len)
  rawset(this, "length", len)
  rawset(this, TA_BUF, buf)
  rawset(this, TA_OFF, off)
  return this
end

-- A typed array of kind info from a plain array of values.
local function from_plain(info, a)
  local n = rawget(a, "length")
  local t = alloc(info, n)
  fill_from_array(t[TA_PTR], info.conv, a, n)
  return t
end

---------------------------------------------------------------------------------------------
-- %TypedArray%.prototype

local function def(name, len, f) return (R.method(TypedArrayPrototype, name, len, f)) end

def("at", 1, function(this, index)
  check(this)
  local n = this[TA_LEN]
  local k = tointeger(index)
  if k < 0 then k = k + n end
  if k < 0 or k >= n then return nil end
  return element(this, k)
end)

def("fill", 1, function(this, v, s, e)
  local info = check(this)
  local n, p = this[TA_LEN], this[TA_PTR]
  v = info.conv(v)
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  if info.size == 1 and fin > k then
    ffill(p + k, fin - k, v)   -- bytes: memset keeps the low 8 bits, like the store would
  else
    for i = k, fin - 1 do p[i] = v end
  end
  return this
end)

def("set", 1, function(this, src, offset)
  local info = check(this)
  local off = tointeger(offset)
  if off < 0 then range_error("offset is out of bounds") end
  local n, p = this[TA_LEN], this[TA_PTR]
  if kind_of(src) then
    local m = src[TA_LEN]
    if off + m > n then range_error("offset is out of bounds") end
    if src[TA_BUF] == this[TA_BUF] then
      -- overlapping views: read everything before writing
      local tmp, sp = {}, src[TA_PTR]
      for i = 0, m - 1 do tmp[i] = sp[i] end
      local conv = info.conv
      for i = 0, m - 1 do p[off + i] = conv(tmp[i]) end
    else
      copy_typed(p + off, info, src, m)
    end
    return nil
  end
  if src == nil or src == null then type_error("Cannot convert undefined or null to object") end
  -- other sources are array-likes (read by index, not iterated)
  local a = R.array_isfast(src) and src or R.ArrayPrototype.slice(src)
  local m = rawget(a, "length")
  if off + m > n then range_error("offset is out of bounds") end
  local conv = info.conv
  for i = 0, m - 1 do p[off + i] = conv(rawget(a, i)) end
  return nil
end)

def("subarray", 2, function(this, s, e)
  local info = check(this)
  local n = this[TA_LEN]
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin > k and fin - k or 0
  return (make(info, this[TA_BUF], this[TA_OFF] + k * info.size, m))
end)

def("slice", 2, function(this, s, e)
  local info = check(this)
  local n = this[TA_LEN]
  local k, fin = relindex(s, n, 0), relindex(e, n, n)
  local m = fin > k and fin - k or 0
  local t = alloc(info, m)
  if m > 0 then fcopy(t[TA_PTR], this[TA_PTR] + k, m * info.size) end
  return t
end)

def("copyWithin", 2, function(this, target, s, e)
  local info = check(this)
  local n = this[TA_LEN]
  local to, from, fin = relindex(target, n, 0), relindex(s, n, 0), relindex(e, n, n)
  local count = fin - from
  if n - to < count then count = n - to end
  local p = this[TA_PTR]
  if count > 0 then
    if from < to and to < from + count then
      for i = count - 1, 0, -1 do p[to + i] = p[from + i] end
    else
      for i = 0, count - 1 do p[to + i] = p[from + i] end
    end
  end
  return this
end)

def("reverse", 0, function(this)
  check(this)
  local p = this[TA_PTR]
  local i, j = 0, this[TA_LEN] - 1
  while i < j do
    local x = p[i]
    p[i] = p[j]; p[j] = x
    i = i + 1; j = j - 1
  end
  return this
end)

-- Sort p[0..n-1] in place: numeric order, or by a JS comparator (stable either way).
local function sort_into(p, n, cmp)
  if n < 2 then return end
  local t, tmp = {}, {}
  for i = 1, n do t[i] = p[i - 1] end
  if cmp ~= nil then msort_user(t, tmp, 1, n, cmp) else msort_num(t, tmp, 1, n) end
  for i = 1, n do p[i - 1] = t[i] end
end

local function check_comparator(cmp)
  if cmp ~= nil and type(cmp) ~= "function" then
    local mt = type(cmp) == "table" and getmetatable(cmp)
    if not (mt and mt.callable) then type_error("The comparison function must be either a function or undefined") end
  end
end

def("sort", 1, function(this, cmp)
  check_comparator(cmp)
  check(this)
  sort_into(elems(this), this[TA_LEN], cmp)
  return this
end)

def("toSorted", 1, function(this, cmp)
  check_comparator(cmp)
  local info = check(this)
  local n = this[TA_LEN]
  local t = alloc(info, n)
  fcopy(t[TA_PTR], this[TA_PTR], n * info.size)
  sort_into(t[TA_PTR], n, cmp)
  return t
end)

def("toReversed", 0, function(this)
  local info = check(this)
  local n, p = this[TA_LEN], this[TA_PTR]
  local t = alloc(info, n)
  local q = t[TA_PTR]
  for i = 0, n - 1 do q[i] = p[n - 1 - i] end
  return t
end)

def("with", 2, function(this, index, v)
  local info = check(this)
  local n = this[TA_LEN]
  local k = tointeger(index)
  if k < 0 then k = k + n end
  v = info.conv(v)
  if k < 0 or k >= n then range_error("Invalid typed array index") end
  local t = alloc(info, n)
  fcopy(t[TA_PTR], this[TA_PTR], n * info.size)
  t[TA_PTR][k] = v
  return t
end)

-- Callback methods: f(thisArg, element, index, typedArray); elements are read live.
def("forEach", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = 0, this[TA_LEN] - 1 do f(thisArg, p[i], i, this) end
  return nil
end)

def("map", 1, function(this, f, thisArg)
  local info = check(this); checkfn(f)
  local n, p = this[TA_LEN], elems(this)
  local t = alloc(info, n)
  local q, conv = t[TA_PTR], info.conv
  for i = 0, n - 1 do q[i] = conv(f(thisArg, p[i], i, this)) end
  return t
end)

def("filter", 1, function(this, f, thisArg)
  local info = check(this); checkfn(f)
  local p = elems(this)
  local kept, k = {}, 0
  for i = 0, this[TA_LEN] - 1 do
    local v = p[i]
    if truthy(f(thisArg, v, i, this)) then kept[k] = v; k = k + 1 end
  end
  local t = alloc(info, k)
  local q = elems(t)
  for i = 0, k - 1 do q[i] = kept[i] end
  return t
end)

local function reducer(name, step)
  def(name, 1, function(this, f, ...)
    check(this); checkfn(f)
    local n, p = this[TA_LEN], elems(this)
    local i, last = 0, n - 1
    if step < 0 then i, last = n - 1, 0 end
    local acc
    if select("#", ...) > 0 then
      acc = ...
    else
      if n == 0 then type_error("Reduce of empty array with no initial value") end
      acc = p[i]
      i = i + step
    end
    for j = i, last, step do acc = f(nil, acc, p[j], j, this) end
    return acc
  end)
end
reducer("reduce", 1)
reducer("reduceRight", -1)

def("some", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = 0, this[TA_LEN] - 1 do if truthy(f(thisArg, p[i], i, this)) then return true end end
  return false
end)

def("every", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = 0, this[TA_LEN] - 1 do if not truthy(f(thisArg, p[i], i, this)) then return false end end
  return true
end)

def("find", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = 0, this[TA_LEN] - 1 do local v = p[i]; if truthy(f(thisArg, v, i, this)) then return v end end
  return nil
end)

def("findIndex", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = 0, this[TA_LEN] - 1 do if truthy(f(thisArg, p[i], i, this)) then return i end end
  return -1
end)

def("findLast", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = this[TA_LEN] - 1, 0, -1 do local v = p[i]; if truthy(f(thisArg, v, i, this)) then return v end end
  return nil
end)

def("findLastIndex", 1, function(this, f, thisArg)
  check(this); checkfn(f)
  local p = elems(this)
  for i = this[TA_LEN] - 1, 0, -1 do if truthy(f(thisArg, p[i], i, this)) then return i end end
  return -1
end)

def("indexOf", 1, function(this, x, from)
  local info = check(this)
  if type(x) ~= "number" and not (info.read and R.big.is(x)) then return -1 end
  local n, p = this[TA_LEN], elems(this)
  for i = relindex(from, n, 0), n - 1 do if p[i] == x then return i end end
  return -1
end)

def("lastIndexOf", 1, function(this, x, ...)
  check(this)
  local n, p = this[TA_LEN], elems(this)
  if (type(x) ~= "number" and not (getmetatable(this).tinfo.read and R.big.is(x))) or n == 0 then return -1 end
  local k = n - 1
  if select("#", ...) > 0 then
    k = tointeger((...))
    if k < 0 then k = k + n elseif k > n - 1 then k = n - 1 end
  end
  for i = k, 0, -1 do if p[i] == x then return i end end
  return -1
end)

def("includes", 1, function(this, x, from)
  local info = check(this)
  if type(x) ~= "number" and not (info.read and R.big.is(x)) then return false end
  local n, p = this[TA_LEN], elems(this)
  local k = relindex(from, n, 0)
  if x ~= x then
    for i = k, n - 1 do local v = p[i]; if v ~= v then return true end end
  else
    for i = k, n - 1 do if p[i] == x then return true end end
  end
  return false
end)

local function join(this, sep)
  local n, p = this[TA_LEN], elems(this)
  local buf = {}
  for i = 0, n - 1 do local v = p[i]; buf[i + 1] = type(v) == "number" and numtostr(v) or tostr(v) end
  return (concat(buf, sep))
end

def("join", 1, function(this, sep)
  check(this)
  if sep == nil then sep = "," elseif type(sep) ~= "string" then sep = tostr(sep) end
  return (join(this, sep))
end)
def("toString", 0, function(this) check(this); return (join(this, ",")) end)
def("toLocaleString", 0, function(this) check(this); return (join(this, ",")) end)

def("keys", 0, function(this) check(this); return (make_iterator(this, ITER_KEYS)) end)
def("entries", 0, function(this) check(this); return (make_iterator(this, ITER_ENTRIES)) end)
local values = def("values", 0, function(this) check(this); return (make_iterator(this, ITER_VALUES)) end)
rawset(TypedArrayPrototype, sym_iterator, values)

-- for-of over a typed array: read ptr directly; the length cannot change.
local function typed_step(t, i)
  i = i + 1
  if i < t[TA_LEN] then return i, t[TA_PTR][i] end
end
local function big_step(t, i)   -- BigInt kinds convert each element
  i = i + 1
  if i < t[TA_LEN] then return i, element(t, i) end
end
fast_iter[values] = function(t)
  return check(t).read and big_step or typed_step, t, -1
end

---------------------------------------------------------------------------------------------
-- The constructors, one per kind, with from / of / BYTES_PER_ELEMENT.

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
    construct(info, this, a, b, c)
    -- a subclass instance keeps its own prototype
    local p = getmetatable(this).proto
    setmetatable(this, p == proto and info.mt or typed_mt(info, p))
    return this
  end
  R.ctor(name, 3, ctor, proto)
  ctors[name] = ctor
  R.hidden(ctor, "BYTES_PER_ELEMENT", size)
  rawset(proto, "BYTES_PER_ELEMENT", size)
  R.tag(proto, name)

  R.method(ctor, "from", 1, function(_, src, mapfn, thisArg)
    if mapfn ~= nil then checkfn(mapfn) end
    local a = R.array_from_list(src)
    if mapfn ~= nil then
      for i = 0, rawget(a, "length") - 1 do rawset(a, i, mapfn(thisArg, rawget(a, i), i)) end
    end
    return (from_plain(info, a))
  end)
  R.method(ctor, "of", 0, function(_, ...)
    return (from_plain(info, R.pack(...)))
  end)
  return ctor
end

-- %TypedArray%: the abstract constructor every kind inherits from
local TypedArray = R.fn(function() type_error("Abstract class TypedArray not directly constructable") end,
                        "TypedArray", 0)
rawset(R.fprop_table(TypedArray), "prototype", TypedArrayPrototype)
rawset(TypedArrayPrototype, "constructor", TypedArray)
R.TypedArray = TypedArray

-- The accessors the spec puts on %TypedArray%.prototype and %TypedArray%. Reads of length use
-- the instance's raw copy; byteOffset and buffer reach these getters.
local function getter(o, key, name, f)
  R.defprop(o, key, {get = R.fn(f, name, 0), enumerable = false, configurable = true})
end
for k, key in pairs({length = TA_LEN, byteOffset = TA_OFF, buffer = TA_BUF}) do
  getter(TypedArrayPrototype, k, "get " .. k, function(this) check(this); return this[key] end)
end
getter(TypedArrayPrototype, "byteLength", "get byteLength", function(this)
  return check(this).size * this[TA_LEN]
end)
getter(TypedArrayPrototype, R.sym_toStringTag, "get [Symbol.toStringTag]", function(this)
  local info = kind_of(this)
  return info and info.name
end)
getter(R.fprop_table(TypedArray), R.sym_species, "get [Symbol.species]", function(this) return this end)

for i = 1, #KINDS do
  local ctor = define_kind(KINDS[i])
  R.setproto(R.fprop_table(ctor), TypedArray)
end

---------------------------------------------------------------------------------------------
-- DataView: the view's memory, length, buffer and offset are kept in a weak table keyed by the
-- view object ({ptr = <uint8_t *>, len, buf, off}), so the instance itself has no own keys and
-- survives Object.freeze. Multi-byte values go through an 8-byte scratch union, filled in the
-- requested byte order.
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

local function DataView(this, buffer, byteOffset, byteLength)
  if not constructing(this, DataViewPrototype) or views[this] ~= nil then
    type_error("Constructor DataView requires 'new'")
  end
  if not isbuffer(buffer) then type_error("First argument to DataView constructor must be an ArrayBuffer") end
  local off = tointeger(byteOffset)
  local bl = rawget(buffer, BUF_LEN)
  if off < 0 or off > 9007199254740991 or off > bl then
    range_error("Start offset " .. numtostr(off) .. " is outside the bounds of the buffer")
  end
  local len
  if byteLength == nil then
    len = bl - off
  else
    len = tointeger(byteLength)
    if len < 0 or len > 9007199254740991 or off + len > bl then
      range_error("Invalid DataView length " .. numtostr(len))
    end
  end
  views[this] = {ptr = rawget(buffer, BUF_PTR) + off, len = len, buf = buffer, off = off}
  return this
end
R.ctor("DataView", 1, DataView, DataViewPrototype)
R.DataView = DataView

local function dv_check(this, name)
  local st = type(this) == "table" and views[this]
  if not st then type_error("Method " .. name .. " called on incompatible receiver undefined") end
  return st
end

local function dv_getter(key, name, field)
  local g = R.fn(function(this) return dv_check(this, "get DataView.prototype." .. name)[field] end, "get " .. key, 0)
  R.defprop(DataViewPrototype, key, {get = g, enumerable = false, configurable = true})
end
dv_getter("buffer", "buffer", "buf")
dv_getter("byteLength", "byte_length", "len")
dv_getter("byteOffset", "byte_offset", "off")

local scratch = ffi.new([[union { uint8_t b[8]; int8_t i8; uint8_t u8; int16_t i16; uint16_t u16;
                                  int32_t i32; uint32_t u32; float f32; double f64; }]])
local scratch_b = scratch.b
local NATIVE_LE = ffi.abi("le")

-- GetViewValue's index: ToIndex, with the DataView's RangeError
local function dv_index(v)
  local k
  if type(v) == "number" and v >= 0 and v == floor(v) then k = v else k = tointeger(v) end
  if k < 0 or k > 9007199254740991 then range_error("Offset is outside the bounds of the DataView") end
  return k
end

local function dv_accessors(name, size, field, conv)
  local gname, sname = "DataView.prototype.get" .. name, "DataView.prototype.set" .. name
  R.method(DataViewPrototype, "get" .. name, 1, function(this, index, little)
    local st = dv_check(this, gname)
    local k = dv_index(index)
    local le = little ~= nil and truthy(little)
    if k + size > st.len then range_error("Offset is outside the bounds of the DataView") end
    local p = st.ptr + k
    if size == 1 then
      scratch_b[0] = p[0]
    elseif le == NATIVE_LE then
      for i = 0, size - 1 do scratch_b[i] = p[i] end
    else
      for i = 0, size - 1 do scratch_b[i] = p[size - 1 - i] end
    end
    return scratch[field]
  end)
  R.method(DataViewPrototype, "set" .. name, 2, function(this, index, value, little)
    local st = dv_check(this, sname)
    local k = dv_index(index)
    local v = conv(value)
    local le = little ~= nil and truthy(little)
    if k + size > st.len then range_error("Offset is outside the bounds of the DataView") end
    scratch[field] = v
    local p = st.ptr + k
    if size == 1 then
      p[0] = scratch_b[0]
    elseif le == NATIVE_LE then
      for i = 0, size - 1 do p[i] = scratch_b[i] end
    else
      for i = 0, size - 1 do p[size - 1 - i] = scratch_b[i] end
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
