-- ljs.node_util_mime: node's util.MIMEType and util.MIMEParams, after the WHATWG MIME Sniffing
-- standard's parser and serializer, with node 20's errors (ERR_INVALID_MIME_SYNTAX, naming the
-- part and the UTF-16 offset of the first bad character). Strings are UTF-8 here: the delimiters
-- are ASCII, so byte searches find them, and only the character checks decode.
--
-- Differences from node: keys(), values() and entries() iterate a snapshot (node's are
-- generators over the live parameters).
local R = require("ljs.core")
require("ljs.nodelib")

local type, rawset, setmetatable = type, rawset, setmetatable
local sbyte, ssub, sfind, slower = string.byte, string.sub, string.find, string.lower
local null = R.null
local N = R.nodelib

local M = {}

-- instance -> its Lua state (weak: the state goes with the object)
local types_of = setmetatable({}, {__mode = "k"})
local params_of = setmetatable({}, {__mode = "k"})

---------------------------------------------------------------------------------------------
-- Characters

-- HTTP token code points: RFC 7230's tchar
local TOKEN = {}
for c = 48, 57 do TOKEN[c] = true end
for c = 65, 90 do TOKEN[c] = true; TOKEN[c + 32] = true end
for _, c in ipairs({33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126}) do TOKEN[c] = true end

local function is_ws(b) return b == 32 or b == 9 or b == 10 or b == 13 end

-- 0-based offset of the first byte that is no token code point, or nil (every non-ASCII byte
-- fails, so the bytes before it are ASCII and its byte offset is its UTF-16 offset)
local function bad_token_at(s)
  for i = 1, #s do
    if not TOKEN[sbyte(s, i)] then return i - 1 end
  end
  return nil
end

-- byte length of the UTF-8 sequence a lead byte starts
local function seq_len(b)
  if b < 0xC0 then return 1 elseif b < 0xE0 then return 2 elseif b < 0xF0 then return 3 end
  return 4
end

-- UTF-16 offset of the first character that is no HTTP quoted-string token code point (tab,
-- U+0020..U+007E, U+0080..U+00FF), or nil
local function bad_value_at(s)
  local i, unit = 1, 0
  while i <= #s do
    local b = sbyte(s, i)
    if b >= 0x80 then
      -- U+0080..U+00FF are the two-byte sequences led by C2 and C3
      if b ~= 0xC2 and b ~= 0xC3 then return unit end
      i = i + 2
    elseif b == 9 or (b >= 32 and b ~= 127) then
      i = i + 1
    else
      return unit
    end
    unit = unit + 1
  end
  return nil
end

local function syntax_error(part, s, at)
  N.throw_coded("TypeError", "ERR_INVALID_MIME_SYNTAX", "The MIME syntax for a " .. part .. ' in "' .. s ..
    '" is invalid' .. (at and (" at " .. at) or ""))
end

local function check_token(part, s)
  local at = bad_token_at(s)
  if s == "" or at then syntax_error(part, s, at) end
end

---------------------------------------------------------------------------------------------
-- Parameters: an ordered list of names and their values

local function new_params() return {names = {}, values = {}} end

