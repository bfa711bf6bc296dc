-- ljs.json: the JSON object.
--
-- parse is a recursive descent over byte positions; strings, numbers and white space are
-- scanned with byte loops the JIT compiles, and integers are summed up without tonumber.
-- Error messages follow V8 (node 20).
-- stringify writes into a string.buffer; plain objects take their key lists from a per-shape
-- cache, so objects built alike are serialised without calling R.ownkeys.
local R = require("ljs.core")
local buffer = require("string.buffer")

local bit = require("bit")

local type, rawget, rawset, getmetatable, setmetatable, tonumber, pcall =
      type, rawget, rawset, getmetatable, setmetatable, tonumber, pcall
local byte, sub, find, char, rep, format, gsub = string.byte, string.sub, string.find, string.char,
      string.rep, string.format, string.gsub
local floor, huge = math.floor, math.huge
local band, rshift = bit.band, bit.rshift
local null, ArrayMT, ObjectMT, SHAPE, SymbolMT = R.null, R.ArrayMT, R.ObjectMT, R.SHAPE, R.SymbolMT
local addkey, tokey, numtostr, isobject = R.addkey, R.tokey, R.numtostr, R.isobject

-- Boxed primitives (new Number(1), ...) keep their value under this key (shared with ljs.number).
local PRIMVAL = R.PRIMVAL or {}
R.PRIMVAL = PRIMVAL

-- The primitive inside a Number/Boolean (PRIMVAL) or String (R.STRDATA, from ljs.string) object.
local function boxed(v)
  local p = rawget(v, PRIMVAL)
  if p == nil then
    local sk = R.STRDATA
    if sk then p = rawget(v, sk) end
  end
  return p
end

local JSON = setmetatable({}, ObjectMT)
R.hidden(R.G, "JSON", JSON)
R.tag(JSON, "JSON")

---------------------------------------------------------------------------------------------
-- Positions in messages count UTF-16 code units, as JS string indices do.
local function u16len(s, j)   -- code units in s[1..j]
  if not find(s, "[\128-\255]") then return j end
  local n = 0
  for i = 1, j do
    local b = byte(s, i)
    if b < 0x80 or b >= 0xC0 then n = n + 1 end
    if b >= 0xF0 then n = n + 1 end
  end
  return n
end

-- Byte index where UTF-16 unit u (0-based) starts.
local function u16byte(s, u)
  local i, n, len = 1, 0, #s
  while i <= len and n < u do
    local b = byte(s, i)
    local w = b < 0xC0 and 1 or b < 0xE0 and 2 or b < 0xF0 and 3 or 4
    n = n + (w == 4 and 2 or 1)
    i = i + w
  end
  return i
end

local function syntax_error(msg) R.throw_error("SyntaxError", msg) end

local function fail_at(s, i, what)
  syntax_error(what .. " in JSON at position " .. u16len(s, i - 1))
end

local SPECIAL = {["undefined"] = true, ["NaN"] = true, ["Infinity"] = true, ["[object Object]"] = true}

