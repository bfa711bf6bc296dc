-- ljs.math: the Math object.
--
-- Most functions map onto Lua's math library or libm through the FFI; the ones where JS
-- differs from C (round, max/min with NaN and signed zeros, pow, hypot, sign) are written out.
-- cbrt is fdlibm's (V8 uses it, and glibc's is off by an ulp for cubes like 27).
local R = require("ljs.core")
local ffi = require("ffi")
local bit = require("bit")

local type, select, pcall, tostring, tonumber, rawset, setmetatable =
      type, select, pcall, tostring, tonumber, rawset, setmetatable
local floor, ceil, sqrt, abs, huge = math.floor, math.ceil, math.sqrt, math.abs, math.huge
local band, lshift, tobit = bit.band, bit.lshift, bit.tobit
local tonum, touint32, method, hidden = R.tonum, R.touint32, R.method, R.hidden
local NaN = 0/0

local M = setmetatable({}, R.ObjectMT)
hidden(R.G, "Math", M)
rawset(M, R.sym_toStringTag, "Math")

hidden(M, "E", math.exp(1))
hidden(M, "LN10", 2.302585092994046)
hidden(M, "LN2", 0.6931471805599453)
hidden(M, "LOG10E", 0.4342944819032518)
hidden(M, "LOG2E", 1.4426950408889634)
hidden(M, "PI", math.pi)
hidden(M, "SQRT1_2", 0.7071067811865476)
hidden(M, "SQRT2", 1.4142135623730951)

-- libm functions Lua's math library lacks; pure Lua stand-ins if a symbol is missing.
local C = ffi.C
local function libm(name, fallback)
  local ok, f = pcall(function()
    ffi.cdef("double " .. name .. "(double);")
    return C[name]
  end)
  if ok and f then return f end
  return fallback
end

local c_expm1 = libm("expm1", function(x)
  if abs(x) < 1e-5 then return x + x * x / 2 + x * x * x / 6 end
  return math.exp(x) - 1
end)
local c_log1p = libm("log1p", function(x)
  if abs(x) < 1e-4 then return x - x * x / 2 + x * x * x / 3 end
  return math.log(1 + x)
end)
local c_log2 = libm("log2", function(x) return math.log(x) / 0.6931471805599453 end)
local c_acosh = libm("acosh", function(x) return math.log(x + sqrt(x * x - 1)) end)
local c_asinh = libm("asinh", function(x)
  if x == 0 then return x end
  local a = abs(x)
  local r = math.log(a + sqrt(a * a + 1))
  return x < 0 and -r or r
end)
local c_atanh = libm("atanh", function(x)
  if x == 0 then return x end
  return 0.5 * math.log((1 + x) / (1 - x))
end)

-- A one-argument function: ToNumber, then f.
local function unary(name, f)
  method(M, name, 1, function(_, x)
    if type(x) ~= "number" then x = tonum(x) end
    return f(x)
  end)
end

unary("abs", abs)
unary("acos", math.acos)
unary("asin", math.asin)
unary("atan", math.atan)
unary("ceil", ceil)
unary("cos", math.cos)
unary("cosh", math.cosh)
unary("exp", math.exp)
unary("floor", floor)
unary("log", function(x) return math.log(x) end)
unary("log10", math.log10)
unary("sin", math.sin)
unary("sinh", math.sinh)
unary("sqrt", sqrt)
unary("tan", math.tan)
unary("tanh", math.tanh)
unary("expm1", function(x) return tonumber(c_expm1(x)) end)
unary("log1p", function(x) return tonumber(c_log1p(x)) end)
unary("log2", function(x) return tonumber(c_log2(x)) end)
unary("acosh", function(x) return tonumber(c_acosh(x)) end)
unary("asinh", function(x) return tonumber(c_asinh(x)) end)
unary("atanh", function(x) return tonumber(c_atanh(x)) end)

method(M, "atan2", 2, function(_, y, x)
  if type(y) ~= "number" then y = tonum(y) end
  if type(x) ~= "number" then x = tonum(x) end
  return math.atan2(y, x)
end)

method(M, "pow", 2, function(_, a, b) return R.pow(a, b) end)

