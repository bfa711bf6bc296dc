----------------------------------------------------------------------------
-- LuaScript runtime: JavaScript number <-> string conversions.
--
-- Every result matches what node (V8) prints.  Shortest round-trip digits
-- come from LuaJIT's exact string.format plus a round-trip check (strtod_l
-- or tonumber; both round correctly, LuaJIT's strscan also for long input).
-- toFixed/toPrecision/toExponential need the exact decimal expansion of
-- the double, because the spec breaks ties upwards while printf breaks them
-- to even; that expansion is computed with a small bignum below.
----------------------------------------------------------------------------

local bit = require("bit")

local byte, char, sub, find, match, rep, format =
  string.byte, string.char, string.sub, string.find, string.match,
  string.rep, string.format
local floor, frexp, ldexp, fmod = math.floor, math.frexp, math.ldexp, math.fmod
local concat = table.concat
local tonumber, type, select = tonumber, type, select
local bor = bit.bor

local inf = 1/0
local nan = 0/0
local negzero = -(0.0)
local TWO53 = 2^53
local MINNORMAL = 2.2250738585072014e-308

-- Round-trip checks parse 15-17 digit strings.  glibc/musl strtod_l is
-- about three times faster at that than LuaJIT's tonumber and just as
-- exact; the explicit "C" locale keeps a host's setlocale() from changing
-- the decimal point under us.  Anything else falls back to tonumber.
local str2d = tonumber
do
  local okffi, ffi = pcall(require, "ffi")
  local mask = okffi and (ffi.os == "Linux" and 2 or ffi.os == "OSX" and 16)
  if mask then
    pcall(ffi.cdef, [[
      void *newlocale(int mask, const char *locale, void *base);
      double strtod_l(const char *s, char **end, void *loc);
    ]])
    local ok, loc = pcall(function() return ffi.C.newlocale(mask, "C", nil) end)
    if ok and loc ~= nil then
      local strtod_l = ffi.C.strtod_l
      local function f(s) return strtod_l(s, nil, loc) end
      local okf, v = pcall(f, "0.5")
      if okf and v == 0.5 and f("1e-7") == 1e-7 and f("1.7976931348623157e308")
         == 1.7976931348623157e308 then
        str2d = f
      end
    end
  end
end

local N = {}

----------------------------------------------------------------------------
-- Shortest round-trip digits.
----------------------------------------------------------------------------

-- Precompiled format strings; building them per call costs a concat.
local fmt_e = {}
for p = 0, 16 do fmt_e[p] = "%." .. p .. "e" end

-- Digits and decimal point position n (value = 0.DIGITS * 10^n) of a
-- printf %e/%g string in exponent form. Trailing zeros are dropped.
local function split_exp(s)
  local d1, rest, ex = match(s, "^-?(%d)%.?(%d*)e([-+]%d+)$")
  local digits = d1 .. rest
  local z = find(digits, "0*$")
  if z > 1 then digits = sub(digits, 1, z - 1) end
  return digits, tonumber(ex) + 1
end

