-- ljs.number: Number and Boolean (constructors, prototypes, the metatables of the number and
-- boolean primitives) and the global parseInt, parseFloat, isNaN, isFinite, NaN, Infinity.
local R = require("ljs.core")
local N = require("ljs.numconv")

local type, rawget, rawset, select, setmetatable, tostring, tonumber =
      type, rawget, rawset, select, setmetatable, tostring, tonumber
local floor, ceil, huge = math.floor, math.ceil, math.huge
local sub, match, rep, byte, reverse, gsub = string.sub, string.match, string.rep,
      string.byte, string.reverse, string.gsub
local tonum, tostr, lookup, method, hidden, constant = R.tonum, R.tostr, R.lookup, R.method, R.hidden, R.constant
local G = R.G
local NaN = 0/0

-- Boxed primitives keep their value under this key (shared with ljs.json and others).
local PRIMVAL = R.PRIMVAL or {}
R.PRIMVAL = PRIMVAL

-- The primitive inside a wrapper object (Number and Boolean here; String objects keep theirs
-- under R.STRDATA), or nil: for inspect, which prints the prototypes themselves as {}
-- as node does (JSON unwraps those too, with its own check).
local boxed_value = R.boxed_value
function R.boxed_value(o)
  if type(o) ~= "table" or o == R.NumberPrototype or o == R.BooleanPrototype or o == R.StringPrototype then
    return nil
  end
  local v = rawget(o, PRIMVAL)
  if v ~= nil then return v end
  local sk = R.STRDATA
  if sk then v = rawget(o, sk); if v ~= nil then return v end end
  if boxed_value then return boxed_value(o) end
  return nil
end

local function range_error(msg) R.throw_error("RangeError", msg) end

-- ToIntegerOrInfinity
local function tointeger(v)
  if type(v) ~= "number" then v = tonum(v) end
  if v ~= v then return 0 end
  if v >= 0 then return floor(v) end
  return ceil(v)
end
R.tointeger = R.tointeger or tointeger

---------------------------------------------------------------------------------------------
-- Number
local NumberPrototype = setmetatable({[PRIMVAL] = 0}, R.ObjectMT)
R.NumberPrototype = NumberPrototype

local function Number(this, ...)
  local v = 0
  if select("#", ...) > 0 then
    v = (...)
    if type(v) ~= "number" then
      v = R.toprim(v, "number")   -- ToNumeric: a BigInt becomes its nearest number
      v = getmetatable(v) == R.BigIntMT and R.big.tonumber(v) or tonum(v)
    end
  end
  -- `new` hands over a fresh object; a Number object as `this` (n.constructor(5)) is a call
  if R.constructing(this, NumberPrototype) and rawget(this, PRIMVAL) == nil then
    rawset(this, PRIMVAL, v)
    return
  end
  return v
end
R.ctor("Number", 1, Number, NumberPrototype)

constant(Number, "EPSILON", 2 ^ -52)
constant(Number, "MAX_SAFE_INTEGER", 9007199254740991)
constant(Number, "MIN_SAFE_INTEGER", -9007199254740991)
constant(Number, "MAX_VALUE", 1.7976931348623157e308)
constant(Number, "MIN_VALUE", 5e-324)
constant(Number, "NaN", NaN)
constant(Number, "NEGATIVE_INFINITY", -huge)
constant(Number, "POSITIVE_INFINITY", huge)

method(Number, "isFinite", 1, function(_, v)
  return type(v) == "number" and v == v and v ~= huge and v ~= -huge
end)
method(Number, "isInteger", 1, function(_, v)
  return type(v) == "number" and v == floor(v) and v ~= huge and v ~= -huge
end)
method(Number, "isSafeInteger", 1, function(_, v)
  return type(v) == "number" and v == floor(v) and v <= 9007199254740991 and v >= -9007199254740991
end)
method(Number, "isNaN", 1, function(_, v) return type(v) == "number" and v ~= v end)