-- V8's message for a token nothing expected: by the kind of token at byte i.
local function unexpected(s, i)
  local c = byte(s, i)
  if not c then syntax_error("Unexpected end of JSON input") end
  if c == 34 then fail_at(s, i, "Unexpected string") end
  if c == 45 or (c >= 48 and c <= 57) then fail_at(s, i, "Unexpected number") end
  if SPECIAL[s] then syntax_error('"' .. s .. '" is not valid JSON') end
  local tok = sub(s, i, i + (c < 0xC0 and 0 or c < 0xE0 and 1 or c < 0xF0 and 2 or 3))
  local len, pos = u16len(s, #s), u16len(s, i - 1)
  local ctx
  if len < 21 then
    ctx = '"' .. s .. '"'
  elseif pos < 10 then
    ctx = '"' .. sub(s, 1, u16byte(s, pos + 10) - 1) .. '"...'
  elseif pos < len - 10 then
    ctx = '..."' .. sub(s, u16byte(s, pos - 10), u16byte(s, pos + 10) - 1) .. '"...'
  else
    ctx = '..."' .. sub(s, u16byte(s, pos - 10)) .. '"'
  end
  syntax_error("Unexpected token '" .. tok .. "', " .. ctx .. " is not valid JSON")
end

---------------------------------------------------------------------------------------------
-- parse
local parse_value

local function skipws(s, i)
  local c = byte(s, i)
  while c == 32 or c == 10 or c == 13 or c == 9 do
    i = i + 1
    c = byte(s, i)
  end
  return i
end

-- UTF-8 (WTF-8 for lone surrogates, as the runtime stores them) of a code point.
local function utf8(u)
  if u < 0x80 then return char(u) end
  if u < 0x800 then return char(0xC0 + rshift(u, 6), 0x80 + band(u, 63)) end
  if u < 0x10000 then
    return char(0xE0 + rshift(u, 12), 0x80 + band(rshift(u, 6), 63), 0x80 + band(u, 63))
  end
  return char(0xF0 + rshift(u, 18), 0x80 + band(rshift(u, 12), 63), 0x80 + band(rshift(u, 6), 63),
              0x80 + band(u, 63))
end

local SIMPLE_ESC = {[34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f", [110] = "\n",
                    [114] = "\r", [116] = "\t"}

-- Four hex digits at s[i..i+3]; errors at the first bad one.
local function hex4(s, i)
  local h = sub(s, i, i + 3)
  if #h == 4 and find(h, "^%x%x%x%x$") then return tonumber(h, 16) end
  for j = i, i + 3 do
    local c = byte(s, j)
    if not c or not find(char(c), "%x") then fail_at(s, j, "Bad Unicode escape") end
  end
end

-- A string whose opening quote is at i - 1; returns it and the index after the closing quote.
-- The scan is a byte loop rather than string.find: the JIT compiles it, not a pattern match.
local function parse_string(s, i)
  local j = i
  local c
  while true do
    c = byte(s, j)
    if c == 34 then return sub(s, i, j - 1), j + 1 end
    if c == nil then fail_at(s, #s + 1, "Unterminated string") end
    if c == 92 or c < 32 then break end
    j = j + 1
  end
  -- escapes or a control character: collect the pieces
  local parts, n = {}, 0
  while true do
    if c == 34 then
      n = n + 1; parts[n] = sub(s, i, j - 1)
      return table.concat(parts, "", 1, n), j + 1
    end
    if c ~= 92 then fail_at(s, j, "Bad control character in string literal") end
    if j > i then n = n + 1; parts[n] = sub(s, i, j - 1) end
    local e = byte(s, j + 1)
    if not e then syntax_error("Unexpected end of JSON input") end
    local simple = SIMPLE_ESC[e]
    if simple then
      n = n + 1; parts[n] = simple
      i = j + 2
    elseif e == 117 then   -- \uXXXX, joining surrogate pairs
      local u = hex4(s, j + 2)
      i = j + 6
      if u >= 0xD800 and u <= 0xDBFF and byte(s, i) == 92 and byte(s, i + 1) == 117
         and find(s, "^%x%x%x%x", i + 2) then
        local lo = tonumber(sub(s, i + 2, i + 5), 16)
        if lo >= 0xDC00 and lo <= 0xDFFF then
          u = 0x10000 + (u - 0xD800) * 1024 + (lo - 0xDC00)
          i = i + 6
        end
      end
      n = n + 1; parts[n] = utf8(u)
    else
      fail_at(s, j + 1, "Bad escaped character")
    end
    j = find(s, '[%z\1-\31"\\]', i)
    if not j then fail_at(s, #s + 1, "Unterminated string") end
    c = byte(s, j)
  end
end

local function isdigit(c) return c and c >= 48 and c <= 57 end

-- Numbers: integers of up to 15 digits are summed up digit by digit; anything longer or with
-- a fraction or exponent is validated and handed to tonumber.
local function parse_number(s, i)
  local j = i
  local c = byte(s, j)
  local neg = c == 45
  if neg then
    j = j + 1
    c = byte(s, j)
    if not isdigit(c) then fail_at(s, j, "No number after minus sign") end
  end
  local start = j
  local n = 0
  if c == 48 then
    j = j + 1
    c = byte(s, j)
    if isdigit(c) then fail_at(s, j, "Unexpected number") end
  else
    while c and c >= 48 and c <= 57 do
      n = n * 10 + (c - 48)
      j = j + 1
      c = byte(s, j)
    end
  end
  if c ~= 46 and c ~= 101 and c ~= 69 and j - start <= 15 then
    if neg then return -n, j end
    return n, j
  end
  if c == 46 then
    j = j + 1
    c = byte(s, j)
    if not isdigit(c) then fail_at(s, j, "Unterminated fractional number") end
    repeat j = j + 1; c = byte(s, j) until not (c and c >= 48 and c <= 57)
  end
  if c == 101 or c == 69 then
    j = j + 1
    c = byte(s, j)
    if c == 43 or c == 45 then j = j + 1; c = byte(s, j) end
    if not isdigit(c) then fail_at(s, j, "Exponent part is missing a number") end
    repeat j = j + 1; c = byte(s, j) until not (c and c >= 48 and c <= 57)
  end
  return tonumber(sub(s, i, j - 1)), j
end

local function parse_literal(s, i, word, v)
  local n = #word
  if sub(s, i, i + n - 1) == word then return v, i + n end
  for k = 1, n do
    if byte(s, i + k - 1) ~= byte(word, k) then unexpected(s, i + k - 1) end
  end
end

local function parse_array(s, i)
  local a, n = {}, 0
  i = skipws(s, i)
  if byte(s, i) == 93 then a.length = 0; return setmetatable(a, ArrayMT), i + 1 end
  while true do
    local v
    v, i = parse_value(s, i)
    a[n] = v
    n = n + 1
    i = skipws(s, i)
    local c = byte(s, i)
    if c == 44 then
      i = skipws(s, i + 1)
    elseif c == 93 then
      a.length = n
      return setmetatable(a, ArrayMT), i + 1
    else
      fail_at(s, i, "Expected ',' or ']' after array element")
    end
  end
end

local function parse_object(s, i)
  local o = setmetatable({}, ObjectMT)
  i = skipws(s, i)
  local c = byte(s, i)
  if c == 125 then return o, i + 1 end
  if c ~= 34 then fail_at(s, i, "Expected property name or '}'") end
  local first = true
  while true do
    local k
    k, i = parse_string(s, i + 1)
    i = skipws(s, i)
    if byte(s, i) ~= 58 then
      if first then fail_at(s, i, "Expected ':' after property name") end
      unexpected(s, i)
    end
    first = false
    local v
    v, i = parse_value(s, skipws(s, i + 1))
    local b = byte(k, 1)
    if b and b >= 48 and b <= 57 then k = tokey(k) end   -- "0", "1": array-index keys are numbers
    addkey(o, k)
    rawset(o, k, v)
    i = skipws(s, i)
    c = byte(s, i)
    if c == 44 then
      i = skipws(s, i + 1)
      if byte(s, i) ~= 34 then fail_at(s, i, "Expected double-quoted property name") end
    elseif c == 125 then
      return o, i + 1
    else
      fail_at(s, i, "Expected ',' or '}' after property value")
    end
  end
end

parse_value = function(s, i)
  local c = byte(s, i)
  if c == 34 then return parse_string(s, i + 1) end
  if c == 123 then return parse_object(s, i + 1) end
  if c == 91 then return parse_array(s, i + 1) end
  if c == 45 or (c and c >= 48 and c <= 57) then return parse_number(s, i) end
  if c == 116 then return parse_literal(s, i, "true", true) end
  if c == 102 then return parse_literal(s, i, "false", false) end
  if c == 110 then return parse_literal(s, i, "null", null) end
  unexpected(s, i)
end

local callable = R.iscallable

local function keyname(k) if type(k) == "number" then return numtostr(k) end return k end

-- IsArray, which sees through proxies (a revoked one throws)
local function is_array(v)
  local mt = type(v) == "table" and getmetatable(v)
  if not mt then return false end
  if mt.kind == "array" or v == R.ArrayPrototype then return true end
  if mt.proxy then
    if mt.revoked then R.type_error("Cannot perform 'IsArray' on a proxy that has been revoked") end
    return is_array(mt.target)
  end
  return false
end

-- LengthOfArrayLike: a proxy's length comes through its get trap and ToLength
local function length_of(a)
  local n = rawget(a, "length")
  if n then return n end
  n = R.tonum(a.length)
  if n ~= n or n <= 0 then return 0 end
  return n < 9007199254740991 and floor(n) or 9007199254740991
end

local function proxy_trap(mt, name)
  if mt.revoked then R.type_error("Cannot perform '" .. name .. "' on a proxy that has been revoked") end
  local f = mt.handler[name]
  if f == nil or f == null then return nil end
  return f
end

local DESC_SHAPE = R.shape({"value", "writable", "enumerable", "configurable"})

-- CreateDataProperty: false rather than a throw where o refuses the property (non-configurable,
-- not extensible); a proxy's defineProperty trap decides for it, and may throw.
local function create_data(o, k, v)
  local mt = getmetatable(o)
  if type(o) == "table" and mt then
    if mt.proxy then
      local f = proxy_trap(mt, "defineProperty")
      if not f then return create_data(mt.target, k, v) end
      local d = setmetatable({value = v, writable = true, enumerable = true, configurable = true,
                              [SHAPE] = DESC_SHAPE}, ObjectMT)
      return R.truthy(f(mt.handler, mt.target, keyname(k), d))
    end
    -- a plain own data property (accessors, read-only and sealed ones live in o[SLOW])
    if rawget(o, k) ~= nil and not (mt.frozen or mt.nonconfig and mt.nonconfig[k]) then
      local sh = rawget(o, SHAPE)
      if mt.kind == "array" and type(k) == "number" or sh and sh.index[k] then rawset(o, k, v); return true end
    end
  end
  local cur = R.getdesc(o, k)
  if cur then
    if cur.configurable == false then return false end
  elseif mt and mt.frozen then
    return false
  end
  if mt and mt.kind == "array" and type(k) == "number" and not cur then
    rawset(o, k, v)   -- (an element slot: not a shape key)
    return true
  end
  R.defprop(o, k, {value = v, writable = true, enumerable = true, configurable = true})
  return true
end

-- [[Delete]]: a non-configurable property stays, without a throw even in strict code
local function delete_prop(o, k)
  local mt = getmetatable(o)
  if type(o) == "table" and mt and mt.proxy then
    local f = proxy_trap(mt, "deleteProperty")
    if f then f(mt.handler, mt.target, keyname(k)); return end
    return delete_prop(mt.target, k)
  end
  local cur = R.getdesc(o, k)
  if cur and cur.configurable == false then return end
  R.delete(o, k)
end

-- InternalizeJSONProperty: children first, then reviver(holder, key, value).
local function internalize(holder, k, reviver)
  local val = holder[k]
  if isobject(val) then
    if is_array(val) then
      for i = 0, length_of(val) - 1 do
        local nv = internalize(val, i, reviver)
        if nv == nil then delete_prop(val, i) else create_data(val, i, nv) end
      end
    else
      local keys, n = R.ownkeys(val)
      for i = 1, n do
        local key = keys[i]
        local nv = internalize(val, key, reviver)
        if nv == nil then delete_prop(val, key) else create_data(val, key, nv) end
      end
    end
  end
  return reviver(holder, keyname(k), val)
end

R.method(JSON, "parse", 2, function(_, text, reviver)
  local s = R.tostr(text)
  local v, i = parse_value(s, skipws(s, 1))
  i = skipws(s, i)
  if i <= #s then syntax_error("Unexpected non-whitespace character after JSON at position " .. u16len(s, i - 1)) end
  if callable(reviver) then
    local root = R.newobj()
    addkey(root, "")
    rawset(root, "", v)
    return internalize(root, "", reviver)
  end
  return v
end)
R.json_parse = function(s) return JSON.parse(nil, s) end

-- JSON.rawJSON (ES2025): a frozen null-prototype object whose text stringify writes verbatim.
-- The [[IsRawJSON]] slot is this weak map from the object to its text.
local RAW = setmetatable({}, {__mode = "k"})
local WS = {[9] = true, [10] = true, [13] = true, [32] = true}

R.method(JSON, "rawJSON", 1, function(_, text)
  local s = R.tostr(text)
  if s == "" or WS[byte(s, 1)] or WS[byte(s, #s)] then
    syntax_error("Invalid value for JSON.rawJSON")
  end
  local c = byte(s, 1)
  if c == 91 or c == 123 then syntax_error("Invalid value for JSON.rawJSON") end
  local _, i = parse_value(s, 1)
  if skipws(s, i) <= #s then syntax_error("Unexpected non-whitespace character after JSON at position " .. u16len(s, i - 1)) end
  local o = setmetatable({}, R.protomt(null))
  R.put(o, "rawJSON", s)
  R.freeze(o, "freeze")
  RAW[o] = s
  return o
end)

R.method(JSON, "isRawJSON", 1, function(_, o)
  return type(o) == "table" and RAW[o] ~= nil
end)

---------------------------------------------------------------------------------------------
-- stringify

-- Escapes for the bytes that need them; other control bytes become \u00XX.
local ESC = {[34] = '\\"', [92] = "\\\\", [8] = "\\b", [12] = "\\f", [10] = "\\n", [13] = "\\r", [9] = "\\t"}
for c = 0, 31 do if not ESC[c] then ESC[c] = format("\\u%04x", c) end end
local ESCCHAR = {}
for c, e in pairs(ESC) do ESCCHAR[char(c)] = e end

-- Write s quoted. Lone surrogates (stored as WTF-8 ED A0..BF xx) come out as \udXXX; a
-- high/low pair stored as two such sequences comes out as the real character.
local function putstr(buf, s)
  local n = #s
  if n <= 64 then
    -- short strings: a byte loop the JIT compiles beats a pattern match
    local i = 1
    while i <= n do
      local c = byte(s, i)
      if c < 32 or c == 34 or c == 92 or c == 237 then break end
      i = i + 1
    end
    if i > n then buf:put('"', s, '"'); return end
  elseif not find(s, '[%z\1-\31"\\\237]') then
    buf:put('"', s, '"'); return
  end
  if not find(s, "\237") then buf:put('"', (gsub(s, '[%z\1-\31"\\]', ESCCHAR)), '"'); return end
  buf:put('"')
  local i = 1
  while true do
    local j = find(s, '[%z\1-\31"\\\237]', i)
    if not j then buf:put(sub(s, i)); break end
    if j > i then buf:put(sub(s, i, j - 1)) end
    local c = byte(s, j)
    if c == 237 then
      local c2, c3 = byte(s, j + 1), byte(s, j + 2)
      if c2 and c2 >= 0xA0 and c3 then
        local u = 0xD000 + (c2 - 0x80) * 64 + (c3 - 0x80)
        local d2, d3 = byte(s, j + 4), byte(s, j + 5)
        if u < 0xDC00 and byte(s, j + 3) == 237 and d2 and d2 >= 0xB0 and d3 then
          local lo = 0xD000 + (d2 - 0x80) * 64 + (d3 - 0x80)
          buf:put(utf8(0x10000 + (u - 0xD800) * 1024 + (lo - 0xDC00)))
          i = j + 6
        else
          buf:putf("\\u%04x", u)
          i = j + 3
        end
      else
        buf:put(sub(s, j, j + 2))
        i = j + 3
      end
    else
      buf:put(ESC[c])
      i = j + 1
    end
  end
  buf:put('"')
end

-- '"key"' strings, cached: keys repeat across objects.
local qcache, qcount = {}, 0
local function quotekey(k)
  local q = qcache[k]
  if q then return q end
  if not find(k, '[%z\1-\31"\\\237]') then
    q = '"' .. k .. '"'
  else
    local b = buffer.new()
    putstr(b, k)
    q = b:tostring()
  end
  if qcount > 8192 then qcache, qcount = {}, 0 end
  qcount = qcount + 1
  qcache[k] = q
  return q
end

-- A finite number: integers straight into the buffer, the rest through numconv.
local function putnum(buf, v)
  if v == floor(v) and v > -1e15 and v < 1e15 then
    if v == 0 then buf:put("0") else buf:putf("%d", v) end
  else
    buf:put(numtostr(v))
  end
end

-- Own enumerable string keys of a plain object in JS order, cached per shared shape.
local shapekeys = setmetatable({}, {__mode = "k"})
local NOKEYS = {}
local function objkeys(o, mt)
  local s = rawget(o, SHAPE)
  if s == nil then
    if mt.enum_hook then return R.ownkeys(o) end
    return NOKEYS, 0
  end
  if s.owned or mt.enum_hook or mt.kind then return R.ownkeys(o) end
  local ks = shapekeys[s]
  if ks then return ks, ks.n end
  local list, n = R.ownkeys(o)
  list.n = n
  shapekeys[s] = list
  return list, n
end

-- Per-call state: {fn = replacer function, plist = property list, gap, stack = {obj -> true},
-- skeys/sobjs (the path, for the circular-structure message), depth, indents}
local emit

local function ctor_name(o)
  local ok, c = pcall(function() return o.constructor end)
  if ok and type(c) == "function" then
    local nm = R.fnames[c]
    if nm and nm ~= "" then return nm end
  end
  if R.isarray(o) then return "Array" end
  return "Object"
end

local function keydesc(k)
  if type(k) == "number" then return "index " .. numtostr(k) end
  if k == "" then return "<anonymous>" end
  return "property '" .. k .. "'"
end

local function circular(st, v, key)
  local start = st.depth
  while st.sobjs[start] ~= v do start = start - 1 end
  local out = {"Converting circular structure to JSON\n    --> starting at object with constructor '",
               ctor_name(v), "'"}
  local size = st.depth
  local i = start + 1
  local prefix_end = math.min(size, i + 1)
  while i <= prefix_end do
    out[#out + 1] = "\n    |     " .. keydesc(st.skeys[i]) .. " -> object with constructor '" .. ctor_name(st.sobjs[i]) .. "'"
    i = i + 1
  end
  if size > i then out[#out + 1] = "\n    |     ..." end
  if i < size then i = size end
  while i <= size do
    out[#out + 1] = "\n    |     " .. keydesc(st.skeys[i]) .. " -> object with constructor '" .. ctor_name(st.sobjs[i]) .. "'"
    i = i + 1
  end
  out[#out + 1] = "\n    --- " .. keydesc(key) .. " closes the circle"
  R.type_error(table.concat(out))
end

-- toJSON, the replacer function and unboxing: the value that gets serialised.
local function resolve(st, holder, key, v)
  local tv = type(v)
  if (tv == "table" and v ~= null and getmetatable(v) ~= SymbolMT) or tv == "function" then
    local tj = v.toJSON
    if callable(tj) then v = tj(v, keyname(key)) end
  end
  local fn = st.fn
  if fn then v = fn(holder, keyname(key), v) end
  if type(v) == "table" then
    local p = boxed(v)
    if p ~= nil then
      local tp = type(p)
      if tp == "number" then v = R.tonum(v)
      elseif tp == "string" then v = R.tostr(v)
      elseif tp == "boolean" then v = p end
    end
  end
  return v
end

-- Is v serialised at all (undefined, functions and symbols are skipped)?
local function skipped(v)
  local tv = type(v)
  if tv == "nil" or tv == "function" then return true end
  if tv == "table" then
    local mt = getmetatable(v)
    return mt == SymbolMT or (mt ~= nil and mt.callable == true)
  end
  return false
end

local function emit_array(buf, st, a)
  local len = length_of(a)
  if len == 0 then buf:put("[]"); return end
  local gap = st.gap
  local d = st.depth
  local ind, ind0
  if gap ~= "" then ind, ind0 = st.indents[d], st.indents[d - 1] end
  buf:put("[")
  for i = 0, len - 1 do
    if i > 0 then buf:put(",") end
    if ind then buf:put(ind) end
    local v = rawget(a, i)
    if v == nil then v = a[i] end
    local tv = type(v)
    if tv == "table" or tv == "function" or st.fn then v = resolve(st, a, i, v); tv = type(v) end
    if tv == "string" then putstr(buf, v)
    elseif tv == "number" then
      if v ~= v or v == huge or v == -huge then buf:put("null") else putnum(buf, v) end
    elseif tv == "boolean" then buf:put(v and "true" or "false")
    elseif skipped(v) or v == null then buf:put("null")
    else emit(buf, st, v, i) end
  end
  if ind0 then buf:put(ind0) end
  buf:put("]")
end

local function emit_object(buf, st, o, mt)
  local keys, n
  local plist = st.plist
  if plist then keys, n = plist, plist.n else keys, n = objkeys(o, mt) end
  local gap = st.gap
  local d = st.depth
  local ind, ind0, colon = nil, nil, ":"
  if gap ~= "" then ind, ind0, colon = st.indents[d], st.indents[d - 1], ": " end
  local any = false
  buf:put("{")
  for i = 1, n do
    local k = keys[i]
    local v
    if plist then v = o[plist.keys[i]] else v = o[k] end
    local tv = type(v)
    if tv == "table" or tv == "function" or st.fn then v = resolve(st, o, k, v); tv = type(v) end
    if not skipped(v) then
      if any then buf:put(",") end
      any = true
      if ind then buf:put(ind) end
      if type(k) == "number" then buf:put('"', numtostr(k), '"', colon) else buf:put(quotekey(k), colon) end
      if tv == "string" then putstr(buf, v)
      elseif tv == "number" then
        if v ~= v or v == huge or v == -huge then buf:put("null") else putnum(buf, v) end
      elseif tv == "boolean" then buf:put(v and "true" or "false")
      elseif v == null then buf:put("null")
      else emit(buf, st, v, k) end
    end
  end
  if any and ind0 then buf:put(ind0) end
  buf:put("}")
end

-- An object or array (already resolved), with the cycle check.
emit = function(buf, st, v, key)
  local raw = RAW[v]
  if raw then buf:put(raw); return end
  if getmetatable(v) == R.BigIntMT then R.type_error("Do not know how to serialize a BigInt") end
  if st.stack[v] then circular(st, v, key) end
  st.stack[v] = true
  local d = st.depth + 1
  st.depth = d
  st.skeys[d], st.sobjs[d] = key, v
  if st.gap ~= "" and not st.indents[d] then st.indents[d] = "\n" .. rep(st.gap, d) end
  local mt = getmetatable(v)
  if mt and (mt.kind == "array" or mt.proxy and is_array(v) or v == R.ArrayPrototype) then emit_array(buf, st, v)
  elseif type(v) == "table" then emit_object(buf, st, v, mt or ObjectMT)
  else buf:put("{}") end   -- cdata and other host values
  st.sobjs[d] = nil
  st.depth = d - 1
  st.stack[v] = nil
end

local stringify_with

-- The replacer array: string/number entries (boxed too), first occurrence wins.
local function property_list(r)
  local keys, names, n, seen = {}, {}, 0, {}
  for i = 0, length_of(r) - 1 do
    local e = r[i]
    local item
    local te = type(e)
    if te == "string" then item = e
    elseif te == "number" then item = numtostr(e)
    elseif te == "table" then
      local p = boxed(e)
      if type(p) == "string" or type(p) == "number" then item = R.tostr(e) end
    end
    if item ~= nil and not seen[item] then
      seen[item] = true
      n = n + 1
      names[n] = item
      keys[n] = tokey(item)
    end
  end
  names.n = n
  names.keys = keys
  return names
end

local function make_gap(space)
  if type(space) == "table" then
    local p = boxed(space)
    if type(p) == "number" then space = R.tonum(space)
    elseif type(p) == "string" then space = R.tostr(space) end
  end
  if type(space) == "number" then
    local n = space ~= space and 0 or space
    if n > 10 then n = 10 end
    n = floor(n)
    if n >= 1 then return rep(" ", n) end
  elseif type(space) == "string" then
    if #space <= 10 or not find(space, "[\128-\255]") then return sub(space, 1, 10) end
    return sub(space, 1, u16byte(space, 10) - 1)
  end
  return ""
end

-- The state and buffer of a call that finished, for the next call: allocating them for each
-- call made the garbage collector 40% of the time of stringifying small objects. (A call that
-- throws leaves its state behind; a nested call, from a toJSON, makes its own.)
local spare

local function stringify(_, value, replacer, space)
  local st = spare
  spare = nil
  local gap = make_gap(space)
  if st then
    if st.gap ~= gap then st.indents = {[0] = "\n"} end
    st.fn, st.plist, st.gap = nil, nil, gap
  else
    st = {fn = nil, plist = nil, gap = gap, stack = {}, skeys = {}, sobjs = {}, depth = 0,
          indents = {[0] = "\n"}, buf = buffer.new()}
  end
  local out = stringify_with(st, value, replacer)
  spare = st
  return out
end

stringify_with = function(st, value, replacer)
  if callable(replacer) then st.fn = replacer
  elseif is_array(replacer) then st.plist = property_list(replacer) end
  local v = value
  local tv = type(v)
  if tv == "table" or tv == "function" or st.fn then
    local holder   -- (only a replacer function sees the wrapper object)
    if st.fn then
      holder = R.newobj()
      addkey(holder, "")
      rawset(holder, "", value)
    end
    v = resolve(st, holder, "", v)
    tv = type(v)
  end
  local buf = st.buf
  if tv == "string" then putstr(buf, v); local out = buf:tostring(); buf:reset(); return out end
  if tv == "number" then
    if v ~= v or v == huge or v == -huge then return "null" end
    return numtostr(v)
  end
  if tv == "boolean" then return v and "true" or "false" end
  if skipped(v) then return nil end
  if v == null then return "null" end
  emit(buf, st, v, "")
  local out = buf:tostring()
  buf:reset()
  return out
end
R.method(JSON, "stringify", 3, stringify)
R.json_stringify = function(v, replacer, space) return stringify(nil, v, replacer, space) end

return JSON