-- d with 1 added to its last digit; one digit longer on carry-out.
local function incdigits(d)
  local i = #d
  while i > 0 and byte(d, i) == 57 do i = i - 1 end
  if i == 0 then return "1" .. rep("0", #d) end
  return sub(d, 1, i - 1) .. char(byte(d, i) + 1) .. rep("0", #d - i)
end

-- A power of two has a rounding interval reaching twice as far above it as
-- below, so when the nearest 16-digit decimal lies below and misses, the
-- 16-digit neighbour above may still round-trip (2^-24 prints as
-- 5.960464477539063e-8).  Returns (digits, n) or nil.
local function pow2_up16(ax)
  local s = format("%.15e", ax)
  if str2d(s) > ax then return nil end
  local d1, rest, ex = match(s, "^(%d)%.(%d+)e([-+]%d+)$")
  local d, n = incdigits(d1 .. rest), tonumber(ex) + 1
  if #d > 16 then d = sub(d, 1, 16); n = n + 1 end
  if str2d(sub(d, 1, 1) .. "." .. sub(d, 2) .. "e" .. (n - 1)) ~= ax then
    return nil
  end
  local z = find(d, "0*$")
  return sub(d, 1, z - 1), n
end

-- Shortest digits of ax (> 0, finite) as (digits, n).
-- For normal doubles the half-ulp interval is narrower than the spacing of
-- 15-digit decimals, so if %.15g round-trips its digits are already the
-- shortest; otherwise 16, else 17 digits, each time the closest candidate,
-- which is the spec's tie rule.  Subnormals have wide intervals relative to
-- their size, so they get a full search.
local function shortest(ax)
  if ax < MINNORMAL then
    for p = 0, 16 do
      local s = format(fmt_e[p], ax)
      if str2d(s) == ax then return split_exp(s) end
    end
  end
  local s = format("%.14e", ax)
  if str2d(s) ~= ax then
    s = format("%.15e", ax)
    if str2d(s) ~= ax then
      if frexp(ax) == 0.5 then
        local d, n = pow2_up16(ax)
        if d then return d, n end
      end
      s = format("%.16e", ax)
    end
  end
  return split_exp(s)
end

-- Number::toString layout of digits/n (spec 6.1.6.1.20 steps 6-12).
local function layout(sign, digits, n)
  local k = #digits
  if k <= n and n <= 21 then
    return sign .. digits .. rep("0", n - k)
  elseif 0 < n and n <= 21 then
    return sign .. sub(digits, 1, n) .. "." .. sub(digits, n + 1)
  elseif -6 < n and n <= 0 then
    return sign .. "0." .. rep("0", -n) .. digits
  end
  local e = n - 1
  local es = e < 0 and "e-" .. (-e) or "e+" .. e
  if k == 1 then return sign .. digits .. es end
  return sign .. sub(digits, 1, 1) .. "." .. sub(digits, 2) .. es
end

local function subnormal_tostring(x)
  if x < 0 then return layout("-", shortest(-x)) end
  return layout("", shortest(x))
end

-- Hot path.  Integer-valued doubles below 2^53 go through "%d", which
-- LuaJIT formats from an int64 (exact in that range, wrong above 2^63).
-- Other values: %.Ng already prints the spec's decimal form whenever its
-- own fixed notation applies (exponent -4 .. N-1), and the spec's exponent
-- form when the exponent is <= -10 or >= 21.  The magnitude tests below
-- are exact stand-ins for the printed exponent: a power of ten's double
-- prints as that power, so nothing below it can print at or above it.
local function num2str(x)
  if x == floor(x) and x < TWO53 and x > -TWO53 then
    return format("%d", x)
  end
  if x ~= x then return "NaN" end
  local ax = x < 0 and -x or x
  if ax == inf then return x > 0 and "Infinity" or "-Infinity" end
  if ax < MINNORMAL then return subnormal_tostring(x) end
  local s = format("%.15g", x)
  if str2d(s) ~= x then
    s = format("%.16g", x)
    if str2d(s) ~= x then
      if frexp(ax) == 0.5 then
        return layout(x < 0 and "-" or "", shortest(ax))
      end
      s = format("%.17g", x)
    end
  end
  if ax >= 1e-4 then
    if ax < 1e15 or ax >= 1e21 or not find(s, "e", 1, true) then return s end
  elseif ax < 1e-9 then
    return s
  elseif ax < 1e-6 then
    return sub(s, 1, -3) .. sub(s, -1)  -- "e-07" -> "e-7"
  end
  local digits, n = split_exp(s)
  return layout(x < 0 and "-" or "", digits, n)
end
N.tostring = num2str
N.incdigits = incdigits   -- ("199" -> "200"): for number.lua and intl.lua's rounding

-- The integer and fraction digits of the decimal 0.d * 10^intlen: ("1234", 2) -> "12", "34";
-- ("5", -1) -> "", "05"; ("5", 3) -> "500", "".
function N.split_digits(d, intlen)
  if intlen <= 0 then return "", rep("0", -intlen) .. d end
  if intlen >= #d then return d .. rep("0", intlen - #d), "" end
  return sub(d, 1, intlen), sub(d, intlen + 1)
end

----------------------------------------------------------------------------
-- Exact decimal expansion (for toFixed / toPrecision / toExponential).
----------------------------------------------------------------------------

-- Returns digits (no leading/trailing zeros) and n with ax = 0.DIGITS*10^n.
-- ax = M * 2^e2 with M odd; for e2 < 0 that is M*5^k / 10^k (k = -e2), so
-- only integer multiplication is needed.  Limbs are base 1e7 so that
-- limb * 5^12 (or * 2^26) plus carry stays below 2^53.
local function exactdigits(ax)
  local m, e = frexp(ax)
  local M, e2 = m * TWO53, e - 53
  while M % 2 == 0 do M = M / 2; e2 = e2 + 1 end
  local L, nl = {}, 0
  repeat
    local lo = M % 1e7
    nl = nl + 1; L[nl] = lo
    M = (M - lo) / 1e7
  until M == 0
  local cnt, base, chunk
  if e2 >= 0 then cnt, base, chunk = e2, 2, 26 else cnt, base, chunk = -e2, 5, 12 end
  while cnt > 0 do
    local c = cnt < chunk and cnt or chunk
    cnt = cnt - c
    local f, carry = base ^ c, 0
    for i = 1, nl do
      local v = L[i] * f + carry
      local lo = v % 1e7
      L[i] = lo
      carry = (v - lo) / 1e7
    end
    while carry > 0 do
      local lo = carry % 1e7
      nl = nl + 1; L[nl] = lo
      carry = (carry - lo) / 1e7
    end
  end
  local parts = { format("%d", L[nl]) }
  for i = nl - 1, 1, -1 do parts[nl - i + 1] = format("%07d", L[i]) end
  local s = concat(parts)
  local n = #s
  if e2 < 0 then
    n = n + e2
  else
    local z = find(s, "0*$")
    if z <= n then s = sub(s, 1, z - 1) end
  end
  return s, n
end

-- First `keep` (>= 1) digits of the exact digit string d, rounded half-up.
-- Exact digits have no trailing zeros, so "next digit >= 5" is exactly
-- "at least half", which makes ties go up as the spec demands.  The result
-- has keep+1 digits when the rounding carries out ("999" -> "1000").
local function roundto(d, keep)
  local k = #d
  if k <= keep then return d .. rep("0", keep - k) end
  local head = sub(d, 1, keep)
  if byte(d, keep + 1) < 53 then return head end
  return incdigits(head)
end

-- "%.<f>f" for toFixed: LuaJIT's formatting is exact and correctly rounded, as toFixed is, but for
-- an exact tie between two roundings, where toFixed takes the larger. x * 10^f is halfway between
-- two integers only when x * 2^(f+1) is an odd integer (x is a binary fraction).
local FIXED = {}
for f = 0, 20 do FIXED[f] = {"%." .. f .. "f", 2 ^ (f + 1)} end

function N.toFixed(x, f)
  f = f or 0
  if x ~= x then return "NaN" end
  if x >= 1e21 or x <= -1e21 then return num2str(x) end
  local sign = ""
  if x < 0 then sign = "-"; x = -x elseif x == 0 then x = 0 end   -- (-0 prints as 0)
  local fixed = FIXED[f]
  if fixed and (x >= 1e-10 or x == 0) then   -- (LuaJIT's %f misprints tiny numbers: 1e-279 as 1e17)
    local y = x * fixed[2]
    if y ~= floor(y) or y % 2 ~= 1 then return sign .. format(fixed[1], x) end
  end
  local m = "0"
  if x ~= 0 then
    local d, n = exactdigits(x)
    local keep = n + f
    if keep > 0 then
      m = roundto(d, keep)
    elseif keep == 0 and byte(d, 1) >= 53 then
      m = "1"
    end
  end
  if f ~= 0 then
    local k = #m
    if k <= f then m = rep("0", f + 1 - k) .. m; k = f + 1 end
    m = sub(m, 1, k - f) .. "." .. sub(m, k - f + 1)
  end
  return sign .. m
end

local function expstr(e)
  return e < 0 and "e-" .. (-e) or "e+" .. e
end

function N.toExponential(x, f)
  if x ~= x then return "NaN" end
  local sign = ""
  if x < 0 then sign = "-"; x = -x end
  if x == inf then return sign .. "Infinity" end
  local m, e
  if x == 0 then
    m, e = rep("0", (f or 0) + 1), 0
  elseif f == nil then
    local d, n = shortest(x)
    m, e = d, n - 1
  else
    local d, n = exactdigits(x)
    m = roundto(d, f + 1)
    if #m > f + 1 then m = sub(m, 1, f + 1); n = n + 1 end
    e = n - 1
  end
  if #m > 1 then m = sub(m, 1, 1) .. "." .. sub(m, 2) end
  return sign .. m .. expstr(e)
end

function N.toPrecision(x, p)
  if p == nil then return num2str(x) end
  if x ~= x then return "NaN" end
  local sign = ""
  if x < 0 then sign = "-"; x = -x end
  if x == inf then return sign .. "Infinity" end
  local m, e
  if x == 0 then
    m, e = rep("0", p), 0
  else
    local d, n = exactdigits(x)
    m = roundto(d, p)
    if #m > p then m = sub(m, 1, p); n = n + 1 end
    e = n - 1
  end
  if e < -6 or e >= p then
    if p > 1 then m = sub(m, 1, 1) .. "." .. sub(m, 2) end
    return sign .. m .. expstr(e)
  end
  if e == p - 1 then return sign .. m end
  if e >= 0 then return sign .. sub(m, 1, e + 1) .. "." .. sub(m, e + 2) end
  return sign .. "0." .. rep("0", -(e + 1)) .. m
end

----------------------------------------------------------------------------
-- Number.prototype.toString(radix): V8's DoubleToRadixCString, step by step,
-- since its digit choice (and its zero fill above 2^53) is not the exact
-- shortest and only replaying the same double arithmetic reproduces it.
----------------------------------------------------------------------------

local DIGITS = {}
for i = 0, 35 do DIGITS[i] = sub("0123456789abcdefghijklmnopqrstuvwxyz", i + 1, i + 1) end

-- The digits of an integer 0 < x < 2^53: hexadecimal and octal by string.format; others from
-- the last digit up (x % radix and the division are exact there) into a scratch list, then in
-- order into a buffer, with no table or string per digit.
local scratch, sbuf = {}, require("string.buffer").new(64)
local function int_toradix(x, radix)
  if radix == 16 then return format("%x", x) end
  if radix == 8 then return format("%o", x) end
  local n = 0
  repeat
    local d = x % radix
    n = n + 1; scratch[n] = DIGITS[d]
    x = (x - d) / radix
  until x == 0
  sbuf:reset()
  for i = n, 1, -1 do sbuf:put(scratch[i]) end
  return sbuf:get()
end

function N.toradix(x, radix)
  if radix == 10 or radix == nil then return num2str(x) end
  if x ~= x then return "NaN" end
  if x == inf then return "Infinity" end
  if x == -inf then return "-Infinity" end
  local negative = x < 0
  if negative then x = -x end
  if x < radix and x == floor(x) then
    return negative and "-" .. DIGITS[x] or DIGITS[x]
  end
  if x == floor(x) and x < TWO53 then return (negative and "-" or "") .. int_toradix(x, radix) end
  local integer = floor(x)
  local fraction = x - integer
  -- Half the gap to the next double up; at least the smallest subnormal.
  local delta
  do
    local _, e = frexp(x)
    delta = 0.5 * ldexp(1, (e - 53 > -1074) and e - 53 or -1074)
    if delta < 4.9406564584124654e-324 then delta = 4.9406564584124654e-324 end
  end
  local frac, nf = nil, 0
  if fraction >= delta then
    frac = {}
    repeat
      fraction = fraction * radix
      delta = delta * radix
      local digit = floor(fraction)
      nf = nf + 1; frac[nf] = digit
      fraction = fraction - digit
      if fraction > 0.5 or (fraction == 0.5 and digit % 2 == 1) then
        if fraction + delta > 1 then
          -- Round up, propagating the carry back through written digits.
          while true do
            if nf == 0 then integer = integer + 1; break end
            local dd = frac[nf]
            if dd + 1 < radix then frac[nf] = dd + 1; break end
            nf = nf - 1
          end
          break
        end
      end
    until fraction < delta
  end
  local ip, ni = {}, 0
  -- Digits below the double's precision are printed as zeros.
  while integer / radix >= TWO53 do
    integer = integer / radix
    ni = ni + 1; ip[ni] = "0"
  end
  -- Above 2^53 the subtraction below can round, leaving a fractional
  -- "integer"; V8 then truncates the remainder, and so do we.
  repeat
    local r = fmod(integer, radix)
    ni = ni + 1; ip[ni] = DIGITS[floor(r)]
    integer = (integer - r) / radix
  until integer <= 0
  local out, no = {}, 0
  if negative then no = 1; out[1] = "-" end
  for i = ni, 1, -1 do no = no + 1; out[no] = ip[i] end
  if nf > 0 then
    no = no + 1; out[no] = "."
    for i = 1, nf do no = no + 1; out[no] = DIGITS[frac[i]] end
  end
  return concat(out, "", 1, no)
end

----------------------------------------------------------------------------
-- String -> number.
----------------------------------------------------------------------------

-- Byte length of the JS WhiteSpace/LineTerminator starting at i, or 0.
-- UTF-8 forms: U+00A0 C2A0, U+1680 E19A80, U+2000-200A E28080-E2808A,
-- U+2028/9 E280A8/9, U+202F E280AF, U+205F E2819F, U+3000 E38080,
-- U+FEFF EFBBBF.
local function wsfwd(s, i)
  local c = byte(s, i)
  if c == 32 or (c and c >= 9 and c <= 13) then return 1 end
  if c == nil or c < 0xC2 then return 0 end
  local c1, c2 = byte(s, i + 1, i + 2)
  if c == 0xC2 then return c1 == 0xA0 and 2 or 0 end
  if c == 0xE2 then
    if c1 == 0x80 then
      if c2 and ((c2 >= 0x80 and c2 <= 0x8A) or c2 == 0xA8 or c2 == 0xA9
                 or c2 == 0xAF) then
        return 3
      end
    elseif c1 == 0x81 and c2 == 0x9F then
      return 3
    end
    return 0
  end
  if c == 0xE1 then return (c1 == 0x9A and c2 == 0x80) and 3 or 0 end
  if c == 0xE3 then return (c1 == 0x80 and c2 == 0x80) and 3 or 0 end
  if c == 0xEF then return (c1 == 0xBB and c2 == 0xBF) and 3 or 0 end
  return 0
end

-- Same, for the character ending at j.
local function wsback(s, j)
  local c = byte(s, j)
  if c == 32 or (c >= 9 and c <= 13) then return 1 end
  if c < 0x80 or c > 0xBF then return 0 end
  if c == 0xA0 and byte(s, j - 1) == 0xC2 then return 2 end
  if j >= 3 and wsfwd(s, j - 2) == 3 then return 3 end
  return 0
end

local function skipws(s, i, len)
  while i <= len do
    local w = wsfwd(s, i)
    if w == 0 then break end
    i = i + w
  end
  return i
end

-- the span of s without JS white space and line terminators: i, j
local function trim(s)
  local len = #s
  local i, j = 1, len
  local c = byte(s, 1)
  if c and (c <= 32 or c >= 0x80) then i = skipws(s, 1, len) end
  c = byte(s, j)
  if i <= j and (c <= 32 or c >= 0x80) then
    while j >= i do
      local w = wsback(s, j)
      if w == 0 then break end
      j = j - w
    end
  end
  return i, j
end

-- Decimal text already validated as [+-]digits[.digits][e[+-]digits].
-- Short forms go straight to tonumber (correctly rounded).  Long mantissas
-- are cut to 780 significant digits plus a sticky 1 (V8 does the same; the
-- rounding decision never needs more), and huge exponents are clamped
-- because LuaJIT's strscan rejects them.
local function dec2num(t)
  local epos = find(t, "[eE]")
  if #t <= 40 and (not epos or #t - epos <= 5) then return tonumber(t) end
  local sg, ip, fp, es = match(t, "^([+-]?)(%d*)%.?(%d*)[eE]?([+-]?%d*)$")
  local ex = 0
  if es ~= "" then
    local esg, ed = match(es, "^([+-]?)0*(%d*)$")
    ex = #ed > 10 and 1e10 or (tonumber(ed) or 0)
    if esg == "-" then ex = -ex end
  end
  local d = ip .. fp
  ex = ex - #fp
  local z = find(d, "[1-9]")
  if not z then return sg == "-" and negzero or 0 end
  d = sub(d, z)
  local tz = find(d, "0*$")
  ex = ex + (#d - tz + 1)
  d = sub(d, 1, tz - 1)
  local k = #d
  local v
  if k + ex > 330 then
    v = inf
  elseif k + ex < -330 then
    v = 0
  else
    if k > 780 then
      ex = ex + k - 781
      d = sub(d, 1, 780) .. "1"
    end
    v = tonumber(d .. "e" .. ex)
  end
  return sg == "-" and -v or v
end

local function digitval(c)
  if c == nil then return 99 end
  if c >= 48 and c <= 57 then return c - 48 end
  if c >= 97 and c <= 122 then return c - 87 end
  if c >= 65 and c <= 90 then return c - 55 end
  return 99
end

-- V8's InternalStringToIntDouble: digits of radix 2^r from i (up to j),
-- correctly rounded (ties to even).  Returns the value and the index of the
-- first unused byte.  The int64 accumulator of the C++ original is emulated
-- with doubles: the accumulator stays below 2^53, and once the next digit
-- would push it over, the overflowing low bits are all inside that digit.
local function parsepow2(s, i, j, r)
  local radix = 2 ^ r
  while i <= j and byte(s, i) == 48 do i = i + 1 end
  local num = 0
  while i <= j do
    local d = digitval(byte(s, i))
    if d >= radix then break end
    local hi = num * radix
    if hi >= TWO53 then
      local ob = select(2, frexp(num)) + r - 53
      local p2 = 2 ^ ob
      local dropped = d % p2
      num = num * 2 ^ (r - ob) + (d - dropped) / p2
      local ex = ob
      local zerotail = true
      i = i + 1
      while i <= j do
        local d2 = digitval(byte(s, i))
        if d2 >= radix then break end
        if d2 ~= 0 then zerotail = false end
        ex = ex + r
        i = i + 1
      end
      local mid = p2 / 2
      if dropped > mid or (dropped == mid and (num % 2 == 1 or not zerotail)) then
        num = num + 1
        if num == TWO53 then num = TWO53 / 2; ex = ex + 1 end
      end
      return ldexp(num, ex), i
    end
    num = hi + d
    i = i + 1
  end
  return num, i
end

N.trim = trim

local RADIXBITS = { [120] = 4, [111] = 3, [98] = 1 }  -- x, o, b

-- StringToNumber (ToNumber applied to a String).
function N.strtonum(s)
  local i, j = trim(s)
  if i > j then return 0 end
  local si = i
  local c = byte(s, i)
  local signed = false
  if c == 43 or c == 45 then
    signed = true
    i = i + 1
    if i > j then return nan end
    c = byte(s, i)
  end
  if c == 73 then  -- 'I'
    if j - i == 7 and sub(s, i, j) == "Infinity" then
      return byte(s, si) == 45 and -inf or inf
    end
    return nan
  end
  if c == 48 and i < j then
    local r = RADIXBITS[bor(byte(s, i + 1), 0x20)]
    if r then
      if signed or digitval(byte(s, i + 2)) >= 2 ^ r then return nan end
      local v, k = parsepow2(s, i + 2, j, r)
      if k <= j then return nan end
      return v
    end
  end
  local _, p = find(s, "^%d*", i)
  local nd = p - i + 1
  p = p + 1
  if p <= j and byte(s, p) == 46 then
    local _, q = find(s, "^%d*", p + 1)
    nd = nd + (q - p)
    p = q + 1
  end
  if nd == 0 then return nan end
  if p <= j then
    c = byte(s, p)
    if c ~= 101 and c ~= 69 then return nan end
    local _, q = find(s, "^[+-]?%d+", p + 1)
    if q ~= j then return nan end
  end
  if si == 1 and j == #s then return dec2num(s) end
  return dec2num(sub(s, si, j))
end

-- Global parseFloat: longest decimal prefix after leading white space.
function N.parseFloat(s)
  local len = #s
  local i = skipws(s, 1, len)
  if i > len then return nan end
  local si = i
  local c = byte(s, i)
  if c == 43 or c == 45 then
    i = i + 1
    if i > len then return nan end
    c = byte(s, i)
  end
  if c == 73 then
    if sub(s, i, i + 7) == "Infinity" then
      return byte(s, si) == 45 and -inf or inf
    end
    return nan
  end
  local _, p = find(s, "^%d*", i)
  local nd = p - i + 1
  p = p + 1
  if byte(s, p) == 46 then
    local _, q = find(s, "^%d*", p + 1)
    nd = nd + (q - p)
    p = q + 1
  end
  if nd == 0 then return nan end
  c = byte(s, p)
  if c == 101 or c == 69 then
    local _, q = find(s, "^[+-]?%d+", p + 1)
    if q then p = q + 1 end
  end
  return dec2num(sub(s, si, p - 1))
end

-- ToInt32 of the radix argument.
local function toint32(r)
  if type(r) ~= "number" or r ~= r or r == inf or r == -inf then return 0 end
  r = r >= 0 and floor(r) or -floor(-r)
  r = r % 4294967296
  if r >= 2147483648 then r = r - 4294967296 end
  return r
end

local POW2BITS = { [2] = 1, [4] = 2, [8] = 3, [16] = 4, [32] = 5 }
local KMAXMUL = 119304647  -- 0xFFFFFFFF / 36: V8 keeps each chunk in uint32

-- Global parseInt, following V8's StringToIntHelper / NumberParseIntHelper.
function N.parseInt(s, radix)
  radix = toint32(radix)
  if radix ~= 0 and (radix < 2 or radix > 36) then return nan end
  local len = #s
  local i = skipws(s, 1, len)
  if i > len then return nan end
  local neg = false
  local c = byte(s, i)
  if c == 45 or c == 43 then
    neg = c == 45
    i = i + 1
    if i > len then return nan end
  end
  local leadzero = false
  if radix == 0 or radix == 16 then
    if radix == 0 then radix = 10 end
    if byte(s, i) == 48 then
      i = i + 1
      if i > len then return neg and negzero or 0 end
      c = byte(s, i)
      if c == 120 or c == 88 then
        radix = 16
        i = i + 1
        if i > len then return nan end
      else
        leadzero = true
      end
    end
  end
  while byte(s, i) == 48 do
    leadzero = true
    i = i + 1
    if i > len then return neg and negzero or 0 end
  end
  if not leadzero and digitval(byte(s, i)) >= radix then return nan end
  local v
  if radix == 10 then
    local _, q = find(s, "^%d*", i)
    if q - i >= 310 then q = i + 309 end  -- V8 keeps 310 digits
    v = q >= i and tonumber(sub(s, i, q)) or 0
  elseif POW2BITS[radix] then
    v = parsepow2(s, i, len, POW2BITS[radix])
  else
    -- Chunks accumulate exactly while the multiplier fits in 32 bits, then
    -- fold into the double; larger values collect rounding error like V8.
    v = 0
    local done = false
    repeat
      local part, mult = 0, 1
      while true do
        local d = digitval(byte(s, i))
        if d >= radix then done = true; break end
        local m = mult * radix
        if m > KMAXMUL then break end
        part = part * radix + d
        mult = m
        i = i + 1
        if i > len then done = true; break end
      end
      v = v * mult + part
    until done
  end
  if neg then return -v end
  return v
end

return N
