-- ternary: the module `import { Ternary, ... } from "ternary"` returns. JS classes and functions
-- around the Lua modules beside this one; every argument is checked here, so those modules
-- trust their inputs.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.typedarray")   -- typed arrays in and out; a program may not have touched one yet
local big = require("ternary.bigint")
local logic = require("ternary.logic")
local search = require("ternary.search")
local quantize = require("ternary.quantize")
local packed = require("ternary.packed")

local null = R.null
local type, rawget, rawset, setmetatable = type, rawget, rawset, setmetatable
local floor, huge = math.floor, math.huge
local sbyte, sfind, sformat = string.byte, string.find, string.format

local function throw(kind, msg) R.throw_error(kind, msg) end

local class = R.module_class

-- A string as JSON writes it ("12\n3"), for messages
local function quote(s) return R.json_stringify(s) end

local function describe(v)
  if v == nil then return "undefined" end
  if v == null then return "null" end
  local t = type(v)
  if t == "string" then return quote(v) end
  if t == "number" or t == "boolean" then return R.tostr(v) end
  return R.typeof(v)
end

local MAX_EXACT = 2 ^ 53

-- A number that must be an integer in [-2^53, 2^53].
local function check_int(v, what)
  if type(v) ~= "number" then throw("TypeError", what .. " must be an integer number, got " .. describe(v)) end
  if v ~= v or v == huge or v == -huge or floor(v) ~= v then
    throw("RangeError", what .. " must be an integer, got " .. R.tostr(v))
  end
  if v > MAX_EXACT or v < -MAX_EXACT then
    throw("RangeError", what .. " " .. R.tostr(v) .. " is beyond 2^53, where numbers are no longer exact integers (use Ternary.fromDecimalString)")
  end
  return v
end

-- The offending character of s at byte i, and its JS index (UTF-16 units before it).
local function bad_char(s, i)
  local j = i
  local b = sbyte(s, i)
  if b >= 0xC0 then
    j = i + (b >= 0xF0 and 3 or (b >= 0xE0 and 2 or 1))
  end
  local ch = string.sub(s, i, j)
  -- a control character or a lone surrogate as JSON writes it: '\n', '\ud800'
  if b < 0x20 or b == 0x7F or (b == 0xED and (sbyte(s, i + 1) or 0) >= 0xA0) then
    ch = string.sub(quote(ch), 2, -2)
  end
  return ch, R.strlen(string.sub(s, 1, i - 1))
end

---------------------------------------------------------------------------------------------
-- Ternary: a sign (-1, 0, 1) and a magnitude (ternary.bigint), both private to the object.
local SIGN, MAG = {}, {}

-- decimal text: optional sign, then digits
local function parse_decimal(s, what)
  if type(s) ~= "string" then throw("TypeError", what .. ": expected a string, got " .. describe(s)) end
  local first, sign = 1, 1
  local c = sbyte(s, 1)
  if c == 45 then sign, first = -1, 2 elseif c == 43 then first = 2 end
  if first > #s then throw("SyntaxError", what .. ": no digits in " .. quote(s)) end
  local bad = sfind(s, "[^0-9]", first)
  if bad then
    local ch, at = bad_char(s, bad)
    throw("SyntaxError", what .. ": invalid digit '" .. ch .. "' at index " .. at .. " of " .. quote(s))
  end
  local m = big.from_decimal(string.sub(s, first))
  return m.n == 0 and 0 or sign, m
end

local TernaryProto, TernaryMT
local function Ternary(this, v)
  if not R.constructing(this, TernaryProto) then
    throw("TypeError", "Class constructor Ternary cannot be invoked without 'new'")
  end
  local s, m = 0, big.ZERO
  if v ~= nil then
    if type(v) == "string" then s, m = parse_decimal(v, "new Ternary")
    elseif type(v) == "table" and rawget(v, MAG) then s, m = rawget(v, SIGN), rawget(v, MAG)
    elseif R.typeof(v) == "bigint" then s, m = parse_decimal(R.tostr(v), "new Ternary")
    else
      check_int(v, "new Ternary: the value")
      s = v > 0 and 1 or (v < 0 and -1 or 0)
      m = big.from_int(v * s)
    end
  end
  rawset(this, SIGN, s)
  rawset(this, MAG, m)
