-- ljs.math: the Math object.
--
-- Most functions map onto Lua's math library or libm through the FFI; the ones where JS
-- differs from C (round, max/min with NaN and signed zeros, pow, hypot, sign) are written out.
-- cbrt is fdlibm's (V8 uses it, and glibc's is off by an ulp for cubes like 27).
local R = require("ljs.core")
local ffi = require("ffi")
local bit = require("bit")

local type, select, pcall, tostring, tonumber, rawset, rawget, setmetatable, getmetatable =
      type, select, pcall, tostring, tonumber, rawset, rawget, setmetatable, getmetatable
local floor, ceil, sqrt, abs, huge = math.floor, math.ceil, math.sqrt, math.abs, math.huge
local band, lshift, tobit = bit.band, bit.lshift, bit.tobit
local tonum, touint32, method, hidden, constant = R.tonum, R.touint32, R.method, R.hidden, R.constant
local NaN = 0/0

local M = setmetatable({}, R.ObjectMT)
hidden(R.G, "Math", M)
R.tag(M, "Math")

constant(M, "E", math.exp(1))
constant(M, "LN10", 2.302585092994046)
constant(M, "LN2", 0.6931471805599453)
constant(M, "LOG10E", 0.4342944819032518)
constant(M, "LOG2E", 1.4426950408889634)
constant(M, "PI", math.pi)
constant(M, "SQRT1_2", 0.7071067811865476)
constant(M, "SQRT2", 1.4142135623730951)

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

