-- ljs.webapi: the web platform globals node provides: TextEncoder, TextDecoder, atob, btoa,
-- DOMException, structuredClone, URL and URLSearchParams (WHATWG URL Standard), as node 20
-- behaves, error messages and codes included.
--
-- Strings: a JS string is UTF-8 that may hold lone surrogates (3-byte ED A0..BF forms) or stray
-- bytes (see ljs.string). The web APIs take USVStrings: `usv` turns lone surrogates into
-- U+FFFD, so that everything below works on well-formed UTF-8.
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
require("ljs.iteration")
pcall(require, "ljs.typedarray")

local type, rawget, rawset, getmetatable, setmetatable, select, tostring, tonumber, pairs, ipairs =
      type, rawget, rawset, getmetatable, setmetatable, select, tostring, tonumber, pairs, ipairs
local floor = math.floor
local sbyte, schar, ssub, sfind, sgsub, sformat, slower, srep =
      string.byte, string.char, string.sub, string.find, string.gsub, string.format, string.lower, string.rep
local concat = table.concat
local band, bor, rshift, lshift = bit.band, bit.bor, bit.rshift, bit.lshift

local G, null, SHAPE = R.G, R.null, R.SHAPE
local tostr, truthy, type_error, throw_error = R.tostr, R.truthy, R.type_error, R.throw_error
local isobject = R.isobject

local u8ptr = ffi.typeof("uint8_t *")

---------------------------------------------------------------------------------------------
-- Helpers

local sym_custom = R.sym_inspect_custom

local function inspect(v, opts)
  if R.inspect then return R.inspect(v, opts) end
  if type(v) == "string" then return "'" .. v .. "'" end
  return tostr(v)
end

-- A plain object with these keys, in this order ({k1, v1, k2, v2, ...}; nil values allowed
-- when n is given).
local function plain(kv, n)
  local o = R.newobj()
  for i = 1, n or #kv, 2 do
    local k = kv[i]
    rawset(o, k, kv[i + 1])
    R.addkey(o, k)
  end
  return o
end

-- Node's internal errors: an error of `kind` with an enumerable `code`; `bracket` puts the code
-- in the stack header and toString, as most of node's errors do.
local function node_error(kind, code, msg, bracket, extra)
  local e = R.make_error and R.make_error(kind, msg) or (kind .. ": " .. msg)
  if type(e) ~= "table" then error(e, 0) end
  if bracket then
    local header = kind .. " [" .. code .. "]: " .. msg
    local st = R.error_stack(e)
    if type(st) == "string" then
      local nl = sfind(st, "\n", 1, true)
      R.set_error_stack(e, nl and header .. ssub(st, nl) or header)
    end
    R.defprop(e, "toString", {value = R.arrow(function(this)
      return tostr(this.name) .. " [" .. code .. "]: " .. tostr(this.message)
    end, "toString", 0), writable = true, enumerable = false, configurable = true})
  end
  rawset(e, "code", code)
  R.addkey(e, "code")
  if extra then
    for i = 1, #extra, 2 do
      if extra[i + 1] ~= nil then rawset(e, extra[i], extra[i + 1]); R.addkey(e, extra[i]) end
    end
  end
  R.throw(e)
end

local function missing_args(what)
  node_error("TypeError", "ERR_MISSING_ARGS", what, true)
end

local callable = R.iscallable

-- An accessor on a prototype (enumerable as WebIDL attributes are).
local function accessor(proto, name, get, set, enumerable)
  local d = {get = R.fn(get, "get " .. name, 0), enumerable = enumerable ~= false, configurable = true}
  if set then d.set = R.fn(set, "set " .. name, 1) end
  R.defprop(proto, name, d)
end

-- A method that for…in sees (WebIDL operations are enumerable).
local function emethod(proto, name, len, f)
  R.method(proto, name, len, f)
  R.addkey(proto, name)
  return f
end

---------------------------------------------------------------------------------------------
-- UTF-8

-- Decoding (a byte starting no well-formed sequence decodes as 0xDC00 + b, a lone surrogate)
-- and encoding are ljs.string's.
require("ljs.string")
local dec, utf8 = R.utf8_decode, R.utf8_encode

local REPLACEMENT = "\239\191\189"

-- The USVString of JS string s: well-formed UTF-8, surrogate halves joined, lone ones U+FFFD.
local function usv(s)
  if not sfind(s, "[\128-\255]") then return s end
  local out, n = {}, 0
  local i, len, start = 1, #s, 1
  while i <= len do
    local b = sbyte(s, i)
    if b < 0x80 then
      i = i + 1
    else
      local c, j = dec(s, i, b)
      if c >= 0xD800 and c <= 0xDFFF then
        n = n + 1; out[n] = ssub(s, start, i - 1)
        local done = false
        if c <= 0xDBFF and j == i + 3 and sbyte(s, j) == 0xED then
          local c2, j2 = dec(s, j, 0xED)
          if c2 >= 0xDC00 and c2 <= 0xDFFF and j2 == j + 3 then
            n = n + 1; out[n] = utf8(0x10000 + (c - 0xD800) * 1024 + (c2 - 0xDC00))
            j = j2
            done = true
          end
        end
        if not done then n = n + 1; out[n] = REPLACEMENT end
        start = j
      end
      i = j
    end
  end
  if n == 0 then return s end
  n = n + 1; out[n] = ssub(s, start)
  return concat(out)
end
R.to_usv = usv

-- WHATWG UTF-8 decode of byte string s: invalid sequences become U+FFFD (one per maximal
-- subpart). With `fatal` an invalid sequence returns nil. With `stream` an incomplete
-- sequence at the end is not decoded but returned as the second result.
local function utf8_decode(s, fatal, stream)
  if not sfind(s, "[\128-\255]") then return s, "" end
  local out, n = {}, 0
  local i, len, start = 1, #s, 1
  while i <= len do
    local b = sbyte(s, i)
    if b < 0x80 then
      i = i + 1
    else
      local need, lo, hi = 0, 0x80, 0xBF
      if b >= 0xC2 and b <= 0xDF then need = 1
      elseif b >= 0xE0 and b <= 0xEF then
        need = 2
        if b == 0xE0 then lo = 0xA0 elseif b == 0xED then hi = 0x9F end
      elseif b >= 0xF0 and b <= 0xF4 then
        need = 3
        if b == 0xF0 then lo = 0x90 elseif b == 0xF4 then hi = 0x8F end
      end
      local j = i + 1
      local ok = need > 0
      if ok then
        for _ = 1, need do
          local c = sbyte(s, j)
          if c == nil then
            if stream then
              n = n + 1; out[n] = ssub(s, start, i - 1)
              return concat(out), ssub(s, i)
            end
            ok = false
            break
          end
          if c < lo or c > hi then ok = false; break end
          lo, hi = 0x80, 0xBF
          j = j + 1
        end
      end
      if ok then
        i = j
      else
        if fatal then return nil end
        n = n + 1; out[n] = ssub(s, start, i - 1)
        n = n + 1; out[n] = REPLACEMENT
        i = j
        start = j
      end
    end
  end
  n = n + 1; out[n] = ssub(s, start)
  return concat(out), ""
end
R.utf8_decode = utf8_decode

-- Code points of well-formed UTF-8 string s as a list of one-character strings.
local function chars_of(s)
  local t, n = {}, 0
  local i, len = 1, #s
  while i <= len do
    local b = sbyte(s, i)
    local j = i + 1
    if b >= 0xF0 then j = i + 4 elseif b >= 0xE0 then j = i + 3 elseif b >= 0xC0 then j = i + 2 end
    n = n + 1
    t[n] = ssub(s, i, j - 1)
    i = j
  end
  return t, n
end

---------------------------------------------------------------------------------------------
-- Byte sources: ArrayBuffer, typed arrays, DataView

-- The bytes a BufferSource views as (pointer, length), or nil.
local function buffer_source(v)
  if type(v) ~= "table" then return nil end
  if R.is_arraybuffer and R.is_arraybuffer(v) then
    return R.arraybuffer_ptr(v), R.arraybuffer_len(v)
  end
  if R.typed_kind and R.typed_kind(v) then
    local info = getmetatable(v).tinfo
    return ffi.cast(u8ptr, v[R.TA_PTR]), v[R.TA_LEN] * info.size
  end
  local st = R.dataview_state and R.dataview_state(v)
  if st then return st.ptr, st.len end
  return nil
end

local function new_uint8(bytes)
  local n = #bytes
  local a = R.new(R.typed_ctors.Uint8Array, n)
  if n > 0 then ffi.copy(a[R.TA_PTR], bytes, n) end
  return a
end

---------------------------------------------------------------------------------------------
-- DOMException

local DOMExceptionPrototype = R.newobj(R.ErrorPrototype)
local dom_state = setmetatable({}, {__mode = "k"})
-- the legacy code of each name, and the constants (in code order) on DOMException and its prototype
local LEGACY_CODES = {
  IndexSizeError = 1, HierarchyRequestError = 3, WrongDocumentError = 4, InvalidCharacterError = 5,
  NoModificationAllowedError = 7, NotFoundError = 8, NotSupportedError = 9, InUseAttributeError = 10,
  InvalidStateError = 11, SyntaxError = 12, InvalidModificationError = 13, NamespaceError = 14,
  InvalidAccessError = 15, TypeMismatchError = 17, SecurityError = 18, NetworkError = 19, AbortError = 20,
  URLMismatchError = 21, QuotaExceededError = 22, TimeoutError = 23, InvalidNodeTypeError = 24, DataCloneError = 25,
}
local LEGACY_CONSTANTS = {
  "INDEX_SIZE_ERR", "DOMSTRING_SIZE_ERR", "HIERARCHY_REQUEST_ERR", "WRONG_DOCUMENT_ERR", "INVALID_CHARACTER_ERR",
  "NO_DATA_ALLOWED_ERR", "NO_MODIFICATION_ALLOWED_ERR", "NOT_FOUND_ERR", "NOT_SUPPORTED_ERR", "INUSE_ATTRIBUTE_ERR",
  "INVALID_STATE_ERR", "SYNTAX_ERR", "INVALID_MODIFICATION_ERR", "NAMESPACE_ERR", "INVALID_ACCESS_ERR",
  "VALIDATION_ERR", "TYPE_MISMATCH_ERR", "SECURITY_ERR", "NETWORK_ERR", "ABORT_ERR", "URL_MISMATCH_ERR",
  "QUOTA_EXCEEDED_ERR", "TIMEOUT_ERR", "INVALID_NODE_TYPE_ERR", "DATA_CLONE_ERR",
}