local parseFloat = method(G, "parseFloat", 1, function(_, s)
  if type(s) ~= "string" then s = tostr(s) end
  return N.parseFloat(s)
end)
local parseInt = method(G, "parseInt", 2, function(_, s, radix)
  if type(s) ~= "string" then s = tostr(s) end
  if radix == nil then return N.parseInt(s, 0) end
  return N.parseInt(s, R.toint32(radix))
end)
hidden(Number, "parseFloat", parseFloat)
hidden(Number, "parseInt", parseInt)

method(G, "isNaN", 1, function(_, v)
  if type(v) ~= "number" then v = tonum(v) end
  return v ~= v
end)
method(G, "isFinite", 1, function(_, v)
  if type(v) ~= "number" then v = tonum(v) end
  return v == v and v ~= huge and v ~= -huge
end)
hidden(G, "NaN", NaN)
hidden(G, "Infinity", huge)
hidden(G, "undefined", nil)

-- thisNumberValue: the primitive or a Number object's value.
local function thisnum(this, name)
  if type(this) == "number" then return this end
  if type(this) == "table" then
    local v = rawget(this, PRIMVAL)
    if type(v) == "number" then return v end
  end
  R.type_error("Number.prototype." .. name .. " requires that 'this' be a Number")
end

method(NumberPrototype, "toString", 1, function(this, radix)
  local x = thisnum(this, "toString")
  if radix == nil or radix == 10 then return R.numtostr(x) end
  local r = tointeger(radix)
  if r < 2 or r > 36 then range_error("toString() radix argument must be between 2 and 36") end
  -- integers in hex and octal: string.format's digits (a trace compiles it; toradix is a loop)
  if (r == 16 or r == 8) and x == floor(x) and x < 9007199254740992 and x > -9007199254740992 then
    local f = r == 16 and "%x" or "%o"
    if x < 0 then return "-" .. string.format(f, -x) end
    return (string.format(f, x))
  end
  return N.toradix(x, r)
end)

method(NumberPrototype, "toFixed", 1, function(this, digits)
  local x = thisnum(this, "toFixed")
  local f = tointeger(digits)
  if f < 0 or f > 100 then range_error("toFixed() digits argument must be between 0 and 100") end
  if x ~= x or x == huge or x == -huge then return R.numtostr(x) end
  return N.toFixed(x, f)
end)

method(NumberPrototype, "toPrecision", 1, function(this, precision)
  local x = thisnum(this, "toPrecision")
  if precision == nil then return R.numtostr(x) end
  local p = tointeger(precision)
  if x ~= x or x == huge or x == -huge then return R.numtostr(x) end
  if p < 1 or p > 100 then range_error("toPrecision() argument must be between 1 and 100") end
  return N.toPrecision(x, p)
end)

method(NumberPrototype, "toExponential", 1, function(this, digits)
  local x = thisnum(this, "toExponential")
  local f = tointeger(digits)
  if x ~= x or x == huge or x == -huge then return R.numtostr(x) end
  if f < 0 or f > 100 then range_error("toExponential() argument must be between 0 and 100") end
  if digits == nil then return N.toExponential(x, nil) end
  return N.toExponential(x, f)
end)

method(NumberPrototype, "valueOf", 0, function(this) return thisnum(this, "valueOf") end)

