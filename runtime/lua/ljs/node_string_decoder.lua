-- ljs.node_string_decoder: node's `string_decoder`. A character split across writes is held
-- back until its remaining bytes arrive; the state machine is node 20's src/string_decoder.cc
-- (DecodeData / FlushData), quirks included, so output splits exactly where node's do.
local R = require("ljs.core")
local B = require("ljs.node_buffer")
require("ljs.nodelib")

local type, rawget, rawset, setmetatable = type, rawget, rawset, setmetatable
local sbyte, ssub = string.byte, string.sub
local band = require("bit").band
local null = R.null
local N = R.nodelib

local M = {}
local state = setmetatable({}, {__mode = "k"})   -- decoder -> {enc, buffered (bytes), missing}

local function StringDecoder(this, encoding)
  if type(this) ~= "table" or state[this] then R.type_error("Class constructor StringDecoder cannot be invoked without 'new'") end
  local enc = B.normalize(encoding == nil and "utf8" or encoding)
  if encoding == nil then enc = "utf8" end
  if not enc then
    R.throw(N.coded_error("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " .. R.tostr(encoding)))
  end
  N.put(this, "encoding", enc)
  state[this] = {enc = enc, buf = "", missing = 0}
  return this
end
local proto = R.module_class("StringDecoder", 1, StringDecoder)

local function st_of(this)
  local st = state[this]
  if not st then R.throw(N.coded_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type StringDecoder')) end
  return st
end

local function make(bytes, enc) return B.decode(bytes, enc) end

-- DecodeData
local function decode(st, data)
  local enc = st.enc
  if enc ~= "utf8" and enc ~= "utf16le" and enc ~= "base64" and enc ~= "base64url" then
    return make(data, enc)
  end
  local prepend
  local n = #data
  if st.missing > 0 then
    if enc == "utf8" then
      -- a byte that should continue the held character but does not: the character ends here
      local i = 1
      while i <= n and i <= st.missing do
        if band(sbyte(data, i), 0xC0) ~= 0x80 then
          st.missing = 0
          st.buf = st.buf .. ssub(data, 1, i - 1)
          data = ssub(data, i)
          n = #data
          break
        end
        i = i + 1
      end
    end
    local found = n < st.missing and n or st.missing
    st.buf = st.buf .. ssub(data, 1, found)
    data = ssub(data, found + 1)
    n = #data
    st.missing = st.missing - found
    if st.missing == 0 then
      prepend = make(st.buf, enc)
      st.buf = ""
    end
  end
  if n == 0 then return prepend or "" end
  local held = 0
  if enc == "utf8" and band(sbyte(data, n), 0x80) ~= 0 then
    -- ends inside a character: find where it starts and how long it should be
    local i = n
    while true do
      held = held + 1
      local b = sbyte(data, i)
      if band(b, 0xC0) == 0x80 then
        if held >= 4 or i == 1 then held = 0; break end
      else
        local want
        if band(b, 0xE0) == 0xC0 then want = 2
        elseif band(b, 0xF0) == 0xE0 then want = 3
        elseif band(b, 0xF8) == 0xF0 then want = 4 end
        if not want then held = 0; break end
        if held >= want then want, held = 0, 0 end
        st.missing = want - held
        break
      end
      i = i - 1
    end
  elseif enc == "utf16le" then
    if n % 2 == 1 then
      held, st.missing = 1, 1
    elseif band(sbyte(data, n), 0xFC) == 0xD8 then
      held, st.missing = 2, 2   -- the first half of a surrogate pair
    end
  elseif enc == "base64" or enc == "base64url" then
    held = n % 3
    if held > 0 then st.missing = 3 - held end
  end
  if held > 0 then
    st.buf = ssub(data, n - held + 1)
    data = ssub(data, 1, n - held)
  end
  local body = #data > 0 and make(data, enc) or ""
  if prepend then return prepend .. body end
  return body
end

-- FlushData
local function flush(st)
  local buf = st.buf
  if st.enc == "utf16le" and #buf % 2 == 1 then buf = ssub(buf, 1, -2) end   -- a lone byte is dropped
  st.buf, st.missing = "", 0
  if buf == "" then return "" end
  return make(buf, st.enc)
end

local function write(this, buf)
  if type(buf) == "string" then return buf end
  local st = st_of(this)
  local ptr, n = B.byte_view(buf)
  if not ptr or R.is_arraybuffer(buf) then
    R.throw(N.invalid_arg_type("buf", {"Buffer", "TypedArray", "DataView"}, buf))
  end
  return decode(st, require("ffi").string(ptr, n))
end

R.method(proto, "write", 1, write)
R.method(proto, "end", 1, function(this, buf)
  local ret = ""
  if buf ~= nil then ret = write(this, buf) end
  local st = st_of(this)
  if #st.buf > 0 then ret = ret .. flush(st) end
  return ret
end)
R.method(proto, "text", 2, function(this, buf, offset)
  local st = st_of(this)
  st.buf, st.missing = "", 0
  return write(this, buf.slice(buf, offset))
end)

-- For runtime modules decoding a byte stream (ljs.node_stdin, ljs.node_readline): a decoder's
-- state for a canonical encoding name (ljs.node_buffer's normalize), its write on a Lua string
-- of bytes, and its end.
function M.new_state(enc) return {enc = enc, buf = "", missing = 0} end
function M.write_bytes(st, bytes) return decode(st, bytes) end
function M.finish(st)
  if #st.buf == 0 then return "" end
  return flush(st)
end

local exports = R.newobj()
N.put(exports, "StringDecoder", StringDecoder)
M.exports = exports
return M