local function init_domexception(this, message, name, level)
  dom_state[this] = {message = message, name = name}
  local header = message ~= "" and (name .. ": " .. message) or name
  local st = R.stack_lines and R.stack_lines(level or 4) or ""
  R.set_error_stack(this, st ~= "" and (header .. "\n" .. st) or header)
  return this
end

local function DOMException(this, message, options)
  if not R.constructing(this, DOMExceptionPrototype) then
    type_error("Class constructor DOMException cannot be invoked without 'new'")
  end
  message = message == nil and "" or tostr(message)
  local name = "Error"
  if options ~= nil then
    if isobject(options) then
      local n = options.name
      if n ~= nil then name = tostr(n) end
      if R.has(options, "cause") then
        R.defprop(this, "cause", {value = options.cause, writable = true, enumerable = false, configurable = true})
      end
    else
      name = tostr(options)
    end
  end
  return init_domexception(this, message, name)
end
R.ctor("DOMException", 0, DOMException, DOMExceptionPrototype)
R.tag(DOMExceptionPrototype, "DOMException")

local function dom_check(this, what)
  local st = type(this) == "table" and dom_state[this]
  if not st then type_error("Value of \"this\" must be of type DOMException") end
  return st
end
accessor(DOMExceptionPrototype, "name", function(this) return dom_check(this).name end)
accessor(DOMExceptionPrototype, "message", function(this) return dom_check(this).message end)
accessor(DOMExceptionPrototype, "code", function(this) return LEGACY_CODES[dom_check(this).name] or 0 end)
for code, const in ipairs(LEGACY_CONSTANTS) do
  R.defprop(DOMException, const, {value = code, writable = false, enumerable = true, configurable = false})
  R.defprop(DOMExceptionPrototype, const, {value = code, writable = false, enumerable = true, configurable = false})
end

local function dom_throw(message, name)
  local e = setmetatable({}, R.protomt(DOMExceptionPrototype))
  init_domexception(e, message, name, 4)
  R.throw(e)
end
R.dom_throw = dom_throw

---------------------------------------------------------------------------------------------
-- atob / btoa

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local B64VAL = {}
for i = 1, 64 do B64VAL[sbyte(B64, i)] = i - 1 end

local function base64_encode(s)
  local out, n = {}, 0
  local len = #s
  for i = 1, len - 2, 3 do
    local a, b, c = sbyte(s, i, i + 2)
    local v = a * 65536 + b * 256 + c
    n = n + 1
    out[n] = schar(sbyte(B64, rshift(v, 18) + 1), sbyte(B64, band(rshift(v, 12), 63) + 1),
                   sbyte(B64, band(rshift(v, 6), 63) + 1), sbyte(B64, band(v, 63) + 1))
  end
  local rem = len % 3
  if rem == 1 then
    local a = sbyte(s, len)
    n = n + 1
    out[n] = schar(sbyte(B64, rshift(a, 2) + 1), sbyte(B64, band(a, 3) * 16 + 1)) .. "=="
  elseif rem == 2 then
    local a, b = sbyte(s, len - 1, len)
    local v = a * 256 + b
    n = n + 1
    out[n] = schar(sbyte(B64, rshift(v, 10) + 1), sbyte(B64, band(rshift(v, 4), 63) + 1),
                   sbyte(B64, band(v, 15) * 4 + 1)) .. "="
  end
  return concat(out)
end

-- Base64 text (already validated) to bytes; whitespace and '=' are skipped.
local function base64_decode(s)
  local out, n = {}, 0
  local acc, bits = 0, 0
  for i = 1, #s do
    local v = B64VAL[sbyte(s, i)]
    if v then
      acc = band(lshift(acc, 6), 0xFFFFFF) + v
      bits = bits + 6
      if bits >= 8 then
        bits = bits - 8
        n = n + 1
        out[n] = schar(band(rshift(acc, bits), 255))
      end
    end
  end
  return concat(out)
end

R.method(G, "btoa", 1, function(_, ...)
  if select("#", ...) == 0 then missing_args('The "input" argument must be specified') end
  local s = tostr((...))
  if sfind(s, "[\128-\255]") then
    -- Latin-1 characters become single bytes; anything above U+00FF is an error
    local units, n = R.utf16(s)
    local bytes = {}
    for i = 0, n - 1 do
      local u = units[i]
      if u > 0xFF then dom_throw("Invalid character", "InvalidCharacterError") end
      bytes[i + 1] = schar(u)
    end
    s = concat(bytes)
  end
  return (base64_encode(s))
end)

-- the forgiving-base64 checks, as node 20's atob makes them
local B64WS = {[0x09] = true, [0x0A] = true, [0x0C] = true, [0x0D] = true, [0x20] = true}
R.method(G, "atob", 1, function(_, ...)
  if select("#", ...) == 0 then missing_args('The "input" argument must be specified') end
  local s = tostr((...))
  local count, equals = 0, 0
  for i = 1, #s do
    local b = sbyte(s, i)
    if B64WS[b] then
      -- whitespace: skipped
    elseif b == 61 then   -- '='
      count = count + 1
      equals = equals + 1
      if equals > 2 then dom_throw("Invalid character", "InvalidCharacterError") end
    elseif B64VAL[b] then
      count = count + 1
      if equals > 0 then dom_throw("Invalid character", "InvalidCharacterError") end
    else
      dom_throw("Invalid character", "InvalidCharacterError")
    end
  end
  local rem = count % 4
  if rem == 0 then
    rem = (count - equals) % 4
  elseif equals > 0 then
    dom_throw("Invalid character", "InvalidCharacterError")
  end
  if rem == 1 then dom_throw("The string to be decoded is not correctly encoded.", "InvalidCharacterError") end
  local bytes = base64_decode(s)
  if not sfind(bytes, "[\128-\255]") then return bytes end
  -- a binary string: each byte is the character with that code
  return (sgsub(bytes, "[\128-\255]", function(c) return utf8(sbyte(c)) end))
end)

---------------------------------------------------------------------------------------------
-- TextEncoder

local TextEncoderPrototype = R.newobj()
local encoders = setmetatable({}, {__mode = "k"})

local function TextEncoder(this)
  if not R.constructing(this, TextEncoderPrototype) then
    type_error("Class constructor TextEncoder cannot be invoked without 'new'")
  end
  encoders[this] = true
  return this
end
R.ctor("TextEncoder", 0, TextEncoder, TextEncoderPrototype)
R.tag(TextEncoderPrototype, "TextEncoder")

local function encoder_check(this)
  if not (type(this) == "table" and encoders[this]) then
    node_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type TextEncoder', true)
  end
end

accessor(TextEncoderPrototype, "encoding", function(this) encoder_check(this); return "utf-8" end)

emethod(TextEncoderPrototype, "encode", 0, function(this, input)
  encoder_check(this)
  local s = input == nil and "" or usv(tostr(input))
  return (new_uint8(s))
end)

emethod(TextEncoderPrototype, "encodeInto", 2, function(this, src, dest)
  encoder_check(this)
  local s = usv(tostr(src))
  if not (R.typed_kind and R.typed_kind(dest) == "Uint8Array") then
    local what
    if dest == nil then what = "undefined"
    elseif dest == null then what = "null"
    elseif isobject(dest) then
      local c = dest.constructor
      local name = callable(c) and c.name or nil
      what = name and name ~= "" and ("an instance of " .. tostr(name)) or R.inspect and R.inspect(dest) or "an object"
    else
      what = "type " .. R.typeof(dest) .. " (" .. (R.inspect and R.inspect(dest) or tostr(dest)) .. ")"
    end
    node_error("TypeError", "ERR_INVALID_ARG_TYPE", 'The "dest" argument must be an instance of Uint8Array. Received ' .. what, true)
  end
  local room, p = dest[R.TA_LEN], dest[R.TA_PTR]
  local read, written = 0, 0
  local i, len = 1, #s
  while i <= len do
    local b = sbyte(s, i)
    local k = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or 2
    if written + k > room then break end
    for j = 0, k - 1 do p[written + j] = sbyte(s, i + j) end
    written = written + k
    read = read + (k == 4 and 2 or 1)
    i = i + k
  end
  return (plain({"read", read, "written", written}))
end)

rawset(TextEncoderPrototype, sym_custom, R.arrow(function(this, depth, opts)
  if not (type(this) == "table" and encoders[this]) then return this end
  if type(depth) == "number" and depth < 0 then return this end
  return inspect(plain({"encoding", "utf-8"}), opts)
end, "[nodejs.util.inspect.custom]", 2))

---------------------------------------------------------------------------------------------
-- TextDecoder: utf-8, plus utf-16le and windows-1252 (latin1)

local TextDecoderPrototype = R.newobj()
local decoders = setmetatable({}, {__mode = "k"})

local LABELS = {}
for _, l in ipairs({"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"}) do
  LABELS[l] = "utf-8"
end
for _, l in ipairs({"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"}) do
  LABELS[l] = "utf-16le"
end
for _, l in ipairs({"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                    "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                    "us-ascii", "windows-1252", "x-cp1252"}) do
  LABELS[l] = "windows-1252"
end


local function TextDecoder(this, label, options)
  if not R.constructing(this, TextDecoderPrototype) then
    type_error("Class constructor TextDecoder cannot be invoked without 'new'")
  end
  local enc = "utf-8"
  if label ~= nil then
    local l = tostr(label)
    local key = slower((sgsub(sgsub(l, "^[\t\n\f\r ]+", ""), "[\t\n\f\r ]+$", "")))
    enc = LABELS[key]
    if not enc then
      node_error("RangeError", "ERR_ENCODING_NOT_SUPPORTED", 'The "' .. l .. '" encoding is not supported', true)
    end
  end
  local fatal, ignoreBOM = false, false
  if options ~= nil and options ~= null then
    if not isobject(options) then
      node_error("TypeError", "ERR_INVALID_ARG_TYPE", 'The "options" argument must be of type object. Received ' ..
        "type " .. R.typeof(options) .. " (" .. inspect(options) .. ")", true)
    end
    fatal = truthy(options.fatal)
    ignoreBOM = truthy(options.ignoreBOM)
  end
  decoders[this] = {encoding = enc, fatal = fatal, ignoreBOM = ignoreBOM, pending = "", bomseen = false}
  return this