-- Digits string d (no leading zeros) and the count of integer digits: x = 0.d * 10^intlen.
local function decimal_digits(x)
  local s = R.numtostr(x)
  local m, e = match(s, "^([%d.]+)e([-+]%d+)$")
  local exp = 0
  if m then s, exp = m, tonumber(e) end
  local ip, fp = match(s, "^(%d*)%.?(%d*)$")
  local d = ip .. fp
  local intlen = #ip + exp
  local lead = match(d, "^0*")
  d = sub(d, #lead + 1)
  intlen = intlen - #lead
  return d, intlen
end

local increment = N.incdigits   -- "199" -> "200"

local function group3(ip)
  local r = reverse(ip)
  r = gsub(r, "(%d%d%d)", "%1,")
  r = reverse(r)
  if byte(r, 1) == 44 then r = sub(r, 2) end
  return r
end

-- en-US formatting as node's default Intl.NumberFormat: grouping, at most 3 fraction digits,
-- rounding half away from zero on the shortest decimal form.
local function locale_string(x)
  if x ~= x then return "NaN" end
  local sign = (x < 0 or 1 / x < 0) and "-" or ""
  if x == huge or x == -huge then return sign .. "∞" end
  if x == 0 then return sign .. "0" end
  local d, intlen = decimal_digits(sign == "-" and -x or x)
  local keep = intlen + 3   -- digits up to the third fraction digit
  if keep < #d then
    if keep < 0 then
      d, intlen = "", 0
    else
      local up = byte(d, keep + 1) >= 53
      d = sub(d, 1, keep)
      if up then
        local nd = increment(d)
        if #nd > #d then intlen = intlen + 1 end
        d = nd
      end
    end
  end
  local ip, fp = N.split_digits(d, intlen)
  if ip == "" then ip = "0" end
  fp = gsub(fp, "0+$", "")
  local out = group3(ip)
  if fp ~= "" then out = out .. "." .. fp end
  return sign .. out
end
R.number_locale_string = locale_string

-- With locales or options: Intl.NumberFormat (ljs.intl), whose en-US default this agrees with.
method(NumberPrototype, "toLocaleString", 0, function(this, locales, options)
  local x = thisnum(this, "toLocaleString")
  if locales == nil and options == nil then return locale_string(x) end
  return require("ljs.intl").number_to_locale_string(x, locales, options)
end)

---------------------------------------------------------------------------------------------
-- Boolean
local BooleanPrototype = setmetatable({[PRIMVAL] = false}, R.ObjectMT)
R.BooleanPrototype = BooleanPrototype

local function Boolean(this, v)
  local b = R.truthy(v)
  if R.constructing(this, BooleanPrototype) and rawget(this, PRIMVAL) == nil then
    rawset(this, PRIMVAL, b)
    return
  end
  return b
end
R.ctor("Boolean", 1, Boolean, BooleanPrototype)

local function thisbool(this, name)
  if type(this) == "boolean" then return this end
  if type(this) == "table" then
    local v = rawget(this, PRIMVAL)
    if type(v) == "boolean" then return v end
  end
  R.type_error("Boolean.prototype." .. name .. " requires that 'this' be a Boolean")
end

method(BooleanPrototype, "toString", 0, function(this)
  return thisbool(this, "toString") and "true" or "false"
end)
method(BooleanPrototype, "valueOf", 0, function(this) return thisbool(this, "valueOf") end)

---------------------------------------------------------------------------------------------
-- Primitive metatables: property reads go to the prototype with the primitive as receiver;
-- stores to them fail (silently in sloppy code); arithmetic on booleans converts.
local NumberMT = {
  __index = function(n, k) return lookup(NumberPrototype, k, n) end,
  __newindex = function(n, k)
    R.strict_fail("Cannot create property '" .. R.keystr(k) .. "' on number '" .. R.numtostr(n) .. "'")
  end,
}
R.add_arith(NumberMT)
debug.setmetatable(0, NumberMT)
R.NumberMT = NumberMT

local BooleanMT = {
  __index = function(b, k) return lookup(BooleanPrototype, k, b) end,
  __newindex = function(b, k)
    R.strict_fail("Cannot create property '" .. R.keystr(k) .. "' on boolean '" .. tostring(b) .. "'")
  end,
}
R.add_arith(BooleanMT)
debug.setmetatable(true, BooleanMT)
R.BooleanMT = BooleanMT

return Number