end
TernaryProto, TernaryMT = class("Ternary", 1, Ternary)

local function make(s, m)
  if m.n == 0 then s = 0 end
  return setmetatable({[SIGN] = s, [MAG] = m}, TernaryMT)
end

local function from_number(v, what)
  check_int(v, what)
  if v == 0 then return 0, big.ZERO end
  if v < 0 then return -1, big.from_int(-v) end
  return 1, big.from_int(v)
end

-- sign, magnitude of a method's receiver
local function self(this, name)
  local m = type(this) == "table" and rawget(this, MAG)
  if not m then throw("TypeError", "Ternary.prototype." .. name .. " called on " .. describe(this) .. ", not a Ternary") end
  return rawget(this, SIGN), m
end

-- sign, magnitude of an operand: a Ternary, an exact integer number or a BigInt
local function operand(v, name)
  if type(v) == "table" then
    local m = rawget(v, MAG)
    if m then return rawget(v, SIGN), m end
    if R.typeof(v) == "bigint" then return parse_decimal(R.tostr(v), "Ternary.prototype." .. name) end
  elseif type(v) == "number" then
    return from_number(v, "Ternary.prototype." .. name .. ": the operand")
  end
  throw("TypeError", "Ternary.prototype." .. name .. ": the operand must be a Ternary, an integer number or a BigInt, got " .. describe(v))
end

local function signed_add(sa, ma, sb, mb)
  if sa == 0 then return sb, mb end
  if sb == 0 then return sa, ma end
  if sa == sb then return sa, big.add(ma, mb) end
  local c = big.cmp(ma, mb)
  if c == 0 then return 0, big.ZERO end
  if c > 0 then return sa, big.sub(ma, mb) end
  return sb, big.sub(mb, ma)
end

-- Truncated division of magnitudes (the quotient's sign is sa * sd, the remainder's sa).
local function divide(ma, sd, md, name)
  if sd == 0 then throw("RangeError", "Ternary.prototype." .. name .. ": division by zero") end
  return big.divmod(ma, md)
end

local function method(name, len, f) R.method(TernaryProto, name, len, f) end

method("add", 1, function(this, o)
  local sa, ma = self(this, "add")
  return make(signed_add(sa, ma, operand(o, "add")))
end)

method("sub", 1, function(this, o)
  local sa, ma = self(this, "sub")
  local sb, mb = operand(o, "sub")
  return make(signed_add(sa, ma, -sb, mb))
end)

method("mul", 1, function(this, o)
  local sa, ma = self(this, "mul")
  local sb, mb = operand(o, "mul")
  return make(sa * sb, big.mul(ma, mb))
end)

-- Balanced division: q * d + r == this with |r| <= |d| / 2. When |r| is exactly |d| / 2 the
-- remainder keeps the dividend's sign (the quotient rounds toward zero), so that
-- divmod(-a, d) is the negation of divmod(a, d), as trit flipping is.
method("divmod", 1, function(this, o)
  local sa, ma = self(this, "divmod")
  local sd, md = operand(o, "divmod")
  local q, r = divide(ma, sd, md, "divmod")
  local qs, rs = sa * sd, sa
  if big.cmp(big.mul_small(r, 2), md) > 0 then
    q, r, rs = big.add(q, big.from_int(1)), big.sub(md, r), -sa
  end
  return R.pack(make(qs, q), make(rs, r))
end)

-- Floor division, as Python's divmod: q = floor(this / d), r = this - q * d has d's sign.
local function floor_divmod(this, o, name)
  local sa, ma = self(this, name)
  local sd, md = operand(o, name)
  local q, r = divide(ma, sd, md, name)
  if r.n > 0 and sa ~= sd then
    return make(-1, big.add(q, big.from_int(1))), make(sd, big.sub(md, r))
  end
  return make(sa * sd, q), make(sa, r)