-- trunc keeps the sign of zero: trunc(-0.5) is -0.
unary("trunc", function(x)
  if x >= 0 then return floor(x) end
  return ceil(x)
end)

unary("sign", function(x)
  if x > 0 then return 1 end
  if x < 0 then return -1 end
  return x   -- NaN, +0, -0
end)

-- round: halves go towards +Infinity; x - floor(x) is exact, unlike floor(x + 0.5) which
-- rounds 0.49999999999999994 up. Results in (-0.5, -0] are -0.
unary("round", function(x)
  local r = floor(x)
  if r == x then return x end      -- integers, ±Infinity, and -0 as they are
  if x - r >= 0.5 then r = r + 1 end
  if r == 0 and x < 0 then return -0.0 end
  return r
end)

-- fround: through a C float.
local fbuf = ffi.new("float[1]")
unary("fround", function(x)
  fbuf[0] = x
  return tonumber(fbuf[0])
end)

unary("clz32", function(x)
  local n = tobit(touint32(x))
  if n == 0 then return 32 end
  local c = 0
  if band(n, 0xffff0000) == 0 then c = 16; n = lshift(n, 16) end
  if band(n, 0xff000000) == 0 then c = c + 8; n = lshift(n, 8) end
  if band(n, 0xf0000000) == 0 then c = c + 4; n = lshift(n, 4) end
  if band(n, 0xc0000000) == 0 then c = c + 2; n = lshift(n, 2) end
  if band(n, 0x80000000) == 0 then c = c + 1 end
  return c
end)

-- imul: 16-bit halves keep every partial product exact in a double.
method(M, "imul", 2, function(_, a, b)
  a, b = touint32(a), touint32(b)
  local ah, al = floor(a / 65536), a % 65536
  local bh, bl = floor(b / 65536), b % 65536
  return tobit(al * bl + ((ah * bl + al * bh) % 65536) * 65536)
end)

-- max/min: every argument is converted; NaN wins; +0 > -0. Two arguments are the common
-- case; long argument lists (Math.max(...a)) are packed once rather than walked with select.
local function max2(a, b)
  if type(a) ~= "number" then a = tonum(a) end
  if type(b) ~= "number" then b = tonum(b) end
  if a ~= a or b ~= b then return NaN end
  if a > b then return a end
  if b > a then return b end
  if a == 0 and 1 / a < 0 then return b end   -- max(-0, +0) is +0
  return a
end
local function min2(a, b)
  if type(a) ~= "number" then a = tonum(a) end
  if type(b) ~= "number" then b = tonum(b) end
  if a ~= a or b ~= b then return NaN end
  if a < b then return a end
  if b < a then return b end
  if a == 0 and 1 / a > 0 then return b end   -- min(+0, -0) is -0
  return a
end

method(M, "max", 2, function(_, ...)
  local n = select("#", ...)
  if n == 2 then return max2(...) end
  local args = {...}
  local r, nan = -huge, false
  for i = 1, n do
    local x = args[i]
    if type(x) ~= "number" then x = tonum(x) end
    if x ~= x then nan = true
    elseif x > r or (x == 0 and r == 0 and 1 / r < 0) then r = x end
  end
  if nan then return NaN end
  return r
end)
method(M, "min", 2, function(_, ...)
  local n = select("#", ...)
  if n == 2 then return min2(...) end
  local args = {...}
  local r, nan = huge, false
  for i = 1, n do
    local x = args[i]
    if type(x) ~= "number" then x = tonum(x) end
    if x ~= x then nan = true
    elseif x < r or (x == 0 and r == 0 and 1 / x < 0) then r = x end
  end
  if nan then return NaN end
  return r
end)

-- hypot: V8's algorithm (scale by the largest magnitude, Kahan-summed squares), so results
-- match node bit for bit; Infinity beats NaN.
method(M, "hypot", 2, function(_, ...)
  local n = select("#", ...)
  if n == 0 then return 0 end
  local vals, max, nan = {...}, 0, false
  for i = 1, n do
    local x = vals[i]
    if type(x) ~= "number" then x = tonum(x) end
    if x ~= x then
      nan = true
      vals[i] = 0
    else
      x = abs(x)
      vals[i] = x
      if x > max then max = x end
    end
  end
  if max == huge then return huge end
  if nan then return NaN end
  if max == 0 then return 0 end
  local sum, comp = 0, 0
  for i = 1, n do
    local r = vals[i] / max
    local summand = r * r - comp
    local pre = sum + summand
    comp = (pre - sum) - summand
    sum = pre
  end
  return sqrt(sum) * max
end)

