-- ljs.node_buffer: node's `buffer` module and the global `Buffer`, a Uint8Array subclass over
-- the typed arrays' FFI memory. Behaviour, messages and codes follow node 20's lib/buffer.js
-- and src/node_buffer.cc. A Buffer is a typed array (its memory and bounds under the private
-- keys R.TA_PTR, R.TA_LEN, R.TA_BUF, R.TA_OFF) whose metatable serves Buffer.prototype, so the
-- typed-array methods and indexing work on it unchanged.
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
require("ljs.typedarray")
require("ljs.webapi")
require("ljs.nodelib")

local type, rawget, rawset, getmetatable, setmetatable, select, tostring =
      type, rawget, rawset, getmetatable, setmetatable, select, tostring
local floor, huge = math.floor, math.huge
local sbyte, schar, ssub, sfind, sgsub, slower, srep = string.byte, string.char, string.sub, string.find, string.gsub, string.lower, string.rep
local concat = table.concat
local band, bor, rshift, lshift = bit.band, bit.bor, bit.rshift, bit.lshift
local fstring, fcopy, fcast, ffill = ffi.string, ffi.copy, ffi.cast, ffi.fill
local unpack = unpack

local G, null = R.G, R.null
local tostr, tonum, numtostr = R.tostr, R.tonum, R.numtostr
local N = R.nodelib
local coded_error, invalid_arg_type = N.coded_error, N.invalid_arg_type

local u8ptr = ffi.typeof("uint8_t *")
local TA_PTR, TA_LEN, TA_BUF, TA_OFF = R.TA_PTR, R.TA_LEN, R.TA_BUF, R.TA_OFF
local Uint8Array = R.typed_ctors.Uint8Array
local Uint8ArrayPrototype = rawget(R.fprop_table(Uint8Array), "prototype")

local M = {}   -- this file's Lua-side API (encode/decode for string_decoder and fs)

---------------------------------------------------------------------------------------------
-- Errors

local out_of_range = N.out_of_range
M.out_of_range = out_of_range

local function unknown_encoding(enc)
  R.throw(coded_error("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " .. tostr(enc)))
end

local function throw_type(name, expected, v) R.throw(invalid_arg_type(name, expected, v)) end

---------------------------------------------------------------------------------------------
-- Encodings: a JS string to bytes (a Lua string) and back.

local ENCODINGS = {
  utf8 = "utf8", ["utf-8"] = "utf8", hex = "hex", base64 = "base64", base64url = "base64url",
  latin1 = "latin1", binary = "latin1", ascii = "ascii",
  utf16le = "utf16le", ["utf-16le"] = "utf16le", ucs2 = "utf16le", ["ucs-2"] = "utf16le",
}
-- the canonical name of encoding `enc`, or nil when node does not know it
local function normalize(enc)
  if type(enc) ~= "string" then return nil end
  return ENCODINGS[enc] or ENCODINGS[slower(enc)]
end
M.normalize = normalize

-- encoding argument: undefined means utf8, anything unknown throws
local function encoding_of(enc)
  if enc == nil then return "utf8" end
  local e = normalize(enc)
  if not e then unknown_encoding(enc) end
  return e
end
M.encoding_of = encoding_of

local HEXVAL = {}
for i = 0, 9 do HEXVAL[48 + i] = i end
for i = 0, 5 do HEXVAL[65 + i] = 10 + i; HEXVAL[97 + i] = 10 + i end
local B64VAL = {}
do
  local a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  for i = 1, 62 do B64VAL[sbyte(a, i)] = i - 1 end
  -- node decodes both alphabets in either encoding
  B64VAL[43], B64VAL[47], B64VAL[45], B64VAL[95] = 62, 63, 62, 63
end

-- The codecs below loop over FFI byte pointers and fill FFI scratch memory: a Lua table of
-- bytes or of short strings costs 10-50x more on megabyte inputs.
local cbytes = ffi.typeof("const uint8_t *")
local u8vla = ffi.typeof("uint8_t[?]")

local HEXV = ffi.new("int8_t[256]")
ffi.fill(HEXV, 256, 0xFF)
for k, v in pairs(HEXVAL) do HEXV[k] = v end
local B64V = ffi.new("int8_t[256]")
ffi.fill(B64V, 256, 0xFF)
for k, v in pairs(B64VAL) do B64V[k] = v end

-- The code point at byte i of p (n bytes) and the next index. JS strings are UTF-8 in which a
-- lone surrogate keeps its 3-byte form; a byte that starts no sequence is the unit 0xDC00 + b,
-- as ljs.string counts it.
local function cp_at(p, i, n)
  local b = p[i]
  if b < 0x80 then return b, i + 1 end
  if b >= 0xC2 and b <= 0xDF then
    if i + 1 < n and band(p[i + 1], 0xC0) == 0x80 then return (b - 0xC0) * 64 + p[i + 1] - 0x80, i + 2 end
  elseif b >= 0xE0 and b <= 0xEF then
    if i + 2 < n and band(p[i + 1], 0xC0) == 0x80 and band(p[i + 2], 0xC0) == 0x80 then
      local c = (b - 0xE0) * 4096 + (p[i + 1] - 0x80) * 64 + p[i + 2] - 0x80
      if c >= 0x800 then return c, i + 3 end
    end
  elseif b >= 0xF0 and b <= 0xF4 then
    if i + 3 < n and band(p[i + 1], 0xC0) == 0x80 and band(p[i + 2], 0xC0) == 0x80 and band(p[i + 3], 0xC0) == 0x80 then
      local c = (b - 0xF0) * 262144 + (p[i + 1] - 0x80) * 4096 + (p[i + 2] - 0x80) * 64 + p[i + 3] - 0x80
      if c >= 0x10000 and c <= 0x10FFFF then return c, i + 4 end
    end
  end
  return 0xDC00 + b, i + 1
end