end

method("floorDivmod", 1, function(this, o) return R.pack(floor_divmod(this, o, "floorDivmod")) end)
method("floorDiv", 1, function(this, o) return (floor_divmod(this, o, "floorDiv")) end)

method("neg", 0, function(this)
  local s, m = self(this, "neg")
  return make(-s, m)
end)

method("abs", 0, function(this)
  local s, m = self(this, "abs")
  return make(s ~= 0 and 1 or 0, m)
end)

local function compare(sa, ma, sb, mb)
  if sa ~= sb then return sa < sb and -1 or 1 end
  return sa * big.cmp(ma, mb) + 0   -- (-1 * 0 is -0)
end

method("compare", 1, function(this, o)
  local sa, ma = self(this, "compare")
  return compare(sa, ma, operand(o, "compare"))
end)

method("equals", 1, function(this, o)
  local sa, ma = self(this, "equals")
  return compare(sa, ma, operand(o, "equals")) == 0
end)

-- this * 3^k; for k < 0 the k lowest trits are dropped, which rounds to the nearest integer
-- (3^k is odd: no ties)
-- The most trits a result may have (about 2^28: 18 million limbs, 143 MB), as BigInts stop at
-- V8's maximum size; past it a RangeError, not a process that runs out of memory.
local MAX_TRITS = 2 ^ 28
local function too_big(what)
  throw("RangeError", what .. ": Maximum Ternary size exceeded")
end

method("shift", 1, function(this, k)
  local s, m = self(this, "shift")
  check_int(k, "Ternary.prototype.shift: the trit count")
  if s == 0 then return this end
  local len = big.trit_length(m)
  if k >= 0 then
    if len + k > MAX_TRITS then too_big("Ternary.prototype.shift") end
    return make(s, big.shift_up(m, k))
  end
  if -k > len then return make(0, big.ZERO) end   -- (|this| < 3^|k| / 2: rounds to 0)
  local d = big.pow3(-k)
  local q, r = big.divmod(m, d)
  if big.cmp(big.mul_small(r, 2), d) > 0 then q = big.add(q, big.from_int(1)) end
  return make(s, q)
end)

-- log3 of a magnitude (> 0), from its top two limbs: m^e has about e * log3(m) trits.
local function log3(m)
  local n, B = m.n, big.B
  local top = m[n - 1] + (n > 1 and m[n - 2] / B or 0)
  return (n - 1) * big.K + math.log(top) / math.log(3)
end

method("pow", 1, function(this, e)
  local s, m = self(this, "pow")
  check_int(e, "Ternary.prototype.pow: the exponent")
  if e < 0 then throw("RangeError", "Ternary.prototype.pow: the exponent must be non-negative, got " .. R.tostr(e)) end
  if e > 1 and s ~= 0 and e * log3(m) > MAX_TRITS then too_big("Ternary.prototype.pow") end
  return make(e % 2 == 1 and s or 1, big.pow(m, e))
end)

method("isZero", 0, function(this) local s = self(this, "isZero"); return s == 0 end)
method("sign", 0, function(this) return (self(this, "sign")) end)
method("tritLength", 0, function(this)
  local _, m = self(this, "tritLength")
  return big.trit_length(m)
end)

-- The exact double, or RangeError. Above 2^53 a value is exact when it is a 53-bit integer
-- times 2^e: check that its remainder by 2^e is zero.
method("toNumber", 0, function(this)
  local s, m = self(this, "toNumber")
  local v = big.to_double(m)
  if v < MAX_EXACT then return s * v end
  if v < huge then
    local _, e = math.frexp(v)         -- v has e bits; rounded, the value has one more or less
    for bits = e + 1 > 1024 and 1024 or e + 1, e - 1, -1 do    -- 2^1024 overflows
      local p = big.pow(big.from_int(2), bits - 53)
      local q, r = big.divmod(m, p)
      if r.n == 0 and big.cmp(q, big.from_int(MAX_EXACT)) < 0 then
        return s * big.to_double(q) * 2 ^ (bits - 53)
      end
    end
  end
  local text = big.to_decimal(m)
  if #text > 40 then text = "a " .. #text .. "-digit value" else text = (s < 0 and "-" or "") .. text end
  throw("RangeError", "Ternary.prototype.toNumber: " .. text .. " has no exact Number (it needs more than 53 significant bits)")
end)