---------------------------------------------------------------------------------------------
-- cbrt: fdlibm s_cbrt.c. Its bit manipulations are done on the IEEE words computed with
-- frexp/ldexp (exact integer arithmetic in doubles): type punning through an FFI union is not
-- safe once the JIT compiles it.
local frexp, ldexp = math.frexp, math.ldexp
local B1, B2 = 715094163, 696219795
local P0, P1, P2, P3, P4 = 1.87595182427177009643, -1.88497979543377169875, 1.621429720105354466140,
                           -0.758397934778766047437, 0.145996192886612446982
local TWO20, TWO30, TWO31, TWO32, TWO52 = 2 ^ 20, 2 ^ 30, 2 ^ 31, 2 ^ 32, 2 ^ 52

-- High and low 32-bit words of a positive normal double.
local function words(a)
  local m, e = frexp(a)
  local mant = (2 * m - 1) * TWO52
  return (e + 1022) * TWO20 + floor(mant / TWO32), mant % TWO32
end

-- The positive double with these words.
local function fromwords(hi, lo)
  return ldexp(1 + ((hi % TWO20) * TWO32 + lo) / TWO52, floor(hi / TWO20) - 1023)
end

local function cbrt(x)
  if x ~= x or x == huge or x == -huge then return x + x end
  if x == 0 then return x end
  local a = abs(x)
  local t
  if a < 2.2250738585072014e-308 then   -- subnormal: scale by 2^54 first
    t = fromwords(floor(words(a * 18014398509481984.0) / 3) + B2, 0)
  else
    t = fromwords(floor(words(a) / 3) + B1, 0)
  end
  if x < 0 then t = -t end
  -- to 23 bits, then round away from zero to 23 bits and one Newton step to 53
  local r = (t * t) * (t / x)
  t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4))
  local hi, lo = words(abs(t))
  lo = lo + TWO31
  if lo >= TWO32 then hi = hi + 1; lo = lo - TWO32 end
  t = fromwords(hi, lo - lo % TWO30)
  if x < 0 then t = -t end
  local s = t * t
  r = x / s
  local w = t + t
  r = (r - t) / (w + r)
  return t + t * r
end
unary("cbrt", cbrt)

---------------------------------------------------------------------------------------------
-- random: xorshift128+ as in V8, 53 random bits per double.
local rs = ffi.new("uint64_t[2]")

local function splitmix(z)
  z = z + 0x9E3779B97F4A7C15ULL
  local x = z
  x = bit.bxor(x, bit.rshift(x, 30)) * 0xBF58476D1CE4E5B9ULL
  x = bit.bxor(x, bit.rshift(x, 27)) * 0x94D049BB133111EBULL
  return z, bit.bxor(x, bit.rshift(x, 31))
end

local function seed(n)
  local z = ffi.cast("uint64_t", n)
  local a, b
  z, a = splitmix(z)
  z, b = splitmix(z)
  if a == 0 and b == 0 then b = 1ULL end
  rs[0], rs[1] = a, b
end

do
  -- time, CPU clock and an address: differs between runs and between runtimes
  local addr = tonumber(string.match(tostring({}), "0x(%x+)") or "0", 16) or 0
  seed(os.time() * 1000003 + floor(os.clock() * 1e6) + addr % 4294967296)
end
R.math_seed = seed   -- deterministic runs (tests, benchmarks) may reseed

local TWO_M53 = 2 ^ -53
method(M, "random", 0, function()
  local s1, s0 = rs[0], rs[1]
  rs[0] = s0
  s1 = bit.bxor(s1, bit.lshift(s1, 23))
  s1 = bit.bxor(s1, bit.rshift(s1, 17))
  s1 = bit.bxor(s1, s0)
  s1 = bit.bxor(s1, bit.rshift(s0, 26))
  rs[1] = s1
  return tonumber(bit.rshift(rs[0] + s1, 11)) * TWO_M53
end)

return M