end
R.ctor("TextDecoder", 0, TextDecoder, TextDecoderPrototype)
R.tag(TextDecoderPrototype, "TextDecoder")

local function decoder_check(this)
  local st = type(this) == "table" and decoders[this]
  if not st then node_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type TextDecoder', true) end
  return st
end

local function invalid_data(enc)
  node_error("TypeError", "ERR_ENCODING_INVALID_ENCODED_DATA", "The encoded data was not valid for encoding " .. enc)
end

emethod(TextDecoderPrototype, "decode", 0, function(this, input, options)
  local st = decoder_check(this)
  local bytes = ""
  if input ~= nil then
    local p, n = buffer_source(input)
    if not p then
      node_error("TypeError", "ERR_INVALID_ARG_TYPE",
        'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.')
    end
    bytes = n > 0 and ffi.string(p, n) or ""
  end
  local stream = false
  if options ~= nil and options ~= null and isobject(options) then stream = truthy(options.stream) end
  if st.pending ~= "" then bytes = st.pending .. bytes; st.pending = "" end
  local enc = st.encoding
  local out
  if enc == "utf-8" then
    local rest
    out, rest = utf8_decode(bytes, st.fatal, stream)
    if out == nil then st.bomseen = false; invalid_data(enc) end
    st.pending = rest
    if not st.bomseen and not st.ignoreBOM then
      if ssub(out, 1, 3) == "\239\187\191" then out = ssub(out, 4) end
    end
  elseif enc == "utf-16le" then
    local n = #bytes
    if stream and n % 2 == 1 then st.pending = ssub(bytes, n); bytes = ssub(bytes, 1, n - 1); n = n - 1 end
    local units, m = {}, 0
    for i = 1, n - 1, 2 do
      local a, b = sbyte(bytes, i, i + 1)
      units[m] = a + b * 256
      m = m + 1
    end
    -- a trailing odd byte, or (when not streaming) a dangling high surrogate, is U+FFFD
    local odd = n % 2 == 1
    if stream and m > 0 and units[m - 1] >= 0xD800 and units[m - 1] <= 0xDBFF then
      st.pending = ssub(bytes, n - 1, n) .. st.pending
      m = m - 1
    end
    local parts, k = {}, 0
    local i = 0
    while i < m do
      local u = units[i]
      if u >= 0xD800 and u <= 0xDBFF and i + 1 < m and units[i + 1] >= 0xDC00 and units[i + 1] <= 0xDFFF then
        k = k + 1; parts[k] = utf8(0x10000 + (u - 0xD800) * 1024 + (units[i + 1] - 0xDC00))
        i = i + 2
      else
        local emit = true
        if u >= 0xD800 and u <= 0xDFFF then
          if st.fatal then invalid_data(enc) end
          u = 0xFFFD
          -- a lead surrogate left pending at the end shares the odd byte's error
          if odd and i == m - 1 and units[i] <= 0xDBFF then emit = false end
        end
        if emit then k = k + 1; parts[k] = utf8(u) end
        i = i + 1
      end
    end
    if odd then
      if st.fatal then invalid_data(enc) end
      k = k + 1; parts[k] = REPLACEMENT
    end
    out = concat(parts)
    if not st.bomseen and not st.ignoreBOM then
      if ssub(out, 1, 3) == "\239\187\191" then out = ssub(out, 4) end
    end
  else
    -- node 20 decodes these labels as ISO-8859-1: every byte is the code point of its value
    out = sgsub(bytes, "[\128-\255]", function(c) return utf8(sbyte(c)) end)
  end
  if out ~= "" then st.bomseen = true end
  if not stream then st.bomseen = false; st.pending = "" end
  return out
end)

accessor(TextDecoderPrototype, "encoding", function(this) return decoder_check(this).encoding end)
accessor(TextDecoderPrototype, "fatal", function(this) return decoder_check(this).fatal end)
accessor(TextDecoderPrototype, "ignoreBOM", function(this) return decoder_check(this).ignoreBOM end)

rawset(TextDecoderPrototype, sym_custom, R.arrow(function(this, depth, opts)
  local st = type(this) == "table" and decoders[this]
  if not st then return this end
  if type(depth) == "number" and depth < 0 then return this end
  local c = this.constructor
  local name = callable(c) and c.name or "TextDecoder"
  return tostr(name) .. " " .. inspect(plain({"encoding", st.encoding, "fatal", st.fatal, "ignoreBOM", st.ignoreBOM}))
end, "[nodejs.util.inspect.custom]", 2))

---------------------------------------------------------------------------------------------
-- structuredClone

local ERROR_NAMES = {Error = true, EvalError = true, RangeError = true, ReferenceError = true,
                     SyntaxError = true, TypeError = true, URIError = true}

local function clone_error(what)
  dom_throw(what .. " could not be cloned.", "DataCloneError")
end

local function describe_uncloneable(v)
  if type(v) == "function" then
    local ok, s = pcall(function() return R.FunctionPrototype.toString(v) end)
    return ok and type(s) == "string" and s or "function"
  end
  if getmetatable(v) == R.SymbolMT then return R.tostr(R.G.String(nil, v)) end
  local name = "Object"
  local ok, c = pcall(function() return v.constructor end)
  if ok and callable(c) then
    local n = c.name
    if type(n) == "string" and n ~= "" then name = n end
  end
  return "#<" .. name .. ">"
end

local clone

local function clone_object(v, memo)
  local t = type(v)
  if t ~= "table" and t ~= "function" then return v end
  if v == null then return v end
  local done = memo[v]
  if done ~= nil then return done end
  if t == "function" then clone_error(describe_uncloneable(v)) end
  local mt = getmetatable(v)
  if mt == R.SymbolMT then clone_error(describe_uncloneable(v)) end
  if mt == R.BOX or mt == R.BigIntMT then return v end   -- (BigInts are immutable values)

  -- typed arrays, DataViews and buffers: a buffer is copied once, views of it share the copy
  if R.is_arraybuffer and R.is_arraybuffer(v) then
    local n = R.arraybuffer_len(v)
    local b = R.new_arraybuffer(n)
    if n > 0 then ffi.copy(R.arraybuffer_ptr(b), R.arraybuffer_ptr(v), n) end
    memo[v] = b
    return b
  end
  local tk = R.typed_kind and R.typed_kind(v)
  if tk then
    local buf = clone_object(v[R.TA_BUF], memo)
    local c = R.new(rawget(G, tk), buf, v[R.TA_OFF], v[R.TA_LEN])
    memo[v] = c
    return c
  end
  local dv = R.dataview_state and R.dataview_state(v)
  if dv then
    local buf = clone_object(dv.buf, memo)
    local c = R.new(R.DataView, buf, dv.off, dv.len)
    memo[v] = c
    return c
  end

  if R.isarray(v) then
    local len = rawget(v, "length") or tonumber(v.length) or 0
    local c = setmetatable({length = len}, R.ArrayMT)
    memo[v] = c
    local keys, n = R.ownkeys(v)
    local present = 0
    for i = 1, n do
      local k = keys[i]
      local val = clone(R.get(v, k), memo)
      if type(k) == "number" then
        rawset(c, k, val)
        present = present + 1
      else
        R.put(c, k, val)
      end
    end
    if present < len and R.is_hole then
      for i = 0, len - 1 do
        if R.is_hole(v, i) then rawset(c, R.HOLES, true); break end
      end
    end
    return c
  end

  local ck = R.coll_kind and R.coll_kind(v)
  if ck == "Map" or ck == "Set" then
    local c = R.new(R.builtin_global(ck))
    memo[v] = c
    local undef = R.coll_undefined
    local pairs_list, n = {}, 0
    for k, val in R.coll_each(v) do
      if k == undef then k = nil end
      if val == undef then val = nil end
      n = n + 1
      pairs_list[n] = {k, val}
    end
    local add = ck == "Map" and c.set or c.add
    for i = 1, n do
      local k = clone(pairs_list[i][1], memo)
      if ck == "Map" then add(c, k, clone(pairs_list[i][2], memo)) else add(c, k) end
    end
    return c
  end
  if ck then clone_error(describe_uncloneable(v)) end
  if R.promise_state and R.promise_state(v) ~= nil then clone_error(describe_uncloneable(v)) end
  if mt == R.GenMT then clone_error("[object Generator]") end
  if R.proxy_target and R.proxy_target(v) ~= nil then clone_error("#<Object>") end

  if R.isregexp and R.isregexp(v) then
    local c = R.new(R.builtin_global("RegExp"), v.source, v.flags)
    memo[v] = c
    return c
  end
  if R.boxed_value then
    local prim = R.boxed_value(v)
    if prim ~= nil then
      local ctor = type(prim) == "number" and "Number" or type(prim) == "string" and "String" or
                   type(prim) == "boolean" and "Boolean" or nil
      if not ctor then clone_error(describe_uncloneable(v)) end
      local c = R.new(rawget(G, ctor), prim)
      memo[v] = c
      return c
    end
  end
  local tv = R.date_value and R.date_value(v)
  if tv ~= nil then
    local c = R.new_date(tv)
    memo[v] = c
    return c
  end

  if R.is_error and R.is_error(v) and not dom_state[v] then
    local name = v.name
    name = type(name) == "string" and ERROR_NAMES[name] and name or "Error"
    local md = R.getdesc(v, "message")
    local c
    if md and not md.accessor then c = R.new(rawget(G, name), tostr(md.value)) else c = R.new(rawget(G, name)) end
    memo[v] = c
    local stack = v.stack
    if type(stack) == "string" then R.set_error_stack(c, stack) end
    if R.hasown(v, "cause") then
      R.defprop(c, "cause", {value = clone(v.cause, memo), writable = true, enumerable = false, configurable = true})
    end
    return c
  end

  -- any other object: its own enumerable string-keyed properties, on a plain object
  local c = R.newobj()
  memo[v] = c
  local keys, n = R.ownkeys(v)
  for i = 1, n do
    local k = keys[i]
    R.put(c, k, clone(R.get(v, k), memo))
  end
  return c