-- f16round: to IEEE binary16 with ties to even, straight from the double (going through a
-- float first would round twice). Magnitudes from 65520 (halfway to 2^16) up overflow.
local TWO_M24 = 2 ^ -24
unary("f16round", function(x)
  if x ~= x or x == 0 or x == huge or x == -huge then return x end
  local a = abs(x)
  local r
  if a >= 65520 then
    r = huge
  else
    local _, e = math.frexp(a)            -- a in [2^(e-1), 2^e)
    local ulp = 2 ^ (e - 11)              -- 11 significant bits
    if ulp < TWO_M24 then ulp = TWO_M24 end   -- subnormal halves
    local q = a / ulp                     -- exact: scaling by a power of two
    local n = floor(q)
    local d = q - n
    if d > 0.5 or (d == 0.5 and n % 2 == 1) then n = n + 1 end
    r = n * ulp
  end
  if x < 0 then return -r end
  return r
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
-- sumPrecise: the exact sum of the finite values, rounded once. Every finite double is an
-- integer multiple of 2^-1074 below 2^1024, so it is added into a fixed-point accumulator of
-- 32-bit limbs (limb i weighs 2^(32i - 1074)); limbs hold signed sums without carrying and are
-- normalised every 2^20 values, long before a limb could leave the exact range of a double.
local NLIMBS = 72                -- 2304 bits: 2^1024 times a count far beyond 2^53
local LIMB = 4294967296          -- 2^32
local TWO52, TWO53 = 2 ^ 52, 2 ^ 53
local frexp, ldexp = math.frexp, math.ldexp

local function acc_normalise(acc)
  local carry = 0
  for i = 0, NLIMBS - 2 do
    local v = acc[i] + carry
    carry = floor(v / LIMB)
    acc[i] = v - carry * LIMB
  end
  acc[NLIMBS - 1] = acc[NLIMBS - 1] + carry
end

local function acc_add(acc, x)
  local neg = x < 0
  if neg then x = -x end
  local m, e = frexp(x)             -- x = m * 2^e, 0.5 <= m < 1
  m = m * TWO53                     -- integer mantissa; x = m * 2^(e - 53)
  local p = e - 53 + 1074           -- bit position of m's lowest bit
  if p < 0 then m = m * 2 ^ p; p = 0 end   -- subnormals: trailing zeros go
  local li = floor(p / 32)
  local v = m * 2 ^ (p - li * 32)   -- below 2^85
  local d0 = v % LIMB
  v = (v - d0) / LIMB
  local d1 = v % LIMB
  local d2 = (v - d1) / LIMB
  if neg then d0, d1, d2 = -d0, -d1, -d2 end
  acc[li] = acc[li] + d0
  acc[li + 1] = acc[li + 1] + d1
  acc[li + 2] = acc[li + 2] + d2
end

local function acc_bit(acc, pos)
  local l = floor(pos / 32)
  return floor(acc[l] / 2 ^ (pos - l * 32)) % 2
end

-- The accumulator's value rounded to the nearest double, ties to even.
local function acc_round(acc)
  acc_normalise(acc)
  local sign = 1
  if acc[NLIMBS - 1] < 0 then
    sign = -1
    for i = 0, NLIMBS - 1 do acc[i] = -acc[i] end
    acc_normalise(acc)
  end
  local top = NLIMBS - 1
  while top >= 0 and acc[top] == 0 do top = top - 1 end
  if top < 0 then return 0 end
  local hb = top * 32 + floor(math.log(acc[top]) / math.log(2) + 1e-9)
  while 2 ^ (hb - top * 32) > acc[top] do hb = hb - 1 end
  while 2 ^ (hb - top * 32 + 1) <= acc[top] do hb = hb + 1 end
  if hb < 53 then                     -- exact: fewer than 54 bits, all above 2^-1074
    local n = 0
    for pos = hb, 0, -1 do n = n * 2 + acc_bit(acc, pos) end
    return sign * ldexp(n, -1074)
  end
  local lo = hb - 52                  -- position of the result's last bit
  local n = 0
  for pos = hb, lo, -1 do n = n * 2 + acc_bit(acc, pos) end
  local half = acc_bit(acc, lo - 1) == 1
  if half then
    local sticky = false
    local rp = lo - 1                 -- bits below the rounding bit
    local l = floor(rp / 32)
    if acc[l] % 2 ^ (rp - l * 32) ~= 0 then sticky = true end
    for i = l - 1, 0, -1 do if acc[i] ~= 0 then sticky = true; break end end
    if sticky or n % 2 == 1 then n = n + 1 end
  end
  return sign * ldexp(n, lo - 1074)   -- 2^1024 and beyond come out as Infinity
end

local function protocol_state_step(st, n)
  local r = st.next(st.it)
  if not R.isobject(r) then R.type_error("Iterator result " .. R.tostr(r) .. " is not an object") end
  if R.truthy(r.done) then st.done = true; return nil end
  return n + 1, r.value
end

-- R.iter, except that an array with an own [Symbol.iterator] is iterated through it.
local function open_iter(v)
  if type(v) == "table" and getmetatable(v) == R.ArrayMT and rawget(v, R.sym_iterator) ~= nil then
    local it = R.get_iterator(v)
    return protocol_state_step, {it = it, next = it.next}, 0
  end
  return R.iter(v)
end

local function close_quietly(s)
  if R.iter_close then pcall(R.iter_close, s) end
end

method(M, "sumPrecise", 1, function(_, items)
  if items == nil or items == R.null then R.type_error("Math.sumPrecise called on " .. R.tostr(items)) end
  local f, s, ctl = open_iter(items)
  -- states: "-0" (nothing but -0 so far), "finite", "+inf", "-inf", "nan"
  local state = "-0"
  local acc, count, pending = nil, 0, 0
  local simple, ssum = true, 0        -- a plain double sum while it is provably exact
  while true do
    local v
    ctl, v = f(s, ctl)
    if ctl == nil then break end
    count = count + 1
    if count >= TWO53 then
      close_quietly(s)
      R.throw_error("RangeError", "Math.sumPrecise: too many values")
    end
    if type(v) ~= "number" then
      close_quietly(s)
      R.type_error("Math.sumPrecise: " .. R.typeof(v) .. " is not a number")
    end
    if state ~= "nan" then
      if v ~= v then
        state = "nan"
      elseif v == huge then
        state = (state == "-inf") and "nan" or "+inf"
      elseif v == -huge then
        state = (state == "+inf") and "nan" or "-inf"
      elseif not (v == 0 and 1 / v < 0) and (state == "-0" or state == "finite") then
        state = "finite"
        -- integers below 2^53 in magnitude add exactly while the running sum stays below 2^53
        if simple and v == floor(v) and v > -TWO52 and v < TWO52 and ssum > -TWO52 and ssum < TWO52 then
          ssum = ssum + v
        else
          if simple then
            simple = false
            acc = {}
            for i = 0, NLIMBS - 1 do acc[i] = 0 end
            if ssum ~= 0 then acc_add(acc, ssum) end
          end
          acc_add(acc, v)
          pending = pending + 1
          if pending >= 1048576 then acc_normalise(acc); pending = 0 end
        end
      end
    end
  end
  if state == "nan" then return NaN end
  if state == "+inf" then return huge end
  if state == "-inf" then return -huge end
  if state == "-0" then return -0.0 end
  if simple then
    if ssum == 0 then return 0 end
    return ssum
  end
  return acc_round(acc)
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