-- UTF-16 units of s, each as its low byte (latin1, ascii) or as two bytes (utf16le)
local function units_bytes(s, wide)
  if not wide and not sfind(s, "[\128-\255]") then return s end
  local n = #s
  local p, out = fcast(cbytes, s), u8vla(2 * n + 1)
  local i, k = 0, 0
  while i < n do
    local c
    c, i = cp_at(p, i, n)
    local hi_unit
    if c >= 0x10000 then
      c = c - 0x10000
      hi_unit = 0xD800 + rshift(c, 10)
      c = 0xDC00 + band(c, 0x3FF)
    end
    if hi_unit then
      out[k] = band(hi_unit, 255); k = k + 1
      if wide then out[k] = rshift(hi_unit, 8); k = k + 1 end
    end
    out[k] = band(c, 255); k = k + 1
    if wide then out[k] = rshift(c, 8); k = k + 1 end
  end
  return fstring(out, k)
end
local function units_latin1(s) return units_bytes(s, false) end
local function units_utf16le(s) return units_bytes(s, true) end

-- UTF-16LE bytes to a JS string: pairs join, lone surrogates keep their 3-byte form
local function utf16le_string(b)
  local n = floor(#b / 2)
  local p, out = fcast(cbytes, b), u8vla(3 * n + 1)
  local k, i = 0, 0
  while i < n do
    local u = p[2 * i] + p[2 * i + 1] * 256
    i = i + 1
    if u >= 0xD800 and u <= 0xDBFF and i < n then
      local u2 = p[2 * i] + p[2 * i + 1] * 256
      if u2 >= 0xDC00 and u2 <= 0xDFFF then
        local c = 0x10000 + (u - 0xD800) * 1024 + (u2 - 0xDC00)
        i = i + 1
        out[k], out[k + 1], out[k + 2], out[k + 3] =
          0xF0 + rshift(c, 18), 0x80 + band(rshift(c, 12), 63), 0x80 + band(rshift(c, 6), 63), 0x80 + band(c, 63)
        k = k + 4
        u = nil
      end
    end
    if u then
      if u < 0x80 then
        out[k] = u; k = k + 1
      elseif u < 0x800 then
        out[k], out[k + 1] = 0xC0 + rshift(u, 6), 0x80 + band(u, 63); k = k + 2
      else
        out[k], out[k + 1], out[k + 2] = 0xE0 + rshift(u, 12), 0x80 + band(rshift(u, 6), 63), 0x80 + band(u, 63)
        k = k + 3
      end
    end
  end
  return fstring(out, k)
end

-- bytes as code points 0-255 (latin1), or with the top bit dropped (ascii, as node does)
local function byte_chars(b, ascii)
  if not sfind(b, "[\128-\255]") then return b end
  local n = #b
  local p, out = fcast(cbytes, b), u8vla(2 * n + 1)
  local k = 0
  for i = 0, n - 1 do
    local c = p[i]
    if c < 0x80 then
      out[k] = c; k = k + 1
    elseif ascii then
      out[k] = c - 0x80; k = k + 1
    else
      out[k], out[k + 1] = 0xC0 + rshift(c, 6), 0x80 + band(c, 63); k = k + 2
    end
  end
  return fstring(out, k)
end

-- hex pairs up to the first character that is not one
local function hex_bytes(s)
  local n = floor(#s / 2)
  local p, out = fcast(cbytes, s), u8vla(n + 1)
  local k = 0
  for i = 0, n - 1 do
    local h, l = HEXV[p[2 * i]], HEXV[p[2 * i + 1]]
    if h < 0 or l < 0 then break end
    out[k] = h * 16 + l
    k = k + 1
  end
  return fstring(out, k)
end

-- node's lenient base64: characters of neither alphabet are skipped, '=' ends the data
local function base64_bytes(s)
  local len = #s
  local p, out = fcast(cbytes, s), u8vla(floor(len * 3 / 4) + 3)
  local n, acc, bits = 0, 0, 0
  for i = 0, len - 1 do
    local c = p[i]
    if c == 61 then break end
    local v = B64V[c]
    if v >= 0 then
      acc = band(lshift(acc, 6), 0xFFFFFF) + v
      bits = bits + 6
      if bits >= 8 then
        bits = bits - 8
        out[n] = band(rshift(acc, bits), 255)
        n = n + 1
      end
    end
  end
  return fstring(out, n)
end

local ENCODE = {
  utf8 = function(s) return R.to_usv(s) end,
  latin1 = units_latin1, ascii = units_latin1, utf16le = units_utf16le,
  hex = hex_bytes, base64 = base64_bytes, base64url = base64_bytes,
}

-- The bytes of JS string s in canonical encoding `enc`.
local function encode(s, enc) return ENCODE[enc](s) end
M.encode = encode

local HEX2 = {}
for i = 0, 255 do HEX2[i] = string.format("%02x", i) end
local B64STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

local function base64_string(b, alphabet, pad)
  local len = #b
  local A = u8vla(64)
  fcopy(A, alphabet, 64)
  local p, out = fcast(cbytes, b), u8vla(floor((len + 2) / 3) * 4 + 1)
  local n = 0
  for i = 0, len - 3, 3 do
    local v = p[i] * 65536 + p[i + 1] * 256 + p[i + 2]
    out[n], out[n + 1], out[n + 2], out[n + 3] =
      A[rshift(v, 18)], A[band(rshift(v, 12), 63)], A[band(rshift(v, 6), 63)], A[band(v, 63)]
    n = n + 4
  end
  local rem = len % 3
  if rem == 1 then
    local x = p[len - 1]
    out[n], out[n + 1] = A[rshift(x, 2)], A[band(x, 3) * 16]
    n = n + 2
    if pad then out[n], out[n + 1] = 61, 61; n = n + 2 end
  elseif rem == 2 then
    local v = p[len - 2] * 256 + p[len - 1]
    out[n], out[n + 1], out[n + 2] = A[rshift(v, 10)], A[band(rshift(v, 4), 63)], A[band(v, 15) * 4]
    n = n + 3
    if pad then out[n] = 61; n = n + 1 end
  end
  return fstring(out, n)
end

local HEXDIGITS = u8vla(16)
fcopy(HEXDIGITS, "0123456789abcdef", 16)
local function hex_string(b)
  local len = #b
  local p, out = fcast(cbytes, b), u8vla(2 * len + 1)
  for i = 0, len - 1 do
    local c = p[i]
    out[2 * i], out[2 * i + 1] = HEXDIGITS[rshift(c, 4)], HEXDIGITS[band(c, 15)]
  end
  return fstring(out, 2 * len)
end

local DECODE = {
  utf8 = function(b) return (R.utf8_decode(b)) end,
  latin1 = function(b) return byte_chars(b, false) end,
  ascii = function(b) return byte_chars(b, true) end,
  utf16le = utf16le_string,
  hex = hex_string,
  base64 = function(b) return base64_string(b, B64STD, true) end,
  base64url = function(b) return base64_string(b, B64URL, false) end,
}

-- JS string of bytes b (a Lua string) in canonical encoding `enc`.
local function decode(b, enc) return DECODE[enc](b) end
M.decode = decode

-- node's byteLength estimates (base64 counts characters, as node does)
local function byte_length(s, enc)
  if enc == "utf8" then return #R.to_usv(s) end
  local n = R.strlen(s)
  if enc == "utf16le" then return n * 2 end
  if enc == "hex" then return floor(n / 2) end
  if enc == "base64" or enc == "base64url" then
    local k = n
    if k > 0 and sbyte(s, #s) == 61 then
      k = k - 1
      if k > 1 and sbyte(s, #s - 1) == 61 then k = k - 1 end
    end
    return floor(k * 3 / 4)
  end
  return n
end

---------------------------------------------------------------------------------------------
-- Buffer objects

local BufferPrototype = setmetatable({}, R.protomt(Uint8ArrayPrototype))
local BufferMT   -- the instances' metatable, taken from the first one Uint8Array makes

-- a Buffer viewing `len` bytes of ArrayBuffer `ab` from byte `off`
local function view(ab, off, len)
  return (setmetatable({[TA_PTR] = fcast(u8ptr, R.arraybuffer_ptr(ab) + off), [TA_LEN] = len, length = len,
                        [TA_BUF] = ab, [TA_OFF] = off}, BufferMT))
end

local function alloc(n)
  return (view(R.new_arraybuffer(n), 0, n))
end

-- a Buffer holding the bytes of Lua string b
local function from_bytes(b)
  local n = #b
  local buf = alloc(n)
  if n > 0 then fcopy(buf[TA_PTR], b, n) end
  return buf
end
M.from_bytes = from_bytes

do
  local probe = setmetatable({}, R.protomt(BufferPrototype))
  Uint8Array(probe, 0)
  BufferMT = getmetatable(probe)
end

local function is_buffer(v) return type(v) == "table" and getmetatable(v) == BufferMT end
M.is_buffer = is_buffer

-- a Uint8Array (Buffers included), as node's isUint8Array
local function is_u8(v) return type(v) == "table" and R.typed_kind(v) == "Uint8Array" end
M.is_u8 = is_u8

-- The bytes (pointer, length) of an ArrayBufferView or ArrayBuffer, or nil.
local function byte_view(v)
  if type(v) ~= "table" then return nil end
  if R.is_arraybuffer(v) then return R.arraybuffer_ptr(v), R.arraybuffer_len(v) end
  local kind = R.typed_kind(v)
  if kind then return fcast(u8ptr, v[TA_PTR]), v[TA_LEN] * getmetatable(v).tinfo.size end
  local st = R.dataview_state(v)
  if st then return st.ptr, st.len end
  return nil
end
M.byte_view = byte_view

local function bytes_in(buf, s, e)   -- Lua string of bytes [s, e)
  if e <= s then return "" end
  return fstring(buf[TA_PTR] + s, e - s)
end
M.bytes_in = bytes_in

-- JS integer conversion used for offsets (node's `toInteger(n, 0)` / `x >>> 0` flavours)
local function trunc(v)
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v then return 0 end
  if v >= 0 then return floor(v) end
  return -floor(-v)
end

local function from_array_like(a)
  local n = trunc(a.length)
  if n < 0 then n = 0 end
  local buf = alloc(n)
  local p = buf[TA_PTR]
  for i = 0, n - 1 do
    local v = a[i]
    if type(v) ~= "number" then v = tonum(v) end
    if v ~= v or v == huge or v == -huge then v = 0 end
    p[i] = band(R.toint32(v), 255)
  end
  return buf
end

local function from_string(s, enc)
  return (from_bytes(encode(s, encoding_of(enc))))
end

local FROM_TYPES = {"string", "Buffer", "ArrayBuffer", "Array", "Array-like Object"}

local function buffer_from(v, enc_or_off, len)
  if type(v) == "string" then return from_string(v, enc_or_off) end
  if type(v) == "table" and v ~= null then
    if R.is_arraybuffer(v) then
      local total = R.arraybuffer_len(v)
      local off = enc_or_off == nil and 0 or trunc(enc_or_off)
      if off > total then
        R.throw(coded_error("RangeError", "ERR_BUFFER_OUT_OF_BOUNDS", '"offset" is outside of buffer bounds'))
      end
      local n = total - off
      if len ~= nil then
        n = trunc(len)
        if n < 0 then n = 0 end
        if n > total - off then
          R.throw(coded_error("RangeError", "ERR_BUFFER_OUT_OF_BOUNDS", '"length" is outside of buffer bounds'))
        end
      end
      return (view(v, off, n))
    end
    if R.typed_kind(v) then
      if is_u8(v) then
        local n = v[TA_LEN]
        local buf = alloc(n)
        if n > 0 then fcopy(buf[TA_PTR], v[TA_PTR], n) end
        return buf
      end
      return (from_array_like(v))
    end
    local prim = nil
    local vo = v.valueOf
    if R.iscallable(vo) then prim = vo(v) end
    if prim ~= nil and prim ~= null and prim ~= v then return buffer_from(prim, enc_or_off, len) end
    local tp = R.sym_toPrimitive and v[R.sym_toPrimitive]
    if R.iscallable(tp) then
      local p = tp(v, "string")
      if type(p) == "string" then return from_string(p, enc_or_off) end
    end
    if v.length ~= nil or R.isarray(v) then return (from_array_like(v)) end
    if v.type == "Buffer" and R.isarray(v.data) then return (from_array_like(v.data)) end
  end
  R.throw(invalid_arg_type("first argument", FROM_TYPES, v))
end

local MAX_LENGTH = 4294967296

local function check_size(n)
  if type(n) ~= "number" then throw_type("size", "number", n) end
  if not (n >= 0 and n <= MAX_LENGTH) then out_of_range("size", ">= 0 && <= " .. MAX_LENGTH, n) end
  return floor(n)
end

-- fill bytes [s, e) of buf with value (number, string in encoding, or bytes of a view)
local function fill_range(buf, value, s, e, enc)
  if e <= s then return end
  local p = buf[TA_PTR]
  if type(value) == "number" then
    ffill(p + s, e - s, band(R.toint32(value), 255))
    return
  end
  local bytes
  if type(value) == "string" then
    local en = encoding_of(enc)
    bytes = encode(value, en)
    if #bytes == 0 then
      if value ~= "" then
        R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'value' is invalid. Received " .. R.inspect(value)))
      end
      ffill(p + s, e - s, 0)
      return
    end
  elseif type(value) == "boolean" then
    ffill(p + s, e - s, value and 1 or 0)
    return
  else
    local vp, vn = byte_view(value)
    if not vp then
      ffill(p + s, e - s, band(R.toint32(tonum(value)), 255))
      return
    end
    bytes = fstring(vp, vn)
    if vn == 0 then
      R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'value' is invalid. Received " .. R.inspect(value)))
    end
  end
  local m = #bytes
  if m == 1 then ffill(p + s, e - s, sbyte(bytes)); return end
  local i = s
  while i < e do
    local k = e - i < m and e - i or m
    fcopy(p + i, bytes, k)
    i = i + k
  end
end

---------------------------------------------------------------------------------------------
-- The constructor and its statics

-- node's DEP0005, once, for a Buffer() or new Buffer() that the program itself calls: not the
-- runtime (a typed array method making a Buffer through its species), nor a package in
-- node_modules, as node decides. The caller is the frame above, or above `new`'s helper.
local RUNTIME_DIR = string.sub(debug.getinfo(1, "S").source, 1, -#"node_buffer.lua" - 1)
local CORE = RUNTIME_DIR .. "core.lua"
local ctor_warned = false
local function warn_ctor()
  local info = debug.getinfo(3, "S")
  if info and info.source == CORE then info = debug.getinfo(4, "S") end
  local src = info and info.source or "=[C]"
  if string.sub(src, 1, #RUNTIME_DIR) == RUNTIME_DIR or src == "=[C]"
      or string.find(src, "/node_modules/", 1, true) then
    return
  end
  ctor_warned = true
  local proc = R.process
  local emit = proc and proc.emitWarning
  if emit then
    emit(proc, "Buffer() is deprecated due to security and usability issues. Please use the " ..
      "Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.", "DeprecationWarning", "DEP0005")
  end
end

local Buffer
Buffer = function(this, arg, enc_or_off, len)
  if not ctor_warned then warn_ctor() end
  -- Buffer(n) / new Buffer(n) (deprecated in node, still working): zero-filled memory
  if type(arg) == "number" then return (alloc(check_size(arg))) end
  return (buffer_from(arg, enc_or_off, len))
end
R.ctor("Buffer", 3, Buffer, BufferPrototype)
R.setproto(R.fprop_table(Buffer), Uint8Array)
M.Buffer = Buffer

local function def_static(name, len, f) return R.method(Buffer, name, len, f) end

def_static("from", 3, function(_, v, a, b) return (buffer_from(v, a, b)) end)
def_static("of", 0, function(_, ...)
  local n = select("#", ...)
  local buf = alloc(n)
  for i = 1, n do buf[i - 1] = (select(i, ...)) end
  return buf
end)
def_static("alloc", 3, function(_, size, fill, enc)
  local buf = alloc(check_size(size))
  if fill ~= nil and fill ~= 0 and buf[TA_LEN] > 0 then
    if type(fill) == "string" and enc ~= nil then encoding_of(enc) end
    fill_range(buf, fill, 0, buf[TA_LEN], enc)
  end
  return buf
end)
def_static("allocUnsafe", 1, function(_, size) return (alloc(check_size(size))) end)
def_static("allocUnsafeSlow", 1, function(_, size) return (alloc(check_size(size))) end)
def_static("isBuffer", 1, function(_, v) return is_buffer(v) end)
def_static("isEncoding", 1, function(_, e) return normalize(e) ~= nil end)
def_static("byteLength", 2, function(_, s, enc)
  if type(s) ~= "string" then
    local _, n = byte_view(s)
    if n then return n end
    throw_type("string", {"string", "Buffer", "ArrayBuffer"}, s)
  end
  return byte_length(s, normalize(enc) or "utf8")
end)

local function compare_bytes(ap, an, bp, bn)
  local m = an < bn and an or bn
  if m > 0 then
    local c = ffi.C.memcmp(ap, bp, m)
    if c < 0 then return -1 elseif c > 0 then return 1 end
  end
  if an < bn then return -1 elseif an > bn then return 1 end
  return 0
end
pcall(ffi.cdef, "int memcmp(const void *a, const void *b, size_t n);")

def_static("compare", 2, function(_, a, b)
  if not is_u8(a) then throw_type("buf1", {"Buffer", "Uint8Array"}, a) end
  if not is_u8(b) then throw_type("buf2", {"Buffer", "Uint8Array"}, b) end
  return compare_bytes(a[TA_PTR], a[TA_LEN], b[TA_PTR], b[TA_LEN])
end)

def_static("concat", 2, function(_, list, total)
  if not R.isarray(list) then throw_type("list", "Array", list) end
  local n = rawget(list, "length") or list.length
  if n == 0 then return (alloc(0)) end
  local sum = 0
  for i = 0, n - 1 do
    local b = list[i]
    if not is_u8(b) then throw_type("list[" .. i .. "]", {"Buffer", "Uint8Array"}, b) end
    sum = sum + b[TA_LEN]
  end
  if total == nil then
    total = sum
  else
    if type(total) ~= "number" then throw_type("length", "number", total) end
    if total < 0 or total ~= total then out_of_range("length", ">= 0 && <= " .. MAX_LENGTH, total) end
    total = floor(total)
  end
  local out = alloc(total)
  local pos = 0
  for i = 0, n - 1 do
    if pos >= total then break end
    local b = list[i]
    local k = b[TA_LEN]
    if pos + k > total then k = total - pos end
    if k > 0 then fcopy(out[TA_PTR] + pos, b[TA_PTR], k) end
    pos = pos + k
  end
  return out
end)
def_static("copyBytesFrom", 3, function(_, v, off, len)
  local kind = R.typed_kind(v)
  if not kind then throw_type("view", "TypedArray", v) end
  local size = getmetatable(v).tinfo.size
  local n = v[TA_LEN]
  local s = off == nil and 0 or trunc(off)
  local e = len == nil and n or s + trunc(len)
  if s > n then s = n end
  if e > n then e = n end
  if e <= s then return (alloc(0)) end
  return (from_bytes(fstring(fcast(u8ptr, v[TA_PTR]) + s * size, (e - s) * size)))
end)
R.hidden(Buffer, "poolSize", 8192)
R.addkey(R.fprop_table(Buffer), "poolSize")

---------------------------------------------------------------------------------------------
-- Buffer.prototype

local function def(name, len, f) return R.method(BufferPrototype, name, len, f) end

local function check_this(this)
  if not is_u8(this) then R.type_error("argument must be a buffer") end
end

def("toString", 3, function(this, enc, s, e)
  check_this(this)
  local n = this[TA_LEN]
  if enc == nil and s == nil and e == nil then return (DECODE.utf8(bytes_in(this, 0, n))) end
  if s ~= nil and type(s) ~= "number" then s = tonum(s) end
  if s == nil or s ~= s then s = 0
  elseif s <= 0 then s = 0
  elseif s >= n then return ""
  else s = trunc(s) end
  if e == nil or (type(e) == "number" and e > n) then e = n else e = trunc(e) end
  if e > n then e = n end
  if e <= s then return "" end
  local en = enc == nil and "utf8" or normalize(enc)
  if not en then unknown_encoding(enc) end
  return (DECODE[en](bytes_in(this, s, e)))
end)
rawset(BufferPrototype, "toLocaleString", rawget(BufferPrototype, "toString"))

def("equals", 1, function(this, other)
  check_this(this)
  if not is_u8(other) then throw_type("otherBuffer", {"Buffer", "Uint8Array"}, other) end
  if rawequal(this, other) then return true end
  return this[TA_LEN] == other[TA_LEN] and compare_bytes(this[TA_PTR], this[TA_LEN], other[TA_PTR], other[TA_LEN]) == 0
end)

-- an optional integer argument of compare(); out of [0, max] is ERR_OUT_OF_RANGE
local function compare_arg(v, name, default, max)
  if v == nil then return default end
  if type(v) ~= "number" then throw_type(name, "number", v) end
  if v ~= floor(v) then out_of_range(name, "an integer", v) end
  if v < 0 or v > max then out_of_range(name, ">= 0 && <= " .. numtostr(max), v) end
  return v
end

def("compare", 5, function(this, target, ts, te, ss, se)
  check_this(this)
  if not is_u8(target) then throw_type("target", {"Buffer", "Uint8Array"}, target) end
  ts = compare_arg(ts, "targetStart", 0, MAX_LENGTH)
  te = compare_arg(te, "targetEnd", target[TA_LEN], target[TA_LEN])
  ss = compare_arg(ss, "sourceStart", 0, MAX_LENGTH)
  se = compare_arg(se, "sourceEnd", this[TA_LEN], this[TA_LEN])
  if ss >= se then return (ts >= te) and 0 or -1 end
  if ts >= te then return 1 end
  return compare_bytes(this[TA_PTR] + ss, se - ss, target[TA_PTR] + ts, te - ts)
end)

-- node's IndexOfOffset: where a search of a needle of length m starts
local function search_offset(n, off, m, forward)
  if off < 0 then
    if off + n >= 0 then return n + off end
    if forward or m == 0 then return 0 end
    return -1
  end
  if off + m <= n then return off end
  if m == 0 then return n end
  if forward then return -1 end
  return n - 1
end

local function bytes_index(hay, n, needle, m, off, forward)
  local start = search_offset(n, off, m, forward)
  if m == 0 then return start end
  if n == 0 or start <= -1 then return -1 end
  if (forward and m + start > n) or m > n then return -1 end
  local h = fstring(hay, n)
  if forward then
    local i = sfind(h, needle, start + 1, true)
    return i and i - 1 or -1
  end
  if start > n - m then start = n - m end
  for i = start + 1, 1, -1 do
    if ssub(h, i, i + m - 1) == needle then return i - 1 end
  end
  return -1
end

local function index_of(this, v, off, enc, forward)
  check_this(this)
  if type(off) == "string" then
    enc = off
    off = nil
  elseif type(off) == "number" then
    if off > 0x7fffffff then off = 0x7fffffff elseif off < -0x80000000 then off = -0x80000000 end
  end
  off = off == nil and (0 / 0) or tonum(off)
  local n = this[TA_LEN]
  if off ~= off then off = forward and 0 or n end
  off = trunc(off)
  if type(v) == "number" then
    local byte = band(R.touint32(v), 255)
    return bytes_index(this[TA_PTR], n, schar(byte), 1, off, forward)
  end
  local en = enc == nil and "utf8" or normalize(enc)
  if type(v) == "string" then
    if not en then unknown_encoding(enc) end
    local needle = encode(v, en)
    return bytes_index(this[TA_PTR], n, needle, #needle, off, forward)
  end
  if is_u8(v) then
    return bytes_index(this[TA_PTR], n, bytes_in(v, 0, v[TA_LEN]), v[TA_LEN], off, forward)
  end
  throw_type("value", {"number", "string", "Buffer", "Uint8Array"}, v)
end

def("indexOf", 3, function(this, v, off, enc) return index_of(this, v, off, enc, true) end)
def("lastIndexOf", 3, function(this, v, off, enc) return index_of(this, v, off, enc, false) end)
def("includes", 3, function(this, v, off, enc) return index_of(this, v, off, enc, true) ~= -1 end)

def("fill", 4, function(this, value, off, e, enc)
  check_this(this)
  local n = this[TA_LEN]
  if type(off) == "string" then enc = off; off = 0; e = n
  elseif type(e) == "string" then enc = e; e = n end
  if type(value) == "string" and enc ~= nil then encoding_of(enc) end
  local s = off == nil and 0 or trunc(off)
  local fin = e == nil and n or trunc(e)
  if s < 0 then out_of_range("offset", ">= 0 && <= " .. n, off) end
  if fin > n or fin < 0 then out_of_range("end", ">= 0 && <= " .. n, e) end
  fill_range(this, value, s, fin, enc)
  return this
end)

-- write(string[, offset[, length]][, encoding]): complete characters only
def("write", 4, function(this, s, off, len, enc)
  check_this(this)
  if type(s) ~= "string" then R.throw(coded_error("TypeError", "ERR_INVALID_ARG_TYPE", "argument must be a string")) end
  local n = this[TA_LEN]
  if off == nil then
    off, len = 0, n
  elseif type(off) == "string" and len == nil and enc == nil then
    enc, off, len = off, 0, n
  else
    if type(off) ~= "number" then throw_type("offset", "number", off) end
    if off < 0 or off > n or off ~= off then out_of_range("offset", ">= 0 && <= " .. n, off) end
    off = floor(off)
    local room = n - off
    if len == nil then
      len = room
    elseif type(len) == "string" then
      enc, len = len, room
    else
      if type(len) ~= "number" then throw_type("length", "number", len) end
      if len < 0 or len > n or len ~= len then out_of_range("length", ">= 0 && <= " .. n, len) end
      len = floor(len)
      if len > room then len = room end
    end
  end
  local en = encoding_of(enc)
  local bytes = encode(s, en)
  local k = #bytes
  if k > len then
    k = len
    if en == "utf8" then
      -- back up to the start of the character the cut falls in, unless it ends there
      local i = k + 1
      while i > 1 and band(sbyte(bytes, i), 0xC0) == 0x80 do i = i - 1 end
      k = i - 1
    elseif en == "utf16le" then
      k = k - k % 2
    end
  end
  if k > 0 then fcopy(this[TA_PTR] + off, bytes, k) end
  return k
end)

def("toJSON", 0, function(this)
  check_this(this)
  local data = R.newarray(this[TA_LEN])
  local p = this[TA_PTR]
  for i = 0, this[TA_LEN] - 1 do rawset(data, i, p[i]) end
  return (N.jsobject("type", "Buffer", "data", data))
end)

local function subarray(this, s, e)
  check_this(this)
  local n = this[TA_LEN]
  s = s == nil and 0 or trunc(s)
  e = e == nil and n or trunc(e)
  if s < 0 then s = s + n; if s < 0 then s = 0 end elseif s > n then s = n end
  if e < 0 then e = e + n; if e < 0 then e = 0 end elseif e > n then e = n end
  if e < s then e = s end
  return (view(this[TA_BUF], this[TA_OFF] + s, e - s))
end
def("subarray", 2, subarray)
def("slice", 2, subarray)

-- map and filter make Buffers, as node's species lookup does
local U8map, U8filter = Uint8ArrayPrototype.map, Uint8ArrayPrototype.filter
def("map", 1, function(this, f, thisArg)
  local r = U8map(this, f, thisArg)
  return (view(r[TA_BUF], r[TA_OFF], r[TA_LEN]))
end)
def("filter", 1, function(this, f, thisArg)
  local r = U8filter(this, f, thisArg)
  return (view(r[TA_BUF], r[TA_OFF], r[TA_LEN]))
end)

def("copy", 4, function(this, target, ts, ss, se)
  if not is_u8(this) then throw_type("source", {"Buffer", "Uint8Array"}, this) end
  if not is_u8(target) then throw_type("target", {"Buffer", "Uint8Array"}, target) end
  if ts == nil then ts = 0 else
    ts = trunc(ts)
    if ts < 0 then out_of_range("targetStart", ">= 0", ts) end
  end
  local n = this[TA_LEN]
  if ss == nil then ss = 0 else
    ss = trunc(ss)
    if ss < 0 or ss > n then out_of_range("sourceStart", ">= 0 && <= " .. n, ss) end
  end
  if se == nil then se = n else
    se = trunc(se)
    if se < 0 then out_of_range("sourceEnd", ">= 0", se) end
  end
  if ts >= target[TA_LEN] or ss >= se then return 0 end
  if se - ss > target[TA_LEN] - ts then se = ss + target[TA_LEN] - ts end
  local nb = se - ss
  if nb > n - ss then nb = n - ss end
  ffi.C.memmove(target[TA_PTR] + ts, this[TA_PTR] + ss, nb)
  return nb
end)
pcall(ffi.cdef, "void *memmove(void *d, const void *s, size_t n);")

local function swapper(size)
  def("swap" .. size * 8, 0, function(this)
    check_this(this)
    local n = this[TA_LEN]
    if n % size ~= 0 then
      R.throw(coded_error("RangeError", "ERR_INVALID_BUFFER_SIZE", "Buffer size must be a multiple of " .. size * 8 .. "-bits"))
    end
    local p = this[TA_PTR]
    for i = 0, n - 1, size do
      for j = 0, size / 2 - 1 do
        local a, b = i + j, i + size - 1 - j
        p[a], p[b] = p[b], p[a]
      end
    end
    return this
  end)
end
swapper(2); swapper(4); swapper(8)

---------------------------------------------------------------------------------------------
-- Numeric reads and writes

local function check_offset(v, name)
  if type(v) ~= "number" then throw_type(name, "number", v) end
end

-- node's boundsError: not an integer, buffer too short, or outside [0, last]
local function bounds_error(v, last, name)
  if v ~= floor(v) then out_of_range(name or "offset", "an integer", v) end
  if last < 0 then R.throw(coded_error("RangeError", "ERR_BUFFER_OUT_OF_BOUNDS", "Attempt to access memory outside buffer bounds")) end
  out_of_range(name or "offset", ">= " .. (name and 1 or 0) .. " and <= " .. last, v)
end

-- the checked start of a `size`-byte access at offset o
local function at(this, o, size)
  check_this(this)
  if o == nil then o = 0 end
  check_offset(o, "offset")
  local n = this[TA_LEN]
  if not (o >= 0 and o + size <= n and o == floor(o)) then bounds_error(o, n - size) end
  return o
end

local function read_uint(p, o, size, le)
  local v = 0
  if le then
    for i = size - 1, 0, -1 do v = v * 256 + p[o + i] end
  else
    for i = 0, size - 1 do v = v * 256 + p[o + i] end
  end
  return v
end

local function check_bytelength(bl)
  check_offset(bl, "byteLength")
  if not (bl >= 1 and bl <= 6 and bl == floor(bl)) then bounds_error(bl, 6, "byteLength") end
end

local POW = {}
for i = 1, 8 do POW[i] = 2 ^ (8 * i) end

local function def_reads(suffix, le)
  for size = 1, 4 do
    if size ~= 3 and (size > 1 or suffix == "") then
      local bits = size * 8
      local uname, iname = "readUInt" .. bits .. suffix, "readInt" .. bits .. suffix
      local fu = def(uname, 1, function(this, o)
        o = at(this, o, size)
        return read_uint(this[TA_PTR], o, size, le)
      end)
      rawset(BufferPrototype, "readUint" .. bits .. suffix, fu)
      def(iname, 1, function(this, o)
        o = at(this, o, size)
        local v = read_uint(this[TA_PTR], o, size, le)
        if v >= POW[size] / 2 then v = v - POW[size] end
        return v
      end)
    end
  end
  if suffix == "" then return end
  local fu = def("readUInt" .. suffix, 2, function(this, o, bl)
    if bl == nil then check_offset(bl, "byteLength") end
    check_bytelength(bl)
    o = at(this, o, bl)
    return read_uint(this[TA_PTR], o, bl, le)
  end)
  rawset(BufferPrototype, "readUint" .. suffix, fu)
  def("readInt" .. suffix, 2, function(this, o, bl)
    if bl == nil then check_offset(bl, "byteLength") end
    check_bytelength(bl)
    o = at(this, o, bl)
    local v = read_uint(this[TA_PTR], o, bl, le)
    if v >= POW[bl] / 2 then v = v - POW[bl] end
    return v
  end)
end
def_reads("", true)
def_reads("LE", true)
def_reads("BE", false)

local scratch = ffi.new("union { uint8_t b[8]; float f; double d; int64_t i; uint64_t u; }")
local NATIVE_LE = ffi.abi("le")
-- LuaJIT's NaN has its sign bit set; V8's, which node writes, does not
local function positive_nan(size)
  local top = NATIVE_LE and size - 1 or 0
  scratch.b[top] = bit.band(scratch.b[top], 0x7f)
end

local function load(p, o, size, le)
  if le == NATIVE_LE then
    for i = 0, size - 1 do scratch.b[i] = p[o + i] end
  else
    for i = 0, size - 1 do scratch.b[i] = p[o + size - 1 - i] end
  end
end
local function store(p, o, size, le)
  if le == NATIVE_LE then
    for i = 0, size - 1 do p[o + i] = scratch.b[i] end
  else
    for i = 0, size - 1 do p[o + size - 1 - i] = scratch.b[i] end
  end
end

for _, e in ipairs({{"LE", true}, {"BE", false}}) do
  local suffix, le = e[1], e[2]
  def("readFloat" .. suffix, 1, function(this, o)
    o = at(this, o, 4); load(this[TA_PTR], o, 4, le); return scratch.f
  end)
  def("readDouble" .. suffix, 1, function(this, o)
    o = at(this, o, 8); load(this[TA_PTR], o, 8, le); return scratch.d
  end)
  def("writeFloat" .. suffix, 2, function(this, v, o)
    v = tonum(v)
    o = at(this, o, 4); scratch.f = v
    if v ~= v then positive_nan(4) end
    store(this[TA_PTR], o, 4, le); return o + 4
  end)
  def("writeDouble" .. suffix, 2, function(this, v, o)
    v = tonum(v)
    o = at(this, o, 8); scratch.d = v
    if v ~= v then positive_nan(8) end
    store(this[TA_PTR], o, 8, le); return o + 8
  end)
  local big = R.big
  if big then
    local fu = def("readBigUInt64" .. suffix, 1, function(this, o)
      o = at(this, o, 8); load(this[TA_PTR], o, 8, le); return big.from_int64(scratch.u)
    end)
    rawset(BufferPrototype, "readBigUint64" .. suffix, fu)
    def("readBigInt64" .. suffix, 1, function(this, o)
      o = at(this, o, 8); load(this[TA_PTR], o, 8, le); return big.from_int64(scratch.i)
    end)
    local TWO64 = big.shl(big.ONE, big.from_number(64))
    local TWO63 = big.shl(big.ONE, big.from_number(63))
    local ZERO = big.from_number(0)
    local function write_big(signed)
      return function(this, v, o)
        if not big.is(v) then R.type_error("Cannot mix BigInt and other types, use explicit conversions") end
        local lo, hi = ZERO, TWO64
        if signed then lo, hi = big.make(-1, {unpack(TWO63)}), TWO63 end
        if big.cmp(v, lo) < 0 or big.cmp(v, hi) >= 0 then
          out_of_range("value", signed and ">= -(2n ** 63n) and < 2n ** 63n" or ">= 0n and < 2n ** 64n", v)
        end
        o = at(this, o, 8)
        scratch.u = big.to_uint64(v)
        store(this[TA_PTR], o, 8, le)
        return o + 8
      end
    end
    local fw = def("writeBigUInt64" .. suffix, 2, write_big(false))
    rawset(BufferPrototype, "writeBigUint64" .. suffix, fw)
    def("writeBigInt64" .. suffix, 2, write_big(true))
  end
end

-- write `size` bytes of integer value v (already range-checked)
local function write_int(p, o, size, v, le)
  if v ~= v then v = 0 end
  v = v >= 0 and floor(v) or -floor(-v)
  for i = 0, size - 1 do
    local byte = v % 256
    if le then p[o + i] = byte else p[o + size - 1 - i] = byte end
    v = floor(v / 256)
  end
end

-- node's checkInt range text
local function int_range(size, signed)
  if size > 4 then
    local bits = size * 8
    if signed then return ">= -(2 ** " .. (bits - 1) .. ") and < 2 ** " .. (bits - 1) end
    return ">= 0 and < 2 ** " .. bits
  end
  if signed then return ">= " .. numtostr(-POW[size] / 2) .. " and <= " .. numtostr(POW[size] / 2 - 1) end
  return ">= 0 and <= " .. numtostr(POW[size] - 1)
end

local function checked_write(this, v, o, size, signed, le)
  v = tonum(v)
  local lo, hi = 0, POW[size] - 1
  if signed then lo, hi = -POW[size] / 2, POW[size] / 2 - 1 end
  if v > hi or v < lo then out_of_range("value", int_range(size, signed), v) end
  o = at(this, o, size)
  write_int(this[TA_PTR], o, size, v, le)
  return o + size
end

local function def_writes(suffix, le)
  for size = 1, 4 do
    if size ~= 3 and (size > 1 or suffix == "") then
      local bits = size * 8
      local fu = def("writeUInt" .. bits .. suffix, 2, function(this, v, o) return checked_write(this, v, o, size, false, le) end)
      rawset(BufferPrototype, "writeUint" .. bits .. suffix, fu)
      def("writeInt" .. bits .. suffix, 2, function(this, v, o) return checked_write(this, v, o, size, true, le) end)
    end
  end
  if suffix == "" then return end
  local fu = def("writeUInt" .. suffix, 3, function(this, v, o, bl)
    if bl == nil then check_offset(bl, "byteLength") end
    check_bytelength(bl)
    return checked_write(this, v, o, bl, false, le)
  end)
  rawset(BufferPrototype, "writeUint" .. suffix, fu)
  def("writeInt" .. suffix, 3, function(this, v, o, bl)
    if bl == nil then check_offset(bl, "byteLength") end
    check_bytelength(bl)
    return checked_write(this, v, o, bl, true, le)
  end)
end
def_writes("", true)
def_writes("LE", true)
def_writes("BE", false)

---------------------------------------------------------------------------------------------
-- util.inspect: <Buffer 68 69>, at most INSPECT_MAX_BYTES bytes, then any own properties

local INSPECT_MAX_BYTES = 50
R.method(BufferPrototype, R.sym_inspect_custom, 2, function(this, depth, ctx)
  local n = this[TA_LEN]
  local m = n < INSPECT_MAX_BYTES and n or INSPECT_MAX_BYTES
  local p = this[TA_PTR]
  local parts = {}
  for i = 0, m - 1 do parts[i + 1] = HEX2[p[i]] end
  local str = concat(parts, " ")
  local rest = n - INSPECT_MAX_BYTES
  if rest > 0 then str = str .. " ... " .. rest .. " more byte" .. (rest > 1 and "s" or "") end
  if type(ctx) == "table" then
    local keys, kn = R.ownkeys(this)
    local extra = setmetatable({}, R.protomt(null))
    local any = false
    for i = 1, kn do
      local k = keys[i]
      if type(k) == "string" then
        any = true
        R.addkey(extra, k)
        rawset(extra, k, this[k])
      end
    end
    if any then
      if n ~= 0 then str = str .. ", " end
      local opts = R.newobj()
      for _, k in ipairs({"depth", "colors", "showHidden", "maxArrayLength", "maxStringLength", "sorted", "getters", "numericSeparator"}) do
        local v = ctx[k]
        if v ~= nil then R.addkey(opts, k); rawset(opts, k, v) end
      end
      R.addkey(opts, "breakLength"); rawset(opts, "breakLength", huge)
      R.addkey(opts, "compact"); rawset(opts, "compact", true)
      local s = R.inspect(extra, opts)
      str = str .. ssub(s, 28, -3)
    end
  end
  local c = this.constructor
  return "<" .. (c and tostr(c.name) or "Buffer") .. " " .. str .. ">"
end)

---------------------------------------------------------------------------------------------
-- The module

local exports = R.newobj()
local put = N.put
put(exports, "Buffer", Buffer)
local SlowBuffer = N.builtin("SlowBuffer", 1, function(_, size) return (alloc(check_size(size))) end)
put(exports, "SlowBuffer", SlowBuffer)
put(exports, "transcode", N.builtin("transcode", 3, function(_, src, from, to)
  if not is_u8(src) then throw_type("source", {"Buffer", "Uint8Array"}, src) end
  local f, t = normalize(from), normalize(to)
  if not f or not t then
    R.throw(coded_error("Error", "U_ILLEGAL_ARGUMENT_ERROR", "Unable to transcode Buffer [U_ILLEGAL_ARGUMENT_ERROR]"))
  end
  return (from_bytes(encode(decode(bytes_in(src, 0, src[TA_LEN]), f), t)))
end))
put(exports, "kMaxLength", MAX_LENGTH)
put(exports, "kStringMaxLength", 536870888)
put(exports, "constants", N.jsobject("MAX_LENGTH", MAX_LENGTH, "MAX_STRING_LENGTH", 536870888))
put(exports, "INSPECT_MAX_BYTES", INSPECT_MAX_BYTES)
put(exports, "atob", R.builtin_global("atob"))
put(exports, "btoa", R.builtin_global("btoa"))
put(exports, "isUtf8", N.builtin("isUtf8", 1, function(_, v)
  local p, n = byte_view(v)
  if not p then throw_type("input", {"ArrayBuffer", "Buffer", "TypedArray"}, v) end
  return R.utf8_decode(fstring(p, n), true) ~= nil
end))
put(exports, "isAscii", N.builtin("isAscii", 1, function(_, v)
  local p, n = byte_view(v)
  if not p then throw_type("input", {"ArrayBuffer", "Buffer", "TypedArray"}, v) end
  return not sfind(fstring(p, n), "[\128-\255]")
end))
M.exports = exports

return M