end

clone = function(v, memo)
  local t = type(v)
  if t ~= "table" and t ~= "function" then return v end
  return clone_object(v, memo)
end

R.method(G, "structuredClone", 0, function(_, ...)
  if select("#", ...) == 0 then missing_args('The value argument must be specified') end
  local v, options = ...
  if options ~= nil and options ~= null and not isobject(options) then
    node_error("TypeError", "ERR_INVALID_ARG_TYPE", 'The "options" argument must be of type object.', true)
  end
  return (clone(v, {}))
end)
R.structured_clone = function(v) return clone(v, {}) end

---------------------------------------------------------------------------------------------
-- Percent-encoding (URL Standard §1.3)

-- A set is a Lua pattern class, so building one costs nothing at start-up (as tables of
-- bytes the sets and their encoders took a third of every start's millisecond in this module).
local function make_set(base, extra)
  return ssub(base, 1, -2) .. sgsub(extra, "%p", "%%%0") .. "]"
end

local C0_SET = "[%z\1-\31\127-\255]"
local FRAGMENT_SET = make_set(C0_SET, ' "<>`')
local QUERY_SET = make_set(C0_SET, ' "#<>')
local SPECIAL_QUERY_SET = make_set(QUERY_SET, "'")
local PATH_SET = make_set(QUERY_SET, "?`{}")
local USERINFO_SET = make_set(PATH_SET, "/:;=@[\\]|")
local COMPONENT_SET = make_set(USERINFO_SET, "$%&+,")
local FORM_SET = make_set(COMPONENT_SET, "!'()~")

-- the encoded form of every byte, looked up by gsub
local PCT = {}
for b = 0, 255 do PCT[schar(b)] = sformat("%%%02X", b) end

-- Percent-encode well-formed UTF-8 string s with `set` (every non-ASCII byte is in every set).
local function pct_encode(s, set)
  if #s == 1 then return sfind(s, set) and PCT[s] or s end
  return (sgsub(s, set, PCT))
end

local HEXVAL = {}
for i = 0, 9 do HEXVAL[48 + i] = i end
for i = 0, 5 do HEXVAL[65 + i] = 10 + i; HEXVAL[97 + i] = 10 + i end

local function pct_decode(s)
  if not sfind(s, "%", 1, true) then return s end
  return (sgsub(s, "%%(%x%x)", function(h) return schar(tonumber(h, 16)) end))
end

-- application/x-www-form-urlencoded
local FORM_ENC = setmetatable({[" "] = "+"}, {__index = PCT})

local function form_encode(s)
  return (sgsub(usv(s), FORM_SET, FORM_ENC))
end

local function form_decode(s)
  s = sgsub(s, "%+", " ")
  return (utf8_decode(pct_decode(s)))
end

local function form_parse(s)
  local list, n = {}, 0
  for seq in string.gmatch(s, "[^&]+") do
    local eq = sfind(seq, "=", 1, true)
    local name, value
    if eq then name, value = ssub(seq, 1, eq - 1), ssub(seq, eq + 1) else name, value = seq, "" end
    n = n + 1
    list[n] = {form_decode(name), form_decode(value)}
  end
  return list, n
end

local function form_serialize(list, n)
  local out = {}
  for i = 1, n do
    out[i] = form_encode(list[i][1]) .. "=" .. form_encode(list[i][2])
  end
  return concat(out, "&")
end

---------------------------------------------------------------------------------------------
-- Hosts (URL Standard §3)

local ALPHA, DIGIT, ALNUM_SCHEME = {}, {}, {}
for b = 65, 90 do ALPHA[schar(b)] = true; ALPHA[schar(b + 32)] = true end
for b = 48, 57 do DIGIT[schar(b)] = true end
for k in pairs(ALPHA) do ALNUM_SCHEME[k] = true end
for k in pairs(DIGIT) do ALNUM_SCHEME[k] = true end
ALNUM_SCHEME["+"], ALNUM_SCHEME["-"], ALNUM_SCHEME["."] = true, true, true
local function is_alpha(c) return ALPHA[c or ""] == true end
local function is_digit(c) return DIGIT[c or ""] == true end
local function is_hex(c) return c ~= nil and HEXVAL[sbyte(c)] ~= nil and #c == 1 end

-- Punycode (RFC 3492) encoding of a list of code points.
local function punycode_encode(cps)
  local base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
  local n, delta, bias = 128, 0, 72
  local out = {}
  local function digit(d) return schar(d < 26 and 97 + d or 22 + d) end
  local function adapt(d, numpoints, first)
    d = first and floor(d / damp) or floor(d / 2)
    d = d + floor(d / numpoints)
    local k = 0
    while d > floor(((base - tmin) * tmax) / 2) do
      d = floor(d / (base - tmin))
      k = k + base
    end
    return k + floor(((base - tmin + 1) * d) / (d + skew))
  end
  local b = 0
  for _, c in ipairs(cps) do
    if c < 0x80 then out[#out + 1] = schar(c); b = b + 1 end
  end
  local h = b
  if b > 0 then out[#out + 1] = "-" end
  local total = #cps
  while h < total do
    local m = math.huge
    for _, c in ipairs(cps) do if c >= n and c < m then m = c end end
    delta = delta + (m - n) * (h + 1)
    n = m
    for _, c in ipairs(cps) do
      if c < n then delta = delta + 1 end
      if c == n then
        local q = delta
        local k = base
        while true do
          local t = k <= bias and tmin or (k >= bias + tmax and tmax or k - bias)
          if q < t then break end
          out[#out + 1] = digit(t + (q - t) % (base - t))
          q = floor((q - t) / (base - t))
          k = k + base
        end
        out[#out + 1] = digit(q)
        bias = adapt(delta, h + 1, h == b)
        delta = 0
        h = h + 1
      end
    end
    delta = delta + 1
    n = n + 1
  end
  return concat(out)
end

-- Punycode decoding (RFC 3492): the label's code points, or nil when malformed or when a decoded
-- code point is a surrogate or past U+10FFFF. `strict` (validating "xn--" labels) also refuses
-- labels that decode to nothing but ASCII or to a C1 control.
local function punycode_decode(s, strict)
  local base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
  local out, last = {}, 0
  for p = #s, 1, -1 do if sbyte(s, p) == 45 then last = p; break end end
  for p = 1, last - 1 do
    local c = sbyte(s, p)
    if c >= 0x80 then return nil end
    out[p] = c
  end
  local p = last + 1
  local n, i, bias, inserted = 128, 0, 72, false
  while p <= #s do
    local oldi, w, k = i, 1, base
    while true do
      if p > #s then return nil end
      local c = sbyte(s, p)
      p = p + 1
      local d
      if c >= 48 and c <= 57 then d = c - 22 elseif c >= 65 and c <= 90 then d = c - 65
      elseif c >= 97 and c <= 122 then d = c - 97 else return nil end
      i = i + d * w
      local t = k <= bias and tmin or (k >= bias + tmax and tmax or k - bias)
      if d < t then break end
      w = w * (base - t)
      k = k + base
    end
    local count = #out + 1
    local delta = oldi == 0 and floor((i - oldi) / damp) or floor((i - oldi) / 2)
    delta = delta + floor(delta / count)
    local kk = 0
    while delta > floor(((base - tmin) * tmax) / 2) do delta = floor(delta / (base - tmin)); kk = kk + base end
    bias = kk + floor(((base - tmin + 1) * delta) / (delta + skew))
    n = n + floor(i / count)
    i = i % count
    if n > 0x10FFFF or (n >= 0xD800 and n <= 0xDFFF) or (strict and n < 0xA0) then return nil end
    table.insert(out, i + 1, n)
    inserted = true
    i = i + 1
  end
  if strict and not inserted then return nil end
  return out
end
R.punycode_decode = punycode_decode

local function punycode_valid(s) return punycode_decode(s, true) ~= nil end

local FORBIDDEN_HOST = {}
for _, b in ipairs({0x00, 0x09, 0x0A, 0x0D, 0x20, 0x23, 0x2F, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x7C}) do
  FORBIDDEN_HOST[b] = true
end
local FORBIDDEN_DOMAIN = {}
for k in pairs(FORBIDDEN_HOST) do FORBIDDEN_DOMAIN[k] = true end
for b = 0, 0x1F do FORBIDDEN_DOMAIN[b] = true end
FORBIDDEN_DOMAIN[0x25] = true
FORBIDDEN_DOMAIN[0x7F] = true

-- UTS #46 ToASCII, simplified: case folding through String.prototype.toLowerCase, the
-- ideographic and fullwidth full stops, fullwidth ASCII, default-ignorable characters
-- removed, and Punycode for the labels that are not ASCII.
local IGNORED = {[0xAD] = true, [0x200B] = true, [0x2060] = true, [0xFEFF] = true, [0x34F] = true,
                 [0x180B] = true, [0x180C] = true, [0x180D] = true, [0x200C] = false, [0x200D] = false}
local function domain_to_ascii(domain)
  if not sfind(domain, "[\128-\255]") then
    domain = slower(domain)
  else
    local lower = R.StringPrototype and rawget(R.StringPrototype, "toLowerCase")
    if lower then domain = lower(domain) end
    local cps, n = {}, 0
    local i, len = 1, #domain
    while i <= len do
      local b = sbyte(domain, i)
      local c, j
      if b < 0x80 then c, j = b, i + 1 else c, j = dec(domain, i, b) end
      if c == 0x3002 or c == 0xFF0E or c == 0xFF61 then c = 0x2E
      elseif c >= 0xFF01 and c <= 0xFF5E then
        c = c - 0xFF01 + 0x21
        if c >= 0x41 and c <= 0x5A then c = c + 32 end
      end
      if not IGNORED[c] then n = n + 1; cps[n] = c end
      i = j
    end
    local labels, cur = {}, {}
    for k = 1, n do
      local c = cps[k]
      if c == 0x2E then labels[#labels + 1] = cur; cur = {} else cur[#cur + 1] = c end
    end
    labels[#labels + 1] = cur
    local parts = {}
    for k, lab in ipairs(labels) do
      local ascii = true
      for _, c in ipairs(lab) do if c >= 0x80 then ascii = false; break end end
      if ascii then
        local t = {}
        for m, c in ipairs(lab) do t[m] = schar(c) end
        parts[k] = concat(t)
      else
        parts[k] = "xn--" .. punycode_encode(lab)
      end
    end
    domain = concat(parts, ".")
  end
  for label in string.gmatch(domain .. ".", "([^.]*)%.") do
    if ssub(label, 1, 4) == "xn--" and not punycode_valid(ssub(label, 5)) then return nil end
  end
  if domain == "" then return nil end
  return domain
end

-- IPv4 number parser: value, or nil on failure
local function ipv4_number(s)
  if s == "" then return nil end
  local radix = 10
  if ssub(s, 1, 2) == "0x" or ssub(s, 1, 2) == "0X" then
    radix = 16; s = ssub(s, 3)
  elseif #s >= 2 and ssub(s, 1, 1) == "0" then
    radix = 8; s = ssub(s, 2)
  end
  if s == "" then return 0 end
  local pat = radix == 10 and "^%d+$" or radix == 16 and "^%x+$" or "^[0-7]+$"
  if not sfind(s, pat) then return nil end
  local v = 0
  for i = 1, #s do
    v = v * radix + HEXVAL[sbyte(s, i)]
    if v > 1e15 then v = 1e15 end   -- far beyond any valid part; keeps the arithmetic exact
  end
  return v
end

local function split_dots(s)
  local parts = {}
  for p in string.gmatch(s .. ".", "([^.]*)%.") do parts[#parts + 1] = p end
  return parts
end

local function ends_in_number(s)
  local parts = split_dots(s)
  if parts[#parts] == "" then
    if #parts == 1 then return false end
    parts[#parts] = nil
  end
  local last = parts[#parts]
  if last ~= "" and sfind(last, "^%d+$") then return true end
  return ipv4_number(last) ~= nil
end

local function ipv4_parse(s)
  local parts = split_dots(s)
  if parts[#parts] == "" and #parts > 1 then parts[#parts] = nil end
  if #parts > 4 then return nil end
  local nums = {}
  for i, p in ipairs(parts) do
    local v = ipv4_number(p)
    if v == nil then return nil end
    nums[i] = v
  end
  for i = 1, #nums - 1 do if nums[i] > 255 then return nil end end
  if nums[#nums] >= 256 ^ (5 - #nums) then return nil end
  local ip = nums[#nums]
  for i = 1, #nums - 1 do ip = ip + nums[i] * 256 ^ (4 - i) end
  local out = {}
  for i = 4, 1, -1 do
    out[i] = tostring(ip % 256)
    ip = floor(ip / 256)
  end
  return concat(out, ".")
end

-- IPv6 parse and serialise; nil on failure
local function ipv6_parse(s)
  local chars, n = chars_of(s)
  local addr = {0, 0, 0, 0, 0, 0, 0, 0}
  local piece, compress = 1, nil
  local p = 1
  local c = chars[p]
  if c == ":" then
    if chars[p + 1] ~= ":" then return nil end
    p = p + 2
    piece = piece + 1
    compress = piece
  end
  while chars[p] ~= nil do
    if piece == 9 then return nil end
    if chars[p] == ":" then
      if compress then return nil end
      p = p + 1
      piece = piece + 1
      compress = piece
    else
      local value, length = 0, 0
      while length < 4 and is_hex(chars[p]) do
        value = value * 16 + HEXVAL[sbyte(chars[p])]
        p = p + 1
        length = length + 1
      end
      if chars[p] == "." then
        if length == 0 then return nil end
        p = p - length
        if piece > 7 then return nil end
        local seen = 0
        while chars[p] ~= nil do
          local v4 = nil
          if seen > 0 then
            if chars[p] == "." and seen < 4 then p = p + 1 else return nil end
          end
          if not is_digit(chars[p]) then return nil end
          while is_digit(chars[p]) do
            local d = tonumber(chars[p])
            if v4 == nil then v4 = d elseif v4 == 0 then return nil else v4 = v4 * 10 + d end
            if v4 > 255 then return nil end
            p = p + 1
          end
          addr[piece] = addr[piece] * 256 + v4
          seen = seen + 1
          if seen == 2 or seen == 4 then piece = piece + 1 end
        end
        if seen ~= 4 then return nil end
        break
      elseif chars[p] == ":" then
        p = p + 1
        if chars[p] == nil then return nil end
      elseif chars[p] ~= nil then
        return nil
      end
      addr[piece] = value
      piece = piece + 1
    end
  end
  if compress then
    local swaps = piece - compress
    piece = 8
    while piece ~= 1 and swaps > 0 do
      local other = compress + swaps - 1
      addr[piece], addr[other] = addr[other], addr[piece]
      piece = piece - 1
      swaps = swaps - 1
    end
  elseif piece ~= 9 then
    return nil
  end
  -- serialise: the first longest run of two or more zero pieces becomes "::"
  local best, bestlen = nil, 1
  local i = 1
  while i <= 8 do
    if addr[i] == 0 then
      local j = i
      while j <= 8 and addr[j] == 0 do j = j + 1 end
      if j - i > bestlen then best, bestlen = i, j - i end
      i = j
    else
      i = i + 1
    end
  end
  local out = {"["}
  local ignore0 = false
  for k = 1, 8 do
    if not (ignore0 and addr[k] == 0) then
      ignore0 = false
      if best == k then
        out[#out + 1] = k == 1 and "::" or ":"
        ignore0 = true
      else
        out[#out + 1] = sformat("%x", addr[k])
        if k ~= 8 then out[#out + 1] = ":" end
      end
    end
  end
  out[#out + 1] = "]"
  return concat(out)
end

local function opaque_host_parse(s)
  for i = 1, #s do
    local b = sbyte(s, i)
    if FORBIDDEN_HOST[b] and b ~= 0x25 then return nil end
  end
  return pct_encode(s, C0_SET)
end

-- The serialised host, or nil for failure.
local function host_parse(s, not_special)
  if ssub(s, 1, 1) == "[" then
    if ssub(s, -1) ~= "]" then return nil end
    return ipv6_parse(ssub(s, 2, -2))
  end
  if not_special then return opaque_host_parse(s) end
  local domain = utf8_decode(pct_decode(s))
  local ascii = domain_to_ascii(domain)
  if not ascii then return nil end
  for i = 1, #ascii do
    if FORBIDDEN_DOMAIN[sbyte(ascii, i)] then return nil end
  end
  if ends_in_number(ascii) then return ipv4_parse(ascii) end
  return ascii
end

---------------------------------------------------------------------------------------------
-- The basic URL parser (URL Standard §4.4), over a list of code points (one-character strings)

local SPECIAL = {ftp = 21, file = false, http = 80, https = 443, ws = 80, wss = 443}

local function is_special(rec) return SPECIAL[rec.scheme] ~= nil end
local function default_port(scheme) return SPECIAL[scheme] or nil end

local function is_drive(a, b) return is_alpha(a) and (b == ":" or b == "|") end
local function is_normalized_drive(s) return #s == 2 and is_alpha(ssub(s, 1, 1)) and ssub(s, 2, 2) == ":" end
local function starts_with_drive(chars, p, n)
  if n - p + 1 < 2 then return false end
  if not is_drive(chars[p], chars[p + 1]) then return false end
  if n - p + 1 == 2 then return true end
  local c = chars[p + 2]
  return c == "/" or c == "\\" or c == "?" or c == "#"
end

local function shorten_path(rec)
  local path = rec.path
  if rec.scheme == "file" and #path == 1 and is_normalized_drive(path[1]) then return end
  path[#path] = nil
end

local SINGLE_DOT = {["."] = true, ["%2e"] = true}
local DOUBLE_DOT = {[".."] = true, [".%2e"] = true, ["%2e."] = true, ["%2e%2e"] = true}

local function copy_path(p)
  if type(p) == "string" then return p end
  local t = {}
  for i = 1, #p do t[i] = p[i] end
  return t
end

local function new_record()
  return {scheme = "", username = "", password = "", host = nil, port = nil, path = {}, query = nil, fragment = nil}
end

local function includes_credentials(rec) return rec.username ~= "" or rec.password ~= "" end

local S_SCHEME_START, S_SCHEME, S_NO_SCHEME, S_SPECIAL_RELATIVE_OR_AUTHORITY, S_PATH_OR_AUTHORITY,
      S_RELATIVE, S_RELATIVE_SLASH, S_SPECIAL_AUTHORITY_SLASHES, S_SPECIAL_AUTHORITY_IGNORE_SLASHES,
      S_AUTHORITY, S_HOST, S_HOSTNAME, S_PORT, S_FILE, S_FILE_SLASH, S_FILE_HOST, S_PATH_START, S_PATH,
      S_OPAQUE_PATH, S_QUERY, S_FRAGMENT = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21

-- Parse string `input` (a USVString) against `base` (a record or nil). With `url` and
-- `override`, modify url in place as a setter does. Returns the record, or nil on failure.
local function basic_parse(input, base, url, override)
  if not url then
    url = new_record()
    input = sgsub(sgsub(input, "^[%z\1- ]+", ""), "[%z\1- ]+$", "")
  end
  input = sgsub(input, "[\t\n\r]", "")
  local chars, n = chars_of(input)
  local state = override or S_SCHEME_START
  local buffer = {}
  local at_seen, inside_brackets, password_seen = false, false, false
  local p = 1

  local function buf_str() return concat(buffer) end
  local function buf_clear() buffer = {} end
  local function remaining_starts(s) return chars[p + 1] == s end

  while true do
    local c = chars[p]
    if state == S_SCHEME_START then
      if is_alpha(c) then
        buffer[#buffer + 1] = slower(c)
        state = S_SCHEME
      elseif not override then
        state = S_NO_SCHEME
        p = p - 1
      else
        return nil
      end
    elseif state == S_SCHEME then
      if ALNUM_SCHEME[c or ""] then
        buffer[#buffer + 1] = slower(c)
      elseif c == ":" then
        local b = buf_str()
        if override then
          local url_special, buf_special = is_special(url), SPECIAL[b] ~= nil
          if url_special ~= buf_special then return url end
          if (includes_credentials(url) or url.port ~= nil) and b == "file" then return url end
          if url.scheme == "file" and url.host == "" then return url end
        end
        url.scheme = b
        if override then
          if url.port ~= nil and url.port == default_port(url.scheme) then url.port = nil end
          return url
        end
        buf_clear()
        if url.scheme == "file" then
          state = S_FILE
        elseif is_special(url) and base and base.scheme == url.scheme then
          state = S_SPECIAL_RELATIVE_OR_AUTHORITY
        elseif is_special(url) then
          state = S_SPECIAL_AUTHORITY_SLASHES
        elseif remaining_starts("/") then
          state = S_PATH_OR_AUTHORITY
          p = p + 1
        else
          url.path = ""
          state = S_OPAQUE_PATH
        end
      elseif not override then
        buf_clear()
        state = S_NO_SCHEME
        p = 0
      else
        return nil
      end
    elseif state == S_NO_SCHEME then
      if base == nil or (type(base.path) == "string" and c ~= "#") then
        return nil
      elseif type(base.path) == "string" and c == "#" then
        url.scheme = base.scheme
        url.path = base.path
        url.query = base.query
        url.fragment = ""
        state = S_FRAGMENT
      elseif base.scheme ~= "file" then
        state = S_RELATIVE
        p = p - 1
      else
        state = S_FILE
        p = p - 1
      end
    elseif state == S_SPECIAL_RELATIVE_OR_AUTHORITY then
      if c == "/" and remaining_starts("/") then
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES
        p = p + 1
      else
        state = S_RELATIVE
        p = p - 1
      end
    elseif state == S_PATH_OR_AUTHORITY then
      if c == "/" then
        state = S_AUTHORITY
      else
        state = S_PATH
        p = p - 1
      end
    elseif state == S_RELATIVE then
      url.scheme = base.scheme
      if c == "/" then
        state = S_RELATIVE_SLASH
      elseif is_special(url) and c == "\\" then
        state = S_RELATIVE_SLASH
      else
        url.username, url.password, url.host, url.port = base.username, base.password, base.host, base.port
        url.path = copy_path(base.path)
        url.query = base.query
        if c == "?" then
          url.query = ""
          state = S_QUERY
        elseif c == "#" then
          url.fragment = ""
          state = S_FRAGMENT
        elseif c ~= nil then
          url.query = nil
          shorten_path(url)
          state = S_PATH
          p = p - 1
        end
      end
    elseif state == S_RELATIVE_SLASH then
      if is_special(url) and (c == "/" or c == "\\") then
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES
      elseif c == "/" then
        state = S_AUTHORITY
      else
        url.username, url.password, url.host, url.port = base.username, base.password, base.host, base.port
        state = S_PATH
        p = p - 1
      end
    elseif state == S_SPECIAL_AUTHORITY_SLASHES then
      if c == "/" and remaining_starts("/") then
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES
        p = p + 1
      else
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES
        p = p - 1
      end
    elseif state == S_SPECIAL_AUTHORITY_IGNORE_SLASHES then
      if c ~= "/" and c ~= "\\" then
        state = S_AUTHORITY
        p = p - 1
      end
    elseif state == S_AUTHORITY then
      if c == "@" then
        if at_seen then table.insert(buffer, 1, "%40") end
        at_seen = true
        local user, pass = {}, {}
        for _, cp in ipairs(buffer) do
          if cp == ":" and not password_seen then
            password_seen = true
          else
            local enc = pct_encode(cp, USERINFO_SET)
            if password_seen then pass[#pass + 1] = enc else user[#user + 1] = enc end
          end
        end
        url.username = url.username .. concat(user)
        url.password = url.password .. concat(pass)
        buf_clear()
      elseif c == nil or c == "/" or c == "?" or c == "#" or (is_special(url) and c == "\\") then
        if at_seen and #buffer == 0 then return nil end
        p = p - (#buffer + 1)
        buf_clear()
        state = S_HOST
      else
        buffer[#buffer + 1] = c
      end
    elseif state == S_HOST or state == S_HOSTNAME then
      if override and url.scheme == "file" then
        p = p - 1
        state = S_FILE_HOST
      elseif c == ":" and not inside_brackets then
        if #buffer == 0 then return nil end
        if override == S_HOSTNAME then return nil end
        local host = host_parse(buf_str(), not is_special(url))
        if host == nil then return nil end
        url.host = host
        buf_clear()
        state = S_PORT
      elseif c == nil or c == "/" or c == "?" or c == "#" or (is_special(url) and c == "\\") then
        p = p - 1
        if is_special(url) and #buffer == 0 then return nil end
        if override and #buffer == 0 and (includes_credentials(url) or url.port ~= nil) then return nil end
        local host = host_parse(buf_str(), not is_special(url))
        if host == nil then return nil end
        url.host = host
        buf_clear()
        state = S_PATH_START
        if override then return url end
      else
        if c == "[" then inside_brackets = true end
        if c == "]" then inside_brackets = false end
        buffer[#buffer + 1] = c
      end
    elseif state == S_PORT then
      if is_digit(c) then
        buffer[#buffer + 1] = c
      elseif c == nil or c == "/" or c == "?" or c == "#" or (is_special(url) and c == "\\") or override then
        if #buffer > 0 then
          local port = tonumber(buf_str())
          if port > 65535 then return nil end
          if port == default_port(url.scheme) then url.port = nil else url.port = port end
          buf_clear()
        end
        if override then return url end
        state = S_PATH_START
        p = p - 1
      else
        return nil
      end
    elseif state == S_FILE then
      url.scheme = "file"
      url.host = ""
      if c == "/" or c == "\\" then
        state = S_FILE_SLASH
      elseif base and base.scheme == "file" then
        url.host = base.host
        url.path = copy_path(base.path)
        url.query = base.query
        if c == "?" then
          url.query = ""
          state = S_QUERY
        elseif c == "#" then
          url.fragment = ""
          state = S_FRAGMENT
        elseif c ~= nil then
          url.query = nil
          if not starts_with_drive(chars, p, n) then
            shorten_path(url)
          else
            url.path = {}
          end
          state = S_PATH
          p = p - 1
        end
      else
        state = S_PATH
        p = p - 1
      end
    elseif state == S_FILE_SLASH then
      if c == "/" or c == "\\" then
        state = S_FILE_HOST
      else
        if base and base.scheme == "file" then
          url.host = base.host
          if not starts_with_drive(chars, p, n) and type(base.path) == "table" and base.path[1] and
             is_normalized_drive(base.path[1]) then
            url.path[#url.path + 1] = base.path[1]
          end
        end
        state = S_PATH
        p = p - 1
      end
    elseif state == S_FILE_HOST then
      if c == nil or c == "/" or c == "\\" or c == "?" or c == "#" then
        p = p - 1
        if not override and #buffer == 2 and is_drive(buffer[1], buffer[2]) then
          state = S_PATH
        elseif #buffer == 0 then
          url.host = ""
          if override then return url end
          state = S_PATH_START
        else
          local host = host_parse(buf_str(), not is_special(url))
          if host == nil then return nil end
          if host == "localhost" then host = "" end
          url.host = host
          if override then return url end
          buf_clear()
          state = S_PATH_START
        end
      else
        buffer[#buffer + 1] = c
      end
    elseif state == S_PATH_START then
      if is_special(url) then
        state = S_PATH
        if c ~= "/" and c ~= "\\" then p = p - 1 end
      elseif not override and c == "?" then
        url.query = ""
        state = S_QUERY
      elseif not override and c == "#" then
        url.fragment = ""
        state = S_FRAGMENT
      elseif c ~= nil then
        state = S_PATH
        if c ~= "/" then p = p - 1 end
      elseif override and url.host == nil then
        url.path[#url.path + 1] = ""
      end
    elseif state == S_PATH then
      local slash = c == "/" or (is_special(url) and c == "\\")
      if c == nil or slash or (not override and (c == "?" or c == "#")) then
        local b = buf_str()
        local lb = slower(b)
        if DOUBLE_DOT[lb] then
          shorten_path(url)
          if not slash then url.path[#url.path + 1] = "" end
        elseif SINGLE_DOT[lb] and not slash then
          url.path[#url.path + 1] = ""
        elseif not SINGLE_DOT[lb] then
          if url.scheme == "file" and #url.path == 0 and #buffer == 2 and is_drive(buffer[1], buffer[2]) then
            b = buffer[1] .. ":"
          end
          url.path[#url.path + 1] = b
        end
        buf_clear()
        if c == "?" then
          url.query = ""
          state = S_QUERY
        elseif c == "#" then
          url.fragment = ""
          state = S_FRAGMENT
        end
      else
        buffer[#buffer + 1] = pct_encode(c, PATH_SET)
      end
    elseif state == S_OPAQUE_PATH then
      if c == "?" then
        url.query = ""
        state = S_QUERY
      elseif c == "#" then
        url.fragment = ""
        state = S_FRAGMENT
      elseif c ~= nil then
        url.path = url.path .. pct_encode(c, C0_SET)
      end
    elseif state == S_QUERY then
      if (not override and c == "#") or c == nil then
        local set = is_special(url) and SPECIAL_QUERY_SET or QUERY_SET
        url.query = (url.query or "") .. pct_encode(buf_str(), set)
        buf_clear()
        if c == "#" then
          url.fragment = ""
          state = S_FRAGMENT
        end
      else
        buffer[#buffer + 1] = c
      end
    elseif state == S_FRAGMENT then
      if c ~= nil then
        url.fragment = url.fragment .. pct_encode(c, FRAGMENT_SET)
      end
    end
    if p > n then break end
    p = p + 1
  end
  return url
end

local function serialize_path(rec)
  local path = rec.path
  if type(path) == "string" then return path end
  local out = {}
  for i = 1, #path do out[i] = "/" .. path[i] end
  return concat(out)
end

local function serialize(rec, exclude_fragment)
  local out = {rec.scheme, ":"}
  if rec.host ~= nil then
    out[#out + 1] = "//"
    if includes_credentials(rec) then
      out[#out + 1] = rec.username
      if rec.password ~= "" then out[#out + 1] = ":" .. rec.password end
      out[#out + 1] = "@"
    end
    out[#out + 1] = rec.host
    if rec.port ~= nil then out[#out + 1] = ":" .. tostring(rec.port) end
  elseif type(rec.path) == "table" and #rec.path > 1 and rec.path[1] == "" then
    out[#out + 1] = "/."
  end
  out[#out + 1] = serialize_path(rec)
  if rec.query ~= nil then out[#out + 1] = "?" .. rec.query end
  if not exclude_fragment and rec.fragment ~= nil then out[#out + 1] = "#" .. rec.fragment end
  return concat(out)
end

local function origin_of(rec)
  local s = rec.scheme
  if s == "blob" then
    local inner = basic_parse(serialize_path(rec), nil)
    if inner and (inner.scheme == "http" or inner.scheme == "https") then return origin_of(inner) end
    return "null"
  end
  if s == "ftp" or s == "http" or s == "https" or s == "ws" or s == "wss" then
    local o = s .. "://" .. rec.host
    if rec.port ~= nil then o = o .. ":" .. tostring(rec.port) end
    return o
  end
  return "null"
end

---------------------------------------------------------------------------------------------
-- URLSearchParams

local URLSearchParamsPrototype = R.newobj()
local params_state = setmetatable({}, {__mode = "k"})   -- object -> {list, n, url}

local function params_check(this)
  local st = type(this) == "table" and params_state[this]
  if not st then node_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type URLSearchParams', true) end
  return st
end

-- After a change: the owning URL's query follows the list.
local function params_update(st)
  local u = st.url
  if not u then return end
  local s = form_serialize(st.list, st.n)
  u.rec.query = s ~= "" and s or nil
end

local function invalid_tuple()
  node_error("TypeError", "ERR_INVALID_TUPLE", "Each query pair must be an iterable [name, value] tuple", true)
end

local function URLSearchParams(this, init)
  if not R.constructing(this, URLSearchParamsPrototype) then
    type_error("Class constructor URLSearchParams cannot be invoked without 'new'")
  end
  local st = {list = {}, n = 0, url = nil}
  params_state[this] = st
  if init == nil or init == null then
    -- empty
  elseif isobject(init) then
    local m = init[R.sym_iterator]
    if m ~= nil and m ~= null then
      if not callable(m) then
        node_error("TypeError", "ERR_ARG_NOT_ITERABLE", "Query pairs must be iterable", true)
      end
      for _, pair in R.iter(init) do
        if not isobject(pair) then invalid_tuple() end
        local pm = pair[R.sym_iterator]
        if pm == nil or pm == null or not callable(pm) then invalid_tuple() end
        local vals, k = {}, 0
        for _, v in R.iter(pair) do k = k + 1; vals[k] = v end
        if k ~= 2 then invalid_tuple() end
        st.n = st.n + 1
        st.list[st.n] = {usv(tostr(vals[1])), usv(tostr(vals[2]))}
      end
    else
      local keys, n = R.ownkeys(init)
      for i = 1, n do
        local k = keys[i]
        local v = R.get(init, k)
        st.n = st.n + 1
        st.list[st.n] = {usv(tostr(k)), usv(tostr(v))}
      end
    end
  else
    local s = usv(tostr(init))
    if ssub(s, 1, 1) == "?" then s = ssub(s, 2) end
    st.list, st.n = form_parse(s)
  end
  return this
end
R.ctor("URLSearchParams", 0, URLSearchParams, URLSearchParamsPrototype)
R.tag(URLSearchParamsPrototype, "URLSearchParams")

local function new_params(list, n, urlstate)
  local o = setmetatable({}, R.protomt(URLSearchParamsPrototype))
  params_state[o] = {list = list, n = n, url = urlstate}
  return o
end

accessor(URLSearchParamsPrototype, "size", function(this) return params_check(this).n end)

local function need(count, names, ...)
  if select("#", ...) < count then missing_args(names) end
end

emethod(URLSearchParamsPrototype, "append", 2, function(this, ...)
  local st = params_check(this)
  need(2, 'The "name" and "value" arguments must be specified', ...)
  local name, value = ...
  st.n = st.n + 1
  st.list[st.n] = {usv(tostr(name)), usv(tostr(value))}
  params_update(st)
  return nil
end)

emethod(URLSearchParamsPrototype, "delete", 1, function(this, ...)
  local st = params_check(this)
  need(1, 'The "name" argument must be specified', ...)
  local name, value = ...
  name = usv(tostr(name))
  if value ~= nil then value = usv(tostr(value)) end
  local list, w = st.list, 0
  for i = 1, st.n do
    local e = list[i]
    if not (e[1] == name and (value == nil or e[2] == value)) then
      w = w + 1
      list[w] = e
    end
  end
  for i = w + 1, st.n do list[i] = nil end
  st.n = w
  params_update(st)
  return nil
end)

emethod(URLSearchParamsPrototype, "get", 1, function(this, ...)
  local st = params_check(this)
  need(1, 'The "name" argument must be specified', ...)
  local name = usv(tostr((...)))
  for i = 1, st.n do
    local e = st.list[i]
    if e[1] == name then return e[2] end
  end
  return null
end)

emethod(URLSearchParamsPrototype, "getAll", 1, function(this, ...)
  local st = params_check(this)
  need(1, 'The "name" argument must be specified', ...)
  local name = usv(tostr((...)))
  local out = R.pack()
  local k = 0
  for i = 1, st.n do
    local e = st.list[i]
    if e[1] == name then rawset(out, k, e[2]); k = k + 1 end
  end
  rawset(out, "length", k)
  return out
end)

emethod(URLSearchParamsPrototype, "has", 1, function(this, ...)
  local st = params_check(this)
  need(1, 'The "name" argument must be specified', ...)
  local name, value = ...
  name = usv(tostr(name))
  if value ~= nil then value = usv(tostr(value)) end
  for i = 1, st.n do
    local e = st.list[i]
    if e[1] == name and (value == nil or e[2] == value) then return true end
  end
  return false
end)

emethod(URLSearchParamsPrototype, "set", 2, function(this, ...)
  local st = params_check(this)
  need(2, 'The "name" and "value" arguments must be specified', ...)
  local name, value = ...
  name, value = usv(tostr(name)), usv(tostr(value))
  local list, w, found = st.list, 0, false
  for i = 1, st.n do
    local e = list[i]
    if e[1] == name then
      if not found then
        found = true
        e[2] = value
        w = w + 1
        list[w] = e
      end
    else
      w = w + 1
      list[w] = e
    end
  end
  for i = w + 1, st.n do list[i] = nil end
  st.n = w
  if not found then
    st.n = st.n + 1
    list[st.n] = {name, value}
  end
  params_update(st)
  return nil
end)

emethod(URLSearchParamsPrototype, "sort", 0, function(this)
  local st = params_check(this)
  local list = st.list
  for i = 1, st.n do list[i][3] = i end
  table.sort(list, function(a, b)
    local c = R.strcmp(a[1], b[1])
    if c ~= 0 then return c < 0 end
    return a[3] < b[3]
  end)
  for i = 1, st.n do list[i][3] = nil end
  params_update(st)
  return nil
end)

-- Iterators: live over the list, like node's (an index into it).
local ITER_KEYS, ITER_VALUES, ITER_ENTRIES = 1, 2, 3
local ParamsIteratorPrototype = R.newobj(R.IteratorPrototype)
R.tag(ParamsIteratorPrototype, "URLSearchParams Iterator")
local ParamsIterMT = R.protomt(ParamsIteratorPrototype)
local iter_state = setmetatable({}, {__mode = "k"})

local function iter_item(st, i, kind)
  local e = st.list[i]
  if kind == ITER_KEYS then return e[1] end
  if kind == ITER_VALUES then return e[2] end
  return R.pack(e[1], e[2])
end

R.method(ParamsIteratorPrototype, "next", 0, function(this)
  local it = type(this) == "table" and iter_state[this]
  if not it then node_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type URLSearchParamsIterator', true) end
  local st = it.st
  if it.index >= st.n then return R.iter_result(nil, true) end
  it.index = it.index + 1
  return R.iter_result(iter_item(st, it.index, it.kind), false)
end)

local function iter_step(it, i)
  local st = it.st
  if it.index >= st.n then return nil end
  it.index = it.index + 1
  return i + 1, iter_item(st, it.index, it.kind)
end

local self_iter = R.method(ParamsIteratorPrototype, R.sym_iterator, 0, function(this) return this end)
local function protocol_step(obj, i)
  local r = obj.next(obj)
  if not isobject(r) then type_error("Iterator result " .. tostr(r) .. " is not an object") end
  if truthy(r.done) then return nil end
  return i + 1, r.value
end
R.fast_iter[self_iter] = function(obj)
  local it = iter_state[obj]
  if it then return iter_step, it, 0 end
  return protocol_step, obj, 0   -- an object merely inheriting from the prototype
end

rawset(ParamsIteratorPrototype, sym_custom, R.arrow(function(this, depth, opts)
  local it = type(this) == "table" and iter_state[this]
  if not it then return this end
  if type(depth) == "number" and depth < 0 then return "[Object]" end
  local inner = R.newobj()
  if isobject(opts) then for _, k in ipairs((R.ownkeys(opts))) do R.put(inner, k, opts[k]) end end
  if type(depth) == "number" then R.put(inner, "depth", depth - 1) end
  local items = R.pack()
  for i = it.index + 1, it.st.n do
    R.ArrayPrototype.push(items, iter_item(it.st, i, it.kind))
  end
  local strs = {}
  for i = 0, rawget(items, "length") - 1 do strs[#strs + 1] = inspect(items[i], inner) end
  local body
  if sfind(inspect(items, inner), "\n", 1, true) then
    body = "\n  " .. concat(strs, ",\n  ")
  else
    body = " " .. concat(strs, ", ")
  end
  return "URLSearchParams Iterator {" .. body .. " }"
end, "[nodejs.util.inspect.custom]", 2))

local function make_iter(this, kind)
  local st = params_check(this)
  local o = setmetatable({}, ParamsIterMT)
  iter_state[o] = {st = st, index = 0, kind = kind}
  return o
end

local function iter_method(name, kind)
  local f = emethod(URLSearchParamsPrototype, name, 0, function(this) return make_iter(this, kind) end)
  R.fast_iter[f] = function(obj)
    return iter_step, {st = params_check(obj), index = 0, kind = kind}, 0
  end
  return f
end
local entries = iter_method("entries", ITER_ENTRIES)

emethod(URLSearchParamsPrototype, "forEach", 1, function(this, cb, thisArg)
  local st = params_check(this)
  if not callable(cb) then
    node_error("TypeError", "ERR_INVALID_ARG_TYPE", 'The "callback" argument must be of type function. Received ' ..
      (cb == nil and "undefined" or inspect(cb)), true)
  end
  local i = 1
  while i <= st.n do
    local e = st.list[i]
    cb(thisArg, e[2], e[1], this)
    i = i + 1
  end
  return nil
end)
iter_method("keys", ITER_KEYS)
iter_method("values", ITER_VALUES)

emethod(URLSearchParamsPrototype, "toString", 0, function(this)
  local st = params_check(this)
  return (form_serialize(st.list, st.n))
end)
rawset(URLSearchParamsPrototype, R.sym_iterator, entries)

rawset(URLSearchParamsPrototype, sym_custom, R.arrow(function(this, depth, opts)
  local st = type(this) == "table" and params_state[this]
  if not st then return this end
  if type(depth) == "number" and depth < 0 then return "[Object]" end
  local inner = R.newobj()
  if isobject(opts) then for _, k in ipairs((R.ownkeys(opts))) do R.put(inner, k, opts[k]) end end
  if type(depth) == "number" then R.put(inner, "depth", depth - 1) end
  local output, length = {}, -2
  for i = 1, st.n do
    local e = st.list[i]
    local s = inspect(e[1], inner) .. " => " .. inspect(e[2], inner)
    output[i] = s
    length = length + R.strlen(s) + 2
  end
  local c = this.constructor
  local name = callable(c) and tostr(c.name) or "URLSearchParams"
  local breakLength = isobject(opts) and tonumber(opts.breakLength) or 80
  if length > breakLength then
    return name .. " {\n  " .. concat(output, ",\n  ") .. " }"
  elseif #output > 0 then
    return name .. " { " .. concat(output, ", ") .. " }"
  end
  return name .. " {}"
end, "[nodejs.util.inspect.custom]", 2))

---------------------------------------------------------------------------------------------
-- URL

local URLPrototype = R.newobj()
local url_state = setmetatable({}, {__mode = "k"})   -- object -> {rec, params}

local function url_check(this)
  local st = type(this) == "table" and url_state[this]
  if not st then node_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type URL', true) end
  return st
end

local function invalid_url(input, base)
  node_error("TypeError", "ERR_INVALID_URL", "Invalid URL", false, {"input", input, "base", base})
end

-- the URL's query as the searchParams list
local function sync_params(st)
  local ps = params_state[st.params]
  if st.rec.query then ps.list, ps.n = form_parse(st.rec.query) else ps.list, ps.n = {}, 0 end
end

local function URL(this, ...)
  if not R.constructing(this, URLPrototype) then
    type_error("Class constructor URL cannot be invoked without 'new'")
  end
  if select("#", ...) == 0 then missing_args('The "url" argument must be specified') end
  local input, base = ...
  input = usv(tostr(input))
  local baserec
  if base ~= nil then
    base = usv(tostr(base))
    baserec = basic_parse(base, nil)
    if not baserec then invalid_url(input, base) end
  end
  local rec = basic_parse(input, baserec)
  if not rec then invalid_url(input, base) end
  local st = {rec = rec}
  url_state[this] = st
  st.params = new_params({}, 0, st)
  sync_params(st)
  return this
end
R.ctor("URL", 1, URL, URLPrototype)
R.tag(URLPrototype, "URL")

R.method(URL, "canParse", 1, function(_, ...)
  if select("#", ...) == 0 then missing_args('The "url" argument must be specified') end
  local input, base = ...
  input = usv(tostr(input))
  local baserec
  if base ~= nil then
    baserec = basic_parse(usv(tostr(base)), nil)
    if not baserec then return false end
  end
  return basic_parse(input, baserec) ~= nil
end)

emethod(URLPrototype, "toString", 0, function(this) return serialize(url_check(this).rec) end)

local function href_set(this, v)
  local st = url_check(this)
  local s = usv(tostr(v))
  local rec = basic_parse(s, nil)
  if not rec then invalid_url(s) end
  st.rec = rec
  sync_params(st)
end
accessor(URLPrototype, "href", function(this) return serialize(url_check(this).rec) end, href_set)
accessor(URLPrototype, "origin", function(this) return origin_of(url_check(this).rec) end)

-- A setter that runs the parser with a state override on a copy; a failure leaves the URL as
-- it was.
local function override_set(st, input, state)
  local rec = st.rec
  local copy = {}
  for k, v in pairs(rec) do copy[k] = v end
  copy.path = copy_path(rec.path)
  local r = basic_parse(input, nil, copy, state)
  if r then st.rec = copy end
end

accessor(URLPrototype, "protocol", function(this) return url_check(this).rec.scheme .. ":" end, function(this, v)
  local st = url_check(this)
  override_set(st, usv(tostr(v)) .. ":", S_SCHEME_START)
end)

local function cannot_have_credentials(rec)
  return rec.host == nil or rec.host == "" or rec.scheme == "file"
end

accessor(URLPrototype, "username", function(this) return url_check(this).rec.username end, function(this, v)
  local st = url_check(this)
  if cannot_have_credentials(st.rec) then return end
  st.rec.username = pct_encode(usv(tostr(v)), USERINFO_SET)
end)
accessor(URLPrototype, "password", function(this) return url_check(this).rec.password end, function(this, v)
  local st = url_check(this)
  if cannot_have_credentials(st.rec) then return end
  st.rec.password = pct_encode(usv(tostr(v)), USERINFO_SET)
end)

accessor(URLPrototype, "host", function(this)
  local rec = url_check(this).rec
  if rec.host == nil then return "" end
  if rec.port == nil then return rec.host end
  return rec.host .. ":" .. tostring(rec.port)
end, function(this, v)
  local st = url_check(this)
  if type(st.rec.path) == "string" then return end
  override_set(st, usv(tostr(v)), S_HOST)
end)
accessor(URLPrototype, "hostname", function(this) return url_check(this).rec.host or "" end, function(this, v)
  local st = url_check(this)
  if type(st.rec.path) == "string" then return end
  override_set(st, usv(tostr(v)), S_HOSTNAME)
end)
accessor(URLPrototype, "port", function(this)
  local p = url_check(this).rec.port
  return p == nil and "" or tostring(p)
end, function(this, v)
  local st = url_check(this)
  if cannot_have_credentials(st.rec) then return end
  local s = usv(tostr(v))
  if s == "" then st.rec.port = nil else override_set(st, s, S_PORT) end
end)
accessor(URLPrototype, "pathname", function(this) return serialize_path(url_check(this).rec) end, function(this, v)
  local st = url_check(this)
  if type(st.rec.path) == "string" then return end
  local rec = st.rec
  local copy = {}
  for k, val in pairs(rec) do copy[k] = val end
  copy.path = {}
  if basic_parse(usv(tostr(v)), nil, copy, S_PATH_START) then st.rec = copy end
end)
accessor(URLPrototype, "search", function(this)
  local q = url_check(this).rec.query
  if q == nil or q == "" then return "" end
  return "?" .. q
end, function(this, v)
  local st = url_check(this)
  local s = usv(tostr(v))
  if s == "" then
    st.rec.query = nil
    sync_params(st)
    return
  end
  if ssub(s, 1, 1) == "?" then s = ssub(s, 2) end
  local rec = st.rec
  local copy = {}
  for k, val in pairs(rec) do copy[k] = val end
  copy.query = ""
  if basic_parse(s, nil, copy, S_QUERY) then st.rec = copy end
  sync_params(st)
end)
accessor(URLPrototype, "searchParams", function(this) return url_check(this).params end)
accessor(URLPrototype, "hash", function(this)
  local f = url_check(this).rec.fragment
  if f == nil or f == "" then return "" end
  return "#" .. f
end, function(this, v)
  local st = url_check(this)
  local s = usv(tostr(v))
  if s == "" then st.rec.fragment = nil; return end
  if ssub(s, 1, 1) == "#" then s = ssub(s, 2) end
  local rec = st.rec
  local copy = {}
  for k, val in pairs(rec) do copy[k] = val end
  copy.fragment = ""
  if basic_parse(s, nil, copy, S_FRAGMENT) then st.rec = copy end
end)
emethod(URLPrototype, "toJSON", 0, function(this) return serialize(url_check(this).rec) end)

local URL_FIELDS = {"href", "origin", "protocol", "username", "password", "host", "hostname", "port",
                    "pathname", "search", "searchParams", "hash"}
rawset(URLPrototype, sym_custom, R.arrow(function(this, depth, opts)
  if not (type(this) == "table" and url_state[this]) then return this end
  if type(depth) == "number" and depth < 0 then return this end
  local kv = {}
  for i, k in ipairs(URL_FIELDS) do kv[2 * i - 1] = k; kv[2 * i] = this[k] end
  local c = this.constructor
  local name = callable(c) and tostr(c.name) or "URL"
  return name .. " " .. inspect(plain(kv, 2 * #URL_FIELDS), opts)
end, "[nodejs.util.inspect.custom]", 2))

-- URL internals for other modules (url.fileURLToPath and the like)
R.url_parse = function(s, base)
  local baserec = base and basic_parse(base, nil)
  return basic_parse(s, baserec)
end
R.url_serialize = serialize

return R
