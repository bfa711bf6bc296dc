-- ljs.bigint: BigInt values. A BigInt is an interned table {sign = -1|0|1, [1..n] = magnitude limbs
-- in base 2^24, least significant first}; interning by value makes `===`, Object.is and Map keys
-- plain identity. Limb products (< 2^48) plus carries stay exact in doubles.
local R = require("ljs.core")
local G = R.G
local BigIntMT, BIG0 = R.BigIntMT, R.BIG0
local floor, concat, sbyte, ssub, schar = math.floor, table.concat, string.byte, string.sub, string.char
local setmetatable, type = setmetatable, type

local BASE = 16777216          -- 2^24
local BITS = 24

local B = {}
R.big = B

---------------------------------------------------------------------------------------------
-- Interning
local interned = setmetatable({}, {__mode = "v"})
interned["0"] = BIG0

-- The interning key of a BigInt of three limbs or more: its sign and three bytes per limb,
-- written in place (the limbs' decimal text joined took a third of a modular exponentiation)
local keybuf = require("string.buffer").new()
local function long_key(sign, mag, n)
  keybuf:reset()
  local p = keybuf:reserve(3 * n + 1)
  p[0] = sign < 0 and 45 or 43
  for i = 1, n do
    local l = mag[i]
    local b0 = l % 256
    local r = (l - b0) / 256
    local b1 = r % 256
    p[3 * i - 2], p[3 * i - 1], p[3 * i] = b0, b1, (r - b1) / 256
  end
  keybuf:commit(3 * n + 1)
  return keybuf:tostring()
end

-- a BigInt from a sign and a magnitude (a fresh limb array, trimmed here)
local function make(sign, mag)
  local n = #mag
  while n > 0 and mag[n] == 0 do mag[n] = nil; n = n - 1 end
  if n == 0 then return BIG0 end
  -- (below 2^48 the value itself is the key, plus a half: no string to build for the common
  -- small BigInt, and no integer key, which a trace cannot look up in this table's hash part)
  local key = n == 1 and sign * mag[1] + 0.5 or n == 2 and sign * (mag[2] * BASE + mag[1]) + 0.5
              or long_key(sign, mag, n)
  local v = interned[key]
  if v then return v end
  mag.sign = sign
  v = setmetatable(mag, BigIntMT)
  interned[key] = v
  return v
end
B.make = make

local function mag_of(x) local m = {}; for i = 1, #x do m[i] = x[i] end; return m end

function B.is(v) return type(v) == "table" and getmetatable(v) == BigIntMT end
local isbig = B.is

---------------------------------------------------------------------------------------------
-- Magnitude arithmetic (arrays of limbs)
local function mcmp(a, b)
  local na, nb = #a, #b
  if na ~= nb then return na < nb and -1 or 1 end
  for i = na, 1, -1 do
    if a[i] ~= b[i] then return a[i] < b[i] and -1 or 1 end
  end
  return 0
end

local function madd(a, b)
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local s = (a[i] or 0) + (b[i] or 0) + carry
    if s >= BASE then r[i] = s - BASE; carry = 1 else r[i] = s; carry = 0 end
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end

-- a - b for a >= b
local function msub(a, b)
  local r, borrow = {}, 0
  for i = 1, #a do
    local s = a[i] - (b[i] or 0) - borrow
    if s < 0 then r[i] = s + BASE; borrow = 1 else r[i] = s; borrow = 0 end
  end
  return r
end

local function mmul(a, b)
  local na, nb = #a, #b
  if na == 0 or nb == 0 then return {} end
  local r = {}
  for i = 1, na + nb do r[i] = 0 end
  for i = 1, na do
    local ai, carry = a[i], 0
    if ai ~= 0 then
      for j = 1, nb do
        local t = r[i + j - 1] + ai * b[j] + carry
        carry = floor(t / BASE)
        r[i + j - 1] = t - carry * BASE
      end
      local k = i + nb
      while carry > 0 do
        local t = r[k] + carry
        carry = floor(t / BASE)
        r[k] = t - carry * BASE
        k = k + 1
      end
    end
  end
  return r
end

-- a * m + c for a small m (< 2^24) and c
local function mmul_small(a, m, c)
  local r, carry = {}, c or 0
  for i = 1, #a do
    local t = a[i] * m + carry
    carry = floor(t / BASE)
    r[i] = t - carry * BASE
  end
  while carry > 0 do r[#r + 1] = carry % BASE; carry = floor(carry / BASE) end
  return r
end

-- a / d for a small d (< 2^24): quotient magnitude, remainder
local function mdiv_small(a, d)
  local q, rem = {}, 0
  for i = #a, 1, -1 do
    local t = rem * BASE + a[i]
    local qi = floor(t / d)
    q[i] = qi
    rem = t - qi * d
  end
  local n = #a
  while n > 0 and q[n] == 0 do q[n] = nil; n = n - 1 end
  return q, rem
end

local function mshl(a, k)      -- a * 2^k
  if #a == 0 then return {} end
  local limbs, bits = floor(k / BITS), k % BITS
  local r = {}
  for i = 1, limbs do r[i] = 0 end
  local carry, mul = 0, 2 ^ bits
  for i = 1, #a do
    local t = a[i] * mul + carry
    carry = floor(t / BASE)
    r[limbs + i] = t - carry * BASE
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end

local function mshr(a, k)      -- floor(a / 2^k)
  local limbs, bits = floor(k / BITS), k % BITS
  local r, div = {}, 2 ^ bits
  for i = limbs + 1, #a do
    local lo = floor(a[i] / div)
    local hi = a[i + 1] and (a[i + 1] % div) * (BASE / div) or 0
    r[i - limbs] = lo + hi
  end
  local n = #r
  while n > 0 and r[n] == 0 do r[n] = nil; n = n - 1 end
  return r
end

local function bitlen(a)
  local n = #a
  if n == 0 then return 0 end
  local top, b = a[n], 0
  while top >= 1 do top = floor(top / 2); b = b + 1 end
  return (n - 1) * BITS + b
end

-- Knuth's algorithm D (TAOCP vol. 2, 4.3.1) for #b >= 2 and a >= b: one quotient limb per step,
-- estimated from the top two limbs of the remainder and b's top limb (b shifted so that limb is
-- at least BASE/2, which makes the estimate at most two too large). Every product and two-limb
-- number stays below 2^48, exact in a double.
local normalized = setmetatable({}, {__mode = "k"})   -- BigInt -> {b shifted, shift}
local function mdivmod_long(a, b)
  local nb = normalized[b]   -- (a loop of remainders modulo one m shifts m once)
  if nb == nil then
    local s = BITS * #b - bitlen(b)
    nb = {mshl(b, s), s}
    normalized[b] = nb
  end
  local v, s = nb[1], nb[2]
  local u = mshl(a, s)
  local n = #v
  local m = #u - n
  u[#u + 1] = 0
  local vn, vn1 = v[n], v[n - 1]
  local q = {}
  for j = m, 0, -1 do
    local num = u[j + n + 1] * BASE + u[j + n]
    local qhat = floor(num / vn)
    local rhat = num - qhat * vn
    while qhat >= BASE or qhat * vn1 > rhat * BASE + u[j + n - 1] do
      qhat = qhat - 1
      rhat = rhat + vn
      if rhat >= BASE then break end
    end
    -- u[j+1 .. j+n+1] -= qhat * v
    local borrow, carry = 0, 0
    for i = 1, n do
      local p = qhat * v[i] + carry
      carry = floor(p / BASE)
      local t = u[j + i] - (p - carry * BASE) - borrow
      if t < 0 then u[j + i] = t + BASE; borrow = 1 else u[j + i] = t; borrow = 0 end
    end
    local t = u[j + n + 1] - carry - borrow
    if t < 0 then   -- the estimate was one too large (rare): add v back
      qhat = qhat - 1
      local c = 0
      for i = 1, n do
        local x = u[j + i] + v[i] + c
        if x >= BASE then u[j + i] = x - BASE; c = 1 else u[j + i] = x; c = 0 end
      end
      t = t + c
    end
    u[j + n + 1] = t
    q[j + 1] = qhat
  end
  local r = {}
  for i = 1, n do r[i] = u[i] end
  return q, mshr(r, s)
end

-- truncated division of magnitudes: quotient, remainder
local function mdivmod(a, b)
  if #b == 1 then
    local q, r = mdiv_small(a, b[1])
    return q, r == 0 and {} or {r}
  end
  if mcmp(a, b) < 0 then return {}, mag_of(a) end
  return mdivmod_long(a, b)
end

---------------------------------------------------------------------------------------------
-- Conversions
local SMALL = 281474976710656   -- 2^48: below it a BigInt is interned under its value (+ 0.5)
local EXACT = 9007199254740992   -- 2^53

local function from_small(x)   -- an integral double
  if x == 0 then return BIG0 end
  if x < SMALL and x > -SMALL then   -- (no loop: one or two limbs)
    local v = interned[x + 0.5]   -- (make's key)
    if v then return v end
    local m = x < 0 and -x or x
    local lo = m % BASE
    local hi = (m - lo) / BASE
    v = setmetatable(hi > 0 and {lo, hi, sign = x < 0 and -1 or 1} or {lo, sign = x < 0 and -1 or 1}, BigIntMT)
    interned[x + 0.5] = v
    return v
  end
  local sign = x < 0 and -1 or 1
  x = x < 0 and -x or x
  local mag, i = {}, 0
  while x > 0 do
    i = i + 1
    local l = x % BASE
    mag[i] = l
    x = (x - l) / BASE
  end
  return make(sign, mag)
end

function B.from_number(x)
  if x ~= x or x == math.huge or x == -math.huge or x ~= floor(x) then
    R.throw_error("RangeError", "The number " .. R.tostr(x) .. " cannot be converted to a BigInt because it is not an integer")
  end
  return from_small(x)
end

function B.tonumber(x)
  local r = 0
  for i = #x, 1, -1 do r = r * BASE + x[i] end
  return x.sign < 0 and -r or r
end

local DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
function B.tostring(x, radix)
  radix = radix or 10
  if x == BIG0 then return "0" end
  local mag, out, n = mag_of(x), {}, 0
  -- peel off several digits per division
  local chunk, per = radix, 1
  while chunk * radix < BASE do chunk = chunk * radix; per = per + 1 end
  while #mag > 0 do
    local rem
    mag, rem = mdiv_small(mag, chunk)
    for _ = 1, per do
      local d = rem % radix
      n = n + 1
      out[n] = ssub(DIGITS, d + 1, d + 1)
      rem = (rem - d) / radix
      if #mag == 0 and rem == 0 then break end
    end
  end
  local s = {}
  for i = n, 1, -1 do s[#s + 1] = out[i] end
  return (x.sign < 0 and "-" or "") .. concat(s)
end

-- digits in a radix (no sign, no prefix, no separators) -> BigInt, or nil when a digit is bad
local function parse_digits(s, radix, sign)
  if s == "" then return nil end
  local mag = {}
  for i = 1, #s do
    local c = sbyte(s, i)
    local d
    if c >= 48 and c <= 57 then d = c - 48
    elseif c >= 97 and c <= 122 then d = c - 87
    elseif c >= 65 and c <= 90 then d = c - 55 end
    if not d or d >= radix then return nil end
    mag = mmul_small(mag, radix, d)
  end
  return make(sign, mag)
end

local PREFIX = {x = 16, X = 16, o = 8, O = 8, b = 2, B = 2}

-- a BigInt literal's text without the n and separators: decimal or 0x/0o/0b
function B.literal(s)
  if ssub(s, 1, 1) == "0" and PREFIX[ssub(s, 2, 2)] then return parse_digits(ssub(s, 3), PREFIX[ssub(s, 2, 2)], 1) end
  return parse_digits(s, 10, 1)
end
local lits = {}
function R.bigint(s)
  local v = lits[s]
  if not v then v = B.literal(s); lits[s] = v end
  return v
end

-- StringToBigInt: nil when the string is no integer literal
function B.from_string(s)
  s = ssub(s, require("ljs.numconv").trim(s))
  if s == "" then return BIG0 end
  local p = PREFIX[ssub(s, 2, 2)]
  if ssub(s, 1, 1) == "0" and p then return parse_digits(ssub(s, 3), p, 1) end
  local sign = 1
  local c = ssub(s, 1, 1)
  if c == "-" or c == "+" then sign = c == "-" and -1 or 1; s = ssub(s, 2) end
  return parse_digits(s, 10, sign)
end

-- ToBigInt(v)
function B.tobig(v)
  local p = R.toprim(v, "number")
  local t = type(p)
  if t == "table" and isbig(p) then return p end
  if t == "boolean" then return p and from_small(1) or BIG0 end
  if t == "string" then
    local r = B.from_string(p)
    if not r then R.throw_error("SyntaxError", "Cannot convert " .. p .. " to a BigInt") end
    return r
  end
  if t == "number" then R.type_error("Cannot convert " .. R.tostr(p) .. " to a BigInt") end
  R.type_error("Cannot convert " .. (p == nil and "undefined" or R.tostr(p)) .. " to a BigInt")
end

---------------------------------------------------------------------------------------------
-- Signed arithmetic
-- the value of a BigInt below 2^48 in magnitude (one or two limbs) as a double, else nil:
-- sums and products of such values that stay below 2^53 are computed as doubles
local function small_value(a)
  local n = #a
  if n == 1 then return a.sign * a[1] end
  if n == 2 then return a.sign * (a[2] * BASE + a[1]) end
end

local function add(a, b)
  if a == BIG0 then return b end
  if b == BIG0 then return a end
  local x, y = small_value(a), small_value(b)
  if x and y then return from_small(x + y) end
  if a.sign == b.sign then return make(a.sign, madd(a, b)) end
  local c = mcmp(a, b)
  if c == 0 then return BIG0 end
  if c > 0 then return make(a.sign, msub(a, b)) end
  return make(b.sign, msub(b, a))
end
local function neg(a)
  if a == BIG0 then return a end
  return make(-a.sign, mag_of(a))
end
local function sub(a, b) return add(a, neg(b)) end
local function mul(a, b)
  if a == BIG0 or b == BIG0 then return BIG0 end
  local x, y = small_value(a), small_value(b)
  if x and y then
    local p = x * y   -- (exact when below 2^53: rounding cannot bring a larger product under it)
    if p < EXACT and p > -EXACT then return from_small(p) end
  end
  return make(a.sign * b.sign, mmul(a, b))
end
local function divmod(a, b)
  if b == BIG0 then R.throw_error("RangeError", "Division by zero") end
  local x, y = small_value(a), small_value(b)
  if x and y then   -- (below 2^48 both: floor of the double quotient is exact)
    local ax, ay = x < 0 and -x or x, y < 0 and -y or y
    local q = floor(ax / ay)
    local r = ax - q * ay
    return from_small((x < 0) == (y < 0) and q or -q), from_small(x < 0 and -r or r)
  end
  local q, r = mdivmod(a, b)
  return make(a.sign * b.sign, q), make(a.sign, r)
end
local ONE = from_small(1)
B.ONE = ONE
local function pow(a, b)
  if b.sign < 0 then R.throw_error("RangeError", "Exponent must be non-negative") end
  local e = B.tonumber(b)
  if e > 1e7 and not (a == BIG0 or a == ONE) then R.throw_error("RangeError", "Maximum BigInt size exceeded") end
  local r, base = ONE, a
  while e > 0 do
    if e % 2 == 1 then r = mul(r, base) end
    e = floor(e / 2)
    if e > 0 then base = mul(base, base) end
  end
  return r
end
B.add, B.sub, B.mul, B.neg, B.pow = add, sub, mul, neg, pow

function B.cmp(a, b)   -- -1, 0, 1
  if a.sign ~= b.sign then return a.sign < b.sign and -1 or 1 end
  local c = mcmp(a, b)
  return a.sign < 0 and -c or c
end

-- Two's complement views for the bitwise operators: limbs of x mod 2^(24n), n limbs
local function twos(x, n)
  local r = {}
  for i = 1, n do r[i] = x[i] or 0 end
  if x.sign < 0 then
    local borrow = 1   -- invert(|x| - 1)
    for i = 1, n do
      local s = r[i] - borrow
      if s < 0 then s = s + BASE; borrow = 1 else borrow = 0 end
      r[i] = BASE - 1 - s
    end
  end
  return r
end
local function from_twos(r, n)
  if r[n] >= BASE / 2 then   -- negative: -(invert(r) + 1)
    local m = {}
    for i = 1, n do m[i] = BASE - 1 - r[i] end
    return make(-1, madd(m, {1}))
  end
  return make(1, r)
end
local function bitwise(a, b, f)
  local n = math.max(#a, #b) + 1
  local x, y, r = twos(a, n), twos(b, n), {}
  for i = 1, n do r[i] = f(x[i], y[i]) end
  return from_twos(r, n)
end
local band, bor, bxor = bit.band, bit.bor, bit.bxor

function B.shl(a, b)
  if b.sign < 0 then return B.sar(a, neg(b)) end
  if a == BIG0 then return a end
  local k = B.tonumber(b)
  if k > 1e9 then R.throw_error("RangeError", "Maximum BigInt size exceeded") end
  return make(a.sign, mshl(a, k))
end
function B.sar(a, b)   -- floor(a / 2^b)
  if b.sign < 0 then return B.shl(a, neg(b)) end
  local k = B.tonumber(b)
  if a.sign >= 0 then return make(1, mshr(a, k)) end
  -- floor for negatives: -ceil(|a| / 2^k)
  local q = mshr(a, k)
  if mcmp(mshl(q, k), a) ~= 0 then q = madd(q, {1}) end
  return make(-1, q)
end

-- BigInt.asUintN / asIntN
function B.as_uint(bits, x)
  if bits == 0 then return BIG0 end
  local n = floor((bits - 1) / BITS) + 2
  local r = twos(x, math.max(n, #x + 1))
  for i = n + 1, #r do r[i] = nil end
  local top = floor((bits - 1) / BITS) + 1
  for i = top + 1, n do r[i] = 0 end
  local keep = bits - (top - 1) * BITS
  r[top] = r[top] % (2 ^ keep)
  return make(1, r)
end
function B.as_int(bits, x)
  if bits == 0 then return BIG0 end
  local u = B.as_uint(bits, x)
  -- values at or above 2^(bits-1) wrap to negative
  local half = make(1, mshl({1}, bits - 1))
  if u ~= BIG0 and B.cmp(u, half) >= 0 then return sub(u, make(1, mshl({1}, bits))) end
  return u
end

---------------------------------------------------------------------------------------------
-- The operators as the compiled code and core reach them (both operands already ToNumeric)
local function mix() R.type_error("Cannot mix BigInt and other types, use explicit conversions") end

local OPS = {
  add = add, sub = sub, mul = mul,
  div = function(a, b) local q = divmod(a, b); return q end,
  mod = function(a, b) local _, r = divmod(a, b); return r end,
  pow = pow,
  band = function(a, b) return bitwise(a, b, band) end,
  bor = function(a, b) return bitwise(a, b, bor) end,
  bxor = function(a, b) return bitwise(a, b, bxor) end,
  shl = B.shl, sar = B.sar,
  shr = function() R.type_error("BigInts have no unsigned right shift, use >> instead") end,
}
function R.bigint_op(name, a, b)
  if not (isbig(a) and isbig(b)) then mix() end
  return OPS[name](a, b)
end
function R.bigint_unop(name, a)
  if name == "neg" then return neg(a) end
  return sub(neg(a), ONE)   -- bnot: -a - 1
end

-- Comparison with any primitive: -1, 0, 1, or nil when undefined (NaN, a non-numeric string)
function R.bigint_compare(a, b)
  local ab, bb = isbig(a), isbig(b)
  if ab and bb then return B.cmp(a, b) end
  if not ab then local c = R.bigint_compare(b, a); return c and -c end
  if type(b) == "string" then
    local y = B.from_string(b)
    return y and B.cmp(a, y) or nil
  end
  local y = R.tonum(b)
  if y ~= y then return nil end
  if y == math.huge then return -1 end
  if y == -math.huge then return 1 end
  local fy = floor(y)
  local c = B.cmp(a, from_small(fy))
  if c == 0 and fy < y then return -1 end
  return c
end

---------------------------------------------------------------------------------------------
-- Metatable: arithmetic through Lua's operators, methods from BigInt.prototype
local numeric = R.tonumeric
local function binop(name)
  return function(a, b)
    a, b = numeric(a), numeric(b)
    return R.bigint_op(name, a, b)
  end
end
BigIntMT.__add = binop("add")
BigIntMT.__sub = binop("sub")
BigIntMT.__mul = binop("mul")
BigIntMT.__div = binop("div")
BigIntMT.__mod = binop("mod")
BigIntMT.__pow = binop("pow")
BigIntMT.__unm = neg
BigIntMT.__lt = function(a, b) return B.cmp(a, b) < 0 end   -- two BigInts (sorting)
BigIntMT.__le = function(a, b) return B.cmp(a, b) <= 0 end
BigIntMT.__tostring = function(x) return B.tostring(x) .. "n" end

local BigIntPrototype = R.newobj()
R.BigIntPrototype = BigIntPrototype
BigIntMT.__index = BigIntPrototype
BigIntMT.__newindex = function() end   -- stores on a primitive are dropped (TypeError in strict code)

local function this_big(v, what)
  if isbig(v) then return v end
  if type(v) == "table" and R.isobject(v) then
    local inner = rawget(v, R.BIGINT_DATA)
    if inner then return inner end
  end
  R.type_error("BigInt.prototype." .. what .. " requires that 'this' be a BigInt")
end
R.BIGINT_DATA = R.BIGINT_DATA or setmetatable({}, {__tostring = function() return "[[BigIntData]]" end})

local BigInt = function(_, v)
  local p = R.toprim(v, "number")
  if type(p) == "number" then return B.from_number(p) end
  return B.tobig(p)
end
R.ctor("BigInt", 1, BigInt, BigIntPrototype)
R.arrows[BigInt] = true   -- not a constructor: `new BigInt(1)` is a TypeError

R.method(BigIntPrototype, "toString", 0, function(this, radix)
  local x = this_big(this, "toString")
  local r = radix == nil and 10 or R.tointeger and R.tointeger(radix) or floor(R.tonum(radix))
  if r ~= r or r < 2 or r > 36 then R.throw_error("RangeError", "toString() radix must be between 2 and 36") end
  return B.tostring(x, r)
end)
R.method(BigIntPrototype, "toLocaleString", 0, function(this, locales, options)
  return require("ljs.intl").number_to_locale_string(this_big(this, "toLocaleString"), locales, options)
end)
R.method(BigIntPrototype, "valueOf", 0, function(this) return this_big(this, "valueOf") end)
R.defprop(BigIntPrototype, R.sym_toStringTag, {value = "BigInt", writable = false, enumerable = false, configurable = true})

local function toindex(v, what)
  local n = R.tonum(v)
  if n ~= n then n = 0 end
  n = n < 0 and -floor(-n) or floor(n)
  if n < 0 or n > 9007199254740991 then R.throw_error("RangeError", "Invalid value: not (convertible to) a safe integer") end
  return n
end
R.method(BigInt, "asUintN", 2, function(_, bits, v)
  bits = toindex(bits)
  return B.as_uint(bits, B.tobig(v))
end)
R.method(BigInt, "asIntN", 2, function(_, bits, v)
  bits = toindex(bits)
  return B.as_int(bits, B.tobig(v))
end)

-- BigInt64Array / BigUint64Array element conversions: int64 cdata <-> BigInt
local ffi = require("ffi")
local TWO32 = 4294967296
function B.from_int64(c)   -- an int64_t or uint64_t cdata
  local negative = c < 0
  local u = ffi.cast("uint64_t", c)
  if negative then u = -u end   -- the magnitude (uint64 negation)
  local hi, lo = tonumber(u / TWO32), tonumber(u % TWO32)
  return make(negative and -1 or 1, madd(mshl(mag_of(from_small(hi)), 32), mag_of(from_small(lo))))
end
function B.to_uint64(x)   -- x mod 2^64 as uint64_t
  local u = B.as_uint(64, x)
  local r = ffi.new("uint64_t", 0)
  for i = #u, 1, -1 do r = r * BASE + u[i] end
  return r
end

return B