local function params_set(p, name, value)
  if p.values[name] == nil then p.names[#p.names + 1] = name end
  p.values[name] = value
end

local function params_delete(p, name)
  if p.values[name] == nil then return end
  p.values[name] = nil
  for i, n in ipairs(p.names) do
    if n == name then table.remove(p.names, i); break end
  end
end

-- a value as the serializer writes it: bare when it is a non-empty token, else quoted
local function serialize_value(v)
  if v ~= "" and not bad_token_at(v) then return v end
  local out, n = {'"'}, 1
  for i = 1, #v do
    local c = ssub(v, i, i)
    if c == '"' or c == "\\" then n = n + 1; out[n] = "\\" end
    n = n + 1; out[n] = c
  end
  out[n + 1] = '"'
  return table.concat(out)
end

local function serialize_params(p)
  local out = {}
  for i, name in ipairs(p.names) do out[i] = name .. "=" .. serialize_value(p.values[name]) end
  return table.concat(out, ";")
end

---------------------------------------------------------------------------------------------
-- The parser

-- an HTTP quoted string from the '"' at pos: its value (escapes resolved, an unterminated one
-- taken as it is) and the position after it
local function quoted_string(s, pos)
  local len, out, n = #s, {}, 0
  pos = pos + 1
  while true do
    local stop = sfind(s, '["\\]', pos)
    if not stop then n = n + 1; out[n] = ssub(s, pos); pos = len + 1; break end
    n = n + 1; out[n] = ssub(s, pos, stop - 1)
    pos = stop + 1
    if sbyte(s, stop) == 34 then break end
    if pos > len then n = n + 1; out[n] = "\\"; break end
    -- a backslash takes the whole character after it
    local k = seq_len(sbyte(s, pos))
    n = n + 1; out[n] = ssub(s, pos, pos + k - 1)
    pos = pos + k
  end
  return table.concat(out, "", 1, n), pos
end

-- the parameters from the ';' at pos on: a bad or repeated one is dropped, not an error
local function parse_params(s, pos, p)
  local len = #s
  while pos <= len do
    pos = pos + 1
    while pos <= len and is_ws(sbyte(s, pos)) do pos = pos + 1 end
    local stop = sfind(s, "[;=]", pos) or len + 1
    local name = slower(ssub(s, pos, stop - 1))
    pos = stop
    local value
    if pos <= len and sbyte(s, pos) == 59 then
      -- "name;" has no value
    else
      pos = pos + 1
      if pos > len then break end
      if sbyte(s, pos) == 34 then
        -- node goes on from the character after the closing quote as if it were the ';' (the
        -- standard skips to the next ';'): `a="v" b=c` has two parameters
        value, pos = quoted_string(s, pos)
      else
        local vend = sfind(s, ";", pos, true) or len + 1
        local last = vend - 1
        while last >= pos and is_ws(sbyte(s, last)) do last = last - 1 end
        value = ssub(s, pos, last)
        pos = vend
        if value == "" then value = nil end
      end
      if value and name ~= "" and not bad_token_at(name) and not bad_value_at(value) and p.values[name] == nil then
        params_set(p, name, value)
      end
    end
  end
end

local function parse(input)
  local len = #input
  local first, last = 1, len
  while first <= last and is_ws(sbyte(input, first)) do first = first + 1 end
  while last >= first and is_ws(sbyte(input, last)) do last = last - 1 end
  local s = ssub(input, first, last)
  local slash = sfind(s, "/", 1, true)
  -- (without a slash node checks the type up to the untrimmed end: trailing blanks are bad)
  local typ = slash and ssub(s, 1, slash - 1) or ssub(input, first)
  local at = bad_token_at(typ)
  if typ == "" or at or not slash then syntax_error("type", input, at) end
  local semi = sfind(s, ";", slash + 1, true)
  local sub_end = (semi or #s + 1) - 1
  while sub_end > slash and is_ws(sbyte(s, sub_end)) do sub_end = sub_end - 1 end
  local subtype = ssub(s, slash + 1, sub_end)
  at = bad_token_at(subtype)
  if subtype == "" or at then syntax_error("subtype", input, at) end
  local p = new_params()
  if semi then parse_params(s, semi, p) end
  return slower(typ), slower(subtype), p
end

---------------------------------------------------------------------------------------------
-- The classes

local function class(name, len, f)
  R.class(f, name, nil, len)
  return rawget(R.fprop_table(f), "prototype")
end

local function accessor(proto, name, get, set)
  local d = {get = R.fn(get, "get " .. name, 0), enumerable = false, configurable = true}
  if set then d.set = R.fn(set, "set " .. name, 1) end
  R.defprop(proto, name, d)
end

local function state(map, this, field)
  local st = type(this) == "table" and map[this]
  if not st then R.type_error("Cannot read private member #" .. field .. " from an object whose class did not declare it") end
  return st
end

local MIMEParams, ParamsProto
MIMEParams = function(this)
  if not R.constructing(this, ParamsProto) then R.class_call("MIMEParams") end
  params_of[this] = new_params()
end
ParamsProto = class("MIMEParams", 0, MIMEParams)

local function pstate(this) return state(params_of, this, "data") end

R.method(ParamsProto, "delete", 1, function(this, name)
  local p = pstate(this)
  if type(name) == "string" then params_delete(p, name) end
end)
R.method(ParamsProto, "get", 1, function(this, name)
  local v = pstate(this).values[type(name) == "string" and name or false]
  if v == nil then return null end
  return v
end)
R.method(ParamsProto, "has", 1, function(this, name)
  return pstate(this).values[type(name) == "string" and name or false] ~= nil
end)
R.method(ParamsProto, "set", 2, function(this, name, value)
  local p = pstate(this)
  name, value = R.tostr(name), R.tostr(value)
  check_token("parameter name", name)
  local at = bad_value_at(value)
  if at then syntax_error("parameter value", value, at) end
  params_set(p, name, value)
end)

-- an array iterator over the parameters as they are now
local function snapshot(this, pick)
  local p = pstate(this)
  local list = R.newarray(0)
  for _, name in ipairs(p.names) do R.push1(list, pick(name, p.values[name])) end
  return R.get(list, "values")(list)
end
local entries = R.method(ParamsProto, "entries", 0, function(this)
  return snapshot(this, function(k, v) return R.pack(k, v) end)
end)
R.method(ParamsProto, "keys", 0, function(this) return snapshot(this, function(k) return k end) end)
R.method(ParamsProto, "values", 0, function(this) return snapshot(this, function(_, v) return v end) end)
local params_string = R.method(ParamsProto, "toString", 0, function(this) return serialize_params(pstate(this)) end)
-- (the same functions under a second name, as in node: toJSON is toString)
local function alias(proto, key, f)
  R.defprop(proto, key, {value = f, writable = true, enumerable = false, configurable = true})
end
alias(ParamsProto, "toJSON", params_string)
alias(ParamsProto, R.sym_iterator, entries)

local MIMEType, TypeProto
MIMEType = function(this, input)
  if not R.constructing(this, TypeProto) then R.class_call("MIMEType") end
  local typ, subtype, p = parse(R.tostr(input))
  local params = R.new(MIMEParams)
  params_of[params] = p
  types_of[this] = {type = typ, subtype = subtype, params = params}
end
TypeProto = class("MIMEType", 1, MIMEType)

local function tstate(this) return state(types_of, this, "type") end

accessor(TypeProto, "type", function(this) return tstate(this).type end, function(this, v)
  local st = tstate(this)
  v = R.tostr(v)
  check_token("type", v)
  st.type = slower(v)
end)
accessor(TypeProto, "subtype", function(this) return tstate(this).subtype end, function(this, v)
  local st = tstate(this)
  v = R.tostr(v)
  check_token("subtype", v)
  st.subtype = slower(v)
end)
accessor(TypeProto, "essence", function(this)
  local st = tstate(this)
  return st.type .. "/" .. st.subtype
end)
accessor(TypeProto, "params", function(this) return tstate(this).params end)
local type_string = R.method(TypeProto, "toString", 0, function(this)
  local st = tstate(this)
  local ps = serialize_params(params_of[st.params])
  return st.type .. "/" .. st.subtype .. (ps ~= "" and (";" .. ps) or "")
end)
alias(TypeProto, "toJSON", type_string)

M.MIMEType = MIMEType
M.MIMEParams = MIMEParams
return M