local function decimal(s, m) return (s < 0 and "-" or "") .. big.to_decimal(m) end

method("toString", 0, function(this) return decimal(self(this, "toString")) end)

-- A Ternary handed to Python becomes a Python int (luascript/runtime.py asks R.host_integers,
-- by prototype, so that subclasses' instances do too; an object without the slots stays one).
R.host_integers = R.host_integers or setmetatable({}, {__mode = "k"})
R.host_integers[TernaryProto] = function(v, test)
  local s, m = rawget(v, SIGN), rawget(v, MAG)
  if s == nil then return nil end
  if test then return true end    -- (whether v is one: making its text may take milliseconds)
  return decimal(s, m)
end
method("toJSON", 0, function(this) return decimal(self(this, "toJSON")) end)
method("toTritString", 0, function(this)
  local s, m = self(this, "toTritString")
  return big.to_trit_string(m, s)
end)

-- console.log: [Ternary: 42 +---0] (the trits only while they are short)
rawset(TernaryProto, R.sym_inspect_custom, R.fn(function(this)
  local s, m = self(this, "inspect")
  local out = "[Ternary: " .. decimal(s, m)
  if big.trit_length(m) <= 40 then out = out .. " " .. big.to_trit_string(m, s) end
  return out .. "]"
end, "[nodejs.util.inspect.custom]", 0))

local function static(name, len, f) R.method(Ternary, name, len, f) end

static("fromNumber", 1, function(_, v) return make(from_number(v, "Ternary.fromNumber: the value")) end)
static("fromDecimalString", 1, function(_, v) return make(parse_decimal(v, "Ternary.fromDecimalString")) end)
static("fromTritString", 1, function(_, v)
  local what = "Ternary.fromTritString"
  if type(v) ~= "string" then throw("TypeError", what .. ": expected a string, got " .. describe(v)) end
  if v == "" then throw("SyntaxError", what .. ": empty string (zero is \"0\")") end
  local bad = sfind(v, "[^%+0%-]")
  if bad then
    local ch, at = bad_char(v, bad)
    throw("SyntaxError", what .. ": invalid trit '" .. ch .. "' at index " .. at .. " of " .. quote(v) .. " (trits are '+', '0', '-')")
  end
  return make(big.from_trit_string(v))
end)

---------------------------------------------------------------------------------------------
-- Trits and three-valued logic

local Trit = R.newobj()
-- (one statement each: LuaJIT assigns a multiple assignment's targets right to left, and the
-- keys' order is the order they were stored)
Trit.NEG = -1
Trit.ZERO = 0
Trit.POS = 1

local function check_trit(v, what)
  if v ~= -1 and v ~= 0 and v ~= 1 then
    throw("TypeError", what .. " must be a trit (-1, 0 or 1), got " .. describe(v))
  end
  return v
end

local CHARS = {[-1] = "-", [0] = "0", [1] = "+"}
local FROM_CHAR = {["-"] = -1, ["0"] = 0, ["+"] = 1}
R.method(Trit, "toChar", 1, function(_, t) return CHARS[check_trit(t, "Trit.toChar: the argument")] end)
R.method(Trit, "fromChar", 1, function(_, c)
  local t = FROM_CHAR[c]
  if t == nil then throw("TypeError", "Trit.fromChar: expected '+', '0' or '-', got " .. describe(c)) end
  return t
end)
R.method(Trit, "isTrit", 1, function(_, v) return v == -1 or v == 0 or v == 1 end)

-- JS object of checked connectives (`not` takes one trit, the others two)
local function connectives(name, fs)
  local o = R.newobj()
  for _, op in ipairs({"and", "or", "not", "implies", "equiv", "xor", "consensus", "any"}) do
    local f = fs[op]
    if f then
      local where = name .. "." .. op .. ": "
      -- (+ 0: a trit is never -0, which the connectives' negations make of 0)
      if logic.ARITY[op] == 1 then
        o[op] = R.fn(function(_, a) return f(check_trit(a, where .. "the argument")) + 0 end, op, 1)
      else
        o[op] = R.fn(function(_, a, b)
          return f(check_trit(a, where .. "argument 1"), check_trit(b, where .. "argument 2")) + 0
        end, op, 2)
      end
    end
  end
  return o
end

---------------------------------------------------------------------------------------------
-- Typed arrays

local function typed(v, kinds, what)
  local k = R.typed_kind(v)
  if not (k and kinds[k]) then
    local names = {}
    for n in pairs(kinds) do names[#names + 1] = n end
    table.sort(names)
    local first = names[1] or ""
    local article = sfind(first, "^[AEIOUaeiou]") and "an " or "a "
    throw("TypeError", what .. " must be " .. article .. table.concat(names, " or ") .. ", got " ..
      (k or describe(v)))
  end
  -- v[TA_PTR], not rawget: a device array gives a host snapshot here (ljs.gpu)
  return v[R.TA_PTR], v[R.TA_LEN]
end

local FLOATS = {Float32Array = true, Float64Array = true}
local SORTED = {Float32Array = true, Float64Array = true, Int8Array = true, Uint8Array = true,
  Int16Array = true, Uint16Array = true, Int32Array = true, Uint32Array = true}

local function new_typed(name, n) return R.new(R.typed_ctors[name], n) end

-- An object with enumerable data properties in the given order.
local function record(keys, vals)
  local o = R.newobj()
  for i = 1, #keys do o[keys[i]] = vals[i] end
  return o
end

---------------------------------------------------------------------------------------------
-- search

local searchObj = R.newobj()
searchObj.indexOf = R.fn(function(_, a, x)
  local p, n
  if R.isarray(a) then p, n = a, rawget(a, "length")
  else p, n = typed(a, SORTED, "search.indexOf: the array") end
  if type(x) ~= "number" then return -1 end
  local i, bad = search.index_of(p, n, x)
  if bad then
    throw("TypeError", "search.indexOf: the array must hold numbers, sorted; element " .. bad .. " is " ..
      describe(p[bad]))
  end
  return i
end, "indexOf", 2)

local function unimodal(name, run, sign)
  searchObj[name] = R.fn(function(_, f, lo, hi, tol)
    local what = "search." .. name
    if not R.iscallable(f) then throw("TypeError", what .. ": the function must be callable, got " .. describe(f)) end
    if type(lo) ~= "number" or type(hi) ~= "number" then
      throw("TypeError", what .. ": lo and hi must be numbers, got " .. describe(lo) .. ", " .. describe(hi))
    end
    if lo ~= lo or hi ~= hi or lo > hi then
      throw("RangeError", what .. ": expected numbers lo <= hi, got " .. describe(lo) .. ", " .. describe(hi))
    end
    if lo == -math.huge or hi == math.huge then
      throw("RangeError", what .. ": lo and hi must be finite, got " .. describe(lo) .. ", " .. describe(hi))
    end
    if tol == nil then tol = 1e-9 end
    if type(tol) ~= "number" then throw("TypeError", what .. ": the tolerance must be a number, got " .. describe(tol)) end
    if not (tol > 0) then throw("RangeError", what .. ": the tolerance must be positive, got " .. describe(tol)) end
    local x, fx, evals = run(function(v) return sign * R.tonum(f(nil, v)) end, lo, hi, tol)
    return record({"x", "value", "evaluations"}, {x, sign * fx, evals})
  end, name, 4)
end
unimodal("minimize", search.ternary_min, 1)
unimodal("maximize", search.ternary_min, -1)
unimodal("goldenMinimize", search.golden_min, 1)

---------------------------------------------------------------------------------------------
-- quantize

local quantizeObj = R.newobj()
quantizeObj.twn = R.fn(function(_, w)
  local p, n = typed(w, FLOATS, "quantize.twn: the weights")
  local trits = new_typed("Int8Array", n)
  local scale, delta = quantize.twn(p, n, rawget(trits, R.TA_PTR))
  return record({"trits", "scale", "threshold"}, {trits, scale, delta})
end, "twn", 1)
quantizeObj.absmean = R.fn(function(_, w)
  local p, n = typed(w, FLOATS, "quantize.absmean: the weights")
  local trits = new_typed("Int8Array", n)
  local scale = quantize.absmean(p, n, rawget(trits, R.TA_PTR))
  return record({"trits", "scale"}, {trits, scale})
end, "absmean", 1)

---------------------------------------------------------------------------------------------
-- PackedTernaryMatrix

local STATE = {}
local function size(v, what)
  check_int(v, what)
  if v < 1 then throw("RangeError", what .. " must be at least 1, got " .. R.tostr(v)) end
  return v
end

local MatrixProto
local function PackedTernaryMatrix(this, trits, rows, cols, options)
  local what = "new PackedTernaryMatrix"
  if not R.constructing(this, MatrixProto) then
    throw("TypeError", "Class constructor PackedTernaryMatrix cannot be invoked without 'new'")
  end
  size(rows, what .. ": rows")
  size(cols, what .. ": cols")
  local format, scale = "2bit", 1
  if options ~= nil and options ~= null then
    if not R.isobject(options) then throw("TypeError", what .. ": options must be an object, got " .. describe(options)) end
    local f = options.format
    if f ~= nil then
      if not packed.FORMATS[f] then throw("RangeError", what .. ": format must be \"2bit\" or \"base3\", got " .. describe(f)) end
      format = f
    end
    local s = options.scale
    if s ~= nil then
      if type(s) ~= "number" then throw("TypeError", what .. ": scale must be a number, got " .. describe(s)) end
      if s ~= s then throw("RangeError", what .. ": scale must not be NaN") end
      scale = s
    end
  end
  local p, n
  if R.isarray(trits) then
    n = rawget(trits, "length")
    local buf = new_typed("Int8Array", n)
    p = rawget(buf, R.TA_PTR)
    for i = 0, n - 1 do p[i] = check_trit(rawget(trits, i), what .. ": element " .. i) end
  else
    p, n = typed(trits, {Int8Array = true}, what .. ": the trits")
    for i = 0, n - 1 do
      local v = p[i]
      if v < -1 or v > 1 then check_trit(v, what .. ": element " .. i) end
    end
  end
  if n ~= rows * cols then
    local num = R.tostr   -- (JS's digits: Lua's `..` writes 1e+15 and -0)
    throw("RangeError", what .. ": " .. n .. " trits do not make a " .. num(rows) .. "x" .. num(cols) .. " matrix (" .. num(rows * cols) .. " needed)")
  end
  local m = packed.new(p, rows, cols, format, scale)
  rawset(this, STATE, m)
  for _, k in ipairs({"rows", "cols", "format", "scale"}) do
    R.defprop(this, k, {value = m[k], writable = false, enumerable = true, configurable = false})
  end
  R.defprop(this, "byteLength", {value = rows * m.stride, writable = false, enumerable = false, configurable = false})
end
MatrixProto = class("PackedTernaryMatrix", 3, PackedTernaryMatrix)

local function state(this, name)
  local m = type(this) == "table" and rawget(this, STATE)
  if not m then throw("TypeError", "PackedTernaryMatrix.prototype." .. name .. " called on " .. describe(this) .. ", not a PackedTernaryMatrix") end
  return m
end

local function float_array(v, what)
  local k = R.typed_kind(v)
  if not FLOATS[k] then throw("TypeError", what .. " must be a Float32Array or Float64Array, got " .. (k or describe(v))) end
  return k, v[R.TA_LEN]
end

local gpu   -- ljs.gpu, loaded at the first matvec
local ON_CPU = "PackedTernaryMatrix matvec runs"

local function address(v, device)
  local p = device and gpu.device_address(v) or rawget(v, R.TA_PTR)
  return tonumber(ffi.cast("uintptr_t", p))
end

local WIDTH = {Float32Array = 4, Float64Array = 8}
-- Whether the float arrays a and b (of kinds ak, bk) share memory.
local function overlap(a, ak, b, bk, device)
  local ap, bp = address(a, device), address(b, device)
  return ap < bp + WIDTH[bk] * b[R.TA_LEN] and bp < ap + WIDTH[ak] * a[R.TA_LEN]
end

-- Why the kernel cannot take x and out, or nil (it computes in float32 and reads x while
-- other warps write out).
local function gpu_decline(x, xk, out, ok)
  if xk ~= "Float32Array" or ok ~= "Float32Array" then return "x and out must be Float32Arrays" end
  if x == out then return "x and out are the same array" end
  if overlap(x, xk, out, ok, true) then return "x and out share memory" end
end

-- x's memory for the CPU product: a copy where out shares it and the product writes out before
-- it has read all of x (a matrix wider than one table of packed.matvec).
local function cpu_input(m, x, xk, out, ok)
  local xp, n = rawget(x, R.TA_PTR), x[R.TA_LEN]
  if m.stride <= packed.CHUNK or not overlap(x, xk, out, ok) then return xp end
  local copy = ffi.new("double[?]", n)
  for i = 0, n - 1 do copy[i] = xp[i] end
  return copy
end

R.method(MatrixProto, "matvec", 2, function(this, x, out)
  local m = state(this, "matvec")
  local what = "PackedTernaryMatrix.prototype.matvec"
  local xk, xn = float_array(x, what .. ": x")
  if xn ~= m.cols then throw("RangeError", what .. ": x has " .. xn .. " elements, the matrix " .. m.cols .. " columns") end
  if out == nil then out = new_typed("Float32Array", m.rows) end
  local ok, on = float_array(out, what .. ": out")
  if on ~= m.rows then throw("RangeError", what .. ": out has " .. on .. " elements, the matrix " .. m.rows .. " rows") end
  gpu = gpu or require("ljs.gpu")
  if gpu.use_device(ON_CPU) then
    local why = gpu_decline(x, xk, out, ok)
    if not why then return packed.matvec_device(gpu, m, x, out) end
    gpu.decline_library(what, why)
  end
  packed.matvec(m, cpu_input(m, x, xk, out, ok), out[R.TA_PTR])
  gpu.flush(out)
  return out
end)

R.method(MatrixProto, "get", 2, function(this, r, c)
  local m = state(this, "get")
  check_int(r, "PackedTernaryMatrix.prototype.get: the row")
  check_int(c, "PackedTernaryMatrix.prototype.get: the column")
  if r < 0 or r >= m.rows or c < 0 or c >= m.cols then
    throw("RangeError", "PackedTernaryMatrix.prototype.get: (" .. R.tostr(r) .. ", " .. R.tostr(c) .. ") is outside the " .. m.rows .. "x" .. m.cols .. " matrix")
  end
  return packed.get(m, r, c)
end)

R.method(MatrixProto, "toTrits", 0, function(this)
  local m = state(this, "toTrits")
  local out = new_typed("Int8Array", m.rows * m.cols)
  local p = rawget(out, R.TA_PTR)
  for r = 0, m.rows - 1 do
    for c = 0, m.cols - 1 do p[r * m.cols + c] = packed.get(m, r, c) end
  end
  return out
end)

R.hidden(PackedTernaryMatrix, "cudaSource", packed.CUDA_SOURCE)

---------------------------------------------------------------------------------------------

local exports = R.newobj()
exports.Ternary = Ternary
exports.Trit = Trit
exports.kleene = connectives("kleene", logic.kleene)
exports.lukasiewicz = connectives("lukasiewicz", logic.lukasiewicz)
exports.search = searchObj
exports.quantize = quantizeObj
exports.PackedTernaryMatrix = PackedTernaryMatrix
return exports
